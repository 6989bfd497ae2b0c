// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=watch [timeout_ms=<ms>]: binds PVKIT_VIRQ_DOMAIN_ENDED,
 * waits until another domain ends, then shows it is still served in
 * full (a hypercall, a timer, an event over a loopback channel).  A
 * scenario that stops a misbehaving domain uses it to prove, without
 * guessing at timings, that the others go on afterwards.
 */
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/os.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>

static volatile uint64_t ended, looped;

static void on_ended(uint32_t port __unused, void *data __unused)
{
	ended++;
}

static void on_loop(uint32_t port __unused, void *data __unused)
{
	looped++;
}

static bool loopback_event(void)
{
	uint32_t a, b;
	bool ok;

	if (evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &a) ||
	    evtchn_bind_interdomain(PVKIT_DOMID_SELF, a, &b))
		return false;
	evtchn_set_handler(b, on_loop, NULL);
	ok = !evtchn_send(a) &&
	     wait_event_until(&looped, 0, monotonic_ns() + NSEC_PER_SEC);
	evtchn_close(b);
	evtchn_close(a);
	return ok;
}

void __noreturn test_watch(void)
{
	uint64_t timeout_ms = cmdline_get_u64("timeout_ms", 120000);
	unsigned int failed = 0;
	uint64_t t0;
	uint32_t port;
	bool ok;

	ktap_plan(4);
	/* The event may come at once: have the handler in place first. */
	cli();
	ok = !evtchn_bind_virq(PVKIT_VIRQ_DOMAIN_ENDED, 0, &port);
	if (ok)
		evtchn_set_handler(port, on_ended, NULL);
	sti();
	failed += !ok;
	ktap_result(ok, "bind_virq_domain_ended");
	ok = ok && wait_event_until(&ended, 0, monotonic_ns() +
				    timeout_ms * NSEC_PER_MSEC);
	failed += !ok;
	ktap_result(ok, "saw_another_domain_end");
	ok = hc_version() == PVKIT_ABI_VERSION;
	failed += !ok;
	ktap_result(ok, "hypercall_after");
	t0 = monotonic_ns();
	msleep(50);
	ok = monotonic_ns() - t0 >= 50 * NSEC_PER_MSEC && loopback_event();
	failed += !ok;
	ktap_result(ok, "timer_and_event_after");
	ktap_finish(failed);
}
