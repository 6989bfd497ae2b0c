// SPDX-License-Identifier: GPL-2.0
/*
 * guest_translate(), guest_read_virt() and guest_write_virt() on page
 * tables built here in a domain's RAM: 4-level, PAE and 32-bit paging,
 * every page size, missing entries at every level, tables outside RAM.
 * Then shadow paging's use of the walk (shadow_fault() and the vTLB)
 * on the same tables, hostile ones included.
 * Only mem and mem_bytes of struct domain are set: the walker reaches
 * guest memory through copy_from_guest() and nothing else.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <asm/shadow.h>
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
			/* A PAE PDPTE has P alone: its other bits are reserved. */
			e = new_table() | P |
			    (levels == 3 && level == 3 ? 0 : RW_US);
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

static struct x86_pf pf;

/* A supervisor read: rights play no part in the translation tests. */
static int translate(const struct guest_paging *pg, uint64_t gva,
		     uint64_t *gpa)
{
	return guest_translate(dom, pg, gva, 0, gpa, &pf);
}

static int read_virt(const struct guest_paging *pg, uint64_t gva, void *buf,
		     unsigned int len)
{
	return guest_read_virt(dom, pg, gva, buf, len, 0, &pf);
}

static int write_virt(const struct guest_paging *pg, uint64_t gva,
		      const void *buf, unsigned int len)
{
	return guest_write_virt(dom, pg, gva, buf, len, 0, &pf);
}

static struct guest_paging long_mode(uint64_t cr3)
{
	return (struct guest_paging){ .cr0 = X86_CR0_PE | X86_CR0_PG,
				      .cr3 = cr3, .cr4 = X86_CR4_PAE,
				      .efer = EFER_LME | EFER_LMA | EFER_NXE };
}

static struct guest_paging pae_mode(uint64_t cr3)
{
	return (struct guest_paging){ .cr0 = X86_CR0_PE | X86_CR0_PG,
				      .cr3 = cr3, .cr4 = X86_CR4_PAE,
				      .efer = EFER_NXE };
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
	int ret = translate(pg, gva, &gpa);

	EXPECT_EQ(ret, 0);
	EXPECT_EQ(gpa, want);
	if (ret || gpa != want) {
		ktap_diag("  gva %#llx", (unsigned long long)gva);
		return;
	}
	if (want + sizeof(buf) > RAM || (want & 0xfff) > 4096 - sizeof(buf))
		return;
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(read_virt(pg, gva, buf, sizeof(buf)), 0);
	EXPECT_MEMEQ(buf, ram + want, sizeof(buf));
}

/* Not present: a #PF with P clear, at gva. */
static void expect_unmapped(const struct guest_paging *pg, uint64_t gva)
{
	uint64_t gpa = 0x5a5a;
	uint8_t buf[4];

	pf = (struct x86_pf){ 0, ~0u };
	EXPECT_EQ(translate(pg, gva, &gpa), GUEST_WALK_PF);
	EXPECT_EQ(gpa, 0x5a5a);
	EXPECT_EQ(pf.addr, gva);
	EXPECT_EQ(pf.error_code, 0);
	EXPECT_EQ(read_virt(pg, gva, buf, sizeof(buf)), GUEST_WALK_PF);
}

/* No answer at all: a table outside RAM, or an address the CPU faults
 * on before it walks. */
