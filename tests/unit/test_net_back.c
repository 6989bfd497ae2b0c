// SPDX-License-Identifier: GPL-2.0
/*
 * The PV net backend (hypervisor/pv/net_back.c) against a frontend that
 * breaks the rules: TX requests with addresses outside RAM, zero, huge
 * or inconsistent lengths, padding and flags are answered ERROR,
 * counted, logged once and send nothing; bad segment counts, RX ids out
 * of range or posted twice break the device.  And two good NICs on one
 * switch: a frame from one lands in the other's posted buffer intact,
 * a frame bigger than the receiver's MTU is dropped, and a receiver that
 * posts nothing costs only its own frames.  A frame that leaves its
 * checksum to the backend arrives with it computed (checked against a
 * plain byte-pair sum, at every alignment), marked valid for a receiver
 * that accepted RX_CSUM only; checksum fields out of place, or the flag
 * not accepted, are malformed.  A whole TCP or UDP frame over IPv4 or
 * IPv6 is verified for such a receiver: marked when its checksum holds,
 * not when one byte changed, nor for fragments, short or odd headers.  A backend on a pCPU of its
 * own polls the TX ring for a while after a frame rather than asking to
 * be notified, and asks once the ring has been quiet that long.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <pvkit/io/net.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>
#include <hv/net_csum.h>
#include <hv/printk.h>
#include <hv/pv.h>
#include <hv/vswitch.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define GUEST_BYTES	(1u << 20)
#define ORDER		4
#define RING_BYTES	8192
#define BUF_GPA		0x10000		/* frames and buffers from here */

PVKIT_RING_DEFINE_TYPED(netreq, struct pvkit_net_req)
PVKIT_RING_DEFINE_TYPED(netrsp, struct pvkit_net_rsp)

/* ---- what net_back.c needs from the rest of the hypervisor ---- */

static unsigned int warn_lines, raised, kicked;
static const char *broken_why;
static uint64_t fake_now, timed_at;
static bool may_poll;

void *kmalloc(size_t size) { return malloc(size); }
void *kzalloc(size_t size) { return calloc(1, size); }
void kfree(void *p) { free(p); }
uint64_t now_ns(void) { return fake_now; }

void printk(int level, const char *fmt, ...)
{
	(void)fmt;
	if (level == LOG_WARN)
		warn_lines++;
}

bool guest_range_ok(const struct domain *d, uint64_t gpa, uint64_t len)
{
	return gpa < d->mem_bytes && len <= d->mem_bytes - gpa;
}

