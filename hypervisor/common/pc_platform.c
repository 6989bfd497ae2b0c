// SPDX-License-Identifier: GPL-2.0
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/mm.h>
#include <hv/passthrough.h>
#include <hv/pc_ide.h>
#include <hv/pc_nic.h>
#include <hv/pc_platform.h>
#include <hv/pc_uart.h>
#include <hv/platform.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/time.h>

static uint64_t lapic_now(void *ctx)
{
	(void)ctx;
	return now_ns();
}

/* A guest's TSC is the host's, plus what WRMSR to the TSC set. */
static uint64_t lapic_tsc_to_ns(void *ctx, uint64_t tsc)
{
	struct vcpu *v = ctx;

	return tsc_to_ns(arch_guest_tsc_to_host(&v->arch, tsc));
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

void pc_platform_log(const struct domain *d)
{
	pc_ide_log(d);
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
		&pf->pic_dev, &pf->ioapic_dev, &pf->pit.dev, &pf->hpet.dev,
		&pf->rtc.dev, &pf->pm.dev, &pf->pci.dev, &pf->pvpci.dev,
		&pf->dbg_exit.dev, &pf->fw_cfg.dev,
	};

	for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
		if (emul_bus_attach(d, devs[i]))
			return -PVKIT_ENOSPC;
	for (size_t i = 0; i < ARRAY_SIZE(maps); i++)
		if (emul_bus_map(d, maps[i].dev, maps[i].mmio, maps[i].base,
				 maps[i].len))
			return -PVKIT_ENOSPC;
	if (pc_uart_attach(d, pf) || pc_nics_attach(d, pf) ||
	    pc_ide_attach(d, pf))
		return -PVKIT_ENOSPC;
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
	pc_uart_init(d, pf);
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
	if (pc_nics_init(d, pf) || pc_ide_init(d, pf))
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
		ret = pc_ide_create(d, pf, cfg);
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
	pc_ide_drain(pf);
	/* Nothing may touch a device while it is re-initialised. */
	emul_bus_lock_all(d);
	memcpy(cmos, pf->rtc.ram, sizeof(cmos));
	/* A BAR the guest moved goes back where firmware puts it. */
	emul_bus_move(d, &pf->pvpci.dev, pf->pvpci.bar,
		      PLATFORM_PVKIT_PCI_BAR, PVKIT_PCI_BAR_SIZE);
	pc_nics_unmove(d, pf);
	/* What the last boot unplugged is back, as at power-on. */
	emul_bus_plug_all(d);
	pf->unplug_state = 0;
	init_devices(d, pf);
	pt_domain_reset(d);	/* back on the bus init_devices() emptied */
	pf->hpet.dev.env = &pf->hpet_env;
	/* CMOS RAM outlives a reset, as its battery would keep it. */
	for (unsigned int i = 0x0e; i < sizeof(cmos); i++)
		if (i != PLATFORM_RTC_CENTURY_INDEX)
			rtc_cmos_set_ram(&pf->rtc, i, cmos[i]);
	emul_bus_unlock_all(d);
}
