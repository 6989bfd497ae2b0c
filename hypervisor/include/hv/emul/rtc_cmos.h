/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MC146818-style CMOS real-time clock: index port 0x70, data port 0x71,
 * ISA IRQ 8.  The clock is the wall time given at init plus the guest
 * time that has passed since (env->now_ns()); the other 114 bytes are
 * battery-backed RAM, register 0x32 being the century.
 *
 *	struct rtc_cmos rtc;
 *	rtc_cmos_init(&rtc, env, wall_seconds_since_1970);
 *	register rtc.dev for ports [RTC_CMOS_BASE, RTC_CMOS_BASE + 2)
 */
#ifndef HV_EMUL_RTC_CMOS_H
#define HV_EMUL_RTC_CMOS_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define RTC_CMOS_BASE		0x70
#define RTC_CMOS_NR_PORTS	2
#define RTC_CMOS_IRQ		8
#define RTC_CMOS_SIZE		128
#define RTC_CMOS_CENTURY	0x32

struct rtc_cmos {
	struct emul_device dev;		/* dev.priv points back here */
	uint8_t index;			/* port 0x70, NMI bit dropped */
	/*
	 * Registers A, B and the RAM.  The time registers (0, 2, 4, 6-9
	 * and the century) are computed on each read while the clock runs
	 * and hold a snapshot while it is halted (register B SET, or the
	 * divider in reset).
	 */
	uint8_t ram[RTC_CMOS_SIZE];
	int64_t base_s;			/* wall seconds at phase_ns */
	uint64_t phase_ns;		/* guest time of a second boundary */
	uint64_t last_ns;		/* events up to here are in flags */
	uint8_t flags;			/* register C: PF, AF, UF */
	bool alarm_dirty;
	int64_t next_alarm_s;		/* INT64_MAX: never */
	bool irq_level;
};

/* wall_s: seconds since 1970-01-01 00:00 UTC at env->now_ns() now. */
void rtc_cmos_init(struct rtc_cmos *rtc, const struct emul_env *env,
		   uint64_t wall_s);

/* For the domain builder: plain CMOS RAM bytes (0x0e-0x7f, not 0x32). */
void rtc_cmos_set_ram(struct rtc_cmos *rtc, unsigned int index, uint8_t val);

#endif /* HV_EMUL_RTC_CMOS_H */
