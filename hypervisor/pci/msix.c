// SPDX-License-Identifier: GPL-2.0
/* MSI-X of the hypervisor's own PCI functions, aimed at itself. */
#include <asm/mmio.h>
#include <asm/msi.h>
#include <hv/pci.h>
#include <hv/percpu.h>

int pci_msix_enable(struct pci_dev *dev)
{
	unsigned int cap = pci_find_cap(dev, PCI_CAP_ID_MSIX, 0);
	uint16_t ctrl;
	uint32_t table;
	volatile uint8_t *t;

	if (!cap)
		return -1;
	ctrl = pci_read16(dev, cap + PCI_MSIX_FLAGS);
	table = pci_read32(dev, cap + PCI_MSIX_TABLE);
	dev->msix_size = (ctrl & PCI_MSIX_FLAGS_QSIZE) + 1;
	t = pci_bar_map(dev, table & PCI_MSIX_BIR, table & ~PCI_MSIX_BIR,
			(uint64_t)dev->msix_size * PCI_MSIX_ENTRY_SIZE);
	if (!t)
		return -1;
	/* Function-masked while the entries are masked one by one. */
	pci_write16(dev, cap + PCI_MSIX_FLAGS, ctrl | PCI_MSIX_FLAGS_MASKALL |
						      PCI_MSIX_FLAGS_ENABLE);
	for (unsigned int i = 0; i < dev->msix_size; i++)
		mmio_write32(t + i * PCI_MSIX_ENTRY_SIZE + 12,
			     PCI_MSIX_ENTRY_CTRL_MASK);
	pci_write16(dev, cap + PCI_MSIX_FLAGS,
		    (ctrl | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL);
	dev->msix_apic = pcpus[0]->apic_id;
	dev->msix_cap = (uint8_t)cap;
	dev->msix_table = t;
	return 0;
}

int pci_msix_route(struct pci_dev *dev, unsigned int entry, uint8_t vector)
{
	volatile uint8_t *e;
	uint64_t addr;
	uint32_t data;

	if (!dev->msix_table || entry >= dev->msix_size)
		return -1;
	e = dev->msix_table + entry * PCI_MSIX_ENTRY_SIZE;
	msi_message(vector, dev->msix_apic, &addr, &data);
	mmio_write32(e, (uint32_t)addr);
	mmio_write32(e + 4, (uint32_t)(addr >> 32));
	mmio_write32(e + 8, data);
	mmio_write32(e + 12, 0);
	return 0;
}

void pci_msix_aim(struct pci_dev *dev, uint32_t apic_id)
{
	volatile uint8_t *e;
	uint64_t addr;
	uint32_t data;

	dev->msix_apic = apic_id;
	for (unsigned int i = 0; dev->msix_table && i < dev->msix_size; i++) {
		e = dev->msix_table + i * PCI_MSIX_ENTRY_SIZE;
		if (mmio_read32(e + 12) & PCI_MSIX_ENTRY_CTRL_MASK)
			continue;
		mmio_write32(e + 12, PCI_MSIX_ENTRY_CTRL_MASK);
		msi_message((uint8_t)mmio_read32(e + 8), apic_id, &addr, &data);
		mmio_write32(e, (uint32_t)addr);
		mmio_write32(e + 4, (uint32_t)(addr >> 32));
		mmio_write32(e + 12, 0);
	}
}
