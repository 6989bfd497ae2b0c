// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pvblkhostile: a PV block frontend that breaks every rule
 * of pvkit/io/block.h.  A malformed request must be answered with the
 * documented status and move no data (a canary on the disk and in the
 * read buffer stays as it was); a protocol violation must put the
 * device in BROKEN, and DISCONNECT must bring it back to CLOSED for a
 * clean connect.  Each case ends with a good write and read.
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

struct pvblk blk;
bool found;
uint8_t *wbuf, *rbuf, *cbuf, *ind;
uint64_t next_id = 1000;
unsigned int breaks;
uint8_t gen = 1;

uint64_t gpa(const void *p)
{
	return virt_to_gpa(p);
}

static uint8_t pattern(uint64_t sector, unsigned int i, uint8_t g)
{
	uint64_t x = (sector * 0x9e3779b97f4a7c15ull) ^ (i * 0x85ebca6bu) ^ g;

	return (uint8_t)(x ^ (x >> 29) ^ (x >> 41));
}

void fill(uint8_t *p, uint64_t sector, uint32_t n, uint8_t g)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			p[s * 512 + i] = pattern(sector + s, i, g);
}

bool holds(const uint8_t *p, uint64_t sector, uint32_t n, uint8_t g)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			if (p[s * 512 + i] != pattern(sector + s, i, g))
				return false;
	return true;
}

uint32_t dev_state(void)
{
	struct pvkit_dev_info info;

	if (pvdev_info(blk.info.index, &info))
		return ~0u;
	return info.state;
}

bool wait_state(uint32_t want, uint64_t ms)
{
	uint64_t end = monotonic_ns() + ms * NSEC_PER_MSEC;

	while (dev_state() != want) {
		if (monotonic_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

struct pvkit_ring_hdr *req_hdr(void)
{
	return blk.q[0].req_mem;
}

struct pvkit_ring_hdr *rsp_hdr(void)
{
	return blk.q[0].rsp_mem;
}

/* Puts n requests on queue 0, publishes and notifies, whatever the index. */
bool push(const struct pvkit_blk_req *req, uint32_t n)
{
	struct pvblk_queue *q = &blk.q[0];

	if (pvkit_ring_prod_put(&q->req, req, n) != (int)n)
		return false;
	pvkit_ring_prod_publish(&q->req);
	return !evtchn_send(q->port);
}

/* One request on queue 0 under a fresh id: its status, or < 0. */
int run_req(struct pvkit_blk_req *req)
{
	struct pvkit_blk_rsp rsp;
	int rc;

	req->id = next_id++;
	if (!push(req, 1))
		return -PVKIT_EAGAIN;
	rc = pvblk_wait(&blk, 0, &rsp, WAIT_MS);
	if (rc)
		return rc;
	if (rsp.id != req->id || rsp.op != req->op)
		return -PVKIT_ERANGE;
	return rsp.status;
}

bool canary_ok(void)
{
	int rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, 0, cbuf, CANARY * 512);

	if (rc) {
		ktap_fail("canary read: %d", rc);
		return false;
	}
	if (!holds(cbuf, 0, CANARY, 1)) {
		ktap_fail("%s: the canary sectors changed", ktap_case_name());
		return false;
	}
	return true;
}

/* A good write and read on the connected device, the canary intact. */
bool works(void)
{
	uint8_t g = ++gen;
	int rc;

	fill(wbuf, WORK_SECTOR, 16, g);
	rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, WORK_SECTOR, wbuf, 8192);
	if (!rc) {
		memset(rbuf, 0, 8192);
		rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, WORK_SECTOR, rbuf,
			      8192);
	}
	if (rc || !holds(rbuf, WORK_SECTOR, 16, g)) {
		ktap_fail("%s: good write/read: %d", ktap_case_name(), rc);
		return false;
	}
	return canary_ok();
}

static bool blk_connect(uint64_t features)
{
	int rc = pvblk_connect(&blk, 1, features & blk.info.features);

	if (rc)
		ktap_fail("%s: connect: %d", ktap_case_name(), rc);
	return !rc;
}

bool reconnect(uint64_t features)
{
	if (blk.connected)
		pvblk_disconnect(&blk);
	return blk_connect(features);
}

