// SPDX-License-Identifier: GPL-2.0
/*
 * RAM storage: a disk image in the hypervisor's own frames, zeroed at
 * boot or copied from a boot module (kind=disk), lost at power-off.  Every operation completes before it
 * returns; a write is stable once it completed, so flush has nothing to
 * wait for.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <hv/mm.h>
#include <hv/storage.h>

struct ram_disk {
	struct storage s;
	uint8_t *base;
	uint64_t pages;
};

static struct ram_disk *ram_of(const struct storage *s)
{
	return s->priv;
}

static void ram_read(struct storage *s, struct storage_req *r)
{
	const uint8_t *p = ram_of(s)->base + r->sector * STORAGE_SECTOR;

	for (unsigned int i = 0; i < r->nr_segs; i++) {
		memcpy(r->segs[i].buf, p, r->segs[i].len);
		p += r->segs[i].len;
	}
	r->done(r, 0);
}

static void ram_write(struct storage *s, struct storage_req *r)
{
	uint8_t *p = ram_of(s)->base + r->sector * STORAGE_SECTOR;

	for (unsigned int i = 0; i < r->nr_segs; i++) {
		memcpy(p, r->segs[i].buf, r->segs[i].len);
		p += r->segs[i].len;
	}
	r->done(r, 0);
}

static void ram_flush(struct storage *s, struct storage_req *r)
{
	(void)s;
	r->done(r, 0);
}

/* Discarded sectors read as zero too: one answer for both. */
static void ram_discard(struct storage *s, struct storage_req *r)
{
	memset(ram_of(s)->base + r->sector * STORAGE_SECTOR, 0,
	       (uint64_t)r->nr_sectors * STORAGE_SECTOR);
	r->done(r, 0);
}

static uint64_t ram_capacity(const struct storage *s)
{
	return ram_of(s)->pages * (PAGE_SIZE / STORAGE_SECTOR);
}

static void ram_destroy(struct storage *s)
{
	struct ram_disk *rd = ram_of(s);

	pages_free(virt_to_phys(rd->base), rd->pages);
	kfree(rd);
}

static const struct storage_ops ram_ops = {
	.read = ram_read,
	.write = ram_write,
	.flush = ram_flush,
	.discard = ram_discard,
	.capacity = ram_capacity,
	.destroy = ram_destroy,
};

struct storage *storage_ram_create(uint64_t bytes, const void *image,
				   uint64_t image_len)
{
	struct ram_disk *rd = kzalloc(sizeof(*rd));
	uint64_t pa;

	if (!rd)
		return NULL;
	rd->pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	pa = pages_alloc_zeroed(rd->pages, PAGE_SIZE);
	if (!pa) {
		kfree(rd);
		return NULL;
	}
	rd->base = phys_to_virt(pa);
	/* Copied: the module ends anywhere, the disk on a whole page. */
	if (image)
		memcpy(rd->base, image, MIN(image_len, rd->pages * PAGE_SIZE));
	rd->s.ops = &ram_ops;
	rd->s.caps = STORAGE_CAP_DISCARD | STORAGE_CAP_ZEROES;
	rd->s.priv = rd;
	return &rd->s;
}
