// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=abi: every hypercall in hypercall.h with good and hostile
 * arguments, one KTAP case per behaviour.  The event channel cases are
 * in abi_evtchn.c, EVTCHN_BIND_VCPU's in abi_evtchn_vcpu.c.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include <minios/traps.h>
#include "abi.h"

#define FEATURES_V1	(PVKIT_FEAT_CONSOLE | PVKIT_FEAT_EVTCHN | \
			 PVKIT_FEAT_TIMER | PVKIT_FEAT_SHARED_INFO | \
			 PVKIT_FEAT_SCHED | PVKIT_FEAT_DOMAIN_INFO)
#define USER_VA		0x8000000000ull	/* PML4 slot 1 */

static char io_buf[2 * PVKIT_CONSOLE_IO_MAX] __aligned(4096);
static uint64_t run_start_ns, run_start_tsc;

unsigned int abi_bad_gpas(uint64_t *out, unsigned int max)
{
	const uint64_t candidates[] = {
		start_info->mem_bytes, 0xfee00000ull, 0xffffffffffff0000ull,
	};
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(candidates) && n < max; i++)
		if (candidates[i] >= start_info->mem_bytes)
			out[n++] = candidates[i];
	return n;
}

uint64_t abi_straddling_gpa(uint64_t size)
{
	return start_info->mem_bytes - size / 2;
}

static uint64_t ms_to_tsc(uint64_t ms)
{
	uint64_t hz = tsc_hz();

	return (hz ? hz : 1000000000ull) / 1000 * ms;
}

bool abi_wait_irq(volatile uint64_t *counter, uint64_t seen, uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	sti();
	while (*counter == seen) {
		if (rdtsc() > end)
			return false;
		hc_yield();
	}
	return true;
}

void abi_spin_ms(uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	while (rdtsc() < end)
		hc_yield();
}

static void case_start_info(void)
{
	EXPECT_EQ(start_info->magic, PVKIT_START_INFO_MAGIC);
	EXPECT_EQ(start_info->abi_version, PVKIT_ABI_VERSION);
	EXPECT_EQ(start_info->flags, 0);
	EXPECT_TRUE(start_info->domid >= 1 &&
		    start_info->domid <= PVKIT_MAX_DOMID);
	EXPECT_TRUE(start_info->nr_vcpus >= 1 &&
		    start_info->nr_vcpus <= PVKIT_MAX_VCPUS);
	EXPECT_TRUE(start_info->free_gpa <= start_info->mem_bytes);
	EXPECT_EQ(start_info->free_gpa & (PAGE_SIZE - 1), 0);
	EXPECT_TRUE(start_info->name[31] == '\0' ||
		    strnlen(start_info->name, 32) < 32);
	ktap_diag("domain %u \"%s\", %llu MiB, %u vCPUs, cmdline \"%s\"",
		  start_info->domid, start_info->name,
		  (unsigned long long)(start_info->mem_bytes >> 20),
		  start_info->nr_vcpus, cmdline_raw());
}

static void case_cpuid_leaves(void)
{
	uint32_t a, b, c, d;

	cpuid(PVKIT_CPUID_BASE, 0, &a, &b, &c, &d);
	EXPECT_EQ(b, PVKIT_CPUID_SIG_EBX);
	EXPECT_EQ(c, PVKIT_CPUID_SIG_ECX);
	EXPECT_EQ(d, PVKIT_CPUID_SIG_EDX);
	EXPECT_TRUE(a >= PVKIT_CPUID_VERSION);
	cpuid(PVKIT_CPUID_VERSION, 0, &a, &b, &c, &d);
	EXPECT_EQ(a, PVKIT_ABI_VERSION);
	EXPECT_EQ(b, (uint32_t)hc_features(0));
}

static void case_version(void)
{
	EXPECT_EQ(hc_version(), PVKIT_ABI_VERSION);
	EXPECT_EQ(hc_version(), start_info->abi_version);
}

