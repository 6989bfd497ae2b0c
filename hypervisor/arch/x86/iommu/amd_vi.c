// SPDX-License-Identifier: GPL-2.0
/*
 * AMD-Vi, the AMD IOMMU, behind hv/iommu.h: one IOMMU (the one the IVRS
 * describes best, see asm/ivrs.h), its device table, command buffer and
 * I/O page tables; the event log is amd_vi_evt.c's.
 *
 * Every device table entry starts all zero, V=0: DMA and interrupts
 * pass untranslated, as the hypervisor's own drivers (virtio) need.
 * attach() points an entry at its domain's I/O page table (4 levels,
 * GPA [0, mem_bytes) to mem_hpa + GPA, 2 MiB pages where aligned, one
 * table per domain, shared by its functions) and at a per-function
 * interrupt remapping table (legacy 32-bit entries, all invalid until
 * irq_map()).  block() turns translation on with no access at all, so
 * every DMA faults, and aborts interrupts.  Each change is followed by
 * the invalidations that make the IOMMU drop what it cached and a
 * completion wait.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/acpi.h>
#include <asm/iommu.h>
#include <asm/mmio.h>
#include <asm/processor.h>
#include <hv/domain.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/time.h>
#include "amd_vi.h"

#define CMD_OP_SHIFT		60
#define CMD_COMPLETION_WAIT	(0x1ull << CMD_OP_SHIFT)
#define CMD_INV_DEVTAB		(0x2ull << CMD_OP_SHIFT)
#define CMD_INV_PAGES		(0x3ull << CMD_OP_SHIFT)
#define CMD_INV_IRT		(0x5ull << CMD_OP_SHIFT)
#define CW_STORE		(1ull << 0)
#define CW_ADDR_MASK		0x000ffffffffffff8ull
/* Every page of the domain: the largest S=1 size, and the PDE caches. */
#define INV_WHOLE_DOMAIN	(0x7ffffffffffff000ull | 0x3)
#define CMD_TIMEOUT_NS		100000000ull

#define PTE_P			(1ull << 0)
#define PTE_NL_SHIFT		9
#define PTE_NL(e)		(((e) >> PTE_NL_SHIFT) & 7)
#define PTE_ADDR_MASK		0x000ffffffffff000ull
#define PTE_IR			(1ull << 61)
#define PTE_IW			(1ull << 62)
#define PT_LEVELS		4	/* DTE mode 4: 48-bit bus addresses */
#define DTE_MODE		((uint64_t)PT_LEVELS)
#define PT_ENTRIES		512
#define PT_INDEX(a, l)		(((a) >> (12 + 9 * ((l) - 1))) & 511)
/*
 * Every unused entry of every table we make: not present (P=0), but
 * with next level 1 rather than all zero.  Real hardware checks P first
 * and ignores the other bits of a non-present entry.  QEMU 7.2's walk
 * (amdvi_page_walk) returns silently, blocking the access without any
 * fault, when an entry it loads reads as zero; it reports IO_PAGE_FAULT
 * only at the present check at the top of its loop, which it reaches
 * again only for a non-zero next level.  So this filler is what makes
 * QEMU report every DMA outside the domain.
 */
#define PTE_FILLER		(1ull << PTE_NL_SHIFT)

#define IRT_LEN_LOG2		6	/* IOMMU_IRQS_MAX entries */
/*
 * The table is allocated for the largest length the format has, 2048
 * entries, every one past IOMMU_IRQS_MAX left invalid: QEMU 7.2 indexes
 * it with all eleven index bits of the MSI data, whatever IntTabLen
 * says, so a DMA write naming entry 2047 must still land on a zero.
 */
#define IRT_PAGES		2
#define IRTE_VALID		(1u << 0)
#define IRTE_DEST_SHIFT		8	/* physical APIC id, fixed delivery */
#define IRTE_VECTOR_SHIFT	16
#define MSI_ADDR_BASE		0xfee00000ull
#define MSI_REMAPPED_ADDR	MSI_ADDR_BASE

#define PT_CACHE_MAX		16
/* Blocked functions' DomainID: a domain's is d->id + 1, never 0. */
#define DOMID_BLOCKED		0

