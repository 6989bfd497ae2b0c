// SPDX-License-Identifier: GPL-2.0
/*
 * The guest page-table walk the emulator does on the guest's behalf.
 * Rights are those of the whole walk: a page is user-accessible only if
 * every level says U/S, writable only if every level says R/W, and not
 * executable if any level says XD.  See docs/x86-emulator.md.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_US		(1ull << 2)
#define PTE_A		(1ull << 5)
#define PTE_D		(1ull << 6)
#define PTE_PS		(1ull << 7)
#define PTE_G		(1ull << 8)
#define PTE_XD		(1ull << 63)
#define ADDR_MASK	0x000ffffffffff000ull
#define X86_CR4_PSE	(1ul << 4)
#define X86_CR4_LA57	(1ul << 12)
#define PAGE_BYTES	4096u

/* What one walk used: its entries, and the rights they grant together. */
struct walk {
	uint64_t gpa;
	uint64_t slot[4];	/* each entry's GPA, the leaf last */
	uint64_t val[4];
	unsigned int n;
	unsigned int size;	/* entry bytes: 4 or 8 */
	uint64_t rights;	/* PTE_RW, PTE_US: set where every level has it */
	bool xd;		/* some level has bit 63 */
	bool rsvd;		/* _PF: an entry with a reserved bit set */
	unsigned int shift;	/* log2 of the page's size */
};

/* Address bits at or above MAXPHYADDR, in an 8-byte entry. */
static uint64_t phys_rsvd(const struct guest_paging *pg)
{
	unsigned int m = pg->maxphy ? pg->maxphy : 52;

	return m >= 52 ? 0 : ((1ull << 52) - 1) & ~((1ull << m) - 1);
}

/*
 * The bits an 8-byte entry at level (4: PML4E .. 1: PTE) must have
 * clear, as e says whether it maps a page: PS in a PML4E, and in a
 * PDPTE without 1 GiB pages; a large page's bits between its PAT bit
 * and its address; XD without EFER.NXE.
 */
static uint64_t entry_rsvd(const struct guest_paging *pg, int level,
			   uint64_t e)
{
	uint64_t r = phys_rsvd(pg);

	if (!(pg->efer & EFER_NXE))
		r |= PTE_XD;
	if (level == 4 || (level == 3 && pg->no_gb_pages))
		return r | PTE_PS;
	if ((level == 2 || level == 3) && (e & PTE_PS))
		r |= ((1ull << (12 + 9 * (level - 1))) - 1) & ~0x1fffull;
	return r;
}

/* One entry of the walk: GUEST_WALK_OK, _PF when not present, or _BAD. */
static int read_entry(struct domain *d, struct walk *w, uint64_t table,
		      unsigned int idx, uint64_t *e)
{
	uint64_t slot = table + (uint64_t)idx * w->size, v = 0;

	if (copy_from_guest(d, &v, slot, w->size))
		return GUEST_WALK_BAD;
	if (!(v & PTE_P))
		return GUEST_WALK_PF;
	w->slot[w->n] = slot;
	w->val[w->n++] = v;
	w->rights &= v;
	w->xd |= (v & PTE_XD) != 0;
	*e = v;
	return GUEST_WALK_OK;
}

/* Long mode and PAE share the 9-bits-per-level walk. */
static int walk64(struct domain *d, const struct guest_paging *pg,
		  struct walk *w, uint64_t root, int levels, uint64_t gva)
{
	uint64_t table = root & ADDR_MASK, e;
	int rc;

	for (int level = levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);

		rc = read_entry(d, w, table, (gva >> shift) & 511, &e);
		if (rc)
			return rc;
		if (e & entry_rsvd(pg, level, e)) {
			w->rsvd = true;
			return GUEST_WALK_PF;
		}
		if (level <= 3 && level > 1 && (e & PTE_PS)) {
			uint64_t mask = (1ull << shift) - 1;

			w->gpa = (e & ADDR_MASK & ~mask) | (gva & mask);
			w->shift = shift;
			return GUEST_WALK_OK;
		}
		table = e & ADDR_MASK;
	}
	w->gpa = table | (gva & 0xfff);
	w->shift = 12;
	return GUEST_WALK_OK;
}

/*
 * A PAE PDPTE has no U/S, R/W, XD or accessed bit: it is not "used".
 * Bits 1, 2, 5 to 8 and 63 are reserved in it.
 */
static int walk_pae(struct domain *d, const struct guest_paging *pg,
		    struct walk *w, uint64_t gva)
{
	uint64_t pdpte = 0;

	if (copy_from_guest(d, &pdpte,
			    (pg->cr3 & 0xffffffe0ull) + ((gva >> 30) & 3) * 8,
			    8))
		return GUEST_WALK_BAD;
	if (!(pdpte & PTE_P))
		return GUEST_WALK_PF;
	if (pdpte & (phys_rsvd(pg) | PTE_XD | 0x1e6ull)) {
		w->rsvd = true;
		return GUEST_WALK_PF;
	}
	return walk64(d, pg, w, pdpte, 2, gva & 0x3fffffff);
}

