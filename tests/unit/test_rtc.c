// SPDX-License-Identifier: GPL-2.0
/*
 * CMOS RTC model on a fake clock: the date against the C library's
 * gmtime_r(), rollovers (month ends, leap years, centuries) in BCD and
 * binary, 12/24 hour form, setting the time as Linux does, UIP, the
 * update, periodic and alarm interrupts with register C, the NMI bit,
 * CMOS RAM, and hostile accesses.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <hv/emul.h>
#include <hv/emul/rtc_cmos.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NSEC		1000000000ull
#define T0		7000000000ull

struct fake {
	uint64_t now;
	bool level;
	unsigned int rises, falls;
};

static struct fake fk;
static struct rtc_cmos rtc;

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_set_irq(void *ctx, unsigned int gsi, bool level)
{
	struct fake *f = ctx;

	EXPECT_EQ(gsi, 8);
	EXPECT_NE(level, f->level);
	if (level)
		f->rises++;
	else
		f->falls++;
	f->level = level;
}

static const struct emul_env env = {
	.ctx = &fk,
	.now_ns = fake_now,
	.set_irq = fake_set_irq,
};

static void setup(uint64_t wall)
{
	memset(&fk, 0, sizeof(fk));
	fk.now = T0;
	rtc_cmos_init(&rtc, &env, wall);
}

static uint8_t rd(uint8_t idx)
{
	struct io_access io = { .addr = 0x70, .size = 1, .val = idx,
				.write = true };

	EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	io = (struct io_access){ .addr = 0x71, .size = 1 };
	EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	return io.val;
}

static void wr(uint8_t idx, uint8_t val)
{
	struct io_access io = { .addr = 0x70, .size = 1, .val = idx,
				.write = true };

	EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	io = (struct io_access){ .addr = 0x71, .size = 1, .val = val,
				 .write = true };
	EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
}

static unsigned int bcd(unsigned int v)
{
	return (v / 10) << 4 | v % 10;
}

/* Seconds since 1970 of a UTC date (timegm is a GNU extension). */
static uint64_t utc(int y, int mon, int d, int h, int m, int s)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mon - 1,
			 .tm_mday = d, .tm_hour = h, .tm_min = m, .tm_sec = s };

	return timegm(&tm);
}

/* The registers against gmtime_r() of wall, in the current format. */
static void expect_date(uint64_t wall)
{
	bool binary = rtc.ram[0x0b] & 0x04;
	unsigned int (*f)(unsigned int) = binary ? NULL : bcd;
	time_t t = wall;
	struct tm tm;
	unsigned int v[8];

	gmtime_r(&t, &tm);
	v[0] = tm.tm_sec;
	v[1] = tm.tm_min;
	v[2] = tm.tm_hour;
	v[3] = tm.tm_wday + 1;
	v[4] = tm.tm_mday;
	v[5] = tm.tm_mon + 1;
	v[6] = tm.tm_year % 100;
	v[7] = (tm.tm_year + 1900) / 100;
	if (f) {
		unsigned int i;

		for (i = 0; i < 8; i++)
			v[i] = f(v[i]);
	}
	EXPECT_EQ(rd(0x00), v[0]);
	EXPECT_EQ(rd(0x02), v[1]);
	EXPECT_EQ(rd(0x04), v[2]);
	EXPECT_EQ(rd(0x06), v[3]);
	EXPECT_EQ(rd(0x07), v[4]);
	EXPECT_EQ(rd(0x08), v[5]);
	EXPECT_EQ(rd(0x09), v[6]);
	EXPECT_EQ(rd(0x32), v[7]);
}

static uint64_t deadline(void)
{
	return rtc.dev.ops->next_deadline(&rtc.dev);
}

static void poll_at(uint64_t t)
{
	fk.now = t;
	rtc.dev.ops->poll(&rtc.dev, t);
}

