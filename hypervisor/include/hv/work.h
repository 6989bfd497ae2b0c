/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deferred work: what backends do outside the exits of the guests they
 * serve.  An item belongs to one pCPU; queueing it from anywhere makes
 * that pCPU's scheduler loop call it before it enters a guest again.
 * A call handles a bounded batch and says whether more is left, so one
 * busy backend cannot hold a pCPU: the loop goes round the queue, and
 * once it has spent WORK_BUDGET_NS it runs a vCPU before going on.
 */
#ifndef HV_WORK_H
#define HV_WORK_H

#include <stdbool.h>
#include <stdint.h>

struct pcpu;
struct work;

/* Returns true when it has more to do and wants to be called again. */
typedef bool (*work_fn)(struct work *w);

struct work {
	work_fn fn;
	struct pcpu *pc;
	struct work *next;	/* on pc's queue, under its work_lock */
	bool queued;
	struct work *tnext;	/* on pc's timed list, under its work_lock */
	uint64_t due;		/* system time it is queued at, if timed */
	bool timed;
	uint64_t runs;		/* calls made (statistics) */
};

#define WORK_BUDGET_NS	500000ull

void work_init(struct work *w, struct pcpu *pc, work_fn fn);
/* Queues w on its pCPU unless it is queued already; any CPU, any time. */
void work_queue(struct work *w);
/*
 * Queues w on its pCPU once system time reaches due (a backend that
 * polls, or waits for something other than a notification).  An earlier
 * due wins over a later one already set.
 */
void work_queue_at(struct work *w, uint64_t due);
/* The scheduler's timer pass: queues what is due; the next due or MAX. */
uint64_t work_timers_run(struct pcpu *pc, uint64_t now);
/* Takes w off its queue and its timer; when this returns, neither holds it. */
void work_cancel(struct work *w);
/*
 * Makes w belong to pCPU to, queued or timed there as it was on its
 * own.  The owner's lock must keep w's function from racing the move's
 * callers; a call running on the old pCPU while w moves may requeue it
 * there once, so w's function must be safe on either.
 */
void work_move(struct work *w, struct pcpu *to);
/* The scheduler loop: runs queued items within WORK_BUDGET_NS. */
void work_run(struct pcpu *pc);
/*
 * Whether pc has work queued (read without the lock: a hint).  Work
 * left over when the budget ran out waits for the loop's next round;
 * only newly queued work (pcpu.work_new) calls a running vCPU out.
 */
bool work_pending(const struct pcpu *pc);

#endif