bool need_device(void)
{
	if (!found)
		ktap_fail("no PV disk");
	return found && (blk.connected || reconnect(FEATURES));
}

/*
 * Runs req as a READ and as a WRITE (any other op as it is): each must
 * get want and move nothing.  Good segments point at rbuf, filled with
 * a byte a READ would overwrite; a WRITE would land on the canary.
 */
static void rejected(const struct pvkit_blk_req *tmpl, uint16_t want,
		     const char *what, uint64_t arg)
{
	struct pvkit_blk_req req;
	unsigned int k, n = 2;
	int rc;

	if (tmpl->op != PVKIT_BLK_OP_READ && tmpl->op != PVKIT_BLK_OP_WRITE)
		n = 1;
	for (k = 0; k < n; k++) {
		req = *tmpl;
		if (n == 2)
			req.op = k ? PVKIT_BLK_OP_WRITE : PVKIT_BLK_OP_READ;
		memset(rbuf, 0xa5, BUF_PAGES * 4096);
		rc = run_req(&req);
		if (rc != want)
			ktap_fail("%s %#llx op %u: status %d, want %u", what,
				  (unsigned long long)arg, req.op, rc, want);
		for (unsigned int i = 0; i < BUF_PAGES * 4096; i++) {
			if (rbuf[i] != 0xa5) {
				ktap_fail("%s %#llx: read data moved", what,
					  (unsigned long long)arg);
				break;
			}
		}
	}
	if (dev_state() != PVKIT_DEV_STATE_CONNECTED)
		ktap_fail("%s %#llx: device state %u", what,
			  (unsigned long long)arg, dev_state());
}

/* READ/WRITE of sector 0: one good 512-byte segment, then s. */
static void two_segs(struct pvkit_blk_req *req, uint64_t at, uint32_t len)
{
	memset(req, 0, sizeof(*req));
	req->op = PVKIT_BLK_OP_READ;
	req->nr_segs = 2;
	req->seg[0].gpa = gpa(rbuf);
	req->seg[0].len = 512;
	req->seg[1].gpa = at;
	req->seg[1].len = len;
	req->nr_sectors = len && !(len % 512) ? 1 + len / 512 : 2;
}

static void bad_seg(uint64_t at, uint32_t len, const char *what)
{
	struct pvkit_blk_req req;

	two_segs(&req, at, len);
	rejected(&req, PVKIT_BLK_S_IOERR, what, at);
}

static void case_find_disk(void)
{
	int rc = pvblk_find(&blk);

	if (rc) {
		ktap_fail("no PV disk: %d", rc);
		return;
	}
	wbuf = alloc_pages(BUF_PAGES);
	rbuf = alloc_pages(BUF_PAGES);
	cbuf = alloc_pages(BUF_PAGES);
	ind = alloc_pages(1);
	if (!wbuf || !rbuf || !cbuf || !ind) {
		ktap_fail("out of memory");
		return;
	}
	ktap_diag("pvblkhostile: disk %u, %llu sectors, %u queues, max %u "
		  "segments, features %#llx", blk.info.instance,
		  (unsigned long long)blk.config.capacity, blk.config.queues,
		  blk.config.max_segs, (unsigned long long)blk.info.features);
	if (!blk_connect(FEATURES))
		return;
	fill(wbuf, 0, CANARY, 1);
	rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, 0, wbuf, CANARY * 512);
	if (rc) {
		ktap_fail("canary write: %d", rc);
		return;
	}
	found = true;
	EXPECT_TRUE(works());
}

static void case_seg_outside_ram(void)
{
	uint64_t mem = start_info->mem_bytes;
	const uint64_t at[] = {
		mem, mem + 4096, mem - 512 + 4096, 1ull << 40, 0xfee00000ull,
		0x8000000000000000ull,
	};

	if (!need_device())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++)
		if (at[i] >= mem)
			bad_seg(at[i], 512, "segment at");
	EXPECT_TRUE(works());
}

static void case_seg_wraps(void)
{
	if (!need_device())
		return;
	bad_seg(0ull - 512, 512, "segment at");
	bad_seg(0ull - 4096, 4096, "segment at");
	bad_seg(0ull - 1024, 1024, "segment at");
	EXPECT_TRUE(works());
}

