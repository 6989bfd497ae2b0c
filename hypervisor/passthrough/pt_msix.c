// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through function's MSI-X, as its guest sees it.
 *
 * The pages of the BAR holding the MSI-X table are not mapped into the
 * guest: its accesses there exit and come here, where the table is the
 * guest's copy, and the rest of those pages (often the pending bit
 * array) is read and written through to the function.  The function's
 * real table holds what the IOMMU's remapping gave for each entry the
 * guest unmasked: a vector of the hypervisor per entry, which
 * pt_msix_irq() turns into the message the guest wrote.  A guest
 * writing the real table directly cannot happen (those pages are not
 * mapped), and a DMA write naming another remapping entry is dropped by
 * the IOMMU.
 */
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <asm/mmio.h>
#include <asm/msi.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/iommu.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include "pt.h"

#define ENTRY_ADDR_LO	0
#define ENTRY_ADDR_HI	4
#define ENTRY_DATA	8
#define ENTRY_CTRL	12
/* The remapping entries: MSI-X entry i is i; MSI takes the last one. */
#define MSIX_IRTE_MAX	(IOMMU_IRQS_MAX - 1)

static bool entry_live(const struct pt_dev *pt, const struct pt_msix_entry *e)
{
	const struct pt_msix *x = &pt->msix;

	return (x->ctrl & PCI_MSIX_FLAGS_ENABLE) &&
	       !(x->ctrl & PCI_MSIX_FLAGS_MASKALL) &&
	       !(e->ctrl & PCI_MSIX_ENTRY_CTRL_MASK) && !pt->quarantined;
}

/* The guest's message for entry e, once its interrupt fires. */
static void pt_msix_irq(void *arg)
{
	struct pt_msix_entry *e = arg;
	struct pt_dev *pt = e->pt;

	spin_lock(&pt->lock);
	pt_forward(pt, entry_live(pt, e), (uint64_t)e->addr_hi << 32 | e->addr_lo,
		   e->data);
}

static volatile uint8_t *hw_entry(const struct pt_msix *x, unsigned int i)
{
	return x->hw_table + (size_t)i * PCI_MSIX_ENTRY_SIZE;
}

/* Programs entry i through the IOMMU the first time it goes live. */
static int entry_program(struct pt_dev *pt, unsigned int i)
{
	struct pt_msix_entry *e = &pt->msix.e[i];
	volatile uint8_t *h = hw_entry(&pt->msix, i);
	uint64_t addr;
	uint32_t data;

	if (e->programmed)
		return 0;
	if (i >= MSIX_IRTE_MAX)
		return -PVKIT_ENOSPC;
	if (!e->vector)
		e->vector = msi_vector_alloc(pt_msix_irq, e);
	if (!e->vector)
		return -PVKIT_ENOSPC;
	if (iommu->irq_map(pt->rid, i, e->vector, pcpus[0]->apic_id, &addr,
			   &data))
		return -PVKIT_EINVAL;
	mmio_write32(h + ENTRY_ADDR_LO, (uint32_t)addr);
	mmio_write32(h + ENTRY_ADDR_HI, (uint32_t)(addr >> 32));
	mmio_write32(h + ENTRY_DATA, data);
	e->programmed = true;
	return 0;
}

/* The function's entry i masked or not as the guest's view says. */
static void entry_update(struct pt_dev *pt, unsigned int i)
{
	struct pt_msix_entry *e = &pt->msix.e[i];
	bool live = entry_live(pt, e);

	if (live && entry_program(pt, i)) {
		if (!e->refused++)
			pr_warn("d%u %s: MSI-X entry %u not delivered: no remapping entry or vector left",
				pt->dom->id, pt->dom->name, i);
		live = false;
	}
	mmio_write32(hw_entry(&pt->msix, i) + ENTRY_CTRL,
		     live ? 0 : PCI_MSIX_ENTRY_CTRL_MASK);
}

