// SPDX-License-Identifier: GPL-2.0
/*
 * guest_translate(), guest_read_virt() and guest_write_virt() on page
 * tables built here in a domain's RAM: 4-level, PAE and 32-bit paging,
 * every page size, missing entries at every level, tables outside RAM.
 * Only mem and mem_bytes of struct domain are set: the walker reaches
 * guest memory through copy_from_guest() and nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <hv/domain.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define RAM		(8ull << 20)
#define PAGE		4096ull
#define P		0x1ull
#define RW_US		0x6ull
#define PS		0x80ull
#define PAT_LARGE	0x1000ull	/* bit 12 in a 2M/1G/4M entry */
#define NX		(1ull << 63)
#define ADDR		0x000ffffffffff000ull
#define CR4_PSE		(1ull << 4)
#define CR4_LA57	(1ull << 12)
#define TABLES		0x1000ull	/* page tables from here ... */
#define TABLES_END	0x100000ull	/* ... to 1 MiB; data above */

static struct domain *dom;
static uint8_t *ram;
static uint64_t next_table;

static void reset(void)
{
	if (!dom) {
		dom = calloc(1, sizeof(*dom));
		ram = malloc(RAM);
		if (!dom || !ram)
			abort();
		dom->mem = ram;
		dom->mem_bytes = RAM;
	}
	for (uint64_t i = 0; i < RAM; i++)
		ram[i] = (uint8_t)(i * 31 + (i >> 12));
	memset(ram, 0, TABLES_END);
	next_table = TABLES;
}

static uint64_t new_table(void)
{
	uint64_t t = next_table;

	next_table += PAGE;
	if (next_table > TABLES_END)
		abort();
	return t;
}

static uint64_t get64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, ram + gpa, 8);
	return v;
}

static void set64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

static uint32_t get32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, ram + gpa, 4);
	return v;
}

static void set32(uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, 4);
}

/*
 * Maps gva to gpa with 8-byte entries, `levels` deep from the table at
 * root, the leaf at `leaf` (1: 4 KiB, 2: 2 MiB, 3: 1 GiB).  Returns the
 * leaf entry's GPA.  PAE is levels = 3 with a 4-entry root.
 */
static uint64_t map64(uint64_t root, int levels, uint64_t gva, uint64_t gpa,
		      int leaf, uint64_t extra)
{
	uint64_t table = root, slot, e;
	int level;

	for (level = levels; level > leaf; level--) {
		slot = table + ((gva >> (12 + 9 * (level - 1))) & 511) * 8;
		e = get64(slot);
		if (!(e & P)) {
			e = new_table() | P | RW_US;
			set64(slot, e);
		}
		table = e & ADDR;
	}
	slot = table + ((gva >> (12 + 9 * (leaf - 1))) & 511) * 8;
	set64(slot, gpa | P | RW_US | (leaf > 1 ? PS : 0) | extra);
	return slot;
}

/* The GPA of the entry at `level` on gva's walk (level 4..1). */
static uint64_t slot64(uint64_t root, int levels, uint64_t gva, int level)
{
	uint64_t table = root;

	for (int l = levels; l > level; l--)
		table = get64(table + ((gva >> (12 + 9 * (l - 1))) & 511) * 8) &
			ADDR;
	return table + ((gva >> (12 + 9 * (level - 1))) & 511) * 8;
}

/* 32-bit paging: 4 KiB pages, or 4 MiB ones when large. */
static void map32(uint64_t root, uint32_t gva, uint32_t pde_or_pte,
		  bool large)
{
	uint64_t slot = root + (gva >> 22) * 4;
	uint32_t pde = get32(slot);

	if (large) {
		set32(slot, pde_or_pte | P | RW_US | PS);
		return;
	}
	if (!(pde & P)) {
		pde = new_table() | P | RW_US;
		set32(slot, pde);
	}
	set32((pde & 0xfffff000u) + ((gva >> 12) & 1023) * 4,
	      pde_or_pte | P | RW_US);
}

