// SPDX-License-Identifier: MIT
/*
 * Two-thread stress test: a producer thread and a consumer thread move
 * numbered, checksummed 64-byte messages through one small ring, with
 * random batch sizes, starting a little below the 2^32 index wrap.  The
 * consumer checks that every message arrives once, in order, intact.
 *
 * Two modes:
 *   poll    both sides spin on the ring (cached indices, batching);
 *   notify  both sides sleep on a simulated doorbell and rely on the
 *           event indices to be woken: a lost wake-up shows as a stall,
 *           which the watchdog reports as a failure.
 *
 * Usage: ring_stress [-n messages] [-o order] [-t seconds-watchdog]
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pvkit/ring_core.h>
#include "ktap.h"

#define MAX_BATCH	32

struct msg {
	uint64_t seq;
	uint64_t body[6];
	uint64_t csum;
};

struct doorbell {
	_Atomic uint64_t rings;
	uint64_t count;		/* notifications sent, sender-private */
};

struct stress {
	void *mem;
	uint64_t len;
	uint32_t order;
	uint32_t start;
	uint64_t total;
	int notify;
	struct pvkit_ring prod __attribute__((aligned(128)));
	struct pvkit_ring cons __attribute__((aligned(128)));
	struct doorbell to_cons __attribute__((aligned(128)));
	struct doorbell to_prod __attribute__((aligned(128)));
	_Atomic uint64_t progress __attribute__((aligned(128)));
	_Atomic int stop;
	uint64_t received;
	uint64_t errors;
	_Atomic int ring_error;
	_Atomic int prod_error;
};

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static uint64_t msg_csum(const struct msg *m)
{
	uint64_t c = m->seq * 0xff51afd7ed558ccdull;
	int i;

	for (i = 0; i < 6; i++)
		c = (c ^ m->body[i]) * 0xc4ceb9fe1a85ec53ull;
	return c;
}

static void msg_fill(struct msg *m, uint64_t seq)
{
	int i;

	m->seq = seq;
	for (i = 0; i < 6; i++)
		m->body[i] = seq + ((uint64_t)i << 56) + 0x1234567ull * i;
	m->csum = msg_csum(m);
}

static void bell_ring(struct doorbell *b)
{
	b->count++;
	atomic_fetch_add_explicit(&b->rings, 1, memory_order_release);
}

static uint64_t bell_read(struct doorbell *b)
{
	return atomic_load_explicit(&b->rings, memory_order_acquire);
}

/* Wait until the bell rang after 'seen', or the test is stopped. */
static void bell_wait(struct stress *s, struct doorbell *b, uint64_t seen)
{
	unsigned int spins = 0;

	while (bell_read(b) == seen && !atomic_load(&s->stop)) {
		if (++spins > 64)
			sched_yield();
	}
}

/*
 * Polling mode: spin on an empty or full ring, but give the CPU away now
 * and then, so that a loaded machine (or TSan's slowness) does not turn
 * the spin into whole scheduler time slices of nothing.
 */
static void idle_wait(int idle)
{
	static _Thread_local unsigned int spins;

	if (!idle) {
		spins = 0;
		return;
	}
	if (++spins > 256)
		sched_yield();
}

static void *producer(void *arg)
{
	struct stress *s = arg;
	struct msg batch[MAX_BATCH];
	uint64_t seq = 0, rng = 0x9e3779b97f4a7c15ull, seen;
	uint32_t want, i;
	int n;

	while (seq < s->total && !atomic_load(&s->stop)) {
		want = 1 + rng_next(&rng) % MAX_BATCH;
		if (want > s->total - seq)
			want = (uint32_t)(s->total - seq);
		for (i = 0; i < want; i++)
			msg_fill(&batch[i], seq + i);
		seen = bell_read(&s->to_prod);
		n = pvkit_ring_prod_put(&s->prod, batch, want);
		if (n < 0) {
			s->prod_error = n;
			break;
		}
		seq += (uint32_t)n;
		if (!s->notify) {
			pvkit_ring_prod_publish(&s->prod);
			idle_wait(n == 0);
			continue;
		}
		if (pvkit_ring_prod_publish_notify(&s->prod))
			bell_ring(&s->to_cons);
		if ((uint32_t)n == want)
			continue;
		/* full: ask for a quarter of the ring, then sleep */
		n = pvkit_ring_prod_arm(&s->prod, s->prod.size / 4 + 1);
		if (n < 0) {
			s->prod_error = n;
			break;
		}
		if (n == 0)
			bell_wait(s, &s->to_prod, seen);
	}
	return NULL;
}

