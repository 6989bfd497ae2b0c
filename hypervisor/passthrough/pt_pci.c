// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through function's config space as its guest sees it.
 *
 * The Command register, the BARs, the interrupt line and MSI are the
 * hypervisor's: the guest's writes land in struct pt_dev, and what
 * reaches the function is derived from them (BARs mapped by nested
 * paging where the guest put them, the function's own MSI aimed through
 * the IOMMU's remapping table at a vector of the hypervisor, which
 * forwards each interrupt as the message the guest programmed; MSI-X is
 * pt_msix.c's).  The capability list shows MSI, MSI-X, power management
 * and PCI Express; the last two read as the function has them and
 * ignore writes.  Everything else
 * (other capabilities, the expansion ROM, extended config space) reads
 * 0 and ignores writes, so no guest write moves a real BAR, changes the
 * function's power state or link, or reaches a register the hypervisor
 * does not know.  INTx is not offered (Interrupt Pin reads 0): a guest
 * driver uses MSI.
 */
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <asm/msi.h>
#include <hv/domain.h>
#include <hv/emul/pci_host.h>
#include <hv/iommu.h>
#include <hv/percpu.h>
#include <hv/platform.h>
#include <hv/printk.h>
#include <hv/vcpu_ops.h>
#include "pt.h"

#define CAPS_MAX	48	/* a loop in the list ends here */
#define PM_CAP_LEN	8
#define MSIX_CAP_LEN	12
#define EXP_CAP_LEN	0x3c
#define CMD_GUEST	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
			 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
			 PCI_COMMAND_INTX_DISABLE)
#define BAR_FLAGS	0xfu

static bool cap_shown(const struct pt_dev *pt, unsigned int pos)
{
	return pos && (pos == pt->msi.cap || pos == pt->msix.cap ||
		       pos == pt->pm_cap || pos == pt->exp_cap);
}

uint8_t pt_next_shown(const struct pt_dev *pt, uint8_t ptr)
{
	unsigned int pos = ptr;

	for (unsigned int n = 0; n < CAPS_MAX; n++) {
		pos &= 0xfc;
		if (pos < 0x40)
			return 0;
		if (cap_shown(pt, pos))
			return (uint8_t)pos;
		pos = pci_read8(pt->hw, pos + 1);
	}
	return 0;
}

static unsigned int msi_len(const struct pt_msi *m)
{
	return 12 + (m->is64 ? 4 : 0) + (m->maskable ? 8 : 0);
}

/* Offsets of the data, mask and pending registers in the MSI capability. */
static unsigned int msi_data_off(const struct pt_msi *m)
{
	return m->is64 ? 0x0c : 0x08;
}

static unsigned int cap_len(const struct pt_dev *pt, unsigned int cap)
{
	if (cap == pt->msi.cap)
		return msi_len(&pt->msi);
	if (cap == pt->msix.cap)
		return MSIX_CAP_LEN;
	return cap == pt->pm_cap ? PM_CAP_LEN : EXP_CAP_LEN;
}

/* The shown capability holding config register reg, or 0. */
static unsigned int cap_at(const struct pt_dev *pt, unsigned int reg)
{
	const unsigned int caps[] = { pt->msi.cap, pt->msix.cap, pt->pm_cap,
				      pt->exp_cap };

	for (unsigned int i = 0; i < ARRAY_SIZE(caps); i++)
		if (caps[i] && reg >= caps[i] &&
		    reg < caps[i] + cap_len(pt, caps[i]))
			return caps[i];
	return 0;
}

static uint16_t msi_ctrl_view(const struct pt_dev *pt)
{
	const struct pt_msi *m = &pt->msi;

	/* One vector, whatever the function could do. */
	return (uint16_t)((m->ctrl & PCI_MSI_FLAGS_ENABLE) |
			  (m->is64 ? PCI_MSI_FLAGS_64BIT : 0) |
			  (m->maskable ? PCI_MSI_FLAGS_MASKBIT : 0));
}

static uint32_t msi_read(const struct pt_dev *pt, unsigned int off)
{
	const struct pt_msi *m = &pt->msi;
	unsigned int data = msi_data_off(m);

	if (off == 0)
		return (uint32_t)msi_ctrl_view(pt) << 16 |
		       (uint32_t)pt_next_shown(pt, pci_read8(pt->hw, m->cap + 1)) << 8 |
		       PCI_CAP_ID_MSI;
	if (off == PCI_MSI_ADDRESS_LO)
		return (uint32_t)m->addr;
	if (m->is64 && off == PCI_MSI_ADDRESS_HI)
		return (uint32_t)(m->addr >> 32);
	if (off == data)
		return m->data;
	if (off == data + 4)
		return m->mask;
	/* Pending: the function's own, bit 0 being the only vector. */
	return pci_read32(pt->hw, m->cap + off) & 1;
}

