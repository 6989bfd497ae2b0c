// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI PM block against a fake domain: the PM timer's rate and every
 * way to read it, PM1 status/enable/control semantics, poweroff through
 * SLP_TYP/SLP_EN, reboot through the reset register, the SCI line, and
 * a storm of random accesses that must keep every invariant.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <hv/emul.h>
#include <hv/emul/acpi_pm.h>
#include <hv/platform.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define PM		PLATFORM_PM_BASE
#define S5_CNT		(PLATFORM_SLP_TYP_S5 << ACPI_PM1_CNT_SLP_TYP_SHIFT)

struct fake {
	uint64_t now;
	unsigned int irq_calls;
	int sci;
	unsigned int shutdowns;
	uint32_t reason;
};

static struct fake fk;

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_set_irq(void *ctx, unsigned int gsi, bool level)
{
	struct fake *f = ctx;

	EXPECT_EQ(gsi, PLATFORM_SCI_IRQ);
	f->irq_calls++;
	f->sci = level;
}

static void fake_shutdown(void *ctx, uint32_t reason)
{
	struct fake *f = ctx;

	f->shutdowns++;
	f->reason = reason;
}

static const struct emul_env env = {
	.ctx = &fk,
	.now_ns = fake_now,
	.set_irq = fake_set_irq,
	.shutdown = fake_shutdown,
};

static struct acpi_pm pm;

static void setup(uint64_t now)
{
	memset(&fk, 0, sizeof(fk));
	fk.now = now;
	memset(&pm, 0x5a, sizeof(pm));
	acpi_pm_init(&pm, &env);
	EXPECT(pm.dev.ops == &acpi_pm_ops && pm.dev.priv == &pm);
}

static uint64_t rd(uint64_t port, unsigned int size)
{
	struct io_access io = { .addr = port, .val = 0xdeadbeefcafeull,
				.size = (uint8_t)size, .write = false };

	EXPECT_EQ(acpi_pm_ops.pio(&pm.dev, &io), 0);
	return io.val;
}

static void wr(uint64_t port, unsigned int size, uint64_t val)
{
	struct io_access io = { .addr = port, .val = val,
				.size = (uint8_t)size, .write = true };

	EXPECT_EQ(acpi_pm_ops.pio(&pm.dev, &io), 0);
}

static void test_timer_rate(void)
{
	setup(0);
	EXPECT_EQ(acpi_pm_timer_at(0), 0);
	EXPECT_EQ(acpi_pm_timer_at(1000000000ull), PLATFORM_PM_TMR_HZ);
	EXPECT_EQ(acpi_pm_timer_at(1000000ull), 3579);	/* 3579.545 */
	EXPECT_EQ(acpi_pm_timer_at(279), 0);		/* 0.9987 tick */
	EXPECT_EQ(acpi_pm_timer_at(280), 1);
	/* Ten hours: exact, wrapped to 32 bits, no overflow on the way. */
	EXPECT_EQ(acpi_pm_timer_at(36000ull * 1000000000ull),
		  (uint32_t)(36000ull * PLATFORM_PM_TMR_HZ));
	/* A century of uptime still counts at the same rate. */
	EXPECT_EQ((uint32_t)(acpi_pm_timer_at(3155760000ull * 1000000000ull +
					      1000000000ull) -
			     acpi_pm_timer_at(3155760000ull * 1000000000ull)),
		  PLATFORM_PM_TMR_HZ);
	EXPECT_EQ(acpi_pm_timer_at(UINT64_MAX),
		  (uint32_t)(UINT64_MAX / 1000000000ull * PLATFORM_PM_TMR_HZ +
			     UINT64_MAX % 1000000000ull * PLATFORM_PM_TMR_HZ /
			     1000000000ull));
}

