// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pvnethostile peer=ECHO_MAC client=BYSTANDER_MAC: a PV
 * net frontend that nh_breaks every rule of pvkit/io/net.h, beside a
 * bystander pair (test=pvnet role=echo and role=stream) on the same
 * switch.  It starts when the bystander says GO, after its baseline.
 * A malformed TX request must be answered ERROR with nothing sent: its
 * frame is an echo request marked PVT_SEQ_BAD, so if any of it left,
 * the echo would send it back before the good exchange that ends each
 * case.  A malformed RX posting must be answered ERROR, len 0, at
 * once.  Every ERROR is counted here, and the suite compares the count
 * with the backend's.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvdev.h>
#include <minios/pvnet.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include "pvnet.h"
#include "pvnethostile.h"

#define GO_MS		30000
#define TX_ID		0x1000u

struct pvnet nh_nic;
bool nh_found;
uint8_t *nh_txf, *nh_rxf, *nh_area;
uint8_t nh_echo_mac[6], nh_client_mac[6];
uint32_t nh_next_seq = 1;
unsigned int nh_breaks;
uint64_t nh_tx_err, nh_rx_err;
uint64_t nh_attack_ns;
static uint32_t bad_seq = PVT_SEQ_BAD;

uint32_t nh_dev_state(void)
{
	struct pvkit_dev_info info;

	if (pvdev_info(nh_nic.info.index, &info))
		return ~0u;
	return info.state;
}

bool nh_reconnect(void)
{
	int rc;

	if (nh_nic.connected)
		pvnet_disconnect(&nh_nic);
	/* CSUM accepted, so that its fields are checked, not only its flag. */
	rc = pvnet_connect(&nh_nic, 0, PVKIT_NET_F_MAC | PVKIT_NET_F_CSUM,
			   RX_OURS);
	if (rc)
		ktap_fail("%s: connect: %d", ktap_case_name(), rc);
	return !rc;
}

bool nh_need_nic(void)
{
	if (!nh_found)
		ktap_fail("no PV NIC");
	return nh_found && (nh_nic.connected || nh_reconnect());
}

bool nh_tx_drain(void)
{
	uint64_t end = monotonic_ns() + WAIT_MS * NSEC_PER_MSEC;

	while (nh_nic.tx_inflight) {
		uint64_t seen = nh_nic.events;

		if (pvnet_tx_reclaim(&nh_nic) < 0) {
			ktap_fail("a bad TX answer");
			return false;
		}
		if (!nh_nic.tx_inflight)
			break;
		if (monotonic_ns() >= end) {
			ktap_fail("TX answers missing");
			return false;
		}
		pvnet_wait_event(&nh_nic, seen, monotonic_ns() + NSEC_PER_MSEC);
	}
	return true;
}

bool nh_expect_echo(uint32_t want)
{
	uint64_t end = monotonic_ns() + WAIT_MS * NSEC_PER_MSEC;
	uint32_t seq;

	while (monotonic_ns() < end) {
		int len = pvnet_recv(&nh_nic, nh_rxf, PVT_MAX, WAIT_MS);

		if (len < 0) {
			ktap_fail("%s: no echo of %u: %d", ktap_case_name(),
				  want, len);
			return false;
		}
		if (pvt_kind(nh_rxf, (uint32_t)len) != PVT_ECHO_RSP)
			continue;	/* a stray GO */
		if (pvt_check(nh_rxf, (uint32_t)len, &seq) != PVT_ECHO_RSP) {
			ktap_fail("%s: an echo of %d bytes damaged",
				  ktap_case_name(), len);
			return false;
		}
		if (seq & PVT_SEQ_BAD) {
			ktap_fail("%s: malformed request %#x went out",
				  ktap_case_name(), seq);
			return false;
		}
		if (seq == want)
			return true;
	}
	ktap_fail("%s: no echo of %u", ktap_case_name(), want);
	return false;
}

void nh_echo_req(uint8_t *buf, uint32_t seq, uint32_t len)
{
	pvt_build(buf, nh_echo_mac, nh_nic.config.mac, PVT_ECHO_REQ, seq, len);
}