static void case_seg_crosses_page(void)
{
	uint64_t p = gpa(rbuf) + 4096;

	if (!need_device())
		return;
	bad_seg(p + 3584, 1024, "segment crossing a page at");
	bad_seg(p + 512, 4096, "segment crossing a page at");
	bad_seg(p + 2048, 4096, "segment crossing a page at");
	EXPECT_TRUE(works());
}

static void case_seg_unaligned(void)
{
	uint64_t p = gpa(rbuf) + 4096;

	if (!need_device())
		return;
	bad_seg(p + 1, 512, "segment at");
	bad_seg(p + 100, 512, "segment at");
	bad_seg(p + 256, 1024, "segment at");
	bad_seg(p, 700, "segment of length");
	bad_seg(p, 513, "segment of length");
	bad_seg(p, 4095, "segment of length");
	EXPECT_TRUE(works());
}

static void case_seg_len_zero(void)
{
	struct pvkit_blk_req req;

	if (!need_device())
		return;
	bad_seg(gpa(rbuf) + 4096, 0, "segment of length 0 at");
	bad_seg(gpa(rbuf) + 4096, 4608, "segment of length 4608 at");
	bad_seg(gpa(rbuf) + 4096, 0x80000000u, "segment of length 2^31 at");
	/* Two good segments that do not add up to nr_sectors. */
	two_segs(&req, gpa(rbuf) + 4096, 512);
	req.nr_sectors = 3;
	rejected(&req, PVKIT_BLK_S_IOERR, "nr_sectors", 3);
	req.nr_sectors = 0;
	rejected(&req, PVKIT_BLK_S_IOERR, "nr_sectors", 0);
	EXPECT_TRUE(works());
}

static void case_no_segments(void)
{
	struct pvkit_blk_req req;

	if (!need_device())
		return;
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_READ;
	req.nr_sectors = 1;
	rejected(&req, PVKIT_BLK_S_IOERR, "nr_segs 0, nr_sectors", 1);
	req.nr_sectors = 0;
	rejected(&req, PVKIT_BLK_S_IOERR, "nr_segs 0, nr_sectors", 0);
	EXPECT_TRUE(works());
}

static void case_indirect_outside_ram(void)
{
	uint64_t mem = start_info->mem_bytes;
	const uint64_t at[] = {
		mem, 1ull << 40, 0ull - 4096, mem - 4096 + 4096 * 16,
	};
	struct pvkit_blk_req req;
	struct pvkit_blk_seg *seg = (void *)ind;

	if (!need_device())
		return;
	memset(ind, 0, 4096);
	for (unsigned int i = 0; i < 8; i++) {
		seg[i].gpa = gpa(rbuf) + (i % 4) * 4096;
		seg[i].len = 512;
	}
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_READ;
	req.nr_segs = 8;
	req.nr_sectors = 8;
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		req.indirect_gpa = at[i];
		rejected(&req, PVKIT_BLK_S_IOERR, "indirect page at", at[i]);
	}
	EXPECT_TRUE(works());
}

/* Seven good segments into rbuf, listed at ind + off. */
static void list_at(unsigned int off)
{
	struct pvkit_blk_seg *seg = (void *)(ind + off);

	memset(ind, 0, 4096);
	for (unsigned int j = 0; j < 7 && off + (j + 1) * 16 <= 4096; j++) {
		seg[j].gpa = gpa(rbuf) + j * 512;
		seg[j].len = 512;
	}
}

static void case_indirect_unaligned(void)
{
	const uint64_t off[] = { 16, 512, 2048, 3968, 4080 };
	struct pvkit_blk_req req;

	if (!need_device())
		return;
	/* A valid list at each offset, so only the alignment is wrong. */
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_READ;
	req.nr_segs = 7;
	req.nr_sectors = 7;
	for (unsigned int i = 0; i < ARRAY_SIZE(off); i++) {
		list_at((unsigned int)off[i]);
		req.indirect_gpa = gpa(ind) + off[i];
		rejected(&req, PVKIT_BLK_S_IOERR, "indirect page at +", off[i]);
	}
	/* Inline segments beside a good indirect list. */
	list_at(0);
	req.indirect_gpa = gpa(ind);
	EXPECT_EQ(run_req(&req), PVKIT_BLK_S_OK);
	req.seg[0].gpa = gpa(rbuf);
	req.seg[0].len = 512;
	rejected(&req, PVKIT_BLK_S_IOERR, "inline segment with indirect", 0);
	EXPECT_TRUE(works());
}

