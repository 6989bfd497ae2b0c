// SPDX-License-Identifier: GPL-2.0
/*
 * paging-bench: the memory-virtualization workloads of tests/bench/paging,
 * run inside one Linux guest that pvkit boots on nested paging and again
 * on shadow paging.  Each job is timed, with the guest's interrupts and
 * the domain's VM exits by kind around it (exit_counts.h), and prints
 *   # paging-bench: JOB ops=N ns=T irqs=I [KIND=COUNT ...]
 * Jobs:
 *   fork_exec  fork, exec of this program (which exits at once), wait:
 *              a new address space built and torn down each time
 *   mmap_touch mmap 4 MiB of anonymous memory, write each page, munmap:
 *              a page fault per page, a TLB shootdown per munmap
 *   tlb_walk   reads, one a page, over a working set touched beforehand,
 *              in a scattered order: TLB misses with no page faults
 * Kselftest harness; run by /init as pvkit.test=paging-bench
 * [pvkit.args=FORKS,ROUNDS,MIB,PASSES] (default 200,32,64,4).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "exit_counts.h"

#define PAGE		4096ul
#define ROUND_BYTES	(4ul << 20)
#define CHILD_ARG	"--exit-at-once"
#define BENCH_TIMEOUT	900

static unsigned long forks = 200, rounds = 32, walk_mib = 64, passes = 4;
static const char *self_path = "/pvkit/tests/paging-bench";

static void report(const char *job, unsigned long ops, uint64_t ns,
		   const struct counts *b, const struct counts *a)
{
	printf("# paging-bench: %s ops=%lu ns=%llu irqs=%llu", job, ops,
	       (unsigned long long)ns, a->irqs - b->irqs);
	print_moved(b, a);
	printf("\n");
	fflush(stdout);
}

FIXTURE(paging) {};
FIXTURE_SETUP(paging) {}
FIXTURE_TEARDOWN(paging) {}

TEST_F_TIMEOUT(paging, fork_exec, BENCH_TIMEOUT)
{
	struct counts before, after;
	uint64_t t0;

	read_counts(&before);
	t0 = now_ns();
	for (unsigned long i = 0; i < forks; i++) {
		int status = -1;
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (!pid) {
			execl(self_path, self_path, CHILD_ARG, (char *)NULL);
			_exit(127);
		}
		ASSERT_EQ(waitpid(pid, &status, 0), pid);
		ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	read_counts(&after);
	report("fork_exec", forks, now_ns() - t0, &before, &after);
}

TEST_F_TIMEOUT(paging, mmap_touch, BENCH_TIMEOUT)
{
	struct counts before, after;
	unsigned long pages = ROUND_BYTES / PAGE;
	uint64_t t0;

	read_counts(&before);
	t0 = now_ns();
	for (unsigned long r = 0; r < rounds; r++) {
		volatile uint8_t *m = mmap(NULL, ROUND_BYTES,
					   PROT_READ | PROT_WRITE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_NE(m, MAP_FAILED);
		for (unsigned long p = 0; p < pages; p++)
			m[p * PAGE] = (uint8_t)(r + p);
		ASSERT_EQ(munmap((void *)m, ROUND_BYTES), 0);
	}
	read_counts(&after);
	report("mmap_touch", rounds * pages, now_ns() - t0, &before, &after);
}

TEST_F_TIMEOUT(paging, tlb_walk, BENCH_TIMEOUT)
{
	unsigned long pages = (walk_mib << 20) / PAGE, sum = 0, at = 0;
	struct counts before, after;
	uint8_t *m;
	uint64_t t0;

	m = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	ASSERT_NE(m, MAP_FAILED);
	for (unsigned long p = 0; p < pages; p++)
		m[p * PAGE] = (uint8_t)p;
	read_counts(&before);
	t0 = now_ns();
	/* A stride prime to the page count visits every page once a pass. */
	for (unsigned long i = 0; i < passes * pages; i++) {
		at = (at + 4099) % pages;
		sum += m[at * PAGE + (i & 63) * 64];
	}
	read_counts(&after);
	report("tlb_walk", passes * pages, now_ns() - t0, &before, &after);
	ASSERT_NE(sum, 0);
	munmap(m, pages * PAGE);
}

/* TEST_HARNESS_MAIN, with the sizes taken from the command line. */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	unsigned long *knobs[] = { &forks, &rounds, &walk_mib, &passes };

	if (argc > 1 && !strcmp(argv[1], CHILD_ARG))
		return 0;
	self_path = argv[0];
	for (int i = 1; i < argc && i <= 4; i++) {
		unsigned long v = strtoul(argv[i], NULL, 0);

		if (v)
			*knobs[i - 1] = v;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return test_harness_run(1, argv);
}
