// SPDX-License-Identifier: GPL-2.0
/*
 * The frame allocator and the heap: edge cases, then long random runs
 * checked step by step against a simple model.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/frame_alloc.h>
#include <hv/heap.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define K4		4096ull

/* Deterministic xorshift, so that a failure replays. */
static uint64_t rng_state = 0x243f6a8885a308d3ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* ---- frame allocator ---- */

#define BASE	0x100000ull
#define NF	1000ull

static uint64_t bitmap[FRAME_BITMAP_WORDS(NF)];
static struct frame_alloc fa;

static void test_frame_init_release(void)
{
	frame_alloc_init(&fa, BASE, NF, bitmap);
	EXPECT_EQ(frame_alloc_free_frames(&fa), 0);
	EXPECT_EQ(frame_alloc_get(&fa, 1, K4), FRAME_NONE);
	/* Partial frames at the edges stay used. */
	frame_alloc_release(&fa, BASE + 1, BASE + 3 * K4 - 1);
	EXPECT_EQ(frame_alloc_free_frames(&fa), 1);
	EXPECT(!frame_alloc_is_free(&fa, BASE));
	EXPECT(frame_alloc_is_free(&fa, BASE + K4));
	EXPECT(!frame_alloc_is_free(&fa, BASE + 2 * K4));
	/* Less than a frame: nothing. */
	frame_alloc_release(&fa, BASE + 5 * K4 + 1, BASE + 6 * K4 + 5);
	EXPECT_EQ(frame_alloc_free_frames(&fa), 1);
	/* Clipped to the pool; releasing twice counts once. */
	frame_alloc_release(&fa, 0, ~0ull);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF);
	frame_alloc_release(&fa, 0, ~0ull);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF);
	EXPECT(!frame_alloc_is_free(&fa, BASE - 1));
	EXPECT(!frame_alloc_is_free(&fa, BASE + NF * K4));
	/* Empty and inverted ranges do nothing. */
	frame_alloc_reserve(&fa, BASE + 10 * K4, BASE + 10 * K4);
	frame_alloc_reserve(&fa, BASE + 10 * K4, BASE);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF);
}

static void test_frame_reserve(void)
{
	frame_alloc_init(&fa, BASE, NF, bitmap);
	frame_alloc_release(&fa, BASE, BASE + NF * K4);
	/* Partial frames at the edges become used. */
	frame_alloc_reserve(&fa, BASE + K4 - 1, BASE + 2 * K4 + 1);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF - 3);
	EXPECT(frame_alloc_is_free(&fa, BASE + 3 * K4));
	EXPECT(!frame_alloc_is_free(&fa, BASE + 2 * K4));
	frame_alloc_reserve(&fa, 0, BASE + 1);
	EXPECT(!frame_alloc_is_free(&fa, BASE));
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF - 3);
	frame_alloc_reserve(&fa, BASE + (NF - 1) * K4 + 5, ~0ull);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF - 4);
	/* Outside the pool: nothing. */
	frame_alloc_reserve(&fa, 0, BASE);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF - 4);
}

static void test_frame_align(void)
{
	uint64_t a, b, c;

	/* An unaligned pool base: alignment is of the physical address. */
	frame_alloc_init(&fa, 0x3000, NF, bitmap);
	frame_alloc_release(&fa, 0, ~0ull);
	a = frame_alloc_get(&fa, 1, K4);
	EXPECT_EQ(a, 0x3000);
	b = frame_alloc_get(&fa, 2, 0x10000);
	EXPECT_EQ(b, 0x10000);
	/* The pool ends at 0x3eb000: no 2 MiB-aligned 2 MiB run. */
	EXPECT_EQ(frame_alloc_get(&fa, 512, 2ull << 20), FRAME_NONE);
	c = frame_alloc_get(&fa, 256, 1ull << 20);
	EXPECT_EQ(c, 1ull << 20);
	EXPECT_EQ(frame_alloc_get(&fa, 1, 2ull << 20), 2ull << 20);
	EXPECT_EQ(frame_alloc_get(&fa, 1, 3 * K4), FRAME_NONE);
	EXPECT_EQ(frame_alloc_get(&fa, 0, K4), FRAME_NONE);
	/* align below 4 KiB means 4 KiB; the search goes on from the hint. */
	EXPECT_EQ(frame_alloc_get(&fa, 1, 0), (2ull << 20) + K4);
	/* Wraps around to the free frames below the hint. */
	EXPECT_EQ(frame_alloc_get(&fa, 0x3eb - 0x202, K4), (2ull << 20) + 2 * K4);
	EXPECT_EQ(frame_alloc_get(&fa, 1, K4), 0x4000);
	EXPECT_EQ(frame_alloc_free_frames(&fa), NF - 3 - 256 - 1 - 1 -
		  (0x3eb - 0x202) - 1);
}

