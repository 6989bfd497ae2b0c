# SPDX-License-Identifier: GPL-2.0
# hypervisor/pci: the machine's PCI as the hypervisor drives it.
obj-y += pci/pci.o pci/msix.o
