// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pvnet: the PV net frontend (kernel/pvnet.c) over the
 * hypervisor's switch, in one of three roles.
 *
 *   role=echo [peers=N]   checks every ECHO_REQ for its MAC byte for
 *                         byte and sends it back, until N peers (1)
 *                         said DONE;
 *   role=sizes peer=MAC   sends one frame of every size from 60 bytes
 *                         to the MTU's frame (8 in flight) to the echo
 *                         and checks each answer byte for byte;
 *   role=stream peer=MAC [hostile=MAC]
 *                         the bystander: echo exchanges for 1 s, then
 *                         (with a hostile domain) tells it to start,
 *                         keeps exchanging through its attack and for
 *                         1 s after its BYE, and reports the exchanges
 *                         per second before, during the flood and
 *                         after.  Lost frames are resent, not fatal.
 *
 * Each client first probes until the echo answers, since domains boot
 * in no fixed order, then says DONE to it at the end.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvnet.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include "pvnet.h"

#define WINDOW		8	/* exchanges in flight */
#define WAIT_MS		2000
#define SYNC_MS		30000
#define BASE_MS		1000
#define AFTER_MS	1000
#define BUCKET_MS	100
#define LOST_MS		500	/* stream: an unanswered exchange is lost */
#define STREAM_MS	60000
#define SEQ_PROBE	0x40000000u

struct flight {
	uint32_t seq, len;
	uint64_t sent;
	bool busy;
};

struct client {
	struct flight fl[WINDOW];
	unsigned int busy;
	uint32_t seq, next_len;
	uint64_t done, lost, late, bad, floods, probes;
};

static struct pvnet nic;
static bool connected;
static uint8_t *txf, *rxf;
static uint8_t peer[6], hostile[6];
static bool have_peer, have_hostile;
static const char *role;
static struct client cl;

static void case_connect(void)
{
	int rc = pvnet_find(&nic);

	if (rc)
		return ktap_fail("no PV NIC: %d", rc);
	txf = alloc_pages(3);
	rxf = alloc_pages(3);
	if (!txf || !rxf)
		return ktap_fail("out of memory");
	rc = pvnet_connect(&nic, 0, PVKIT_NET_F_MTU | PVKIT_NET_F_MAC, 0);
	if (rc)
		return ktap_fail("connect: %d", rc);
	connected = true;
	ktap_diag("pvnet: %s, mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u, "
		  "%u slots, link %u", role, nic.config.mac[0],
		  nic.config.mac[1], nic.config.mac[2], nic.config.mac[3],
		  nic.config.mac[4], nic.config.mac[5],
		  nic.max_frame - PVKIT_NET_HDR_LEN, nic.slots,
		  nic.config.link);
	EXPECT_EQ(nic.config.link, PVKIT_NET_LINK_UP);
}

/* ---- the echo ---- */

static void echo_one(int len, uint64_t *echoed, uint64_t *ignored,
		     uint64_t *dones)
{
	uint32_t seq;
	uint8_t kind = pvt_kind(rxf, (uint32_t)len);
	int rc;

	if (kind == PVT_DONE) {
		(*dones)++;
		return;
	}
	if (kind != PVT_ECHO_REQ || memcmp(rxf, nic.config.mac, 6)) {
		(*ignored)++;	/* flooded to us, or broadcast junk */
		return;
	}
	if (pvt_check(rxf, (uint32_t)len, &seq) != PVT_ECHO_REQ)
		return ktap_fail("frame of %d bytes damaged", len);
	memcpy(rxf, rxf + 6, 6);
	memcpy(rxf + 6, nic.config.mac, 6);
	rxf[14] = PVT_ECHO_RSP;
	rc = pvnet_send(&nic, rxf, (uint32_t)len, WAIT_MS);
	if (rc)
		return ktap_fail("send of the echo: %d", rc);
	(*echoed)++;
}

