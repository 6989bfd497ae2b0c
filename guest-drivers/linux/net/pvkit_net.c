// SPDX-License-Identifier: GPL-2.0
/*
 * pvkit_net.ko: the PV NIC (pvkit/io/net.h) as an Ethernet net_device.
 *
 * The rings are connected while the interface is up (ndo_open connects,
 * ndo_stop disconnects), so a NIC that is down holds no guest memory in
 * the backend.  One NAPI context serves both queues: it reclaims TX
 * completions, receives up to its budget and refills the RX ring; both
 * ports' interrupts only schedule it.
 *
 * TX completions cost no interrupt while the queue runs: each send
 * first reclaims what the backend has answered, and the TX port's
 * interrupt is asked for only when the last id went and the queue
 * stopped; it then wakes the queue.  A sender that stops sending (or
 * waits for its socket's memory, which only a reclaim gives back) still
 * gets its skbs freed: a send leaves a timer of a tick (PVNET_TX_LAZY)
 * that schedules NAPI, which reclaims.  The skbs stay charged to their
 * sockets until then, so socket limits and TCP's small queues still
 * hold a flood back.
 *
 * Checksum offload, when the backend offers it: a CHECKSUM_PARTIAL skb
 * goes out with PVKIT_NET_TXF_CSUM and its csum_start and csum_offset,
 * and the backend computes the checksum on its own pCPU (NETIF_F_HW_CSUM,
 * ethtool's tx-checksumming); a frame the backend marks DATA_VALID
 * (a checksum it computed itself) is CHECKSUM_UNNECESSARY while
 * NETIF_F_RXCSUM is on.  Both can be turned off with ethtool -K.
 *
 * RX buffers are skbs of MTU + 14 bytes, posted in batches of
 * PVNET_REFILL_BATCH with one publish per batch.  When allocation fails
 * the refill is retried from NAPI on the next poll, and a timer
 * schedules that poll when the ring ran empty and no frame would.
 *
 * Every response is a private copy checked before use: an id that names
 * no buffer or frame in flight, a length beyond the buffer posted or
 * below a header, nonzero padding, a flag that is unknown, not accepted
 * or on an error, or an unknown status is the backend breaking the
 * protocol: the NIC stops touching the rings and the
 * driver unbinds (pvkit_dev_fail), which disconnects before any skb is
 * freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <pvkit/io/net.h>
#include <pvkit_bus.h>

#define PVNET_ORDER		8	/* 256 slots per ring */
#define PVNET_REFILL_BATCH	16
#define PVNET_REFILL_RETRY	(HZ / 10)
#define PVNET_TX_LAZY		1	/* jiffies a completion may wait */

PVKIT_RING_DEFINE_TYPED(netreq, struct pvkit_net_req)
PVKIT_RING_DEFINE_TYPED(netrsp, struct pvkit_net_rsp)

struct pvnet_stats {
	struct u64_stats_sync sync;
	u64 packets, bytes, errors, dropped;
};

struct pvnet {
	struct pvkit_device *dev;
	struct net_device *ndev;
	struct napi_struct napi;
	struct pvkit_net_config cfg;
	u32 size;			/* slots per ring */
	u32 buf_len;			/* an RX buffer: MTU + header */
	bool connected;
	bool broken;			/* stop touching the rings */

	spinlock_t tx_lock;		/* TX req ring, tx_skb[], tx_free */
	struct sk_buff **tx_skb;	/* by id */
	u16 *tx_free;
	unsigned int tx_nfree;

	struct sk_buff **rx_skb;	/* posted, by id (NAPI only) */
	u16 *rx_free;
	unsigned int rx_nfree;
	struct timer_list refill_timer;
	struct timer_list tx_timer;	/* reclaims after the last send */

	struct pvnet_stats tx, rx;
	atomic64_t refill_fail, linearized, tx_irqs, rx_irqs, bad_rsp;
	atomic64_t tx_csum, rx_csum_valid;
};

static struct pvkit_queue *txq(struct pvnet *p)
{
	return &p->dev->queues[PVKIT_NET_QUEUE_TX];
}

