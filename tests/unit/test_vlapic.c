// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC: xAPIC registers, hostile accesses, priorities,
 * IPIs through the router, INIT/SIPI, level-triggered EOI, and IPIs from
 * other threads racing the owner.  x2APIC mode and the timer are in
 * test_vlapic_timer.c, the fake domain in vlapic_fake.c.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ktap.h"
#include "vlapic_fake.h"

static void test_reset_state(void)
{
	struct vlapic *bsp = &cpu[0].l, *ap = &cpu[1].l;
	uint64_t v;

	domain(0);
	EXPECT_EQ(rd(bsp, 0x20), 0);
	EXPECT_EQ(rd(ap, 0x20), 1u << 24);
	EXPECT_EQ(rd(bsp, 0x30), 0x00050014);
	EXPECT_EQ(rd(bsp, 0xf0), 0x1ff);	/* firmware's virtual wire */
	EXPECT_EQ(rd(bsp, 0x350), 0x700);	/* LINT0 ExtINT */
	EXPECT_EQ(rd(bsp, 0x360), 0x400);	/* LINT1 NMI */
	EXPECT_EQ(rd(ap, 0xf0), 0xff);
	EXPECT_EQ(rd(ap, 0x350), 0x10000);
	EXPECT_EQ(rd(ap, 0x320), 0x10000);
	EXPECT_EQ(rd(ap, 0xe0), 0xffffffff);
	EXPECT_EQ(rd(ap, 0x80), 0);
	EXPECT(vlapic_waiting_for_sipi(ap));
	EXPECT(!vlapic_waiting_for_sipi(bsp));
	EXPECT_EQ(vlapic_msr_read(bsp, MSR_IA32_APIC_BASE, &v), 0);
	EXPECT_EQ(v, 0xfee00900);
	EXPECT_EQ(vlapic_msr_read(ap, MSR_IA32_APIC_BASE, &v), 0);
	EXPECT_EQ(v, 0xfee00800);
	EXPECT_EQ(vlapic_next_deadline(bsp), UINT64_MAX);
	EXPECT_EQ(vlapic_pending_vector(bsp), -1);
}

