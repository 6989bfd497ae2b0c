// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART model: register semantics, the probe sequences of Linux's
 * 8250 driver (autoconfig, the THRE and TXEN tests at start-up), FIFO
 * trigger levels, overrun, the character timeout on a fake clock, the
 * interrupt line as the driver's interrupt handler sees it, and hostile
 * accesses.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/uart16550.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define BASE	0x3f8
#define IRQ	4

/* Register offsets and bits, named as Linux's serial_reg.h does. */
#define RX	0
#define TX	0
#define DLL	0
#define DLM	1
#define IER	1
#define IIR	2
#define FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define MSR	6
#define SCR	7

struct fake {
	uint64_t now;
	bool level;
	unsigned int rises, falls, calls;
	unsigned int last_gsi;
	char out[4096];
	size_t out_len;
};

static struct fake fk;
static struct uart16550 uart;

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_set_irq(void *ctx, unsigned int gsi, bool level)
{
	struct fake *f = ctx;

	f->calls++;
	f->last_gsi = gsi;
	if (level && !f->level)
		f->rises++;
	if (!level && f->level)
		f->falls++;
	f->level = level;
}

static void fake_console(void *ctx, const char *buf, size_t len)
{
	struct fake *f = ctx;

	if (f->out_len + len <= sizeof(f->out)) {
		memcpy(f->out + f->out_len, buf, len);
		f->out_len += len;
	}
}

static const struct emul_env env = {
	.ctx = &fk,
	.now_ns = fake_now,
	.set_irq = fake_set_irq,
	.console_write = fake_console,
};

static void setup(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.now = 1000000;
	uart16550_init(&uart, &env, BASE, IRQ);
}

static uint8_t in(unsigned int reg)
{
	struct io_access io = { .addr = BASE + reg, .size = 1 };

	EXPECT_EQ(uart.dev.ops->pio(&uart.dev, &io), 0);
	return io.val;
}

static void out(unsigned int reg, uint8_t val)
{
	struct io_access io = { .addr = BASE + reg, .size = 1, .val = val,
				.write = true };

	EXPECT_EQ(uart.dev.ops->pio(&uart.dev, &io), 0);
}

static void feed(const char *s, size_t len)
{
	uart.dev.ops->input(&uart.dev, s, len);
}

static void test_reset_state(void)
{
	setup();
	EXPECT_EQ(in(IER), 0);
	EXPECT_EQ(in(IIR), 0x01);
	EXPECT_EQ(in(LCR), 0);
	EXPECT_EQ(in(MCR), 0);
	EXPECT_EQ(in(LSR), 0x60);
	EXPECT_EQ(in(MSR), 0xb0);
	EXPECT_EQ(in(SCR), 0);
	EXPECT(!fk.level);
	EXPECT_EQ(uart16550_rx_space(&uart), 1);
}

/* autoconfig(): the IER probe, scratch register and loopback test. */
static void test_linux_autoconfig_probe(void)
{
	uint8_t scratch, scratch2, scratch3, save_mcr, save_lcr;

	setup();
	scratch = in(IER);
	out(IER, 0);
	scratch2 = in(IER) & 0x0f;
	out(IER, 0x0f);
	scratch3 = in(IER) & 0x0f;
	out(IER, scratch);
	EXPECT_EQ(scratch2, 0);
	EXPECT_EQ(scratch3, 0x0f);

	out(SCR, 0xa5);
	EXPECT_EQ(in(SCR), 0xa5);
	out(SCR, 0x5a);
	EXPECT_EQ(in(SCR), 0x5a);

	save_mcr = in(MCR);
	save_lcr = in(LCR);
	out(MCR, 0x10 | 0x0a);		/* LOOP | OUT2 | RTS */
	EXPECT_EQ(in(MSR) & 0xf0, 0x90);
	out(MCR, save_mcr);

	/* EFR probe: with LCR 0xbf register 2 is IIR, never 0. */
	out(LCR, 0xbf);
	EXPECT_NE(in(2), 0);
	out(2, 0);
	out(LCR, 0);

	/* FIFO detection: IIR bits 6-7 = 11 says 16550A. */
	out(FCR, 0x01);
	EXPECT_EQ(in(IIR) >> 6, 3);

	/* autoconfig_16550a(): not a 16750 (no 64-byte FIFO bit 5). */
	out(LCR, 0);
	out(FCR, 0x01 | 0x20);
	EXPECT_EQ(in(IIR) >> 5, 6);
	out(FCR, 0x01);
	out(LCR, 0x80);
	out(FCR, 0x01 | 0x20);
	EXPECT_EQ(in(IIR) >> 5, 6);
	out(FCR, 0x01);
	out(LCR, 0);

	/* Not an XScale UART: IER bit 6 (UUE) does not stick. */
	out(IER, 0x40);
	EXPECT_EQ(in(IER) & 0x40, 0);
	out(IER, 0);

	out(LCR, save_lcr);
	out(MCR, save_mcr);
	/* serial8250_clear_fifos() then the reset reads. */
	out(FCR, 0x01);
	out(FCR, 0x07);
	out(FCR, 0);
	in(RX);
	out(IER, 0);
	EXPECT_EQ(in(IIR), 0x01);
	EXPECT_EQ(fk.out_len, 0);
	EXPECT(!fk.level);
}