static void expect_unwalkable(const struct guest_paging *pg, uint64_t gva)
{
	uint64_t gpa = 0x5a5a;
	uint8_t buf[4];

	EXPECT_EQ(translate(pg, gva, &gpa), GUEST_WALK_BAD);
	EXPECT_EQ(gpa, 0x5a5a);
	EXPECT_EQ(read_virt(pg, gva, buf, sizeof(buf)), GUEST_WALK_BAD);
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
	EXPECT_EQ(read_virt(&pg, RAM - 2, (uint8_t[4]){ 0 }, 4),
		  GUEST_WALK_BAD);
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
	EXPECT_EQ(read_virt(&pg, gva, (uint8_t[4]){ 0 }, 4), -1);
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
		EXPECT_EQ(translate(pg, gva, &(uint64_t){ 0 }), 0);
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
	expect_unwalkable(&pg, gva);
	set64(slot, 0xfffffffff000ull | P | RW_US);
	expect_unwalkable(&pg, gva);
	/* CR3 itself past RAM, or its table's last entry just past it. */
	pg = long_mode(RAM);
	expect_unwalkable(&pg, 0);
	pg = long_mode(1ull << 51);
	expect_unwalkable(&pg, 0);
	/* 32-bit and PAE roots past RAM. */
	pg = legacy_mode(0xfffff000, 0);
	expect_unwalkable(&pg, 0x1000);
	pg = pae_mode(0xffffffe0);
	expect_unwalkable(&pg, 0x1000);
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
	expect_unwalkable(&pg, 0x1000);
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
	expect_unwalkable(&pg, 0x0000800000001010ull);
	expect_unwalkable(&pg, 0x7fff800000001010ull);
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
	EXPECT_EQ(read_virt(&pg, gva + PAGE - 12, buf, 32), 0);
	EXPECT_MEMEQ(buf, want, 32);
	/* Into an unmapped third page: the whole read fails. */
	EXPECT_EQ(read_virt(&pg, gva + 2 * PAGE - 4, buf, 8), GUEST_WALK_PF);
	EXPECT_EQ(pf.addr, gva + 2 * PAGE);
	EXPECT_EQ(read_virt(&pg, gva + 2 * PAGE - 1, buf, 2), GUEST_WALK_PF);
	EXPECT_EQ(read_virt(&pg, gva + 2 * PAGE - 4, buf, 4), 0);
	/* A page mapped past RAM fails the same way. */
	map64(root, 4, gva + 2 * PAGE, RAM, 1, 0);
	EXPECT_EQ(read_virt(&pg, gva + 2 * PAGE - 4, buf, 8), -1);
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
	EXPECT_EQ(write_virt(&pg, gva + 0x100, data, 16), 0);
	EXPECT_MEMEQ(ram + 0x300100, data, 16);
	EXPECT_MEMEQ(ram + 0x300100 - 16, before, 16);
	EXPECT_MEMEQ(ram + 0x300110, before + 32, 32);

	/* Across the page boundary: 6 bytes at the end of one frame, 10
	 * at the start of the other. */
	EXPECT_EQ(write_virt(&pg, gva + PAGE - 6, data, 16), 0);
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
	EXPECT_EQ(write_virt(&pg, gva + PAGE - 4, data, 8), GUEST_WALK_PF);
	EXPECT_EQ(pf.addr, gva + PAGE);
	EXPECT_EQ(pf.error_code, X86_PF_WRITE);
	EXPECT_MEMEQ(ram + 0x300000 + PAGE - 4, before, 4);
	/* Same when the second page is mapped past the end of RAM. */
	map64(root, 4, gva + PAGE, RAM, 1, 0);
	EXPECT_EQ(write_virt(&pg, gva + PAGE - 4, data, 8), -1);
	EXPECT_MEMEQ(ram + 0x300000 + PAGE - 4, before, 4);
}

/* ---- rights: U/S, R/W, CR0.WP, NX, SMEP, SMAP, accessed/dirty ---- */

#define US		0x4ull
#define RW		0x2ull
#define A		0x20ull
#define D		0x40ull
#define U		X86_PF_USER
#define WR		X86_PF_WRITE
#define I		X86_PF_INSTR
#define PRES		X86_PF_PRESENT

/* access at gva faults with error code ec, CR2 = gva. */
static void expect_pf(const struct guest_paging *pg, uint64_t gva,
		      unsigned int access, uint32_t ec)
{
	uint64_t gpa = 0x5a5a;

	pf = (struct x86_pf){ 0, ~0u };
	EXPECT_EQ(guest_translate(dom, pg, gva, access, &gpa, &pf),
		  GUEST_WALK_PF);
	EXPECT_EQ(gpa, 0x5a5a);
	EXPECT_EQ(pf.addr, gva);
	EXPECT_EQ(pf.error_code, ec);
	if (pf.error_code != ec)
		ktap_diag("  gva %#llx access %#x", (unsigned long long)gva,
			  access);
}

static void expect_ok(const struct guest_paging *pg, uint64_t gva,
		      unsigned int access, uint64_t want)
{
	uint64_t gpa = 0x5a5a;

	EXPECT_EQ(guest_translate(dom, pg, gva, access, &gpa, &pf), 0);
	EXPECT_EQ(gpa, want);
}

static void clear64(uint64_t slot, uint64_t bits)
{
	set64(slot, get64(slot) & ~bits);
}

static void test_user_supervisor(void)
{
	uint64_t root, kern = 0xffff888000010000ull, user = 0x400000;
	struct guest_paging pg;

	reset();
	root = new_table();
	clear64(map64(root, 4, kern, 0x300000, 1, 0), US);
	map64(root, 4, user, 0x301000, 1, 0);
	pg = long_mode(root);
	/* CPL 3 reaches neither a read nor a write of a supervisor page. */
	expect_pf(&pg, kern + 8, U, U | PRES);
	expect_pf(&pg, kern + 8, U | WR, WR | U | PRES);
	expect_ok(&pg, kern + 8, 0, 0x300008);
	expect_ok(&pg, kern + 8, WR, 0x300008);
	expect_ok(&pg, user + 8, U | WR, 0x301008);
	/* Not present at CPL 3: P clear, U set. */
	expect_pf(&pg, user + PAGE, U, U);
	/* U/S clear at any level makes the page supervisor-only. */
	clear64(slot64(root, 4, user, 3), US);
	expect_pf(&pg, user, U, U | PRES);
	expect_ok(&pg, user, 0, 0x301000);
}