static void test_mmio_hostile(void)
{
	struct vlapic *l = &cpu[0].l;
	uint64_t v;
	unsigned int off;

	domain(0);
	/* Not the first dword of a register, or not 32 bits: 0 / dropped. */
	v = 0xff;
	EXPECT_EQ(access(l, 0x84, 4, true, &v), 0);
	EXPECT_EQ(rd(l, 0x80), 0);
	EXPECT_EQ(access(l, 0x80, 1, true, &v), 0);
	EXPECT_EQ(access(l, 0x80, 8, true, &v), 0);
	EXPECT_EQ(access(l, 0x80, 2, true, &v), 0);
	EXPECT_EQ(rd(l, 0x80), 0);
	EXPECT_EQ(access(l, 0x30, 1, false, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(access(l, 0x30, 8, false, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(access(l, 0x32, 4, false, &v), 0);
	EXPECT_EQ(v, 0);
	/* Outside the page is not ours. */
	EXPECT_EQ(access(l, 0x1000, 4, false, &v), -1);
	/* Reserved registers read 0 and report an illegal register. */
	EXPECT_EQ(esr(l), 0);
	EXPECT_EQ(rd(l, 0x2f0), 0);
	EXPECT_EQ(rd(l, 0x400), 0);
	EXPECT_EQ(rd(l, 0x3f0), 0);
	EXPECT_EQ(esr(l), 0x80);
	EXPECT_EQ(esr(l), 0);
	/* Read-only registers ignore writes. */
	wr(l, 0x20, 0x55000000);
	wr(l, 0x30, 0);
	wr(l, 0x200, 0xffffffff);
	wr(l, 0x390, 1234);
	EXPECT_EQ(rd(l, 0x20), 0);
	EXPECT_EQ(rd(l, 0x30), 0x00050014);
	EXPECT_EQ(rd(l, 0x200), 0);
	EXPECT_EQ(rd(l, 0x390), 0);
	EXPECT_EQ(esr(l), 0);
	/* Reserved bits are dropped. */
	wr(l, 0x80, 0xffffffff);
	EXPECT_EQ(rd(l, 0x80), 0xff);
	wr(l, 0xd0, 0xffffffff);
	EXPECT_EQ(rd(l, 0xd0), 0xff000000);
	wr(l, 0xe0, 0x0);
	EXPECT_EQ(rd(l, 0xe0), 0x0fffffff);
	wr(l, 0xf0, 0xffffffff);
	EXPECT_EQ(rd(l, 0xf0), 0x3ff);
	wr(l, 0x320, 0xffffffff);
	EXPECT_EQ(rd(l, 0x320), 0x300ff);
	wr(l, 0x350, 0xffffffff);
	EXPECT_EQ(rd(l, 0x350), 0x1a7ff);
	wr(l, 0x370, 0xffffffff);
	EXPECT_EQ(rd(l, 0x370), 0x100ff);
	wr(l, 0x3e0, 0xffffffff);
	EXPECT_EQ(rd(l, 0x3e0), 0xb);
	wr(l, 0x310, 0xffffffff);
	EXPECT_EQ(rd(l, 0x310), 0xff000000);
	/* Every offset and size: nothing crashes, nothing is left out. */
	for (off = 0; off < 0x1000; off++) {
		v = 0;
		EXPECT_EQ(access(l, off, 4, false, &v), 0);
		EXPECT_EQ(access(l, off, 1, false, &v), 0);
	}
}

static void test_priorities(void)
{
	struct vlapic *l = &cpu[0].l;

	domain(0);
	/* Self IPIs (shorthand self) of three classes. */
	wr(l, 0x300, 0x40000 | 0x41);
	wr(l, 0x300, 0x40000 | 0x91);
	wr(l, 0x300, 0x40000 | 0x95);
	EXPECT_EQ(rd(l, 0x200 + 0x10 * (0x91 / 32)), (1u << (0x91 % 32)) |
		  (1u << (0x95 % 32)));
	EXPECT_EQ(vlapic_pending_vector(l), 0x95);
	/* TPR at the 0x9x class blocks 0x95 and 0x41. */
	wr(l, 0x80, 0x90);
	EXPECT_EQ(rd(l, 0xa0), 0x90);
	EXPECT_EQ(vlapic_pending_vector(l), -1);
	EXPECT_EQ(vlapic_get_cr8(l), 9);
	vlapic_set_cr8(l, 0);
	EXPECT_EQ(rd(l, 0x80), 0);
	EXPECT_EQ(take(l), 0x95);
	EXPECT_EQ(rd(l, 0xa0), 0x90);
	/* The same class waits for EOI; PPR follows ISR. */
	EXPECT_EQ(vlapic_pending_vector(l), -1);
	wr(l, 0xb0, 0);
	EXPECT_EQ(rd(l, 0xa0), 0);
	EXPECT_EQ(take(l), 0x91);
	EXPECT_EQ(rd(l, 0x100 + 0x10 * (0x91 / 32)), 1u << (0x91 % 32));
	/* A higher class nests. */
	wr(l, 0x300, 0x40000 | 0xe0);
	EXPECT_EQ(take(l), 0xe0);
	wr(l, 0xb0, 0);		/* EOI pops the highest: 0xe0 */
	EXPECT_EQ(rd(l, 0xa0), 0x90);
	wr(l, 0xb0, 0);
	EXPECT_EQ(take(l), 0x41);
	wr(l, 0xb0, 0);
	wr(l, 0xb0, 0);		/* EOI with nothing in service: ignored */
	EXPECT_EQ(take(l), -1);
	EXPECT_EQ(cpu[0].eois, 0);	/* all edge: nothing broadcast */
}

static void test_pending_intr_api(void)
{
	struct vlapic *l = &cpu[0].l;
	int v = -1;

	domain(0);
	wr(l, 0x350, 0x10700);		/* LINT0 masked: no ExtINT */
	wr(l, 0x300, 0x40000 | 0x33);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_FIXED);
	EXPECT_EQ(v, 0x33);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_FIXED, 0x33), 0x33);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_FIXED, 0x33), -1);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_NONE);
	/* NMI IPI from another CPU comes before everything. */
	wr(&cpu[1].l, 0xf0, 0x1ff);
	wr(&cpu[1].l, 0x310, 0);
	wr(&cpu[1].l, 0x300, 0x400);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_NMI);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_NMI, 0), 2);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_NONE);
	EXPECT(cpu[0].kicks > 0);
}

