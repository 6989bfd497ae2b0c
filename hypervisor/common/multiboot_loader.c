// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot (v1) image checks and loading.  Every field is read once
 * from the image into a local, checked against the image's length and
 * the guest's memory map, and only then used.
 */
#include <stdint.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/multiboot_loader.h>

#define EM_386		3
#define PT_LOAD		1

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

bool mb_in_ram(const struct e820_entry *e820, unsigned int nr_e820,
	       uint64_t gpa, uint64_t len)
{
	if (gpa + len < gpa)
		return false;
	for (unsigned int i = 0; i < nr_e820; i++)
		if (e820[i].type == E820_RAM && gpa >= e820[i].addr &&
		    gpa + len <= e820[i].addr + e820[i].size)
			return true;
	return false;
}

/* Offset of the header in the first 8 KiB, or -1. */
static long find_header(const uint8_t *img, size_t len)
{
	size_t n = len < MB_SEARCH_LEN ? len : MB_SEARCH_LEN;

	for (size_t off = 0; off + 12 <= n; off += 4) {
		uint32_t magic = rd32(img + off), flags = rd32(img + off + 4);

		if (magic == MB_HEADER_MAGIC &&
		    magic + flags + rd32(img + off + 8) == 0)
			return (long)off;
	}
	return -1;
}

static int add_seg(struct mb_image *mi, size_t off, uint64_t flen,
		   uint64_t gpa, uint64_t mlen, const char **why)
{
	if (mi->nr_segs == MB_MAX_SEGS) {
		*why = "more loadable segments than the loader takes";
		return -PVKIT_E2BIG;
	}
	mi->segs[mi->nr_segs++] = (struct mb_seg){ off, flen, gpa, mlen };
	if (gpa + mlen > mi->end_gpa)
		mi->end_gpa = gpa + mlen;
	return 0;
}

/* The header's address fields: the file is loaded as one piece. */
static int plan_aout(const uint8_t *img, size_t len, size_t hdr,
		     struct mb_image *mi, const char **why)
{
	uint32_t header_addr, load_addr, load_end, bss_end;
	uint64_t off, flen, mlen;

	if (hdr + 32 > len) {
		*why = "Multiboot header cut short";
		return -PVKIT_EINVAL;
	}
	header_addr = rd32(img + hdr + 12);
	load_addr = rd32(img + hdr + 16);
	load_end = rd32(img + hdr + 20);
	bss_end = rd32(img + hdr + 24);
	mi->entry = rd32(img + hdr + 28);
	if (load_addr > header_addr || header_addr - load_addr > hdr) {
		*why = "header_addr and load_addr do not fit the file";
		return -PVKIT_EINVAL;
	}
	off = hdr - (header_addr - load_addr);
	flen = load_end ? (uint64_t)load_end - load_addr : len - off;
	if (load_end && (load_end < load_addr || off + flen > len)) {
		*why = "load_end_addr past the end of the file";
		return -PVKIT_EINVAL;
	}
	mlen = flen;
	if (bss_end) {
		if (bss_end < load_addr + flen) {
			*why = "bss_end_addr below load_end_addr";
			return -PVKIT_EINVAL;
		}
		mlen = (uint64_t)bss_end - load_addr;
	}
	mi->aout = true;
	return add_seg(mi, off, flen, load_addr, mlen, why);
}

