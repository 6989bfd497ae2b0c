// SPDX-License-Identifier: GPL-2.0
/*
 * HPET model on a fake clock: the capability registers Linux checks,
 * the main counter (halted, running, written in halves), the sequences
 * Linux 6.1 runs (hpet_enable()'s checks, the legacy clockevent in
 * periodic and one-shot mode, the RTC emulation on timer 1), periodic
 * accumulator semantics with Tn_VAL_SET_CNF, 32- and 64-bit comparators,
 * level interrupts held until the status bit is cleared, IOAPIC
 * routing, the interrupt floor, and hostile accesses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/hpet.h>
#include <hv/platform.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BASE		PLATFORM_HPET_BASE
#define CAP		PLATFORM_HPET_GSI_CAP
#define T0		7000000000ull
#define NS_PER_TICK	10ull
#define NEVER		UINT64_MAX

#define REG_CFG		0x010
#define REG_STS		0x020
#define REG_CNT		0x0f0
#define TN_CFG(n)	(0x100 + 0x20 * (n))
#define TN_CMP(n)	(0x108 + 0x20 * (n))
#define TN_FSB(n)	(0x110 + 0x20 * (n))

struct fake {
	uint64_t now;
	bool level[32];
	unsigned int pulses[32];	/* rising edges per line */
	unsigned int bad;		/* gsi out of range, high twice */
	uint64_t last_pulse_ns[32];
};

static struct fake fk;
static struct hpet hp;

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_set_irq(void *ctx, unsigned int gsi, bool level)
{
	struct fake *f = ctx;

	if (gsi >= 32 || (level && f->level[gsi])) {
		f->bad++;
		return;
	}
	if (level) {
		f->pulses[gsi]++;
		f->last_pulse_ns[gsi] = f->now;
	}
	f->level[gsi] = level;
}

static const struct emul_env env = {
	.ctx = &fk,
	.now_ns = fake_now,
	.set_irq = fake_set_irq,
};

static void setup(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.now = T0;
	hpet_init(&hp, &env, BASE, CAP);
}

static uint64_t rd(unsigned int off, unsigned int size)
{
	struct io_access io = { .addr = BASE + off, .size = size,
				.val = 0xdeadbeefdeadbeefull };

	EXPECT_EQ(hp.dev.ops->mmio(&hp.dev, &io), 0);
	return io.val;
}

static void wr(unsigned int off, unsigned int size, uint64_t val)
{
	struct io_access io = { .addr = BASE + off, .size = size, .val = val,
				.write = true };

	EXPECT_EQ(hp.dev.ops->mmio(&hp.dev, &io), 0);
}

static uint32_t rd32(unsigned int off)
{
	return (uint32_t)rd(off, 4);
}

static void wr32(unsigned int off, uint32_t val)
{
	wr(off, 4, val);
}

static void poll_at(uint64_t t)
{
	fk.now = t;
	hp.dev.ops->poll(&hp.dev, t);
}

static uint64_t deadline(void)
{
	return hp.dev.ops->next_deadline(&hp.dev);
}

static void test_capabilities(void)
{
	uint64_t cap, tcfg;

	setup();
	cap = rd(0, 8);
	EXPECT_EQ((uint32_t)cap, rd32(0));
	EXPECT_EQ(cap >> 32, rd32(4));
	EXPECT_EQ(cap & 0xff, 1);			/* REV_ID */
	EXPECT_EQ((cap >> 8) & 0x1f, HPET_NR_TIMERS - 1);
	EXPECT(cap & (1u << 13));			/* 64-bit counter */
	EXPECT(cap & (1u << 15));			/* LEG_RT_CAP */
	EXPECT_EQ((cap >> 16) & 0xffff, PLATFORM_PCI_VENDOR);
	/* Linux: 10^5 fs <= period <= 10^8 fs. */
	EXPECT_EQ(cap >> 32, 10000000);
	EXPECT((cap >> 32) >= 100000 && (cap >> 32) <= 100000000);
	/* Read-only. */
	wr(0, 8, 0);
	EXPECT_EQ(rd(0, 8), cap);
	/* After reset: halted, no legacy, nothing pending. */
	EXPECT_EQ(rd(REG_CFG, 8), 0);
	EXPECT_EQ(rd(REG_STS, 8), 0);
	EXPECT_EQ(rd(REG_CNT, 8), 0);
	for (unsigned int i = 0; i < HPET_NR_TIMERS; i++) {
		tcfg = rd(TN_CFG(i), 8);
		EXPECT_EQ(tcfg >> 32, CAP);		/* Tn_INT_ROUTE_CAP */
		EXPECT(tcfg & HPET_TN_SIZE_CAP);
		EXPECT_EQ(!!(tcfg & HPET_TN_PER_CAP), i == 0);
		EXPECT_EQ(tcfg & HPET_TN_FSB_CAP, 0);
		EXPECT_EQ(tcfg & 0xffffffffu & ~(uint64_t)(HPET_TN_PER_CAP |
							    HPET_TN_SIZE_CAP), 0);
		EXPECT_EQ(rd(TN_CMP(i), 8), ~0ull);
		EXPECT_EQ(rd(TN_FSB(i), 8), 0);
	}
	EXPECT_EQ(deadline(), NEVER);
}