struct amd_vi amd_vi;

static struct iommu_ops amd_vi_ops;
static volatile uint64_t cw_sem __aligned(8);
static uint64_t cw_seq;
static uint32_t cmd_tail;
static uint64_t blocked_root;

static struct pt_cache {
	uint16_t domid;
	uint64_t hpa, bytes;
	uint64_t root;
} pts[PT_CACHE_MAX];

uint32_t amd_vi_read32(unsigned int reg)
{
	return mmio_read32(amd_vi.mmio + reg);
}

void amd_vi_write32(unsigned int reg, uint32_t v)
{
	mmio_write32(amd_vi.mmio + reg, v);
}

/*
 * QEMU 7.2 publishes the head before wrapping it, so it reads as the
 * ring's size for a moment: taken modulo the ring, as the IOMMU uses it.
 */
static uint32_t cmd_head(void)
{
	return (amd_vi_read32(MMIO_CMD_HEAD) & RING_PTR_MASK) % RING_BYTES;
}

static int cmd_post(uint64_t w0, uint64_t w1)
{
	uint32_t next = (cmd_tail + 16) % RING_BYTES;
	volatile uint64_t *slot = (volatile uint64_t *)(amd_vi.cmd + cmd_tail);
	uint64_t deadline = now_ns() + CMD_TIMEOUT_NS;

	/* Full while the tail would catch up with the head. */
	while (cmd_head() == next) {
		if (now_ns() > deadline) {
			pr_err("iommu: command buffer stuck at head %#x",
			       cmd_head());
			return -PVKIT_EIO;
		}
		cpu_relax();
	}
	slot[0] = w0;
	slot[1] = w1;
	barrier();
	cmd_tail = next;
	amd_vi_write32(MMIO_CMD_TAIL, cmd_tail);
	return 0;
}

/* Waits until the IOMMU has carried out every command posted before. */
static int cmd_sync(void)
{
	uint64_t seq = ++cw_seq, deadline;
	uint64_t pa = virt_to_phys((const void *)&cw_sem);

	if (cmd_post(CMD_COMPLETION_WAIT | (pa & CW_ADDR_MASK) | CW_STORE, seq))
		return -PVKIT_EIO;
	deadline = now_ns() + CMD_TIMEOUT_NS;
	while (cw_sem != seq) {
		if (now_ns() > deadline) {
			pr_err("iommu: completion wait timed out, head %#x tail %#x status %#x",
			       cmd_head(), cmd_tail,
			       amd_vi_read32(MMIO_STATUS));
			return -PVKIT_EIO;
		}
		cpu_relax();
	}
	return 0;
}

static volatile uint64_t *dte(uint16_t rid)
{
	return amd_vi.devtab + 4u * rid;
}

static uint16_t dte_domid(uint16_t rid)
{
	volatile uint64_t *e = dte(rid);

	if ((e[0] & (DTE_V | DTE_TV)) != (DTE_V | DTE_TV))
		return DOMID_BLOCKED;
	return (uint16_t)(e[1] & DTE_DOMID_MASK);
}

static int dte_flush(uint16_t rid, uint16_t old_domid, uint16_t domid)
{
	int ret = cmd_post(CMD_INV_DEVTAB | rid, 0);

	if (!ret && old_domid && old_domid != domid)
		ret = cmd_post(CMD_INV_PAGES | (uint64_t)old_domid << 32,
			       INV_WHOLE_DOMAIN);
	if (!ret && domid)
		ret = cmd_post(CMD_INV_PAGES | (uint64_t)domid << 32,
			       INV_WHOLE_DOMAIN);
	if (!ret)
		ret = cmd_post(CMD_INV_IRT | rid, 0);
	return ret ? ret : cmd_sync();
}

/*
 * Word 0 (V, translation) last: until the IOMMU reloads the entry after
 * the invalidation, either the old entry or the new one applies.
 */
static int dte_set_one(uint16_t rid, uint64_t w0, uint64_t w1, uint64_t w2)
{
	volatile uint64_t *e = dte(rid);
	uint16_t old = dte_domid(rid);

	e[1] = w1;
	e[2] = w2;
	barrier();
	e[0] = w0;
	return dte_flush(rid, old, (uint16_t)(w1 & DTE_DOMID_MASK));
}

