// SPDX-License-Identifier: MIT
/*
 * Mini-OS PV net frontend.  TX: a frame is copied into the buffer of a
 * free slot, whose index is the request's id, so an answer can only
 * free a slot that is in flight.  RX: buffer i is posted under id i and
 * stays ours until its answer; the answer's length must fit the buffer.
 * Every response is a private copy, checked before it is believed: the
 * backend is trusted no more than it trusts us.  Waits block in
 * SCHED_BLOCK on the queues' ports, so the backend gets the pCPU.
 */
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/pvdev.h>
#include <minios/pvnet.h>
#include <minios/sched.h>
#include <minios/time.h>

#define REQ_SLOT	((uint32_t)sizeof(struct pvkit_net_req))
#define RSP_SLOT	((uint32_t)sizeof(struct pvkit_net_rsp))
#define DEFAULT_ORDER	5

PVKIT_RING_DEFINE_TYPED(netreq, struct pvkit_net_req)
PVKIT_RING_DEFINE_TYPED(netrsp, struct pvkit_net_rsp)

static bool config_sane(const struct pvnet *n)
{
	const struct pvkit_net_config *c = &n->config;

	return !c->pad && !(c->mac[0] & 1) &&
	       c->mtu >= PVKIT_NET_MIN_MTU && c->mtu <= PVKIT_NET_MAX_MTU &&
	       c->link <= PVKIT_NET_LINK_UP && c->queues == PVKIT_NET_QUEUES &&
	       n->info.max_queues == PVKIT_NET_QUEUES;
}

static int read_config(struct pvnet *n)
{
	int64_t rc = hc_dev_config(n->info.index, &n->config,
				   sizeof(n->config));

	if (rc < 0)
		return (int)rc;
	if ((uint64_t)rc != sizeof(n->config) || !config_sane(n))
		return -PVKIT_ERANGE;
	return 0;
}

int pvnet_find(struct pvnet *n)
{
	int rc;

	memset(n, 0, sizeof(*n));
	rc = pvdev_find(PVKIT_DEV_CLASS_NET, &n->info);
	return rc ? rc : read_config(n);
}

/* The link comes up on connect; the MAC and MTU may not change. */
static int reread_config(struct pvnet *n)
{
	struct pvkit_net_config old = n->config;
	int rc = read_config(n);

	if (rc)
		return rc;
	if (memcmp(old.mac, n->config.mac, 6) || old.mtu != n->config.mtu)
		return -PVKIT_ERANGE;
	return 0;
}

static void pvnet_event(uint32_t port __unused, void *data)
{
	struct pvnet *n = data;

	n->events++;
}

void pvnet_wait_event(struct pvnet *n, uint64_t seen, uint64_t deadline_ns)
{
	wait_event_until(&n->events, seen, deadline_ns);
}

static void free_queue(struct pvnet *n, struct pvnet_queue *q)
{
	if (q->port) {
		evtchn_clear_handler(q->port);
		evtchn_close(q->port);
	}
	if (q->req_mem)
		free_pages(q->req_mem, n->ring_pages);
	if (q->rsp_mem)
		free_pages(q->rsp_mem, n->ring_pages);
	memset(q, 0, sizeof(*q));
}

static int alloc_queue(struct pvnet *n, struct pvnet_queue *q)
{
	uint64_t len = (uint64_t)n->ring_pages * PAGE_SIZE;

	q->req_mem = alloc_pages(n->ring_pages);
	q->rsp_mem = alloc_pages(n->ring_pages);
	if (!q->req_mem || !q->rsp_mem)
		goto fail;
	if (pvkit_ring_setup(q->req_mem, len, n->order, REQ_SLOT, 0) ||
	    pvkit_ring_setup(q->rsp_mem, len, n->order, RSP_SLOT, 0) ||
	    pvkit_ring_attach(&q->req, q->req_mem, len, n->order, REQ_SLOT,
			      0) ||
	    pvkit_ring_attach(&q->rsp, q->rsp_mem, len, n->order, RSP_SLOT,
			      0))
		goto fail;
	if (evtchn_alloc_unbound(PVKIT_DOMID_HYPERVISOR, 0, &q->port))
		goto fail;
	evtchn_set_handler(q->port, pvnet_event, n);
	return 0;
fail:
	free_queue(n, q);
	return -PVKIT_ENOMEM;
}

