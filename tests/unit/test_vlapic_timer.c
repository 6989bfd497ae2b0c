// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC in x2APIC mode and its timer: one-shot, periodic and
 * TSC-deadline, through MMIO and through the MSRs as Linux uses them.
 */
#include <stdint.h>
#include <string.h>
#include "vlapic_fake.h"

void test_x2apic(void)
{
	struct vlapic *l = &cpu[0].l, *t = &cpu[1].l;
	uint64_t v;

	domain(0);
	/* Not advertised: EXTD is reserved. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00c00), -1);
	EXPECT_EQ(vlapic_msr_read(l, 0x802, &v), -1);
	domain(VLAPIC_F_X2APIC);
	/* Invalid transitions. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00400), -1);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00000), 0);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00c00), -1);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00800), 0);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE,
				   0xfee00800 | (1ull << 60)), -1);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00a00), -1);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00c00), 0);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00800), -1);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_APIC_BASE, &v), 0);
	EXPECT_EQ(v, 0xfee00d00);
	EXPECT(!vlapic_mmio_base(l, &v));
	EXPECT_EQ(rd(l, 0x30), 0xffffffff);	/* the page is gone */
	EXPECT_EQ(vlapic_msr_write(t, MSR_IA32_APIC_BASE, 0xfee00c00), 0);
	EXPECT_EQ(vlapic_msr_read(t, 0x802, &v), 0);
	EXPECT_EQ(v, 1);
	EXPECT_EQ(vlapic_msr_read(t, 0x80d, &v), 0);
	EXPECT_EQ(v, 2);			/* cluster 0, bit 1 */
	EXPECT_EQ(vlapic_msr_read(t, 0x803, &v), 0);
	EXPECT_EQ(v, 0x00050014);
	/* Gone in x2APIC mode, read-only, write-only. */
	EXPECT_EQ(vlapic_msr_read(t, 0x80e, &v), -1);	/* DFR */
	EXPECT_EQ(vlapic_msr_read(t, 0x831, &v), -1);	/* ICR2 */
	EXPECT_EQ(vlapic_msr_read(t, 0x80b, &v), -1);	/* EOI */
	EXPECT_EQ(vlapic_msr_read(t, 0x83f, &v), -1);	/* SELF_IPI */
	EXPECT_EQ(vlapic_msr_read(t, 0x82f, &v), -1);	/* no CMCI */
	EXPECT_EQ(vlapic_msr_write(t, 0x802, 5), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x80d, 5), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x80a, 0), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x80b, 1), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x828, 1), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x808, 1ull << 32), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x80f, 0x1ff), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x80f, 0x1ff), 0);
	/* 64-bit ICR, physical then logical (cluster 0, member bit 1). */
	EXPECT_EQ(vlapic_msr_write(l, 0x830, (1ull << 32) | 0x51), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x830, &v), 0);
	EXPECT_EQ(v, (1ull << 32) | 0x51);
	EXPECT_EQ(take(t), 0x51);
	EXPECT_EQ(vlapic_msr_write(t, 0x80b, 0), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x830, (2ull << 32) | 0x800 | 0x52), 0);
	EXPECT_EQ(take(t), 0x52);
	EXPECT_EQ(vlapic_msr_write(t, 0x80b, 0), 0);
	/* A 32-bit broadcast. */
	EXPECT_EQ(vlapic_msr_write(l, 0x830, (0xffffffffull << 32) | 0x53),
		  0);
	EXPECT_EQ(take(t), 0x53);
	EXPECT_EQ(take(l), 0x53);
	/* SELF_IPI. */
	EXPECT_EQ(vlapic_msr_write(l, 0x83f, 0x61), 0);
	EXPECT_EQ(take(l), 0x61);
	EXPECT_EQ(vlapic_msr_write(l, 0x83f, 0x3), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x828, &v), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x828, 0), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x828, &v), 0);
	EXPECT_EQ(v, 0x20);
	/* The IOAPIC's 8-bit messages still reach an x2APIC by ID. */
	{
		struct apic_msg m = { .dest = 1, .vector = 0x70 };

		EXPECT(vlapic_accept(t, &m));
		EXPECT_EQ(take(t), 0x70);
		m.dest = 0xff;
		EXPECT(vlapic_accept(t, &m));
	}
	/* x2APIC -> disabled -> xAPIC: reset, back to MMIO. */
	EXPECT_EQ(vlapic_msr_write(t, MSR_IA32_APIC_BASE, 0xfee00000), 0);
	EXPECT_EQ(vlapic_msr_write(t, MSR_IA32_APIC_BASE, 0xfee00800), 0);
	EXPECT_EQ(rd(t, 0xf0), 0xff);
	EXPECT_EQ(rd(t, 0xd0), 0);
	EXPECT_EQ(vlapic_msr_read(t, 0x802, &v), -1);
	/* Not APIC MSRs at all. */
	EXPECT_EQ(vlapic_msr_read(l, 0x7ff, &v), -1);
	EXPECT_EQ(vlapic_msr_read(l, 0x900, &v), -1);
	EXPECT_EQ(vlapic_msr_write(l, 0x6e0, 1), -1);	/* no TSC deadline */
}

