/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading guest memory by guest-virtual address, as the guest's own page
 * tables (not the NPT) translate it.  Used to fetch the instruction behind
 * an MMIO exit.  Tables are read from guest RAM with the same bounds
 * checks as any guest pointer; a table entry outside RAM is a failed walk.
 */
#ifndef ASM_GUEST_WALK_H
#define ASM_GUEST_WALK_H

#include <stdint.h>

struct domain;

struct guest_paging {
	uint64_t cr0, cr3, cr4, efer;
};

/* 0 with *gpa, or -1 when gva is not mapped (or a table is not RAM). */
int guest_translate(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, uint64_t *gpa);
/* Copies len bytes at gva, page by page.  0 or -1. */
int guest_read_virt(struct domain *d, const struct guest_paging *pg,
		    uint64_t gva, void *buf, unsigned int len);
int guest_write_virt(struct domain *d, const struct guest_paging *pg,
		     uint64_t gva, const void *buf, unsigned int len);

#endif