static void case_features(void)
{
	int64_t f = hc_features(0);

	ktap_diag("features word 0 = %#llx", (unsigned long long)f);
	EXPECT_TRUE(f >= 0);
	EXPECT_EQ(f & FEATURES_V1, FEATURES_V1);
	EXPECT_EQ(hc_features(1), -PVKIT_EINVAL);
	EXPECT_EQ(hc_features(PVKIT_FEATURE_WORDS), -PVKIT_EINVAL);
	EXPECT_EQ(hc_features(0xffffffffu), -PVKIT_EINVAL);
}

static void case_unknown_numbers(void)
{
	static const uint64_t nrs[] = {
		PVKIT_HC_MAX, 1000, 0xffffffffull, 1ull << 40, ~0ull,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		int64_t rc = hypercall5(nrs[i], 1, 2, 3, 4, 5);

		if (rc != -PVKIT_ENOSYS)
			ktap_fail("hypercall %#llx: %lld, want -ENOSYS",
				  (unsigned long long)nrs[i], (long long)rc);
	}
}

/* CONSOLE_WRITE and CONSOLE_READ share their address checks. */
static void console_bad_buffers(uint64_t nr)
{
	uint64_t gpas[4], mem = start_info->mem_bytes, buf = virt_to_gpa(io_buf);
	unsigned int n, i;

	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas));
	for (i = 0; i < n; i++) {
		EXPECT_EQ(hypercall2(nr, gpas[i], 16), -PVKIT_EFAULT);
		EXPECT_EQ(hypercall2(nr, gpas[i], 0x10000), -PVKIT_EFAULT);
	}
	/* Straddling the end of RAM. */
	EXPECT_EQ(hypercall2(nr, mem - 8, 16), -PVKIT_EFAULT);
	/* buf + len wraps around 2^64 to a small, in-RAM address. */
	EXPECT_EQ(hypercall2(nr, buf, ~0ull - buf + 0x21), -PVKIT_EFAULT);
	EXPECT_EQ(hypercall2(nr, 0xfffffffffffffff0ull, 0x20), -PVKIT_EFAULT);
	/* A length far beyond RAM from a valid start. */
	EXPECT_EQ(hypercall2(nr, buf, 1ull << 40), -PVKIT_EFAULT);
	EXPECT_EQ(hypercall2(nr, buf, ~0ull), -PVKIT_EFAULT);
}

static void case_console_write(void)
{
	static const char msg[] = "# console write: one whole line\n";
	unsigned int i;

	EXPECT_EQ(hc_console_write(msg, 0), 0);
	EXPECT_EQ(hc_console_write(msg, sizeof(msg) - 1), sizeof(msg) - 1);
	/* 5000 bytes of 128-byte diagnostic lines; only 4096 are taken. */
	for (i = 0; i < sizeof(io_buf); i += 128) {
		memset(io_buf + i, '.', 128);
		memcpy(io_buf + i, "# console-io-max filler ", 24);
		io_buf[i + 127] = '\n';
	}
	EXPECT_EQ(hc_console_write(io_buf, 5000), PVKIT_CONSOLE_IO_MAX);
	console_bad_buffers(PVKIT_HC_CONSOLE_WRITE);
}

static void case_console_read(void)
{
	int64_t rc;

	EXPECT_EQ(hc_console_read(io_buf, 0), 0);
	rc = hc_console_read(io_buf, 16);
	EXPECT_TRUE(rc >= 0 && rc <= 16);
	rc = hc_console_read(io_buf, 5000);
	EXPECT_TRUE(rc >= 0 && rc <= PVKIT_CONSOLE_IO_MAX);
	console_bad_buffers(PVKIT_HC_CONSOLE_READ);
}

static void case_shutdown_bad_reason(void)
{
	EXPECT_EQ(hc_shutdown(PVKIT_SHUTDOWN_CRASH + 1, 0), -PVKIT_EINVAL);
	EXPECT_EQ(hc_shutdown(0xffffffffu, 7), -PVKIT_EINVAL);
	/* Still running: a call after the refused shutdown works. */
	EXPECT_EQ(hc_version(), PVKIT_ABI_VERSION);
}