/* What Linux's rtc-cmos and mc146818_get_time() look at first. */
static void test_reset_and_linux_probe(void)
{
	uint64_t wall = utc(2026, 11, 24, 13, 45, 7);

	setup(wall);
	EXPECT_EQ(rd(0x0a), 0x26);
	EXPECT_EQ(rd(0x0b), 0x02);		/* 24 h, BCD */
	EXPECT_EQ(rd(0x0c), 0x00);
	EXPECT_EQ(rd(0x0d), 0x80);		/* valid, bit 6 clear */
	EXPECT_EQ(rd(0x00), 0x07);
	EXPECT_EQ(rd(0x02), 0x45);
	EXPECT_EQ(rd(0x04), 0x13);
	EXPECT_EQ(rd(0x06), 0x03);		/* Tuesday */
	EXPECT_EQ(rd(0x07), 0x24);
	EXPECT_EQ(rd(0x08), 0x11);
	EXPECT_EQ(rd(0x09), 0x26);
	EXPECT_EQ(rd(0x32), 0x20);
	fk.now += 3 * NSEC + NSEC / 2;
	EXPECT_EQ(rd(0x00), 0x10);
	/* Port 0x70 reads as nothing; C and D ignore writes. */
	{
		struct io_access io = { .addr = 0x70, .size = 1 };

		EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
		EXPECT_EQ(io.val, 0xff);
	}
	wr(0x0d, 0x00);
	EXPECT_EQ(rd(0x0d), 0x80);
	/* PF and UF are set whether enabled or not; no IRQF without. */
	EXPECT_EQ(rd(0x0c), 0x50);
	wr(0x0c, 0xff);
	EXPECT_EQ(rd(0x0c), 0x00);
	EXPECT(!fk.level);
}

static void test_rollovers(void)
{
	static const int dates[][6] = {
		{ 2024, 2, 28, 23, 59, 59 },	/* leap year */
		{ 2024, 2, 29, 23, 59, 59 },
		{ 2023, 2, 28, 23, 59, 59 },
		{ 2100, 2, 28, 23, 59, 59 },	/* not leap */
		{ 2000, 2, 28, 23, 59, 59 },	/* leap */
		{ 2024, 4, 30, 23, 59, 59 },
		{ 2024, 1, 31, 23, 59, 59 },
		{ 2023, 12, 31, 23, 59, 59 },
		{ 1999, 12, 31, 23, 59, 59 },	/* century */
		{ 2099, 12, 31, 23, 59, 59 },
		{ 2038, 1, 19, 3, 14, 7 },
		{ 1970, 1, 1, 0, 0, 0 },
	};
	unsigned int i, binary;

	for (binary = 0; binary < 2; binary++) {
		for (i = 0; i < ARRAY_SIZE(dates); i++) {
			const int *d = dates[i];
			uint64_t wall = utc(d[0], d[1], d[2], d[3], d[4], d[5]);

			setup(wall);
			wr(0x0b, binary ? 0x06 : 0x02);
			expect_date(wall);
			fk.now += NSEC;
			expect_date(wall + 1);
			fk.now += 86400 * NSEC;
			expect_date(wall + 86401);
		}
	}
}

/* Every few hours across 400 years, against the C library. */
static void test_dates_against_gmtime(void)
{
	uint64_t wall;

	setup(0);
	wr(0x0b, 0x06);
	for (wall = 0; wall < utc(2370, 1, 1, 0, 0, 0); wall += 7 * 3600 + 13) {
		rtc_cmos_init(&rtc, &env, wall);
		wr(0x0b, 0x06);
		expect_date(wall);
		if (ktap_case_failures)
			break;
	}
}

static void test_12_hour_mode(void)
{
	static const struct { int h; uint8_t b; } hours[] = {
		{ 0, 0x12 }, { 1, 0x01 }, { 11, 0x11 }, { 12, 0x92 },
		{ 13, 0x81 }, { 23, 0x91 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hours); i++) {
		setup(utc(2025, 6, 1, hours[i].h, 30, 0));
		wr(0x0b, 0x00);
		EXPECT_EQ(rd(0x04), hours[i].b);
		wr(0x0b, 0x04);			/* binary */
		EXPECT_EQ(rd(0x04), (hours[i].b & 0x80) |
			  (hours[i].h % 12 ? hours[i].h % 12 : 12));
		/* Writing the hour back leaves the time as it was. */
		wr(0x04, rd(0x04));
		wr(0x0b, 0x06);
		EXPECT_EQ(rd(0x04), hours[i].h);
	}
}

