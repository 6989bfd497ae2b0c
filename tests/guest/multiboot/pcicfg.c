// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space on bus 0 through mechanism #1 (ports 0xcf8 and
 * 0xcfc), for the test kernels that drive a PCI device: finding a
 * function by its ids, sizing BAR0, walking the capability list and
 * programming MSI.
 * The same code runs straight on QEMU, where firmware placed the BARs,
 * and under pvkit, whose bus is emulated: nothing here assumes either.
 */
#include "mbtest.h"

#define CFG_ADDR	0xcf8
#define CFG_DATA	0xcfc
#define PCI_COMMAND	0x04
#define PCI_STATUS	0x06
#define PCI_HEADER	0x0e
#define PCI_BAR0	0x10
#define PCI_CAP_PTR	0x34
#define STATUS_CAPS	(1u << 4)
#define CMD_MEMORY	(1u << 1)
#define MSI_CAP		0x05
#define MSI_64BIT	(1u << 7)
#define MSI_MME		(7u << 4)
#define MSI_ENABLE	(1u << 0)

static void cfg_select(uint8_t devfn, uint8_t reg)
{
	outl(CFG_ADDR, 0x80000000u | (uint32_t)devfn << 8 | (reg & 0xfc));
}

uint32_t cfg_read32(uint8_t devfn, uint8_t reg)
{
	cfg_select(devfn, reg);
	return inl(CFG_DATA);
}

uint16_t cfg_read16(uint8_t devfn, uint8_t reg)
{
	cfg_select(devfn, reg);
	return inw(CFG_DATA + (reg & 2));
}

void cfg_write32(uint8_t devfn, uint8_t reg, uint32_t v)
{
	cfg_select(devfn, reg);
	outl(CFG_DATA, v);
}

void cfg_write16(uint8_t devfn, uint8_t reg, uint16_t v)
{
	cfg_select(devfn, reg);
	outw(CFG_DATA + (reg & 2), v);
}

int pci_find(uint16_t vendor, uint16_t device)
{
	uint32_t want = (uint32_t)device << 16 | vendor;

	for (unsigned int dev = 0; dev < 32; dev++) {
		uint8_t devfn = (uint8_t)(dev << 3);
		unsigned int fns = 1;

		if (cfg_read16(devfn, 0) == 0xffff)
			continue;
		if (cfg_read32(devfn, PCI_HEADER & 0xfc) >> 16 & 0x80)
			fns = 8;
		for (unsigned int fn = 0; fn < fns; fn++)
			if (cfg_read32(devfn | fn, 0) == want)
				return devfn | fn;
	}
	return -1;
}

/*
 * Decoding goes off while all ones are in the BAR: the sizing value
 * must not claim a window for a moment, straight on QEMU as anywhere.
 */
uint32_t pci_bar0_size(uint8_t devfn)
{
	uint16_t cmd = cfg_read16(devfn, PCI_COMMAND);
	uint32_t bar = cfg_read32(devfn, PCI_BAR0), mask;

	cfg_write16(devfn, PCI_COMMAND, cmd & ~CMD_MEMORY);
	cfg_write32(devfn, PCI_BAR0, 0xffffffffu);
	mask = cfg_read32(devfn, PCI_BAR0) & ~0xfu;
	cfg_write32(devfn, PCI_BAR0, bar);
	cfg_write16(devfn, PCI_COMMAND, cmd);
	return mask ? ~mask + 1 : 0;
}

uint8_t pci_find_cap(uint8_t devfn, uint8_t id)
{
	uint8_t at;

	if (!(cfg_read16(devfn, PCI_STATUS) & STATUS_CAPS))
		return 0;
	at = (uint8_t)(cfg_read32(devfn, PCI_CAP_PTR) & 0xfc);
	/* 48 capabilities at most fit: a loop in the list ends too. */
	for (int n = 0; at >= 0x40 && n < 48; n++) {
		uint16_t head = cfg_read16(devfn, at);

		if ((head & 0xff) == id)
			return at;
		at = (uint8_t)((head >> 8) & 0xfc);
	}
	return 0;
}

bool msi_enable(uint8_t devfn, uint32_t addr, uint16_t data, bool *is64)
{
	uint8_t cap = pci_find_cap(devfn, MSI_CAP);
	uint16_t ctrl;

	if (!cap)
		return false;
	ctrl = cfg_read16(devfn, cap + 2);
	*is64 = ctrl & MSI_64BIT;
	cfg_write16(devfn, cap + 2, ctrl & ~(MSI_ENABLE | MSI_MME));
	cfg_write32(devfn, cap + 4, addr);
	if (*is64) {
		cfg_write32(devfn, cap + 8, 0);
		cfg_write16(devfn, cap + 12, data);
	} else {
		cfg_write16(devfn, cap + 8, data);
	}
	cfg_write16(devfn, cap + 2, (ctrl & ~MSI_MME) | MSI_ENABLE);
	return cfg_read16(devfn, cap + 2) & MSI_ENABLE &&
	       cfg_read32(devfn, cap + 4) == addr &&
	       cfg_read16(devfn, cap + (*is64 ? 12 : 8)) == data;
}
