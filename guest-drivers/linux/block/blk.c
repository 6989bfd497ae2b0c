// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit_blk.ko: the PV block device (pvkit/io/block.h) as a blk-mq disk,
 * /dev/pvkitblkN (partitions pvkitblkNpM).
 *
 * One hardware queue per ring queue (as many as the backend offers, up
 * to the number of CPUs), each as deep as its ring, so a request always
 * finds a free req slot: the tag is the request id.  Requests go out in
 * batches: queue_rq fills slots and only the last of a batch (bd->last,
 * or commit_rqs) publishes and notifies, and then only if the backend
 * asked to be (the ring's event index).  Completions come on the port's
 * interrupt.
 *
 * Every response is a private copy checked before it is believed: an id
 * that is no request in flight, an op that is not the request's, a
 * status the protocol has no name for, nonzero padding, a producer index
 * out of range or announcing more responses than there are requests
 * outstanding is the backend breaking the protocol.  So is a backend that
 * stops the device (BROKEN, seen when an interrupt brings no response)
 * and a request that times out.  The disk then fails, once, with one
 * error line: the rings are disconnected first (so the backend can no
 * longer touch a request's pages), then every request still in flight
 * ends with an I/O error, and so does every later one, at once.  The
 * driver stays bound with its disk ("health" says broken) until it is
 * unbound or unloaded; binding again connects afresh.  Unbinding a
 * healthy disk lets its requests finish first (del_gendisk waits for
 * them).
 *
 * debugfs (pvkit_blk/<disk>/fault) lets a test play the hostile backend:
 * see fault.c.
 *
 * Online resize: the core calls config_changed when the backend says the
 * configuration changed (ABI 1.5).  The new one is checked as at probe
 * and against what probe took (only the capacity may change), then
 * set_capacity_and_notify() moves the disk's size and sends the
 * "RESIZE=1" uevent.  A shrink below what is in use is the block
 * layer's to handle, as for virtio_blk: I/O past the new end fails.
 *
 * A write cache is announced only with FLUSH accepted, so a disk without
 * FLUSH is written through and the block layer never issues a flush
 * that would have to be dropped; FUA without the feature is emulated by
 * the block layer with a flush after the write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "pvkit_blk.h"

static bool indirect = true;
module_param(indirect, bool, 0444);
MODULE_PARM_DESC(indirect, "use indirect segment pages (PVKIT_BLK_F_INDIRECT)");

static unsigned int max_queues;
module_param(max_queues, uint, 0444);
MODULE_PARM_DESC(max_queues, "at most this many queues (0: one per CPU)");

static int pvblk_major;
static DEFINE_IDA(pvblk_ida);

/* ---- failing ------------------------------------------------------------ */

static bool fail_one(struct request *rq, void *data)
{
	struct pvblk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	unsigned int *n = data;

	if (!atomic_xchg(&cmd->inflight, 0))
		return true;
	cmd->status = BLK_STS_IOERR;
	blk_mq_complete_request(rq);
	(*n)++;
	return true;
}

/*
 * Stops every path into the rings, disconnects and fails what is still
 * in flight, in that order: once disconnected the backend cannot write
 * into the pages of a request that is ended here.  Idempotent; process
 * context.
 */
static void pvblk_teardown(struct pvblk *b)
{
	unsigned int i, failed = 0;
	unsigned long flags;

	mutex_lock(&b->teardown_lock);
	if (b->torn_down)
		goto unlock;
	for (i = 0; i < b->nr_queues; i++) {
		struct pvblk_queue *bq = &b->queues[i];

		spin_lock_irqsave(&bq->req_lock, flags);
		bq->dead = true;
		spin_unlock_irqrestore(&bq->req_lock, flags);
		if (bq->irq)
			free_irq(bq->q->irq, bq);
		bq->irq = false;
	}
	pvkit_dev_disconnect(b->dev);
	blk_mq_tagset_busy_iter(&b->set, fail_one, &failed);
	atomic64_add(failed, &b->st.errors);
	if (failed)
		dev_warn(&b->dev->dev, "%u requests in flight failed\n",
			 failed);
	b->torn_down = true;
unlock:
	mutex_unlock(&b->teardown_lock);
}

static void pvblk_abort_work(struct work_struct *work)
{
	struct pvblk *b = container_of(work, struct pvblk, abort_work);

	pvblk_teardown(b);
}

/* Marks the disk failed, once, with its one line; any context. */
static bool pvblk_mark_broken(struct pvblk *b, const char *why)
{
	if (atomic_xchg(&b->broken, 1))
		return false;
	dev_err(&b->dev->dev, "%s: disk failed, its requests end with I/O errors\n",
		why);
	return true;
}

/* The backend broke the protocol: any context. */
static void pvblk_broken(struct pvblk *b, const char *why)
{
	atomic64_inc(&b->st.violations);
	if (pvblk_mark_broken(b, why))
		schedule_work(&b->abort_work);
}

/* Asked by an interrupt that brought no response: did the backend stop? */
static void pvblk_state_work(struct work_struct *work)
{
	struct pvblk *b = container_of(work, struct pvblk, state_work);

	atomic64_inc(&b->st.state_checks);
	if (pvkit_dev_state(b->dev) != PVKIT_DEV_STATE_BROKEN)
		return;
	atomic64_inc(&b->st.violations);
	pvblk_mark_broken(b, "backend stopped the device (state broken)");
	pvblk_teardown(b);
}

/*
 * A request the backend took and never answered.  Waiting longer would
 * hang whoever waits for it (del_gendisk included), so the disk fails.
 */
static enum blk_eh_timer_return pvblk_timeout(struct request *rq)
{
	struct pvblk_queue *bq = rq->mq_hctx->driver_data;
	struct pvblk *b = bq->b;

	atomic64_inc(&b->st.timeouts);
	pvblk_mark_broken(b, "request timed out");
	pvblk_teardown(b);
	return BLK_EH_DONE;
}

/* ---- submission --------------------------------------------------------- */

static void pvblk_kick(struct pvblk_queue *bq)
{
	if (pvkit_ring_prod_publish_notify(&bq->q->req)) {
		atomic64_inc(&bq->b->st.notifications);
		pvkit_queue_notify(bq->q);
	}
}

/* The data segments of a READ/WRITE: 0 or a status for the request. */
static blk_status_t map_data(struct pvblk *b, struct request *rq,
			     struct pvkit_blk_req *req)
{
	struct pvblk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct pvkit_blk_seg *seg = req->seg;
	struct scatterlist *sg;
	int n, i;

	sg_init_table(cmd->sg, b->max_segs);
	n = blk_rq_map_sg(rq->q, rq, cmd->sg);
	if (n <= 0 || n > b->max_segs)
		return BLK_STS_IOERR;
	if (n > PVKIT_BLK_INLINE_SEGS) {
		seg = cmd->ind;
		req->indirect_gpa = virt_to_phys(cmd->ind);
	}
	for_each_sg(cmd->sg, sg, n, i) {
		u64 gpa = sg_phys(sg);

		/* The limits make these hold; the backend would refuse. */
		if ((gpa % 512) || (sg->length % 512) || !sg->length ||
		    (gpa & (PAGE_SIZE - 1)) + sg->length > PAGE_SIZE)
			return BLK_STS_IOERR;
		seg[i].gpa = gpa;
		seg[i].len = sg->length;
		seg[i].pad = 0;
	}
	req->nr_segs = n;
	atomic64_add(n, &b->st.segments);
	if (n > PVKIT_BLK_INLINE_SEGS)
		atomic64_inc(&b->st.indirect);
	return BLK_STS_OK;
}

static blk_status_t build_req(struct pvblk *b, struct request *rq,
			      struct pvkit_blk_req *req)
{
	memset(req, 0, sizeof(*req));
	req->id = rq->tag;
	switch (req_op(rq)) {
	case REQ_OP_READ:
		req->op = PVKIT_BLK_OP_READ;
		break;
	case REQ_OP_WRITE:
		req->op = PVKIT_BLK_OP_WRITE;
		if ((rq->cmd_flags & REQ_FUA) &&
		    (b->dev->accepted & PVKIT_BLK_F_FUA))
			req->flags = PVKIT_BLK_REQ_FUA;
		break;
	case REQ_OP_FLUSH:
		req->op = PVKIT_BLK_OP_FLUSH;
		atomic64_inc(&b->st.flushes);
		return BLK_STS_OK;
	case REQ_OP_DISCARD:
		req->op = PVKIT_BLK_OP_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		req->op = PVKIT_BLK_OP_WRITE_ZEROES;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	req->sector = blk_rq_pos(rq);
	req->nr_sectors = blk_rq_sectors(rq);
	if (req->op == PVKIT_BLK_OP_READ || req->op == PVKIT_BLK_OP_WRITE)
		return map_data(b, rq, req);
	return BLK_STS_OK;
}

static blk_status_t pvblk_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	struct pvblk_queue *bq = hctx->driver_data;
	struct pvblk *b = bq->b;
	struct request *rq = bd->rq;
	struct pvblk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	struct pvkit_blk_req req;
	blk_status_t sts;
	unsigned long flags;
	int space;

	/* A failed disk fails at once, without touching its rings. */
	sts = atomic_read(&b->broken) ? BLK_STS_IOERR : build_req(b, rq, &req);
	if (sts)
		goto error;
	fault_req(b, &req);
	blk_mq_start_request(rq);
	cmd->op = req.op;
	cmd->status = BLK_STS_OK;
	spin_lock_irqsave(&bq->req_lock, flags);
	if (bq->dead) {
		spin_unlock_irqrestore(&bq->req_lock, flags);
		sts = BLK_STS_IOERR;
		goto error;
	}
	space = pvkit_ring_prod_space(&bq->q->req, 1);
	if (space <= 0) {
		/* Depth = ring size: only a backend that broke the ring. */
		spin_unlock_irqrestore(&bq->req_lock, flags);
		pvblk_broken(b, space ? "request ring index out of range" :
			     "request ring full with every tag free");
		sts = BLK_STS_IOERR;
		goto error;
	}
	/* Counted before the backend can see it: see drain_rsp(). */
	atomic_inc(&bq->outstanding);
	atomic_set(&cmd->inflight, 1);
	blkreq_ring_put(&bq->q->req, &req, 1);
	atomic64_inc(&b->st.requests);
	if (bd->last)
		pvblk_kick(bq);
	spin_unlock_irqrestore(&bq->req_lock, flags);
	return BLK_STS_OK;

error:
	atomic64_inc(&b->st.errors);
	return sts;
}

static void pvblk_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct pvblk_queue *bq = hctx->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&bq->req_lock, flags);
	if (!bq->dead)
		pvblk_kick(bq);
	spin_unlock_irqrestore(&bq->req_lock, flags);
}