/* What Linux does in x2APIC mode: timer, EOI and IPIs all through MSRs. */
void test_x2apic_msr_interface(void)
{
	struct vlapic *l = &cpu[0].l, *t = &cpu[1].l;
	uint64_t v;

	domain(VLAPIC_F_X2APIC);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00d00), 0);
	EXPECT_EQ(vlapic_msr_write(t, MSR_IA32_APIC_BASE, 0xfee00c00), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x80f, 0x1ff), 0);	/* SVR */
	EXPECT_EQ(vlapic_msr_write(t, 0x80f, 0x1ff), 0);
	/* One-shot timer: LVTT, TDCR, TMICT; TMCCT is read-only. */
	EXPECT_EQ(vlapic_msr_write(l, 0x83e, 0xb), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x832, 0xec), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x838, 500), 0);
	EXPECT_EQ(vlapic_next_deadline(l), fake_now + 500);
	fake_now += 100;
	EXPECT_EQ(vlapic_msr_read(l, 0x839, &v), 0);
	EXPECT_EQ(v, 400);
	EXPECT_EQ(vlapic_msr_write(l, 0x839, 1), -1);
	EXPECT_EQ(vlapic_msr_read(l, 0x838, &v), 0);
	EXPECT_EQ(v, 500);
	fake_now += 400;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), 0xec);
	/* In service until the EOI MSR; ISR and PPR show it. */
	EXPECT_EQ(vlapic_msr_read(l, 0x817, &v), 0);	/* ISR 0xe0..0xff */
	EXPECT_EQ(v, 1u << (0xec & 31));
	EXPECT_EQ(vlapic_msr_read(l, 0x80a, &v), 0);
	EXPECT_EQ(v, 0xe0);
	EXPECT_EQ(vlapic_msr_write(l, 0x80b, 0), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x817, &v), 0);
	EXPECT_EQ(v, 0);
	/* TPR masks by class through its MSR too. */
	EXPECT_EQ(vlapic_msr_write(l, 0x808, 0x70), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x83f, 0x65), 0);
	EXPECT_EQ(vlapic_pending_vector(l), -1);
	EXPECT_EQ(vlapic_msr_write(l, 0x808, 0), 0);
	EXPECT_EQ(take(l), 0x65);
	EXPECT_EQ(vlapic_msr_write(l, 0x80b, 0), 0);
	/* Linux's IPIs: physical to one, all-but-self, self. */
	EXPECT_EQ(vlapic_msr_write(l, 0x830, (1ull << 32) | 0x4000 | 0xf1), 0);
	EXPECT_EQ(take(t), 0xf1);
	EXPECT_EQ(vlapic_msr_write(t, 0x80b, 0), 0);
	EXPECT_EQ(take(l), -1);
	EXPECT_EQ(vlapic_msr_write(l, 0x830, 0xc0000 | 0x4000 | 0xf2), 0);
	EXPECT_EQ(take(t), 0xf2);
	EXPECT_EQ(vlapic_msr_write(t, 0x80b, 0), 0);
	EXPECT_EQ(take(l), -1);
	EXPECT_EQ(vlapic_msr_write(t, 0x830, 0x40000 | 0xf3), 0);
	EXPECT_EQ(take(t), 0xf3);
	EXPECT_EQ(vlapic_msr_write(t, 0x80b, 0), 0);
	/* An x2APIC IPI with an illegal vector is an error, not a message. */
	EXPECT_EQ(vlapic_msr_write(l, 0x830, (1ull << 32) | 0x05), 0);
	EXPECT_EQ(take(t), -1);
	EXPECT_EQ(vlapic_msr_write(l, 0x828, 0), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x828, &v), 0);
	EXPECT_EQ(v, 0x20);
	/* x2APIC NMI IPI. */
	EXPECT_EQ(vlapic_msr_write(l, 0x830, (1ull << 32) | 0x400), 0);
	{
		int vec;

		EXPECT_EQ(vlapic_pending_intr(t, false, &vec), VLAPIC_INTR_NMI);
	}
}

