// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART.
 *
 * The line is infinitely fast: a byte written to THR is handed to
 * env->console_write at once, so THRE and TEMT are always set.  The THRE
 * interrupt still behaves as on the chip, because Linux's 8250 driver
 * probes it at start-up: it is raised when THR empties (after every
 * write) and when IER.ETBEI goes from 0 to 1, and it is cleared by
 * reading IIR while it is the reported source, by writing THR, or by
 * clearing ETBEI.
 *
 * The character timeout interrupt is raised four character times (from
 * the divisor and LCR) after the last byte was received or read, when
 * the FIFO holds fewer bytes than the trigger level: checked on every
 * register access and in poll(), with next_deadline() giving the time.
 *
 * The interrupt output is the OR of the enabled sources, gated by
 * MCR.OUT2 as on PCs, and forced off in loopback mode (the OUT2 pin is
 * inactive then).  It is recomputed after every access and passed to
 * env->set_irq() when it changes.
 *
 * Not modelled: parity, framing errors and breaks (nothing on the
 * emulated line can produce them), DMA mode signals, the transmit FIFO
 * (never holds anything).  Bytes arriving in loopback mode are dropped:
 * the chip disconnects its serial input then.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/uart16550.h>

enum {
	REG_RBR_THR = 0,	/* DLL with LCR.DLAB */
	REG_IER = 1,		/* DLM with LCR.DLAB */
	REG_IIR_FCR = 2,
	REG_LCR = 3,
	REG_MCR = 4,
	REG_LSR = 5,
	REG_MSR = 6,
	REG_SCR = 7,
};

#define IER_ERBFI	0x01	/* received data available */
#define IER_ETBEI	0x02	/* THR empty */
#define IER_ELSI	0x04	/* line status */
#define IER_EDSSI	0x08	/* modem status */
#define IER_MASK	0x0f	/* bits 4-7 read as 0 on a 16550A */

#define IIR_NONE	0x01
#define IIR_MSR		0x00
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_RLS		0x06
#define IIR_TIMEOUT	0x0c
#define IIR_FIFO_ON	0xc0

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02

#define LCR_DLAB	0x80

#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT1	0x04
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define MCR_MASK	0x1f

#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_ERRORS	0x1e	/* OE, PE, FE, BI */
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80
#define MSR_TERI	0x04

/* The emulated line: a terminal that is always there and ready. */
#define MODEM_IN_CONNECTED	(MSR_CTS | MSR_DSR | MSR_DCD)

#define UART_CLOCK_HZ	115200u	/* 1.8432 MHz crystal / 16 */
#define NSEC_PER_SEC	1000000000ull

static const uint8_t rx_triggers[4] = { 1, 4, 8, 14 };

static uint64_t uart_now(struct uart16550 *u)
{
	const struct emul_env *env = u->dev.env;

	return env->now_ns ? env->now_ns(env->ctx) : 0;
}

static unsigned int rx_capacity(const struct uart16550 *u)
{
	return u->fifo_on ? UART16550_FIFO_SIZE : 1;
}

/* Four characters on the wire, start and stop bits included. */
static uint64_t uart_timeout_ns(const struct uart16550 *u)
{
	unsigned int data_bits = 5 + (u->lcr & 3);
	unsigned int half_bits = 2 * (1 + data_bits);
	uint32_t divisor = (uint32_t)u->dlm << 8 | u->dll;

	if (u->lcr & 0x08)			/* parity */
		half_bits += 2;
	if (u->lcr & 0x04)			/* 1.5 or 2 stop bits */
		half_bits += data_bits == 5 ? 3 : 4;
	else
		half_bits += 2;
	if (!divisor)				/* the counter wraps */
		divisor = 65536;
	return 4ull * half_bits * NSEC_PER_SEC * divisor /
	       (2ull * UART_CLOCK_HZ);
}

static bool timeout_armed(const struct uart16550 *u)
{
	return u->fifo_on && u->rx_count && u->rx_count < u->rx_trigger &&
	       !u->timeout_pending;
}

static uint64_t timeout_deadline(const struct uart16550 *u)
{
	if (!timeout_armed(u))
		return UINT64_MAX;
	return u->rx_last_ns + uart_timeout_ns(u);
}

static void uart_check_timeout(struct uart16550 *u, uint64_t now)
{
	if (timeout_armed(u) && now >= timeout_deadline(u))
		u->timeout_pending = true;
}

static bool rx_data_ready(const struct uart16550 *u)
{
	if (!u->rx_count)
		return false;
	return !u->fifo_on || u->rx_count >= u->rx_trigger;
}

