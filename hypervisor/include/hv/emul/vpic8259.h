/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PC's pair of 8259A interrupt controllers (master at 0x20/0x21, slave
 * at 0xa0/0xa1 cascaded on master IRQ2) and the ELCR edge/level register
 * (0x4d0/0x4d1).  The master's INTR output reaches the CPUs through LINT0
 * in ExtINT mode; vpic_ack() is the interrupt acknowledge cycle.
 *
 * Not thread-safe: the IRQ router serialises every call.
 */
#ifndef HV_EMUL_VPIC8259_H
#define HV_EMUL_VPIC8259_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define VPIC_MASTER_PORT	0x20
#define VPIC_SLAVE_PORT		0xa0
#define VPIC_ELCR_PORT		0x4d0

struct vpic_chip {
	uint8_t irr;		/* requests */
	uint8_t isr;		/* in service */
	uint8_t imr;		/* masked */
	uint8_t elcr;		/* 1 = level-triggered input */
	uint8_t elcr_wmask;	/* IRQs that may be level-triggered */
	uint8_t line;		/* input levels, for edge detection */
	uint8_t base;		/* ICW2: vector of IRQ 0 on this chip */
	uint8_t prio_add;	/* the IRQ that has the highest priority */
	uint8_t init_step;	/* next ICW expected on the data port, 0: none */
	bool icw4;
	bool single;
	bool auto_eoi;
	bool rotate_aeoi;
	bool sfnm;		/* special fully nested mode */
	bool special_mask;
	bool read_isr;
	bool poll;
};

struct vpic {
	struct vpic_chip chip[2];	/* master, slave */
};

void vpic_init(struct vpic *p);
/* Ports 0x20-0x21, 0xa0-0xa1, 0x4d0-0x4d1.  0 = handled, -1 = not ours. */
int vpic_pio(struct vpic *p, struct io_access *io);
/* ISA IRQ 0-15 input line (IRQ2 is the cascade and is ignored). */
void vpic_set_irq(struct vpic *p, unsigned int irq, bool level);
/* The master's INTR output. */
bool vpic_output(const struct vpic *p);
/* INTA: the vector to run (a spurious IRQ7/15 vector if none). */
int vpic_ack(struct vpic *p);

#endif /* HV_EMUL_VPIC8259_H */