/* A function behind an alias is seen with the alias's id: both set. */
static int dte_set(uint16_t rid, uint64_t w0, uint64_t w1, uint64_t w2)
{
	uint16_t as = ivrs_alias_of(&amd_vi.ivrs, rid);
	int ret = dte_set_one(rid, w0, w1, w2);

	return ret || as == rid ? ret : dte_set_one(as, w0, w1, w2);
}

static uint64_t *pt_new(void)
{
	uint64_t pa = pages_alloc_zeroed(1, PAGE_SIZE);
	uint64_t *t;

	if (!pa)
		return NULL;
	t = phys_to_virt(pa);
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		t[i] = PTE_FILLER;
	return t;
}

static void pt_free(uint64_t *t, unsigned int level)
{
	for (unsigned int i = 0; level > 1 && i < PT_ENTRIES; i++) {
		if ((t[i] & PTE_P) && PTE_NL(t[i]))
			pt_free(phys_to_virt(t[i] & PTE_ADDR_MASK), level - 1);
	}
	pages_free(virt_to_phys(t), 1);
}

/* gpa's entry at level (1: 4 KiB, 2: 2 MiB), making the tables above. */
static uint64_t *pt_slot(uint64_t *t, uint64_t gpa, unsigned int level)
{
	for (unsigned int l = PT_LEVELS; l > level; l--) {
		uint64_t *e = &t[PT_INDEX(gpa, l)];

		if (!(*e & PTE_P)) {
			uint64_t *n = pt_new();

			if (!n)
				return NULL;
			*e = virt_to_phys(n) | (uint64_t)(l - 1) << PTE_NL_SHIFT |
			     PTE_P | PTE_IR | PTE_IW;
		}
		t = phys_to_virt(*e & PTE_ADDR_MASK);
	}
	return &t[PT_INDEX(gpa, level)];
}

static uint64_t pt_build(const struct domain *d)
{
	uint64_t *root = pt_new();

	for (uint64_t gpa = 0; root && gpa < d->mem_bytes;) {
		uint64_t hpa = d->mem_hpa + gpa;
		bool big = !((gpa | hpa) & (MB(2) - 1)) &&
			   d->mem_bytes - gpa >= MB(2);
		uint64_t *e = pt_slot(root, gpa, big ? 2 : 1);

		if (!e) {
			pt_free(root, PT_LEVELS);
			return 0;
		}
		/* A leaf: next level 0; at level 2 that is a 2 MiB page. */
		*e = hpa | PTE_P | PTE_IR | PTE_IW;
		gpa += big ? MB(2) : PAGE_SIZE;
	}
	return root ? virt_to_phys(root) : 0;
}

/*
 * The domain's table, made on its first attach and kept: its functions
 * share it.  A domain's tables are not freed when it ends (nothing tells
 * the IOMMU), so the cache holds PT_CACHE_MAX domains over a boot.
 */
static uint64_t domain_pt(const struct domain *d, uint16_t domid)
{
	struct pt_cache *free = NULL;

	for (unsigned int i = 0; i < PT_CACHE_MAX; i++) {
		struct pt_cache *p = &pts[i];

		if (p->root && p->domid == domid && p->hpa == d->mem_hpa &&
		    p->bytes == d->mem_bytes)
			return p->root;
		if (!p->root && !free)
			free = p;
	}
	if (!free) {
		pr_warn("iommu: I/O page tables for more than %u domains",
			PT_CACHE_MAX);
		return 0;
	}
	free->root = pt_build(d);
	free->domid = domid;
	free->hpa = d->mem_hpa;
	free->bytes = d->mem_bytes;
	return free->root;
}

static volatile uint32_t *irt_of(uint16_t rid)
{
	uint64_t root = dte(rid)[2] & DTE_IRT_MASK;

	return root ? phys_to_virt(root) : NULL;
}

static void irt_clear(volatile uint32_t *irt)
{
	for (unsigned int i = 0; irt && i < IOMMU_IRQS_MAX; i++)
		irt[i] = 0;
}

static bool amd_vi_covers(uint16_t rid)
{
	return ivrs_covers(&amd_vi.ivrs, rid);
}