static struct guest_paging long_mode(uint64_t cr3)
{
	return (struct guest_paging){ .cr0 = X86_CR0_PE | X86_CR0_PG,
				      .cr3 = cr3, .cr4 = X86_CR4_PAE,
				      .efer = EFER_LME | EFER_LMA };
}

static struct guest_paging pae_mode(uint64_t cr3)
{
	return (struct guest_paging){ .cr0 = X86_CR0_PE | X86_CR0_PG,
				      .cr3 = cr3, .cr4 = X86_CR4_PAE };
}

static struct guest_paging legacy_mode(uint64_t cr3, uint64_t cr4)
{
	return (struct guest_paging){ .cr0 = X86_CR0_PE | X86_CR0_PG,
				      .cr3 = cr3, .cr4 = cr4 };
}

/* gva translates to want, and a read there returns RAM at want. */
static void expect_gpa(const struct guest_paging *pg, uint64_t gva,
		       uint64_t want)
{
	uint64_t gpa = ~0ull;
	uint8_t buf[16];
	int ret = guest_translate(dom, pg, gva, &gpa);

	EXPECT_EQ(ret, 0);
	EXPECT_EQ(gpa, want);
	if (ret || gpa != want) {
		ktap_diag("  gva %#llx", (unsigned long long)gva);
		return;
	}
	if (want + sizeof(buf) > RAM || (want & 0xfff) > 4096 - sizeof(buf))
		return;
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(guest_read_virt(dom, pg, gva, buf, sizeof(buf)), 0);
	EXPECT_MEMEQ(buf, ram + want, sizeof(buf));
}

static void expect_unmapped(const struct guest_paging *pg, uint64_t gva)
{
	uint64_t gpa = 0x5a5a;
	uint8_t buf[4];

	EXPECT_EQ(guest_translate(dom, pg, gva, &gpa), -1);
	EXPECT_EQ(gpa, 0x5a5a);
	EXPECT_EQ(guest_read_virt(dom, pg, gva, buf, sizeof(buf)), -1);
}

static void test_paging_off(void)
{
	struct guest_paging pg = { .cr0 = X86_CR0_PE, .cr3 = 0x1000 };

	reset();
	expect_gpa(&pg, 0x123456, 0x123456);
	expect_gpa(&pg, 0, 0);
	/* Real mode too; and an address past RAM reads as nothing. */
	pg.cr0 = 0;
	expect_gpa(&pg, 0x7ffff0, 0x7ffff0);
	EXPECT_EQ(guest_read_virt(dom, &pg, RAM - 2, (uint8_t[4]){ 0 }, 4),
		  -1);
}

static void test_4level_4k(void)
{
	uint64_t pml4, gva = 0x00007f1234567000ull, k = 0xffff888000001000ull;
	struct guest_paging pg;

	reset();
	pml4 = new_table();
	map64(pml4, 4, gva, 0x200000, 1, NX);
	map64(pml4, 4, gva + PAGE, 0x345000, 1, 0);
	map64(pml4, 4, k, 0x201000, 1, 0);
	/* PAT (bit 7) in a 4 KiB PTE is not a page size. */
	map64(pml4, 4, 0x1000, 0x202000, 1, PS);
	pg = long_mode(pml4 | 0x18);	/* PWT/PCD in CR3 are not address */
	expect_gpa(&pg, gva, 0x200000);
	expect_gpa(&pg, gva + 0x123, 0x200123);
	expect_gpa(&pg, gva + 0xff0, 0x200ff0);
	expect_gpa(&pg, gva + PAGE + 0x10, 0x345010);
	expect_gpa(&pg, k + 0x7f, 0x20107f);
	expect_gpa(&pg, 0x1008, 0x202008);
	expect_unmapped(&pg, gva + 2 * PAGE);
	expect_unmapped(&pg, 0);
}

