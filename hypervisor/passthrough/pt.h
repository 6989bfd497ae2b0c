/* SPDX-License-Identifier: GPL-2.0 */
/* What assign.c and pt_pci.c share about one passed-through function. */
#ifndef PASSTHROUGH_PT_H
#define PASSTHROUGH_PT_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/spinlock.h>
#include <hv/pci.h>

struct domain;

/* A memory BAR as the guest sees it; size 0: hidden from the guest. */
struct pt_bar {
	uint64_t hpa;		/* where the machine's firmware put it */
	uint64_t size;
	uint64_t gpa;		/* the guest's BAR register */
	uint64_t home;		/* ... where the hypervisor placed it */
	uint64_t mapped;	/* guest-physical address mapped now, or 0 */
	uint8_t flags;		/* PCI_BAR_MEM64, PCI_BAR_PREFETCH */
};

/* The guest's view of the function's MSI capability. */
struct pt_msi {
	uint8_t cap;		/* its offset, 0: the function has none */
	bool is64, maskable;
	uint16_t ctrl;
	uint64_t addr;
	uint16_t data;
	uint32_t mask;
	uint8_t vector;		/* the hypervisor's, carried by the IOMMU */
	uint64_t hw_addr;	/* the remapped message the function sends */
	uint32_t hw_data;
	bool live;		/* the function's own MSI is enabled */
};

struct pt_dev {
	struct pci_dev *hw;
	uint16_t rid;
	struct domain *dom;
	spinlock_t lock;
	bool quarantined;	/* its domain ended: no DMA, no interrupt */
	uint16_t cmd;		/* the guest's Command register */
	uint8_t irq_line;
	uint8_t exp_cap;	/* PCI Express capability, 0: none */
	uint8_t pm_cap;
	struct pt_bar bar[PCI_NR_BARS];
	struct pt_msi msi;
	uint64_t irqs;		/* interrupts forwarded to the guest */
	uint64_t dropped;	/* ... and not, the guest's MSI being off */
	uint64_t cfg_refused;	/* config writes the filter dropped */
};

extern const struct pci_function_ops pt_pci_cfg_ops;	/* opaque: pt_dev */

/* The guest's view at power-on: decoding off, MSI off, BARs at gpa. */
void pt_pci_reset(struct pt_dev *pt);
/* Takes the guest's MSI and BAR mappings away; the function stays on. */
void pt_pci_stop(struct pt_dev *pt);
/* The MSI vector the function's interrupts arrive on; 0 or -errno. */
int pt_pci_irq_init(struct pt_dev *pt);

#endif
