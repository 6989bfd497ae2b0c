// SPDX-License-Identifier: GPL-2.0
/*
 * Handing a PCI function to a domain (pci=BB:DD.F) and taking it back.
 * A disk or NIC passed through (disk=ID,mode=passthrough,pci=BB:DD.F,
 * or net=) must be a function of that kind: a line meant for a disk
 * that names the NIC would hand the guest the wrong device.
 *
 * Before a guest sees it, the function is claimed (so no driver of the
 * hypervisor and no other domain has it), stopped (bus mastering off,
 * MSI off), its DMA blocked, reset where it can be (PCI Express function
 * level reset) and only then attached to the domain's I/O page tables.
 * When the domain ends it is quarantined: bus mastering and MSI off and
 * its IOMMU context blocked, so a DMA still queued in the function
 * reaches nothing and is reported as a fault.
 *
 * A domain with after=NAME may name NAME's functions too: it takes
 * them over when it starts, once NAME has ended, as a new assignment
 * (reset, attached to its own I/O page tables, new vectors).  A
 * function with no reset keeps whatever it had queued, so it is handed
 * over only HANDOVER_SETTLE_NS after its quarantine: work it started
 * before then has met bus mastering off and the blocked context.
 */
#include <lib/compiler.h>
#include <lib/printf.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/emul/pci_host.h>
#include <hv/iommu.h>
#include <hv/mm.h>
#include <hv/passthrough.h>
#include <hv/pc_platform.h>
#include <hv/platform.h>
#include <hv/printk.h>
#include <hv/system.h>
#include <hv/time.h>
#include "pt.h"

#define FLR_WAIT_NS	100000000ull	/* PCIe: 100 ms after an FLR */
#define DRAIN_WAIT_NS	50000000ull	/* transactions pending, at most */
#define HANDOVER_SETTLE_NS	1000000000ull

#define PT_ASSIGNED_MAX	(PLATFORM_PT_MAX * CONFIG_MAX_DOMAINS)

static struct pt_dev *assigned[PT_ASSIGNED_MAX];
static unsigned int nr_assigned;

/* Functions WAITING domains take over when they start (after=). */
static struct handover {
	struct domain *dom;
	struct pci_dev *hw;
	struct dev_cfg dev;	/* as the module line gave it */
} handovers[PT_ASSIGNED_MAX];
static unsigned int nr_handovers;

struct bdf {
	char s[8];
};

static const char *bdf_str(struct bdf *b, uint16_t rid)
{
	snprintf(b->s, sizeof(b->s), "%02x:%02x.%u", rid >> 8,
		 (rid >> 3) & 0x1f, rid & 7);
	return b->s;
}

/* "pt-" and the host's BDF, as the module line named the function. */
static int exit_source_pt(struct domain *d, uint16_t rid)
{
	char name[EXIT_SOURCE_NAME];
	struct bdf b;

	snprintf(name, sizeof(name), "pt-%s", bdf_str(&b, rid));
	return exit_source(d, name);
}

static void spin_ns(uint64_t ns)
{
	uint64_t end = now_ns() + ns;

	while (now_ns() < end)
		cpu_relax();
}

/* Waits for the function's own DMA to end, as far as it says. */
static void drain(const struct pt_dev *pt)
{
	uint64_t end = now_ns() + DRAIN_WAIT_NS;

	if (!pt->exp_cap)
		return;
	while (pci_read16(pt->hw, pt->exp_cap + PCI_EXP_DEVSTA) &
	       PCI_EXP_DEVSTA_TRPND) {
		if (now_ns() >= end) {
			pr_warn("pci: %02x:%02x.%u still has DMA pending",
				pt->hw->bus, pt->hw->devfn >> 3,
				pt->hw->devfn & 7);
			return;
		}
		cpu_relax();
	}
}

static bool has_flr(const struct pt_dev *pt)
{
	return pt->exp_cap && (pci_read32(pt->hw, pt->exp_cap + PCI_EXP_DEVCAP) &
			       PCI_EXP_DEVCAP_FLR);
}

/*
 * Function level reset where the function has one; the BARs and Command
 * register the firmware set come back after it.  Without one the
 * function's state carries over from its last user, which the boot log
 * says once.
 */