static void pvblk_complete(struct request *rq)
{
	struct pvblk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	blk_mq_end_request(rq, cmd->status);
}

/* ---- completion --------------------------------------------------------- */

/* What is wrong with a response for cmd, or NULL. */
static const char *rsp_check(const struct pvkit_blk_rsp *rsp,
			     struct pvblk_cmd *cmd)
{
	if (!atomic_read(&cmd->inflight))
		return "backend broke the protocol: response for a request not in flight";
	if (rsp->op != cmd->op)
		return "backend broke the protocol: response op is not the request's";
	if (rsp->pad || rsp->pad2)
		return "backend broke the protocol: nonzero response padding";
	if (rsp->status > PVKIT_BLK_S_UNSUPPORTED)
		return "backend broke the protocol: unknown response status";
	return NULL;
}

/*
 * One response: false when the backend broke the protocol.  A request
 * a bad response names stays in flight: the teardown fails it once the
 * rings are disconnected.
 */
static bool take_rsp(struct pvblk_queue *bq, const struct pvkit_blk_rsp *rsp)
{
	struct pvblk *b = bq->b;
	struct request *rq = NULL;
	struct pvblk_cmd *cmd;
	const char *bad;

	if (rsp->id < b->depth)
		rq = blk_mq_tag_to_rq(b->set.tags[bq->q->index], rsp->id);
	if (!rq) {
		pvblk_broken(b, "backend broke the protocol: response for an unknown request id");
		return false;
	}
	cmd = blk_mq_rq_to_pdu(rq);
	bad = rsp_check(rsp, cmd);
	/* Only the teardown also takes requests, after freeing this irq. */
	if (bad || !atomic_xchg(&cmd->inflight, 0)) {
		pvblk_broken(b, bad ?: "response raced the teardown");
		return false;
	}
	atomic_dec(&bq->outstanding);
	if (rsp->status == PVKIT_BLK_S_IOERR)
		cmd->status = BLK_STS_IOERR;
	else if (rsp->status == PVKIT_BLK_S_UNSUPPORTED)
		cmd->status = BLK_STS_NOTSUPP;
	if (cmd->status)
		atomic64_inc(&b->st.errors);
	blk_mq_complete_request(rq);
	return true;
}

