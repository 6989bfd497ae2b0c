/* SPDX-License-Identifier: GPL-2.0 */
/* x86 per-vCPU and per-domain state embedded in the generic structures. */
#ifndef ASM_VCPU_H
#define ASM_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/shadow.h>

/* Saved by svm_entry.S; RAX, RSP, RIP and RFLAGS live in the VMCB. */
struct guest_regs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct vmcb;

/* FXSAVE image: x87, MMX and SSE state of a vCPU. */
struct fpu_state {
	uint8_t area[512];
} __attribute__((aligned(16)));

#define MSR_STORE_SLOTS	16
#define EXIT_TRACE_LEN	8	/* exits kept for a crash dump */
#define MCA_BANKS	4	/* machine-check banks a vCPU has */

/* One exit as the crash dump shows it: what went in, what came out. */
struct exit_rec {
	uint64_t code, info1, info2, rip, rflags;
	uint64_t injected;	/* EVENTINJ at the VMRUN */
	uint64_t int_info;	/* EXITINTINFO */
};

struct arch_vcpu {
	struct fpu_state fpu;
	uint64_t tsc_aux;
	/* Guest TSC - host TSC, from a WRMSR to the TSC; 0 from reset. */
	uint64_t tsc_offset;
	uint64_t msr_store[MSR_STORE_SLOTS];	/* see msr.c */
	uint64_t mca_ctl[MCA_BANKS];		/* MCi_CTL, see msr.c */
	struct vmcb *vmcb;
	uint64_t vmcb_pa;
	struct guest_regs regs;
	uint64_t dr[4];		/* DR0-DR3, live while dr_active */
	uint32_t pkru;
	uint32_t asid;
	bool flush_tlb;
	bool dr_active;		/* has touched a debug register */
	int virq;		/* vector offered through V_IRQ, or -1 */
	bool virq_acked;	/* the local APIC has it in service */
	bool virq_offered;	/* in V_IRQ for this entry: not while a step runs */
	/* NMI blocking, svm_hvm.c: from an NMI's delivery to its IRET. */
	bool nmi_masked;
	/* One instruction run with TF, svm_hvm.c: an NMI's IRET or a shadow */
	bool stepping;		/* #DB right after the instruction at step_rip */
	bool step_iret;		/* it is the IRET: NMIs unmasked after it */
	bool step_tf;		/* TF was set for that, not by the guest */
	uint64_t step_dr6;	/* the guest's DR6 before the step */
	uint64_t step_rip;	/* where the stepped instruction is */
	bool shadow_seen;	/* an exit reported an STI/MOV SS shadow... */
	uint64_t shadow_rip;	/* ...here */
	unsigned int mmio_retries;	/* MMIO exits re-run in a row: svm_hvm.c */
	/*
	 * Shadow paging (svm_shadow.c): the guest's own paging registers,
	 * while the VMCB holds what the CPU runs with, and its shadow tables.
	 */
	bool shadow;
	bool vtlb_stale;	/* the domain's map changed: drop them */
	uint64_t g_cr0, g_cr3, g_cr4, g_efer;
	struct vtlb vtlb;
	unsigned int pf_repeats;	/* the same #PF filled in a row */
	uint64_t pf_rip, pf_va;
	unsigned int exit_pos;		/* next slot of exits[] */
	struct exit_rec exits[EXIT_TRACE_LEN];
};

/* A TSC value of the vCPU's (a TSC-deadline) as the host's TSC. */
static inline uint64_t arch_guest_tsc_to_host(const struct arch_vcpu *av,
					      uint64_t tsc)
{
	return tsc - av->tsc_offset;
}

struct arch_domain {
	uint64_t npt_root_pa;	/* nested page tables: PML4 */
	void *iopm;		/* I/O permission map, all intercepted */
	uint64_t iopm_pa;
	void *msrpm;
	uint64_t msrpm_pa;
};

#endif
