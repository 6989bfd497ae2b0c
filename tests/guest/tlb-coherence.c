// SPDX-License-Identifier: GPL-2.0
/*
 * tlb-coherence: what one CPU changes in its process's page tables, the
 * process's thread on another CPU sees at once, as the kernel's TLB
 * shootdown (an IPI, then INVLPG or a CR3 reload there) promises.  Under
 * shadow paging every vCPU has shadow tables of its own, so this is the
 * check that they follow the guest's flushes.  Needs two CPUs; the
 * threads are pinned to CPUs 0 and 1.  Kselftest harness; run by /init
 * as pvkit.test=tlb-coherence [pvkit.args=ROUNDS] (default 2000).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kselftest_harness.h"

#define PAGE		4096ul
#define SPIN_NS		5000000000ull	/* a round's wait: 5 s */

static unsigned long rounds = 2000;

/* What the two threads share, besides the page under test. */
struct shared {
	volatile uint64_t *addr;	/* the page both threads use */
	unsigned long round;		/* asked by the main thread */
	unsigned long ack;		/* answered by the worker */
	volatile bool write;		/* this round writes the round number */
	volatile unsigned long seen;	/* what a read round read */
	volatile bool faulted;		/* the round's access faulted */
	volatile bool stop;
};

static struct shared sh;
static sigjmp_buf fault_jmp;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Only the worker touches the page in a way that can fault. */
static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(fault_jmp, 1);
}

/* On CPU 1: each round, one access to the page, then the answer. */
static void *worker(void *arg)
{
	unsigned long done = 0;

	(void)arg;
	if (pin(1))
		return NULL;
	while (!sh.stop) {
		unsigned long r = __atomic_load_n(&sh.round, __ATOMIC_ACQUIRE);

		if (r == done)
			continue;
		sh.faulted = false;
		if (sigsetjmp(fault_jmp, 1))
			sh.faulted = true;
		else if (sh.write)
			*sh.addr = r;
		else
			sh.seen = *sh.addr;
		done = r;
		__atomic_store_n(&sh.ack, r, __ATOMIC_RELEASE);
	}
	return NULL;
}

/* Round r, a write or a read; false when no answer came in time. */
static bool ask(unsigned long r, bool write)
{
	uint64_t t0 = now_ns();

	sh.write = write;
	__atomic_store_n(&sh.round, r, __ATOMIC_RELEASE);
	while (__atomic_load_n(&sh.ack, __ATOMIC_ACQUIRE) != r)
		if (now_ns() - t0 > SPIN_NS)
			return false;
	return true;
}

FIXTURE(tlb) {
	pthread_t thread;
	void *page;
};

FIXTURE_SETUP(tlb)
{
	struct sigaction sa = { .sa_handler = on_segv };

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "one CPU: nothing to shoot down");
	ASSERT_EQ(sigaction(SIGSEGV, &sa, NULL), 0);
	memset((void *)&sh, 0, sizeof(sh));
	self->page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(self->page, MAP_FAILED);
	sh.addr = self->page;
	*sh.addr = 0;
	ASSERT_EQ(pin(0), 0);
	ASSERT_EQ(pthread_create(&self->thread, NULL, worker, NULL), 0);
}

FIXTURE_TEARDOWN(tlb)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	sh.stop = 1;
	pthread_join(self->thread, NULL);
	munmap(self->page, PAGE);
}

/*
 * A new page at the same address each round (MAP_FIXED over the old
 * one, which the kernel unmaps and shoots down first): the worker must
 * read the new page's value, never the old one's.
 */
TEST_F_TIMEOUT(tlb, remap_seen_by_the_other_cpu, 600)
{
	unsigned long stale = 0;

	for (unsigned long r = 1; r <= rounds; r++) {
		void *p = mmap(self->page, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		ASSERT_EQ(p, self->page);
		*sh.addr = r;
		ASSERT_TRUE(ask(r, false));
		if (sh.seen != r && !stale++)
			TH_LOG("round %lu: the other CPU read %lu", r, sh.seen);
	}
	EXPECT_EQ(stale, 0);
	TH_LOG("%lu rounds", rounds);
}

/*
 * mprotect to read-only, then the worker writes: each write must fault
 * on the other CPU, and once the page is writable again must go through.
 */
TEST_F_TIMEOUT(tlb, mprotect_seen_by_the_other_cpu, 600)
{
	unsigned long wrong = 0, n = rounds / 4 ? rounds / 4 : 1;

	for (unsigned long r = 1; r <= 2 * n; r += 2) {
		/* Writable: the worker's write lands. */
		ASSERT_EQ(mprotect(self->page, PAGE, PROT_READ | PROT_WRITE), 0);
		ASSERT_TRUE(ask(r, true));
		if (sh.faulted || *sh.addr != r)
			wrong++;
		/* Read-only: it must fault, and the page keep its value. */
		ASSERT_EQ(mprotect(self->page, PAGE, PROT_READ), 0);
		ASSERT_TRUE(ask(r + 1, true));
		if (!sh.faulted || *sh.addr != r)
			wrong++;
	}
	EXPECT_EQ(wrong, 0);
	TH_LOG("%lu writes allowed and %lu refused", n, n);
}

/* TEST_HARNESS_MAIN, with the round count taken from the command line. */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strtoul(argv[1], NULL, 0))
		rounds = strtoul(argv[1], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return test_harness_run(1, argv);
}
