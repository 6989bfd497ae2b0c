// SPDX-License-Identifier: GPL-2.0
/*
 * The PV net backend (pvkit/io/net.h): one switch port per NIC.
 *
 * TX: each request is copied out of the ring, checked whole (segments
 * inside RAM, lengths adding up, the frame within the MTU), and only
 * then is the frame copied, once, out of guest memory into a switch
 * frame; a malformed one is answered ERROR, counted, and reported by at
 * most one log line a second.  RX: posted buffers are checked when they
 * are taken and kept in posting order; frames waiting at the port are
 * copied into them from the switch frame.  Each work call moves at most
 * NET_BATCH messages per direction, so a flooding guest gets its share
 * of the pCPU and no more.
 *
 * Checksum offload: a TX frame that leaves its checksum to the backend
 * (PVKIT_NET_TXF_CSUM) gets it computed here, on the switch frame, before
 * the switch sees it, so every receiver and the uplink get a whole
 * frame; the frame is marked, and a receiver that accepted
 * PVKIT_NET_F_RX_CSUM is told it need not check it.  For such a receiver
 * the backend also checks the TCP or UDP checksum of every other frame
 * (from the uplink, or sent whole) on the switch's copy, and says so
 * when it verifies.  The work is the backend's pCPU's, not the guest's.
 *
 * A backend on a pCPU of its own (pvdev_may_poll()) looks at the TX
 * ring again every NET_POLL_TICK_NS, for NET_POLL_NS after the last
 * frame it took, before it arms the ring's event index: a guest that
 * keeps sending then sends without notifying, as the block backend's
 * frontend submits.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/io/net.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>
#include <hv/mm.h>
#include <hv/net_csum.h>
#include <hv/printk.h>
#include <hv/pv.h>
#include <hv/time.h>
#include <hv/vswitch.h>

#define NET_MAX_ORDER		8
#define NET_RX_MAX		(1u << NET_MAX_ORDER)
#define NET_BATCH		64
#define NET_LOG_INTERVAL_NS	1000000000ull
#define NET_POLL_NS		2000000ull
#define NET_POLL_TICK_NS	50000ull

PVKIT_RING_DEFINE_TYPED(netreq, struct pvkit_net_req)
PVKIT_RING_DEFINE_TYPED(netrsp, struct pvkit_net_rsp)

struct net_rxbuf {
	uint64_t gpa;
	uint32_t len;
	uint32_t id;
};

struct net_stats {
	uint64_t tx_frames, tx_bytes, tx_malformed, tx_nomem, tx_csum;
	uint64_t rx_frames, rx_bytes, rx_malformed, rx_too_big, rx_csum_valid;
	uint64_t rx_csum_verified;
};

struct net_back {
	struct pvdev *dev;
	struct vswitch_port port;
	uint32_t max_frame;		/* the accepted MTU + header */
	struct net_rxbuf rx[NET_RX_MAX];	/* posted, in order */
	unsigned int rx_head, rx_count;
	uint8_t rx_held[NET_RX_MAX / 8];	/* ids of the buffers in rx[] */
	struct net_stats st;
	uint64_t last_tx;		/* system time a frame was last taken */
	uint64_t log_after;		/* rate limit of the malformed line */
	uint64_t log_missed;
};

/* A check's outcome: the request is fine, malformed, or a violation. */
enum net_verdict { NET_OK, NET_MALFORMED, NET_BROKEN };

static void net_kick(struct vswitch_port *p)
{
	struct net_back *nb = p->priv;

	/* Ports are attached only once the device connected (pc set). */
	if (READ_ONCE(nb->dev->work.pc))
		work_queue(&nb->dev->work);
}

static void *net_create(struct pvdev *dev)
{
	struct net_back *nb = kzalloc(sizeof(*nb));

	if (!nb)
		return NULL;
	nb->dev = dev;
	nb->port.kick = net_kick;
	nb->port.priv = nb;
	memcpy(nb->port.mac, dev->net_mac, 6);
	return nb;
}

