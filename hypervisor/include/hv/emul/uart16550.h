/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 16550A UART model: eight byte-wide registers at a base port (COM1:
 * 0x3F8, IRQ 4), a 16-byte receive FIFO, and a transmitter that is
 * infinitely fast: every byte written to THR goes straight to
 * env->console_write and THR/TEMT read as empty again at once.
 *
 *	struct uart16550 com1;
 *	uart16550_init(&com1, env, UART16550_COM1_BASE, UART16550_COM1_IRQ);
 *	register ports com1.dev for [base, base + UART16550_NR_PORTS)
 *
 * Receive: feed bytes through com1.dev.ops->input(); a byte arriving
 * while the FIFO is full is lost and sets LSR.OE, as on the chip, so a
 * caller that must not lose input checks uart16550_rx_space() first.
 */
#ifndef HV_EMUL_UART16550_H
#define HV_EMUL_UART16550_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define UART16550_COM1_BASE	0x3f8
#define UART16550_COM1_IRQ	4
#define UART16550_COM2_BASE	0x2f8
#define UART16550_COM2_IRQ	3
#define UART16550_NR_PORTS	8
#define UART16550_FIFO_SIZE	16

struct uart16550 {
	struct emul_device dev;		/* dev.priv points back here */
	uint16_t base;
	unsigned int irq;

	uint8_t ier;
	uint8_t lcr;
	uint8_t mcr;
	uint8_t scr;
	uint8_t dll, dlm;
	bool fifo_on;			/* FCR bit 0 */
	uint8_t rx_trigger;		/* 1, 4, 8 or 14 bytes */
	uint8_t lsr_err;		/* sticky OE/PE/FE/BI, cleared by LSR read */
	uint8_t msr_delta;		/* MSR bits 0-3, cleared by MSR read */
	uint8_t modem_in;		/* MSR bits 4-7 as last seen */

	/* Receive FIFO (one byte deep with the FIFO off). */
	uint8_t rx[UART16550_FIFO_SIZE];
	uint8_t rx_head;		/* index of the oldest byte */
	uint8_t rx_count;
	uint64_t rx_last_ns;		/* last byte received or RBR read */

	bool thre_pending;		/* THRE interrupt raised, not yet seen */
	bool timeout_pending;		/* character timeout interrupt */
	bool irq_level;			/* what set_irq() was last told */
};

void uart16550_init(struct uart16550 *u, const struct emul_env *env,
		    uint16_t base, unsigned int irq);

/* Bytes input() can take now without an overrun. */
unsigned int uart16550_rx_space(const struct uart16550 *u);

#endif /* HV_EMUL_UART16550_H */
