// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels of an HVM domain as Linux interrupts.
 *
 * The hypervisor signals vCPU v's upcall with MSI-X entry v of the
 * platform device.  That entry's handler scans the two-level pending
 * bits of the shared info page (pvkit/event_channel.h) and hands each
 * pending, unmasked port to its Linux interrupt.
 *
 * Ports are the hwirqs of an irq_domain of their own whose irq_chip masks
 * and unmasks with EVTCHN_MASK and EVTCHN_UNMASK.  That costs a little
 * more than a table of port handlers, and buys what drivers expect of an
 * interrupt: request_irq(), disable_irq() and synchronize_irq() work, the
 * hvc layer takes the port's interrupt as it takes any other, a port
 * nobody has requested is masked by the flow handler instead of raising
 * upcalls for ever, and /proc/interrupts counts each port.
 *
 * A port starts on vCPU 0.  Its interrupt's affinity moves it
 * (EVTCHN_BIND_VCPU, ABI 1.4) to the vCPU of the first online CPU of the
 * mask, and each vCPU's upcall dispatches only the ports bound to it, so
 * a port's events are handled, and counted, on the CPU it was given.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/slab.h>
#include "hypercall.h"
#include "pvkit_core.h"

static void port_mask(struct irq_data *d)
{
	pvkit_hc1(PVKIT_HC_EVTCHN_MASK, irqd_to_hwirq(d));
}

static void port_unmask(struct irq_data *d)
{
	pvkit_hc1(PVKIT_HC_EVTCHN_UNMASK, irqd_to_hwirq(d));
}

/* Nothing to do: the scan cleared the pending bit before dispatching. */
static void port_ack(struct irq_data *d)
{
}

/*
 * pvkit numbers a domain's vCPUs by their APIC ids (its MADT lists APIC
 * id v for vCPU v), and upcall v is vCPU v's.
 */
static int cpu_vcpu(struct pvkit_platform *plat, unsigned int cpu)
{
	unsigned int v = cpu_physical_id(cpu);

	return v < plat->nr_upcalls ? (int)v : -1;
}

/* The first online CPU of dest whose vCPU has an upcall, or nr_cpu_ids. */
static unsigned int pick_cpu(struct pvkit_platform *plat,
			     const struct cpumask *dest)
{
	unsigned int cpu;

	for_each_cpu_and(cpu, dest, cpu_online_mask)
		if (cpu_vcpu(plat, cpu) >= 0)
			return cpu;
	return nr_cpu_ids;
}

/*
 * Called with the port's irq_desc locked, so one move of a port at a
 * time.  The port is in both vCPUs' sets while the hypervisor moves it:
 * an event raised on the old vCPU just before, or re-raised on the new
 * one by the move, is dispatched by whichever scans first, and never
 * skipped by both.
 */
static int port_set_affinity(struct irq_data *d, const struct cpumask *dest,
			     bool force)
{
	struct pvkit_platform *plat = d->domain->host_data;
	u32 port = irqd_to_hwirq(d);
	unsigned int cpu = pick_cpu(plat, dest);
	unsigned int old = plat->port_vcpu[port], v;
	long rc;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	v = cpu_vcpu(plat, cpu);	/* >= 0: pick_cpu() checked */
	if (v != old) {
		if (!plat->can_move)
			return -EINVAL;
		set_bit(port, plat->upcall[v].ports);
		rc = pvkit_hc3(PVKIT_HC_EVTCHN_BIND_VCPU, port, v, 0);
		if (rc) {
			clear_bit(port, plat->upcall[v].ports);
			return rc;
		}
		clear_bit(port, plat->upcall[old].ports);
		plat->port_vcpu[port] = v;
	}
	irq_data_update_effective_affinity(d, cpumask_of(cpu));
	return IRQ_SET_MASK_OK;
}

static struct irq_chip pvkit_port_chip = {
	.name = "pvkit-evtchn",
	.irq_ack = port_ack,
	.irq_mask = port_mask,
	.irq_unmask = port_unmask,
	.irq_set_affinity = port_set_affinity,
};

static int port_map(struct irq_domain *d, unsigned int virq,
		    irq_hw_number_t hw)
{
	struct pvkit_platform *plat = d->host_data;

	irq_set_chip_and_handler_name(virq, &pvkit_port_chip, handle_edge_irq,
				      "edge");
	/* A move is one hypercall: no need to wait for the next event. */
	irq_set_status_flags(virq, IRQ_NOPROBE | IRQ_MOVE_PCNTXT);
	/* Without EVTCHN_BIND_VCPU every port stays on vCPU 0. */
	if (!plat->can_move)
		irq_set_status_flags(virq, IRQ_NO_BALANCING);
	return 0;
}

