// SPDX-License-Identifier: GPL-2.0
/*
 * elf_check()/elf_load() against images built here: well-formed ones, and
 * one broken field at a time, each with the error and reason expected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/elf.h>
#include "ktap.h"
#include "elf_build.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MEM		(1ul << 20)
#define IMG_CAP		(64ul << 10)

static uint8_t img[IMG_CAP];

/* text at 0x1000 (0x300 bytes), data+bss at 0x4000, a note. */
static const struct test_seg std_segs[] = {
	{ PT_LOAD, PF_R | PF_X, 0x1000, 0, 0x300, 0x300 },
	{ PT_NOTE, PF_R, 0, 0, 0x20, 0x20 },
	{ PT_LOAD, PF_R | PF_W, 0x4000, 0, 0x123, 0x2000 },
};
#define STD_ENTRY	0x1010

static size_t build_std(void)
{
	return test_elf_build(img, sizeof(img), STD_ENTRY, std_segs,
			      ARRAY_SIZE(std_segs));
}

static void test_valid(void)
{
	struct elf_image ei;
	const char *why = NULL;
	size_t len = build_std();

	EXPECT(len > 0);
	EXPECT_EQ(elf_check(img, len, MEM, &ei, &why), 0);
	EXPECT_EQ(ei.entry, STD_ENTRY);
	EXPECT_EQ(ei.entry_paddr, STD_ENTRY);
	EXPECT_EQ(ei.lowest, 0x1000);
	EXPECT_EQ(ei.highest, 0x6000);
	/* Segments may end exactly at the end of guest RAM. */
	EXPECT_EQ(elf_check(img, len, 0x6000, &ei, &why), 0);
	/* out and why are optional. */
	EXPECT_EQ(elf_check(img, len, MEM, NULL, NULL), 0);
}

static void test_vaddr_differs(void)
{
	static const struct test_seg segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0x200000, 0xffffffff80200000ull,
		  0x100, 0x100 },
	};
	struct elf_image ei;
	const char *why = NULL;
	size_t len = test_elf_build(img, sizeof(img), 0xffffffff80200040ull,
				    segs, 1);

	EXPECT_EQ(elf_check(img, len, 4ul << 20, &ei, &why), 0);
	EXPECT_EQ(ei.entry, 0xffffffff80200040ull);
	EXPECT_EQ(ei.entry_paddr, 0x200040);
}

static void test_unaligned_image(void)
{
	static uint8_t shifted[IMG_CAP + 1];
	const char *why = NULL;
	struct elf_image ei;
	size_t len = build_std();

	memcpy(shifted + 1, img, len);
	EXPECT_EQ(elf_check(shifted + 1, len, MEM, &ei, &why), 0);
}

struct bad_case {
	const char *what;
	void (*corrupt)(size_t *len);
	int err;
	const char *why;	/* a word the reason must contain */
};