static void test_4level_2m(void)
{
	uint64_t pml4, gva = 0x40000000ull;
	struct guest_paging pg;

	reset();
	pml4 = new_table();
	map64(pml4, 4, gva, 0x400000, 2, 0);
	map64(pml4, 4, gva + 0x200000, 0x600000, 2, PAT_LARGE | NX);
	pg = long_mode(pml4);
	expect_gpa(&pg, gva, 0x400000);
	expect_gpa(&pg, gva + 0x12345, 0x412345);
	expect_gpa(&pg, gva + 0x1ffff0, 0x5ffff0);
	expect_gpa(&pg, gva + 0x200000 + 0x1234, 0x601234);
	expect_unmapped(&pg, gva + 0x400000);
}

static void test_4level_1g(void)
{
	uint64_t pml4, gva = 0x8000000000ull;
	struct guest_paging pg;

	reset();
	pml4 = new_table();
	map64(pml4, 4, gva, 0x40000000, 3, NX);
	map64(pml4, 4, gva + (1ull << 30), 0, 3, PAT_LARGE);
	map64(pml4, 4, 0xffffffffc0000000ull, 0xfc0000000ull, 3, 0);
	pg = long_mode(pml4);
	/* Beyond this domain's RAM: translated, but not readable. */
	EXPECT_EQ(guest_read_virt(dom, &pg, gva, (uint8_t[4]){ 0 }, 4), -1);
	expect_gpa(&pg, gva + 0x3456789, 0x43456789);
	expect_gpa(&pg, gva + (1ull << 30) + 0x345678, 0x345678);
	expect_gpa(&pg, 0xffffffffc0000000ull + 0x3ffffff0, 0xffffffff0ull);
	expect_unmapped(&pg, gva + (2ull << 30));
}

static void test_pae(void)
{
	uint64_t pdpt = 0x6020;	/* CR3 in PAE mode is 32-byte aligned */
	struct guest_paging pg;

	reset();
	next_table = 0xa000;
	set64(pdpt + 3 * 8, 0x8000 | P);
	set64(pdpt + 0 * 8, 0x9000 | P);
	map64(pdpt, 3, 0xc0200000, 0x600000, 2, NX);
	map64(pdpt, 3, 0x00401000, 0x203000, 1, 0);
	pg = pae_mode(pdpt);
	expect_gpa(&pg, 0xc0212345, 0x612345);
	expect_gpa(&pg, 0xc03ffff0, 0x7ffff0);
	expect_gpa(&pg, 0x00401234, 0x203234);
	/* Outside long mode a linear address has 32 bits. */
	expect_gpa(&pg, 0x1c0212345ull, 0x612345);
	expect_unmapped(&pg, 0xc0400000);
	expect_unmapped(&pg, 0x40000000);
	expect_unmapped(&pg, 0x00402000);
}

static void test_32bit(void)
{
	uint64_t pd;
	struct guest_paging pg;

	reset();
	pd = new_table();
	map32(pd, 0x80001000, 0x205000, false);
	map32(pd, 0x00c00000, 0x400000, true);
	/* PSE-36: PDE bits 13-20 are physical address bits 32-39. */
	map32(pd, 0x01000000, 0x800000 | (0x3u << 13), true);
	pg = legacy_mode(pd, 0);
	expect_gpa(&pg, 0x80001234, 0x205234);
	expect_unmapped(&pg, 0x80002000);
	/* Without CR4.PSE the PS bit is ignored: a PDE names a table. */
	set32(0x400000 + 0x12 * 4, 0x123000 | P);
	expect_gpa(&pg, 0x00c12345, 0x123345);
	pg = legacy_mode(pd, CR4_PSE);
	expect_gpa(&pg, 0x80001234, 0x205234);
	expect_gpa(&pg, 0x00c12345, 0x412345);
	expect_gpa(&pg, 0x00fffff0, 0x7ffff0);
	expect_gpa(&pg, 0x01001234, 0x300801234ull);
	expect_gpa(&pg, 0x100c00010ull, 0x400010);
	expect_unmapped(&pg, 0x01400000);
}

