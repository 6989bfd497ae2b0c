// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit_blk.ko's fault injection: debugfs pvkit_blk/<disk>/fault.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "pvkit_blk.h"

/*
 * /sys/kernel/debug/pvkit_blk/<disk>/fault: a name written there arms
 * one fault, which the next response (or request) carries.  A response
 * fault is written into the shared response ring in place, after the
 * backend published the slot and before this driver copies it out:
 * exactly what a hostile backend can do, so the checks that catch it
 * are the real ones.  Reading the file says what is armed.  Root only,
 * as debugfs is; it costs an atomic read per interrupt and request.
 */
enum pvblk_fault {
	FAULT_NONE,
	FAULT_RSP_ID,		/* an id no request has */
	FAULT_RSP_STALE,	/* the id of a request not in flight */
	FAULT_RSP_OP,		/* another op than the request's */
	FAULT_RSP_STATUS,	/* a status the protocol has no name for */
	FAULT_RSP_PAD,		/* nonzero padding */
	FAULT_RSP_PROD,		/* more responses than requests outstanding */
	FAULT_RSP_RANGE,	/* a producer index past the ring */
	FAULT_RSP_HIDE,		/* the response withheld: never answered */
	FAULT_REQ_SEGS,		/* a request with too many segments */
};

static const char *const fault_names[] = {
	[FAULT_NONE] = "none",
	[FAULT_RSP_ID] = "id",
	[FAULT_RSP_STALE] = "stale",
	[FAULT_RSP_OP] = "op",
	[FAULT_RSP_STATUS] = "status",
	[FAULT_RSP_PAD] = "pad",
	[FAULT_RSP_PROD] = "prod",
	[FAULT_RSP_RANGE] = "range",
	[FAULT_RSP_HIDE] = "hide",
	[FAULT_REQ_SEGS] = "req-segs",
};

/* Takes the armed fault if it is f. */
static bool fault_take(struct pvblk *b, int f)
{
	return atomic_cmpxchg(&b->fault, f, FAULT_NONE) == f;
}

/* A tag of this queue that was used and is not in flight now. */
static u64 idle_tag(struct pvblk_queue *bq, u64 busy)
{
	struct blk_mq_tags *tags = bq->b->set.tags[bq->q->index];
	unsigned int t;

	for (t = 0; t < bq->b->depth; t++) {
		struct request *rq = blk_mq_tag_to_rq(tags, t);
		struct pvblk_cmd *cmd;

		if (t == busy || !rq)
			continue;
		cmd = blk_mq_rq_to_pdu(rq);
		if (!atomic_read(&cmd->inflight))
			return t;
	}
	return bq->b->depth;
}

/* Spoils the next published response in place (rsp_lock held). */
void fault_rsp(struct pvblk_queue *bq)
{
	struct pvblk *b = bq->b;
	struct pvkit_ring *r = &bq->q->rsp;
	struct pvkit_blk_rsp *slot = pvkit_ring_slot(r, r->idx);
	int f = atomic_read(&b->fault);

	if (f == FAULT_NONE || f == FAULT_REQ_SEGS)
		return;
	if (READ_ONCE(r->hdr->prod) == r->idx || !fault_take(b, f))
		return;
	switch (f) {
	case FAULT_RSP_ID:
		WRITE_ONCE(slot->id, b->depth + 1000);
		break;
	case FAULT_RSP_STALE:
		WRITE_ONCE(slot->id, idle_tag(bq, slot->id));
		break;
	case FAULT_RSP_OP:
		WRITE_ONCE(slot->op,
			   (slot->op + 1) % (PVKIT_BLK_OP_WRITE_ZEROES + 1));
		break;
	case FAULT_RSP_STATUS:
		WRITE_ONCE(slot->status, 0x7777);
		break;
	case FAULT_RSP_PAD:
		WRITE_ONCE(slot->pad2, 1);
		break;
	case FAULT_RSP_PROD:
		WRITE_ONCE(r->hdr->prod,
			   r->idx + atomic_read(&bq->outstanding) + 1);
		break;
	case FAULT_RSP_RANGE:
		WRITE_ONCE(r->hdr->prod, r->idx + r->size + 1);
		break;
	case FAULT_RSP_HIDE:
		WRITE_ONCE(r->hdr->prod, r->idx);
		break;
	}
}

void fault_req(struct pvblk *b, struct pvkit_blk_req *req)
{
	if (unlikely(atomic_read(&b->fault) == FAULT_REQ_SEGS) &&
	    fault_take(b, FAULT_REQ_SEGS))
		req->nr_segs = U16_MAX;
}

static ssize_t fault_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct pvblk *b = file->private_data;
	char buf[16];
	int f;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	f = sysfs_match_string(fault_names, buf);
	if (f < 0)
		return f;
	atomic_set(&b->fault, f);
	return len;
}

static ssize_t fault_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	struct pvblk *b = file->private_data;
	int f = atomic_read(&b->fault);
	char buf[16];
	int n;

	n = scnprintf(buf, sizeof(buf), "%s\n",
		      f < ARRAY_SIZE(fault_names) ? fault_names[f] : "?");
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fault_read,
	.write = fault_write,
	.llseek = default_llseek,
};

static struct dentry *pvblk_debugfs;

void pvblk_debugfs_init(void)
{
	pvblk_debugfs = debugfs_create_dir("pvkit_blk", NULL);
}

void pvblk_debugfs_exit(void)
{
	debugfs_remove_recursive(pvblk_debugfs);
}

void pvblk_debugfs_add(struct pvblk *b)
{
	b->dbg = debugfs_create_dir(b->disk->disk_name, pvblk_debugfs);
	debugfs_create_file("fault", 0600, b->dbg, b, &fault_fops);
}