/* serial8250_do_startup(): the THRE re-assert test and the TXEN test. */
static void test_linux_startup_thre_tests(void)
{
	uint8_t iir1, iir, lsr;

	setup();
	out(FCR, 0x01);
	out(FCR, 0x07);
	out(FCR, 0);
	in(LSR);
	in(RX);
	in(IIR);
	in(MSR);
	EXPECT_NE(in(LSR), 0xff);

	/* THRE test: the UART must re-assert THRE after IIR cleared it. */
	EXPECT(in(LSR) & 0x20);
	out(IER, 0x02);
	iir1 = in(IIR);
	out(IER, 0);
	out(IER, 0x02);
	iir = in(IIR);
	out(IER, 0);
	EXPECT_EQ(iir1, 0x02);
	EXPECT_EQ(iir, 0x02);
	/* Linux sets UART_BUG_THRE when this holds. */
	EXPECT(!(!(iir1 & 0x01) && (iir & 0x01)));

	out(LCR, 0x03);
	out(MCR, 0x08 | 0x02 | 0x01);	/* OUT2 | RTS | DTR */

	/* TXEN test. */
	out(IER, 0x02);
	lsr = in(LSR);
	iir = in(IIR);
	out(IER, 0);
	EXPECT(lsr & 0x40);
	EXPECT_EQ(iir & 0x01, 0);	/* else UART_BUG_TXEN */

	in(LSR);
	in(RX);
	in(IIR);
	in(MSR);
	EXPECT(!fk.level);
	EXPECT_EQ(fk.last_gsi, IRQ);
}

static void test_thre_interrupt(void)
{
	setup();
	out(MCR, 0x08);
	out(IER, 0x02);
	EXPECT(fk.level);
	EXPECT_EQ(fk.rises, 1);
	/* A read of IIR reporting THRE acknowledges it. */
	EXPECT_EQ(in(IIR), 0x02);
	EXPECT(!fk.level);
	EXPECT_EQ(in(IIR), 0x01);
	/* Each write empties THR at once and raises THRE again. */
	out(TX, 'a');
	EXPECT(fk.level);
	EXPECT_EQ(fk.rises, 2);
	out(TX, 'b');
	EXPECT_EQ(fk.rises, 2);
	EXPECT_EQ(in(LSR), 0x60);
	/* Rewriting ETBEI while set is no new edge; clearing it drops it. */
	out(IER, 0x02);
	EXPECT(fk.level);
	out(IER, 0);
	EXPECT(!fk.level);
	EXPECT_EQ(in(IIR), 0x01);
	EXPECT_EQ(fk.out_len, 2);
	EXPECT_MEMEQ(fk.out, "ab", 2);
}

/*
 * The driver's transmit path: start_tx sets ETBEI, the interrupt handler
 * reads IIR and LSR and writes up to 16 bytes per THRE, stop_tx clears
 * ETBEI.  Every interrupt must be a fresh rising edge.
 */