/* The interrupt identification, highest priority source first. */
static uint8_t uart_iir_id(const struct uart16550 *u)
{
	if ((u->ier & IER_ELSI) && (u->lsr_err & LSR_ERRORS))
		return IIR_RLS;
	if ((u->ier & IER_ERBFI) && rx_data_ready(u))
		return IIR_RDA;
	if ((u->ier & IER_ERBFI) && u->timeout_pending && u->rx_count)
		return IIR_TIMEOUT;
	if ((u->ier & IER_ETBEI) && u->thre_pending)
		return IIR_THRE;
	if ((u->ier & IER_EDSSI) && (u->msr_delta & 0x0f))
		return IIR_MSR;
	return IIR_NONE;
}

static void uart_update_irq(struct uart16550 *u)
{
	const struct emul_env *env = u->dev.env;
	bool level = uart_iir_id(u) != IIR_NONE && (u->mcr & MCR_OUT2) &&
		     !(u->mcr & MCR_LOOP);

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (env->set_irq)
		env->set_irq(env->ctx, u->irq, level);
}

/* MSR bits 4-7: the modem inputs, wired to MCR outputs in loopback. */
static uint8_t modem_inputs(const struct uart16550 *u)
{
	uint8_t in = 0;

	if (!(u->mcr & MCR_LOOP))
		return MODEM_IN_CONNECTED;
	if (u->mcr & MCR_RTS)
		in |= MSR_CTS;
	if (u->mcr & MCR_DTR)
		in |= MSR_DSR;
	if (u->mcr & MCR_OUT1)
		in |= MSR_RI;
	if (u->mcr & MCR_OUT2)
		in |= MSR_DCD;
	return in;
}

static void uart_update_modem(struct uart16550 *u)
{
	uint8_t in = modem_inputs(u);
	uint8_t changed = in ^ u->modem_in;

	if (changed & MSR_CTS)
		u->msr_delta |= 0x01;
	if (changed & MSR_DSR)
		u->msr_delta |= 0x02;
	if ((changed & MSR_RI) && !(in & MSR_RI))	/* trailing edge */
		u->msr_delta |= MSR_TERI;
	if (changed & MSR_DCD)
		u->msr_delta |= 0x08;
	u->modem_in = in;
}

static void rx_clear(struct uart16550 *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	u->timeout_pending = false;
}

static void rx_push(struct uart16550 *u, uint8_t byte, uint64_t now)
{
	unsigned int tail;

	u->rx_last_ns = now;
	u->timeout_pending = false;
	if (u->rx_count >= rx_capacity(u)) {
		u->lsr_err |= LSR_OE;
		return;
	}
	tail = (u->rx_head + u->rx_count) % UART16550_FIFO_SIZE;
	u->rx[tail] = byte;
	u->rx_count++;
}

static uint8_t rx_pop(struct uart16550 *u, uint64_t now)
{
	uint8_t byte;

	u->rx_last_ns = now;
	u->timeout_pending = false;
	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head % UART16550_FIFO_SIZE];
	u->rx_head = (u->rx_head + 1) % UART16550_FIFO_SIZE;
	u->rx_count--;
	return byte;
}

static void uart_transmit(struct uart16550 *u, uint8_t byte, uint64_t now)
{
	const struct emul_env *env = u->dev.env;
	char c = (char)byte;

	if (u->mcr & MCR_LOOP)
		rx_push(u, byte, now);
	else if (env->console_write)
		env->console_write(env->ctx, &c, 1);
	/* The shift register took it at once: THR is empty again. */
	u->thre_pending = true;
}

static void uart_write_ier(struct uart16550 *u, uint8_t val)
{
	uint8_t old = u->ier;

	u->ier = val & IER_MASK;
	if ((u->ier & IER_ETBEI) && !(old & IER_ETBEI))
		u->thre_pending = true;		/* THR is always empty */
	else if (!(u->ier & IER_ETBEI))
		u->thre_pending = false;
}

static void uart_write_fcr(struct uart16550 *u, uint8_t val)
{
	bool on = val & FCR_ENABLE;

	/* Switching the FIFOs on or off empties them. */
	if (on != u->fifo_on)
		rx_clear(u);
	u->fifo_on = on;
	if (!on)
		return;
	if (val & FCR_CLEAR_RX)
		rx_clear(u);
	u->rx_trigger = rx_triggers[(val >> 6) & 3];
}

static void uart_write(struct uart16550 *u, unsigned int reg, uint8_t val,
		       uint64_t now)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_RBR_THR:
		if (dlab)
			u->dll = val;
		else
			uart_transmit(u, val, now);
		break;
	case REG_IER:
		if (dlab)
			u->dlm = val;
		else
			uart_write_ier(u, val);
		break;
	case REG_IIR_FCR:
		uart_write_fcr(u, val);
		break;
	case REG_LCR:
		u->lcr = val;
		break;
	case REG_MCR:
		u->mcr = val & MCR_MASK;
		uart_update_modem(u);
		break;
	case REG_SCR:
		u->scr = val;
		break;
	default:	/* LSR and MSR: factory test writes, ignored */
		break;
	}
}