static void test_counter(void)
{
	setup();
	fk.now += 1000000;
	EXPECT_EQ(rd(REG_CNT, 8), 0);			/* halted */
	wr32(REG_CFG, HPET_CFG_ENABLE);
	fk.now += 1000;
	EXPECT_EQ(rd(REG_CNT, 8), 100);
	fk.now += 9;
	EXPECT_EQ(rd32(REG_CNT), 100);			/* whole ticks */
	fk.now += 1;
	EXPECT_EQ(rd32(REG_CNT), 101);
	/* A write while running is dropped. */
	wr(REG_CNT, 8, 5);
	EXPECT_EQ(rd32(REG_CNT), 101);
	/* One second: 10^8 ticks, exactly. */
	fk.now += 1000000000ull - 1010;
	EXPECT_EQ(rd(REG_CNT, 8), 100000000);
	wr32(REG_CFG, 0);
	fk.now += 123456789;
	EXPECT_EQ(rd(REG_CNT, 8), 100000000);		/* held */
	/* Written in halves while halted, as Linux's hpet_reset_counter(). */
	wr32(REG_CNT, 0xfffffff0u);
	wr32(REG_CNT + 4, 0x12);
	EXPECT_EQ(rd(REG_CNT, 8), 0x12fffffff0ull);
	EXPECT_EQ(rd32(REG_CNT + 4), 0x12);
	wr32(REG_CFG, HPET_CFG_ENABLE);
	fk.now += 200;
	EXPECT_EQ(rd(REG_CNT, 8), 0x1300000004ull);	/* carries */
	EXPECT_EQ(rd32(REG_CNT), 4);
	/* Wraps at 2^64. */
	wr32(REG_CFG, 0);
	wr(REG_CNT, 8, ~0ull - 1);
	wr32(REG_CFG, HPET_CFG_ENABLE);
	fk.now += 50;
	EXPECT_EQ(rd(REG_CNT, 8), 3);
	EXPECT_EQ(fk.bad, 0);
}

