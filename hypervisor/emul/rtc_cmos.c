// SPDX-License-Identifier: GPL-2.0
/*
 * CMOS real-time clock (MC146818 as found in PCs).
 *
 * Time is wall seconds base_s at guest time phase_ns plus whole seconds
 * since: the time registers are computed on each read, in BCD or binary
 * and 12 or 24 hour form as register B says, and a write to one moves
 * base_s.  While the clock is halted (register B SET, or the divider
 * held in reset by register A bits 6-5 = 11) the time registers are
 * plain bytes holding a snapshot; when it restarts they are read back
 * (out-of-range values clamped) and the next update comes one second
 * later.
 *
 * UIP reads as set during the last 244 us before each second boundary,
 * where the chip raises it before its update cycle; the registers take
 * the new second at the boundary.
 *
 * Interrupt flags (register C) are computed lazily from guest time on
 * each access and in poll(): PF at each periodic-rate boundary (rate
 * from register A; runs while SET is held, as the divider does), UF at
 * each second boundary, AF at a boundary whose time matches the alarm
 * registers (0xc0-0xff: any value).  IRQF and the IRQ 8 line follow the
 * flags enabled in register B; reading C clears them.  Writes to day of
 * week are kept only while halted: it is computed from the date.
 * Daylight saving (register B DSE) is not modelled.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/rtc_cmos.h>

enum {
	REG_SEC = 0x00,
	REG_SEC_ALARM = 0x01,
	REG_MIN = 0x02,
	REG_MIN_ALARM = 0x03,
	REG_HOUR = 0x04,
	REG_HOUR_ALARM = 0x05,
	REG_WDAY = 0x06,
	REG_MDAY = 0x07,
	REG_MONTH = 0x08,
	REG_YEAR = 0x09,
	REG_A = 0x0a,
	REG_B = 0x0b,
	REG_C = 0x0c,
	REG_D = 0x0d,
};

#define A_UIP		0x80
#define A_DV_RESET	0x60
#define A_RS		0x0f
#define B_SET		0x80
#define B_PIE		0x40
#define B_AIE		0x20
#define B_UIE		0x10
#define B_DM_BINARY	0x04
#define B_24H		0x02
#define C_IRQF		0x80
#define C_PF		0x40
#define C_AF		0x20
#define C_UF		0x10
#define D_VRT		0x80
#define HOUR_PM		0x80
#define ALARM_ANY	0xc0

#define NSEC_PER_SEC	1000000000ull
#define RTC_HZ		32768u
#define UIP_NS		244141u		/* 8 periods of 32.768 kHz */
#define SECS_PER_DAY	86400

/* 1900-01-01 and 9999-12-31 23:59:59, the range the registers hold. */
#define WALL_MIN	(-2208988800ll)
#define WALL_MAX	253402300799ll

struct rtc_time {
	int64_t year;
	unsigned int mon, mday, hour, min, sec, wday;	/* wday 0: Sunday */
};

static const uint16_t days_before_month[13] = {
	0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
};

