// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=bench [role=a|b peer=<domid> port=<n>] [iters=<n>]:
 * round-trip costs measured with RDTSC and converted with the shared
 * info page's tsc_hz.  Alone (or as role a) it times a null hypercall
 * (VERSION) and a CPUID exit; with a peer, role a also times an event
 * round trip that role b's upcall handler answers.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include "peer.h"

#define MAX_ITERS	4096

static uint64_t samples[MAX_ITERS];
static volatile uint64_t received;
static uint32_t echo_port;

static void sort_u64(uint64_t *v, unsigned int n)
{
	unsigned int gap, i, j;

	for (gap = n / 2; gap; gap /= 2)
		for (i = gap; i < n; i++) {
			uint64_t x = v[i];

			for (j = i; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
}

static uint64_t cycles_to_ns(uint64_t cycles)
{
	uint64_t hz = tsc_hz();

	if (hz < 1000000)
		return 0;
	return cycles * 1000 / (hz / 1000000);
}

/* Prints one measurement as KTAP diagnostics plus its result line. */
static bool report(const char *name, unsigned int n)
{
	uint64_t sum = 0, mean, median;
	unsigned int i;

	if (!n) {
		ktap_diag("bench: %s: no samples", name);
		ktap_result(false, name);
		return false;
	}
	sort_u64(samples, n);
	for (i = 0; i < n; i++)
		sum += samples[i];
	mean = sum / n;
	median = samples[n / 2];
	printk("# bench: %s_ns min=%llu median=%llu mean=%llu "
	       "cycles=%llu iters=%u tsc_hz=%llu\n", name,
	       (unsigned long long)cycles_to_ns(samples[0]),
	       (unsigned long long)cycles_to_ns(median),
	       (unsigned long long)cycles_to_ns(mean),
	       (unsigned long long)median, n, (unsigned long long)tsc_hz());
	ktap_result(median > 0, name);
	return median > 0;
}

static bool bench_null_hypercall(unsigned int n)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();

		ok &= hc_version() == PVKIT_ABI_VERSION;
		samples[i] = rdtsc() - t0;
	}
	if (!ok)
		ktap_diag("VERSION returned a wrong value during the run");
	return report("null_hypercall", ok ? n : 0);
}

static bool bench_cpuid(unsigned int n)
{
	uint32_t a, b, c, d;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < n; i++) {
		uint64_t t0 = rdtsc();

		cpuid(PVKIT_CPUID_BASE, 0, &a, &b, &c, &d);
		samples[i] = rdtsc() - t0;
		ok &= b == PVKIT_CPUID_SIG_EBX;
	}
	return report("cpuid_exit", ok ? n : 0);
}

static void count_event(uint32_t port __unused, void *data __unused)
{
	received++;
}

/* Role b answers from the upcall handler itself. */
static void echo_event(uint32_t port __unused, void *data __unused)
{
	received++;
	evtchn_send(echo_port);
}

/* Blocks until received moves past seen; false after the deadline. */
static bool wait_reply(uint64_t seen, uint64_t deadline)
{
	bool got;

	for (;;) {
		cli();
		got = received != seen;
		if (got || monotonic_ns() >= deadline)
			break;
		hc_block();
		evtchn_do_upcall();
		sti();
	}
	sti();
	return got;
}

static bool bench_event_round_trip(uint32_t port, unsigned int n)
{
	uint64_t deadline = monotonic_ns() + 60 * NSEC_PER_SEC;
	unsigned int i;

	/* One timer for the whole run: it only ends a wait that hangs. */
	hc_timer_set(deadline);
	for (i = 0; i < n; i++) {
		uint64_t seen = received, t0 = rdtsc();

		if (evtchn_send(port) || !wait_reply(seen, deadline))
			break;
		samples[i] = rdtsc() - t0;
	}
	hc_timer_set(0);
	if (i < n)
		ktap_diag("event round trip: only %u of %u answered", i, n);
	return report("event_round_trip", i == n ? n : 0);
}

/* Role b: the handler answers; this only waits for the last event. */
static void __noreturn run_echo(unsigned int n)
{
	uint64_t deadline;
	bool ok;

	ktap_plan(1);
	ok = peer_connect(false, echo_event, NULL, &echo_port) == 0;
	deadline = monotonic_ns() + 60 * NSEC_PER_SEC;
	hc_timer_set(deadline);
	while (ok && received < n)
		ok = wait_reply(received, deadline);
	hc_timer_set(0);
	ktap_diag("echoed %llu of %u events", (unsigned long long)received, n);
	ktap_result(ok, "event_echo");
	ktap_finish(!ok);
}

void __noreturn test_bench(void)
{
	const char *role = cmdline_get("role");
	unsigned int n = (unsigned int)cmdline_get_u64("iters", 2000);
	unsigned int ev_n = (unsigned int)cmdline_get_u64("events", 500);
	unsigned int failed = 0;
	uint32_t port;
	bool with_peer = role && !strcmp(role, "a");

	if (n > MAX_ITERS)
		n = MAX_ITERS;
	if (ev_n > MAX_ITERS)
		ev_n = MAX_ITERS;
	if (role && !strcmp(role, "b"))
		run_echo(ev_n);

	ktap_plan(with_peer ? 3 : 2);
	failed += !bench_null_hypercall(n);
	failed += !bench_cpuid(n);
	if (with_peer) {
		if (peer_connect(true, count_event, NULL, &port) == 0) {
			failed += !bench_event_round_trip(port, ev_n);
		} else {
			ktap_result(false, "event_round_trip");
			failed++;
		}
	}
	ktap_finish(failed);
}
