/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest a Multiboot kernel is checked against in the host tests and
 * the fuzzer: the PC memory map guest_pc_e820() gives a domain of mem
 * bytes, and the two places below 1 MiB where multiboot_build.c keeps an
 * area for itself (its boot tables, trampoline, information, strings).
 * Written out again here, from the platform's addresses: guest_boot.c
 * needs a whole domain, so a change there must be made here too.
 */
#ifndef TESTS_UNIT_MB_GUEST_H
#define TESTS_UNIT_MB_GUEST_H

#include <stdint.h>
#include <hv/linux_loader.h>
#include <hv/multiboot_loader.h>
#include <hv/platform.h>

#define MB_GUEST_AREA_1		0x1000ull
#define MB_GUEST_AREA_2		0x80000ull
#define MB_GUEST_AREA_LEN	0x19000ull
#define MB_GUEST_E820		5

static const uint64_t mb_guest_area_at[] = { MB_GUEST_AREA_1,
					     MB_GUEST_AREA_2 };
static const struct mb_areas mb_guest_areas = {
	mb_guest_area_at, 2, MB_GUEST_AREA_LEN
};

/* Whether [gpa, gpa + len) meets the area at lo. */
static inline bool mb_guest_in_area(uint64_t lo, uint64_t gpa, uint64_t len)
{
	return gpa < lo + MB_GUEST_AREA_LEN && gpa + len > lo;
}

static inline unsigned int mb_guest_e820(uint64_t mem, struct e820_entry *e)
{
	e[0] = (struct e820_entry){ 0, PLATFORM_SHARED_INFO_GPA, E820_RAM };
	e[1] = (struct e820_entry){ PLATFORM_SHARED_INFO_GPA,
				    PLATFORM_LOWMEM_END -
				    PLATFORM_SHARED_INFO_GPA, E820_RESERVED };
	e[2] = (struct e820_entry){ PLATFORM_ACPI_BASE, PLATFORM_ACPI_SIZE,
				    E820_ACPI };
	e[3] = (struct e820_entry){ PLATFORM_HIGHMEM_START,
				    mem - PLATFORM_HIGHMEM_START, E820_RAM };
	e[4] = (struct e820_entry){ PLATFORM_ECAM_BASE, PLATFORM_ECAM_SIZE,
				    E820_RESERVED };
	return MB_GUEST_E820;
}

/* Whether [gpa, gpa + len) is RAM of that map: worked out apart from it. */
static inline bool mb_guest_ram(uint64_t mem, uint64_t gpa, uint64_t len)
{
	if (gpa + len < gpa)
		return false;
	if (gpa + len <= PLATFORM_SHARED_INFO_GPA)
		return true;
	return gpa >= PLATFORM_HIGHMEM_START && gpa + len <= mem;
}

#endif /* TESTS_UNIT_MB_GUEST_H */