/* Clearing P at each level of gva's walk makes it unmapped. */
static void not_present64(const struct guest_paging *pg, uint64_t root,
			  int levels, uint64_t gva)
{
	for (int level = levels; level >= 1; level--) {
		uint64_t slot = slot64(root, levels, gva, level);
		uint64_t e = get64(slot);

		set64(slot, e & ~P);
		expect_unmapped(pg, gva);
		set64(slot, e);
		EXPECT_EQ(guest_translate(dom, pg, gva, &(uint64_t){ 0 }), 0);
	}
}

static void test_not_present(void)
{
	struct guest_paging pg;
	uint64_t root, pde;

	reset();
	root = new_table();
	map64(root, 4, 0x7f0000201000ull, 0x300000, 1, 0);
	pg = long_mode(root);
	not_present64(&pg, root, 4, 0x7f0000201000ull);

	reset();
	root = 0x6000;
	next_table = 0x7000;
	set64(root + 8, new_table() | P);
	map64(root, 3, 0x40201000, 0x300000, 1, 0);
	pg = pae_mode(root);
	not_present64(&pg, root, 3, 0x40201000);

	reset();
	root = new_table();
	map32(root, 0x40201000, 0x300000, false);
	pg = legacy_mode(root, CR4_PSE);
	pde = get32(root + (0x40201000 >> 22) * 4);
	set32(root + (0x40201000 >> 22) * 4, pde & ~P);
	expect_unmapped(&pg, 0x40201000);
	set32(root + (0x40201000 >> 22) * 4, pde);
	set32((pde & 0xfffff000) + 0x201 * 4, 0x300000);
	expect_unmapped(&pg, 0x40201000);
}

static void test_table_outside_ram(void)
{
	uint64_t root, gva = 0x7f0000201000ull, slot;
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, gva, 0x300000, 1, 0);
	pg = long_mode(root);
	expect_gpa(&pg, gva, 0x300000);
	/* A PDE naming a table past the end of RAM. */
	slot = slot64(root, 4, gva, 2);
	set64(slot, (RAM + 0x1000) | P | RW_US);
	expect_unmapped(&pg, gva);
	set64(slot, 0xfffffffff000ull | P | RW_US);
	expect_unmapped(&pg, gva);
	/* CR3 itself past RAM, or its table's last entry just past it. */
	pg = long_mode(RAM);
	expect_unmapped(&pg, 0);
	pg = long_mode(1ull << 51);
	expect_unmapped(&pg, 0);
	/* 32-bit and PAE roots past RAM. */
	pg = legacy_mode(0xfffff000, 0);
	expect_unmapped(&pg, 0x1000);
	pg = pae_mode(0xffffffe0);
	expect_unmapped(&pg, 0x1000);
	/* The last entry of a table in RAM's last page is still read. */
	reset();
	root = RAM - PAGE;
	set64(root + 511 * 8, 0x7000 | P | RW_US);
	set64(0x7000 + 511 * 8, 0 | P | RW_US | PS);
	pg = long_mode(root);
	expect_gpa(&pg, 0xffffffffc0000000ull + 0x10, 0x10);
}

static void test_la57_refused(void)
{
	uint64_t root;
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, 0x1000, 0x300000, 1, 0);
	pg = long_mode(root);
	expect_gpa(&pg, 0x1000, 0x300000);
	pg.cr4 |= CR4_LA57;
	expect_unmapped(&pg, 0x1000);
}

static void test_non_canonical(void)
{
	uint64_t root;
	struct guest_paging pg;

	reset();
	root = new_table();
	/* PML4 slot 256 serves 0xffff8000'00000000, the canonical one. */
	map64(root, 4, 0xffff800000001000ull, 0x300000, 1, 0);
	pg = long_mode(root);
	expect_gpa(&pg, 0xffff800000001010ull, 0x300010);
	expect_unmapped(&pg, 0x0000800000001010ull);
	expect_unmapped(&pg, 0x7fff800000001010ull);
}

