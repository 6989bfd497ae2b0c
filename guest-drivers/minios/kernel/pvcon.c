// SPDX-License-Identifier: MIT
/*
 * Mini-OS PV console frontend.  Output: chunks straight into the req
 * ring's slots, one publish per batch, a notification only when the
 * backend asked for one; a full ring is waited out with the ring's
 * cons_event and SCHED_BLOCK.  Input: rsp-ring chunks copied out and
 * checked before a byte of them is used, since a backend is trusted no
 * more than a frontend.
 */
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/pvcon.h>
#include <minios/pvdev.h>
#include <minios/sched.h>
#include <minios/time.h>

#define CHUNK_SIZE	((uint32_t)sizeof(struct pvkit_console_chunk))

int pvcon_find(struct pvcon *c)
{
	int64_t rc;

	memset(c, 0, sizeof(*c));
	rc = pvdev_find(PVKIT_DEV_CLASS_CONSOLE, &c->info);
	if (rc)
		return (int)rc;
	rc = hc_dev_config(c->info.index, &c->config, sizeof(c->config));
	if (rc < 0)
		return (int)rc;
	if ((uint64_t)rc > sizeof(c->config))
		return -PVKIT_ERANGE;
	return 0;
}

uint32_t pvcon_default_order(const struct pvcon *c)
{
	uint32_t order = PVKIT_DEV_MAX_ORDER;

	while (order && pvdev_ring_pages(order, CHUNK_SIZE) > 1)
		order--;
	if (order < c->info.min_order)
		order = c->info.min_order;
	if (order > c->info.max_order)
		order = c->info.max_order;
	return order;
}

static void pvcon_send(struct pvcon *c)
{
	evtchn_send(c->port);
	c->notifies++;
}

static bool chunk_ok(const struct pvkit_console_chunk *ch)
{
	return ch->len >= 1 && ch->len <= PVKIT_CONSOLE_CHUNK_DATA &&
	       !ch->pad && !ch->pad2;
}

/*
 * Takes input while a whole chunk fits the buffer; arms the ring once it
 * is empty.  Interrupts off: the handler and pvcon_read() both call it.
 */
static void pvcon_pull_input(struct pvcon *c)
{
	struct pvkit_console_chunk ch;
	int n;

	if (!c->connected || !(c->features & PVKIT_CONSOLE_F_INPUT))
		return;
	while (!c->input_error &&
	       sizeof(c->in_buf) - c->in_len >= PVKIT_CONSOLE_CHUNK_DATA) {
		n = pvkit_ring_cons_get(&c->rsp, &ch, 1);
		if (n == 0) {
			n = pvkit_ring_cons_arm(&c->rsp);
			if (n > 0)
				continue;	/* more came meanwhile */
		}
		if (n < 0)
			c->input_error = n;
		if (n <= 0)
			break;
		if (!chunk_ok(&ch)) {
			c->bad_chunks++;
			c->input_error = -PVKIT_ERANGE;
			break;
		}
		memcpy(c->in_buf + c->in_len, ch.data, ch.len);
		c->in_len += ch.len;
		c->chunks_in++;
	}
	if (pvkit_ring_cons_notify(&c->rsp))
		pvcon_send(c);
}

static void pvcon_event(uint32_t port __unused, void *data)
{
	struct pvcon *c = data;

	c->events++;
	pvcon_pull_input(c);
}

size_t pvcon_read(struct pvcon *c, char *buf, size_t len)
{
	bool irq = irqs_enabled();
	size_t n;

	cli();
	pvcon_pull_input(c);
	n = c->in_len < len ? c->in_len : len;
	memcpy(buf, c->in_buf, n);
	memmove(c->in_buf, c->in_buf + n, c->in_len - n);
	c->in_len -= n;
	if (irq)
		sti();
	return n;
}

static void pvcon_free_rings(struct pvcon *c)
{
	free_pages(c->req_mem, c->ring_pages);
	free_pages(c->rsp_mem, c->ring_pages);
	c->req_mem = NULL;
	c->rsp_mem = NULL;
}

static int pvcon_alloc_rings(struct pvcon *c, uint32_t order)
{
	uint64_t len;

	c->order = order;
	c->ring_pages = pvdev_ring_pages(order, CHUNK_SIZE);
	len = c->ring_pages * PAGE_SIZE;
	c->req_mem = alloc_pages(c->ring_pages);
	c->rsp_mem = alloc_pages(c->ring_pages);
	if (!c->req_mem || !c->rsp_mem) {
		pvcon_free_rings(c);
		return -PVKIT_ENOMEM;
	}
	/* The pages come zeroed, so setup only writes the start indices. */
	if (pvkit_ring_setup(c->req_mem, len, order, CHUNK_SIZE, 0) ||
	    pvkit_ring_setup(c->rsp_mem, len, order, CHUNK_SIZE, 0) ||
	    pvkit_ring_attach(&c->req, c->req_mem, len, order, CHUNK_SIZE, 0) ||
	    pvkit_ring_attach(&c->rsp, c->rsp_mem, len, order, CHUNK_SIZE, 0)) {
		pvcon_free_rings(c);
		return -PVKIT_EINVAL;
	}
	return 0;
}

