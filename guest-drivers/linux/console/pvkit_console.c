// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit_console.ko: the PV console (pvkit/io/console.h) as an hvc
 * device, /dev/hvcN, and a kernel console (console=hvc0) once it loads.
 *
 * Output goes through the req ring in chunks of up to
 * PVKIT_CONSOLE_CHUNK_DATA bytes; when the ring is full put_chars takes
 * what fits, asks to be woken once a quarter of the ring is free, and
 * hvc retries (on that interrupt, or from its khvcd thread).  Input
 * comes back on the rsp ring; every chunk is copied out and checked (len
 * 1..PVKIT_CONSOLE_CHUNK_DATA, zero padding) before a byte of it is
 * used, and a bad one unbinds the driver, which disconnects.
 *
 * hvc calls back with a vterm number only: consoles[] maps it to ours.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <pvkit/io/console.h>
#include <pvkit_bus.h>
#include "hvc_console.h"

#define PVCON_MAX		4
#define PVCON_ORDER		8	/* 256 chunks, 14 KiB in flight */
#define PVCON_OUTBUF		PAGE_SIZE

PVKIT_RING_DEFINE_TYPED(con, struct pvkit_console_chunk)

static bool input = true;
module_param(input, bool, 0444);
MODULE_PARM_DESC(input, "take keyboard input (PVKIT_CONSOLE_F_INPUT)");

struct pvcon {
	struct pvkit_device *dev;
	struct pvkit_queue *q;
	struct hvc_struct *hvc;
	u32 vtermno;
	spinlock_t tx_lock;
	spinlock_t rx_lock;
	bool tx_dead;
	bool rx_dead;
	struct pvkit_console_chunk in;	/* private copy being read */
	unsigned int in_off;
	u64 bytes_out;
	u64 bytes_in;
	u64 ring_full;
};

static struct pvcon *consoles[PVCON_MAX];
static DEFINE_SPINLOCK(consoles_lock);

static struct pvcon *pvcon_of(u32 vtermno)
{
	return vtermno < PVCON_MAX ? READ_ONCE(consoles[vtermno]) : NULL;
}

/* Fills up to n free slots from buf; returns the bytes taken. */
static int fill_chunks(struct pvkit_ring *r, const char *buf, int count,
		       int n)
{
	struct pvkit_console_chunk *chunk;
	int i, len, done = 0;

	for (i = 0; i < n && done < count; i++) {
		chunk = pvkit_ring_prod_slot(r, i);
		len = min(count - done, PVKIT_CONSOLE_CHUNK_DATA);
		memset(chunk, 0, sizeof(*chunk));
		chunk->len = len;
		memcpy(chunk->data, buf + done, len);
		done += len;
	}
	pvkit_ring_prod_advance(r, i);
	return done;
}

static int pvcon_write(struct pvcon *c, const char *buf, int count)
{
	struct pvkit_ring *r = &c->q->req;
	int space, armed, done = 0;

	for (;;) {
		space = pvkit_ring_prod_space(r, DIV_ROUND_UP(count - done,
					      PVKIT_CONSOLE_CHUNK_DATA));
		if (space < 0)
			return space;
		done += fill_chunks(r, buf + done, count - done, space);
		if (done == count)
			break;
		c->ring_full++;
		/* Full: the backend raises the port once a quarter is free. */
		armed = pvkit_ring_prod_arm(r, max(r->size / 4, 1u));
		if (armed < 0)
			return armed;
		if (!armed)
			break;
	}
	if (pvkit_ring_prod_publish_notify(r))
		pvkit_queue_notify(c->q);
	c->bytes_out += done;
	return done;
}

static int pvcon_put_chars(u32 vtermno, const char *buf, int count)
{
	struct pvcon *c = pvcon_of(vtermno);
	unsigned long flags;
	int rc;

	if (!c)
		return -ENODEV;
	spin_lock_irqsave(&c->tx_lock, flags);
	rc = c->tx_dead ? -EIO : pvcon_write(c, buf, count);
	if (rc < 0 && !c->tx_dead) {
		c->tx_dead = true;
		pvkit_dev_fail(c->dev, "output ring index out of range");
	}
	spin_unlock_irqrestore(&c->tx_lock, flags);
	/* hvc spins (console) or retries later (tty) on -EAGAIN. */
	return rc ? rc : -EAGAIN;
}

