/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduler: vCPUs are pinned to pCPUs; each pCPU runs its runnable vCPUs
 * round robin, preempted by the tick; blocked vCPUs wait for an event.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct pcpu;

void sched_add_vcpu(struct vcpu *v);
/* The boot CPU opens the run queues once every domain is built. */
void sched_start(void);
void sched_wait_start(void);
void __attribute__((noreturn)) sched_loop(void);
/* Called from the timer interrupt. */
void sched_tick(void);
/* A timer of the current vCPU changed: re-arm before the next entry. */
void sched_timer_changed(void);
/*
 * A device or local APIC of the current vCPU's domain now wants to run
 * at deadline (UINT64_MAX: never): re-arm if that is before the armed
 * timer.
 */
void sched_deadline_moved(uint64_t deadline);
/* Blocks v unless an event or an expired timer is pending for it. */
void vcpu_block(struct vcpu *v);
/* Makes v runnable if it is blocked and gets its pCPU's attention. */
void vcpu_wake(struct vcpu *v);
/* Stops v for good (its domain ended). */
void vcpu_down(struct vcpu *v);
/* Puts v in a VCPU_* state (a domain that restarts). */
void vcpu_set_state(struct vcpu *v, int state);
/* True when the current vCPU should leave the CPU. */
bool vcpu_should_leave(struct vcpu *v);
/* Makes the current pCPU pick again after this exit. */
void sched_yield(void);
/*
 * The last pCPU no vCPU runs on, or NULL: where the hypervisor's own
 * device work goes (backends, the storage and uplink drivers), so that
 * it interrupts no guest.  The last, so that pCPU 0's console duties
 * stay with the first.
 */
struct pcpu *sched_spare_pcpu(void);

#endif
