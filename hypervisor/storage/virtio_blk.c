// SPDX-License-Identifier: GPL-2.0
/*
 * Virtio-blk storage: a disk of the machine (QEMU's virtio-blk-pci, an
 * image file on the host) that the hypervisor drives itself over the
 * virtio transport.  Zero copy: each storage segment, a hypervisor
 * pointer into guest RAM below 4 GiB (identity mapped, so its address is
 * the physical one), becomes one descriptor; adjacent segments merge.
 *
 * Each request takes a slot: its header, status byte and indirect
 * descriptor table.  VBLK_SLOTS bounds what the storage accepts,
 * VBLK_INFLIGHT (and the ring's free descriptors, without indirect
 * descriptors) what the device has at once; a built request that cannot
 * go out waits on a FIFO and goes when a completion frees room.  A
 * request's chain, indirect or not, is never longer than the ring, as
 * the spec asks: that and the device's seg_max bound storage.max_segs.
 * Completions come by MSI-X: the handler only queues the device's
 * deferred work, which reaps the used ring (a bounded batch per call)
 * and calls done() outside the lock.  Without MSI-X the work polls
 * itself while requests are out.
 *
 * A resize of the host's image is a configuration change: MSI-X entry 1
 * (its own vector) queues a second work item, which sees the config
 * generation move, reads the capacity again and tells the storage's
 * user.  Without that entry the item looks at the generation every
 * VBLK_CFG_POLL_NS while a disk has the device.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/msi.h>
#include <asm/processor.h>
#include <asm/spinlock.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/storage.h>
#include <hv/time.h>
#include <hv/virtio.h>
#include <hv/work.h>

#define VBLK_DEVS_MAX		4
#define VBLK_SLOTS		128	/* >= what one PV disk has in flight */
#define VBLK_RING		256	/* ring entries at most */
#define VBLK_INFLIGHT		64	/* requests on the device at once */
#define VBLK_MAX_SEGS		256
#define VBLK_TABLE		(VBLK_MAX_SEGS + 2)	/* + header, status */
#define VBLK_BATCH		32	/* completions per work call */
#define VBLK_POLL_NS		20000ull
#define VBLK_DRAIN_NS		5000000000ull
#define VBLK_CFG_POLL_NS	100000000ull
#define VBLK_CFG_ENTRY		1	/* MSI-X entry of config changes */

/* Device features (virtio-blk). */
#define VBLK_F_SEG_MAX		(1ull << 2)
#define VBLK_F_BLK_SIZE		(1ull << 6)
#define VBLK_F_FLUSH		(1ull << 9)
#define VBLK_F_DISCARD		(1ull << 13)
#define VBLK_F_WRITE_ZEROES	(1ull << 14)

/* Request types and status. */
#define VBLK_T_IN		0
#define VBLK_T_OUT		1
#define VBLK_T_FLUSH		4
#define VBLK_T_DISCARD		11
#define VBLK_T_WRITE_ZEROES	13
#define VBLK_S_OK		0

/* Device config offsets. */
#define VBLK_CFG_CAPACITY	0
#define VBLK_CFG_SEG_MAX	12
#define VBLK_CFG_MAX_DISCARD	36
#define VBLK_CFG_MAX_ZEROES	48

struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

struct vblk_range {
	uint64_t sector;
	uint32_t nr_sectors;
	uint32_t flags;
};

struct vblk_slot {
	struct storage_req *r;
	struct vblk_slot *next;		/* free list or wait FIFO */
	struct virtq_desc *table;
	unsigned int nr;		/* descriptors in table */
	bool fua;			/* a write whose flush is still owed */
	struct vblk_hdr hdr;
	struct vblk_range range;
	uint8_t status;			/* the device writes it */
};

struct vblk_done {
	struct storage_req *r;
	int status;
};

struct vblk {
	struct storage s;
	struct virtio_pci vp;
	struct virtqueue vq;
	spinlock_t lock;
	struct work work;
	unsigned int index;
	bool taken;			/* a disk has it */
	bool broken;
	bool polling;			/* no MSI-X: the work polls */
	bool cfg_polling;		/* no config vector: cfg_work polls */
	unsigned int plugged;		/* storage_plug() depth */
	bool kick_owed;			/* sent while plugged */
	struct work cfg_work;		/* configuration changes */
	uint8_t cfg_gen;		/* generation the capacity is from */
	uint64_t capacity;		/* atomic: read on any pCPU */
	uint32_t max_discard, max_zeroes;
	struct vblk_slot *free;
	struct vblk_slot *wait_head, *wait_tail;
	struct vblk_slot slot[VBLK_SLOTS];
	uint64_t irqs, requests, waited, errors, resizes, kicks;
};

