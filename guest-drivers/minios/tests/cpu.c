// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=cpu [role=dirty|check [rounds=N] [pku=1]]: what the
 * hypervisor intercepts to keep guests apart and the pCPU its own.
 *
 * Without role: #DB (single step, over an emulated CPUID too; a DR0
 * instruction breakpoint; a DR1 data breakpoint) and #AC (CPL 3,
 * CR0.AM and RFLAGS.AC, a misaligned load) reach Mini-OS's own handlers
 * with the right DR6 and error code and the domain keeps being
 * scheduled; WBINVD (and its prefixed and WBNOINVD forms) returns, many
 * times; RDPMC is #GP; CR4.OSXSAVE is #GP where CPUID hides XSAVE (XCR0
 * x87|SSE where it does not); CPUID shows no protection keys.
 *
 * role=dirty and role=check run side by side on one pCPU: for `rounds`
 * yields, dirty loads DR0-DR3 (and PKRU, where the CPU has it) with
 * values of its own, check reads them and expects zeros, then values
 * of its own; each checks its registers survive the other.  pku=1 says
 * the CPU has protection keys (CPUID does not tell guests): the guest
 * tries CR4.PKE, which the hypervisor refuses with #GP since CPUID
 * hides PKU, and uses PKRU only if it got it.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/os.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include <minios/traps.h>

#define VEC_DB			1
#define VEC_UD			6
#define VEC_GP			13
#define VEC_AC			17
#define RFLAGS_TF		(1ull << 8)
#define CR0_AM			(1ull << 18)
#define CR4_OSXSAVE		(1ull << 18)
#define CR4_PKE			(1ull << 22)
#define DR6_RESET		0xffff0ff0ull
#define DR6_B0			(1ull << 0)
#define DR6_B1			(1ull << 1)
#define DR6_BS			(1ull << 14)
#define DR7_RESET		0x400ull
#define WBINVD_LOOPS		10000
#define USER_VA			0x8000000000ull	/* PML4 slot 1 */
#define MAX_STEPS		8