bool nh_works(void)
{
	uint32_t seq = nh_next_seq++;
	int rc;

	if (nh_dev_state() != PVKIT_DEV_STATE_CONNECTED) {
		ktap_fail("%s: device state %u", ktap_case_name(),
			  nh_dev_state());
		return false;
	}
	nh_echo_req(nh_txf, seq, 200);
	rc = pvnet_send(&nh_nic, nh_txf, 200, WAIT_MS);
	if (rc) {
		ktap_fail("%s: send: %d", ktap_case_name(), rc);
		return false;
	}
	return nh_expect_echo(seq) && nh_tx_drain();
}

/* Pushes a raw TX request and returns its answer's status, or < 0. */
static int tx_raw(struct pvkit_net_req *req)
{
	static uint32_t id = TX_ID;
	struct pvkit_net_rsp rsp;
	int rc;

	if (!nh_tx_drain())
		return -PVKIT_EAGAIN;
	req->id = id++;
	rc = pvnet_push(&nh_nic, PVKIT_NET_QUEUE_TX, req);
	if (!rc)
		rc = pvnet_wait_rsp(&nh_nic, PVKIT_NET_QUEUE_TX, &rsp, WAIT_MS);
	if (rc)
		return rc;
	if (rsp.id != req->id || rsp.len)
		return -PVKIT_ERANGE;
	return rsp.status;
}

/*
 * A malformed frame: its first segment a marked echo request, so that
 * a backend that sent any of it would get an echo back.
 */
static void bad_req(struct pvkit_net_req *req, uint16_t nr_segs)
{
	memset(req, 0, sizeof(*req));
	nh_echo_req(nh_area, bad_seq++, PVT_MIN);
	req->nr_segs = nr_segs;
	req->len = PVT_MIN;
	req->seg[0].gpa = virt_to_gpa(nh_area);
	req->seg[0].len = nr_segs > 1 ? PVT_HDR : PVT_MIN;
	for (uint16_t i = 1; i < nr_segs && i < PVKIT_NET_TX_SEGS; i++) {
		req->seg[i].gpa = virt_to_gpa(nh_area) + PVT_HDR +
				  (i - 1) * (PVT_MIN - PVT_HDR) / (nr_segs - 1);
		req->seg[i].len = (PVT_MIN - PVT_HDR) / (nr_segs - 1);
	}
}

static void tx_rejected(struct pvkit_net_req *req, const char *what,
			uint64_t arg)
{
	int rc = tx_raw(req);

	if (rc != PVKIT_NET_S_ERROR)
		ktap_fail("%s %#llx: TX status %d, want ERROR", what,
			  (unsigned long long)arg, rc);
	else
		nh_tx_err++;
	if (nh_dev_state() != PVKIT_DEV_STATE_CONNECTED)
		ktap_fail("%s %#llx: device state %u", what,
			  (unsigned long long)arg, nh_dev_state());
}

/* Two segments, the second one at gpa for len bytes. */
static void tx_bad_seg(uint64_t gpa, uint32_t len, const char *what)
{
	struct pvkit_net_req req;

	bad_req(&req, 2);
	req.seg[1].gpa = gpa;
	req.seg[1].len = len;
	req.len = PVT_HDR + len;
	tx_rejected(&req, what, gpa);
}

static void case_find_nic(void)
{
	const char *v = cmdline_get("peer");
	int rc;

	if (!v || pvt_parse_mac(v, nh_echo_mac))
		return ktap_fail("no peer= MAC");
	v = cmdline_get("client");
	if (!v || pvt_parse_mac(v, nh_client_mac))
		return ktap_fail("no client= MAC");
	rc = pvnet_find(&nh_nic);
	if (rc)
		return ktap_fail("no PV NIC: %d", rc);
	nh_txf = alloc_pages(3);
	nh_rxf = alloc_pages(3);
	nh_area = alloc_pages(4);
	if (!nh_txf || !nh_rxf || !nh_area)
		return ktap_fail("out of memory");
	nh_found = true;
	if (!nh_reconnect())
		return;
	ktap_diag("pvnethostile: %u slots, RX ids 0..%u ours, mtu %u",
		  nh_nic.slots, RX_OURS - 1,
		  nh_nic.max_frame - PVKIT_NET_HDR_LEN);
}