static struct vblk *vblks[VBLK_DEVS_MAX];
static unsigned int nr_vblks;

static struct vblk *vblk_of(const struct storage *s)
{
	return s->priv;
}

static void slot_put(struct vblk *vb, struct vblk_slot *sl)
{
	sl->r = NULL;
	sl->next = vb->free;
	vb->free = sl;
}

static void desc_set(struct virtq_desc *d, const void *p, uint32_t len,
		     bool device_writes)
{
	d->addr = virt_to_phys(p);
	d->len = len;
	d->flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
}

/* Header, the data (merged where contiguous), status; the count. */
static unsigned int build_rw(struct vblk_slot *sl, const struct storage_req *r,
			     bool read)
{
	struct virtq_desc *t = sl->table;
	unsigned int n = 1;

	sl->hdr = (struct vblk_hdr){
		.type = read ? VBLK_T_IN : VBLK_T_OUT,
		.sector = r->sector,
	};
	desc_set(&t[0], &sl->hdr, sizeof(sl->hdr), false);
	for (unsigned int i = 0; i < r->nr_segs; i++) {
		const struct storage_seg *g = &r->segs[i];
		struct virtq_desc *prev = &t[n - 1];

		if (n > 1 && prev->addr + prev->len == virt_to_phys(g->buf)) {
			prev->len += g->len;
			continue;
		}
		desc_set(&t[n++], g->buf, g->len, read);
	}
	desc_set(&t[n++], &sl->status, 1, true);
	return n;
}

static unsigned int build_nodata(struct vblk_slot *sl, uint32_t type)
{
	sl->hdr = (struct vblk_hdr){ .type = type };
	desc_set(&sl->table[0], &sl->hdr, sizeof(sl->hdr), false);
	desc_set(&sl->table[1], &sl->status, 1, true);
	return 2;
}

static unsigned int build_range(struct vblk_slot *sl,
				const struct storage_req *r, uint32_t type)
{
	sl->hdr = (struct vblk_hdr){ .type = type };
	sl->range = (struct vblk_range){
		.sector = r->sector,
		.nr_sectors = r->nr_sectors,
	};
	desc_set(&sl->table[0], &sl->hdr, sizeof(sl->hdr), false);
	desc_set(&sl->table[1], &sl->range, sizeof(sl->range), false);
	desc_set(&sl->table[2], &sl->status, 1, true);
	return 3;
}

/* vb->lock held.  Whether it went on the ring (else it waits). */
static bool slot_send(struct vblk *vb, struct vblk_slot *sl)
{
	sl->status = 0xff;
	if (virtqueue_in_flight(&vb->vq) >= VBLK_INFLIGHT ||
	    virtqueue_add(&vb->vq, sl->table, sl->nr, sl))
		return false;
	vb->requests++;
	return true;
}

/* vb->lock held: the waiting requests the ring has room for now. */
static bool wait_send(struct vblk *vb)
{
	bool sent = false;

	while (vb->wait_head && slot_send(vb, vb->wait_head)) {
		vb->wait_head = vb->wait_head->next;
		if (!vb->wait_head)
			vb->wait_tail = NULL;
		sent = true;
	}
	return sent;
}

/* vb->lock held. */
static void vblk_doorbell(struct vblk *vb)
{
	vb->kick_owed = false;
	vb->kicks += virtqueue_kick(&vb->vq);
	if (vb->polling)
		work_queue_at(&vb->work, now_ns() + VBLK_POLL_NS);
}

/* vb->lock held.  While plugged, owed until the unplug. */
static void vblk_kick(struct vblk *vb)
{
	if (vb->plugged)
		vb->kick_owed = true;
	else
		vblk_doorbell(vb);
}

