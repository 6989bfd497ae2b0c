// SPDX-License-Identifier: GPL-2.0
/*
 * Guest FPU/SSE state.  The hypervisor itself never touches the FPU
 * (-mgeneral-regs-only), so the registers hold the state of the last
 * vCPU that ran on this pCPU; it is saved only when another vCPU comes.
 * XSAVE is hidden from guests, so FXSAVE captures everything they use.
 * MSR_TSC_AUX, which RDTSCP reads unintercepted, is switched alongside.
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
		struct arch_vcpu *expected = av;

		__atomic_compare_exchange_n(&pcpus[i]->arch.fpu_owner,
					    &expected, NULL, false,
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}

void fpu_switch_to(struct arch_vcpu *av)
{
	struct arch_pcpu *ap = &this_cpu()->arch;

	if (ap->fpu_owner != av) {
		if (ap->fpu_owner)
			asm volatile("fxsave64 %0"
				     : "=m"(ap->fpu_owner->fpu) :: "memory");
		asm volatile("fxrstor64 %0" :: "m"(av->fpu) : "memory");
		ap->fpu_owner = av;
	}
	if (ap->tsc_aux != av->tsc_aux) {
		wrmsr(MSR_TSC_AUX, av->tsc_aux);
		ap->tsc_aux = av->tsc_aux;
	}
}
