/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vendor-neutral half of an HVM vCPU (arch/x86/hvm.c): routing local
 * APIC accesses, MMIO exits through the instruction emulator into the
 * device models, and what to do with the emulator's answer.  SVM (and
 * later VMX) code gives it the guest's CPU state and registers in these
 * plain structures and applies the result; nothing here knows a VMCB.
 */
#ifndef ASM_HVM_H
#define ASM_HVM_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/x86_emulate.h>

struct emul_mmio_hit;
struct vcpu;

/* What the emulator needs to know of the guest's CPU at the exit. */
struct hvm_cpu_state {
	uint64_t cr0, cr3, cr4, efer, rflags;
	uint64_t seg_base[6];	/* ES, CS, SS, DS, FS, GS */
	unsigned int mode;	/* 16, 32 or 64 */
	unsigned int cpl;
};

/* The vendor code's side of an MMIO emulation. */
struct hvm_mmio_ops {
	/* Raise an exception the emulation ended with (CR2 first). */
	void (*inject)(struct vcpu *v, const struct x86_emul_result *res);
	/* The instruction completed: clear the interrupt shadow. */
	void (*retired)(struct vcpu *v);
};

/* The local APIC's MSRs (APIC_BASE, 0x800-0x8ff).  0, or -1 for #GP. */
int hvm_lapic_msr(struct vcpu *v, uint32_t msr, uint64_t *val, bool write);
/*
 * True when gpa belongs to the local APIC or an emulated device of v's
 * domain; *hit is the device's range (no slot for the LAPIC), for
 * hvm_mmio(), so that the exit looks the address up once.
 */
bool hvm_is_mmio(struct vcpu *v, uint64_t gpa, struct emul_mmio_hit *hit);
/*
 * Emulates the instruction whose access at gpa (a write if write) made
 * the nested page fault; hit is what hvm_is_mmio() found there.  True
 * when the caller must write regs back to the vCPU (the instruction
 * completed, or raised an exception); false when it is to run again or
 * the domain was stopped.
 */
bool hvm_mmio(struct vcpu *v, const struct hvm_cpu_state *st,
	      struct x86_regs *regs, uint64_t gpa,
	      const struct emul_mmio_hit *hit, bool write,
	      const struct hvm_mmio_ops *ops);

#endif
