// SPDX-License-Identifier: GPL-2.0
/*
 * The switch from the emulated disk and NIC to PV (PVKIT_HC_UNPLUG).
 * The hypervisor says which functions of bus 0 have PV replacements; a
 * driver that already bound one (coldplug often loads ata_piix and
 * e1000 first) lets it go through the PCI hot-remove path, which
 * flushes the disk's cache (sd's SYNCHRONIZE CACHE) and drains its
 * queue, and only then does the hypervisor unplug them and offer the
 * replacements.  A disk that is open or mounted, or a NIC that is up,
 * is in use: nothing is unplugged, so a root filesystem on the emulated
 * disk keeps running there (docs/emulated-devices.md, the unplug).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blkdev.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include "hypercall.h"
#include "pvkit_core.h"

static bool unplug = true;
module_param(unplug, bool, 0444);
MODULE_PARM_DESC(unplug, "hand the emulated devices that have PV replacements over to PV (default on)");

static bool dev_has_class(struct device *dev, const char *name)
{
	return dev->class && !strcmp(dev->class->name, name);
}

/*
 * Why a device under the function cannot go now, or NULL.  Open counts
 * a mount (the filesystem holds its disk open) and a partition (its
 * opener opens the whole disk too).
 */
static const char *dev_busy(struct device *dev)
{
	if (dev_has_class(dev, "block")) {
		struct block_device *bdev = dev_to_bdev(dev);

		if (atomic_read(&bdev->bd_openers))
			return "open or mounted";
		sync_blockdev(bdev);
	}
	if (dev_has_class(dev, "net") && (to_net_dev(dev)->flags & IFF_UP))
		return "up";
	return NULL;
}

struct busy {
	const char *why;
	const char *name;
};

static int busy_walk(struct device *dev, void *data)
{
	struct busy *b = data;

	b->why = dev_busy(dev);
	if (b->why) {
		b->name = dev_name(dev);
		return 1;
	}
	return device_for_each_child(dev, data, busy_walk);
}

/* The functions the hypervisor names, each with a reference held. */
static unsigned int get_functions(u32 slots, struct pci_dev **fns)
{
	unsigned int n = 0, slot;

	/* Slot 0 is the host bridge: its bit is PVKIT_UNPLUG_DONE. */
	for (slot = 1; slot < 32; slot++) {
		struct pci_dev *fn;

		if (!(slots & BIT(slot)))
			continue;
		/* Not there: a kernel that never found it, or removed. */
		fn = pci_get_domain_bus_and_slot(0, 0, PCI_DEVFN(slot, 0));
		if (fn)
			fns[n++] = fn;
	}
	return n;
}

/*
 * All of them or none: a root filesystem on the disk keeps it, and its
 * NIC stays emulated with it rather than the guest half switched.
 */
static int check_idle(struct device *plat, struct pci_dev **fns,
		      unsigned int n)
{
	struct busy b = { };
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!fns[i]->dev.driver ||
		    !device_for_each_child(&fns[i]->dev, &b, busy_walk))
			continue;
		dev_err(plat, "%s (%s): %s is %s: emulated devices kept, their PV replacements not offered\n",
			pci_name(fns[i]), fns[i]->dev.driver->name, b.name,
			b.why);
		return -EBUSY;
	}
	return 0;
}

/*
 * The functions are still on the hypervisor's bus when the call fails:
 * a rescan gives them back to their drivers rather than leave the guest
 * with neither.
 */
static long unplug_call(struct pci_dev *plat_pdev, u32 slots)
{
	struct device *plat = &plat_pdev->dev;
	ktime_t t0 = ktime_get();
	long rc = pvkit_hc1(PVKIT_HC_UNPLUG, PVKIT_UNPLUG_DO);

	if (rc < 0) {
		dev_err(plat, "unplug failed (%ld): emulated devices rescanned, PV replacements not offered\n",
			rc);
		pci_lock_rescan_remove();
		pci_rescan_bus(plat_pdev->bus);
		pci_unlock_rescan_remove();
		return rc;
	}
	dev_info(plat, "unplugged the emulated devices at slots %#x in %lld us: their PV replacements follow\n",
		 slots, ktime_us_delta(ktime_get(), t0));
	return 0;
}

/* Before the PV devices are enumerated: the replacements are among them. */
int pvkit_unplug(struct pvkit_platform *plat)
{
	struct device *dev = &plat->pdev->dev;
	struct pci_dev *fns[32];
	unsigned int n, i;
	long slots;
	int rc;

	if (!(pvkit_hc1(PVKIT_HC_FEATURES, 0) & PVKIT_FEAT_UNPLUG))
		return 0;
	slots = pvkit_hc1(PVKIT_HC_UNPLUG, PVKIT_UNPLUG_QUERY);
	if (slots == -ENOENT)
		return 0;	/* nothing emulated has a PV replacement */
	if (slots < 0)
		return slots;
	if (slots & PVKIT_UNPLUG_DONE) {
		dev_info(dev, "emulated devices at slots %#lx unplugged already\n",
			 slots & ~(long)PVKIT_UNPLUG_DONE);
		return 0;
	}
	if (!unplug) {
		dev_info(dev, "unplug=0: emulated devices at slots %#lx kept\n",
			 slots);
		return 0;
	}
	n = get_functions(slots, fns);
	rc = check_idle(dev, fns, n);
	for (i = 0; i < n; i++) {
		if (!rc) {
			dev_info(dev, "removing %s (%s) for its PV replacement\n",
				 pci_name(fns[i]), fns[i]->dev.driver ?
				 fns[i]->dev.driver->name : "no driver");
			pci_stop_and_remove_bus_device_locked(fns[i]);
		}
		pci_dev_put(fns[i]);
	}
	return rc ? 0 : unplug_call(plat->pdev, slots);
}
