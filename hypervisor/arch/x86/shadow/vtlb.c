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
/*
 * Bits the CPU ignores in a long-mode leaf (PAE reserves them): this
 * leaf is a piece of a guest page over 4 KiB; it is a global page's.
 */
#define VTLB_LARGE	(1ull << 52)
#define VTLB_GLOBAL	(1ull << 53)
#define VTLB_MARKS	(VTLB_LARGE | VTLB_GLOBAL)
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

void vtlb_set(struct vtlb *t, uint64_t va, uint64_t leaf, unsigned int shift,
	      bool global)
{
	uint64_t *l1;

	va = va_of(t, va);
	l1 = leaf_table(t, va, true);
	if (!l1) {
		vtlb_flush(t, t->levels);
		l1 = leaf_table(t, va, true);
	}
	if (shift > 12 && t->levels == 4)
		leaf |= VTLB_LARGE;
	if (global && t->levels == 4)
		leaf |= VTLB_GLOBAL;
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
	return l1 ? l1[(va >> 12) & 511] & ~VTLB_MARKS : 0;
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
	/* PAE leaves carry no marks: the whole table goes. */
	for (unsigned int i = 0; i < 512; i++)
		if ((l1[i] & VTLB_LARGE) || t->levels != 4)
			l1[i] = 0;
}

/* Clears the non-global leaves under table, a level-`level` table. */
static unsigned int drop_local(struct vtlb *t, uint64_t *table,
			       unsigned int level)
{
	unsigned int kept = 0;

	for (unsigned int i = 0; i < 512; i++) {
		if (!(table[i] & VTLB_P))
			continue;
		if (level > 1)
			kept += drop_local(t, table_at(t, table[i] & VTLB_ADDR),
					   level - 1);
		else if (table[i] & VTLB_GLOBAL)
			kept++;
		else
			table[i] = 0;
	}
	return kept;
}

/*
 * The walk costs a read of each present entry, against refilling what
 * a Linux kernel touches after every process switch.
 */
void vtlb_flush_local(struct vtlb *t)
{
	if (t->levels != 4) {
		vtlb_flush(t, t->levels);
		return;
	}
	t->globals_kept += drop_local(t, (uint64_t *)t->base, 4);
}
