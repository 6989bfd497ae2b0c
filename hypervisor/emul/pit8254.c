// SPDX-License-Identifier: GPL-2.0
/*
 * 8254 programmable interval timer.
 *
 * A counter is never ticked: it remembers when it started (start_ns)
 * and from which count (init), and its count and OUT pin at any time
 * are computed from the number of 1.193182 MHz clocks since then.  The
 * tick arithmetic splits whole seconds off so nothing overflows within
 * the uptime of any guest.
 *
 * All six modes are modelled, in binary and BCD.  Only channel 2 has a
 * gate the guest controls (port 0x61 bit 0); channels 0 and 1 have
 * theirs tied high, so modes 1 and 5 (started by a gate edge) never
 * start on them, as on a PC.  A new count is taken at once in modes 0
 * and 4, at the next gate trigger in modes 1 and 5, and at the end of
 * the current period in modes 2 and 3 (the datasheet's half-period
 * subtlety in mode 3 is not modelled).  A control word stops the
 * counter until a count is written; its count reads as what it held.
 *
 * Simplification: the count is taken into the counting element at the
 * instant it is written rather than on the next clock edge, so OUT
 * changes one clock (838 ns) early.  Nothing measures that.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/clock.h>
#include <hv/emul/pit8254.h>

enum {
	PIT_CH_IDLE,		/* control word written, no count yet */
	PIT_CH_WAIT_TRIGGER,	/* modes 1, 5: count in, no gate edge yet */
	PIT_CH_RUNNING,
	PIT_CH_PAUSED,		/* gate low */
};

#define PORT_CONTROL	3

#define P61_GATE2	0x01
#define P61_RW_MASK	0x0f
#define P61_REFRESH	0x10
#define P61_OUT2	0x20
/* DRAM refresh request toggles every 15.085 us on PCs. */
#define REFRESH_NS	15085u

static uint64_t pit_now(struct pit8254 *pit)
{
	const struct emul_env *env = pit->dev.env;

	return env->now_ns ? env->now_ns(env->ctx) : 0;
}

static uint32_t modulus(const struct pit8254_channel *ch)
{
	return ch->bcd ? 10000 : 65536;
}

/* A count of 0 stands for the largest one. */
static uint32_t count_eff(const struct pit8254_channel *ch, uint32_t n)
{
	return n ? n : modulus(ch);
}

static uint16_t from_bcd(uint16_t v)
{
	uint16_t r = 0;
	int shift;

	/* A digit above 9 counts as 9: the guest gets a sane count. */
	for (shift = 12; shift >= 0; shift -= 4)
		r = r * 10 + MIN((v >> shift) & 0xf, 9);
	return r;
}

static uint16_t to_bcd(uint32_t v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
	       (v / 10 % 10) << 4 | v % 10;
}

/* Modes 2 and 3: a count written mid-period takes over at its end. */
static void ch_advance(struct pit8254_channel *ch, uint64_t now)
{
	if (!ch->reload_pending || now < ch->reload_ns)
		return;
	ch->reload_pending = false;
	ch->start_ns = ch->reload_ns;
	ch->init = count_eff(ch, ch->cr);
	ch->null_count = false;
}

static uint32_t square_count(uint32_t n, uint64_t t)
{
	uint32_t p = t % n, high = (n + 1) / 2;

	if (!(n & 1))
		return n - 2 * (p % (n / 2));
	/* Odd: n, n-1, n-3 ... 2 while high; n, n-3, n-5 ... 2 while low. */
	if (p < high)
		return p ? n + 1 - 2 * p : n;
	p -= high;
	return p ? n - 1 - 2 * p : n;
}

/* The counting element, 0 .. modulus - 1. */
static uint32_t ch_count(const struct pit8254_channel *ch, uint64_t now)
{
	uint32_t m = modulus(ch), n = ch->init;
	uint64_t t;

	if (ch->state != PIT_CH_RUNNING || !n)
		return ch->frozen % m;
	t = emul_ticks_since(ch->start_ns, now, PIT8254_HZ);
	switch (ch->mode) {
	case 2:
		return (n - t % n) % m;
	case 3:
		return square_count(n, t) % m;
	default:
		return (n + m - t % m) % m;
	}
}