static int walk32(struct domain *d, struct walk *w,
		  const struct guest_paging *pg, uint64_t gva)
{
	uint64_t pde, pte;
	int rc;

	w->size = 4;
	rc = read_entry(d, w, pg->cr3 & 0xfffff000ull, (gva >> 22) & 1023,
			&pde);
	if (rc)
		return rc;
	if ((pde & PTE_PS) && (pg->cr4 & X86_CR4_PSE)) {
		w->gpa = (pde & 0xffc00000ull) | ((pde & 0x1fe000ull) << 19) |
			 (gva & 0x3fffff);
		w->shift = 22;
		return GUEST_WALK_OK;
	}
	rc = read_entry(d, w, pde & 0xfffff000ull, (gva >> 12) & 1023, &pte);
	if (rc)
		return rc;
	w->gpa = (pte & 0xfffff000ull) | (gva & 0xfff);
	w->shift = 12;
	return GUEST_WALK_OK;
}

/* Bits 63:47 all equal; the CPU faults on anything else, walking nothing. */
static bool canonical48(uint64_t gva)
{
	return (uint64_t)((int64_t)(gva << 16) >> 16) == gva;
}

static int walk(struct domain *d, const struct guest_paging *pg,
		uint64_t gva, struct walk *w)
{
	if (pg->efer & EFER_LMA) {
		if ((pg->cr4 & X86_CR4_LA57) || !canonical48(gva))
			return GUEST_WALK_BAD;
		return walk64(d, pg, w, pg->cr3, 4, gva);
	}
	if (pg->cr4 & X86_CR4_PAE)
		return walk_pae(d, pg, w, gva & 0xffffffffull);
	return walk32(d, w, pg, gva & 0xffffffffull);
}

/*
 * Protection keys need PKRU (or the PKRS MSR), which the emulator does
 * not have: a data access they govern is refused rather than allowed.
 */
static bool keys_in_force(const struct guest_paging *pg,
			  const struct walk *w, unsigned int access)
{
	if (!(pg->efer & EFER_LMA) || (access & X86_PF_INSTR))
		return false;
	if (w->rights & PTE_US)
		return pg->cr4 & X86_CR4_PKE;
	return pg->cr4 & X86_CR4_PKS;
}

/* The error code's P and RSVD bits when the walk's rights refuse. */
static uint32_t denied(const struct guest_paging *pg, const struct walk *w,
		       unsigned int access)
{
	bool user_page = w->rights & PTE_US, writable = w->rights & PTE_RW;
	bool write = access & X86_PF_WRITE, fetch = access & X86_PF_INSTR;

	if (fetch && w->xd)
		return X86_PF_PRESENT;
	if (access & X86_PF_USER) {
		if (!user_page || (write && !writable))
			return X86_PF_PRESENT;
		return 0;
	}
	if (write && !writable && (pg->cr0 & X86_CR0_WP))
		return X86_PF_PRESENT;
	if (user_page && fetch && (pg->cr4 & X86_CR4_SMEP))
		return X86_PF_PRESENT;
	if (user_page && !fetch && (pg->cr4 & X86_CR4_SMAP) &&
	    !(pg->rflags & X86_EFLAGS_AC))
		return X86_PF_PRESENT;
	return 0;
}

static int page_fault(const struct guest_paging *pg, uint64_t gva,
		      unsigned int access, uint32_t why, struct x86_pf *pf)
{
	bool nx = (pg->efer & EFER_NXE) && (pg->cr4 & X86_CR4_PAE);

	pf->addr = gva;
	pf->error_code = why | (access & (X86_PF_WRITE | X86_PF_USER));
	/* I/D is defined only where fetches can be refused. */
	if ((access & X86_PF_INSTR) && (nx || (pg->cr4 & X86_CR4_SMEP)))
		pf->error_code |= X86_PF_INSTR;
	return GUEST_WALK_PF;
}

/* As the CPU does once the access is allowed (atomically, as it does). */
static void mark_used(struct domain *d, const struct walk *w, bool write)
{
	for (unsigned int i = 0; i < w->n; i++) {
		uint64_t bits = PTE_A;

		if (write && i == w->n - 1)
			bits |= PTE_D;
		if ((w->val[i] & bits) != bits)
			guest_set_bits(d, w->slot[i], w->size, bits);
	}
}

static int translate(struct domain *d, const struct guest_paging *pg,
		     uint64_t gva, unsigned int access, struct walk *w,
		     struct x86_pf *pf)
{
	uint32_t why;
	int rc;