static bool function_reset(struct pt_dev *pt)
{
	uint32_t bars[PCI_NR_BARS];
	uint16_t cmd, ctl;

	if (!has_flr(pt))
		return false;
	cmd = pci_read16(pt->hw, PCI_COMMAND);
	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		bars[i] = pci_read32(pt->hw, PCI_BAR0 + 4 * i);
	drain(pt);
	ctl = pci_read16(pt->hw, pt->exp_cap + PCI_EXP_DEVCTL);
	pci_write16(pt->hw, pt->exp_cap + PCI_EXP_DEVCTL,
		    ctl | PCI_EXP_DEVCTL_BCR_FLR);
	spin_ns(FLR_WAIT_NS);
	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		pci_write32(pt->hw, PCI_BAR0 + 4 * i, bars[i]);
	pci_write16(pt->hw, PCI_COMMAND, cmd & ~PCI_COMMAND_MASTER);
	return true;
}

/* Bus mastering off, DMA drained and blocked; decoding stays on. */
static void quiesce(struct pt_dev *pt)
{
	uint16_t cmd = pci_read16(pt->hw, PCI_COMMAND);

	pci_write16(pt->hw, PCI_COMMAND,
		    (cmd & ~PCI_COMMAND_MASTER) | PCI_COMMAND_MEMORY |
		    PCI_COMMAND_INTX_DISABLE);
	drain(pt);
	iommu->block(pt->rid);
}

/* The memory BARs, placed in the guest's PCI window from *next up. */
static int bars_place(struct pt_dev *pt, uint64_t *next)
{
	struct pci_dev *hw = pt->hw;
	struct domain *d = pt->dom;

	for (unsigned int i = 0; i < PCI_NR_BARS; i++) {
		const struct pci_bar *hb = &hw->bar[i];
		struct pt_bar *b = &pt->bar[i];
		uint32_t reg;

		if (!hb->size || hb->io)
			continue;	/* no port I/O is passed through */
		reg = pci_read32(hw, PCI_BAR0 + 4 * i);
		if (hb->size < PAGE_SIZE) {
			/* Mapping its page would hand out its neighbours too. */
			pr_warn("d%u %s: BAR %u of %llu bytes is hidden: smaller than a page",
				d->id, d->name, i, (unsigned long long)hb->size);
			continue;
		}
		b->hpa = hb->base;
		b->size = hb->size;
		b->flags = (uint8_t)(reg & (PCI_BAR_MEM64 | PCI_BAR_PREFETCH));
		b->home = ALIGN_UP(*next, b->size);
		b->gpa = b->home;
		if (b->home + b->size - 1 > PLATFORM_PCI_MMIO_END ||
		    b->home < *next)
			return -PVKIT_ENOSPC;
		*next = b->home + b->size;
		if (b->flags & PCI_BAR_MEM64)
			i++;
	}
	return 0;
}

static int refuse(struct domain *d, uint16_t rid, const char *why)
{
	struct bdf b;

	pr_err("d%u %s: pci=%s: %s", d->id, d->name, bdf_str(&b, rid), why);
	return -PVKIT_EINVAL;
}

/* The function's latest assignment: a handover adds one. */
static struct pt_dev *owner_of(struct pci_dev *hw)
{
	for (unsigned int i = nr_assigned; i-- > 0;)
		if (assigned[i]->hw == hw)
			return assigned[i];
	return NULL;
}

static struct handover *handover_of(struct pci_dev *hw)
{
	for (unsigned int i = 0; i < nr_handovers; i++)
		if (handovers[i].hw == hw)
			return &handovers[i];
	return NULL;
}

/* Why d may not have the claimed function hw, or NULL. */
static const char *check_claimed(struct domain *d, struct pci_dev *hw)
{
	struct pt_dev *o = owner_of(hw);
	struct handover *h = handover_of(hw);

	if (h && h->dom != d)
		return "already to be taken over by another domain";
	if (h && (!o || o->dom == d->after))
		return NULL;	/* d's own handover, now or at boot */
	if (!o)
		return "driven by the hypervisor itself";
	if (o->dom == d->after)
		return NULL;
	return "already assigned to another domain";
}

