/* SPDX-License-Identifier: MIT */
/*
 * What ring_bench.c (the rings side by side, ping-pong, the tables and
 * main) and ring_notify.c (notifications under load) share: the item,
 * the pvkit ring's two sides, one measured run and its threads' start.
 */
#ifndef RING_BENCH_H
#define RING_BENCH_H

#include <stdatomic.h>
#include <stdint.h>
#include <pvkit/ring_core.h>

#define RING_ORDER	10
#define RING_SLOTS	(1u << RING_ORDER)
#define MAX_BATCH	32
#define MAX_REPS	15

struct msg {
	uint64_t seq;
	uint64_t body[7];
};

static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* The typed calls a device uses: msg_ring_put() and msg_ring_get(). */
PVKIT_RING_DEFINE_TYPED(msg, struct msg)

/*
 * Each side's private view on lines of its own: the producer's and the
 * consumer's private indices must not share a cache line either.
 */
struct pv_side {
	struct pvkit_ring r;
} __attribute__((aligned(128)));

extern struct pv_side pv_prod[2], pv_cons[2];

typedef unsigned int (*enq_fn)(int, const struct msg *, unsigned int);
typedef unsigned int (*deq_fn)(int, struct msg *, unsigned int);

struct run {
	enq_fn enq;
	deq_fn deq;
	unsigned int batch;
	uint64_t items;
	atomic_int go;
	atomic_int ready;
	double t0, t1;
	uint64_t errors;
	atomic_long switches;
	atomic_int cpu[2];	/* where each side ran, -2 if it moved */
};

/* Settings, from the command line. */
extern int cpu_prod, cpu_cons;
extern uint64_t n_items;
extern unsigned int kick_ns, wake_ns, work_ns;

/* The batch sizes of every table. */
extern const unsigned int batches[3];

double now_ns(void);
void pin(int cpu);
void pv_setup(void);
/* Both threads wait here until run_pair() says go. */
void wait_go(struct run *r);
/* Runs a and b, one a side, and returns the time between their t0 and t1. */
double run_pair(struct run *r, void *(*a)(void *), void *(*b)(void *));

/* ring_notify.c */
void tsc_calibrate(void);
void bench_notify(void);

#endif
