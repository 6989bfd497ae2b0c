// SPDX-License-Identifier: GPL-2.0
/*
 * The PV block backend (pvkit/io/block.h) over a struct storage.  Each
 * request is copied out of the ring (its indirect page once, into the
 * device's own page), checked whole, its segments translated to
 * hypervisor pointers, and only then handed to the storage.  A batch of
 * requests is taken, submitted, then answered: a request is in flight
 * from the time it is taken until its response is published, so a
 * second request with the same id in that window is a protocol error.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/io/block.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/pv.h>
#include <hv/storage.h>
#include <hv/time.h>
#include <hv/work.h>

#define BLK_QUEUES		4
#define BLK_INFLIGHT		32	/* per queue, <= PVKIT_BLK_MAX_INFLIGHT */
#define BLK_MAX_SEGS		PVKIT_BLK_INDIRECT_SEGS
#define BLK_MAX_DISCARD		8192u	/* sectors: bounds one request's work */
#define PAGE_MASK_4K		4095ull
/*
 * A backend on a pCPU of its own (pvdev_may_poll()) looks at a queue
 * again every BLK_POLL_TICK_NS, for BLK_POLL_NS after the last request
 * it took on any queue, before it arms the queue's event index: a busy
 * frontend then submits without notifying.  It also holds the
 * completion event until the batch has "target" answers, or the queue
 * has been quiet for four times the usual gap between requests within a
 * batch (BLK_QUIET_MIN_NS..BLK_QUIET_MAX_NS).  The target follows the
 * frontend's queue depth: it doubles (up to BLK_INFLIGHT) after
 * BLK_GROW_AFTER batches that reached it, and halves, not below the
 * batch's size, when one was raised for quiet.  A lone request (QD1) is
 * raised at once, except when the target of 2 is tried, once every
 * BLK_GROW_AFTER requests, and waits BLK_QUIET_MIN_NS.
 */
#define BLK_POLL_NS		5000000ull
#define BLK_POLL_TICK_NS	100000ull
#define BLK_QUIET_MIN_NS	200000ull
#define BLK_QUIET_MAX_NS	2000000ull
#define BLK_GROW_AFTER		16

PVKIT_RING_DEFINE_TYPED(blkreq, struct pvkit_blk_req)
PVKIT_RING_DEFINE_TYPED(blkrsp, struct pvkit_blk_rsp)

struct blk_queue;

struct blk_slot {
	struct storage_req sr;
	struct blk_queue *bq;
	uint64_t id;
	uint8_t op;
	bool used;
	bool done;			/* storage completed it */
	bool submitting;		/* inside storage_submit() */
	uint16_t status;
	/* now_ns() at each stage (PVKIT_BLK_STAGE_*): taken, submitted, done. */
	uint64_t t_take, t_submit, t_done;
};

struct blk_queue {
	struct pvdev *dev;
	struct blk_slot slot[BLK_INFLIGHT];
	unsigned int used;		/* slots taken, not yet answered */
	unsigned int writes;		/* writes submitted, not completed */
	struct blk_slot *held_flush;	/* waits for the writes before it */
	unsigned int unraised;		/* answers published, not raised */
	uint64_t unraised_t;		/* the sum of their answer times */
	unsigned int target;		/* answers to raise at once */
	unsigned int hits;		/* batches that reached target */
	uint64_t last_take;		/* now_ns() when it last took one */
	uint64_t gap;			/* average gap within a batch, ns */
};

struct block_back {
	struct pvdev *dev;
	struct storage *st;
	bool read_only;
	struct blk_queue q[BLK_QUEUES];
	uint64_t last_req;		/* now_ns() when any queue took one */
	/* Scratch for one request at a time (work runs under dev->lock). */
	struct pvkit_blk_seg ind[BLK_MAX_SEGS];
	struct storage_seg segs[BLK_MAX_SEGS];
	uint64_t requests, sectors, rejected;
};

/* Checking a request: a status for the guest, or a protocol violation. */
#define BLK_BROKEN	0xffff

static struct storage *block_storage(struct pvdev *dev)
{
	char who[48];

