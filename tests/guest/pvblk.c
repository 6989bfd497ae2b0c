// SPDX-License-Identifier: GPL-2.0
/*
 * pvblk: in-guest checks of pvkit_blk.ko, the PV block driver, with the
 * kselftest harness (TAP on the console).  Run by /init as
 * pvkit.test=pvblk, after its coldplug loaded the driver by modalias,
 * on a domain with one PV disk (disk=0,mode=pv,size=64M) and 2 vCPUs
 * (tests/suites/49-linux-pv-block).
 *
 * The disk's data is a function of the byte's offset and a seed, so any
 * read can be checked without keeping what was written.  The checks are
 * here; the helpers they use (sysfs, data pattern, I/O threads, uevents)
 * are in pvblk_util.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <pvkit/io/block.h>
#include <pvkit/io/device.h>
#include "kselftest_harness.h"
#include "sysfs_util.h"
#include "pvblk_util.h"

/* Offsets and sizes: 512-byte steps to 1 MiB, at page and odd sectors. */
static const struct { uint64_t off; uint32_t len; } direct_cases[] = {
	{ 0, 512 }, { 512, 512 }, { 4096, 4096 }, { 7 * 512, 3 * 512 },
	{ 65536, 6 * 4096 }, { 1 << 20, 7 * 4096 }, { 3 << 20, 64 << 10 },
	{ (5 << 20) + 512, 128 << 10 }, { 8 << 20, 512 << 10 },
	{ 12 << 20, 1 << 20 }, { (20 << 20) + 3 * 512, (1 << 20) - 512 },
	{ DISK_BYTES - 4096, 4096 }, { DISK_BYTES - (1 << 20), 1 << 20 },
	{ 30 << 20, 33 * 512 }, { (40 << 20) + 2048, 300 << 10 },
};

FIXTURE(pvblk) {
	int unused;
};

FIXTURE_SETUP(pvblk)
{
}

FIXTURE_TEARDOWN(pvblk)
{
}

TEST_F(pvblk, disk_appears)
{
	char buf[256];
	uint64_t bytes = 0;
	int fd;

	ASSERT_TRUE(exists(BLOCK)) TH_LOG("no %s", BLOCK);
	EXPECT_EQ(PVKIT_DEV_CLASS_BLOCK, read_long(BLOCK "/class"));
	ASSERT_EQ(0, read_str(BLOCK "/modalias", buf, sizeof(buf)));
	EXPECT_STREQ("pvkit:block", buf);
	driver_of(BLOCK, buf, sizeof(buf));
	EXPECT_STREQ("pvkit_blk", buf);
	ASSERT_EQ(0, read_str(BLOCK "/state", buf, sizeof(buf)));
	EXPECT_STREQ("connected", buf);
	ASSERT_EQ(0, read_str(BLOCK "/disk", buf, sizeof(buf)));
	EXPECT_STREQ("pvkitblk0", buf);
	ASSERT_EQ(0, read_str(BLOCK "/queues", buf, sizeof(buf)));
	TH_LOG("queues, depth, segments: %s", buf);
	ASSERT_TRUE(wait_for(DISK, true, 5));
	fd = open(DISK, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, BLKGETSIZE64, &bytes));
	close(fd);
	EXPECT_EQ(DISK_BYTES, bytes);
	EXPECT_EQ(512, read_long(SYSDISK "/queue/logical_block_size"));
	EXPECT_EQ(4096, read_long(SYSDISK "/queue/physical_block_size"));
	/* The indirect page: at least 512 KiB in one request. */
	EXPECT_LE(512, read_long(SYSDISK "/queue/max_hw_sectors_kb"));
	/* One hardware queue per vCPU (the backend offers 4). */
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1,
		  read_long(BLOCK "/queues"));
	EXPECT_TRUE(exists(SYSDISK "/mq/0"));
	if (sysconf(_SC_NPROCESSORS_ONLN) >= 2)
		EXPECT_TRUE(exists(SYSDISK "/mq/1"));
	EXPECT_EQ(256, read_long(SYSDISK "/mq/0/nr_tags"));
	ASSERT_EQ(0, read_str(SYSDISK "/queue/write_cache", buf, sizeof(buf)));
	EXPECT_STREQ("write back", buf);
	EXPECT_EQ(1, read_long(SYSDISK "/queue/fua"));
	EXPECT_LT(0, read_long(SYSDISK "/queue/discard_max_bytes"));
	EXPECT_LT(0, read_long(SYSDISK "/queue/write_zeroes_max_bytes"));
}