static const struct irq_domain_ops pvkit_port_domain_ops = {
	.map = port_map,
	.xlate = irq_domain_xlate_onecell,
};

static void port_event(struct pvkit_platform *plat, u32 port)
{
	unsigned int virq = irq_find_mapping(plat->domain, port);
	struct pvkit_queue *q;

	if (!virq) {
		atomic64_inc(&pvkit_stray_events);
		return;
	}
	q = irq_get_chip_data(virq);
	if (q)
		atomic64_inc(&q->dev->interrupts);
	generic_handle_irq(virq);
}

/*
 * One selector word: clear and dispatch every pending port of this vCPU
 * that is not masked.  A masked port keeps its pending bit; UNMASK
 * raises it again.  Another vCPU's port is left for that vCPU, which
 * the hypervisor told as well.
 */
static void scan_word(struct pvkit_upcall *u, unsigned int w)
{
	struct pvkit_platform *plat = u->plat;
	struct pvkit_shared_info *s = plat->shared;
	unsigned long ready;
	unsigned int bit;

	for (;;) {
		ready = READ_ONCE(s->evtchn_pending[w]) &
			~READ_ONCE(s->evtchn_mask[w]) &
			READ_ONCE(u->ports[w]);
		if (!w)
			ready &= ~1ul;	/* port 0 is never valid */
		if (!ready)
			return;
		for_each_set_bit(bit, &ready, BITS_PER_LONG) {
			if (test_and_clear_bit(bit, (unsigned long *)
					       &s->evtchn_pending[w]))
				port_event(plat, w * BITS_PER_LONG + bit);
		}
	}
}

/* MSI-X entry u->vcpu: that vCPU's upcall. */
static irqreturn_t pvkit_upcall_irq(int irq, void *data)
{
	struct pvkit_upcall *u = data;
	struct pvkit_vcpu_info *vi = &u->plat->shared->vcpu_info[u->vcpu];
	unsigned long sel;
	unsigned int w;

	atomic64_inc(&u->count);
	while (READ_ONCE(vi->upcall_pending)) {
		/* Clear first: an event landing during the scan sets it again. */
		WRITE_ONCE(vi->upcall_pending, 0);
		smp_mb();
		sel = xchg(&vi->pending_sel, 0);
		for_each_set_bit(w, &sel, PVKIT_EVTCHN_WORDS)
			scan_word(u, w);
	}
	/*
	 * The hypervisor sets a device's bit before it raises the device's
	 * ports, so the upcall for them sees it: one load, then process
	 * context for the drivers.
	 */
	if (u->plat->config_bits &&
	    READ_ONCE(u->plat->shared->dev_config_changed))
		schedule_work(&u->plat->config_work);
	return IRQ_HANDLED;
}

static int upcalls_request(struct pvkit_platform *plat)
{
	struct pci_dev *pdev = plat->pdev;
	unsigned int v;
	int n, rc;

	n = pci_alloc_irq_vectors(pdev, 1,
				  min_t(unsigned int, num_possible_cpus(),
					PVKIT_PCI_MSIX_VECTORS),
				  PCI_IRQ_MSIX);
	if (n < 0)
		return n;
	for (v = 0; v < n; v++) {
		struct pvkit_upcall *u = &plat->upcall[v];
		struct pvkit_vcpu_info *vi = &plat->shared->vcpu_info[v];

		u->plat = plat;
		u->vcpu = v;
		u->irq = pci_irq_vector(pdev, v);
		snprintf(u->name, sizeof(u->name), "pvkit-upcall%u", v);
		/*
		 * A flag left set by an earlier instance of this module would
		 * stop the hypervisor from ever signalling again (it sends on
		 * 0 -> 1): start from 0, the scan finds whatever is pending.
		 */
		WRITE_ONCE(vi->upcall_pending, 0);
		WRITE_ONCE(vi->upcall_mask, 0);
		rc = request_irq(u->irq, pvkit_upcall_irq, 0, u->name, u);
		if (rc)
			goto unwind;
		plat->nr_upcalls = v + 1;
		/* Linux CPU v is vCPU v: pvkit's MADT lists them in order. */
		if (cpu_online(v))
			irq_set_affinity(u->irq, cpumask_of(v));
	}
	return 0;

unwind:
	while (v--)
		free_irq(plat->upcall[v].irq, &plat->upcall[v]);
	plat->nr_upcalls = 0;
	pci_free_irq_vectors(pdev);
	return rc;
}