static void case_sched_yield(void)
{
	unsigned int i;

	for (i = 0; i < 10; i++)
		EXPECT_EQ(hc_yield(), 0);
}

static void case_sched_block_timer(void)
{
	uint64_t seen = timer_fired, start = monotonic_ns();
	uint64_t deadline = start + 20 * NSEC_PER_MSEC;
	uint64_t give_up = rdtsc() + ms_to_tsc(5000);
	unsigned int wakeups = 0;

	EXPECT_EQ(hc_timer_set(deadline), 0);
	for (;;) {
		cli();
		if (timer_fired != seen || rdtsc() > give_up)
			break;
		EXPECT_EQ(hc_block(), 0);
		wakeups++;
		evtchn_do_upcall();
		sti();
	}
	sti();
	if (!EXPECT_TRUE(timer_fired != seen))
		return;
	ktap_diag("woke %u times, timer ran %llu us after the deadline",
		  wakeups,
		  (unsigned long long)((timer_fired_ns - deadline) / 1000));
	EXPECT_TRUE(timer_fired_ns >= deadline);
	EXPECT_TRUE(monotonic_ns() >= deadline);
}

/*
 * Waits for VIRQ_TIMER without touching the timer (wait_event_until()
 * would re-arm it), yielding so that the hypervisor gets to deliver.
 */
static bool wait_timer_virq(uint64_t seen, uint64_t ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	while (timer_fired == seen && rdtsc() < end) {
		hc_yield();
		evtchn_poll();
	}
	return timer_fired != seen;
}

static void case_timer_past(void)
{
	uint64_t seen = timer_fired, t0 = monotonic_ns();

	EXPECT_EQ(hc_timer_set(1), 0);
	if (!wait_timer_virq(seen, 1000))
		ktap_fail("a deadline in the past did not fire");
	seen = timer_fired;
	EXPECT_EQ(hc_timer_set(monotonic_ns() - 1), 0);
	if (!wait_timer_virq(seen, 1000))
		ktap_fail("a deadline just passed did not fire");
	ktap_diag("both fired within %llu us",
		  (unsigned long long)((monotonic_ns() - t0) / 1000));
}

static void case_timer_cancel(void)
{
	uint64_t seen = timer_fired;

	EXPECT_EQ(hc_timer_set(monotonic_ns() + 20 * NSEC_PER_MSEC), 0);
	EXPECT_EQ(hc_timer_set(0), 0);
	abi_spin_ms(60);
	evtchn_poll();
	EXPECT_EQ(timer_fired, seen);
	EXPECT_TRUE(!evtchn_is_pending(timer_port));
}

static void case_upcall_vector(void)
{
	unsigned int v;

	for (v = 1; v < 32; v++) {
		int64_t rc = hc_set_upcall_vector(v);

		if (rc != -PVKIT_ERANGE)
			ktap_fail("vector %u: %lld, want -ERANGE", v,
				  (long long)rc);
	}
	EXPECT_EQ(hc_set_upcall_vector(256), -PVKIT_ERANGE);
	EXPECT_EQ(hc_set_upcall_vector(0xffffffffull), -PVKIT_ERANGE);
	EXPECT_EQ(hc_set_upcall_vector(0), 0);
	EXPECT_EQ(hc_set_upcall_vector(UPCALL_VECTOR), 0);
}

static void case_domain_info(void)
{
	struct pvkit_domain_info info;
	uint64_t gpas[4];
	unsigned int n, i;

	memset(&info, 0xa5, sizeof(info));
	if (!EXPECT_EQ(hc_domain_info(&info), 0))
		return;
	EXPECT_EQ(info.domid, start_info->domid);
	EXPECT_EQ(info.nr_vcpus, start_info->nr_vcpus);
	EXPECT_EQ(info.vcpu_id, 0);
	EXPECT_EQ(info.mem_bytes, start_info->mem_bytes);
	EXPECT_EQ(info.features, hc_features(0));
	EXPECT_TRUE(strnlen(info.name, sizeof(info.name)) < sizeof(info.name));
	EXPECT_EQ(strncmp(info.name, start_info->name, sizeof(info.name)), 0);

	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas) - 1);
	gpas[n++] = abi_straddling_gpa(sizeof(info));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall1(PVKIT_HC_DOMAIN_INFO, gpas[i]),
			  -PVKIT_EFAULT);
}

