// SPDX-License-Identifier: MIT
/*
 * Mini-OS page allocator over [start_info.free_gpa, mem_bytes), which the
 * boot page tables identity map.  Pages are handed out from the top of a
 * bump pointer; freed pages go on a list threaded through themselves.
 */
#include <lib/string.h>
#include <minios/mm.h>

#define PTE_P		(1ull << 0)
#define PTE_W		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PS		(1ull << 7)
#define PTE_ADDR	0x000ffffffffff000ull

struct free_page {
	struct free_page *next;
};

static uint64_t next_gpa, end_gpa;
static struct free_page *free_list;
static uint64_t nr_free;

void mm_init(uint64_t free_gpa, uint64_t mem_bytes)
{
	next_gpa = (free_gpa + PAGE_SIZE - 1) & PAGE_MASK;
	end_gpa = mem_bytes & PAGE_MASK;
	if (next_gpa > end_gpa)
		next_gpa = end_gpa;
	free_list = NULL;
	nr_free = 0;
}

void *alloc_page(void)
{
	void *page;

	if (free_list) {
		page = free_list;
		free_list = free_list->next;
		nr_free--;
	} else if (next_gpa < end_gpa) {
		page = gpa_to_virt(next_gpa);
		next_gpa += PAGE_SIZE;
	} else {
		return NULL;
	}
	memset(page, 0, PAGE_SIZE);
	return page;
}

/*
 * Physically contiguous zeroed pages, for rings larger than a page.
 * Several come from the bump pointer only: the free list holds single pages
 * in no order.  Each is given back with free_page().
 */
void *alloc_pages(unsigned int count)
{
	void *pages;

	if (count == 1)
		return alloc_page();
	if (!count || (end_gpa - next_gpa) / PAGE_SIZE < count)
		return NULL;
	pages = gpa_to_virt(next_gpa);
	next_gpa += count * PAGE_SIZE;
	memset(pages, 0, count * PAGE_SIZE);
	return pages;
}

void free_pages(void *pages, unsigned int count)
{
	unsigned int i;

	if (!pages)
		return;
	for (i = 0; i < count; i++)
		free_page((char *)pages + i * PAGE_SIZE);
}

void free_page(void *page)
{
	struct free_page *fp = page;

	if (!page)
		return;
	fp->next = free_list;
	free_list = fp;
	nr_free++;
}

uint64_t mm_free_pages(void)
{
	return nr_free + (end_gpa - next_gpa) / PAGE_SIZE;
}

/* Returns the table entry at level index idx, allocating the next level. */
static uint64_t *next_table(uint64_t *table, unsigned int idx)
{
	uint64_t *next;

	if (table[idx] & PTE_P) {
		if (table[idx] & PTE_PS)
			return NULL;
		table[idx] |= PTE_U;
		return gpa_to_virt(table[idx] & PTE_ADDR);
	}
	next = alloc_page();
	if (!next)
		return NULL;
	table[idx] = virt_to_gpa(next) | PTE_P | PTE_W | PTE_U;
	return next;
}

int map_user_page(uint64_t va, void *page)
{
	uint64_t *pml4 = gpa_to_virt(read_cr3() & PTE_ADDR);
	uint64_t *pdpt, *pd, *pt;

	/* PML4 slot 0 is the kernel's identity map: keep it supervisor. */
	if ((va >> 39) == 0 || (va >> 39) >= 256)
		return -PVKIT_EINVAL;
	pdpt = next_table(pml4, (va >> 39) & 511);
	pd = pdpt ? next_table(pdpt, (va >> 30) & 511) : NULL;
	pt = pd ? next_table(pd, (va >> 21) & 511) : NULL;
	if (!pt)
		return -PVKIT_ENOMEM;
	pt[(va >> 12) & 511] = virt_to_gpa(page) | PTE_P | PTE_W | PTE_U;
	write_cr3(read_cr3());
	return 0;
}