static int domain_ok(const struct domain *d)
{
	if (!d || d->id >= 0xffff || !d->mem_bytes ||
	    ((d->mem_hpa | d->mem_bytes) & (PAGE_SIZE - 1)) ||
	    d->mem_bytes > (1ull << 48) || d->mem_hpa > PTE_ADDR_MASK ||
	    d->mem_hpa + d->mem_bytes - 1 > PTE_ADDR_MASK)
		return -PVKIT_EINVAL;
	return 0;
}

static int amd_vi_attach(uint16_t rid, struct domain *d)
{
	uint16_t domid;
	uint64_t root, w2 = 0;
	volatile uint32_t *irt;
	int ret = domain_ok(d);

	if (!amd_vi_covers(rid))
		return -PVKIT_ENOENT;
	if (ret)
		return ret;
	domid = (uint16_t)(d->id + 1);
	spin_lock(&amd_vi.lock);
	root = domain_pt(d, domid);
	irt = irt_of(rid);
	if (root && !irt && amd_vi_ops.intremap)
		irt = phys_to_virt(pages_alloc_zeroed(IRT_PAGES, PAGE_SIZE));
	if (!root || (amd_vi_ops.intremap && !irt)) {
		ret = -PVKIT_ENOMEM;
		goto out;
	}
	/* The new owner starts with no interrupt of the last one's. */
	irt_clear(irt);
	if (amd_vi_ops.intremap)
		w2 = DTE_IV | (uint64_t)IRT_LEN_LOG2 << DTE_INTTABLEN_SHIFT |
		     (virt_to_phys((const void *)irt) & DTE_IRT_MASK) |
		     INTCTL_REMAP << DTE_INTCTL_SHIFT;
	ret = dte_set(rid, DTE_V | DTE_TV | DTE_MODE << DTE_MODE_SHIFT | root |
			   DTE_IR | DTE_IW, domid, w2);
out:
	spin_unlock(&amd_vi.lock);
	return ret;
}

/*
 * Translation on with IR=IW=0 in the entry itself: real hardware denies
 * every access, and QEMU 7.2 faults (and reports) at its walk's first
 * check, before reading any table.  The root still names a table of
 * fillers, so no hardware finds garbage there.  Interrupts: IntCtl
 * abort, and the remapping table (if any) cleared for the next owner.
 */
static void amd_vi_block(uint16_t rid)
{
	volatile uint32_t *irt;
	uint64_t w2;

	if (!amd_vi_covers(rid))
		return;
	spin_lock(&amd_vi.lock);
	irt = irt_of(rid);
	irt_clear(irt);
	w2 = DTE_IV | INTCTL_ABORT << DTE_INTCTL_SHIFT;
	if (irt)
		w2 |= (uint64_t)IRT_LEN_LOG2 << DTE_INTTABLEN_SHIFT |
		      (virt_to_phys((const void *)irt) & DTE_IRT_MASK);
	if (dte_set(rid, DTE_V | DTE_TV | DTE_MODE << DTE_MODE_SHIFT |
			 blocked_root, DOMID_BLOCKED, w2))
		pr_err("iommu: blocking %02x:%02x.%u may not have taken effect",
		       rid >> 8, (rid >> 3) & 31, rid & 7);
	spin_unlock(&amd_vi.lock);
}

/*
 * The IOAPIC's and the HPETs' requester ids (the IVRS special entries)
 * may send nothing: the hypervisor programs neither, and QEMU 7.2 gives
 * a DMA write that carries no requester id, any function's write into
 * the MSI window among them, the IOAPIC's, whose open entry would let
 * it reach the local APICs unremapped: a vector of the guest's choice,
 * an exception vector even, on the hypervisor's CPU.
 */
static void specials_block(void)
{
	const struct ivrs_info *iv = &amd_vi.ivrs;

	spin_lock(&amd_vi.lock);
	for (unsigned int i = 0; i < iv->nr_special; i++) {
		uint16_t rid = iv->special[i].rid;

		if (rid >= amd_vi.devtab_entries ||
		    dte_set(rid, DTE_V | DTE_TV | DTE_MODE << DTE_MODE_SHIFT |
				 blocked_root, DOMID_BLOCKED,
			    DTE_IV | INTCTL_ABORT << DTE_INTCTL_SHIFT))
			pr_warn("iommu: %02x:%02x.%u (an IOAPIC or HPET) not blocked",
				rid >> 8, (rid >> 3) & 31, rid & 7);
	}
	spin_unlock(&amd_vi.lock);
}

