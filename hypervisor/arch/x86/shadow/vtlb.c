// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow tables themselves: a pool of pages handed out in order and
 * taken back all at once.  A flush costs one page of zeroes whatever the
 * pool held, and a full pool is a flush, so there is no per-table
 * bookkeeping to get wrong.  Upper levels grant everything; each leaf
 * carries the rights of the whole guest walk it came from.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/string.h>
#include <asm/shadow.h>

#define TABLE_BYTES	4096u
#define TABLE_UPPER	(VTLB_P | VTLB_RW | VTLB_US)
/* An ignored bit: this leaf is a piece of a guest page over 4 KiB. */
#define VTLB_LARGE	(1ull << 52)
#define SHIFT_2M	21

void vtlb_init(struct vtlb *t, void *base, uint64_t base_pa,
	       unsigned int pages)
{
	*t = (struct vtlb){ .base = base, .base_pa = base_pa,
			    .pages = pages };
	vtlb_flush(t, 4);
	t->flushes = 0;
}

/*
 * A PAE root's four entries are all present and never change: a CPU may
 * keep them from the last CR3 load (VMRUN), so one filled in later could
 * go unseen.
 */
void vtlb_flush(struct vtlb *t, unsigned int levels)
{
	uint64_t *root = (uint64_t *)t->base;

	memset(t->base, 0, TABLE_BYTES);
	t->used = 1;
	t->levels = levels;
	t->wide = 12;
	t->flushes++;
	if (levels != 3)
		return;
	for (unsigned int i = 0; i < 4; i++, t->used++) {
		memset(t->base + t->used * TABLE_BYTES, 0, TABLE_BYTES);
		root[i] = (t->base_pa + t->used * TABLE_BYTES) | VTLB_P;
	}
}

static uint64_t *table_at(const struct vtlb *t, uint64_t pa)
{
	return (uint64_t *)(t->base + (pa - t->base_pa));
}

/* A PAE root has four entries (bits 31:30), and only P may be set in them. */
static unsigned int index_at(const struct vtlb *t, uint64_t va,
			     unsigned int level)
{
	unsigned int mask = level == 3 && t->levels == 3 ? 3 : 511;

	return (va >> (12 + 9 * (level - 1))) & mask;
}

static uint64_t upper_bits(const struct vtlb *t, unsigned int level)
{
	return level == 3 && t->levels == 3 ? VTLB_P : TABLE_UPPER;
}

/* The last-level table for va: NULL when it is absent and not to be built. */
static uint64_t *leaf_table(struct vtlb *t, uint64_t va, bool build)
{
	uint64_t *table = (uint64_t *)t->base;

	for (unsigned int level = t->levels; level > 1; level--) {
		uint64_t *e = &table[index_at(t, va, level)];

		if (!(*e & VTLB_P)) {
			if (!build || t->used == t->pages)
				return NULL;
			table = (uint64_t *)(t->base + t->used * TABLE_BYTES);
			memset(table, 0, TABLE_BYTES);
			*e = (t->base_pa + t->used++ * TABLE_BYTES) |
			     upper_bits(t, level);
			continue;
		}
		table = table_at(t, *e & VTLB_ADDR);
	}
	return table;
}

static uint64_t va_of(const struct vtlb *t, uint64_t va)
{
	return t->levels == 3 ? va & 0xffffffffull : va;
}

void vtlb_set(struct vtlb *t, uint64_t va, uint64_t leaf, unsigned int shift)
{
	uint64_t *l1;

	va = va_of(t, va);
	l1 = leaf_table(t, va, true);
	if (!l1) {
		vtlb_flush(t, t->levels);
		l1 = leaf_table(t, va, true);
	}
	if (shift > 12)
		leaf |= VTLB_LARGE;
	l1[(va >> 12) & 511] = leaf;
	if (shift > t->wide)
		t->wide = shift;
	t->fills++;
}

uint64_t vtlb_get(const struct vtlb *t, uint64_t va)
{
	uint64_t *l1;

	va = va_of(t, va);
	l1 = leaf_table((struct vtlb *)t, va, false);
	return l1 ? l1[(va >> 12) & 511] & ~VTLB_LARGE : 0;
}

/*
 * The guest's entry for va may be a large page, whose pieces lie
 * anywhere in its aligned range: up to 2 MiB that is va's own table,
 * where the pieces are marked; above, every table of the range goes.
 */
void vtlb_invlpg(struct vtlb *t, uint64_t va)
{
	uint64_t span, start, *l1;

	va = va_of(t, va);
	if (t->wide > SHIFT_2M) {
		span = 1ull << t->wide;
		start = va & ~(span - 1);
		for (uint64_t a = start; a - start < span; a += 1ull << SHIFT_2M) {
			l1 = leaf_table(t, a, false);
			if (l1)
				memset(l1, 0, TABLE_BYTES);
		}
		return;
	}
	l1 = leaf_table(t, va, false);
	if (!l1)
		return;
	l1[(va >> 12) & 511] = 0;
	if (t->wide == 12)
		return;
	for (unsigned int i = 0; i < 512; i++)
		if (l1[i] & VTLB_LARGE)
			l1[i] = 0;
}