static void test_timer_reads(void)
{
	uint32_t v;

	setup(1234567890123ull);
	v = acpi_pm_timer_at(fk.now);
	EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT, 4), v);
	EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT, 2), v & 0xffff);
	EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT + 2, 2), v >> 16);
	for (unsigned int i = 0; i < 4; i++)
		EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT + i, 1), (v >> (8 * i)) & 0xff);
	/* Unaligned: bytes 1-2 of the timer. */
	EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT + 1, 2), (v >> 8) & 0xffff);
	/* Read-only. */
	wr(PLATFORM_PM_TMR_PORT, 4, 0);
	EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT, 4), v);
	/* It moves with guest time, monotonically. */
	fk.now += 1000;
	EXPECT_EQ(rd(PLATFORM_PM_TMR_PORT, 4), acpi_pm_timer_at(fk.now));
	EXPECT(acpi_pm_timer_at(fk.now) - v == 3 || acpi_pm_timer_at(fk.now) - v == 4);
}

static void test_cnt(void)
{
	setup(0);
	EXPECT_EQ(rd(PLATFORM_PM1A_CNT_PORT, 2), ACPI_PM1_CNT_SCI_EN);
	/* SCI_EN cannot be cleared: this is an ACPI-only platform. */
	wr(PLATFORM_PM1A_CNT_PORT, 2, 0);
	EXPECT_EQ(rd(PLATFORM_PM1A_CNT_PORT, 2), ACPI_PM1_CNT_SCI_EN);
	/* SLP_TYP and BM_RLD stick; GBL_RLS, SLP_EN and reserved do not. */
	wr(PLATFORM_PM1A_CNT_PORT, 2, 0xffff & ~ACPI_PM1_CNT_SLP_EN);
	EXPECT_EQ(rd(PLATFORM_PM1A_CNT_PORT, 2), ACPI_PM1_CNT_SCI_EN |
		  ACPI_PM1_CNT_BM_RLD | ACPI_PM1_CNT_SLP_TYP);
	EXPECT_EQ(rd(PLATFORM_PM1A_CNT_PORT + 1, 1), ACPI_PM1_CNT_SLP_TYP >> 8);
	EXPECT_EQ(fk.shutdowns, 0);
	/* The reserved word after PM1_CNT. */
	EXPECT_EQ(rd(PLATFORM_PM1A_CNT_PORT + 2, 2), 0);
}

static void test_poweroff(void)
{
	/* Linux: one 16-bit write of SLP_TYP, then one with SLP_EN. */
	setup(0);
	wr(PLATFORM_PM1A_CNT_PORT, 2, S5_CNT);
	EXPECT_EQ(fk.shutdowns, 0);
	wr(PLATFORM_PM1A_CNT_PORT, 2, S5_CNT | ACPI_PM1_CNT_SLP_EN);
	EXPECT_EQ(fk.shutdowns, 1);
	EXPECT_EQ(fk.reason, PVKIT_SHUTDOWN_POWEROFF);
	EXPECT_EQ(rd(PLATFORM_PM1A_CNT_PORT, 2) & ACPI_PM1_CNT_SLP_EN, 0);

	/* The high byte alone carries both fields. */
	setup(0);
	wr(PLATFORM_PM1A_CNT_PORT + 1, 1, (S5_CNT | ACPI_PM1_CNT_SLP_EN) >> 8);
	EXPECT_EQ(fk.shutdowns, 1);

	/* A dword write at PM1a_EVT reaches PM1_CNT only from 0x604. */
	setup(0);
	wr(PLATFORM_PM1A_EVT_PORT, 4, 0xffffffff);
	EXPECT_EQ(fk.shutdowns, 0);
	wr(PLATFORM_PM1A_CNT_PORT, 4, S5_CNT | ACPI_PM1_CNT_SLP_EN);
	EXPECT_EQ(fk.shutdowns, 1);

	/* Every other sleep type is not offered and does nothing. */
	for (unsigned int t = 0; t < 8; t++) {
		if (t == PLATFORM_SLP_TYP_S5)
			continue;
		setup(0);
		wr(PLATFORM_PM1A_CNT_PORT, 2,
		   t << ACPI_PM1_CNT_SLP_TYP_SHIFT | ACPI_PM1_CNT_SLP_EN);
		EXPECT_EQ(fk.shutdowns, 0);
	}
	/* SLP_EN with S5 latched earlier but a different type now: no. */
	setup(0);
	wr(PLATFORM_PM1A_CNT_PORT, 2, S5_CNT);
	wr(PLATFORM_PM1A_CNT_PORT, 2, 1u << ACPI_PM1_CNT_SLP_TYP_SHIFT |
	   ACPI_PM1_CNT_SLP_EN);
	EXPECT_EQ(fk.shutdowns, 0);
	/* SLP_EN in the low byte write alone uses the latched type. */
	wr(PLATFORM_PM1A_CNT_PORT + 1, 1, S5_CNT >> 8);
	EXPECT_EQ(fk.shutdowns, 0);
	wr(PLATFORM_PM1A_CNT_PORT + 1, 1, (S5_CNT | ACPI_PM1_CNT_SLP_EN) >> 8);
	EXPECT_EQ(fk.shutdowns, 1);
}

