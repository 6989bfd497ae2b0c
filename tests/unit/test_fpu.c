// SPDX-License-Identifier: GPL-2.0
/*
 * FPU switching (hypervisor/arch/x86/fpu.c) against fpu_forget() from
 * another pCPU.  FXSAVE and FXRSTOR work at CPL 3, so the real code runs
 * here: a thread plays a pCPU (on a stack laid out as the hypervisor's,
 * so this_cpu() finds it), the main thread the pCPU that rebuilds a
 * domain.  Each round the pCPU holds vCPU A's registers (a marker in
 * XMM15) and switches to B, saving A, while the other thread forgets A
 * and resets its area.  Afterwards A's area must be the reset state: a
 * save that landed after the reset would have put the marker back.
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <asm/fpu.h>
#include <hv/percpu.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ROUNDS		100000
#define SECONDS		2	/* at most: the host may have few free cores */
#define XMM15		(160 + 15 * 16)

struct pcpu *pcpus[CONFIG_NR_CPUS];
unsigned int nr_pcpus;

static struct pcpu cpu0;
static struct arch_vcpu va, vb;
static unsigned int phase;	/* round * 4 + step, see pcpu_rounds() */
static unsigned int rounds;
static bool quit;

static uint64_t marker(const struct arch_vcpu *v)
{
	uint64_t m;

	memcpy(&m, v->fpu.area + XMM15, sizeof(m));
	return m;
}

static void set_marker(struct arch_vcpu *v, uint64_t m)
{
	memcpy(v->fpu.area + XMM15, &m, sizeof(m));
}

static void spin(unsigned int n)
{
	while (n--)
		asm volatile("" ::: "memory");
}

static void set_phase(unsigned int p)
{
	__atomic_store_n(&phase, p, __ATOMIC_SEQ_CST);
}

/* Spins a little, then yields: the two threads may share one core. */
static bool wait_phase(unsigned int want)
{
	for (unsigned int i = 0;
	     __atomic_load_n(&phase, __ATOMIC_SEQ_CST) != want; i++) {
		if (__atomic_load_n(&quit, __ATOMIC_SEQ_CST))
			return false;
		if (i > 1000)
			sched_yield();
		else
			asm volatile("pause" ::: "memory");
	}
	return true;
}

/*
 * The pCPU: per round, once A's area is ready (step 0) load A and say so
 * (1); at the go (2) switch to B after a short, varying delay and report
 * done (3).
 */
static void pcpu_rounds(void *arg)
{
	(void)arg;
	for (unsigned int r = 0; r < rounds; r++) {
		if (!wait_phase(r * 4))
			return;
		fpu_switch_to(&va);
		set_phase(r * 4 + 1);
		wait_phase(r * 4 + 2);
		spin(r % 64);
		fpu_switch_to(&vb);
		set_phase(r * 4 + 3);
	}
}

/* Calls fn(arg) with the stack pointer at top. */
static void call_on_stack(void *top, void (*fn)(void *), void *arg)
{
	asm volatile("mov %%rsp, %%rbx\n\t"
		     "mov %[top], %%rsp\n\t"
		     "call *%[fn]\n\t"
		     "mov %%rbx, %%rsp"
		     : "+D"(arg)
		     : [top] "r"(top), [fn] "r"(fn)
		     : "rbx", "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10",
		       "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3",
		       "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
		       "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
}

static void *pcpu_thread(void *arg)
{
	/* As in the hypervisor: aligned, its struct pcpu at the bottom. */
	void *stack = aligned_alloc(HV_STACK_SIZE, HV_STACK_SIZE);

	(void)arg;
	pcpu_bind_stack(&cpu0, stack);
	call_on_stack((char *)stack + HV_STACK_SIZE - 64, pcpu_rounds, NULL);
	free(stack);
	return NULL;
}

static void test_forget_while_switching_away(void)
{
	unsigned int clobbered = 0, r;
	time_t end = time(NULL) + SECONDS;
	pthread_t t;

	fpu_vcpu_init(&va);
	fpu_vcpu_init(&vb);
	rounds = ROUNDS;
	set_phase(0);
	pthread_create(&t, NULL, pcpu_thread, NULL);
	for (r = 0; r < ROUNDS && time(NULL) < end; r++) {
		set_marker(&va, r + 1);
		set_phase(r * 4);
		wait_phase(r * 4 + 1);
		set_phase(r * 4 + 2);
		spin((r * 7) % 64);
		fpu_forget(&va);
		fpu_vcpu_init(&va);
		wait_phase(r * 4 + 3);
		if (marker(&va) != 0 && clobbered++ < 5)
			ktap_diag("round %u: A's reset area got the save of marker %llu",
				  r, (unsigned long long)marker(&va));
	}
	__atomic_store_n(&quit, true, __ATOMIC_SEQ_CST);
	pthread_join(t, NULL);
	ktap_diag("%u rounds, %u clobbered", r, clobbered);
	EXPECT_EQ(clobbered, 0);
}

/* Plain switching keeps each vCPU's registers. */
static void test_switch_keeps_state(void)
{
	pthread_t t;

	fpu_vcpu_init(&va);
	fpu_vcpu_init(&vb);
	set_marker(&va, 0x1111);
	set_marker(&vb, 0x2222);
	/* One round of the pCPU thread: A, then B, saving A. */
	rounds = 1;
	quit = false;
	set_phase(0);
	pthread_create(&t, NULL, pcpu_thread, NULL);
	wait_phase(1);
	set_phase(2);
	pthread_join(t, NULL);
	EXPECT_EQ(marker(&va), 0x1111);
	EXPECT(cpu0.arch.fpu_owner == &vb);
	fpu_forget(&vb);
	EXPECT(cpu0.arch.fpu_owner == NULL);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_switch_keeps_state),
	KTAP_CASE(test_forget_while_switching_away),
};

int main(void)
{
	nr_pcpus = 1;
	pcpus[0] = &cpu0;
	return ktap_run(cases, ARRAY_SIZE(cases));
}
