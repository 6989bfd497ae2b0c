/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 8254 programmable interval timer: three counters at 1.193182 MHz on
 * ports 0x40-0x43, channel 0 driving ISA IRQ 0, and the two bits of
 * port 0x61 that belong to channel 2 (bit 0: its gate, bit 5: its OUT
 * pin), which Linux uses to calibrate the TSC.
 *
 *	struct pit8254 pit;
 *	pit8254_init(&pit, env);
 *	register pit.dev for ports [PIT8254_BASE, PIT8254_BASE + 4) and
 *	PIT8254_PORT_61
 *
 * Counters are derived from env->now_ns(), never ticked; poll() pulses
 * IRQ 0 (set_irq high, then low) at each rising edge of channel 0's OUT
 * pin, and next_deadline() says when the next one is due.
 */
#ifndef HV_EMUL_PIT8254_H
#define HV_EMUL_PIT8254_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#define PIT8254_BASE		0x40
#define PIT8254_NR_PORTS	4
#define PIT8254_PORT_61		0x61	/* system control port B */
#define PIT8254_IRQ		0
#define PIT8254_HZ		1193182u

/*
 * Channel 0's interrupts come no closer together than this, whatever
 * the guest programs (a count of 2 would ask for 600,000 a second); the
 * counters themselves keep exact time.
 */
#define PIT8254_MIN_IRQ_PERIOD_NS	100000u

struct pit8254_channel {
	uint8_t mode;		/* 0-5 */
	uint8_t rw;		/* 1: LSB only, 2: MSB only, 3: LSB then MSB */
	bool bcd;
	bool gate;
	uint8_t state;		/* PIT_CH_* in pit8254.c */
	uint16_t cr;		/* count register as last written, binary */
	uint32_t init;		/* count (modes 2, 3: period) at start_ns */
	uint64_t start_ns;	/* when the counting element held init */
	uint32_t frozen;	/* the count while not counting */
	bool tc_done;		/* terminal count passed before a pause */
	bool null_count;
	bool reload_pending;	/* modes 2, 3: new count at period end */
	uint64_t reload_ns;
	bool lsb_written;	/* rw 3: the LSB is in, the MSB is next */
	uint8_t lsb;
	bool read_msb;		/* rw 3: the next read returns the MSB */
	bool count_latched;
	uint16_t latch;		/* as the guest reads it (BCD if bcd) */
	bool latch_msb;
	bool status_latched;
	uint8_t status;
};

struct pit8254 {
	struct emul_device dev;		/* dev.priv points back here */
	struct pit8254_channel ch[3];
	uint8_t port61;			/* bits 0-3 as written */
	uint64_t irq_next_ns;		/* next IRQ 0 pulse, or UINT64_MAX */
	uint64_t irq_last_ns;
	uint64_t irq_count;		/* pulses sent, for statistics */
};

void pit8254_init(struct pit8254 *pit, const struct emul_env *env);

#endif /* HV_EMUL_PIT8254_H */
