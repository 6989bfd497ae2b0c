/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor runs identity mapped at its load address.  The Multiboot
 * header must sit in the first 8 KiB of the file, so .multiboot comes first.
 */
#include <asm/layout.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(multiboot_entry)

SECTIONS
{
	. = HV_LOAD_ADDR;
	__image_start = .;
	.text : {
		KEEP(*(.multiboot))
		*(.text.boot)
		*(.text .text.*)
	}
	. = ALIGN(4096);
	.rodata : {
		*(.rodata .rodata.*)
	}
	__ro_end = .;
	. = ALIGN(4096);
	.data : {
		*(.data .data.*)
	}
	__load_end = .;
	. = ALIGN(4096);
	.bss : {
		__bss_start = .;
		*(.bss.pagetables)
		*(.bss .bss.* COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	}
	__image_end = .;
	/DISCARD/ : { *(.note*) *(.comment) *(.eh_frame) }
}