/*
 * Buffers are sized for the largest MTU the NIC may take and kept
 * across reconnects: the page allocator hands out contiguous runs only
 * from its bump pointer.
 */
static int alloc_buffers(struct pvnet *n)
{
	uint32_t most = n->config.mtu > PVKIT_NET_DEFAULT_MTU ?
			n->config.mtu : PVKIT_NET_DEFAULT_MTU;

	if (n->buf_pages)
		return 0;
	n->buf_pages = (most + PVKIT_NET_HDR_LEN + PAGE_SIZE - 1) / PAGE_SIZE;
	for (unsigned int i = 0; i < PVNET_MAX_SLOTS; i++) {
		n->tx_buf[i] = alloc_pages(n->buf_pages);
		n->rx_buf[i] = alloc_pages(n->buf_pages);
		if (!n->tx_buf[i] || !n->rx_buf[i])
			return -PVKIT_ENOMEM;
	}
	return 0;
}

static void notify(struct pvnet *n, unsigned int qi)
{
	evtchn_send(n->q[qi].port);
}

static int post_rx(struct pvnet *n, uint32_t id)
{
	struct pvnet_queue *q = &n->q[PVKIT_NET_QUEUE_RX];
	struct pvkit_net_req req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.id = id;
	req.nr_segs = 1;
	req.seg[0].gpa = virt_to_gpa(n->rx_buf[id]);
	req.seg[0].len = n->max_frame;
	/* At most slots buffers are ever out: there is always a slot. */
	rc = netreq_ring_put(&q->req, &req, 1);
	if (rc != 1)
		return rc < 0 ? rc : -PVKIT_ERANGE;
	n->rx_posted[id] = true;
	return 0;
}

static int post_all_rx(struct pvnet *n)
{
	int rc;

	for (uint32_t id = 0; id < n->rx_bufs; id++) {
		rc = post_rx(n, id);
		if (rc)
			return rc;
	}
	if (pvkit_ring_prod_publish_notify(&n->q[PVKIT_NET_QUEUE_RX].req))
		notify(n, PVKIT_NET_QUEUE_RX);
	return 0;
}

static uint32_t pick_order(const struct pvnet *n, uint32_t order)
{
	if (!order)
		order = DEFAULT_ORDER;
	if (order > PVNET_MAX_ORDER)
		order = PVNET_MAX_ORDER;
	if (order > n->info.max_order)
		order = n->info.max_order;
	if (order < n->info.min_order)
		order = n->info.min_order;
	return order;
}

static int hc_connect(struct pvnet *n)
{
	struct pvkit_dev_connect req;

	memset(&req, 0, sizeof(req));
	req.index = n->info.index;
	req.nr_queues = PVKIT_NET_QUEUES;
	req.features = n->features;
	for (unsigned int i = 0; i < PVKIT_NET_QUEUES; i++) {
		req.queue[i].req_gpa = virt_to_gpa(n->q[i].req_mem);
		req.queue[i].rsp_gpa = virt_to_gpa(n->q[i].rsp_mem);
		req.queue[i].order = n->order;
		req.queue[i].port = n->q[i].port;
	}
	return (int)hc_dev_connect(&req);
}

