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

#define CANARY		16u		/* sectors 0..15: a known pattern */
#define WORK_SECTOR	64u		/* where works() writes */
#define BUF_PAGES	4u
#define FLOOD_MS	2000
#define WAIT_MS		5000
#define FEATURES	(PVKIT_BLK_F_FLUSH | PVKIT_BLK_F_FUA | \
			 PVKIT_BLK_F_INDIRECT | PVKIT_BLK_F_DISCARD | \
			 PVKIT_BLK_F_WRITE_ZEROES)

static struct pvblk blk;
static bool found;
static uint8_t *wbuf, *rbuf, *cbuf, *ind;
static uint64_t next_id = 1000;
static unsigned int breaks;
static uint8_t gen = 1;
static const char *case_name;

static uint64_t gpa(const void *p)
{
	return virt_to_gpa(p);
}

static uint8_t pattern(uint64_t sector, unsigned int i, uint8_t g)
{
	uint64_t x = (sector * 0x9e3779b97f4a7c15ull) ^ (i * 0x85ebca6bu) ^ g;

	return (uint8_t)(x ^ (x >> 29) ^ (x >> 41));
}

static void fill(uint8_t *p, uint64_t sector, uint32_t n, uint8_t g)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			p[s * 512 + i] = pattern(sector + s, i, g);
}

static bool holds(const uint8_t *p, uint64_t sector, uint32_t n, uint8_t g)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			if (p[s * 512 + i] != pattern(sector + s, i, g))
				return false;
	return true;
}

static uint32_t dev_state(void)
{
	struct pvkit_dev_info info;

	if (pvdev_info(blk.info.index, &info))
		return ~0u;
	return info.state;
}

static bool wait_state(uint32_t want, uint64_t ms)
{
	uint64_t end = monotonic_ns() + ms * NSEC_PER_MSEC;

	while (dev_state() != want) {
		if (monotonic_ns() > end)
			return false;
		msleep(1);
	}
	return true;
}

static struct pvkit_ring_hdr *req_hdr(void)
{
	return blk.q[0].req_mem;
}

static struct pvkit_ring_hdr *rsp_hdr(void)
{
	return blk.q[0].rsp_mem;
}

/* Puts n requests on queue 0, publishes and notifies, whatever the index. */
static bool push(const struct pvkit_blk_req *req, uint32_t n)
{
	struct pvblk_queue *q = &blk.q[0];

	if (pvkit_ring_prod_put(&q->req, req, n) != (int)n)
		return false;
	pvkit_ring_prod_publish(&q->req);
	return !evtchn_send(q->port);
}

/* One request on queue 0 under a fresh id: its status, or < 0. */
static int run_req(struct pvkit_blk_req *req)
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

static bool canary_ok(void)
{
	int rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, 0, cbuf, CANARY * 512);

	if (rc) {
		ktap_fail("canary read: %d", rc);
		return false;
	}
	if (!holds(cbuf, 0, CANARY, 1)) {
		ktap_fail("%s: the canary sectors changed", case_name);
		return false;
	}
	return true;
}

/* A good write and read on the connected device, the canary intact. */
static bool works(void)
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
		ktap_fail("%s: good write/read: %d", case_name, rc);
		return false;
	}
	return canary_ok();
}

static bool blk_connect(uint64_t features)
{
	int rc = pvblk_connect(&blk, 1, features & blk.info.features);

	if (rc)
		ktap_fail("%s: connect: %d", case_name, rc);
	return !rc;
}

static bool reconnect(uint64_t features)
{
	if (blk.connected)
		pvblk_disconnect(&blk);
	return blk_connect(features);
}

static bool need_device(void)
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

static void case_segs_without_indirect(void)
{
	if (!found)
		return ktap_fail("no PV disk");
	expect_broken(inline_plus_one, PVKIT_BLK_F_FLUSH,
		      "7 segments without INDIRECT");
}

static void case_segs_above_max(void)
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

static void case_id_twice_one_batch(void)
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
static void case_id_twice_across_batches(void)
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

static void case_ring_index_jumps(void)
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

static void case_rewritten_after_notify(void)
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
static void case_event_index_garbage(void)
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
static void case_notify_flood(void)
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
static void case_ring_full_unread(void)
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
static void case_frontend_after(void)
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
	unsigned int i, failed = 0;

	ktap_plan(ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		case_name = cases[i].name;
		failed += ktap_run_cases(&cases[i], 1);
	}
	ktap_finish(failed);
}