/* Waits for the bystander's GO, answers it, lets stray GOs pass. */
static void case_wait_for_go(void)
{
	uint64_t end = monotonic_ns() + GO_MS * NSEC_PER_MSEC;
	int len;

	if (!nh_need_nic())
		return;
	for (;;) {
		len = pvnet_recv(&nh_nic, nh_rxf, PVT_MAX, 100);
		if (len > 0 && pvt_kind(nh_rxf, (uint32_t)len) == PVT_GO)
			break;
		if (len < 0 && len != -PVKIT_EAGAIN)
			return ktap_fail("receive: %d", len);
		if (monotonic_ns() > end)
			return ktap_fail("no GO within %u s", GO_MS / 1000);
	}
	nh_attack_ns = monotonic_ns();
	EXPECT_EQ(pvt_send_ctl(&nh_nic, nh_client_mac, PVT_GO_ACK, 0), 0);
	while (pvnet_recv(&nh_nic, nh_rxf, PVT_MAX, 300) > 0)
		;
	EXPECT_TRUE(nh_works());
}

static void case_tx_outside_ram(void)
{
	uint64_t mem = start_info->mem_bytes;

	if (!nh_need_nic())
		return;
	tx_bad_seg(mem, 36, "segment at the end of RAM");
	tx_bad_seg(mem - 10, 36, "segment straddling the end of RAM");
	tx_bad_seg(mem + 4096, 36, "segment past RAM");
	tx_bad_seg(1ull << 40, 36, "segment at 1 TiB");
	tx_bad_seg(1ull << 63, 36, "segment at 2^63");
	tx_bad_seg(0ull - 16, 36, "segment wrapping 2^64");
	tx_bad_seg(0ull - 36, 36, "segment ending at 2^64");
	EXPECT_TRUE(nh_works());
}

/* The guest-physical windows the hypervisor emulates, never RAM. */
static void case_tx_hypervisor_ranges(void)
{
	static const uint64_t at[] = {
		0xfee00000ull, 0xfec00000ull, 0xfed00000ull, 0xe0000000ull,
		0xfe000000ull, 0xfffff000ull,
	};

	if (!nh_need_nic())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++)
		if (at[i] >= start_info->mem_bytes)
			tx_bad_seg(at[i], 36, "segment in an MMIO window");
	EXPECT_TRUE(nh_works());
}

/* Sends req (built over nh_area) and expects OK and the echo of seq. */
static void tx_accepted(struct pvkit_net_req *req, uint32_t seq,
			const char *what)
{
	int rc = tx_raw(req);

	if (rc != PVKIT_NET_S_OK)
		return ktap_fail("%s: TX status %d, want OK", what, rc);
	if (!nh_expect_echo(seq))
		ktap_fail("%s: no intact echo", what);
}

/*
 * The ABI lets a segment sit at any alignment: one that crosses a page
 * must be sent whole.  Crossing the end of RAM must not.
 */
static void case_tx_crosses_page(void)
{
	static const uint32_t off[3] = { 4000, 8000, 12200 };
	static const uint32_t cut[4] = { 0, 200, 900, 1514 };
	struct pvkit_net_req req;
	uint32_t seq = nh_next_seq++;

	if (!nh_need_nic())
		return;
	memset(&req, 0, sizeof(req));
	nh_echo_req(nh_area + 4096 - 100, seq, 1000);
	req.nr_segs = 1;
	req.len = req.seg[0].len = 1000;
	req.seg[0].gpa = virt_to_gpa(nh_area) + 4096 - 100;
	tx_accepted(&req, seq, "one segment across a page");
	/* Three pieces, each across a page boundary of its own. */
	seq = nh_next_seq++;
	nh_echo_req(nh_txf, seq, 1514);
	memset(&req, 0, sizeof(req));
	req.nr_segs = 3;
	req.len = 1514;
	for (unsigned int i = 0; i < 3; i++) {
		memcpy(nh_area + off[i], nh_txf + cut[i], cut[i + 1] - cut[i]);
		req.seg[i].gpa = virt_to_gpa(nh_area) + off[i];
		req.seg[i].len = cut[i + 1] - cut[i];
	}
	tx_accepted(&req, seq, "three segments across pages");
	tx_bad_seg(start_info->mem_bytes - 4096 + 4090, 36,
		   "segment across the end of RAM");
	EXPECT_TRUE(nh_works());
}

