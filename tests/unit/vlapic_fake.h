// SPDX-License-Identifier: GPL-2.0
/*
 * The fake domain of the local APIC tests: NCPU LAPICs behind one IRQ
 * router, a clock the test moves by hand, and register helpers.
 */
#ifndef TESTS_UNIT_VLAPIC_FAKE_H
#define TESTS_UNIT_VLAPIC_FAKE_H

#include <stdint.h>
#include <hv/emul/irq_router.h>
#include <hv/emul/vlapic.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NCPU		4

struct fake_cpu {
	struct vlapic l;
	struct vlapic_env env;
	unsigned int kicks;
	unsigned int eois;
	uint8_t last_eoi;
};

extern uint64_t fake_now;
extern struct irq_router router;
extern struct fake_cpu cpu[NCPU];

void domain(unsigned int flags);

static inline int access(struct vlapic *l, unsigned int off, uint8_t size,
		  bool write, uint64_t *val)
{
	struct io_access io = {
		.addr = VLAPIC_DEFAULT_BASE + off, .size = size,
		.write = write, .val = write ? *val : 0x5a5a5a5a5a5a5a5aull,
	};
	int ret = vlapic_mmio(l, &io);

	if (!write)
		*val = io.val;
	return ret;
}

static inline uint32_t rd(struct vlapic *l, unsigned int off)
{
	uint64_t v;

	EXPECT_EQ(access(l, off, 4, false, &v), 0);
	return v;
}

static inline void wr(struct vlapic *l, unsigned int off, uint32_t val)
{
	uint64_t v = val;

	EXPECT_EQ(access(l, off, 4, true, &v), 0);
}

static inline uint32_t esr(struct vlapic *l)
{
	wr(l, 0x280, 0);
	return rd(l, 0x280);
}

static inline void enable(struct vlapic *l)
{
	wr(l, 0xf0, 0x1ff);
}

/* Takes what is pending as the run loop would, then EOIs it. */
static inline int take(struct vlapic *l)
{
	int v = vlapic_pending_vector(l);

	if (v >= 0)
		vlapic_ack(l, v);
	return v;
}

/* Takes the pending vector and EOIs it at once. */
static inline int got(struct vlapic *l)
{
	int v = take(l);

	if (v >= 0)
		wr(l, 0xb0, 0);
	return v;
}

/* Cases in test_vlapic_timer.c. */
void test_x2apic(void);
void test_x2apic_msr_interface(void);
void test_tsc_deadline(void);
void test_tsc_deadline_x2apic(void);
void test_timer_oneshot(void);
void test_timer_periodic(void);

#endif /* TESTS_UNIT_VLAPIC_FAKE_H */