static int direct_pass(struct __test_metadata *_metadata, uint32_t seed)
{
	uint8_t *buf = aligned(MAX_IO);
	size_t i;
	long bad;
	int fd = open(DISK, O_RDWR | O_DIRECT);

	if (fd < 0 || !buf)
		return -1;
	for (i = 0; i < sizeof(direct_cases) / sizeof(direct_cases[0]); i++) {
		fill(buf, direct_cases[i].off, direct_cases[i].len, seed);
		if (pwrite_all(fd, buf, direct_cases[i].len,
			       direct_cases[i].off))
			goto fail;
	}
	for (i = 0; i < sizeof(direct_cases) / sizeof(direct_cases[0]); i++) {
		memset(buf, 0xa5, direct_cases[i].len);
		if (pread_all(fd, buf, direct_cases[i].len,
			      direct_cases[i].off))
			goto fail;
		bad = mismatch(buf, direct_cases[i].off, direct_cases[i].len,
			       seed);
		if (bad >= 0) {
			TH_LOG("case %zu: byte %ld of %u at %llu differs", i,
			       bad, direct_cases[i].len,
			       (unsigned long long)direct_cases[i].off);
			goto fail;
		}
	}
	close(fd);
	free(buf);
	return 0;
fail:
	TH_LOG("case %zu: %s", i, strerror(errno));
	close(fd);
	free(buf);
	return -1;
}

TEST_F(pvblk, direct_patterns_read_back)
{
	long indirect = counter("indirect");
	long requests = counter("requests");

	ASSERT_EQ(0, direct_pass(_metadata, 1));
	ASSERT_EQ(0, direct_pass(_metadata, 2));
	EXPECT_LT(indirect, counter("indirect"));
	EXPECT_LT(requests + 2 * 15, counter("requests"));
	EXPECT_LT(0, counter("interrupts"));
	EXPECT_LT(0, counter("notifications"));
	EXPECT_LT(0, counter("segments"));
	EXPECT_EQ(0, counter("errors"));
}

TEST_F(pvblk, direct_misaligned_refused)
{
	uint8_t *buf = aligned(8192);
	int fd = open(DISK, O_RDWR | O_DIRECT);

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, buf);
	errno = 0;
	EXPECT_EQ(-1, pread(fd, buf, 512, 100));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, pread(fd, buf + 1, 512, 0));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	free(buf);
}

TEST_F(pvblk, buffered_unaligned_fsync_flushes)
{
	static const struct { uint64_t off; uint32_t len; } cases[] = {
		{ 1, 1 }, { 1000, 3333 }, { 4095, 2 }, { 50 << 20, 100001 },
		{ (51 << 20) + 77, 4096 }, { DISK_BYTES - 10, 10 },
	};
	uint8_t *buf = aligned(1 << 17);
	long flushes = counter("flushes");
	size_t i;
	int fd;

	ASSERT_NE(NULL, buf);
	fd = open(DISK, O_RDWR);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fill(buf, cases[i].off, cases[i].len, 3);
		ASSERT_EQ(0, pwrite_all(fd, buf, cases[i].len, cases[i].off));
	}
	ASSERT_EQ(0, fsync(fd));
	/* The write cache is announced: fsync sent a FLUSH down. */
	EXPECT_LT(flushes, counter("flushes"));
	ASSERT_EQ(0, ioctl(fd, BLKFLSBUF, 0));
	close(fd);
	/* Read back past the page cache, the unaligned ends included. */
	fd = open(DISK, O_RDONLY | O_DIRECT);
	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t start = cases[i].off & ~4095ull;
		uint64_t end = (cases[i].off + cases[i].len + 4095) & ~4095ull;

		ASSERT_EQ(0, pread_all(fd, buf, end - start, start));
		EXPECT_EQ(-1, mismatch(buf + (cases[i].off - start),
				       cases[i].off, cases[i].len, 3))
			TH_LOG("case %zu", i);
	}
	close(fd);
	free(buf);
}