static void net_config(struct pvdev *dev, void *buf)
{
	struct net_back *nb = dev->priv;
	struct pvkit_net_config cfg = {
		.mtu = dev->net_mtu,
		.link = nb->port.sw ? PVKIT_NET_LINK_UP : PVKIT_NET_LINK_DOWN,
		.queues = PVKIT_NET_QUEUES,
	};

	memcpy(cfg.mac, dev->net_mac, 6);
	memcpy(buf, &cfg, sizeof(cfg));
}

static void rx_forget(struct net_back *nb)
{
	nb->rx_head = nb->rx_count = 0;
	memset(nb->rx_held, 0, sizeof(nb->rx_held));
}

static void net_connect(struct pvdev *dev)
{
	struct net_back *nb = dev->priv;

	rx_forget(nb);
	nb->last_tx = 0;
	nb->max_frame = PVKIT_NET_HDR_LEN +
			((dev->accepted & PVKIT_NET_F_MTU) ? dev->net_mtu :
			 PVKIT_NET_DEFAULT_MTU);
	/* No free port: the link stays down and frames go nowhere. */
	if (vswitch_attach(vswitch_default(), &nb->port))
		pr_warn("d%u %s: PV net %u: the switch has no free port: link down",
			dev->dom->id, dev->dom->name, dev->instance);
}

static void net_disconnect(struct pvdev *dev)
{
	struct net_back *nb = dev->priv;

	vswitch_detach(&nb->port);
	rx_forget(nb);
}

/* One line for the first malformed request, then at most one a second. */
static void malformed(struct net_back *nb, const char *queue, const char *why)
{
	struct pvdev *dev = nb->dev;
	uint64_t now = now_ns();

	if (now < nb->log_after) {
		nb->log_missed++;
		return;
	}
	pr_warn("d%u %s: PV net %u: malformed %s request dropped: %s (%llu more since the last line)",
		dev->dom->id, dev->dom->name, dev->instance, queue, why,
		(unsigned long long)nb->log_missed);
	nb->log_missed = 0;
	nb->log_after = now + NET_LOG_INTERVAL_NS;
}

static bool segs_zero(const struct pvkit_net_req *req, unsigned int from)
{
	for (unsigned int i = from; i < PVKIT_NET_TX_SEGS; i++)
		if (req->seg[i].gpa || req->seg[i].len || req->seg[i].pad)
			return false;
	return true;
}

static enum net_verdict check_tx(struct net_back *nb,
				 const struct pvkit_net_req *req,
				 const char **why)
{
	const struct domain *d = nb->dev->dom;
	uint64_t sum = 0;

	if (!req->nr_segs || req->nr_segs > PVKIT_NET_TX_SEGS)
		return NET_BROKEN;
	*why = "unknown or unaccepted flag";
	if ((req->flags & ~PVKIT_NET_TXF_CSUM) ||
	    ((req->flags & PVKIT_NET_TXF_CSUM) &&
	     !(nb->dev->accepted & PVKIT_NET_F_CSUM)))
		return NET_MALFORMED;
	*why = "nonzero padding";
	if (!segs_zero(req, req->nr_segs))
		return NET_MALFORMED;
	for (unsigned int i = 0; i < req->nr_segs; i++) {
		const struct pvkit_net_seg *s = &req->seg[i];

		*why = "bad segment";
		if (s->pad || !s->len || s->len > PVKIT_NET_SEG_MAX ||
		    !guest_range_ok(d, s->gpa, s->len))
			return NET_MALFORMED;
		sum += s->len;
	}
	*why = "frame length";
	if (sum != req->len || req->len < PVKIT_NET_MIN_FRAME ||
	    req->len > nb->max_frame)
		return NET_MALFORMED;
	*why = "checksum field";
	if (!(req->flags & PVKIT_NET_TXF_CSUM))
		return req->csum_start || req->csum_offset ? NET_MALFORMED :
							     NET_OK;
	/* u16 + u16 + 2 cannot wrap a uint32_t. */
	if (req->csum_start < PVKIT_NET_HDR_LEN ||
	    (uint32_t)req->csum_start + req->csum_offset + 2 > req->len)
		return NET_MALFORMED;
	return NET_OK;
}