/* The function's own enable follows the guest's; its mask stays off. */
static void msix_update(struct pt_dev *pt)
{
	struct pt_msix *x = &pt->msix;
	unsigned int reg = x->cap + PCI_MSIX_FLAGS;
	uint16_t ctrl = pci_read16(pt->hw, reg) & ~PCI_MSIX_FLAGS_MASKALL;
	bool on = (x->ctrl & PCI_MSIX_FLAGS_ENABLE) && !pt->quarantined;

	for (unsigned int i = 0; i < x->size; i++)
		entry_update(pt, i);
	ctrl = on ? ctrl | PCI_MSIX_FLAGS_ENABLE : ctrl & ~PCI_MSIX_FLAGS_ENABLE;
	pci_write16(pt->hw, reg, ctrl);
}

uint32_t pt_msix_cap_read(const struct pt_dev *pt, unsigned int off)
{
	uint32_t v = pci_read32(pt->hw, pt->msix.cap + off);

	if (off)
		return v;	/* table and PBA offsets, read-only */
	return (v & 0x0000ffffu & ~0xff00u) |
	       (uint32_t)pt_next_shown(pt, (uint8_t)(v >> 8)) << 8 |
	       (uint32_t)(pt->msix.ctrl | (pt->msix.size - 1)) << 16;
}