/* hpet_enable(): config readable, period sane, counter restarts at 0. */
static void test_linux_hpet_enable(void)
{
	uint32_t t1;

	setup();
	EXPECT_NE(rd32(REG_CFG), 0xffffffffu);
	EXPECT_EQ(rd32(4), 10000000);
	EXPECT_EQ((rd32(0) >> 8 & 0x1f) + 1, 3);
	for (unsigned int i = 0; i < 3; i++)
		EXPECT_EQ((rd32(TN_CFG(i)) & HPET_TN_ROUTE) >> 9, 0);
	/* hpet_restart_counter(): stop, zero both halves, start. */
	wr32(REG_CFG, rd32(REG_CFG) & ~HPET_CFG_ENABLE);
	wr32(REG_CNT, 0);
	wr32(REG_CNT + 4, 0);
	wr32(REG_CFG, rd32(REG_CFG) | HPET_CFG_ENABLE);
	t1 = rd32(REG_CNT);
	EXPECT_EQ(t1, 0);
	fk.now += 20;			/* one TSC-counted wait */
	EXPECT_NE(rd32(REG_CNT), t1);
	/* hpet_enable_legacy_int() */
	wr32(REG_CFG, rd32(REG_CFG) | HPET_CFG_LEGACY);
	EXPECT_EQ(rd32(REG_CFG), HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	EXPECT(hpet_legacy_active(&hp));
	EXPECT_EQ(deadline(), NEVER);
	EXPECT_EQ(fk.bad, 0);
}

/* hpet_clkevt_set_state_periodic() at HZ=250, legacy IRQ 0. */
static void test_linux_periodic_legacy(void)
{
	const uint32_t delta = 400000;		/* 4 ms */
	uint32_t cfg, now, cmp;
	uint64_t start;

	setup();
	wr32(REG_CFG, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	fk.now += 5000000;
	wr32(REG_CFG, rd32(REG_CFG) & ~HPET_CFG_ENABLE);	/* stop */
	now = rd32(REG_CNT);
	EXPECT_EQ(now, 500000);
	cmp = now + delta;
	cfg = rd32(TN_CFG(0));
	cfg |= HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_VAL_SET |
	       HPET_TN_32BIT;
	wr32(TN_CFG(0), cfg);
	EXPECT(rd32(TN_CFG(0)) & HPET_TN_VAL_SET);
	wr32(TN_CMP(0), cmp);
	EXPECT_EQ(rd32(TN_CFG(0)) & HPET_TN_VAL_SET, 0);	/* self-clears */
	fk.now += 1000;					/* udelay(1) */
	wr32(TN_CMP(0), delta);				/* the period */
	EXPECT_EQ(rd32(TN_CMP(0)), cmp);		/* comparator kept */
	EXPECT_EQ(deadline(), NEVER);			/* still halted */
	wr32(REG_CFG, rd32(REG_CFG) | HPET_CFG_ENABLE);
	start = fk.now;
	EXPECT_EQ(deadline(), start + delta * NS_PER_TICK);
	poll_at(deadline() - 1);
	EXPECT_EQ(fk.pulses[0], 0);
	for (unsigned int k = 1; k <= 250; k++) {
		EXPECT_EQ(deadline(), start + k * delta * NS_PER_TICK);
		poll_at(deadline());
		EXPECT_EQ(fk.pulses[0], k);
		EXPECT(!fk.level[0]);
		EXPECT_EQ(rd32(TN_CMP(0)), cmp + k * delta);
	}
	EXPECT_EQ(fk.now - start, 1000000000ull);
	EXPECT_EQ(hp.t[0].irq_count, 250);
	/* Edge mode sets no status bit. */
	EXPECT_EQ(rd32(REG_STS), 0);
	/* Nothing on any other line. */
	for (unsigned int l = 1; l < 32; l++)
		EXPECT_EQ(fk.pulses[l], 0);
	EXPECT_EQ(fk.bad, 0);
}

/* A late poll: one pulse, the comparator jumps every period missed. */
static void test_periodic_catch_up(void)
{
	uint64_t start;

	const uint64_t p = 100000;		/* 1 ms */

	setup();
	wr(TN_CFG(0), 8, HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_VAL_SET);
	wr(TN_CMP(0), 8, p);
	wr(TN_CMP(0), 8, p);
	wr32(REG_CFG, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	start = fk.now;
	poll_at(start + 10 * p * NS_PER_TICK + 5);	/* 9 periods late */
	EXPECT_EQ(fk.pulses[0], 1);
	EXPECT_EQ(rd(TN_CMP(0), 8), 11 * p);
	/* Next one on the original grid, not relative to the late poll. */
	EXPECT_EQ(deadline(), start + 11 * p * NS_PER_TICK);
	poll_at(deadline());
	EXPECT_EQ(fk.pulses[0], 2);
	EXPECT_EQ(rd(TN_CMP(0), 8), 12 * p);
	EXPECT_EQ(fk.bad, 0);
}

/* hpet_clkevt_set_state_oneshot() + set_next_event(), 32-bit mode. */
static void test_linux_oneshot(void)
{
	uint32_t cnt, cfg;
	uint64_t t;

	setup();
	wr32(REG_CFG, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	fk.now += 1000000;
	cfg = rd32(TN_CFG(0));
	cfg &= ~HPET_TN_PERIODIC;
	cfg |= HPET_TN_INT_ENB | HPET_TN_32BIT;
	wr32(TN_CFG(0), cfg);
	cnt = rd32(REG_CNT) + 5000;
	wr32(TN_CMP(0), cnt);
	EXPECT((int32_t)(cnt - rd32(REG_CNT)) >= 128);
	t = fk.now + 5000 * NS_PER_TICK;
	EXPECT_EQ(deadline(), t);
	poll_at(t - 1);
	EXPECT_EQ(fk.pulses[0], 0);
	poll_at(t);
	EXPECT_EQ(fk.pulses[0], 1);
	EXPECT_EQ(rd32(TN_CMP(0)), cnt);
	/* In 32-bit mode it matches again when the counter wraps. */
	EXPECT_EQ(deadline(), t + (1ull << 32) * NS_PER_TICK);
	/* A comparator just behind the counter also waits for the wrap. */
	wr32(TN_CMP(0), rd32(REG_CNT) - 1);
	EXPECT_EQ(deadline(), fk.now + ((1ull << 32) - 1) * NS_PER_TICK);
	/* Counter across 2^32: the low half wraps, the match follows it. */
	wr32(REG_CFG, HPET_CFG_LEGACY);
	wr(REG_CNT, 8, 0xfffffff0ull);
	wr32(TN_CMP(0), 0x10);
	fk.now += HPET_MIN_IRQ_PERIOD_NS;	/* past the interrupt floor */
	wr32(REG_CFG, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	EXPECT_EQ(deadline(), fk.now + 0x20 * NS_PER_TICK);
	/* set_state_shutdown(): no interrupt, no deadline. */
	wr32(TN_CFG(0), rd32(TN_CFG(0)) & ~HPET_TN_INT_ENB);
	EXPECT_EQ(deadline(), NEVER);
	poll_at(fk.now + 0x20 * NS_PER_TICK);
	EXPECT_EQ(fk.pulses[0], 1);
	EXPECT_EQ(fk.bad, 0);
}

static void test_64bit_comparator(void)
{
	uint64_t t;

	setup();
	wr(REG_CNT, 8, 0xfffffff0ull);
	wr(TN_CMP(2), 8, 0x100000010ull);
	wr(TN_CFG(2), 8, HPET_TN_INT_ENB | 10u << HPET_TN_ROUTE_SHIFT);
	EXPECT_EQ(rd(TN_CMP(2), 8), 0x100000010ull);
	wr32(REG_CFG, HPET_CFG_ENABLE);
	t = fk.now + 0x20 * NS_PER_TICK;
	EXPECT_EQ(deadline(), t);
	poll_at(t);
	EXPECT_EQ(fk.pulses[10], 1);
	/* A 64-bit one-shot does not come back (2^64 ticks away). */
	EXPECT_EQ(deadline(), NEVER);
	poll_at(t + 100000000000ull);
	EXPECT_EQ(fk.pulses[10], 1);
	/* Switching to 32-bit mode truncates the comparator. */
	wr32(TN_CFG(2), rd32(TN_CFG(2)) | HPET_TN_32BIT);
	EXPECT_EQ(rd(TN_CMP(2), 8), 0x10);
	wr32(TN_CMP(2) + 4, 0x55);			/* high half: ignored */
	EXPECT_EQ(rd(TN_CMP(2), 8), 0x10);
	EXPECT_EQ(fk.bad, 0);
}

/* Timer 1 in legacy mode is the RTC's IRQ 8 (hpet_rtc_timer_init()). */
static void test_legacy_rtc_timer1(void)
{
	uint32_t cnt;

	setup();
	wr32(REG_CFG, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	wr32(TN_CFG(1), HPET_TN_INT_ENB | HPET_TN_32BIT);
	cnt = rd32(REG_CNT) + 100000;
	wr32(TN_CMP(1), cnt);
	poll_at(deadline());
	EXPECT_EQ(fk.pulses[8], 1);
	EXPECT_EQ(fk.pulses[0], 0);
	/* Timer 1 is not periodic-capable: the bits do not stick. */
	wr32(TN_CFG(1), rd32(TN_CFG(1)) | HPET_TN_PERIODIC | HPET_TN_VAL_SET);
	EXPECT_EQ(rd32(TN_CFG(1)) & (HPET_TN_PERIODIC | HPET_TN_VAL_SET), 0);
	/* Out of legacy mode timer 1's route (0) reaches nothing. */
	wr32(REG_CFG, HPET_CFG_ENABLE);
	EXPECT(!hpet_legacy_active(&hp));
	wr32(TN_CMP(1), rd32(REG_CNT) + 1000);
	EXPECT_EQ(deadline(), NEVER);
	poll_at(fk.now + 100000);
	EXPECT_EQ(fk.pulses[8], 1);
	EXPECT_EQ(fk.bad, 0);
}

/* Entering legacy mode drops what the 8254 or RTC left on IRQ 0 and 8. */
static void test_legacy_takes_lines(void)
{
	setup();
	fk.level[8] = true;		/* the RTC's level line, high */
	wr32(REG_CFG, HPET_CFG_LEGACY);
	EXPECT(!fk.level[8]);
	EXPECT(!fk.level[0]);
	EXPECT(hpet_legacy_active(&hp));
	EXPECT_EQ(fk.bad, 0);
}

static void test_level_routed(void)
{
	uint64_t t;

	setup();
	/* Routes outside Tn_INT_ROUTE_CAP read back as the old one. */
	wr32(TN_CFG(2), 5u << HPET_TN_ROUTE_SHIFT);
	EXPECT_EQ((rd32(TN_CFG(2)) & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT, 0);
	wr32(TN_CFG(2), 11u << HPET_TN_ROUTE_SHIFT);
	EXPECT_EQ((rd32(TN_CFG(2)) & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT, 11);
	wr32(TN_CFG(2), 31u << HPET_TN_ROUTE_SHIFT);
	EXPECT_EQ((rd32(TN_CFG(2)) & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT, 11);
	/* Level, interrupts off: the status bit still comes. */
	wr32(TN_CFG(2), 11u << HPET_TN_ROUTE_SHIFT | HPET_TN_LEVEL);
	wr(TN_CMP(2), 8, 1000);
	wr32(REG_CFG, HPET_CFG_ENABLE);
	EXPECT_EQ(deadline(), NEVER);
	fk.now += 1000 * NS_PER_TICK;
	EXPECT_EQ(rd32(REG_STS), 1u << 2);
	EXPECT(!fk.level[11]);
	/* Enabling the interrupt raises the line at once. */
	wr32(TN_CFG(2), rd32(TN_CFG(2)) | HPET_TN_INT_ENB);
	EXPECT(fk.level[11]);
	EXPECT_EQ(deadline(), NEVER);		/* pending: nothing more */
	/* Writing 0 changes nothing; 1 clears and drops the line. */
	wr32(REG_STS, 0);
	EXPECT(fk.level[11]);
	wr32(REG_STS, 1u << 2);
	EXPECT_EQ(rd32(REG_STS), 0);
	EXPECT(!fk.level[11]);
	/* Two timers on one line: it stays up until both are cleared. */
	wr32(TN_CFG(0), 11u << HPET_TN_ROUTE_SHIFT | HPET_TN_LEVEL |
	     HPET_TN_INT_ENB);
	wr(TN_CMP(0), 8, rd(REG_CNT, 8) + 100);	/* 64-bit mode */
	wr(TN_CMP(2), 8, rd(REG_CNT, 8) + 200);
	t = deadline();
	EXPECT_EQ(t, fk.now + 100 * NS_PER_TICK);
	poll_at(fk.now + 200 * NS_PER_TICK);
	EXPECT_EQ(rd32(REG_STS), 0x5);
	EXPECT(fk.level[11]);
	EXPECT_EQ(fk.pulses[11], 2);		/* two rises in all */
	wr32(REG_STS, 0x1);
	EXPECT(fk.level[11]);
	wr32(REG_STS, 0x4);
	EXPECT(!fk.level[11]);
	/* Masking a pending level timer drops the line, unmasking raises. */
	wr(TN_CMP(2), 8, rd(REG_CNT, 8) + 20000);
	poll_at(fk.now + 20000 * NS_PER_TICK);
	EXPECT(fk.level[11]);
	wr32(TN_CFG(2), rd32(TN_CFG(2)) & ~HPET_TN_INT_ENB);
	EXPECT(!fk.level[11]);
	EXPECT_EQ(rd32(REG_STS), 0x4);
	/* Switching to edge clears the status bit. */
	wr32(TN_CFG(2), rd32(TN_CFG(2)) & ~HPET_TN_LEVEL);
	EXPECT_EQ(rd32(REG_STS), 0);
	EXPECT_EQ(fk.bad, 0);
}

/* An edge timer on a line a level timer holds high sends nothing. */
static void test_edge_on_held_line(void)
{
	setup();
	wr32(TN_CFG(0), 10u << HPET_TN_ROUTE_SHIFT | HPET_TN_LEVEL |
	     HPET_TN_INT_ENB);
	wr(TN_CMP(0), 8, 10);
	wr32(TN_CFG(2), 10u << HPET_TN_ROUTE_SHIFT | HPET_TN_INT_ENB);
	wr(TN_CMP(2), 8, 20);
	wr32(REG_CFG, HPET_CFG_ENABLE);
	poll_at(fk.now + 100 * NS_PER_TICK);
	EXPECT(fk.level[10]);
	EXPECT_EQ(fk.pulses[10], 1);
	EXPECT_EQ(fk.bad, 0);
}

/* Period of one tick: interrupts no closer than 100 us, time exact. */
static void test_min_irq_period(void)
{
	uint64_t start, prev = 0, d;
	unsigned int n = 0;

	setup();
	wr(TN_CFG(0), 8, HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_VAL_SET);
	wr(TN_CMP(0), 8, 1);
	wr(TN_CMP(0), 8, 1);
	wr32(REG_CFG, HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	start = fk.now;
	while ((d = deadline()) < start + 1000000000ull) {
		EXPECT(d >= fk.now);
		if (prev)
			EXPECT(d - prev >= HPET_MIN_IRQ_PERIOD_NS);
		prev = d;
		poll_at(d);
		if (++n > 20000)
			break;
	}
	ktap_diag("%u interrupts in one second of a 1-tick period", n);
	EXPECT(n >= 9999 && n <= 10001);
	EXPECT_EQ(fk.pulses[0], n);
	EXPECT_EQ(rd(REG_CNT, 8), (fk.now - start) / NS_PER_TICK);
	/* A poll right after an interrupt sends nothing. */
	poll_at(fk.now + 1);
	EXPECT_EQ(fk.pulses[0], n);
	EXPECT_EQ(fk.bad, 0);
}

/* Periodic without Tn_VAL_SET: the period changes, the comparator not. */
static void test_periodic_accumulator(void)
{
	setup();
	wr(TN_CFG(0), 8, HPET_TN_PERIODIC | HPET_TN_VAL_SET);
	wr(TN_CMP(0), 8, 500);
	EXPECT_EQ(rd(TN_CMP(0), 8), 500);
	EXPECT_EQ(hp.t[0].period, 500);
	wr(TN_CMP(0), 8, 300);
	EXPECT_EQ(rd(TN_CMP(0), 8), 500);
	EXPECT_EQ(hp.t[0].period, 300);
	wr32(REG_CFG, HPET_CFG_ENABLE);
	/* Interrupts off: the accumulator still runs, seen on read. */
	fk.now += 1500 * NS_PER_TICK;
	EXPECT_EQ(rd(TN_CMP(0), 8), 1700);	/* 500, 800, ... 1400, 1700 */
	EXPECT_EQ(deadline(), NEVER);
	/* One-shot mode: a write goes to the comparator itself. */
	wr(TN_CFG(0), 8, 0);
	wr(TN_CMP(0), 8, 9999);
	EXPECT_EQ(rd(TN_CMP(0), 8), 9999);
	EXPECT_EQ(hp.t[0].period, 300);
	EXPECT_EQ(fk.bad, 0);
}

static void test_bad_accesses(void)
{
	struct io_access io;
	static const unsigned int sizes[] = { 1, 2, 3, 5, 16 };

	setup();
	wr32(REG_CFG, HPET_CFG_ENABLE);
	/* Other sizes and unaligned accesses read 0 and do nothing. */
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		EXPECT_EQ(rd(0, sizes[i]), 0);
		wr(REG_CFG, sizes[i], 0);
		EXPECT_EQ(rd32(REG_CFG), HPET_CFG_ENABLE);
	}
	EXPECT_EQ(rd(2, 4), 0);
	EXPECT_EQ(rd(4, 8), 0);
	EXPECT_EQ(rd(REG_CNT + 1, 4), 0);
	wr(REG_CFG + 4, 8, 0);
	EXPECT_EQ(rd32(REG_CFG), HPET_CFG_ENABLE);
	/* Past the last timer, reserved registers: 0, writes dropped. */
	for (unsigned int off = 0x160; off < HPET_MMIO_SIZE; off += 4) {
		wr32(off, 0xffffffffu);
		EXPECT_EQ(rd32(off), 0);
	}
	EXPECT_EQ(rd(0x008, 8), 0);
	EXPECT_EQ(rd(0x0e0, 8), 0);
	/* Outside the block (the bus never sends it, the model checks). */
	io = (struct io_access){ .addr = BASE + HPET_MMIO_SIZE, .size = 4 };
	EXPECT_EQ(hp.dev.ops->mmio(&hp.dev, &io), 0);
	EXPECT_EQ(io.val, 0);
	io = (struct io_access){ .addr = BASE - 4, .size = 4 };
	EXPECT_EQ(hp.dev.ops->mmio(&hp.dev, &io), 0);
	EXPECT_EQ(io.val, 0);
	/* Reserved config bits and the FSB bits do not stick. */
	wr32(REG_CFG, 0xffffffffu);
	EXPECT_EQ(rd(REG_CFG, 8), HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	wr(TN_CFG(2), 8, ~0ull);
	EXPECT_EQ(rd(TN_CFG(2), 8) & 0xffffffffu,
		  HPET_TN_LEVEL | HPET_TN_INT_ENB | HPET_TN_SIZE_CAP |
		  HPET_TN_32BIT);
	wr(TN_FSB(2), 8, ~0ull);
	EXPECT_EQ(rd(TN_FSB(2), 8), 0);
	/* Status: only timer bits exist. */
	EXPECT_EQ(rd(REG_STS, 8), 0);
	EXPECT_EQ(fk.bad, 0);
}

/* Random accesses and times: no crash, no sanitizer report, sane lines. */
static void test_hostile(void)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	uint64_t x = 0x9e3779b97f4a7c15ull, d;

	setup();
	for (unsigned int n = 0; n < 300000; n++) {
		struct io_access io;
		unsigned int r;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r = (unsigned int)(x >> 40);
		io = (struct io_access){
			.addr = BASE + (r % 8 ? (x & 0x1f8) : (x & 0x3ff)) +
				(r & 0x100 ? 4 : 0),
			.size = (uint8_t)sizes[(r >> 4) & 3],
			.val = r & 0x200 ? x * 0x2545f4914f6cdd1dull : r & 0x3f,
			.write = r & 1,
		};
		if (r & 0x400)
			fk.now += (x >> 20) & 0xffff;
		if ((r & 0x1800) == 0x1800)
			fk.now += x & 0xffffffffffull;
		EXPECT_EQ(hp.dev.ops->mmio(&hp.dev, &io), 0);
		if (!io.write && io.size != 4 && io.size != 8)
			EXPECT_EQ(io.val, 0);
		d = deadline();
		if (d != NEVER && (r & 0x6000) == 0x6000)
			poll_at(d > fk.now ? d : fk.now);
		else if ((r & 0x6000) == 0x2000)
			poll_at(fk.now);
	}
	/* Only the legacy lines and the routable ones were ever touched. */
	for (unsigned int l = 0; l < 32; l++)
		if (l != 0 && l != 8 && !(CAP & (1u << l)))
			EXPECT_EQ(fk.pulses[l], 0);
	ktap_diag("pulses: irq0 %u, irq8 %u, gsi10 %u, gsi11 %u",
		  fk.pulses[0], fk.pulses[8], fk.pulses[10], fk.pulses[11]);
	EXPECT_EQ(fk.bad, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_capabilities),
	KTAP_CASE(test_counter),
	KTAP_CASE(test_linux_hpet_enable),
	KTAP_CASE(test_linux_periodic_legacy),
	KTAP_CASE(test_periodic_catch_up),
	KTAP_CASE(test_linux_oneshot),
	KTAP_CASE(test_64bit_comparator),
	KTAP_CASE(test_legacy_rtc_timer1),
	KTAP_CASE(test_legacy_takes_lines),
	KTAP_CASE(test_level_routed),
	KTAP_CASE(test_edge_on_held_line),
	KTAP_CASE(test_min_irq_period),
	KTAP_CASE(test_periodic_accumulator),
	KTAP_CASE(test_bad_accesses),
	KTAP_CASE(test_hostile),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
