// SPDX-License-Identifier: MIT
/*
 * Ring benchmark: the pvkit ring against Concurrency Kit's ck_ring and
 * DPDK's rte_ring (both single-producer/single-consumer, 64-byte elements
 * copied in and out, same capacity), with the producer and the consumer
 * pinned to two different CPUs, all in one run:
 *
 *   throughput   items/s and ns/item for batch sizes 1, 8, 32
 *   round trip   a batch of requests out on one ring, the same number of
 *                responses back on another, for batch sizes 1, 8, 32
 *   ping-pong    one cache line bounced between the two CPUs: the
 *                physical floor for any round trip between them
 *   notify       notifications per 1,000 requests under sustained load,
 *                with and without event-index suppression
 *
 * Usage: ring_bench [-p cpu] [-c cpu] [-n items] [-r reps] [-s tries]
 *                   [-m parts] [-k kick_ns] [-w wake_ns] [-u work_ns]
 * Every figure is the median of -r runs (default 7), with the slowest and
 * fastest run and how many runs had a thread switched out by the kernel;
 * -s repeats a switched-out run up to that many times in all.  The header
 * says which CPUs the threads are pinned to and whether they share a core,
 * as far as the (possibly virtual) topology tells; each table ends with
 * the CPUs the threads were found on at both ends of every run.  The
 * notify part is in ring_notify.c.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include <pvkit/ring_core.h>
#include "cpu_topology.h"
#include "ring_bench.h"

#ifdef HAVE_CK
#include <ck_ring.h>
#endif
#ifdef HAVE_DPDK
#include <rte_ring.h>
#include <rte_ring_elem.h>
#endif

int cpu_prod, cpu_cons = 1;
uint64_t n_items = 10000000;
static int reps = 7;
static int clean_tries = 1;

double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *ring_mem(uint64_t len)
{
	void *p = aligned_alloc(4096, (len + 4095) & ~4095ull);

	if (!p) {
		perror("aligned_alloc");
		exit(1);
	}
	memset(p, 0, (len + 4095) & ~4095ull);
	return p;
}

/* ---- the three rings behind one set of inline operations --------------- */

/* Ring 0 carries requests (producer -> consumer), ring 1 responses. */
struct pv_side pv_prod[2], pv_cons[2];

void pv_setup(void)
{
	static void *mem[2];
	uint64_t len = PVKIT_RING_BYTES(RING_SLOTS, sizeof(struct msg));
	int i;

	for (i = 0; i < 2; i++) {
		if (!mem[i])
			mem[i] = ring_mem(len);
		pvkit_ring_setup(mem[i], len, RING_ORDER, sizeof(struct msg), 0);
		pvkit_ring_attach(&pv_prod[i].r, mem[i], len, RING_ORDER,
				  sizeof(struct msg), 0);
		pvkit_ring_attach(&pv_cons[i].r, mem[i], len, RING_ORDER,
				  sizeof(struct msg), 0);
	}
}

static inline __attribute__((always_inline))
unsigned int pv_enq(int ring, const struct msg *m, unsigned int n)
{
	int got = msg_ring_put(&pv_prod[ring].r, m, n);

	if (got > 0)
		pvkit_ring_prod_publish(&pv_prod[ring].r);
	return got > 0 ? (unsigned int)got : 0;
}

/* The same with the notification check a real driver makes per batch. */
static inline __attribute__((always_inline))
unsigned int pvn_enq(int ring, const struct msg *m, unsigned int n)
{
	int got = msg_ring_put(&pv_prod[ring].r, m, n);

	if (got > 0)
		(void)pvkit_ring_prod_publish_notify(&pv_prod[ring].r);
	return got > 0 ? (unsigned int)got : 0;
}

static inline __attribute__((always_inline))
unsigned int pv_deq(int ring, struct msg *m, unsigned int n)
{
	int got = msg_ring_get(&pv_cons[ring].r, m, n);

	return got > 0 ? (unsigned int)got : 0;
}

/*
 * Both sides as they were before they asked for slot lines ahead of use
 * (docs/ring-buffers.md, "Prefetching slots the other side is done
 * with"), kept as a row so that every run shows the difference.
 */
static inline __attribute__((always_inline))
unsigned int pv0_enq(int ring, const struct msg *m, unsigned int n)
{
	int got = pvkit_ring__put(&pv_prod[ring].r, m, n, sizeof(*m), 0);

	if (got > 0)
		pvkit_ring_prod_publish(&pv_prod[ring].r);
	return got > 0 ? (unsigned int)got : 0;
}

