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
 * An intercepted MOV to or from a control register or CLTS, exit code
 * code (svm_cr.c): the length of the instruction it completed, 0 when
 * it raised #GP or the guest is to run it again.
 */
unsigned int svm_cr_access(struct vcpu *v, uint64_t code);
/* 16, 32 or 64: how the CPU runs the guest's code now (svm_hvm.c). */
int svm_cpu_mode(const struct vmcb_save *s);
/*
 * An access to guest-physical gpa that is not RAM (svm_exit.c): an
 * emulated device's, or the domain is stopped.
 */
void svm_gpa_fault(struct vcpu *v, uint64_t gpa, bool write);

/*
 * The guest's own paging registers, whichever paging runs it, and the
 * instruction at RIP, fetched with the guest's rights and decoded with
 * what x86_insn_linear() needs (false when it cannot be): svm_cr.c.
 */
struct guest_paging;
struct x86_insn;
struct x86_emul_ctx;
uint64_t svm_guest_cr(const struct vcpu *v, unsigned int cr);
uint64_t svm_guest_efer(const struct vcpu *v);
void svm_guest_paging(const struct vcpu *v, struct guest_paging *pg);
bool svm_decode_at_rip(struct vcpu *v, struct x86_insn *in,
		       struct x86_emul_ctx *ctx, struct x86_regs *regs);

/*
 * Shadow paging: svm_shadow.c.  The writes return -1 for #GP(0); CR4
 * is set (checked already) with tlb true where the change flushes the
 * guest's TLB.  Without CONFIG_SHADOW_PAGING no vCPU is on it, and none
 * of its exits is intercepted.
 */
#ifdef CONFIG_SHADOW_PAGING
int svm_shadow_cr_write(struct vcpu *v, unsigned int cr, uint64_t val);
void svm_shadow_cr4_set(struct vcpu *v, uint64_t cr4, bool tlb);
int svm_shadow_efer_write(struct vcpu *v, uint64_t val);
int svm_shadow_vcpu_init(struct vcpu *v);
void svm_shadow_reset(struct vcpu *v);
void svm_shadow_before_entry(struct vcpu *v);
void svm_shadow_pf(struct vcpu *v);
/* The length of the INVLPG completed, 0 if none was. */
unsigned int svm_shadow_invlpg(struct vcpu *v);
void svm_shadow_dump(const struct vcpu *v);
#else
static inline int svm_shadow_cr_write(struct vcpu *v, unsigned int cr,
				      uint64_t val)
{
	(void)v, (void)cr, (void)val;
	return -1;
}
static inline void svm_shadow_cr4_set(struct vcpu *v, uint64_t cr4, bool tlb)
{
	(void)v, (void)cr4, (void)tlb;
}
static inline int svm_shadow_efer_write(struct vcpu *v, uint64_t val)
{
	(void)v, (void)val;
	return -1;
}
static inline int svm_shadow_vcpu_init(struct vcpu *v)
{
	(void)v;
	return 0;
}
static inline void svm_shadow_reset(struct vcpu *v) { (void)v; }
static inline void svm_shadow_before_entry(struct vcpu *v) { (void)v; }
static inline void svm_shadow_pf(struct vcpu *v) { (void)v; }
static inline unsigned int svm_shadow_invlpg(struct vcpu *v)
{
	(void)v;
	return 0;
}
static inline void svm_shadow_dump(const struct vcpu *v) { (void)v; }
#endif
/* INS and OUTS on an emulated port: svm_pio_string.c. */
void svm_pio_string(struct vcpu *v);

#endif