/* Why rid cannot be given to d, or NULL. */
static const char *check(struct domain *d, uint16_t rid, struct pci_dev **hw)
{
	if (!iommu_present())
		return "no IOMMU, so no passthrough (under QEMU: -M q35 -device amd-iommu,intremap=on)";
	if (!iommu->intremap && !hv_cfg.unsafe_interrupts)
		return "the IOMMU has no interrupt remapping, so the function's MSI could reach any vector: refused (under QEMU: intremap=on; unsafe_interrupts on the hypervisor's command line allows it)";
	*hw = pci_find_rid(rid);
	if (!*hw)
		return "no such PCI function";
	if ((pci_read8(*hw, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK) !=
	    0)
		return "a PCI bridge: only endpoints are passed through";
	if (!iommu->covers(rid))
		return "not behind the IOMMU";
	if (d->mem_bytes > PLATFORM_PCI_MMIO_BASE)
		return "the domain's RAM reaches its PCI window";
	if ((*hw)->claimed)
		return check_claimed(d, *hw);
	return NULL;
}

static const char *const base_class_names[] = {
	"an unclassified function", "a mass storage controller",
	"a network controller", "a display controller",
	"a multimedia controller", "a memory controller", "a bridge",
	"a communication controller", "a system peripheral",
	"an input device controller", "a docking station", "a processor",
	"a serial bus controller", "a wireless controller",
};

/* A disk or NIC passed through must be a function of its kind. */
static int check_role(struct domain *d, const struct dev_cfg *dev,
		      const struct pci_dev *hw)
{
	bool disk = dev->role == DEV_ROLE_DISK;
	unsigned int want = disk ? PCI_BASE_CLASS_STORAGE :
			    PCI_BASE_CLASS_NETWORK;
	unsigned int base = pci_read32(hw, PCI_CLASS_REVISION) >> 24;
	char why[96];

	if (dev->role == DEV_ROLE_NONE || base == want)
		return 0;
	snprintf(why, sizeof(why), "%s (class %02x), not a %s (%s=%u)",
		 base < ARRAY_SIZE(base_class_names) ?
		 base_class_names[base] : "a function",
		 base, disk ? "disk" : "NIC", disk ? "disk" : "net",
		 dev->role_id);
	return refuse(d, dev->id, why);
}

/* Whether d may have dev's function: 0 with *hw, or a refusal. */
static int admit(struct domain *d, const struct dev_cfg *dev,
		 struct pci_dev **hw)
{
	const char *why = check(d, dev->id, hw);

	if (why)
		return refuse(d, dev->id, why);
	return check_role(d, dev, *hw);
}

static int attach(struct pt_dev *pt)
{
	struct bdf b;
	int ret;

	quiesce(pt);
	if (!function_reset(pt))
		pr_info("pci: %s has no function level reset: its state carries over",
			bdf_str(&b, pt->rid));
	ret = iommu->attach(pt->rid, pt->dom);
	if (!ret)
		ret = pt_pci_irq_init(pt);
	return ret;
}

static void caps_find(struct pt_dev *pt)
{
	struct pt_msi *m = &pt->msi;
	uint16_t ctrl;

	pt->exp_cap = (uint8_t)pci_find_cap(pt->hw, PCI_CAP_ID_EXP, 0);
	pt->pm_cap = (uint8_t)pci_find_cap(pt->hw, PCI_CAP_ID_PM, 0);
	m->cap = (uint8_t)pci_find_cap(pt->hw, PCI_CAP_ID_MSI, 0);
	if (!m->cap)
		return;
	ctrl = pci_read16(pt->hw, m->cap + PCI_MSI_FLAGS);
	m->is64 = ctrl & PCI_MSI_FLAGS_64BIT;
	m->maskable = ctrl & PCI_MSI_FLAGS_MASKBIT;
}

static void log_assigned(const struct pt_dev *pt, unsigned int slot)
{
	struct domain *d = pt->dom;
	struct bdf b;

	pr_info("d%u %s: pci=%s (%04x:%04x) is its 00:%02x.0, MSI %s, MSI-X %u entries",
		d->id, d->name, bdf_str(&b, pt->rid), pt->hw->vendor,
		pt->hw->device, slot, pt->msi.cap ? "remapped" : "none",
		pt->msix.size);
	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		if (pt->bar[i].size)
			pr_info("d%u %s:   BAR %u: guest 0x%llx -> 0x%llx, %llu KiB",
				d->id, d->name, i,
				(unsigned long long)pt->bar[i].home,
				(unsigned long long)pt->bar[i].hpa,
				(unsigned long long)(pt->bar[i].size >> 10));
}

static int assign_one(struct domain *d, const struct dev_cfg *dev,
		      unsigned int n, uint64_t *next)
{
	struct pc_platform *pf = d->platform;
	unsigned int slot = PLATFORM_PT_SLOT(n);
	uint16_t rid = dev->id;
	struct pci_dev *hw = NULL;
	struct pt_dev *pt;
	struct bdf b;
	int ret = admit(d, dev, &hw);

	if (ret)
		return ret;
	pt = kzalloc(sizeof(*pt));
	if (!pt || nr_assigned == PT_ASSIGNED_MAX)
		return refuse(d, rid, "out of memory");
	pci_claim(hw);
	pt->hw = hw;
	pt->rid = rid;
	pt->dom = d;
	pt->exit_src = exit_source_pt(d, rid);
	spin_lock_init(&pt->lock);
	caps_find(pt);
	if (bars_place(pt, next))
		return refuse(d, rid, "its BARs do not fit in the guest's PCI window");
	assigned[nr_assigned++] = pt;
	if (pt_msix_init(pt))
		return refuse(d, rid, "its MSI-X table is not inside its BAR");
	ret = attach(pt);
	if (ret)
		return refuse(d, rid, ret == -PVKIT_ENOSPC ?
			      "no interrupt vector left" :
			      "the IOMMU refused it");
	pt_pci_reset(pt);
	if (pci_host_add_function(&pf->pci, PCI_DEVFN(slot, 0),
				  &pt_pci_cfg_ops, pt))
		return refuse(d, rid, "its slot is taken");
	pf->pt[pf->nr_pt++] = pt;
	log_assigned(pt, slot);
	if (!iommu->intremap)
		pr_warn("d%u %s: pci=%s: no interrupt remapping (unsafe_interrupts): a DMA write of this function can raise any interrupt of the machine",
			d->id, d->name, bdf_str(&b, rid));
	return 0;
}

/* At boot, for a WAITING domain: hw is held for it until it starts. */
static int handover_add(struct domain *d, const struct dev_cfg *dev)
{
	struct pci_dev *hw = NULL;
	struct handover *h;
	int ret = admit(d, dev, &hw);

	if (ret)
		return ret;
	if (nr_handovers == PT_ASSIGNED_MAX)
		return refuse(d, dev->id, "out of memory");
	pci_claim(hw);
	h = &handovers[nr_handovers++];
	h->dom = d;
	h->hw = hw;
	h->dev = *dev;
	return 0;
}

int pt_domain_create(struct domain *d, const struct domain_cfg *cfg)
{
	uint64_t next = PLATFORM_PCI_MMIO_BASE;
	unsigned int n = 0;

	for (unsigned int i = 0; i < cfg->nr_devs; i++) {
		const struct dev_cfg *dev = &cfg->devs[i];
		int ret;

		if (dev->type != DEV_TYPE_PCI)
			continue;
		if (n++ == PLATFORM_PT_MAX)
			return refuse(d, dev->id, "too many PCI functions for one domain");
		ret = d->after ? handover_add(d, dev) :
				 assign_one(d, dev, d->platform->nr_pt, &next);
		if (ret)
			return ret;
	}
	return 0;
}

bool pt_domain_ready(struct domain *d, uint64_t now)
{
	for (unsigned int i = 0; i < nr_handovers; i++) {
		struct pt_dev *o = owner_of(handovers[i].hw);

		if (handovers[i].dom != d || !o || o->dom == d)
			continue;
		if (!o->quarantined || now < o->free_at)
			return false;
	}
	return true;
}

int pt_domain_start(struct domain *d)
{
	uint64_t next = PLATFORM_PCI_MMIO_BASE;

	for (unsigned int i = 0; i < nr_handovers; i++) {
		struct handover *h = &handovers[i];
		struct pt_dev *o = owner_of(h->hw);
		struct bdf b;
		int ret;

		if (h->dom != d)
			continue;
		ret = assign_one(d, &h->dev, d->platform->nr_pt, &next);
		if (ret)
			return ret;
		if (o)
			pr_info("d%u %s: pci=%s taken over from d%u %s",
				d->id, d->name, bdf_str(&b, o->rid),
				o->dom->id, o->dom->name);
	}
	return 0;
}

void pt_domain_reset(struct domain *d)
{
	struct pc_platform *pf = d->platform;

	for (unsigned int i = 0; i < pf->nr_pt; i++) {
		struct pt_dev *pt = pf->pt[i];

		pt_pci_stop(pt);
		drain(pt);
		function_reset(pt);
		pt_pci_reset(pt);
		pci_host_add_function(&pf->pci, PCI_DEVFN(PLATFORM_PT_SLOT(i), 0),
				      &pt_pci_cfg_ops, pt);
	}
}

void pt_domain_end(struct domain *d)
{
	struct pc_platform *pf = d->platform;

	for (unsigned int i = 0; i < pf->nr_pt; i++) {
		struct pt_dev *pt = pf->pt[i];
		uint64_t settle = has_flr(pt) ? 0 : HANDOVER_SETTLE_NS;
		struct bdf b;

		spin_lock(&pt->lock);
		pt->quarantined = true;
		pt->free_at = now_ns() + settle;
		spin_unlock(&pt->lock);
		pt_pci_stop(pt);
		quiesce(pt);
		iommu->poll_faults();
		pr_info("d%u %s: pci=%s quarantined: %llu interrupts forwarded, %llu dropped, %llu config writes refused",
			d->id, d->name, bdf_str(&b, pt->rid),
			(unsigned long long)pt->irqs,
			(unsigned long long)pt->dropped,
			(unsigned long long)pt->cfg_refused);
	}
}