static void test_frame_exhaustion(void)
{
	uint64_t i, p, got = 0;

	frame_alloc_init(&fa, BASE, NF, bitmap);
	frame_alloc_release(&fa, BASE, BASE + NF * K4);
	for (i = 0; i < NF + 5; i++) {
		p = frame_alloc_get(&fa, 1, K4);
		if (p != FRAME_NONE)
			got++;
	}
	EXPECT_EQ(got, NF);
	EXPECT_EQ(frame_alloc_free_frames(&fa), 0);
	frame_alloc_put(&fa, BASE + 500 * K4, 1);
	frame_alloc_put(&fa, BASE + 502 * K4, 1);
	EXPECT_EQ(frame_alloc_get(&fa, 2, K4), FRAME_NONE);
	EXPECT_EQ(frame_alloc_get(&fa, 1, K4), BASE + 500 * K4);
	/* A double put does not inflate the count. */
	frame_alloc_put(&fa, BASE + 700 * K4, 3);
	frame_alloc_put(&fa, BASE + 700 * K4, 3);
	EXPECT_EQ(frame_alloc_free_frames(&fa), 4);
	EXPECT_EQ(frame_alloc_get(&fa, 3, K4), BASE + 700 * K4);
	EXPECT_EQ(frame_alloc_get(&fa, NF + 1, K4), FRAME_NONE);
}

/* Put/get cycles through a wrapping hint, then a random model check. */
static void test_frame_model(void)
{
	static uint8_t model[NF];
	static struct { uint64_t phys, n; } live[NF];
	uint64_t nlive = 0, free_model = 0, step, i, n, align, p, f, bad = 0;

	frame_alloc_init(&fa, BASE, NF, bitmap);
	memset(model, 1, sizeof(model));
	for (step = 0; step < 20000 && bad < 5; step++) {
		switch (rng() % 8) {
		case 0:	/* release or reserve a random range */
		case 1: {
			uint64_t s = BASE - 2 * K4 + rng() % ((NF + 4) * K4);
			uint64_t e = s + rng() % (64 * K4);
			bool rel = rng() & 1;

			if (rel)
				frame_alloc_release(&fa, s, e);
			else
				frame_alloc_reserve(&fa, s, e);
			for (f = 0; f < NF; f++) {
				uint64_t fs = BASE + f * K4, fe = fs + K4;

				if (rel && fs >= s && fe <= e)
					model[f] = 0;
				if (!rel && fs < e && fe > s)
					model[f] = 1;
			}
			/* Live blocks may now be partly free: forget them. */
			nlive = 0;
			break;
		}
		case 2:
		case 3:
		case 4:	/* get */
			n = 1 + rng() % 16;
			align = K4 << (rng() % 6);
			p = frame_alloc_get(&fa, n, align);
			if (p == FRAME_NONE) {
				/* The model must agree nothing fits. */
				for (f = 0; f + n <= NF; f++) {
					if ((BASE + f * K4) % align)
						continue;
					for (i = 0; i < n && !model[f + i]; i++)
						;
					if (i == n) {
						bad++;
						ktap_diag("get(%llu, %llu) failed, frame %llu fits",
							  (unsigned long long)n,
							  (unsigned long long)align,
							  (unsigned long long)f);
						break;
					}
				}
				break;
			}
			f = (p - BASE) / K4;
			if (p % align || p < BASE || f + n > NF) {
				bad++;
				break;
			}
			for (i = 0; i < n; i++) {
				if (model[f + i])
					bad++;
				model[f + i] = 1;
			}
			live[nlive].phys = p;
			live[nlive++].n = n;
			break;
		default: /* put */
			if (!nlive)
				break;
			i = rng() % nlive;
			frame_alloc_put(&fa, live[i].phys, live[i].n);
			f = (live[i].phys - BASE) / K4;
			memset(model + f, 0, live[i].n);
			live[i] = live[--nlive];
			break;
		}
		for (f = 0, free_model = 0; f < NF; f++) {
			free_model += !model[f];
			if (frame_alloc_is_free(&fa, BASE + f * K4) == model[f]) {
				bad++;
				break;
			}
		}
		if (free_model != frame_alloc_free_frames(&fa))
			bad++;
	}
	if (bad)
		ktap_diag("model mismatch at step %llu", (unsigned long long)step);
	EXPECT_EQ(bad, 0);
}

