// SPDX-License-Identifier: GPL-2.0
/*
 * The IOAPIC on its own (registers, edge and level pins, remote IRR,
 * hostile indexes), then the whole fabric replaying what Linux 6.1 does
 * at boot: setup_local_APIC(), the timer check through IOAPIC pin 2 with
 * the PIT pulsing IRQ 0, and its fallback to ExtINT through LINT0.
 */
#include <stdint.h>
#include <string.h>
#include <hv/emul/irq_router.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BASE		VIOAPIC_DEFAULT_BASE

/* ---- the IOAPIC alone, with a message log ---- */

static struct vioapic ioa;
static struct apic_msg log_msg[64];
static unsigned int nlog;

static void log_deliver(void *ctx, const struct apic_msg *m)
{
	(void)ctx;
	if (nlog < ARRAY_SIZE(log_msg))
		log_msg[nlog] = *m;
	nlog++;
}

static const struct vioapic_env log_env = { .deliver = log_deliver };

static int mmio(struct vioapic *io, uint64_t off, uint8_t size, bool write,
		uint32_t *val)
{
	struct io_access a = { .addr = BASE + off, .size = size,
			       .write = write, .val = write ? *val : ~0ull };
	int ret = vioapic_mmio(io, &a);

	if (!write)
		*val = a.val;
	return ret;
}

static uint32_t ioa_read(struct vioapic *io, uint32_t idx)
{
	uint32_t v = idx;

	EXPECT_EQ(mmio(io, 0x00, 4, true, &v), 0);
	EXPECT_EQ(mmio(io, 0x10, 4, false, &v), 0);
	return v;
}

static void ioa_write(struct vioapic *io, uint32_t idx, uint32_t val)
{
	EXPECT_EQ(mmio(io, 0x00, 4, true, &idx), 0);
	EXPECT_EQ(mmio(io, 0x10, 4, true, &val), 0);
}

static void rte(struct vioapic *io, unsigned int pin, uint64_t val)
{
	ioa_write(io, 0x11 + 2 * pin, val >> 32);
	ioa_write(io, 0x10 + 2 * pin, (uint32_t)val);
}

static void fresh(void)
{
	vioapic_init(&ioa, 1, BASE, &log_env);
	nlog = 0;
	memset(log_msg, 0, sizeof(log_msg));
}