#define DR_ACCESS(n)							\
static inline uint64_t read_dr##n(void)					\
{									\
	uint64_t v;							\
	asm volatile("mov %%db" #n ", %0" : "=r"(v));			\
	return v;							\
}									\
static inline void write_dr##n(uint64_t v)				\
{									\
	asm volatile("mov %0, %%db" #n :: "r"(v) : "memory");		\
}
DR_ACCESS(0)
DR_ACCESS(1)
DR_ACCESS(2)
DR_ACCESS(3)
DR_ACCESS(6)
DR_ACCESS(7)

#define CR_ACCESS(n)							\
static inline uint64_t read_cr##n(void)					\
{									\
	uint64_t v;							\
	asm volatile("mov %%cr" #n ", %0" : "=r"(v));			\
	return v;							\
}									\
static inline void write_cr##n(uint64_t v)				\
{									\
	asm volatile("mov %0, %%cr" #n :: "r"(v) : "memory");		\
}
CR_ACCESS(0)
CR_ACCESS(4)

/* Code the cases run, with labels the handlers compare RIP with. */
void step_run(void);
void bp_target(void);
uint32_t wbinvd_forms(void);
uint64_t rdpmc_probe(void);
extern const char step_cpuid[], step_after_cpuid[], step_end[];
extern const char user_ac_code[], user_ac_code_end[];
asm(".pushsection .text\n"
    "step_run:\n"
    "	pushq %rbx\n"
    "	xorl %eax, %eax\n"
    "	pushfq\n"
    "	orq $0x100, (%rsp)\n"
    "	popfq\n"
    "	nop\n"
    "step_cpuid:\n"
    "	cpuid\n"
    "step_after_cpuid:\n"
    "	nop\n"
    "step_end:\n"
    "	popq %rbx\n"
    "	ret\n"
    "bp_target:\n"
    "	nop\n"
    "	ret\n"
    /* Each form must leave RIP on the next instruction: count them. */
    "wbinvd_forms:\n"
    "	xorl %eax, %eax\n"
    "	wbinvd\n"
    "	incl %eax\n"
    "	.byte 0x2e, 0x0f, 0x09\n"	/* cs wbinvd */
    "	incl %eax\n"
    "	.byte 0xf3, 0x0f, 0x09\n"	/* wbnoinvd (wbinvd without it) */
    "	incl %eax\n"
    "	.byte 0x66, 0x2e, 0x48, 0x0f, 0x09\n"
    "	incl %eax\n"
    "	invd\n"
    "	incl %eax\n"
    "	ret\n"
    "rdpmc_probe:\n"
    "	xorl %ecx, %ecx\n"
    "	rdpmc\n"
    "	shlq $32, %rdx\n"
    "	orq %rdx, %rax\n"
    "	ret\n"
    ".popsection\n"
    ".pushsection .rodata\n"
    /* Ring 3: AC on, a misaligned load; int 0x80 with 0 if none faults. */
    "user_ac_code:\n"
    "	pushfq\n"
    "	orl $0x40000, (%rsp)\n"
    "	popfq\n"
    "	movl -7(%rsp), %eax\n"
    "	xorl %edi, %edi\n"
    "	int $0x80\n"
    "	ud2\n"
    "user_ac_code_end:\n"
    ".popsection\n");

static volatile unsigned int nsteps, ntraps;
static volatile uint64_t step_rip[MAX_STEPS], step_dr6[MAX_STEPS];
static volatile uint64_t trap_vector, trap_error, trap_cs, trap_dr6, trap_rip;
static volatile uint32_t watched;

static uint64_t dr6_take(void)
{
	uint64_t dr6 = read_dr6();

	write_dr6(DR6_RESET);
	return dr6;
}

static bool on_step(struct trap_frame *f)
{
	unsigned int i = nsteps++;

	if (i < MAX_STEPS) {
		step_rip[i] = f->rip;
		step_dr6[i] = dr6_take();
	}
	if (f->rip == (uint64_t)(uintptr_t)step_end || i >= MAX_STEPS)
		f->rflags &= ~RFLAGS_TF;
	return true;
}

static bool step_seen(const char *rip, uint64_t *dr6)
{
	for (unsigned int i = 0; i < nsteps && i < MAX_STEPS; i++) {
		if (step_rip[i] == (uint64_t)(uintptr_t)rip) {
			*dr6 = step_dr6[i];
			return true;
		}
	}
	return false;
}

static void case_db_single_step(void)
{
	uint64_t dr6 = 0;

	nsteps = 0;
	trap_set_handler(VEC_DB, on_step);
	cli();
	step_run();
	sti();
	trap_set_handler(VEC_DB, NULL);
	ktap_diag("%u single-step traps", nsteps);
	EXPECT_TRUE(nsteps >= 3 && nsteps <= MAX_STEPS);
	if (EXPECT_TRUE(step_seen(step_cpuid, &dr6)))
		EXPECT_TRUE(dr6 & DR6_BS);
	/* CPUID exits: the hypervisor completes it and owes the trap. */
	if (EXPECT_TRUE(step_seen(step_after_cpuid, &dr6)))
		EXPECT_TRUE(dr6 & DR6_BS);
	EXPECT_TRUE(step_seen(step_end, &dr6));
}

/* A fault on the instruction: disarm it, or it hits again. */
static bool on_breakpoint(struct trap_frame *f)
{
	ntraps++;
	trap_rip = f->rip;
	trap_dr6 = dr6_take();
	write_dr7(DR7_RESET);
	return true;
}

static void case_db_instruction_breakpoint(void)
{
	ntraps = 0;
	trap_set_handler(VEC_DB, on_breakpoint);
	write_dr0((uint64_t)(uintptr_t)bp_target);
	write_dr7(DR7_RESET | 1);	/* L0, execute, 1 byte */
	bp_target();
	write_dr7(DR7_RESET);
	write_dr0(0);
	trap_set_handler(VEC_DB, NULL);
	if (!EXPECT_EQ(ntraps, 1))
		return;
	EXPECT_EQ(trap_rip, (uint64_t)(uintptr_t)bp_target);
	EXPECT_EQ(trap_dr6 & 0xf, DR6_B0);
}

static void case_db_data_breakpoint(void)
{
	ntraps = 0;
	trap_set_handler(VEC_DB, on_breakpoint);
	write_dr1((uint64_t)(uintptr_t)&watched);
	/* L1, break on writes (RW1 = 01), 4 bytes (LEN1 = 11). */
	write_dr7(DR7_RESET | (1ull << 2) | (0xdull << 20));
	watched = 1;
	write_dr7(DR7_RESET);
	write_dr1(0);
	trap_set_handler(VEC_DB, NULL);
	if (!EXPECT_EQ(ntraps, 1))
		return;
	EXPECT_EQ(trap_dr6 & 0xf, DR6_B1);
}

static bool on_ac(struct trap_frame *f)
{
	ntraps++;
	trap_error = f->error_code;
	trap_cs = f->cs;
	return false;		/* user_run() returns with the vector */
}

static void case_ac_cpl3(void)
{
	void *code = alloc_page(), *stack = alloc_page();
	size_t len = (size_t)(user_ac_code_end - user_ac_code);
	int64_t rc;

	if (!code || !stack) {
		ktap_fail("out of pages");
		return;
	}
	memcpy(code, user_ac_code, len);
	if (!EXPECT_EQ(map_user_page(USER_VA, code), 0) ||
	    !EXPECT_EQ(map_user_page(USER_VA + PAGE_SIZE, stack), 0))
		return;
	ntraps = 0;
	trap_set_handler(VEC_AC, on_ac);
	write_cr0(read_cr0() | CR0_AM);
	cli();
	rc = user_run(USER_VA, USER_VA + 2 * PAGE_SIZE);
	sti();
	write_cr0(read_cr0() & ~CR0_AM);
	trap_set_handler(VEC_AC, NULL);
	if (rc == 0) {
		/* QEMU's TCG does not implement alignment checking. */
		ktap_skip("this CPU raised no #AC for a misaligned CPL 3 load");
		return;
	}
	EXPECT_EQ(rc, USER_FAULT_BASE + VEC_AC);
	EXPECT_EQ(ntraps, 1);
	EXPECT_EQ(trap_error, 0);
	EXPECT_EQ(trap_cs & 3, 3);
}

static void case_still_scheduled(void)
{
	uint64_t t0 = monotonic_ns();

	msleep(20);
	EXPECT_TRUE(monotonic_ns() - t0 >= 20 * NSEC_PER_MSEC);
	EXPECT_EQ(hc_version(), PVKIT_ABI_VERSION);
}

static void case_wbinvd_loop(void)
{
	uint64_t t0 = monotonic_ns();

	for (unsigned int i = 0; i < WBINVD_LOOPS; i++)
		asm volatile("wbinvd" ::: "memory");
	EXPECT_EQ(wbinvd_forms(), 5);
	ktap_diag("cpu: %u wbinvd and 5 other forms in %llu us", WBINVD_LOOPS,
		  (unsigned long long)((monotonic_ns() - t0) / 1000));
}

/* #GP or #UD from a probe: note it, step over the 2-byte instruction. */
static bool on_fault_skip(struct trap_frame *f)
{
	ntraps++;
	trap_vector = f->vector;
	f->rip += 2;
	return true;
}

static void case_rdpmc_gp(void)
{
	ntraps = 0;
	trap_vector = 0;
	trap_set_handler(VEC_GP, on_fault_skip);
	trap_set_handler(VEC_UD, on_fault_skip);
	rdpmc_probe();
	trap_set_handler(VEC_GP, NULL);
	trap_set_handler(VEC_UD, NULL);
	EXPECT_EQ(ntraps, 1);
	EXPECT_EQ(trap_vector, VEC_GP);
}

/* MOV %rax, %cr4 is 3 bytes (0f 22 e0): the #GP handler skips them. */
static bool on_cr4_gp(struct trap_frame *f)
{
	ntraps++;
	f->rip += 3;
	return true;
}

static bool cr4_try_set(uint64_t bit)
{
	uint64_t cr4 = read_cr4(), want = cr4 | bit;

	ntraps = 0;
	trap_set_handler(VEC_GP, on_cr4_gp);
	asm volatile("mov %%rax, %%cr4" :: "a"(want) : "memory");
	trap_set_handler(VEC_GP, NULL);
	return !ntraps && (read_cr4() & bit);
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void case_xcr0(void)
{
	uint32_t a, b, c, d;
	uint64_t xcr0;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & (1u << 26))) {
		/* Hidden: the hypervisor refuses the bit, as such a CPU. */
		EXPECT_TRUE(!cr4_try_set(CR4_OSXSAVE));
		return;
	}
	if (!cr4_try_set(CR4_OSXSAVE)) {
		ktap_skip("CPUID offers XSAVE, CR4.OSXSAVE refused");
		return;
	}
	xcr0 = xgetbv0();
	write_cr4(read_cr4() & ~CR4_OSXSAVE);
	EXPECT_EQ(xcr0, 3);
}

static void case_cpuid_no_pku(void)
{
	uint32_t a, b, c, d;

	cpuid(7, 0, &a, &b, &c, &d);
	EXPECT_EQ(c & (3u << 3), 0);	/* PKU, OSPKE */
}

static const struct ktap_case cpu_cases[] = {
	{ "db_single_step", case_db_single_step },
	{ "db_instruction_breakpoint", case_db_instruction_breakpoint },
	{ "db_data_breakpoint", case_db_data_breakpoint },
	{ "ac_cpl3_misaligned", case_ac_cpl3 },
	{ "still_scheduled_after_exceptions", case_still_scheduled },
	{ "wbinvd_loop_returns", case_wbinvd_loop },
	{ "rdpmc_gp", case_rdpmc_gp },
	{ "xcr0_x87_sse_or_osxsave_refused", case_xcr0 },
	{ "cpuid_no_pku", case_cpuid_no_pku },
};

/* ---- role=dirty / role=check ---- */

static inline uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	asm volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static inline void wrpkru(uint32_t val)
{
	asm volatile(".byte 0x0f, 0x01, 0xef"
		     :: "a"(val), "c"(0), "d"(0) : "memory");
}

struct regs_seen {
	uint64_t dr[4];
	uint32_t pkru;
};

static void regs_read(struct regs_seen *r, bool pku)
{
	r->dr[0] = read_dr0();
	r->dr[1] = read_dr1();
	r->dr[2] = read_dr2();
	r->dr[3] = read_dr3();
	r->pkru = pku ? rdpkru() : 0;
}

static void regs_write(const struct regs_seen *r, bool pku)
{
	write_dr0(r->dr[0]);
	write_dr1(r->dr[1]);
	write_dr2(r->dr[2]);
	write_dr3(r->dr[3]);
	if (pku)
		wrpkru(r->pkru);
}

static void regs_pattern(struct regs_seen *r, uint64_t tag, unsigned int i,
			 bool pku)
{
	for (int k = 0; k < 4; k++)
		r->dr[k] = (tag << 32) | ((uint64_t)k << 24) | i;
	/* Access-disable for keys 1..15 (key 0, bits 0-1, stays usable). */
	r->pkru = pku ? 0x55555554u - ((i & 0xff) << 4) : 0;
}

static bool regs_equal(const struct regs_seen *a, const struct regs_seen *b)
{
	return !memcmp(a->dr, b->dr, sizeof(a->dr)) && a->pkru == b->pkru;
}

static unsigned int isolation_rounds(bool dirty, bool pku, unsigned int n)
{
	struct regs_seen want = { { 0 }, 0 }, got;
	unsigned int bad = 0;

	for (unsigned int i = 0; i < n; i++) {
		/* check starts from reset values, writes its own halfway. */
		if (dirty || i == n / 2) {
			regs_pattern(&want, dirty ? 0x0bad : 0x600d, i, pku);
			regs_write(&want, pku);
		}
		hc_yield();
		regs_read(&got, pku);
		if (regs_equal(&got, &want))
			continue;
		if (!bad++)
			ktap_diag("round %u: DR0 %#llx DR3 %#llx PKRU %#x, "
				  "expected %#llx %#llx %#x", i,
				  (unsigned long long)got.dr[0],
				  (unsigned long long)got.dr[3], got.pkru,
				  (unsigned long long)want.dr[0],
				  (unsigned long long)want.dr[3], want.pkru);
	}
	return bad;
}

static void __noreturn test_cpu_isolation(bool dirty)
{
	unsigned int n = (unsigned int)cmdline_get_u64("rounds", 200);
	unsigned int failed = 0, bad;
	bool asked, pku;

	ktap_plan(1);
	/* Tried only where the CPU has PKU: the scenario says. */
	asked = cmdline_get_u64("pku", 0);
	pku = asked && cr4_try_set(CR4_PKE);
	ktap_diag("%s: %u rounds, PKRU %s", dirty ? "dirty" : "check", n,
		  pku ? "too" : asked ? "not there (CR4.PKE refused)" :
		  "not asked for");
	bad = isolation_rounds(dirty, pku, n);
	failed += bad != 0;
	ktap_result(!bad, dirty ? "own_registers_kept" :
				  "no_other_domain_registers");
	ktap_finish(failed);
}

void __noreturn test_cpu(void)
{
	const char *role = cmdline_get("role");
	unsigned int failed;

	if (role && !strcmp(role, "dirty"))
		test_cpu_isolation(true);
	if (role && !strcmp(role, "check"))
		test_cpu_isolation(false);
	ktap_plan(ARRAY_SIZE(cpu_cases));
	failed = ktap_run_cases(cpu_cases, ARRAY_SIZE(cpu_cases));
	ktap_finish(failed);
}
