/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated PC a hardware-virtualized guest sees: every fixed address,
 * port, interrupt line and magic value that the device models, the domain
 * builder (e820 map) and the ACPI tables must agree on.  Change a value
 * here and every one of them follows; docs/guest-platform.md explains the
 * layout.
 *
 * Interrupt numbering follows the PC: ISA IRQ n is GSI n on the IOAPIC,
 * except IRQ 0 (the PIT), which the MADT routes to GSI 2 with an
 * interrupt source override, as every PC firmware does.
 */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H

/* ---- Guest-physical memory map ---- */

/* Conventional memory ends where the legacy VGA hole starts. */
#define PLATFORM_LOWMEM_END		0x000a0000ull
/*
 * An HVM domain's shared info page (pvkit/shared_info.h): the last page
 * below the VGA hole, which the e820 map reserves (the extended BIOS data
 * area of a PC), so it is never RAM to the guest's allocator.
 */
#define PLATFORM_SHARED_INFO_GPA	0x0009f000ull

/*
 * The BIOS area.  The hypervisor writes the ACPI tables here (RSDP
 * first, so a scan of 0xE0000-0xFFFFF on 16-byte boundaries finds it);
 * the e820 map marks the whole area reserved.
 */
#define PLATFORM_ACPI_BASE		0x000e0000ull
#define PLATFORM_ACPI_SIZE		0x00020000ull
/* RAM above 1 MiB runs up to the ECAM window, the rest goes above 4 GiB. */
#define PLATFORM_HIGHMEM_START		0x00100000ull
#define PLATFORM_LOWMEM_TOP		0xb0000000ull
#define PLATFORM_RAM_ABOVE_4G		0x100000000ull

/*
 * PCI Express enhanced configuration (ECAM): 1 MiB per bus, buses
 * 0..PLATFORM_ECAM_BUS_END; reserved in the e820 map and by a PNP0C02
 * device in the DSDT.  Only bus 0 exists: declaring more makes Linux
 * probe every device slot of every bus, which cost a booting guest
 * some 16,000 exits.
 */
#define PLATFORM_ECAM_BASE		0xb0000000ull
#define PLATFORM_ECAM_BUS_START		0
#define PLATFORM_ECAM_BUS_END		0
#define PLATFORM_ECAM_SIZE \
	((PLATFORM_ECAM_BUS_END - PLATFORM_ECAM_BUS_START + 1ull) << 20)
#define PLATFORM_PCI_SEGMENT		0

/* The 32-bit window the host bridge forwards to PCI BARs. */
#define PLATFORM_PCI_MMIO_BASE		0xc0000000ull
#define PLATFORM_PCI_MMIO_END		0xfebfffffull	/* inclusive */

/*
 * The HPET's 1 KiB register block, found by the OS through the ACPI
 * "HPET" table.  Outside legacy replacement mode its timers may be
 * routed to IOAPIC inputs 10 and 11 only: ISA lines no device model
 * drives (the router does not share lines between devices).
 */
#define PLATFORM_HPET_BASE		0xfed00000ull
#define PLATFORM_HPET_SIZE		0x400
#define PLATFORM_HPET_GSI_CAP		((1u << 10) | (1u << 11))

/* Interrupt controllers. */
#define PLATFORM_IOAPIC_BASE		0xfec00000ull
#define PLATFORM_IOAPIC_ID		0
#define PLATFORM_IOAPIC_PINS		24
#define PLATFORM_IOAPIC_GSI_BASE	0
#define PLATFORM_LAPIC_BASE		0xfee00000ull
/* vCPU n has local APIC ID n and ACPI processor UID n. */
#define PLATFORM_MAX_VCPUS		255

/* ---- I/O ports and their ISA IRQs ---- */

#define PLATFORM_PIC_MASTER_PORT	0x20	/* 0x20-0x21 */
#define PLATFORM_PIC_SLAVE_PORT		0xa0	/* 0xa0-0xa1 */
#define PLATFORM_PIC_ELCR_PORT		0x4d0	/* 0x4d0-0x4d1 */
#define PLATFORM_PIT_PORT		0x40	/* 0x40-0x43 */
#define PLATFORM_PIT_IRQ		0
#define PLATFORM_PIT_GSI		2	/* the interrupt source override */
#define PLATFORM_RTC_PORT		0x70	/* 0x70-0x71 */
#define PLATFORM_RTC_IRQ		8
#define PLATFORM_RTC_CENTURY_INDEX	0x32	/* CMOS byte the FADT names */
#define PLATFORM_COM1_PORT		0x3f8	/* 0x3f8-0x3ff */
#define PLATFORM_COM1_IRQ		4

/* PCI configuration mechanism #1: CONFIG_ADDRESS and CONFIG_DATA. */
#define PLATFORM_PCI_CONF_ADDR_PORT	0xcf8
#define PLATFORM_PCI_CONF_DATA_PORT	0xcfc
#define PLATFORM_PCI_CONF_PORTS		8	/* 0xcf8-0xcff */