static void test_illegal_vectors(void)
{
	struct vlapic *l = &cpu[0].l, *t = &cpu[1].l;
	struct apic_msg m = { .dest = 1, .vector = 7 };

	domain(0);
	enable(t);
	wr(l, 0x370, 0xfe);		/* error LVT on BSP */
	wr(l, 0x310, 1u << 24);
	wr(l, 0x300, 0x05);		/* fixed vector 5 to CPU 1 */
	EXPECT_EQ(vlapic_pending_vector(t), -1);
	EXPECT_EQ(take(l), 0xfe);	/* the error interrupt */
	wr(l, 0xb0, 0);
	EXPECT_EQ(esr(l), 0x20);
	EXPECT_EQ(esr(l), 0);
	/* Received: the IOAPIC or a hostile sender with vector 7. */
	EXPECT(vlapic_accept(t, &m));
	EXPECT_EQ(vlapic_pending_vector(t), -1);
	EXPECT_EQ(esr(t), 0x40);
	/* An error LVT with an illegal vector does not recurse. */
	wr(t, 0x370, 0x03);
	EXPECT(vlapic_accept(t, &m));
	EXPECT_EQ(esr(t), 0x40);
	EXPECT_EQ(vlapic_pending_vector(t), -1);
	/* Lowest-priority with a bad vector: ESR too. */
	wr(l, 0x300, 0x100 | 0x0f);
	EXPECT_EQ(esr(l), 0x20);
	/* SMI, ExtINT and reserved IPIs are dropped silently. */
	wr(l, 0x300, 0x200 | 0x40);
	wr(l, 0x300, 0x300 | 0x40);
	wr(l, 0x300, 0x700 | 0x40);
	EXPECT_EQ(vlapic_pending_vector(t), -1);
	EXPECT_EQ(esr(l), 0);
	/* Delivery status always reads idle. */
	EXPECT_EQ(rd(l, 0x300) & 0x1000, 0);
}

