// SPDX-License-Identifier: MIT
/*
 * ring_bench's notify part: notifications and consumer sleeps per 1,000
 * requests under sustained load on the pvkit ring, with event-index
 * suppression off, on, and on after a poll window, for a producer-bound
 * and a consumer-bound profile.  Kicks and wake-ups are TSC busy-waits
 * standing in for a hypercall and an interrupt.  The rings, the threads
 * and the other tables are in ring_bench.c.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <pvkit/ring_core.h>
#include "ring_bench.h"

/*
 * The producer sends n_items requests as fast as it can, in batches; the
 * consumer takes up to 32 at a time and spends work_ns on each.  A
 * notification is a doorbell the consumer sleeps on; sending one costs
 * the producer kick_ns and waking up costs the consumer wake_ns, standing
 * in for a hypercall and an interrupt.  With suppression the producer
 * rings only when pvkit_ring_prod_publish_notify() says the consumer
 * asked; without, it rings after every publish (once per batch).  A full
 * ring makes the producer spin in both modes.
 */
struct notify_run {
	struct run r;
	int suppress;		/* 0 off, 1 on, 2 on after a poll window */
	_Atomic uint64_t bell __attribute__((aligned(128)));
	uint64_t kicks __attribute__((aligned(128)));
	uint64_t sleeps;
};

unsigned int kick_ns = 500, wake_ns = 2000, work_ns = 50;
static unsigned int prod_work_ns;

static double tsc_per_ns;

void tsc_calibrate(void)
{
	double t0 = now_ns(), t1;
	uint64_t c0 = __builtin_ia32_rdtsc(), c1;

	do {
		t1 = now_ns();
	} while (t1 - t0 < 20e6);
	c1 = __builtin_ia32_rdtsc();
	tsc_per_ns = (double)(c1 - c0) / (t1 - t0);
}

/* Busy work of a given length: the TSC, since clock_gettime costs ~50 ns. */
static void spin_ns(unsigned int ns)
{
	uint64_t end = __builtin_ia32_rdtsc() + (uint64_t)(ns * tsc_per_ns);

	while (__builtin_ia32_rdtsc() < end)
		cpu_relax();
}

/*
 * Poll the ring for up to poll_ns before arming the event index: if a
 * request comes within the window, the kick and the wake-up are saved.
 * With the window as long as a wake-up, polling never costs more than
 * twice what sleeping at once would (the halt-polling argument).
 */
static int poll_ring(unsigned int ns)
{
	uint64_t end = __builtin_ia32_rdtsc() + (uint64_t)(ns * tsc_per_ns);

	do {
		if (pvkit_ring_cons_avail(&pv_cons[0].r))
			return 1;
		cpu_relax();
	} while (__builtin_ia32_rdtsc() < end);
	return 0;
}

static void *notify_producer(void *arg)
{
	struct notify_run *nr = arg;
	struct msg m[MAX_BATCH];
	uint64_t seq = 0, items = nr->r.items, kicks = 0;
	unsigned int k, sent, i;
	int suppress = nr->suppress;

	pin(cpu_prod);
	memset(m, 0x5a, sizeof(m));
	wait_go(&nr->r);
	nr->r.t0 = now_ns();
	while (seq < items) {
		k = nr->r.batch;
		for (i = 0; i < k; i++)
			m[i].seq = seq + i;
		if (prod_work_ns)
			spin_ns(prod_work_ns * k);
		for (sent = 0; sent < k; ) {
			int got = msg_ring_put(&pv_prod[0].r, m + sent,
					       k - sent);

			if (got <= 0) {
				cpu_relax();
				continue;
			}
			sent += (unsigned int)got;
		}
		if (suppress) {
			if (!pvkit_ring_prod_publish_notify(&pv_prod[0].r))
				goto next;
		} else {
			pvkit_ring_prod_publish(&pv_prod[0].r);
		}
		spin_ns(kick_ns);
		kicks++;
		atomic_fetch_add_explicit(&nr->bell, 1, memory_order_release);
next:
		seq += k;
	}
	nr->kicks = kicks;
	return NULL;
}

static void *notify_consumer(void *arg)
{
	struct notify_run *nr = arg;
	struct msg m[MAX_BATCH];
	uint64_t seq = 0, seen, items = nr->r.items, sleeps = 0, errors = 0;
	int got, i, suppress = nr->suppress;

	pin(cpu_cons);
	wait_go(&nr->r);
	while (seq < items) {
		seen = atomic_load_explicit(&nr->bell, memory_order_acquire);
		got = msg_ring_get(&pv_cons[0].r, m, MAX_BATCH);
		if (got > 0) {
			for (i = 0; i < got; i++)
				errors += m[i].seq != seq + (unsigned)i;
			if (work_ns)
				spin_ns(work_ns * (unsigned int)got);
			seq += (unsigned int)got;
			continue;
		}
		if (suppress > 1 && poll_ring(wake_ns))
			continue;
		if (suppress && pvkit_ring_cons_arm(&pv_cons[0].r))
			continue;
		sleeps++;
		while (atomic_load_explicit(&nr->bell, memory_order_acquire) ==
		       seen)
			cpu_relax();
		spin_ns(wake_ns);
	}
	nr->r.t1 = now_ns();
	nr->sleeps = sleeps;
	nr->r.errors = errors;
	return NULL;
}


static void bench_notify_profile(unsigned int pw, unsigned int cw)
{
	static struct notify_run nr;
	unsigned int b;
	int s;

	prod_work_ns = pw;
	work_ns = cw;
	printf("\n# producer work %u ns/request, consumer work %u ns/request"
	       " (%s-bound), kick %u ns, wake-up %u ns, %llu requests\n",
	       pw, cw, pw > cw ? "producer" : "consumer", kick_ns, wake_ns,
	       (unsigned long long)(n_items / 10));
	printf("| batch | suppression | notifications/1000 | "
	       "consumer sleeps/1000 | Mreq/s |\n|---|---|---|---|---|\n");
	for (b = 0; b < 3; b++) {
		for (s = 2; s >= 0; s--) {
			double t;

			pv_setup();
			atomic_store(&nr.bell, 0);
			nr.kicks = 0;
			nr.sleeps = 0;
			nr.suppress = s;
			nr.r.batch = batches[b];
			nr.r.items = n_items / 10;
			t = run_pair(&nr.r, notify_producer, notify_consumer);
			printf("| %u | %s | %.1f | %.1f | %.2f |\n", batches[b],
			       s == 2 ? "on + poll" : s ? "on" : "off", nr.kicks * 1000.0 / nr.r.items,
			       nr.sleeps * 1000.0 / nr.r.items,
			       nr.r.items / t * 1e3);
		}
	}
	fflush(stdout);
}

void bench_notify(void)
{
	unsigned int cw = work_ns;

	printf("\n## Notifications per 1,000 requests (pvkit ring, "
	       "sustained load)\n");
	bench_notify_profile(0, cw);
	bench_notify_profile(cw, 0);
}