int copy_from_guest(const struct domain *d, void *dst, uint64_t gpa,
		    uint64_t len)
{
	if (!guest_range_ok(d, gpa, len))
		return -PVKIT_EFAULT;
	memcpy(dst, d->mem + gpa, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gpa, const void *src,
		  uint64_t len)
{
	if (!guest_range_ok(d, gpa, len))
		return -PVKIT_EFAULT;
	memcpy(d->mem + gpa, src, len);
	return 0;
}

void pvdev_raise(struct pvdev *dev, unsigned int q)
{
	(void)dev;
	(void)q;
	raised++;
}

void pvdev_broken(struct pvdev *dev, const char *why)
{
	broken_why = why;
	dev->be->disconnect(dev);
	dev->state = PVKIT_DEV_STATE_BROKEN;
}

void work_queue(struct work *w)
{
	(void)w;
	kicked++;
}

void work_queue_at(struct work *w, uint64_t due)
{
	(void)w;
	timed_at = due;
}

bool pvdev_may_poll(const struct pvdev *dev)
{
	(void)dev;
	return may_poll;
}

/* ---- a NIC and its frontend's view of the rings ---- */

struct nic {
	struct domain dom;
	struct pvdev dev;
	struct pvkit_ring req[2], rsp[2];	/* the frontend's sides */
	uint8_t *rings;
};

static void nic_init(struct nic *n, const char *name, uint16_t mtu)
{
	struct pvdev *dev = &n->dev;

	memset(n, 0, sizeof(*n));
	n->dom.mem = aligned_alloc(4096, GUEST_BYTES);
	memset(n->dom.mem, 0, GUEST_BYTES);
	n->dom.mem_bytes = GUEST_BYTES;
	snprintf(n->dom.name, sizeof(n->dom.name), "%s", name);
	n->rings = aligned_alloc(4096, 4 * RING_BYTES);
	dev->dom = &n->dom;
	dev->be = &pv_net_backend;
	dev->net_mtu = mtu;
	dev->net_mac[0] = 0x02;
	dev->net_mac[5] = (uint8_t)name[0];
	dev->work.pc = (struct pcpu *)1;	/* "scheduled": kicks count */
	dev->priv = dev->be->create(dev);
	dev->nr_queues = PVKIT_NET_QUEUES;
	dev->accepted = PVKIT_NET_F_MTU | PVKIT_NET_F_MAC;
	for (unsigned int q = 0; q < 2; q++) {
		uint8_t *req = n->rings + 2 * q * RING_BYTES;
		uint8_t *rsp = req + RING_BYTES;

		pvkit_ring_setup(req, RING_BYTES, ORDER, 64, 0);
		pvkit_ring_setup(rsp, RING_BYTES, ORDER, 16, 0);
		pvkit_ring_attach(&n->req[q], req, RING_BYTES, ORDER, 64, 0);
		pvkit_ring_attach(&n->rsp[q], rsp, RING_BYTES, ORDER, 16, 0);
		pvkit_ring_attach(&dev->q[q].req, req, RING_BYTES, ORDER, 64, 0);
		pvkit_ring_attach(&dev->q[q].rsp, rsp, RING_BYTES, ORDER, 16, 0);
		dev->q[q].order = ORDER;
	}
	dev->state = PVKIT_DEV_STATE_CONNECTED;
	dev->be->connect(dev);
}

static void nic_fini(struct nic *n)
{
	if (n->dev.state == PVKIT_DEV_STATE_CONNECTED)
		n->dev.be->disconnect(&n->dev);
	free(n->dev.priv);
	free(n->dom.mem);
	free(n->rings);
}

static void run(struct nic *n)
{
	for (unsigned int i = 0; i < 100 && n->dev.state ==
	     PVKIT_DEV_STATE_CONNECTED && n->dev.be->work(&n->dev); i++)
		;
}

static void post(struct nic *n, unsigned int q, const struct pvkit_net_req *r)
{
	EXPECT_EQ(netreq_ring_put(&n->req[q], r, 1), 1);
	pvkit_ring_prod_publish(&n->req[q]);
}

/* The next response of queue q, or status 0xffff when there is none. */
static struct pvkit_net_rsp answer(struct nic *n, unsigned int q)
{
	struct pvkit_net_rsp rsp = { .status = 0xffff };

	netrsp_ring_get(&n->rsp[q], &rsp, 1);
	pvkit_ring_cons_release(&n->rsp[q]);
	return rsp;
}

/* A TX request for a frame of len bytes at BUF_GPA, from n to dst. */
static struct pvkit_net_req frame(struct nic *n, const uint8_t *dst,
				  uint32_t len, uint8_t fill)
{
	struct pvkit_net_req r = {
		.id = 7, .nr_segs = 1, .len = len,
		.seg[0] = { .gpa = BUF_GPA, .len = len },
	};

	memset(n->dom.mem + BUF_GPA, fill, len);
	memcpy(n->dom.mem + BUF_GPA, dst, 6);
	memcpy(n->dom.mem + BUF_GPA + 6, n->dev.net_mac, 6);
	return r;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Posts RX buffer id of 9014 bytes at its own place in n's RAM. */
static void post_buf(struct nic *n, uint32_t id)
{
	struct pvkit_net_req r = {
		.id = id, .nr_segs = 1,
		.seg[0] = { .gpa = BUF_GPA + 0x4000 * (id + 1), .len = 9014 },
	};

	post(n, PVKIT_NET_QUEUE_RX, &r);
}

static uint8_t *buf_of(struct nic *n, uint32_t id)
{
	return n->dom.mem + BUF_GPA + 0x4000 * (id + 1);
}

static void test_malformed_tx_answered_error(void)
{
	static const struct {
		const char *what;
		struct pvkit_net_req r;
	} bad[] = {
		{ "outside RAM", { .nr_segs = 1, .len = 60,
			.seg[0] = { GUEST_BYTES - 30, 60, 0 } } },
		{ "wrapping", { .nr_segs = 1, .len = 60,
			.seg[0] = { ~0ull - 10, 60, 0 } } },
		{ "zero length", { .nr_segs = 1, .len = 0,
			.seg[0] = { BUF_GPA, 0, 0 } } },
		{ "below a header", { .nr_segs = 1, .len = 13,
			.seg[0] = { BUF_GPA, 13, 0 } } },
		{ "above the MTU", { .nr_segs = 1, .len = 1515,
			.seg[0] = { BUF_GPA, 1515, 0 } } },
		{ "huge segment", { .nr_segs = 1, .len = 70000,
			.seg[0] = { BUF_GPA, 70000, 0 } } },
		{ "sum differs", { .nr_segs = 2, .len = 60,
			.seg = { { BUF_GPA, 30, 0 }, { BUF_GPA, 20, 0 } } } },
		{ "csum_start without the flag", { .nr_segs = 1, .len = 60,
			.csum_start = 34, .seg[0] = { BUF_GPA, 60, 0 } } },
		{ "csum_offset without the flag", { .nr_segs = 1, .len = 60,
			.csum_offset = 6, .seg[0] = { BUF_GPA, 60, 0 } } },
		{ "checksum flag not accepted", { .nr_segs = 1, .len = 60,
			.flags = PVKIT_NET_TXF_CSUM, .csum_start = 34,
			.csum_offset = 6, .seg[0] = { BUF_GPA, 60, 0 } } },
		{ "segment padding", { .nr_segs = 1, .len = 60,
			.seg[0] = { BUF_GPA, 60, 1 } } },
		{ "unknown flag", { .nr_segs = 1, .len = 60, .flags = 2,
			.seg[0] = { BUF_GPA, 60, 0 } } },
		{ "unused segment", { .nr_segs = 1, .len = 60,
			.seg = { { BUF_GPA, 60, 0 }, { 0, 0, 1 } } } },
	};
	struct nic a, b;
	struct pvkit_net_req good;
	struct pvkit_net_rsp rsp;

	nic_init(&a, "a", 1500);
	nic_init(&b, "b", 1500);
	post_buf(&b, 0);
	run(&b);
	warn_lines = 0;
	fake_now = 1;
	/* Broadcast frames in memory, so a wrong "yes" would deliver. */
	frame(&a, bcast, 1600, 0x5a);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		struct pvkit_net_req r = bad[i].r;

		r.id = 100 + i;
		post(&a, 0, &r);
		run(&a);
		rsp = answer(&a, 0);
		if (rsp.id != r.id || rsp.status != PVKIT_NET_S_ERROR)
			ktap_fail_at(__FILE__, __LINE__, bad[i].what);
	}
	EXPECT_EQ(a.dev.state, PVKIT_DEV_STATE_CONNECTED);
	run(&b);
	EXPECT_EQ(answer(&b, PVKIT_NET_QUEUE_RX).status, 0xffff);
	EXPECT_EQ(warn_lines, 1);	/* one line for the lot */
	/* A second later, the next one is logged again. */
	fake_now += 2000000000ull;
	post(&a, 0, &bad[0].r);
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_ERROR);
	EXPECT_EQ(warn_lines, 2);
	/* And a good frame still goes through. */
	good = frame(&a, bcast, 60, 0x11);
	post(&a, 0, &good);
	run(&a);
	rsp = answer(&a, 0);
	EXPECT_EQ(rsp.id, 7);
	EXPECT_EQ(rsp.status, PVKIT_NET_S_OK);
	run(&b);
	rsp = answer(&b, PVKIT_NET_QUEUE_RX);
	EXPECT_EQ(rsp.status, PVKIT_NET_S_OK);
	EXPECT_EQ(rsp.len, 60);
	nic_fini(&a);
	nic_fini(&b);
}

