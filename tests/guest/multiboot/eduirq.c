// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts and time for the edu test kernel (edu.c).  Every vector from
 * FIRST_VECTOR up has a gate that counts it, so that an interrupt on a
 * vector nobody asked for shows as plainly as the expected one; the
 * local APIC (xAPIC, at its default base) gets the EOI.  An exception
 * ends the kernel with a line saying which.  Time is the TSC, its rate
 * measured once against PIT channel 2: the deadlines of the DMA waits
 * and of the bystander's watch are wall-clock ones.
 */
#include "edu.h"

#define LAPIC_ID	0x020
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER	0x320
#define SPURIOUS	0xff
#define DEBUG_EXIT	0xf4
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PORT_61		0x61
#define OUT2		0x20
#define CAL_MS		50
#define CAL_COUNT	(1193182u * CAL_MS / 1000)

static struct gate idt[NR_VECTORS];
volatile uint32_t irq_count[NR_VECTORS];
uint32_t tsc_per_ms;

void edu_irq(uint32_t vector);
void edu_fault(uint32_t vector);
extern char edu_irq_entries[], edu_fault_entries[];

/* Stubs 16 bytes apart: push the vector, then join the common path. */
__asm__(".text\n"
	".globl edu_irq_entries\n"
	".align 16\n"
	"edu_irq_entries:\n"
	".set vec, 0x20\n"
	".rept 224\n"
	"	.align 16\n"
	"	pushl $vec\n"
	"	jmp edu_irq_common\n"
	"	.set vec, vec + 1\n"
	".endr\n"
	"edu_irq_common:\n"
	"	pusha\n"
	"	pushl 32(%esp)\n"
	"	call edu_irq\n"
	"	add $4, %esp\n"
	"	popa\n"
	"	add $4, %esp\n"
	"	iret\n"
	".globl edu_fault_entries\n"
	".align 16\n"
	"edu_fault_entries:\n"
	".set vec, 0\n"
	".rept 32\n"
	"	.align 16\n"
	"	pushl $vec\n"
	"	jmp edu_fault_common\n"
	"	.set vec, vec + 1\n"
	".endr\n"
	"edu_fault_common:\n"
	"	call edu_fault\n"
	"1:	hlt\n"
	"	jmp 1b\n");

/* A spurious interrupt is counted like the rest, but takes no EOI. */
void edu_irq(uint32_t vector)
{
	irq_count[vector & 0xff]++;
	if (vector != SPURIOUS)
		lapic_wr(LAPIC_EOI, 0);
}

void edu_fault(uint32_t vector)
{
	diag("exception, vector ", vector);
	result(false, "no_exception");
	outb(DEBUG_EXIT, (uint8_t)ktap_failed);
}

static void load_tables(void)
{
	for (unsigned int v = 0; v < 32; v++)
		irq_set_gate(idt, v, edu_fault_entries + 16 * v);
	for (unsigned int v = FIRST_VECTOR; v < NR_VECTORS; v++)
		irq_set_gate(idt, v, edu_irq_entries + 16 * (v - FIRST_VECTOR));
	irq_load_tables(idt, NR_VECTORS);
}

/*
 * SeaBIOS leaves the 8259s delivering the PIT on vector 8, which here is
 * an exception gate: masked, only the APIC's interrupts arrive.
 */
void irq_setup(void)
{
	load_tables();
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	lapic_wr(LAPIC_LVT_TIMER, 1u << 16);
	lapic_wr(LAPIC_SVR, 0x100 | SPURIOUS);
	__asm__ volatile("sti");
}

uint32_t lapic_id(void)
{
	return lapic_rd(LAPIC_ID) >> 24;
}

uint32_t irq_total(void)
{
	uint32_t n = 0;

	for (unsigned int v = FIRST_VECTOR; v < NR_VECTORS; v++)
		n += irq_count[v];
	return n;
}

/* Channel 2 in mode 0, gated on through port 0x61: OUT2 rises at zero. */
uint32_t tsc_calibrate(void)
{
	uint64_t t0, t1;
	uint32_t polls = 0;

	outb(PORT_61, (inb(PORT_61) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, CAL_COUNT & 0xff);
	outb(PIT_CH2, CAL_COUNT >> 8);
	t0 = tsc();
	while (!(inb(PORT_61) & OUT2) && ++polls < 50000000u)
		;
	t1 = tsc();
	tsc_per_ms = polls < 50000000u ? (uint32_t)((t1 - t0) / CAL_MS) : 0;
	return tsc_per_ms;
}

uint64_t deadline_ms(uint32_t ms)
{
	/* Uncalibrated, a 2 GHz guess keeps every wait bounded. */
	uint64_t rate = tsc_per_ms ? tsc_per_ms : 2000000;

	return tsc() + rate * ms;
}

bool past(uint64_t deadline)
{
	return tsc() >= deadline;
}

void delay_ms(uint32_t ms)
{
	uint64_t end = deadline_ms(ms);

	while (!past(end))
		__asm__ volatile("" : : : "memory");
}

void puthex(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";

	puts("0x");
	for (int s = 28; s >= 0; s -= 4)
		putc(digits[(v >> s) & 0xf]);
}