static int pvcon_hc_connect(struct pvcon *c, uint64_t features)
{
	struct pvkit_dev_connect req;
	bool irq = irqs_enabled();
	int rc;

	memset(&req, 0, sizeof(req));
	req.index = c->info.index;
	req.nr_queues = 1;
	req.features = features;
	req.queue[0].req_gpa = virt_to_gpa(c->req_mem);
	req.queue[0].rsp_gpa = virt_to_gpa(c->rsp_mem);
	req.queue[0].order = c->order;
	req.queue[0].port = c->port;
	/*
	 * The backend may raise the port at once; with interrupts off the
	 * handler runs only after connected is set.
	 */
	cli();
	rc = (int)hc_dev_connect(&req);
	if (!rc) {
		c->features = features;
		c->connected = true;
		c->error = 0;
		c->input_error = 0;
		c->in_len = 0;
	}
	if (irq)
		sti();
	return rc;
}

int pvcon_connect(struct pvcon *c, uint32_t order, uint64_t features)
{
	int rc;

	if (c->connected || c->req_mem)
		return -PVKIT_EBUSY;
	if (order < c->info.min_order || order > c->info.max_order ||
	    (features & ~c->info.features))
		return -PVKIT_EINVAL;
	rc = pvcon_alloc_rings(c, order);
	if (rc)
		return rc;
	rc = (int)evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0, &c->port);
	if (rc)
		goto free_rings;
	evtchn_set_handler(c->port, pvcon_event, c);
	rc = pvcon_hc_connect(c, features);
	if (rc)
		goto close_port;
	return 0;

close_port:
	evtchn_close(c->port);
	c->port = 0;
free_rings:
	pvcon_free_rings(c);
	return rc;
}

int pvcon_state(const struct pvcon *c)
{
	struct pvkit_dev_info info;
	int rc = pvdev_info(c->info.index, &info);

	return rc ? rc : (int)info.state;
}

/* Remembers why output stopped; every later write reports the same. */
static int pvcon_fail(struct pvcon *c, int rc)
{
	c->error = rc;
	return rc;
}

static void pvcon_kick(struct pvcon *c)
{
	if (pvkit_ring_prod_publish_notify(&c->req))
		pvcon_send(c);
}

/*
 * Blocks until want slots are free.  A wake-up without the space may be
 * input, or the backend raising the port because it found the device
 * BROKEN: the device's state tells which.
 */
static int pvcon_wait_space(struct pvcon *c, uint32_t want)
{
	uint64_t deadline = monotonic_ns() + PVCON_STALL_NS;
	uint64_t seen;
	int rc;

	for (;;) {
		seen = c->events;
		rc = pvkit_ring_prod_arm(&c->req, want);
		if (rc)
			return rc < 0 ? rc : 0;
		c->full_waits++;
		if (!wait_event_until(&c->events, seen, deadline))
			return -PVKIT_EAGAIN;
		rc = pvkit_ring_prod_space(&c->req, want);
		if (rc < 0 || (uint32_t)rc >= want)
			return rc < 0 ? rc : 0;
		if (pvcon_state(c) != PVKIT_DEV_STATE_CONNECTED)
			return -PVKIT_ERANGE;
	}
}

/* Fills up to space free slots from buf; returns the bytes taken. */
static size_t pvcon_fill(struct pvcon *c, const char *buf, size_t len,
			 uint32_t space)
{
	struct pvkit_console_chunk *ch;
	size_t done = 0, n;
	uint32_t k;

	for (k = 0; k < space && done < len; k++) {
		ch = pvkit_ring_prod_slot(&c->req, k);
		n = len - done;
		if (n > PVKIT_CONSOLE_CHUNK_DATA)
			n = PVKIT_CONSOLE_CHUNK_DATA;
		ch->len = (uint16_t)n;
		ch->pad = 0;
		ch->pad2 = 0;
		memcpy(ch->data, buf + done, n);
		done += n;
	}
	pvkit_ring_prod_advance(&c->req, k);
	c->chunks_out += k;
	return done;
}

int pvcon_write(struct pvcon *c, const char *buf, size_t len)
{
	/* Wake up for half a ring: fewer, bigger batches. */
	uint32_t want = c->req.size > 1 ? c->req.size / 2 : 1;
	size_t n;
	int space, rc;

	if (!c->connected)
		return -PVKIT_ENOENT;
	if (c->error)
		return c->error;
	while (len) {
		space = pvkit_ring_prod_space(&c->req, 1);
		if (space < 0)
			return pvcon_fail(c, space);
		if (!space) {
			/* Publish first: the backend must see a full ring. */
			pvcon_kick(c);
			rc = pvcon_wait_space(c, want);
			if (rc)
				return pvcon_fail(c, rc);
			continue;
		}
		n = pvcon_fill(c, buf, len, (uint32_t)space);
		buf += n;
		len -= n;
	}
	pvcon_kick(c);
	return 0;
}

int pvcon_flush(struct pvcon *c)
{
	int rc;

	if (!c->connected)
		return -PVKIT_ENOENT;
	if (c->error)
		return c->error;
	pvcon_kick(c);
	rc = pvkit_ring_prod_space(&c->req, c->req.size);
	if (rc >= 0 && (uint32_t)rc < c->req.size)
		rc = pvcon_wait_space(c, c->req.size);
	return rc < 0 ? pvcon_fail(c, rc) : 0;
}

int pvcon_stop(struct pvcon *c)
{
	int rc;

	if (!c->connected)
		return 0;
	rc = (int)hc_dev_disconnect(c->info.index);
	if (rc)
		return rc;
	c->connected = false;
	return 0;
}

void pvcon_release(struct pvcon *c)
{
	if (c->connected)
		return;
	if (c->port) {
		evtchn_close(c->port);
		evtchn_clear_handler(c->port);
		c->port = 0;
	}
	pvcon_free_rings(c);
}

int pvcon_disconnect(struct pvcon *c)
{
	int rc = pvcon_stop(c);

	if (!rc)
		pvcon_release(c);
	return rc;
}