static void test_linux_irq_driven_tx(void)
{
	static const char msg[] = "Linux version 6.1.0 (debian-kernel@lists.debian.org)\n";
	size_t sent = 0, len = sizeof(msg) - 1;
	unsigned int irqs = 0;
	uint8_t ier = 0x05;		/* RLSI | RDI as after startup */

	setup();
	out(LCR, 0x03);
	out(FCR, 0xc7);
	out(MCR, 0x0b);
	out(IER, ier);
	ier |= 0x02;
	out(IER, ier);			/* __start_tx() */
	while (fk.level && irqs < 100) {
		uint8_t iir = in(IIR), lsr;
		unsigned int n;

		irqs++;
		if (iir & 0x01)
			continue;
		lsr = in(LSR);
		if (!(lsr & 0x20) || !(ier & 0x02))
			continue;
		if (sent == len) {	/* __stop_tx() */
			ier &= ~0x02;
			out(IER, ier);
			continue;
		}
		for (n = 0; n < 16 && sent < len; n++)
			out(TX, msg[sent++]);
	}
	EXPECT_EQ(sent, len);
	EXPECT_EQ(fk.out_len, len);
	EXPECT_MEMEQ(fk.out, msg, len);
	EXPECT(!fk.level);
	EXPECT_EQ(irqs, (len + 15) / 16 + 1);
	EXPECT_EQ(fk.rises, irqs);
}

static void test_divisor_latch(void)
{
	setup();
	out(LCR, 0x83);
	out(DLL, 0x0c);
	out(DLM, 0x01);
	EXPECT_EQ(in(DLL), 0x0c);
	EXPECT_EQ(in(DLM), 0x01);
	out(LCR, 0x03);
	/* THR and IER were not touched. */
	EXPECT_EQ(in(IER), 0);
	EXPECT_EQ(fk.out_len, 0);
	out(TX, 'x');
	EXPECT_EQ(fk.out_len, 1);
	out(LCR, 0x80);
	EXPECT_EQ(in(DLL), 0x0c);
	EXPECT_EQ(in(LCR), 0x80);
	out(LCR, 0x1b);
	EXPECT_EQ(in(LCR), 0x1b);
}

static void test_rx_no_fifo(void)
{
	setup();
	out(MCR, 0x08);
	out(IER, 0x05);
	feed("A", 1);
	EXPECT(fk.level);
	EXPECT_EQ(in(IIR), 0x04);
	EXPECT_EQ(in(LSR), 0x61);
	/* One-byte holding register: the second byte overruns. */
	feed("B", 1);
	EXPECT_EQ(in(IIR), 0x06);
	EXPECT_EQ(in(LSR), 0x63);
	EXPECT_EQ(in(IIR), 0x04);
	EXPECT_EQ(in(RX), 'A');
	EXPECT_EQ(in(LSR), 0x60);
	EXPECT_EQ(in(IIR), 0x01);
	EXPECT(!fk.level);
	/* Reading an empty RBR is harmless. */
	EXPECT_EQ(in(RX), 0);
}

static void test_rx_fifo_triggers(void)
{
	static const uint8_t fcr[4] = { 0x01, 0x41, 0x81, 0xc1 };
	static const unsigned int level[4] = { 1, 4, 8, 14 };
	char buf[16];
	unsigned int t, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = 'a' + i;
	for (t = 0; t < 4; t++) {
		setup();
		out(FCR, fcr[t] | 0x06);
		out(MCR, 0x08);
		out(IER, 0x01);
		EXPECT_EQ(uart16550_rx_space(&uart), 16);
		feed(buf, level[t] - 1);
		EXPECT_EQ(in(IIR) & 0x0f, 0x01);
		feed(buf + level[t] - 1, 1);
		EXPECT_EQ(in(IIR), 0xc4);
		EXPECT(fk.level);
		EXPECT_EQ(uart16550_rx_space(&uart), 16 - level[t]);
		/* Below the trigger again after one read (when it was > 1). */
		EXPECT_EQ(in(RX), 'a');
		EXPECT_EQ(in(IIR) & 0x0f, 0x01);
		EXPECT_EQ(fk.level, false);
		for (i = 1; i < level[t]; i++)
			EXPECT_EQ(in(RX), 'a' + i);
		EXPECT_EQ(in(LSR) & 0x01, 0);
	}
}