/*
 * Responses waiting, checked against the requests outstanding: each
 * request gets one response, so a producer index announcing more is
 * the backend lying, even where the ring would allow it.
 */
static int rsp_avail(struct pvblk_queue *bq)
{
	int n = pvkit_ring_cons_avail(&bq->q->rsp);

	if (n < 0) {
		pvblk_broken(bq->b, "backend broke the protocol: response ring index out of range");
		return -1;
	}
	if (n > atomic_read(&bq->outstanding)) {
		pvblk_broken(bq->b, "backend broke the protocol: more responses than requests");
		return -1;
	}
	return n;
}

/* Every response waiting, then arms; the number taken, or -1 if broken. */
static int drain_rsp(struct pvblk_queue *bq)
{
	struct pvkit_blk_rsp rsp[PVBLK_RSP_BATCH];
	struct pvkit_ring *r = &bq->q->rsp;
	int n, i, taken = 0;

	fault_rsp(bq);
	for (;;) {
		n = rsp_avail(bq);
		if (n < 0)
			return -1;
		n = blkrsp_ring_get(r, rsp, min(n, PVBLK_RSP_BATCH));
		if (n < 0)
			goto broken;
		for (i = 0; i < n; i++)
			if (!take_rsp(bq, &rsp[i]))
				return -1;
		taken += n;
		if (n)
			continue;
		n = pvkit_ring_cons_arm(r);
		if (n < 0)
			goto broken;
		if (!n)
			break;
	}
	/* The backend waits for room when it has answers to publish. */
	if (pvkit_ring_cons_notify(r)) {
		atomic64_inc(&bq->b->st.notifications);
		pvkit_queue_notify(bq->q);
	}
	return taken;
broken:
	pvblk_broken(bq->b, "backend broke the protocol: response ring index out of range");
	return -1;
}