static void test_reset(void)
{
	setup(0);
	EXPECT_EQ(rd(PLATFORM_RESET_PORT, 1), 0);
	for (unsigned int v = 0; v < 256; v++)
		if (v != PLATFORM_RESET_VALUE)
			wr(PLATFORM_RESET_PORT, 1, v);
	EXPECT_EQ(fk.shutdowns, 0);
	wr(PLATFORM_RESET_PORT, 1, PLATFORM_RESET_VALUE);
	EXPECT_EQ(fk.shutdowns, 1);
	EXPECT_EQ(fk.reason, PVKIT_SHUTDOWN_REBOOT);

	/* Wider writes: only the byte lane at the reset port counts. */
	setup(0);
	wr(PLATFORM_RESET_PORT, 2, 0x0100 | PLATFORM_RESET_VALUE);
	EXPECT_EQ(fk.shutdowns, 1);
	wr(PLATFORM_RESET_PORT - 2, 4, (uint64_t)PLATFORM_RESET_VALUE << 16);
	EXPECT_EQ(fk.shutdowns, 2);
	wr(PLATFORM_RESET_PORT - 1, 1, PLATFORM_RESET_VALUE);
	wr(PLATFORM_RESET_PORT + 1, 1, PLATFORM_RESET_VALUE);
	wr(PLATFORM_RESET_PORT - 2, 2, PLATFORM_RESET_VALUE * 0x101u);
	EXPECT_EQ(fk.shutdowns, 2);
}

static void test_status_w1c(void)
{
	setup(0);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2), 0);
	acpi_pm_power_button(&pm);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2), ACPI_PM1_PWRBTN);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT + 1, 1), ACPI_PM1_PWRBTN >> 8);
	/* Writing 0s, or 1s to other bits, leaves it set. */
	wr(PLATFORM_PM1A_EVT_PORT, 2, 0);
	wr(PLATFORM_PM1A_EVT_PORT, 2, ~ACPI_PM1_PWRBTN & 0xffff);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2), ACPI_PM1_PWRBTN);
	/* The status write does not touch PM1_EN when 16 bits wide. */
	wr(PLATFORM_PM1A_EVT_PORT + 2, 2, ACPI_PM1_GBL);
	wr(PLATFORM_PM1A_EVT_PORT, 2, ACPI_PM1_PWRBTN);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2), 0);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT + 2, 2), ACPI_PM1_GBL);
	/* Status bits that no hardware here sets read 0 after init. */
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 4), (uint32_t)ACPI_PM1_GBL << 16);
}

static void test_enable(void)
{
	setup(0);
	wr(PLATFORM_PM1A_EVT_PORT + 2, 2, 0xffff);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT + 2, 2),
		  ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN |
		  ACPI_PM1_SLPBTN | ACPI_PM1_RTC | ACPI_PM1_PCIEXP_WAKE);
	/* Byte writes change one half only. */
	wr(PLATFORM_PM1A_EVT_PORT + 3, 1, 0);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT + 2, 2), ACPI_PM1_TMR | ACPI_PM1_GBL);
	wr(PLATFORM_PM1A_EVT_PORT + 2, 1, 0);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT + 2, 2), 0);
}

