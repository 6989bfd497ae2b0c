// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated NICs on the PC platform (see hv/pc_nic.h).  The model runs
 * in the guest's exits; frames queued at its port by other guests are
 * moved by a work item, under the same device lock as the exits, on the
 * pCPU of the domain's vCPU 0 (an emulated device's cost stays with its
 * guest).
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/domain.h>
#include <hv/emul/e1000.h>
#include <hv/mm.h>
#include <hv/pc_nic.h>
#include <hv/pc_platform.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/vswitch.h>
#include <hv/work.h>

struct pc_nic {
	struct e1000 e;
	struct work work;
	struct domain *d;
	uint16_t id;			/* net=ID */
	bool unplug;			/* unplug=pv: PV may take it over */
	bool gone;			/* unplugged, until a reset */
};

static bool nic_run(struct work *w)
{
	struct pc_nic *nic = container_of(w, struct pc_nic, work);
	bool more = false;

	emul_bus_lock_dev(nic->d, &nic->e.dev);
	if (nic->gone) {
		/* Unplugged: off the switch; what it held is dropped. */
	} else if (domain_alive(nic->d)) {
		more = e1000_work(&nic->e);
		/* An interrupt ITR holds back needs the device's poll. */
		sched_deadline_moved(nic->e.dev.ops->next_deadline(&nic->e.dev));
	} else if (nic->d->state == DOMAIN_ENDED) {
		vswitch_detach(&nic->e.port);	/* frames for it go nowhere */
	}
	emul_bus_unlock_dev(nic->d, &nic->e.dev);
	return more;
}

/*
 * The vCPUs are placed after the platform is built: the work item takes
 * vCPU 0's pCPU on the first kick after that (every writer stores the
 * same pointer).
 */
static void nic_kick(struct vswitch_port *p)
{
	struct pc_nic *nic = container_of(p, struct pc_nic, e.port);
	struct pcpu *pc = READ_ONCE(nic->d->vcpus[0]->pcpu);

	if (!pc)
		return;
	if (!READ_ONCE(nic->work.pc))
		WRITE_ONCE(nic->work.pc, pc);
	work_queue(&nic->work);
}

int pc_nics_create(struct domain *d, struct pc_platform *pf)
{
	for (unsigned int i = 0; i < d->nr_emul_nics; i++) {
		struct pc_nic *nic = kzalloc(sizeof(*nic));

		if (!nic)
			return -PVKIT_ENOMEM;
		nic->d = d;
		nic->id = d->emul_nics[i].id;
		nic->unplug = d->emul_nics[i].unplug;
		work_init(&nic->work, NULL, nic_run);
		pf->nics[pf->nr_nics++] = nic;
	}
	return 0;
}

int pc_nics_init(struct domain *d, struct pc_platform *pf)
{
	for (unsigned int i = 0; i < pf->nr_nics; i++) {
		struct pc_nic *nic = pf->nics[i];
		unsigned int slot = PLATFORM_E1000_SLOT(i);

		/* Its queue and what the switch learned go with the old boot. */
		vswitch_detach(&nic->e.port);
		nic->gone = false;	/* a reset plugs it back */
		e1000_init(&nic->e, &d->bus.env, d->emul_nics[i].mac,
			   PLATFORM_PCI_INTX_GSI(slot, 0), PLATFORM_E1000_BAR(i),
			   PLATFORM_E1000_IO(i));
		nic->e.port.kick = nic_kick;
		if (pci_host_add_function(&pf->pci, PCI_DEVFN(slot, 0),
					  &e1000_cfg_ops, &nic->e))
			return -PVKIT_EEXIST;
		if (vswitch_attach(vswitch_default(), &nic->e.port))
			pr_warn("d%u %s: e1000 %u: the switch has no free port: link down",
				d->id, d->name, nic->id);
	}
	return 0;
}