static void test_read_only(void)
{
	uint64_t root, gva = 0xffff888000020000ull, leaf;
	struct guest_paging pg;

	reset();
	root = new_table();
	leaf = map64(root, 4, gva, 0x302000, 1, 0);
	clear64(leaf, RW);
	pg = long_mode(root);
	pg.cr0 |= X86_CR0_WP;
	expect_ok(&pg, gva, 0, 0x302000);
	expect_ok(&pg, gva, U, 0x302000);
	expect_pf(&pg, gva, WR, WR | PRES);
	expect_pf(&pg, gva, U | WR, WR | U | PRES);
	/* Without CR0.WP a supervisor write ignores R/W; a user one does not. */
	pg.cr0 &= ~X86_CR0_WP;
	expect_ok(&pg, gva, WR, 0x302000);
	expect_pf(&pg, gva, U | WR, WR | U | PRES);
	/* R/W clear in a higher level counts as well. */
	set64(leaf, get64(leaf) | RW);
	clear64(slot64(root, 4, gva, 2), RW);
	pg.cr0 |= X86_CR0_WP;
	expect_pf(&pg, gva, WR, WR | PRES);
}

static void test_nx(void)
{
	uint64_t root, code = 0xffffffff81000000ull, data = 0xffff888000030000ull;
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, code, 0x303000, 1, 0);
	map64(root, 4, data, 0x304000, 1, NX);
	map64(root, 4, 0x40000000, 0x400000, 2, 0);
	set64(slot64(root, 4, 0x40000000, 3),
	      get64(slot64(root, 4, 0x40000000, 3)) | NX);
	pg = long_mode(root);
	pg.efer |= EFER_NXE;
	expect_ok(&pg, code, I, 0x303000);
	expect_ok(&pg, data, 0, 0x304000);
	expect_pf(&pg, data, I, I | PRES);
	expect_pf(&pg, data, I | U, I | U | PRES);
	/* XD on a non-leaf level covers a 2 MiB page under it too. */
	expect_pf(&pg, 0x40001000, I, I | PRES);
	expect_ok(&pg, 0x40001000, WR, 0x401000);
	/* Without EFER.NXE bit 63 is reserved; I/D is not reported. */
	pg.efer &= ~EFER_NXE;
	expect_pf(&pg, data, 0, X86_PF_RSVD | PRES);
	expect_ok(&pg, code, I, 0x303000);
	expect_pf(&pg, code + PAGE, I, 0);
}

static void test_smep_smap(void)
{
	uint64_t root, user = 0x500000;
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, user, 0x305000, 1, 0);
	pg = long_mode(root);
	expect_ok(&pg, user, I, 0x305000);
	expect_ok(&pg, user, 0, 0x305000);
	pg.cr4 |= X86_CR4_SMEP;
	expect_pf(&pg, user, I, I | PRES);
	expect_ok(&pg, user, I | U, 0x305000);
	expect_ok(&pg, user, WR, 0x305000);
	pg.cr4 |= X86_CR4_SMAP;
	expect_pf(&pg, user, 0, PRES);
	expect_pf(&pg, user, WR, WR | PRES);
	expect_ok(&pg, user, U | WR, 0x305000);
	/* RFLAGS.AC lets the supervisor at user data, not at user code. */
	pg.rflags = X86_EFLAGS_AC;
	expect_ok(&pg, user, WR, 0x305000);
	expect_pf(&pg, user, I, I | PRES);
	/* Protection keys cannot be checked here: no answer, no guess. */
	pg.cr4 |= X86_CR4_PKE;
	EXPECT_EQ(guest_translate(dom, &pg, user, U, &(uint64_t){ 0 }, &pf),
		  GUEST_WALK_BAD);
	expect_ok(&pg, user, I | U, 0x305000);
}

