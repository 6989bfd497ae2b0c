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

#define NR_FRAMES	(HV_MAPPED_LIMIT / PAGE_SIZE)

extern char __image_start[], __image_end[];

static uint64_t frame_bitmap[NR_FRAMES / 64];
static struct frame_alloc frames;
static spinlock_t frames_lock = SPINLOCK_INIT;
static struct heap heap;
static spinlock_t heap_lock = SPINLOCK_INIT;

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
	spin_unlock(&frames_lock);
	/* Frame 0 is always reserved, so 0 can mean failure. */
	return pa == FRAME_NONE ? 0 : pa;
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
