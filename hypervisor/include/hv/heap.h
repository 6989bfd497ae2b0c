/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor heap over one region: first fit over a free list,
 * boundary tags so that a freed block merges with free neighbours at once,
 * and checks that catch a double free, a pointer the heap never returned
 * and a corrupted block header.  Those are reported through a callback
 * (and counted) instead of crashing the hypervisor; the block is then left
 * alone.  No locking: callers lock.
 */
#ifndef HV_HEAP_H
#define HV_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct heap_block;
struct heap;

/* what: a short phrase ("double free", "corrupted block header", ...);
 * p: the pointer the caller passed in. */
typedef void (*heap_error_fn)(struct heap *h, const char *what, void *p);

struct heap {
	uintptr_t start;		/* first block, 16-byte aligned */
	uintptr_t end;			/* one past the last block */
	struct heap_block *free_list;	/* free blocks, most recently freed first */
	size_t free_bytes;		/* bytes in free blocks, headers included */
	uint64_t errors;		/* misuse detected so far */
	heap_error_fn on_error;		/* NULL: only count */
};

/* base and size need no alignment; a region too small gives an empty heap. */
void heap_init(struct heap *h, void *base, size_t size);
void heap_set_error_handler(struct heap *h, heap_error_fn fn);

/* align: a power of two <= 4096 (0 means 16); NULL when out of memory or
 * for a bad align.  size 0 gives a unique minimal block. */
void *heap_alloc(struct heap *h, size_t size, size_t align);
void *heap_zalloc(struct heap *h, size_t size, size_t align);
/* NULL is a no-op. */
void heap_free(struct heap *h, void *p);
/* Bytes in free blocks, block headers included: an allocation of that many
 * bytes is not guaranteed to succeed. */
size_t heap_free_bytes(const struct heap *h);
/* Usable size of an allocated block (>= the size asked for). */
size_t heap_block_size(const struct heap *h, const void *p);
/* Walks every block and the free list; 0 or -PVKIT_EINVAL (reported). */
int heap_check(struct heap *h);

#endif /* HV_HEAP_H */