/*
 * A backend that stops the device raises every port and answers no
 * more: an interrupt that brings nothing asks the device's state, from
 * process context.  Interrupts for responses an earlier pass already
 * took look the same; they are rare (the state_checks counter).
 */
static irqreturn_t pvblk_interrupt(int irq, void *data)
{
	struct pvblk_queue *bq = data;
	unsigned long flags;
	int taken = -1;

	atomic64_inc(&bq->b->st.interrupts);
	spin_lock_irqsave(&bq->rsp_lock, flags);
	if (!READ_ONCE(bq->dead) && !atomic_read(&bq->b->broken))
		taken = drain_rsp(bq);
	spin_unlock_irqrestore(&bq->rsp_lock, flags);
	if (!taken)
		schedule_work(&bq->b->state_work);
	return IRQ_HANDLED;
}

/* ---- blk-mq ------------------------------------------------------------- */

static int pvblk_init_hctx(struct blk_mq_hw_ctx *hctx, void *data,
			   unsigned int idx)
{
	struct pvblk *b = data;

	hctx->driver_data = &b->queues[idx];
	return 0;
}

static int pvblk_init_request(struct blk_mq_tag_set *set, struct request *rq,
			      unsigned int hctx_idx, unsigned int numa_node)
{
	struct pvblk *b = set->driver_data;
	struct pvblk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	atomic_set(&cmd->inflight, 0);
	cmd->ind = NULL;
	if (!b->use_indirect)
		return 0;
	cmd->ind = (void *)get_zeroed_page(GFP_KERNEL);
	return cmd->ind ? 0 : -ENOMEM;
}

