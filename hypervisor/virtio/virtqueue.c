// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues.  The descriptor table and avail ring are written
 * here and only read by the device; the used ring is the device's.  The
 * free list, tokens and chain lengths are kept in private arrays, so a
 * device scribbling on shared memory can corrupt its own requests but
 * never the driver's bookkeeping: each used entry's id and length are
 * checked against that bookkeeping first.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/mmio.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/printk.h>
#include <hv/virtio.h>

#define USED_F_NO_NOTIFY	1

static void vq_free_private(struct virtqueue *vq)
{
	kfree(vq->next_free);
	kfree(vq->token);
	kfree(vq->chain);
	kfree(vq->writable);
}

static int vq_alloc(struct virtqueue *vq, uint16_t size)
{
	uint64_t avail_off = (uint64_t)size * sizeof(struct virtq_desc);
	uint64_t used_off = ALIGN_UP(avail_off + 6 + 2ull * size, 4);
	uint64_t bytes = used_off + 6 + 8ull * size;
	uint8_t *base;

	vq->nr_pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	vq->pages_pa = pages_alloc_zeroed(vq->nr_pages, PAGE_SIZE);
	vq->next_free = kzalloc(size * sizeof(*vq->next_free));
	vq->token = kzalloc(size * sizeof(*vq->token));
	vq->chain = kzalloc(size * sizeof(*vq->chain));
	vq->writable = kzalloc(size * sizeof(*vq->writable));
	if (!vq->pages_pa || !vq->next_free || !vq->token || !vq->chain ||
	    !vq->writable) {
		if (vq->pages_pa)
			pages_free(vq->pages_pa, vq->nr_pages);
		vq_free_private(vq);
		return -1;
	}
	base = phys_to_virt(vq->pages_pa);
	vq->desc = (struct virtq_desc *)base;
	vq->avail = (volatile uint16_t *)(base + avail_off);
	vq->used = base + used_off;
	for (uint16_t i = 0; i < size; i++)
		vq->next_free[i] = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->nr_free = size;
	return 0;
}

int virtqueue_create(struct virtio_pci *vp, struct virtqueue *vq,
		     uint16_t index, uint16_t max_size)
{
	uint16_t size = virtio_queue_max(vp, index);

	memset(vq, 0, sizeof(*vq));
	if (size > max_size)
		size = max_size;
	/* A split queue's size is a power of two. */
	while (size & (size - 1))
		size &= (uint16_t)(size - 1);
	if (!size || vq_alloc(vq, size))
		return -1;
	vq->vp = vp;
	vq->index = index;
	vq->size = size;
	if (virtio_queue_setup(vp, index, size, vq->pages_pa,
			       virt_to_phys((const void *)vq->avail),
			       virt_to_phys((const void *)vq->used),
			       &vq->notify)) {
		virtqueue_destroy(vq);
		return -1;
	}
	return 0;
}

/* The device must be reset first: it may still read the rings. */
void virtqueue_destroy(struct virtqueue *vq)
{
	if (!vq->size)
		return;
	pages_free(vq->pages_pa, vq->nr_pages);
	vq_free_private(vq);
	memset(vq, 0, sizeof(*vq));
}

static void chain_table(struct virtq_desc *t, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		t[i].flags &= VIRTQ_DESC_F_WRITE;
		t[i].next = 0;
		if (i + 1 < nr) {
			t[i].flags |= VIRTQ_DESC_F_NEXT;
			t[i].next = (uint16_t)(i + 1);
		}
	}
}

/* Copies table into free ring descriptors; returns the head. */
static uint16_t put_direct(struct virtqueue *vq, const struct virtq_desc *t,
			   unsigned int nr)
{
	uint16_t head = vq->free_head, i = head;

	for (unsigned int k = 0; k < nr; k++) {
		vq->desc[i] = t[k];
		if (k + 1 < nr)
			vq->desc[i].next = vq->next_free[i];
		i = vq->next_free[i];
	}
	vq->free_head = i;
	return head;
}

