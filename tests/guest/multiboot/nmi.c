// SPDX-License-Identifier: GPL-2.0
/*
 * NMI blocking (tests/suites/49-multiboot-guests, "nmi"): from an NMI's
 * delivery until the next IRET the CPU takes no other NMI, latches one
 * that comes meanwhile and delivers it right after that IRET; maskable
 * interrupts still come in the NMI handler once it sets IF.  Each round
 * sends an NMI to this CPU through its local APIC, and the handler's
 * first run does what the round tests:
 *   latched:  one more NMI to itself: it must not nest, and must arrive
 *             at the instruction the first NMI's IRET returned to;
 *   one:      three more: exactly one of them is delivered;
 *   irq:      STI and a fixed IPI to itself: taken inside the handler.
 * Two last rounds send the PIT's interrupt through the IOAPIC (about
 * 1 kHz), as an NMI and then as a fixed interrupt, while the CPU loops
 * over STI, NOP, CLI: neither may arrive on the NOP, which the STI's
 * interrupt shadow covers.  They become pending at an exit anywhere in
 * the loop, often inside the shadow, and QEMU's SVM forgets a shadow
 * across VMRUN.
 */
#include "mbtest.h"

#define LAPIC_ID	0x020
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define ICR_NMI		(4u << 8)
#define ICR_ASSERT	(1u << 14)
#define IPI_VECTOR	0x50
#define PIT_VECTOR	0x60
#define SPURIOUS	0xff
#define WAIT_CYCLES	200000000ull	/* about 0.1 s at 2 GHz */
#define SHADOW_CYCLES	3000000000ull	/* about 1.5 s */
#define IOAPIC		((volatile uint32_t *)0xfec00000)
#define PIT_GSI		2
#define RTE_NMI		(4u << 8)
#define RTE_MASKED	(1u << 16)
#define PIT_HZ		1193182u

enum round { LATCHED, ONE, IRQ, SHADOW };

struct frame {
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;	/* pusha */
	uint32_t eip, cs, eflags;
};

static struct gate idt[256];
static volatile enum round round;
static volatile uint32_t nmis, depth, nested, ipis, ipi_in_nmi;
static volatile uint32_t eip[2], fault_vector = 0xffffffff;
static volatile uint32_t in_shadow;

void nmi_handler(struct frame *f);
void nmi_ipi(void);
void nmi_pit(struct frame *f);
void nmi_fault(uint32_t vector);
extern char nmi_entry[], nmi_ipi_entry[], nmi_pit_entry[];
extern char nmi_spurious_entry[];
extern char nmi_fault_entries[], nmi_post_sti[];

__asm__(".text\n"
	".globl nmi_entry\n"
	"nmi_entry:\n"
	"	pusha\n"
	"	push %esp\n"
	"	call nmi_handler\n"
	"	add $4, %esp\n"
	"	popa\n"
	"	iret\n"
	".globl nmi_ipi_entry\n"
	"nmi_ipi_entry:\n"
	"	pusha\n"
	"	call nmi_ipi\n"
	"	popa\n"
	"	iret\n"
	".globl nmi_pit_entry\n"
	"nmi_pit_entry:\n"
	"	pusha\n"
	"	push %esp\n"
	"	call nmi_pit\n"
	"	add $4, %esp\n"
	"	popa\n"
	"	iret\n"
	".globl nmi_spurious_entry\n"
	"nmi_spurious_entry:\n"
	"	iret\n"
	".globl nmi_fault_entries\n"
	".align 8\n"
	"nmi_fault_entries:\n"
	"	.rept 32\n"
	"	.align 8\n"
	"	push $(. - nmi_fault_entries) / 8\n"
	"	jmp nmi_fault_common\n"
	"	.endr\n"
	"nmi_fault_common:\n"
	"	call nmi_fault\n"
	"1:	hlt\n"
	"	jmp 1b\n");

static void send_self(uint32_t low)
{
	lapic_wr(LAPIC_ICR_HI, lapic_rd(LAPIC_ID) & 0xff000000u);
	lapic_wr(LAPIC_ICR_LO, low);
}

/* Long enough for anything sent to have arrived, under TCG too. */
static void settle(void)
{
	uint64_t t0 = tsc();

	while (tsc() - t0 < WAIT_CYCLES)
		__asm__ volatile("" : : : "memory");
}