static uint8_t uart_read_iir(struct uart16550 *u)
{
	uint8_t id = uart_iir_id(u);

	/* Reading IIR is what acknowledges a THRE interrupt. */
	if (id == IIR_THRE)
		u->thre_pending = false;
	return id | (u->fifo_on ? IIR_FIFO_ON : 0);
}

static uint8_t uart_read_lsr(struct uart16550 *u)
{
	uint8_t lsr = LSR_THRE | LSR_TEMT | u->lsr_err;

	if (u->rx_count)
		lsr |= LSR_DR;
	u->lsr_err = 0;
	return lsr;
}

static uint8_t uart_read_msr(struct uart16550 *u)
{
	uint8_t msr;

	uart_update_modem(u);
	msr = u->modem_in | (u->msr_delta & 0x0f);
	u->msr_delta = 0;
	return msr;
}

static uint8_t uart_read(struct uart16550 *u, unsigned int reg, uint64_t now)
{
	bool dlab = u->lcr & LCR_DLAB;

	switch (reg) {
	case REG_RBR_THR:
		return dlab ? u->dll : rx_pop(u, now);
	case REG_IER:
		return dlab ? u->dlm : u->ier;
	case REG_IIR_FCR:
		return uart_read_iir(u);
	case REG_LCR:
		return u->lcr;
	case REG_MCR:
		return u->mcr;
	case REG_LSR:
		return uart_read_lsr(u);
	case REG_MSR:
		return uart_read_msr(u);
	default:
		return u->scr;
	}
}

/*
 * The registers are byte wide: a wider access is split into byte
 * accesses to consecutive ports, as the ISA bus does, and bytes past
 * the last register read as 0xff.
 */
static int uart_pio(struct emul_device *dev, struct io_access *io)
{
	struct uart16550 *u = dev->priv;
	uint64_t now, val = 0;
	unsigned int i, size = io->size;

	if (size != 1 && size != 2 && size != 4)
		return -PVKIT_EINVAL;
	if (io->addr < u->base || io->addr - u->base >= UART16550_NR_PORTS)
		return -PVKIT_EINVAL;
	now = uart_now(u);
	uart_check_timeout(u, now);
	for (i = 0; i < size; i++) {
		uint64_t reg = io->addr - u->base + i;
		uint8_t byte = 0xff;

		if (io->write) {
			if (reg < UART16550_NR_PORTS)
				uart_write(u, reg, io->val >> (8 * i), now);
			continue;
		}
		if (reg < UART16550_NR_PORTS)
			byte = uart_read(u, reg, now);
		val |= (uint64_t)byte << (8 * i);
	}
	if (!io->write)
		io->val = val;
	uart_update_irq(u);
	return 0;
}

static void uart_poll(struct emul_device *dev, uint64_t now_ns)
{
	struct uart16550 *u = dev->priv;

	uart_check_timeout(u, now_ns);
	uart_update_irq(u);
}

static uint64_t uart_next_deadline(struct emul_device *dev)
{
	struct uart16550 *u = dev->priv;

	if (!(u->ier & IER_ERBFI))
		return UINT64_MAX;
	return timeout_deadline(u);
}

static void uart_input(struct emul_device *dev, const char *buf, size_t len)
{
	struct uart16550 *u = dev->priv;
	uint64_t now;
	size_t i;

	/* Loopback disconnects the serial input. */
	if (!len || (u->mcr & MCR_LOOP))
		return;
	now = uart_now(u);
	for (i = 0; i < len; i++)
		rx_push(u, (uint8_t)buf[i], now);
	uart_update_irq(u);
}

unsigned int uart16550_rx_space(const struct uart16550 *u)
{
	if ((u->mcr & MCR_LOOP) || u->rx_count >= rx_capacity(u))
		return 0;
	return rx_capacity(u) - u->rx_count;
}

static size_t uart_input_room(struct emul_device *dev)
{
	return uart16550_rx_space(dev->priv);
}

static const struct emul_device_ops uart16550_ops = {
	.name = "uart16550",
	.pio = uart_pio,
	.poll = uart_poll,
	.next_deadline = uart_next_deadline,
	.input = uart_input,
	.input_room = uart_input_room,
};

void uart16550_init(struct uart16550 *u, const struct emul_env *env,
		    uint16_t base, unsigned int irq)
{
	*u = (struct uart16550){
		.dev = { .ops = &uart16550_ops, .env = env, .priv = u },
		.base = base,
		.irq = irq,
		.dll = 1,			/* 115200 baud */
		.rx_trigger = 1,
		.modem_in = MODEM_IN_CONNECTED,
	};
}
