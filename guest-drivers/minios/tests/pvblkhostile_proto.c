// SPDX-License-Identifier: MIT
/*
 * test=pvblkhostile, protocol violations and load: segment counts over
 * the limits, reused ids, ring indices that jump, requests rewritten
 * after the notify, event index garbage, notify floods and a full ring
 * the frontend never reads.  Each must leave the device BROKEN or
 * working, never the hypervisor hung.
 */
#include <lib/printf.h>
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvblk.h>
#include <minios/pvdev.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include "pvblkhostile.h"

/*
 * Lets how() break the protocol on a fresh connection with features,
 * and expects BROKEN, CONNECT refused while BROKEN, DISCONNECT back to
 * CLOSED, and a clean connect that works.
 */
static void expect_broken(void (*how)(void), uint64_t features,
			  const char *what)
{
	struct pvkit_dev_connect req;

	if (!reconnect(features))
		return;
	how();
	if (!wait_state(PVKIT_DEV_STATE_BROKEN, 2000))
		ktap_fail("%s: device state %u, not BROKEN", what, dev_state());
	else
		breaks++;
	memset(&req, 0, sizeof(req));
	req.index = blk.info.index;
	req.nr_queues = 1;
	req.queue[0].req_gpa = gpa(blk.q[0].req_mem);
	req.queue[0].rsp_gpa = gpa(blk.q[0].rsp_mem);
	req.queue[0].order = blk.order;
	req.queue[0].port = blk.q[0].port;
	EXPECT_EQ(hc_dev_connect(&req), -PVKIT_EBUSY);
	EXPECT_EQ(hc_dev_disconnect(blk.info.index), 0);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CLOSED);
	if (reconnect(FEATURES) && !works())
		ktap_fail("the device does not work after %s", what);
}

static void read_req(struct pvkit_blk_req *req, uint16_t nr_segs)
{
	struct pvkit_blk_seg *seg = (void *)ind;

	memset(req, 0, sizeof(*req));
	memset(ind, 0, 4096);
	req->op = PVKIT_BLK_OP_READ;
	req->id = next_id++;
	req->nr_segs = nr_segs;
	req->nr_sectors = nr_segs;
	for (unsigned int i = 0; i < nr_segs && i < PVKIT_BLK_INDIRECT_SEGS;
	     i++) {
		seg[i].gpa = gpa(rbuf) + (i % 8) * 512;
		seg[i].len = 512;
	}
	if (nr_segs <= PVKIT_BLK_INLINE_SEGS)
		memcpy(req->seg, seg, nr_segs * sizeof(*seg));
	else
		req->indirect_gpa = gpa(ind);
}

static void push_read(uint16_t nr_segs)
{
	struct pvkit_blk_req req;

	read_req(&req, nr_segs);
	if (!push(&req, 1))
		ktap_fail("push failed");
}

static void inline_plus_one(void)
{
	push_read(PVKIT_BLK_INLINE_SEGS + 1);
}

static void max_segs_plus_one(void)
{
	push_read(PVKIT_BLK_INDIRECT_SEGS + 1);
}

static void nr_segs_ffff(void)
{
	push_read(0xffff);
}

void case_segs_without_indirect(void)
{
	if (!found)
		return ktap_fail("no PV disk");
	expect_broken(inline_plus_one, PVKIT_BLK_F_FLUSH,
		      "7 segments without INDIRECT");
}

void case_segs_above_max(void)
{
	if (!found)
		return ktap_fail("no PV disk");
	expect_broken(max_segs_plus_one, FEATURES, "257 segments");
	expect_broken(nr_segs_ffff, FEATURES, "65535 segments");
}

/* Two requests with one id in a single publish. */
static void id_twice(void)
{
	struct pvkit_blk_req req[2];

	read_req(&req[0], 1);
	req[1] = req[0];
	if (!push(req, 2))
		ktap_fail("push failed");
}

