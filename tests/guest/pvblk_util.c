// SPDX-License-Identifier: GPL-2.0
/*
 * The pvblk test's helpers, none of them a check: the driver's counters,
 * drivers and device nodes in sysfs, the data pattern (a function of the
 * byte's offset and a seed) and whole-buffer I/O, the writer and hammer
 * threads, the per-queue interrupt counts, the resize test's command line
 * and uevents, and mounting the image disk.  The checks are in pvblk.c.
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
#include "sysfs_util.h"
#include "pvblk_util.h"

/* One of the driver's counters (BLOCK/counters, "name value" lines). */
long counter(const char *name)
{
	return named_value(BLOCK "/counters", name);
}

bool wait_for(const char *path, bool present, double timeout_s)
{
	int i;

	for (i = 0; i < timeout_s * 50; i++) {
		if (exists(path) == present)
			return true;
		usleep(20000);
	}
	return false;
}

uint8_t pattern(uint64_t off, uint32_t seed)
{
	uint64_t x = (off >> 3) * 0x9e3779b97f4a7c15ull + seed;

	return (uint8_t)((x >> (8 * (off & 7))) ^ (x >> 56));
}

void fill(uint8_t *buf, uint64_t off, size_t len, uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pattern(off + i, seed);
}

/* The first byte that is not the pattern, or -1. */
long mismatch(const uint8_t *buf, uint64_t off, size_t len,
	      uint32_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pattern(off + i, seed))
			return (long)i;
	return -1;
}

void *aligned(size_t len)
{
	void *p = NULL;

	return posix_memalign(&p, 4096, len) ? NULL : p;
}

int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n = pwrite(fd, buf, len, off);

	return n == (ssize_t)len ? 0 : -1;
}

int pread_all(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	return n == (ssize_t)len ? 0 : -1;
}

/* Writes its own 4 MiB in varied sizes, then checks it. */
void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint64_t base = WRITER_BASE + (uint64_t)w->index * WRITER_SPAN;
	uint32_t seed = 100 + w->index, len, done;
	uint8_t *buf = aligned(256 << 10);
	int fd = open(DISK, O_RDWR | O_DIRECT);

	w->rc = -1;
	if (fd < 0 || !buf)
		goto out;
	for (done = 0; done < WRITER_SPAN; done += len) {
		len = 4096u << ((done / 4096 + w->index) % 7);
		if (len > WRITER_SPAN - done)
			len = WRITER_SPAN - done;
		fill(buf, base + done, len, seed);
		if (pwrite_all(fd, buf, len, base + done))
			goto out;
		w->ios++;
	}
	if (fdatasync(fd))
		goto out;
	for (done = 0; done < WRITER_SPAN; done += 256 << 10) {
		if (pread_all(fd, buf, 256 << 10, base + done) ||
		    mismatch(buf, base + done, 256 << 10, seed) >= 0)
			goto out;
	}
	w->rc = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/*
 * The interrupt whose /proc/interrupts line ends in name: its number,
 * and its counts on CPUs 0 .. max - 1; -1 when there is none.
 */
int irq_counts(const char *name, long *counts, int max)
{
	FILE *f = fopen("/proc/interrupts", "r");
	size_t n = strlen(name);
	char line[1024], *end, *p;
	int irq = -1, i;

	if (!f)
		return -1;
	while (irq < 0 && fgets(line, sizeof(line), f)) {
		end = line + strcspn(line, "\n");
		*end = '\0';
		if ((size_t)(end - line) <= n || strcmp(end - n, name) ||
		    end[-(long)n - 1] != ' ')
			continue;
		irq = (int)strtol(line, &p, 10);
		if (*p != ':') {
			irq = -1;
			continue;
		}
		p++;
		for (i = 0; i < max; i++)
			counts[i] = strtol(p, &p, 10);
	}
	fclose(f);
	return irq;
}

int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Reads of 4 KiB on CPU 1; 0 or -1. */
int reads_on_cpu1(int n)
{
	uint8_t *io = aligned(4096);
	int fd, i, rc = -1;

	if (!io || pin_to_cpu(1))
		goto out;
	fd = open(DISK, O_RDONLY | O_DIRECT);
	if (fd < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (pread_all(fd, io, 4096, (off_t)i * 65536))
			break;
	rc = i == n ? 0 : -1;
	close(fd);
out:
	free(io);
	return rc;
}

void *hammer_main(void *arg)
{
	struct writer *w = arg;
	uint8_t *buf = aligned(64 << 10);
	int fd = open(DISK, O_RDWR | O_DIRECT);
	uint64_t off = 60ull << 20;

	w->rc = 0;
	if (fd < 0 || !buf) {
		w->rc = -1;
		goto out;
	}
	memset(buf, w->index, 64 << 10);
	/* Until unbound: then every write must end, with an error. */
	while (!*w->stop) {
		if (pwrite(fd, buf, 64 << 10, off + (w->ios % 32) * 65536) < 0)
			break;
		w->ios++;
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

/* Interrupts of queue q's line in /proc/interrupts, all CPUs together. */
long queue_irqs(int q)
{
	char line[1024], name[32];
	long sum = LONG_MIN;
	FILE *f = fopen("/proc/interrupts", "r");

	snprintf(name, sizeof(name), " pvkitblk0-q%d\n", q);
	if (!f)
		return LONG_MIN;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (!p || !strstr(line, name))
			continue;
		sum = (long)sum_numbers(p + 1);
	}
	fclose(f);
	return sum;
}

int mount_image(const char *dev)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "mount -t ext4 %s /mnt", dev);
	return system(cmd);
}

/*
 * pvblk.resize=BYTES and pvblk.shrink=BYTES on the kernel command line:
 * the suite grows, then shrinks, disk 0's host image to those sizes
 * when the guest asks.  0 without it.
 */
uint64_t cmdline_bytes(const char *key)
{
	char buf[4096], *p;

	if (read_str("/proc/cmdline", buf, sizeof(buf)))
		return 0;
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 0) : 0;
}

/* The kernel's uevents, as udev hears them. */
int uevent_socket(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One uevent: whether it is the disk's "change" with RESIZE=1. */
bool is_resize_uevent(const char *buf, size_t n)
{
	bool change = false, ours = false, resize = false;
	const char *p;

	for (p = buf; p < buf + n; p += strlen(p) + 1) {
		change |= !strcmp(p, "ACTION=change");
		ours |= !strcmp(p, "DEVNAME=pvkitblk0");
		resize |= !strcmp(p, "RESIZE=1");
	}
	return change && ours && resize;
}

bool resize_uevent(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[8192];
	ssize_t n;

	while (poll(&pfd, 1, timeout_ms) > 0) {
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		if (is_resize_uevent(buf, n))
			return true;
	}
	return false;
}

void end_mark(uint8_t *buf)
{
	int i;

	for (i = 0; i < 4096; i++)
		buf[i] = END_MARK[i % (sizeof(END_MARK) - 1)];
}
