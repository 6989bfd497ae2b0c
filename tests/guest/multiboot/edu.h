/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What edu.c shares with pcicfg.c (config space on bus 0 and the MSI
 * capability) and eduirq.c (an IDT that counts every vector, the local
 * APIC, a TSC clock calibrated against the PIT).
 */
#ifndef EDU_H
#define EDU_H

#include "mbtest.h"

#define LAPIC_BASE	0xfee00000u
#define FIRST_VECTOR	0x20
#define NR_VECTORS	256

/* ---- eduirq.c ---- */
extern volatile uint32_t irq_count[NR_VECTORS];
/* Loads a GDT and an IDT, masks the 8259s, enables the APIC, sets IF. */
void irq_setup(void);
uint32_t lapic_id(void);
/* Interrupts taken on vectors FIRST_VECTOR..255 so far, all together. */
uint32_t irq_total(void);
uint64_t tsc(void);
/* TSC ticks per millisecond, measured on PIT channel 2 (0 if it failed). */
uint32_t tsc_calibrate(void);
extern uint32_t tsc_per_ms;
uint64_t deadline_ms(uint32_t ms);
bool past(uint64_t deadline);
void delay_ms(uint32_t ms);

/* ---- shared helpers ---- */
void puthex(uint32_t v);

#endif
