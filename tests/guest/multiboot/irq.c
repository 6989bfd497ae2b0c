// SPDX-License-Identifier: GPL-2.0
/*
 * What the test kernels that take interrupts share: a flat GDT, IDT
 * gates, loading both, and the local APIC's registers (xAPIC, at its
 * default base).
 */
#include "mbtest.h"

#define LAPIC		0xfee00000u

static const uint64_t gdt[3] = {
	0,
	0x00cf9a000000ffffull,	/* 0x08: flat 32-bit code */
	0x00cf92000000ffffull,	/* 0x10: flat data */
};

void irq_set_gate(struct gate *idt, unsigned int vec, const void *fn)
{
	uint32_t a = (uint32_t)fn;

	idt[vec] = (struct gate){ .off_lo = a & 0xffff, .sel = 0x08,
				  .type = 0x8e, .off_hi = a >> 16 };
}

void irq_load_tables(const struct gate *idt, unsigned int nr_gates)
{
	struct table_ptr g = { sizeof(gdt) - 1, (uint32_t)gdt };
	struct table_ptr i = { nr_gates * sizeof(*idt) - 1, (uint32_t)idt };

	__asm__ volatile("lgdt %0\n"
			 "ljmp $0x08, $1f\n"
			 "1: mov $0x10, %%ax\n"
			 "mov %%ax, %%ds\n"
			 "mov %%ax, %%es\n"
			 "mov %%ax, %%ss\n"
			 "mov %%ax, %%fs\n"
			 "mov %%ax, %%gs\n"
			 "lidt %1" : : "m"(g), "m"(i) : "eax", "memory");
}

uint32_t lapic_rd(uint32_t reg)
{
	return *(volatile uint32_t *)(LAPIC + reg);
}

void lapic_wr(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC + reg) = v;
}

uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
