// SPDX-License-Identifier: GPL-2.0
/*
 * Guest FPU/SSE state.  The hypervisor itself never touches the FPU
 * (-mgeneral-regs-only), so the registers hold the state of the last
 * vCPU that ran on this pCPU; it is saved only when another vCPU comes.
 * XSAVE is hidden from guests, so FXSAVE captures everything they use.
 * MSR_TSC_AUX, which RDTSCP reads unintercepted, is switched alongside.
 *
 * A pCPU's fpu_owner is read and written only under its fpu_lock, held
 * across the FXSAVE into the owner's area.  fpu_forget() runs on another
 * pCPU (a domain is built again on its vCPU 0's pCPU while the pCPUs of
 * its other vCPUs go on running other domains) and fpu_vcpu_init() then
 * rewrites the area.  Without the lock a switch that had read the owner
 * before the forget would write the old registers over the reset state
 * after it, or, reading the owner again, find NULL.  With it, a save
 * into av's area ends before fpu_forget() looks at that pCPU, or the
 * switch finds the owner gone and saves nothing.  The lock is taken once
 * per vcpu_run(), not per VMRUN, and only fpu_forget() contends for it.
 */
#include <lib/string.h>
#include <asm/fpu.h>
#include <asm/processor.h>
#include <hv/percpu.h>

#define FXSAVE_FCW	0
#define FXSAVE_MXCSR	24

void fpu_cpu_init(void)
{
	write_cr0((read_cr0() | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS));
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	asm volatile("fninit");
}

void fpu_vcpu_init(struct arch_vcpu *av)
{
	uint16_t fcw = 0x037f;		/* the state after FNINIT */
	uint32_t mxcsr = 0x1f80;	/* and after reset */

	memset(&av->fpu, 0, sizeof(av->fpu));
	memcpy(av->fpu.area + FXSAVE_FCW, &fcw, sizeof(fcw));
	memcpy(av->fpu.area + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

void fpu_forget(struct arch_vcpu *av)
{
	for (unsigned int i = 0; i < nr_pcpus; i++) {
		struct arch_pcpu *ap = &pcpus[i]->arch;

		spin_lock(&ap->fpu_lock);
		if (ap->fpu_owner == av)
			ap->fpu_owner = NULL;
		spin_unlock(&ap->fpu_lock);
	}
}

void fpu_switch_to(struct arch_vcpu *av)
{
	struct arch_pcpu *ap = &this_cpu()->arch;
	struct arch_vcpu *owner;

	spin_lock(&ap->fpu_lock);
	owner = ap->fpu_owner;
	if (owner != av) {
		if (owner)
			asm volatile("fxsave64 %0" : "=m"(owner->fpu) :: "memory");
		asm volatile("fxrstor64 %0" :: "m"(av->fpu) : "memory");
		ap->fpu_owner = av;
	}
	spin_unlock(&ap->fpu_lock);
	if (ap->tsc_aux != av->tsc_aux) {
		wrmsr(MSR_TSC_AUX, av->tsc_aux);
		ap->tsc_aux = av->tsc_aux;
	}
}