static struct pvkit_queue *rxq(struct pvnet *p)
{
	return &p->dev->queues[PVKIT_NET_QUEUE_RX];
}

static void stat_add(struct pvnet_stats *s, u64 bytes)
{
	u64_stats_update_begin(&s->sync);
	s->packets++;
	s->bytes += bytes;
	u64_stats_update_end(&s->sync);
}

static void stat_inc(struct pvnet_stats *s, bool error)
{
	u64_stats_update_begin(&s->sync);
	if (error)
		s->errors++;
	else
		s->dropped++;
	u64_stats_update_end(&s->sync);
}

/* The backend broke the protocol: never look at the rings again. */
static void pvnet_fail(struct pvnet *p, const char *why)
{
	WRITE_ONCE(p->broken, true);
	atomic64_inc(&p->bad_rsp);
	netif_carrier_off(p->ndev);
	pvkit_dev_fail(p->dev, why);
}

/* ---- TX ------------------------------------------------------------ */

static int tx_fill_segs(struct sk_buff *skb, struct pvkit_net_req *req)
{
	unsigned int i, n = 0;

	if (skb_headlen(skb)) {
		req->seg[n].gpa = virt_to_phys(skb->data);
		req->seg[n++].len = skb_headlen(skb);
	}
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *f = &skb_shinfo(skb)->frags[i];

		if (n == PVKIT_NET_TX_SEGS)
			return -E2BIG;
		req->seg[n].gpa = page_to_phys(skb_frag_page(f)) +
				  skb_frag_off(f);
		req->seg[n++].len = skb_frag_size(f);
	}
	req->nr_segs = n;
	return n ? 0 : -EINVAL;
}

/*
 * Reclaims every TX completion, tx_lock held (budget 0 outside NAPI);
 * NULL, or why the backend broke a rule.
 */
static const char *tx_collect(struct pvnet *p, int budget)
{
	struct pvkit_queue *q = txq(p);
	struct pvkit_net_rsp rsp;
	int n;

	while ((n = netrsp_ring_get(&q->rsp, &rsp, 1)) == 1) {
		struct sk_buff *skb;

		if (rsp.id >= p->size || !p->tx_skb[rsp.id] || rsp.flags ||
		    rsp.pad2 || rsp.len || rsp.status > PVKIT_NET_S_ERROR)
			return "bad TX response";
		skb = p->tx_skb[rsp.id];
		p->tx_skb[rsp.id] = NULL;
		p->tx_free[p->tx_nfree++] = rsp.id;
		if (rsp.status == PVKIT_NET_S_OK)
			stat_add(&p->tx, skb->len);
		else
			stat_inc(&p->tx, true);
		napi_consume_skb(skb, budget);
	}
	pvkit_ring_cons_release(&q->rsp);
	return n < 0 ? "TX response ring index out of range" : NULL;
}

/* From NAPI: reclaims, wakes a stopped queue; false when broken. */
static bool tx_reclaim(struct pvnet *p)
{
	const char *bad;
	bool wake;

	spin_lock(&p->tx_lock);
	bad = tx_collect(p, 1);
	wake = !bad && netif_queue_stopped(p->ndev) && p->tx_nfree;
	spin_unlock(&p->tx_lock);
	if (bad) {
		pvnet_fail(p, bad);
		return false;
	}
	if (wake)
		netif_wake_queue(p->ndev);
	return true;
}

/*
 * After NAPI: the TX port's interrupt only for a stopped queue, which
 * waits for a completion to wake it; true when one came meanwhile.
 * Frames still out get the lazy timer, so they are reclaimed even when
 * nothing is sent after them.
 */
static bool tx_arm(struct pvnet *p)
{
	bool again = false, out;

	spin_lock(&p->tx_lock);
	if (netif_queue_stopped(p->ndev))
		again = pvkit_ring_cons_arm(&txq(p)->rsp) != 0;
	out = p->tx_nfree < p->size;
	spin_unlock(&p->tx_lock);
	if (!again && out && !timer_pending(&p->tx_timer))
		mod_timer(&p->tx_timer, jiffies + PVNET_TX_LAZY);
	return again;
}