/* mc146818_set_time(): SET, the registers, then SET cleared. */
static void test_linux_set_time(void)
{
	uint64_t start;

	setup(utc(2020, 1, 1, 0, 0, 0));
	fk.now += NSEC / 3;
	wr(0x0b, rd(0x0b) | 0x80);
	fk.now += 5 * NSEC;			/* halted: frozen */
	EXPECT_EQ(rd(0x00), 0x00);
	EXPECT_EQ(rd(0x0a) & 0x80, 0);		/* no UIP while SET */
	wr(0x09, 0x28);
	wr(0x08, 0x02);
	wr(0x07, 0x29);
	wr(0x04, 0x23);
	wr(0x02, 0x59);
	wr(0x00, 0x58);
	wr(0x32, 0x20);
	wr(0x0b, rd(0x0b) & ~0x80);
	start = fk.now;
	expect_date(utc(2028, 2, 29, 23, 59, 58));
	fk.now = start + NSEC - 1;
	EXPECT_EQ(rd(0x00), 0x58);
	fk.now = start + 2 * NSEC;
	expect_date(utc(2028, 3, 1, 0, 0, 0));
	/* Setting UIE together with SET leaves UIE clear. */
	wr(0x0b, 0x92);
	EXPECT_EQ(rd(0x0b), 0x82);
	wr(0x0b, 0x02);
}

/* A field written while the clock runs; the second keeps its phase. */
static void test_write_while_running(void)
{
	uint64_t wall = utc(2030, 5, 17, 8, 15, 30);

	setup(wall);
	fk.now += NSEC / 2;
	wr(0x02, 0x45);
	expect_date(wall + 30 * 60);
	fk.now = T0 + NSEC - 1;
	EXPECT_EQ(rd(0x00), 0x30);
	fk.now = T0 + NSEC;
	EXPECT_EQ(rd(0x00), 0x31);
	/* The year, in binary. */
	wr(0x0b, 0x06);
	wr(0x09, 99);
	EXPECT_EQ(rd(0x09), 99);
	EXPECT_EQ(rd(0x32), 20);
	/* Nonsense is clamped, never trusted. */
	wr(0x0b, 0x02);
	wr(0x08, 0x1f);
	EXPECT_EQ(rd(0x08), 0x01);
	wr(0x07, 0xaa);
	EXPECT_EQ(rd(0x07), 0x01);
	wr(0x32, 0x00);				/* century: from the year */
	EXPECT_EQ(rd(0x32), 0x19);		/* year 99 */
}

static void test_uip(void)
{
	setup(utc(2024, 7, 4, 12, 0, 0));
	fk.now = T0 + NSEC - 244141 - 1;
	EXPECT_EQ(rd(0x0a), 0x26);
	fk.now = T0 + NSEC - 244141;
	EXPECT_EQ(rd(0x0a), 0xa6);
	EXPECT_EQ(rd(0x00), 0x00);
	fk.now = T0 + NSEC - 1;
	EXPECT_EQ(rd(0x0a), 0xa6);
	fk.now = T0 + NSEC;
	EXPECT_EQ(rd(0x0a), 0x26);
	EXPECT_EQ(rd(0x00), 0x01);
	/* UIP is read-only. */
	wr(0x0a, 0xa6);
	EXPECT_EQ(rd(0x0a), 0x26);
}