static bool ch_out(const struct pit8254_channel *ch, uint64_t now)
{
	uint32_t n = ch->init;
	uint64_t t;

	switch (ch->state) {
	case PIT_CH_IDLE:
		return ch->mode != 0;
	case PIT_CH_WAIT_TRIGGER:
		return true;
	case PIT_CH_PAUSED:
		return ch->mode == 0 ? ch->tc_done : true;
	}
	if (!n)
		return true;
	t = emul_ticks_since(ch->start_ns, now, PIT8254_HZ);
	switch (ch->mode) {
	case 0:
	case 1:
		return ch->tc_done || t >= n;
	case 2:
		return n == 1 || t % n != n - 1;
	case 3:
		return t % n < (n + 1) / 2;
	default:	/* 4, 5: low for the one clock at terminal count */
		return ch->tc_done || t != n;
	}
}

/* The first rising edge of OUT after clock 'after', in clocks. */
static uint64_t ch_next_rise(const struct pit8254_channel *ch, uint64_t after)
{
	uint32_t n = ch->init;

	if (ch->state != PIT_CH_RUNNING || !n || ch->tc_done)
		return UINT64_MAX;
	switch (ch->mode) {
	case 2:
	case 3:
		return (after / n + 1) * n;
	case 0:
	case 1:
		return n > after ? n : UINT64_MAX;
	default:
		return n + 1 > after ? n + 1 : UINT64_MAX;
	}
}

static void ch_start(struct pit8254_channel *ch, uint64_t now)
{
	ch->state = PIT_CH_RUNNING;
	ch->start_ns = now;
	ch->init = count_eff(ch, ch->cr);
	ch->tc_done = false;
	ch->null_count = false;
	ch->reload_pending = false;
}

/* Stops counting, keeping the count and what OUT has done. */
static void ch_freeze(struct pit8254_channel *ch, uint64_t now, uint8_t state)
{
	if (ch->state == PIT_CH_RUNNING) {
		ch->frozen = ch_count(ch, now);
		if (ch->mode != 2 && ch->mode != 3 && ch->init &&
		    emul_ticks_since(ch->start_ns, now, PIT8254_HZ) >= ch->init)
			ch->tc_done = true;
	}
	ch->state = state;
	ch->reload_pending = false;
}

static void pit_irq_rearm(struct pit8254 *pit, uint64_t now)
{
	struct pit8254_channel *ch = &pit->ch[0];
	uint64_t rise, t, earliest;

	ch_advance(ch, now);
	t = ch->state == PIT_CH_RUNNING ?
	    emul_ticks_since(ch->start_ns, now, PIT8254_HZ) : 0;
	if (ch->reload_pending)
		pit->irq_next_ns = ch->reload_ns;	/* the period's end */
	else if ((rise = ch_next_rise(ch, t)) == UINT64_MAX)
		pit->irq_next_ns = UINT64_MAX;
	else
		pit->irq_next_ns = emul_tick_time(ch->start_ns, rise, PIT8254_HZ);
	if (pit->irq_next_ns == UINT64_MAX || pit->irq_count == 0)
		return;
	if (pit->irq_last_ns > UINT64_MAX - PIT8254_MIN_IRQ_PERIOD_NS)
		return;
	earliest = pit->irq_last_ns + PIT8254_MIN_IRQ_PERIOD_NS;
	if (pit->irq_next_ns < earliest)
		pit->irq_next_ns = earliest;
}

static void ch_load(struct pit8254 *pit, unsigned int i, uint16_t val,
		    uint64_t now)
{
	struct pit8254_channel *ch = &pit->ch[i];

	ch->cr = ch->bcd ? from_bcd(val) : val;
	ch->null_count = true;
	switch (ch->mode) {
	case 0:
	case 4:
		if (ch->gate) {
			ch_start(ch, now);
		} else {
			ch->frozen = count_eff(ch, ch->cr);
			ch->init = ch->frozen;
			ch->tc_done = false;
			ch->null_count = false;
			ch->state = PIT_CH_PAUSED;
		}
		break;
	case 1:
	case 5:
		if (ch->state == PIT_CH_IDLE)
			ch->state = PIT_CH_WAIT_TRIGGER;
		break;
	default:
		ch_advance(ch, now);
		if (ch->state == PIT_CH_RUNNING) {
			uint64_t t = emul_ticks_since(ch->start_ns, now, PIT8254_HZ);

			ch->reload_pending = true;
			ch->reload_ns = emul_tick_time(ch->start_ns,
					(t / ch->init + 1) * ch->init,
					PIT8254_HZ);
		} else if (ch->gate) {
			ch_start(ch, now);
		} else {
			ch->frozen = count_eff(ch, ch->cr);
			ch->state = PIT_CH_PAUSED;
		}
		break;
	}
	if (i == 0)
		pit_irq_rearm(pit, now);
}