TEST_F(pvblk, zeroout_and_discard)
{
	uint64_t range[2] = { 45 << 20, 1 << 20 };
	uint8_t *buf = aligned(1 << 20);
	size_t i;
	int fd = open(DISK, O_RDWR | O_DIRECT);

	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, buf);
	fill(buf, range[0], range[1], 4);
	ASSERT_EQ(0, pwrite_all(fd, buf, range[1], range[0]));
	ASSERT_EQ(0, ioctl(fd, BLKZEROOUT, range));
	ASSERT_EQ(0, pread_all(fd, buf, range[1], range[0]));
	for (i = 0; i < range[1] && !buf[i]; i++)
		;
	EXPECT_EQ(range[1], i);
	range[0] = 46 << 20;
	EXPECT_EQ(0, ioctl(fd, BLKDISCARD, range));
	EXPECT_EQ(0, counter("errors"));
	close(fd);
	free(buf);
}

TEST_F(pvblk, parallel_writers)
{
	struct writer w[WRITERS] = { 0 };
	pthread_t t[WRITERS];
	int i;

	long req = counter("requests"), kicks = counter("notifications");
	long irqs = counter("interrupts");

	for (i = 0; i < WRITERS; i++) {
		w[i].index = i;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, writer_main, &w[i]));
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].rc) TH_LOG("writer %d", i);
	}
	/* A figure to read, not a bound: it depends on the timing. */
	TH_LOG("%ld requests, %ld notifications, %ld interrupts",
	       counter("requests") - req, counter("notifications") - kicks,
	       counter("interrupts") - irqs);
	EXPECT_EQ(0, counter("errors"));
}

#define PINNED_READS	200

/*
 * A queue's port is bound to the CPU that blk-mq maps to the queue
 * (EVTCHN_BIND_VCPU through the port's irq affinity): reads made on
 * CPU 1 complete by interrupts that /proc/interrupts counts on CPU 1
 * for queue 1's line, and none on CPU 0.  Moved to CPU 0 through
 * /proc/irq while in use, the port's interrupts follow it, and back.
 */
