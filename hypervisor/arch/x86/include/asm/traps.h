/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#include <stdint.h>

struct pcpu;

/* Register frame built by the interrupt entry points in entry.S. */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

#define VEC_TIMER	0xf0
#define VEC_KICK	0xf1
#define VEC_SPURIOUS	0xff

typedef void (*irq_handler_t)(struct cpu_regs *regs);

void traps_init(void);			/* build the shared IDT */
void cpu_tables_init(struct pcpu *pc);	/* per-pCPU GDT, TSS, IDT load */
void irq_register(uint8_t vector, irq_handler_t fn);
void pic_disable(void);			/* mask the legacy 8259s */

#endif
