// SPDX-License-Identifier: GPL-2.0
/*
 * The virtual local APIC's timer: the divide configuration, initial and
 * current count registers in one-shot and periodic mode, the
 * TSC-deadline mode and its MSR, and the expiry that vlapic_poll()
 * turns into the LVT timer vector.  The registers around it and the
 * delivery of that vector are in vlapic.c; see SDM vol. 3 10.5.4.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <hv/emul/vlapic.h>
#include "vlapic_internal.h"

static uint32_t timer_div(const struct vlapic *l)
{
	uint32_t t = l->tdcr;

	return 1u << ((((t & 3) | ((t >> 1) & 4)) + 1) & 7);
}

static bool timer_periodic(const struct vlapic *l)
{
	return timer_mode_of(l->lvt[LVT_TIMER]) == TIMER_PERIODIC;
}

static uint64_t timer_period(const struct vlapic *l)
{
	uint64_t p = (uint64_t)l->tmict * timer_div(l);

	if (timer_periodic(l) && p < VLAPIC_MIN_PERIOD_NS)
		p = VLAPIC_MIN_PERIOD_NS;
	return p;
}

/* Next expiry after the count was reloaded at t_start. */
static void timer_rearm(struct vlapic *l, uint64_t t)
{
	uint64_t p = timer_period(l), n;

	if (!l->tmict) {
		l->t_next = UINT64_MAX;
		return;
	}
	if (!timer_periodic(l) || t < l->t_start) {
		l->t_next = l->t_start + p;
		return;
	}
	n = (t - l->t_start) / p;
	l->t_next = l->t_start + (n + 1) * p;
}

uint32_t vlapic_timer_current(struct vlapic *l, uint64_t t)
{
	uint64_t el, counts;

	if (!l->tmict || l->t_next == UINT64_MAX || timer_deadline_mode(l))
		return 0;
	if (t < l->t_start)
		return l->tmict;
	el = t - l->t_start;
	if (timer_periodic(l))
		el %= timer_period(l);
	counts = el / timer_div(l);
	return counts >= l->tmict ? 0 : l->tmict - (uint32_t)counts;
}

uint64_t vlapic_next_deadline(const struct vlapic *l)
{
	return l->t_next;
}

void vlapic_poll(struct vlapic *l, uint64_t t)
{
	uint32_t lvt = l->lvt[LVT_TIMER];

	if (l->t_next > t)
		return;
	if (timer_periodic(l))
		timer_rearm(l, t);	/* missed periods coalesce into one */
	else
		l->t_next = UINT64_MAX;
	/* An expired deadline reads 0: the guest sees it has fired. */
	l->tsc_deadline = 0;
	if (!(lvt & LVT_MASKED))
		vlapic_accept_vector(l, lvt & 0xff, false);
}

void vlapic_write_tmict(struct vlapic *l, uint32_t val)
{
	/* In TSC-deadline mode the count registers do nothing. */
	if (timer_deadline_mode(l))
		return;
	l->tmict = val;
	l->t_start = now(l);
	timer_rearm(l, l->t_start);
}

void vlapic_write_tdcr(struct vlapic *l, uint32_t val)
{
	uint64_t t = now(l), done;
	uint32_t cur = vlapic_timer_current(l, t);

	l->tdcr = val & 0xb;
	if (l->t_next == UINT64_MAX || timer_deadline_mode(l))
		return;
	/* Keep the current count; count on at the new rate. */
	done = (uint64_t)(l->tmict - cur) * timer_div(l);
	l->t_start = done > t ? 0 : t - done;
	timer_rearm(l, t);
}

/* Stops the timer in every mode: nothing armed, nothing counting. */
static void timer_disarm(struct vlapic *l)
{
	l->tmict = 0;
	l->tsc_deadline = 0;
	l->t_next = UINT64_MAX;
}

/*
 * Entering or leaving TSC-deadline mode disarms the timer (SDM vol. 3
 * 10.5.4.1); one-shot <-> periodic keeps the count running.
 */
void vlapic_write_lvt_timer(struct vlapic *l, uint32_t old, uint32_t val)
{
	unsigned int from = timer_mode_of(old), to = timer_mode_of(val);

	if (from == to)
		return;
	if (from == TIMER_TSC_DEADLINE || to == TIMER_TSC_DEADLINE)
		timer_disarm(l);
	else if (l->t_next != UINT64_MAX)
		timer_rearm(l, now(l));
}

/*
 * IA32_TSC_DEADLINE: the guest TSC at which the timer fires, 0 to
 * disarm.  Outside TSC-deadline mode it reads 0 and writes are dropped.
 */
int vlapic_tsc_deadline_write(struct vlapic *l, uint64_t tsc)
{
	if (!l->tsc_deadline_ok)
		return -1;
	if (!timer_deadline_mode(l))
		return 0;
	l->tsc_deadline = tsc;
	if (!tsc || !l->env || !l->env->tsc_to_ns) {
		l->tsc_deadline = 0;
		l->t_next = UINT64_MAX;
		return 0;
	}
	/* A deadline already past fires at the next poll. */
	l->t_next = l->env->tsc_to_ns(l->env->ctx, tsc);
	return 0;
}