static void pvblk_exit_request(struct blk_mq_tag_set *set, struct request *rq,
			       unsigned int hctx_idx)
{
	struct pvblk_cmd *cmd = blk_mq_rq_to_pdu(rq);

	free_page((unsigned long)cmd->ind);
	cmd->ind = NULL;
}

static const struct blk_mq_ops pvblk_mq_ops = {
	.queue_rq = pvblk_queue_rq,
	.commit_rqs = pvblk_commit_rqs,
	.complete = pvblk_complete,
	.timeout = pvblk_timeout,
	.init_hctx = pvblk_init_hctx,
	.init_request = pvblk_init_request,
	.exit_request = pvblk_exit_request,
};

static const struct block_device_operations pvblk_fops = {
	.owner = THIS_MODULE,
};

/* ---- probe and remove --------------------------------------------------- */

/* The backend's word, checked before anything is sized by it. */
static int config_fetch(struct pvblk *b, struct pvkit_blk_config *c)
{
	int rc = pvkit_dev_config(b->dev, c, sizeof(*c));

	if (rc < 0)
		return rc;
	if (rc != sizeof(*c) || c->pad || !c->capacity ||
	    c->capacity > (S64_MAX >> SECTOR_SHIFT) ||
	    c->logical_block < 512 || c->logical_block > PAGE_SIZE ||
	    !is_power_of_2(c->logical_block) ||
	    c->physical_block < c->logical_block ||
	    !is_power_of_2(c->physical_block) || !c->max_segs ||
	    c->max_req_bytes < PAGE_SIZE || c->queues != b->dev->max_queues ||
	    c->capacity % (c->logical_block / 512))
		return -EINVAL;
	return 0;
}

static int config_read(struct pvblk *b)
{
	int rc = config_fetch(b, &b->cfg);

	if (rc == -EINVAL)
		dev_err(&b->dev->dev, "bad configuration\n");
	return rc;
}

/* Whether c differs from what probe took in more than the capacity. */
static bool config_moved(const struct pvblk *b, const struct pvkit_blk_config *c)
{
	struct pvkit_blk_config was = b->cfg;

	was.capacity = c->capacity;
	return memcmp(&was, c, sizeof(was));
}

/*
 * Under the device lock: probe has finished (and succeeded, or there is
 * no drvdata) and remove has not started.  A configuration that fails
 * the checks, or moves more than the capacity, is the backend breaking
 * the protocol.
 */
static void pvblk_config_changed(struct pvkit_device *dev)
{
	struct pvblk *b = dev_get_drvdata(&dev->dev);
	struct pvkit_blk_config c;
	int rc;

	if (!b || !b->disk || atomic_read(&b->broken))
		return;
	rc = config_fetch(b, &c);
	if (rc == -EINVAL || (!rc && config_moved(b, &c))) {
		pvblk_broken(b, "backend broke the protocol: bad configuration change");
		return;
	}
	if (rc) {
		dev_warn(&dev->dev, "configuration not read: %d\n", rc);
		return;
	}
	if (c.capacity == b->cfg.capacity)
		return;
	b->cfg.capacity = c.capacity;
	atomic64_inc(&b->st.resizes);
	set_capacity_and_notify(b->disk, c.capacity);
}

static u64 features_wanted(struct pvblk *b)
{
	u64 f = PVKIT_BLK_F_FLUSH | PVKIT_BLK_F_FUA | PVKIT_BLK_F_MQ;

	if (indirect && b->cfg.max_segs > PVKIT_BLK_INLINE_SEGS)
		f |= PVKIT_BLK_F_INDIRECT;
	if (b->cfg.max_discard_sectors)
		f |= PVKIT_BLK_F_DISCARD | PVKIT_BLK_F_WRITE_ZEROES;
	return f & b->dev->features;
}