/* The checksum left to the backend, or done here when it cannot be. */
static int tx_csum(struct pvnet *p, struct sk_buff *skb,
		   struct pvkit_net_req *req)
{
	int start;

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	start = skb_checksum_start_offset(skb);
	if (!(p->dev->accepted & PVKIT_NET_F_CSUM) ||
	    start < PVKIT_NET_HDR_LEN || start > U16_MAX ||
	    skb->csum_offset > U16_MAX)
		return skb_checksum_help(skb);
	req->flags |= PVKIT_NET_TXF_CSUM;
	req->csum_start = start;
	req->csum_offset = skb->csum_offset;
	atomic64_inc(&p->tx_csum);
	return 0;
}

static netdev_tx_t pvnet_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct pvnet *p = netdev_priv(ndev);
	struct pvkit_net_req req = {};
	struct pvkit_queue *q = txq(p);
	netdev_tx_t ret = NETDEV_TX_OK;
	const char *bad;
	u16 id;

	if (skb_shinfo(skb)->nr_frags + 1 > PVKIT_NET_TX_SEGS) {
		atomic64_inc(&p->linearized);
		if (skb_linearize(skb))
			goto drop;
	}
	if (skb->len < PVKIT_NET_HDR_LEN ||
	    skb->len > ndev->mtu + PVKIT_NET_HDR_LEN || tx_fill_segs(skb, &req) ||
	    tx_csum(p, skb, &req))
		goto drop;
	req.len = skb->len;

	spin_lock(&p->tx_lock);
	bad = READ_ONCE(p->broken) ? NULL : tx_collect(p, 0);
	if (READ_ONCE(p->broken) || bad || !p->tx_nfree ||
	    pvkit_ring_prod_space(&q->req, 1) < 1) {
		/* Stopped when the last id went: only a broken NIC gets here. */
		netif_stop_queue(ndev);
		spin_unlock(&p->tx_lock);
		if (bad)
			pvnet_fail(p, bad);
		goto drop;
	}
	id = p->tx_free[--p->tx_nfree];
	p->tx_skb[id] = skb;
	req.id = id;
	netreq_ring_put(&q->req, &req, 1);
	skb_tx_timestamp(skb);
	if (!timer_pending(&p->tx_timer))
		mod_timer(&p->tx_timer, jiffies + PVNET_TX_LAZY);
	if (!p->tx_nfree) {
		netif_stop_queue(ndev);
		/* Completions from here on wake it, through NAPI. */
		if (pvkit_ring_cons_arm(&q->rsp))
			napi_schedule(&p->napi);
	}
	if ((!netdev_xmit_more() || netif_queue_stopped(ndev)) &&
	    pvkit_ring_prod_publish_notify(&q->req))
		pvkit_queue_notify(q);
	spin_unlock(&p->tx_lock);
	return ret;

drop:
	stat_inc(&p->tx, false);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* ---- RX ------------------------------------------------------------ */

/* Posts buffers in batches; false when the ring was left short. */
static bool rx_refill(struct pvnet *p)
{
	struct pvkit_queue *q = rxq(p);
	unsigned int posted = 0;
	bool short_of_memory = false;

	/* Fill only a whole batch at a time, unless the ring ran dry. */
	if (p->rx_nfree < PVNET_REFILL_BATCH && p->rx_nfree < p->size)
		return true;
	while (p->rx_nfree && pvkit_ring_prod_space(&q->req, 1) > 0) {
		struct pvkit_net_req req = { .nr_segs = 1 };
		struct sk_buff *skb;
		u16 id;

		skb = napi_alloc_skb(&p->napi, p->buf_len);
		if (!skb) {
			short_of_memory = true;
			break;
		}
		id = p->rx_free[--p->rx_nfree];
		p->rx_skb[id] = skb;
		req.id = id;
		req.seg[0].gpa = virt_to_phys(skb->data);
		req.seg[0].len = p->buf_len;
		netreq_ring_put(&q->req, &req, 1);
		posted++;
	}
	if (posted && pvkit_ring_prod_publish_notify(&q->req))
		pvkit_queue_notify(q);
	if (short_of_memory)
		atomic64_inc(&p->refill_fail);
	return !short_of_memory;
}

