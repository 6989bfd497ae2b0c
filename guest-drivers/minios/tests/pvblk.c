// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pvblk: writes known patterns through the PV block
 * frontend at many offsets and sizes (aligned and not to 4 KiB, in the
 * buffer and on the disk, up to the largest request), on every queue
 * offered, reads each back and compares; then flush, write-zeroes and
 * a final read of the whole disk against what every sector should hold.
 * One case has 20 requests on every queue in flight at once.  Last,
 * the backend's DEV_STATS time each request through its stages.
 */
#include <lib/string.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvblk.h>
#include <minios/tests.h>

#define MAX_SECTORS	(16u << 11)	/* 16 MiB of disk tracked */
#define BUF_PAGES	257u		/* the largest request, one page off */
#define PAR_REQS	20u		/* per queue, at once */
#define SEQ_READS	64u

static struct pvblk blk;
static bool up;
static uint8_t *wbuf, *rbuf;
static uint8_t gen[MAX_SECTORS];	/* 0: zeroes, else the pattern's */
static uint64_t sectors;
static unsigned int seq;

static uint8_t pattern(uint64_t sector, unsigned int i, uint8_t g)
{
	uint64_t x = (sector * 0x9e3779b97f4a7c15ull) ^ (i * 0x85ebca6bu) ^ g;

	return g ? (uint8_t)(x ^ (x >> 29) ^ (x >> 41)) : 0;
}

static void fill(uint8_t *p, uint64_t sector, uint32_t n, uint8_t g)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			p[s * 512 + i] = pattern(sector + s, i, g);
}

static bool check(const uint8_t *p, uint64_t sector, uint32_t n)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			if (p[s * 512 + i] != pattern(sector + s, i,
						      gen[sector + s])) {
				ktap_fail("sector %llu byte %u: %#x, want %#x",
					  (unsigned long long)(sector + s), i,
					  p[s * 512 + i],
					  pattern(sector + s, i,
						  gen[sector + s]));
				return false;
			}
	return true;
}

static void case_connect(void)
{
	uint64_t feat = PVKIT_BLK_F_FLUSH | PVKIT_BLK_F_INDIRECT |
			PVKIT_BLK_F_WRITE_ZEROES | PVKIT_BLK_F_DISCARD |
			PVKIT_BLK_F_MQ;
	int rc = pvblk_find(&blk);

	if (rc) {
		ktap_fail("no PV disk: %d", rc);
		return;
	}
	sectors = blk.config.capacity;
	ktap_diag("disk %u: %llu sectors, %u queues, max %u segments, %u bytes",
		  blk.info.instance, (unsigned long long)sectors,
		  blk.config.queues, blk.config.max_segs,
		  blk.config.max_req_bytes);
	if (sectors > MAX_SECTORS)
		sectors = MAX_SECTORS;
	wbuf = alloc_pages(BUF_PAGES);
	rbuf = alloc_pages(BUF_PAGES);
	if (!wbuf || !rbuf) {
		ktap_fail("out of memory");
		return;
	}
	rc = pvblk_connect(&blk, blk.info.max_queues, feat & blk.info.features);
	if (rc)
		ktap_fail("connect: %d", rc);
	up = !rc;
}

/* Writes n sectors at sector from buffer offset off, reads them back. */
static bool one(uint64_t sector, uint32_t n, uint32_t off)
{
	unsigned int q = seq % blk.nr_queues;
	uint8_t g = (uint8_t)(seq++ % 255 + 1);
	int rc;

	if (sector + n > sectors)
		sector = sectors - n;
	fill(wbuf + off, sector, n, g);
	rc = pvblk_rw(&blk, q, PVKIT_BLK_OP_WRITE, sector, wbuf + off, n * 512);
	if (rc) {
		ktap_fail("write %u at %llu (+%u) on q%u: %d", n,
			  (unsigned long long)sector, off, q, rc);
		return false;
	}
	memset(&gen[sector], g, n);
	memset(rbuf + off, 0xa5, n * 512);
	rc = pvblk_rw(&blk, (q + 1) % blk.nr_queues, PVKIT_BLK_OP_READ,
		      sector, rbuf + off, n * 512);
	if (rc) {
		ktap_fail("read %u at %llu: %d", n, (unsigned long long)sector,
			  rc);
		return false;
	}
	return check(rbuf + off, sector, n);
}

