// SPDX-License-Identifier: MIT
/*
 * Mini-OS durability programs for a PV disk on storage that outlives the
 * boot (a virtio-blk image on the host):
 *
 * test=pvblkpersist phase=write  writes known patterns at a set of
 *                                ranges, then flushes;
 * test=pvblkpersist phase=read   (a later boot) reads them back;
 * test=pvblkcrash                writes 4 KiB chunks in order, four then
 *                                a flush, and after each flush reports
 *                                "flushed through chunk K" until the
 *                                disk is full or the machine is killed;
 * test=pvblkresize resize=BYTES shrink=BYTES
 *                                asks the host to grow the image, then
 *                                to shrink it, and checks the protocol's
 *                                side of an online resize (ABI 1.5).
 *
 * Byte i of sector s holds (s * 131 + i * 7 + tag) & 0xff, so the suite
 * can check the host image with the same formula.
 */
#include <lib/string.h>
#include <pvkit/hypercall.h>
#include <pvkit/shared_info.h>
#include <minios/cmdline.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvblk.h>
#include <minios/sched.h>
#include <minios/tests.h>

#define PERSIST_TAG	0x5a
#define CRASH_TAG	0xc3
#define CHUNK_SECTORS	8u
#define CRASH_BATCH	4u
#define BUF_PAGES	33u

static struct pvblk blk;
static uint8_t *buf;
static bool up;

/* Sector counts; the last range is the disk's last sector. */
static const struct {
	uint64_t sector;
	uint32_t n;
} ranges[] = {
	{ 0, 1 }, { 1, 7 }, { 8, 8 }, { 63, 9 }, { 1000, 256 }, { 4097, 100 },
	{ 0, 1 },
};

static uint8_t pattern(uint64_t s, unsigned int i, uint8_t tag)
{
	return (uint8_t)(s * 131 + i * 7 + tag);
}

static void fill(uint8_t *p, uint64_t sector, uint32_t n, uint8_t tag)
{
	for (uint32_t s = 0; s < n; s++)
		for (unsigned int i = 0; i < 512; i++)
			p[s * 512 + i] = pattern(sector + s, i, tag);
}

static bool check(const uint8_t *p, uint64_t sector, uint32_t n, uint8_t tag)
{
	for (uint32_t s = 0; s < n; s++) {
		for (unsigned int i = 0; i < 512; i++) {
			uint8_t want = pattern(sector + s, i, tag);

			if (p[s * 512 + i] == want)
				continue;
			ktap_fail("sector %llu byte %u: %#x, want %#x",
				  (unsigned long long)(sector + s), i,
				  p[s * 512 + i], want);
			return false;
		}
	}
	return true;
}

static uint64_t range_sector(unsigned int i)
{
	return i == ARRAY_SIZE(ranges) - 1 ? blk.config.capacity - 1 :
					     ranges[i].sector;
}

static void case_connect(void)
{
	int rc = pvblk_find(&blk);

	if (rc) {
		ktap_fail("no PV disk: %d", rc);
		return;
	}
	buf = alloc_pages(BUF_PAGES);
	if (!buf || blk.config.capacity < 8192) {
		ktap_fail("no buffer, or a disk under 4 MiB");
		return;
	}
	rc = pvblk_connect(&blk, 1, (PVKIT_BLK_F_FLUSH | PVKIT_BLK_F_INDIRECT) &
					    blk.info.features);
	if (rc)
		ktap_fail("connect: %d", rc);
	ktap_diag("disk %u: %llu sectors, cache %s", blk.info.instance,
		  (unsigned long long)blk.config.capacity,
		  blk.config.cache == PVKIT_BLK_CACHE_WRITEBACK ? "writeback" :
								   "write-through");
	up = !rc;
}

static void case_persist_write(void)
{
	int rc;

	if (!up)
		return ktap_skip("not connected");
	for (unsigned int i = 0; i < ARRAY_SIZE(ranges); i++) {
		uint64_t s = range_sector(i);

		fill(buf, s, ranges[i].n, PERSIST_TAG);
		rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, s, buf,
			      ranges[i].n * 512);
		if (rc) {
			ktap_fail("write %u at %llu: %d", ranges[i].n,
				  (unsigned long long)s, rc);
			return;
		}
	}
	rc = pvblk_nodata(&blk, 0, PVKIT_BLK_OP_FLUSH, 0, 0);
	if (rc)
		ktap_fail("flush: %d", rc);
	else
		ktap_diag("%u ranges written and flushed",
			  (unsigned int)ARRAY_SIZE(ranges));
}

static void case_persist_read(void)
{
	int rc;

	if (!up)
		return ktap_skip("not connected");
	for (unsigned int i = 0; i < ARRAY_SIZE(ranges); i++) {
		uint64_t s = range_sector(i);

		memset(buf, 0xa5, ranges[i].n * 512);
		rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, s, buf,
			      ranges[i].n * 512);
		if (rc) {
			ktap_fail("read %u at %llu: %d", ranges[i].n,
				  (unsigned long long)s, rc);
			return;
		}
		if (!check(buf, s, ranges[i].n, PERSIST_TAG))
			return;
	}
	ktap_diag("%u ranges read back from the last boot",
		  (unsigned int)ARRAY_SIZE(ranges));
}