int pvkit_events_init(struct pvkit_platform *plat)
{
	long feat;
	int rc;

	feat = pvkit_hc1(PVKIT_HC_FEATURES, 0);
	plat->can_move = feat > 0 && (feat & PVKIT_FEAT_EVTCHN_VCPU);
	plat->config_bits = feat > 0 && (feat & PVKIT_FEAT_DEV_CONFIG_CHANGED);
	plat->fwnode = irq_domain_alloc_named_fwnode("pvkit-evtchn");
	if (!plat->fwnode)
		return -ENOMEM;
	plat->domain = irq_domain_create_linear(plat->fwnode,
						PVKIT_EVTCHN_PORTS,
						&pvkit_port_domain_ops, plat);
	if (!plat->domain) {
		rc = -ENOMEM;
		goto free_fwnode;
	}
	rc = upcalls_request(plat);
	if (rc)
		goto remove_domain;
	return 0;

remove_domain:
	irq_domain_remove(plat->domain);
free_fwnode:
	irq_domain_free_fwnode(plat->fwnode);
	return rc;
}

void pvkit_events_exit(struct pvkit_platform *plat)
{
	unsigned int v;

	for (v = 0; v < plat->nr_upcalls; v++)
		free_irq(plat->upcall[v].irq, &plat->upcall[v]);
	plat->nr_upcalls = 0;
	/* The upcalls were all that queued it. */
	cancel_work_sync(&plat->config_work);
	pci_free_irq_vectors(plat->pdev);
	irq_domain_remove(plat->domain);
	irq_domain_free_fwnode(plat->fwnode);
}

/*
 * A port for q, unbound for the hypervisor, mapped to a Linux interrupt
 * and masked until that interrupt is requested.
 */
int pvkit_port_open(struct pvkit_queue *q)
{
	struct pvkit_platform *plat = pvkit_plat;
	struct pvkit_evtchn_alloc_unbound *op;
	unsigned int virq;
	long rc;
	u32 port;

	op = kzalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	op->remote_dom = PVKIT_DOMID_HYPERVISOR;
	rc = pvkit_hc_ptr(PVKIT_HC_EVTCHN_ALLOC_UNBOUND, op);
	port = op->port;
	kfree(op);
	if (rc)
		return rc;
	if (!port || port >= PVKIT_EVTCHN_PORTS) {
		pr_err("hypervisor gave port %u, out of range\n", port);
		return -EIO;
	}
	pvkit_hc1(PVKIT_HC_EVTCHN_MASK, port);
	/* A previous owner's event is not ours. */
	clear_bit(port % BITS_PER_LONG,
		  (unsigned long *)&plat->shared->evtchn_pending[port / 64]);
	virq = irq_create_mapping(plat->domain, port);
	if (!virq) {
		pvkit_hc1(PVKIT_HC_EVTCHN_CLOSE, port);
		return -ENOMEM;
	}
	/* A new port is on vCPU 0 whoever had the number before. */
	plat->port_vcpu[port] = 0;
	set_bit(port, plat->upcall[0].ports);
	irq_set_chip_data(virq, q);
	q->port = port;
	q->irq = virq;
	atomic_inc(&pvkit_ports_open);
	return 0;
}

void pvkit_port_close(struct pvkit_queue *q)
{
	struct pvkit_platform *plat = pvkit_plat;
	unsigned int v;
	long rc;

	if (!q->port)
		return;
	pvkit_hc1(PVKIT_HC_EVTCHN_MASK, q->port);
	rc = pvkit_hc1(PVKIT_HC_EVTCHN_CLOSE, q->port);
	if (rc)
		pr_err("closing port %u: %ld\n", q->port, rc);
	/* No upcall still on its way to this port's descriptor. */
	for (v = 0; v < plat->nr_upcalls; v++)
		synchronize_irq(plat->upcall[v].irq);
	for (v = 0; v < plat->nr_upcalls; v++)
		clear_bit(q->port, plat->upcall[v].ports);
	irq_set_chip_data(q->irq, NULL);
	irq_dispose_mapping(q->irq);
	q->port = 0;
	q->irq = 0;
	atomic_dec(&pvkit_ports_open);
}

/* Ports of this domain that are not FREE, as the hypervisor sees them. */
int pvkit_ports_in_use(void)
{
	struct pvkit_evtchn_status *st;
	int port, used = 0;
	long rc;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	for (port = 1; port < PVKIT_EVTCHN_PORTS; port++) {
		memset(st, 0, sizeof(*st));
		st->port = port;
		rc = pvkit_hc_ptr(PVKIT_HC_EVTCHN_STATUS, st);
		if (rc) {
			used = rc;
			break;
		}
		used += st->state != PVKIT_EVTCHN_STATE_FREE;
	}
	kfree(st);
	return used;
}