/*
 * The remapped MSI format: address 0xfee00000 exactly (no destination,
 * no high bits), data bits 10:0 the entry's index, which for an index
 * below 256 also leaves the delivery mode bits (10:8) at fixed.  With
 * no remapping, the plain message (physical destination, fixed, edge),
 * which passes the IOMMU as it is: assign.c allows that only with
 * unsafe_interrupts.
 */
static int amd_vi_irq_map(uint16_t rid, unsigned int index, uint8_t vector,
			  uint32_t apic_id, uint64_t *addr, uint32_t *data)
{
	volatile uint32_t *irt;
	int ret;

	if (!amd_vi_covers(rid))
		return -PVKIT_ENOENT;
	if (index >= IOMMU_IRQS_MAX || apic_id > 0xff)
		return -PVKIT_EINVAL;
	if (!amd_vi_ops.intremap) {
		*addr = MSI_ADDR_BASE | apic_id << 12;
		*data = vector;
		return 0;
	}
	spin_lock(&amd_vi.lock);
	irt = irt_of(rid);
	/* Only an attached function remaps: attach() comes first. */
	if (!irt || ((dte(rid)[2] & DTE_INTCTL_MASK) >> DTE_INTCTL_SHIFT) !=
		    INTCTL_REMAP) {
		ret = -PVKIT_EINVAL;
		goto out;
	}
	irt[index] = IRTE_VALID | apic_id << IRTE_DEST_SHIFT |
		     (uint32_t)vector << IRTE_VECTOR_SHIFT;
	barrier();
	ret = cmd_post(CMD_INV_IRT | rid, 0);
	if (!ret && ivrs_alias_of(&amd_vi.ivrs, rid) != rid)
		ret = cmd_post(CMD_INV_IRT | ivrs_alias_of(&amd_vi.ivrs, rid), 0);
	ret = ret ? ret : cmd_sync();
	*addr = MSI_REMAPPED_ADDR;
	*data = index;
out:
	spin_unlock(&amd_vi.lock);
	return ret;
}

static struct iommu_ops amd_vi_ops = {
	.name = "AMD-Vi",
	.covers = amd_vi_covers,
	.attach = amd_vi_attach,
	.block = amd_vi_block,
	.irq_map = amd_vi_irq_map,
	.poll_faults = amd_vi_poll_faults,
	.faults = amd_vi_faults,
};

static void mmio_write64_reg(unsigned int reg, uint64_t v)
{
	mmio_write64(amd_vi.mmio + reg, v);
}

/*
 * The device table covers every function of each bus up to the highest
 * covered one: QEMU reads the entry of any requester id on its buses,
 * without checking the table's size.
 */
static int tables_alloc(void)
{
	uint32_t entries = ((uint32_t)amd_vi.ivrs.max_rid | 0xff) + 1;
	uint64_t pages = entries * 32ull / PAGE_SIZE;
	uint64_t devtab = pages_alloc_zeroed(pages, PAGE_SIZE);
	uint64_t cmd = pages_alloc_zeroed(1, PAGE_SIZE);
	uint64_t evt = pages_alloc_zeroed(1, PAGE_SIZE);
	uint64_t *blocked = pt_new();

	if (!devtab || !cmd || !evt || !blocked) {
		pr_warn("iommu: no memory for the AMD-Vi tables");
		return -PVKIT_ENOMEM;	/* boot: what was taken stays */
	}
	amd_vi.devtab = phys_to_virt(devtab);
	amd_vi.devtab_entries = entries;
	amd_vi.cmd = phys_to_virt(cmd);
	amd_vi.evt = phys_to_virt(evt);
	blocked_root = virt_to_phys(blocked);
	mmio_write64_reg(MMIO_DEVTAB, devtab | (pages - 1));
	mmio_write64_reg(MMIO_CMD_BASE, cmd | RING_LEN_LOG2 << 56);
	mmio_write64_reg(MMIO_EVT_BASE, evt | RING_LEN_LOG2 << 56);
	amd_vi_write32(MMIO_CMD_HEAD, 0);
	amd_vi_write32(MMIO_CMD_TAIL, 0);
	amd_vi_write32(MMIO_EVT_HEAD, 0);
	amd_vi_write32(MMIO_EVT_TAIL, 0);
	amd_vi_write32(MMIO_STATUS, STS_EVT_OVERFLOW | STS_EVT_INT);
	return 0;
}

