/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SVM_SVM_H
#define SVM_SVM_H

#include <stdbool.h>
#include <stdint.h>
#include "vmcb.h"

struct emul_mmio_hit;
struct vcpu;
struct guest_regs;
struct x86_regs;

void svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs,
	       uint64_t host_save_pa);
void svm_handle_exit(struct vcpu *v);
void svm_inject_exception(struct vcpu *v, uint8_t vector, int has_err,
			  uint32_t err);

/* State VMRUN does not switch, and the exits guarding it: svm_isolation.c. */
void svm_isolation_cpu_init(void);
void svm_isolation_load(struct vcpu *v);
void svm_isolation_save(struct vcpu *v);
void svm_isolation_vcpu_reset(struct vcpu *v);
void svm_handle_dr_access(struct vcpu *v);
void svm_reflect_exception(struct vcpu *v, uint8_t vector);
void svm_singlestep_trap(struct vcpu *v);
void svm_handle_cache_flush(struct vcpu *v);

/* HVM vCPUs (those with an emulated local APIC): svm_hvm.c. */
bool svm_hvm_before_entry(struct vcpu *v);
void svm_hvm_after_exit(struct vcpu *v);
bool svm_intr_cut_short(uint64_t int_info);
/* NMI blocking (svm_hvm.c): the IRET exit; a #DB that was its step. */
void svm_nmi_iret(struct vcpu *v);
bool svm_step_done(struct vcpu *v);
bool svm_step_retired(struct vcpu *v);
bool svm_hvm_has_work(struct vcpu *v);
/*
 * write: the nested page fault was a write (EXITINFO1 bit 1); hit: what
 * hvm_is_mmio() found at gpa.
 */
void svm_hvm_mmio(struct vcpu *v, uint64_t gpa,
		  const struct emul_mmio_hit *hit, bool write);
/* The guest's 16 GPRs, RIP and RFLAGS, in the emulator's order. */
void svm_regs_out(const struct vcpu *v, struct x86_regs *r);
/* A legacy (not REX) instruction prefix: svm_isolation.c. */
bool svm_legacy_prefix(uint8_t b);
/*
 * An intercepted MOV to CR4 (svm_cr4.c): the length of the instruction
 * it completed, 0 when it raised #GP or the guest is to run it again.
 */
unsigned int svm_cr4_write(struct vcpu *v);
/* INS and OUTS on an emulated port: svm_pio_string.c. */
void svm_pio_string(struct vcpu *v);

#endif