static inline __attribute__((always_inline))
unsigned int pv0_deq(int ring, struct msg *m, unsigned int n)
{
	int got = pvkit_ring__get(&pv_cons[ring].r, m, n, sizeof(*m), 0);

	return got > 0 ? (unsigned int)got : 0;
}

/*
 * The ring as it was before its consumer stopped prefetching: the next
 * slot's line fetched along with prod on every poll of an empty ring, and
 * no slots asked for ahead.  Kept as a row so that every run shows the
 * difference (docs/ring-buffers.md, "Polling an empty ring").
 */
static inline __attribute__((always_inline))
unsigned int pvp_deq(int ring, struct msg *m, unsigned int n)
{
	struct pvkit_ring *r = &pv_cons[ring].r;

	if (r->peer == r->idx)
		__builtin_prefetch(pvkit_ring_slot(r, r->idx));
	return pv0_deq(ring, m, n);
}

#ifdef HAVE_CK
CK_RING_PROTOTYPE(msg, msg)

/* Each ck_ring on lines of its own, as the pvkit and rte rings are. */
struct ck_side {
	struct ck_ring r;
} __attribute__((aligned(128)));

static struct ck_side ck_rings[2];
static struct msg *ck_bufs[2];

static void ck_setup(void)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (!ck_bufs[i])
			ck_bufs[i] = ring_mem(RING_SLOTS * sizeof(struct msg));
		ck_ring_init(&ck_rings[i].r, RING_SLOTS);
	}
}

static inline __attribute__((always_inline))
unsigned int ck_enq(int ring, const struct msg *m, unsigned int n)
{
	unsigned int i;

	/* ck has no bulk operation: a batch is n single enqueues */
	for (i = 0; i < n; i++)
		if (!ck_ring_enqueue_spsc_msg(&ck_rings[ring].r, ck_bufs[ring],
					      (struct msg *)&m[i]))
			break;
	return i;
}

static inline __attribute__((always_inline))
unsigned int ck_deq(int ring, struct msg *m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!ck_ring_dequeue_spsc_msg(&ck_rings[ring].r, ck_bufs[ring],
					      &m[i]))
			break;
	return i;
}
#endif

#ifdef HAVE_DPDK
static struct rte_ring *rte_rings[2];

static void rte_setup(void)
{
	ssize_t len = rte_ring_get_memsize_elem(sizeof(struct msg),
						RING_SLOTS);
	int i;

	for (i = 0; i < 2; i++) {
		if (!rte_rings[i])
			rte_rings[i] = ring_mem((uint64_t)len);
		/* capacity is RING_SLOTS - 1 without RING_F_EXACT_SZ */
		if (rte_ring_init(rte_rings[i], i ? "rsp" : "req", RING_SLOTS,
				  RING_F_SP_ENQ | RING_F_SC_DEQ)) {
			fprintf(stderr, "rte_ring_init failed\n");
			exit(1);
		}
	}
}

static inline __attribute__((always_inline))
unsigned int rte_enq(int ring, const struct msg *m, unsigned int n)
{
	return rte_ring_sp_enqueue_burst_elem(rte_rings[ring], m,
					      sizeof(struct msg), n, NULL);
}

static inline __attribute__((always_inline))
unsigned int rte_deq(int ring, struct msg *m, unsigned int n)
{
	return rte_ring_sc_dequeue_burst_elem(rte_rings[ring], m,
					      sizeof(struct msg), n, NULL);
}
#endif

/* ---- generic measurement loops ----------------------------------------- */

