/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_CPUID_H
#define ASM_CPUID_H

#include <stdint.h>

struct vcpu;

/* The guest's view of CPUID leaf/sub-leaf into r[0..3] (EAX..EDX). */
void guest_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t *r);

#endif