/* ---- heap ---- */

static const char *last_error;
static unsigned int error_count;

static void on_heap_error(struct heap *h, const char *what, void *p)
{
	(void)h;
	(void)p;
	last_error = what;
	error_count++;
}

static struct heap heap;
static _Alignas(4096) uint8_t arena[256 << 10];

static void heap_setup(size_t size)
{
	heap_init(&heap, arena, size);
	heap_set_error_handler(&heap, on_heap_error);
	last_error = NULL;
	error_count = 0;
}

static void test_heap_alignment(void)
{
	static const size_t aligns[] = { 0, 1, 8, 16, 32, 64, 256, 1024, 4096 };
	void *p[ARRAY_SIZE(aligns) * 3];
	size_t i, n = 0, free0;

	heap_setup(sizeof(arena));
	free0 = heap_free_bytes(&heap);
	for (i = 0; i < ARRAY_SIZE(aligns) * 3; i++) {
		size_t a = aligns[i % ARRAY_SIZE(aligns)];
		size_t want = a < 16 ? 16 : a;

		p[n] = heap_alloc(&heap, 1 + i * 13, a);
		EXPECT(p[n] != NULL);
		EXPECT_EQ((uintptr_t)p[n] % want, 0);
		EXPECT(heap_block_size(&heap, p[n]) >= 1 + i * 13);
		memset(p[n], 0xab, 1 + i * 13);
		n++;
	}
	EXPECT_EQ(heap_check(&heap), 0);
	EXPECT(heap_alloc(&heap, 8, 3) == NULL);
	EXPECT(heap_alloc(&heap, 8, 8192) == NULL);
	for (i = 0; i < n; i++)
		heap_free(&heap, p[i]);
	EXPECT_EQ(heap_check(&heap), 0);
	EXPECT_EQ(heap_free_bytes(&heap), free0);
	EXPECT_EQ(error_count, 0);
}

static void test_heap_coalescing(void)
{
	void *a, *b, *c, *big;
	size_t free0;

	heap_setup(64 << 10);
	free0 = heap_free_bytes(&heap);
	/* Three blocks filling the heap, freed in an order that needs
	 * merging with the block above, below, and both. */
	a = heap_alloc(&heap, 20000, 16);
	b = heap_alloc(&heap, 20000, 16);
	c = heap_alloc(&heap, 20000, 16);
	EXPECT(a && b && c);
	EXPECT(heap_alloc(&heap, 20000, 16) == NULL);
	heap_free(&heap, a);
	heap_free(&heap, c);
	EXPECT(heap_alloc(&heap, 40000, 16) == NULL);
	heap_free(&heap, b);
	EXPECT_EQ(heap_free_bytes(&heap), free0);
	EXPECT_EQ(heap_check(&heap), 0);
	big = heap_alloc(&heap, 60000, 16);
	EXPECT(big != NULL);
	heap_free(&heap, big);
	EXPECT_EQ(heap_check(&heap), 0);
}

static void test_heap_exhaustion(void)
{
	void *p;
	unsigned int n = 0;

	heap_setup(32 << 10);
	while ((p = heap_alloc(&heap, 100, 16)) != NULL)
		n++;
	EXPECT(n > 200);
	EXPECT(heap_alloc(&heap, 1, 16) == NULL);
	EXPECT(heap_alloc(&heap, SIZE_MAX, 16) == NULL);
	EXPECT(heap_alloc(&heap, SIZE_MAX - 8, 16) == NULL);
	EXPECT_EQ(heap_check(&heap), 0);
	/* A region too small for anything. */
	heap_init(&heap, arena, 40);
	EXPECT(heap_alloc(&heap, 1, 16) == NULL);
	EXPECT_EQ(heap_free_bytes(&heap), 0);
}

