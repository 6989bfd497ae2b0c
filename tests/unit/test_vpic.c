// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259 pair: Linux's probe and init sequences, priorities, EOI
 * forms, the cascade, auto-EOI, ELCR level triggering, poll mode, the
 * spurious IRQ 7, rotation, and hostile port accesses.
 */
#include <stdint.h>
#include <string.h>
#include <hv/emul/vpic8259.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct vpic pic;

static void out(uint16_t port, uint8_t val)
{
	struct io_access io = { .addr = port, .size = 1, .write = true,
				.val = val };

	EXPECT_EQ(vpic_pio(&pic, &io), 0);
}

static uint8_t in(uint16_t port)
{
	struct io_access io = { .addr = port, .size = 1, .val = ~0ull };

	EXPECT_EQ(vpic_pio(&pic, &io), 0);
	EXPECT(io.val <= 0xff);
	return io.val;
}

/* What Linux's init_8259A() writes. */
static void linux_init(bool auto_eoi)
{
	out(0x21, 0xff);
	out(0x20, 0x11);
	out(0x21, 0x30);
	out(0x21, 0x04);
	out(0x21, auto_eoi ? 0x03 : 0x01);
	out(0xa0, 0x11);
	out(0xa1, 0x38);
	out(0xa1, 0x02);
	out(0xa1, 0x01);
	out(0x21, 0xfb);	/* cascade unmasked */
	out(0xa1, 0xff);
}

static void setup(bool auto_eoi)
{
	vpic_init(&pic);
	linux_init(auto_eoi);
}

/* Edge pulse on an ISA IRQ. */
static void pulse(unsigned int irq)
{
	vpic_set_irq(&pic, irq, true);
	vpic_set_irq(&pic, irq, false);
}

static void test_probe_and_init(void)
{
	vpic_init(&pic);
	EXPECT(!vpic_output(&pic));
	/* probe_8259A(): the mask register reads back. */
	out(0xa1, 0xff);
	out(0x21, 0xfb);
	EXPECT_EQ(in(0x21), 0xfb);
	out(0x21, 0xff);
	EXPECT_EQ(in(0x21), 0xff);
	linux_init(false);
	EXPECT_EQ(in(0x21), 0xfb);
	EXPECT_EQ(in(0xa1), 0xff);
	EXPECT_EQ(pic.chip[0].base, 0x30);
	EXPECT_EQ(pic.chip[1].base, 0x38);
	/* A request while masked waits in IRR. */
	pulse(1);
	EXPECT(!vpic_output(&pic));
	EXPECT_EQ(in(0x20), 0x02);	/* OCW3 default: read IRR */
	out(0x21, 0xf9);
	EXPECT(vpic_output(&pic));
	EXPECT_EQ(vpic_ack(&pic), 0x31);
	EXPECT(!vpic_output(&pic));
	out(0x20, 0x0b);		/* read ISR */
	EXPECT_EQ(in(0x20), 0x02);
	out(0x20, 0x61);		/* specific EOI 1 */
	EXPECT_EQ(in(0x20), 0x00);
	out(0x20, 0x0a);
	EXPECT_EQ(in(0x20), 0x00);
}

static void test_priority_and_eoi(void)
{
	setup(false);
	out(0x21, 0x00);
	pulse(5);
	pulse(3);
	EXPECT_EQ(vpic_ack(&pic), 0x33);
	/* 5 is lower priority than 3 in service: held back. */
	EXPECT(!vpic_output(&pic));
	pulse(0);
	EXPECT_EQ(vpic_ack(&pic), 0x30);	/* higher one nests */
	out(0x20, 0x20);		/* non-specific EOI: clears 0 */
	out(0x20, 0x0b);
	EXPECT_EQ(in(0x20), 0x08);
	EXPECT(!vpic_output(&pic));
	out(0x20, 0x20);
	EXPECT_EQ(vpic_ack(&pic), 0x35);
	out(0x20, 0x65);
	EXPECT_EQ(in(0x20), 0x00);
	/* EOI with nothing in service: harmless. */
	out(0x20, 0x20);
	out(0x20, 0x67);
	EXPECT(!vpic_output(&pic));
}