static void check_batch(struct stress *s, const struct msg *m, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (m[i].seq != s->received + i || m[i].csum != msg_csum(&m[i])) {
			if (s->errors++ < 5)
				ktap_diag("message %llu: got seq %llu csum %s",
					  (unsigned long long)(s->received + i),
					  (unsigned long long)m[i].seq,
					  m[i].csum == msg_csum(&m[i]) ?
					  "ok" : "bad");
		}
	}
	s->received += n;
	atomic_store_explicit(&s->progress, s->received, memory_order_relaxed);
}

static void *consumer(void *arg)
{
	struct stress *s = arg;
	struct msg batch[MAX_BATCH];
	uint64_t rng = 0xd1b54a32d192ed03ull, seen;
	int n;

	while (s->received < s->total && !atomic_load(&s->stop)) {
		seen = bell_read(&s->to_cons);
		n = pvkit_ring_cons_get(&s->cons, batch,
					1 + rng_next(&rng) % MAX_BATCH);
		if (n < 0) {
			s->ring_error = n;
			break;
		}
		check_batch(s, batch, n);
		if (!s->notify) {
			idle_wait(n == 0);
			continue;
		}
		if (pvkit_ring_cons_notify(&s->cons))
			bell_ring(&s->to_prod);
		if (n)
			continue;
		n = pvkit_ring_cons_arm(&s->cons);
		if (n < 0) {
			s->ring_error = n;
			break;
		}
		if (n == 0)
			bell_wait(s, &s->to_cons, seen);
	}
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Stop the run if no message moved for 'stall' seconds. */
static int watchdog(struct stress *s, double stall)
{
	uint64_t last = 0, cur;
	double since = now_s();

	for (;;) {
		usleep(20000);
		cur = atomic_load_explicit(&s->progress, memory_order_relaxed);
		if (cur >= s->total || s->ring_error || s->prod_error)
			return 0;
		if (cur != last) {
			last = cur;
			since = now_s();
			continue;
		}
		if (now_s() - since > stall) {
			atomic_store(&s->stop, 1);
			ktap_diag("stalled at message %llu of %llu",
				  (unsigned long long)cur,
				  (unsigned long long)s->total);
			return -1;
		}
	}
}

static int run(uint64_t total, uint32_t order, int notify, double stall)
{
	struct stress *s = aligned_alloc(128, sizeof(*s));
	pthread_t pt, ct;
	double t0, t1;
	int ok, stalled;

	if (!s)
		return 0;
	memset(s, 0, sizeof(*s));
	s->total = total;
	s->order = order;
	s->notify = notify;
	s->start = 0u - (uint32_t)(total / 2);	/* wrap half way */
	s->len = PVKIT_RING_BYTES(1u << order, sizeof(struct msg));
	s->mem = aligned_alloc(64, (s->len + 63) & ~63ull);
	if (!s->mem ||
	    pvkit_ring_setup(s->mem, s->len, order, sizeof(struct msg), s->start) ||
	    pvkit_ring_attach(&s->prod, s->mem, s->len, order,
			      sizeof(struct msg), s->start) ||
	    pvkit_ring_attach(&s->cons, s->mem, s->len, order,
			      sizeof(struct msg), s->start))
		return 0;
	t0 = now_s();
	pthread_create(&ct, NULL, consumer, s);
	pthread_create(&pt, NULL, producer, s);
	stalled = watchdog(s, stall);
	pthread_join(pt, NULL);
	pthread_join(ct, NULL);
	t1 = now_s();
	ktap_diag("%s: %llu messages in %.2f s (%.1f Mmsg/s), ring 2^%u, "
		  "notifications to consumer %llu, to producer %llu",
		  notify ? "notify" : "poll", (unsigned long long)s->received,
		  t1 - t0, s->received / (t1 - t0) / 1e6, order,
		  (unsigned long long)s->to_cons.count,
		  (unsigned long long)s->to_prod.count);
	if (s->ring_error || s->prod_error)
		ktap_diag("ring error: consumer %d producer %d", s->ring_error,
			  s->prod_error);
	ok = !stalled && !s->errors && !s->ring_error && !s->prod_error &&
	     s->received == total;
	free(s->mem);
	free(s);
	return ok;
}

int main(int argc, char **argv)
{
	uint64_t total = 10000000;
	uint32_t order = 6;
	double stall = 20;
	int opt;

	while ((opt = getopt(argc, argv, "n:o:t:")) != -1) {
		switch (opt) {
		case 'n':
			total = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			order = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 't':
			stall = strtod(optarg, NULL);
			break;
		default:
			return 2;
		}
	}
	ktap_plan(4);
	ktap_result(run(total, order, 0, stall), "two_threads_poll");
	ktap_result(run(total, order, 1, stall), "two_threads_notify");
	/* the degenerate ring: every message is a full ring and a wrap */
	ktap_result(run(total / 50, 0, 0, stall), "ring_of_one_poll");
	ktap_result(run(total / 50, 0, 1, stall), "ring_of_one_notify");
	return ktap_exit();
}