static void expect_broken(const struct pvkit_net_req *r, unsigned int q,
			  const char *what)
{
	struct nic a;

	nic_init(&a, "a", 1500);
	broken_why = NULL;
	post(&a, q, r);
	run(&a);
	if (a.dev.state != PVKIT_DEV_STATE_BROKEN || !broken_why)
		ktap_fail_at(__FILE__, __LINE__, what);
	nic_fini(&a);
}

static void test_violations_break(void)
{
	struct pvkit_net_req r = { .nr_segs = 0, .len = 60 };
	struct nic a;

	expect_broken(&r, PVKIT_NET_QUEUE_TX, "TX nr_segs 0");
	r.nr_segs = PVKIT_NET_TX_SEGS + 1;
	expect_broken(&r, PVKIT_NET_QUEUE_TX, "TX nr_segs 4");
	r = (struct pvkit_net_req){ .id = 1u << ORDER, .nr_segs = 1,
				    .seg[0] = { BUF_GPA, 2000, 0 } };
	expect_broken(&r, PVKIT_NET_QUEUE_RX, "RX id = ring size");
	r.id = 0;
	r.nr_segs = 2;
	expect_broken(&r, PVKIT_NET_QUEUE_RX, "RX nr_segs 2");
	/* The same id posted twice while the first is held. */
	nic_init(&a, "a", 1500);
	post_buf(&a, 3);
	run(&a);
	EXPECT_EQ(a.dev.state, PVKIT_DEV_STATE_CONNECTED);
	post_buf(&a, 3);
	run(&a);
	EXPECT_EQ(a.dev.state, PVKIT_DEV_STATE_BROKEN);
	nic_fini(&a);
	/* A malformed RX posting is refused, not a violation. */
	nic_init(&a, "a", 1500);
	r = (struct pvkit_net_req){ .id = 2, .nr_segs = 1,
				    .seg[0] = { GUEST_BYTES - 100, 2000, 0 } };
	post(&a, PVKIT_NET_QUEUE_RX, &r);
	run(&a);
	EXPECT_EQ(a.dev.state, PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(answer(&a, PVKIT_NET_QUEUE_RX).status, PVKIT_NET_S_ERROR);
	nic_fini(&a);
}

static void test_frame_delivered_intact(void)
{
	struct nic a, b;
	struct pvkit_net_req r;
	struct pvkit_net_rsp rsp;
	uint8_t want[1514];

	nic_init(&a, "a", 9000);
	nic_init(&b, "b", 1500);
	post_buf(&b, 5);
	post_buf(&b, 9);
	run(&b);
	/* Three segments, scattered: the frame arrives in one piece. */
	r = frame(&a, b.dev.net_mac, 1514, 0);
	for (unsigned int i = 12; i < 1514; i++)
		a.dom.mem[BUF_GPA + i] = (uint8_t)(i * 7);
	memcpy(want, a.dom.mem + BUF_GPA, sizeof(want));
	memcpy(a.dom.mem + 0x30000, want + 1000, 514);
	r.nr_segs = 3;
	r.seg[0].len = 500;
	r.seg[1] = (struct pvkit_net_seg){ BUF_GPA + 500, 500, 0 };
	r.seg[2] = (struct pvkit_net_seg){ 0x30000, 514, 0 };
	post(&a, 0, &r);
	kicked = 0;
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_OK);
	EXPECT_EQ(kicked, 1);		/* b's work was queued */
	run(&b);
	rsp = answer(&b, PVKIT_NET_QUEUE_RX);
	EXPECT_EQ(rsp.id, 5);
	EXPECT_EQ(rsp.status, PVKIT_NET_S_OK);
	EXPECT_EQ(rsp.len, 1514);
	EXPECT_EQ(memcmp(buf_of(&b, 5), want, sizeof(want)), 0);
	/* a's MTU is 9000, b's 1500: a jumbo for b is dropped there. */
	r = frame(&a, b.dev.net_mac, 3000, 0x33);
	post(&a, 0, &r);
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_OK);
	run(&b);
	EXPECT_EQ(answer(&b, PVKIT_NET_QUEUE_RX).status, 0xffff);
	/* Buffer 9 is still there for the next frame. */
	r = frame(&a, b.dev.net_mac, 64, 0x44);
	post(&a, 0, &r);
	run(&a);
	answer(&a, 0);
	run(&b);
	rsp = answer(&b, PVKIT_NET_QUEUE_RX);
	EXPECT_EQ(rsp.id, 9);
	EXPECT_EQ(rsp.len, 64);
	nic_fini(&a);
	nic_fini(&b);
}