static void case_echo(void)
{
	uint64_t peers = cmdline_get_u64("peers", 1);
	uint64_t end = monotonic_ns() +
		       cmdline_get_u64("timeout_ms", STREAM_MS) * NSEC_PER_MSEC;
	uint64_t echoed = 0, ignored = 0, dones = 0;

	if (!connected)
		return ktap_fail("no NIC");
	while (dones < peers && monotonic_ns() < end) {
		int len = pvnet_recv(&nic, rxf, PVT_MAX, 200);

		if (len == -PVKIT_EAGAIN)
			continue;
		if (len < 0)
			return ktap_fail("receive: %d", len);
		echo_one(len, &echoed, &ignored, &dones);
	}
	ktap_diag("pvnet: echoed %llu frames, ignored %llu, %llu of %llu "
		  "peers done", (unsigned long long)echoed,
		  (unsigned long long)ignored, (unsigned long long)dones,
		  (unsigned long long)peers);
	EXPECT_EQ(dones, peers);
	EXPECT_TRUE(echoed > 0);
}

/* ---- the clients ---- */

static int client_send(struct client *c, uint32_t seq, uint32_t len)
{
	unsigned int i;
	int rc;

	for (i = 0; i < WINDOW && c->fl[i].busy; i++)
		;
	if (i == WINDOW)
		return -PVKIT_EBUSY;
	pvt_build(txf, peer, nic.config.mac, PVT_ECHO_REQ, seq, len);
	rc = pvnet_send(&nic, txf, len, WAIT_MS);
	if (rc)
		return rc;
	c->fl[i] = (struct flight){ seq, len, monotonic_ns(), true };
	c->busy++;
	return 0;
}

static void client_answer(struct client *c, uint32_t len)
{
	uint32_t seq;

	if (pvt_check(rxf, len, &seq) != PVT_ECHO_RSP) {
		c->bad++;
		return;
	}
	if (seq & SEQ_PROBE) {
		c->probes++;
		return;
	}
	for (unsigned int i = 0; i < WINDOW; i++) {
		struct flight *f = &c->fl[i];

		if (f->busy && f->seq == seq && f->len == len) {
			f->busy = false;
			c->busy--;
			c->done++;
			return;
		}
	}
	c->late++;
}

/* One frame taken in: its kind, 0 after ms without one, or < 0. */
static int client_poll(struct client *c, uint64_t ms)
{
	int len = pvnet_recv(&nic, rxf, PVT_MAX, ms);
	uint8_t kind;

	if (len == -PVKIT_EAGAIN)
		return 0;
	if (len < 0)
		return len;
	kind = pvt_kind(rxf, (uint32_t)len);
	if (kind == PVT_ECHO_RSP)
		client_answer(c, (uint32_t)len);
	else if (kind == PVT_FLOOD)
		c->floods++;
	return kind ? kind : 0xff;
}

static void client_expire(struct client *c, uint64_t now)
{
	for (unsigned int i = 0; i < WINDOW; i++) {
		struct flight *f = &c->fl[i];

		if (f->busy && now - f->sent > LOST_MS * NSEC_PER_MSEC) {
			f->busy = false;
			c->busy--;
			c->lost++;
		}
	}
}

/* Probes every 100 ms until the echo answers one, then drains. */
static bool client_sync(struct client *c)
{
	uint64_t end = monotonic_ns() + SYNC_MS * NSEC_PER_MSEC;
	uint32_t k = 0;

	while (!c->probes && monotonic_ns() < end) {
		uint64_t next = monotonic_ns() + 100 * NSEC_PER_MSEC;

		pvt_build(txf, peer, nic.config.mac, PVT_ECHO_REQ,
			  SEQ_PROBE | k++, PVT_MIN);
		if (pvnet_send(&nic, txf, PVT_MIN, WAIT_MS))
			return false;
		while (!c->probes && monotonic_ns() < next)
			if (client_poll(c, 20) < 0)
				return false;
	}
	while (client_poll(c, 300) > 0)
		;
	return c->probes > 0;
}

static void case_sync(void)
{
	if (!connected || !have_peer)
		return ktap_fail("no NIC or no peer= MAC");
	if (!client_sync(&cl))
		ktap_fail("the echo never answered a probe");
}