TEST_F(pvblk, queue_irq_on_its_cpu)
{
	long before[2], after[2];
	char path[64], eff[64], buf[64];
	int irq;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU");
	ASSERT_EQ(0, read_str(SYSDISK "/mq/1/cpu_list", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	irq = irq_counts("pvkitblk0-q0", before, 2);
	ASSERT_LT(0, irq);
	snprintf(path, sizeof(path), "/proc/irq/%d/effective_affinity_list",
		 irq);
	ASSERT_EQ(0, read_str(path, buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	irq = irq_counts("pvkitblk0-q1", before, 2);
	ASSERT_LT(0, irq);
	snprintf(eff, sizeof(eff), "/proc/irq/%d/effective_affinity_list",
		 irq);
	ASSERT_EQ(0, read_str(eff, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);

	ASSERT_EQ(0, reads_on_cpu1(PINNED_READS));
	ASSERT_EQ(irq, irq_counts("pvkitblk0-q1", after, 2));
	TH_LOG("queue 1's interrupts during %d reads on CPU 1: %ld on CPU 0, %ld on CPU 1",
	       PINNED_READS, after[0] - before[0], after[1] - before[1]);
	EXPECT_EQ(before[0], after[0]);
	/* One per read at queue depth 1, give or take suppression. */
	EXPECT_LE(PINNED_READS / 2, after[1] - before[1]);

	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
	ASSERT_EQ(0, write_str(path, "0"));
	ASSERT_EQ(0, read_str(eff, buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	irq_counts("pvkitblk0-q1", before, 2);
	ASSERT_EQ(0, reads_on_cpu1(PINNED_READS / 4));
	irq_counts("pvkitblk0-q1", after, 2);
	TH_LOG("moved to CPU 0: %ld on CPU 0, %ld on CPU 1",
	       after[0] - before[0], after[1] - before[1]);
	EXPECT_LE(PINNED_READS / 8, after[0] - before[0]);
	EXPECT_EQ(before[1], after[1]);
	ASSERT_EQ(0, write_str(path, "1"));
	ASSERT_EQ(0, read_str(eff, buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
}

/* Unbound with writers in flight: they end (failed), nothing hangs. */
TEST_F(pvblk, unbind_with_io_in_flight_rebind)
{
	struct writer w[2] = { 0 };
	volatile bool stop = false;
	pthread_t t[2];
	char state[32];
	uint8_t *buf = aligned(1 << 20);
	long ports, nr_queues;
	int i, fd;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < 2; i++) {
		w[i].index = i;
		w[i].stop = &stop;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, hammer_main, &w[i]));
	}
	usleep(300000);
	ports = read_long(BUS "/ports_open");
	nr_queues = read_long(BLOCK "/queues");
	ASSERT_EQ(0, write_str(BLOCK_DRV "/unbind", "block-0"));
	stop = true;
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		TH_LOG("writer %d: %ld writes before the unbind", i, w[i].ios);
	}
	EXPECT_TRUE(wait_for(DISK, false, 5));
	ASSERT_EQ(0, read_str(BLOCK "/state", state, sizeof(state)));
	EXPECT_STREQ("closed", state);
	/* Its queues' ports closed; another disk's stay open. */
	EXPECT_EQ(ports - nr_queues, read_long(BUS "/ports_open"));
	ASSERT_EQ(0, write_str(BLOCK_DRV "/bind", "block-0"));
	ASSERT_TRUE(wait_for(DISK, true, 5));
	ASSERT_EQ(0, read_str(BLOCK "/state", state, sizeof(state)));
	EXPECT_STREQ("connected", state);
	/* The storage outlives the connection: earlier data is still there. */
	fd = open(DISK, O_RDONLY | O_DIRECT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pread_all(fd, buf, 1 << 20, 12 << 20));
	EXPECT_EQ(-1, mismatch(buf, 12 << 20, 1 << 20, 2));
	close(fd);
	free(buf);
}

TEST_F(pvblk, unload_reload)
{
	long pages = read_long(BUS "/ring_pages");
	char cmd[64];
	int i;

	for (i = 0; i < RELOADS; i++) {
		ASSERT_EQ(0, system("rmmod pvkit_blk"));
		EXPECT_FALSE(exists(DISK));
		EXPECT_EQ(1, read_long(BUS "/ports_open"));
		snprintf(cmd, sizeof(cmd), "modprobe pvkit:block");
		ASSERT_EQ(0, system(cmd));
		ASSERT_TRUE(wait_for(DISK, true, 5));
	}
	EXPECT_EQ(pages, read_long(BUS "/ring_pages"));
	ASSERT_EQ(0, direct_pass(_metadata, 5));
}

/*
 * fio's own integrity check on top of ours: 8 jobs spread over both
 * vCPUs (so over both hardware queues), 4 with requests of 512 B to
 * 512 KiB and 4 with many small ones, write random sizes at 512-byte
 * aligned offsets, each block with a crc32c header, then read every
 * block back and check it.  fio exits non-zero on a failed
 * verify; its per-job error (terse field 5) and its log are checked as
 * well, since a job can end early without a verify having failed.
 */
#define FIO		"/usr/bin/fio"
#define FIO_OUT		"/tmp/fio.out"
#define FIO_LOG		"/tmp/fio.log"
#define FIO_JOBS	8	/* two sections of 4 */

static int fio_job_errors(struct __test_metadata *_metadata, int *jobs)
{
	char line[4096];
	int errors = 0;
	FILE *f = fopen(FIO_OUT, "r");

	*jobs = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *field = line;
		int i;

		if (strncmp(line, "3;", 2))
			continue;
		for (i = 0; i < 4 && field; i++)
			field = strchr(field, ';') ? strchr(field, ';') + 1 : NULL;
		if (!field)
			continue;
		(*jobs)++;
		if (atoi(field)) {
			TH_LOG("fio job failed: %.80s", line);
			errors++;
		}
	}
	fclose(f);
	return errors;
}

static bool fio_log_clean(struct __test_metadata *_metadata)
{
	char line[512];
	bool clean = true;
	FILE *f = fopen(FIO_LOG, "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "verify") || strstr(line, "error") ||
		    strstr(line, "bad ")) {
			TH_LOG("fio: %s", strtok(line, "\n"));
			clean = false;
		}
	}
	fclose(f);
	return clean;
}

TEST_F(pvblk, fio_verify_crc32c)
{
	long q0, q1, req = counter("requests");
	int rc, jobs;

	if (!exists(FIO))
		SKIP(return, "no " FIO " in the initramfs (apt-get install fio)");
	q0 = queue_irqs(0);
	q1 = queue_irqs(1);
	ASSERT_NE(LONG_MIN, q0);
	ASSERT_NE(LONG_MIN, q1);
	rc = system(FIO " --output-format=terse --output=" FIO_OUT
		    " --eta=never --filename=" DISK " --direct=1"
		    " --ioengine=libaio --rw=randwrite --blockalign=512"
		    " --numjobs=4 --cpus_allowed=0-1 --cpus_allowed_policy=split"
		    " --verify=crc32c --verify_fatal=1 --do_verify=1"
		    " --randrepeat=0"
		    /* Up to the largest request, 16..48 MiB. */
		    " --name=large --iodepth=8 --bsrange=512-512k"
		    " --size=8m --offset=16m --offset_increment=8m"
		    /* Many small ones at once, 48..56 MiB. */
		    " --name=small --iodepth=16 --bsrange=512-16k"
		    " --size=2m --offset=48m --offset_increment=2m"
		    " 2>" FIO_LOG);
	EXPECT_EQ(0, rc) TH_LOG("fio exit status %d", rc);
	EXPECT_EQ(0, fio_job_errors(_metadata, &jobs));
	EXPECT_EQ(FIO_JOBS, jobs);
	EXPECT_TRUE(fio_log_clean(_metadata));
	/* Both queues completed requests: both carried writers. */
	TH_LOG("%ld requests; interrupts of queue 0: %ld, queue 1: %ld",
	       counter("requests") - req, queue_irqs(0) - q0,
	       queue_irqs(1) - q1);
	EXPECT_LT(q0, queue_irqs(0));
	EXPECT_LT(q1, queue_irqs(1));
	EXPECT_EQ(0, counter("errors"));
}

/*
 * The second disk starts as the ext4 image of tests/guest/disk-image
 * (a kind=disk module, build/guest/disk.ext4): mounted, its known file
 * reads back, a new file is written and synced, and after a remount it
 * is there.
 */
#define IMAGE_DEV	BUS "/devices/block-1"
#define IMAGE_FILE	"/mnt/hello.txt"
#define IMAGE_TEXT	"Hello from the PV disk.\n"
#define NEW_FILE	"/mnt/written-by-pvblk"

TEST_F(pvblk, ext4_image_mount_read_write)
{
	char name[32], dev[48], buf[128];

	if (!exists(IMAGE_DEV))
		SKIP(return, "no second PV disk (the suite gives it the image)");
	ASSERT_EQ(0, read_str(IMAGE_DEV "/disk", name, sizeof(name)));
	snprintf(dev, sizeof(dev), "/dev/%s", name);
	/* No /sbin/modprobe for the kernel to load crc32c by itself. */
	ASSERT_EQ(0, system("modprobe crc32c-intel || modprobe crc32c_generic"));
	ASSERT_EQ(0, system("modprobe ext4"));
	mkdir("/mnt", 0755);
	ASSERT_EQ(0, mount_image(dev));
	ASSERT_EQ(0, read_str(IMAGE_FILE, buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, IMAGE_TEXT, strlen(buf)));
	EXPECT_EQ(strlen(IMAGE_TEXT) - 1, strlen(buf));
	EXPECT_TRUE(exists("/mnt/README"));
	ASSERT_EQ(0, system("echo pvkit-ext4-write > " NEW_FILE " && sync"));
	ASSERT_EQ(0, system("umount /mnt"));
	ASSERT_EQ(0, mount_image(dev));
	ASSERT_EQ(0, read_str(NEW_FILE, buf, sizeof(buf)));
	EXPECT_STREQ("pvkit-ext4-write", buf);
	EXPECT_EQ(0, system("umount /mnt"));
}

#define RO_DEV		BUS "/devices/block-2"

/*
 * access=ro: the backend offers READ_ONLY, the driver makes the disk
 * read-only, reads work and no write reaches the backend.
 */
TEST_F(pvblk, read_only_disk)
{
	char name[32], path[64], buf[4096];
	ssize_t n;
	int fd;

	if (!exists(RO_DEV))
		SKIP(return, "no third PV disk (the suite gives it access=ro)");
	EXPECT_NE(0, read_long(RO_DEV "/features") & PVKIT_BLK_F_READ_ONLY);
	ASSERT_EQ(0, read_str(RO_DEV "/disk", name, sizeof(name)));
	snprintf(path, sizeof(path), "/sys/block/%s/ro", name);
	EXPECT_EQ(1, read_long(path));
	snprintf(path, sizeof(path), "/dev/%s", name);
	ASSERT_TRUE(wait_for(path, true, 5));
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 0));
	close(fd);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		EXPECT_TRUE(errno == EROFS || errno == EACCES || errno == EPERM)
			TH_LOG("open for writing: %s", strerror(errno));
		return;
	}
	memset(buf, 0x5a, sizeof(buf));
	n = pwrite(fd, buf, sizeof(buf), 0);
	EXPECT_EQ(-1, n);
	EXPECT_TRUE(errno == EROFS || errno == EPERM)
		TH_LOG("write: %s", strerror(errno));
	close(fd);
}