static void test_legacy_rights(void)
{
	uint64_t pd, pte, pdpt = 0x6020;
	struct guest_paging pg;

	/* 32-bit paging: U/S and R/W on the PTE, no NX. */
	reset();
	pd = new_table();
	map32(pd, 0x80001000, 0x205000, false);
	pte = (get32(pd + (0x80001000 >> 22) * 4) & 0xfffff000u) + 4;
	set32(pte, 0x205000 | P);
	pg = legacy_mode(pd, 0);
	pg.cr0 |= X86_CR0_WP;
	expect_pf(&pg, 0x80001000, U, U | PRES);
	expect_pf(&pg, 0x80001000, WR, WR | PRES);
	expect_ok(&pg, 0x80001000, 0, 0x205000);
	EXPECT_EQ(get32(pte) & A, A);
	expect_pf(&pg, 0x80001000, I | U, U | PRES);

	/* PAE: the PDPTE has no U/S or R/W bits to withhold rights with. */
	reset();
	next_table = 0xa000;
	set64(pdpt, 0x9000 | P);
	map64(pdpt, 3, 0x00401000, 0x203000, 1, 0);
	pg = pae_mode(pdpt);
	expect_ok(&pg, 0x00401000, U | WR, 0x203000);
	EXPECT_EQ(get64(pdpt), 0x9000 | P);
	clear64(slot64(pdpt, 3, 0x00401000, 1), US);
	expect_pf(&pg, 0x00401000, U | WR, WR | U | PRES);
}

static void test_accessed_dirty(void)
{
	uint64_t root, gva = 0x7f0000040000ull, leaf;
	struct guest_paging pg;
	uint8_t b[4] = { 1, 2, 3, 4 };

	reset();
	root = new_table();
	leaf = map64(root, 4, gva, 0x306000, 1, 0);
	pg = long_mode(root);
	EXPECT_EQ(get64(leaf) & (A | D), 0);
	EXPECT_EQ(read_virt(&pg, gva, b, 4), 0);
	EXPECT_EQ(get64(leaf) & (A | D), A);
	for (int level = 4; level > 1; level--)
		EXPECT_EQ(get64(slot64(root, 4, gva, level)) & (A | D), A);
	EXPECT_EQ(write_virt(&pg, gva, b, 4), 0);
	EXPECT_EQ(get64(leaf) & (A | D), A | D);
	EXPECT_EQ(get64(slot64(root, 4, gva, 2)) & D, 0);
	/* A refused access marks nothing. */
	set64(leaf, (get64(leaf) & ~(A | D)) & ~RW);
	pg.cr0 |= X86_CR0_WP;
	EXPECT_EQ(write_virt(&pg, gva, b, 4), GUEST_WALK_PF);
	EXPECT_EQ(get64(leaf) & (A | D), 0);
}

/* A user store to a read-only page, or to a supervisor one, writes nothing. */
static void test_write_virt_rights(void)
{
	uint64_t root, gva = 0x7f0000050000ull, leaf;
	uint8_t before[8], data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct guest_paging pg;

	reset();
	root = new_table();
	map64(root, 4, gva, 0x307000, 1, 0);
	leaf = map64(root, 4, gva + PAGE, 0x308000, 1, 0);
	pg = long_mode(root);
	memcpy(before, ram + 0x307000 + PAGE - 4, 4);
	memcpy(before + 4, ram + 0x308000, 4);
	clear64(leaf, RW);
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + PAGE - 4, data, 8, U, &pf),
		  GUEST_WALK_PF);
	EXPECT_EQ(pf.addr, gva + PAGE);
	EXPECT_EQ(pf.error_code, WR | U | PRES);
	set64(leaf, (get64(leaf) | RW) & ~US);
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + PAGE - 4, data, 8, U, &pf),
		  GUEST_WALK_PF);
	EXPECT_EQ(pf.error_code, WR | U | PRES);
	EXPECT_MEMEQ(ram + 0x307000 + PAGE - 4, before, 4);
	EXPECT_MEMEQ(ram + 0x308000, before + 4, 4);
	/* The kernel may. */
	EXPECT_EQ(guest_write_virt(dom, &pg, gva + PAGE - 4, data, 8, 0, &pf),
		  0);
	EXPECT_MEMEQ(ram + 0x308000, data + 4, 4);
}

/*
 * Reserved bits are a #PF with P and RSVD, found at the entry that has
 * them whatever the levels below say, and set no accessed bit.
 */