static void case_crash_stream(void)
{
	uint64_t chunks = blk.config.capacity / CHUNK_SECTORS;
	int rc;

	if (!up)
		return ktap_skip("not connected");
	for (uint64_t k = 0; k + CRASH_BATCH <= chunks; k += CRASH_BATCH) {
		for (unsigned int j = 0; j < CRASH_BATCH; j++) {
			uint64_t s = (k + j) * CHUNK_SECTORS;

			fill(buf, s, CHUNK_SECTORS, CRASH_TAG);
			rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, s, buf,
				      CHUNK_SECTORS * 512);
			if (rc) {
				ktap_fail("write at %llu: %d",
					  (unsigned long long)s, rc);
				return;
			}
		}
		rc = pvblk_nodata(&blk, 0, PVKIT_BLK_OP_FLUSH, 0, 0);
		if (rc) {
			ktap_fail("flush: %d", rc);
			return;
		}
		ktap_diag("flushed through chunk %llu",
			  (unsigned long long)(k + CRASH_BATCH - 1));
	}
}

#define RESIZE_WAIT_MS	10000u

/* Whether the device's bit came up within RESIZE_WAIT_MS; takes it. */
static bool config_changed_bit(uint32_t index)
{
	uint64_t bit = 1ull << index;

	for (unsigned int ms = 0; ms < RESIZE_WAIT_MS; ms += 10) {
		if (__atomic_fetch_and(&shared_info->dev_config_changed, ~bit,
				       __ATOMIC_SEQ_CST) & bit)
			return true;
		msleep(10);
	}
	return false;
}

/*
 * Asks the suite (its cue) to resize the image to want sectors: the
 * device's bit in dev_config_changed comes up and DEV_CONFIG gives the
 * new capacity and nothing else new.  Then blk.config has it.
 */
static bool resize_to(uint64_t want)
{
	struct pvkit_blk_config c;
	int64_t rc;

	__atomic_fetch_and(&shared_info->dev_config_changed,
			   ~(1ull << blk.info.index), __ATOMIC_SEQ_CST);
	ktap_diag("pvblkresize: resize disk 0 to %llu bytes",
		  (unsigned long long)want * 512);
	if (!config_changed_bit(blk.info.index)) {
		ktap_fail("no dev_config_changed bit in %u ms", RESIZE_WAIT_MS);
		return false;
	}
	rc = hc_dev_config(blk.info.index, &c, sizeof(c));
	if (rc != sizeof(c) || c.capacity != want) {
		ktap_fail("DEV_CONFIG: %lld, capacity %llu, want %llu",
			  (long long)rc, (unsigned long long)c.capacity,
			  (unsigned long long)want);
		return false;
	}
	ktap_diag("%llu -> %llu sectors",
		  (unsigned long long)blk.config.capacity,
		  (unsigned long long)want);
	c.capacity = blk.config.capacity;
	if (memcmp(&c, &blk.config, sizeof(c))) {
		ktap_fail("more than the capacity changed");
		return false;
	}
	blk.config.capacity = want;
	return true;
}

/* A read across the disk's end: the backend's bound is the new end. */
static bool end_bounds_io(void)
{
	uint64_t end = blk.config.capacity;
	int rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, end - 1, buf, 1024);

	if (rc != PVKIT_BLK_S_IOERR) {
		ktap_fail("a read across sector %llu: status %d, want IOERR",
			  (unsigned long long)end, rc);
		return false;
	}
	rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, end - 1, buf, 512);
	if (rc) {
		ktap_fail("the last sector: status %d", rc);
		return false;
	}
	return true;
}

/* The host grows the image: the sectors past the old end take I/O. */
static void case_resize_grow(void)
{
	uint64_t want = cmdline_get_u64("resize", 0) / 512;
	uint64_t old = blk.config.capacity;
	int64_t rc;

	if (!up)
		return ktap_skip("not connected");
	if (!(hc_features(0) & PVKIT_FEAT_DEV_CONFIG_CHANGED) || want <= old) {
		ktap_fail("no DEV_CONFIG_CHANGED, or resize=%llu sectors not above %llu",
			  (unsigned long long)want, (unsigned long long)old);
		return;
	}
	if (!resize_to(want))
		return;
	fill(buf, old, CHUNK_SECTORS, PERSIST_TAG);
	rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_WRITE, old, buf,
		      CHUNK_SECTORS * 512);
	if (!rc) {
		memset(buf, 0, CHUNK_SECTORS * 512);
		rc = pvblk_rw(&blk, 0, PVKIT_BLK_OP_READ, old, buf,
			      CHUNK_SECTORS * 512);
	}
	if (rc || !check(buf, old, CHUNK_SECTORS, PERSIST_TAG)) {
		ktap_fail("I/O past the old end: %lld", (long long)rc);
		return;
	}
	end_bounds_io();
}

/* Then shrinks it: what was past the new end is out of reach. */
static void case_resize_shrink(void)
{
	uint64_t want = cmdline_get_u64("shrink", 0) / 512;

	if (!up)
		return ktap_skip("not connected");
	if (!want || want >= blk.config.capacity) {
		ktap_fail("shrink=%llu sectors not below %llu",
			  (unsigned long long)want,
			  (unsigned long long)blk.config.capacity);
		return;
	}
	if (resize_to(want))
		end_bounds_io();
}

void __noreturn test_pvblkpersist(void)
{
	const char *phase = cmdline_get("phase");
	bool rd = phase && !strcmp(phase, "read");
	const struct ktap_case cases[] = {
		{ "connect", case_connect },
		{ rd ? "persist_read" : "persist_write",
		  rd ? case_persist_read : case_persist_write },
	};

	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}

void __noreturn test_pvblkresize(void)
{
	static const struct ktap_case cases[] = {
		{ "connect", case_connect },
		{ "resize_grow", case_resize_grow },
		{ "resize_shrink", case_resize_shrink },
	};

	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}

void __noreturn test_pvblkcrash(void)
{
	static const struct ktap_case cases[] = {
		{ "connect", case_connect },
		{ "crash_stream", case_crash_stream },
	};

	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