/* Builds r into a slot and sends it, or queues it behind the others. */
static void vblk_submit(struct vblk *vb, struct storage_req *r,
			unsigned int (*build)(struct vblk_slot *,
					      const struct storage_req *,
					      uint32_t), uint32_t type)
{
	struct vblk_slot *sl;

	spin_lock(&vb->lock);
	sl = vb->free;
	if (vb->broken || !sl) {
		vb->errors++;
		spin_unlock(&vb->lock);
		r->done(r, -PVKIT_EIO);
		return;
	}
	vb->free = sl->next;
	sl->r = r;
	sl->next = NULL;
	sl->nr = build(sl, r, type);
	/* Virtio-blk has no FUA: the write, then a flush, then done(). */
	sl->fua = type == VBLK_T_OUT && r->fua &&
		  (vb->s.caps & STORAGE_CAP_WRITEBACK);
	if (vb->wait_head || !slot_send(vb, sl)) {
		if (vb->wait_tail)
			vb->wait_tail->next = sl;
		else
			vb->wait_head = sl;
		vb->wait_tail = sl;
		vb->waited++;
	} else {
		vblk_kick(vb);
	}
	spin_unlock(&vb->lock);
}

static unsigned int build_read(struct vblk_slot *sl,
			       const struct storage_req *r, uint32_t type)
{
	(void)type;
	return build_rw(sl, r, true);
}

static unsigned int build_write(struct vblk_slot *sl,
				const struct storage_req *r, uint32_t type)
{
	(void)type;
	return build_rw(sl, r, false);
}

static unsigned int build_flush(struct vblk_slot *sl,
				const struct storage_req *r, uint32_t type)
{
	(void)r;
	return build_nodata(sl, type);
}

static bool too_many_segs(const struct storage *s, struct storage_req *r)
{
	if (r->nr_segs <= s->max_segs)
		return false;
	r->done(r, -PVKIT_EIO);
	return true;
}

static void vblk_read(struct storage *s, struct storage_req *r)
{
	if (!too_many_segs(s, r))
		vblk_submit(vblk_of(s), r, build_read, VBLK_T_IN);
}

static void vblk_write(struct storage *s, struct storage_req *r)
{
	if (!too_many_segs(s, r))
		vblk_submit(vblk_of(s), r, build_write, VBLK_T_OUT);
}

/* Without a volatile cache every completed write is stable already. */
static void vblk_flush(struct storage *s, struct storage_req *r)
{
	if (!(s->caps & STORAGE_CAP_WRITEBACK)) {
		r->done(r, 0);
		return;
	}
	vblk_submit(vblk_of(s), r, build_flush, VBLK_T_FLUSH);
}

static void vblk_discard(struct storage *s, struct storage_req *r)
{
	struct vblk *vb = vblk_of(s);
	bool zeroes = r->op == STORAGE_WRITE_ZEROES;

	if (r->nr_sectors > (zeroes ? vb->max_zeroes : vb->max_discard)) {
		r->done(r, -PVKIT_EIO);
		return;
	}
	vblk_submit(vb, r, build_range,
		    zeroes ? VBLK_T_WRITE_ZEROES : VBLK_T_DISCARD);
}

static uint64_t vblk_capacity(const struct storage *s)
{
	return __atomic_load_n(&vblk_of(s)->capacity, __ATOMIC_ACQUIRE);
}

/*
 * The generation first, then the capacity: a change between the two
 * moves the generation again, and the next look reads it once more.
 * The device's word is taken as it is: storage_submit() bounds every
 * request by it, and the device fails what lies past its real end.
 */
static bool vblk_cfg_work(struct work *w)
{
	struct vblk *vb = container_of(w, struct vblk, cfg_work);
	uint8_t gen;
	uint64_t cap, old = vblk_capacity(&vb->s);

	if (vb->cfg_polling)
		work_queue_at(w, now_ns() + VBLK_CFG_POLL_NS);
	if (READ_ONCE(vb->broken))
		return false;
	gen = virtio_config_generation(&vb->vp);
	if (gen == vb->cfg_gen)
		return false;
	vb->cfg_gen = gen;
	cap = virtio_cfg_read64(&vb->vp, VBLK_CFG_CAPACITY);
	if (cap == old)
		return false;
	pr_info("vblk%u: resized from %llu to %llu sectors", vb->index,
		(unsigned long long)old, (unsigned long long)cap);
	__atomic_store_n(&vb->capacity, cap, __ATOMIC_RELEASE);
	vb->resizes++;
	storage_resized(&vb->s);
	return false;
}