/* Takes one RX response; false when the backend broke a rule. */
static bool rx_one(struct pvnet *p, const struct pvkit_net_rsp *rsp)
{
	struct sk_buff *skb;

	if (rsp->id >= p->size || !p->rx_skb[rsp->id] || rsp->pad2 ||
	    (rsp->flags & ~PVKIT_NET_RXF_DATA_VALID) ||
	    (rsp->flags && (rsp->status != PVKIT_NET_S_OK ||
			    !(p->dev->accepted & PVKIT_NET_F_RX_CSUM))) ||
	    rsp->status > PVKIT_NET_S_ERROR ||
	    (rsp->status == PVKIT_NET_S_OK &&
	     (rsp->len < PVKIT_NET_HDR_LEN || rsp->len > p->buf_len)) ||
	    (rsp->status != PVKIT_NET_S_OK && rsp->len)) {
		pvnet_fail(p, "bad RX response");
		return false;
	}
	skb = p->rx_skb[rsp->id];
	p->rx_skb[rsp->id] = NULL;
	p->rx_free[p->rx_nfree++] = rsp->id;
	if (rsp->status != PVKIT_NET_S_OK) {
		stat_inc(&p->rx, true);
		napi_consume_skb(skb, 1);
		return true;
	}
	skb_put(skb, rsp->len);
	skb->protocol = eth_type_trans(skb, p->ndev);
	if ((rsp->flags & PVKIT_NET_RXF_DATA_VALID) &&
	    (p->ndev->features & NETIF_F_RXCSUM)) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		atomic64_inc(&p->rx_csum_valid);
	}
	stat_add(&p->rx, rsp->len);
	napi_gro_receive(&p->napi, skb);
	return true;
}

static int rx_poll(struct pvnet *p, int budget)
{
	struct pvkit_queue *q = rxq(p);
	struct pvkit_net_rsp rsp;
	int done = 0, n = 0;

	while (done < budget && (n = netrsp_ring_get(&q->rsp, &rsp, 1)) == 1) {
		if (!rx_one(p, &rsp))
			return -EIO;
		done++;
	}
	pvkit_ring_cons_release(&q->rsp);
	if (n < 0) {
		pvnet_fail(p, "RX response ring index out of range");
		return -EIO;
	}
	return done;
}

static void pvnet_refill_timer(struct timer_list *t)
{
	struct pvnet *p = from_timer(p, t, refill_timer);

	napi_schedule(&p->napi);
}

static void pvnet_tx_timer(struct timer_list *t)
{
	struct pvnet *p = from_timer(p, t, tx_timer);

	napi_schedule(&p->napi);
}

static int pvnet_poll(struct napi_struct *napi, int budget)
{
	struct pvnet *p = container_of(napi, struct pvnet, napi);
	int done;

	if (READ_ONCE(p->broken) || !tx_reclaim(p))
		goto stop;
	done = rx_poll(p, budget);
	if (done < 0)
		goto stop;
	/* Nothing posted and no memory: only the timer will retry. */
	if (!rx_refill(p) && p->rx_nfree == p->size)
		mod_timer(&p->refill_timer, jiffies + PVNET_REFILL_RETRY);
	if (done == budget)
		return budget;
	if (!napi_complete_done(napi, done))
		return done;
	/* Ask for the ports' interrupts, then look once more. */
	if (pvkit_ring_cons_arm(&rxq(p)->rsp) || tx_arm(p))
		napi_schedule(napi);
	return done;

stop:
	napi_complete(napi);
	return 0;
}

static irqreturn_t pvnet_tx_interrupt(int irq, void *data)
{
	struct pvnet *p = data;

	atomic64_inc(&p->tx_irqs);
	napi_schedule(&p->napi);
	return IRQ_HANDLED;
}