int pvnet_connect(struct pvnet *n, uint32_t order, uint64_t features,
		  unsigned int rx_bufs)
{
	unsigned int i = 0;
	int rc;

	if (n->connected)
		return -PVKIT_EBUSY;
	n->order = pick_order(n, order);
	n->slots = 1u << n->order;
	if (rx_bufs > n->slots)
		return -PVKIT_EINVAL;
	n->rx_bufs = rx_bufs ? rx_bufs : n->slots;
	n->features = features & n->info.features;
	n->max_frame = PVKIT_NET_HDR_LEN +
		       ((n->features & PVKIT_NET_F_MTU) ? n->config.mtu :
			PVKIT_NET_DEFAULT_MTU);
	n->ring_pages = pvdev_ring_pages(n->order, REQ_SLOT);
	rc = alloc_buffers(n);
	if (rc)
		return rc;
	for (i = 0; i < PVKIT_NET_QUEUES; i++) {
		rc = alloc_queue(n, &n->q[i]);
		if (rc)
			goto fail;
	}
	rc = hc_connect(n);
	if (rc)
		goto fail;
	n->connected = true;
	rc = reread_config(n);
	if (!rc)
		rc = post_all_rx(n);
	if (rc)
		pvnet_disconnect(n);
	return rc;
fail:
	while (i--)
		free_queue(n, &n->q[i]);
	return rc;
}

void pvnet_disconnect(struct pvnet *n)
{
	hc_dev_disconnect(n->info.index);
	for (unsigned int i = 0; i < PVKIT_NET_QUEUES; i++)
		free_queue(n, &n->q[i]);
	memset(n->tx_busy, 0, sizeof(n->tx_busy));
	memset(n->rx_posted, 0, sizeof(n->rx_posted));
	n->tx_inflight = 0;
	n->connected = false;
}

static bool rsp_pad_ok(const struct pvkit_net_rsp *rsp)
{
	return !rsp->flags && !rsp->pad2 && rsp->status <= PVKIT_NET_S_ERROR;
}

int pvnet_tx_reclaim(struct pvnet *n)
{
	struct pvnet_queue *q = &n->q[PVKIT_NET_QUEUE_TX];
	struct pvkit_net_rsp rsp;
	int got = 0, rc;

	while ((rc = netrsp_ring_get(&q->rsp, &rsp, 1)) == 1) {
		if (!rsp_pad_ok(&rsp) || rsp.len || rsp.id >= n->slots ||
		    !n->tx_busy[rsp.id]) {
			n->st.bad_rsp++;
			return -PVKIT_ERANGE;
		}
		n->tx_busy[rsp.id] = false;
		n->tx_inflight--;
		if (rsp.status == PVKIT_NET_S_OK)
			n->st.tx_frames++;
		else
			n->st.tx_errors++;
		got++;
	}
	if (rc < 0)
		return rc;
	if (pvkit_ring_cons_notify(&q->rsp))
		notify(n, PVKIT_NET_QUEUE_TX);
	return got;
}

/* A free TX slot, reclaiming and then waiting for one until deadline. */
static int tx_slot(struct pvnet *n, uint64_t deadline)
{
	struct pvnet_queue *q = &n->q[PVKIT_NET_QUEUE_TX];

	for (;;) {
		uint64_t seen = n->events;
		int rc = pvnet_tx_reclaim(n);

		if (rc < 0)
			return rc;
		if (n->tx_inflight < n->slots)
			break;
		rc = pvkit_ring_cons_arm(&q->rsp);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		if (monotonic_ns() >= deadline)
			return -PVKIT_EAGAIN;
		pvnet_wait_event(n, seen, deadline);
	}
	for (uint32_t i = 0; i < n->slots; i++)
		if (!n->tx_busy[i])
			return (int)i;
	return -PVKIT_ERANGE;
}

int pvnet_send(struct pvnet *n, const void *frame, uint32_t len, uint64_t ms)
{
	struct pvnet_queue *q = &n->q[PVKIT_NET_QUEUE_TX];
	struct pvkit_net_req req;
	int slot;

	if (!n->connected)
		return -PVKIT_EINVAL;
	if (len < PVKIT_NET_MIN_FRAME || len > n->max_frame)
		return -PVKIT_E2BIG;
	slot = tx_slot(n, monotonic_ns() + ms * NSEC_PER_MSEC);
	if (slot < 0)
		return slot;
	memcpy(n->tx_buf[slot], frame, len);
	memset(&req, 0, sizeof(req));
	req.id = (uint32_t)slot;
	req.nr_segs = 1;
	req.len = len;
	req.seg[0].gpa = virt_to_gpa(n->tx_buf[slot]);
	req.seg[0].len = len;
	if (netreq_ring_put(&q->req, &req, 1) != 1)
		return -PVKIT_ERANGE;
	n->tx_busy[slot] = true;
	n->tx_inflight++;
	if (pvkit_ring_prod_publish_notify(&q->req))
		notify(n, PVKIT_NET_QUEUE_TX);
	return 0;
}

