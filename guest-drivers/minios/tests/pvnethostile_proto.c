// SPDX-License-Identifier: MIT
/*
 * test=pvnethostile, protocol violations and load: a TX id used twice
 * (allowed: TX ids are only echoed), segment counts out of range, RX
 * ids out of range or reused, ring producers that jump, and a flood of
 * broadcast frames with malformed requests mixed in.  A violation must
 * leave the device BROKEN, CONNECT refused until DISCONNECT, and a
 * clean connect working; nothing may stop the bystanders.
 */
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvnet.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include "pvnet.h"
#include "pvnethostile.h"

#define FLOOD_BAD_EVERY	16	/* one malformed request among so many */

static bool wait_state(uint32_t want, uint64_t ms)
{
	uint64_t end = monotonic_ns() + ms * NSEC_PER_MSEC;

	while (nh_dev_state() != want) {
		if (monotonic_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

static int64_t raw_connect(void)
{
	struct pvkit_dev_connect req;

	memset(&req, 0, sizeof(req));
	req.index = nh_nic.info.index;
	req.nr_queues = PVKIT_NET_QUEUES;
	for (unsigned int i = 0; i < PVKIT_NET_QUEUES; i++) {
		req.queue[i].req_gpa = virt_to_gpa(nh_nic.q[i].req_mem);
		req.queue[i].rsp_gpa = virt_to_gpa(nh_nic.q[i].rsp_mem);
		req.queue[i].order = nh_nic.order;
		req.queue[i].port = nh_nic.q[i].port;
	}
	return hc_dev_connect(&req);
}

/*
 * Lets how() break the protocol on a fresh connection and expects
 * BROKEN, CONNECT refused, DISCONNECT back to CLOSED, and a clean
 * connect that nh_works.
 */
static void expect_broken(void (*how)(void), const char *what)
{
	if (!nh_need_nic() || !nh_reconnect())
		return;
	how();
	if (!wait_state(PVKIT_DEV_STATE_BROKEN, WAIT_MS))
		ktap_fail("%s: device state %u, not BROKEN", what,
			  nh_dev_state());
	else
		nh_breaks++;
	EXPECT_EQ(raw_connect(), -PVKIT_EBUSY);
	EXPECT_EQ(hc_dev_disconnect(nh_nic.info.index), 0);
	EXPECT_EQ(nh_dev_state(), PVKIT_DEV_STATE_CLOSED);
	if (nh_reconnect() && !nh_works())
		ktap_fail("the NIC does not work after %s", what);
}

/* A good TX request for an echo of seq, built in nh_area + off. */
static void good_tx(struct pvkit_net_req *req, uint32_t seq, uint32_t off)
{
	memset(req, 0, sizeof(*req));
	nh_echo_req(nh_area + off, seq, PVT_MIN);
	req->nr_segs = 1;
	req->len = req->seg[0].len = PVT_MIN;
	req->seg[0].gpa = virt_to_gpa(nh_area + off);
}

static void push_n(unsigned int qi, const struct pvkit_net_req *req,
		   unsigned int n)
{
	struct pvnet_queue *q = &nh_nic.q[qi];

	if (pvkit_ring_prod_put(&q->req, req, n) != (int)n)
		return ktap_fail("%s: no room on the ring", ktap_case_name());
	pvkit_ring_prod_publish(&q->req);
	evtchn_send(q->port);
}

void nh_case_tx_same_id_twice(void)
{
	struct pvkit_net_req req[2];
	struct pvkit_net_rsp rsp;
	uint32_t a = nh_next_seq++, b = nh_next_seq++;

	if (!nh_need_nic() || !nh_tx_drain())
		return;
	good_tx(&req[0], a, 0);
	good_tx(&req[1], b, 1024);
	req[0].id = req[1].id = 7;
	push_n(PVKIT_NET_QUEUE_TX, req, 2);
	for (unsigned int i = 0; i < 2; i++) {
		int rc = pvnet_wait_rsp(&nh_nic, PVKIT_NET_QUEUE_TX, &rsp,
					WAIT_MS);

		if (rc)
			return ktap_fail("answer %u: %d", i, rc);
		if (rsp.id != 7 || rsp.status != PVKIT_NET_S_OK)
			return ktap_fail("answer %u: id %u status %u", i,
					 rsp.id, rsp.status);
	}
	EXPECT_TRUE(nh_expect_echo(a));
	EXPECT_TRUE(nh_expect_echo(b));
	EXPECT_EQ(nh_dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_TRUE(nh_works());
}

static void push_tx_segs(uint16_t nr_segs)
{
	struct pvkit_net_req req;

	good_tx(&req, PVT_SEQ_BAD | nr_segs, 0);
	req.nr_segs = nr_segs;
	push_n(PVKIT_NET_QUEUE_TX, &req, 1);
}

static void tx_segs_0(void)
{
	push_tx_segs(0);
}

static void tx_segs_4(void)
{
	push_tx_segs(PVKIT_NET_TX_SEGS + 1);
}

static void tx_segs_ffff(void)
{
	push_tx_segs(0xffff);
}

void nh_case_tx_bad_seg_count(void)
{
	expect_broken(tx_segs_0, "TX nr_segs 0");
	expect_broken(tx_segs_4, "TX nr_segs 4");
	expect_broken(tx_segs_ffff, "TX nr_segs 0xffff");
}

static void rx_post(uint32_t id, uint16_t nr_segs, unsigned int copies)
{
	struct pvkit_net_req req[2];

	memset(req, 0, sizeof(req));
	req[0].id = id;
	req[0].nr_segs = nr_segs;
	req[0].seg[0].gpa = virt_to_gpa(nh_area);
	req[0].seg[0].len = 1514;
	req[1] = req[0];
	push_n(PVKIT_NET_QUEUE_RX, req, copies);
}

static void rx_id_size(void)
{
	rx_post(nh_nic.slots, 1, 1);
}

static void rx_id_ffffffff(void)
{
	rx_post(0xffffffffu, 1, 1);
}

static void rx_id_held(void)
{
	rx_post(0, 1, 1);	/* the frontend's buffer 0 is posted */
}

static void rx_id_twice(void)
{
	rx_post(RAW_RX_ID, 1, 2);
}

static void rx_segs_0(void)
{
	rx_post(RAW_RX_ID, 0, 1);
}

static void rx_segs_2(void)
{
	rx_post(RAW_RX_ID, 2, 1);
}

void nh_case_rx_bad_ids(void)
{
	expect_broken(rx_id_size, "RX id = ring size");
	expect_broken(rx_id_ffffffff, "RX id 0xffffffff");
	expect_broken(rx_id_held, "RX id of a posted buffer");
	expect_broken(rx_id_twice, "one RX id twice in one publish");
	expect_broken(rx_segs_0, "RX nr_segs 0");
	expect_broken(rx_segs_2, "RX nr_segs 2");
}

static void prod_move(unsigned int qi, uint32_t by)
{
	volatile struct pvkit_ring_hdr *h = nh_nic.q[qi].req_mem;

	h->prod = h->prod + by;
	evtchn_send(nh_nic.q[qi].port);
}

static void tx_prod_ahead(void)
{
	prod_move(PVKIT_NET_QUEUE_TX, nh_nic.slots + 1);
}

static void tx_prod_far_ahead(void)
{
	prod_move(PVKIT_NET_QUEUE_TX, 0x80000000u);
}

/* After one frame taken, prod moved back behind the backend's cons. */
static void tx_prod_behind(void)
{
	if (!nh_works())
		return;
	prod_move(PVKIT_NET_QUEUE_TX, (uint32_t)-1);
}

static void rx_prod_ahead(void)
{
	prod_move(PVKIT_NET_QUEUE_RX, nh_nic.slots + 1);
}

/*
 * Fills the TX rsp ring, reading nothing, then moves its cons far past
 * prod: the backend reads cons only when it needs room, for the next
 * request.  The frames go to an address nobody has.
 */
static void tx_rsp_cons_ahead(void)
{
	static const uint8_t nobody[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct pvnet_queue *q = &nh_nic.q[PVKIT_NET_QUEUE_TX];
	volatile struct pvkit_ring_hdr *rsp = q->rsp_mem;
	uint64_t end = monotonic_ns() + WAIT_MS * NSEC_PER_MSEC;
	struct pvkit_net_req req[PVNET_MAX_SLOTS];

	memset(req, 0, sizeof(req));
	pvt_build(nh_area, nobody, nh_nic.config.mac, 0x7f, 0, PVT_MIN);
	for (uint32_t i = 0; i < nh_nic.slots; i++) {
		req[i].id = i;
		req[i].nr_segs = 1;
		req[i].len = req[i].seg[0].len = PVT_MIN;
		req[i].seg[0].gpa = virt_to_gpa(nh_area);
	}
	push_n(PVKIT_NET_QUEUE_TX, req, nh_nic.slots);
	while (rsp->prod != nh_nic.slots && monotonic_ns() < end)
		msleep(1);
	if (rsp->prod != nh_nic.slots)
		return ktap_fail("the TX rsp ring never filled: prod %u",
				 rsp->prod);
	rsp->cons = rsp->cons + 0x40000000u;
	push_n(PVKIT_NET_QUEUE_TX, req, 1);
}

void nh_case_ring_index_jumps(void)
{
	expect_broken(tx_prod_ahead, "TX prod size+1 ahead");
	expect_broken(tx_prod_far_ahead, "TX prod 2^31 ahead");
	expect_broken(tx_prod_behind, "TX prod behind cons");
	expect_broken(rx_prod_ahead, "RX prod size+1 ahead");
	expect_broken(tx_rsp_cons_ahead, "TX rsp cons 2^30 ahead");
}

struct flood {
	uint64_t pushed, ok, bad, answered;
};

/* Fills every free TX slot: broadcast junk, one in 16 malformed. */
static void flood_fill(struct flood *f, const struct pvkit_net_req *good)
{
	struct pvnet_queue *q = &nh_nic.q[PVKIT_NET_QUEUE_TX];
	struct pvkit_net_req req;

	while (pvkit_ring_prod_space(&q->req, 1) > 0) {
		req = *good;
		req.id = (uint32_t)f->pushed;
		if (f->pushed % FLOOD_BAD_EVERY == FLOOD_BAD_EVERY - 1)
			req.seg[0].gpa = start_info->mem_bytes;
		pvkit_ring_prod_put(&q->req, &req, 1);
		f->pushed++;
	}
	pvkit_ring_prod_publish(&q->req);
	evtchn_send(q->port);
}

static bool flood_collect(struct flood *f)
{
	struct pvnet_queue *q = &nh_nic.q[PVKIT_NET_QUEUE_TX];
	struct pvkit_net_rsp rsp;
	int rc;

	while ((rc = pvkit_ring_cons_get(&q->rsp, &rsp, 1)) == 1) {
		bool bad = rsp.id % FLOOD_BAD_EVERY == FLOOD_BAD_EVERY - 1;

		f->answered++;
		if (rsp.status != (bad ? PVKIT_NET_S_ERROR : PVKIT_NET_S_OK)) {
			ktap_fail("flood: id %u status %u", rsp.id, rsp.status);
			return false;
		}
		if (bad)
			f->bad++;
		else
			f->ok++;
	}
	pvkit_ring_cons_notify(&q->rsp);
	return rc == 0;
}

void nh_case_flood(void)
{
	struct pvnet_queue *q = &nh_nic.q[PVKIT_NET_QUEUE_TX];
	struct pvkit_net_req good;
	struct flood f = { 0 };
	uint64_t t0, end;

	if (!nh_need_nic() || !nh_tx_drain())
		return;
	memset(&good, 0, sizeof(good));
	pvt_build(nh_area, pvt_broadcast, nh_nic.config.mac, PVT_FLOOD, 0,
		  PVT_MIN);
	good.nr_segs = 1;
	good.len = good.seg[0].len = PVT_MIN;
	good.seg[0].gpa = virt_to_gpa(nh_area);
	t0 = monotonic_ns();
	end = t0 + FLOOD_MS * NSEC_PER_MSEC;
	while (monotonic_ns() < end) {
		uint64_t seen = nh_nic.events;

		flood_fill(&f, &good);
		if (!flood_collect(&f))
			return;
		if (f.answered == f.pushed || pvkit_ring_cons_arm(&q->rsp))
			continue;
		pvnet_wait_event(&nh_nic, seen, monotonic_ns() + NSEC_PER_MSEC);
	}
	while (f.answered < f.pushed && monotonic_ns() < end + WAIT_MS *
	       NSEC_PER_MSEC) {
		if (!flood_collect(&f))
			return;
		msleep(1);
	}
	nh_tx_err += f.bad;
	/*
	 * The echo's queue may still hold our flood, and a frame of ours
	 * cannot push out our own: let it drain before the check.
	 */
	msleep(300);
	ktap_diag("pvnethostile: flood: %llu requests in %llu ms, %llu sent, "
		  "%llu malformed", (unsigned long long)f.pushed,
		  (unsigned long long)((monotonic_ns() - t0) / NSEC_PER_MSEC),
		  (unsigned long long)f.ok, (unsigned long long)f.bad);
	EXPECT_EQ(f.answered, f.pushed);
	EXPECT_EQ(nh_dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_TRUE(nh_works());
}

/* The attack is over: the plain frontend nh_works, the bystanders hear. */
void nh_case_frontend_after(void)
{
	if (!nh_need_nic())
		return;
	if (!nh_reconnect())
		return;
	EXPECT_TRUE(nh_works());
	for (unsigned int i = 0; i < 3; i++) {
		EXPECT_EQ(pvt_send_ctl(&nh_nic, nh_client_mac, PVT_BYE, i), 0);
		msleep(100);
	}
	EXPECT_EQ(pvt_send_ctl(&nh_nic, nh_echo_mac, PVT_DONE, 0), 0);
	EXPECT_TRUE(nh_tx_drain());
	EXPECT_EQ(nh_nic.st.bad_rsp, 0);
	ktap_diag("pvnethostile: broke the device %u times, %llu TX and %llu "
		  "RX requests answered ERROR, %llu ms since GO",
		  nh_breaks, (unsigned long long)nh_tx_err,
		  (unsigned long long)nh_rx_err,
		  (unsigned long long)((monotonic_ns() - nh_attack_ns) /
				       NSEC_PER_MSEC));
	pvnet_disconnect(&nh_nic);
}
