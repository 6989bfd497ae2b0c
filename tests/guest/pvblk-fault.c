// SPDX-License-Identifier: GPL-2.0
/*
 * pvblk-fault: pvkit_blk.ko's failure paths, in the guest, with the
 * kselftest harness.  Run by /init as pvkit.test=pvblk-fault on a domain
 * with one PV disk (disk=0,mode=pv,size=64M) and 2 vCPUs
 * (tests/suites/49-linux-pv-block-faults).
 *
 * The guest plays the hostile backend through the driver's debugfs knob
 * (pvkit_blk/pvkitblk0/fault), which spoils the next response in the
 * shared ring, or sends the next request with too many segments so that
 * the real backend stops the device.  Each time the I/O must fail with
 * EIO, the disk must say "broken", the kernel log must have one line,
 * and a reload must bring a working disk back.  Then unbinding under
 * I/O (10 times) and 50 idle reloads, with the ports, rings and memory
 * counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/aio_abi.h>
#include "kselftest_harness.h"
#include "sysfs_util.h"

#define BUS		"/sys/bus/pvkit"
#define BLOCK		BUS "/devices/block-0"
#define BLOCK_DRV	BUS "/drivers/pvkit_blk"
#define DISK		"/dev/pvkitblk0"
#define SYSDISK		"/sys/block/pvkitblk0"
#define DEBUGFS		"/sys/kernel/debug"
#define FAULT		DEBUGFS "/pvkit_blk/pvkitblk0/fault"
#define FAILED_LINE	"disk failed"
#define IO_LEN		(64u << 10)
#define THREADS		4
#define IDLE_RELOADS	50
#define BUSY_UNBINDS	10
/* After one warm-up round; one ring pair or indirect page set is more. */
#define SLAB_SLACK_KB	512
#define AVAIL_SLACK_KB	1536

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* One of the driver's counters (BLOCK/counters, "name value" lines). */
static long counter(const char *name)
{
	return named_value(BLOCK "/counters", name);
}

static bool file_is(const char *path, const char *want)
{
	char buf[64];

	return !read_str(path, buf, sizeof(buf)) && !strcmp(buf, want);
}

static bool wait_for(const char *path, bool present, double timeout_s)
{
	double end = now_s() + timeout_s;

	while (now_s() < end) {
		if (exists(path) == present)
			return true;
		usleep(10000);
	}
	return exists(path) == present;
}

/* Kernel log lines holding all of the given strings (b may be NULL). */
static int dmesg_count(const char *a, const char *b)
{
	FILE *f = popen("dmesg", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, a) && (!b || strstr(line, b)))
			n++;
	pclose(f);
	return n;
}

static void *aligned(size_t len)
{
	void *p = NULL;

	return posix_memalign(&p, 4096, len) ? NULL : p;
}

/* One O_DIRECT transfer; 0 or the errno it failed with. */
static int direct_io(bool write, off_t off, size_t len)
{
	void *buf = aligned(len);
	int fd = open(DISK, (write ? O_WRONLY : O_RDONLY) | O_DIRECT);
	ssize_t n = -1;
	int err = ENODEV;

	if (fd >= 0 && buf) {
		memset(buf, 0x5a, len);
		n = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);
		err = n == (ssize_t)len ? 0 : n < 0 ? errno : EIO;
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return err;
}

static void pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % sysconf(_SC_NPROCESSORS_ONLN), &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Loads the driver (if needed) and waits for a healthy disk. */
static bool disk_up(void)
{
	if (!exists(BLOCK "/driver") && run("modprobe pvkit:block"))
		return false;
	return wait_for(DISK, true, 5) && file_is(BLOCK "/health", "ok") &&
	       file_is(BLOCK "/state", "connected");
}

/* rmmod and modprobe: the way back from a failed disk. */
static bool reload(void)
{
	if (run("rmmod pvkit_blk") || exists(DISK) ||
	    !file_is(BLOCK "/state", "closed"))
		return false;
	return disk_up();
}

/* ---- I/O threads -------------------------------------------------------- */

struct worker {
	int index;
	volatile bool *stop;
	long ios;
	int err;		/* errno of the first failure, 0 if none */
	double ended;
};

