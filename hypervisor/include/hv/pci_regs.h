/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI configuration-space layout: what the emulated host bridge
 * (hv/emul/pci_host.h) and the hypervisor's own PCI driver (hv/pci.h)
 * both name.
 */
#ifndef HV_PCI_REGS_H
#define HV_PCI_REGS_H

#define PCI_DEVFN(dev, fn)	((((dev) & 0x1f) << 3) | ((fn) & 7))
#define PCI_NR_DEVFN		256
#define PCI_CFG_SIZE		256	/* conventional config space */
#define PCI_CFG_EXP_SIZE	4096	/* PCI Express, through ECAM */

/* Type-0 header registers. */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_CLASS_REVISION	0x08
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_ROM_ADDRESS		0x30
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		(1u << 0)
#define PCI_COMMAND_MEMORY	(1u << 1)
#define PCI_COMMAND_MASTER	(1u << 2)
#define PCI_COMMAND_PARITY	(1u << 6)
#define PCI_COMMAND_SERR	(1u << 8)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)

#define PCI_HEADER_TYPE_MULTI	0x80
#define PCI_CLASS_HOST_BRIDGE	0x060000
/* Base classes, the class code's top byte (config space 0x0b). */
#define PCI_BASE_CLASS_STORAGE	0x01
#define PCI_BASE_CLASS_NETWORK	0x02

/* BAR kinds for pci_header_set_bar(). */
#define PCI_BAR_IO		0x1
#define PCI_BAR_MEM32		0x0
#define PCI_BAR_MEM64		0x4
#define PCI_BAR_PREFETCH	0x8
#define PCI_NR_BARS		6

/* Type-1 (bridge) header, capability ids. */
#define PCI_HEADER_TYPE_MASK	0x7f
#define PCI_HEADER_TYPE_BRIDGE	0x01
#define PCI_SECONDARY_BUS	0x19
#define PCI_STATUS_CAP_LIST	(1u << 4)
#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11

/* MSI-X capability and table. */
#define PCI_CAP_ID_PM		0x01
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_EXP		0x10

/* MSI capability: 64-bit layout when PCI_MSI_FLAGS_64BIT, else 32. */
#define PCI_MSI_FLAGS		0x02
#define PCI_MSI_FLAGS_ENABLE	(1u << 0)
#define PCI_MSI_FLAGS_QMASK	(7u << 1)	/* vectors capable */
#define PCI_MSI_FLAGS_QSIZE	(7u << 4)	/* vectors enabled */
#define PCI_MSI_FLAGS_64BIT	(1u << 7)
#define PCI_MSI_FLAGS_MASKBIT	(1u << 8)
#define PCI_MSI_ADDRESS_LO	0x04
#define PCI_MSI_ADDRESS_HI	0x08

/* PCI Express capability: function level reset. */
#define PCI_EXP_DEVCAP		0x04
#define PCI_EXP_DEVCAP_FLR	(1u << 28)
#define PCI_EXP_DEVCTL		0x08
#define PCI_EXP_DEVCTL_BCR_FLR	(1u << 15)
#define PCI_EXP_DEVSTA		0x0a
#define PCI_EXP_DEVSTA_TRPND	(1u << 5)

#define PCI_MSIX_FLAGS		0x02
#define PCI_MSIX_FLAGS_QSIZE	0x07ff
#define PCI_MSIX_FLAGS_MASKALL	(1u << 14)
#define PCI_MSIX_FLAGS_ENABLE	(1u << 15)
#define PCI_MSIX_TABLE		0x04
#define PCI_MSIX_BIR		0x7
#define PCI_MSIX_ENTRY_SIZE	16
#define PCI_MSIX_ENTRY_CTRL_MASK 1u

#endif
