// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Multiboot (v1) loader: mb_check() on arbitrary
 * bytes against the PC map of a domain of fuzzed size (mb_guest.h), and
 * for an accepted image mb_load() into a buffer exactly as large as guest
 * RAM, so any write outside guest memory is an ASan report.  What
 * mb_check() promises is checked here apart from it; a broken promise
 * aborts.
 *
 * Input: a 4-byte prefix, then the image.
 *   0      bit 7 clear: RAM is (byte 1 % 16 + 1) * 2 MiB, and the image
 *          is loaded; set: RAM is bytes 1..3 * 2 MiB (at least 2 MiB, at
 *          most what a Multiboot domain can have), checked only
 *   1..3   the RAM size
 */
#include <stdint.h>
#include <stdlib.h>
#include <sanitizer/asan_interface.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/multiboot_loader.h>
#include "mb_guest.h"

#define PREFIX		4
#define MEM_UNIT	(2ull << 20)
#define MAX_LOAD_MEM	(16 * MEM_UNIT)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t guest_buf[MAX_LOAD_MEM];
static uint64_t guest_open = MAX_LOAD_MEM;

/* Only the first len bytes may be touched: ASan poisons the rest. */
static uint8_t *guest_window(uint64_t len)
{
	if (len != guest_open) {
		ASAN_UNPOISON_MEMORY_REGION(guest_buf, MAX_LOAD_MEM);
		ASAN_POISON_MEMORY_REGION(guest_buf + len, MAX_LOAD_MEM - len);
		guest_open = len;
	}
	return guest_buf;
}

static uint64_t ram_size(const uint8_t *p)
{
	uint64_t units;

	if (!(p[0] & 0x80))
		return (p[1] % 16 + 1) * MEM_UNIT;
	units = p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16;
	units = units % (PLATFORM_LOWMEM_TOP / MEM_UNIT) + 1;
	return units * MEM_UNIT;
}

static bool first_area_taken(const struct mb_image *mi)
{
	for (unsigned int i = 0; i < mi->nr_segs; i++)
		if (mb_guest_in_area(MB_GUEST_AREA_1, mi->segs[i].gpa,
				     mi->segs[i].mem_len))
			return true;
	return false;
}

static void check_plan(const struct mb_image *mi, size_t len, uint64_t mem)
{
	bool entry = false;

	if (!mi->nr_segs || mi->nr_segs > MB_MAX_SEGS)
		abort();
	for (unsigned int i = 0; i < mi->nr_segs; i++) {
		const struct mb_seg *s = &mi->segs[i];

		if (s->file_len > s->mem_len || s->file_off > len ||
		    s->file_len > len - s->file_off)
			abort();
		if (!mb_guest_ram(mem, s->gpa, s->mem_len))
			abort();
		if (mb_guest_in_area(mi->area, s->gpa, s->mem_len))
			abort();
		if (s->gpa + s->mem_len > mi->end_gpa)
			abort();
		if (mi->entry >= s->gpa && mi->entry < s->gpa + s->mem_len)
			entry = true;
	}
	if (!entry)
		abort();
	/* the second place only when a segment takes the first */
	if (mi->area != MB_GUEST_AREA_1 &&
	    (mi->area != MB_GUEST_AREA_2 || !first_area_taken(mi)))
		abort();
}

static bool overlaps_later(const struct mb_image *mi, unsigned int i)
{
	const struct mb_seg *s = &mi->segs[i];

	for (unsigned int j = i + 1; j < mi->nr_segs; j++) {
		const struct mb_seg *t = &mi->segs[j];

		if (s->gpa < t->gpa + t->mem_len && t->gpa < s->gpa + s->mem_len)
			return true;
	}
	return false;
}

static void load(const uint8_t *img, const struct mb_image *mi, uint64_t mem)
{
	uint8_t *g = guest_window(mem);

	mb_load(img, mi, g);
	/* A segment's bytes, then zeroes, unless a later one covers it. */
	for (unsigned int i = 0; i < mi->nr_segs; i++) {
		const struct mb_seg *s = &mi->segs[i];

		if (overlaps_later(mi, i))
			continue;
		if (memcmp(g + s->gpa, img + s->file_off, s->file_len))
			abort();
		for (uint64_t k = s->file_len; k < s->mem_len; k++)
			if (g[s->gpa + k])
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct e820_entry e820[MB_GUEST_E820];
	struct mb_image mi;
	const char *why = NULL;
	uint64_t mem;
	unsigned int n;
	int ret;

	if (size < PREFIX)
		return 0;
	mem = ram_size(data);
	data += PREFIX;
	size -= PREFIX;
	n = mb_guest_e820(mem, e820);
	ret = mb_check(data, size, e820, n, &mb_guest_areas, &mi, &why);
	if (ret) {
		if (ret >= 0 || !why)
			abort();
		return 0;
	}
	check_plan(&mi, size, mem);
	if (mem <= MAX_LOAD_MEM)
		load(data, &mi, mem);
	return 0;
}