#define RESIZE_ARG	"pvblk.resize="
#define SHRINK_ARG	"pvblk.shrink="
#define RESIZE_IO	(1u << 20)

/*
 * Asks the suite (its cue on the console) to resize the host image to
 * target bytes and waits for the disk to follow: sysfs, the RESIZE
 * uevent, the driver's counter, BLKGETSIZE64 on fd.
 */
static void resize_and_wait(struct __test_metadata *_metadata, int fd,
			    uint64_t target)
{
	long resizes = counter("resizes");
	uint64_t bytes = 0;
	int ufd, i;

	ufd = uevent_socket();
	ASSERT_LE(0, ufd);
	printf("# pvblk: resize disk 0 to %llu bytes\n",
	       (unsigned long long)target);
	fflush(stdout);
	for (i = 0; i < 500; i++) {
		if ((uint64_t)read_long(SYSDISK "/size") * 512 == target)
			break;
		usleep(20000);
	}
	EXPECT_EQ(target / 512, (uint64_t)read_long(SYSDISK "/size"));
	EXPECT_TRUE(resize_uevent(ufd, 3000));
	close(ufd);
	EXPECT_EQ(resizes + 1, counter("resizes"));
	ASSERT_EQ(0, ioctl(fd, BLKGETSIZE64, &bytes));
	EXPECT_EQ(target, bytes);
}

