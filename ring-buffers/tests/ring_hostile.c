// SPDX-License-Identifier: MIT
/*
 * Hostile-producer tests, built with AddressSanitizer and UBSan:
 *  - random_peer: many random byte strings drive the hostile peer of
 *    ring_model.h against a consumer and a producer;
 *  - scribbler: a second thread writes garbage over the whole shared ring
 *    (indices, event indices, slots) as fast as it can while the consumer
 *    keeps calling get/arm/notify; every call must return, with a count
 *    within the ring or -PVKIT_ERANGE, and once dead stay dead.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

#include "ktap.h"
#include "ring_model.h"

static void model_fail(const char *what)
{
	ktap_diag("broken promise: %s", what);
	fflush(stdout);
	abort();
}

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int test_random_peer(void)
{
	static struct model m;
	uint8_t data[4096];
	uint64_t rng = 0x243f6a8885a308d3ull, violations = 0, copied = 0;
	unsigned int run, i, len;

	for (run = 0; run < 20000; run++) {
		len = 16 + rng_next(&rng) % (sizeof(data) - 16);
		for (i = 0; i < len; i++)
			data[i] = (uint8_t)rng_next(&rng);
		violations += model_run(&m, data, len);
		copied += m.copied;
	}
	ktap_diag("random_peer: %u inputs, %llu rings found broken, "
		  "%llu messages copied", run, (unsigned long long)violations,
		  (unsigned long long)copied);
	return violations > 0 && copied > 0;
}

struct scribble {
	uint8_t *mem;
	uint64_t len;
	atomic_int stop;
	uint64_t writes;
};

static void *scribbler(void *arg)
{
	struct scribble *s = arg;
	uint64_t rng = 0x13198a2e03707344ull, v;
	volatile uint32_t *w = (volatile uint32_t *)s->mem;
	uint32_t words = (uint32_t)(s->len / 4);

	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		v = rng_next(&rng);
		/* mostly the indices, which is where the damage is */
		if (v & 1)
			w[(v >> 8) % 4 * 32] = (uint32_t)(v >> 32) &
					       ((v & 2) ? 0xffffffffu : 0x3fu);
		else
			w[(v >> 8) % words] = (uint32_t)(v >> 32);
		s->writes++;
	}
	return NULL;
}

static int test_scribbler(void)
{
	struct scribble s = { 0 };
	struct pvkit_ring r;
	uint8_t buf[64 * 64];
	uint64_t calls = 0, got = 0, dead = 0, rng = 7;
	struct timespec t0, t;
	pthread_t th;
	int ret, ok = 1, round;

	s.len = PVKIT_RING_BYTES(64, 64);
	s.mem = model_alloc(s.len);
	if (!s.mem)
		return 0;
	pthread_create(&th, NULL, scribbler, &s);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; ; round++) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 2)
			break;
		pvkit_ring_attach(&r, s.mem, s.len, 6, 64, 
				  (rng_next(&rng) & 1) ? 0 : 0xfffffff0u);
		while (ok && !r.error && calls < (uint64_t)(round + 1) * 10000) {
			ret = pvkit_ring_cons_get(&r, buf, 1 + calls % 64);
			ok &= ret == -PVKIT_ERANGE || (ret >= 0 && ret <= 64);
			got += ret > 0 ? (uint64_t)ret : 0;
			ret = pvkit_ring_cons_arm(&r);
			ok &= ret == -PVKIT_ERANGE || ret == 0 || ret == 1;
			pvkit_ring_cons_notify(&r);
			calls++;
		}
		calls = (uint64_t)(round + 1) * 10000;
		if (r.error) {
			dead++;
			ok &= pvkit_ring_cons_get(&r, buf, 1) == -PVKIT_ERANGE;
		}
	}
	atomic_store(&s.stop, 1);
	pthread_join(th, NULL);
	ktap_diag("scribbler: %d rings, %llu messages copied, %llu violations "
		  "detected, %llu garbage writes", round,
		  (unsigned long long)got, (unsigned long long)dead,
		  (unsigned long long)s.writes);
	free(s.mem);
	return ok && dead > 0;
}

int main(void)
{
	ktap_plan(2);
	ktap_result(test_random_peer(), "random_peer");
	ktap_result(test_scribbler(), "concurrent_scribbler");
	return ktap_exit();
}