int pc_nics_attach(struct domain *d, struct pc_platform *pf)
{
	for (unsigned int i = 0; i < pf->nr_nics; i++) {
		struct e1000 *e = &pf->nics[i]->e;

		if (emul_bus_attach(d, &e->dev) ||
		    emul_bus_map(d, &e->dev, true, PLATFORM_E1000_BAR(i),
				 E1000_MMIO_SIZE) ||
		    emul_bus_map(d, &e->dev, false, PLATFORM_E1000_IO(i),
				 E1000_IO_SIZE))
			return -PVKIT_ENOSPC;
	}
	return 0;
}

void pc_nics_unmove(struct domain *d, struct pc_platform *pf)
{
	for (unsigned int i = 0; i < pf->nr_nics; i++) {
		struct e1000 *e = &pf->nics[i]->e;

		emul_bus_move(d, &e->dev, e->bar, PLATFORM_E1000_BAR(i),
			      E1000_MMIO_SIZE);
	}
}

uint32_t pc_nics_unplug_slots(const struct pc_platform *pf)
{
	uint32_t slots = 0;

	for (unsigned int i = 0; i < pf->nr_nics; i++)
		if (pf->nics[i]->unplug)
			slots |= 1u << PLATFORM_E1000_SLOT(i);
	return slots;
}

/*
 * Off the device bus and the switch, its interrupt line low, before its
 * PV replacement (the same MAC) joins the switch: the switch never has
 * the address on two ports.  Frames queued for it are dropped, as a
 * NIC that is pulled drops them.
 */
void pc_nics_unplug(struct domain *d, struct pc_platform *pf)
{
	for (unsigned int i = 0; i < pf->nr_nics; i++) {
		struct pc_nic *nic = pf->nics[i];
		const uint8_t *mac = d->emul_nics[i].mac;

		if (!nic->unplug)
			continue;
		emul_bus_lock_dev(d, &nic->e.dev);
		nic->gone = true;
		emul_bus_set_gone(d, &nic->e.dev, true);
		vswitch_detach(&nic->e.port);
		nic->e.dev.env->set_irq(nic->e.dev.env->ctx, nic->e.gsi, false);
		emul_bus_unlock_dev(d, &nic->e.dev);
		pr_info("d%u %s: unplugged e1000 %u (00:%02x.0, %llu frames out, %llu in): PV NIC %u has its MAC %02x:%02x:%02x:%02x:%02x:%02x",
			d->id, d->name, nic->id, PLATFORM_E1000_SLOT(i),
			(unsigned long long)nic->e.st.tx_frames,
			(unsigned long long)nic->e.st.rx_frames, nic->id,
			mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	}
}

/* Exits per packet: what the benchmark compares with PV. */
void pc_nics_log(struct domain *d)
{
	struct pc_platform *pf = d->platform;
	uint64_t exits = 0, mmio = 0;

	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		for (int k = 0; k < NR_EXIT_KINDS; k++)
			exits += d->vcpus[i]->exits[k];
		mmio += d->vcpus[i]->exits[EXIT_KIND_MMIO];
	}
	for (unsigned int i = 0; i < pf->nr_nics; i++) {
		const struct e1000_stats *st = &pf->nics[i]->e.st;
		uint64_t pkts = st->tx_frames + st->rx_frames;
		uint64_t per100 = pkts ? exits * 100 / pkts : 0;
		uint64_t mmio100 = pkts ? mmio * 100 / pkts : 0;

		pr_info("d%u %s: e1000 %u: %llu frames out (%llu bytes), %llu in (%llu bytes), %llu dropped, %llu stops, %llu interrupts; %llu.%02llu exits per packet, %llu.%02llu of them MMIO",
			d->id, d->name, pf->nics[i]->id,
			(unsigned long long)st->tx_frames,
			(unsigned long long)st->tx_bytes,
			(unsigned long long)st->rx_frames,
			(unsigned long long)st->rx_bytes,
			(unsigned long long)st->tx_dropped,
			(unsigned long long)st->stops,
			(unsigned long long)st->irqs,
			(unsigned long long)(per100 / 100),
			(unsigned long long)(per100 % 100),
			(unsigned long long)(mmio100 / 100),
			(unsigned long long)(mmio100 % 100));
	}
}