static void test_registers(void)
{
	uint32_t v;
	unsigned int i;

	fresh();
	EXPECT_EQ(ioa_read(&ioa, 0), 1u << 24);
	EXPECT_EQ(ioa_read(&ioa, 1), 0x00170020);
	EXPECT_EQ(ioa_read(&ioa, 2), 1u << 24);
	ioa_write(&ioa, 0, 0xffffffff);
	EXPECT_EQ(ioa_read(&ioa, 0), 0x0f000000);
	ioa_write(&ioa, 1, 0);
	ioa_write(&ioa, 2, 0);
	EXPECT_EQ(ioa_read(&ioa, 1), 0x00170020);
	for (i = 0; i < 24; i++) {
		EXPECT_EQ(ioa_read(&ioa, 0x10 + 2 * i), 0x10000);
		EXPECT_EQ(ioa_read(&ioa, 0x11 + 2 * i), 0);
	}
	/* Writable bits only: remote IRR and delivery status read 0. */
	ioa_write(&ioa, 0x10, 0xffffffff);
	EXPECT_EQ(ioa_read(&ioa, 0x10), 0x1afff);
	ioa_write(&ioa, 0x11, 0xffffffff);
	EXPECT_EQ(ioa_read(&ioa, 0x11), 0xff000000);
	/* Beyond the table: reads 0, writes are dropped. */
	for (i = 0x40; i < 0x100; i++) {
		ioa_write(&ioa, i, 0xffffffff);
		EXPECT_EQ(ioa_read(&ioa, i), 0);
	}
	for (i = 3; i < 0x10; i++)
		EXPECT_EQ(ioa_read(&ioa, i), 0);
	/* IOREGSEL keeps 8 bits. */
	v = 0x12345611;
	EXPECT_EQ(mmio(&ioa, 0, 4, true, &v), 0);
	EXPECT_EQ(mmio(&ioa, 0, 4, false, &v), 0);
	EXPECT_EQ(v, 0x11);
	/* Wrong sizes, unaligned or unknown offsets: 0 / dropped. */
	v = 0xffffffff;
	EXPECT_EQ(mmio(&ioa, 0x10, 1, true, &v), 0);
	EXPECT_EQ(mmio(&ioa, 0x10, 8, true, &v), 0);
	EXPECT_EQ(mmio(&ioa, 0x14, 4, true, &v), 0);
	EXPECT_EQ(ioa_read(&ioa, 0x11), 0xff000000);
	EXPECT_EQ(mmio(&ioa, 0x10, 2, false, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(mmio(&ioa, 0x20, 4, false, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(mmio(&ioa, 0x1000, 4, false, &v), -1);
	EXPECT_EQ(nlog, 0);
}

static void test_edge(void)
{
	fresh();
	rte(&ioa, 4, (3ull << 56) | 0x34);
	vioapic_set_irq(&ioa, 4, true);
	vioapic_set_irq(&ioa, 4, true);		/* no new edge */
	EXPECT_EQ(nlog, 1);
	EXPECT_EQ(log_msg[0].vector, 0x34);
	EXPECT_EQ(log_msg[0].dest, 3);
	EXPECT_EQ(log_msg[0].dest_mode, 0);
	EXPECT_EQ(log_msg[0].trigger, 0);
	EXPECT_EQ(log_msg[0].delivery_mode, APIC_DM_FIXED);
	vioapic_set_irq(&ioa, 4, false);
	vioapic_set_irq(&ioa, 4, true);
	EXPECT_EQ(nlog, 2);
	/* Masked: the edge is lost, unmasking does not replay it. */
	vioapic_set_irq(&ioa, 4, false);
	rte(&ioa, 4, (3ull << 56) | 0x10000 | 0x34);
	vioapic_set_irq(&ioa, 4, true);
	rte(&ioa, 4, (3ull << 56) | 0x34);
	EXPECT_EQ(nlog, 2);
	/* Logical, lowest priority. */
	rte(&ioa, 5, (0x0full << 56) | 0x900 | 0x35);
	vioapic_set_irq(&ioa, 5, true);
	EXPECT_EQ(nlog, 3);
	EXPECT_EQ(log_msg[2].dest_mode, 1);
	EXPECT_EQ(log_msg[2].dest, 0x0f);
	EXPECT_EQ(log_msg[2].delivery_mode, APIC_DM_LOWEST);
	/* Out-of-range pins are ignored. */
	vioapic_set_irq(&ioa, 24, true);
	vioapic_set_irq(&ioa, ~0u, true);
	EXPECT_EQ(nlog, 3);
}

static void test_level(void)
{
	fresh();
	rte(&ioa, 17, 0x10000 | 0x8000 | 0x2000 | 0x51);  /* masked */
	vioapic_set_irq(&ioa, 17, true);
	EXPECT_EQ(nlog, 0);
	/* Unmasking an asserted level pin delivers it. */
	rte(&ioa, 17, 0x8000 | 0x2000 | 0x51);
	EXPECT_EQ(nlog, 1);
	EXPECT_EQ(log_msg[0].trigger, 1);
	EXPECT_EQ(ioa_read(&ioa, 0x10 + 34) & 0x4000, 0x4000);
	/* Remote IRR holds it until EOI. */
	vioapic_set_irq(&ioa, 17, false);
	vioapic_set_irq(&ioa, 17, true);
	EXPECT_EQ(nlog, 1);
	vioapic_eoi(&ioa, 0x52);		/* other vector */
	EXPECT_EQ(nlog, 1);
	vioapic_eoi(&ioa, 0x51);		/* still asserted: again */
	EXPECT_EQ(nlog, 2);
	vioapic_set_irq(&ioa, 17, false);
	vioapic_eoi(&ioa, 0x51);
	EXPECT_EQ(nlog, 2);
	EXPECT_EQ(ioa_read(&ioa, 0x10 + 34) & 0x4000, 0);
	/* Remote IRR is read-only; the EOI register clears it. */
	vioapic_set_irq(&ioa, 17, true);
	EXPECT_EQ(nlog, 3);
	ioa_write(&ioa, 0x10 + 34, 0x8000 | 0x2000 | 0x51);
	EXPECT_EQ(ioa_read(&ioa, 0x10 + 34) & 0x4000, 0x4000);
	vioapic_set_irq(&ioa, 17, false);
	{
		uint32_t v = 0x51;

		EXPECT_EQ(mmio(&ioa, 0x40, 4, true, &v), 0);
	}
	EXPECT_EQ(ioa_read(&ioa, 0x10 + 34) & 0x4000, 0);
	/* Linux's old trick: edge then level again clears remote IRR. */
	vioapic_set_irq(&ioa, 17, true);
	EXPECT_EQ(nlog, 4);
	ioa_write(&ioa, 0x10 + 34, 0x10000 | 0x51);
	EXPECT_EQ(ioa_read(&ioa, 0x10 + 34) & 0x4000, 0);
	ioa_write(&ioa, 0x10 + 34, 0x8000 | 0x51);
	EXPECT_EQ(nlog, 5);		/* still asserted: fires again */
	/* Non-fixed level entries have no remote IRR. */
	rte(&ioa, 18, 0x8000 | 0x400);		/* NMI */
	vioapic_set_irq(&ioa, 18, true);
	EXPECT_EQ(nlog, 6);
	EXPECT_EQ(log_msg[5].trigger, 0);
	EXPECT_EQ(ioa_read(&ioa, 0x10 + 36) & 0x4000, 0);
	/* Reserved delivery modes are never sent. */
	rte(&ioa, 19, 0x600 | 0x40);
	rte(&ioa, 20, 0x300 | 0x40);
	vioapic_set_irq(&ioa, 19, true);
	vioapic_set_irq(&ioa, 20, true);
	EXPECT_EQ(nlog, 6);
}

static void test_hostile(void)
{
	uint64_t x = 0x2545f4914f6cdd1dull;
	unsigned int i;

	fresh();
	for (i = 0; i < 300000; i++) {
		uint32_t v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = x >> 32;
		switch (x % 5) {
		case 0:
			mmio(&ioa, (x >> 8) & 0x7f, 1u << ((x >> 16) % 4),
			     (x >> 20) & 1, &v);
			break;
		case 1:
			ioa_write(&ioa, (x >> 8) & 0xff, v);
			break;
		case 2:
			vioapic_set_irq(&ioa, (x >> 8) % 32, (x >> 16) & 1);
			break;
		case 3:
			vioapic_eoi(&ioa, x >> 8);
			break;
		default:
			ioa_read(&ioa, (x >> 8) & 0xff);
			break;
		}
	}
	EXPECT_EQ(ioa_read(&ioa, 1), 0x00170020);
}

/* ---- the fabric: 2 vCPUs, the 8259, the IOAPIC ---- */

struct fake_cpu {
	struct vlapic l;
	struct vlapic_env env;
};

static struct irq_router router;
static struct fake_cpu cpu[2];
static uint64_t fake_now;

static uint64_t f_now(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static void f_send(void *ctx, const struct apic_msg *m)
{
	(void)ctx;
	irq_router_send(&router, m);
}

static void f_eoi(void *ctx, uint8_t v)
{
	(void)ctx;
	irq_router_eoi(&router, v);
}

static int f_extint(void *ctx)
{
	(void)ctx;
	return irq_router_extint_ack(&router);
}

static void platform(void)
{
	unsigned int i;

	fake_now = 0;
	irq_router_init(&router, 0, BASE);
	for (i = 0; i < 2; i++) {
		cpu[i].env = (struct vlapic_env){
			.ctx = &cpu[i], .now_ns = f_now, .send_ipi = f_send,
			.eoi = f_eoi, .extint_ack = f_extint,
		};
		vlapic_init(&cpu[i].l, i, i ? 0 : VLAPIC_F_BSP, &cpu[i].env);
		EXPECT_EQ(irq_router_add_lapic(&router, &cpu[i].l), 0);
	}
}

static uint32_t apic_rd(unsigned int c, unsigned int off)
{
	struct io_access io = { .addr = VLAPIC_DEFAULT_BASE + off, .size = 4 };

	EXPECT_EQ(vlapic_mmio(&cpu[c].l, &io), 0);
	return io.val;
}

static void apic_wr(unsigned int c, unsigned int off, uint32_t val)
{
	struct io_access io = { .addr = VLAPIC_DEFAULT_BASE + off, .size = 4,
				.write = true, .val = val };

	EXPECT_EQ(vlapic_mmio(&cpu[c].l, &io), 0);
}

static void io_wr(unsigned int idx, uint32_t val)
{
	struct io_access a = { .addr = BASE, .size = 4, .write = true,
			       .val = idx };

	EXPECT_EQ(irq_router_mmio(&router, &a), 0);
	a.addr = BASE + 0x10;
	a.val = val;
	EXPECT_EQ(irq_router_mmio(&router, &a), 0);
}

static uint32_t io_rd(unsigned int idx)
{
	struct io_access a = { .addr = BASE, .size = 4, .write = true,
			       .val = idx };

	EXPECT_EQ(irq_router_mmio(&router, &a), 0);
	a = (struct io_access){ .addr = BASE + 0x10, .size = 4 };
	EXPECT_EQ(irq_router_mmio(&router, &a), 0);
	return a.val;
}

static void outb(uint16_t port, uint8_t val)
{
	struct io_access io = { .addr = port, .size = 1, .write = true,
				.val = val };

	EXPECT_EQ(irq_router_pio(&router, &io), 0);
}

static uint8_t inb(uint16_t port)
{
	struct io_access io = { .addr = port, .size = 1 };

	EXPECT_EQ(irq_router_pio(&router, &io), 0);
	return io.val;
}

/* init_8259A(auto_eoi) with Linux's cached masks. */
static void linux_init_8259a(bool auto_eoi, uint8_t mmask, uint8_t smask)
{
	outb(0x21, 0xff);
	outb(0x20, 0x11);
	outb(0x21, 0x30);
	outb(0x21, 0x04);
	outb(0x21, auto_eoi ? 0x03 : 0x01);
	outb(0xa0, 0x11);
	outb(0xa1, 0x38);
	outb(0xa1, 0x02);
	outb(0xa1, 0x01);
	outb(0x21, mmask);
	outb(0xa1, smask);
}

/*
 * setup_local_APIC() and friends on one CPU, in the order Linux 6.1
 * touches the registers (flat logical mode for up to 8 CPUs).
 */
static void linux_setup_local_apic(unsigned int c)
{
	uint32_t v;
	int i;

	EXPECT_EQ(apic_rd(c, 0x30) & 0xff, 0x14);	/* integrated */
	EXPECT_EQ((apic_rd(c, 0x30) >> 16) & 0xff, 5);	/* max LVT */
	/* Flat logical destination. */
	apic_wr(c, 0xe0, 0xffffffff);
	v = apic_rd(c, 0xd0) & ~0xff000000u;
	apic_wr(c, 0xd0, v | (1u << c) << 24);
	/* Task priority: accept everything above vectors 0x1f. */
	v = apic_rd(c, 0x80) & ~0xffu;
	apic_wr(c, 0x80, v | 0x10);
	/* apic_pending_intr_clear(): EOI whatever is in service. */
	for (i = 7; i >= 0; i--) {
		uint32_t isr = apic_rd(c, 0x100 + 0x10 * i);

		while (isr) {
			apic_wr(c, 0xb0, 0);
			isr &= isr - 1;
		}
	}
	/* SVR: enable, spurious vector 0xff. */
	v = apic_rd(c, 0xf0) & ~0xffu;
	apic_wr(c, 0xf0, v | 0x100 | 0xff);
	/* LINT0: ExtINT, unmasked only on the BSP if found unmasked. */
	v = apic_rd(c, 0x350) & 0x10000;
	if (!c && !v)
		apic_wr(c, 0x350, 0x700);
	else
		apic_wr(c, 0x350, 0x700 | 0x10000);
	apic_wr(c, 0x360, c ? 0x400 | 0x10000 : 0x400);
	/* lapic_setup_esr(). */
	apic_wr(c, 0x280, 0);
	EXPECT_EQ(apic_rd(c, 0x280), 0);
	apic_wr(c, 0x370, 0xfe);
	apic_wr(c, 0x280, 0);
	EXPECT_EQ(apic_rd(c, 0x280), 0);
}

/* The PIT in mode 2 at HZ: one pulse on ISA IRQ 0. */
static void pit_tick(void)
{
	irq_router_set_irq(&router, 0, true);
	irq_router_set_irq(&router, 0, false);
}

/* One run-loop step on CPU c: inject what is pending, return the vector. */
static int run_cpu(unsigned int c)
{
	int v = -1;
	enum vlapic_intr_kind k = vlapic_pending_intr(&cpu[c].l, false, &v);

	if (k == VLAPIC_INTR_NONE)
		return -1;
	return vlapic_ack_intr(&cpu[c].l, k, v);
}

static void test_linux_boot_ioapic_timer(void)
{
	unsigned int pin, ticks = 0, i;
	int v;

	platform();
	/* probe_8259A(), then init_8259A(0) as init_ISA_irqs() does. */
	outb(0xa1, 0xff);
	outb(0x21, 0xfb);
	EXPECT_EQ(inb(0x21), 0xfb);
	linux_init_8259a(false, 0xfb, 0xff);
	linux_setup_local_apic(0);
	/* Read the ELCR (pci_irq / acpi). */
	EXPECT_EQ(inb(0x4d0), 0);
	EXPECT_EQ(inb(0x4d1), 0);
	/* setup_IO_APIC(): read version, mask every pin. */
	EXPECT_EQ(io_rd(1), 0x00170020);
	for (pin = 0; pin < 24; pin++) {
		io_wr(0x10 + 2 * pin, 0x10000);
		io_wr(0x11 + 2 * pin, 0);
	}
	/* check_timer(): virtual wire off, 8259 in AEOI, IRQ0 masked. */
	apic_wr(0, 0x350, 0x10000 | 0x700);
	linux_init_8259a(true, 0xfb, 0xff);
	/* IRQ0 -> pin 2: vector 0x30, edge, physical, to APIC 0. */
	io_wr(0x15, 0);
	io_wr(0x14, 0x30);
	/* timer_irq_works(): some ticks must arrive. */
	for (i = 0; i < 10; i++) {
		pit_tick();
		v = run_cpu(0);
		if (v == 0x30) {
			ticks++;
			apic_wr(0, 0xb0, 0);
		}
		EXPECT_EQ(run_cpu(1), -1);
	}
	EXPECT_EQ(ticks, 10);
	/* The 8259 never saw it: IRQ0 is masked there. */
	EXPECT_EQ(inb(0x20) & 1, 1);	/* IRR latched, masked */
	EXPECT(!vpic_output(&router.pic));
	/* A PCI-style level line through pin 19 to APIC 1 (logical). */
	linux_setup_local_apic(1);
	io_wr(0x10 + 38, 0xa000 | 0x10000 | 0x41);
	io_wr(0x11 + 38, 0x02u << 24);
	io_wr(0x10 + 38, 0xa800 | 0x41);	/* logical, unmasked */
	irq_router_set_irq(&router, 19, true);
	EXPECT_EQ(run_cpu(1), 0x41);
	EXPECT_EQ(run_cpu(1), -1);
	irq_router_set_irq(&router, 19, false);	/* the handler quiets it */
	apic_wr(1, 0xb0, 0);			/* broadcast EOI */
	EXPECT_EQ(io_rd(0x10 + 38) & 0x4000, 0);
	irq_router_set_irq(&router, 19, true);
	EXPECT_EQ(run_cpu(1), 0x41);
	apic_wr(1, 0xb0, 0);			/* still asserted: again */
	EXPECT_EQ(run_cpu(1), 0x41);
	EXPECT_EQ(run_cpu(0), -1);
}

static void test_linux_boot_extint_fallback(void)
{
	unsigned int pin, ticks = 0, i;
	uint32_t save_lo, save_hi;

	platform();
	linux_init_8259a(false, 0xfb, 0xff);
	linux_setup_local_apic(0);
	for (pin = 0; pin < 24; pin++)
		io_wr(0x10 + 2 * pin, 0x10000);
	apic_wr(0, 0x350, 0x10000 | 0x700);
	linux_init_8259a(true, 0xfb, 0xff);
	/* Pin 2 tried and found dead (the guest masks it again). */
	io_wr(0x14, 0x10000 | 0x30);
	pit_tick();
	EXPECT_EQ(run_cpu(0), -1);
	/* "...trying to set up timer as Virtual Wire IRQ..." skipped here;
	 * "...trying to set up timer as ExtINT IRQ...": */
	linux_init_8259a(false, 0xfb, 0xff);
	outb(0x21, inb(0x21) & ~1);		/* make_8259A_irq(0), unmask */
	apic_wr(0, 0x350, 0x700);		/* LVT0 = ExtINT */
	/* unlock_ExtINT_logic(): pin 8 as ExtINT for a moment. */
	save_lo = io_rd(0x10 + 16);
	save_hi = io_rd(0x11 + 16);
	io_wr(0x10 + 16, 0x10000);
	io_wr(0x11 + 16, 0x01u << 24);
	io_wr(0x10 + 16, 0x800 | 0x700);
	irq_router_set_irq(&router, 8, true);	/* RTC periodic interrupt */
	irq_router_set_irq(&router, 8, false);
	io_wr(0x10 + 16, 0x10000);
	io_wr(0x11 + 16, save_hi);
	io_wr(0x10 + 16, save_lo);
	/* The ExtINT message from pin 8 asks the 8259 for a vector; none. */
	EXPECT_EQ(run_cpu(0), 0x37);		/* spurious IRQ 7 */
	/* timer_irq_works() through the 8259 and LINT0. */
	for (i = 0; i < 10; i++) {
		pit_tick();
		if (run_cpu(0) == 0x30) {
			ticks++;
			outb(0x20, 0x60);	/* mask_and_ack_8259A: EOI 0 */
		}
	}
	EXPECT_EQ(ticks, 10);
	EXPECT_EQ(run_cpu(0), -1);
	EXPECT_EQ(run_cpu(1), -1);
	/* The ExtINT goes through IOAPIC pin 0 too, if a guest asks. */
	apic_wr(0, 0x350, 0x10000 | 0x700);
	io_wr(0x11, 0);
	io_wr(0x10, 0x700);
	pit_tick();
	EXPECT_EQ(run_cpu(0), 0x30);
	outb(0x20, 0x60);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_registers),
	KTAP_CASE(test_edge),
	KTAP_CASE(test_level),
	KTAP_CASE(test_hostile),
	KTAP_CASE(test_linux_boot_ioapic_timer),
	KTAP_CASE(test_linux_boot_extint_fallback),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