/* RFC 1071 the slow way: big-endian byte pairs, the odd byte padded. */
static uint32_t ref_sum(const uint8_t *p, uint32_t len, uint32_t sum)
{
	for (uint32_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void test_sum_matches_the_byte_pair_sum(void)
{
	static uint8_t buf[2048 + 8];
	unsigned int bad = 0;

	srand(7);
	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	/* Every alignment, lengths around the 32-byte steps and odd ones. */
	for (unsigned int off = 0; off < 8; off++)
		for (uint32_t len = 0; len <= 2048; len += (len < 80 ? 1 : 61))
			if (ref_fold(net_sum16(buf + off, len, 0x1234)) !=
			    ref_fold(ref_sum(buf + off, len, 0x1234)))
				bad++;
	/* All ones: the folds that carry the most. */
	memset(buf, 0xff, sizeof(buf));
	if (ref_fold(net_sum16(buf, 2048, 0xffff)) !=
	    ref_fold(ref_sum(buf, 2048, 0xffff)))
		bad++;
	EXPECT_EQ(bad, 0);
}

/*
 * A frame from a to dst of len bytes whose UDP-style checksum (start 34,
 * offset 6) is left to the backend, the field holding pseudo.
 */
static struct pvkit_net_req partial(struct nic *a, const uint8_t *dst,
				    uint32_t len, uint16_t pseudo)
{
	struct pvkit_net_req r = frame(a, dst, len, 0);

	for (uint32_t i = 14; i < len; i++)
		a->dom.mem[BUF_GPA + i] = (uint8_t)(i * 13 + len);
	a->dom.mem[BUF_GPA + 40] = (uint8_t)(pseudo >> 8);
	a->dom.mem[BUF_GPA + 41] = (uint8_t)pseudo;
	r.flags = PVKIT_NET_TXF_CSUM;
	r.csum_start = 34;
	r.csum_offset = 6;
	return r;
}

/* Whether the checksum at 40 of a delivered frame verifies with pseudo. */
static bool csum_ok(const uint8_t *f, uint32_t len, uint16_t pseudo)
{
	return ref_fold(ref_sum(f + 34, len - 34, pseudo)) == 0xffff;
}

static void test_tx_checksum_offload(void)
{
	const uint64_t csum = PVKIT_NET_F_CSUM | PVKIT_NET_F_RX_CSUM;
	struct nic a, b, c;
	struct pvkit_net_req r;
	struct pvkit_net_rsp rsp;
	unsigned int bad = 0, id = 0;

	nic_init(&a, "a", 1500);
	nic_init(&b, "b", 1500);
	nic_init(&c, "c", 1500);
	a.dev.accepted |= csum;
	b.dev.accepted |= csum;		/* c takes whole frames only */
	/* Odd and even lengths, each flooded to b (told) and c (not told). */
	for (uint32_t len = 42; len <= 1514; len += 97, id = (id + 1) % 8) {
		uint16_t pseudo = (uint16_t)(len * 2654435761u);

		post_buf(&b, id);
		post_buf(&c, id);
		run(&b);
		run(&c);
		r = partial(&a, bcast, len, pseudo);
		post(&a, 0, &r);
		run(&a);
		EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_OK);
		for (struct nic *to = &b; to; to = to == &b ? &c : NULL) {
			run(to);
			rsp = answer(to, PVKIT_NET_QUEUE_RX);
			if (rsp.status != PVKIT_NET_S_OK || rsp.len != len ||
			    !csum_ok(buf_of(to, id), len, pseudo) ||
			    rsp.flags != (to == &b ? PVKIT_NET_RXF_DATA_VALID :
						     0))
				bad++;
		}
	}
	EXPECT_EQ(bad, 0);
	/* A frame sent whole is not vouched for. */
	post_buf(&b, 0);
	run(&b);
	r = frame(&a, bcast, 80, 0x21);
	post(&a, 0, &r);
	run(&a);
	answer(&a, 0);
	run(&b);
	EXPECT_EQ(answer(&b, PVKIT_NET_QUEUE_RX).flags, 0);
	/* The field's last byte may be the frame's last; one past is not. */
	r = partial(&a, bcast, 60, 0);
	r.csum_offset = 60 - 34 - 2;
	post(&a, 0, &r);
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_OK);
	r.csum_offset++;
	post(&a, 0, &r);
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_ERROR);
	r = partial(&a, bcast, 60, 0);
	r.csum_start = 13;		/* inside the Ethernet header */
	post(&a, 0, &r);
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_ERROR);
	r.csum_start = 0xffff;
	r.csum_offset = 0xffff;
	post(&a, 0, &r);
	run(&a);
	EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_ERROR);
	/* An RX posting carries no checksum fields. */
	r = (struct pvkit_net_req){ .id = 3, .nr_segs = 1, .csum_start = 34,
				    .seg[0] = { BUF_GPA + 0x8000, 2000, 0 } };
	post(&b, PVKIT_NET_QUEUE_RX, &r);
	run(&b);
	EXPECT_EQ(answer(&b, PVKIT_NET_QUEUE_RX).status, PVKIT_NET_S_ERROR);
	EXPECT_EQ(a.dev.state, PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(b.dev.state, PVKIT_DEV_STATE_CONNECTED);
	nic_fini(&a);
	nic_fini(&b);
	nic_fini(&c);
}

