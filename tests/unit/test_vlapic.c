// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC: registers in xAPIC and x2APIC mode, hostile
 * accesses, priorities, IPIs through the router, INIT/SIPI, the timer
 * (one-shot, periodic, TSC-deadline),
 * level-triggered EOI, and IPIs from other threads racing the owner.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

static uint64_t fake_now;
static struct irq_router router;
static struct fake_cpu cpu[NCPU];

static uint64_t f_now(void *ctx)
{
	(void)ctx;
	return fake_now;
}

/* The guest's TSC runs at 2 GHz and read 0 at time 0. */
static uint64_t f_tsc_to_ns(void *ctx, uint64_t tsc)
{
	(void)ctx;
	return tsc / 2;
}

static void f_send(void *ctx, const struct apic_msg *m)
{
	(void)ctx;
	irq_router_send(&router, m);
}

static void f_kick(void *ctx)
{
	__atomic_fetch_add(&((struct fake_cpu *)ctx)->kicks, 1,
			   __ATOMIC_RELAXED);
}

static void f_eoi(void *ctx, uint8_t v)
{
	struct fake_cpu *c = ctx;

	c->eois++;
	c->last_eoi = v;
	irq_router_eoi(&router, v);
}

static int f_extint(void *ctx)
{
	(void)ctx;
	return irq_router_extint_ack(&router);
}

static void domain(unsigned int flags)
{
	unsigned int i;

	fake_now = 1000;
	irq_router_init(&router, 0, VIOAPIC_DEFAULT_BASE);
	for (i = 0; i < NCPU; i++) {
		struct fake_cpu *c = &cpu[i];

		memset(c, 0, sizeof(*c));
		c->env = (struct vlapic_env){
			.ctx = c, .now_ns = f_now, .tsc_to_ns = f_tsc_to_ns,
			.send_ipi = f_send,
			.kick = f_kick, .eoi = f_eoi, .extint_ack = f_extint,
		};
		vlapic_init(&c->l, i, flags | (i ? 0 : VLAPIC_F_BSP), &c->env);
		irq_router_add_lapic(&router, &c->l);
	}
}

static int access(struct vlapic *l, unsigned int off, uint8_t size,
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

static uint32_t rd(struct vlapic *l, unsigned int off)
{
	uint64_t v;

	EXPECT_EQ(access(l, off, 4, false, &v), 0);
	return v;
}

static void wr(struct vlapic *l, unsigned int off, uint32_t val)
{
	uint64_t v = val;

	EXPECT_EQ(access(l, off, 4, true, &v), 0);
}

static uint32_t esr(struct vlapic *l)
{
	wr(l, 0x280, 0);
	return rd(l, 0x280);
}

static void enable(struct vlapic *l)
{
	wr(l, 0xf0, 0x1ff);
}

/* Takes what is pending as the run loop would, then EOIs it. */
static int take(struct vlapic *l)
{
	int v = vlapic_pending_vector(l);

	if (v >= 0)
		vlapic_ack(l, v);
	return v;
}

/* Takes the pending vector and EOIs it at once. */
static int got(struct vlapic *l)
{
	int v = take(l);

	if (v >= 0)
		wr(l, 0xb0, 0);
	return v;
}

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
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_FIXED);
	EXPECT_EQ(v, 0x33);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_FIXED, 0x33), 0x33);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_FIXED, 0x33), -1);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_NONE);
	/* NMI IPI from another CPU comes before everything. */
	wr(&cpu[1].l, 0xf0, 0x1ff);
	wr(&cpu[1].l, 0x310, 0);
	wr(&cpu[1].l, 0x300, 0x400);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_NMI);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_NMI, 0), 2);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_NONE);
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

static void test_x2apic(void)
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
static void test_x2apic_msr_interface(void)
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

		EXPECT_EQ(vlapic_pending_intr(t, &vec), VLAPIC_INTR_NMI);
	}
}

/* TSC_DEADLINE at 2 GHz: guest TSC 2 * ns in this fake. */
static void test_tsc_deadline(void)
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
static void test_tsc_deadline_x2apic(void)
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

static void test_timer_oneshot(void)
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

static void test_timer_periodic(void)
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
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_EXTINT);
	EXPECT_EQ(vlapic_pending_intr(&cpu[1].l, &v), VLAPIC_INTR_NONE);
	EXPECT_EQ(vlapic_ack_intr(l, VLAPIC_INTR_EXTINT, 0), 0x34);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_NONE);
	/* Masked LINT0: the request stays in the 8259. */
	irq_router_set_irq(&router, 4, false);
	wr(l, 0x350, 0x10700);
	{
		struct io_access io = { .addr = 0x20, .size = 1,
					.write = true, .val = 0x20 };

		EXPECT_EQ(irq_router_pio(&router, &io), 0);
	}
	irq_router_set_irq(&router, 4, true);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_NONE);
	wr(l, 0x350, 0x700);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_EXTINT);
	/* A globally disabled APIC passes INTR through. */
	EXPECT_EQ(vlapic_msr_write(l, MSR_IA32_APIC_BASE, 0xfee00100), 0);
	EXPECT_EQ(vlapic_pending_intr(l, &v), VLAPIC_INTR_EXTINT);
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
