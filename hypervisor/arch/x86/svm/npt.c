// SPDX-License-Identifier: GPL-2.0
/*
 * Nested page tables: guest-physical -> host-physical for one domain.
 * They map the domain's RAM and nothing else, so any other guest-physical
 * access is a nested page fault the hypervisor sees.  Walks by the nested
 * MMU count as user accesses, hence U on every level.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <hv/mm.h>
#include "npt.h"

#define NPT_P		(1ull << 0)
#define NPT_RW		(1ull << 1)
#define NPT_US		(1ull << 2)
#define NPT_PWT		(1ull << 3)
#define NPT_PCD		(1ull << 4)
#define NPT_PS		(1ull << 7)
#define NPT_TABLE	(NPT_P | NPT_RW | NPT_US)
#define NPT_ADDR_MASK	0x000ffffffffff000ull
#define SIZE_2M		(1ull << 21)

static uint64_t *npt_next(uint64_t *entry)
{
	void *page;

	if (*entry & NPT_P)
		return phys_to_virt(*entry & NPT_ADDR_MASK);
	page = page_zalloc();
	if (!page)
		return NULL;
	*entry = virt_to_phys(page) | NPT_TABLE;
	return page;
}

static int npt_map_one(uint64_t root_pa, uint64_t gpa, uint64_t hpa,
		       bool large, uint64_t flags)
{
	uint64_t *table = phys_to_virt(root_pa);
	int last_level = large ? 1 : 0;

	for (int level = 3; level > last_level; level--) {
		table = npt_next(&table[(gpa >> (12 + 9 * level)) & 511]);
		if (!table)
			return -PVKIT_ENOMEM;
	}
	table[(gpa >> (12 + 9 * last_level)) & 511] =
		hpa | NPT_TABLE | flags | (large ? NPT_PS : 0);
	return 0;
}

int npt_create(uint64_t *root_pa)
{
	void *root = page_zalloc();

	if (!root)
		return -PVKIT_ENOMEM;
	*root_pa = virt_to_phys(root);
	return 0;
}

int npt_map_range(uint64_t root_pa, uint64_t gpa, uint64_t hpa,
		  uint64_t len)
{
	uint64_t off = 0;

	while (off < len) {
		bool large = IS_ALIGNED(gpa + off, SIZE_2M) &&
			     IS_ALIGNED(hpa + off, SIZE_2M) &&
			     len - off >= SIZE_2M;
		int ret = npt_map_one(root_pa, gpa + off, hpa + off, large, 0);

		if (ret)
			return ret;
		off += large ? SIZE_2M : PAGE_SIZE;
	}
	return 0;
}

/*
 * A device's registers (a passed-through BAR): 4 KiB pages, uncached
 * whatever the guest's PAT says, since the nested PCD and PWT combine
 * with the guest's to the stronger type.
 */
int npt_map_mmio(uint64_t root_pa, uint64_t gpa, uint64_t hpa, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		int ret = npt_map_one(root_pa, gpa + off, hpa + off, false,
				      NPT_PCD | NPT_PWT);

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Unmaps 4 KiB pages that npt_map_mmio() mapped; the tables stay.  A
 * missing table means nothing was mapped there.  A large page is RAM,
 * which this never takes away.
 */
void npt_unmap_mmio(uint64_t root_pa, uint64_t gpa, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint64_t *table = phys_to_virt(root_pa), a = gpa + off, e;
		int level;

		for (level = 3; level > 0; level--) {
			e = table[(a >> (12 + 9 * level)) & 511];
			if (!(e & NPT_P) || (e & NPT_PS))
				break;
			table = phys_to_virt(e & NPT_ADDR_MASK);
		}
		if (!level)
			table[(a >> 12) & 511] = 0;
	}
}

bool npt_lookup(uint64_t root_pa, uint64_t gpa, uint64_t *hpa)
{
	uint64_t *table = phys_to_virt(root_pa), e;

	for (int level = 3; level >= 0; level--) {
		e = table[(gpa >> (12 + 9 * level)) & 511];
		if (!(e & NPT_P))
			return false;
		if (level == 0 || (level == 1 && (e & NPT_PS))) {
			uint64_t mask = level ? SIZE_2M - 1 : PAGE_SIZE - 1;

			*hpa = (e & NPT_ADDR_MASK & ~mask) | (gpa & mask);
			return true;
		}
		table = phys_to_virt(e & NPT_ADDR_MASK);
	}
	return false;
}

/*
 * Nested paging must map gpa to hpa + gpa over [0, len): the number of
 * 4 KiB pages where it does not (a table inside the guest's RAM counts),
 * and the first of them in *first.  For crash dumps.
 */
unsigned long npt_check(uint64_t root_pa, uint64_t hpa, uint64_t len,
			uint64_t *first)
{
	unsigned long bad = 0;

	for (uint64_t gpa = 0; gpa < len; gpa += PAGE_SIZE) {
		uint64_t *table = phys_to_virt(root_pa), e, got = ~0ull;

		for (int level = 3; level >= 0; level--) {
			e = table[(gpa >> (12 + 9 * level)) & 511];
			if (!(e & NPT_P))
				break;
			if (level == 0 || (level == 1 && (e & NPT_PS))) {
				uint64_t mask = level ? SIZE_2M - 1 : PAGE_SIZE - 1;

				got = (e & NPT_ADDR_MASK & ~mask) | (gpa & mask);
				break;
			}
			if ((e & NPT_ADDR_MASK) - hpa < len)
				break;
			table = phys_to_virt(e & NPT_ADDR_MASK);
		}
		if (got != hpa + gpa && !bad++)
			*first = gpa;
	}
	return bad;
}
