// SPDX-License-Identifier: GPL-2.0
/*
 * Per-pCPU round robin over pinned vCPUs.  The tick only raises flags;
 * all the work (timers, console input, picking) happens in sched_loop()
 * with interrupts off and no locks held across a guest entry.
 */
#include <lib/compiler.h>
#include <asm/apic.h>
#include <asm/processor.h>
#include <asm/smp.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/emul/vlapic.h>
#include <hv/emul_bus.h>
#include <hv/event.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/vcpu_ops.h>
#include <hv/work.h>

static unsigned int next_pcpu;
static bool sched_started;

void sched_start(void)
{
	__atomic_store_n(&sched_started, true, __ATOMIC_RELEASE);
}

void sched_wait_start(void)
{
	while (!__atomic_load_n(&sched_started, __ATOMIC_ACQUIRE))
		cpu_relax();
}

void sched_add_vcpu(struct vcpu *v)
{
	struct pcpu *pc = pcpus[next_pcpu++ % nr_pcpus];

	spin_lock(&pc->sched_lock);
	BUG_ON(pc->nr_vcpus == PCPU_MAX_VCPUS);
	v->pcpu = pc;
	pc->vcpus[pc->nr_vcpus++] = v;
	spin_unlock(&pc->sched_lock);
}

#define SLICE_NS	(1000000000ull / CONFIG_HZ)

/* The timer interrupt: only flags; the loop does the work. */
void sched_tick(void)
{
	struct pcpu *pc = this_cpu();

	pc->timer_armed = 0;
	pc->timer_pending = true;
	if (now_ns() >= pc->slice_end)
		pc->need_resched = true;
}

void sched_timer_changed(void)
{
	this_cpu()->timer_pending = true;
}

void sched_deadline_moved(uint64_t deadline)
{
	uint64_t armed = this_cpu()->timer_armed;

	if (deadline != UINT64_MAX && (!armed || deadline < armed))
		sched_timer_changed();
}

/* A PV vCPU's one-shot timer. */
static uint64_t pv_timer_run(struct vcpu *v, uint64_t now)
{
	uint64_t deadline = v->timer_deadline;

	if (!deadline)
		return UINT64_MAX;
	if (deadline > now)
		return deadline;
	v->timer_deadline = 0;
	evtchn_send_virq(v, PVKIT_VIRQ_TIMER);
	vcpu_wake(v);
	return UINT64_MAX;
}

/* An HVM vCPU's local APIC timer and its domain's device timers. */
static uint64_t hvm_timers_run(struct vcpu *v, uint64_t now)
{
	uint64_t t = vlapic_next_deadline(v->lapic), d;

	if (t <= now) {
		vlapic_poll(v->lapic, now);
		t = vlapic_next_deadline(v->lapic);
		/* A local timer interrupt kicks no one: wake a halted vCPU. */
		vcpu_wake(v);
	}
	d = emul_next_deadline(v->dom);
	if (d <= now) {
		emul_poll(v->dom, now);
		d = emul_next_deadline(v->dom);
	}
	return MIN(t, d);
}

static uint64_t timers_run(struct pcpu *pc, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (unsigned int i = 0; i < pc->nr_vcpus; i++) {
		struct vcpu *v = pc->vcpus[i];

		if (v->state == VCPU_DOWN || !domain_alive(v->dom))
			continue;
		next = MIN(next, domain_is_hvm(v->dom) ?
					 hvm_timers_run(v, now) :
					    pv_timer_run(v, now));
	}
	return next;
}

static void timer_arm(struct pcpu *pc, uint64_t now, uint64_t deadline)
{
	if (pc->timer_armed && pc->timer_armed <= deadline)
		return;
	lapic_timer_oneshot(deadline > now ? deadline - now : 0);
	pc->timer_armed = deadline;
}

/* Expired timers, slice accounting, the next interrupt. */
static void pcpu_timers(struct pcpu *pc)
{
	uint64_t now = now_ns(), next;

	pc->timer_pending = false;
	if (now >= pc->slice_end) {
		pc->need_resched = true;
		pc->slice_end = now + SLICE_NS;
		if (pc->id == 0)
			console_poll_input();
	}
	domains_restart_pending(pc, now);
	next = MIN(timers_run(pc, now), work_timers_run(pc, now));
	timer_arm(pc, now, MIN(next, pc->slice_end));
}

static struct vcpu *sched_pick(struct pcpu *pc)
{
	struct vcpu *v = NULL;