static void test_heap_zalloc(void)
{
	uint8_t *p;
	size_t i, nonzero = 0;

	heap_setup(sizeof(arena));
	memset(arena, 0xff, sizeof(arena) / 2);
	heap_init(&heap, arena, sizeof(arena));
	p = heap_zalloc(&heap, 5000, 64);
	EXPECT(p != NULL);
	for (i = 0; p && i < 5000; i++)
		nonzero += p[i] != 0;
	EXPECT_EQ(nonzero, 0);
}

static void test_heap_misuse(void)
{
	uint8_t *a, *b, *c;
	size_t free1;

	heap_setup(64 << 10);
	a = heap_alloc(&heap, 100, 16);
	b = heap_alloc(&heap, 100, 16);
	c = heap_alloc(&heap, 100, 16);
	heap_free(&heap, NULL);
	EXPECT_EQ(error_count, 0);

	heap_free(&heap, b);
	free1 = heap_free_bytes(&heap);
	heap_free(&heap, b);
	EXPECT_EQ(error_count, 1);
	EXPECT_STREQ(last_error, "double free");
	EXPECT_EQ(heap_free_bytes(&heap), free1);
	/* A double free of a block merged into its neighbour. */
	heap_free(&heap, a);
	heap_free(&heap, b);
	EXPECT_EQ(error_count, 2);
	EXPECT_STREQ(last_error, "double free");

	heap_free(&heap, c + 8);
	EXPECT_EQ(error_count, 3);
	heap_free(&heap, arena + sizeof(arena) - 16);
	EXPECT_EQ(error_count, 4);
	heap_free(&heap, (void *)&heap);
	EXPECT_EQ(error_count, 5);

	/* An overrun into c's header. */
	a = heap_alloc(&heap, 100, 16);
	memset(c - 16, 0x41, 16);
	heap_free(&heap, c);
	EXPECT_EQ(error_count, 6);
	EXPECT(last_error && strstr(last_error, "corrupted"));
	EXPECT(heap_check(&heap) != 0);
	EXPECT_EQ(heap.errors, 7);
}

/* Random alloc/free with a shadow record of every live block. */
static void test_heap_random(void)
{
	enum { SLOTS = 256 };
	static struct { uint8_t *p; size_t size; uint8_t fill; } s[SLOTS];
	size_t free0, step, i, j, bad = 0, fails = 0, size, align;

	heap_setup(sizeof(arena));
	free0 = heap_free_bytes(&heap);
	memset(s, 0, sizeof(s));
	for (step = 0; step < 40000 && !bad; step++) {
		i = rng() % SLOTS;
		if (s[i].p) {
			for (j = 0; j < s[i].size; j++)
				bad += s[i].p[j] != s[i].fill;
			heap_free(&heap, s[i].p);
			s[i].p = NULL;
			continue;
		}
		size = rng() % 4 ? rng() % 256 : rng() % 8192;
		align = (size_t)1 << (rng() % 13);
		s[i].p = heap_alloc(&heap, size, align);
		if (!s[i].p) {
			fails++;
			continue;
		}
		bad += (uintptr_t)s[i].p % align != 0;
		bad += (uintptr_t)s[i].p < (uintptr_t)arena ||
		       (uintptr_t)s[i].p + size > (uintptr_t)arena + sizeof(arena);
		s[i].size = size;
		s[i].fill = (uint8_t)rng();
		memset(s[i].p, s[i].fill, size);
		if (step % 1000 == 0)
			bad += heap_check(&heap) != 0;
	}
	for (i = 0; i < SLOTS; i++)
		heap_free(&heap, s[i].p);
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(error_count, 0);
	EXPECT_EQ(heap_check(&heap), 0);
	EXPECT_EQ(heap_free_bytes(&heap), free0);
	ktap_diag("%zu steps, %zu allocations failed for lack of room", step,
		  fails);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_frame_init_release),
	KTAP_CASE(test_frame_reserve),
	KTAP_CASE(test_frame_align),
	KTAP_CASE(test_frame_exhaustion),
	KTAP_CASE(test_frame_model),
	KTAP_CASE(test_heap_alignment),
	KTAP_CASE(test_heap_coalescing),
	KTAP_CASE(test_heap_exhaustion),
	KTAP_CASE(test_heap_zalloc),
	KTAP_CASE(test_heap_misuse),
	KTAP_CASE(test_heap_random),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