/* Exit counts only grow, and a hypercall shows up as one. */
static void case_domain_stats(void)
{
	struct pvkit_domain_stats a, b;
	uint64_t gpas[4];
	unsigned int n, i;

	memset(&a, 0xa5, sizeof(a));
	if (!EXPECT_EQ(hc_domain_stats(&a), 0))
		return;
	EXPECT_TRUE(a.nr_exit_kinds > PVKIT_EXIT_OTHER &&
		    a.nr_exit_kinds <= PVKIT_STATS_EXITS);
	EXPECT_EQ(a.pad, 0);
	for (i = a.nr_exit_kinds; i < PVKIT_STATS_EXITS; i++)
		EXPECT_EQ(a.exits[i], 0);
	EXPECT_TRUE(a.exits[PVKIT_EXIT_HYPERCALL] > 0);
	EXPECT_EQ(hc_domain_stats(&b), 0);
	for (i = 0; i < PVKIT_STATS_EXITS; i++)
		EXPECT_TRUE(b.exits[i] >= a.exits[i]);
	/* The second call itself, at least: Mini-OS's hypercalls all exit. */
	EXPECT_TRUE(b.exits[PVKIT_EXIT_HYPERCALL] >=
		    a.exits[PVKIT_EXIT_HYPERCALL] + 1);

	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas) - 1);
	gpas[n++] = abi_straddling_gpa(sizeof(a));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall1(PVKIT_HC_DOMAIN_STATS, gpas[i]),
			  -PVKIT_EFAULT);
}

/*
 * The profile agrees with DOMAIN_STATS, its own hypercall exits took
 * time, and its sources are well-formed.
 */
static void case_exit_profile(void)
{
	static struct pvkit_exit_profile p;
	struct pvkit_domain_stats st;
	uint64_t gpas[4];
	unsigned int n, i;

	EXPECT_TRUE(hc_features(0) & PVKIT_FEAT_EXIT_PROFILE);
	if (!EXPECT_EQ(hc_domain_stats(&st), 0))
		return;
	memset(&p, 0xa5, sizeof(p));
	if (!EXPECT_EQ(hc_exit_profile(&p), 0))
		return;
	EXPECT_EQ(p.nr_exit_kinds, st.nr_exit_kinds);
	for (i = 0; i < PVKIT_STATS_EXITS; i++)
		EXPECT_TRUE(p.exits[i] >= st.exits[i]);
	/* DOMAIN_STATS's own exit at least, counted once it was handled. */
	EXPECT_TRUE(p.exits[PVKIT_EXIT_HYPERCALL] >=
		    st.exits[PVKIT_EXIT_HYPERCALL] + 1);
	EXPECT_TRUE(p.exit_ns[PVKIT_EXIT_HYPERCALL] > 0);
	for (i = p.nr_exit_kinds; i < PVKIT_STATS_EXITS; i++)
		EXPECT_EQ(p.exits[i] | p.exit_ns[i], 0);
	if (!EXPECT_TRUE(p.nr_sources <= PVKIT_PROFILE_SOURCES))
		return;
	for (i = 0; i < p.nr_sources; i++) {
		size_t len = strnlen(p.sources[i].name,
				     sizeof(p.sources[i].name));

		EXPECT_TRUE(len > 0 && len < sizeof(p.sources[i].name));
		EXPECT_TRUE(p.sources[i].exits || !p.sources[i].ns);
	}
	for (i = p.nr_sources; i < PVKIT_PROFILE_SOURCES; i++)
		EXPECT_EQ(p.sources[i].name[0], 0);

	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas) - 1);
	gpas[n++] = abi_straddling_gpa(sizeof(p));
	for (i = 0; i < n; i++)
		EXPECT_EQ(hypercall1(PVKIT_HC_EXIT_PROFILE, gpas[i]),
			  -PVKIT_EFAULT);
}

