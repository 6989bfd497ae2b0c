// SPDX-License-Identifier: GPL-2.0
/*
 * Every external interrupt delivered exactly once, and only with IF set
 * (tests/suites/49-multiboot-guests, "irqonce"): the local APIC timer
 * runs periodically at about 1 kHz while the handler spins for a while
 * before its EOI, so that most of the time an injected interrupt is in
 * flight.  An interrupt delivered twice arrives a second time on the
 * handler's first instruction with IF clear: the frame says so.  QEMU's
 * single-threaded TCG, whose vCPU switches land anywhere in that window,
 * is where a hypervisor injecting through EVENTINJ failed it.
 */
#include "mbtest.h"

#define LAPIC		0xfee00000u
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TMICT	0x380
#define LAPIC_TDCR	0x3e0
#define TIMER_VECTOR	0x40
#define SPURIOUS	0xff
#define PERIODIC	(1u << 17)
#define EFLAGS_IF	(1u << 9)
#define SPIN_CYCLES	700000u		/* per interrupt, before the EOI */
#define RUN_CYCLES	6000000000ull	/* about 3 s at 2 GHz */

struct frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;	/* pusha */
	uint32_t eip, cs, eflags;
};

static const uint64_t gdt[3] = {
	0,
	0x00cf9a000000ffffull,	/* 0x08: flat 32-bit code */
	0x00cf92000000ffffull,	/* 0x10: flat data */
};
static struct gate idt[256];
static volatile uint32_t taken, twice, fault_vector = 0xffffffff;

void irqonce_timer(struct frame *f);
void irqonce_fault(uint32_t vector);
extern char irqonce_timer_entry[], irqonce_spurious_entry[];
extern char irqonce_fault_entries[];

/* Fault stubs are 8 bytes apart: push the vector, then join. */
__asm__(".text\n"
	".globl irqonce_timer_entry\n"
	"irqonce_timer_entry:\n"
	"	pusha\n"
	"	push %esp\n"
	"	call irqonce_timer\n"
	"	add $4, %esp\n"
	"	popa\n"
	"	iret\n"
	".globl irqonce_spurious_entry\n"
	"irqonce_spurious_entry:\n"
	"	iret\n"
	".globl irqonce_fault_entries\n"
	".align 8\n"
	"irqonce_fault_entries:\n"
	"	.rept 32\n"
	"	.align 8\n"
	"	push $(. - irqonce_fault_entries) / 8\n"
	"	jmp irqonce_fault_common\n"
	"	.endr\n"
	"irqonce_fault_common:\n"
	"	call irqonce_fault\n"
	"1:	hlt\n"
	"	jmp 1b\n");

static uint32_t rd(uint32_t reg)
{
	return *(volatile uint32_t *)(LAPIC + reg);
}

static void wr(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(LAPIC + reg) = v;
}

static uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

void irqonce_timer(struct frame *f)
{
	uint64_t t0 = tsc();

	if (!(f->eflags & EFLAGS_IF) ||
	    f->eip == (uint32_t)irqonce_timer_entry)
		twice++;
	taken++;
	/* No PAUSE: under TCG it ends the run of translated code. */
	while (tsc() - t0 < SPIN_CYCLES)
		__asm__ volatile("" : : : "memory");
	wr(LAPIC_EOI, 0);
}

/* An exception ends the kernel: nothing here should raise one. */
void irqonce_fault(uint32_t vector)
{
	fault_vector = vector;
	diag("exception, vector ", vector);
	result(false, "no_exception");
	outb(0xf4, 1);
}

static void set_gate(unsigned int vec, const void *fn)
{
	uint32_t a = (uint32_t)fn;

	idt[vec] = (struct gate){ .off_lo = a & 0xffff, .sel = 0x08,
				  .type = 0x8e, .off_hi = a >> 16 };
}

static void load_tables(void)
{
	struct table_ptr g = { sizeof(gdt) - 1, (uint32_t)gdt };
	struct table_ptr i = { sizeof(idt) - 1, (uint32_t)idt };

	for (unsigned int v = 0; v < 32; v++)
		set_gate(v, irqonce_fault_entries + 8 * v);
	set_gate(TIMER_VECTOR, irqonce_timer_entry);
	set_gate(SPURIOUS, irqonce_spurious_entry);
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

void irqonce_run(void)
{
	uint64_t t0;

	puts("KTAP version 1\n1..3\n");
	load_tables();
	wr(LAPIC_SVR, 0x100 | SPURIOUS);
	wr(LAPIC_TDCR, 0xb);			/* divide by 1 */
	wr(LAPIC_LVT_TIMER, PERIODIC | TIMER_VECTOR);
	wr(LAPIC_TMICT, 1000000);		/* 1 ms at the 1 GHz bus */
	t0 = tsc();
	__asm__ volatile("sti");
	while (tsc() - t0 < RUN_CYCLES)
		__asm__ volatile("pause");
	__asm__ volatile("cli");
	wr(LAPIC_TMICT, 0);
	diag("interrupts taken ", taken);
	diag("delivered with IF clear ", twice);
	result(taken >= 100, "timer_interrupts_taken");
	result(twice == 0, "no_interrupt_delivered_twice");
	result(fault_vector == 0xffffffff && rd(LAPIC_SVR) & 0x100,
	       "no_exception");
}