	if (dev->disk_storage == DEV_STORAGE_RAM)
		return storage_ram_create(dev->disk_bytes, dev->disk_image,
					  dev->disk_image_len);
	snprintf(who, sizeof(who), "%s: disk %u", dev->dom->name,
		 dev->instance);
	return storage_virtio_get(dev->disk_vblk, who);
}

/* The config's capacity is the storage's: the frontend reads it again. */
static void block_resized(struct storage *s, void *arg)
{
	(void)s;
	pvdev_config_changed(arg);
}

static void *block_create(struct pvdev *dev)
{
	struct block_back *bb = kzalloc(sizeof(*bb));

	if (!bb)
		return NULL;
	bb->dev = dev;
	bb->read_only = dev->disk_read_only;
	if (bb->read_only)
		dev->offered |= PVKIT_BLK_F_READ_ONLY;
	bb->st = block_storage(dev);
	if (!bb->st) {
		kfree(bb);
		return NULL;
	}
	storage_on_resize(bb->st, block_resized, dev);
	return bb;
}

struct storage *pv_block_storage(struct pvdev *dev)
{
	struct block_back *bb = dev->priv;

	return dev->be == &pv_block_backend ? bb->st : NULL;
}

/* The protocol's bound, or the storage's where it is lower. */
static unsigned int max_segs(const struct block_back *bb)
{
	unsigned int n = bb->st->max_segs;

	return n && n < BLK_MAX_SEGS ? n : BLK_MAX_SEGS;
}

/*
 * A storage with a segment limit of its own: the largest request fits
 * in its segments whatever its alignment in guest memory (one segment
 * more when it does not start on a page).
 */
static uint32_t max_bytes(const struct block_back *bb)
{
	unsigned int n = max_segs(bb);

	return (n < BLK_MAX_SEGS ? n - 1 : n) * 4096u;
}

static void block_config(struct pvdev *dev, void *buf)
{
	struct block_back *bb = dev->priv;
	struct pvkit_blk_config cfg = {
		.capacity = bb->st->ops->capacity(bb->st),
		.logical_block = 512,
		.physical_block = 4096,
		.max_segs = max_segs(bb),
		.max_req_bytes = max_bytes(bb),
		.queues = BLK_QUEUES,
		.cache = (bb->st->caps & STORAGE_CAP_WRITEBACK) ?
			 PVKIT_BLK_CACHE_WRITEBACK : PVKIT_BLK_CACHE_WRITETHROUGH,
		.max_discard_sectors = BLK_MAX_DISCARD,
	};

	memcpy(buf, &cfg, sizeof(cfg));
}

static void queues_reset(struct block_back *bb)
{
	memset(bb->q, 0, sizeof(bb->q));
	for (unsigned int i = 0; i < BLK_QUEUES; i++) {
		bb->q[i].dev = bb->dev;
		bb->q[i].target = 1;
	}
}

/* The storage's completions follow the backend (pvdev's work.pc). */
static void block_connect(struct pvdev *dev)
{
	struct block_back *bb = dev->priv;

	queues_reset(bb);
	storage_bind(bb->st, dev->work.pc);
}

/*
 * A device's requests may still be out (RAM has none): they complete
 * into guest memory and into the slots, so both wait for them.
 */
static void block_disconnect(struct pvdev *dev)
{
	struct block_back *bb = dev->priv;

	storage_drain(bb->st);
	queues_reset(bb);
}

static void blk_done(struct storage_req *r, int status)
{
	struct blk_slot *s = container_of(r, struct blk_slot, sr);

	s->status = status ? PVKIT_BLK_S_IOERR : PVKIT_BLK_S_OK;
	s->t_done = now_ns();
	if (s->op == PVKIT_BLK_OP_WRITE)
		__atomic_fetch_sub(&s->bq->writes, 1, __ATOMIC_RELAXED);
	/*
	 * Completed later than its submission (a device, from its own
	 * work): the queue's work answers it.  Within the submission the
	 * submitter's answer() sees it; the seq_cst pair makes sure one of
	 * the two does.
	 */
	__atomic_store_n(&s->done, true, __ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&s->submitting, __ATOMIC_SEQ_CST))
		work_queue(&s->bq->dev->work);
}