static uint16_t put_indirect(struct virtqueue *vq, const struct virtq_desc *t,
			     unsigned int nr)
{
	uint16_t head = vq->free_head;

	vq->desc[head] = (struct virtq_desc){
		.addr = virt_to_phys(t),
		.len = nr * (uint32_t)sizeof(*t),
		.flags = VIRTQ_DESC_F_INDIRECT,
	};
	vq->free_head = vq->next_free[head];
	return head;
}

int virtqueue_add(struct virtqueue *vq, struct virtq_desc *table,
		  unsigned int nr, void *token)
{
	bool ind = (vq->vp->features & VIRTIO_F_INDIRECT_DESC) && nr > 1;
	unsigned int need = ind ? 1 : nr;
	uint32_t writable = 0;
	uint16_t head;

	if (vq->broken)
		return -PVKIT_EIO;
	if (!nr || !token || nr > vq->size || vq->nr_free < need)
		return -PVKIT_ENOSPC;
	chain_table(table, nr);
	for (unsigned int i = 0; i < nr; i++)
		if (table[i].flags & VIRTQ_DESC_F_WRITE)
			writable += table[i].len;
	head = ind ? put_indirect(vq, table, nr) : put_direct(vq, table, nr);
	vq->nr_free -= (uint16_t)need;
	vq->token[head] = token;
	vq->chain[head] = (uint16_t)need;
	vq->writable[head] = writable;
	vq->in_flight++;
	vq->avail[2 + vq->avail_idx % vq->size] = head;
	vq->avail_idx++;
	return 0;
}

bool virtqueue_kick(struct virtqueue *vq)
{
	volatile uint16_t *used_flags = (volatile uint16_t *)vq->used;

	/* Descriptors and ring slot before the index the device reads. */
	__atomic_store_n(&vq->avail[1], vq->avail_idx, __ATOMIC_RELEASE);
	/* The index out before the device's opt-out is read back. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (*used_flags & USED_F_NO_NOTIFY)
		return false;
	mmio_write16(vq->notify, vq->index);
	return true;
}

static int vq_broken(struct virtqueue *vq, const char *what, uint32_t v)
{
	struct pci_dev *p = vq->vp->pdev;

	if (!vq->broken)
		pr_err("virtio %02x:%02x.%u queue %u: device error: %s %u",
		       p->bus, p->devfn >> 3, p->devfn & 7, vq->index, what, v);
	vq->broken = true;
	return -PVKIT_EIO;
}

static void chain_free(struct virtqueue *vq, uint16_t head)
{
	uint16_t tail = head;

	/* A chain still holds the next_free links it was taken with. */
	for (unsigned int k = 1; k < vq->chain[head]; k++)
		tail = vq->next_free[tail];
	vq->next_free[tail] = vq->free_head;
	vq->free_head = head;
	vq->nr_free += vq->chain[head];
	vq->token[head] = NULL;
	vq->in_flight--;
}

int virtqueue_get(struct virtqueue *vq, void **token, uint32_t *len)
{
	volatile uint16_t *used_idx = (volatile uint16_t *)(vq->used + 2);
	const volatile uint8_t *e;
	uint16_t idx;
	uint32_t id, l;

	if (vq->broken)
		return -PVKIT_EIO;
	idx = __atomic_load_n(used_idx, __ATOMIC_ACQUIRE);
	if (idx == vq->last_used)
		return 0;
	if ((uint16_t)(idx - vq->last_used) > vq->in_flight)
		return vq_broken(vq, "used index jumped to", idx);
	e = vq->used + 4 + 8 * (vq->last_used % vq->size);
	id = *(const volatile uint32_t *)e;
	l = *(const volatile uint32_t *)(e + 4);
	if (id >= vq->size || !vq->token[id])
		return vq_broken(vq, "used id not in flight", id);
	if (l > vq->writable[id])
		return vq_broken(vq, "used length past the buffers", l);
	vq->last_used++;
	*token = vq->token[id];
	*len = l;
	chain_free(vq, (uint16_t)id);
	return 1;
}

void *virtqueue_detach(struct virtqueue *vq)
{
	for (uint16_t i = 0; i < vq->size; i++) {
		void *t = vq->token[i];

		if (t) {
			chain_free(vq, i);
			return t;
		}
	}
	return NULL;
}

unsigned int virtqueue_in_flight(const struct virtqueue *vq)
{
	return vq->in_flight;
}