static void test_rx_overrun_and_clear(void)
{
	char buf[20];
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i;
	setup();
	out(FCR, 0xc7);
	out(MCR, 0x08);
	out(IER, 0x05);
	feed(buf, 20);
	EXPECT_EQ(uart16550_rx_space(&uart), 0);
	/* The line status interrupt outranks received data. */
	EXPECT_EQ(in(IIR), 0xc6);
	EXPECT_EQ(in(LSR), 0x63);
	EXPECT_EQ(in(IIR), 0xc4);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(in(RX), i);
	EXPECT_EQ(in(LSR), 0x60);
	/* FCR bit 1 empties the receive FIFO. */
	feed(buf, 5);
	out(FCR, 0xc3);
	EXPECT_EQ(in(LSR), 0x60);
	/* Turning the FIFO off empties it too. */
	feed(buf, 5);
	out(FCR, 0x00);
	EXPECT_EQ(in(LSR), 0x60);
	EXPECT_EQ(in(IIR), 0x01);
}

/* 115200 8N1: 10 bits of 8680.5 ns; four characters: 347222 ns. */
static void test_rx_char_timeout(void)
{
	uint64_t t0, dl;

	setup();
	out(LCR, 0x03);
	out(FCR, 0xc1);			/* trigger 14 */
	out(MCR, 0x08);
	out(IER, 0x01);
	EXPECT_EQ(uart.dev.ops->next_deadline(&uart.dev), UINT64_MAX);
	t0 = fk.now;
	feed("hi", 2);
	dl = uart.dev.ops->next_deadline(&uart.dev);
	EXPECT_EQ(dl, t0 + 347222);
	fk.now = dl - 1;
	uart.dev.ops->poll(&uart.dev, fk.now);
	EXPECT(!fk.level);
	EXPECT_EQ(in(IIR), 0xc1);
	fk.now = dl;
	uart.dev.ops->poll(&uart.dev, fk.now);
	EXPECT(fk.level);
	EXPECT_EQ(uart.dev.ops->next_deadline(&uart.dev), UINT64_MAX);
	EXPECT_EQ(in(IIR), 0xcc);
	/* Reading RBR clears it and restarts the timer. */
	EXPECT_EQ(in(RX), 'h');
	EXPECT(!fk.level);
	EXPECT_EQ(uart.dev.ops->next_deadline(&uart.dev), fk.now + 347222);
	/* A register access sees the timeout too, without poll(). */
	fk.now += 347222;
	EXPECT_EQ(in(IIR), 0xcc);
	EXPECT_EQ(in(RX), 'i');
	EXPECT_EQ(in(IIR), 0xc1);
	EXPECT_EQ(uart.dev.ops->next_deadline(&uart.dev), UINT64_MAX);

	/* 9600 baud 7E2: 1+7+1+2 = 11 bits of 104166.7 ns, x4. */
	out(LCR, 0x80 | 0x1e);
	out(DLL, 12);
	out(DLM, 0);
	out(LCR, 0x1e);
	feed("x", 1);
	EXPECT_EQ(uart.dev.ops->next_deadline(&uart.dev),
		  fk.now + 4 * 11 * 1000000000ull * 12 / 115200);
}

static void test_loopback(void)
{
	setup();
	out(FCR, 0x07);
	out(MCR, 0x10);
	out(IER, 0x0f);
	feed("zz", 2);			/* input is disconnected */
	EXPECT_EQ(in(LSR), 0x60);
	EXPECT_EQ(uart16550_rx_space(&uart), 0);
	out(TX, 'Q');
	EXPECT_EQ(fk.out_len, 0);
	EXPECT_EQ(in(LSR), 0x61);
	EXPECT_EQ(in(IIR), 0xc4);	/* interrupts work inside the chip */
	EXPECT(!fk.level);		/* but OUT2 is off in loopback */
	EXPECT_EQ(in(RX), 'Q');
	out(MCR, 0x18);
	EXPECT(!fk.level);
	out(MCR, 0x08);			/* back to normal: line may rise */
	EXPECT(fk.level);
}