static int pvblk_connect(struct pvblk *b)
{
	struct pvkit_device *dev = b->dev;
	struct pvkit_connect_params p = {
		.req_slot = sizeof(struct pvkit_blk_req),
		.rsp_slot = sizeof(struct pvkit_blk_rsp),
		.features = features_wanted(b),
	};
	unsigned int nq = min_t(unsigned int, dev->max_queues,
				num_online_cpus());

	if (max_queues)
		nq = min(nq, max_queues);
	if (!(dev->features & PVKIT_BLK_F_MQ))
		nq = 1;
	if (nq == 1)
		p.features &= ~PVKIT_BLK_F_MQ;
	p.nr_queues = nq;
	p.order = clamp_t(u32, PVBLK_MAX_ORDER, dev->min_order,
			  dev->max_order);
	if ((1u << p.order) > PVKIT_BLK_MAX_INFLIGHT)
		return -EINVAL;
	b->nr_queues = nq;
	b->depth = 1u << p.order;
	b->use_indirect = p.features & PVKIT_BLK_F_INDIRECT;
	b->max_segs = min_t(u32, b->cfg.max_segs, b->use_indirect ?
			    PVKIT_BLK_INDIRECT_SEGS : PVKIT_BLK_INLINE_SEGS);
	return pvkit_dev_connect(dev, &p);
}

static int pvblk_irqs(struct pvblk *b)
{
	unsigned int i;
	int rc;

	for (i = 0; i < b->nr_queues; i++) {
		struct pvblk_queue *bq = &b->queues[i];

		bq->b = b;
		bq->q = &b->dev->queues[i];
		spin_lock_init(&bq->req_lock);
		spin_lock_init(&bq->rsp_lock);
		snprintf(bq->name, sizeof(bq->name), "pvkitblk%d-q%u",
			 b->index, i);
	}
	for (i = 0; i < b->nr_queues; i++) {
		struct pvblk_queue *bq = &b->queues[i];

		rc = request_irq(bq->q->irq, pvblk_interrupt, 0, bq->name,
				 bq);
		if (rc)
			return rc;
		bq->irq = true;
	}
	return 0;
}

/*
 * Each queue's completions go to the CPUs that submit on it, as the tag
 * set mapped them.  Best effort: where the port cannot move it stays on
 * vCPU 0, which only costs an IPI per completion.
 */
static void pvblk_irq_affinity(struct pvblk *b)
{
	const unsigned int *map = b->set.map[HCTX_TYPE_DEFAULT].mq_map;
	cpumask_var_t mask;
	unsigned int i, cpu;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return;
	for (i = 0; i < b->nr_queues; i++) {
		cpumask_clear(mask);
		for_each_possible_cpu(cpu)
			if (map[cpu] == i)
				cpumask_set_cpu(cpu, mask);
		irq_set_affinity(b->queues[i].q->irq, mask);
	}
	free_cpumask_var(mask);
}

static int pvblk_tag_set(struct pvblk *b)
{
	struct blk_mq_tag_set *set = &b->set;

	set->ops = &pvblk_mq_ops;
	set->nr_hw_queues = b->nr_queues;
	set->queue_depth = b->depth;
	set->numa_node = NUMA_NO_NODE;
	set->cmd_size = sizeof(struct pvblk_cmd) +
			b->max_segs * sizeof(struct scatterlist);
	set->flags = BLK_MQ_F_SHOULD_MERGE;
	set->driver_data = b;
	return blk_mq_alloc_tag_set(set);
}