static bool chunk_ok(const struct pvkit_console_chunk *chunk)
{
	return chunk->len >= 1 && chunk->len <= PVKIT_CONSOLE_CHUNK_DATA &&
	       !chunk->pad && !chunk->pad2;
}

/* The next chunk into c->in: 1 got one, 0 none waiting, <0 broken. */
static int next_chunk(struct pvcon *c)
{
	struct pvkit_ring *r = &c->q->rsp;
	int n;

	for (;;) {
		n = con_ring_get(r, &c->in, 1);
		if (n < 0)
			return n;
		if (n == 1) {
			c->in_off = 0;
			return chunk_ok(&c->in) ? 1 : -EPROTO;
		}
		/* Empty: ask for the next one, unless it came meanwhile. */
		n = pvkit_ring_cons_arm(r);
		if (n <= 0)
			return n;
	}
}

static int pvcon_read(struct pvcon *c, char *buf, int count)
{
	int rc, take, got = 0;

	while (got < count) {
		if (c->in_off == c->in.len) {
			c->in.len = 0;
			c->in_off = 0;
			rc = next_chunk(c);
			if (rc < 0)
				return rc;
			if (!rc)
				break;
		}
		take = min_t(int, count - got, c->in.len - c->in_off);
		memcpy(buf + got, c->in.data + c->in_off, take);
		c->in_off += take;
		got += take;
	}
	if (pvkit_ring_cons_notify(&c->q->rsp))
		pvkit_queue_notify(c->q);
	c->bytes_in += got;
	return got;
}

static int pvcon_get_chars(u32 vtermno, char *buf, int count)
{
	struct pvcon *c = pvcon_of(vtermno);
	unsigned long flags;
	int rc = 0;

	if (!c)
		return -ENODEV;
	spin_lock_irqsave(&c->rx_lock, flags);
	if (!c->rx_dead)
		rc = pvcon_read(c, buf, count);
	if (rc < 0) {
		c->rx_dead = true;
		pvkit_dev_fail(c->dev, rc == -EPROTO ? "malformed input chunk" :
			       "input ring index out of range");
		rc = 0;
	}
	spin_unlock_irqrestore(&c->rx_lock, flags);
	return rc;
}

/* The kernel console spins on a full ring: make sure the backend runs. */
static int pvcon_flush(u32 vtermno, bool wait)
{
	struct pvcon *c = pvcon_of(vtermno);

	if (c && wait)
		pvkit_queue_notify(c->q);
	return 0;
}

/*
 * The port's interrupt is ours from probe to remove, whether the tty is
 * open or not; these only tell hvc not to poll for input.
 */
static int pvcon_notifier_add(struct hvc_struct *hp, int irq)
{
	hp->irq_requested = 1;
	return 0;
}

static void pvcon_notifier_del(struct hvc_struct *hp, int irq)
{
	hp->irq_requested = 0;
}

static const struct hv_ops pvcon_ops = {
	.get_chars = pvcon_get_chars,
	.put_chars = pvcon_put_chars,
	.flush = pvcon_flush,
	.notifier_add = pvcon_notifier_add,
	.notifier_del = pvcon_notifier_del,
	.notifier_hangup = pvcon_notifier_del,
};

static irqreturn_t pvcon_interrupt(int irq, void *data)
{
	struct pvcon *c = data;

	/* Input arrived, or output space: hvc reads and pushes. */
	if (hvc_poll(c->hvc))
		hvc_kick();
	return IRQ_HANDLED;
}

static int vterm_claim(struct pvcon *c)
{
	unsigned int i;
	int rc = -ENOSPC;

	spin_lock(&consoles_lock);
	for (i = 0; i < PVCON_MAX; i++) {
		if (!consoles[i]) {
			c->vtermno = i;
			WRITE_ONCE(consoles[i], c);
			rc = 0;
			break;
		}
	}
	spin_unlock(&consoles_lock);
	return rc;
}

static void vterm_release(struct pvcon *c)
{
	spin_lock(&consoles_lock);
	WRITE_ONCE(consoles[c->vtermno], NULL);
	spin_unlock(&consoles_lock);
}

static int pvcon_connect(struct pvcon *c)
{
	struct pvkit_device *dev = c->dev;
	struct pvkit_connect_params p = {
		.nr_queues = 1,
		.order = clamp_t(u32, PVCON_ORDER, dev->min_order,
				 dev->max_order),
		.req_slot = sizeof(struct pvkit_console_chunk),
		.rsp_slot = sizeof(struct pvkit_console_chunk),
		.features = input ? dev->features & PVKIT_CONSOLE_F_INPUT : 0,
	};
	int rc;

	rc = pvkit_dev_connect(dev, &p);
	if (rc)
		return rc;
	c->q = &dev->queues[0];
	return 0;
}

