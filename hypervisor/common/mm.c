// SPDX-License-Identifier: GPL-2.0
/*
 * Frame allocator and heap set-up from the boot memory map.  Everything
 * the loader handed us (our image, the modules, the real-mode area) is
 * reserved before the first allocation.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/spinlock.h>
#include <hv/boot.h>
#include <hv/frame_alloc.h>
#include <hv/heap.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/system.h>

#define NR_FRAMES	(HV_MAPPED_LIMIT / PAGE_SIZE)

extern char __image_start[], __image_end[];

static uint64_t frame_bitmap[NR_FRAMES / 64];
/*
 * A set bit: the frame reads zero, nothing has written it since boot.
 * Only with ram_zeroed, for the RAM above everything the loader wrote.
 */
static uint64_t clean_bitmap[NR_FRAMES / 64];
static struct frame_alloc frames;
static spinlock_t frames_lock = SPINLOCK_INIT;
static struct heap heap;
static spinlock_t heap_lock = SPINLOCK_INIT;

static void set_clean(uint64_t start, uint64_t end, bool clean)
{
	uint64_t i = start / PAGE_SIZE, last = end / PAGE_SIZE;

	for (; i < last && i < NR_FRAMES; i++) {
		if (i % 64 == 0 && last - i >= 64) {
			clean_bitmap[i / 64] = clean ? ~0ull : 0;
			i += 63;
			continue;
		}
		if (clean)
			clean_bitmap[i / 64] |= 1ull << (i % 64);
		else
			clean_bitmap[i / 64] &= ~(1ull << (i % 64));
	}
}

static bool frame_clean(uint64_t pa)
{
	uint64_t i = pa / PAGE_SIZE;

	return clean_bitmap[i / 64] & (1ull << (i % 64));
}

/* What QEMU's zeroed RAM saves: no clearing above the loader's data. */
static void find_clean_ram(void)
{
	uint64_t low = MAX(boot_info.loader_end, virt_to_phys(__image_end));

	low = (low + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
	for (unsigned int i = 0; i < boot_info.nr_ram; i++) {
		const struct mem_range *r = &boot_info.ram[i];
		uint64_t start = MAX(r->start, low), end = r->end;

		end = MIN(end, HV_MAPPED_LIMIT) & ~(uint64_t)(PAGE_SIZE - 1);
		start = (start + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		if (start < end)
			set_clean(start, end, true);
	}
}

static void reserve_boot_memory(void)
{
	/* Real-mode area: BIOS data, the AP trampoline, option ROMs. */
	frame_alloc_reserve(&frames, 0, MB(1));
	frame_alloc_reserve(&frames, virt_to_phys(__image_start),
			    virt_to_phys(__image_end));
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		frame_alloc_reserve(&frames, boot_info.modules[i].start,
				    boot_info.modules[i].end);
}

int mm_init(void)
{
	uint64_t heap_pa, heap_bytes = MB(CONFIG_HEAP_SIZE_MB);
	uint64_t ignored = 0;

	frame_alloc_init(&frames, 0, NR_FRAMES, frame_bitmap);
	for (unsigned int i = 0; i < boot_info.nr_ram; i++) {
		const struct mem_range *r = &boot_info.ram[i];

		if (r->end > HV_MAPPED_LIMIT)
			ignored += r->end - MAX(r->start, HV_MAPPED_LIMIT);
		frame_alloc_release(&frames, r->start,
				    MIN(r->end, HV_MAPPED_LIMIT));
	}
	reserve_boot_memory();
	if (hv_cfg.ram_zeroed)
		find_clean_ram();
	if (ignored)
		pr_warn("mm: %llu MiB of RAM above 4 GiB left unused",
			(unsigned long long)(ignored >> 20));

	heap_pa = pages_alloc(heap_bytes / PAGE_SIZE, PAGE_SIZE);
	if (!heap_pa) {
		pr_err("mm: no room for a %llu MiB heap",
		       (unsigned long long)(heap_bytes >> 20));
		return -PVKIT_ENOMEM;
	}
	heap_init(&heap, phys_to_virt(heap_pa), heap_bytes);
	pr_info("mm: %llu MiB free after a %llu MiB heap",
		(unsigned long long)(pages_free_count() * PAGE_SIZE >> 20),
		(unsigned long long)(heap_bytes >> 20));
	return 0;
}

uint64_t pages_alloc(uint64_t nr_pages, uint64_t align)
{
	uint64_t pa;

	spin_lock(&frames_lock);
	pa = frame_alloc_get(&frames, nr_pages, align);
	if (pa != FRAME_NONE)
		set_clean(pa, pa + nr_pages * PAGE_SIZE, false);
	spin_unlock(&frames_lock);
	/* Frame 0 is always reserved, so 0 can mean failure. */
	return pa == FRAME_NONE ? 0 : pa;
}

/* Clears the frames of [pa, pa + n pages) that may hold anything. */
static void clear_unclean(uint64_t pa, uint64_t nr_pages)
{
	uint64_t run = 0;

	for (uint64_t i = 0; i <= nr_pages; i++) {
		uint64_t p = pa + i * PAGE_SIZE;

		if (i < nr_pages && !frame_clean(p)) {
			run++;
			continue;
		}
		if (run)
			memset(phys_to_virt(p - run * PAGE_SIZE), 0,
			       run * PAGE_SIZE);
		run = 0;
	}
}

uint64_t pages_alloc_zeroed(uint64_t nr_pages, uint64_t align)
{
	uint64_t pa;

	spin_lock(&frames_lock);
	pa = frame_alloc_get(&frames, nr_pages, align);
	spin_unlock(&frames_lock);
	if (pa == FRAME_NONE)
		return 0;
	/* Ours alone now: no lock needed to clear it. */
	clear_unclean(pa, nr_pages);
	spin_lock(&frames_lock);
	set_clean(pa, pa + nr_pages * PAGE_SIZE, false);
	spin_unlock(&frames_lock);
	return pa;
}

void pages_free(uint64_t pa, uint64_t nr_pages)
{
	spin_lock(&frames_lock);
	frame_alloc_put(&frames, pa, nr_pages);
	spin_unlock(&frames_lock);
}

uint64_t pages_free_count(void)
{
	return frame_alloc_free_frames(&frames);
}

void *page_zalloc(void)
{
	uint64_t pa = pages_alloc(1, PAGE_SIZE);

	if (!pa)
		return NULL;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return phys_to_virt(pa);
}

void *kmalloc(size_t size)
{
	void *p;

	spin_lock(&heap_lock);
	p = heap_alloc(&heap, size, 16);
	spin_unlock(&heap_lock);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(void *p)
{
	spin_lock(&heap_lock);
	heap_free(&heap, p);
	spin_unlock(&heap_lock);
}
