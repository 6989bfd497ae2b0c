/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#include <stdint.h>

struct arch_vcpu;

void msr_vcpu_init(struct arch_vcpu *av);
/* 0, or -1: not one of the shadowed MSRs (the caller injects #GP). */
int msr_shadow_read(struct arch_vcpu *av, uint32_t msr, uint64_t *val);
int msr_shadow_write(struct arch_vcpu *av, uint32_t msr, uint64_t val);

#endif