/* TSC_DEADLINE at 2 GHz: guest TSC 2 * ns in this fake. */
void test_tsc_deadline(void)
{
	struct vlapic *l = &cpu[0].l;
	uint64_t v;

	/* Not offered: the MSR is #GP and LVT timer mode 2 is not there. */
	domain(0);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), -1);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE, 1), -1);
	wr(l, 0x320, 0x400ec);
	EXPECT_EQ(rd(l, 0x320), 0xec);

	domain(VLAPIC_F_TSC_DEADLINE);
	/* Other modes: reads 0, writes ignored. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE, 5000), 0);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	wr(l, 0x320, 0x400ec);
	EXPECT_EQ(rd(l, 0x320), 0x400ec);
	/* The count registers do nothing in this mode. */
	wr(l, 0x380, 100);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	EXPECT_EQ(rd(l, 0x390), 0);
	/* Armed: fires once at the deadline, then reads 0. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 3000)), 0);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), 0);
	EXPECT_EQ(v, 2 * (fake_now + 3000));
	EXPECT_EQ(vlapic_next_deadline(l), fake_now + 3000);
	fake_now += 2999;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), -1);
	fake_now += 1;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(got(l), 0xec);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	fake_now += 1000000;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), -1);
	/* A deadline in the past fires at the next poll. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE, 2), 0);
	EXPECT(vlapic_next_deadline(l) <= fake_now);
	vlapic_poll(l, fake_now);
	EXPECT_EQ(got(l), 0xec);
	/* Moved later, then disarmed by 0. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 10)), 0);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 90)), 0);
	EXPECT_EQ(vlapic_next_deadline(l), fake_now + 90);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE, 0), 0);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	fake_now += 100;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), -1);
	/* Masked: expires (reads 0) without an interrupt. */
	wr(l, 0x320, 0x500ec);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 10)), 0);
	fake_now += 10;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), -1);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), 0);
	EXPECT_EQ(v, 0);
	/* Leaving the mode disarms; so does entering it. */
	wr(l, 0x320, 0x400ec);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 10)), 0);
	wr(l, 0x320, 0xec);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	wr(l, 0x320, 0x400ec);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), 0);
	EXPECT_EQ(v, 0);
	wr(l, 0x320, 0xec);
	wr(l, 0x380, 1000);
	EXPECT(vlapic_next_deadline(l) != UINT64_MAX);
	wr(l, 0x320, 0x400ec);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	EXPECT_EQ(rd(l, 0x380), 0);
	/* Same mode again keeps it armed. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 10)), 0);
	wr(l, 0x320, 0x400ed);
	EXPECT_EQ(vlapic_next_deadline(l), fake_now + 10);
	/* Mode 3 is reserved: one-shot here, so leaving deadline disarms. */
	wr(l, 0x320, 0x600ec);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	/* INIT and a global disable clear the deadline. */
	wr(l, 0x320, 0x400ec);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 10)), 0);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00100), 0);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	EXPECT_EQ(vlapic_msr_read(l, MSR_IA32_TSC_DEADLINE, &v), 0);
	EXPECT_EQ(v, 0);
}

