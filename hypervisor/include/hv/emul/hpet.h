/* SPDX-License-Identifier: GPL-2.0 */
/*
 * High Precision Event Timer (IA-PC HPET 1.0a): one 1 KiB register block
 * with a 64-bit main counter at HPET_HZ and HPET_NR_TIMERS comparators.
 * Linux uses it to calibrate the TSC and as the clocksource watchdog
 * that keeps the TSC trusted; in legacy replacement mode timer 0 is its
 * boot tick on ISA IRQ 0 and timer 1 emulates the RTC interrupt on IRQ 8.
 *
 *	struct hpet hpet;
 *	hpet_init(&hpet, env, base);
 *	register hpet.dev for MMIO [base, base + HPET_MMIO_SIZE)
 *
 * The counter is derived from env->now_ns(), never ticked.  poll() sends
 * the interrupts that are due (edge: a pulse on the line, level: the
 * line held until the guest clears the status bit) and next_deadline()
 * says when the next one is.  Only aligned 32- and 64-bit accesses do
 * anything; the spec leaves the others undefined, so they read 0 and
 * are ignored.  There is no FSB (MSI) delivery.
 */
#ifndef HV_EMUL_HPET_H
#define HV_EMUL_HPET_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define HPET_MMIO_SIZE		0x400
#define HPET_NR_TIMERS		3
/* 100 MHz: a tick is exactly 10 ns, well inside Linux's 10 kHz-10 GHz. */
#define HPET_HZ			100000000ull
#define HPET_PERIOD_FS		(1000000000000000ull / HPET_HZ)
#define HPET_REV_ID		1
/* The PCI vendor the rest of the platform uses (hv/platform.h). */
#define HPET_VENDOR_ID		0x1af4

/* General Capabilities and ID, low half: the ACPI table repeats it. */
#define HPET_CAP_REV_ID		0x000000ffu
#define HPET_CAP_NUM_TIM	0x00001f00u
#define HPET_CAP_COUNT_SIZE	0x00002000u
#define HPET_CAP_LEG_RT		0x00008000u
#define HPET_CAP_VENDOR		0xffff0000u
#define HPET_CAP_ID \
	(HPET_REV_ID | (HPET_NR_TIMERS - 1) << 8 | HPET_CAP_COUNT_SIZE | \
	 HPET_CAP_LEG_RT | (uint32_t)HPET_VENDOR_ID << 16)

/* Register offsets. */
#define HPET_REG_CAP		0x000
#define HPET_REG_CONFIG		0x010
#define HPET_REG_STATUS		0x020
#define HPET_REG_COUNTER	0x0f0
#define HPET_REG_TIMER(n)	(0x100 + 0x20 * (n))
#define HPET_REG_TN_CONFIG	0x00
#define HPET_REG_TN_CMP		0x08
#define HPET_REG_TN_FSB		0x10

/* General Configuration. */
#define HPET_CFG_ENABLE		(1u << 0)
#define HPET_CFG_LEGACY		(1u << 1)

/* Timer n Configuration and Capabilities. */
#define HPET_TN_LEVEL		(1u << 1)
#define HPET_TN_INT_ENB		(1u << 2)
#define HPET_TN_PERIODIC	(1u << 3)
#define HPET_TN_PER_CAP		(1u << 4)
#define HPET_TN_SIZE_CAP	(1u << 5)
#define HPET_TN_VAL_SET		(1u << 6)
#define HPET_TN_32BIT		(1u << 8)
#define HPET_TN_ROUTE_SHIFT	9
#define HPET_TN_ROUTE		(0x1fu << HPET_TN_ROUTE_SHIFT)
#define HPET_TN_FSB_EN		(1u << 14)
#define HPET_TN_FSB_CAP		(1u << 15)
#define HPET_TN_ROUTE_CAP_SHIFT	32

/*
 * In legacy replacement mode timer 0 drives ISA IRQ 0 and timer 1 ISA
 * IRQ 8, and the 8254's and RTC's own outputs are cut off (the platform
 * does that, asking hpet_legacy_active()).
 */
#define HPET_LEGACY_IRQ0	0
#define HPET_LEGACY_IRQ1	8

/*
 * A timer's interrupts come no closer together than this, whatever the
 * guest programs, as for the 8254.  The counter keeps exact time.
 */
#define HPET_MIN_IRQ_PERIOD_NS	100000u
/* The same in ticks, for the ACPI table's minimum periodic tick. */
#define HPET_MIN_TICK \
	((uint16_t)(HPET_MIN_IRQ_PERIOD_NS * HPET_HZ / 1000000000ull))

struct hpet_timer {
	uint64_t config;	/* the writable bits of Tn_CONF */
	uint64_t cmp;		/* comparator as it reads */
	uint64_t period;	/* periodic mode: added to cmp at each match */
	uint64_t next;		/* ticks since run_ns of the next match */
	uint64_t last_irq_ns;
	uint64_t irq_count;	/* interrupts sent, for statistics */
};

struct hpet {
	struct emul_device dev;		/* dev.priv points back here */
	uint64_t base;			/* guest-physical address */
	uint32_t route_cap;		/* GSIs a timer may be routed to */
	uint64_t config;		/* General Configuration */
	uint64_t status;		/* General Interrupt Status */
	uint64_t counter;		/* main counter at run_ns */
	uint64_t run_ns;		/* when it last started or was synced */
	uint32_t lines;			/* GSIs held asserted by level timers */
	bool legacy;			/* LEG_RT_CNF, read by the platform */
	struct hpet_timer t[HPET_NR_TIMERS];
};

/*
 * route_cap: bitmap of the IOAPIC inputs (GSI 0-31) a timer may be
 * routed to outside legacy mode; no device of the platform may drive them.
 */
void hpet_init(struct hpet *h, const struct emul_env *env, uint64_t base,
	       uint32_t route_cap);

/* True while legacy replacement mode owns ISA IRQ 0 and IRQ 8. */
bool hpet_legacy_active(const struct hpet *h);

#endif /* HV_EMUL_HPET_H */
