# SPDX-License-Identifier: GPL-2.0
# hypervisor/common: the arch-neutral core.

# Boot, memory, logging.
obj-y += common/setup.o common/multiboot.o common/bootcfg.o \
	common/bootcfg_dev.o common/elf.o
obj-y += common/mm.o common/frame_alloc.o common/heap.o common/guest_mem.o
obj-y += common/printk.o common/console.o common/system.o common/time.o
# Domains, scheduling, the ABI.
obj-y += common/domain.o common/domain_build.o common/exit_profile.o common/sched.o common/work.o
obj-y += common/hypercall.o common/event_channel.o
# Guest builders: PV Mini-OS; Linux and Multiboot kernels on the emulated PC.
obj-y += common/guest_boot.o common/minios_build.o
obj-y += common/linux_build.o common/linux_loader.o
obj-y += common/multiboot_build.o common/multiboot_loader.o
# An HVM domain's device bus, the PC it makes up, its ACPI tables.
obj-y += common/emul_bus.o common/pc_platform.o common/acpi_build.o
obj-y += common/pc_unplug.o
# Its emulated disk, NICs (e1000s on the virtual switch) and COM1.
obj-$(CONFIG_EMUL_IDE) += common/pc_ide.o
obj-$(CONFIG_EMUL_E1000) += common/pc_nic.o
obj-$(CONFIG_EMUL_UART) += common/pc_uart.o