static void test_cascade(void)
{
	setup(false);
	out(0xa1, 0x00);
	pulse(12);
	EXPECT(vpic_output(&pic));
	EXPECT_EQ(vpic_ack(&pic), 0x3c);
	EXPECT(!vpic_output(&pic));
	out(0x20, 0x0b);
	out(0xa0, 0x0b);
	EXPECT_EQ(in(0x20), 0x04);
	EXPECT_EQ(in(0xa0), 0x10);
	/* Another slave IRQ waits for the master's EOI of IRQ2. */
	pulse(9);
	EXPECT(!vpic_output(&pic));
	out(0xa0, 0x64);		/* slave: specific EOI 4 */
	EXPECT(!vpic_output(&pic));
	out(0x20, 0x62);		/* master: specific EOI 2 */
	EXPECT(vpic_output(&pic));
	EXPECT_EQ(vpic_ack(&pic), 0x39);
	/* The cascade input itself is not a device line. */
	vpic_set_irq(&pic, 2, true);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	EXPECT(!vpic_output(&pic));
	/* Out-of-range inputs are ignored. */
	vpic_set_irq(&pic, 16, true);
	vpic_set_irq(&pic, ~0u, true);
	EXPECT(!vpic_output(&pic));
}

static void test_auto_eoi(void)
{
	setup(true);
	out(0x21, 0x00);
	pulse(4);
	EXPECT_EQ(vpic_ack(&pic), 0x34);
	out(0x20, 0x0b);
	EXPECT_EQ(in(0x20), 0x00);	/* nothing in service */
	pulse(6);
	EXPECT_EQ(vpic_ack(&pic), 0x36);
	/* Rotate in auto-EOI: the served IRQ drops to lowest priority. */
	out(0x20, 0x80);
	pulse(3);
	EXPECT_EQ(vpic_ack(&pic), 0x33);
	EXPECT_EQ(pic.chip[0].prio_add, 4);
	pulse(1);
	pulse(5);
	EXPECT_EQ(vpic_ack(&pic), 0x35);	/* 5 now outranks 1 */
	EXPECT_EQ(vpic_ack(&pic), 0x31);
	out(0x20, 0x00);
	EXPECT(!pic.chip[0].rotate_aeoi);
}

static void test_level_elcr(void)
{
	setup(false);
	out(0x21, 0x00);
	out(0xa1, 0x00);
	out(0x4d0, 0xff);
	out(0x4d1, 0xff);
	EXPECT_EQ(in(0x4d0), 0xf8);	/* IRQ 0-2 are edge only */
	EXPECT_EQ(in(0x4d1), 0xde);	/* and IRQ 8, 13 */
	vpic_set_irq(&pic, 10, true);
	EXPECT_EQ(vpic_ack(&pic), 0x3a);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	/* Still asserted: requested again. */
	EXPECT(vpic_output(&pic));
	EXPECT_EQ(vpic_ack(&pic), 0x3a);
	out(0xa0, 0x20);
	out(0x20, 0x20);
	vpic_set_irq(&pic, 10, false);
	EXPECT(!vpic_output(&pic));
	/* Dropped before INTA: the spurious IRQ 7, ISR untouched. */
	vpic_set_irq(&pic, 5, true);
	EXPECT(vpic_output(&pic));
	vpic_set_irq(&pic, 5, false);
	EXPECT_EQ(vpic_ack(&pic), 0x37);
	out(0x20, 0x0b);
	EXPECT_EQ(in(0x20), 0x00);
	/* Edge lines need a new rising edge. */
	out(0x4d0, 0x00);
	vpic_set_irq(&pic, 5, true);
	EXPECT_EQ(vpic_ack(&pic), 0x35);
	out(0x20, 0x20);
	vpic_set_irq(&pic, 5, true);
	EXPECT(!vpic_output(&pic));
	/* Switching a high line to level makes it pending. */
	out(0x4d0, 0x20);
	EXPECT(vpic_output(&pic));
}

