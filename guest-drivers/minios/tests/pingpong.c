// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pingpong role=a|b peer=<domid> port=<n> count=<k>:
 * two domains bounce an event back and forth k times over an
 * interdomain channel.  Role a allocates port n for the peer and sends
 * first; role b binds to it (retrying while the peer is not ready) and
 * answers every event.
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

#define WAIT_MS		5000

static volatile uint64_t received;

static void on_event(uint32_t port __unused, void *data __unused)
{
	received++;
}

static bool wait_one(uint64_t seen)
{
	return wait_event_until(&received, seen,
				monotonic_ns() + WAIT_MS * NSEC_PER_MSEC);
}

/* Role a: send, wait for the answer, k times. */
static uint64_t run_a(uint32_t port, uint64_t count)
{
	uint64_t i;

	for (i = 0; i < count; i++) {
		uint64_t seen = received;

		if (evtchn_send(port)) {
			ktap_diag("send %llu failed", (unsigned long long)i);
			break;
		}
		if (!wait_one(seen)) {
			ktap_diag("no answer to event %llu",
				  (unsigned long long)i);
			break;
		}
	}
	return i;
}

/* Role b: wait for an event, answer it, k times. */
static uint64_t run_b(uint32_t port, uint64_t count)
{
	uint64_t i;

	for (i = 0; i < count; i++) {
		if (received == i && !wait_one(i)) {
			ktap_diag("event %llu never came",
				  (unsigned long long)i);
			break;
		}
		if (evtchn_send(port)) {
			ktap_diag("answer %llu failed", (unsigned long long)i);
			break;
		}
	}
	return i;
}

void __noreturn test_pingpong(void)
{
	const char *role = cmdline_get("role");
	bool is_a = role && !strcmp(role, "a");
	uint64_t count = cmdline_get_u64("count", 100);
	uint64_t done, t0, t1;
	uint32_t port;
	int rc;

	ktap_plan(3);
	rc = peer_connect(is_a, on_event, NULL, &port);
	ktap_result(rc == 0, is_a ? "alloc_unbound_and_peer_bound" :
				    "bind_interdomain");
	if (rc) {
		ktap_result(false, "exchanged_all_events");
		ktap_result(false, "none_lost_none_spurious");
		ktap_finish(3);
	}

	t0 = monotonic_ns();
	done = is_a ? run_a(port, count) : run_b(port, count);
	t1 = monotonic_ns();
	ktap_diag("role %s: %llu of %llu exchanges, %llu received, %llu us "
		  "per round trip", is_a ? "a" : "b",
		  (unsigned long long)done, (unsigned long long)count,
		  (unsigned long long)received,
		  (unsigned long long)(done ? (t1 - t0) / done / 1000 : 0));
	ktap_result(done == count, "exchanged_all_events");

	/* Let anything stray arrive before counting. */
	msleep(50);
	ktap_diag("received %llu, unhandled %llu", (unsigned long long)received,
		  (unsigned long long)evtchn_unhandled);
	ktap_result(received == count && evtchn_unhandled == 0,
		    "none_lost_none_spurious");
	ktap_finish((done != count) + (received != count ||
				       evtchn_unhandled != 0));
}