static uint32_t cap_read(const struct pt_dev *pt, unsigned int cap,
			 unsigned int reg4)
{
	uint32_t v;

	if (cap == pt->msi.cap)
		return msi_read(pt, reg4 - cap);
	if (cap == pt->msix.cap)
		return pt_msix_cap_read(pt, reg4 - cap);
	v = pci_read32(pt->hw, reg4);
	if (reg4 == cap)	/* the next pointer skips what is hidden */
		v = (v & 0xffff00ffu) |
		    (uint32_t)pt_next_shown(pt, (uint8_t)(v >> 8)) << 8;
	return v;
}

static uint32_t bar_read(const struct pt_dev *pt, unsigned int i)
{
	const struct pt_bar *b = &pt->bar[i];

	if (b->size)
		return (uint32_t)b->gpa | b->flags;
	/* The upper half of a 64-bit BAR below. */
	if (i && pt->bar[i - 1].size && (pt->bar[i - 1].flags & PCI_BAR_MEM64))
		return (uint32_t)(pt->bar[i - 1].gpa >> 32);
	return 0;
}

static uint32_t header_read(const struct pt_dev *pt, unsigned int reg4)
{
	uint32_t v;

	switch (reg4) {
	case PCI_VENDOR_ID:
	case PCI_CLASS_REVISION:
	case PCI_SUBSYSTEM_VENDOR_ID:
		return pci_read32(pt->hw, reg4);
	case PCI_COMMAND:
		v = pci_read16(pt->hw, PCI_STATUS) & ~PCI_STATUS_CAP_LIST;
		if (pt_next_shown(pt, pci_read8(pt->hw, PCI_CAPABILITY_LIST)))
			v |= PCI_STATUS_CAP_LIST;
		return v << 16 | pt->cmd;
	case PCI_CACHE_LINE_SIZE:
		/* One function of its own slot; no BIST. */
		return pci_read32(pt->hw, reg4) & 0x007fffffu;
	case PCI_CAPABILITY_LIST:
		return pt_next_shown(pt, pci_read8(pt->hw, PCI_CAPABILITY_LIST));
	case PCI_INTERRUPT_LINE:
		return (pci_read32(pt->hw, reg4) & 0xffff0000u) | pt->irq_line;
	}
	if (reg4 >= PCI_BAR0 && reg4 < PCI_BAR0 + 4 * PCI_NR_BARS)
		return bar_read(pt, (reg4 - PCI_BAR0) / 4);
	return 0;
}

static uint32_t pt_cfg_read(void *opaque, unsigned int reg, unsigned int size)
{
	struct pt_dev *pt = opaque;
	unsigned int reg4 = reg & ~3u, cap;
	uint32_t v = 0;

	spin_lock(&pt->lock);
	if (reg4 < 0x40)
		v = header_read(pt, reg4);
	else if (reg4 < PCI_CFG_SIZE && (cap = cap_at(pt, reg4)))
		v = cap_read(pt, cap, reg4);
	spin_unlock(&pt->lock);
	v >>= 8 * (reg & 3);
	return size == 4 ? v : v & ((1u << (8 * size)) - 1);
}

/* ---- what the guest's writes do ---- */

static bool bar_gpa_ok(const struct pt_bar *b)
{
	return b->gpa >= PLATFORM_PCI_MMIO_BASE &&
	       b->gpa + b->size - 1 <= PLATFORM_PCI_MMIO_END;
}

/* BAR i at gpa, but for the MSI-X table's pages, which stay trapped. */
static int bar_map(struct pt_dev *pt, unsigned int i, uint64_t gpa)
{
	const struct pt_bar *b = &pt->bar[i];
	struct domain *d = pt->dom;
	uint64_t off, len, rest;
	int ret = 0;

	if (!pt_msix_hole(pt, i, &off, &len))
		return vcpu_ops->domain_map_mmio(d, gpa, b->hpa, b->size, true);
	if (off)
		ret = vcpu_ops->domain_map_mmio(d, gpa, b->hpa, off, true);
	rest = b->size - off - len;
	if (!ret && rest)
		ret = vcpu_ops->domain_map_mmio(d, gpa + off + len,
						b->hpa + off + len, rest, true);
	return ret;
}

