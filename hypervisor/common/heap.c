// SPDX-License-Identifier: GPL-2.0
/*
 * Hypervisor heap: boundary tags plus one free list.
 *
 * Every block starts with a 16-byte header (size with a "used" bit, and a
 * tag mixing that word with the block's address) and ends with an 8-byte
 * footer repeating the size word.  The footer lets free() find the block
 * below in O(1); the tag tells a real header from garbage, which is how a
 * stray pointer, a double free or an overrun into the next header is
 * caught before the heap acts on it.  Free blocks keep their list links
 * in the payload.  Sizes are multiples of 16, so payloads are 16-aligned.
 */
#include <stdbool.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/heap.h>

#define HEAP_GRAIN	16ul
#define HEAP_HDR	16ul
#define HEAP_FTR	8ul
#define HEAP_USED	1ull
#define HEAP_TAG_SEED	0x9e3779b97f4a7c15ull
#define HEAP_ALIGN_MAX	4096ul

struct heap_block {
	uint64_t size_flags;
	uint64_t tag;
	/* Free blocks only: */
	struct heap_block *next;
	struct heap_block *prev;
};

/* Header + links + footer, rounded to the grain. */
#define HEAP_MIN_BLOCK	48ul

_Static_assert(HEAP_HDR + 2 * sizeof(void *) + HEAP_FTR <= HEAP_MIN_BLOCK,
	       "a free block holds its links");

static uint64_t tag_of(const struct heap_block *b, uint64_t size_flags)
{
	return HEAP_TAG_SEED ^ (uint64_t)(uintptr_t)b ^ size_flags;
}

static size_t block_size(const struct heap_block *b)
{
	return (size_t)(b->size_flags & ~(HEAP_GRAIN - 1));
}

static bool block_used(const struct heap_block *b)
{
	return b->size_flags & HEAP_USED;
}

static uint64_t *footer_of(struct heap_block *b, size_t size)
{
	return (uint64_t *)((char *)b + size - HEAP_FTR);
}

static void block_set(struct heap_block *b, size_t size, bool used)
{
	uint64_t word = (uint64_t)size | (used ? HEAP_USED : 0);

	b->size_flags = word;
	b->tag = tag_of(b, word);
	*footer_of(b, size) = word;
}

static void report(struct heap *h, const char *what, void *p)
{
	h->errors++;
	if (h->on_error)
		h->on_error(h, what, p);
}

/* Whether b is a well-formed block lying wholly inside the heap. */
static bool block_valid(const struct heap *h, const struct heap_block *b)
{
	uintptr_t a = (uintptr_t)b;
	size_t size;

	if (a < h->start || a >= h->end || (a & (HEAP_GRAIN - 1)))
		return false;
	if (h->end - a < HEAP_MIN_BLOCK || b->tag != tag_of(b, b->size_flags))
		return false;
	size = block_size(b);
	if (size < HEAP_MIN_BLOCK || size > h->end - a)
		return false;
	return *footer_of((struct heap_block *)b, size) == b->size_flags;
}

static void list_insert(struct heap *h, struct heap_block *b)
{
	b->prev = NULL;
	b->next = h->free_list;
	if (h->free_list)
		h->free_list->prev = b;
	h->free_list = b;
}