static irqreturn_t pvnet_rx_interrupt(int irq, void *data)
{
	struct pvnet *p = data;

	atomic64_inc(&p->rx_irqs);
	napi_schedule(&p->napi);
	return IRQ_HANDLED;
}

/* ---- up and down ------------------------------------------------------ */

static void pvnet_reset_ids(struct pvnet *p)
{
	for (u32 i = 0; i < p->size; i++) {
		p->tx_free[i] = p->size - 1 - i;
		p->rx_free[i] = p->size - 1 - i;
	}
	p->tx_nfree = p->rx_nfree = p->size;
}

/* The backend is disconnected: nothing can reach these buffers now. */
static void pvnet_free_bufs(struct pvnet *p)
{
	for (u32 i = 0; i < p->size; i++) {
		if (p->tx_skb[i]) {
			dev_kfree_skb_any(p->tx_skb[i]);
			p->tx_skb[i] = NULL;
		}
		if (p->rx_skb[i]) {
			dev_kfree_skb_any(p->rx_skb[i]);
			p->rx_skb[i] = NULL;
		}
	}
}

static int pvnet_connect(struct pvnet *p)
{
	struct pvkit_device *dev = p->dev;
	struct pvkit_connect_params cp = {
		.nr_queues = PVKIT_NET_QUEUES,
		.order = ilog2(p->size),
		.req_slot = sizeof(struct pvkit_net_req),
		.rsp_slot = sizeof(struct pvkit_net_rsp),
		.features = dev->features & (PVKIT_NET_F_MTU | PVKIT_NET_F_MAC |
					     PVKIT_NET_F_CSUM |
					     PVKIT_NET_F_RX_CSUM),
	};
	int rc;

	rc = pvkit_dev_connect(dev, &cp);
	if (rc)
		return rc;
	rc = request_irq(txq(p)->irq, pvnet_tx_interrupt, 0, "pvkit_net-tx",
			 p);
	if (rc)
		goto disconnect;
	rc = request_irq(rxq(p)->irq, pvnet_rx_interrupt, 0, "pvkit_net-rx",
			 p);
	if (rc)
		goto free_tx;
	p->connected = true;
	return 0;

free_tx:
	free_irq(txq(p)->irq, p);
disconnect:
	pvkit_dev_disconnect(dev);
	return rc;
}

static void pvnet_disconnect(struct pvnet *p)
{
	if (!p->connected)
		return;
	free_irq(rxq(p)->irq, p);
	free_irq(txq(p)->irq, p);
	pvkit_dev_disconnect(p->dev);
	p->connected = false;
	pvnet_free_bufs(p);
}

static int pvkit_net_link(struct pvnet *p)
{
	int rc = pvkit_dev_config(p->dev, &p->cfg, sizeof(p->cfg));

	if (rc < 0)
		return rc;
	if (p->cfg.link == PVKIT_NET_LINK_UP)
		netif_carrier_on(p->ndev);
	else
		netif_carrier_off(p->ndev);
	return 0;
}

static int pvnet_open(struct net_device *ndev)
{
	struct pvnet *p = netdev_priv(ndev);
	int rc;

	if (READ_ONCE(p->broken))
		return -EIO;
	pvnet_reset_ids(p);
	rc = pvnet_connect(p);
	if (rc)
		return rc;
	rc = pvkit_net_link(p);
	if (rc) {
		pvnet_disconnect(p);
		return rc;
	}
	napi_enable(&p->napi);
	/* The first fill runs in NAPI, like every later one. */
	napi_schedule(&p->napi);
	netif_start_queue(ndev);
	return 0;
}

static int pvnet_stop(struct net_device *ndev)
{
	struct pvnet *p = netdev_priv(ndev);

	netif_tx_disable(ndev);
	napi_disable(&p->napi);
	del_timer_sync(&p->refill_timer);
	del_timer_sync(&p->tx_timer);
	netif_carrier_off(ndev);
	pvnet_disconnect(p);
	return 0;
}