/* Checks one RX answer: 1 a frame of *len bytes, 0 a refused buffer. */
static int rx_check(struct pvnet *n, const struct pvkit_net_rsp *rsp)
{
	if (!rsp_pad_ok(rsp) || rsp->id >= n->rx_bufs ||
	    !n->rx_posted[rsp->id])
		return -PVKIT_ERANGE;
	if (rsp->status == PVKIT_NET_S_ERROR)
		return rsp->len ? -PVKIT_ERANGE : 0;
	if (rsp->len < PVKIT_NET_MIN_FRAME || rsp->len > n->max_frame)
		return -PVKIT_ERANGE;
	return 1;
}

/*
 * The next answer on queue qi, waiting until deadline: 0, -EAGAIN or a
 * ring error.  While it waits, the backend is told of the room freed.
 */
static int next_rsp(struct pvnet *n, unsigned int qi,
		    struct pvkit_net_rsp *rsp, uint64_t deadline)
{
	struct pvnet_queue *q = &n->q[qi];
	int rc;

	for (;;) {
		uint64_t seen = n->events;

		rc = netrsp_ring_get(&q->rsp, rsp, 1);
		if (rc)
			break;
		if (pvkit_ring_cons_notify(&q->rsp))
			notify(n, qi);
		rc = pvkit_ring_cons_arm(&q->rsp);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		if (monotonic_ns() >= deadline)
			return -PVKIT_EAGAIN;
		pvnet_wait_event(n, seen, deadline);
	}
	if (rc < 0)
		return rc;
	if (pvkit_ring_cons_notify(&q->rsp))
		notify(n, qi);
	return 0;
}

int pvnet_recv(struct pvnet *n, void *buf, uint32_t max, uint64_t ms)
{
	uint64_t deadline = monotonic_ns() + ms * NSEC_PER_MSEC;
	struct pvkit_net_rsp rsp;
	int rc;

	if (!n->connected)
		return -PVKIT_EINVAL;
	for (;;) {
		rc = next_rsp(n, PVKIT_NET_QUEUE_RX, &rsp, deadline);
		if (rc)
			return rc;
		rc = rx_check(n, &rsp);
		if (rc < 0) {
			n->st.bad_rsp++;
			return rc;
		}
		n->rx_posted[rsp.id] = false;
		if (rc)
			break;
		/* A good buffer refused: a backend bug; it stays unposted. */
		n->st.rx_errors++;
	}
	n->st.rx_frames++;
	memcpy(buf, n->rx_buf[rsp.id], rsp.len < max ? rsp.len : max);
	rc = post_rx(n, rsp.id);
	if (rc)
		return rc;
	if (pvkit_ring_prod_publish_notify(&n->q[PVKIT_NET_QUEUE_RX].req))
		notify(n, PVKIT_NET_QUEUE_RX);
	return (int)rsp.len;
}

int pvnet_push(struct pvnet *n, unsigned int qi,
	       const struct pvkit_net_req *req)
{
	struct pvnet_queue *q = &n->q[qi];
	int rc = netreq_ring_put(&q->req, req, 1);

	if (rc != 1)
		return rc < 0 ? rc : -PVKIT_EAGAIN;
	pvkit_ring_prod_publish(&q->req);
	notify(n, qi);
	return 0;
}

int pvnet_wait_rsp(struct pvnet *n, unsigned int qi,
		   struct pvkit_net_rsp *rsp, uint64_t ms)
{
	int rc = next_rsp(n, qi, rsp, monotonic_ns() + ms * NSEC_PER_MSEC);

	if (rc)
		return rc;
	return rsp_pad_ok(rsp) ? 0 : -PVKIT_ERANGE;
}