/* A repeat of the first id with another request between them. */
static void id_twice_apart(void)
{
	struct pvkit_blk_req req[3];

	read_req(&req[0], 1);
	req[1] = req[0];
	req[1].id = next_id++;
	req[1].sector = 1;
	req[2] = req[0];
	if (!push(req, 3))
		ktap_fail("push failed");
}

void case_id_twice_one_batch(void)
{
	if (!found)
		return ktap_fail("no PV disk");
	expect_broken(id_twice, FEATURES, "one id twice in a batch");
	expect_broken(id_twice_apart, FEATURES,
		      "one id twice, another between");
}

/*
 * Across batches: the first is answered before the second is taken, so
 * the id is free again and both succeed.  With the response still
 * unread the id is no longer in flight either.
 */
void case_id_twice_across_batches(void)
{
	struct pvkit_blk_req req;
	struct pvkit_blk_rsp rsp[2];
	int rc;

	if (!need_device())
		return;
	read_req(&req, 1);
	if (!EXPECT_TRUE(push(&req, 1)))
		return;
	/* The backend answers at the notify; wait for it, unread. */
	for (unsigned int i = 0; i < 1000 &&
	     pvkit_ring_load_acquire(&rsp_hdr()->prod) == blk.q[0].rsp.idx;
	     i++)
		msleep(1);
	EXPECT_TRUE(push(&req, 1));
	for (unsigned int i = 0; i < 2; i++) {
		rc = pvblk_wait(&blk, 0, &rsp[i], WAIT_MS);
		if (!EXPECT_EQ(rc, 0))
			return;
		EXPECT_EQ(rsp[i].id, req.id);
		EXPECT_EQ(rsp[i].status, PVKIT_BLK_S_OK);
	}
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_TRUE(works());
}

static void prod_ahead(void)
{
	pvkit_ring_store_release(&req_hdr()->prod, blk.q[0].req.size + 1);
	evtchn_send(blk.q[0].port);
}

static void prod_far_ahead(void)
{
	pvkit_ring_store_release(&req_hdr()->prod, 0x80000000u);
	evtchn_send(blk.q[0].port);
}

/* One good request answered, then prod moved behind cons. */
static void prod_behind(void)
{
	struct pvkit_blk_req req;
	struct pvkit_blk_rsp rsp;

	read_req(&req, 1);
	if (!push(&req, 1) || pvblk_wait(&blk, 0, &rsp, WAIT_MS))
		ktap_fail("the good request was not answered");
	pvkit_ring_store_release(&req_hdr()->prod, 0);
	evtchn_send(blk.q[0].port);
}

/*
 * The rsp ring's cons far ahead of anything the backend produced.  The
 * backend reads cons only when it needs room, so the rsp ring is filled
 * first, unread, and one more request asks for room.
 */
static void rsp_cons_ahead(void)
{
	struct pvblk_queue *q = &blk.q[0];
	struct pvkit_blk_req req;
	uint64_t end = monotonic_ns() + 2 * NSEC_PER_SEC;

	read_req(&req, 1);
	for (uint32_t i = 0; i < q->rsp.size; i++) {
		req.id = next_id++;
		pvkit_ring_prod_put(&q->req, &req, 1);
	}
	pvkit_ring_prod_publish(&q->req);
	evtchn_send(q->port);
	while (pvkit_ring_load_acquire(&rsp_hdr()->prod) != q->rsp.size &&
	       monotonic_ns() < end)
		msleep(1);
	pvkit_ring_store_release(&rsp_hdr()->cons, 0x40000000u);
	push_read(1);
}

void case_ring_index_jumps(void)
{
	if (!found)
		return ktap_fail("no PV disk");
	expect_broken(prod_ahead, FEATURES, "prod size+1 ahead");
	expect_broken(prod_far_ahead, FEATURES, "prod 2^31 ahead");
	expect_broken(prod_behind, FEATURES, "prod behind cons");
	expect_broken(rsp_cons_ahead, FEATURES, "rsp cons ahead of prod");
}