static int window_map(void)
{
	const struct ivrs_info *iv = &amd_vi.ivrs;
	uint64_t efr;

	if (iv->segment) {
		pr_warn("iommu: AMD-Vi on PCI segment %u, only segment 0 is supported",
			iv->segment);
		return -PVKIT_EINVAL;
	}
	if (iv->base + MMIO_WINDOW > HV_MAPPED_LIMIT ||
	    arch_mmio_uncached(iv->base, MMIO_WINDOW)) {
		pr_warn("iommu: AMD-Vi registers at %#llx are outside the identity map",
			(unsigned long long)iv->base);
		return -PVKIT_EINVAL;
	}
	amd_vi.mmio = (volatile uint8_t *)(uintptr_t)iv->base;
	efr = amd_vi_read32(MMIO_EFR) |
	      (uint64_t)amd_vi_read32(MMIO_EFR + 4) << 32;
	if (efr == ~0ull) {
		pr_warn("iommu: nothing answers at the AMD-Vi registers %#llx",
			(unsigned long long)iv->base);
		return -PVKIT_EINVAL;
	}
	/* Left on by firmware or an earlier kernel: start from off. */
	if (amd_vi_read32(MMIO_CONTROL) & CTL_IOMMU_EN)
		amd_vi_write32(MMIO_CONTROL, 0);
	return 0;
}

/*
 * Interrupt remapping: QEMU 7.2 reports it nowhere (its IVHD flags,
 * IVinfo and EFR are the same with intremap=on and off, the EFR even
 * claims GASup), and with intremap=off it drops every MSI whose entry
 * has IV=1.  What does change is the IVRS: an IOAPIC special entry
 * only with intremap=on.  Real IOMMUs all remap, and Linux too refuses
 * to remap without an IOAPIC in the IVRS; that entry is the signal.
 */
static bool intremap_usable(void)
{
	return ivrs_has_ioapic(&amd_vi.ivrs);
}

const struct iommu_ops *amd_vi_probe(void)
{
	const struct ivrs_info *iv = &amd_vi.ivrs;
	const void *t;
	uint32_t len;

	t = acpi_find_table("IVRS", &len);
	if (!t) {
		/* Most machines: iommu_init()'s line says it. */
		pr_debug("iommu: no ACPI IVRS, no AMD-Vi");
		return NULL;
	}
	if (ivrs_parse(t, len, &amd_vi.ivrs) || window_map() ||
	    tables_alloc())
		return NULL;
	spin_lock_init(&amd_vi.lock);
	spin_lock_init(&amd_vi.evt_lock);
	amd_vi_ops.intremap = intremap_usable();
	amd_vi_evt_init();
	amd_vi_write32(MMIO_CONTROL, CTL_IOMMU_EN | CTL_EVT_LOG_EN |
				     CTL_EVT_INT_EN | CTL_CMD_BUF_EN);
	if (cmd_sync()) {
		amd_vi_write32(MMIO_CONTROL, 0);
		pr_warn("iommu: AMD-Vi does not carry out commands, left off");
		return NULL;
	}
	if (amd_vi_ops.intremap)
		specials_block();
	pr_info("iommu: AMD-Vi at %#llx, %02x:%02x.%u, IVHD type %#x, %u functions covered, interrupt remapping %s",
		(unsigned long long)iv->base, iv->iommu_rid >> 8,
		(iv->iommu_rid >> 3) & 31, iv->iommu_rid & 7, iv->type,
		iv->nr_covered, amd_vi_ops.intremap ? "on" : "off");
	return &amd_vi_ops;
}