/*
 * Online resize: the host grows the virtio-blk image under disk 0 while
 * the guest runs; the disk takes the new capacity, and data written
 * past the old end reads back.
 */
TEST_F(pvblk, online_resize_grow)
{
	uint64_t target = cmdline_bytes(RESIZE_ARG);
	uint8_t *buf;
	int fd;

	if (!target)
		SKIP(return, "no " RESIZE_ARG " (only virtio-blk storage resizes)");
	ASSERT_LT(DISK_BYTES, target);
	fd = open(DISK, O_RDWR | O_DIRECT);
	ASSERT_LE(0, fd);
	resize_and_wait(_metadata, fd, target);
	buf = aligned(RESIZE_IO);
	ASSERT_NE(NULL, buf);
	fill(buf, target - RESIZE_IO, RESIZE_IO, 77);
	ASSERT_EQ(0, pwrite_all(fd, buf, RESIZE_IO, target - RESIZE_IO));
	memset(buf, 0, RESIZE_IO);
	ASSERT_EQ(0, pread_all(fd, buf, RESIZE_IO, target - RESIZE_IO));
	EXPECT_EQ(-1, mismatch(buf, target - RESIZE_IO, RESIZE_IO, 77));
	EXPECT_EQ(0, fsync(fd));
	/* The end is where it says. */
	EXPECT_EQ(0, pread(fd, buf, 4096, target));
	close(fd);
	free(buf);
}