/*
 * The ACPI PM block: one run of 16 ports holding the PM1a event block
 * (status, then enable), PM1a control, the PM timer and the reset
 * register.  The reset register is not the chipset port 0xCF9 because
 * 0xCF9 lies inside the 32-bit CONFIG_ADDRESS register at 0xCF8: keeping
 * it here gives each port exactly one owner.  The FADT describes it as
 * an I/O-space generic address, which is how Linux reboots (reboot=acpi,
 * its default).
 */
#define PLATFORM_PM_BASE		0x600
#define PLATFORM_PM_PORTS		16
#define PLATFORM_PM1A_EVT_PORT		(PLATFORM_PM_BASE + 0x0)
#define PLATFORM_PM1_EVT_LEN		4	/* status word, enable word */
#define PLATFORM_PM1A_CNT_PORT		(PLATFORM_PM_BASE + 0x4)
#define PLATFORM_PM1_CNT_LEN		2
#define PLATFORM_PM_TMR_PORT		(PLATFORM_PM_BASE + 0x8)
#define PLATFORM_PM_TMR_LEN		4	/* 32 bits: FADT TMR_VAL_EXT */
#define PLATFORM_RESET_PORT		(PLATFORM_PM_BASE + 0xc)
#define PLATFORM_RESET_VALUE		0x06

/* The ACPI system control interrupt: ISA IRQ 9, level, active high. */
#define PLATFORM_SCI_IRQ		9

/*
 * PCI INTx: device d's pin p (0 = INTA) goes to IOAPIC pin
 * 16 + (d + p) % 8, level-triggered and active-low as ACPI has every
 * _PRT entry that names a GSI.  Devices 1-31; the host bridge has none.
 */
#define PLATFORM_PCI_INTX_GSI_BASE	16
#define PLATFORM_PCI_INTX_GSIS		8
#define PLATFORM_PCI_INTX_GSI(dev, pin) \
	(PLATFORM_PCI_INTX_GSI_BASE + ((dev) + (pin)) % PLATFORM_PCI_INTX_GSIS)

/* PM1_CNT.SLP_TYP values, as the DSDT's \_S5_ package gives them. */
#define PLATFORM_SLP_TYP_S5		5

/* The PM timer runs at 3.579545 MHz, whatever the guest's CPU does. */
#define PLATFORM_PM_TMR_HZ		3579545ull

/*
 * PCI IDs.  Red Hat's vendor 0x1af4 leaves device IDs 0x10f0-0x10ff free
 * for experimental use without registration (QEMU's docs/specs/pci-ids);
 * pvkit uses them until it has IDs of its own.  Linux's virtio-pci driver
 * looks at every 0x1af4 device but refuses IDs above 0x107f, so no driver
 * binds by mistake.  The host bridge is 0x10f0; 0x10f1 is meant for the
 * pvkit platform device.
 */
#define PLATFORM_PCI_VENDOR		0x1af4
#define PLATFORM_PCI_DEV_HOST_BRIDGE	0x10f0
#define PLATFORM_PCI_DEV_PLATFORM	0x10f1

/*
 * The pvkit platform device (pvkit/io/device.h) at 00:02.0, its BAR 0
 * placed at the top of the PCI window with memory decoding on, as
 * firmware would leave it.
 */
#define PLATFORM_PVKIT_PCI_SLOT		2
#define PLATFORM_PVKIT_PCI_BAR		0xfebff000ull

/*
 * Emulated e1000 NICs (net=ID,mode=emulated), in the order the module
 * line names them: slots 3 and 4, BAR 0 below the platform device's, BAR
 * 1 in the ports above the IDE bus-master block.
 */
#define PLATFORM_E1000_MAX		2
#define PLATFORM_E1000_SLOT(i)		(3 + (i))
#define PLATFORM_E1000_BAR(i)		(0xfebc0000ull - 0x20000ull * (i))
#define PLATFORM_E1000_IO(i)		(0xc040 + 0x40 * (i))

/*
 * The emulated IDE controller (a disk=ID,mode=emulated) at 00:01.0, in
 * legacy mode (ports 0x1f0-0x1f7 and 0x3f6, ISA IRQ 14), its bus-master
 * block (BAR 4, 16 ports) placed and decoding as firmware would leave it.
 */
#define PLATFORM_IDE_PCI_SLOT		1
#define PLATFORM_IDE_BM_PORT		0xc000

/*
 * Passed-through PCI functions (pci=BB:DD.F), in the order the module
 * line names them, from slot 8.  Their memory BARs are placed from the
 * bottom of the PCI window up, each aligned to its size, with decoding
 * off as firmware that did not need them would leave them.
 */
#define PLATFORM_PT_MAX			4
#define PLATFORM_PT_SLOT(i)		(8 + (i))

#endif /* HV_PLATFORM_H */