static void test_update_interrupt(void)
{
	setup(utc(2024, 7, 4, 12, 0, 0));
	EXPECT_EQ(deadline(), UINT64_MAX);
	fk.now = T0 + NSEC / 4;
	rd(0x0c);
	wr(0x0b, 0x12);
	EXPECT_EQ(deadline(), T0 + NSEC);
	poll_at(T0 + NSEC - 1);
	EXPECT(!fk.level);
	poll_at(T0 + NSEC);
	EXPECT(fk.level);
	EXPECT_EQ(deadline(), UINT64_MAX);
	EXPECT_EQ(rd(0x0c) & 0xb0, 0x90);
	EXPECT(!fk.level);
	EXPECT_EQ(rd(0x0c), 0x00);	/* nothing new */
	EXPECT_EQ(deadline(), T0 + 2 * NSEC);
	/* Flags are set without the enable bits, but no IRQF, no line. */
	wr(0x0b, 0x02);
	fk.now = T0 + 3 * NSEC;
	EXPECT_EQ(rd(0x0c) & 0xb0, 0x10);
	EXPECT_EQ(fk.rises, 1);
	/* Enabling UIE with UF pending raises the line at once. */
	fk.now = T0 + 4 * NSEC;
	wr(0x0b, 0x12);
	EXPECT(fk.level);
	EXPECT_EQ(rd(0x0c) & 0xb0, 0x90);
	/* A late poll: the flag, one edge. */
	poll_at(T0 + 10 * NSEC);
	EXPECT_EQ(fk.rises, 3);
	EXPECT_EQ(rd(0x0c) & 0xb0, 0x90);
}

static void test_periodic_interrupt(void)
{
	unsigned int i;

	setup(utc(2024, 7, 4, 12, 0, 0));
	wr(0x0b, 0x42);				/* PIE, 1024 Hz */
	EXPECT_EQ(deadline(), T0 + 976563);
	for (i = 1; i <= 1024; i++) {
		uint64_t dl = deadline();

		EXPECT_EQ(dl, T0 + (i * NSEC + 1023) / 1024);
		poll_at(dl);
		EXPECT(fk.level);
		EXPECT_EQ(rd(0x0c) & 0xc0, 0xc0);
		EXPECT(!fk.level);
		if (ktap_case_failures)
			break;
	}
	EXPECT_EQ(fk.rises, 1024);
	/* 2 Hz; rate 0 stops it. */
	wr(0x0a, 0x2f);
	EXPECT_EQ(deadline(), T0 + NSEC + NSEC / 2);
	wr(0x0a, 0x20);
	EXPECT_EQ(deadline(), UINT64_MAX);
	/* Rates 1 and 2 are 256 and 128 Hz. */
	wr(0x0a, 0x21);
	EXPECT_EQ(deadline(), T0 + NSEC + NSEC / 256);
	wr(0x0a, 0x22);
	EXPECT_EQ(deadline(), T0 + NSEC + NSEC / 128);
	/* The divider in reset stops everything. */
	wr(0x0a, 0x76);
	EXPECT_EQ(deadline(), UINT64_MAX);
}

static void test_alarm_interrupt(void)
{
	uint64_t wall = utc(2024, 12, 31, 23, 59, 50);

	setup(wall);
	wr(0x01, 0x05);
	wr(0x03, 0x00);
	wr(0x05, 0x00);				/* 00:00:05 */
	rd(0x0c);
	wr(0x0b, 0x22);
	EXPECT_EQ(deadline(), T0 + 15 * NSEC);
	poll_at(T0 + 15 * NSEC - 1);
	EXPECT(!fk.level);
	poll_at(T0 + 15 * NSEC);
	EXPECT(fk.level);
	EXPECT_EQ(rd(0x0c) & 0xb0, 0xb0);	/* IRQF, AF and UF */
	expect_date(utc(2025, 1, 1, 0, 0, 5));
	/* Next match: a day later. */
	EXPECT_EQ(deadline(), T0 + (15 + 86400) * NSEC);

	/* Any hour, any minute, second 30. */
	wr(0x05, 0xc0);
	wr(0x03, 0xff);
	wr(0x01, 0x30);
	EXPECT_EQ(deadline(), T0 + 40 * NSEC);
	/* Any second: every update. */
	wr(0x01, 0xc0);
	EXPECT_EQ(deadline(), T0 + 16 * NSEC);
	/* An alarm no time matches never fires. */
	wr(0x01, 0x61);
	EXPECT_EQ(deadline(), UINT64_MAX);
	wr(0x01, 0x00);
	/* 12 hour form: 1 PM, binary. */
	wr(0x0b, 0x24);
	wr(0x05, 0x81);
	wr(0x03, 0);
	EXPECT_EQ(deadline(), T0 + (15 + 13 * 3600 - 5) * NSEC);
	wr(0x05, 0x0d);				/* 13 is no 12 hour value */
	EXPECT_EQ(deadline(), UINT64_MAX);
}

