/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow paging: page tables the hypervisor builds for a vCPU whose
 * guest runs without nested paging.  They are a software TLB (a "vTLB"):
 * each leaf caches one 4 KiB translation of the guest's own tables,
 * composed with the domain's guest-physical map, filled on the page
 * fault that needs it and dropped where the guest flushes its TLB (MOV
 * CR3, INVLPG, a paging bit of CR0/CR4/EFER).  What the CPU walks is
 * ours alone: it maps nothing but the domain's RAM and the device pages
 * the domain was given.  Design and limits: docs/hypervisor.md.
 */
#ifndef ASM_SHADOW_H
#define ASM_SHADOW_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/guest_walk.h>
#include <asm/page_fault.h>

struct domain;

/* Shadow tables of one vCPU: pages of a fixed pool, the root first. */
struct vtlb {
	uint8_t *base;		/* the pool, mapped here */
	uint64_t base_pa;	/* ... at this host-physical address */
	unsigned int pages;	/* pool size */
	unsigned int used;	/* pages handed out since the last flush */
	unsigned int levels;	/* 4: long mode; 3: PAE (32-bit guests) */
	unsigned int wide;	/* log2 of the largest guest page cached */
	uint64_t fills;		/* leaves written */
	uint64_t flushes;	/* whole-table drops */
	uint64_t globals_kept;	/* global leaves kept over CR3 loads */
};

/* The smallest pool that always holds one translation (PAE: 1 + 4 + 1). */
#define VTLB_MIN_PAGES	6

void vtlb_init(struct vtlb *t, void *base, uint64_t base_pa,
	       unsigned int pages);
/* Drops every translation; the next fills build tables of this format. */
void vtlb_flush(struct vtlb *t, unsigned int levels);
/* What the CPU's CR3 is to hold. */
static inline uint64_t vtlb_root(const struct vtlb *t)
{
	return t->base_pa;
}
/*
 * Caches leaf (a complete entry: host-physical page and bits) for the
 * 4 KiB page at va, which came from a guest page of 2^shift bytes, a
 * global one if global.  A full pool is flushed first: this always
 * succeeds.
 */
void vtlb_set(struct vtlb *t, uint64_t va, uint64_t leaf, unsigned int shift,
	      bool global);
/*
 * A MOV to CR3: drops every translation but the global ones (long mode;
 * in PAE form everything goes).  The tables stay for the next fills.
 */
void vtlb_flush_local(struct vtlb *t);
/* The leaf cached for va, 0 if none. */
uint64_t vtlb_get(const struct vtlb *t, uint64_t va);
/* INVLPG va: drops every leaf the guest's entry for va can have made. */
void vtlb_invlpg(struct vtlb *t, uint64_t va);

/* Leaf bits, as the CPU reads them in both formats. */
#define VTLB_P		(1ull << 0)
#define VTLB_RW		(1ull << 1)
#define VTLB_US		(1ull << 2)
#define VTLB_PWT	(1ull << 3)
#define VTLB_PCD	(1ull << 4)
#define VTLB_PAT	(1ull << 7)
#define VTLB_XD		(1ull << 63)
#define VTLB_ADDR	0x000ffffffffff000ull

/* Where the domain's guest-physical page gpa is on the host. */
enum {
	SHADOW_P2M_RAM,		/* *hpa: map it */
	SHADOW_P2M_DEVICE,	/* *hpa: a device's registers, uncached */
	SHADOW_P2M_NONE,	/* nothing: an emulated device, or no device */
};
typedef int (*shadow_p2m_fn)(struct domain *d, uint64_t gpa, uint64_t *hpa);

/* What shadow_fault() found. */
enum {
	SHADOW_FIXED,		/* a leaf was cached: the guest runs again */
	SHADOW_GUEST_PF,	/* the guest's tables refuse: inject *pf */
	SHADOW_MMIO,		/* allowed, but *gpa is not mapped: emulate */
	SHADOW_BAD,		/* the guest's tables are not in RAM */
};

/*
 * A #PF the CPU took on the shadow tables at va, error code err: walks
 * the guest's tables (pg) as the CPU would have, sets their accessed
 * and dirty bits as it would have, and caches the translation.  A leaf
 * is writable only once the guest's dirty bit is set, so the first
 * write to a clean page comes back here to set it.
 */
int shadow_fault(struct domain *d, struct vtlb *t,
		 const struct guest_paging *pg, shadow_p2m_fn p2m,
		 uint64_t va, uint32_t err, struct x86_pf *pf, uint64_t *gpa);

#endif
