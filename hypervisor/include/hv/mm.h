/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypervisor memory: physical frames and a heap.  All RAM below 4 GiB is
 * identity mapped, so a physical address is also a pointer.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE	4096ul
#define PAGE_SHIFT	12
#define MB(x)		((uint64_t)(x) << 20)
#define GB(x)		((uint64_t)(x) << 30)

/* Highest physical address the hypervisor manages (its identity map). */
#define HV_MAPPED_LIMIT	GB(4)

int mm_init(void);
/* Contiguous frames; align is a power of two >= PAGE_SIZE. 0 on failure. */
uint64_t pages_alloc(uint64_t nr_pages, uint64_t align);
/*
 * The same, every byte reading zero: frames known clean (never written
 * since a ram_zeroed boot) are not cleared again.
 */
uint64_t pages_alloc_zeroed(uint64_t nr_pages, uint64_t align);
void pages_free(uint64_t pa, uint64_t nr_pages);
uint64_t pages_free_count(void);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);
/* One zeroed, page-aligned page from the frame allocator. */
void *page_zalloc(void);

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline uint64_t virt_to_phys(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

#endif