/* Copies a checked frame out, once, and puts it on the switch. */
static uint16_t tx_send(struct net_back *nb, const struct pvkit_net_req *req)
{
	struct vswitch_frame *f = vswitch_frame_alloc(req->len);
	uint32_t off = 0;

	if (!f) {
		nb->st.tx_nomem++;	/* lost, as on a congested wire */
		return PVKIT_NET_S_OK;
	}
	for (unsigned int i = 0; i < req->nr_segs; i++) {
		if (copy_from_guest(nb->dev->dom, f->data + off,
				    req->seg[i].gpa, req->seg[i].len)) {
			vswitch_frame_put(f);
			return PVKIT_NET_S_ERROR;
		}
		off += req->seg[i].len;
	}
	/* On the private copy: the guest can no longer change the bytes. */
	if (req->flags & PVKIT_NET_TXF_CSUM) {
		net_csum_insert(f->data, f->len, req->csum_start,
				(uint32_t)req->csum_start + req->csum_offset, 0);
		f->flags |= VSWITCH_F_CSUM_VALID;
		nb->st.tx_csum++;
	}
	nb->st.tx_frames++;
	nb->st.tx_bytes += f->len;
	if (nb->port.sw)
		vswitch_send(&nb->port, f);
	else
		vswitch_frame_put(f);
	return PVKIT_NET_S_OK;
}

/* Whether to look at the TX ring again in a tick rather than arm it. */
static bool tx_poll(struct net_back *nb, unsigned int taken)
{
	uint64_t now = now_ns();

	if (taken)
		nb->last_tx = now;
	if (!pvdev_may_poll(nb->dev) || now - nb->last_tx >= NET_POLL_NS)
		return false;
	work_queue_at(&nb->dev->work, now + NET_POLL_TICK_NS);
	return true;
}

/* One TX batch: <0 ring error, 1 more left, 0 idle, 2 broken. */
static int tx_work(struct net_back *nb)
{
	struct pvdev *dev = nb->dev;
	struct pvdev_queue *q = &dev->q[PVKIT_NET_QUEUE_TX];
	struct pvkit_net_req req;
	unsigned int taken = 0;
	bool stalled = false;
	int n = 0, space;

	while (taken < NET_BATCH) {
		struct pvkit_net_rsp rsp = { 0 };
		const char *why = NULL;
		enum net_verdict v;

		space = pvkit_ring_prod_space(&q->rsp, 1);
		if (space < 0)
			return space;
		if (!space) {
			stalled = true;
			break;
		}
		n = netreq_ring_get(&q->req, &req, 1);
		if (n <= 0)
			break;
		v = check_tx(nb, &req, &why);
		if (v == NET_BROKEN) {
			pvdev_broken(dev, "TX request with a bad segment count");
			return 2;
		}
		rsp.id = req.id;
		if (v == NET_MALFORMED) {
			nb->st.tx_malformed++;
			malformed(nb, "TX", why);
			rsp.status = PVKIT_NET_S_ERROR;
		} else {
			rsp.status = tx_send(nb, &req);
		}
		netrsp_ring_put(&q->rsp, &rsp, 1);
		taken++;
	}
	if (n < 0)
		return n;
	if (pvkit_ring_prod_publish_notify(&q->rsp))
		pvdev_raise(dev, PVKIT_NET_QUEUE_TX);
	if (pvkit_ring_cons_notify(&q->req))
		pvdev_raise(dev, PVKIT_NET_QUEUE_TX);
	if (taken == NET_BATCH)
		return 1;
	if (stalled)
		return pvkit_ring_prod_arm(&q->rsp, 1);
	if (tx_poll(nb, taken))
		return 0;
	return pvkit_ring_cons_arm(&q->req);
}

static bool rx_id_held(const struct net_back *nb, uint32_t id)
{
	return nb->rx_held[id / 8] & (1u << (id % 8));
}

static void rx_id_set(struct net_back *nb, uint32_t id, bool held)
{
	if (held)
		nb->rx_held[id / 8] |= (uint8_t)(1u << (id % 8));
	else
		nb->rx_held[id / 8] &= (uint8_t)~(1u << (id % 8));
}