static void test_cross_page_read(void)
{
	uint64_t root, gva = 0x10000000;
	struct guest_paging pg;
	uint8_t buf[32], want[32];

	reset();
	root = new_table();
	map64(root, 4, gva, 0x300000, 1, 0);
	map64(root, 4, gva + PAGE, 0x250000, 1, 0);
	pg = long_mode(root);
	/* Two pages far apart in GPA, read as one run. */
	memcpy(want, ram + 0x300000 + PAGE - 12, 12);
	memcpy(want + 12, ram + 0x250000, 20);
	EXPECT_EQ(guest_read_virt(dom, &pg, gva + PAGE - 12, buf, 32), 0);
	EXPECT_MEMEQ(buf, want, 32);
	/* Into an unmapped third page: the whole read fails. */
	EXPECT_EQ(guest_read_virt(dom, &pg, gva + 2 * PAGE - 4, buf, 8), -1);
	EXPECT_EQ(guest_read_virt(dom, &pg, gva + 2 * PAGE - 1, buf, 2), -1);
	EXPECT_EQ(guest_read_virt(dom, &pg, gva + 2 * PAGE - 4, buf, 4), 0);
	/* A page mapped past RAM fails the same way. */
	map64(root, 4, gva + 2 * PAGE, RAM, 1, 0);
	EXPECT_EQ(guest_read_virt(dom, &pg, gva + 2 * PAGE - 4, buf, 8), -1);
}

static void test_write_virt(void)
{
	uint64_t root, gva = 0x7f0000010000ull;
	uint8_t before[64], data[16];
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, gva, 0x300000, 1, 0);
	map64(root, 4, gva + PAGE, 0x250000, 1, 0);
	pg = long_mode(root);
	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = 0xc0 + i;

	memcpy(before, ram + 0x300100 - 16, 64);
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + 0x100, data, 16), 0);
	EXPECT_MEMEQ(ram + 0x300100, data, 16);
	EXPECT_MEMEQ(ram + 0x300100 - 16, before, 16);
	EXPECT_MEMEQ(ram + 0x300110, before + 32, 32);

	/* Across the page boundary: 6 bytes at the end of one frame, 10
	 * at the start of the other. */
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + PAGE - 6, data, 16), 0);
	EXPECT_MEMEQ(ram + 0x300000 + PAGE - 6, data, 6);
	EXPECT_MEMEQ(ram + 0x250000, data + 6, 10);
}

static void test_write_virt_fault(void)
{
	uint64_t root, gva = 0x7f0000010000ull;
	uint8_t before[8], data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, gva, 0x300000, 1, 0);
	pg = long_mode(root);
	/*
	 * A store that faults on its second page has no effect on the
	 * first, as on the CPU: nothing is written when any part fails.
	 */
	memcpy(before, ram + 0x300000 + PAGE - 4, 4);
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + PAGE - 4, data, 8), -1);
	EXPECT_MEMEQ(ram + 0x300000 + PAGE - 4, before, 4);
	/* Same when the second page is mapped past the end of RAM. */
	map64(root, 4, gva + PAGE, RAM, 1, 0);
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + PAGE - 4, data, 8), -1);
	EXPECT_MEMEQ(ram + 0x300000 + PAGE - 4, before, 4);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_paging_off),
	KTAP_CASE(test_4level_4k),
	KTAP_CASE(test_4level_2m),
	KTAP_CASE(test_4level_1g),
	KTAP_CASE(test_pae),
	KTAP_CASE(test_32bit),
	KTAP_CASE(test_not_present),
	KTAP_CASE(test_table_outside_ram),
	KTAP_CASE(test_la57_refused),
	KTAP_CASE(test_non_canonical),
	KTAP_CASE(test_cross_page_read),
	KTAP_CASE(test_write_virt),
	KTAP_CASE(test_write_virt_fault),
};

int main(void)
{
	int ret = ktap_run(cases, ARRAY_SIZE(cases));

	free(ram);
	free(dom);
	return ret;
}