static void pvnet_get_stats64(struct net_device *ndev,
			      struct rtnl_link_stats64 *st)
{
	struct pvnet *p = netdev_priv(ndev);
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&p->tx.sync);
		st->tx_packets = p->tx.packets;
		st->tx_bytes = p->tx.bytes;
		st->tx_errors = p->tx.errors;
		st->tx_dropped = p->tx.dropped;
	} while (u64_stats_fetch_retry(&p->tx.sync, start));
	do {
		start = u64_stats_fetch_begin(&p->rx.sync);
		st->rx_packets = p->rx.packets;
		st->rx_bytes = p->rx.bytes;
		st->rx_errors = p->rx.errors;
		st->rx_dropped = p->rx.dropped;
	} while (u64_stats_fetch_retry(&p->rx.sync, start));
}

static const struct net_device_ops pvnet_ops = {
	.ndo_open = pvnet_open,
	.ndo_stop = pvnet_stop,
	.ndo_start_xmit = pvnet_xmit,
	.ndo_get_stats64 = pvnet_get_stats64,
	.ndo_validate_addr = eth_validate_addr,
};

/* ---- ethtool ---------------------------------------------------------- */

static const char pvnet_stat_names[][ETH_GSTRING_LEN] = {
	"rx_refill_failures", "tx_linearized", "tx_interrupts",
	"rx_interrupts", "bad_responses", "notifications",
	"tx_csum_offloaded", "rx_csum_valid",
};

static void pvnet_drvinfo(struct net_device *ndev,
			  struct ethtool_drvinfo *info)
{
	struct pvnet *p = netdev_priv(ndev);

	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->bus_info, dev_name(&p->dev->dev), sizeof(info->bus_info));
	info->n_stats = ARRAY_SIZE(pvnet_stat_names);
}

static int pvnet_sset_count(struct net_device *ndev, int sset)
{
	return sset == ETH_SS_STATS ? ARRAY_SIZE(pvnet_stat_names) :
				      -EOPNOTSUPP;
}

static void pvnet_strings(struct net_device *ndev, u32 sset, u8 *buf)
{
	if (sset == ETH_SS_STATS)
		memcpy(buf, pvnet_stat_names, sizeof(pvnet_stat_names));
}

static void pvnet_ethtool_stats(struct net_device *ndev,
				struct ethtool_stats *es, u64 *data)
{
	struct pvnet *p = netdev_priv(ndev);

	data[0] = atomic64_read(&p->refill_fail);
	data[1] = atomic64_read(&p->linearized);
	data[2] = atomic64_read(&p->tx_irqs);
	data[3] = atomic64_read(&p->rx_irqs);
	data[4] = atomic64_read(&p->bad_rsp);
	data[5] = atomic64_read(&p->dev->notifications);
	data[6] = atomic64_read(&p->tx_csum);
	data[7] = atomic64_read(&p->rx_csum_valid);
}

static const struct ethtool_ops pvnet_ethtool_ops = {
	.get_drvinfo = pvnet_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_sset_count = pvnet_sset_count,
	.get_strings = pvnet_strings,
	.get_ethtool_stats = pvnet_ethtool_stats,
};

/* ---- probe and remove ------------------------------------------------- */

static int pvnet_config(struct pvnet *p)
{
	struct pvkit_device *dev = p->dev;
	struct net_device *ndev = p->ndev;
	int rc;

	if (dev->max_queues != PVKIT_NET_QUEUES ||
	    dev->config_len < sizeof(p->cfg))
		return -EINVAL;
	rc = pvkit_dev_config(dev, &p->cfg, sizeof(p->cfg));
	if (rc < 0)
		return rc;
	if (p->cfg.pad || !is_valid_ether_addr(p->cfg.mac) ||
	    p->cfg.mtu < PVKIT_NET_MIN_MTU || p->cfg.mtu > PVKIT_NET_MAX_MTU)
		return -EINVAL;
	eth_hw_addr_set(ndev, p->cfg.mac);
	ndev->min_mtu = PVKIT_NET_MIN_MTU;
	ndev->max_mtu = (dev->features & PVKIT_NET_F_MTU) ? p->cfg.mtu :
			PVKIT_NET_DEFAULT_MTU;
	ndev->mtu = ndev->max_mtu;
	p->buf_len = ndev->max_mtu + PVKIT_NET_HDR_LEN;
	p->size = 1u << clamp_t(u32, PVNET_ORDER, dev->min_order,
				dev->max_order);
	return 0;
}