static void test_sci_power_button(void)
{
	setup(0);
	/* Not enabled: status only. */
	acpi_pm_power_button(&pm);
	EXPECT_EQ(fk.irq_calls, 0);
	/* Enabling with the status set raises the line. */
	wr(PLATFORM_PM1A_EVT_PORT + 2, 2, ACPI_PM1_PWRBTN);
	EXPECT_EQ(fk.sci, 1);
	EXPECT_EQ(fk.irq_calls, 1);
	/* Clearing the status drops it. */
	wr(PLATFORM_PM1A_EVT_PORT, 2, ACPI_PM1_PWRBTN);
	EXPECT_EQ(fk.sci, 0);
	EXPECT_EQ(fk.irq_calls, 2);
	/* Enabled first, then pressed; disabling drops it. */
	acpi_pm_power_button(&pm);
	EXPECT_EQ(fk.sci, 1);
	acpi_pm_power_button(&pm);
	EXPECT_EQ(fk.irq_calls, 3);	/* level already high: no call */
	wr(PLATFORM_PM1A_EVT_PORT + 2, 2, 0);
	EXPECT_EQ(fk.sci, 0);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2), ACPI_PM1_PWRBTN);
}

static void test_timer_status(void)
{
	uint64_t cross, dl;

	setup(0);
	EXPECT_EQ(acpi_pm_ops.next_deadline(&pm.dev), UINT64_MAX);
	wr(PLATFORM_PM1A_EVT_PORT + 2, 2, ACPI_PM1_TMR);
	dl = acpi_pm_ops.next_deadline(&pm.dev);
	/* Bit 31 of the timer toggles after 2^31 ticks, about 600 s. */
	EXPECT(dl > 599ull * 1000000000ull && dl < 601ull * 1000000000ull);
	cross = dl;
	EXPECT_EQ(acpi_pm_timer_at(cross - 1), 0x7fffffffu);
	EXPECT_EQ(acpi_pm_timer_at(cross), 0x80000000u);
	fk.now = cross - 1;
	acpi_pm_ops.poll(&pm.dev, fk.now);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2) & ACPI_PM1_TMR, 0);
	EXPECT_EQ(fk.sci, 0);
	fk.now = cross;
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2) & ACPI_PM1_TMR, ACPI_PM1_TMR);
	acpi_pm_ops.poll(&pm.dev, fk.now);
	EXPECT_EQ(fk.sci, 1);
	/* Set: no deadline until it is cleared. */
	EXPECT_EQ(acpi_pm_ops.next_deadline(&pm.dev), UINT64_MAX);
	wr(PLATFORM_PM1A_EVT_PORT, 2, ACPI_PM1_TMR);
	EXPECT_EQ(fk.sci, 0);
	EXPECT_EQ(rd(PLATFORM_PM1A_EVT_PORT, 2) & ACPI_PM1_TMR, 0);
	dl = acpi_pm_ops.next_deadline(&pm.dev);
	EXPECT_EQ(acpi_pm_timer_at(dl), 0);		/* the wrap */
	EXPECT_EQ(acpi_pm_timer_at(dl - 1), 0xffffffffu);
}