/* Nested paging maps each BAR where the guest's registers put it. */
static void bars_update(struct pt_dev *pt)
{
	struct domain *d = pt->dom;
	bool decode = (pt->cmd & PCI_COMMAND_MEMORY) && !pt->quarantined;

	for (unsigned int i = 0; i < PCI_NR_BARS; i++) {
		struct pt_bar *b = &pt->bar[i];
		uint64_t want = decode && b->size && bar_gpa_ok(b) ? b->gpa : 0;

		if (pt->msix.cap && i == pt->msix.table_bar)
			pt_msix_follow(pt, b->gpa, want != 0);
		if (want == b->mapped)
			continue;
		if (b->mapped)
			vcpu_ops->domain_map_mmio(d, b->mapped, 0, b->size,
						  false);
		b->mapped = 0;
		if (!want)
			continue;
		if (bar_map(pt, i, want))
			pr_warn("d%u %s: BAR %u at 0x%llx not mapped",
				d->id, d->name, i, (unsigned long long)want);
		else
			b->mapped = want;
	}
}

static void hw_cmd_update(struct pt_dev *pt, uint16_t set, uint16_t clear)
{
	uint16_t cmd = pci_read16(pt->hw, PCI_COMMAND);

	pci_write16(pt->hw, PCI_COMMAND, (uint16_t)((cmd | set) & ~clear));
}

/*
 * The function's own MSI follows the guest's enable and mask bits; its
 * address and data stay the remapped message pt_pci_irq_init() got.
 */
static void msi_update(struct pt_dev *pt)
{
	struct pt_msi *m = &pt->msi;
	bool want = (m->ctrl & PCI_MSI_FLAGS_ENABLE) && !pt->quarantined;
	unsigned int ctrl_reg = m->cap + PCI_MSI_FLAGS;
	uint16_t ctrl;

	if (!m->cap)
		return;
	if (m->maskable)
		pci_write32(pt->hw, m->cap + msi_data_off(m) + 4, m->mask & 1);
	if (want == m->live)
		return;
	ctrl = pci_read16(pt->hw, ctrl_reg) & ~(PCI_MSI_FLAGS_ENABLE |
						 PCI_MSI_FLAGS_QSIZE);
	if (want) {
		pci_write32(pt->hw, m->cap + PCI_MSI_ADDRESS_LO,
			    (uint32_t)m->hw_addr);
		if (m->is64)
			pci_write32(pt->hw, m->cap + PCI_MSI_ADDRESS_HI,
				    (uint32_t)(m->hw_addr >> 32));
		pci_write16(pt->hw, m->cap + msi_data_off(m),
			    (uint16_t)m->hw_data);
		ctrl |= PCI_MSI_FLAGS_ENABLE;
	}
	pci_write16(pt->hw, ctrl_reg, ctrl);
	m->live = want;
}

static void msi_write(struct pt_dev *pt, unsigned int off, uint32_t v,
		      uint32_t bytes)
{
	struct pt_msi *m = &pt->msi;
	unsigned int data = msi_data_off(m);

	if (off == 0) {
		if (bytes & 0xffff0000u)
			m->ctrl = (uint16_t)(v >> 16) & PCI_MSI_FLAGS_ENABLE;
	} else if (off == PCI_MSI_ADDRESS_LO) {
		m->addr = (m->addr & ~0xffffffffull) | (v & ~3u);
	} else if (m->is64 && off == PCI_MSI_ADDRESS_HI) {
		m->addr = (m->addr & 0xffffffffull) | (uint64_t)v << 32;
	} else if (off == data) {
		m->data = (uint16_t)v;
	} else if (m->maskable && off == data + 4) {
		m->mask = v & 1;
	} else {
		pt->cfg_refused++;
		return;
	}
	msi_update(pt);
}

static void bar_write(struct pt_dev *pt, unsigned int i, uint32_t v)
{
	struct pt_bar *b = &pt->bar[i];

	if (b->size) {
		b->gpa = (b->gpa & ~0xffffffffull) | (v & ~BAR_FLAGS);
		b->gpa &= ~(b->size - 1);
	} else if (i && pt->bar[i - 1].size &&
		   (pt->bar[i - 1].flags & PCI_BAR_MEM64)) {
		b = &pt->bar[i - 1];
		b->gpa = (b->gpa & 0xffffffffull) | (uint64_t)v << 32;
		b->gpa &= ~(b->size - 1);
	} else {
		return;
	}
	bars_update(pt);
}