static void case_sector_past_capacity(void)
{
	uint64_t cap = blk.config.capacity;
	const uint64_t bad[][2] = {
		{ cap, 1 }, { cap - 1, 2 }, { cap + 100, 1 }, { 1ull << 62, 1 },
	};
	struct pvkit_blk_req req;

	if (!need_device())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		two_segs(&req, gpa(rbuf) + 4096, 512);
		req.seg[1].len = (uint32_t)(bad[i][1] - 1) * 512;
		req.nr_segs = bad[i][1] > 1 ? 2 : 1;
		if (req.nr_segs == 1)
			memset(&req.seg[1], 0, sizeof(req.seg[1]));
		req.nr_sectors = (uint32_t)bad[i][1];
		req.sector = bad[i][0];
		rejected(&req, PVKIT_BLK_S_IOERR, "sector", bad[i][0]);
	}
	/* The last sector is fine. */
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_READ;
	req.sector = cap - 1;
	req.nr_sectors = 1;
	req.nr_segs = 1;
	req.seg[0].gpa = gpa(rbuf);
	req.seg[0].len = 512;
	EXPECT_EQ(run_req(&req), PVKIT_BLK_S_OK);
	/* The same limits for the requests without data. */
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_WRITE_ZEROES;
	req.sector = cap;
	req.nr_sectors = 1;
	rejected(&req, PVKIT_BLK_S_IOERR, "write zeroes at", cap);
	req.op = PVKIT_BLK_OP_DISCARD;
	rejected(&req, PVKIT_BLK_S_IOERR, "discard at", cap);
	EXPECT_TRUE(works());
}

static void case_sector_wraps(void)
{
	const uint64_t at[] = { ~0ull, ~0ull - 1, 0ull - 8 };
	struct pvkit_blk_req req;

	if (!need_device())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(at); i++) {
		two_segs(&req, gpa(rbuf) + 4096, 4096);
		req.sector = at[i];
		rejected(&req, PVKIT_BLK_S_IOERR, "sector", at[i]);
	}
	/* sector + nr_sectors wraps to 0 .. 7: the canary. */
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_WRITE_ZEROES;
	req.sector = 0ull - 8;
	req.nr_sectors = 16;
	rejected(&req, PVKIT_BLK_S_IOERR, "write zeroes at", req.sector);
	EXPECT_TRUE(works());
}

static void case_unknown_op(void)
{
	const uint8_t ops[] = { 5, 6, 0x7f, 0x80, 0xff };
	struct pvkit_blk_req req;

	if (!need_device())
		return;
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		two_segs(&req, gpa(rbuf) + 4096, 512);
		req.op = ops[i];
		rejected(&req, PVKIT_BLK_S_UNSUPPORTED, "op", ops[i]);
	}
	EXPECT_TRUE(works());
}

/* Features not accepted: their operations are unsupported. */
static void case_features_not_accepted(void)
{
	struct pvkit_blk_req req;

	if (!found || !reconnect(PVKIT_BLK_F_INDIRECT))
		return;
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_FLUSH;
	rejected(&req, PVKIT_BLK_S_UNSUPPORTED, "flush", 0);
	req.op = PVKIT_BLK_OP_WRITE_ZEROES;
	req.nr_sectors = 8;
	rejected(&req, PVKIT_BLK_S_UNSUPPORTED, "write zeroes", 0);
	req.op = PVKIT_BLK_OP_DISCARD;
	rejected(&req, PVKIT_BLK_S_UNSUPPORTED, "discard", 0);
	/* FUA without F_FUA is an unknown flag. */
	two_segs(&req, gpa(rbuf) + 4096, 512);
	req.op = PVKIT_BLK_OP_WRITE;
	req.flags = PVKIT_BLK_REQ_FUA;
	rejected(&req, PVKIT_BLK_S_IOERR, "FUA not accepted", 0);
	EXPECT_TRUE(works());
	reconnect(FEATURES);
}

