/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading a Linux bzImage for the 64-bit boot protocol
 * (Documentation/arch/x86/boot.rst): the protected-mode kernel goes to
 * its preferred address, boot_params ("the zero page") carries the setup
 * header, the command line, the initramfs and the e820 map, and vCPU 0
 * enters at load address + 0x200 in long mode with RSI = boot_params.
 *
 * Like the ELF loader, linux_check() validates without side effects and
 * linux_load() only runs on an image linux_check() accepted.
 */
#ifndef HV_LINUX_LOADER_H
#define HV_LINUX_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define E820_RAM	1
#define E820_RESERVED	2
#define E820_ACPI	3
#define E820_MAX	128

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct linux_image {
	uint16_t version;	/* boot protocol version */
	size_t setup_len;	/* setup header bytes from 0x1f1 */
	size_t pm_offset;	/* protected-mode kernel in the file */
	size_t pm_len;
	uint64_t load_gpa;	/* where it goes */
	uint64_t end_gpa;	/* load_gpa + init_size */
	uint64_t entry_gpa;	/* 64-bit entry point */
	uint64_t initrd_max;	/* highest address + 1 for the initramfs */
};

struct linux_boot {
	uint64_t boot_params_gpa;
	const char *cmdline;
	uint64_t cmdline_gpa;
	const void *initrd;
	uint64_t initrd_len;
	uint64_t initrd_gpa;
	uint64_t acpi_rsdp_gpa;
	const struct e820_entry *e820;
	unsigned int nr_e820;
	/* Guest RAM reads zero already: the kernel's BSS needs no clearing. */
	bool ram_zeroed;
};

/* 0 or a negative PVKIT_E*; *why names the first problem. */
int linux_check(const void *img, size_t len, uint64_t mem_bytes,
		struct linux_image *li, const char **why);
/* Where an initramfs of len bytes goes: as high as allowed, page aligned,
 * above the kernel.  0 or -PVKIT_E2BIG with *why. */
int linux_place_initrd(const struct linux_image *li, uint64_t mem_bytes,
		       uint64_t len, uint64_t *gpa, const char **why);
/* Writes kernel, initramfs, command line and boot_params into guest RAM
 * (host view `guest`, mem_bytes long); every GPA in b must have been
 * checked by the caller to lie inside RAM with room for its contents. */
void linux_load(const void *img, size_t len, const struct linux_image *li,
		void *guest, uint64_t mem_bytes, const struct linux_boot *b);

#endif