/*
 * Then below what was written, with the disk open: the size follows
 * (set_capacity_and_notify(), as virtio_blk), what lies below the new
 * end stays, and nothing goes past it.  The last 4 KiB of the shrunk
 * disk hold a mark, written past the first end before the shrink, that
 * the suite finds in the host's image afterwards.
 */
TEST_F(pvblk, online_resize_shrink)
{
	uint64_t grown = cmdline_bytes(RESIZE_ARG);
	uint64_t target = cmdline_bytes(SHRINK_ARG);
	uint8_t *buf, *mark;
	int fd;

	if (!target)
		SKIP(return, "no " SHRINK_ARG " (only virtio-blk storage resizes)");
	ASSERT_LT(DISK_BYTES, target);
	ASSERT_LT(target, grown);
	fd = open(DISK, O_RDWR | O_DIRECT);
	ASSERT_LE(0, fd);
	buf = aligned(4096);
	mark = aligned(4096);
	ASSERT_TRUE(buf && mark);
	end_mark(mark);
	ASSERT_EQ(0, pwrite_all(fd, mark, 4096, target - 4096));
	ASSERT_EQ(0, fsync(fd));
	resize_and_wait(_metadata, fd, target);
	ASSERT_EQ(0, pread_all(fd, buf, 4096, target - 4096));
	EXPECT_EQ(0, memcmp(buf, mark, 4096));
	EXPECT_EQ(0, pread(fd, buf, 4096, target));
	EXPECT_EQ(-1, pwrite(fd, mark, 4096, target));
	close(fd);
	free(buf);
	free(mark);
}

TEST_F(pvblk, dmesg_clean)
{
	static const char *const bad[] = {
		"WARNING: CPU:", "BUG: ", "Oops", "Call Trace", "leak:",
		"broke the protocol", "left it connected", "rings kept",
	};
	FILE *f = popen("dmesg", "r");
	char line[512];
	bool clean = true;
	size_t i;

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "pvkit_blk"))
			TH_LOG("dmesg: %s", strtok(line, "\n"));
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(line, bad[i])) {
				TH_LOG("dmesg: %s", strtok(line, "\n"));
				clean = false;
			}
		}
	}
	pclose(f);
	EXPECT_TRUE(clean);
}

TEST_HARNESS_MAIN