static void case_nonzero_padding(void)
{
	struct pvkit_blk_req req;
	struct pvkit_blk_seg *seg = (void *)ind;
	unsigned int i;

	if (!need_device())
		return;
	two_segs(&req, gpa(rbuf) + 4096, 512);
	req.seg[1].pad = 1;
	rejected(&req, PVKIT_BLK_S_IOERR, "seg pad", 1);
	req.seg[1].pad = 0x80000000u;
	rejected(&req, PVKIT_BLK_S_IOERR, "seg pad", 0x80000000u);
	req.seg[1].pad = 0;
	for (i = 2; i < PVKIT_BLK_INLINE_SEGS; i++) {
		req.seg[i].len = 512;
		rejected(&req, PVKIT_BLK_S_IOERR, "unused seg.len", i);
		req.seg[i].len = 0;
		req.seg[i].gpa = gpa(rbuf);
		rejected(&req, PVKIT_BLK_S_IOERR, "unused seg.gpa", i);
		req.seg[i].gpa = 0;
		req.seg[i].pad = 1;
		rejected(&req, PVKIT_BLK_S_IOERR, "unused seg.pad", i);
		req.seg[i].pad = 0;
	}
	req.indirect_gpa = gpa(ind);
	rejected(&req, PVKIT_BLK_S_IOERR, "indirect_gpa with 2 segs", 0);
	req.indirect_gpa = 0;
	for (i = 1; i < 8; i++) {
		req.flags = (uint8_t)(1u << i);
		rejected(&req, PVKIT_BLK_S_IOERR, "flags", req.flags);
	}
	req.flags = PVKIT_BLK_REQ_FUA;
	req.op = PVKIT_BLK_OP_READ;
	memset(rbuf, 0xa5, 4096);
	EXPECT_EQ(run_req(&req), PVKIT_BLK_S_IOERR);
	/* A pad in the indirect list's last entry. */
	memset(&req, 0, sizeof(req));
	memset(ind, 0, 4096);
	for (i = 0; i < 8; i++) {
		seg[i].gpa = gpa(rbuf) + i * 512;
		seg[i].len = 512;
	}
	seg[7].pad = 1;
	req.op = PVKIT_BLK_OP_READ;
	req.nr_segs = 8;
	req.nr_sectors = 8;
	req.indirect_gpa = gpa(ind);
	rejected(&req, PVKIT_BLK_S_IOERR, "indirect seg pad", 7);
	/* FLUSH with a sector, DISCARD with segments. */
	memset(&req, 0, sizeof(req));
	req.op = PVKIT_BLK_OP_FLUSH;
	req.sector = 1;
	rejected(&req, PVKIT_BLK_S_IOERR, "flush sector", 1);
	req.sector = 0;
	req.nr_sectors = 1;
	rejected(&req, PVKIT_BLK_S_IOERR, "flush nr_sectors", 1);
	two_segs(&req, gpa(rbuf) + 4096, 512);
	req.op = PVKIT_BLK_OP_DISCARD;
	rejected(&req, PVKIT_BLK_S_IOERR, "discard with segments", 2);
	EXPECT_TRUE(works());
}

static void case_write_read_only(void)
{
	if (!need_device())
		return;
	if (!(blk.info.features & PVKIT_BLK_F_READ_ONLY))
		return ktap_skip("the disk is writable: disk= has no option "
				 "for a read-only PV disk");
}

#define CASE(name)	{ #name, case_##name }

static const struct ktap_case cases[] = {
	CASE(find_disk),
	CASE(seg_outside_ram),
	CASE(seg_wraps),
	CASE(seg_crosses_page),
	CASE(seg_unaligned),
	CASE(seg_len_zero),
	CASE(no_segments),
	CASE(indirect_outside_ram),
	CASE(indirect_unaligned),
	CASE(sector_past_capacity),
	CASE(sector_wraps),
	CASE(unknown_op),
	CASE(features_not_accepted),
	CASE(nonzero_padding),
	CASE(write_read_only),
	CASE(segs_without_indirect),
	CASE(segs_above_max),
	CASE(id_twice_one_batch),
	CASE(id_twice_across_batches),
	CASE(ring_index_jumps),
	CASE(rewritten_after_notify),
	CASE(event_index_garbage),
	CASE(notify_flood),
	CASE(ring_full_unread),
	CASE(frontend_after),
};

void __noreturn test_pvblkhostile(void)
{
	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
