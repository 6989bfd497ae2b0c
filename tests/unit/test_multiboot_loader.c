// SPDX-License-Identifier: GPL-2.0
/*
 * mb_check(), mb_load() and mb_in_ram() against Multiboot (v1) images
 * built here: a flat file with the header's address fields (the "a.out
 * kludge") and an ELF32 file, then one field changed at a time.  The
 * header layout is the Multiboot specification's (3.1.1, 3.1.3), the
 * ELF one <elf.h>'s, not the loader's own offsets; the guest is the PC
 * map a Multiboot domain gets (mb_guest.h).
 *
 * With "--seeds DIR" the binary writes the good images as files for the
 * fuzz suite to start from, and runs no tests.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/multiboot_loader.h>
#include "ktap.h"
#include "mb_guest.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define MAGIC		0x1badb002u
#define F_AOUT		(1u << 16)
#define IMG_CAP		(64u << 10)
#define MEM		(16ull << 20)
#define MiB		(1ull << 20)
#define FILL		0xa5

/* The flat image: header at HDR_OFF, the file loaded from offset 0. */
#define AOUT_LEN	0x4000u
#define HDR_OFF		0x40u
#define LOAD		0x200000u
#define LOAD_END	(LOAD + 0x3000u)
#define BSS_END		(LOAD + 0x5000u)
#define ENTRY		(LOAD + 0x100u)

/* The ELF image: its header inside the first segment's file data. */
#define ELF_HDR_OFF	0x400u
#define ELF_ENTRY	0x100010u

static uint8_t img[IMG_CAP];

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

static void pattern(size_t len)
{
	for (size_t i = 0; i < len; i++)
		img[i] = (uint8_t)(i * 13 + (i >> 8) + 1);
}

/* magic, flags, checksum, then the address fields when given. */
static void put_header(size_t off, uint32_t flags, const uint32_t *addr)
{
	put32(img, off, MAGIC);
	put32(img, off + 4, flags);
	put32(img, off + 8, -(MAGIC + flags));
	for (unsigned int i = 0; addr && i < 5; i++)
		put32(img, off + 12 + 4 * i, addr[i]);
}

/* header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr */
static size_t build_aout(void)
{
	const uint32_t addr[5] = { LOAD + HDR_OFF, LOAD, LOAD_END, BSS_END,
				   ENTRY };

	pattern(AOUT_LEN);
	put_header(HDR_OFF, F_AOUT | 0x3, addr);
	return AOUT_LEN;
}

static void set_aout(unsigned int field, uint32_t v)
{
	put32(img, HDR_OFF + 12 + 4 * field, v);
}

struct seg {
	uint32_t type;
	uint32_t off;
	uint32_t paddr;
	uint32_t filesz;
	uint32_t memsz;
};

static const struct seg elf_segs[] = {
	{ PT_LOAD, 0x0, 0x100000, 0x1000, 0x1000 },	/* headers and text */
	{ PT_NOTE, 0x1000, 0, 0x20, 0x20 },
	{ PT_LOAD, 0x2000, 0x110000, 0x100, 0x3000 },	/* data and bss */
	{ PT_LOAD, 0x2100, 0x200000, 0, 0 },		/* empty: skipped */
};

static size_t build_elf_segs(const struct seg *segs, unsigned int n,
			     uint32_t entry)
{
	Elf32_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32,
			     ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC,
		.e_machine = EM_386,
		.e_version = EV_CURRENT,
		.e_entry = entry,
		.e_phoff = sizeof(Elf32_Ehdr),
		.e_ehsize = sizeof(Elf32_Ehdr),
		.e_phentsize = sizeof(Elf32_Phdr),
		.e_phnum = (uint16_t)n,
	};
	size_t len = 0x2200;

	pattern(len);
	memcpy(img, &eh, sizeof(eh));
	for (unsigned int i = 0; i < n; i++) {
		Elf32_Phdr ph = {
			.p_type = segs[i].type, .p_offset = segs[i].off,
			.p_vaddr = segs[i].paddr, .p_paddr = segs[i].paddr,
			.p_filesz = segs[i].filesz, .p_memsz = segs[i].memsz,
			.p_align = 0x1000,
		};

		memcpy(img + sizeof(eh) + i * sizeof(ph), &ph, sizeof(ph));
	}
	put_header(ELF_HDR_OFF, 0x2, NULL);
	return len;
}

