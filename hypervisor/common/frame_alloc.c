// SPDX-License-Identifier: GPL-2.0
/*
 * Bitmap frame allocator.  First fit from a roving hint, so that repeated
 * small allocations do not rescan the used start of the pool; the search
 * skips whole words of used frames.
 */
#include <lib/string.h>
#include <hv/frame_alloc.h>

/* No libgcc here, and the kit's baseline CPU may lack POPCNT. */
static unsigned int popcount64(uint64_t w)
{
	unsigned int n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}

static bool frame_used(const struct frame_alloc *fa, uint64_t i)
{
	return fa->bitmap[i / 64] & (1ull << (i % 64));
}

/*
 * Sets or clears bits [first, last); keeps fa->free exact.  Whole words
 * at a time where it can: mm_init() releases all of RAM through here.
 */
static void mark_range(struct frame_alloc *fa, uint64_t first, uint64_t last,
		       bool used)
{
	uint64_t i, bit;

	for (i = first; i < last; i++) {
		if (i % 64 == 0 && last - i >= 64) {
			uint64_t *w = &fa->bitmap[i / 64];
			unsigned int set = popcount64(*w);

			if (used)
				fa->free -= 64 - set;
			else
				fa->free += set;
			*w = used ? ~0ull : 0;
			i += 63;
			continue;
		}
		bit = 1ull << (i % 64);
		if (!!(fa->bitmap[i / 64] & bit) == used)
			continue;
		fa->bitmap[i / 64] ^= bit;
		if (used)
			fa->free--;
		else
			fa->free++;
	}
}

void frame_alloc_init(struct frame_alloc *fa, uint64_t base, uint64_t nframes,
		      uint64_t *bitmap)
{
	fa->base = base;
	fa->nframes = nframes;
	fa->bitmap = bitmap;
	fa->free = 0;
	fa->hint = 0;
	memset(bitmap, 0xff, FRAME_BITMAP_WORDS(nframes) * sizeof(uint64_t));
}

/* Clips [start, end) to the pool; false when nothing is left. */
static bool clip(const struct frame_alloc *fa, uint64_t *start, uint64_t *end)
{
	uint64_t pool_end = fa->base + fa->nframes * FRAME_SIZE;

	if (*start < fa->base)
		*start = fa->base;
	if (*end > pool_end)
		*end = pool_end;
	return *start < *end;
}

void frame_alloc_release(struct frame_alloc *fa, uint64_t start, uint64_t end)
{
	uint64_t first, last;

	if (!clip(fa, &start, &end))
		return;
	/* Only whole frames: round the start up and the end down. */
	first = (start - fa->base + FRAME_SIZE - 1) >> FRAME_SHIFT;
	last = (end - fa->base) >> FRAME_SHIFT;
	if (first < last)
		mark_range(fa, first, last, false);
}

void frame_alloc_reserve(struct frame_alloc *fa, uint64_t start, uint64_t end)
{
	uint64_t first, last;

	if (!clip(fa, &start, &end))
		return;
	first = (start - fa->base) >> FRAME_SHIFT;
	last = (end - fa->base + FRAME_SIZE - 1) >> FRAME_SHIFT;
	mark_range(fa, first, last, true);
}

/* First free frame at or after i, or nframes. */
static uint64_t next_free(const struct frame_alloc *fa, uint64_t i)
{
	while (i < fa->nframes) {
		if (i % 64 == 0 && fa->bitmap[i / 64] == ~0ull) {
			i += 64;
			continue;
		}
		if (!frame_used(fa, i))
			return i;
		i++;
	}
	return fa->nframes;
}

/* Smallest frame index >= i whose address is aligned to align. */
static uint64_t align_index(const struct frame_alloc *fa, uint64_t i,
			    uint64_t align)
{
	uint64_t addr = fa->base + i * FRAME_SIZE;
	uint64_t aligned = (addr + align - 1) & ~(align - 1);

	if (aligned < addr)
		return fa->nframes;	/* wrapped past the top of memory */
	return (aligned - fa->base) >> FRAME_SHIFT;
}

/* Searches [from, to) for n free frames starting at an aligned index. */
static uint64_t search(const struct frame_alloc *fa, uint64_t from,
		       uint64_t to, uint64_t n, uint64_t align)
{
	uint64_t i = from, j;

	for (;;) {
		i = align_index(fa, next_free(fa, i), align);
		if (i >= to || n > fa->nframes - i)
			return FRAME_NONE;
		for (j = i; j < i + n && !frame_used(fa, j); j++)
			;
		if (j == i + n)
			return i;
		i = j + 1;
	}
}

uint64_t frame_alloc_get(struct frame_alloc *fa, uint64_t nframes,
			 uint64_t align)
{
	uint64_t i;

	if (align < FRAME_SIZE)
		align = FRAME_SIZE;
	if (align & (align - 1))
		return FRAME_NONE;
	if (!nframes || nframes > fa->free)
		return FRAME_NONE;
	i = search(fa, fa->hint, fa->nframes, nframes, align);
	if (i == FRAME_NONE && fa->hint)
		i = search(fa, 0, fa->hint, nframes, align);
	if (i == FRAME_NONE)
		return FRAME_NONE;
	mark_range(fa, i, i + nframes, true);
	fa->hint = i + nframes < fa->nframes ? i + nframes : 0;
	return fa->base + i * FRAME_SIZE;
}

void frame_alloc_put(struct frame_alloc *fa, uint64_t phys, uint64_t nframes)
{
	uint64_t end;

	if (phys & (FRAME_SIZE - 1) || nframes > (UINT64_MAX - phys) >> FRAME_SHIFT)
		return;
	end = phys + nframes * FRAME_SIZE;
	frame_alloc_release(fa, phys, end);
}

uint64_t frame_alloc_free_frames(const struct frame_alloc *fa)
{
	return fa->free;
}

bool frame_alloc_is_free(const struct frame_alloc *fa, uint64_t phys)
{
	uint64_t i;

	if (phys < fa->base)
		return false;
	i = (phys - fa->base) >> FRAME_SHIFT;
	return i < fa->nframes && !frame_used(fa, i);
}
