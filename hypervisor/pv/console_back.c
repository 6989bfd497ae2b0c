// SPDX-License-Identifier: GPL-2.0
/*
 * The PV console backend (pvkit/io/console.h).  Output chunks are copied
 * out of the req ring, checked, and go to the domain's console exactly as
 * the console hypercall's bytes do; typed input waits in the domain's
 * console buffer until the rsp ring has room for it.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/io/console.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/mm.h>
#include <hv/pv.h>
#include <hv/time.h>

/* Chunks one work call moves: about 1.8 KiB of output. */
#define CONSOLE_BATCH	32
/* Out of console budget: look again this much later. */
#define CONSOLE_RETRY_NS	10000000ull

PVKIT_RING_DEFINE_TYPED(con, struct pvkit_console_chunk)

/*
 * Output taken off the ring but not yet written: the domain's console
 * rate limit ran out in the middle of it.  It is written first next time,
 * and the ring is not read until it is gone, so the frontend sees a full
 * ring and waits: PV console output is slowed, never dropped.
 */
struct console_back {
	struct pvkit_console_chunk held[CONSOLE_BATCH];
	unsigned int nr_held;		/* chunks in held[] */
	unsigned int next;		/* first one not fully written */
	unsigned int off;		/* bytes of held[next] written */
	uint64_t bytes_out;
	uint64_t bytes_in;
	uint64_t waits;			/* times the rate limit held it up */
};

static void *console_create(struct pvdev *dev)
{
	(void)dev;
	return kzalloc(sizeof(struct console_back));
}

static void console_config(struct pvdev *dev, void *buf)
{
	struct pvkit_console_config cfg = { 0 };

	(void)dev;
	memcpy(buf, &cfg, sizeof(cfg));
}

static void console_connect(struct pvdev *dev)
{
	struct console_back *cb = dev->priv;

	cb->nr_held = cb->next = cb->off = 0;
}

static void console_disconnect(struct pvdev *dev)
{
	struct console_back *cb = dev->priv;

	/* Written before it disconnected: output, within the rate limit. */
	for (unsigned int i = cb->next; i < cb->nr_held; i++) {
		unsigned int off = i == cb->next ? cb->off : 0;

		console_domain_write(dev->dom, CONSOLE_SRC_PV,
				     (const char *)cb->held[i].data + off,
				     cb->held[i].len - off);
	}
	cb->nr_held = cb->next = cb->off = 0;
	console_domain_flush(dev->dom);
}

static bool chunk_ok(const struct pvkit_console_chunk *c)
{
	return c->len >= 1 && c->len <= PVKIT_CONSOLE_CHUNK_DATA &&
	       !c->pad && !c->pad2;
}

/* Writes what is held; false when the rate limit stopped it. */
static bool write_held(struct pvdev *dev, struct console_back *cb)
{
	while (cb->next < cb->nr_held) {
		const struct pvkit_console_chunk *c = &cb->held[cb->next];
		size_t n;

		n = console_domain_write_some(dev->dom, CONSOLE_SRC_PV,
					      (const char *)c->data + cb->off,
					      c->len - cb->off);
		cb->bytes_out += n;
		cb->off += (unsigned int)n;
		if (cb->off < c->len) {
			cb->waits++;
			work_queue_at(&dev->work, now_ns() + CONSOLE_RETRY_NS);
			return false;
		}
		cb->next++;
		cb->off = 0;
	}
	cb->nr_held = cb->next = 0;
	return true;
}

/* Output: one batch.  <0 when the ring broke, else whether more is left. */
static int drain_output(struct pvdev *dev)
{
	struct console_back *cb = dev->priv;
	struct pvdev_queue *q = &dev->q[0];
	int n;

	if (!write_held(dev, cb))
		return 0;
	n = con_ring_get(&q->req, cb->held, CONSOLE_BATCH);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		if (!chunk_ok(&cb->held[i])) {
			pvdev_broken(dev, "malformed output chunk");
			return 0;
		}
	}
	cb->nr_held = (unsigned int)n;
	/* Slots are free again: wake a frontend waiting for space. */
	if (pvkit_ring_cons_notify(&q->req))
		pvdev_raise(dev, 0);
	if (!write_held(dev, cb))
		return 0;
	if (n == CONSOLE_BATCH)
		return 1;
	/* Empty: ask for the next publication, unless it came meanwhile. */
	return pvkit_ring_cons_arm(&q->req);
}

/* Input: whatever the rsp ring has room for. */
static int feed_input(struct pvdev *dev)
{
	struct console_back *cb = dev->priv;
	struct pvdev_queue *q = &dev->q[0];
	struct pvkit_console_chunk c;
	int space, moved = 0;

	if (!(dev->accepted & PVKIT_CONSOLE_F_INPUT))
		return 0;
	while ((space = pvkit_ring_prod_space(&q->rsp, 1)) > 0) {
		memset(&c, 0, sizeof(c));
		c.len = (uint16_t)console_take_input(dev->dom, (char *)c.data,
						     sizeof(c.data));
		if (!c.len)
			break;
		con_ring_put(&q->rsp, &c, 1);
		cb->bytes_in += c.len;
		moved++;
	}
	if (space < 0)
		return space;
	if (moved && pvkit_ring_prod_publish_notify(&q->rsp))
		pvdev_raise(dev, 0);
	/* Full with input waiting: be called again once the guest reads. */
	if (!space && console_input_waiting(dev->dom))
		return pvkit_ring_prod_arm(&q->rsp, 1);
	return 0;
}

static bool console_work(struct pvdev *dev)
{
	int out = drain_output(dev), in;

	if (dev->state != PVKIT_DEV_STATE_CONNECTED)
		return false;
	in = out < 0 ? 0 : feed_input(dev);
	if (out < 0 || in < 0) {
		pvdev_broken(dev, "ring index out of range");
		return false;
	}
	return out > 0 || in > 0;
}

bool pv_console_input(struct domain *d)
{
	struct pvdev *dev = pvdev_find(d, PVKIT_DEV_CLASS_CONSOLE, 0);

	if (!dev || READ_ONCE(dev->state) != PVKIT_DEV_STATE_CONNECTED ||
	    !(READ_ONCE(dev->accepted) & PVKIT_CONSOLE_F_INPUT))
		return false;
	/* Polled every tick: the backend runs only when there is input. */
	if (console_input_waiting(d))
		work_queue(&dev->work);
	return true;
}

const struct pv_backend pv_console_backend = {
	.name = "console",
	.dev_class = PVKIT_DEV_CLASS_CONSOLE,
	.max_queues = 1,
	.min_order = 2,
	.max_order = 10,
	.req_slot = sizeof(struct pvkit_console_chunk),
	.rsp_slot = sizeof(struct pvkit_console_chunk),
	.config_len = sizeof(struct pvkit_console_config),
	.features = PVKIT_CONSOLE_F_INPUT,
	.create = console_create,
	.config = console_config,
	.connect = console_connect,
	.disconnect = console_disconnect,
	.work = console_work,
};