static void pvblk_limits(struct pvblk *b, struct request_queue *q)
{
	struct pvkit_blk_config *c = &b->cfg;
	u64 accepted = b->dev->accepted;
	u32 bytes = min_t(u32, c->max_req_bytes, b->max_segs * PAGE_SIZE);

	blk_queue_logical_block_size(q, c->logical_block);
	blk_queue_physical_block_size(q, c->physical_block);
	blk_queue_io_min(q, c->physical_block);
	/* A segment is at most a page, in one page, 512-byte aligned. */
	blk_queue_max_segments(q, b->max_segs);
	blk_queue_max_segment_size(q, PAGE_SIZE);
	blk_queue_segment_boundary(q, PAGE_SIZE - 1);
	blk_queue_dma_alignment(q, 511);
	blk_queue_max_hw_sectors(q, bytes >> 9);
	blk_queue_write_cache(q, accepted & PVKIT_BLK_F_FLUSH,
			      (accepted & PVKIT_BLK_F_FLUSH) &&
			      (accepted & PVKIT_BLK_F_FUA));
	if (accepted & PVKIT_BLK_F_DISCARD) {
		q->limits.discard_granularity = c->physical_block;
		blk_queue_max_discard_sectors(q, c->max_discard_sectors);
	}
	if (accepted & PVKIT_BLK_F_WRITE_ZEROES)
		blk_queue_max_write_zeroes_sectors(q, c->max_discard_sectors);
}

static int pvblk_disk(struct pvblk *b)
{
	struct gendisk *disk;
	int rc;

	disk = blk_mq_alloc_disk(&b->set, b);
	if (IS_ERR(disk))
		return PTR_ERR(disk);
	disk->major = pvblk_major;
	disk->first_minor = b->index * PVBLK_MINORS;
	disk->minors = PVBLK_MINORS;
	disk->fops = &pvblk_fops;
	disk->private_data = b;
	snprintf(disk->disk_name, DISK_NAME_LEN, "pvkitblk%d", b->index);
	pvblk_limits(b, disk->queue);
	set_capacity(disk, b->cfg.capacity);
	if (b->dev->features & PVKIT_BLK_F_READ_ONLY)
		set_disk_ro(disk, true);
	rc = device_add_disk(&b->dev->dev, disk, NULL);
	if (rc) {
		put_disk(disk);
		return rc;
	}
	b->disk = disk;
	return 0;
}

static int pvblk_probe(struct pvkit_device *dev)
{
	struct pvblk *b;
	int rc;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->dev = dev;
	mutex_init(&b->teardown_lock);
	INIT_WORK(&b->abort_work, pvblk_abort_work);
	INIT_WORK(&b->state_work, pvblk_state_work);
	b->index = ida_alloc_max(&pvblk_ida, (1 << MINORBITS) / PVBLK_MINORS - 1,
				 GFP_KERNEL);
	if (b->index < 0) {
		rc = b->index;
		goto free;
	}
	rc = config_read(b);
	if (rc)
		goto ida;
	rc = pvblk_connect(b);
	if (rc)
		goto ida;
	b->queues = kcalloc(b->nr_queues, sizeof(*b->queues), GFP_KERNEL);
	rc = -ENOMEM;
	if (!b->queues)
		goto disconnect;
	/* Tags first: an early response finds them, not a NULL. */
	rc = pvblk_tag_set(b);
	if (rc)
		goto queues;
	rc = pvblk_irqs(b);
	if (rc)
		goto tags;
	/* Each queue's port on its CPUs: the map needs the tag set. */
	pvblk_irq_affinity(b);
	dev_set_drvdata(&dev->dev, b);
	rc = pvblk_disk(b);
	if (rc)
		goto tags;
	pvblk_debugfs_add(b);
	dev_info(&dev->dev, "%s: %llu sectors, %u queues of %u, %u segments, features %#llx\n",
		 b->disk->disk_name, b->cfg.capacity, b->nr_queues, b->depth,
		 b->max_segs, dev->accepted);
	return 0;

tags:
	dev_set_drvdata(&dev->dev, NULL);
	pvblk_teardown(b);
	/* The interrupts are gone: nothing queues these again. */
	cancel_work_sync(&b->state_work);
	cancel_work_sync(&b->abort_work);
	blk_mq_free_tag_set(&b->set);
queues:
	kfree(b->queues);
disconnect:
	pvkit_dev_disconnect(dev);
ida:
	ida_free(&pvblk_ida, b->index);
free:
	kfree(b);
	return rc;
}