/* Context switches of the calling thread so far. */
static long thread_switches(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

static _Thread_local int my_cpu;

void wait_go(struct run *r)
{
	atomic_fetch_add(&r->ready, 1);
	while (!atomic_load_explicit(&r->go, memory_order_acquire))
		cpu_relax();
	my_cpu = sched_getcpu();
	atomic_fetch_sub(&r->switches, thread_switches());
}

/*
 * End of the timed part on one side: whether it was switched out, and
 * the CPU it ran on, as the kernel saw it at both ends of the timed part
 * (-2: it was moved meanwhile, which the pinning should make impossible).
 */
static void side_done(struct run *r, int side)
{
	int cpu = sched_getcpu();

	atomic_fetch_add(&r->switches, thread_switches());
	atomic_store(&r->cpu[side], cpu == my_cpu ? cpu : -2);
}

static inline __attribute__((always_inline))
void tput_producer(struct run *r, enq_fn enq)
{
	struct msg m[MAX_BATCH];
	uint64_t seq = 0, items = r->items;
	unsigned int k, sent, i, batch = r->batch;

	memset(m, 0x5a, sizeof(m));
	wait_go(r);
	r->t0 = now_ns();
	while (seq < items) {
		k = batch;
		if (k > items - seq)
			k = (unsigned int)(items - seq);
		for (i = 0; i < k; i++)
			m[i].seq = seq + i;
		for (sent = 0; sent < k; ) {
			unsigned int got = enq(0, m + sent, k - sent);

			sent += got;
			if (!got)
				cpu_relax();
		}
		seq += k;
	}
	side_done(r, 0);
}

static inline __attribute__((always_inline))
void tput_consumer(struct run *r, deq_fn deq)
{
	struct msg m[MAX_BATCH];
	uint64_t seq = 0, items = r->items, errors = 0;
	unsigned int got, i, batch = r->batch;

	wait_go(r);
	while (seq < items) {
		got = deq(0, m, batch);
		if (!got) {
			cpu_relax();
			continue;
		}
		for (i = 0; i < got; i++)
			errors += m[i].seq != seq + i;
		seq += got;
	}
	r->t1 = now_ns();
	r->errors = errors;
	side_done(r, 1);
}

/* Client: a batch of requests out, as many responses back. */
static inline __attribute__((always_inline))
void rtt_client(struct run *r, enq_fn enq, deq_fn deq)
{
	struct msg m[MAX_BATCH], in[MAX_BATCH];
	uint64_t it, items = r->items, errors = 0;
	unsigned int k = r->batch, sent, recv, i;

	memset(m, 0x5a, sizeof(m));
	wait_go(r);
	r->t0 = now_ns();
	for (it = 0; it < items; it++) {
		for (i = 0; i < k; i++)
			m[i].seq = it * k + i;
		for (sent = 0; sent < k; )
			sent += enq(0, m + sent, k - sent);
		for (recv = 0; recv < k; )
			recv += deq(1, in + recv, k - recv);
		errors += in[k - 1].seq != it * k + k - 1;
	}
	r->t1 = now_ns();
	r->errors = errors;
	side_done(r, 0);
}

/* Server: echo whatever arrives. */
static inline __attribute__((always_inline))
void rtt_server(struct run *r, enq_fn enq, deq_fn deq)
{
	struct msg m[MAX_BATCH];
	uint64_t done = 0, total = r->items * r->batch;
	unsigned int got, sent;

	wait_go(r);
	while (done < total) {
		got = deq(0, m, MAX_BATCH);
		for (sent = 0; sent < got; )
			sent += enq(1, m + sent, got - sent);
		done += got;
	}
	side_done(r, 1);
}

struct impl {
	const char *name;
	void (*setup)(void);
	void *(*producer)(void *);
	void *(*consumer)(void *);
	void *(*client)(void *);
	void *(*server)(void *);
};

#define IMPL(name, label, setup_fn, enq, deq)				\
static void *name##_tp(void *a) { pin(cpu_prod); tput_producer(a, enq); return NULL; } \
static void *name##_tc(void *a) { pin(cpu_cons); tput_consumer(a, deq); return NULL; } \
static void *name##_rc(void *a) { pin(cpu_prod); rtt_client(a, enq, deq); return NULL; } \
static void *name##_rs(void *a) { pin(cpu_cons); rtt_server(a, enq, deq); return NULL; } \
static const struct impl name##_impl = {				\
	label, setup_fn, name##_tp, name##_tc, name##_rc, name##_rs	\
}

IMPL(pv, "pvkit ring", pv_setup, pv_enq, pv_deq);
IMPL(pvn, "pvkit ring + notify check", pv_setup, pvn_enq, pv_deq);
IMPL(pv0, "pvkit ring, no slot prefetch ahead (before)", pv_setup,
     pv0_enq, pv0_deq);
IMPL(pvp, "pvkit ring, slot prefetch while polling (first)", pv_setup,
     pv0_enq, pvp_deq);
#ifdef HAVE_CK
IMPL(ck, "ck_ring (spsc)", ck_setup, ck_enq, ck_deq);
#endif
#ifdef HAVE_DPDK
IMPL(rte, "rte_ring (sp/sc, elem)", rte_setup, rte_enq, rte_deq);
#endif