static void c_truncated(size_t *len) { *len = 63; }
static void c_empty(size_t *len) { *len = 0; }
static void c_magic(size_t *len) { (void)len; img[1] = 'X'; }
static void c_class(size_t *len) { (void)len; img[EI_CLASS] = ELFCLASS32; }
static void c_data(size_t *len) { (void)len; img[EI_DATA] = ELFDATA2MSB; }
static void c_version(size_t *len) { (void)len; put32(img, EH_VERSION, 2); }
static void c_machine(size_t *len) { (void)len; put16(img, EH_MACHINE, EM_386); }
static void c_type(size_t *len) { (void)len; put16(img, EH_TYPE, ET_DYN); }
static void c_phentsize(size_t *len) { (void)len; put16(img, EH_PHENTSIZE, 32); }
static void c_phnum0(size_t *len) { (void)len; put16(img, EH_PHNUM, 0); }
static void c_phnum_big(size_t *len) { (void)len; put16(img, EH_PHNUM, 0xffff); }
static void c_phoff_out(size_t *len) { put64(img, EH_PHOFF, *len - 100); }
static void c_phoff_ovf(size_t *len) { (void)len; put64(img, EH_PHOFF, ~0ull - 8); }
static void c_phdrs_cut(size_t *len) { *len = 64 + 56 * 2 + 10; }
static void c_off_out(size_t *len) { put64(img, PH_FIELD(2, p_offset), *len); }
static void c_off_ovf(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(0, p_offset), ~0ull - 0x10);
}
static void c_filesz_ovf(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(0, p_filesz), ~0ull);
	put64(img, PH_FIELD(0, p_memsz), ~0ull);
}
static void c_filesz_gt(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(0, p_memsz), 0x2ff);
}
static void c_outside_ram(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(2, p_paddr), MEM - 0x1000);
}
static void c_paddr_ovf(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(2, p_paddr), ~0ull - 0xfff);
}
static void c_memsz_ovf(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(2, p_memsz), ~0ull - 0x1000);
}
static void c_overlap(size_t *len)
{
	(void)len;
	put64(img, PH_FIELD(2, p_paddr), 0x12ff);
}
static void c_no_load(size_t *len)
{
	(void)len;
	put32(img, PH_FIELD(0, p_type), PT_NULL);
	put32(img, PH_FIELD(2, p_type), PT_NOTE);
}
static void c_entry_out(size_t *len) { (void)len; put64(img, EH_ENTRY, 0x3000); }
static void c_entry_end(size_t *len) { (void)len; put64(img, EH_ENTRY, 0x1300); }
static void c_entry_data(size_t *len) { (void)len; put64(img, EH_ENTRY, 0x4000); }

static const struct bad_case bad_cases[] = {
	{ "truncated header", c_truncated, -PVKIT_EINVAL, "header" },
	{ "empty file", c_empty, -PVKIT_EINVAL, "header" },
	{ "bad magic", c_magic, -PVKIT_EINVAL, "magic" },
	{ "32-bit class", c_class, -PVKIT_EINVAL, "64-bit" },
	{ "big endian", c_data, -PVKIT_EINVAL, "endian" },
	{ "bad version", c_version, -PVKIT_EINVAL, "version" },
	{ "i386 machine", c_machine, -PVKIT_EINVAL, "x86-64" },
	{ "ET_DYN", c_type, -PVKIT_EINVAL, "ET_EXEC" },
	{ "phentsize", c_phentsize, -PVKIT_EINVAL, "header size" },
	{ "no phdrs", c_phnum0, -PVKIT_EINVAL, "no program headers" },
	{ "too many phdrs", c_phnum_big, -PVKIT_EINVAL, "too many" },
	{ "phdrs outside file", c_phoff_out, -PVKIT_EINVAL, "outside the file" },
	{ "phoff overflow", c_phoff_ovf, -PVKIT_EINVAL, "outside the file" },
	{ "phdrs cut short", c_phdrs_cut, -PVKIT_EINVAL, "outside the file" },
	{ "p_offset outside", c_off_out, -PVKIT_EINVAL, "outside the file" },
	{ "p_offset overflow", c_off_ovf, -PVKIT_EINVAL, "outside the file" },
	{ "p_filesz overflow", c_filesz_ovf, -PVKIT_EINVAL, "outside the file" },
	{ "filesz > memsz", c_filesz_gt, -PVKIT_EINVAL, "larger" },
	{ "outside guest RAM", c_outside_ram, -PVKIT_ERANGE, "guest RAM" },
	{ "p_paddr overflow", c_paddr_ovf, -PVKIT_ERANGE, "guest RAM" },
	{ "p_memsz overflow", c_memsz_ovf, -PVKIT_ERANGE, "guest RAM" },
	{ "overlap", c_overlap, -PVKIT_EINVAL, "overlap" },
	{ "no PT_LOAD", c_no_load, -PVKIT_EINVAL, "PT_LOAD" },
	{ "entry outside", c_entry_out, -PVKIT_EINVAL, "entry" },
	{ "entry one past", c_entry_end, -PVKIT_EINVAL, "entry" },
	{ "entry in data", c_entry_data, -PVKIT_EINVAL, "entry" },
};