static void tx_bad_len(uint32_t len, uint32_t seg_len, uint16_t nr_segs,
		       const char *what)
{
	struct pvkit_net_req req;

	bad_req(&req, 1);
	req.nr_segs = nr_segs;
	req.len = len;
	for (uint16_t i = 0; i < nr_segs; i++) {
		req.seg[i].gpa = virt_to_gpa(nh_area);
		req.seg[i].len = seg_len;
	}
	tx_rejected(&req, what, len);
}

static void case_tx_lengths(void)
{
	uint32_t max = nh_nic.max_frame;

	if (!nh_need_nic())
		return;
	tx_bad_len(0, 0, 1, "len 0, one empty segment");
	tx_bad_len(PVT_MIN, 0, 1, "len 60, one empty segment");
	tx_bad_len(0, PVT_MIN, 1, "len 0, a 60-byte segment");
	tx_bad_len(13, 13, 1, "a 13-byte frame");
	tx_bad_len(max + 1, max + 1, 1, "one byte above the MTU");
	tx_bad_len(65536, 65536, 1, "a 65536-byte segment");
	tx_bad_len(0xffffffffu, 0xffffffffu, 1, "a 2^32-1 byte segment");
	tx_bad_len(3 * 65535, 65535, 3, "three 65535-byte segments");
	tx_bad_len(PVT_MIN + 1, PVT_MIN, 1, "len above the segments' sum");
	tx_bad_len(PVT_MIN - 1, PVT_MIN, 1, "len below the segments' sum");
	tx_bad_len(0xffffffffu, PVT_MIN, 1, "len 2^32-1");
	tx_bad_len(2 * 0x80000000u, 0x80000000u, 2, "segments of 2^31, len 0");
	tx_bad_seg(virt_to_gpa(nh_area) + PVT_HDR, 0,
		   "an empty second segment");
	EXPECT_TRUE(nh_works());
}

static void case_tx_padding_flags(void)
{
	struct pvkit_net_req req;

	if (!nh_need_nic())
		return;
	bad_req(&req, 1);
	req.flags = 0x8000;
	tx_rejected(&req, "flags", 0x8000);
	bad_req(&req, 1);
	req.flags = 2;
	tx_rejected(&req, "flags", 2);
	bad_req(&req, 1);
	req.csum_start = 34;
	tx_rejected(&req, "csum_start without TXF_CSUM", 34);
	bad_req(&req, 1);
	req.csum_offset = 6;
	tx_rejected(&req, "csum_offset without TXF_CSUM", 6);
	bad_req(&req, 1);
	req.seg[0].pad = 1;
	tx_rejected(&req, "seg[0].pad", 1);
	bad_req(&req, 2);
	req.seg[2].gpa = virt_to_gpa(nh_area);
	tx_rejected(&req, "unused seg[2].gpa", 2);
	bad_req(&req, 1);
	req.seg[1].len = 1;
	tx_rejected(&req, "unused seg[1].len", 1);
	EXPECT_TRUE(nh_works());
}

/* Checksum fields that do not lie inside the frame, TXF_CSUM accepted. */
static void case_tx_checksum_fields(void)
{
	static const struct { uint16_t start, offset; } bad[] = {
		{ 0, 0 },			/* the flag alone */
		{ PVKIT_NET_HDR_LEN - 1, 6 },	/* inside the Ethernet header */
		{ PVT_MIN - 1, 0 },		/* field one byte past the end */
		{ 34, PVT_MIN - 34 - 1 },
		{ PVT_MIN, 0 },
		{ 0xffff, 0xffff },		/* would wrap a u16 sum */
		{ 34, 0xfff0 },
	};
	struct pvkit_net_req req;

	if (!nh_need_nic())
		return;
	if (!(nh_nic.features & PVKIT_NET_F_CSUM))
		return ktap_fail("TXF_CSUM not offered: %#llx",
				 (unsigned long long)nh_nic.info.features);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		bad_req(&req, 1);
		req.flags = PVKIT_NET_TXF_CSUM;
		req.csum_start = bad[i].start;
		req.csum_offset = bad[i].offset;
		tx_rejected(&req, "checksum field at start, offset",
			    (uint64_t)bad[i].start << 16 | bad[i].offset);
	}
	EXPECT_TRUE(nh_works());
}

