# SPDX-License-Identifier: GPL-2.0
# hypervisor/passthrough: PCI functions of the machine handed to guests.
obj-$(CONFIG_PASSTHROUGH) += passthrough/iommu.o passthrough/assign.o \
	passthrough/pt_pci.o passthrough/pt_msix.o
