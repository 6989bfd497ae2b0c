/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the Multiboot test kernels share: port I/O, KTAP (ktap.c) and
 * the shape of their descriptor tables.
 */
#ifndef MBTEST_H
#define MBTEST_H

#include <stdbool.h>
#include <stdint.h>

/* A 32-bit IDT gate, and the operand of LGDT and LIDT. */
struct gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __attribute__((packed));

struct table_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

extern int ktap_tests, ktap_failed;	/* results so far, failed */

/* Interrupt plumbing (irq.c): a flat GDT, gates, the local APIC. */
void irq_set_gate(struct gate *idt, unsigned int vec, const void *fn);
void irq_load_tables(const struct gate *idt, unsigned int nr_gates);
uint32_t lapic_rd(uint32_t reg);
void lapic_wr(uint32_t reg, uint32_t v);
uint64_t tsc(void);

void outb(uint16_t port, uint8_t v);
uint8_t inb(uint16_t port);
void putc(char c);
void puts(const char *s);
void putu(uint32_t v);
void result(bool ok, const char *name);
void diag(const char *what, uint32_t v);
/* Whether the command line (its path first) holds word. */
bool has_word(const char *s, const char *word);

/* Linux's PIT calibrations replayed in the guest (pitcal.c). */
void pitcal_run(void);
/* External interrupts delivered once, with IF set (irqonce.c). */
void irqonce_run(void);
/* MOV to CR4 refused for what CPUID does not offer (cr4.c). */
void cr4_run(void);
/* NMIs blocked from delivery to IRET, one latched (nmi.c). */
void nmi_run(void);

#endif