/*
 * An Ethernet frame at f: IPv4 (v6 false) or IPv6, then a TCP (20-byte
 * header) or UDP segment of l4_len bytes with its checksum filled in.
 * Returns the frame's length.
 */
static uint32_t ip_frame(uint8_t *f, bool v6, uint8_t proto, uint32_t l4_len)
{
	uint32_t ip_len = v6 ? 40 : 20, sum, co = proto == 6 ? 16 : 6;
	uint8_t *ip = f + 14, *l4 = ip + ip_len;

	memset(f, 0, 14 + ip_len + l4_len);
	memcpy(f, bcast, 6);
	f[12] = v6 ? 0x86 : 0x08;
	f[13] = v6 ? 0xdd : 0x00;
	for (uint32_t i = 0; i < l4_len; i++)
		l4[i] = (uint8_t)(i * 29 + l4_len);
	if (proto == 17) {
		l4[4] = (uint8_t)(l4_len >> 8);
		l4[5] = (uint8_t)l4_len;
	}
	l4[co] = l4[co + 1] = 0;
	if (v6) {
		ip[0] = 0x60;
		ip[4] = (uint8_t)(l4_len >> 8);
		ip[5] = (uint8_t)l4_len;
		ip[6] = proto;
		for (unsigned int i = 8; i < 40; i++)
			ip[i] = (uint8_t)(i * 3);
		sum = ref_sum(ip + 8, 32, proto + l4_len);
	} else {
		ip[0] = 0x45;
		ip[2] = (uint8_t)((20 + l4_len) >> 8);
		ip[3] = (uint8_t)(20 + l4_len);
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, "\x0a\x00\x02\x02\x0a\x00\x02\x0f", 8);
		sum = ref_sum(ip + 12, 8, proto + l4_len);
	}
	sum = (uint16_t)~ref_fold(ref_sum(l4, l4_len, sum));
	l4[co] = (uint8_t)(sum >> 8);
	l4[co + 1] = (uint8_t)sum;
	return 14 + ip_len + l4_len;
}

