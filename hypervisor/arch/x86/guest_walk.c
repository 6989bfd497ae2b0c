// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>

#define PTE_P		(1ull << 0)
#define PTE_PS		(1ull << 7)
#define ADDR_MASK	0x000ffffffffff000ull
#define X86_CR4_PSE	(1ul << 4)
#define X86_CR4_LA57	(1ul << 12)

static int read_entry(struct domain *d, uint64_t table, unsigned int idx,
		      unsigned int size, uint64_t *e)
{
	uint64_t v = 0;

	if (copy_from_guest(d, &v, table + (uint64_t)idx * size, size))
		return -1;
	*e = v;
	return (v & PTE_P) ? 0 : -1;
}

/* Long mode and PAE share the 9-bits-per-level walk. */
static int walk64(struct domain *d, uint64_t root, int levels, uint64_t gva,
		  uint64_t *gpa)
{
	uint64_t table = root & ADDR_MASK, e;

	for (int level = levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);

		if (read_entry(d, table, (gva >> shift) & 511, 8, &e))
			return -1;
		if (level <= 3 && level > 1 && (e & PTE_PS)) {
			uint64_t mask = (1ull << shift) - 1;

			*gpa = (e & ADDR_MASK & ~mask) | (gva & mask);
			return 0;
		}
		table = e & ADDR_MASK;
	}
	*gpa = table | (gva & 0xfff);
	return 0;
}

static int walk_pae(struct domain *d, uint64_t cr3, uint64_t gva,
		    uint64_t *gpa)
{
	uint64_t pdpte;

	if (read_entry(d, cr3 & 0xffffffe0ull, (gva >> 30) & 3, 8, &pdpte))
		return -1;
	return walk64(d, pdpte, 2, gva & 0x3fffffff, gpa);
}

static int walk32(struct domain *d, const struct guest_paging *pg,
		  uint64_t gva, uint64_t *gpa)
{
	uint64_t pde, pte;

	if (read_entry(d, pg->cr3 & 0xfffff000ull, (gva >> 22) & 1023, 4,
		       &pde))
		return -1;
	if ((pde & PTE_PS) && (pg->cr4 & X86_CR4_PSE)) {
		*gpa = (pde & 0xffc00000ull) | ((pde & 0x1fe000ull) << 19) |
		       (gva & 0x3fffff);
		return 0;
	}
	if (read_entry(d, pde & 0xfffff000ull, (gva >> 12) & 1023, 4, &pte))
		return -1;
	*gpa = (pte & 0xfffff000ull) | (gva & 0xfff);
	return 0;
}

/* Bits 63:47 all equal; the CPU faults on anything else, walking nothing. */
static bool canonical48(uint64_t gva)
{
	return (uint64_t)((int64_t)(gva << 16) >> 16) == gva;
}

int guest_translate(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, uint64_t *gpa)
{
	if (!(pg->cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return 0;
	}
	if (pg->efer & EFER_LMA) {
		if ((pg->cr4 & X86_CR4_LA57) || !canonical48(gva))
			return -1;
		return walk64(d, pg->cr3, 4, gva, gpa);
	}
	if (pg->cr4 & X86_CR4_PAE)
		return walk_pae(d, pg->cr3, gva & 0xffffffffull, gpa);
	return walk32(d, pg, gva & 0xffffffffull, gpa);
}

static int access_virt(struct domain *d, const struct guest_paging *pg,
		       uint64_t gva, void *buf, unsigned int len, bool write)
{
	uint8_t *p = buf;

	while (len) {
		unsigned int n = MIN(len, 4096 - (unsigned int)(gva & 0xfff));
		uint64_t gpa;
		int ret;

		if (guest_translate(d, pg, gva, &gpa))
			return -1;
		ret = write ? copy_to_guest(d, gpa, p, n) :
			      copy_from_guest(d, p, gpa, n);
		if (ret)
			return -1;
		gva += n;
		p += n;
		len -= n;
	}
	return 0;
}

int guest_read_virt(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, void *buf, unsigned int len)
{
	return access_virt(d, pg, gva, buf, len, false);
}

/* Every page of [gva, gva + len) maps to RAM. */
static bool virt_range_ok(struct domain *d, const struct guest_paging *pg,
			  uint64_t gva, unsigned int len)
{
	while (len) {
		unsigned int n = MIN(len, 4096 - (unsigned int)(gva & 0xfff));
		uint64_t gpa;

		if (guest_translate(d, pg, gva, &gpa) ||
		    !guest_range_ok(d, gpa, n))
			return false;
		gva += n;
		len -= n;
	}
	return true;
}

int guest_write_virt(struct domain *d, const struct guest_paging *pg,
		     uint64_t gva, const void *buf, unsigned int len)
{
	/*
	 * A store that faults on its second page leaves the first one
	 * unchanged on the CPU; an emulated one must not write half.
	 */
	if (!virt_range_ok(d, pg, gva, len))
		return -1;
	return access_virt(d, pg, gva, (void *)(uintptr_t)buf, len, true);
}
