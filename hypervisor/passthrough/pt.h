/* SPDX-License-Identifier: GPL-2.0 */
/* What assign.c and pt_pci.c share about one passed-through function. */
#ifndef PASSTHROUGH_PT_H
#define PASSTHROUGH_PT_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/spinlock.h>
#include <hv/emul.h>
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

struct pt_dev;

/* One MSI-X table entry as the guest wrote it. */
struct pt_msix_entry {
	struct pt_dev *pt;
	uint32_t addr_lo, addr_hi, data, ctrl;
	uint8_t vector;		/* the hypervisor's, once the entry was live */
	bool programmed;	/* the function's entry holds the remapped message */
	uint32_t refused;	/* went live with no remapping entry or vector */
};

struct pt_msix {
	uint8_t cap;		/* 0: the function has no MSI-X */
	uint16_t size;		/* entries */
	uint16_t ctrl;		/* the guest's enable and function mask */
	uint8_t table_bar;
	uint32_t table_off;
	struct pt_msix_entry *e;
	volatile uint8_t *hw_table;	/* the function's table ... */
	volatile uint8_t *hw_trap;	/* ... and the pages around it */
	/* Those pages, trapped: offset in the BAR, length, where now. */
	uint64_t trap_off, trap_len, trap_at;
	bool trap_live;
	struct emul_device trap;
};

struct pt_dev {
	struct pci_dev *hw;
	uint16_t rid;
	struct domain *dom;
	spinlock_t lock;
	bool quarantined;	/* its domain ended: no DMA, no interrupt */
	uint64_t free_at;	/* quarantined: another domain's from then on */
	uint16_t cmd;		/* the guest's Command register */
	uint8_t irq_line;
	uint8_t exp_cap;	/* PCI Express capability, 0: none */
	uint8_t pm_cap;
	struct pt_bar bar[PCI_NR_BARS];
	struct pt_msi msi;
	struct pt_msix msix;
	uint64_t irqs;		/* interrupts forwarded to the guest */
	uint64_t dropped;	/* ... and not, the guest's MSI being off */
	uint64_t cfg_refused;	/* config writes the filter dropped */
	int exit_src;		/* the exits its interrupts cause */
};

extern const struct pci_function_ops pt_pci_cfg_ops;	/* opaque: pt_dev */

/* Forwards an interrupt as the guest's message; drops the lock. */
void pt_forward(struct pt_dev *pt, bool live, uint64_t addr, uint32_t data);

/* The first capability shown at or after list pointer ptr, or 0. */
uint8_t pt_next_shown(const struct pt_dev *pt, uint8_t ptr);

/* MSI-X (pt_msix.c); every call but init with the lock held. */
int pt_msix_init(struct pt_dev *pt);
void pt_msix_reset(struct pt_dev *pt);
uint32_t pt_msix_cap_read(const struct pt_dev *pt, unsigned int off);
void pt_msix_cap_write(struct pt_dev *pt, unsigned int off, uint32_t v,
		       uint32_t bytes);
/* The table's pages follow its BAR, trapped while it decodes. */
void pt_msix_follow(struct pt_dev *pt, uint64_t bar_gpa, bool decode);
/* Whether BAR bar holds the table; then the trapped pages in it. */
bool pt_msix_hole(const struct pt_dev *pt, unsigned int bar, uint64_t *off,
		  uint64_t *len);

/* The guest's view at power-on: decoding off, MSI off, BARs at gpa. */
void pt_pci_reset(struct pt_dev *pt);
/* Takes the guest's MSI and BAR mappings away; the function stays on. */
void pt_pci_stop(struct pt_dev *pt);
/* The MSI vector the function's interrupts arrive on; 0 or -errno. */
int pt_pci_irq_init(struct pt_dev *pt);

#endif