static const struct impl *impls[] = {
	&pv_impl,
	&pvn_impl,
	&pv0_impl,
	&pvp_impl,
#ifdef HAVE_CK
	&ck_impl,
#endif
#ifdef HAVE_DPDK
	&rte_impl,
#endif
};
#define N_IMPLS (sizeof(impls) / sizeof(impls[0]))

double run_pair(struct run *r, void *(*a)(void *), void *(*b)(void *))
{
	pthread_t ta, tb;

	atomic_store(&r->go, 0);
	atomic_store(&r->ready, 0);
	r->errors = 0;
	atomic_store(&r->switches, 0);
	atomic_store(&r->cpu[0], -1);
	atomic_store(&r->cpu[1], -1);
	pthread_create(&tb, NULL, b, r);
	pthread_create(&ta, NULL, a, r);
	while (atomic_load(&r->ready) < 2)
		sched_yield();
	atomic_store_explicit(&r->go, 1, memory_order_release);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (r->errors) {
		fprintf(stderr, "benchmark saw %llu wrong items\n",
			(unsigned long long)r->errors);
		exit(1);
	}
	return r->t1 - r->t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* ---- ping-pong: the floor -------------------------------------------- */

static struct {
	_Atomic uint64_t v;
	uint8_t pad[120];
} pp __attribute__((aligned(128)));
#define pp_line pp.v
static uint64_t pp_iters;

static void *pp_client(void *arg)
{
	struct run *r = arg;
	uint64_t i, iters = pp_iters;

	pin(cpu_prod);
	wait_go(r);
	r->t0 = now_ns();
	for (i = 0; i < iters; i++) {
		atomic_store_explicit(&pp_line, 2 * i + 1, memory_order_release);
		while (atomic_load_explicit(&pp_line, memory_order_acquire) !=
		       2 * i + 2)
			cpu_relax();
	}
	r->t1 = now_ns();
	return NULL;
}

static void *pp_server(void *arg)
{
	struct run *r = arg;
	uint64_t i, iters = pp_iters;

	pin(cpu_cons);
	wait_go(r);
	for (i = 0; i < iters; i++) {
		while (atomic_load_explicit(&pp_line, memory_order_acquire) !=
		       2 * i + 1)
			cpu_relax();
		atomic_store_explicit(&pp_line, 2 * i + 2, memory_order_release);
	}
	return NULL;
}

static double pingpong_once(void)
{
	static struct run r;

	pp_iters = n_items / 50 > 50000 ? n_items / 50 : 50000;
	atomic_store(&pp_line, 0);
	return run_pair(&r, pp_client, pp_server) / pp_iters;
}

/*
 * Runs alternate between the rings (ring A, B, C, A, B, C, ...) so that
 * whatever else the machine does disturbs all of them alike.  Round trips
 * put a ping-pong run in every round too: on a virtual machine the two
 * vCPUs may sit on sibling hardware threads in one round and on distant
 * cores in the next, and the ratio is only meaningful within a round.
 */
static void print_row(const struct impl *im, int rtt, unsigned int batch,
		      double *t, uint64_t items, double pp_ns, int switched)
{
	double lo = t[0] / items, hi = t[0] / items, ns;
	int k;

	for (k = 1; k < reps; k++) {
		if (t[k] / items < lo)
			lo = t[k] / items;
		if (t[k] / items > hi)
			hi = t[k] / items;
	}
	ns = median(t, reps) / items;
	if (rtt)
		printf("| %s | %u | %.0f | %.2f | %.0f-%.0f | %d |\n", im->name,
		       batch, ns, ns / pp_ns, lo, hi, switched);
	else
		printf("| %s | %u | %.1f | %.2f | %.1f-%.1f | %d |\n",
		       im->name, batch, 1e3 / ns, ns, 1e3 / hi, 1e3 / lo,
		       switched);
}

/* Runs of one table whose threads did not stay on the CPUs asked for. */
struct placement {
	int runs;
	int elsewhere;
	int last[2];
};

static void check_cpus(const struct run *r, struct placement *pl)
{
	int p = atomic_load(&r->cpu[0]), c = atomic_load(&r->cpu[1]);

	pl->runs++;
	if (p == cpu_prod && c == cpu_cons)
		return;
	pl->elsewhere++;
	pl->last[0] = p;
	pl->last[1] = c;
}

static void print_cpus(const struct placement *pl, unsigned int batch)
{
	if (!pl->elsewhere) {
		printf("# batch %u: all %d runs on CPU %d (producer, client) "
		       "and CPU %d (consumer, server) from start to end\n",
		       batch, pl->runs, cpu_prod, cpu_cons);
		return;
	}
	printf("# batch %u: warning: %d of %d runs not on CPUs %d/%d "
	       "(last: %d/%d; -2 = moved during the run)\n", batch,
	       pl->elsewhere, pl->runs, cpu_prod, cpu_cons, pl->last[0],
	       pl->last[1]);
}

/*
 * One run of a ring; with -s, run it again (up to clean_tries times in
 * all) while either thread was switched out during the timed part, so a
 * short run measures the ring rather than the scheduler.
 */
static double run_impl(struct run *r, const struct impl *im, int rtt)
{
	double t = 0;
	int i;

	for (i = 0; i < clean_tries; i++) {
		im->setup();
		t = rtt ? run_pair(r, im->client, im->server) :
			  run_pair(r, im->producer, im->consumer);
		if (!atomic_load(&r->switches))
			break;
	}
	return t;
}

static void bench_side_by_side(int rtt, unsigned int batch)
{
	static struct run r;
	double t[N_IMPLS][MAX_REPS], pp[MAX_REPS], pp_ns = 0;
	int switched[N_IMPLS] = { 0 };
	struct placement pl = { 0 };
	unsigned int i;
	int k;

	r.batch = batch;
	r.items = rtt ? n_items / 20 / batch : n_items;
	for (k = 0; k < reps; k++) {
		if (rtt)
			pp[k] = pingpong_once();
		for (i = 0; i < N_IMPLS; i++) {
			t[i][k] = run_impl(&r, impls[i], rtt);
			switched[i] += atomic_load(&r.switches) != 0;
			check_cpus(&r, &pl);
		}
	}
	if (rtt) {
		pp_ns = median(pp, reps);
		printf("| cache-line ping-pong | - | %.0f | 1.00 | - | - |\n",
		       pp_ns);
	}
	for (i = 0; i < N_IMPLS; i++)
		print_row(impls[i], rtt, batch, t[i], r.items, pp_ns,
			  switched[i]);
	print_cpus(&pl, batch);
	fflush(stdout);
}

const unsigned int batches[3] = { 1, 8, 32 };

static void bench_throughput(void)
{
	unsigned int b;

	printf("\n## Throughput, 64-byte items, %llu items, ring of %u\n",
	       (unsigned long long)n_items, RING_SLOTS);
	printf("| ring | batch | Mitems/s | ns/item | slowest-fastest | "
	       "runs switched out |\n|---|---|---|---|---|---|\n");
	for (b = 0; b < 3; b++)
		bench_side_by_side(0, batches[b]);
}

static void bench_rtt(void)
{
	unsigned int b;

	printf("\n## Round trip (a batch of requests out, as many responses "
	       "back), 64-byte items\n");
	printf("| ring | batch | ns/round trip | x ping-pong | "
	       "fastest-slowest | runs switched out |\n"
	       "|---|---|---|---|---|---|\n");
	for (b = 0; b < 3; b++)
		bench_side_by_side(1, batches[b]);
}

int main(int argc, char **argv)
{
	int opt, parts = 7;

	while ((opt = getopt(argc, argv, "p:c:n:r:s:k:w:u:m:")) != -1) {
		switch (opt) {
		case 'p':
			cpu_prod = atoi(optarg);
			break;
		case 'c':
			cpu_cons = atoi(optarg);
			break;
		case 'n':
			n_items = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 's':
			clean_tries = atoi(optarg);
			break;
		case 'k':
			kick_ns = (unsigned int)atoi(optarg);
			break;
		case 'w':
			wake_ns = (unsigned int)atoi(optarg);
			break;
		case 'u':
			work_ns = (unsigned int)atoi(optarg);
			break;
		case 'm':
			parts = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-p cpu] [-c cpu] [-n items] "
				"[-r reps] [-s tries] [-k kick_ns] [-w wake_ns] "
				"[-u work_ns] [-m 1|2|4: throughput|rtt|notify]\n", argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS)
		reps = 7;
	if (clean_tries < 1)
		clean_tries = 1;
	tsc_calibrate();
	printf("# ring_bench: producer on CPU %d, consumer on CPU %d, "
	       "median of %d runs\n", cpu_prod, cpu_cons, reps);
	print_placement(cpu_prod, cpu_cons);
	if (parts & 1)
		bench_throughput();
	if (parts & 2)
		bench_rtt();
	if (parts & 4)
		bench_notify();
	return 0;
}