static void test_ipi_destinations(void)
{
	struct vlapic *s = &cpu[0].l;
	unsigned int i;

	domain(0);
	for (i = 1; i < NCPU; i++)
		enable(&cpu[i].l);
	/* Physical. */
	wr(s, 0x310, 2u << 24);
	wr(s, 0x300, 0x40);
	EXPECT_EQ(got(&cpu[2].l), 0x40);
	EXPECT_EQ(got(&cpu[1].l), -1);
	EXPECT_EQ(got(&cpu[3].l), -1);
	/* Physical broadcast 0xff reaches all including self. */
	wr(s, 0x310, 0xffu << 24);
	wr(s, 0x300, 0x41);
	for (i = 0; i < NCPU; i++)
		EXPECT_EQ(got(&cpu[i].l), 0x41);
	/* Logical flat: LDR bit per CPU, the way Linux sets it up. */
	for (i = 0; i < NCPU; i++) {
		wr(&cpu[i].l, 0xe0, 0xffffffff);
		wr(&cpu[i].l, 0xd0, (1u << i) << 24);
	}
	wr(s, 0x310, 0x0au << 24);	/* CPUs 1 and 3 */
	wr(s, 0x300, 0x800 | 0x42);
	EXPECT_EQ(got(&cpu[1].l), 0x42);
	EXPECT_EQ(got(&cpu[3].l), 0x42);
	EXPECT_EQ(got(&cpu[2].l), -1);
	EXPECT_EQ(got(&cpu[0].l), -1);
	/* Logical cluster: cluster 1 members 0x3. */
	for (i = 0; i < NCPU; i++) {
		wr(&cpu[i].l, 0xe0, 0x0fffffff);
		wr(&cpu[i].l, 0xd0, ((i < 2 ? 0x10 : 0x20) | (1u << (i & 1)))
		   << 24);
	}
	wr(s, 0x310, 0x13u << 24);
	wr(s, 0x300, 0x800 | 0x43);
	EXPECT_EQ(got(&cpu[0].l), 0x43);
	EXPECT_EQ(got(&cpu[1].l), 0x43);
	EXPECT_EQ(got(&cpu[2].l), -1);
	/* Shorthands: all-but-self, all. */
	wr(s, 0x300, 0xc0000 | 0x44);
	EXPECT_EQ(got(&cpu[0].l), -1);
	for (i = 1; i < NCPU; i++)
		EXPECT_EQ(got(&cpu[i].l), 0x44);
	wr(s, 0x300, 0x80000 | 0x45);
	for (i = 0; i < NCPU; i++)
		EXPECT_EQ(got(&cpu[i].l), 0x45);
	/* Lowest priority: exactly one, the lowest TPR. */
	wr(&cpu[1].l, 0x80, 0x20);
	wr(&cpu[2].l, 0x80, 0x00);
	wr(&cpu[3].l, 0x80, 0x30);
	wr(s, 0x80, 0x40);
	wr(s, 0x310, 0xffu << 24);
	wr(s, 0x300, 0x900 | 0x46);	/* logical broadcast, lowest */
	EXPECT_EQ(got(&cpu[2].l), 0x46);
	EXPECT_EQ(got(&cpu[1].l), -1);
	EXPECT_EQ(got(&cpu[3].l), -1);
	EXPECT_EQ(vlapic_pending_vector(&cpu[0].l), -1);
	/* A software-disabled LAPIC drops fixed interrupts. */
	wr(&cpu[3].l, 0xf0, 0xff);
	wr(s, 0x300, 0xc0000 | 0x47);
	EXPECT_EQ(got(&cpu[3].l), -1);
	EXPECT_EQ(rd(&cpu[3].l, 0x320) & 0x10000, 0x10000);
	/* And a globally disabled one takes nothing at all. */
	EXPECT_EQ(vlapic_msr_write(&cpu[2].l, MSR_IA32_APIC_BASE,
				   0xfee00000), 0);
	wr(s, 0x300, 0xc0000 | 0x48);
	EXPECT_EQ(got(&cpu[2].l), -1);
	EXPECT_EQ(got(&cpu[1].l), 0x48);
}

static void test_init_sipi(void)
{
	struct vlapic *s = &cpu[0].l, *ap = &cpu[1].l;
	uint8_t vec = 0;

	domain(0);
	/* A SIPI before any INIT: the AP is waiting at power-on. */
	enable(ap);
	wr(ap, 0x80, 0x50);
	wr(s, 0x310, 1u << 24);
	/* Linux: INIT assert, INIT de-assert, SIPI, SIPI. */
	wr(s, 0x300, 0xc500);
	EXPECT(vlapic_take_init(ap));
	EXPECT(!vlapic_take_init(ap));
	EXPECT_EQ(rd(ap, 0x80), 0);	/* INIT reset the LAPIC */
	EXPECT_EQ(rd(ap, 0xf0), 0xff);
	EXPECT_EQ(rd(ap, 0x20), 1u << 24);
	wr(s, 0x300, 0x8500);		/* de-assert: nothing */
	EXPECT(!vlapic_take_init(ap));
	EXPECT(vlapic_waiting_for_sipi(ap));
	wr(s, 0x300, 0x600 | 0x9a);
	EXPECT(vlapic_take_sipi(ap, &vec));
	EXPECT_EQ(vec, 0x9a);
	EXPECT(!vlapic_waiting_for_sipi(ap));
	wr(s, 0x300, 0x600 | 0x9b);	/* the second SIPI: ignored */
	EXPECT(!vlapic_take_sipi(ap, &vec));
	EXPECT_EQ(vec, 0x9a);
	/* A SIPI, then an INIT before the AP looked: the SIPI is stale. */
	wr(s, 0x300, 0x600 | 0x11);
	wr(s, 0x300, 0xc500);
	EXPECT(vlapic_take_init(ap));
	EXPECT(!vlapic_take_sipi(ap, &vec));
	/* INIT, SIPI both queued: the SIPI counts. */
	wr(s, 0x300, 0xc500);
	wr(s, 0x300, 0x600 | 0x22);
	EXPECT(vlapic_take_init(ap));
	EXPECT(vlapic_take_sipi(ap, &vec));
	EXPECT_EQ(vec, 0x22);
	EXPECT(cpu[1].kicks >= 3);
}

