// SPDX-License-Identifier: GPL-2.0
/*
 * The 8259A pair, as far as a PC operating system programs it: ICW1-4,
 * OCW1-3 (mask, specific/non-specific EOI, rotation, read IRR/ISR, poll,
 * special mask), auto-EOI, the cascade on IRQ2 and the ELCR.  MCS-80 mode,
 * buffered mode and ICW1's LTIM bit are not emulated (ELCR selects level
 * triggering, as on PIIX/ICH chipsets).
 */
#include <stdbool.h>
#include <stdint.h>
#include <hv/emul/vpic8259.h>

#define CASCADE_IRQ	2

/* Priority rank of irq: 0 is served first. */
static unsigned int rank(const struct vpic_chip *c, int irq)
{
	return (unsigned int)(irq - c->prio_add) & 7;
}

/* The IRQ in mask with the highest priority, or -1. */
static int highest(const struct vpic_chip *c, uint8_t mask)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		int irq = (c->prio_add + i) & 7;

		if (mask & (1u << irq))
			return irq;
	}
	return -1;
}

/* The request this chip would raise INTR for, or -1. */
static int chip_pending(const struct vpic_chip *c, bool master)
{
	int irq = highest(c, c->irr & ~c->imr), cur;
	uint8_t isr = c->isr;

	if (irq < 0)
		return -1;
	if (c->special_mask)
		isr &= ~c->imr;
	/* Fully nested: the slave may interrupt its own in-service IRQs. */
	if (master && c->sfnm)
		isr &= ~(1u << CASCADE_IRQ);
	cur = highest(c, isr);
	if (cur >= 0 && rank(c, cur) <= rank(c, irq))
		return -1;
	return irq;
}

/* The slave's INTR is the master's IRQ2 input, followed as a level. */
static void update_cascade(struct vpic *p)
{
	struct vpic_chip *m = &p->chip[0];

	if (chip_pending(&p->chip[1], false) >= 0)
		m->irr |= 1u << CASCADE_IRQ;
	else
		m->irr &= ~(1u << CASCADE_IRQ);
}

static void chip_ack(struct vpic_chip *c, int irq)
{
	uint8_t m = 1u << irq;

	/* An edge request is consumed; a level one lasts while the line does. */
	if (!(c->elcr & m))
		c->irr &= ~m;
	if (!c->auto_eoi)
		c->isr |= m;
	else if (c->rotate_aeoi)
		c->prio_add = (irq + 1) & 7;
}

bool vpic_output(const struct vpic *p)
{
	return chip_pending(&p->chip[0], true) >= 0;
}

int vpic_ack(struct vpic *p)
{
	struct vpic_chip *m = &p->chip[0], *s = &p->chip[1];
	int irq = chip_pending(m, true), sirq, vec;

	if (irq < 0)
		return m->base | 7;	/* spurious: nothing set in ISR */
	chip_ack(m, irq);
	if (irq != CASCADE_IRQ) {
		vec = m->base | irq;
	} else {
		sirq = chip_pending(s, false);
		if (sirq < 0) {
			vec = s->base | 7;
		} else {
			chip_ack(s, sirq);
			vec = s->base | sirq;
		}
	}
	update_cascade(p);
	return vec;
}

void vpic_set_irq(struct vpic *p, unsigned int irq, bool level)
{
	struct vpic_chip *c;
	uint8_t m;

	if (irq >= 16 || irq == CASCADE_IRQ)
		return;
	c = &p->chip[irq >> 3];
	m = 1u << (irq & 7);
	if (c->elcr & m) {
		if (level)
			c->irr |= m;
		else
			c->irr &= ~m;
	} else if (level && !(c->line & m)) {
		c->irr |= m;
	}
	if (level)
		c->line |= m;
	else
		c->line &= ~m;
	update_cascade(p);
}

static void chip_reset(struct vpic_chip *c, uint8_t elcr_wmask)
{
	*c = (struct vpic_chip){
		.imr = 0xff,	/* masked until the OS sets the chip up */
		.elcr_wmask = elcr_wmask,
	};
}

void vpic_init(struct vpic *p)
{
	/* IRQ 0, 1, 2, 8 and 13 are edge-only on a PC. */
	chip_reset(&p->chip[0], 0xf8);
	chip_reset(&p->chip[1], 0xde);
}

