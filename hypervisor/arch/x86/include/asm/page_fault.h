/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-fault error code, shared by the guest page-table walker and
 * the instruction emulator: its W, U and I/D bits also name the kind of
 * access a walk is asked to allow.
 */
#ifndef ASM_PAGE_FAULT_H
#define ASM_PAGE_FAULT_H

#include <stdint.h>

#define X86_EXC_PF	14

#define X86_PF_PRESENT	(1u << 0)	/* a protection fault, not a missing page */
#define X86_PF_WRITE	(1u << 1)
#define X86_PF_USER	(1u << 2)	/* the access was made at CPL 3 */
#define X86_PF_RSVD	(1u << 3)
#define X86_PF_INSTR	(1u << 4)	/* an instruction fetch */

/* A #PF to raise in the guest. */
struct x86_pf {
	uint64_t addr;		/* the faulting linear address: CR2 */
	uint32_t error_code;
};

#endif /* ASM_PAGE_FAULT_H */
