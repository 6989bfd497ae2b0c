// SPDX-License-Identifier: MIT
#include <minios/cmdline.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/time.h>
#include "peer.h"

#define CONNECT_MS	5000

static uint64_t give_up_tsc(void)
{
	uint64_t hz = tsc_hz();

	return rdtsc() + (hz ? hz : 1000000000ull) / 1000 * CONNECT_MS;
}

static int connect_a(uint16_t peer, uint32_t port, evtchn_handler_t fn,
		     void *data)
{
	struct pvkit_evtchn_status st;
	uint64_t end = give_up_tsc();
	uint32_t got;
	int64_t rc;

	rc = evtchn_alloc_unbound(peer, port, &got);
	if (rc) {
		ktap_diag("alloc_unbound(peer %u, port %u): %lld", peer, port,
			  (long long)rc);
		return (int)rc;
	}
	evtchn_set_handler(got, fn, data);
	do {
		rc = evtchn_status(got, &st);
		if (rc == 0 && st.state == PVKIT_EVTCHN_STATE_INTERDOMAIN)
			return 0;
		hc_yield();
	} while (rdtsc() < end);
	ktap_diag("peer %u never bound port %u (status %lld, state %u)",
		  peer, got, (long long)rc, st.state);
	return -PVKIT_EAGAIN;
}

static int connect_b(uint16_t peer, uint32_t port, evtchn_handler_t fn,
		     void *data, uint32_t *local)
{
	uint64_t end = give_up_tsc();
	int64_t rc;

	for (;;) {
		/* No upcall between the bind and the handler's install. */
		cli();
		rc = evtchn_bind_interdomain(peer, port, local);
		if (rc == 0)
			evtchn_set_handler(*local, fn, data);
		sti();
		if (rc != -PVKIT_EAGAIN || rdtsc() > end)
			break;
		hc_yield();
	}
	if (rc)
		ktap_diag("bind_interdomain(peer %u, port %u): %lld", peer,
			  port, (long long)rc);
	return (int)rc;
}

int peer_connect(bool is_a, evtchn_handler_t fn, void *data,
		 uint32_t *local_port)
{
	uint64_t peer = cmdline_get_u64("peer", 0);
	uint64_t port = cmdline_get_u64("port", 0);

	if (!peer || peer > PVKIT_MAX_DOMID || !port ||
	    port >= PVKIT_EVTCHN_PORTS) {
		ktap_diag("need peer=<domid> and port=<1..%u>",
			  PVKIT_EVTCHN_PORTS - 1);
		return -PVKIT_EINVAL;
	}
	if (is_a) {
		*local_port = (uint32_t)port;
		return connect_a((uint16_t)peer, (uint32_t)port, fn, data);
	}
	return connect_b((uint16_t)peer, (uint32_t)port, fn, data, local_port);
}