/*
 * A WRITE of 8 sectors at sector from b: two inline segments, or eight
 * of 512 bytes listed in the indirect page.
 */
static void write_req(struct pvkit_blk_req *req, uint64_t id,
		      uint64_t sector, uint8_t *b, bool indirect)
{
	struct pvkit_blk_seg *seg = (void *)ind;

	memset(req, 0, sizeof(*req));
	req->id = id;
	req->op = PVKIT_BLK_OP_WRITE;
	req->sector = sector;
	req->nr_sectors = 8;
	if (indirect) {
		memset(ind, 0, 4096);
		for (unsigned int i = 0; i < 8; i++) {
			seg[i].gpa = gpa(b) + i * 512;
			seg[i].len = 512;
		}
		req->nr_segs = 8;
		req->indirect_gpa = gpa(ind);
		return;
	}
	req->nr_segs = 2;
	req->seg[0].gpa = gpa(b);
	req->seg[0].len = 2048;
	req->seg[1].gpa = gpa(b) + 2048;
	req->seg[1].len = 2048;
}

/*
 * Version A writes sectors 32..39 from wbuf, version B 40..47 from
 * wbuf + 4 KiB.  Right after the notify the slot (and the indirect
 * list) is rewritten field by field into B: the one response and the
 * disk must match one version whole, never a mix.
 */
static bool rewrite_once(uint8_t ga, uint8_t gb, bool indirect,
			 unsigned int *as_a)
{
	struct pvkit_blk_seg *list = (void *)ind;
	struct pvblk_queue *q = &blk.q[0];
	struct pvkit_blk_req a, b;
	volatile struct pvkit_blk_req *slot;
	struct pvkit_blk_rsp rsp;
	uint8_t old = gen;
	bool is_a;
	int rc;

	fill(wbuf, 32, 8, ga);
	fill(wbuf + 4096, 40, 8, gb);
	write_req(&b, next_id++, 40, wbuf + 4096, false);
	write_req(&a, next_id++, 32, wbuf, indirect);
	if (pvkit_ring_prod_space(&q->req, 1) < 1)
		return false;
	slot = pvkit_ring_prod_slot(&q->req, 0);
	memcpy((void *)slot, &a, sizeof(a));
	pvkit_ring_prod_advance(&q->req, 1);
	pvkit_ring_prod_publish(&q->req);
	evtchn_send(q->port);
	slot->id = b.id;
	slot->sector = b.sector;
	if (indirect)
		for (unsigned int i = 0; i < 8; i++)
			list[i].gpa += 4096;
	else
		for (unsigned int i = 0; i < 2; i++)
			slot->seg[i].gpa = b.seg[i].gpa;
	rc = pvblk_wait(&blk, 0, &rsp, WAIT_MS);
	if (rc || rsp.status || (rsp.id != a.id && rsp.id != b.id)) {
		ktap_fail("rewritten request: rc %d status %u id %llu (%llu "
			  "or %llu)", rc, rsp.status,
			  (unsigned long long)rsp.id,
			  (unsigned long long)a.id, (unsigned long long)b.id);
		return false;
	}
	is_a = rsp.id == a.id;
	*as_a += is_a;
	rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, 32, rbuf, 8192);
	if (rc || !holds(rbuf, is_a ? 32 : 40, 8, is_a ? ga : gb) ||
	    !holds(rbuf + (is_a ? 4096 : 0), is_a ? 40 : 32, 8, old)) {
		ktap_fail("rewritten request %s: the disk holds a mix",
			  is_a ? "A" : "B");
		return false;
	}
	/* Both ranges back to generation old for the next round. */
	fill(wbuf, 32, 16, old);
	return !pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, 32, wbuf, 8192);
}

