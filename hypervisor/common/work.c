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

void work_cancel(struct work *w)
{
	struct pcpu *pc = w->pc;
	struct work **pp;

	spin_lock(&pc->work_lock);
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
	spin_unlock(&pc->work_lock);
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
			/* To the back, without calling the vCPU out again. */
			spin_lock(&pc->work_lock);
			if (!w->queued)
				enqueue(pc, w);
			spin_unlock(&pc->work_lock);
		}
		if (now_ns() >= end)
			break;
	}
}

bool work_pending(const struct pcpu *pc)
{
	return READ_ONCE(pc->work_head) != NULL;
}