static void vblk_cfg_irq(void *arg)
{
	struct vblk *vb = arg;

	work_queue(&vb->cfg_work);
}

/*
 * vb->lock held.  The device broke the protocol: it is reset (no more
 * DMA into guest memory) and everything it had, or that waited, fails.
 */
static unsigned int vblk_break(struct vblk *vb, struct vblk_done *out,
			       unsigned int n, unsigned int max)
{
	struct vblk_slot *sl;

	if (!vb->broken) {
		pr_err("vblk%u: device error, disk failed until reboot",
		       vb->index);
		vb->broken = true;
		virtio_reset(&vb->vp);
	}
	while (n < max && (sl = virtqueue_detach(&vb->vq))) {
		out[n++] = (struct vblk_done){ sl->r, -PVKIT_EIO };
		slot_put(vb, sl);
	}
	while (n < max && (sl = vb->wait_head)) {
		vb->wait_head = sl->next;
		if (!vb->wait_head)
			vb->wait_tail = NULL;
		out[n++] = (struct vblk_done){ sl->r, -PVKIT_EIO };
		slot_put(vb, sl);
	}
	return n;
}

/* A write with FUA owes a flush: it goes out in the same slot. */
static bool fua_flush(struct vblk *vb, struct vblk_slot *sl)
{
	if (!sl->fua)
		return false;
	sl->fua = false;
	sl->nr = build_nodata(sl, VBLK_T_FLUSH);
	if (!slot_send(vb, sl)) {
		sl->next = vb->wait_head;
		vb->wait_head = sl;
		if (!vb->wait_tail)
			vb->wait_tail = sl;
	}
	return true;
}

/* vb->lock held: up to max completed requests into out. */
static unsigned int vblk_reap(struct vblk *vb, struct vblk_done *out,
			      unsigned int max)
{
	unsigned int n = 0;
	bool sent = false;
	void *token;
	uint32_t len;
	int got = 0;

	while (n < max && (got = virtqueue_get(&vb->vq, &token, &len)) > 0) {
		struct vblk_slot *sl = token;
		uint8_t status = READ_ONCE(sl->status);

		if (status == VBLK_S_OK && fua_flush(vb, sl)) {
			sent = true;
			continue;
		}
		if (status != VBLK_S_OK)
			vb->errors++;
		out[n++] = (struct vblk_done){
			sl->r, status == VBLK_S_OK ? 0 : -PVKIT_EIO
		};
		slot_put(vb, sl);
	}
	if (got < 0)
		return vblk_break(vb, out, n, max);
	if (wait_send(vb) || sent)
		vblk_kick(vb);
	return n;
}

static bool vblk_busy(const struct vblk *vb)
{
	return virtqueue_in_flight(&vb->vq) || vb->wait_head;
}

static bool vblk_work(struct work *w)
{
	struct vblk *vb = container_of(w, struct vblk, work);
	struct vblk_done done[VBLK_BATCH];
	unsigned int n;
	bool more;

	spin_lock(&vb->lock);
	n = vblk_reap(vb, done, VBLK_BATCH);
	more = n == VBLK_BATCH;
	if (!more && vb->polling && vblk_busy(vb))
		work_queue_at(&vb->work, now_ns() + VBLK_POLL_NS);
	spin_unlock(&vb->lock);
	for (unsigned int i = 0; i < n; i++)
		done[i].r->done(done[i].r, done[i].status);
	return more;
}

/* Runs in an interrupt window: no lock held, so queueing is safe. */
static void vblk_irq(void *arg)
{
	struct vblk *vb = arg;

	vb->irqs++;
	work_queue(&vb->work);
}

static void vblk_drain(struct storage *s)
{
	struct vblk *vb = vblk_of(s);
	uint64_t until = now_ns() + VBLK_DRAIN_NS;
	struct vblk_done done[VBLK_BATCH];
	unsigned int n;
	bool busy;

	/* A disk that breaks inside a plugged batch drains: send it. */
	spin_lock(&vb->lock);
	if (vb->kick_owed)
		vblk_doorbell(vb);
	spin_unlock(&vb->lock);
	do {
		spin_lock(&vb->lock);
		n = vblk_reap(vb, done, VBLK_BATCH);
		busy = vblk_busy(vb);
		if (busy && !n && now_ns() > until)
			n = vblk_break(vb, done, 0, VBLK_BATCH);
		spin_unlock(&vb->lock);
		for (unsigned int i = 0; i < n; i++)
			done[i].r->done(done[i].r, done[i].status);
		cpu_relax();
	} while (busy);
}