static void case_every_size(void)
{
	uint32_t max = nic.max_frame, len = PVT_MIN;
	int rc;

	if (!connected || !cl.probes)
		return ktap_fail("no echo");
	while (len <= max || cl.busy) {
		while (cl.busy < WINDOW && len <= max) {
			rc = client_send(&cl, cl.seq++, len);
			if (rc)
				return ktap_fail("send of %u bytes: %d",
						 len, rc);
			len++;
		}
		rc = client_poll(&cl, WAIT_MS);
		if (rc <= 0)
			return ktap_fail("no echo within %u ms (%d); %llu of "
					 "%u sizes done", WAIT_MS, rc,
					 (unsigned long long)cl.done,
					 max - PVT_MIN + 1);
	}
	ktap_diag("pvnet: %llu sizes %u .. %u echoed intact",
		  (unsigned long long)cl.done, PVT_MIN, max);
	EXPECT_EQ(cl.done, max - PVT_MIN + 1);
	EXPECT_EQ(cl.bad, 0);
	EXPECT_EQ(cl.late, 0);
}

/* ---- the bystander's stream ---- */

struct stream {
	uint64_t start, bucket_end, bye_at, base_done, after_done;
	uint64_t bucket_done, bucket_floods;
	uint64_t flood_done, flood_buckets, go_sent, next_go;
	bool acked;
};

/* Keeps the window full: sizes walk 60 .. the MTU's frame. */
static int stream_fill(struct client *c)
{
	uint32_t span = nic.max_frame - PVT_MIN + 1;
	int rc;

	while (c->busy < WINDOW) {
		rc = client_send(c, c->seq, PVT_MIN + (c->seq * 97) % span);
		if (rc)
			return rc;
		c->seq++;
	}
	return 0;
}

static void stream_bucket(struct stream *s, uint64_t now)
{
	if (now < s->bucket_end)
		return;
	if (s->bucket_floods) {
		s->flood_done += cl.done - s->bucket_done;
		s->flood_buckets++;
	}
	s->bucket_done = cl.done;
	s->bucket_floods = 0;
	s->bucket_end = now + BUCKET_MS * NSEC_PER_MSEC;
}

static int stream_step(struct stream *s)
{
	uint64_t floods = cl.floods;
	int kind, rc;

	rc = stream_fill(&cl);
	if (rc)
		return rc;
	kind = client_poll(&cl, 10);
	if (kind < 0)
		return kind;
	s->bucket_floods += cl.floods - floods;
	if (kind == PVT_GO_ACK)
		s->acked = true;
	if (kind == PVT_BYE && !s->bye_at)
		s->bye_at = monotonic_ns();
	client_expire(&cl, monotonic_ns());
	stream_bucket(s, monotonic_ns());
	return 0;
}

/* GO to the hostile domain every 100 ms until it answers or floods. */
static void stream_go(struct stream *s)
{
	uint64_t now = monotonic_ns();

	if (s->acked || cl.floods || now < s->next_go)
		return;
	pvt_send_ctl(&nic, hostile, PVT_GO, (uint32_t)s->go_sent++);
	s->next_go = now + 100 * NSEC_PER_MSEC;
}

static uint64_t per_s(uint64_t n, uint64_t ms)
{
	return ms ? n * 1000 / ms : 0;
}

/* After the BYE: 200 ms to settle, then AFTER_MS measured. */
static bool stream_after(struct stream *s, uint64_t *after_start)
{
	uint64_t now = monotonic_ns();

	if (!s->bye_at)
		return false;
	if (!*after_start && now >= s->bye_at + 200 * NSEC_PER_MSEC) {
		*after_start = now;
		s->after_done = cl.done;
	}
	return *after_start && now >= *after_start + AFTER_MS * NSEC_PER_MSEC;
}

