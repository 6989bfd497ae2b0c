/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pvkit_blk.ko's state, shared by the driver (blk.c, its request path in
 * queue.c) and its fault injection (fault.c).
 */
#ifndef PVKIT_BLK_H
#define PVKIT_BLK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/spinlock.h>
#include <pvkit/io/block.h>
#include <pvkit_bus.h>

#define PVBLK_MINORS		16
#define PVBLK_MAX_ORDER		8	/* 256 = PVKIT_BLK_MAX_INFLIGHT */
#define PVBLK_RSP_BATCH		16

PVKIT_RING_DEFINE_TYPED(blkreq, struct pvkit_blk_req)
PVKIT_RING_DEFINE_TYPED(blkrsp, struct pvkit_blk_rsp)

struct pvblk;

struct pvblk_queue {
	struct pvblk *b;
	struct pvkit_queue *q;
	spinlock_t req_lock;	/* the req ring, dead */
	spinlock_t rsp_lock;	/* the rsp ring */
	atomic_t outstanding;	/* put in the req ring, not yet answered */
	bool dead;
	bool irq;		/* requested */
	char name[32];
};

struct pvblk_stats {
	atomic64_t requests;
	atomic64_t segments;
	atomic64_t indirect;
	atomic64_t flushes;
	atomic64_t notifications;
	atomic64_t interrupts;
	atomic64_t errors;		/* requests ended with an error */
	atomic64_t violations;		/* protocol violations seen */
	atomic64_t timeouts;
	atomic64_t state_checks;	/* interrupts that brought nothing */
	atomic64_t resizes;		/* capacity changes taken */
};

struct pvblk {
	struct pvkit_device *dev;
	struct pvkit_blk_config cfg;
	struct blk_mq_tag_set set;
	struct gendisk *disk;
	int index;
	unsigned int nr_queues;
	unsigned int depth;
	unsigned int max_segs;
	bool use_indirect;
	struct pvblk_queue *queues;
	struct mutex teardown_lock;
	bool torn_down;
	atomic_t broken;
	struct work_struct abort_work;
	struct work_struct state_work;
	atomic_t fault;			/* enum pvblk_fault, armed */
	struct dentry *dbg;
	struct pvblk_stats st;
};

/* Per request, after struct request. */
struct pvblk_cmd {
	struct pvkit_blk_seg *ind;	/* indirect page, when accepted */
	atomic_t inflight;		/* published, not yet answered */
	u8 op;
	blk_status_t status;
	struct scatterlist sg[];
};

/* queue.c: the request path, for probe and remove in blk.c. */
extern const struct blk_mq_ops pvblk_mq_ops;
void pvblk_teardown(struct pvblk *b);
void pvblk_abort_work(struct work_struct *work);
void pvblk_state_work(struct work_struct *work);
void pvblk_broken(struct pvblk *b, const char *why);
irqreturn_t pvblk_interrupt(int irq, void *data);

/* fault.c: a hostile backend played from the guest, for tests. */
void fault_rsp(struct pvblk_queue *bq);
void fault_req(struct pvblk *b, struct pvkit_blk_req *req);
void pvblk_debugfs_add(struct pvblk *b);
void pvblk_debugfs_init(void);
void pvblk_debugfs_exit(void);

#endif