static enum net_verdict check_rx(struct net_back *nb,
				 const struct pvkit_net_req *req, uint32_t size,
				 const char **why)
{
	const struct pvkit_net_seg *s = &req->seg[0];

	if (req->nr_segs != 1 || req->id >= size || rx_id_held(nb, req->id))
		return NET_BROKEN;
	*why = "nonzero flags, length, checksum fields or padding";
	if (req->flags || req->len || req->csum_start || req->csum_offset ||
	    !segs_zero(req, 1))
		return NET_MALFORMED;
	*why = "bad buffer";
	if (s->pad || s->len < PVKIT_NET_MIN_FRAME ||
	    s->len > PVKIT_NET_SEG_MAX ||
	    !guest_range_ok(nb->dev->dom, s->gpa, s->len))
		return NET_MALFORMED;
	return NET_OK;
}

/*
 * Takes posted buffers while the rsp ring has room for an answer to
 * every buffer held.  <0 ring error, 1 more left, 0 idle, 2 broken.
 */
static int rx_post_work(struct net_back *nb)
{
	struct pvdev *dev = nb->dev;
	struct pvdev_queue *q = &dev->q[PVKIT_NET_QUEUE_RX];
	uint32_t size = 1u << q->order;
	struct pvkit_net_req req;
	unsigned int taken = 0;
	bool stalled = false;
	int n = 0, space;

	while (taken < NET_BATCH) {
		struct pvkit_net_rsp rsp = { 0 };
		const char *why = NULL;
		enum net_verdict v;

		n = pvkit_ring_cons_avail(&q->req);
		if (n <= 0)
			break;
		space = pvkit_ring_prod_space(&q->rsp, size);
		if (space < 0)
			return space;
		/*
		 * No room to answer one more: wait for the guest to read
		 * answers.  With every id held, a posting can only be a
		 * duplicate: take it, and check_rx() says so.
		 */
		if (nb->rx_count >= (unsigned int)space && nb->rx_count < size) {
			stalled = true;
			break;
		}
		n = netreq_ring_get(&q->req, &req, 1);
		if (n <= 0)
			break;
		taken++;
		v = check_rx(nb, &req, size, &why);
		if (v == NET_BROKEN) {
			pvdev_broken(dev, "RX buffer with a bad id or segment count");
			return 2;
		}
		if (v == NET_MALFORMED) {
			nb->st.rx_malformed++;
			malformed(nb, "RX", why);
			rsp.id = req.id;
			rsp.status = PVKIT_NET_S_ERROR;
			netrsp_ring_put(&q->rsp, &rsp, 1);
			continue;
		}
		nb->rx[(nb->rx_head + nb->rx_count) % NET_RX_MAX] =
			(struct net_rxbuf){ req.seg[0].gpa, req.seg[0].len,
					    req.id };
		nb->rx_count++;
		rx_id_set(nb, req.id, true);
	}
	if (n < 0)
		return n;
	if (pvkit_ring_cons_notify(&q->req))
		pvdev_raise(dev, PVKIT_NET_QUEUE_RX);
	if (taken == NET_BATCH)
		return 1;
	if (stalled)
		return pvkit_ring_prod_arm(&q->rsp, nb->rx_count + 1);
	return pvkit_ring_cons_arm(&q->req);
}

/*
 * DATA_VALID for a receiver that accepted it, when f's checksum was
 * computed by a backend or verifies now; f is the switch's copy, which
 * no guest can change.
 */
static uint16_t rx_csum_flag(struct net_back *nb, const struct vswitch_frame *f)
{
	if (!(nb->dev->accepted & PVKIT_NET_F_RX_CSUM))
		return 0;
	if (!(f->flags & VSWITCH_F_CSUM_VALID)) {
		if (!net_l4_csum_ok(f->data, f->len))
			return 0;
		nb->st.rx_csum_verified++;
	}
	nb->st.rx_csum_valid++;
	return PVKIT_NET_RXF_DATA_VALID;
}