void case_rewritten_after_notify(void)
{
	unsigned int i, as_a = 0;

	if (!need_device())
		return;
	fill(wbuf, 32, 16, gen);
	if (!EXPECT_EQ(pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, 32, wbuf, 8192),
		       0))
		return;
	for (i = 0; i < 32; i++)
		if (!rewrite_once((uint8_t)(0x40 + i), (uint8_t)(0x80 + i),
				  i % 2, &as_a))
			break;
	ktap_diag("pvblkhostile: %u rewritten requests, %u taken as first "
		  "written", i, as_a);
	EXPECT_TRUE(works());
}

/*
 * Event indices are hints: garbage costs wake-ups, never the device.
 * The frontend's own notifies read req.prod_event, so the first
 * requests are notified whatever it says; the backend rewrites it.
 */
void case_event_index_garbage(void)
{
	struct pvkit_blk_req req;

	if (!found || !reconnect(FEATURES))
		return;
	req_hdr()->prod_event = 0xdeadbeef;
	req_hdr()->cons_event = 0x7fffffff;
	rsp_hdr()->prod_event = 12345;
	rsp_hdr()->cons_event = 0xffffffff;
	fill(wbuf, WORK_SECTOR, 1, ++gen);
	write_req(&req, 0, WORK_SECTOR, wbuf, false);
	req.nr_sectors = 1;
	req.nr_segs = 1;
	req.seg[0].len = 512;
	memset(&req.seg[1], 0, sizeof(req.seg[1]));
	EXPECT_EQ(run_req(&req), PVKIT_BLK_S_OK);
	req.op = PVKIT_BLK_OP_READ;
	req.seg[0].gpa = gpa(rbuf);
	EXPECT_EQ(run_req(&req), PVKIT_BLK_S_OK);
	EXPECT_TRUE(holds(rbuf, WORK_SECTOR, 1, gen));
	EXPECT_TRUE(works());
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
}

/* Reads of one sector as fast as possible for FLOOD_MS, a notify each. */
void case_notify_flood(void)
{
	struct pvblk_queue *q = &blk.q[0];
	uint64_t end, sends = 0, sent = 0, answered = 0, bad = 0, first;
	struct pvkit_blk_req req;
	struct pvkit_blk_rsp rsp;

	if (!need_device())
		return;
	read_req(&req, 1);
	first = next_id;
	end = monotonic_ns() + FLOOD_MS * NSEC_PER_MSEC;
	while (monotonic_ns() < end) {
		if (pvkit_ring_prod_space(&q->req, 1) > 0) {
			req.id = next_id++;
			pvkit_ring_prod_put(&q->req, &req, 1);
			pvkit_ring_prod_publish(&q->req);
			sent++;
		}
		evtchn_send(q->port);
		sends++;
		while (pvkit_ring_cons_get(&q->rsp, &rsp, 1) == 1) {
			answered++;
			bad += rsp.status || rsp.id < first || rsp.id >= next_id;
		}
		pvkit_ring_cons_notify(&q->rsp);
	}
	while (answered < sent && !pvblk_wait(&blk, 0, &rsp, WAIT_MS)) {
		answered++;
		bad += rsp.status || rsp.id < first || rsp.id >= next_id;
	}
	ktap_diag("pvblkhostile: %llu notifications, %llu requests, %llu "
		  "answered in %u ms", (unsigned long long)sends,
		  (unsigned long long)sent, (unsigned long long)answered,
		  FLOOD_MS);
	EXPECT_EQ(answered, sent);
	EXPECT_EQ(bad, 0);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
	EXPECT_TRUE(works());
}