/*
 * A PV domain has no emulated device to unplug: both ops say so, as
 * often as asked, and an unknown op is refused before that.
 */
static void case_unplug_nothing(void)
{
	static const uint64_t bad_ops[] = { 2, 0x100000000ull, ~0ull };
	unsigned int i;

	EXPECT_TRUE(hc_features(0) & PVKIT_FEAT_UNPLUG);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(hypercall1(PVKIT_HC_UNPLUG, PVKIT_UNPLUG_QUERY),
			  -PVKIT_ENOENT);
		EXPECT_EQ(hypercall1(PVKIT_HC_UNPLUG, PVKIT_UNPLUG_DO),
			  -PVKIT_ENOENT);
	}
	for (i = 0; i < ARRAY_SIZE(bad_ops); i++)
		EXPECT_EQ(hypercall1(PVKIT_HC_UNPLUG, bad_ops[i]),
			  -PVKIT_EINVAL);
}

/* system time over dt against the TSC delta divided by tsc_hz */
static void compare_time_with_tsc(uint64_t dt_ns, uint64_t dtsc)
{
	uint64_t hz = tsc_hz(), by_hz, diff;

	if (!EXPECT_TRUE(hz != 0))
		return;
	/* microsecond resolution keeps the product inside 64 bits */
	by_hz = dtsc / (hz / 1000000) * 1000;
	diff = by_hz > dt_ns ? by_hz - dt_ns : dt_ns - by_hz;
	ktap_diag("system time %llu us, TSC delta / tsc_hz %llu us",
		  (unsigned long long)(dt_ns / 1000),
		  (unsigned long long)(by_hz / 1000));
	if (diff > dt_ns / 100 + 100 * NSEC_PER_USEC)
		ktap_fail("system time and TSC disagree by %llu us",
			  (unsigned long long)(diff / 1000));
}

/*
 * The system time and the TSC read together: TSC, time, TSC, kept when
 * the two TSC reads lie within 100 us, so that a vCPU preempted between
 * the reads (the host's scheduler, under TCG) does not count as drift.
 */
static void time_and_tsc(uint64_t *t, uint64_t *c)
{
	uint64_t a, b, close = tsc_hz() / 10000;

	for (int i = 0; i < 20; i++) {
		a = rdtsc();
		*t = monotonic_ns();
		b = rdtsc();
		*c = a + (b - a) / 2;
		if (b - a <= close)
			return;
	}
}

static void case_time_tsc_rate(void)
{
	uint64_t t0, t1, c0, c1, sec;
	uint32_t nsec;

	ktap_diag("tsc_hz %llu, 1 s of TSC scales to %llu ns",
		  (unsigned long long)tsc_hz(),
		  (unsigned long long)tsc_delta_to_ns(tsc_hz()));
	time_and_tsc(&t0, &c0);
	msleep(100);
	time_and_tsc(&t1, &c1);
	EXPECT_TRUE(t1 - t0 >= 100 * NSEC_PER_MSEC);
	compare_time_with_tsc(t1 - t0, c1 - c0);
	wall_clock(&sec, &nsec);
	ktap_diag("wall clock %llu.%09u", (unsigned long long)sec, nsec);
}