/* Frames waiting at the port into posted buffers: 1 more left, <0 error. */
static int rx_deliver(struct net_back *nb)
{
	struct pvdev *dev = nb->dev;
	struct pvdev_queue *q = &dev->q[PVKIT_NET_QUEUE_RX];
	unsigned int moved = 0;
	struct vswitch_frame *f = NULL;

	while (moved < NET_BATCH && nb->rx_count &&
	       (f = vswitch_pop(&nb->port))) {
		struct net_rxbuf *b = &nb->rx[nb->rx_head];
		struct pvkit_net_rsp rsp = { .id = b->id };

		moved++;
		/* Bigger than this NIC's MTU or buffer: a peer's jumbo. */
		if (f->len > b->len || f->len > nb->max_frame) {
			nb->st.rx_too_big++;
			vswitch_frame_put(f);
			continue;
		}
		rsp.len = f->len;
		if (copy_to_guest(dev->dom, b->gpa, f->data, f->len)) {
			rsp.status = PVKIT_NET_S_ERROR;
			rsp.len = 0;
		} else {
			nb->st.rx_frames++;
			nb->st.rx_bytes += f->len;
			rsp.flags = rx_csum_flag(nb, f);
		}
		vswitch_frame_put(f);
		/* Room was there when the buffer was taken: never fails. */
		if (netrsp_ring_put(&q->rsp, &rsp, 1) != 1)
			return -PVKIT_ERANGE;
		rx_id_set(nb, b->id, false);
		nb->rx_head = (nb->rx_head + 1) % NET_RX_MAX;
		nb->rx_count--;
	}
	if (pvkit_ring_prod_publish_notify(&q->rsp))
		pvdev_raise(dev, PVKIT_NET_QUEUE_RX);
	return moved == NET_BATCH;
}

static bool net_work(struct pvdev *dev)
{
	struct net_back *nb = dev->priv;
	int tx, post, rx;

	if (dev->nr_queues != PVKIT_NET_QUEUES) {
		pvdev_broken(dev, "a NIC connects with both of its queues");
		return false;
	}
	tx = tx_work(nb);
	if (tx == 2)
		return false;
	if (tx < 0)
		goto broken;
	post = rx_post_work(nb);
	if (post == 2)
		return false;
	if (post < 0)
		goto broken;
	rx = rx_deliver(nb);
	if (rx < 0)
		goto broken;
	return tx || post || rx;

broken:
	pvdev_broken(dev, "ring index out of range");
	return false;
}

static void net_log(struct pvdev *dev)
{
	struct net_back *nb = dev->priv;
	struct vswitch_port_stats ps = nb->port.stats;
	const struct net_stats *s = &nb->st;

	pr_info("d%u %s: PV net %u: tx %llu frames %llu bytes, rx %llu frames %llu bytes, checksums: computed %llu, passed as valid %llu (verified here %llu), malformed tx %llu rx %llu, dropped: too big %llu, no memory %llu, port queue full %llu, no receiver %llu",
		dev->dom->id, dev->dom->name, dev->instance,
		(unsigned long long)s->tx_frames,
		(unsigned long long)s->tx_bytes,
		(unsigned long long)s->rx_frames,
		(unsigned long long)s->rx_bytes,
		(unsigned long long)s->tx_csum,
		(unsigned long long)s->rx_csum_valid,
		(unsigned long long)s->rx_csum_verified,
		(unsigned long long)s->tx_malformed,
		(unsigned long long)s->rx_malformed,
		(unsigned long long)s->rx_too_big,
		(unsigned long long)s->tx_nomem,
		(unsigned long long)ps.rx_drops,
		(unsigned long long)ps.tx_dropped);
}

const struct pv_backend pv_net_backend = {
	.name = "net",
	.dev_class = PVKIT_DEV_CLASS_NET,
	.max_queues = PVKIT_NET_QUEUES,
	.min_order = 2,
	.max_order = NET_MAX_ORDER,
	.req_slot = sizeof(struct pvkit_net_req),
	.rsp_slot = sizeof(struct pvkit_net_rsp),
	.config_len = sizeof(struct pvkit_net_config),
	.features = PVKIT_NET_F_MTU | PVKIT_NET_F_MAC | PVKIT_NET_F_CSUM |
		    PVKIT_NET_F_RX_CSUM,
	.create = net_create,
	.config = net_config,
	.connect = net_connect,
	.disconnect = net_disconnect,
	.work = net_work,
	.log = net_log,
};