static void test_nmi_bit_and_ram(void)
{
	unsigned int i;

	setup(utc(2024, 1, 1, 0, 0, 0));
	for (i = 0x0e; i < 0x80; i++) {
		if (i == 0x32)
			continue;
		wr(i | 0x80, i ^ 0x5a);		/* NMI-disable bit set */
	}
	for (i = 0x0e; i < 0x80; i++) {
		if (i == 0x32)
			continue;
		EXPECT_EQ(rd(i), i ^ 0x5a);
	}
	EXPECT_EQ(rd(0x80 | 0x0d), 0x80);
	rtc_cmos_set_ram(&rtc, 0x34, 0x12);
	rtc_cmos_set_ram(&rtc, 0x0b, 0xff);	/* not RAM: ignored */
	rtc_cmos_set_ram(&rtc, 0x32, 0xff);
	rtc_cmos_set_ram(&rtc, 0x1000, 0xff);
	EXPECT_EQ(rd(0x34), 0x12);
	EXPECT_EQ(rd(0x0b), 0x02);
	EXPECT_EQ(rd(0x32), 0x20);
}

static void test_divider_reset(void)
{
	setup(utc(2024, 3, 10, 10, 0, 0));
	fk.now += 2 * NSEC;
	wr(0x0a, 0x70);
	fk.now += 100 * NSEC;
	EXPECT_EQ(rd(0x00), 0x02);
	wr(0x00, 0x20);
	EXPECT_EQ(rd(0x00), 0x20);
	wr(0x0a, 0x26);
	fk.now += NSEC;
	EXPECT_EQ(rd(0x00), 0x21);
	EXPECT_EQ(rd(0x02), 0x00);
}

static void test_hostile_accesses(void)
{
	struct io_access io;
	unsigned int i;

	setup(utc(2024, 3, 10, 10, 0, 0));
	io = (struct io_access){ .addr = 0x72, .size = 1 };
	EXPECT_NE(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	io = (struct io_access){ .addr = 0x70, .size = 8 };
	EXPECT_NE(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	/* outw 0x70: index then data, as one access. */
	io = (struct io_access){ .addr = 0x70, .size = 2, .write = true,
				 .val = 0x7734 };
	EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	EXPECT_EQ(rd(0x34), 0x77);
	io = (struct io_access){ .addr = 0x71, .size = 4 };
	EXPECT_EQ(rtc.dev.ops->pio(&rtc.dev, &io), 0);
	EXPECT_EQ(io.val, 0xffffff77);

	srand(5);
	for (i = 0; i < 300000; i++) {
		uint8_t idx = rand() % 0x100;

		fk.now += rand() % 20000000;
		if (rand() % 2)
			wr(idx, rand());
		else if (rand() % 3)
			rd(idx);
		else
			poll_at(fk.now);
		EXPECT(deadline() >= fk.now || deadline() + 2000000000ull > fk.now);
		if (ktap_case_failures)
			break;
	}
	/* Whatever happened, the clock can be set and read again. */
	wr(0x0a, 0x26);
	wr(0x0b, 0x82);
	wr(0x00, 0x00);
	wr(0x02, 0x00);
	wr(0x04, 0x00);
	wr(0x07, 0x01);
	wr(0x08, 0x01);
	wr(0x09, 0x30);
	wr(0x32, 0x20);
	wr(0x0b, 0x02);
	expect_date(utc(2030, 1, 1, 0, 0, 0));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_reset_and_linux_probe),
	KTAP_CASE(test_rollovers),
	KTAP_CASE(test_dates_against_gmtime),
	KTAP_CASE(test_12_hour_mode),
	KTAP_CASE(test_linux_set_time),
	KTAP_CASE(test_write_while_running),
	KTAP_CASE(test_uip),
	KTAP_CASE(test_update_interrupt),
	KTAP_CASE(test_periodic_interrupt),
	KTAP_CASE(test_alarm_interrupt),
	KTAP_CASE(test_nmi_bit_and_ram),
	KTAP_CASE(test_divider_reset),
	KTAP_CASE(test_hostile_accesses),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
