// SPDX-License-Identifier: GPL-2.0
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/mm.h>
#include <hv/passthrough.h>
#include <hv/pc_nic.h>
#include <hv/pc_platform.h>
#include <hv/platform.h>
#include <hv/printk.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/storage.h>
#include <hv/time.h>

static uint64_t lapic_now(void *ctx)
{
	(void)ctx;
	return now_ns();
}

static uint64_t lapic_tsc_to_ns(void *ctx, uint64_t tsc)
{
	(void)ctx;
	return tsc_to_ns(tsc);	/* a guest's TSC is the host's */
}

static void lapic_send_ipi(void *ctx, const struct apic_msg *msg)
{
	struct vcpu *v = ctx;

	irq_router_send(&v->dom->platform->router, msg);
}

static void lapic_kick(void *ctx)
{
	vcpu_wake(ctx);
}

static void lapic_eoi(void *ctx, uint8_t vector)
{
	struct vcpu *v = ctx;

	irq_router_eoi(&v->dom->platform->router, vector);
}

static int lapic_extint_ack(void *ctx)
{
	struct vcpu *v = ctx;

	return irq_router_extint_ack(&v->dom->platform->router);
}

/*
 * In the HPET's legacy replacement mode the 8254's IRQ 0 and the RTC's
 * IRQ 8 are cut off, as on a PC chipset: the HPET owns both lines.
 */
static void domain_set_irq(struct domain *d, unsigned int gsi, bool level)
{
	struct pc_platform *pf = d->platform;

	if ((gsi == PLATFORM_PIT_IRQ || gsi == PLATFORM_RTC_IRQ) &&
	    hpet_legacy_active(&pf->hpet))
		return;
	irq_router_set_irq(&pf->router, gsi, level);
}

/* An MSI write to the local APICs' window becomes an APIC bus message. */
static void domain_send_msi(struct domain *d, uint64_t addr, uint32_t data)
{
	struct apic_msg m = {
		.dest = (addr >> 12) & 0xff,
		.dest_mode = (addr >> 2) & 1,
		.vector = data & 0xff,
		.delivery_mode = (data >> 8) & 7,
		.level = 1,
		.trigger = (data >> 15) & 1,
	};

	if ((addr & ~0xfffffull) != PLATFORM_LAPIC_BASE ||
	    (m.delivery_mode != APIC_DM_FIXED &&
	     m.delivery_mode != APIC_DM_LOWEST &&
	     m.delivery_mode != APIC_DM_NMI) ||
	    m.vector < 16)
		return;		/* not an interrupt a device can send */
	irq_router_send(&d->platform->router, &m);
}

void pc_platform_upcall(struct vcpu *v)
{
	struct domain *d = v->dom;
	struct pc_platform *pf = d->platform;

	emul_bus_lock_dev(d, &pf->pvpci.dev);
	pvkit_pci_raise(&pf->pvpci, v->id);
	emul_bus_unlock_dev(d, &pf->pvpci.dev);
}

static void hpet_set_irq(void *ctx, unsigned int gsi, bool level)
{
	struct domain *d = ctx;

	irq_router_set_irq(&d->platform->router, gsi, level);
}

static int create_lapics(struct domain *d, struct pc_platform *pf)
{
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		struct vlapic_env *env = &pf->lapic_env[i];

		*env = (struct vlapic_env){
			.ctx = d->vcpus[i],
			.now_ns = lapic_now,
			.tsc_to_ns = lapic_tsc_to_ns,
			.send_ipi = lapic_send_ipi,
			.kick = lapic_kick,
			.eoi = lapic_eoi,
			.extint_ack = lapic_extint_ack,
		};
		vlapic_init(&pf->lapic[i], i, (i == 0 ? VLAPIC_F_BSP : 0) |
			    d->lapic_flags, env);
		if (irq_router_add_lapic(&pf->router, &pf->lapic[i]))
			return -PVKIT_ENOSPC;
		d->vcpus[i]->lapic = &pf->lapic[i];
	}
	return 0;
}

/* ---- the emulated disk ---- */

/* A storage request finished after its access: its pCPU's work ends it. */
static bool ide_work(struct work *w)
{
	struct pc_platform *pf = container_of(w, struct pc_platform, ide_work);

	emul_bus_lock_dev(pf->dom, &pf->ide->dev);
	ide_piix_complete(pf->ide);
	emul_bus_unlock_dev(pf->dom, &pf->ide->dev);
	return false;
}

/*
 * From the storage's completion, any pCPU.  One request is in flight
 * at a time, so the item is never queued twice at once; vCPU 0's pCPU
 * is known by the time the guest issues a command.
 */
static void ide_kick(void *arg)
{
	struct pc_platform *pf = arg;

	if (!pf->ide_work.pc)
		pf->ide_work.pc = pf->dom->vcpus[0]->pcpu;
	work_queue(&pf->ide_work);
}

static const struct dev_cfg *emulated_disk(const struct domain_cfg *cfg)
{
	for (unsigned int i = 0; i < cfg->nr_devs; i++)
		if (cfg->devs[i].type == DEV_TYPE_DISK &&
		    cfg->devs[i].mode == DEV_MODE_EMULATED)
			return &cfg->devs[i];
	return NULL;
}