static void test_rx_checksums_verified(void)
{
	static uint8_t f[1514];
	unsigned int bad = 0;
	uint32_t len;

	/* Good ones, even and odd, both protocols, both versions. */
	for (uint32_t l4 = 20; l4 <= 1460; l4 += 131)
		for (unsigned int k = 0; k < 4; k++) {
			len = ip_frame(f, k & 1, k & 2 ? 17 : 6, l4);
			if (!net_l4_csum_ok(f, len))
				bad++;
			f[len - 1] ^= 0x40;	/* one bit on the wire */
			if (net_l4_csum_ok(f, len))
				bad++;
		}
	EXPECT_EQ(bad, 0);
	/* Trailing bytes past the IP length (Ethernet padding) are fine. */
	len = ip_frame(f, false, 6, 26);
	EXPECT(net_l4_csum_ok(f, len + 4));
	EXPECT(!net_l4_csum_ok(f, len - 1));	/* truncated */
	f[14 + 6] = 0x20;				/* more fragments */
	EXPECT(!net_l4_csum_ok(f, len));
	len = ip_frame(f, false, 6, 26);
	f[14] = 0x44;					/* IHL 4 */
	EXPECT(!net_l4_csum_ok(f, len));
	len = ip_frame(f, false, 17, 40);
	f[14 + 20 + 6] = f[14 + 20 + 7] = 0;		/* no UDP checksum */
	EXPECT(!net_l4_csum_ok(f, len));
	len = ip_frame(f, false, 6, 19);		/* TCP header cut */
	EXPECT(!net_l4_csum_ok(f, len));
	len = ip_frame(f, true, 6, 100);
	f[14 + 6] = 0;					/* an extension header */
	EXPECT(!net_l4_csum_ok(f, len));
	len = ip_frame(f, true, 6, 100);
	EXPECT(!net_l4_csum_ok(f, len - 1));
	EXPECT(!net_l4_csum_ok(f, 13));
}