/*
 * vb->work takes vb->lock, so it does not run during the move; cfg_work
 * only reads the device's configuration, safe on either pCPU.
 */
static void vblk_bind(struct storage *s, struct pcpu *pc)
{
	struct vblk *vb = vblk_of(s);
	bool moved;

	spin_lock(&vb->lock);
	moved = vb->work.pc != pc;
	work_move(&vb->work, pc);
	work_move(&vb->cfg_work, pc);
	if (moved && !vb->polling)
		pci_msix_aim(vb->vp.pdev, pc->apic_id);
	spin_unlock(&vb->lock);
	if (moved)
		pr_info("vblk%u: completions on pCPU %u", vb->index, pc->id);
}

static void vblk_plug(struct storage *s)
{
	struct vblk *vb = vblk_of(s);

	spin_lock(&vb->lock);
	vb->plugged++;
	spin_unlock(&vb->lock);
}

static void vblk_unplug(struct storage *s)
{
	struct vblk *vb = vblk_of(s);

	spin_lock(&vb->lock);
	if (vb->plugged && !--vb->plugged && vb->kick_owed)
		vblk_kick(vb);
	spin_unlock(&vb->lock);
}

static void vblk_log(const struct storage *s)
{
	const struct vblk *vb = vblk_of(s);

	pr_info("vblk%u: %llu requests (%llu waited for room on the device), %llu notifications, %llu interrupts, %llu work runs, %llu errors, %llu resizes",
		vb->index, (unsigned long long)vb->requests,
		(unsigned long long)vb->waited, (unsigned long long)vb->kicks,
		(unsigned long long)vb->irqs,
		(unsigned long long)vb->work.runs,
		(unsigned long long)vb->errors,
		(unsigned long long)vb->resizes);
}

/* The device stays set up for the next disk that takes it. */
static void vblk_release(struct storage *s)
{
	__atomic_store_n(&vblk_of(s)->taken, false, __ATOMIC_RELEASE);
}

static const struct storage_ops vblk_ops = {
	.read = vblk_read,
	.write = vblk_write,
	.flush = vblk_flush,
	.discard = vblk_discard,
	.capacity = vblk_capacity,
	.drain = vblk_drain,
	.bind = vblk_bind,
	.plug = vblk_plug,
	.unplug = vblk_unplug,
	.log = vblk_log,
	.destroy = vblk_release,
};

static int slots_init(struct vblk *vb)
{
	uint64_t bytes = (uint64_t)VBLK_SLOTS * VBLK_TABLE *
			 sizeof(struct virtq_desc);
	uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa = pages_alloc_zeroed(pages, PAGE_SIZE);
	struct virtq_desc *t = phys_to_virt(pa);

	if (!pa)
		return -1;
	for (unsigned int i = 0; i < VBLK_SLOTS; i++) {
		vb->slot[i].table = t + i * VBLK_TABLE;
		slot_put(vb, &vb->slot[i]);
	}
	return 0;
}

/* Header and status take two descriptors of the chain. */
static void vblk_max_segs(struct vblk *vb)
{
	uint32_t n = vb->vq.size - 2u;

	if (vb->vp.features & VBLK_F_SEG_MAX) {
		uint32_t dev = virtio_cfg_read32(&vb->vp, VBLK_CFG_SEG_MAX);

		if (dev && dev < n)
			n = dev;
	}
	vb->s.max_segs = n < VBLK_MAX_SEGS ? n : VBLK_MAX_SEGS;
}

static void vblk_caps(struct vblk *vb)
{
	struct virtio_pci *vp = &vb->vp;
	uint64_t f = vp->features;

	vb->cfg_gen = virtio_config_generation(vp);
	vb->capacity = virtio_cfg_read64(vp, VBLK_CFG_CAPACITY);
	if (f & VBLK_F_FLUSH)
		vb->s.caps |= STORAGE_CAP_WRITEBACK;
	if (f & VBLK_F_DISCARD) {
		vb->max_discard = virtio_cfg_read32(vp, VBLK_CFG_MAX_DISCARD);
		if (vb->max_discard)
			vb->s.caps |= STORAGE_CAP_DISCARD;
	}
	if (f & VBLK_F_WRITE_ZEROES) {
		vb->max_zeroes = virtio_cfg_read32(vp, VBLK_CFG_MAX_ZEROES);
		if (vb->max_zeroes)
			vb->s.caps |= STORAGE_CAP_ZEROES;
	}
}