static uint32_t fill_ring(uint32_t *first_id)
{
	struct pvblk_queue *q = &blk.q[0];
	struct pvkit_blk_req req;
	int space = pvkit_ring_prod_space(&q->req, 1);

	if (space <= 0)
		return 0;
	read_req(&req, 1);
	*first_id = (uint32_t)next_id;
	for (int i = 0; i < space; i++) {
		req.id = next_id++;
		if (pvkit_ring_prod_put(&q->req, &req, 1) != 1)
			return (uint32_t)i;
	}
	pvkit_ring_prod_publish(&q->req);
	evtchn_send(q->port);
	return (uint32_t)space;
}

/*
 * The req ring filled twice over, no response read: the backend takes
 * only what the rsp ring can answer, stays CONNECTED, and serves the
 * rest once the responses are read.
 */
void case_ring_full_unread(void)
{
	struct pvblk_queue *q;
	struct pvkit_blk_rsp rsp;
	uint32_t size, first, n1, n2, prod, cons, got = 0;
	uint64_t end;

	if (!found || !reconnect(FEATURES))
		return;
	q = &blk.q[0];
	size = q->req.size;
	n1 = fill_ring(&first);
	EXPECT_EQ(n1, size);
	end = monotonic_ns() + 2 * NSEC_PER_SEC;
	while (pvkit_ring_load_acquire(&req_hdr()->cons) != n1 &&
	       monotonic_ns() < end)
		msleep(1);
	n2 = fill_ring(&first);
	EXPECT_EQ(n2, size);
	for (unsigned int i = 0; i < 200; i++) {
		evtchn_send(q->port);
		msleep(1);
	}
	prod = pvkit_ring_load_acquire(&rsp_hdr()->prod);
	cons = pvkit_ring_load_acquire(&req_hdr()->cons);
	ktap_diag("pvblkhostile: %u requests queued, %u taken, %u answered, "
		  "none read", n1 + n2, cons, prod);
	EXPECT_EQ(prod, size);
	EXPECT_TRUE(cons - prod <= PVKIT_BLK_MAX_INFLIGHT);
	EXPECT_TRUE(cons <= size + PVKIT_BLK_MAX_INFLIGHT);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CONNECTED);
	/* Reading them lets the backend serve the rest. */
	while (got < n1 + n2 && !pvblk_wait(&blk, 0, &rsp, WAIT_MS)) {
		if (rsp.status != PVKIT_BLK_S_OK)
			ktap_fail("response %u: status %u", got, rsp.status);
		got++;
	}
	EXPECT_EQ(got, n1 + n2);
	EXPECT_TRUE(works());
}

/* The plain frontend after all of the above, on every queue. */
void case_frontend_after(void)
{
	int rc;

	if (!found)
		return ktap_fail("no PV disk");
	if (blk.connected)
		pvblk_disconnect(&blk);
	EXPECT_EQ(dev_state(), PVKIT_DEV_STATE_CLOSED);
	rc = pvblk_connect(&blk, blk.info.max_queues,
			   (FEATURES | PVKIT_BLK_F_MQ) & blk.info.features);
	if (!EXPECT_EQ(rc, 0))
		return;
	for (unsigned int q = 0; q < blk.nr_queues; q++) {
		fill(wbuf, WORK_SECTOR + q, 1, (uint8_t)(0x30 + q));
		EXPECT_EQ(pvblk_rw(&blk, q, PVKIT_BLK_OP_WRITE,
				   WORK_SECTOR + q, wbuf, 512), 0);
		EXPECT_EQ(pvblk_nodata(&blk, q, PVKIT_BLK_OP_FLUSH, 0, 0), 0);
		EXPECT_EQ(pvblk_rw(&blk, (q + 1) % blk.nr_queues,
				   PVKIT_BLK_OP_READ, WORK_SECTOR + q, rbuf,
				   512), 0);
		EXPECT_TRUE(holds(rbuf, WORK_SECTOR + q, 1,
				  (uint8_t)(0x30 + q)));
	}
	EXPECT_TRUE(canary_ok());
	pvblk_disconnect(&blk);
	ktap_diag("pvblkhostile: broke the device %u times", breaks);
}