/* The disk's storage, as a PV disk's (see block_back.c). */
static int ide_create(struct domain *d, struct pc_platform *pf,
		      const struct domain_cfg *cfg)
{
	const struct dev_cfg *dev = emulated_disk(cfg);
	char who[40];

	if (!dev)
		return 0;
	snprintf(who, sizeof(who), "d%u emulated disk %u", d->id, dev->id);
	if (dev->storage == DEV_STORAGE_RAM)
		pf->ide_storage = storage_ram_create(dev->size,
			dev->image_len ? phys_to_virt(dev->image_pa) : NULL,
			dev->image_len);
	else
		pf->ide_storage = storage_virtio_get(dev->storage_index, who);
	pf->ide = kzalloc(sizeof(*pf->ide));
	if (!pf->ide_storage || !pf->ide) {
		pr_err("%s: no storage for it", who);
		return -PVKIT_ENOMEM;
	}
	work_init(&pf->ide_work, NULL, ide_work);
	return 0;
}

/* Power-on state; a request in flight was drained by the caller. */
static int ide_init(struct domain *d, struct pc_platform *pf)
{
	if (!pf->ide)
		return 0;
	ide_piix_init(pf->ide, &d->bus.env, pf->ide_storage,
		      PLATFORM_IDE_BM_PORT);
	pf->ide->kick = ide_kick;
	pf->ide->kick_arg = pf;
	return pci_host_add_function(&pf->pci,
				     PCI_DEVFN(PLATFORM_IDE_PCI_SLOT, 0),
				     &ide_piix_cfg_ops, pf->ide);
}

static int ide_attach(struct domain *d, struct pc_platform *pf)
{
	struct emul_device *dev = &pf->ide->dev;

	if (!pf->ide)
		return 0;
	if (emul_bus_attach(d, dev) ||
	    emul_bus_map(d, dev, false, IDE_PIIX_CMD_PORT, 8) ||
	    emul_bus_map(d, dev, false, IDE_PIIX_CTL_PORT, 1) ||
	    emul_bus_map(d, dev, false, PLATFORM_IDE_BM_PORT,
			 IDE_PIIX_BM_PORTS))
		return -PVKIT_ENOSPC;
	return 0;
}

void pc_platform_log(const struct domain *d)
{
	const struct pc_platform *pf = d->platform;
	const struct ide_piix_stats *s;

	if (!pf->ide)
		return;
	s = &pf->ide->stats;
	pr_info("d%u %s: IDE disk: %llu commands, %llu DMA requests, %llu PIO sectors, %llu flushes, %llu late completions, %llu errors (%llu bad PRD tables, the last command %#x feature %#x)",
		d->id, d->name, (unsigned long long)s->cmds,
		(unsigned long long)s->dma_reqs,
		(unsigned long long)s->pio_sectors,
		(unsigned long long)s->flushes, (unsigned long long)s->late,
		(unsigned long long)s->errors,
		(unsigned long long)s->bad_prd, s->last_error_cmd,
		s->last_error_feature);
	storage_log(pf->ide_storage);
}

struct bus_map {
	struct emul_device *dev;
	bool mmio;
	uint64_t base;
	uint64_t len;
};

static int attach_all(struct domain *d, struct pc_platform *pf)
{
	const struct bus_map maps[] = {
		{ &pf->pic_dev, false, PLATFORM_PIC_MASTER_PORT, 2 },
		{ &pf->pic_dev, false, PLATFORM_PIC_SLAVE_PORT, 2 },
		{ &pf->pic_dev, false, PLATFORM_PIC_ELCR_PORT, 2 },
		{ &pf->ioapic_dev, true, PLATFORM_IOAPIC_BASE, 0x1000 },
		{ &pf->com1.dev, false, PLATFORM_COM1_PORT,
		  UART16550_NR_PORTS },
		{ &pf->pit.dev, false, PLATFORM_PIT_PORT, PIT8254_NR_PORTS },
		{ &pf->pit.dev, false, PIT8254_PORT_61, 1 },
		{ &pf->hpet.dev, true, PLATFORM_HPET_BASE, PLATFORM_HPET_SIZE },
		{ &pf->rtc.dev, false, PLATFORM_RTC_PORT, RTC_CMOS_NR_PORTS },
		{ &pf->pm.dev, false, PLATFORM_PM_BASE, PLATFORM_PM_PORTS },
		{ &pf->pci.dev, false, PLATFORM_PCI_CONF_ADDR_PORT,
		  PLATFORM_PCI_CONF_PORTS },
		{ &pf->pci.dev, true, PLATFORM_ECAM_BASE, PLATFORM_ECAM_SIZE },
		{ &pf->pvpci.dev, true, PLATFORM_PVKIT_PCI_BAR,
		  PVKIT_PCI_BAR_SIZE },
		{ &pf->dbg_exit.dev, false, DEBUG_EXIT_PORT,
		  DEBUG_EXIT_NR_PORTS },
		{ &pf->fw_cfg.dev, false, FW_CFG_PORT_SEL, FW_CFG_NR_PORTS },
	};
	struct emul_device *devs[] = {
		&pf->pic_dev, &pf->ioapic_dev, &pf->com1.dev, &pf->pit.dev,
		&pf->hpet.dev, &pf->rtc.dev, &pf->pm.dev, &pf->pci.dev,
		&pf->pvpci.dev, &pf->dbg_exit.dev, &pf->fw_cfg.dev,
	};

	for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
		if (emul_bus_attach(d, devs[i]))
			return -PVKIT_ENOSPC;
	for (size_t i = 0; i < ARRAY_SIZE(maps); i++)
		if (emul_bus_map(d, maps[i].dev, maps[i].mmio, maps[i].base,
				 maps[i].len))
			return -PVKIT_ENOSPC;
	if (pc_nics_attach(d, pf) || ide_attach(d, pf))
		return -PVKIT_ENOSPC;
	d->bus.console = &pf->com1.dev;
	/* Attaching gave it the domain's env; it needs its own set_irq. */
	pf->hpet_env = d->bus.env;
	pf->hpet_env.set_irq = hpet_set_irq;
	pf->hpet.dev.env = &pf->hpet_env;
	return 0;
}