void nmi_handler(struct frame *f)
{
	uint32_t n = nmis++;

	if (round == SHADOW) {
		in_shadow += f->eip == (uint32_t)nmi_post_sti;
		return;
	}

	if (depth++)
		nested++;
	if (n < 2)
		eip[n] = f->eip;
	if (n == 0 && round == LATCHED) {
		send_self(ICR_NMI | ICR_ASSERT);
		settle();
	} else if (n == 0 && round == ONE) {
		for (int i = 0; i < 3; i++)
			send_self(ICR_NMI | ICR_ASSERT);
		settle();
	} else if (n == 0 && round == IRQ) {
		__asm__ volatile("sti");
		send_self(ICR_ASSERT | IPI_VECTOR);
		settle();
		__asm__ volatile("cli");
		ipi_in_nmi = ipis;
	}
	depth--;
}

void nmi_ipi(void)
{
	ipis++;
	lapic_wr(LAPIC_EOI, 0);
}

/* The PIT as a fixed interrupt, in the shadow round. */
void nmi_pit(struct frame *f)
{
	ipis++;
	in_shadow += f->eip == (uint32_t)nmi_post_sti;
	lapic_wr(LAPIC_EOI, 0);
}

void nmi_fault(uint32_t vector)
{
	fault_vector = vector;
	diag("exception, vector ", vector);
	result(false, "no_exception");
	outb(0xf4, 1);
}

static void run_round(enum round r)
{
	nmis = nested = 0;
	eip[0] = eip[1] = 0;
	round = r;
	send_self(ICR_NMI | ICR_ASSERT);
	settle();
	diag("NMIs taken ", nmis);
}

static void ioapic_wr(uint32_t reg, uint32_t v)
{
	IOAPIC[0] = reg;
	IOAPIC[4] = v;
}

/* STI, then one instruction in its shadow, then CLI, for a while. */
static void shadow_loop(void)
{
	uint64_t t0 = tsc();

	while (tsc() - t0 < SHADOW_CYCLES)
		__asm__ volatile("sti\n"
				 ".globl nmi_post_sti\n"
				 "nmi_post_sti:\n"
				 "	nop\n"
				 "	cli" : : : "memory");
}

/* rte: the IOAPIC entry's low half, as an NMI or a fixed vector. */
static void run_shadow_round(uint32_t rte)
{
	uint32_t latch = PIT_HZ / 1000;

	nmis = ipis = in_shadow = 0;
	round = SHADOW;
	ioapic_wr(0x11 + 2 * PIT_GSI, lapic_rd(LAPIC_ID) & 0xff000000u);
	ioapic_wr(0x10 + 2 * PIT_GSI, rte);
	outb(0x43, 0x34);		/* channel 0, both bytes, mode 2 */
	outb(0x40, latch & 0xff);
	outb(0x40, latch >> 8);
	shadow_loop();
	ioapic_wr(0x10 + 2 * PIT_GSI, RTE_MASKED);
	diag("NMIs taken ", nmis);
	diag("interrupts taken ", ipis);
	diag("taken in the STI shadow ", in_shadow);
}

void nmi_run(void)
{
	puts("KTAP version 1\n1..6\n");
	for (unsigned int v = 0; v < 32; v++)
		irq_set_gate(idt, v, nmi_fault_entries + 8 * v);
	irq_set_gate(idt, 2, nmi_entry);
	irq_set_gate(idt, IPI_VECTOR, nmi_ipi_entry);
	irq_set_gate(idt, PIT_VECTOR, nmi_pit_entry);
	irq_set_gate(idt, SPURIOUS, nmi_spurious_entry);
	irq_load_tables(idt, 256);
	lapic_wr(LAPIC_SVR, 0x100 | SPURIOUS);

	run_round(LATCHED);
	diag("first NMI at ", eip[0]);
	diag("second NMI at ", eip[1]);
	result(nmis == 2 && !nested && eip[1] == eip[0],
	       "nmi_latched_until_iret");
	run_round(ONE);
	result(nmis == 2 && !nested, "one_nmi_latched_of_three");
	run_round(IRQ);
	diag("IPIs taken in the NMI handler ", ipi_in_nmi);
	result(nmis == 1 && ipi_in_nmi == 1, "interrupts_while_nmi_blocked");
	run_shadow_round(RTE_NMI);
	result(nmis >= 100 && !in_shadow, "nmi_not_in_sti_shadow");
	run_shadow_round(PIT_VECTOR);
	result(ipis >= 100 && !in_shadow, "interrupt_not_in_sti_shadow");
	result(fault_vector == 0xffffffff, "no_exception");
}