/* ---- calendar ---- */

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in [1, y): y >= 1. */
static int64_t leaps_before(int64_t y)
{
	y--;
	return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to January 1st of y (negative before 1970). */
static int64_t days_to_year(int64_t y)
{
	return 365 * (y - 1970) + leaps_before(y) - leaps_before(1970);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* Day of the year (from 0) on which month mon (1-12) starts. */
static unsigned int month_start(int64_t y, unsigned int mon)
{
	return days_before_month[mon] + (mon > 2 && is_leap(y) ? 1 : 0);
}

static int64_t days_from_date(int64_t y, unsigned int mon, unsigned int mday)
{
	return days_to_year(y) + month_start(y, mon) + mday - 1;
}

static void date_from_wall(int64_t s, struct rtc_time *tm)
{
	int64_t days, sod, y, doy;
	unsigned int mon;

	s = MIN(MAX(s, WALL_MIN), WALL_MAX);
	days = floor_div(s, SECS_PER_DAY);
	sod = s - days * SECS_PER_DAY;
	/* An estimate within a year or two, then exact steps. */
	y = 1970 + floor_div(days, 365);
	while (days_to_year(y) > days)
		y--;
	while (days_to_year(y + 1) <= days)
		y++;
	doy = days - days_to_year(y);
	for (mon = 12; mon > 1; mon--)
		if (doy >= month_start(y, mon))
			break;
	tm->year = y;
	tm->mon = mon;
	tm->mday = doy - month_start(y, mon) + 1;
	tm->hour = sod / 3600;
	tm->min = sod / 60 % 60;
	tm->sec = sod % 60;
	/* 1970-01-01 was a Thursday. */
	tm->wday = (unsigned int)((days % 7 + 11) % 7);
}

/* ---- register formats ---- */

static bool fmt_binary(const struct rtc_cmos *rtc)
{
	return rtc->ram[REG_B] & B_DM_BINARY;
}

static uint8_t enc(const struct rtc_cmos *rtc, unsigned int v)
{
	v %= 100;
	return fmt_binary(rtc) ? v : (v / 10) << 4 | v % 10;
}

/* -1 for a byte that is no number in the current format. */
static int dec(const struct rtc_cmos *rtc, uint8_t b)
{
	if (fmt_binary(rtc))
		return b;
	if ((b >> 4) > 9 || (b & 0xf) > 9)
		return -1;
	return (b >> 4) * 10 + (b & 0xf);
}

static uint8_t enc_hour(const struct rtc_cmos *rtc, unsigned int h)
{
	if (rtc->ram[REG_B] & B_24H)
		return enc(rtc, h);
	return enc(rtc, h % 12 ? h % 12 : 12) | (h >= 12 ? HOUR_PM : 0);
}

static int dec_hour(const struct rtc_cmos *rtc, uint8_t b)
{
	int h;

	if (rtc->ram[REG_B] & B_24H) {
		h = dec(rtc, b);
		return h >= 0 && h < 24 ? h : -1;
	}
	h = dec(rtc, b & ~HOUR_PM);
	if (h < 1 || h > 12)
		return -1;
	return h % 12 + (b & HOUR_PM ? 12 : 0);
}

static int clamp_field(int v, int lo, int hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

/* ---- the clock ---- */

static uint64_t rtc_now(struct rtc_cmos *rtc)
{
	const struct emul_env *env = rtc->dev.env;

	return env->now_ns ? env->now_ns(env->ctx) : 0;
}

static bool divider_reset(const struct rtc_cmos *rtc)
{
	return (rtc->ram[REG_A] & A_DV_RESET) == A_DV_RESET;
}

static bool halted(const struct rtc_cmos *rtc)
{
	return (rtc->ram[REG_B] & B_SET) || divider_reset(rtc);
}

static uint64_t since_phase(const struct rtc_cmos *rtc, uint64_t now)
{
	return now > rtc->phase_ns ? now - rtc->phase_ns : 0;
}

static int64_t wall_at(const struct rtc_cmos *rtc, uint64_t now)
{
	return rtc->base_s + (int64_t)(since_phase(rtc, now) / NSEC_PER_SEC);
}

static bool is_time_reg(unsigned int idx)
{
	return idx == REG_SEC || idx == REG_MIN || idx == REG_HOUR ||
	       (idx >= REG_WDAY && idx <= REG_YEAR) || idx == RTC_CMOS_CENTURY;
}

static uint8_t time_reg(const struct rtc_cmos *rtc, unsigned int idx,
			int64_t wall)
{
	struct rtc_time tm;

	date_from_wall(wall, &tm);
	switch (idx) {
	case REG_SEC:
		return enc(rtc, tm.sec);
	case REG_MIN:
		return enc(rtc, tm.min);
	case REG_HOUR:
		return enc_hour(rtc, tm.hour);
	case REG_WDAY:
		return enc(rtc, tm.wday + 1);
	case REG_MDAY:
		return enc(rtc, tm.mday);
	case REG_MONTH:
		return enc(rtc, tm.mon);
	case REG_YEAR:
		return enc(rtc, tm.year % 100);
	default:
		return enc(rtc, tm.year / 100);
	}
}

static void snapshot(struct rtc_cmos *rtc, int64_t wall)
{
	static const uint8_t regs[] = { REG_SEC, REG_MIN, REG_HOUR, REG_WDAY,
		REG_MDAY, REG_MONTH, REG_YEAR, RTC_CMOS_CENTURY };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(regs); i++)
		rtc->ram[regs[i]] = time_reg(rtc, regs[i], wall);
}

/* The snapshot registers as wall time; nonsense is clamped, not trusted. */
static int64_t wall_from_regs(const struct rtc_cmos *rtc)
{
	int sec = clamp_field(dec(rtc, rtc->ram[REG_SEC]), 0, 59);
	int min = clamp_field(dec(rtc, rtc->ram[REG_MIN]), 0, 59);
	int hour = clamp_field(dec_hour(rtc, rtc->ram[REG_HOUR]), 0, 23);
	int mday = clamp_field(dec(rtc, rtc->ram[REG_MDAY]), 1, 31);
	int mon = clamp_field(dec(rtc, rtc->ram[REG_MONTH]), 1, 12);
	int year = clamp_field(dec(rtc, rtc->ram[REG_YEAR]), 0, 99);
	int century = dec(rtc, rtc->ram[RTC_CMOS_CENTURY]);

	if (century < 19 || century > 99)
		century = year < 70 ? 20 : 19;
	return days_from_date(century * 100 + year, mon, mday) * SECS_PER_DAY +
	       hour * 3600 + min * 60 + sec;
}

/* ---- the alarm ---- */

static int alarm_field(const struct rtc_cmos *rtc, unsigned int idx)
{
	uint8_t b = rtc->ram[idx];

	if ((b & ALARM_ANY) == ALARM_ANY)
		return -1;			/* any value */
	if (idx == REG_HOUR_ALARM)
		return dec_hour(rtc, b) < 0 ? -2 : dec_hour(rtc, b);
	return dec(rtc, b) < 0 || dec(rtc, b) > 59 ? -2 : dec(rtc, b);
}

static bool field_ok(int want, unsigned int v)
{
	return want == -1 || want == (int)v;
}

/*
 * The first second after 'after' whose time of day matches the alarm.
 * Each loop stops at its first match, and only the first hour and
 * minute tried can fail further in, so this is a few hundred steps.
 */
static int64_t alarm_next(const struct rtc_cmos *rtc, int64_t after)
{
	int ah = alarm_field(rtc, REG_HOUR_ALARM);
	int am = alarm_field(rtc, REG_MIN_ALARM);
	int as = alarm_field(rtc, REG_SEC_ALARM);
	int64_t t = after + 1, day = floor_div(t, SECS_PER_DAY);
	unsigned int tod = t - day * SECS_PER_DAY, d, h, m, s;

	if (ah == -2 || am == -2 || as == -2)
		return INT64_MAX;
	for (d = 0; d < 2; d++) {
		unsigned int h0 = d ? 0 : tod / 3600;

		for (h = h0; h < 24; h++) {
			bool first_h = !d && h == h0;
			unsigned int m0 = first_h ? tod / 60 % 60 : 0;

			if (!field_ok(ah, h))
				continue;
			for (m = m0; m < 60; m++) {
				bool first_m = first_h && m == m0;

				if (!field_ok(am, m))
					continue;
				for (s = first_m ? tod % 60 : 0; s < 60; s++)
					if (field_ok(as, s))
						return (day + d) * SECS_PER_DAY +
						       h * 3600 + m * 60 + s;
			}
		}
	}
	return INT64_MAX;
}

/* ---- events and the interrupt line ---- */

/* Periodic interrupt period in 32.768 kHz clocks, 0 for none. */
static uint32_t periodic_clocks(const struct rtc_cmos *rtc)
{
	unsigned int rs = rtc->ram[REG_A] & A_RS;

	if (!rs)
		return 0;
	return rs <= 2 ? 1u << (rs + 6) : 1u << (rs - 1);
}

static uint64_t clocks_32k(uint64_t ns)
{
	return ns / NSEC_PER_SEC * RTC_HZ + ns % NSEC_PER_SEC * RTC_HZ /
	       NSEC_PER_SEC;
}

static uint64_t clocks_32k_ns(uint64_t k)
{
	return k / RTC_HZ * NSEC_PER_SEC +
	       (k % RTC_HZ * NSEC_PER_SEC + RTC_HZ - 1) / RTC_HZ;
}

static void rtc_update_irq(struct rtc_cmos *rtc)
{
	const struct emul_env *env = rtc->dev.env;
	uint8_t enabled = rtc->ram[REG_B] & (B_PIE | B_AIE | B_UIE);
	bool level = rtc->flags & enabled;	/* PF/AF/UF match PIE/AIE/UIE */

	if (level == rtc->irq_level)
		return;
	rtc->irq_level = level;
	if (env->set_irq)
		env->set_irq(env->ctx, RTC_CMOS_IRQ, level);
}

static void rtc_catch_up(struct rtc_cmos *rtc, uint64_t now)
{
	uint64_t last = since_phase(rtc, rtc->last_ns);
	uint64_t cur = since_phase(rtc, now);
	uint32_t p = periodic_clocks(rtc);
	int64_t wall;

	if (now <= rtc->last_ns)
		return;
	rtc->last_ns = now;
	if (p && !divider_reset(rtc) &&
	    clocks_32k(cur) / p > clocks_32k(last) / p)
		rtc->flags |= C_PF;
	if (halted(rtc))
		return;
	if (cur / NSEC_PER_SEC > last / NSEC_PER_SEC)
		rtc->flags |= C_UF;
	wall = wall_at(rtc, now);
	if (rtc->alarm_dirty) {
		/* Look from the last second the clock has shown. */
		rtc->next_alarm_s = alarm_next(rtc, rtc->base_s +
					       last / NSEC_PER_SEC);
		rtc->alarm_dirty = false;
	}
	if (wall >= rtc->next_alarm_s) {
		rtc->flags |= C_AF;
		rtc->next_alarm_s = alarm_next(rtc, wall);
	}
}

/* The clock starts again: the next second one second from now. */
static void rtc_restart(struct rtc_cmos *rtc, uint64_t now)
{
	rtc->base_s = wall_from_regs(rtc);
	rtc->phase_ns = now;
	rtc->last_ns = now;
	rtc->alarm_dirty = true;
}

static void rtc_write_time(struct rtc_cmos *rtc, unsigned int idx,
			   uint8_t val, uint64_t now)
{
	int64_t wall;

	if (halted(rtc)) {
		rtc->ram[idx] = val;
		return;
	}
	/* Only this field changes; the second keeps its phase. */
	snapshot(rtc, wall_at(rtc, now));
	rtc->ram[idx] = val;
	wall = wall_from_regs(rtc);
	rtc->base_s = wall - (int64_t)(since_phase(rtc, now) / NSEC_PER_SEC);
	rtc->alarm_dirty = true;
}

/* Registers A and B can halt and restart the clock. */
static void rtc_write_ctrl(struct rtc_cmos *rtc, unsigned int idx,
			   uint8_t val, uint64_t now)
{
	bool was_halted = halted(rtc);

	if (!was_halted && (idx == REG_B ? val & B_SET :
			    (val & A_DV_RESET) == A_DV_RESET))
		snapshot(rtc, wall_at(rtc, now));	/* old format */
	if (idx == REG_A) {
		rtc->ram[REG_A] = val & ~A_UIP;
	} else {
		if (val & B_SET)
			val &= ~B_UIE;
		rtc->ram[REG_B] = val;
	}
	if (was_halted && !halted(rtc))
		rtc_restart(rtc, now);
	rtc->alarm_dirty = true;
}

static uint8_t rtc_read_a(struct rtc_cmos *rtc, uint64_t now)
{
	uint64_t frac = since_phase(rtc, now) % NSEC_PER_SEC;
	uint8_t a = rtc->ram[REG_A];

	if (!halted(rtc) && frac >= NSEC_PER_SEC - UIP_NS)
		a |= A_UIP;
	return a;
}

static uint8_t rtc_read_c(struct rtc_cmos *rtc)
{
	uint8_t c = rtc->flags;

	if (c & rtc->ram[REG_B] & (B_PIE | B_AIE | B_UIE))
		c |= C_IRQF;
	rtc->flags = 0;
	return c;
}

static uint8_t rtc_read_data(struct rtc_cmos *rtc, uint64_t now)
{
	unsigned int idx = rtc->index % RTC_CMOS_SIZE;

	if (is_time_reg(idx))
		return halted(rtc) ? rtc->ram[idx] :
				     time_reg(rtc, idx, wall_at(rtc, now));
	switch (idx) {
	case REG_A:
		return rtc_read_a(rtc, now);
	case REG_C:
		return rtc_read_c(rtc);
	case REG_D:
		return D_VRT;
	default:
		return rtc->ram[idx];
	}
}

static void rtc_write_data(struct rtc_cmos *rtc, uint8_t val, uint64_t now)
{
	unsigned int idx = rtc->index % RTC_CMOS_SIZE;

	if (is_time_reg(idx)) {
		rtc_write_time(rtc, idx, val, now);
		return;
	}
	switch (idx) {
	case REG_A:
	case REG_B:
		rtc_write_ctrl(rtc, idx, val, now);
		break;
	case REG_C:
	case REG_D:
		break;				/* read-only */
	default:
		rtc->ram[idx] = val;
		if (idx <= REG_HOUR_ALARM)
			rtc->alarm_dirty = true;
		break;
	}
}

static int rtc_pio(struct emul_device *dev, struct io_access *io)
{
	struct rtc_cmos *rtc = dev->priv;
	unsigned int i, size = io->size;
	uint64_t now, val = 0;

	if (size != 1 && size != 2 && size != 4)
		return -PVKIT_EINVAL;
	if (io->addr < RTC_CMOS_BASE ||
	    io->addr - RTC_CMOS_BASE >= RTC_CMOS_NR_PORTS)
		return -PVKIT_EINVAL;
	now = rtc_now(rtc);
	rtc_catch_up(rtc, now);
	for (i = 0; i < size; i++) {
		uint64_t port = io->addr - RTC_CMOS_BASE + i;
		uint8_t byte = 0xff;

		if (io->write && port == 0)
			rtc->index = (io->val >> (8 * i)) & 0x7f; /* no NMI bit */
		else if (io->write && port == 1)
			rtc_write_data(rtc, io->val >> (8 * i), now);
		else if (!io->write && port == 1)
			byte = rtc_read_data(rtc, now);
		val |= (uint64_t)byte << (8 * i);
	}
	if (!io->write)
		io->val = val;
	rtc_catch_up(rtc, now);
	rtc_update_irq(rtc);
	return 0;
}

static void rtc_poll(struct emul_device *dev, uint64_t now_ns)
{
	struct rtc_cmos *rtc = dev->priv;

	rtc_catch_up(rtc, now_ns);
	rtc_update_irq(rtc);
}

static uint64_t rtc_next_deadline(struct emul_device *dev)
{
	struct rtc_cmos *rtc = dev->priv;
	uint8_t b = rtc->ram[REG_B];
	uint64_t next = UINT64_MAX, last = since_phase(rtc, rtc->last_ns);
	uint32_t p = periodic_clocks(rtc);

	if (rtc->irq_level)
		return UINT64_MAX;	/* nothing changes until C is read */
	if ((b & B_PIE) && p && !divider_reset(rtc))
		next = rtc->phase_ns +
		       clocks_32k_ns((clocks_32k(last) / p + 1) * p);
	if (halted(rtc))
		return next;
	if (b & B_UIE)
		next = MIN(next, rtc->phase_ns +
			   (last / NSEC_PER_SEC + 1) * NSEC_PER_SEC);
	if (b & B_AIE) {
		if (rtc->alarm_dirty) {
			rtc->next_alarm_s = alarm_next(rtc, rtc->base_s +
						       last / NSEC_PER_SEC);
			rtc->alarm_dirty = false;
		}
		if (rtc->next_alarm_s != INT64_MAX &&
		    rtc->next_alarm_s > rtc->base_s)
			next = MIN(next, rtc->phase_ns +
				   (uint64_t)(rtc->next_alarm_s - rtc->base_s) *
				   NSEC_PER_SEC);
	}
	return next;
}

void rtc_cmos_set_ram(struct rtc_cmos *rtc, unsigned int index, uint8_t val)
{
	if (index > REG_D && index < RTC_CMOS_SIZE &&
	    index != RTC_CMOS_CENTURY)
		rtc->ram[index] = val;
}

static const struct emul_device_ops rtc_cmos_ops = {
	.name = "rtc_cmos",
	.pio = rtc_pio,
	.poll = rtc_poll,
	.next_deadline = rtc_next_deadline,
};

void rtc_cmos_init(struct rtc_cmos *rtc, const struct emul_env *env,
		   uint64_t wall_s)
{
	*rtc = (struct rtc_cmos){
		.dev = { .ops = &rtc_cmos_ops, .env = env, .priv = rtc },
		.base_s = (int64_t)MIN(wall_s, (uint64_t)WALL_MAX),
		.alarm_dirty = true,
		.next_alarm_s = INT64_MAX,
	};
	rtc->ram[REG_A] = 0x26;		/* 32.768 kHz, 1024 Hz rate */
	rtc->ram[REG_B] = B_24H;
	rtc->phase_ns = rtc_now(rtc);
	rtc->last_ns = rtc->phase_ns;
}