void pt_msix_cap_write(struct pt_dev *pt, unsigned int off, uint32_t v,
		       uint32_t bytes)
{
	if (off || !(bytes & 0xffff0000u)) {
		pt->cfg_refused++;
		return;
	}
	pt->msix.ctrl = (uint16_t)(v >> 16) &
			(PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	msix_update(pt);
}

/* ---- the trapped pages ---- */

static void table_access(struct pt_dev *pt, uint64_t pos, struct io_access *io)
{
	unsigned int i = (unsigned int)(pos / PCI_MSIX_ENTRY_SIZE);
	unsigned int reg = (unsigned int)(pos % PCI_MSIX_ENTRY_SIZE);
	struct pt_msix_entry *e = &pt->msix.e[i];
	uint32_t *f[4] = { &e->addr_lo, &e->addr_hi, &e->data, &e->ctrl };
	unsigned int n = io->size == 8 ? 2 : 1;

	/* The spec allows dword and aligned qword accesses only. */
	if ((io->size != 4 && io->size != 8) || (reg & (io->size - 1))) {
		if (!io->write)
			io->val = ~0ull;
		return;
	}
	if (!io->write)
		io->val = 0;
	for (unsigned int k = 0; k < n; k++) {
		uint32_t *p = f[reg / 4 + k], w = (uint32_t)(io->val >> (32 * k));

		if (!io->write)
			io->val |= (uint64_t)*p << (32 * k);
		else
			*p = p == &e->ctrl ? w & PCI_MSIX_ENTRY_CTRL_MASK : w;
	}
	if (io->write)
		entry_update(pt, i);
}

/* The rest of the trapped pages is the function's, as it would be. */
static void through(struct pt_msix *x, uint64_t off, struct io_access *io)
{
	volatile uint8_t *p = x->hw_trap + off;

	/*
	 * Naturally aligned only: the table is, so an access that is cannot
	 * run from below into the function's real table.
	 */
	if ((io->size != 1 && io->size != 2 && io->size != 4 &&
	     io->size != 8) || (off & (io->size - 1))) {
		if (!io->write)
			io->val = ~0ull;
		return;
	}
	if (io->write) {
		switch (io->size) {
		case 1: mmio_write8(p, (uint8_t)io->val); break;
		case 2: mmio_write16(p, (uint16_t)io->val); break;
		case 4: mmio_write32(p, (uint32_t)io->val); break;
		default: mmio_write64(p, io->val); break;
		}
		return;
	}
	switch (io->size) {
	case 1: io->val = mmio_read8(p); break;
	case 2: io->val = mmio_read16(p); break;
	case 4: io->val = mmio_read32(p); break;
	default:
		io->val = mmio_read32(p) | (uint64_t)mmio_read32(p + 4) << 32;
		break;
	}
}

static int pt_msix_mmio(struct emul_device *dev, struct io_access *io)
{
	struct pt_dev *pt = dev->priv;
	struct pt_msix *x = &pt->msix;
	uint64_t off = io->addr - x->trap_at, pos;

	if (io->addr < x->trap_at || off >= x->trap_len ||
	    io->size > x->trap_len - off)
		return -PVKIT_EINVAL;	/* the bus sent someone else's range */
	spin_lock(&pt->lock);
	pos = x->trap_off + off - x->table_off;
	if (x->trap_off + off >= x->table_off &&
	    pos < (uint64_t)x->size * PCI_MSIX_ENTRY_SIZE)
		table_access(pt, pos, io);
	else
		through(x, off, io);
	spin_unlock(&pt->lock);
	return 0;
}

static const struct emul_device_ops pt_msix_ops = {
	.name = "msix-table",
	.mmio = pt_msix_mmio,
};

/*
 * Where the trapped pages now are: with their BAR, while it decodes.
 * Called with the lock held whenever the table's BAR may have moved.
 */
void pt_msix_follow(struct pt_dev *pt, uint64_t bar_gpa, bool decode)
{
	struct pt_msix *x = &pt->msix;
	uint64_t to = bar_gpa + x->trap_off;

	if (!x->cap || (to == x->trap_at && decode == x->trap_live))
		return;
	emul_bus_move(pt->dom, &x->trap, x->trap_at, to,
		      decode ? x->trap_len : 0);
	x->trap_at = to;
	x->trap_live = decode;
}

bool pt_msix_hole(const struct pt_dev *pt, unsigned int bar, uint64_t *off,
		  uint64_t *len)
{
	const struct pt_msix *x = &pt->msix;

	if (!x->cap || bar != x->table_bar)
		return false;
	*off = x->trap_off;
	*len = x->trap_len;
	return true;
}

int pt_msix_init(struct pt_dev *pt)
{
	struct pt_msix *x = &pt->msix;
	struct domain *d = pt->dom;
	uint32_t table;
	const struct pt_bar *b;

	x->cap = (uint8_t)pci_find_cap(pt->hw, PCI_CAP_ID_MSIX, 0);
	if (!x->cap)
		return 0;
	x->size = (pci_read16(pt->hw, x->cap + PCI_MSIX_FLAGS) &
		   PCI_MSIX_FLAGS_QSIZE) + 1;
	table = pci_read32(pt->hw, x->cap + PCI_MSIX_TABLE);
	x->table_bar = table & PCI_MSIX_BIR;
	x->table_off = table & ~PCI_MSIX_BIR;
	if (x->table_bar >= PCI_NR_BARS)
		return -PVKIT_EINVAL;	/* 6 and 7 are reserved */
	b = &pt->bar[x->table_bar];
	x->trap_off = ALIGN_DOWN(x->table_off, PAGE_SIZE);
	x->trap_len = ALIGN_UP(x->table_off + (uint64_t)x->size *
			       PCI_MSIX_ENTRY_SIZE, PAGE_SIZE) - x->trap_off;
	if (!b->size || x->trap_off + x->trap_len > b->size)
		return -PVKIT_EINVAL;
	x->hw_table = pci_bar_map(pt->hw, x->table_bar, x->table_off,
				  (uint64_t)x->size * PCI_MSIX_ENTRY_SIZE);
	x->hw_trap = pci_bar_map(pt->hw, x->table_bar, x->trap_off,
				 x->trap_len);
	x->e = kzalloc(sizeof(*x->e) * x->size);
	if (!x->hw_table || !x->hw_trap || !x->e)
		return -PVKIT_ENOMEM;
	for (unsigned int i = 0; i < x->size; i++)
		x->e[i].pt = pt;
	x->trap = (struct emul_device){ .ops = &pt_msix_ops, .priv = pt };
	x->trap_at = b->home + x->trap_off;
	if (emul_bus_attach(d, &x->trap) ||
	    emul_bus_map(d, &x->trap, true, x->trap_at, x->trap_len))
		return -PVKIT_ENOSPC;
	/* Not decoded until the guest turns memory decoding on. */
	emul_bus_move(d, &x->trap, x->trap_at, x->trap_at, 0);
	pt_msix_reset(pt);
	return 0;
}

/* The guest's view at power-on: disabled, every entry masked. */
void pt_msix_reset(struct pt_dev *pt)
{
	struct pt_msix *x = &pt->msix;

	if (!x->cap)
		return;
	x->ctrl = 0;
	for (unsigned int i = 0; i < x->size; i++) {
		struct pt_msix_entry *e = &x->e[i];

		e->addr_lo = e->addr_hi = e->data = 0;
		e->ctrl = PCI_MSIX_ENTRY_CTRL_MASK;
		/* A function reset cleared the real entry. */
		e->programmed = false;
	}
	msix_update(pt);
}