static void ch_write(struct pit8254 *pit, unsigned int i, uint8_t val,
		     uint64_t now)
{
	struct pit8254_channel *ch = &pit->ch[i];

	switch (ch->rw) {
	case 1:
		ch_load(pit, i, val, now);
		break;
	case 2:
		ch_load(pit, i, (uint16_t)val << 8, now);
		break;
	default:
		if (!ch->lsb_written) {
			ch->lsb_written = true;
			ch->lsb = val;
			/* Mode 0 stops counting at the first byte. */
			if (ch->mode != 0)
				break;
			ch_freeze(ch, now, PIT_CH_IDLE);
			if (i == 0)
				pit_irq_rearm(pit, now);
			break;
		}
		ch->lsb_written = false;
		ch_load(pit, i, ch->lsb | (uint16_t)val << 8, now);
		break;
	}
}

static uint16_t ch_visible_count(struct pit8254_channel *ch, uint64_t now)
{
	uint32_t c;

	ch_advance(ch, now);
	c = ch_count(ch, now);
	return ch->bcd ? to_bcd(c) : c;
}

static uint8_t ch_read(struct pit8254_channel *ch, uint64_t now)
{
	uint16_t c;

	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	if (ch->count_latched) {
		c = ch->latch;
		if (ch->rw == 3 && !ch->latch_msb) {
			ch->latch_msb = true;
			return c;
		}
		ch->count_latched = false;
		ch->latch_msb = false;
		return ch->rw == 2 || ch->rw == 3 ? c >> 8 : c;
	}
	c = ch_visible_count(ch, now);
	if (ch->rw == 1)
		return c;
	if (ch->rw == 2)
		return c >> 8;
	ch->read_msb = !ch->read_msb;
	return ch->read_msb ? c : c >> 8;
}

static void ch_latch_count(struct pit8254_channel *ch, uint64_t now)
{
	if (ch->count_latched)
		return;
	ch->latch = ch_visible_count(ch, now);
	ch->count_latched = true;
	ch->latch_msb = false;
}

static void ch_latch_status(struct pit8254_channel *ch, uint64_t now)
{
	if (ch->status_latched)
		return;
	ch_advance(ch, now);
	ch->status = (ch_out(ch, now) ? 0x80 : 0) |
		     (ch->null_count ? 0x40 : 0) | ch->rw << 4 |
		     ch->mode << 1 | (ch->bcd ? 1 : 0);
	ch->status_latched = true;
}

static void pit_read_back(struct pit8254 *pit, uint8_t val, uint64_t now)
{
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!(val & (2 << i)))
			continue;
		if (!(val & 0x20))
			ch_latch_count(&pit->ch[i], now);
		if (!(val & 0x10))
			ch_latch_status(&pit->ch[i], now);
	}
}

static void pit_write_control(struct pit8254 *pit, uint8_t val, uint64_t now)
{
	unsigned int i = val >> 6, rw = (val >> 4) & 3;
	struct pit8254_channel *ch;

	if (i == 3) {
		pit_read_back(pit, val, now);
		return;
	}
	ch = &pit->ch[i];
	if (!rw) {
		ch_latch_count(ch, now);
		return;
	}
	ch_advance(ch, now);
	ch_freeze(ch, now, PIT_CH_IDLE);
	ch->rw = rw;
	ch->mode = (val >> 1) & 7;
	if (ch->mode >= 6)		/* 6 and 7 are aliases of 2 and 3 */
		ch->mode -= 4;
	ch->bcd = val & 1;
	ch->frozen %= modulus(ch);
	ch->tc_done = false;
	ch->null_count = true;
	ch->lsb_written = false;
	ch->read_msb = false;
	ch->count_latched = false;
	ch->latch_msb = false;
	ch->status_latched = false;
	if (i == 0)
		pit->irq_next_ns = UINT64_MAX;
}

static void ch_set_gate(struct pit8254_channel *ch, bool gate, uint64_t now)
{
	if (gate == ch->gate)
		return;
	ch_advance(ch, now);
	ch->gate = gate;
	switch (ch->mode) {
	case 0:
	case 4:
		if (!gate && ch->state == PIT_CH_RUNNING) {
			ch_freeze(ch, now, PIT_CH_PAUSED);
		} else if (gate && ch->state == PIT_CH_PAUSED) {
			bool done = ch->tc_done;

			ch->state = PIT_CH_RUNNING;
			ch->start_ns = now;
			ch->init = count_eff(ch, ch->frozen);
			ch->tc_done = done;
			ch->null_count = false;
		}
		break;
	case 1:
	case 5:
		if (gate && ch->state != PIT_CH_IDLE)
			ch_start(ch, now);
		break;
	default:
		if (!gate && ch->state == PIT_CH_RUNNING)
			ch_freeze(ch, now, PIT_CH_PAUSED);
		else if (gate && ch->state == PIT_CH_PAUSED)
			ch_start(ch, now);
		break;
	}
}