static void test_poll_mode(void)
{
	setup(false);
	out(0x21, 0x00);
	out(0x20, 0x0c);		/* poll */
	EXPECT_EQ(in(0x20), 0x00);
	pulse(6);
	out(0x20, 0x0c);
	EXPECT_EQ(in(0x20), 0x86);
	out(0x20, 0x0b);
	EXPECT_EQ(in(0x20), 0x40);	/* the poll acknowledged it */
	out(0x20, 0x20);
	EXPECT_EQ(in(0x20), 0x00);
}

static void test_rotation_and_priority(void)
{
	setup(false);
	out(0x21, 0x00);
	out(0x20, 0xc4);		/* set priority: IRQ4 lowest */
	pulse(4);
	pulse(6);
	EXPECT_EQ(vpic_ack(&pic), 0x36);
	out(0x20, 0xa0);		/* rotate on non-specific EOI */
	EXPECT_EQ(pic.chip[0].prio_add, 7);
	EXPECT_EQ(vpic_ack(&pic), 0x34);
	out(0x20, 0xe4);		/* rotate on specific EOI 4 */
	EXPECT_EQ(pic.chip[0].prio_add, 5);
	/* Special mask mode lets lower priorities through. */
	pulse(7);
	EXPECT_EQ(vpic_ack(&pic), 0x37);
	out(0x20, 0x68);		/* OCW3: set special mask */
	out(0x21, 0x80);		/* mask the in-service IRQ 7 */
	pulse(3);
	EXPECT(vpic_output(&pic));
	out(0x20, 0x48);
	EXPECT(!pic.chip[0].special_mask);
}

static void test_hostile_ports(void)
{
	struct io_access io = { .addr = 0x21, .size = 2, .val = 0 };
	uint64_t x = 88172645463325252ull;
	unsigned int i;
	static const uint16_t ports[] = { 0x20, 0x21, 0xa0, 0xa1,
					  0x4d0, 0x4d1 };

	setup(false);
	EXPECT_EQ(vpic_pio(&pic, &io), 0);
	EXPECT_EQ(io.val, 0xffff);
	io.write = true;
	io.val = 0;
	EXPECT_EQ(vpic_pio(&pic, &io), 0);
	EXPECT_EQ(in(0x21), 0xfb);
	io.addr = 0x22;
	EXPECT_EQ(vpic_pio(&pic, &io), -1);
	io.addr = 0x4d2;
	EXPECT_EQ(vpic_pio(&pic, &io), -1);
	io = (struct io_access){ .addr = 0x20, .size = 0 };
	EXPECT_EQ(vpic_pio(&pic, &io), 0);
	EXPECT_EQ(io.val, 0);
	/* Random writes, lines and acks: never out of range. */
	for (i = 0; i < 500000; i++) {
		int v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (x % 4) {
		case 0:
			out(ports[(x >> 8) % ARRAY_SIZE(ports)], x >> 16);
			break;
		case 1:
			in(ports[(x >> 8) % ARRAY_SIZE(ports)]);
			break;
		case 2:
			vpic_set_irq(&pic, (x >> 8) % 20, (x >> 16) & 1);
			break;
		default:
			v = vpic_ack(&pic);
			EXPECT(v >= 0 && v <= 0xff);
			break;
		}
	}
	/* A fresh init still works. */
	setup(false);
	out(0x21, 0x00);
	pulse(3);
	EXPECT_EQ(vpic_ack(&pic), 0x33);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_probe_and_init),
	KTAP_CASE(test_priority_and_eoi),
	KTAP_CASE(test_cascade),
	KTAP_CASE(test_auto_eoi),
	KTAP_CASE(test_level_elcr),
	KTAP_CASE(test_poll_mode),
	KTAP_CASE(test_rotation_and_priority),
	KTAP_CASE(test_hostile_ports),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