static void write_icw1(struct vpic_chip *c, uint8_t val)
{
	/* Pending edges are forgotten; a new rising edge is needed. */
	c->irr &= c->elcr;
	c->imr = 0;
	c->isr = 0;
	c->prio_add = 0;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_aeoi = false;
	c->icw4 = val & 1;
	c->single = val & 2;
	if (!c->icw4) {
		c->auto_eoi = false;
		c->sfnm = false;
	}
	c->init_step = 1;
}

static void write_ocw2(struct vpic_chip *c, uint8_t val)
{
	unsigned int cmd = val >> 5;
	int irq = val & 7;

	switch (cmd) {
	case 0:		/* clear rotate in auto-EOI */
	case 4:		/* set rotate in auto-EOI */
		c->rotate_aeoi = cmd == 4;
		return;
	case 1:		/* non-specific EOI */
	case 5:		/* rotate on non-specific EOI */
		irq = highest(c, c->isr);
		if (irq < 0)
			return;
		break;
	case 3:		/* specific EOI */
	case 7:		/* rotate on specific EOI */
		break;
	case 6:		/* set priority: irq becomes the lowest */
		c->prio_add = (irq + 1) & 7;
		return;
	default:	/* 2: no operation */
		return;
	}
	c->isr &= ~(1u << irq);
	if (cmd == 5 || cmd == 7)
		c->prio_add = (irq + 1) & 7;
}

static void write_cmd(struct vpic_chip *c, uint8_t val)
{
	if (val & 0x10) {
		write_icw1(c, val);
	} else if (val & 0x08) {	/* OCW3 */
		if (val & 0x04)
			c->poll = true;
		if (val & 0x02)
			c->read_isr = val & 1;
		if (val & 0x40)
			c->special_mask = val & 0x20;
	} else {
		write_ocw2(c, val);
	}
}

static void write_data(struct vpic_chip *c, uint8_t val)
{
	switch (c->init_step) {
	case 1:		/* ICW2 */
		c->base = val & 0xf8;
		c->init_step = !c->single ? 2 : c->icw4 ? 3 : 0;
		break;
	case 2:		/* ICW3: the wiring is fixed, nothing to learn */
		c->init_step = c->icw4 ? 3 : 0;
		break;
	case 3:		/* ICW4 */
		c->auto_eoi = val & 0x02;
		c->sfnm = val & 0x10;
		c->init_step = 0;
		break;
	default:	/* OCW1 */
		c->imr = val;
		break;
	}
}

/* A poll command makes the next read an acknowledge. */
static uint8_t read_poll(struct vpic *p, struct vpic_chip *c)
{
	int irq = chip_pending(c, c == &p->chip[0]);

	c->poll = false;
	if (irq < 0)
		return 0;
	chip_ack(c, irq);
	return 0x80 | irq;
}

static void write_elcr(struct vpic_chip *c, uint8_t val)
{
	c->elcr = val & c->elcr_wmask;
	/* Level inputs request exactly while their line is high. */
	c->irr = (c->irr & ~c->elcr) | (c->line & c->elcr);
}

static int chip_io(struct vpic *p, struct vpic_chip *c, bool data,
		   struct io_access *io)
{
	uint8_t val = io->val;

	if (io->write) {
		if (data)
			write_data(c, val);
		else
			write_cmd(c, val);
		return 0;
	}
	if (data)
		io->val = c->imr;
	else if (c->poll)
		io->val = read_poll(p, c);
	else
		io->val = c->read_isr ? c->isr : c->irr;
	return 0;
}

int vpic_pio(struct vpic *p, struct io_access *io)
{
	uint64_t port = io->addr;
	int ret;

	if (port != 0x20 && port != 0x21 && port != 0xa0 && port != 0xa1 &&
	    port != 0x4d0 && port != 0x4d1)
		return -1;
	if (io->size != 1) {
		/* Byte registers: wider accesses float and are dropped. */
		if (!io->write)
			io->val = io->size >= 8 ? ~0ull :
				  (1ull << (8 * io->size)) - 1;
		return 0;
	}
	if (port >= VPIC_ELCR_PORT) {
		struct vpic_chip *c = &p->chip[port & 1];

		if (io->write)
			write_elcr(c, io->val);
		else
			io->val = c->elcr;
		update_cascade(p);
		return 0;
	}
	ret = chip_io(p, &p->chip[port >= VPIC_SLAVE_PORT], port & 1, io);
	update_cascade(p);
	return ret;
}
