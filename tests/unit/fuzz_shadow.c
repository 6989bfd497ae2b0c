// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: shadow paging's page-fault path on guest page tables
 * the input makes.  The input is a header, then the domain's RAM (its
 * first 64 KiB; CR3 points at its first page):
 *   byte 0   paging: 0 long mode, 1 PAE, 2 32-bit, 3 off
 *   byte 1   CR0.WP (bit 0), CR4.PSE (1), .PGE (2), .SMEP (3), .SMAP (4),
 *            EFER.NXE (5), no 1 GiB pages (6)
 *   byte 2   MAXPHYADDR (0: 52)
 *   bytes 3+ eight faults of 9 bytes: the address (8, little endian)
 *            and the error code; error bit 7 asks for an INVLPG of the
 *            address first, bit 6 for a MOV to CR3 (both as the guest
 *            would: the shadow forgets)
 * The pool is the smallest there is, so it fills and starts over.  After
 * each fault every leaf the shadow holds must map the domain's RAM or
 * its one device page, and a fill must be found again by vtlb_get().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/processor.h>
#include <asm/shadow.h>
#include <hv/domain.h>

#define RAM		0x10000ull
#define HDR		(3 + 8 * 9)
#define HPA_RAM		0x100000000ull
#define DEV_GPA		0xc0000000ull
#define DEV_HPA		0xd0000000ull
#define POOL_PA		0x40000000ull
#define POOL_PAGES	(VTLB_MIN_PAGES + 2)
#define PAGE		4096ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int p2m(struct domain *d, uint64_t gpa, uint64_t *hpa)
{
	if (gpa < d->mem_bytes) {
		*hpa = HPA_RAM + gpa;
		return SHADOW_P2M_RAM;
	}
	if ((gpa & ~0xfffull) == DEV_GPA) {
		*hpa = DEV_HPA;
		return SHADOW_P2M_DEVICE;
	}
	return SHADOW_P2M_NONE;
}

static void check_leaves(const struct vtlb *t)
{
	const uint64_t *e = (const uint64_t *)t->base;

	for (unsigned int i = 0; i < t->used * 512; i++) {
		uint64_t a = e[i] & VTLB_ADDR;

		if (!(e[i] & VTLB_P) ||
		    (a >= POOL_PA && a < POOL_PA + t->pages * PAGE))
			continue;
		if ((a < HPA_RAM || a >= HPA_RAM + RAM) && a != DEV_HPA)
			abort();
	}
}

static struct guest_paging paging(const uint8_t *h)
{
	struct guest_paging pg = { .cr0 = X86_CR0_PE | X86_CR0_PG };

	if (h[1] & 1)
		pg.cr0 |= X86_CR0_WP;
	pg.cr4 = (h[1] & 2 ? X86_CR4_PSE : 0) | (h[1] & 4 ? X86_CR4_PGE : 0) |
		 (h[1] & 8 ? X86_CR4_SMEP : 0) | (h[1] & 16 ? X86_CR4_SMAP : 0);
	pg.efer = h[1] & 32 ? EFER_NXE : 0;
	pg.no_gb_pages = h[1] & 64;
	pg.maxphy = h[2];
	switch (h[0] & 3) {
	case 0:
		pg.cr4 |= X86_CR4_PAE;
		pg.efer |= EFER_LME | EFER_LMA;
		break;
	case 1:
		pg.cr4 |= X86_CR4_PAE;
		break;
	case 3:
		pg.cr0 &= ~X86_CR0_PG;
		break;
	}
	return pg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct domain dom;
	static uint8_t ram[RAM];
	static uint64_t pool[POOL_PAGES * 512];
	struct guest_paging pg;
	struct vtlb t;
	struct x86_pf pf;
	uint64_t gpa;

	if (size < HDR)
		return 0;
	pg = paging(data);
	memset(ram, 0, sizeof(ram));
	memcpy(ram, data + HDR, size - HDR < RAM ? size - HDR : RAM);
	dom.mem = ram;
	dom.mem_bytes = RAM;
	vtlb_init(&t, pool, POOL_PA, POOL_PAGES);
	vtlb_flush(&t, (pg.efer & EFER_LMA) ? 4 : 3);
	for (unsigned int i = 0; i < 8; i++) {
		const uint8_t *f = data + 3 + 9 * i;
		uint64_t va = 0;
		uint32_t err = f[8];

		memcpy(&va, f, 8);
		if (err & 0x80)
			vtlb_invlpg(&t, va);
		if (err & 0x40)
			vtlb_flush_local(&t);
		err &= X86_PF_PRESENT | X86_PF_WRITE | X86_PF_USER |
		       X86_PF_INSTR;
		if (shadow_fault(&dom, &t, &pg, p2m, va, err, &pf, &gpa) ==
		    SHADOW_FIXED && !vtlb_get(&t, va))
			abort();
		check_leaves(&t);
		if (t.used > t.pages)
			abort();
	}
	return 0;
}
