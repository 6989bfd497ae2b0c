# SPDX-License-Identifier: GPL-2.0
# hypervisor/emul: device models of the emulated PC, one file each.

# Interrupt controllers.
obj-y += emul/vlapic.o emul/vlapic_timer.o
obj-y += emul/vioapic.o emul/vpic8259.o emul/irq_router.o
# Legacy devices, timers, ACPI.
obj-y += emul/pit8254.o emul/rtc_cmos.o emul/hpet.o
obj-y += emul/acpi_pm.o emul/debug_exit.o emul/fw_cfg.o
# The guests' COM1.
obj-$(CONFIG_EMUL_UART) += emul/uart16550.o
# PCI: the host bridge and the pvkit platform device.
obj-y += emul/pci_host.o emul/pvkit_pci.o
# The e1000 NIC, a port of the virtual switch.
obj-$(CONFIG_EMUL_E1000) += emul/e1000.o emul/e1000_nvm.o
# Emulated disk: the PIIX IDE function.
obj-$(CONFIG_EMUL_IDE) += emul/ide_piix.o
