// SPDX-License-Identifier: GPL-2.0
/*
 * PVKIT_HC_UNPLUG (pvkit/hypercall.h): an HVM domain's emulated devices
 * that have PV replacements (unplug=pv) are quiesced and taken off its
 * PC, and only then do the replacements appear in its PV device table.
 * The order is what keeps one disk from being driven through two fronts
 * and one MAC from being on two switch ports.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <asm/processor.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/hypercall.h>
#include <hv/pc_ide.h>
#include <hv/pc_nic.h>
#include <hv/pc_platform.h>
#include <hv/printk.h>
#include <hv/pv.h>
#include <hv/time.h>

enum { UNPLUG_PLUGGED, UNPLUG_RUNNING, UNPLUG_DONE };

static uint32_t unplug_slots(const struct pc_platform *pf)
{
	return pc_ide_unplug_slots(pf) | pc_nics_unplug_slots(pf);
}

/* Off the PCI bus: config space reads all-ones from here on. */
static void unplug_functions(struct domain *d, struct pc_platform *pf,
			     uint32_t slots)
{
	emul_bus_lock_dev(d, &pf->pci.dev);
	for (unsigned int slot = 1; slot < 32; slot++)
		if (slots & (1u << slot))
			pci_host_remove_function(&pf->pci, PCI_DEVFN(slot, 0));
	emul_bus_unlock_dev(d, &pf->pci.dev);
}

static void unplug_all(struct domain *d, struct pc_platform *pf,
		       uint32_t slots)
{
	uint64_t t0 = now_ns();

	pc_ide_unplug(d, pf);
	pc_nics_unplug(d, pf);
	unplug_functions(d, pf, slots);
	pv_show_replacements(d);
	pr_info("d%u %s: unplug done in %llu us: %u PV devices now, the last %u replacing emulated ones",
		d->id, d->name, (unsigned long long)((now_ns() - t0) / 1000),
		d->nr_pvdevs, d->nr_pvdevs - d->nr_pvdevs_plain);
}

/*
 * Two vCPUs may ask at once: one does the work, the other waits for it
 * (it runs on another pCPU: a vCPU in a hypercall keeps its pCPU), so
 * both return with the devices unplugged.
 */
int64_t hc_unplug(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	struct pc_platform *pf = domain_is_hvm(d) ? d->platform : NULL;
	uint64_t op = a[0];
	uint32_t slots, expect = UNPLUG_PLUGGED;

	if (op != PVKIT_UNPLUG_QUERY && op != PVKIT_UNPLUG_DO)
		return -PVKIT_EINVAL;
	slots = pf ? unplug_slots(pf) : 0;
	if (!slots)
		return -PVKIT_ENOENT;
	if (op == PVKIT_UNPLUG_DO &&
	    __atomic_compare_exchange_n(&pf->unplug_state, &expect,
					UNPLUG_RUNNING, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		unplug_all(d, pf, slots);
		__atomic_store_n(&pf->unplug_state, UNPLUG_DONE,
				 __ATOMIC_SEQ_CST);
	}
	while (op == PVKIT_UNPLUG_DO &&
	       __atomic_load_n(&pf->unplug_state, __ATOMIC_ACQUIRE) ==
	       UNPLUG_RUNNING)
		cpu_relax();
	if (__atomic_load_n(&pf->unplug_state, __ATOMIC_ACQUIRE) == UNPLUG_DONE)
		return (int64_t)(slots | PVKIT_UNPLUG_DONE);
	return slots;
}
