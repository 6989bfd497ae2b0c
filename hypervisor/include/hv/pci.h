/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's own PCI, as the hypervisor sees and drives it: ECAM
 * configuration access (the window from the ACPI MCFG), the functions
 * found at boot with the BARs the firmware assigned, capability walks
 * and MSI-X.  A driver claims a function before using it, so two never
 * drive one.  Guests never see these functions: a guest's PCI is the
 * emulated host bridge of hv/emul/pci_host.h, and passthrough
 * (hypervisor/passthrough/) claims a function the same way before it
 * hands it to one.
 */
#ifndef HV_PCI_H
#define HV_PCI_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/pci_regs.h>

struct pci_bar {
	uint64_t base;
	uint64_t size;		/* 0: the device has no such BAR */
	bool io;
};

struct pci_dev {
	uint8_t bus, devfn;
	uint16_t vendor, device;
	uint32_t class;		/* class, subclass, prog-if */
	struct pci_bar bar[PCI_NR_BARS];
	bool claimed;
	/* MSI-X, once pci_msix_enable() succeeded. */
	uint8_t msix_cap;
	uint16_t msix_size;
	volatile uint8_t *msix_table;
	uint32_t msix_apic;	/* the CPU its entries are aimed at */
};

/* Finds the ECAM window and every function below it; 0 or -1. */
int pci_init(void);
/* The nth function (from 0, in scan order) with these ids, or NULL. */
struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned int nth);
/* The function with requester id rid (bus << 8 | devfn), or NULL. */
struct pci_dev *pci_find_rid(uint16_t rid);
/* Takes dev for one driver; false when another has it already. */
bool pci_claim(struct pci_dev *dev);

uint8_t pci_read8(const struct pci_dev *dev, unsigned int reg);
uint16_t pci_read16(const struct pci_dev *dev, unsigned int reg);
uint32_t pci_read32(const struct pci_dev *dev, unsigned int reg);
void pci_write16(const struct pci_dev *dev, unsigned int reg, uint16_t v);
void pci_write32(const struct pci_dev *dev, unsigned int reg, uint32_t v);

/* Offset of the next capability id after offset from (0: the first); 0 if none. */
unsigned int pci_find_cap(const struct pci_dev *dev, uint8_t id,
			  unsigned int from);
/*
 * A pointer to [off, off + len) of memory BAR bar, mapped uncached;
 * NULL when the range is not inside an implemented memory BAR.
 */
volatile void *pci_bar_map(const struct pci_dev *dev, unsigned int bar,
			   uint64_t off, uint64_t len);
/* Enables bus mastering and memory decoding. */
void pci_enable(const struct pci_dev *dev);

/* Maps the table and enables MSI-X with every entry masked; 0 or -1. */
int pci_msix_enable(struct pci_dev *dev);
/*
 * Points entry at vector on the CPU the function's interrupts are aimed
 * at (the boot CPU until pci_msix_aim()) and unmasks it.
 */
int pci_msix_route(struct pci_dev *dev, unsigned int entry, uint8_t vector);
/*
 * Aims every routed entry, and those routed later, at the CPU of apic_id
 * (the pCPU that handles the function's work), each masked while its
 * address changes: a message raised meanwhile is held and then sent to
 * the new CPU.
 */
void pci_msix_aim(struct pci_dev *dev, uint32_t apic_id);

#endif
