/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reaching guest memory by guest-virtual address, as the guest's own page
 * tables (not the NPT) translate it, with the rights the CPU would check
 * for the same access: U/S at CPL 3, R/W (and CR0.WP for supervisor
 * writes), NX for fetches under EFER.NXE, SMEP and SMAP when the guest's
 * CR4 enables them.  Used by the MMIO instruction emulator, which acts on
 * the guest's behalf and so must never reach what the guest itself could
 * not.  Tables are read from guest RAM with the same bounds checks as any
 * guest pointer; a table entry outside RAM is a failed walk, not a #PF.
 */
#ifndef ASM_GUEST_WALK_H
#define ASM_GUEST_WALK_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/page_fault.h>

struct domain;

struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;
	uint64_t rflags;	/* AC lifts SMAP for supervisor data accesses */
	/*
	 * For the reserved-bit checks: the guest's MAXPHYADDR (0: 52, no
	 * address bit reserved), and whether its CPUID lacks 1 GiB pages.
	 */
	uint8_t maxphy;
	bool no_gb_pages;
};

/* Results of the calls below. */
enum {
	GUEST_WALK_OK = 0,
	GUEST_WALK_PF = 1,	/* the guest's tables refuse: *pf is the #PF */
	GUEST_WALK_BAD = -1,	/* no answer: a table (or the data) not in RAM,
				 * a non-canonical address, LA57, or protection
				 * keys in force */
};

/*
 * access: X86_PF_WRITE, X86_PF_USER and X86_PF_INSTR as the access is.
 * On success sets the accessed bits of the entries used and, for a
 * write, the leaf's dirty bit, as the CPU would.
 */
int guest_translate(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, unsigned int access, uint64_t *gpa,
		    struct x86_pf *pf);
/*
 * What a translation grants, for a shadow page table to cache it: the
 * rights of the whole walk, the leaf's page size, dirty bit (set by a
 * write access) and memory type bits.  With paging off everything is
 * granted at gva itself.
 */
struct guest_leaf {
	uint64_t gpa;
	unsigned int shift;	/* 12, 21, 22 or 30 */
	bool writable, user, nx, dirty;
	bool global;		/* G under CR4.PGE: kept across CR3 loads */
	uint8_t cache;		/* PWT bit 0, PCD bit 1, PAT bit 2 */
};

int guest_translate_leaf(struct domain *d, const struct guest_paging *pg,
			 uint64_t gva, unsigned int access,
			 struct guest_leaf *leaf, struct x86_pf *pf);
/*
 * For crash dumps: the entries a walk of gva reads (at most 4, the
 * present ones), touching no accessed bit.  Returns as guest_translate()
 * would, rights aside.
 */
int guest_walk_entries(struct domain *d, const struct guest_paging *pg,
		       uint64_t gva, uint64_t entries[4], unsigned int *n);
/*
 * Copies len bytes at gva, page by page, all of them RAM.  The write
 * checks every page before it stores a byte: a store that faults on its
 * second page leaves the first unchanged, as on the CPU.  Writes are at
 * most a page long.
 */
int guest_read_virt(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, void *buf, unsigned int len,
		    unsigned int access, struct x86_pf *pf);
int guest_write_virt(struct domain *d, const struct guest_paging *pg,
		     uint64_t gva, const void *buf, unsigned int len,
		     unsigned int access, struct x86_pf *pf);

#endif
