/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (v1) kernels as guests: finding and checking the header,
 * planning the load (ELF32 program headers, or the header's address
 * fields, the "a.out kludge"), and writing the image into guest RAM.
 * No hypervisor state: host unit tests run it on crafted images.
 */
#ifndef HV_MULTIBOOT_LOADER_H
#define HV_MULTIBOOT_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <hv/linux_loader.h>

#define MB_HEADER_MAGIC		0x1badb002u
#define MB_BOOT_MAGIC		0x2badb002u	/* in EAX at the entry */
#define MB_SEARCH_LEN		8192
#define MB_F_PAGE_ALIGN		(1u << 0)	/* modules on 4 KiB boundaries */
#define MB_F_MEMINFO		(1u << 1)
#define MB_F_VIDEO		(1u << 2)
#define MB_F_AOUT_KLUDGE	(1u << 16)
#define MB_MAX_SEGS		16

/* Multiboot information flags. */
#define MBI_MEMORY		(1u << 0)
#define MBI_CMDLINE		(1u << 2)
#define MBI_MODS		(1u << 3)
#define MBI_MEM_MAP		(1u << 6)
#define MBI_LOADER_NAME		(1u << 9)
#define MBI_SIZE		88	/* up to the APM table field */

struct mb_seg {
	size_t file_off;
	uint64_t file_len;
	uint64_t gpa;
	uint64_t mem_len;	/* file_len, then zeroes */
};

struct mb_image {
	uint32_t flags;
	uint32_t entry;
	bool aout;
	unsigned int nr_segs;
	struct mb_seg segs[MB_MAX_SEGS];
	uint64_t end_gpa;	/* above every segment */
	uint64_t area;		/* the loader's own area: see mb_areas */
};

/* Where the loader may keep an area of its own, len bytes, in order. */
struct mb_areas {
	const uint64_t *at;
	unsigned int nr;
	uint64_t len;
};

/*
 * 0 or a negative PVKIT_E*, *why naming the first problem.  Every
 * segment must lie inside one E820_RAM entry of the map; mi->area is the
 * first of areas that no segment loads into, and there must be one.
 */
int mb_check(const void *img, size_t len, const struct e820_entry *e820,
	     unsigned int nr_e820, const struct mb_areas *areas,
	     struct mb_image *mi, const char **why);
/* Writes the checked image into guest RAM (host view, mem_bytes long). */
void mb_load(const void *img, const struct mb_image *mi, uint8_t *guest);
/* Whether [gpa, gpa + len) lies inside one E820_RAM entry. */
bool mb_in_ram(const struct e820_entry *e820, unsigned int nr_e820,
	       uint64_t gpa, uint64_t len);

#endif