static void header_write(struct pt_dev *pt, unsigned int reg4, uint32_t v,
			 uint32_t bytes)
{
	if (reg4 == PCI_COMMAND && (bytes & 0xffff)) {
		pt->cmd = (uint16_t)(v & CMD_GUEST);
		if (pt->cmd & PCI_COMMAND_MASTER && !pt->quarantined)
			hw_cmd_update(pt, PCI_COMMAND_MASTER, 0);
		else
			hw_cmd_update(pt, 0, PCI_COMMAND_MASTER);
		bars_update(pt);
	} else if (reg4 >= PCI_BAR0 && reg4 < PCI_BAR0 + 4 * PCI_NR_BARS) {
		bar_write(pt, (reg4 - PCI_BAR0) / 4, v);
	} else if (reg4 == PCI_INTERRUPT_LINE && (bytes & 0xff)) {
		pt->irq_line = (uint8_t)v;
	} else if (reg4 != PCI_COMMAND) {
		pt->cfg_refused++;
	}
}

/* A narrow write changes only its bytes of the dword the guest sees. */
static uint32_t merge(uint32_t old, uint32_t val, unsigned int shift,
		      uint32_t bytes)
{
	return (old & ~bytes) | ((val << shift) & bytes);
}

static void pt_cfg_write(void *opaque, unsigned int reg, unsigned int size,
			 uint32_t val)
{
	struct pt_dev *pt = opaque;
	unsigned int reg4 = reg & ~3u, shift = 8 * (reg & 3);
	uint32_t bytes = (size == 4 ? ~0u : (1u << (8 * size)) - 1) << shift;
	unsigned int cap = reg4 < PCI_CFG_SIZE ? cap_at(pt, reg4) : 0;

	spin_lock(&pt->lock);
	if (reg4 < 0x40)
		header_write(pt, reg4, merge(header_read(pt, reg4), val,
					     shift, bytes), bytes);
	else if (cap && cap == pt->msi.cap)
		msi_write(pt, reg4 - cap, merge(msi_read(pt, reg4 - cap), val,
						shift, bytes), bytes);
	else if (cap && cap == pt->msix.cap)
		pt_msix_cap_write(pt, reg4 - cap,
				  merge(pt_msix_cap_read(pt, reg4 - cap), val,
					shift, bytes), bytes);
	else
		pt->cfg_refused++;
	spin_unlock(&pt->lock);
}

const struct pci_function_ops pt_pci_cfg_ops = {
	.cfg_read = pt_cfg_read,
	.cfg_write = pt_cfg_write,
};

/* ---- interrupts ---- */

/*
 * Sends the guest's message (taken with the lock held) when live, and
 * counts it either way: what MSI and MSI-X share once their vector fires.
 * An exit of its domain that the interrupt caused is put down to it.
 */
void pt_forward(struct pt_dev *pt, bool live, uint64_t addr, uint32_t data)
{
	struct domain *d = pt->dom;
	bool send = live && domain_alive(d);

	if (send) {
		pt->irqs++;
		exit_attribute(d, pt->exit_src);
	} else
		pt->dropped++;
	spin_unlock(&pt->lock);
	if (send && d->bus.send_msi)
		d->bus.send_msi(d, addr, data);
}

/*
 * The function's MSI, remapped to this vector on the boot CPU, becomes
 * the message the guest programmed.  Runs in an interrupt window of the
 * boot CPU, where no lock is held.
 */
static void pt_msi_irq(void *arg)
{
	struct pt_dev *pt = arg;
	const struct pt_msi *m = &pt->msi;

	spin_lock(&pt->lock);
	pt_forward(pt, (m->ctrl & PCI_MSI_FLAGS_ENABLE) && !(m->mask & 1) &&
		       !pt->quarantined, m->addr, m->data);
}

int pt_pci_irq_init(struct pt_dev *pt)
{
	struct pt_msi *m = &pt->msi;

	if (!m->cap)
		return 0;
	if (!m->vector) {
		m->vector = msi_vector_alloc(pt_msi_irq, pt);
		if (!m->vector)
			return -PVKIT_ENOSPC;
	}
	/* MSI-X entries take the remapping entries from 0 up. */
	return iommu->irq_map(pt->rid, IOMMU_IRQS_MAX - 1, m->vector,
			      pcpus[0]->apic_id, &m->hw_addr, &m->hw_data);
}

void pt_pci_stop(struct pt_dev *pt)
{
	spin_lock(&pt->lock);
	pt->msi.ctrl = 0;
	msi_update(pt);
	pt_msix_reset(pt);
	pt->cmd = 0;
	hw_cmd_update(pt, 0, PCI_COMMAND_MASTER);
	bars_update(pt);
	spin_unlock(&pt->lock);
}

void pt_pci_reset(struct pt_dev *pt)
{
	pt_pci_stop(pt);
	spin_lock(&pt->lock);
	pt->irq_line = 0;
	pt->msi.addr = 0;
	pt->msi.data = 0;
	pt->msi.mask = 0;
	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		pt->bar[i].gpa = pt->bar[i].home;
	spin_unlock(&pt->lock);
}
