// SPDX-License-Identifier: GPL-2.0
/* Uncached device windows in the boot identity map (asm/mmio.h). */
#include <asm/mmio.h>
#include <asm/processor.h>
#include <hv/mm.h>

#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_ADDR	0x000ffffffffff000ull
#define LARGE_SHIFT	21

int arch_mmio_uncached(uint64_t pa, uint64_t len)
{
	uint64_t *pml4 = phys_to_virt(read_cr3() & PTE_ADDR);
	uint64_t *pdpt = phys_to_virt(pml4[0] & PTE_ADDR);
	uint64_t first = pa >> LARGE_SHIFT;
	uint64_t last;

	if (!len || pa >= HV_MAPPED_LIMIT || len > HV_MAPPED_LIMIT - pa)
		return -1;
	last = (pa + len - 1) >> LARGE_SHIFT;
	for (uint64_t i = first; i <= last; i++) {
		uint64_t *pd = phys_to_virt(pdpt[i >> 9] & PTE_ADDR);

		pd[i & 511] |= PTE_PCD | PTE_PWT;
	}
	write_cr3(read_cr3());
	return 0;
}