/* Both at once, as a Linux guest gets them: deadline timer in x2APIC mode. */
void test_tsc_deadline_x2apic(void)
{
	struct vlapic *l = &cpu[0].l;
	uint64_t v;

	domain(VLAPIC_F_X2APIC | VLAPIC_F_TSC_DEADLINE);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00d00), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x80f, 0x1ff), 0);
	EXPECT_EQ(vlapic_msr_write(l, 0x832, 0x400ec), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x832, &v), 0);
	EXPECT_EQ(v, 0x400ec);
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_TSC_DEADLINE,
				   2 * (fake_now + 40)), 0);
	fake_now += 40;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), 0xec);
	EXPECT_EQ(vlapic_msr_write(l, 0x80b, 0), 0);
	EXPECT_EQ(vlapic_pending_vector(l), -1);
	/* Reserved bits above the mode stay refused. */
	EXPECT_EQ(vlapic_msr_write(l, 0x832, 0x800ec), 0);
	EXPECT_EQ(vlapic_msr_read(l, 0x832, &v), 0);
	EXPECT_EQ(v, 0xec);
}

void test_timer_oneshot(void)
{
	struct vlapic *l = &cpu[0].l;

	domain(0);
	wr(l, 0x3e0, 0x3);		/* divide by 16 */
	wr(l, 0x320, 0xec);		/* one-shot, vector 0xec */
	wr(l, 0x380, 1000);
	EXPECT_EQ(vlapic_next_deadline(l), 1000 + 16000);
	EXPECT_EQ(rd(l, 0x390), 1000);
	fake_now += 1600;
	EXPECT_EQ(rd(l, 0x390), 900);
	vlapic_poll(l, fake_now);
	EXPECT_EQ(vlapic_pending_vector(l), -1);
	fake_now = 1000 + 16000;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), 0xec);
	EXPECT_EQ(rd(l, 0x390), 0);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	fake_now += 1000000;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), -1);
	/* Divide by 1 (0b1011); stopping with TMICT 0. */
	wr(l, 0x3e0, 0xb);
	wr(l, 0x380, 50);
	EXPECT_EQ(vlapic_next_deadline(l), fake_now + 50);
	wr(l, 0x380, 0);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	EXPECT_EQ(rd(l, 0x390), 0);
	/* Divide change mid-count keeps the count. */
	wr(l, 0x3e0, 0x0);		/* by 2 */
	wr(l, 0x380, 100);
	fake_now += 100;
	EXPECT_EQ(rd(l, 0x390), 50);
	wr(l, 0x3e0, 0x1);		/* by 4 */
	EXPECT_EQ(rd(l, 0x390), 50);
	EXPECT_EQ(vlapic_next_deadline(l), fake_now + 200);
	/* Masked: counts and expires, no interrupt. */
	wr(l, 0x320, 0x100ec);
	fake_now += 200;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), -1);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
}

void test_timer_periodic(void)
{
	struct vlapic *l = &cpu[0].l;
	uint64_t t0;

	domain(0);
	wr(l, 0x3e0, 0xb);
	wr(l, 0x320, 0x20000 | 0xef);
	t0 = fake_now;
	wr(l, 0x380, 4000000);		/* 4 ms at 1 GHz */
	fake_now = t0 + 4000000;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), 0xef);
	wr(l, 0xb0, 0);
	EXPECT_EQ(vlapic_next_deadline(l), t0 + 8000000);
	fake_now = t0 + 5000000;
	EXPECT_EQ(rd(l, 0x390), 3000000);
	/* Ten missed periods coalesce into one interrupt. */
	fake_now = t0 + 44500000;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(got(l), 0xef);
	EXPECT_EQ(take(l), -1);
	EXPECT_EQ(vlapic_next_deadline(l), t0 + 48000000);
	/* A one-count period is stretched to the minimum. */
	t0 = fake_now;
	wr(l, 0x380, 1);
	EXPECT_EQ(vlapic_next_deadline(l), t0 + VLAPIC_MIN_PERIOD_NS);
	/* Periodic -> one-shot while armed. */
	wr(l, 0x380, 1000);
	wr(l, 0x320, 0xef);
	fake_now += 1000;
	vlapic_poll(l, fake_now);
	EXPECT_EQ(take(l), 0xef);
	EXPECT_EQ(vlapic_next_deadline(l), UINT64_MAX);
	/* Linux's calibration: periodic, masked, 0xffffffff / 16 at /16. */
	wr(l, 0x320, 0x30000 | 0xec);
	wr(l, 0x3e0, 0x3);
	wr(l, 0x380, 0xffffffffu / 16);
	fake_now += 16 * 1000;
	EXPECT_EQ(rd(l, 0x390), 0xffffffffu / 16 - 1000);
}
