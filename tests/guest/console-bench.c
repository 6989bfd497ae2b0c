// SPDX-License-Identifier: GPL-2.0
/*
 * console-bench: the same bytes written to the emulated UART (/dev/ttyS0)
 * and to the PV console (/dev/hvc0) from inside one Linux guest, with
 * the domain's VM exits by kind before and after each (pvkit.ko's
 * /sys/bus/pvkit/exits, which asks the hypervisor).  Both ttys are put
 * in raw mode, so neither adds a carriage return to the other's bytes.
 *
 * Prints one "# console-bench: DEV bytes=N ns=T KIND=COUNT ..." line per
 * device, and one for a second of doing nothing ("idle": the exits that
 * timer ticks cost whatever the guest does), inside KTAP; fails a device
 * it could not open or write whole.  tests/bench/console makes the table.
 *   console-bench [bytes]     default 1 MiB
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define EXITS_FILE	"/sys/bus/pvkit/exits"
#define MAX_KINDS	16
#define LINE_BYTES	128
#define WRITE_BYTES	4096

struct exits {
	unsigned int n;
	char name[MAX_KINDS][16];
	unsigned long long count[MAX_KINDS];
};

static int read_exits(struct exits *e)
{
	FILE *f = fopen(EXITS_FILE, "r");

	memset(e, 0, sizeof(*e));
	if (!f)
		return -1;
	while (e->n < MAX_KINDS &&
	       fscanf(f, "%15s %llu", e->name[e->n], &e->count[e->n]) == 2)
		e->n++;
	fclose(f);
	return e->n ? 0 : -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Numbered lines of LINE_BYTES, so a reader of the log can check them. */
static void fill(char *buf, size_t len)
{
	size_t off = 0;
	unsigned int seq = 0;

	while (off + LINE_BYTES <= len) {
		int n = snprintf(buf + off, LINE_BYTES, "B %08u ", seq++);

		memset(buf + off + n, 'a' + seq % 26, LINE_BYTES - n - 1);
		buf[off + LINE_BYTES - 1] = '\n';
		off += LINE_BYTES;
	}
	memset(buf + off, '\n', len - off);
}

static int write_all(int fd, const char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < WRITE_BYTES ? len - done : WRITE_BYTES;
		ssize_t w = write(fd, buf + done, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return tcdrain(fd);
}

static int bench(const char *dev, const char *buf, size_t len)
{
	struct exits before, after;
	struct termios t;
	uint64_t t0, t1;
	int fd, ret;

	fd = open(dev, O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		printf("# console-bench: %s: %s\n", dev, strerror(errno));
		return -1;
	}
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	if (read_exits(&before)) {
		printf("# console-bench: no %s (pvkit.ko not loaded?)\n",
		       EXITS_FILE);
		close(fd);
		return -1;
	}
	t0 = now_ns();
	ret = write_all(fd, buf, len);
	t1 = now_ns();
	read_exits(&after);
	close(fd);
	if (ret) {
		printf("# console-bench: %s: write failed\n", dev);
		return -1;
	}
	printf("# console-bench: %s bytes=%zu ns=%llu", dev, len,
	       (unsigned long long)(t1 - t0));
	for (unsigned int k = 0; k < after.n && k < before.n; k++)
		printf(" %s=%llu", after.name[k],
		       after.count[k] - before.count[k]);
	printf("\n");
	fflush(stdout);
	return 0;
}

/* The exits of doing nothing for a second: timer ticks and their EOIs. */
static int idle(void)
{
	struct exits before, after;
	uint64_t t0, t1;

	if (read_exits(&before))
		return -1;
	t0 = now_ns();
	sleep(1);
	t1 = now_ns();
	read_exits(&after);
	printf("# console-bench: idle bytes=0 ns=%llu",
	       (unsigned long long)(t1 - t0));
	for (unsigned int k = 0; k < after.n && k < before.n; k++)
		printf(" %s=%llu", after.name[k],
		       after.count[k] - before.count[k]);
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const devs[] = { "/dev/ttyS0", "/dev/hvc0" };
	size_t len = argc > 1 ? strtoul(argv[1], NULL, 0) : 1u << 20;
	char *buf = malloc(len);
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n1..3\n");
	if (!buf) {
		printf("not ok 1 memory\nnot ok 2 memory\n");
		return 1;
	}
	fill(buf, len);
	for (unsigned int i = 0; i < 2; i++) {
		int bad = bench(devs[i], buf, len);

		printf("%sok %u %s\n", bad ? "not " : "", i + 1,
		       i ? "pv_console" : "emulated_uart");
		failed |= bad;
	}
	printf("%sok 3 idle_baseline\n", idle() ? "not " : "");
	free(buf);
	return failed ? 1 : 0;
}