/*
 * Until told to stop or an I/O fails: O_DIRECT writes, O_DIRECT reads
 * or buffered reads (dropping the cache now and then, so they go to the
 * disk), each worker on its own CPU, so on its own hardware queue.
 */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	int kind = w->index % 3;
	bool direct = kind != 2;
	uint8_t *buf = aligned(IO_LEN);
	off_t base = (off_t)(8 + w->index * 8) << 20, off;
	int fd = open(DISK, (kind ? O_RDONLY : O_RDWR) |
		      (direct ? O_DIRECT : 0));
	ssize_t n;

	pin_to_cpu(w->index);
	w->err = fd < 0 ? errno : 0;
	if (fd < 0 || !buf)
		goto out;
	memset(buf, w->index, IO_LEN);
	while (!*w->stop) {
		off = base + (w->ios % 64) * IO_LEN;
		if (kind == 2 && !(w->ios % 64))
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		n = kind ? pread(fd, buf, IO_LEN, off) :
			   pwrite(fd, buf, IO_LEN, off);
		if (n != IO_LEN) {
			w->err = n < 0 ? errno : EIO;
			break;
		}
		w->ios++;
	}
out:
	w->ended = now_s();
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

struct crew {
	struct worker w[THREADS];
	pthread_t t[THREADS];
	volatile bool stop;
};

static int crew_start(struct crew *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < THREADS; i++) {
		c->w[i].index = i;
		c->w[i].stop = &c->stop;
		if (pthread_create(&c->t[i], NULL, worker_main, &c->w[i]))
			return -1;
	}
	return 0;
}

/* Joins every worker; false if one is still running after timeout_s. */
static bool crew_join(struct crew *c, double timeout_s)
{
	struct timespec ts;
	bool all = true;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += (time_t)timeout_s + 1;
	for (i = 0; i < THREADS; i++)
		if (pthread_timedjoin_np(c->t[i], NULL, &ts))
			all = false;
	return all;
}

/*
 * The harness runs fixtures in the order they are defined: healthy,
 * leak, fault (its variants), load, end.  Each starts from a healthy
 * disk.  The leak checks come before the faults: with them after, an
 * unexplained guest triple fault was seen in some runs (see
 * docs/testing.md).
 */
static void disk_setup(struct __test_metadata *_metadata)
{
	mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	ASSERT_TRUE(disk_up() || reload()) TH_LOG("no healthy disk");
}

#define DISK_FIXTURE(name)						\
	FIXTURE(name) {							\
		int unused;						\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		disk_setup(_metadata);					\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
	}

/* ---- a working disk: counters and batching ------------------------------ */

DISK_FIXTURE(healthy);

struct qd_job {
	int cpu;
	int n;
	int err;
};

