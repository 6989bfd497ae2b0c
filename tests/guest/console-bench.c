// SPDX-License-Identifier: GPL-2.0
/*
 * console-bench: the same bytes written to the emulated UART (/dev/ttyS0)
 * and to the PV console (/dev/hvc0) from inside one Linux guest, with the
 * guest's interrupts (/proc/interrupts) and, under pvkit, the domain's VM
 * exits by kind (pvkit.ko's /sys/bus/pvkit/exits) before and after each.
 * Both ttys are put in raw mode, so neither adds a carriage return to the
 * other's bytes.  Kselftest harness; run by /init as
 * pvkit.test=console-bench [pvkit.args=BYTES] (default 1 MiB).
 *
 * Each case prints one line that tests/bench/console turns into a table:
 *   # console-bench: DEV bytes=N ns=T irqs=I [KIND=COUNT ...]
 * and "idle" for a second of doing nothing (the exits and interrupts that
 * timer ticks cost whatever the guest does).  Straight on QEMU there is
 * no hypervisor: no exits, and no /dev/hvc0 (that case is skipped).
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
#include "kselftest_harness.h"
#include "exit_counts.h"

#define LINE_BYTES	128
#define WRITE_BYTES	4096

static size_t bench_bytes = 1u << 20;

static void report(const char *what, size_t bytes, uint64_t ns,
		   const struct counts *b, const struct counts *a)
{
	printf("# console-bench: %s bytes=%zu ns=%llu irqs=%llu", what, bytes,
	       (unsigned long long)ns, a->irqs - b->irqs);
	print_moved(b, a);
	printf("\n");
	fflush(stdout);
}

/* Numbered lines of LINE_BYTES, so a reader of the log can check them. */
static char *pattern(size_t len)
{
	char *buf = malloc(len);
	unsigned int seq = 0;
	size_t off = 0;

	if (!buf)
		return NULL;
	while (off + LINE_BYTES <= len) {
		int n = snprintf(buf + off, LINE_BYTES, "B %08u ", seq++);

		memset(buf + off + n, 'a' + seq % 26, LINE_BYTES - n - 1);
		buf[off + LINE_BYTES - 1] = '\n';
		off += LINE_BYTES;
	}
	memset(buf + off, '\n', len - off);
	return buf;
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

/* 0, or -1 when dev cannot be opened (the caller skips), or -2 (failed). */
static int bench(const char *dev)
{
	struct counts before, after;
	char *buf = pattern(bench_bytes);
	struct termios t;
	uint64_t t0, t1;
	int fd, ret;

	if (!buf)
		return -2;
	fd = open(dev, O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	read_counts(&before);
	t0 = now_ns();
	ret = write_all(fd, buf, bench_bytes);
	t1 = now_ns();
	read_counts(&after);
	close(fd);
	free(buf);
	if (ret)
		return -2;
	report(dev, bench_bytes, t1 - t0, &before, &after);
	return 0;
}

/* The UART takes an exit a byte: a MiB under TCG is most of a minute. */
#define BENCH_TIMEOUT	600

FIXTURE(bench) {};
FIXTURE_SETUP(bench) {}
FIXTURE_TEARDOWN(bench) {}

TEST_F_TIMEOUT(bench, emulated_uart, BENCH_TIMEOUT)
{
	ASSERT_EQ(bench("/dev/ttyS0"), 0);
}

TEST_F_TIMEOUT(bench, pv_console, BENCH_TIMEOUT)
{
	int ret = bench("/dev/hvc0");

	if (ret == -1)
		SKIP(return, "no /dev/hvc0 (not under pvkit, or no pvkit_console.ko)");
	ASSERT_EQ(ret, 0);
}

TEST_F(bench, idle_baseline)
{
	struct counts before, after;
	uint64_t t0;

	read_counts(&before);
	t0 = now_ns();
	ASSERT_EQ(sleep(1), 0);
	read_counts(&after);
	report("idle", 0, now_ns() - t0, &before, &after);
}

/* TEST_HARNESS_MAIN, with the byte count taken from the command line. */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strtoul(argv[1], NULL, 0) >= LINE_BYTES)
		bench_bytes = strtoul(argv[1], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return test_harness_run(argc, argv);
}