static void test_level_eoi(void)
{
	struct vlapic *l = &cpu[0].l;
	struct apic_msg m = { .dest = 0, .vector = 0x61, .trigger = 1,
			      .level = 1 };

	domain(0);
	EXPECT(vlapic_accept(l, &m));
	EXPECT_EQ(rd(l, 0x180 + 0x10 * 3), 1u << 1);	/* TMR */
	EXPECT_EQ(take(l), 0x61);
	wr(l, 0xb0, 0);
	EXPECT_EQ(cpu[0].eois, 1);
	EXPECT_EQ(cpu[0].last_eoi, 0x61);
	/* The same vector later as edge: TMR cleared, no broadcast. */
	m.trigger = 0;
	EXPECT(vlapic_accept(l, &m));
	EXPECT_EQ(rd(l, 0x180 + 0x10 * 3), 0);
	EXPECT_EQ(take(l), 0x61);
	wr(l, 0xb0, 0);
	EXPECT_EQ(cpu[0].eois, 1);
}

static void test_lint0_extint(void)
{
	struct vlapic *l = &cpu[0].l;
	int v = 0;

	domain(0);
	/* PIC: base 0x30, IRQ 4 unmasked. */
	{
		static const uint8_t seq[][2] = {
			{ 0x20, 0x11 }, { 0x21, 0x30 }, { 0x21, 0x04 },
			{ 0x21, 0x01 }, { 0x21, 0xef },
		};
		unsigned int i;

		for (i = 0; i < ARRAY_SIZE(seq); i++) {
			struct io_access io = { .addr = seq[i][0], .size = 1,
						.write = true,
						.val = seq[i][1] };

			EXPECT_EQ(irq_router_pio(&router, &io), 0);
		}
	}
	irq_router_set_irq(&router, 4, true);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_EXTINT);
	EXPECT_EQ(vlapic_pending_intr(&cpu[1].l, false, &v), VLAPIC_INTR_NONE);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_EXTINT, 0), 0x34);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_NONE);
	/* Masked LINT0: the request stays in the 8259. */
	irq_router_set_irq(&router, 4, false);
	wr(l, 0x350, 0x10700);
	{
		struct io_access io = { .addr = 0x20, .size = 1,
					.write = true, .val = 0x20 };

		EXPECT_EQ(irq_router_pio(&router, &io), 0);
	}
	irq_router_set_irq(&router, 4, true);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_NONE);
	wr(l, 0x350, 0x700);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_EXTINT);
	/* A globally disabled APIC passes INTR through. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00100), 0);
	EXPECT_EQ(vlapic_pending_intr(l, false, &v), VLAPIC_INTR_EXTINT);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_EXTINT, 0), 0x34);
	/* LINT0 as a fixed edge interrupt. */
	domain(0);
	wr(l, 0x350, 0x55);
	vlapic_set_lint0(l, true);
	vlapic_set_lint0(l, true);
	EXPECT_EQ(take(l), 0x55);
	wr(l, 0xb0, 0);
	EXPECT_EQ(take(l), -1);
}

