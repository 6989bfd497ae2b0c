/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_FPU_H
#define ASM_FPU_H

#include <asm/vcpu.h>

void fpu_cpu_init(void);
void fpu_vcpu_init(struct arch_vcpu *av);
/* No pCPU holds av's FPU state any more (av is reset, not running). */
void fpu_forget(struct arch_vcpu *av);
/* Makes av's FPU state and TSC_AUX the live ones on this pCPU. */
void fpu_switch_to(struct arch_vcpu *av);

#endif