static uint8_t pit_read_61(struct pit8254 *pit, uint64_t now)
{
	struct pit8254_channel *ch = &pit->ch[2];
	uint8_t val = pit->port61 & P61_RW_MASK;

	ch_advance(ch, now);
	if (ch_out(ch, now))
		val |= P61_OUT2;
	if ((now / REFRESH_NS) & 1)
		val |= P61_REFRESH;
	return val;
}

static void pit_write_61(struct pit8254 *pit, uint8_t val, uint64_t now)
{
	pit->port61 = val & P61_RW_MASK;
	ch_set_gate(&pit->ch[2], val & P61_GATE2, now);
}

static bool pit_port(uint64_t port)
{
	return (port >= PIT8254_BASE &&
		port < PIT8254_BASE + PIT8254_NR_PORTS) ||
	       port == PIT8254_PORT_61;
}

static uint8_t pit_read(struct pit8254 *pit, uint64_t port, uint64_t now)
{
	if (port == PIT8254_PORT_61)
		return pit_read_61(pit, now);
	if (port - PIT8254_BASE == PORT_CONTROL)
		return 0xff;			/* write-only */
	return ch_read(&pit->ch[port - PIT8254_BASE], now);
}

static void pit_write(struct pit8254 *pit, uint64_t port, uint8_t val,
		      uint64_t now)
{
	if (port == PIT8254_PORT_61)
		pit_write_61(pit, val, now);
	else if (port - PIT8254_BASE == PORT_CONTROL)
		pit_write_control(pit, val, now);
	else
		ch_write(pit, port - PIT8254_BASE, val, now);
}

/* Byte-wide registers: wider accesses split as on the ISA bus. */
static int pit_pio(struct emul_device *dev, struct io_access *io)
{
	struct pit8254 *pit = dev->priv;
	unsigned int i, size = io->size;
	uint64_t now, val = 0;

	if (size != 1 && size != 2 && size != 4)
		return -PVKIT_EINVAL;
	if (!pit_port(io->addr))
		return -PVKIT_EINVAL;
	now = pit_now(pit);
	for (i = 0; i < size; i++) {
		uint64_t port = io->addr + i;
		uint8_t byte = 0xff;

		if (io->write) {
			if (pit_port(port))
				pit_write(pit, port, io->val >> (8 * i), now);
			continue;
		}
		if (pit_port(port))
			byte = pit_read(pit, port, now);
		val |= (uint64_t)byte << (8 * i);
	}
	if (!io->write)
		io->val = val;
	return 0;
}

/*
 * One pulse per poll however many edges were missed: a late poll is
 * like an interrupt controller that had the request pending already.
 */
static void pit_poll(struct emul_device *dev, uint64_t now_ns)
{
	struct pit8254 *pit = dev->priv;
	const struct emul_env *env = dev->env;

	if (now_ns < pit->irq_next_ns)
		return;
	if (env->set_irq) {
		env->set_irq(env->ctx, PIT8254_IRQ, true);
		env->set_irq(env->ctx, PIT8254_IRQ, false);
	}
	pit->irq_last_ns = now_ns;
	pit->irq_count++;
	pit_irq_rearm(pit, now_ns);
}

static uint64_t pit_next_deadline(struct emul_device *dev)
{
	struct pit8254 *pit = dev->priv;

	return pit->irq_next_ns;
}

static const struct emul_device_ops pit8254_ops = {
	.name = "pit8254",
	.pio = pit_pio,
	.poll = pit_poll,
	.next_deadline = pit_next_deadline,
};

void pit8254_init(struct pit8254 *pit, const struct emul_env *env)
{
	unsigned int i;

	*pit = (struct pit8254){
		.dev = { .ops = &pit8254_ops, .env = env, .priv = pit },
		.irq_next_ns = UINT64_MAX,
	};
	for (i = 0; i < 3; i++) {
		pit->ch[i].rw = 3;
		pit->ch[i].gate = i != 2;	/* channel 2's is port 0x61 */
	}
}
