// SPDX-License-Identifier: GPL-2.0
/* TSC calibration against the 8254 PIT, delays, and the CMOS clock. */
#include <stdint.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hv/printk.h>

#define PIT_HZ		1193182u
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61

static uint64_t tsc_freq;

void pit_wait_ms(unsigned int ms, void (*start)(void))
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint64_t spins = 0;

	/* Channel 2, gate on, speaker off, mode 0 (interrupt on terminal count). */
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	if (start)
		start();
	while (!(inb(PIT_GATE) & 0x20) && spins++ < 100000000ull)
		cpu_relax();
}

static uint64_t tsc_at_start;

static void mark_tsc(void)
{
	tsc_at_start = rdtsc();
}

/*
 * Each run waits CALIBRATE_MS of PIT time; a poll of port 0x61 takes a
 * few microseconds even under TCG, so 2 ms (2,386 PIT ticks) is good to
 * about 0.2 %, well inside what guests check (1 %), and three runs cost
 * 6 ms of boot instead of the 30 ms that 10 ms windows took.
 */
#define CALIBRATE_MS	2

void tsc_calibrate(void)
{
	uint64_t best = ~0ull;

	/* The shortest of a few runs is the one least disturbed. */
	for (int i = 0; i < 3; i++) {
		uint64_t d;

		pit_wait_ms(CALIBRATE_MS, mark_tsc);
		d = rdtsc() - tsc_at_start;
		if (d < best)
			best = d;
	}
	tsc_freq = best * (1000 / CALIBRATE_MS);
	pr_info("time: TSC runs at %llu kHz",
		(unsigned long long)(tsc_freq / 1000));
}

uint64_t tsc_hz(void)
{
	return tsc_freq;
}

void udelay(uint64_t us)
{
	uint64_t end = rdtsc() + us * (tsc_freq / 1000000);

	while (rdtsc() < end)
		cpu_relax();
}

static unsigned int cmos_read(unsigned int reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned int bcd(unsigned int v, int binary)
{
	return binary ? v : (v & 0xf) + (v >> 4) * 10;
}

static uint64_t days_from_civil(uint64_t y, unsigned int m, unsigned int d)
{
	/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
	static const unsigned int before[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
	};
	uint64_t days = (y - 1970) * 365 + before[(m - 1) % 12] + d - 1;

	days += (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
	if (m > 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		days++;
	return days;
}

uint64_t rtc_read_seconds(void)
{
	unsigned int sec, min, hour, day, mon, year, status;
	int binary;

	/* Wait out an update in progress so the fields are consistent. */
	for (int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++)
		cpu_relax();
	status = cmos_read(0x0b);
	binary = status & 0x04;
	sec = bcd(cmos_read(0x00), binary);
	min = bcd(cmos_read(0x02), binary);
	hour = bcd(cmos_read(0x04) & 0x7f, binary);
	day = bcd(cmos_read(0x07), binary);
	mon = bcd(cmos_read(0x08), binary);
	year = bcd(cmos_read(0x09), binary) + 2000;
	if (mon < 1 || mon > 12 || day < 1 || day > 31)
		return 0;
	return days_from_civil(year, mon, day) * 86400 + hour * 3600 +
	       min * 60 + sec;
}