static void pvblk_remove(struct pvkit_device *dev)
{
	struct pvblk *b = dev_get_drvdata(&dev->dev);

	debugfs_remove_recursive(b->dbg);
	/*
	 * A healthy disk finishes its requests here; a broken one has them
	 * failed by the abort work or the state work, one the backend never
	 * answers by the timeout; del_gendisk waits for them.
	 */
	del_gendisk(b->disk);
	pvblk_teardown(b);
	cancel_work_sync(&b->state_work);
	cancel_work_sync(&b->abort_work);
	put_disk(b->disk);
	blk_mq_free_tag_set(&b->set);
	kfree(b->queues);
	ida_free(&pvblk_ida, b->index);
	kfree(b);
}

/* ---- sysfs, beside the core's attributes -------------------------------- */

static ssize_t counters_show(struct device *d, struct device_attribute *a,
			     char *buf)
{
	struct pvblk *b = dev_get_drvdata(d);
	struct pvblk_stats *s;

	if (!b)
		return -ENODEV;
	s = &b->st;
	return sysfs_emit(buf,
			  "requests %lld\nsegments %lld\nindirect %lld\nflushes %lld\nnotifications %lld\ninterrupts %lld\nerrors %lld\nviolations %lld\ntimeouts %lld\nstate_checks %lld\nresizes %lld\n",
			  atomic64_read(&s->requests),
			  atomic64_read(&s->segments),
			  atomic64_read(&s->indirect),
			  atomic64_read(&s->flushes),
			  atomic64_read(&s->notifications),
			  atomic64_read(&s->interrupts),
			  atomic64_read(&s->errors),
			  atomic64_read(&s->violations),
			  atomic64_read(&s->timeouts),
			  atomic64_read(&s->state_checks),
			  atomic64_read(&s->resizes));
}
static DEVICE_ATTR_RO(counters);

/* "ok", or "broken" once the disk failed (until unbound). */
static ssize_t health_show(struct device *d, struct device_attribute *a,
			   char *buf)
{
	struct pvblk *b = dev_get_drvdata(d);

	if (!b)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n",
			  atomic_read(&b->broken) ? "broken" : "ok");
}
static DEVICE_ATTR_RO(health);

static ssize_t disk_show(struct device *d, struct device_attribute *a,
			 char *buf)
{
	struct pvblk *b = dev_get_drvdata(d);

	if (!b || !b->disk)
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", b->disk->disk_name);
}
static DEVICE_ATTR_RO(disk);

static ssize_t queues_show(struct device *d, struct device_attribute *a,
			   char *buf)
{
	struct pvblk *b = dev_get_drvdata(d);

	if (!b)
		return -ENODEV;
	return sysfs_emit(buf, "%u %u %u\n", b->nr_queues, b->depth,
			  b->max_segs);
}
static DEVICE_ATTR_RO(queues);

static struct attribute *pvblk_attrs[] = {
	&dev_attr_counters.attr,
	&dev_attr_disk.attr,
	&dev_attr_health.attr,
	&dev_attr_queues.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pvblk);

static struct pvkit_driver pvblk_driver = {
	.driver = {
		.name = "pvkit_blk",
		.dev_groups = pvblk_groups,
	},
	.dev_class = PVKIT_DEV_CLASS_BLOCK,
	.probe = pvblk_probe,
	.remove = pvblk_remove,
	.config_changed = pvblk_config_changed,
};

static int __init pvblk_init(void)
{
	int rc;

	pvblk_major = register_blkdev(0, "pvkitblk");
	if (pvblk_major < 0)
		return pvblk_major;
	pvblk_debugfs_init();
	rc = pvkit_driver_register(&pvblk_driver);
	if (rc) {
		pvblk_debugfs_exit();
		unregister_blkdev(pvblk_major, "pvkitblk");
	}
	return rc;
}
module_init(pvblk_init);

static void __exit pvblk_exit(void)
{
	pvkit_driver_unregister(&pvblk_driver);
	pvblk_debugfs_exit();
	unregister_blkdev(pvblk_major, "pvkitblk");
}
module_exit(pvblk_exit);

MODULE_ALIAS("pvkit:block");
MODULE_DESCRIPTION("pvkit PV block device (blk-mq)");
MODULE_LICENSE("GPL");