static void case_cpl3_hypercall(void)
{
	void *code = alloc_page(), *stack = alloc_page();
	size_t len = (size_t)(user_hypercall_code_end - user_hypercall_code);
	int64_t rc;

	if (!code || !stack) {
		ktap_fail("out of pages");
		return;
	}
	memcpy(code, user_hypercall_code, len);
	if (!EXPECT_EQ(map_user_page(USER_VA, code), 0) ||
	    !EXPECT_EQ(map_user_page(USER_VA + PAGE_SIZE, stack), 0))
		return;
	cli();
	rc = user_run(USER_VA, USER_VA + 2 * PAGE_SIZE);
	sti();
	if (rc >= USER_FAULT_BASE) {
		ktap_fail("ring 3 took exception %lld instead of a result",
			  (long long)(rc - USER_FAULT_BASE));
		return;
	}
	EXPECT_EQ(rc, -PVKIT_EPERM);
}

static void case_still_works(void)
{
	char line[] = "# still alive after the hostile calls\n";

	EXPECT_EQ(hc_version(), PVKIT_ABI_VERSION);
	EXPECT_EQ(hc_console_write(line, sizeof(line) - 1), sizeof(line) - 1);
	EXPECT_TRUE(abi_loopback_once());
	msleep(10);
}

static void case_time_whole_run(void)
{
	uint64_t t, c;

	time_and_tsc(&t, &c);
	compare_time_with_tsc(t - run_start_ns, c - run_start_tsc);
}

static const struct ktap_case abi_cases[] = {
	{ "start_info", case_start_info },
	{ "cpuid_leaves", case_cpuid_leaves },
	{ "hc_version", case_version },
	{ "hc_features", case_features },
	{ "hc_unknown_numbers_enosys", case_unknown_numbers },
	{ "console_write", case_console_write },
	{ "console_read", case_console_read },
	{ "shutdown_bad_reason_einval", case_shutdown_bad_reason },
	{ "sched_yield", case_sched_yield },
	{ "sched_block_wakes_at_timer_deadline", case_sched_block_timer },
	{ "timer_set_past_fires_at_once", case_timer_past },
	{ "timer_set_zero_cancels", case_timer_cancel },
	{ "set_upcall_vector_range", case_upcall_vector },
	{ "evtchn_bad_gpa_efault", abi_evtchn_bad_gpa },
	{ "evtchn_nonzero_padding_einval", abi_evtchn_padding },
	{ "evtchn_bad_ports_erange", abi_evtchn_bad_ports },
	{ "evtchn_free_port_enoent", abi_evtchn_free_port },
	{ "evtchn_bind_virq_errors", abi_evtchn_bind_virq_errors },
	{ "evtchn_bad_remote_domain_esrch", abi_evtchn_bad_remote_domain },
	{ "evtchn_bind_not_unbound_eagain", abi_evtchn_bind_not_unbound },
	{ "evtchn_status_virq", abi_evtchn_status_virq },
	{ "evtchn_loopback_upcall", abi_evtchn_loopback },
	{ "evtchn_mask_unmask", abi_evtchn_mask_unmask },
	{ "upcall_vector_zero_holds_events", abi_upcall_vector_zero },
	{ "evtchn_send_errors", abi_evtchn_send_errors },
	{ "evtchn_close", abi_evtchn_close },
	{ "evtchn_exhaust_enospc", abi_evtchn_exhaust },
	{ "evtchn_bind_vcpu_errors", abi_evtchn_bind_vcpu_errors },
	{ "evtchn_bind_vcpu_moves_delivery", abi_evtchn_bind_vcpu_moves },
	{ "domain_info", case_domain_info },
	{ "domain_stats", case_domain_stats },
	{ "exit_profile", case_exit_profile },
	{ "unplug_nothing", case_unplug_nothing },
	{ "time_advances_at_tsc_rate", case_time_tsc_rate },
	{ "cpl3_hypercall_eperm", case_cpl3_hypercall },
	{ "still_works_after_hostile_calls", case_still_works },
	{ "time_whole_run_matches_tsc", case_time_whole_run },
};

void __noreturn test_abi(void)
{
	time_and_tsc(&run_start_ns, &run_start_tsc);
	ktap_plan(ARRAY_SIZE(abi_cases));
	ktap_finish(ktap_run_cases(abi_cases, ARRAY_SIZE(abi_cases)));
}