static void test_malformed(void)
{
	struct elf_image ei, before;
	const char *why;
	size_t i, len;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		len = build_std();
		bad_cases[i].corrupt(&len);
		memset(&ei, 0x77, sizeof(ei));
		before = ei;
		why = NULL;
		ret = elf_check(img, len, MEM, &ei, &why);
		if (ret != bad_cases[i].err || !why ||
		    !strstr(why, bad_cases[i].why) ||
		    memcmp(&ei, &before, sizeof(ei))) {
			ktap_fail_at(__FILE__, __LINE__, bad_cases[i].what);
			ktap_diag("  got %d \"%s\", want %d \"...%s...\"", ret,
				  why ? why : "(null)", bad_cases[i].err,
				  bad_cases[i].why);
		}
	}
	ktap_diag("%zu malformed images rejected", i);
}

/* Every prefix of a valid image is rejected without a read past it. */
static void test_every_truncation(void)
{
	const char *why;
	size_t len = build_std(), cut;
	uint8_t *copy;

	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, img, cut);
		why = NULL;
		EXPECT(elf_check(copy, cut, MEM, NULL, &why) < 0);
		EXPECT(why != NULL);
		free(copy);
	}
}

static void test_load(void)
{
	uint8_t *guest = malloc(MEM);
	struct elf_image ei;
	size_t len = build_std();
	uint64_t i, bad = 0;

	memset(guest, 0xaa, MEM);
	EXPECT_EQ(elf_check(img, len, MEM, &ei, NULL), 0);
	elf_load(img, len, guest, MEM);
	for (i = 0; i < MEM; i++) {
		uint8_t want = 0xaa;

		if (i >= 0x1000 && i < 0x1300)
			want = test_elf_byte(0, i - 0x1000);
		else if (i >= 0x4000 && i < 0x4123)
			want = test_elf_byte(2, i - 0x4000);
		else if (i >= 0x4123 && i < 0x6000)
			want = 0;	/* bss */
		if (guest[i] != want && bad++ < 5)
			ktap_diag("guest byte 0x%llx is 0x%02x, want 0x%02x",
				  (unsigned long long)i, guest[i], want);
	}
	EXPECT_EQ(bad, 0);
	free(guest);
}

/* memsz 0 segments and a pure-bss segment. */
static void test_edge_segments(void)
{
	static const struct test_seg segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0x0, 0, 0x10, 0x10 },
		{ PT_LOAD, PF_R, 0x8, 0, 0, 0 },
		{ PT_LOAD, PF_R | PF_W, 0x10, 0, 0, 0x1000 },
	};
	uint8_t *guest = malloc(0x2000);
	struct elf_image ei;
	const char *why = NULL;
	size_t len = test_elf_build(img, sizeof(img), 0, segs, 3);

	EXPECT_EQ(elf_check(img, len, 0x1010, &ei, &why), 0);
	EXPECT_EQ(ei.lowest, 0);
	EXPECT_EQ(ei.highest, 0x1010);
	EXPECT_EQ(elf_check(img, len, 0x100f, &ei, &why), -PVKIT_ERANGE);
	memset(guest, 0xee, 0x2000);
	elf_load(img, len, guest, 0x1010);
	EXPECT_EQ(guest[0], test_elf_byte(0, 0));
	EXPECT_EQ(guest[0xf], test_elf_byte(0, 0xf));
	EXPECT_EQ(guest[0x10], 0);
	EXPECT_EQ(guest[0x100f], 0);
	EXPECT_EQ(guest[0x1010], 0xee);
	free(guest);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_valid),
	KTAP_CASE(test_vaddr_differs),
	KTAP_CASE(test_unaligned_image),
	KTAP_CASE(test_malformed),
	KTAP_CASE(test_every_truncation),
	KTAP_CASE(test_load),
	KTAP_CASE(test_edge_segments),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