static void test_modem_status(void)
{
	setup();
	out(MCR, 0x10);
	/* Entering loopback drops CTS, DSR and DCD. */
	EXPECT_EQ(in(MSR), 0x0b);
	EXPECT_EQ(in(MSR), 0x00);
	out(MCR, 0x10 | 0x0f);
	EXPECT_EQ(in(MSR), 0xfb);
	out(MCR, 0x10 | 0x0b);		/* RI falls: trailing edge */
	EXPECT_EQ(in(MSR), 0xb4);
	out(IER, 0x08);
	out(MCR, 0x10 | 0x0a);
	EXPECT_EQ(in(IIR), 0x00);
	EXPECT_EQ(in(MSR), 0x92);
	EXPECT_EQ(in(IIR), 0x01);
	out(MCR, 0x08);
	EXPECT_EQ(in(MCR), 0x08);
	EXPECT_EQ(in(MSR), 0xb2);
	out(MCR, 0xff);
	EXPECT_EQ(in(MCR), 0x1f);
}

static void test_irq_gating_out2(void)
{
	setup();
	out(IER, 0x02);
	EXPECT(!fk.level);		/* pending, but OUT2 is off */
	EXPECT_EQ(fk.calls, 0);
	out(MCR, 0x08);
	EXPECT(fk.level);
	out(MCR, 0x00);
	EXPECT(!fk.level);
	EXPECT_EQ(fk.rises, 1);
	EXPECT_EQ(fk.falls, 1);
}

static void test_hostile_accesses(void)
{
	struct io_access io;
	unsigned int i;

	setup();
	/* Wide reads split into bytes; bytes past the last port read 0xff. */
	out(SCR, 0x42);
	io = (struct io_access){ .addr = BASE + 6, .size = 4 };
	EXPECT_EQ(uart.dev.ops->pio(&uart.dev, &io), 0);
	EXPECT_EQ(io.val, 0xffff42b0);
	io = (struct io_access){ .addr = BASE + 3, .size = 2, .write = true,
				 .val = 0x0803 };
	EXPECT_EQ(uart.dev.ops->pio(&uart.dev, &io), 0);
	EXPECT_EQ(in(LCR), 0x03);
	EXPECT_EQ(in(MCR), 0x08);
	io = (struct io_access){ .addr = BASE, .size = 8 };
	EXPECT_NE(uart.dev.ops->pio(&uart.dev, &io), 0);
	io = (struct io_access){ .addr = BASE, .size = 3 };
	EXPECT_NE(uart.dev.ops->pio(&uart.dev, &io), 0);
	io = (struct io_access){ .addr = BASE + 8, .size = 1 };
	EXPECT_NE(uart.dev.ops->pio(&uart.dev, &io), 0);
	io = (struct io_access){ .addr = BASE - 1, .size = 1 };
	EXPECT_NE(uart.dev.ops->pio(&uart.dev, &io), 0);
	io = (struct io_access){ .addr = UINT64_MAX, .size = 4 };
	EXPECT_NE(uart.dev.ops->pio(&uart.dev, &io), 0);

	/* Random writes and reads: invariants hold, nothing crashes. */
	srand(7);
	for (i = 0; i < 200000; i++) {
		unsigned int reg = rand() % 8;
		char c[3] = { rand(), rand(), rand() };

		fk.now += rand() % 100000;
		if (rand() % 3 == 0)
			out(reg, rand());
		else if (rand() % 4 == 0)
			feed(c, 1 + rand() % 3);
		else if (rand() % 8 == 0)
			uart.dev.ops->poll(&uart.dev, fk.now);
		else
			in(reg);
		EXPECT(uart.rx_count <= UART16550_FIFO_SIZE);
		EXPECT(uart.rx_head < UART16550_FIFO_SIZE);
		EXPECT(uart16550_rx_space(&uart) <= UART16550_FIFO_SIZE);
		EXPECT_EQ(uart.irq_level, fk.level);
		if (ktap_case_failures)
			break;
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_reset_state),
	KTAP_CASE(test_linux_autoconfig_probe),
	KTAP_CASE(test_linux_startup_thre_tests),
	KTAP_CASE(test_thre_interrupt),
	KTAP_CASE(test_linux_irq_driven_tx),
	KTAP_CASE(test_divisor_latch),
	KTAP_CASE(test_rx_no_fifo),
	KTAP_CASE(test_rx_fifo_triggers),
	KTAP_CASE(test_rx_overrun_and_clear),
	KTAP_CASE(test_rx_char_timeout),
	KTAP_CASE(test_loopback),
	KTAP_CASE(test_modem_status),
	KTAP_CASE(test_irq_gating_out2),
	KTAP_CASE(test_hostile_accesses),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