static int plan_elf(const uint8_t *img, size_t len, struct mb_image *mi,
		    const char **why)
{
	uint32_t phoff;
	uint16_t phentsize, phnum;

	if (len < 52 || memcmp(img, "\x7f" "ELF", 4)) {
		*why = "neither an ELF file nor a header with address fields (flag 16)";
		return -PVKIT_EINVAL;
	}
	if (img[4] != 1 || img[5] != 1 || rd16(img + 18) != EM_386) {
		*why = "not a 32-bit little-endian i386 ELF file";
		return -PVKIT_EINVAL;
	}
	mi->entry = rd32(img + 24);
	phoff = rd32(img + 28);
	phentsize = rd16(img + 42);
	phnum = rd16(img + 44);
	if (phentsize < 32 || phoff > len ||
	    (uint64_t)phnum * phentsize > len - phoff) {
		*why = "program headers outside the file";
		return -PVKIT_EINVAL;
	}
	for (unsigned int i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (size_t)i * phentsize;
		uint32_t off = rd32(ph + 4), paddr = rd32(ph + 12);
		uint32_t filesz = rd32(ph + 16), memsz = rd32(ph + 20);
		int ret;

		if (rd32(ph) != PT_LOAD || !memsz)
			continue;
		if (filesz > memsz || off > len || filesz > len - off) {
			*why = "a segment outside the file";
			return -PVKIT_EINVAL;
		}
		ret = add_seg(mi, off, filesz, paddr, memsz, why);
		if (ret)
			return ret;
	}
	return 0;
}

static bool entry_loaded(const struct mb_image *mi)
{
	for (unsigned int i = 0; i < mi->nr_segs; i++)
		if (mi->entry >= mi->segs[i].gpa &&
		    mi->entry < mi->segs[i].gpa + mi->segs[i].mem_len)
			return true;
	return false;
}

/* The first of areas that no segment loads into; false if none. */
static bool pick_area(struct mb_image *mi, const struct mb_areas *areas)
{
	for (unsigned int a = 0; a < areas->nr; a++) {
		uint64_t lo = areas->at[a], hi = lo + areas->len;
		unsigned int i;

		for (i = 0; i < mi->nr_segs; i++) {
			const struct mb_seg *s = &mi->segs[i];

			if (s->gpa < hi && s->gpa + s->mem_len > lo)
				break;
		}
		if (i == mi->nr_segs) {
			mi->area = lo;
			return true;
		}
	}
	return false;
}

static int check_places(struct mb_image *mi,
			const struct e820_entry *e820, unsigned int nr_e820,
			const struct mb_areas *areas, const char **why)
{
	if (!mi->nr_segs) {
		*why = "nothing to load";
		return -PVKIT_EINVAL;
	}
	for (unsigned int i = 0; i < mi->nr_segs; i++) {
		const struct mb_seg *s = &mi->segs[i];

		if (!mb_in_ram(e820, nr_e820, s->gpa, s->mem_len)) {
			*why = "a segment outside the domain's RAM";
			return -PVKIT_E2BIG;
		}
	}
	if (!pick_area(mi, areas)) {
		*why = "segments over every place the loader's area can go below 1 MiB";
		return -PVKIT_EINVAL;
	}
	if (!entry_loaded(mi)) {
		*why = "the entry point is not in a loaded segment";
		return -PVKIT_EINVAL;
	}
	return 0;
}

int mb_check(const void *image, size_t len, const struct e820_entry *e820,
	     unsigned int nr_e820, const struct mb_areas *areas,
	     struct mb_image *mi, const char **why)
{
	const uint8_t *img = image;
	long hdr = find_header(img, len);
	int ret;

	*mi = (struct mb_image){ 0 };
	if (hdr < 0) {
		*why = "no Multiboot header in the first 8 KiB";
		return -PVKIT_EINVAL;
	}
	mi->flags = rd32(img + hdr + 4);
	/* Bits 0-15 the kernel needs; only the first three exist. */
	if (mi->flags & 0xfff8u) {
		*why = "the header asks for a feature the loader does not know";
		return -PVKIT_EINVAL;
	}
	if (mi->flags & MB_F_AOUT_KLUDGE)
		ret = plan_aout(img, len, (size_t)hdr, mi, why);
	else
		ret = plan_elf(img, len, mi, why);
	if (ret)
		return ret;
	return check_places(mi, e820, nr_e820, areas, why);
}

void mb_load(const void *image, const struct mb_image *mi, uint8_t *guest)
{
	const uint8_t *img = image;

	for (unsigned int i = 0; i < mi->nr_segs; i++) {
		const struct mb_seg *s = &mi->segs[i];

		memcpy(guest + s->gpa, img + s->file_off, s->file_len);
		memset(guest + s->gpa + s->file_len, 0,
		       s->mem_len - s->file_len);
	}
}