static void case_stream(void)
{
	struct stream s = { 0 };
	uint64_t end, after_start = 0, before, during, after;
	int rc;

	if (!connected || !cl.probes)
		return ktap_fail("no echo");
	s.start = monotonic_ns();
	end = s.start + STREAM_MS * NSEC_PER_MSEC;
	while (monotonic_ns() < s.start + BASE_MS * NSEC_PER_MSEC)
		if ((rc = stream_step(&s)))
			return ktap_fail("baseline: %d", rc);
	s.base_done = cl.done;
	while (have_hostile && monotonic_ns() < end) {
		stream_go(&s);
		rc = stream_step(&s);
		if (rc)
			return ktap_fail("during the attack: %d", rc);
		if (stream_after(&s, &after_start))
			break;
	}
	before = per_s(s.base_done, BASE_MS);
	during = per_s(s.flood_done, s.flood_buckets * BUCKET_MS);
	after = per_s(cl.done - s.after_done, AFTER_MS);
	ktap_diag("pvnet: exchanges per second: before %llu, during the flood "
		  "%llu (%llu ms of it), after %llu; lost %llu, late %llu, "
		  "flood frames %llu", (unsigned long long)before,
		  (unsigned long long)during,
		  (unsigned long long)(s.flood_buckets * BUCKET_MS),
		  (unsigned long long)(after_start ? after : 0),
		  (unsigned long long)cl.lost,
		  (unsigned long long)cl.late, (unsigned long long)cl.floods);
	EXPECT_TRUE(before > 0);
	EXPECT_EQ(cl.bad, 0);
	if (!have_hostile)
		return;
	if (!after_start)
		return ktap_fail("no BYE from the hostile domain within %u s",
				 STREAM_MS / 1000);
	EXPECT_TRUE(s.flood_buckets > 0);
	EXPECT_TRUE(during > 0);
	EXPECT_TRUE(after > 0);
}

static void case_done(void)
{
	if (!connected || !cl.probes)
		return ktap_fail("no echo");
	/* Collect what is still in flight before saying goodbye. */
	while (cl.busy && client_poll(&cl, LOST_MS) > 0)
		;
	/* An exchange given up on whose answer never came: a lost frame. */
	ktap_diag("pvnet: %llu exchanges, %llu never answered",
		  (unsigned long long)cl.done,
		  (unsigned long long)(cl.lost + cl.busy - cl.late));
	EXPECT_EQ(pvt_send_ctl(&nic, peer, PVT_DONE, 0), 0);
}

static void case_frontend_clean(void)
{
	if (!connected)
		return ktap_fail("no NIC");
	msleep(50);
	EXPECT_TRUE(pvnet_tx_reclaim(&nic) >= 0);
	ktap_diag("pvnet: frontend tx %llu (%llu errors), rx %llu (%llu "
		  "refused), %llu bad responses",
		  (unsigned long long)nic.st.tx_frames,
		  (unsigned long long)nic.st.tx_errors,
		  (unsigned long long)nic.st.rx_frames,
		  (unsigned long long)nic.st.rx_errors,
		  (unsigned long long)nic.st.bad_rsp);
	EXPECT_EQ(nic.st.tx_errors, 0);
	EXPECT_EQ(nic.st.rx_errors, 0);
	EXPECT_EQ(nic.st.bad_rsp, 0);
	pvnet_disconnect(&nic);
}

#define CASE(name)	{ #name, case_##name }

static const struct ktap_case echo_cases[] = {
	CASE(connect), CASE(echo), CASE(frontend_clean),
};

static const struct ktap_case sizes_cases[] = {
	CASE(connect), CASE(sync), CASE(every_size), CASE(done),
	CASE(frontend_clean),
};

static const struct ktap_case stream_cases[] = {
	CASE(connect), CASE(sync), CASE(stream), CASE(done),
	CASE(frontend_clean),
};

static void __noreturn run(const struct ktap_case *cases, unsigned int n)
{
	ktap_plan(n);
	ktap_finish(ktap_run_cases(cases, n));
}

void __noreturn test_pvnet(void)
{
	const char *v = cmdline_get("role");

	/* cmdline_get() reuses one buffer: settle each value at once. */
	role = v && !strcmp(v, "sizes") ? "sizes" :
	       v && !strcmp(v, "stream") ? "stream" : "echo";
	v = cmdline_get("peer");
	have_peer = v && !pvt_parse_mac(v, peer);
	v = cmdline_get("hostile");
	have_hostile = v && !pvt_parse_mac(v, hostile);
	if (!strcmp(role, "sizes"))
		run(sizes_cases, ARRAY_SIZE(sizes_cases));
	if (!strcmp(role, "stream"))
		run(stream_cases, ARRAY_SIZE(stream_cases));
	run(echo_cases, ARRAY_SIZE(echo_cases));
}
