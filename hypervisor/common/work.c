// SPDX-License-Identifier: GPL-2.0
/*
 * Per-pCPU deferred work.  The queue is a FIFO under the pCPU's
 * work_lock; an item is taken off before it runs, so it may queue itself
 * again (directly or from another CPU) while it runs and is then called
 * once more: no notification that arrives during a call is lost.
 */
#include <lib/compiler.h>
#include <asm/smp.h>
#include <hv/percpu.h>
#include <hv/time.h>
#include <hv/work.h>

void work_init(struct work *w, struct pcpu *pc, work_fn fn)
{
	w->fn = fn;
	w->pc = pc;
	w->next = NULL;
	w->queued = false;
	w->tnext = NULL;
	w->due = 0;
	w->timed = false;
	w->runs = 0;
}

/* pc->work_lock held. */
static void enqueue(struct pcpu *pc, struct work *w)
{
	w->next = NULL;
	w->queued = true;
	if (pc->work_tail)
		pc->work_tail->next = w;
	else
		pc->work_head = w;
	pc->work_tail = w;
}

void work_queue(struct work *w)
{
	struct pcpu *pc = w->pc;
	bool added = false;

	spin_lock(&pc->work_lock);
	if (!w->queued) {
		enqueue(pc, w);
		added = true;
	}
	spin_unlock(&pc->work_lock);
	if (!added)
		return;
	/* Makes the vCPU on pc leave guest mode for the loop to run w. */
	WRITE_ONCE(pc->work_new, true);
	cpu_kick(pc);
}

void work_queue_at(struct work *w, uint64_t due)
{
	struct pcpu *pc = w->pc;
	bool earlier;

	spin_lock(&pc->work_lock);
	earlier = !w->timed || due < w->due;
	if (!w->timed) {
		w->tnext = pc->work_timed;
		pc->work_timed = w;
		w->timed = true;
	}
	if (earlier)
		w->due = due;
	spin_unlock(&pc->work_lock);
	/* pc's loop re-arms its timer for the new deadline. */
	if (!earlier)
		return;
	if (pc == this_cpu())
		pc->timer_pending = true;
	else
		cpu_kick(pc);
}

/* pc->work_lock held. */
static void untime(struct pcpu *pc, struct work *w)
{
	struct work **pp;

	for (pp = &pc->work_timed; *pp; pp = &(*pp)->tnext) {
		if (*pp == w) {
			*pp = w->tnext;
			break;
		}
	}
	w->tnext = NULL;
	w->timed = false;
}

uint64_t work_timers_run(struct pcpu *pc, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	struct work *w, *n;
	bool queued = false;

	if (!READ_ONCE(pc->work_timed))
		return next;
	spin_lock(&pc->work_lock);
	for (w = pc->work_timed; w; w = n) {
		n = w->tnext;
		if (w->due > now) {
			next = MIN(next, w->due);
			continue;
		}
		untime(pc, w);
		if (!w->queued) {
			enqueue(pc, w);
			queued = true;
		}
	}
	spin_unlock(&pc->work_lock);
	if (queued)
		WRITE_ONCE(pc->work_new, true);
	return next;
}

/* pc->work_lock held. */
static void unqueue(struct pcpu *pc, struct work *w)
{
	struct work **pp;

	if (w->timed)
		untime(pc, w);
	for (pp = &pc->work_head; *pp; pp = &(*pp)->next) {
		if (*pp != w)
			continue;
		*pp = w->next;
		break;
	}
	pc->work_tail = NULL;
	for (struct work *i = pc->work_head; i; i = i->next)
		pc->work_tail = i;
	w->queued = false;
	w->next = NULL;
}

void work_cancel(struct work *w)
{
	struct pcpu *pc = w->pc;

	spin_lock(&pc->work_lock);
	unqueue(pc, w);
	spin_unlock(&pc->work_lock);
}

void work_move(struct work *w, struct pcpu *to)
{
	struct pcpu *pc = w->pc;
	uint64_t due;
	bool queued, timed;

	if (pc == to)
		return;
	spin_lock(&pc->work_lock);
	queued = w->queued;
	timed = w->timed;
	due = w->due;
	unqueue(pc, w);
	WRITE_ONCE(w->pc, to);
	spin_unlock(&pc->work_lock);
	if (timed)
		work_queue_at(w, due);
	if (queued)
		work_queue(w);
}

static struct work *dequeue(struct pcpu *pc)
{
	struct work *w;

	spin_lock(&pc->work_lock);
	w = pc->work_head;
	if (w) {
		pc->work_head = w->next;
		if (!pc->work_head)
			pc->work_tail = NULL;
		w->next = NULL;
		w->queued = false;
	}
	spin_unlock(&pc->work_lock);
	return w;
}

void work_run(struct pcpu *pc)
{
	uint64_t end = now_ns() + WORK_BUDGET_NS;
	struct work *w;

	WRITE_ONCE(pc->work_new, false);
	/* The common case: nothing queued, no lock taken. */
	if (!READ_ONCE(pc->work_head))
		return;
	while ((w = dequeue(pc))) {
		w->runs++;
		if (w->fn(w)) {
			bool moved;

			/* To the back, without calling the vCPU out again. */
			spin_lock(&pc->work_lock);
			moved = w->pc != pc;	/* work_move() while it ran */
			if (!moved && !w->queued)
				enqueue(pc, w);
			spin_unlock(&pc->work_lock);
			if (moved)
				work_queue(w);
		}
		if (now_ns() >= end)
			break;
	}
}

bool work_pending(const struct pcpu *pc)
{
	return READ_ONCE(pc->work_head) != NULL;
}