	rc = walk(d, pg, gva, w);
	if (rc == GUEST_WALK_PF)
		return page_fault(pg, gva, access,
				  w->rsvd ? X86_PF_PRESENT | X86_PF_RSVD : 0,
				  pf);
	if (rc)
		return rc;
	if (keys_in_force(pg, w, access))
		return GUEST_WALK_BAD;
	why = denied(pg, w, access);
	if (why)
		return page_fault(pg, gva, access, why, pf);
	mark_used(d, w, access & X86_PF_WRITE);
	return GUEST_WALK_OK;
}

int guest_translate(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, unsigned int access, uint64_t *gpa,
		    struct x86_pf *pf)
{
	struct walk w = { .size = 8, .rights = PTE_RW | PTE_US };
	int rc;

	if (!(pg->cr0 & X86_CR0_PG)) {
		*gpa = gva;
		return GUEST_WALK_OK;
	}
	rc = translate(d, pg, gva, access, &w, pf);
	if (rc == GUEST_WALK_OK)
		*gpa = w.gpa;
	return rc;
}

/* PWT, PCD and PAT of the leaf: the PAT bit is 7 in a PTE, 12 above. */
static uint8_t leaf_cache(const struct walk *w)
{
	uint64_t e = w->val[w->n - 1];
	uint64_t pat = w->shift == 12 ? e & PTE_PS : e & (1ull << 12);

	return (uint8_t)(((e >> 3) & 3) | (pat ? 4 : 0));
}

int guest_translate_leaf(struct domain *d, const struct guest_paging *pg,
			 uint64_t gva, unsigned int access,
			 struct guest_leaf *leaf, struct x86_pf *pf)
{
	struct walk w = { .size = 8, .rights = PTE_RW | PTE_US };
	int rc;

	if (!(pg->cr0 & X86_CR0_PG)) {
		*leaf = (struct guest_leaf){ .gpa = gva, .shift = 12,
					     .writable = true, .user = true,
					     .dirty = true };
		return GUEST_WALK_OK;
	}
	rc = translate(d, pg, gva, access, &w, pf);
	if (rc)
		return rc;
	*leaf = (struct guest_leaf){
		.gpa = w.gpa,
		.shift = w.shift,
		.writable = w.rights & PTE_RW,
		.user = w.rights & PTE_US,
		.nx = w.xd,
		/* mark_used() set it for a write; the entry read says so else. */
		.dirty = (access & X86_PF_WRITE) || (w.val[w.n - 1] & PTE_D),
		.global = (pg->cr4 & X86_CR4_PGE) && (w.val[w.n - 1] & PTE_G),
		.cache = leaf_cache(&w),
	};
	return GUEST_WALK_OK;
}

int guest_walk_entries(struct domain *d, const struct guest_paging *pg,
		       uint64_t gva, uint64_t entries[4], unsigned int *n)
{
	struct walk w = { .size = 8, .rights = PTE_RW | PTE_US };
	int rc = walk(d, pg, gva, &w);

	for (unsigned int i = 0; i < w.n; i++)
		entries[i] = w.val[i];
	*n = w.n;
	return rc;
}

int guest_read_virt(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, void *buf, unsigned int len,
		    unsigned int access, struct x86_pf *pf)
{
	uint8_t *p = buf;

	access &= ~X86_PF_WRITE;
	while (len) {
		unsigned int n = MIN(len, PAGE_BYTES -
					  (unsigned int)(gva & 0xfff));
		uint64_t gpa;
		int rc;

		rc = guest_translate(d, pg, gva, access, &gpa, pf);
		if (rc)
			return rc;
		if (copy_from_guest(d, p, gpa, n))
			return GUEST_WALK_BAD;
		gva += n;
		p += n;
		len -= n;
	}
	return GUEST_WALK_OK;
}

int guest_write_virt(struct domain *d, const struct guest_paging *pg,
		     uint64_t gva, const void *buf, unsigned int len,
		     unsigned int access, struct x86_pf *pf)
{
	const uint8_t *p = buf;
	uint64_t gpa[2];
	unsigned int n[2], pages = 0, i;
	int rc;

	if (len > PAGE_BYTES)
		return GUEST_WALK_BAD;
	access = (access | X86_PF_WRITE) & ~X86_PF_INSTR;
	/* Translated once: what was checked is what is written. */
	for (i = 0; i < len; i += n[pages++]) {
		n[pages] = MIN(len - i,
			       PAGE_BYTES - (unsigned int)((gva + i) & 0xfff));
		rc = guest_translate(d, pg, gva + i, access, &gpa[pages], pf);
		if (rc)
			return rc;
		if (!guest_range_ok(d, gpa[pages], n[pages]))
			return GUEST_WALK_BAD;
	}
	for (i = 0; i < pages; p += n[i++])
		copy_to_guest(d, gpa[i], p, n[i]);
	return GUEST_WALK_OK;
}
