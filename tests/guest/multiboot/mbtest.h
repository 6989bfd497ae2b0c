/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the Multiboot test kernels share: port I/O, KTAP (ktap.c), PCI
 * configuration space (pcicfg.c) and the shape of their descriptor
 * tables.
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

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Configuration space on bus 0 through ports 0xcf8/0xcfc (pcicfg.c). */
uint32_t cfg_read32(uint8_t devfn, uint8_t reg);
uint16_t cfg_read16(uint8_t devfn, uint8_t reg);
void cfg_write32(uint8_t devfn, uint8_t reg, uint32_t v);
void cfg_write16(uint8_t devfn, uint8_t reg, uint16_t v);
/* The first function on bus 0 with these ids: its devfn, or -1. */
int pci_find(uint16_t vendor, uint16_t device);
/* BAR0's size in bytes, sized with decoding off and put back. */
uint32_t pci_bar0_size(uint8_t devfn);
/* The offset of capability id in config space, or 0. */
uint8_t pci_find_cap(uint8_t devfn, uint8_t id);
/* Programs and enables the one MSI vector; false if it is not there. */
bool msi_enable(uint8_t devfn, uint32_t addr, uint16_t data, bool *is64);

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