static void case_patterns(void)
{
	static const uint32_t sizes[] = {
		1, 2, 7, 8, 9, 16, 48, 49, 56, 64, 127, 256, 1000, 1024, 2048,
	};
	static const uint32_t offs[] = { 0, 512, 3584, 4096 };
	unsigned int i, j, done = 0;
	uint64_t sector = 0;

	if (!up)
		return ktap_skip("not connected");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(offs); j++) {
			uint32_t n = sizes[i];

			if (n * 512 > blk.config.max_req_bytes)
				n = blk.config.max_req_bytes / 512;
			/* The largest request starts page aligned. */
			if (n * 512 + offs[j] > (BUF_PAGES - 1) * 4096u &&
			    offs[j] % 4096)
				continue;
			if (!one(sector % sectors, n, offs[j] % 4096))
				return;
			sector += n * 3 + j + 1;
			done++;
		}
	}
	ktap_diag("%u write/read pairs on %u queues", done, blk.nr_queues);
}

/*
 * Back-to-back 4 KiB reads on one queue, each waited for: how many
 * needed a notification (the suite compares a backend that polls with
 * one that does not).
 */
static void case_sequential_notifications(void)
{
	uint64_t before = blk.notifications;
	int rc;

	if (!up)
		return ktap_skip("not connected");
	for (unsigned int i = 0; i < SEQ_READS; i++) {
		rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, i * 8, rbuf, 4096);
		if (rc) {
			ktap_fail("read %u: %d", i, rc);
			return;
		}
	}
	ktap_diag("sequential: %llu of %u reads notified",
		  (unsigned long long)(blk.notifications - before), SEQ_READS);
}

/* Pushes one 4 KiB request per slot of every queue, then kicks them all. */
static bool par_push(uint8_t op, uint64_t base, uint64_t *first)
{
	uint64_t id;
	int rc;

	for (unsigned int q = 0; q < blk.nr_queues; q++) {
		for (unsigned int i = 0; i < PAR_REQS; i++) {
			unsigned int k = q * PAR_REQS + i;

			rc = pvblk_rw_push(&blk, q, op, base + k * 8,
					   wbuf + k * 4096, 4096, &id);
			if (rc) {
				ktap_fail("push %u on q%u: %d", i, q, rc);
				return false;
			}
			if (!i)
				first[q] = id;
		}
	}
	/* All published before the backend runs for the first. */
	for (unsigned int q = 0; q < blk.nr_queues; q++)
		pvblk_kick(&blk, q);
	return true;
}

/* Every answer of every queue: each id once, each status OK. */
static bool par_collect(const uint64_t *first)
{
	struct pvkit_blk_rsp rsp;
	uint32_t seen;
	int rc;

	for (unsigned int q = 0; q < blk.nr_queues; q++) {
		seen = 0;
		for (unsigned int i = 0; i < PAR_REQS; i++) {
			rc = pvblk_wait(&blk, q, &rsp, 5000);
			if (!rc && (rsp.id < first[q] ||
				    rsp.id >= first[q] + PAR_REQS ||
				    seen & (1u << (rsp.id - first[q]))))
				rc = -PVKIT_ERANGE;
			if (rc || rsp.status) {
				ktap_fail("q%u answer %u: %d, id %llu, status %u",
					  q, i, rc, (unsigned long long)rsp.id,
					  rsp.status);
				return false;
			}
			seen |= 1u << (rsp.id - first[q]);
		}
	}
	return true;
}

/*
 * PAR_REQS small writes on every queue at once, more than a storage
 * device may hold (it must queue some), then reads of them all the
 * same way: each answered once and all read back as written.
 */
static void case_parallel_queues(void)
{
	unsigned int total = blk.nr_queues * PAR_REQS;
	uint64_t first[PVKIT_DEV_MAX_QUEUES], base = sectors / 2;

	if (!up)
		return ktap_skip("not connected");
	if (base + total * 8 > sectors)
		return ktap_skip("disk too small");
	fill(wbuf, base, total * 8, 200);
	memset(&gen[base], 200, total * 8);
	if (!par_push(PVKIT_BLK_OP_WRITE, base, first) || !par_collect(first))
		return;
	memset(wbuf, 0xa5, total * 4096);
	if (!par_push(PVKIT_BLK_OP_READ, base, first) || !par_collect(first))
		return;
	if (check(wbuf, base, total * 8))
		ktap_diag("%u requests in flight at once, %u queues", total,
			  blk.nr_queues);
}