static int pvnet_alloc_ids(struct pvnet *p)
{
	p->tx_skb = kcalloc(p->size, sizeof(*p->tx_skb), GFP_KERNEL);
	p->rx_skb = kcalloc(p->size, sizeof(*p->rx_skb), GFP_KERNEL);
	p->tx_free = kcalloc(p->size, sizeof(*p->tx_free), GFP_KERNEL);
	p->rx_free = kcalloc(p->size, sizeof(*p->rx_free), GFP_KERNEL);
	if (p->tx_skb && p->rx_skb && p->tx_free && p->rx_free)
		return 0;
	return -ENOMEM;
}

static void pvnet_free_ids(struct pvnet *p)
{
	kfree(p->tx_skb);
	kfree(p->rx_skb);
	kfree(p->tx_free);
	kfree(p->rx_free);
}

static int pvnet_probe(struct pvkit_device *dev)
{
	struct net_device *ndev;
	struct pvnet *p;
	int rc;

	ndev = alloc_etherdev(sizeof(*p));
	if (!ndev)
		return -ENOMEM;
	p = netdev_priv(ndev);
	p->dev = dev;
	p->ndev = ndev;
	spin_lock_init(&p->tx_lock);
	u64_stats_init(&p->tx.sync);
	u64_stats_init(&p->rx.sync);
	timer_setup(&p->refill_timer, pvnet_refill_timer, 0);
	timer_setup(&p->tx_timer, pvnet_tx_timer, 0);
	SET_NETDEV_DEV(ndev, &dev->dev);
	ndev->netdev_ops = &pvnet_ops;
	ndev->ethtool_ops = &pvnet_ethtool_ops;
	rc = pvnet_config(p);
	if (rc)
		goto free;
	ndev->hw_features = NETIF_F_SG;
	if (dev->features & PVKIT_NET_F_CSUM)
		ndev->hw_features |= NETIF_F_HW_CSUM;
	if (dev->features & PVKIT_NET_F_RX_CSUM)
		ndev->hw_features |= NETIF_F_RXCSUM;
	ndev->features = ndev->hw_features;
	rc = pvnet_alloc_ids(p);
	if (rc)
		goto free_ids;
	netif_napi_add(ndev, &p->napi, pvnet_poll);
	netif_carrier_off(ndev);
	dev_set_drvdata(&dev->dev, p);
	rc = register_netdev(ndev);
	if (rc)
		goto napi;
	netdev_info(ndev, "PV NIC %u: %pM, MTU %u, rings of %u, features %#llx\n",
		    dev->instance, p->cfg.mac, ndev->mtu, p->size,
		    dev->features);
	return 0;

napi:
	dev_set_drvdata(&dev->dev, NULL);
	netif_napi_del(&p->napi);
free_ids:
	pvnet_free_ids(p);
free:
	free_netdev(ndev);
	return rc;
}

static void pvnet_remove(struct pvkit_device *dev)
{
	struct pvnet *p = dev_get_drvdata(&dev->dev);

	unregister_netdev(p->ndev);	/* stops it: disconnected after */
	netif_napi_del(&p->napi);
	pvnet_free_ids(p);
	dev_set_drvdata(&dev->dev, NULL);
	free_netdev(p->ndev);
}

static struct pvkit_driver pvnet_driver = {
	.driver = { .name = "pvkit_net" },
	.dev_class = PVKIT_DEV_CLASS_NET,
	.probe = pvnet_probe,
	.remove = pvnet_remove,
};
module_pvkit_driver(pvnet_driver);

MODULE_ALIAS("pvkit:net");
MODULE_DESCRIPTION("pvkit PV NIC");
MODULE_LICENSE("GPL");