static void test_ipi_storm(void)
{
	struct vlapic *s = &cpu[0].l, *t = &cpu[1].l;
	unsigned int i, n = 0;

	domain(0);
	enable(t);
	wr(s, 0x310, 1u << 24);
	for (i = 0; i < 200000; i++)
		wr(s, 0x300, 0x20 + (i % 0xe0));
	/* Coalesced into IRR: at most one per vector, drained in order. */
	while (take(t) >= 0) {
		wr(t, 0xb0, 0);
		if (++n > 256)
			break;
	}
	EXPECT_EQ(n, 0xe0);
	/* NMI, INIT and SIPI storms collapse into one pending flag each. */
	for (i = 0; i < 100000; i++) {
		wr(s, 0x300, 0x400);
		wr(s, 0x300, 0xc500);
		wr(s, 0x300, 0x610);
	}
	EXPECT(vlapic_take_init(t));
	EXPECT(!vlapic_take_init(t));
	EXPECT(vlapic_take_sipi(t, &(uint8_t){ 0 }));
	EXPECT(!vlapic_take_sipi(t, &(uint8_t){ 0 }));
}

/* Senders on other threads against the owner taking and EOIing. */
#define RACE_IPIS	20000

static void *race_sender(void *arg)
{
	struct vlapic *s = arg;
	unsigned int i;

	for (i = 0; i < RACE_IPIS; i++) {
		struct apic_msg m = { .dest = 0, .src_id = s->id,
				      .vector = 0x30 + (i % 0x40) };

		irq_router_send(&router, &m);
	}
	return NULL;
}

static void test_concurrent_ipis(void)
{
	pthread_t th[2];
	struct vlapic *l = &cpu[0].l;
	unsigned int taken = 0, i;
	bool seen[256] = { false };

	domain(0);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, race_sender, &cpu[i + 1].l);
	for (i = 0; i < 1000000 && taken < 2 * RACE_IPIS; i++) {
		int v = take(l);

		if (v < 0)
			continue;
		seen[v] = true;
		taken++;
		wr(l, 0xb0, 0);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	while (take(l) >= 0)
		wr(l, 0xb0, 0);
	for (i = 0x30; i < 0x70; i++)
		EXPECT(seen[i]);
	EXPECT_EQ(rd(l, 0xa0), 0);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(rd(l, 0x100 + 0x10 * i), 0);
}

static void test_fuzz_registers(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	unsigned int i, c;

	domain(VLAPIC_F_X2APIC);
	for (i = 0; i < 300000; i++) {
		uint64_t v;
		struct vlapic *l;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		l = &cpu[x % NCPU].l;
		v = x * 0x2545f4914f6cdd1dull;
		switch ((x >> 8) % 5) {
		case 0:
			access(l, (x >> 16) & 0x3f0, 4, (x >> 30) & 1, &v);
			break;
		case 1:
			vlapic_msr_write(l, 0x800 + ((x >> 16) & 0x3f), v);
			break;
		case 2:
			vlapic_msr_read(l, 0x800 + ((x >> 16) & 0xff), &v);
			break;
		case 3:
			if ((x >> 40) % 64 == 0)
				vlapic_msr_write(l, MSR_IA32_APIC_BASE,
						 v & 0xfee00c00);
			fake_now += (x >> 20) & 0xffff;
			vlapic_poll(l, fake_now);
			break;
		default:
			c = vlapic_pending_vector(l);
			if ((int)c >= 0)
				vlapic_ack(l, c);
			vlapic_take_init(l);
			break;
		}
	}
	/* Still a working LAPIC afterwards. */
	domain(0);
	wr(&cpu[0].l, 0x300, 0x40000 | 0x88);
	EXPECT_EQ(take(&cpu[0].l), 0x88);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_reset_state),
	KTAP_CASE(test_mmio_hostile),
	KTAP_CASE(test_priorities),
	KTAP_CASE(test_pending_intr_api),
	KTAP_CASE(test_illegal_vectors),
	KTAP_CASE(test_ipi_destinations),
	KTAP_CASE(test_init_sipi),
	KTAP_CASE(test_x2apic),
	KTAP_CASE(test_timer_oneshot),
	KTAP_CASE(test_timer_periodic),
	KTAP_CASE(test_x2apic_msr_interface),
	KTAP_CASE(test_tsc_deadline),
	KTAP_CASE(test_tsc_deadline_x2apic),
	KTAP_CASE(test_level_eoi),
	KTAP_CASE(test_lint0_extint),
	KTAP_CASE(test_ipi_storm),
	KTAP_CASE(test_concurrent_ipis),
	KTAP_CASE(test_fuzz_registers),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
