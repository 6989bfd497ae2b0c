// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit_blk.ko's request path: blk-mq requests into ring slots (inline
 * or indirect segments) published in batches, the responses checked and
 * completed from the port's interrupt, and the disk failed, once, when
 * the backend breaks the protocol, stops the device or lets a request
 * time out.  Probe, configuration, sysfs and the module are in blk.c,
 * whose header comment has the whole design.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "pvkit_blk.h"

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
void pvblk_teardown(struct pvblk *b)
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

void pvblk_abort_work(struct work_struct *work)
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
void pvblk_broken(struct pvblk *b, const char *why)
{
	atomic64_inc(&b->st.violations);
	if (pvblk_mark_broken(b, why))
		schedule_work(&b->abort_work);
}

/* Asked by an interrupt that brought no response: did the backend stop? */
void pvblk_state_work(struct work_struct *work)
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
irqreturn_t pvblk_interrupt(int irq, void *data)
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

const struct blk_mq_ops pvblk_mq_ops = {
	.queue_rq = pvblk_queue_rq,
	.commit_rqs = pvblk_commit_rqs,
	.complete = pvblk_complete,
	.timeout = pvblk_timeout,
	.init_hctx = pvblk_init_hctx,
	.init_request = pvblk_init_request,
	.exit_request = pvblk_exit_request,
};