static void test_reserved_bits(void)
{
	const uint32_t RSV = PRES | X86_PF_RSVD;
	struct guest_paging pg;
	uint64_t root, leaf, slot;

	reset();
	root = new_table();
	pg = long_mode(root);
	pg.maxphy = 40;
	leaf = map64(root, 4, 0x1000, 0x300000, 1, 0);
	expect_gpa(&pg, 0x1000, 0x300000);
	set64(leaf, get64(leaf) & ~A);
	set64(leaf, get64(leaf) | (1ull << 51));
	expect_pf(&pg, 0x1000, WR, RSV | WR);
	EXPECT_EQ(get64(leaf) & A, 0);
	/* Below MAXPHYADDR the bit is an address bit. */
	set64(leaf, (get64(leaf) & ~(1ull << 51)) | (1ull << 39));
	expect_gpa(&pg, 0x1000, 0x300000 | (1ull << 39));
	/* PS in a PML4E; a 1 GiB page the CPU does not have. */
	slot = slot64(root, 4, 0x1000, 4);
	set64(slot, get64(slot) | PS);
	expect_pf(&pg, 0x1000, U, RSV | U);
	set64(slot, get64(slot) & ~PS);
	map64(root, 4, 0x40000000ull, 0, 3, 0);
	expect_gpa(&pg, 0x40001000ull, 0x1000);
	pg.no_gb_pages = true;
	expect_pf(&pg, 0x40001000ull, 0, RSV);
	/* A 2 MiB page's bits 20:13. */
	map64(root, 4, 0x80000000ull, 0x200000 | (1ull << 13), 2, 0);
	expect_pf(&pg, 0x80000000ull, 0, RSV);
	/* XD without NXE. */
	pg.efer &= ~EFER_NXE;
	set64(leaf, (get64(leaf) & ~(1ull << 39)) | NX);
	expect_pf(&pg, 0x1000, 0, RSV);
	/* A PAE PDPTE with R/W, which is reserved there. */
	root = new_table();
	pg = pae_mode(root);
	map64(root, 3, 0x1000, 0x300000, 1, 0);
	expect_gpa(&pg, 0x1000, 0x300000);
	set64(root, get64(root) | RW);
	expect_pf(&pg, 0x1000, 0, RSV);
}

/* ---- Shadow paging: what shadow_fault() caches, and what it never does ---- */

#define HPA_RAM		0x100000000ull	/* where the fake host has the RAM */
#define DEV_GPA		0xc0000000ull	/* a passed-through BAR page ... */
#define DEV_HPA		0xd0000000ull	/* ... on the host */
#define POOL_PA		0x40000000ull
#define POOL_PAGES	64

static int fake_p2m(struct domain *d, uint64_t gpa, uint64_t *hpa)
{
	if (gpa < d->mem_bytes) {
		*hpa = HPA_RAM + gpa;
		return SHADOW_P2M_RAM;
	}
	if (gpa == DEV_GPA) {
		*hpa = DEV_HPA;
		return SHADOW_P2M_DEVICE;
	}
	return SHADOW_P2M_NONE;
}

static struct vtlb vt;
static void *pool;

static void vt_reset(unsigned int pages, unsigned int levels)
{
	free(pool);
	pool = aligned_alloc(PAGE, pages * PAGE);
	if (!pool)
		abort();
	memset(pool, 0xa5, pages * PAGE);
	vtlb_init(&vt, pool, POOL_PA, pages);
	vtlb_flush(&vt, levels);
}

/* Fresh RAM and shadow, and a long-mode guest whose root is *root. */
static struct guest_paging shadow_long(uint64_t *root)
{
	reset();
	vt_reset(POOL_PAGES, 4);
	*root = new_table();
	return long_mode(*root);
}

static int fault(const struct guest_paging *pg, uint64_t va, uint32_t err,
		 uint64_t *gpa)
{
	pf = (struct x86_pf){ 0, ~0u };
	return shadow_fault(dom, &vt, pg, fake_p2m, va, err, &pf, gpa);
}

/* Every leaf in the pool maps the domain's RAM or its device page. */
static unsigned int stray_leaves(void)
{
	unsigned int bad = 0;
	uint64_t *e = pool;

	for (unsigned int i = 0; i < vt.used * 512; i++) {
		uint64_t a = e[i] & VTLB_ADDR;
		bool table = a >= POOL_PA && a < POOL_PA + vt.pages * PAGE;

		if (!(e[i] & VTLB_P) || table)
			continue;
		if ((a < HPA_RAM || a >= HPA_RAM + RAM) && a != DEV_HPA)
			bad++;
	}
	return bad;
}

static void test_shadow_fill_and_dirty(void)
{
	struct guest_paging pg;
	uint64_t root, leaf, gpa = 0, e;

	pg = shadow_long(&root);
	pg.cr0 |= X86_CR0_WP;
	leaf = map64(root, 4, 0x7f0000401000ull, 0x200000, 1, 0);
	EXPECT_EQ(fault(&pg, 0x7f0000401234ull, U, &gpa), SHADOW_FIXED);
	e = vtlb_get(&vt, 0x7f0000401000ull);
	/* Readable by the user, not yet writable: the page is clean. */
	EXPECT_EQ(e & VTLB_ADDR, HPA_RAM + 0x200000);
	EXPECT_EQ(e & (VTLB_P | VTLB_RW | VTLB_US | VTLB_XD), VTLB_P | VTLB_US);
	EXPECT_EQ(get64(leaf) & (A | D), A);
	/* The write comes back, sets D and gets a writable leaf. */
	EXPECT_EQ(fault(&pg, 0x7f0000401234ull, U | WR | PRES, &gpa),
		  SHADOW_FIXED);
	EXPECT_EQ(get64(leaf) & (A | D), A | D);
	EXPECT(vtlb_get(&vt, 0x7f0000401000ull) & VTLB_RW);
	/* Nothing else is cached. */
	EXPECT_EQ(vtlb_get(&vt, 0x7f0000402000ull), 0);
	EXPECT_EQ(vt.fills, 2);
	EXPECT_EQ(stray_leaves(), 0);
}