/* Stops every path into the rings: after this nothing touches them. */
static void pvcon_quiesce(struct pvcon *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->tx_lock, flags);
	c->tx_dead = true;
	spin_unlock_irqrestore(&c->tx_lock, flags);
	spin_lock_irqsave(&c->rx_lock, flags);
	c->rx_dead = true;
	spin_unlock_irqrestore(&c->rx_lock, flags);
}

static int pvcon_probe(struct pvkit_device *dev)
{
	struct pvcon *c;
	int rc;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->dev = dev;
	spin_lock_init(&c->tx_lock);
	spin_lock_init(&c->rx_lock);
	rc = pvcon_connect(c);
	if (rc)
		goto free;
	rc = vterm_claim(c);
	if (rc)
		goto disconnect;
	c->hvc = hvc_alloc(c->vtermno, c->q->irq, &pvcon_ops, PVCON_OUTBUF);
	if (IS_ERR(c->hvc)) {
		rc = PTR_ERR(c->hvc);
		goto release;
	}
	rc = request_irq(c->q->irq, pvcon_interrupt, 0, dev_name(&dev->dev),
			 c);
	if (rc)
		goto remove;
	dev_set_drvdata(&dev->dev, c);
	dev_info(&dev->dev, "hvc%d, features %#llx\n", c->hvc->index,
		 dev->accepted);
	return 0;

remove:
	hvc_remove(c->hvc);
	pvcon_quiesce(c);
release:
	vterm_release(c);
disconnect:
	pvkit_dev_disconnect(dev);
free:
	kfree(c);
	return rc;
}

static void pvcon_remove(struct pvkit_device *dev)
{
	struct pvcon *c = dev_get_drvdata(&dev->dev);

	/* The tty hangs up and the kernel console lets go of the vterm. */
	hvc_remove(c->hvc);
	pvcon_quiesce(c);
	free_irq(c->q->irq, c);
	pvkit_dev_disconnect(dev);
	vterm_release(c);
	kfree(c);
}

/* ---- sysfs, beside the core's attributes -------------------------------- */

static ssize_t tx_pending_show(struct device *d, struct device_attribute *a,
			       char *buf)
{
	struct pvcon *c = dev_get_drvdata(d);
	unsigned long flags;
	u32 pending;

	spin_lock_irqsave(&c->tx_lock, flags);
	pending = c->q->req.idx - READ_ONCE(c->q->req.hdr->cons);
	spin_unlock_irqrestore(&c->tx_lock, flags);
	/* Only a count to wait on: the backend's word, shown not trusted. */
	return sysfs_emit(buf, "%u\n", min(pending, c->q->req.size));
}
static DEVICE_ATTR_RO(tx_pending);

static ssize_t hvc_show(struct device *d, struct device_attribute *a,
			char *buf)
{
	struct pvcon *c = dev_get_drvdata(d);

	return sysfs_emit(buf, "hvc%d\n", c->hvc->index);
}
static DEVICE_ATTR_RO(hvc);

static ssize_t counters_show(struct device *d, struct device_attribute *a,
			     char *buf)
{
	struct pvcon *c = dev_get_drvdata(d);

	return sysfs_emit(buf, "bytes_out %llu\nbytes_in %llu\nring_full %llu\n",
			  c->bytes_out, c->bytes_in, c->ring_full);
}
static DEVICE_ATTR_RO(counters);

static struct attribute *pvcon_attrs[] = {
	&dev_attr_tx_pending.attr,
	&dev_attr_hvc.attr,
	&dev_attr_counters.attr,
	NULL,
};
ATTRIBUTE_GROUPS(pvcon);

static struct pvkit_driver pvcon_driver = {
	.driver = {
		.name = "pvkit_console",
		.dev_groups = pvcon_groups,
	},
	.dev_class = PVKIT_DEV_CLASS_CONSOLE,
	.probe = pvcon_probe,
	.remove = pvcon_remove,
};
module_pvkit_driver(pvcon_driver);

MODULE_ALIAS("pvkit:console");
MODULE_DESCRIPTION("pvkit PV console (hvc)");
MODULE_LICENSE("GPL");