/* Posts one raw RX buffer: it must be answered ERROR, len 0, at once. */
static void rx_rejected(struct pvkit_net_req *req, const char *what,
			uint64_t arg)
{
	struct pvkit_net_rsp rsp;
	int rc;

	req->id = RAW_RX_ID;
	rc = pvnet_push(&nh_nic, PVKIT_NET_QUEUE_RX, req);
	if (!rc)
		rc = pvnet_wait_rsp(&nh_nic, PVKIT_NET_QUEUE_RX, &rsp, WAIT_MS);
	if (rc)
		return ktap_fail("%s %#llx: no answer: %d", what,
				 (unsigned long long)arg, rc);
	if (rsp.id != RAW_RX_ID || rsp.status != PVKIT_NET_S_ERROR || rsp.len)
		return ktap_fail("%s %#llx: answer id %u status %u len %u",
				 what, (unsigned long long)arg, rsp.id,
				 rsp.status, rsp.len);
	nh_rx_err++;
	if (nh_dev_state() != PVKIT_DEV_STATE_CONNECTED)
		ktap_fail("%s %#llx: device state %u", what,
			  (unsigned long long)arg, nh_dev_state());
}

static void rx_req(struct pvkit_net_req *req, uint64_t gpa, uint32_t len)
{
	memset(req, 0, sizeof(*req));
	req->nr_segs = 1;
	req->seg[0].gpa = gpa;
	req->seg[0].len = len;
}

static void case_rx_bad_buffers(void)
{
	uint64_t mem = start_info->mem_bytes, good = virt_to_gpa(nh_area);
	static const uint64_t at[] = {
		0, 1ull << 40, 0xfee00000ull, 0xfec00000ull, 1ull << 63,
		0ull - 512,
	};
	struct pvkit_net_req req;

	if (!nh_need_nic())
		return;
	rx_req(&req, mem, 1514);
	rx_rejected(&req, "buffer at the end of RAM", mem);
	rx_req(&req, mem - 100, 1514);
	rx_rejected(&req, "buffer straddling the end of RAM", mem - 100);
	for (unsigned int i = 1; i < ARRAY_SIZE(at); i++) {
		if (at[i] < mem)
			continue;
		rx_req(&req, at[i], 1514);
		rx_rejected(&req, "buffer at", at[i]);
	}
	rx_req(&req, good, 13);
	rx_rejected(&req, "buffer of", 13);
	rx_req(&req, good, 0);
	rx_rejected(&req, "buffer of", 0);
	rx_req(&req, good, 65536);
	rx_rejected(&req, "buffer of", 65536);
	rx_req(&req, good, 1514);
	req.flags = 1;
	rx_rejected(&req, "flags", 1);
	rx_req(&req, good, 1514);
	req.csum_start = 34;
	rx_rejected(&req, "csum_start", 34);
	rx_req(&req, good, 1514);
	req.csum_offset = 6;
	rx_rejected(&req, "csum_offset", 6);
	rx_req(&req, good, 1514);
	req.len = PVT_MIN;
	rx_rejected(&req, "len", PVT_MIN);
	rx_req(&req, good, 1514);
	req.seg[0].pad = 1;
	rx_rejected(&req, "seg[0].pad", 1);
	rx_req(&req, good, 1514);
	req.seg[1].gpa = good;
	rx_rejected(&req, "unused seg[1].gpa", good);
	EXPECT_TRUE(nh_works());
}

#define CASE(name)	{ #name, case_##name }
#define NH_CASE(name)	{ #name, nh_case_##name }

static const struct ktap_case cases[] = {
	CASE(find_nic),
	CASE(wait_for_go),
	CASE(tx_outside_ram),
	CASE(tx_hypervisor_ranges),
	CASE(tx_crosses_page),
	CASE(tx_lengths),
	CASE(tx_padding_flags),
	CASE(tx_checksum_fields),
	CASE(rx_bad_buffers),
	NH_CASE(tx_same_id_twice),
	NH_CASE(tx_bad_seg_count),
	NH_CASE(rx_bad_ids),
	NH_CASE(ring_index_jumps),
	NH_CASE(flood),
	NH_CASE(frontend_after),
};

void __noreturn test_pvnethostile(void)
{
	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