static bool segs_zero(const struct pvkit_blk_seg *seg, unsigned int from)
{
	for (unsigned int i = from; i < PVKIT_BLK_INLINE_SEGS; i++)
		if (seg[i].gpa || seg[i].len || seg[i].pad)
			return false;
	return true;
}

/* One segment against the protocol's rules and the domain's RAM. */
static bool seg_ok(const struct domain *d, const struct pvkit_blk_seg *s)
{
	return !s->pad && s->len >= 512 && s->len <= 4096 && !(s->len % 512) &&
	       !(s->gpa % 512) && (s->gpa & PAGE_MASK_4K) + s->len <= 4096 &&
	       guest_range_ok(d, s->gpa, s->len);
}

/* READ/WRITE: the segment list, copied once, checked, translated. */
static uint16_t check_rw(struct block_back *bb, const struct pvkit_blk_req *req)
{
	struct pvdev *dev = bb->dev;
	const struct pvkit_blk_seg *seg = req->seg;
	uint64_t bytes = 0;
	unsigned int n = req->nr_segs;

	if (n > BLK_MAX_SEGS || (n > PVKIT_BLK_INLINE_SEGS &&
				 !(dev->accepted & PVKIT_BLK_F_INDIRECT)))
		return BLK_BROKEN;
	if (req->op == PVKIT_BLK_OP_WRITE && bb->read_only)
		return PVKIT_BLK_S_UNSUPPORTED;
	/* Past what the config said, within what the protocol allows. */
	if (n > max_segs(bb))
		return PVKIT_BLK_S_IOERR;
	if ((req->flags & ~PVKIT_BLK_REQ_FUA) ||
	    (req->flags && (req->op != PVKIT_BLK_OP_WRITE ||
			    !(dev->accepted & PVKIT_BLK_F_FUA))))
		return PVKIT_BLK_S_IOERR;
	if (!n || !req->nr_sectors)
		return PVKIT_BLK_S_IOERR;
	if (n <= PVKIT_BLK_INLINE_SEGS) {
		if (req->indirect_gpa || !segs_zero(seg, n))
			return PVKIT_BLK_S_IOERR;
	} else {
		if (!segs_zero(seg, 0) || (req->indirect_gpa & PAGE_MASK_4K) ||
		    copy_from_guest(dev->dom, bb->ind, req->indirect_gpa,
				    n * sizeof(bb->ind[0])))
			return PVKIT_BLK_S_IOERR;
		seg = bb->ind;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (!seg_ok(dev->dom, &seg[i]))
			return PVKIT_BLK_S_IOERR;
		bb->segs[i].buf = dev->dom->mem + seg[i].gpa;
		bb->segs[i].len = seg[i].len;
		bytes += seg[i].len;
	}
	if (bytes != (uint64_t)req->nr_sectors * 512 ||
	    !storage_range_ok(bb->st, req->sector, req->nr_sectors))
		return PVKIT_BLK_S_IOERR;
	return PVKIT_BLK_S_OK;
}

/* FLUSH, DISCARD, WRITE_ZEROES: no data, so every data field is zero. */
static uint16_t check_nodata(struct block_back *bb,
			     const struct pvkit_blk_req *req, uint64_t feature)
{
	bool flush = req->op == PVKIT_BLK_OP_FLUSH;

	if (!(bb->dev->accepted & feature) || (!flush && bb->read_only))
		return PVKIT_BLK_S_UNSUPPORTED;
	if (req->nr_segs > BLK_MAX_SEGS)
		return BLK_BROKEN;
	if (req->nr_segs || req->flags || req->indirect_gpa ||
	    !segs_zero(req->seg, 0))
		return PVKIT_BLK_S_IOERR;
	if (flush)
		return req->sector || req->nr_sectors ? PVKIT_BLK_S_IOERR :
							PVKIT_BLK_S_OK;
	if (!req->nr_sectors || req->nr_sectors > BLK_MAX_DISCARD ||
	    !storage_range_ok(bb->st, req->sector, req->nr_sectors))
		return PVKIT_BLK_S_IOERR;
	return PVKIT_BLK_S_OK;
}