static void test_whole_frames_verified_for_the_receiver(void)
{
	struct nic a, b;
	struct pvkit_net_req r;
	struct pvkit_net_rsp rsp;
	uint32_t len;

	nic_init(&a, "a", 1500);	/* sends whole frames */
	nic_init(&b, "b", 1500);
	b.dev.accepted |= PVKIT_NET_F_RX_CSUM;
	for (unsigned int corrupt = 0; corrupt < 2; corrupt++) {
		len = ip_frame(a.dom.mem + BUF_GPA, false, 6, 1000);
		memcpy(a.dom.mem + BUF_GPA + 6, a.dev.net_mac, 6);
		a.dom.mem[BUF_GPA + len - 3] ^= (uint8_t)corrupt;
		r = (struct pvkit_net_req){ .id = 1, .nr_segs = 1, .len = len,
					    .seg[0] = { BUF_GPA, len, 0 } };
		post_buf(&b, corrupt);
		run(&b);
		post(&a, 0, &r);
		run(&a);
		EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_OK);
		run(&b);
		rsp = answer(&b, PVKIT_NET_QUEUE_RX);
		EXPECT_EQ(rsp.status, PVKIT_NET_S_OK);
		EXPECT_EQ(rsp.flags, corrupt ? 0 : PVKIT_NET_RXF_DATA_VALID);
	}
	nic_fini(&a);
	nic_fini(&b);
}

/* Sends one frame to nobody; whether the frontend had to notify. */
static int send_one(struct nic *n)
{
	struct pvkit_net_req r = frame(n, bcast, 64, 0x55);
	int notify;

	EXPECT_EQ(netreq_ring_put(&n->req[0], &r, 1), 1);
	notify = pvkit_ring_prod_publish_notify(&n->req[0]);
	run(n);
	EXPECT_EQ(answer(n, 0).status, PVKIT_NET_S_OK);
	return notify;
}

