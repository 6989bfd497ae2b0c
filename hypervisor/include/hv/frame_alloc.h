/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical 4 KiB frame allocator over one range, with the bitmap in
 * caller-provided storage ((nframes + 63) / 64 words).  A set bit is a
 * used frame.  No locking: callers lock.
 */
#ifndef HV_FRAME_ALLOC_H
#define HV_FRAME_ALLOC_H

#include <stdbool.h>
#include <stdint.h>

#define FRAME_SIZE	4096ull
#define FRAME_SHIFT	12
#define FRAME_NONE	(~0ull)

#define FRAME_BITMAP_WORDS(nframes)	(((nframes) + 63) / 64)

struct frame_alloc {
	uint64_t base;		/* physical address of frame 0, 4 KiB aligned */
	uint64_t nframes;
	uint64_t *bitmap;
	uint64_t free;		/* frames whose bit is clear */
	uint64_t hint;		/* frame index where the next search starts */
};

/* All frames start used; release the usable ranges afterwards. */
void frame_alloc_init(struct frame_alloc *fa, uint64_t base, uint64_t nframes,
		      uint64_t *bitmap);
/* Mark [start,end) free; clipped to the pool; partial frames at the edges
 * stay used. */
void frame_alloc_release(struct frame_alloc *fa, uint64_t start, uint64_t end);
/* Mark [start,end) used; partial frames at the edges become used. */
void frame_alloc_reserve(struct frame_alloc *fa, uint64_t start, uint64_t end);
/* nframes contiguous frames at a physical address aligned to align (a power
 * of two >= 4096; smaller values mean 4096), or FRAME_NONE. */
uint64_t frame_alloc_get(struct frame_alloc *fa, uint64_t nframes,
			 uint64_t align);
/* Frees frames got from frame_alloc_get(); frames outside the pool and
 * frames already free are left alone. */
void frame_alloc_put(struct frame_alloc *fa, uint64_t phys, uint64_t nframes);
uint64_t frame_alloc_free_frames(const struct frame_alloc *fa);
/* Whether the frame holding phys is free (false outside the pool). */
bool frame_alloc_is_free(const struct frame_alloc *fa, uint64_t phys);

#endif /* HV_FRAME_ALLOC_H */