static uint16_t check_req(struct block_back *bb,
			  const struct pvkit_blk_req *req)
{
	switch (req->op) {
	case PVKIT_BLK_OP_READ:
	case PVKIT_BLK_OP_WRITE:
		return check_rw(bb, req);
	case PVKIT_BLK_OP_FLUSH:
		return check_nodata(bb, req, PVKIT_BLK_F_FLUSH);
	case PVKIT_BLK_OP_DISCARD:
		return check_nodata(bb, req, PVKIT_BLK_F_DISCARD);
	case PVKIT_BLK_OP_WRITE_ZEROES:
		return check_nodata(bb, req, PVKIT_BLK_F_WRITE_ZEROES);
	}
	return PVKIT_BLK_S_UNSUPPORTED;
}

static const enum storage_op storage_ops_of[] = {
	[PVKIT_BLK_OP_READ] = STORAGE_READ,
	[PVKIT_BLK_OP_WRITE] = STORAGE_WRITE,
	[PVKIT_BLK_OP_FLUSH] = STORAGE_FLUSH,
	[PVKIT_BLK_OP_DISCARD] = STORAGE_DISCARD,
	[PVKIT_BLK_OP_WRITE_ZEROES] = STORAGE_WRITE_ZEROES,
};

/* now: the request's submit stamp (its take's, when sent at once). */
static void submit(struct block_back *bb, struct blk_slot *s,
		   const struct pvkit_blk_req *req, uint64_t now)
{
	s->sr = (struct storage_req){
		.op = storage_ops_of[req->op],
		.fua = req->flags & PVKIT_BLK_REQ_FUA,
		.sector = req->sector,
		.nr_sectors = req->nr_sectors,
		.nr_segs = req->nr_segs,
		.segs = bb->segs,
		.done = blk_done,
	};
	if (req->op == PVKIT_BLK_OP_WRITE)
		__atomic_fetch_add(&s->bq->writes, 1, __ATOMIC_RELAXED);
	bb->requests++;
	bb->sectors += req->nr_sectors;
	s->t_submit = now;
	s->submitting = true;
	storage_submit(bb->st, &s->sr);
	__atomic_store_n(&s->submitting, false, __ATOMIC_SEQ_CST);
}

static struct blk_slot *slot_get(struct blk_queue *bq)
{
	for (unsigned int i = 0; i < BLK_INFLIGHT; i++) {
		if (!bq->slot[i].used) {
			bq->used++;
			bq->slot[i].used = true;
			bq->slot[i].done = false;
			return &bq->slot[i];
		}
	}
	return NULL;
}

static bool id_in_flight(const struct blk_queue *bq, uint64_t id)
{
	for (unsigned int i = 0; i < BLK_INFLIGHT; i++)
		if (bq->slot[i].used && bq->slot[i].id == id)
			return true;
	return false;
}

/* Takes one request; false when the device broke. */
static bool take(struct block_back *bb, struct blk_queue *bq,
		 const struct pvkit_blk_req *req)
{
	struct blk_slot *s;
	uint16_t status;

	if (id_in_flight(bq, req->id)) {
		pvdev_broken(bb->dev, "request id reused while in flight");
		return false;
	}
	status = check_req(bb, req);
	if (status == BLK_BROKEN) {
		pvdev_broken(bb->dev, "more segments than the protocol allows");
		return false;
	}
	s = slot_get(bq);
	s->bq = bq;
	s->id = req->id;
	s->op = req->op;
	s->t_take = s->t_submit = s->t_done = now_ns();
	if (status != PVKIT_BLK_S_OK) {
		bb->rejected++;
		s->status = status;
		s->done = true;
		return true;
	}
	/* A flush covers every write taken before it: it waits for them. */
	if (req->op == PVKIT_BLK_OP_FLUSH && bq->writes) {
		bq->held_flush = s;
		return true;
	}
	submit(bb, s, req, s->t_take);
	return true;
}