static void test_shadow_guest_faults(void)
{
	struct guest_paging pg;
	uint64_t root, leaf, gpa = 0;

	pg = shadow_long(&root);
	pg.cr0 |= X86_CR0_WP;
	EXPECT_EQ(fault(&pg, 0x5000, 0, &gpa), SHADOW_GUEST_PF);
	EXPECT_EQ(pf.addr, 0x5000);
	EXPECT_EQ(pf.error_code, 0);
	leaf = map64(root, 4, 0x5000, 0x300000, 1, 0);
	set64(leaf, get64(leaf) & ~(US | RW));
	EXPECT_EQ(fault(&pg, 0x5008, U, &gpa), SHADOW_GUEST_PF);
	EXPECT_EQ(pf.error_code, U | PRES);
	EXPECT_EQ(fault(&pg, 0x5008, WR | PRES, &gpa), SHADOW_GUEST_PF);
	EXPECT_EQ(pf.error_code, WR | PRES);
	/* A refused access caches nothing and touches no A bit. */
	EXPECT_EQ(vtlb_get(&vt, 0x5000), 0);
	EXPECT_EQ(get64(leaf) & A, 0);
	/* NX under NXE: a fetch is refused, a read cached with XD. */
	set64(leaf, get64(leaf) | NX);
	EXPECT_EQ(fault(&pg, 0x5008, I, &gpa), SHADOW_GUEST_PF);
	EXPECT_EQ(pf.error_code, I | PRES);
	EXPECT_EQ(fault(&pg, 0x5008, 0, &gpa), SHADOW_FIXED);
	EXPECT(vtlb_get(&vt, 0x5000) & VTLB_XD);
}

/* With CR0.WP clear the kernel writes read-only pages: not the user. */
static void test_shadow_wp_clear(void)
{
	struct guest_paging pg;
	uint64_t root, leaf, gpa = 0, e;

	pg = shadow_long(&root);
	leaf = map64(root, 4, 0x9000, 0x300000, 1, 0);
	set64(leaf, get64(leaf) & ~RW);
	EXPECT_EQ(fault(&pg, 0x9000, WR, &gpa), SHADOW_FIXED);
	e = vtlb_get(&vt, 0x9000);
	EXPECT_EQ(e & (VTLB_RW | VTLB_US), VTLB_RW);
	EXPECT_EQ(get64(leaf) & D, D);
	EXPECT_EQ(fault(&pg, 0x9000, U, &gpa), SHADOW_FIXED);
	EXPECT_EQ(vtlb_get(&vt, 0x9000) & (VTLB_RW | VTLB_US), VTLB_US);
}

/*
 * Hostile tables: a leaf outside RAM is the device model's (or nobody's),
 * never a shadow entry; a table outside RAM is no answer; a table that
 * maps itself gives the guest its own table page, nothing more.
 */
