/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-pCPU state.  Each pCPU's stack is HV_STACK_SIZE aligned and holds a
 * pointer to its struct pcpu at its lowest address, so this_cpu() needs no
 * segment register: the guest's FS/GS never leak into it.
 */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/layout.h>
#include <asm/pcpu.h>
#include <asm/spinlock.h>

struct vcpu;
struct work;

#define PCPU_MAX_VCPUS	(CONFIG_MAX_DOMAINS * CONFIG_MAX_VCPUS)

struct pcpu {
	unsigned int id;		/* 0 is the boot CPU */
	uint32_t apic_id;
	volatile bool online;
	volatile bool need_resched;	/* the running vCPU's slice is over */
	volatile bool timer_pending;	/* the timer fired or must be re-armed */
	uint64_t slice_end;		/* system time the slice ends */
	uint64_t timer_armed;		/* deadline the host timer is set to */
	struct vcpu *last;		/* ran last, may go on if its slice does */
	struct vcpu *current;

	volatile bool work_new;		/* work queued since work_run() */
	spinlock_t work_lock;		/* protects the three below */
	struct work *work_head;
	struct work *work_tail;
	struct work *work_timed;	/* waiting for their due time */

	spinlock_t sched_lock;		/* protects the fields below */
	unsigned int nr_vcpus;
	unsigned int rr_next;
	struct vcpu *vcpus[PCPU_MAX_VCPUS];

	void *stack;
	struct arch_pcpu arch;
};

extern struct pcpu *pcpus[CONFIG_NR_CPUS];
extern unsigned int nr_pcpus;

static inline struct pcpu *this_cpu(void)
{
	uintptr_t sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return *(struct pcpu **)(sp & ~((uintptr_t)HV_STACK_SIZE - 1));
}

/* Installs pc as the owner of the stack at stack_base. */
static inline void pcpu_bind_stack(struct pcpu *pc, void *stack_base)
{
	pc->stack = stack_base;
	*(struct pcpu **)stack_base = pc;
}

#endif