static void test_tx_polled_on_a_pcpu_of_its_own(void)
{
	struct nic a;

	nic_init(&a, "p", 1500);
	may_poll = true;
	fake_now = 1000000000ull;
	timed_at = 0;
	/* The ring starts armed; then the backend looks again by itself. */
	EXPECT_EQ(send_one(&a), 1);
	EXPECT_EQ(timed_at, fake_now + 50000);
	fake_now += 1000000;
	EXPECT_EQ(send_one(&a), 0);
	EXPECT_EQ(timed_at, fake_now + 50000);
	/* Quiet for the whole window: it arms, the next frame notifies. */
	fake_now += 2000000;
	timed_at = 0;
	run(&a);
	EXPECT_EQ(timed_at, 0);
	EXPECT_EQ(send_one(&a), 1);
	/* Sharing a vCPU's pCPU it never polls. */
	may_poll = false;
	fake_now += 3000000;
	run(&a);
	timed_at = 0;
	EXPECT_EQ(send_one(&a), 1);
	EXPECT_EQ(send_one(&a), 1);
	EXPECT_EQ(timed_at, 0);
	nic_fini(&a);
}

/* c posts nothing: it loses frames beyond its queue, b loses none. */
static void test_stuck_receiver_costs_only_itself(void)
{
	struct nic a, b, c;
	unsigned int got_b = 0, got_c = 0, next_id = 0;
	const unsigned int frames = VSWITCH_QUEUE_LEN + 72;

	nic_init(&a, "a", 1500);
	nic_init(&b, "b", 1500);
	nic_init(&c, "c", 1500);
	for (unsigned int i = 0; i < 8; i++)
		post_buf(&b, next_id++);
	run(&b);
	for (unsigned int i = 0; i < frames; i++) {
		struct pvkit_net_req r = frame(&a, bcast, 100, (uint8_t)i);
		struct pvkit_net_rsp rsp;

		post(&a, 0, &r);
		run(&a);
		EXPECT_EQ(answer(&a, 0).status, PVKIT_NET_S_OK);
		run(&b);
		rsp = answer(&b, PVKIT_NET_QUEUE_RX);
		if (rsp.status == PVKIT_NET_S_OK) {
			got_b++;
			post_buf(&b, rsp.id);	/* the same id, answered */
		}
	}
	EXPECT_EQ(got_b, frames);
	/* c wakes up: the oldest VSWITCH_QUEUE_LEN frames waited for it. */
	for (unsigned int i = 0; i < (1u << ORDER); i++)
		post_buf(&c, i);
	for (unsigned int round = 0; round < 20; round++) {
		struct pvkit_net_rsp rsp;

		run(&c);
		/* Every answered buffer goes back, as a driver's would. */
		while ((rsp = answer(&c, PVKIT_NET_QUEUE_RX)).status !=
		       0xffff) {
			got_c += rsp.status == PVKIT_NET_S_OK;
			post_buf(&c, rsp.id);
		}
	}
	EXPECT_EQ(got_c, VSWITCH_QUEUE_LEN);
	EXPECT_EQ(c.dev.state, PVKIT_DEV_STATE_CONNECTED);
	nic_fini(&a);
	nic_fini(&b);
	nic_fini(&c);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_malformed_tx_answered_error),
	KTAP_CASE(test_violations_break),
	KTAP_CASE(test_frame_delivered_intact),
	KTAP_CASE(test_sum_matches_the_byte_pair_sum),
	KTAP_CASE(test_tx_checksum_offload),
	KTAP_CASE(test_rx_checksums_verified),
	KTAP_CASE(test_whole_frames_verified_for_the_receiver),
	KTAP_CASE(test_stuck_receiver_costs_only_itself),
	KTAP_CASE(test_tx_polled_on_a_pcpu_of_its_own),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