static void test_bad_accesses(void)
{
	struct io_access io = { .addr = PM - 1, .size = 1 };

	setup(0);
	EXPECT_EQ(acpi_pm_ops.pio(&pm.dev, &io), -PVKIT_EINVAL);
	io.addr = PM + PLATFORM_PM_PORTS;
	EXPECT_EQ(acpi_pm_ops.pio(&pm.dev, &io), -PVKIT_EINVAL);
	io.addr = 0;
	EXPECT_EQ(acpi_pm_ops.pio(&pm.dev, &io), -PVKIT_EINVAL);
	/* Reserved bytes read 0; past the block's end the bus floats. */
	EXPECT_EQ(rd(PM + 0xd, 1), 0);
	EXPECT_EQ(rd(PM + 0xe, 2), 0);
	EXPECT_EQ(rd(PM + 0xe, 4), 0xffff0000u);
	EXPECT_EQ(rd(PM + 0xf, 4), 0xffffff00u);
	wr(PM + 0xd, 1, 0xff);
	wr(PM + 0xf, 4, 0xffffffff);
	EXPECT_EQ(rd(PM + 0xc, 4), 0);
	/* Widths no port instruction has. */
	EXPECT_EQ(rd(PM, 8), ~0ull);
	EXPECT_EQ(rd(PM, 3), ~0ull);
	EXPECT_EQ(rd(PM, 0), ~0ull);
	wr(PM + 4, 8, ~0ull);
	EXPECT_EQ(fk.shutdowns, 0);
}

/* Random hostile accesses: invariants hold and nothing else happens. */
static void test_random_storm(void)
{
	static const uint8_t sizes[] = { 1, 2, 4, 8, 3, 0 };
	unsigned int seed = 12345;

	setup(0);
	for (unsigned int i = 0; i < 200000; i++) {
		struct io_access io;
		unsigned int expect_off;
		unsigned int before = fk.shutdowns;
		uint16_t en, cnt;

		seed = seed * 1103515245u + 12345u;
		io.addr = PM + (seed >> 8) % (PLATFORM_PM_PORTS + 2);
		io.size = sizes[(seed >> 20) % ARRAY_SIZE(sizes)];
		io.write = seed & 1;
		io.val = ((uint64_t)seed << 32) ^ (seed * 2654435761u);
		fk.now += seed % 100000;
		expect_off = io.addr >= PM + PLATFORM_PM_PORTS;
		EXPECT_EQ(acpi_pm_ops.pio(&pm.dev, &io),
			  expect_off ? -PVKIT_EINVAL : 0);
		en = (uint16_t)rd(PLATFORM_PM1A_EVT_PORT + 2, 2);
		cnt = (uint16_t)rd(PLATFORM_PM1A_CNT_PORT, 2);
		EXPECT_EQ(en & ~(ACPI_PM1_TMR | ACPI_PM1_GBL | ACPI_PM1_PWRBTN |
				 ACPI_PM1_SLPBTN | ACPI_PM1_RTC |
				 ACPI_PM1_PCIEXP_WAKE), 0);
		EXPECT_EQ(cnt & ~(ACPI_PM1_CNT_SCI_EN | ACPI_PM1_CNT_BM_RLD |
				  ACPI_PM1_CNT_SLP_TYP), 0);
		EXPECT(cnt & ACPI_PM1_CNT_SCI_EN);
		/* Reads never shut down; the line follows status & enable. */
		if (!io.write)
			EXPECT_EQ(fk.shutdowns, before);
		acpi_pm_ops.poll(&pm.dev, fk.now);
		EXPECT_EQ(fk.sci, !!(rd(PLATFORM_PM1A_EVT_PORT, 2) & en &
				     (ACPI_PM1_TMR | ACPI_PM1_PWRBTN)));
		if (seed % 1000 == 0)
			acpi_pm_power_button(&pm);
		if (ktap_case_failures)
			break;
	}
	ktap_diag("%u shutdown requests in the storm", fk.shutdowns);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_timer_rate),
	KTAP_CASE(test_timer_reads),
	KTAP_CASE(test_cnt),
	KTAP_CASE(test_poweroff),
	KTAP_CASE(test_reset),
	KTAP_CASE(test_status_w1c),
	KTAP_CASE(test_enable),
	KTAP_CASE(test_sci_power_button),
	KTAP_CASE(test_timer_status),
	KTAP_CASE(test_bad_accesses),
	KTAP_CASE(test_random_storm),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
