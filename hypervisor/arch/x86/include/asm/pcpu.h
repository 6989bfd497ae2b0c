/* SPDX-License-Identifier: GPL-2.0 */
/* x86 per-pCPU state that generic code carries but does not look into. */
#ifndef ASM_PCPU_H
#define ASM_PCPU_H

#include <stdint.h>
#include <asm/spinlock.h>

struct arch_vcpu;

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed, aligned(16)));

struct arch_pcpu {
	uint64_t gdt[8] __attribute__((aligned(16)));
	struct tss64 tss;
	uint64_t hsave_pa;		/* VM_HSAVE_PA area */
	uint64_t host_save_pa;		/* VMSAVE/VMLOAD of host state */
	spinlock_t fpu_lock;		/* protects fpu_owner, see fpu.c */
	struct arch_vcpu *fpu_owner;	/* whose state the FPU holds */
	uint64_t tsc_aux;		/* what MSR_TSC_AUX holds now */
};

#endif