/* Every model in its power-on state, local APICs included. */
static int init_devices(struct domain *d, struct pc_platform *pf)
{
	const struct emul_env *env = &d->bus.env;

	irq_router_init(&pf->router, PLATFORM_IOAPIC_ID, PLATFORM_IOAPIC_BASE);
	pf->pic_dev = (struct emul_device){ &irq_router_pic_ops, env,
					    &pf->router };
	pf->ioapic_dev = (struct emul_device){ &irq_router_ioapic_ops, env,
					       &pf->router };
	uart16550_init(&pf->com1, env, PLATFORM_COM1_PORT, PLATFORM_COM1_IRQ);
	pit8254_init(&pf->pit, env);
	hpet_init(&pf->hpet, env, PLATFORM_HPET_BASE, PLATFORM_HPET_GSI_CAP);
	rtc_cmos_init(&pf->rtc, env, wallclock_at_boot + now_ns() / 1000000000ull);
	acpi_pm_init(&pf->pm, env);
	pci_host_init(&pf->pci, env);
	pvkit_pci_init(&pf->pvpci, env, PLATFORM_PVKIT_PCI_BAR);
	debug_exit_init(&pf->dbg_exit, env);
	fw_cfg_init(&pf->fw_cfg, env, d->nr_vcpus, d->mem_bytes);
	if (pci_host_add_function(&pf->pci,
				  PCI_DEVFN(PLATFORM_PVKIT_PCI_SLOT, 0),
				  &pvkit_pci_cfg_ops, &pf->pvpci))
		return -PVKIT_EEXIST;
	if (pc_nics_init(d, pf) || ide_init(d, pf))
		return -PVKIT_EEXIST;
	return create_lapics(d, pf);
}

int pc_platform_create(struct domain *d, const struct domain_cfg *cfg)
{
	struct pc_platform *pf = kzalloc(sizeof(*pf));
	int ret;

	if (!pf)
		return -PVKIT_ENOMEM;
	d->platform = pf;
	pf->dom = d;
	ret = pc_nics_create(d, pf);
	if (!ret)
		ret = ide_create(d, pf, cfg);
	if (!ret)
		ret = init_devices(d, pf);
	if (!ret)
		ret = pt_domain_create(d, cfg);
	if (!ret)
		ret = attach_all(d, pf);
	if (ret)
		return ret;
	d->bus.set_irq = domain_set_irq;
	d->bus.send_msi = domain_send_msi;
	d->lapic_khz = VLAPIC_BUS_HZ / 1000;
	return 0;
}

void pc_platform_reset(struct domain *d)
{
	struct pc_platform *pf = d->platform;
	uint8_t cmos[sizeof(pf->rtc.ram)];

	/* The disk's last request lands before its model starts afresh. */
	if (pf->ide)
		storage_drain(pf->ide_storage);
	/* Nothing may touch a device while it is re-initialised. */
	emul_bus_lock_all(d);
	memcpy(cmos, pf->rtc.ram, sizeof(cmos));
	/* A BAR the guest moved goes back where firmware puts it. */
	emul_bus_move(d, &pf->pvpci.dev, pf->pvpci.bar,
		      PLATFORM_PVKIT_PCI_BAR, PVKIT_PCI_BAR_SIZE);
	pc_nics_unmove(d, pf);
	init_devices(d, pf);
	pt_domain_reset(d);	/* back on the bus init_devices() emptied */
	pf->hpet.dev.env = &pf->hpet_env;
	/* CMOS RAM outlives a reset, as its battery would keep it. */
	for (unsigned int i = 0x0e; i < sizeof(cmos); i++)
		if (i != PLATFORM_RTC_CENTURY_INDEX)
			rtc_cmos_set_ram(&pf->rtc, i, cmos[i]);
	emul_bus_unlock_all(d);
}
