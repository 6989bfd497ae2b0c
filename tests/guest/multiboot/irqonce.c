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
	lapic_wr(LAPIC_EOI, 0);
}

/* An exception ends the kernel: nothing here should raise one. */
void irqonce_fault(uint32_t vector)
{
	fault_vector = vector;
	diag("exception, vector ", vector);
	result(false, "no_exception");
	outb(0xf4, 1);
}

static void load_tables(void)
{
	for (unsigned int v = 0; v < 32; v++)
		irq_set_gate(idt, v, irqonce_fault_entries + 8 * v);
	irq_set_gate(idt, TIMER_VECTOR, irqonce_timer_entry);
	irq_set_gate(idt, SPURIOUS, irqonce_spurious_entry);
	irq_load_tables(idt, 256);
}

void irqonce_run(void)
{
	uint64_t t0;

	puts("KTAP version 1\n1..3\n");
	load_tables();
	lapic_wr(LAPIC_SVR, 0x100 | SPURIOUS);
	lapic_wr(LAPIC_TDCR, 0xb);			/* divide by 1 */
	lapic_wr(LAPIC_LVT_TIMER, PERIODIC | TIMER_VECTOR);
	lapic_wr(LAPIC_TMICT, 1000000);		/* 1 ms at the 1 GHz bus */
	t0 = tsc();
	__asm__ volatile("sti");
	while (tsc() - t0 < RUN_CYCLES)
		__asm__ volatile("pause");
	__asm__ volatile("cli");
	lapic_wr(LAPIC_TMICT, 0);
	diag("interrupts taken ", taken);
	diag("delivered with IF clear ", twice);
	result(taken >= 100, "timer_interrupts_taken");
	result(twice == 0, "no_interrupt_delivered_twice");
	result(fault_vector == 0xffffffff && lapic_rd(LAPIC_SVR) & 0x100,
	       "no_exception");
}