static void case_flush(void)
{
	int rc;

	if (!up)
		return ktap_skip("not connected");
	for (unsigned int q = 0; q < blk.nr_queues; q++) {
		rc = pvblk_nodata(&blk, q, PVKIT_BLK_OP_FLUSH, 0, 0);
		if (rc)
			ktap_fail("flush q%u: %d", q, rc);
	}
}

static void case_write_zeroes(void)
{
	uint64_t s = sectors / 3;
	int rc;

	if (!up)
		return ktap_skip("not connected");
	rc = pvblk_nodata(&blk, 0, PVKIT_BLK_OP_WRITE_ZEROES, s, 100);
	if (rc) {
		ktap_fail("write zeroes: %d", rc);
		return;
	}
	memset(&gen[s], 0, 100);
	rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, s, rbuf, 100 * 512);
	if (rc)
		ktap_fail("read: %d", rc);
	else
		check(rbuf, s, 100);
}

/* Every sector, through a reconnect: the data stays on the disk. */
static void case_verify_all(void)
{
	uint32_t chunk = blk.config.max_req_bytes / 512;
	int rc;

	if (!up)
		return ktap_skip("not connected");
	pvblk_disconnect(&blk);
	rc = pvblk_connect(&blk, 1, PVKIT_BLK_F_INDIRECT);
	if (rc) {
		up = false;
		ktap_fail("reconnect: %d", rc);
		return;
	}
	for (uint64_t s = 0; s < sectors; s += chunk) {
		uint32_t n = sectors - s < chunk ? (uint32_t)(sectors - s) :
						   chunk;

		rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, s, rbuf, n * 512);
		if (rc) {
			ktap_fail("read at %llu: %d", (unsigned long long)s,
				  rc);
			return;
		}
		if (!check(rbuf, s, n))
			return;
	}
}

/* SEQ_READS reads, one at a time: each is staged once, its time adds up. */
static void case_backend_stats(void)
{
	static struct pvkit_dev_stats a, b;
	uint32_t idx = blk.info.index;

	if (!up)
		return ktap_skip("not connected");
	if (!EXPECT_EQ(hc_dev_stats(idx, &a), 0))
		return;
	for (unsigned int i = 0; i < SEQ_READS; i++)
		if (pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, i * 8, rbuf, 4096))
			return ktap_fail("read %u failed", i);
	if (!EXPECT_EQ(hc_dev_stats(idx, &b), 0))
		return;
	EXPECT_EQ(b.staged - a.staged, SEQ_READS);
	EXPECT_EQ(b.errors, a.errors);
	EXPECT_TRUE(b.stage_ns[PVKIT_BLK_STAGE_STORAGE] >
		    a.stage_ns[PVKIT_BLK_STAGE_STORAGE]);
	for (unsigned int i = 0; i < PVKIT_DEV_STAGES; i++)
		EXPECT_TRUE(b.stage_ns[i] >= a.stage_ns[i]);
	ktap_diag("per read: submit %llu, storage %llu, answer %llu, hold %llu ns",
		  (unsigned long long)(b.stage_ns[0] - a.stage_ns[0]) / SEQ_READS,
		  (unsigned long long)(b.stage_ns[1] - a.stage_ns[1]) / SEQ_READS,
		  (unsigned long long)(b.stage_ns[2] - a.stage_ns[2]) / SEQ_READS,
		  (unsigned long long)(b.stage_ns[3] - a.stage_ns[3]) / SEQ_READS);
	EXPECT_EQ(hc_dev_stats(PVKIT_DEV_MAX, &a), -PVKIT_ENOENT);
	EXPECT_EQ(hypercall2(PVKIT_HC_DEV_STATS, idx, ~0ull), -PVKIT_EFAULT);
}

#define CASE(n) { #n, case_##n }
static const struct ktap_case cases[] = {
	CASE(connect),
	CASE(patterns),
	CASE(sequential_notifications),
	CASE(parallel_queues),
	CASE(flush),
	CASE(write_zeroes),
	CASE(verify_all),
	CASE(backend_stats),
};

void __noreturn test_pvblk(void)
{
	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