static void test_shadow_hostile_tables(void)
{
	struct guest_paging pg;
	uint64_t root, slot, gpa = 0;

	pg = shadow_long(&root);
	map64(root, 4, 0x10000, 0x80000000ull, 1, 0);
	EXPECT_EQ(fault(&pg, 0x10010, 0, &gpa), SHADOW_MMIO);
	EXPECT_EQ(gpa, 0x80000010ull);
	EXPECT_EQ(vtlb_get(&vt, 0x10000), 0);
	map64(root, 4, 0x11000, ADDR & ~0xfffull, 1, 0);
	EXPECT_EQ(fault(&pg, 0x11000, WR, &gpa), SHADOW_MMIO);
	EXPECT_EQ(vtlb_get(&vt, 0x11000), 0);
	/* The device page is mapped, uncached. */
	map64(root, 4, 0x12000, DEV_GPA, 1, 0);
	EXPECT_EQ(fault(&pg, 0x12000, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(vtlb_get(&vt, 0x12000) & (VTLB_ADDR | VTLB_PCD | VTLB_PWT),
		  DEV_HPA | VTLB_PCD | VTLB_PWT);
	/* A page directory outside RAM. */
	slot = slot64(root, 4, 0x40000000ull, 3);
	map64(root, 4, 0x40000000ull, 0x1000, 1, 0);
	set64(slot, 0x7ff00000000ull | P | RW_US);
	EXPECT_EQ(fault(&pg, 0x40000000ull, 0, &gpa), SHADOW_BAD);
	/* The root maps itself: the walk ends on the root page, in RAM. */
	set64(root + 511 * 8, root | P | RW_US);
	EXPECT_EQ(fault(&pg, 0xfffffffffffff000ull, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(vtlb_get(&vt, 0xfffffffffffff000ull) & VTLB_ADDR,
		  HPA_RAM + root);
	EXPECT_EQ(stray_leaves(), 0);
}

/* Guest pages over 4 KiB are cached in 4 KiB pieces; INVLPG drops them all. */
static void test_shadow_large_pages(void)
{
	struct guest_paging pg;
	uint64_t root, gpa = 0;

	pg = shadow_long(&root);
	/* With 4 KiB pages only, INVLPG leaves the neighbours. */
	map64(root, 4, 0x2000, 0x302000, 1, 0);
	map64(root, 4, 0x3000, 0x303000, 1, 0);
	EXPECT_EQ(fault(&pg, 0x2000, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(fault(&pg, 0x3000, 0, &gpa), SHADOW_FIXED);
	vtlb_invlpg(&vt, 0x2000);
	EXPECT_EQ(vtlb_get(&vt, 0x2000), 0);
	EXPECT_NE(vtlb_get(&vt, 0x3000), 0);
	map64(root, 4, 0x40000000ull, 0x400000, 2, 0);
	EXPECT_EQ(fault(&pg, 0x40005010ull, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(fault(&pg, 0x401ff000ull, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(vtlb_get(&vt, 0x40005000ull) & VTLB_ADDR,
		  HPA_RAM + 0x405000);
	EXPECT_EQ(vtlb_get(&vt, 0x401ff000ull) & VTLB_ADDR,
		  HPA_RAM + 0x5ff000);
	vtlb_invlpg(&vt, 0x40100000ull);
	EXPECT_EQ(vtlb_get(&vt, 0x40005000ull), 0);
	EXPECT_EQ(vtlb_get(&vt, 0x401ff000ull), 0);
	/* A 1 GiB page: INVLPG anywhere in it drops pieces 2 MiB apart. */
	map64(root, 4, 0x80000000ull, 0, 3, 0);
	EXPECT_EQ(fault(&pg, 0x80001000ull, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(fault(&pg, 0x80600000ull, 0, &gpa), SHADOW_FIXED);
	vtlb_invlpg(&vt, 0xbfe00000ull);
	EXPECT_EQ(vtlb_get(&vt, 0x80001000ull), 0);
	EXPECT_EQ(vtlb_get(&vt, 0x80600000ull), 0);
	/*
	 * Until the next flush, every INVLPG covers the largest page cached
	 * since the last: a 4 KiB one too, conservatively.
	 */
	map64(root, 4, 0x2000, 0x302000, 1, 0);
	EXPECT_EQ(fault(&pg, 0x2000, 0, &gpa), SHADOW_FIXED);
	vtlb_invlpg(&vt, 0x3fe00000ull);
	EXPECT_EQ(vtlb_get(&vt, 0x2000), 0);
}

/* PAE: a four-entry root whose entries are always there, P alone. */
static void test_shadow_pae_and_paging_off(void)
{
	struct guest_paging pg;
	uint64_t root, gpa = 0, *r;

	reset();
	vt_reset(POOL_PAGES, 3);
	r = pool;
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(r[i] & ~VTLB_ADDR, VTLB_P);
	EXPECT_EQ(r[4], 0);
	root = new_table();
	pg = pae_mode(root);
	map64(root, 3, 0xc0001000ull, 0x301000, 1, 0);
	EXPECT_EQ(fault(&pg, 0xc0001000ull, WR, &gpa), SHADOW_FIXED);
	EXPECT_EQ(vtlb_get(&vt, 0xc0001000ull) & VTLB_ADDR,
		  HPA_RAM + 0x301000);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(r[i] & ~VTLB_ADDR, VTLB_P);
	/* Paging off: the identity map of RAM, and nothing past it. */
	pg = (struct guest_paging){ .cr0 = X86_CR0_PE };
	EXPECT_EQ(fault(&pg, 0x7ff000, WR, &gpa), SHADOW_FIXED);
	EXPECT_EQ(vtlb_get(&vt, 0x7ff000) & (VTLB_ADDR | VTLB_RW),
		  (HPA_RAM + 0x7ff000) | VTLB_RW);
	EXPECT_EQ(fault(&pg, 0xfee00000ull, WR, &gpa), SHADOW_MMIO);
	EXPECT_EQ(gpa, 0xfee00000ull);
	EXPECT_EQ(stray_leaves(), 0);
}

/* A MOV to CR3 keeps the global pages' leaves, under CR4.PGE only. */
static void test_shadow_global_pages(void)
{
	struct guest_paging pg;
	uint64_t root, gpa = 0;

	pg = shadow_long(&root);
	pg.cr4 |= X86_CR4_PGE;
	map64(root, 4, 0xffffffff81000000ull, 0x400000, 2, 0x100);
	map64(root, 4, 0x400000, 0x300000, 1, 0x100);
	map64(root, 4, 0x401000, 0x301000, 1, 0);
	EXPECT_EQ(fault(&pg, 0xffffffff81003000ull, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(fault(&pg, 0x400000, 0, &gpa), SHADOW_FIXED);
	EXPECT_EQ(fault(&pg, 0x401000, 0, &gpa), SHADOW_FIXED);
	/* The marks are the vTLB's: vtlb_get() shows the entry as the CPU. */
	EXPECT_EQ(vtlb_get(&vt, 0x400000) & ~(VTLB_ADDR | 0xfff | VTLB_XD),
		  0);
	vtlb_flush_local(&vt);
	EXPECT_NE(vtlb_get(&vt, 0xffffffff81003000ull), 0);
	EXPECT_NE(vtlb_get(&vt, 0x400000), 0);
	EXPECT_EQ(vtlb_get(&vt, 0x401000), 0);
	EXPECT_EQ(vt.globals_kept, 2);
	/* Without PGE the G bit means nothing. */
	pg.cr4 &= ~X86_CR4_PGE;
	vtlb_flush(&vt, 4);
	EXPECT_EQ(fault(&pg, 0x400000, 0, &gpa), SHADOW_FIXED);
	vtlb_flush_local(&vt);
	EXPECT_EQ(vtlb_get(&vt, 0x400000), 0);
	/* PAE: everything goes, and the root's four entries stay. */
	vt_reset(POOL_PAGES, 3);
	pg = pae_mode(new_table());
	pg.cr4 |= X86_CR4_PGE;
	map64(pg.cr3, 3, 0x400000, 0x300000, 1, 0x100);
	EXPECT_EQ(fault(&pg, 0x400000, 0, &gpa), SHADOW_FIXED);
	vtlb_flush_local(&vt);
	EXPECT_EQ(vtlb_get(&vt, 0x400000), 0);
	EXPECT_EQ(((uint64_t *)pool)[3] & ~VTLB_ADDR, VTLB_P);
}

/* A full pool starts over, in bounds (ASan), and the last fill stays. */
static void test_shadow_pool_full(void)
{
	struct guest_paging pg;
	uint64_t root, gpa = 0, va = 0;

	reset();
	vt_reset(VTLB_MIN_PAGES, 4);
	root = new_table();
	pg = long_mode(root);
	for (int i = 0; i < 40; i++) {
		va = (uint64_t)i << 30;
		map64(root, 4, va, 0x300000 + i * PAGE, 1, 0);
		EXPECT_EQ(fault(&pg, va, 0, &gpa), SHADOW_FIXED);
		EXPECT_EQ(vtlb_get(&vt, va) & VTLB_ADDR,
			  HPA_RAM + 0x300000 + i * PAGE);
		EXPECT(vt.used <= vt.pages);
	}
	EXPECT(vt.flushes > 10);
	EXPECT_EQ(stray_leaves(), 0);
	vt_reset(VTLB_MIN_PAGES, 3);
	pg = pae_mode(new_table());
	for (int i = 0; i < 4; i++) {
		va = (uint64_t)i << 30;
		map64(pg.cr3, 3, va, 0x300000, 1, 0);
		EXPECT_EQ(fault(&pg, va, 0, &gpa), SHADOW_FIXED);
		EXPECT(vt.used <= vt.pages);
	}
	free(pool);
	pool = NULL;
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
	KTAP_CASE(test_user_supervisor),
	KTAP_CASE(test_read_only),
	KTAP_CASE(test_nx),
	KTAP_CASE(test_smep_smap),
	KTAP_CASE(test_legacy_rights),
	KTAP_CASE(test_accessed_dirty),
	KTAP_CASE(test_write_virt_rights),
	KTAP_CASE(test_reserved_bits),
	KTAP_CASE(test_shadow_fill_and_dirty),
	KTAP_CASE(test_shadow_guest_faults),
	KTAP_CASE(test_shadow_wp_clear),
	KTAP_CASE(test_shadow_hostile_tables),
	KTAP_CASE(test_shadow_large_pages),
	KTAP_CASE(test_shadow_pae_and_paging_off),
	KTAP_CASE(test_shadow_global_pages),
	KTAP_CASE(test_shadow_pool_full),
};

int main(void)
{
	int ret = ktap_run(cases, ARRAY_SIZE(cases));

	free(ram);
	free(dom);
	return ret;
}
