// SPDX-License-Identifier: GPL-2.0
/*
 * Linux's two calibrations of the TSC against the 8254 (x86 tsc.c:
 * pit_calibrate_tsc() and quick_pit_calibrate()) replayed with their
 * acceptance rules, so that a platform's PIT can be judged apart from
 * the kernel: both use channel 2 in mode 0, gated through port 0x61,
 * one waiting for OUT2 (port 0x61 bit 5), the other reading the
 * counter's MSB without a latch.  The KTAP cases check the PIT; how
 * fast a port access is, and so whether Linux would accept the result,
 * is printed, since that is the platform's speed, not its correctness.
 */
#include "mbtest.h"

#define PIT_HZ		1193182u
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PORT_61		0x61
#define OUT2		0x20
#define POLL_LIMIT	10000000u
#define QUICK_MAX_I	(50 * PIT_HZ / 1000 / 256)	/* Linux's 50 ms */

/* The low half is enough: no window here lasts 2^32 cycles. */
static uint32_t tsc32(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	(void)hi;
	return lo;
}

/*
 * Exactly Linux's accesses: every extra one costs an exit's time.  The
 * TSC before the write that starts the count comes back.
 */
static uint32_t ch2_mode0(uint16_t count)
{
	uint32_t t;

	outb(PORT_61, (inb(PORT_61) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, count & 0xff);
	t = tsc32();
	outb(PIT_CH2, count >> 8);
	return t;
}

struct slow_run {
	uint32_t polls, dmin, dmax, tsc, err;
	bool out_low, out_rose;
};

/* pit_calibrate_tsc(): poll OUT2 until terminal count. */
static void slow_run(unsigned int ms, struct slow_run *r)
{
	uint32_t t0, prev, now, d, before;

	before = ch2_mode0(PIT_HZ / (1000 / ms));
	r->polls = 0;
	r->dmin = ~0u;
	r->dmax = 0;
	t0 = prev = tsc32();
	while (!(inb(PORT_61) & OUT2) && r->polls < POLL_LIMIT) {
		now = tsc32();
		d = now - prev;
		prev = now;
		r->dmin = d < r->dmin ? d : r->dmin;
		r->dmax = d > r->dmax ? d : r->dmax;
		r->polls++;
	}
	/* The first poll comes long before 10 ms: OUT must read low. */
	r->out_low = r->polls > 0;
	r->out_rose = r->polls < POLL_LIMIT;
	r->tsc = prev - t0;
	/* The count starts inside the last write, OUT rises after prev. */
	r->err = t0 - before + r->dmax;
}

static void print_slow(unsigned int ms, unsigned int loopmin,
		       const struct slow_run *r)
{
	bool pass = r->polls >= loopmin && r->dmax <= 10 * r->dmin;

	puts("# pit_calibrate_tsc ");
	putu(ms);
	puts(" ms: ");
	putu(r->polls);
	puts(" polls (Linux needs ");
	putu(loopmin);
	puts("), ");
	putu(ms * 1000000u / (r->polls ? r->polls : 1));
	puts(" ns each, longest/shortest ");
	putu(r->dmin ? r->dmax / r->dmin : 0);
	puts(" (needs <= 10), TSC ");
	putu(r->tsc / ms);
	puts(" kHz: Linux would ");
	puts(pass ? "accept it\n" : "refuse it\n");
}

/*
 * Linux's three tries (10 ms twice, then 50 ms), then two more 50 ms
 * windows for the rate.  A host stall in the write that starts the
 * count or in a window's last poll moves its TSC count by as much, so
 * the rate is the window with the smallest such bound, printed with it.
 */
static void check_slow(void)
{
	static const unsigned int ms[] = { 10, 10, 50, 50, 50 };
	static const unsigned int min[] = { 1000, 1000, 5000, 0, 0 };
	struct slow_run r, best = { .err = ~0u };
	bool low = true, rose = true;

	for (int i = 0; i < 5; i++) {
		slow_run(ms[i], &r);
		if (min[i])
			print_slow(ms[i], min[i], &r);
		low &= r.out_low;
		rose &= r.out_rose;
		if (ms[i] == 50 && r.err < best.err)
			best = r;
	}
	result(low, "ch2_mode0_out_low_while_counting");
	result(rose, "ch2_mode0_out_high_at_terminal_count");
	puts("# TSC kHz against the PIT: ");
	putu(best.tsc / 50);
	puts(" within ");
	putu(best.err / 50 + 1);
	puts("\n");
}

static bool msb_is(uint8_t want, uint8_t *seen)
{
	inb(PIT_CH2);			/* LSB */
	*seen = inb(PIT_CH2);
	return *seen == want;
}

struct quick {
	uint8_t last;
	bool went_up;
	uint32_t reads_first;
};

/* Linux's pit_expect_msb(): reads while the MSB holds, TSC bracketed. */
static bool expect_msb(struct quick *q, uint8_t want, uint32_t *at,
		       uint32_t *err, uint32_t *n)
{
	uint32_t t = 0, prev = 0;
	uint8_t seen;

	for (*n = 0; *n < 50000; (*n)++) {
		bool same = msb_is(want, &seen);

		q->went_up |= seen > q->last;
		q->last = seen;
		if (!same)
			break;
		prev = t;
		t = tsc32();
	}
	*err = tsc32() - prev;
	*at = t;
	return *n > 5;
}

/* 0 when it gives up, else the MSB step at which it is good to 500 ppm. */
static uint32_t quick_run(struct quick *q)
{
	uint32_t t0, t, d1, d2, n;
	uint8_t seen;

	ch2_mode0(0xffff);
	msb_is(0, &seen);
	q->last = 0xff;
	q->went_up = false;
	if (!expect_msb(q, 0xff, &t0, &d1, &q->reads_first))
		return 0;
	for (uint32_t i = 1; i <= QUICK_MAX_I; i++) {
		if (!expect_msb(q, 0xff - i, &t, &d2, &n))
			return 0;
		t -= t0;
		/* Linux's (delta * MAX_ITER) >> 11, kept in 32 bits. */
		if (i == 1 && d1 + d2 >= (t >> 11) * QUICK_MAX_I)
			return 0;
		if (d1 + d2 >= t >> 11)
			continue;
		return msb_is(0xfe - i, &seen) ? i : 0;
	}
	return 0;
}

static void check_quick(void)
{
	struct quick q;
	uint32_t step = quick_run(&q);

	puts("# quick_pit_calibrate: ");
	putu(q.reads_first);
	puts(" reads of MSB 0xff (Linux needs > 5): Linux would ");
	if (step) {
		puts("accept it after ");
		putu(step * 256 * 1000 / PIT_HZ);
		puts(" ms\n");
	} else {
		puts("give up\n");
	}
	result(!q.went_up, "msb_read_without_latch_never_counts_up");
}

void pitcal_run(void)
{
	puts("KTAP version 1\n1..3\n");
	check_slow();
	check_quick();
}