/* Its time in each stage up to its answer at now (PVKIT_BLK_STAGE_*). */
static void stage_times(struct pvdev_stats *st, const struct blk_slot *s,
			uint64_t now)
{
	st->staged++;
	st->stage_ns[PVKIT_BLK_STAGE_SUBMIT] += s->t_submit - s->t_take;
	st->stage_ns[PVKIT_BLK_STAGE_STORAGE] += s->t_done - s->t_submit;
	st->stage_ns[PVKIT_BLK_STAGE_ANSWER] += now - s->t_done;
}

/* Answers every completed request; the rsp ring has room for them all. */
static int answer(struct pvdev *dev, struct blk_queue *bq, unsigned int qi)
{
	struct pvdev_queue *q = &dev->q[qi];
	uint64_t now = now_ns();
	int moved = 0;

	for (unsigned int i = 0; i < BLK_INFLIGHT; i++) {
		struct blk_slot *s = &bq->slot[i];
		struct pvkit_blk_rsp rsp = { 0 };

		if (!s->used || !__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
			continue;
		rsp.id = s->id;
		rsp.op = s->op;
		rsp.status = s->status;
		if (blkrsp_ring_put(&q->rsp, &rsp, 1) != 1)
			return -PVKIT_ERANGE;
		stage_times(&dev->stats, s, now);
		s->used = false;
		bq->used--;
		moved++;
	}
	pvkit_ring_prod_publish(&q->rsp);
	bq->unraised += moved;
	bq->unraised_t += moved * now;
	return 0;
}

/* The event for every answer published since the last one, if asked. */
static void raise_answers(struct pvdev *dev, struct blk_queue *bq,
			  unsigned int qi)
{
	if (!bq->unraised)
		return;
	dev->stats.stage_ns[PVKIT_BLK_STAGE_HOLD] +=
		bq->unraised * now_ns() - bq->unraised_t;
	bq->unraised = 0;
	bq->unraised_t = 0;
	if (pvkit_ring_prod_publish_notify(&dev->q[qi].rsp))
		pvdev_raise(dev, qi);
}

/* Polling: whether this batch's event waits for more answers. */
static bool hold_answers(struct blk_queue *bq, uint64_t now)
{
	uint64_t quiet = MIN(MAX(4 * bq->gap, BLK_QUIET_MIN_NS),
			     BLK_QUIET_MAX_NS);

	if (bq->unraised >= bq->target) {
		if (++bq->hits >= BLK_GROW_AFTER && bq->target < BLK_INFLIGHT) {
			bq->target *= 2;
			bq->hits = 0;
		}
		return false;
	}
	if (now - bq->last_take < quiet)
		return true;
	bq->target = MAX(bq->unraised, MAX(bq->target / 2, 1u));
	bq->hits = 0;
	return false;
}

/* A request taken while answers were held: a gap within a batch. */
static void took(struct blk_queue *bq, uint64_t now, bool in_batch)
{
	if (in_batch)
		bq->gap = (3 * bq->gap + (now - bq->last_take)) / 4;
	bq->last_take = now;
}

/*
 * Whether to look at the queue again in a tick rather than arm its
 * event index; raises what was answered now or leaves it to a later
 * pass.  held: answers held before this pass's.
 */
static bool poll_on(struct block_back *bb, struct blk_queue *bq,
		    unsigned int qi, int taken, bool idle, bool held)
{
	uint64_t now = now_ns();
	bool poll;

	if (taken) {
		bb->last_req = now;
		took(bq, now, held);
	}
	poll = idle && pvdev_may_poll(bb->dev) &&
	       now - bb->last_req < BLK_POLL_NS;
	if (!bq->unraised || (poll && hold_answers(bq, now)))
		return poll;
	raise_answers(bb->dev, bq, qi);
	return poll;
}

/* One batch of queue qi: <0 broken, 1 more left, 0 idle. */
static int queue_work(struct block_back *bb, unsigned int qi)
{
	struct pvdev *dev = bb->dev;
	struct pvdev_queue *q = &dev->q[qi];
	struct blk_queue *bq = &bb->q[qi];
	struct pvkit_blk_req req;
	int space, n = 0, taken = 0, ret;
	bool stalled = false, polling, held;

	if (bq->held_flush && !__atomic_load_n(&bq->writes, __ATOMIC_ACQUIRE)) {
		struct pvkit_blk_req flush = { .op = PVKIT_BLK_OP_FLUSH };

		submit(bb, bq->held_flush, &flush, now_ns());
		bq->held_flush = NULL;
	}
	while (!bq->held_flush && taken < BLK_INFLIGHT) {
		space = pvkit_ring_prod_space(&q->rsp, BLK_INFLIGHT);
		if (space < 0)
			return space;
		/* Room for every answer owed: a guest not reading stalls. */
		if (bq->used >= BLK_INFLIGHT || bq->used >= (unsigned int)space) {
			stalled = bq->used >= (unsigned int)space;
			break;
		}
		n = blkreq_ring_get(&q->req, &req, 1);
		if (n <= 0)
			break;
		if (!take(bb, bq, &req))
			return 0;
		taken++;
	}
	if (n < 0)
		return n;
	held = bq->unraised;
	ret = answer(dev, bq, qi);
	if (ret)
		return ret;
	if (pvkit_ring_cons_notify(&q->req))
		pvdev_raise(dev, qi);
	polling = poll_on(bb, bq, qi, taken, !bq->held_flush && !stalled,
			  held);
	if (bq->held_flush)
		return 0;	/* its writes' completions queue the work */
	if (taken == BLK_INFLIGHT)
		return 1;
	if (polling) {
		work_queue_at(&dev->work, now_ns() + BLK_POLL_TICK_NS);
		return 0;
	}
	/* The guest reads no answers: wait until it frees a slot. */
	if (stalled)
		return pvkit_ring_prod_arm(&q->rsp, bq->used + 1);
	return pvkit_ring_cons_arm(&q->req);
}

/* One pass over the queues; the storage hears of its batch once. */
static bool block_work(struct pvdev *dev)
{
	struct block_back *bb = dev->priv;
	bool more = false;

	storage_plug(bb->st);
	for (unsigned int qi = 0; qi < dev->nr_queues; qi++) {
		int r = queue_work(bb, qi);

		if (dev->state != PVKIT_DEV_STATE_CONNECTED)
			break;
		if (r < 0) {
			pvdev_broken(dev, "ring index out of range");
			break;
		}
		more |= r > 0;
	}
	storage_unplug(bb->st);
	return more && dev->state == PVKIT_DEV_STATE_CONNECTED;
}

/* Its own counters and where it ran, then the storage's. */
static void block_log(struct pvdev *dev)
{
	struct block_back *bb = dev->priv;

	pr_info("d%u %s: PV block %u: %llu requests, %llu rejected, backend on pCPU %u, %s",
		dev->dom->id, dev->dom->name, dev->instance,
		(unsigned long long)bb->requests,
		(unsigned long long)bb->rejected,
		dev->work.pc ? dev->work.pc->id : 0,
		dev->work.pc && pvdev_may_poll(dev) ?
			"polling" : "between guest entries");
	storage_log(bb->st);
}

const struct pv_backend pv_block_backend = {
	.name = "block",
	.dev_class = PVKIT_DEV_CLASS_BLOCK,
	.max_queues = BLK_QUEUES,
	.min_order = 2,
	.max_order = 8,
	.req_slot = sizeof(struct pvkit_blk_req),
	.rsp_slot = sizeof(struct pvkit_blk_rsp),
	.config_len = sizeof(struct pvkit_blk_config),
	.features = PVKIT_BLK_F_FLUSH | PVKIT_BLK_F_FUA | PVKIT_BLK_F_DISCARD |
		    PVKIT_BLK_F_WRITE_ZEROES | PVKIT_BLK_F_INDIRECT |
		    PVKIT_BLK_F_MQ,
	.create = block_create,
	.config = block_config,
	.connect = block_connect,
	.disconnect = block_disconnect,
	.work = block_work,
	.log = block_log,
};