static void *qd_main(void *arg)
{
	struct qd_job *j = arg;
	void *buf = aligned(4096);
	int fd = open(DISK, O_RDONLY | O_DIRECT), i;

	pin_to_cpu(j->cpu);
	for (i = 0; fd >= 0 && buf && i < j->n; i++)
		if (pread(fd, buf, 4096, (off_t)((i * 7919 + j->n) % 16384) * 4096) != 4096)
			j->err = errno;
	if (fd < 0)
		j->err = errno;
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* 4 KiB reads from nthreads threads all on CPU 0 (one hardware queue). */
static void one_queue_reads(int nthreads, int each, long *req, long *kicks,
			    long *irqs)
{
	struct qd_job j[16] = { { 0 } };
	pthread_t t[16];
	long r0 = counter("requests"), k0 = counter("notifications");
	long i0 = counter("interrupts");
	int i;

	for (i = 0; i < nthreads; i++) {
		j[i].n = each;
		pthread_create(&t[i], NULL, qd_main, &j[i]);
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	*req = counter("requests") - r0;
	*kicks = counter("notifications") - k0;
	*irqs = counter("interrupts") - i0;
}

#define AIO_DEPTH	32

/*
 * rounds batches of AIO_DEPTH 4 KiB reads, each batch one io_submit()
 * (one plug, so blk-mq hands the driver the batch with bd->last on its
 * last request), from CPU 0; 0 or -1.
 */
static int aio_batches(int rounds, long *req, long *kicks, long *irqs)
{
	struct iocb cb[AIO_DEPTH], *cbp[AIO_DEPTH];
	struct io_event ev[AIO_DEPTH];
	aio_context_t ctx = 0;
	uint8_t *buf = aligned(AIO_DEPTH * 4096);
	int fd = open(DISK, O_RDONLY | O_DIRECT), i, r, got, rc = -1;
	long r0 = counter("requests"), k0 = counter("notifications");
	long i0 = counter("interrupts");

	pin_to_cpu(0);
	if (fd < 0 || !buf || syscall(SYS_io_setup, AIO_DEPTH, &ctx))
		goto out;
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < AIO_DEPTH; i++) {
			memset(&cb[i], 0, sizeof(cb[i]));
			cb[i].aio_lio_opcode = IOCB_CMD_PREAD;
			cb[i].aio_fildes = fd;
			cb[i].aio_buf = (uintptr_t)(buf + i * 4096);
			cb[i].aio_nbytes = 4096;
			/* Apart, so that no two merge into one request. */
			cb[i].aio_offset = ((off_t)(r * AIO_DEPTH + i) * 2 % 16384) * 4096;
			cbp[i] = &cb[i];
		}
		if (syscall(SYS_io_submit, ctx, AIO_DEPTH, cbp) != AIO_DEPTH)
			goto out;
		for (got = 0; got < AIO_DEPTH;) {
			long n = syscall(SYS_io_getevents, ctx, 1,
					 AIO_DEPTH - got, ev, NULL);

			if (n <= 0)
				goto out;
			for (i = 0; i < n; i++)
				if (ev[i].res != 4096)
					goto out;
			got += n;
		}
	}
	rc = 0;
out:
	*req = counter("requests") - r0;
	*kicks = counter("notifications") - k0;
	*irqs = counter("interrupts") - i0;
	if (ctx)
		syscall(SYS_io_destroy, ctx);
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

TEST_F(healthy, counters_and_batching)
{
	static const char *const names[] = {
		"requests", "segments", "indirect", "flushes", "notifications",
		"interrupts", "errors", "violations", "timeouts",
		"state_checks",
	};
	long before[10], req, kicks, irqs;
	size_t i;
	int fd;

	for (i = 0; i < 10; i++) {
		before[i] = counter(names[i]);
		ASSERT_LE(0, before[i]) TH_LOG("no counter %s", names[i]);
	}
	ASSERT_EQ(0, direct_io(true, 1 << 20, 1 << 20));
	ASSERT_EQ(0, direct_io(false, 1 << 20, 1 << 20));
	fd = open(DISK, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, fsync(fd));
	close(fd);
	EXPECT_LE(before[0] + 2, counter("requests"));
	/* 1 MiB in pages: 256 segments, so at least one indirect request. */
	EXPECT_LE(before[1] + 512, counter("segments"));
	EXPECT_LT(before[2], counter("indirect"));
	EXPECT_LT(before[4], counter("notifications"));
	EXPECT_LT(before[5], counter("interrupts"));
	for (i = 6; i < 9; i++)
		EXPECT_EQ(0, counter(names[i])) TH_LOG("%s", names[i]);
	EXPECT_TRUE(file_is(BLOCK "/health", "ok"));

	/* Figures to read, not bounds: they depend on the timing. */
	one_queue_reads(1, 200, &req, &kicks, &irqs);
	TH_LOG("QD1 4 KiB reads: %ld requests, %ld notifications (%.2f a request), %ld interrupts",
	       req, kicks, req ? (double)kicks / req : 0, irqs);
	one_queue_reads(16, 50, &req, &kicks, &irqs);
	TH_LOG("16 readers on one queue: %ld requests, %ld notifications (%.2f a request), %ld interrupts",
	       req, kicks, req ? (double)kicks / req : 0, irqs);
	EXPECT_LE(800, req);
	EXPECT_EQ(0, aio_batches(25, &req, &kicks, &irqs));
	TH_LOG("QD%d batches (io_submit): %ld requests, %ld notifications (%.2f a request), %ld interrupts",
	       AIO_DEPTH, req, kicks, req ? (double)kicks / req : 0, irqs);
	EXPECT_LE(25 * AIO_DEPTH, req);
	req = counter("requests");
	kicks = counter("notifications");
	ASSERT_EQ(0, direct_io(true, 16 << 20, 8 << 20));
	req = counter("requests") - req;
	kicks = counter("notifications") - kicks;
	TH_LOG("one 8 MiB O_DIRECT write: %ld requests, %ld notifications",
	       req, kicks);
	TH_LOG("interrupts that brought no response (state checks): %ld",
	       counter("state_checks"));
	EXPECT_EQ(0, counter("errors"));
}

/* ---- unbinding and unloading -------------------------------------------- */

DISK_FIXTURE(leak);

struct snapshot {
	long ports_open, in_use, ring_pages, slab_kb, avail_kb;
};

static void snap(struct snapshot *s)
{
	sync();
	write_str("/proc/sys/vm/drop_caches", "3");
	usleep(100000);
	s->ports_open = read_long(BUS "/ports_open");
	s->in_use = read_long(BUS "/ports_in_use");
	s->ring_pages = read_long(BUS "/ring_pages");
	s->slab_kb = meminfo_kb("Slab");
	s->avail_kb = meminfo_kb("MemAvailable");
}

static void snap_check(struct __test_metadata *_metadata,
		       const struct snapshot *a, const struct snapshot *b)
{
	TH_LOG("ports open %ld -> %ld, in use %ld -> %ld, ring pages %ld -> %ld",
	       a->ports_open, b->ports_open, a->in_use, b->in_use,
	       a->ring_pages, b->ring_pages);
	TH_LOG("Slab %ld -> %ld kB, MemAvailable %ld -> %ld kB", a->slab_kb,
	       b->slab_kb, a->avail_kb, b->avail_kb);
	EXPECT_EQ(a->ports_open, b->ports_open);
	EXPECT_EQ(a->in_use, b->in_use);
	EXPECT_EQ(a->ring_pages, b->ring_pages);
	EXPECT_GT(SLAB_SLACK_KB, b->slab_kb - a->slab_kb);
	EXPECT_GT(AVAIL_SLACK_KB, a->avail_kb - b->avail_kb);
}

/* One unbind with the crew at work, then rmmod and modprobe. */
static int unbind_busy_once(long closed_ports, const char **why)
{
	struct crew c;
	double t0;
	int i;

	*why = "crew";
	if (crew_start(&c))
		return -1;
	usleep(150000);
	t0 = now_s();
	*why = "unbind";
	if (write_str(BLOCK_DRV "/unbind", "block-0"))
		return -1;
	*why = "workers hang after the unbind";
	if (!crew_join(&c, 5)) {
		c.stop = true;
		crew_join(&c, 30);
		return -1;
	}
	*why = "a worker did not fail, or took over 5 s";
	for (i = 0; i < THREADS; i++)
		if (!c.w[i].err || c.w[i].ended - t0 > 5)
			return -1;
	*why = "not closed, or ports still open";
	if (!file_is(BLOCK "/state", "closed") || exists(DISK) ||
	    read_long(BUS "/ports_open") != closed_ports)
		return -1;
	*why = "rmmod, modprobe";
	if (run("rmmod pvkit_blk") || !disk_up())
		return -1;
	return 0;
}

TEST_F_TIMEOUT(leak, reload_50_idle_no_leak, 300)
{
	struct snapshot a, b;
	double t0;
	int i;

	ASSERT_TRUE(reload());
	snap(&a);
	t0 = now_s();
	for (i = 0; i < IDLE_RELOADS; i++)
		ASSERT_TRUE(reload()) TH_LOG("round %d", i);
	snap(&b);
	TH_LOG("%d reloads in %.1f s", IDLE_RELOADS, now_s() - t0);
	snap_check(_metadata, &a, &b);
	EXPECT_EQ(0, direct_io(true, 0, IO_LEN));
}

TEST_F_TIMEOUT(leak, unbind_under_io_then_reload, 300)
{
	struct snapshot a, b;
	const char *why = "";
	long closed_ports;
	double t0;
	int i;

	ASSERT_EQ(0, run("rmmod pvkit_blk"));
	closed_ports = read_long(BUS "/ports_open");
	ASSERT_TRUE(disk_up());
	ASSERT_EQ(0, unbind_busy_once(closed_ports, &why)) TH_LOG("warm-up: %s", why);
	snap(&a);
	t0 = now_s();
	for (i = 0; i < BUSY_UNBINDS; i++)
		ASSERT_EQ(0, unbind_busy_once(closed_ports, &why))
			TH_LOG("round %d: %s", i, why);
	snap(&b);
	TH_LOG("%d unbinds under I/O in %.1f s", BUSY_UNBINDS, now_s() - t0);
	snap_check(_metadata, &a, &b);
	EXPECT_EQ(0, counter("errors"));
}

/* ---- a hostile backend, one spoilt response at a time -------------------- */

FIXTURE(fault) {
	int unused;
};

FIXTURE_SETUP(fault)
{
	disk_setup(_metadata);
}

FIXTURE_TEARDOWN(fault)
{
}

FIXTURE_VARIANT(fault) {
	const char *name;	/* written to the fault file */
	const char *line;	/* in the kernel's error line */
	int timeout_ms;		/* io_timeout to set, 0: leave it */
};

FIXTURE_VARIANT_ADD(fault, unknown_id) {
	.name = "id", .line = "unknown request id",
};
FIXTURE_VARIANT_ADD(fault, id_not_in_flight) {
	.name = "stale", .line = "not in flight",
};
FIXTURE_VARIANT_ADD(fault, wrong_op) {
	.name = "op", .line = "op is not the request's",
};
FIXTURE_VARIANT_ADD(fault, bad_status) {
	.name = "status", .line = "unknown response status",
};
FIXTURE_VARIANT_ADD(fault, bad_padding) {
	.name = "pad", .line = "nonzero response padding",
};
FIXTURE_VARIANT_ADD(fault, producer_beyond_requests) {
	.name = "prod", .line = "more responses than requests",
};
FIXTURE_VARIANT_ADD(fault, producer_beyond_ring) {
	.name = "range", .line = "response ring index out of range",
};
FIXTURE_VARIANT_ADD(fault, never_answered) {
	.name = "hide", .line = "request timed out", .timeout_ms = 2000,
};
/* The real backend stops the device: seen at once, not by the timeout. */
FIXTURE_VARIANT_ADD(fault, backend_stops_device) {
	.name = "req-segs", .line = "backend stopped the device",
};

TEST_F(fault, fails_disk_then_reload_works)
{
	char buf[32];
	int lines = dmesg_count(FAILED_LINE, NULL), i, err;
	long viol = counter("violations");
	double t0, took;

	/* Several tags used and idle: one for "stale" to name. */
	for (i = 0; i < 8; i++)
		ASSERT_EQ(0, direct_io(false, i * 4096, 4096));
	if (variant->timeout_ms) {
		snprintf(buf, sizeof(buf), "%d", variant->timeout_ms);
		ASSERT_EQ(0, write_str(SYSDISK "/queue/io_timeout", buf));
	}
	ASSERT_EQ(0, write_str(FAULT, variant->name));
	ASSERT_EQ(0, read_str(FAULT, buf, sizeof(buf)));
	EXPECT_STREQ(variant->name, buf);
	t0 = now_s();
	err = direct_io(false, 1 << 20, 4096);
	took = now_s() - t0;
	EXPECT_EQ(EIO, err) TH_LOG("%s", strerror(err));
	TH_LOG("failed in %.2f s", took);
	EXPECT_GT(variant->timeout_ms / 1000.0 + 4, took);
	EXPECT_TRUE(file_is(FAULT, "none"));
	EXPECT_TRUE(file_is(BLOCK "/health", "broken"));
	/* Disconnected, so the hypervisor has it closed. */
	EXPECT_TRUE(file_is(BLOCK "/state", "closed"));
	EXPECT_EQ(variant->timeout_ms ? 1 : 0, counter("timeouts"));
	EXPECT_EQ(variant->timeout_ms ? viol : viol + 1,
		  counter("violations"));
	EXPECT_EQ(lines + 1, dmesg_count(FAILED_LINE, NULL));
	EXPECT_EQ(1, dmesg_count(FAILED_LINE, variant->line))
		TH_LOG("no line with \"%s\"", variant->line);
	/* From now on every I/O fails at once. */
	t0 = now_s();
	EXPECT_EQ(EIO, direct_io(false, 0, 4096));
	EXPECT_EQ(EIO, direct_io(true, 0, 4096));
	EXPECT_GT(1.0, now_s() - t0);
	EXPECT_EQ(lines + 1, dmesg_count(FAILED_LINE, NULL));
	/* The way back: a reload connects afresh. */
	ASSERT_TRUE(reload());
	EXPECT_EQ(0, direct_io(true, 2 << 20, IO_LEN));
	EXPECT_EQ(0, direct_io(false, 2 << 20, IO_LEN));
	EXPECT_EQ(0, counter("violations"));
}

/* ---- the backend stops the device under load ----------------------------- */

DISK_FIXTURE(load);

TEST_F(load, backend_stops_device_under_load)
{
	struct crew c;
	int lines = dmesg_count(FAILED_LINE, NULL), i;
	int stops = dmesg_count(FAILED_LINE, "backend stopped the device");
	int timeouts = dmesg_count(FAILED_LINE, "request timed out");
	long ios = 0;
	double t0, last = 0;

	/* The backend's stop is seen on an interrupt; this is the backstop. */
	ASSERT_EQ(0, write_str(SYSDISK "/queue/io_timeout", "3000"));
	ASSERT_EQ(0, crew_start(&c));
	usleep(400000);
	for (i = 0; i < THREADS; i++)
		ios += c.w[i].ios;
	t0 = now_s();
	ASSERT_EQ(0, write_str(FAULT, "req-segs"));
	/* They stop by failing; the flag only ends a test that failed. */
	if (!crew_join(&c, 10)) {
		c.stop = true;
		ASSERT_TRUE(crew_join(&c, 30)) TH_LOG("workers hang");
		ASSERT_TRUE(false) TH_LOG("workers still running after 10 s");
	}
	for (i = 0; i < THREADS; i++) {
		EXPECT_EQ(EIO, c.w[i].err) TH_LOG("worker %d: %s", i,
						  strerror(c.w[i].err));
		if (c.w[i].ended - t0 > last)
			last = c.w[i].ended - t0;
	}
	TH_LOG("%ld I/Os before; every worker failed within %.2f s (state checks %ld, timeouts %ld)",
	       ios, last, counter("state_checks"), counter("timeouts"));
	EXPECT_LT(0, ios);
	EXPECT_GT(5.0, last);
	EXPECT_TRUE(file_is(BLOCK "/health", "broken"));
	EXPECT_TRUE(file_is(BLOCK "/state", "closed"));
	EXPECT_EQ(lines + 1, dmesg_count(FAILED_LINE, NULL));
	/* Seen on an interrupt, or at worst by the timeout. */
	EXPECT_EQ(stops + timeouts + 1,
		  dmesg_count(FAILED_LINE, "backend stopped the device") +
		  dmesg_count(FAILED_LINE, "request timed out"));
	EXPECT_EQ(EIO, direct_io(false, 0, 4096));
	/* The backend accepts a new connection once disconnected. */
	ASSERT_TRUE(reload());
	EXPECT_EQ(0, direct_io(false, 0, IO_LEN));
}

TEST_F(load, rmmod_refused_while_open)
{
	struct crew c;

	ASSERT_EQ(0, crew_start(&c));
	usleep(100000);
	/* The open disk holds the module: refused at once, I/O goes on. */
	EXPECT_NE(0, run("rmmod pvkit_blk 2>/dev/null"));
	EXPECT_TRUE(exists(DISK));
	c.stop = true;
	ASSERT_TRUE(crew_join(&c, 10));
	EXPECT_EQ(0, c.w[0].err + c.w[1].err + c.w[2].err + c.w[3].err);
	EXPECT_TRUE(file_is(BLOCK "/health", "ok"));
}

DISK_FIXTURE(end);

TEST_F(end, dmesg_no_crash)
{
	static const char *const bad[] = {
		"WARNING: CPU:", "BUG: ", "Oops", "Call Trace", "leak:",
		"left it connected", "rings kept", "blocked for more than",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(0, dmesg_count(bad[i], NULL)) TH_LOG("pattern %zu", i);
	/* One line per failed disk: 9 faults, one stop under load. */
	EXPECT_EQ(10, dmesg_count(FAILED_LINE, NULL));
}

TEST_HARNESS_MAIN
