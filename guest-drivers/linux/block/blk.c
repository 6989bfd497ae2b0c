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
 * see fault.c.  The request path (submission, completion, failing) is in
 * queue.c; probe, configuration, sysfs and the module are here.
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