static size_t build_elf(void)
{
	return build_elf_segs(elf_segs, ARRAY_SIZE(elf_segs), ELF_ENTRY);
}

static int check_mem(size_t len, uint64_t mem, struct mb_image *mi,
		     const char **why)
{
	struct e820_entry e820[MB_GUEST_E820];
	unsigned int n = mb_guest_e820(mem, e820);

	*why = NULL;
	return mb_check(img, len, e820, n, &mb_guest_areas, mi, why);
}

/* Refused with ret and a reason that holds what. */
static void expect_refused(size_t len, uint64_t mem, int ret,
			   const char *what, int line)
{
	struct mb_image mi;
	const char *why;
	int got = check_mem(len, mem, &mi, &why);

	if (got != ret || !why || !strstr(why, what)) {
		ktap_fail_at(__FILE__, line, what);
		ktap_diag("  returned %d (want %d), why \"%s\"", got, ret,
			  why ? why : "(null)");
	}
}

#define REFUSED(len, ret, what) \
	expect_refused((len), MEM, (ret), (what), __LINE__)

static uint8_t *guest_alloc(uint64_t mem)
{
	uint8_t *g = malloc(mem);

	if (g)
		memset(g, FILL, mem);
	return g;
}

static bool all_bytes(const uint8_t *p, uint8_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* ---- good images ---- */

static void test_aout_good(void)
{
	size_t len = build_aout();
	struct mb_image mi;
	const char *why;
	uint8_t *g;

	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
	EXPECT(mi.aout);
	EXPECT_EQ(mi.flags, F_AOUT | 0x3);
	EXPECT_EQ(mi.entry, ENTRY);
	EXPECT_EQ(mi.nr_segs, 1);
	EXPECT_EQ(mi.segs[0].file_off, 0);
	EXPECT_EQ(mi.segs[0].file_len, LOAD_END - LOAD);
	EXPECT_EQ(mi.segs[0].gpa, LOAD);
	EXPECT_EQ(mi.segs[0].mem_len, BSS_END - LOAD);
	EXPECT_EQ(mi.end_gpa, BSS_END);
	g = guest_alloc(MEM);
	if (!g)
		return ktap_skip("no memory for the guest");
	mb_load(img, &mi, g);
	EXPECT_MEMEQ(g + LOAD, img, LOAD_END - LOAD);
	EXPECT(all_bytes(g + LOAD_END, 0, BSS_END - LOAD_END));
	EXPECT(all_bytes(g + BSS_END, FILL, 0x1000));
	EXPECT(all_bytes(g + LOAD - 0x1000, FILL, 0x1000));
	free(g);
}

/* load_end_addr 0: the file from load_addr on; bss_end_addr 0: no bss. */
static void test_aout_whole_file(void)
{
	size_t len = build_aout();
	struct mb_image mi;
	const char *why;

	set_aout(2, 0);
	set_aout(3, 0);
	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
	EXPECT_EQ(mi.segs[0].file_len, AOUT_LEN);
	EXPECT_EQ(mi.segs[0].mem_len, AOUT_LEN);
	EXPECT_EQ(mi.end_gpa, LOAD + AOUT_LEN);
}

/* The header 0x1000 into the file, 0x800 into the loaded part. */
static void test_aout_offset_in_file(void)
{
	const uint32_t addr[5] = { LOAD + 0x800, LOAD, LOAD + 0x2000, 0,
				   LOAD + 0x10 };
	struct mb_image mi;
	const char *why;

	pattern(AOUT_LEN);
	put_header(0x1000, F_AOUT, addr);
	EXPECT_EQ(check_mem(AOUT_LEN, MEM, &mi, &why), 0);
	EXPECT_EQ(mi.segs[0].file_off, 0x800);
	EXPECT_EQ(mi.segs[0].file_len, 0x2000);
	EXPECT_EQ(mi.segs[0].gpa, LOAD);
}

static void test_elf_good(void)
{
	size_t len = build_elf();
	struct mb_image mi;
	const char *why;
	uint8_t *g;

	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
	EXPECT(!mi.aout);
	EXPECT_EQ(mi.entry, ELF_ENTRY);
	EXPECT_EQ(mi.nr_segs, 2);
	EXPECT_EQ(mi.segs[0].file_off, 0);
	EXPECT_EQ(mi.segs[0].gpa, 0x100000);
	EXPECT_EQ(mi.segs[0].file_len, 0x1000);
	EXPECT_EQ(mi.segs[1].file_off, 0x2000);
	EXPECT_EQ(mi.segs[1].gpa, 0x110000);
	EXPECT_EQ(mi.segs[1].file_len, 0x100);
	EXPECT_EQ(mi.segs[1].mem_len, 0x3000);
	EXPECT_EQ(mi.end_gpa, 0x113000);
	g = guest_alloc(MEM);
	if (!g)
		return ktap_skip("no memory for the guest");
	mb_load(img, &mi, g);
	EXPECT_MEMEQ(g + 0x100000, img, 0x1000);
	EXPECT_MEMEQ(g + 0x110000, img + 0x2000, 0x100);
	EXPECT(all_bytes(g + 0x110100, 0, 0x2f00));
	EXPECT(all_bytes(g + 0x101000, FILL, 0xf000));
	EXPECT(all_bytes(g + 0x200000, FILL, 0x1000));
	free(g);
}

/* The address fields win over the ELF headers when flag 16 is set. */
static void test_aout_flag_over_elf(void)
{
	const uint32_t addr[5] = { 0x300000 + ELF_HDR_OFF, 0x300000, 0, 0,
				   0x300000 };
	size_t len = build_elf();
	struct mb_image mi;
	const char *why;

	put_header(ELF_HDR_OFF, F_AOUT, addr);
	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
	EXPECT(mi.aout);
	EXPECT_EQ(mi.nr_segs, 1);
	EXPECT_EQ(mi.segs[0].gpa, 0x300000);
}

/* Page 0 is the guest's; the loader's first area starts at 0x1000. */
static void test_page0_and_area_edges(void)
{
	struct seg low[] = {
		{ PT_LOAD, 0x1000, 0x0, 0x100, 0x1000 },
		{ PT_LOAD, 0x1000, MB_GUEST_AREA_1 + MB_GUEST_AREA_LEN, 0x100,
		  0x100 },
		{ PT_LOAD, 0x2000, PLATFORM_SHARED_INFO_GPA - 0x1000, 0x100,
		  0x1000 },
	};
	size_t len = build_elf_segs(low, ARRAY_SIZE(low), 0x10);
	struct mb_image mi;
	const char *why;

	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
	EXPECT_EQ(mi.nr_segs, 3);
	EXPECT_EQ(mi.area, MB_GUEST_AREA_1);
}

/*
 * A segment in the first area moves the loader's to the second (a
 * real-mode test at 16 KiB); one in the second leaves it in the first;
 * segments in both are refused.
 */
static void test_area_moves(void)
{
	static const struct {
		uint32_t gpa, len;
		int ret;
		uint64_t area;
	} cases[] = {
		{ 0x4000, 0x1000, 0, MB_GUEST_AREA_2 },
		{ MB_GUEST_AREA_1, 0x100, 0, MB_GUEST_AREA_2 },
		{ MB_GUEST_AREA_1 - 0x100, 0x101, 0, MB_GUEST_AREA_2 },
		{ MB_GUEST_AREA_1 + MB_GUEST_AREA_LEN - 1, 0x100, 0,
		  MB_GUEST_AREA_2 },
		{ MB_GUEST_AREA_2, 0x100, 0, MB_GUEST_AREA_1 },
		{ MB_GUEST_AREA_2 + MB_GUEST_AREA_LEN - 1, 0x100, 0,
		  MB_GUEST_AREA_1 },
		{ 0, PLATFORM_SHARED_INFO_GPA, -PVKIT_EINVAL, 0 },
		{ MB_GUEST_AREA_1 + MB_GUEST_AREA_LEN - 1,
		  MB_GUEST_AREA_2 - MB_GUEST_AREA_1 - MB_GUEST_AREA_LEN + 2,
		  -PVKIT_EINVAL, 0 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		struct seg s = { PT_LOAD, 0x1000, cases[i].gpa, 0x10,
				 cases[i].len };
		size_t len = build_elf_segs(&s, 1, cases[i].gpa);
		unsigned int failures = ktap_case_failures;
		struct mb_image mi;
		const char *why;

		if (cases[i].ret) {
			expect_refused(len, MEM, cases[i].ret,
				       "every place the loader's area", __LINE__);
		} else {
			EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
			EXPECT_EQ(mi.area, cases[i].area);
		}
		if (ktap_case_failures != failures)
			ktap_diag("  case %u: gpa %#x len %#x", i, cases[i].gpa,
				  cases[i].len);
	}
}

/* The top of the largest RAM a Multiboot domain gets. */
static void test_top_of_ram(void)
{
	const uint32_t top = (uint32_t)PLATFORM_LOWMEM_TOP;
	const uint32_t addr[5] = { top - AOUT_LEN + HDR_OFF, top - AOUT_LEN,
				   0, 0, top - AOUT_LEN };
	struct mb_image mi;
	const char *why;

	pattern(AOUT_LEN);
	put_header(HDR_OFF, F_AOUT, addr);
	EXPECT_EQ(check_mem(AOUT_LEN, PLATFORM_LOWMEM_TOP, &mi, &why), 0);
	EXPECT_EQ(check_mem(AOUT_LEN, PLATFORM_LOWMEM_TOP - 2 * MiB, &mi,
			    &why), -PVKIT_E2BIG);
}

/* ---- the header ---- */

static void test_no_header(void)
{
	pattern(AOUT_LEN);
	REFUSED(AOUT_LEN, -PVKIT_EINVAL, "no Multiboot header");
	REFUSED(0, -PVKIT_EINVAL, "no Multiboot header");
	REFUSED(11, -PVKIT_EINVAL, "no Multiboot header");
}

static void test_bad_checksum(void)
{
	size_t len = build_aout();

	put32(img, HDR_OFF + 8, -(MAGIC + F_AOUT + 3) + 1);
	REFUSED(len, -PVKIT_EINVAL, "no Multiboot header");
	build_aout();
	put32(img, HDR_OFF, MAGIC ^ 0x100);
	REFUSED(len, -PVKIT_EINVAL, "no Multiboot header");
}

/* Only 4-byte aligned, only within the first 8 KiB. */
static void test_header_place(void)
{
	const uint32_t addr[5] = { LOAD + 0x2000, LOAD, 0, 0, LOAD };

	pattern(AOUT_LEN);
	put_header(0x1ffe, F_AOUT, addr);
	REFUSED(AOUT_LEN, -PVKIT_EINVAL, "no Multiboot header");
	pattern(AOUT_LEN);
	put_header(0x2000, F_AOUT, addr);
	REFUSED(AOUT_LEN, -PVKIT_EINVAL, "no Multiboot header");
}

/* The last place the search looks at: magic, flags, checksum end at 8 KiB. */
static void test_header_last_place(void)
{
	const uint32_t at[5] = { LOAD + 0x1ff4, LOAD, 0, 0, LOAD };
	const uint32_t past[5] = { LOAD + 0x1ff8, LOAD, 0, 0, LOAD };
	struct mb_image mi;
	const char *why;

	pattern(AOUT_LEN);
	put_header(0x1ff4, F_AOUT, at);
	EXPECT_EQ(check_mem(AOUT_LEN, MEM, &mi, &why), 0);
	pattern(AOUT_LEN);
	put_header(0x1ff8, F_AOUT, past);
	REFUSED(AOUT_LEN, -PVKIT_EINVAL, "no Multiboot header");
}

static void test_unknown_required_flag(void)
{
	size_t len = build_aout();
	const uint32_t addr[5] = { LOAD + HDR_OFF, LOAD, LOAD_END, BSS_END,
				   ENTRY };
	struct mb_image mi;
	const char *why;

	put_header(HDR_OFF, F_AOUT | (1u << 3), addr);
	REFUSED(len, -PVKIT_EINVAL, "feature the loader does not know");
	put_header(HDR_OFF, F_AOUT | (1u << 15), addr);
	REFUSED(len, -PVKIT_EINVAL, "feature the loader does not know");
	/* Bits 16-31 are optional: one the loader lacks is ignored. */
	put_header(HDR_OFF, F_AOUT | (1u << 20), addr);
	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
}

/* ---- the address fields ---- */

static void test_aout_cut_short(void)
{
	size_t len = build_aout();
	struct mb_image mi;
	const char *why;

	/* The header's last address field is past the end. */
	REFUSED(HDR_OFF + 28, -PVKIT_EINVAL, "cut short");
	REFUSED(HDR_OFF + 31, -PVKIT_EINVAL, "cut short");
	/* load_end_addr past the shorter file. */
	REFUSED(LOAD_END - LOAD - 1, -PVKIT_EINVAL, "past the end of the file");
	EXPECT_EQ(check_mem(LOAD_END - LOAD, MEM, &mi, &why), 0);
	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
}

static void test_aout_bad_fields(void)
{
	size_t len = build_aout();

	set_aout(1, LOAD + HDR_OFF + 4);	/* load_addr above header_addr */
	REFUSED(len, -PVKIT_EINVAL, "do not fit the file");
	build_aout();
	set_aout(0, LOAD + HDR_OFF + 4);	/* file starts before byte 0 */
	REFUSED(len, -PVKIT_EINVAL, "do not fit the file");
	build_aout();
	set_aout(2, LOAD - 1);			/* load_end below load_addr */
	REFUSED(len, -PVKIT_EINVAL, "past the end of the file");
	build_aout();
	set_aout(3, LOAD_END - 1);		/* bss_end below load_end */
	REFUSED(len, -PVKIT_EINVAL, "bss_end_addr below");
	build_aout();
	set_aout(4, BSS_END);			/* entry just past the bss */
	REFUSED(len, -PVKIT_EINVAL, "entry point");
	build_aout();
	set_aout(4, LOAD - 1);
	REFUSED(len, -PVKIT_EINVAL, "entry point");
}

/* Sums past 2^32 and past the guest's RAM. */
static void test_aout_overflow(void)
{
	size_t len = build_aout();

	/* load_addr + file length wraps a 32-bit sum. */
	set_aout(0, 0xffffff00u + HDR_OFF);
	set_aout(1, 0xffffff00u);
	set_aout(2, 0);
	set_aout(3, 0);
	set_aout(4, 0xffffff00u);
	REFUSED(len, -PVKIT_E2BIG, "outside the domain's RAM");
	/* ... and a bss_end that "covers" it only after the wrap. */
	set_aout(3, 0x100);
	REFUSED(len, -PVKIT_EINVAL, "bss_end_addr below");
	/* A bss to the top of the address space. */
	build_aout();
	set_aout(3, 0xffffffffu);
	REFUSED(len, -PVKIT_E2BIG, "outside the domain's RAM");
	/* load_end_addr far past the file: no 32-bit wrap hides it. */
	build_aout();
	set_aout(2, 0xffffffffu);
	REFUSED(len, -PVKIT_EINVAL, "past the end of the file");
}

/* ---- the ELF headers ---- */

static void set_ph(unsigned int i, size_t field, uint32_t v)
{
	put32(img, sizeof(Elf32_Ehdr) + i * sizeof(Elf32_Phdr) + field, v);
}

static void test_elf_bad_ident(void)
{
	size_t len = build_elf();

	img[EI_CLASS] = ELFCLASS64;
	REFUSED(len, -PVKIT_EINVAL, "not a 32-bit little-endian i386");
	build_elf();
	img[EI_DATA] = ELFDATA2MSB;
	REFUSED(len, -PVKIT_EINVAL, "not a 32-bit little-endian i386");
	build_elf();
	img[18] = EM_X86_64;
	REFUSED(len, -PVKIT_EINVAL, "not a 32-bit little-endian i386");
	build_elf();
	img[0] = 0;
	REFUSED(len, -PVKIT_EINVAL, "neither an ELF file");
}

static void test_elf_bad_phdrs(void)
{
	size_t len = build_elf();
	uint16_t v;

	v = 16;					/* phentsize below an Elf32_Phdr */
	memcpy(img + offsetof(Elf32_Ehdr, e_phentsize), &v, 2);
	REFUSED(len, -PVKIT_EINVAL, "program headers outside the file");
	build_elf();
	put32(img, offsetof(Elf32_Ehdr, e_phoff), (uint32_t)len + 1);
	REFUSED(len, -PVKIT_EINVAL, "program headers outside the file");
	build_elf();
	put32(img, offsetof(Elf32_Ehdr, e_phoff), 0xffffffffu);
	REFUSED(len, -PVKIT_EINVAL, "program headers outside the file");
	/* phnum * phentsize far past the file, with no 16-bit wrap. */
	build_elf();
	v = 0xffff;
	memcpy(img + offsetof(Elf32_Ehdr, e_phnum), &v, 2);
	memcpy(img + offsetof(Elf32_Ehdr, e_phentsize), &v, 2);
	REFUSED(len, -PVKIT_EINVAL, "program headers outside the file");
}

static void test_elf_bad_segments(void)
{
	size_t len = build_elf();

	set_ph(2, offsetof(Elf32_Phdr, p_filesz), 0x3001);	/* > memsz */
	REFUSED(len, -PVKIT_EINVAL, "a segment outside the file");
	build_elf();
	set_ph(2, offsetof(Elf32_Phdr, p_offset), (uint32_t)len - 0xff);
	REFUSED(len, -PVKIT_EINVAL, "a segment outside the file");
	/* offset + filesz wraps 32 bits. */
	build_elf();
	set_ph(2, offsetof(Elf32_Phdr, p_offset), 0xffffff80u);
	REFUSED(len, -PVKIT_EINVAL, "a segment outside the file");
	/* paddr + memsz wraps 32 bits. */
	build_elf();
	set_ph(2, offsetof(Elf32_Phdr, p_paddr), 0xfffff000u);
	REFUSED(len, -PVKIT_E2BIG, "outside the domain's RAM");
	build_elf();
	set_ph(0, offsetof(Elf32_Phdr, p_type), PT_NOTE);
	REFUSED(len, -PVKIT_EINVAL, "entry point");
	build_elf();
	set_ph(0, offsetof(Elf32_Phdr, p_type), PT_NOTE);
	set_ph(2, offsetof(Elf32_Phdr, p_type), PT_NOTE);
	REFUSED(len, -PVKIT_EINVAL, "nothing to load");
}

static void test_elf_too_many_segments(void)
{
	struct seg many[MB_MAX_SEGS + 1];
	struct mb_image mi;
	const char *why;
	size_t len;

	for (unsigned int i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = (struct seg){ PT_LOAD, 0x1000, 0x100000 + i * 0x1000,
					0x100, 0x1000 };
	len = build_elf_segs(many, MB_MAX_SEGS, 0x100000);
	EXPECT_EQ(check_mem(len, MEM, &mi, &why), 0);
	EXPECT_EQ(mi.nr_segs, MB_MAX_SEGS);
	len = build_elf_segs(many, ARRAY_SIZE(many), 0x100000);
	REFUSED(len, -PVKIT_E2BIG, "more loadable segments");
}

/* ---- where it goes ---- */

static void test_outside_ram(void)
{
	static const struct {
		uint32_t gpa, len;
		int ret;
		const char *why;
	} bad[] = {
		{ MEM, 0x1000, -PVKIT_E2BIG, "outside the domain's RAM" },
		{ MEM - 0x800, 0x1000, -PVKIT_E2BIG, "outside the domain's RAM" },
		{ PLATFORM_SHARED_INFO_GPA - 0x800, 0x1000, -PVKIT_E2BIG,
		  "outside the domain's RAM" },
		{ PLATFORM_SHARED_INFO_GPA, 0x100, -PVKIT_E2BIG,
		  "outside the domain's RAM" },
		{ PLATFORM_LOWMEM_END, 0x100, -PVKIT_E2BIG,
		  "outside the domain's RAM" },
		{ PLATFORM_ACPI_BASE, 0x100, -PVKIT_E2BIG,
		  "outside the domain's RAM" },
		{ PLATFORM_HIGHMEM_START - 0x100, 0x200, -PVKIT_E2BIG,
		  "outside the domain's RAM" },
		{ PLATFORM_ECAM_BASE, 0x100, -PVKIT_E2BIG,
		  "outside the domain's RAM" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct seg s = { PT_LOAD, 0x1000, bad[i].gpa, 0x10, bad[i].len };
		size_t len = build_elf_segs(&s, 1, bad[i].gpa);
		unsigned int failures = ktap_case_failures;

		expect_refused(len, MEM, bad[i].ret, bad[i].why, __LINE__);
		if (ktap_case_failures != failures)
			ktap_diag("  case %u: gpa %#x len %#x", i, bad[i].gpa,
				  bad[i].len);
	}
}

/*
 * Every prefix of the good image in img: refused with a reason, or
 * accepted with every segment inside the prefix.  Only the prefixes that
 * hold every segment's file bytes (need bytes) are accepted.
 */
static void check_prefixes(size_t full, size_t need)
{
	size_t accepted = 0;

	for (size_t len = 0; len <= full; len++) {
		struct mb_image mi;
		const char *why;

		if (check_mem(len, MEM, &mi, &why)) {
			EXPECT(why != NULL);
			continue;
		}
		accepted++;
		for (unsigned int i = 0; i < mi.nr_segs; i++)
			EXPECT(mi.segs[i].file_off + mi.segs[i].file_len <= len);
	}
	EXPECT_EQ(accepted, full - need + 1);
}

static void test_truncated(void)
{
	check_prefixes(build_elf(), 0x2100);
	check_prefixes(build_aout(), LOAD_END - LOAD);
}

static void test_in_ram(void)
{
	struct e820_entry e[MB_GUEST_E820];
	unsigned int n = mb_guest_e820(MEM, e);

	EXPECT(mb_in_ram(e, n, 0, PLATFORM_SHARED_INFO_GPA));
	EXPECT(!mb_in_ram(e, n, 0, PLATFORM_SHARED_INFO_GPA + 1));
	EXPECT(mb_in_ram(e, n, PLATFORM_HIGHMEM_START,
			 MEM - PLATFORM_HIGHMEM_START));
	EXPECT(!mb_in_ram(e, n, PLATFORM_HIGHMEM_START, MEM));
	/* Across two entries: not one piece of RAM. */
	EXPECT(!mb_in_ram(e, n, PLATFORM_SHARED_INFO_GPA - 1, 2));
	/* Sums that wrap 64 bits. */
	EXPECT(!mb_in_ram(e, n, ~0ull - 10, 100));
	EXPECT(!mb_in_ram(e, n, PLATFORM_HIGHMEM_START, ~0ull));
	EXPECT(!mb_in_ram(e, 0, 0, 1));
}

/* ---- fuzz seeds ---- */

static int write_seed(const char *dir, const char *name, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	ok = fwrite(img, 1, len, f) == len;
	return (fclose(f) || !ok) ? -1 : 0;
}

/* Bare images (no fuzz parameters): the fuzz suite prefixes its own. */
static int write_seeds(const char *dir)
{
	int ret = 0;

	ret |= write_seed(dir, "aout", build_aout());
	ret |= write_seed(dir, "elf", build_elf());
	return ret ? 1 : 0;
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_aout_good),
	KTAP_CASE(test_aout_whole_file),
	KTAP_CASE(test_aout_offset_in_file),
	KTAP_CASE(test_elf_good),
	KTAP_CASE(test_aout_flag_over_elf),
	KTAP_CASE(test_page0_and_area_edges),
	KTAP_CASE(test_area_moves),
	KTAP_CASE(test_top_of_ram),
	KTAP_CASE(test_no_header),
	KTAP_CASE(test_bad_checksum),
	KTAP_CASE(test_header_place),
	KTAP_CASE(test_header_last_place),
	KTAP_CASE(test_unknown_required_flag),
	KTAP_CASE(test_aout_cut_short),
	KTAP_CASE(test_aout_bad_fields),
	KTAP_CASE(test_aout_overflow),
	KTAP_CASE(test_elf_bad_ident),
	KTAP_CASE(test_elf_bad_phdrs),
	KTAP_CASE(test_elf_bad_segments),
	KTAP_CASE(test_elf_too_many_segments),
	KTAP_CASE(test_outside_ram),
	KTAP_CASE(test_truncated),
	KTAP_CASE(test_in_ram),
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--seeds"))
		return write_seeds(argv[2]);
	return ktap_run(cases, ARRAY_SIZE(cases));
}