static void list_remove(struct heap *h, struct heap_block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		h->free_list = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/* Makes [b, b+size) a free block on the list. */
static void add_free(struct heap *h, struct heap_block *b, size_t size)
{
	block_set(b, size, false);
	list_insert(h, b);
	h->free_bytes += size;
}

void heap_init(struct heap *h, void *base, size_t size)
{
	uintptr_t start = ((uintptr_t)base + HEAP_GRAIN - 1) & ~(HEAP_GRAIN - 1);
	uintptr_t end = ((uintptr_t)base + size) & ~(HEAP_GRAIN - 1);

	memset(h, 0, sizeof(*h));
	if (size < HEAP_MIN_BLOCK + HEAP_GRAIN || (uintptr_t)base + size < start)
		return;
	h->start = start;
	h->end = end;
	add_free(h, (struct heap_block *)start, end - start);
}

void heap_set_error_handler(struct heap *h, heap_error_fn fn)
{
	h->on_error = fn;
}

/*
 * Where a block of need bytes whose payload is aligned to align fits in
 * the free block b: the new block's header address, or 0.  The space left
 * in front must be empty or big enough to stay a free block.
 */
static uintptr_t fit(const struct heap_block *b, size_t need, size_t align)
{
	uintptr_t lo = (uintptr_t)b, hi = lo + block_size(b);
	uintptr_t payload = (lo + HEAP_HDR + align - 1) & ~(uintptr_t)(align - 1);
	uintptr_t gap = payload - HEAP_HDR - lo;

	while (gap && gap < HEAP_MIN_BLOCK) {
		payload += align;
		gap += align;
	}
	if (payload - HEAP_HDR > hi || need > hi - (payload - HEAP_HDR))
		return 0;
	return payload - HEAP_HDR;
}

/* Carves [at, at+need) out of the free block b (already off the list). */
static void carve(struct heap *h, struct heap_block *b, uintptr_t at,
		  size_t need)
{
	uintptr_t lo = (uintptr_t)b, hi = lo + block_size(b);
	struct heap_block *nb = (struct heap_block *)at;

	h->free_bytes -= hi - lo;
	if (at > lo)
		add_free(h, b, at - lo);
	if (hi - at - need >= HEAP_MIN_BLOCK)
		add_free(h, (struct heap_block *)(at + need), hi - at - need);
	else
		need = hi - at;
	block_set(nb, need, true);
}

void *heap_alloc(struct heap *h, size_t size, size_t align)
{
	struct heap_block *b;
	uintptr_t at;
	size_t need;

	if (!align)
		align = HEAP_GRAIN;
	if ((align & (align - 1)) || align > HEAP_ALIGN_MAX)
		return NULL;
	if (align < HEAP_GRAIN)
		align = HEAP_GRAIN;
	if (size > h->end - h->start)
		return NULL;
	need = (HEAP_HDR + size + HEAP_FTR + HEAP_GRAIN - 1) & ~(HEAP_GRAIN - 1);
	if (need < HEAP_MIN_BLOCK)
		need = HEAP_MIN_BLOCK;

	for (b = h->free_list; b; b = b->next) {
		at = fit(b, need, align);
		if (!at)
			continue;
		list_remove(h, b);
		carve(h, b, at, need);
		return (char *)at + HEAP_HDR;
	}
	return NULL;
}

void *heap_zalloc(struct heap *h, size_t size, size_t align)
{
	void *p = heap_alloc(h, size, align);

	if (p)
		memset(p, 0, size);
	return p;
}

/* The free block right above b, if any. */
static struct heap_block *free_above(struct heap *h, struct heap_block *b)
{
	struct heap_block *n = (struct heap_block *)((char *)b + block_size(b));

	if ((uintptr_t)n >= h->end || !block_valid(h, n) || block_used(n))
		return NULL;
	return n;
}

/* The free block right below b, found through its footer, if any. */
static struct heap_block *free_below(struct heap *h, struct heap_block *b)
{
	uint64_t word;
	struct heap_block *p;

	if ((uintptr_t)b == h->start)
		return NULL;
	word = *((uint64_t *)b - 1);
	if ((word & HEAP_USED) || word > (uintptr_t)b - h->start)
		return NULL;
	p = (struct heap_block *)((uintptr_t)b - (word & ~(HEAP_GRAIN - 1)));
	if (!block_valid(h, p) || block_used(p) || p->size_flags != word)
		return NULL;
	return p;
}

void heap_free(struct heap *h, void *ptr)
{
	struct heap_block *b, *n;
	size_t size;

	if (!ptr)
		return;
	b = (struct heap_block *)((uintptr_t)ptr - HEAP_HDR);
	if ((uintptr_t)ptr < h->start + HEAP_HDR || (uintptr_t)ptr >= h->end ||
	    ((uintptr_t)ptr & (HEAP_GRAIN - 1)) ||
	    b->tag != tag_of(b, b->size_flags)) {
		report(h, "free of a bad pointer or corrupted block header", ptr);
		return;
	}
	/* Before the full check: a block merged into a free neighbour keeps
	 * a good header but no longer its own footer. */
	if (!block_used(b)) {
		report(h, "double free", ptr);
		return;
	}
	if (!block_valid(h, b)) {
		report(h, "corrupted block (size or footer)", ptr);
		return;
	}
	size = block_size(b);
	h->free_bytes += size;
	/* Marked free first: a stale header left inside a merged block
	 * still reads as free, so a second free of it is caught. */
	block_set(b, size, false);
	n = free_above(h, b);
	if (n) {
		list_remove(h, n);
		size += block_size(n);
	}
	n = free_below(h, b);
	if (n) {
		list_remove(h, n);
		size += block_size(n);
		b = n;
	}
	block_set(b, size, false);
	list_insert(h, b);
}

size_t heap_free_bytes(const struct heap *h)
{
	return h->free_bytes;
}

size_t heap_block_size(const struct heap *h, const void *p)
{
	const struct heap_block *b;

	if (!p)
		return 0;
	b = (const struct heap_block *)((uintptr_t)p - HEAP_HDR);
	if (!block_valid(h, b) || !block_used(b))
		return 0;
	return block_size(b) - HEAP_HDR - HEAP_FTR;
}

/* Counts free-list entries, bounded so that a cycle cannot hang us. */
static int check_list(struct heap *h, size_t nfree)
{
	struct heap_block *b;
	size_t n = 0;

	for (b = h->free_list; b; b = b->next) {
		if (++n > nfree || !block_valid(h, b) || block_used(b)) {
			report(h, "free list corrupted", b);
			return -PVKIT_EINVAL;
		}
	}
	if (n != nfree) {
		report(h, "free list misses blocks", NULL);
		return -PVKIT_EINVAL;
	}
	return 0;
}

int heap_check(struct heap *h)
{
	uintptr_t a = h->start;
	struct heap_block *b;
	size_t nfree = 0, free_bytes = 0;
	bool prev_free = false;

	while (a < h->end) {
		b = (struct heap_block *)a;
		if (!block_valid(h, b)) {
			report(h, "corrupted block header", b);
			return -PVKIT_EINVAL;
		}
		if (!block_used(b)) {
			if (prev_free) {
				report(h, "adjacent free blocks", b);
				return -PVKIT_EINVAL;
			}
			nfree++;
			free_bytes += block_size(b);
		}
		prev_free = !block_used(b);
		a += block_size(b);
	}
	if (free_bytes != h->free_bytes) {
		report(h, "free byte count wrong", NULL);
		return -PVKIT_EINVAL;
	}
	return check_list(h, nfree);
}