	spin_lock(&pc->sched_lock);
	/* Back from a timer that was not the end of its slice: go on. */
	if (!pc->need_resched && pc->last &&
	    pc->last->state == VCPU_RUNNABLE) {
		v = pc->last;
		goto out;
	}
	for (unsigned int n = 0; n < pc->nr_vcpus; n++) {
		struct vcpu *c = pc->vcpus[(pc->rr_next + n) % pc->nr_vcpus];

		if (c->state == VCPU_RUNNABLE) {
			v = c;
			pc->rr_next = (pc->rr_next + n + 1) % pc->nr_vcpus;
			break;
		}
	}
out:
	spin_unlock(&pc->sched_lock);
	return v;
}

struct pcpu *sched_spare_pcpu(void)
{
	for (unsigned int i = nr_pcpus; i-- > 0;)
		if (pcpus[i] && !READ_ONCE(pcpus[i]->nr_vcpus))
			return pcpus[i];
	return NULL;
}

void sched_loop(void)
{
	struct pcpu *pc = this_cpu();

	for (;;) {
		struct vcpu *v;

		pcpu_timers(pc);
		work_run(pc);
		v = sched_pick(pc);
		pc->last = v;
		if (!v) {
			/* A work item timed itself: re-arm the timer first. */
			if (!work_pending(pc) && !pc->timer_pending)
				halt_until_irq();
			continue;
		}
		if (pc->need_resched) {
			pc->need_resched = false;
			pc->slice_end = now_ns() + SLICE_NS;
			timer_arm(pc, now_ns(), pc->slice_end);
		}
		pc->current = v;
		/* Its pCPU's alone, and never run twice at once. */
		if (v->pcpu != pc ||
		    __atomic_exchange_n(&v->on_cpu, true, __ATOMIC_ACQUIRE))
			panic("sched: d%u vCPU %u picked on pCPU %u, its own is %u%s",
			      v->dom->id, v->id, pc->id, v->pcpu->id,
			      v->on_cpu ? ", and it is running" : "");
		vcpu_ops->vcpu_run(v);
		__atomic_store_n(&v->on_cpu, false, __ATOMIC_RELEASE);
		pc->current = NULL;
	}
}

void vcpu_block(struct vcpu *v)
{
	struct pcpu *pc = v->pcpu;

	spin_lock(&pc->sched_lock);
	if (v->state == VCPU_RUNNABLE) {
		v->state = VCPU_BLOCKED;
		/*
		 * Checked after the state change, under the lock a waker
		 * takes after it sets the event: one of us sees the other.
		 */
		if (vcpu_ops->vcpu_has_work(v) ||
		    (v->timer_deadline && v->timer_deadline <= now_ns()))
			v->state = VCPU_RUNNABLE;
	}
	spin_unlock(&pc->sched_lock);
}

void vcpu_wake(struct vcpu *v)
{
	struct pcpu *pc = v->pcpu;
	bool kick;

	spin_lock(&pc->sched_lock);
	/*
	 * A runnable vCPU that is not on the CPU will see its event when
	 * it is entered next; only a blocked one, or one in guest mode
	 * right now, needs the pCPU's attention.
	 */
	kick = v->state == VCPU_BLOCKED || READ_ONCE(pc->current) == v;
	if (v->state == VCPU_BLOCKED)
		v->state = VCPU_RUNNABLE;
	spin_unlock(&pc->sched_lock);
	if (kick)
		cpu_kick(pc);
}

void vcpu_set_state(struct vcpu *v, int state)
{
	struct pcpu *pc = v->pcpu;

	spin_lock(&pc->sched_lock);
	v->state = state;
	v->timer_deadline = 0;
	spin_unlock(&pc->sched_lock);
	cpu_kick(pc);
}

void vcpu_down(struct vcpu *v)
{
	struct pcpu *pc = v->pcpu;

	spin_lock(&pc->sched_lock);
	v->state = VCPU_DOWN;
	v->timer_deadline = 0;
	spin_unlock(&pc->sched_lock);
	cpu_kick(pc);
}

bool vcpu_should_leave(struct vcpu *v)
{
	struct pcpu *pc = this_cpu();

	return v->state != VCPU_RUNNABLE || pc->need_resched ||
	       pc->timer_pending || pc->work_new || !domain_alive(v->dom);
}

void sched_yield(void)
{
	this_cpu()->need_resched = true;
}