static int vblk_setup(struct vblk *vb, struct pci_dev *pdev)
{
	struct virtio_pci *vp = &vb->vp;
	uint8_t vec;

	if (virtio_pci_init(vp, pdev) ||
	    virtio_negotiate(vp, VBLK_F_SEG_MAX | VBLK_F_FLUSH | VBLK_F_DISCARD |
					 VBLK_F_WRITE_ZEROES |
					 VIRTIO_F_INDIRECT_DESC))
		return -1;
	vblk_caps(vb);
	vec = msi_vector_alloc(vblk_irq, vb);
	vb->polling = virtio_pci_irq(vp, vec) != 0;
	if (virtqueue_create(vp, &vb->vq, 0, VBLK_RING) || vb->vq.size < 4 ||
	    slots_init(vb)) {
		virtio_fail(vp);
		return -1;
	}
	vblk_max_segs(vb);
	/* The queue may have fallen back from its vector. */
	vb->polling |= !vp->msix;
	vb->cfg_polling = vb->polling ||
			  virtio_pci_config_irq(vp, VBLK_CFG_ENTRY,
						msi_vector_alloc(vblk_cfg_irq, vb));
	virtio_driver_ok(vp);
	return 0;
}

static void vblk_probe_one(struct pci_dev *pdev)
{
	struct vblk *vb = kzalloc(sizeof(*vb));

	if (!vb || !pci_claim(pdev)) {
		kfree(vb);
		return;
	}
	spin_lock_init(&vb->lock);
	work_init(&vb->work, pcpus[0], vblk_work);
	work_init(&vb->cfg_work, pcpus[0], vblk_cfg_work);
	vb->index = nr_vblks;
	vb->s.ops = &vblk_ops;
	vb->s.priv = vb;
	if (vblk_setup(vb, pdev)) {
		pr_warn("vblk: %02x:%02x.%u not usable", pdev->bus,
			pdev->devfn >> 3, pdev->devfn & 7);
		return;	/* its memory stays: the device may hold it */
	}
	pr_info("vblk%u: %02x:%02x.%u, %llu sectors, %s%s%s, ring %u%s, %u segments, %s%s",
		vb->index, pdev->bus, pdev->devfn >> 3, pdev->devfn & 7,
		(unsigned long long)vb->capacity,
		vb->s.caps & STORAGE_CAP_WRITEBACK ? "flush" : "write-through",
		vb->s.caps & STORAGE_CAP_DISCARD ? ", discard" : "",
		vb->s.caps & STORAGE_CAP_ZEROES ? ", write-zeroes" : "",
		vb->vq.size,
		vb->vp.features & VIRTIO_F_INDIRECT_DESC ? " indirect" : "",
		vb->s.max_segs, vb->polling ? "polled" : "MSI-X",
		!vb->polling && vb->cfg_polling ? ", config polled" : "");
	vblks[nr_vblks++] = vb;
}

void storage_virtio_probe(void)
{
	struct pci_dev *pdev;

	for (unsigned int n = 0; nr_vblks < VBLK_DEVS_MAX; n++) {
		pdev = pci_find(VIRTIO_PCI_VENDOR,
				VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_BLOCK, n);
		if (!pdev)
			break;
		vblk_probe_one(pdev);
	}
}

struct storage *storage_virtio_get(unsigned int index, const char *who)
{
	struct vblk *vb = index < nr_vblks ? vblks[index] : NULL;
	bool free = false;

	if (!vb) {
		pr_err("%s: storage=vblk%u: no such virtio-blk device (%u found)",
		       who, index, nr_vblks);
		return NULL;
	}
	if (!__atomic_compare_exchange_n(&vb->taken, &free, true, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		pr_err("%s: storage=vblk%u: already used by another disk", who,
		       index);
		return NULL;
	}
	if (vb->cfg_polling)
		work_queue(&vb->cfg_work);
	return &vb->s;
}
