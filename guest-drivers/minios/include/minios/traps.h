/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_TRAPS_H
#define MINIOS_TRAPS_H

#include <minios/os.h>

/* Pushed by arch/x86/entry.S; keep the order in sync with it. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

void traps_init(void);

/*
 * A test's own handler for exception vec (< 32), or NULL for none.  It
 * runs first; returning true resumes at f->rip (which it may change),
 * false goes on as if it were not there.
 */
typedef bool (*trap_handler_t)(struct trap_frame *f);
void trap_set_handler(unsigned int vec, trap_handler_t h);
void trap_dispatch(struct trap_frame *f);
void dump_registers(const struct trap_frame *f);
/* Loads an IDT with limit 0: the next exception triple-faults. */
void load_empty_idt(void);

/*
 * Runs code at rip in ring 3 on stack rsp until it executes int 0x80
 * (its RDI becomes the return value) or faults (USER_FAULT_BASE + vector).
 */
#define USER_FAULT_BASE		0x7f000000000000ll
int64_t user_run(uint64_t rip, uint64_t rsp);
/* The ring-3 code user_run() is tested with, position independent. */
extern const char user_hypercall_code[], user_hypercall_code_end[];

#endif /* MINIOS_TRAPS_H */
