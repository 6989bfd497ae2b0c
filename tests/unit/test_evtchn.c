// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels (hypervisor/common/event_channel.c) against a peer that
 * acts in the windows between the handlers' critical sections.  The
 * spinlocks are the fake of tests/unit/fake/asm/spinlock.h: a hook runs
 * the other domain's hypercall just before a chosen lock is taken or
 * just after it is released, which on real pCPUs is a race that has to
 * be won, here the same interleaving every run.  After each case every
 * interdomain pair must still point both ways.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <pvkit/event_channel.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_mem.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NDOM		3
#define GUEST_BYTES	4096
#define ARG_GPA		64

void (*fake_lock_hook)(spinlock_t *l, bool taking);

static struct domain *doms[NDOM];
static struct vcpu vcpus[NDOM], second_vcpus[NDOM];
static unsigned int wakes;
static struct vcpu *last_woken;

/* ---- what event_channel.c needs from the rest of the hypervisor ---- */

struct domain *domain_by_id(uint16_t id)
{
	return id >= 1 && id <= NDOM ? doms[id - 1] : NULL;
}

bool domains_any_ended(void)
{
	return false;
}

void vcpu_wake(struct vcpu *v)
{
	last_woken = v;
	wakes++;
}

/* The PV device side: which device was notified or lost its port. */
static uint32_t notified, closed_index, closed_port;
static unsigned int nr_notified, nr_closed, nr_upcalls;

void pvdev_notify(struct domain *d, uint32_t index)
{
	(void)d;
	notified = index;
	nr_notified++;
}

void pvdev_port_closed(struct domain *d, uint32_t index, uint32_t port)
{
	(void)d;
	closed_index = index;
	closed_port = port;
	nr_closed++;
}

void pc_platform_upcall(struct vcpu *v)
{
	(void)v;
	nr_upcalls++;
}

int copy_from_guest(const struct domain *d, void *dst, uint64_t gpa,
		    uint64_t len)
{
	if (gpa > d->mem_bytes || len > d->mem_bytes - gpa)
		return -PVKIT_EFAULT;
	memcpy(dst, d->mem + gpa, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gpa, const void *src,
		  uint64_t len)
{
	if (gpa > d->mem_bytes || len > d->mem_bytes - gpa)
		return -PVKIT_EFAULT;
	memcpy(d->mem + gpa, src, len);
	return 0;
}

/* ---- fake domains and hypercalls from them ---- */

static void domains_reset(void)
{
	for (unsigned int i = 0; i < NDOM; i++) {
		struct domain *d = doms[i];

		if (!d) {
			d = doms[i] = calloc(1, sizeof(*d));
			d->shared = aligned_alloc(4096, sizeof(*d->shared));
			d->mem = malloc(GUEST_BYTES);
		}
		memset(d->shared, 0, sizeof(*d->shared));
		d->id = i + 1;
		d->state = DOMAIN_RUNNING;
		d->mem_bytes = GUEST_BYTES;
		d->nr_vcpus = 2;
		vcpus[i] = (struct vcpu){ .dom = d };
		second_vcpus[i] = (struct vcpu){ .dom = d, .id = 1 };
		d->vcpus[0] = &vcpus[i];
		d->vcpus[1] = &second_vcpus[i];
		evtchn_domain_init(d);
	}
	fake_lock_hook = NULL;
	wakes = 0;
	last_woken = NULL;
	nr_notified = nr_closed = nr_upcalls = 0;
}

static struct domain *dom(unsigned int id)
{
	return doms[id - 1];
}

/* Runs handler fn as domain id with arg at ARG_GPA; copies arg back. */
static int64_t call(unsigned int id,
		    int64_t (*fn)(struct vcpu *, const uint64_t *),
		    void *arg, size_t len)
{
	uint64_t a[5] = { ARG_GPA };
	int64_t ret;

	memcpy(dom(id)->mem + ARG_GPA, arg, len);
	ret = fn(&vcpus[id - 1], a);
	memcpy(arg, dom(id)->mem + ARG_GPA, len);
	return ret;
}

static int64_t call_port(unsigned int id,
			 int64_t (*fn)(struct vcpu *, const uint64_t *),
			 uint32_t port)
{
	uint64_t a[5] = { port };

	return fn(&vcpus[id - 1], a);
}

/* Domain id allocates an unbound port for remote; returns it or < 0. */
static int64_t alloc_unbound(unsigned int id, uint16_t remote, uint32_t want)
{
	struct pvkit_evtchn_alloc_unbound arg = {
		.remote_dom = remote, .port = want,
	};
	int64_t ret = call(id, hc_evtchn_alloc_unbound, &arg, sizeof(arg));

	return ret ? ret : arg.port;
}

static int64_t bind(unsigned int id, uint16_t remote, uint32_t rport)
{
	struct pvkit_evtchn_bind_interdomain arg = {
		.remote_dom = remote, .remote_port = rport,
	};
	int64_t ret = call(id, hc_evtchn_bind_interdomain, &arg, sizeof(arg));

	return ret ? ret : arg.local_port;
}

static int64_t bind_virq(unsigned int id, uint32_t virq)
{
	struct pvkit_evtchn_bind_virq arg = { .virq = virq };
	int64_t ret = call(id, hc_evtchn_bind_virq, &arg, sizeof(arg));

	return ret ? ret : arg.port;
}

static int64_t close_port(unsigned int id, uint32_t port)
{
	return call_port(id, hc_evtchn_close, port);
}

static int64_t send(unsigned int id, uint32_t port)
{
	return call_port(id, hc_evtchn_send, port);
}

static int64_t bind_vcpu(unsigned int id, uint64_t port, uint64_t vcpu)
{
	uint64_t a[5] = { port, vcpu };

	return hc_evtchn_bind_vcpu(&vcpus[id - 1], a);
}

static const struct evtchn *port_of(unsigned int id, uint32_t port)
{
	return &dom(id)->evtchn[port];
}

static bool pending(unsigned int id, uint32_t port)
{
	return dom(id)->shared->evtchn_pending[port / 64] &
	       (1ull << (port % 64));
}

/* Whether vCPU vcpu of domain id was told of port's word. */
static bool upcall_on(unsigned int id, unsigned int vcpu, uint32_t port)
{
	const struct pvkit_vcpu_info *vi = &dom(id)->shared->vcpu_info[vcpu];

	return vi->upcall_pending && (vi->pending_sel & (1ull << (port / 64)));
}

/* Every INTERDOMAIN port's peer is INTERDOMAIN and names it back. */
static unsigned int broken_pairs(void)
{
	unsigned int bad = 0;

	for (unsigned int i = 1; i <= NDOM; i++) {
		for (uint32_t p = 1; p < PVKIT_EVTCHN_PORTS; p++) {
			const struct evtchn *e = port_of(i, p), *re;

			if (e->state != PVKIT_EVTCHN_STATE_INTERDOMAIN)
				continue;
			re = port_of(e->remote_dom, e->remote_port);
			if (re->state == PVKIT_EVTCHN_STATE_INTERDOMAIN &&
			    re->remote_dom == i && re->remote_port == p)
				continue;
			ktap_diag("d%u port %u -> d%u port %u, which is state %u -> d%u port %u",
				  i, p, e->remote_dom, e->remote_port,
				  re->state, re->remote_dom, re->remote_port);
			bad++;
		}
	}
	return bad;
}

/* ---- the window: run an action at the nth event on one lock ---- */

static struct {
	spinlock_t *lock;
	bool taking;
	unsigned int skip;	/* events on that lock to let pass first */
	void (*action)(void);
	unsigned int fired;
} window;

static void window_hook(spinlock_t *l, bool taking)
{
	if (l != window.lock || taking != window.taking || window.fired)
		return;
	if (window.skip) {
		window.skip--;
		return;
	}
	window.fired++;
	window.action();
}

static void open_window(unsigned int id, bool taking, unsigned int skip,
			void (*action)(void))
{
	window.lock = &dom(id)->evtchn_lock;
	window.taking = taking;
	window.skip = skip;
	window.action = action;
	window.fired = 0;
	fake_lock_hook = window_hook;
}

/* ---- cases ---- */

static uint32_t p1, p2;

static void d2_binds_p1(void)
{
	int64_t r = bind(2, 1, p1);

	EXPECT(r > 0);
	p2 = r > 0 ? (uint32_t)r : 0;
}

/*
 * d1 closes an UNBOUND port while d2 binds it: the close read the port
 * as UNBOUND and let go of d1's lock; d2's bind comes in before the
 * close takes the locks again.  d2's new port must not be left bound to
 * d1's freed port.
 */
static void test_close_unbound_while_peer_binds(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	EXPECT_EQ(p1, 1);
	open_window(1, false, 0, d2_binds_p1);
	EXPECT_EQ(close_port(1, p1), 0);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT(p2 > 0);
	EXPECT_EQ(port_of(1, p1)->state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(port_of(2, p2)->state, PVKIT_EVTCHN_STATE_UNBOUND);
	EXPECT_EQ(port_of(2, p2)->remote_dom, 1);
	EXPECT_EQ(broken_pairs(), 0);
	/* Its sends are refused, not silently lost. */
	EXPECT_EQ(send(2, p2), -PVKIT_EINVAL);
	/* And a port d1 reuses there does not get d2's events. */
	p1 = alloc_unbound(1, 3, p1);
	EXPECT_EQ(p1, 1);
	send(2, p2);
	EXPECT(!pending(1, p1));
}

static void d2_closes_p2(void)
{
	EXPECT_EQ(close_port(2, p2), 0);
}

/* Both ends close at once: both ports end FREE. */
static void test_close_interdomain_while_peer_closes(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	p2 = bind(2, 1, p1);
	EXPECT(p2 > 0);
	open_window(1, false, 0, d2_closes_p2);
	EXPECT_EQ(close_port(1, p1), 0);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT_EQ(port_of(1, p1)->state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(port_of(2, p2)->state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(broken_pairs(), 0);
}

static void d1_rebinds_p1_to_d3(void)
{
	int64_t p3;

	EXPECT_EQ(close_port(1, p1), 0);
	EXPECT_EQ(alloc_unbound(1, 3, p1), p1);
	p3 = bind(3, 1, p1);
	EXPECT(p3 > 0);
}

/*
 * d1's other vCPU closes the port and allocates it again for d3, which
 * binds it, all while the first close is in its window: that close
 * holds d2's lock, not d3's, and must leave the new pair alone.
 */
static void test_close_while_port_reused_for_another_peer(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	open_window(1, false, 0, d1_rebinds_p1_to_d3);
	close_port(1, p1);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT_EQ(port_of(1, p1)->state, PVKIT_EVTCHN_STATE_INTERDOMAIN);
	EXPECT_EQ(port_of(1, p1)->remote_dom, 3);
	EXPECT_EQ(broken_pairs(), 0);
}

static void d2_rebinds(void)
{
	uint32_t again;

	/* d2 closes its end, offers d1 a new one, d1 binds that. */
	EXPECT_EQ(close_port(2, p2), 0);
	again = alloc_unbound(2, 1, p2);
	EXPECT_EQ(again, p2);
	EXPECT(bind(1, 2, again) > 0);
}

/*
 * d1 sends on a port whose peer, in the send's window, closes and is
 * bound again to a different port of d1: the old port's event must not
 * reach the new pair.
 */
static void test_send_while_peer_rebinds(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	p2 = bind(2, 1, p1);
	open_window(1, false, 0, d2_rebinds);
	EXPECT_EQ(send(1, p1), 0);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT(!pending(2, p2));
	EXPECT_EQ(wakes, 0);
	EXPECT_EQ(broken_pairs(), 0);
}

static uint32_t timer_port;

static void d1_moves_timer_port_to_console(void)
{
	EXPECT_EQ(close_port(1, timer_port), 0);
	EXPECT_EQ(bind_virq(1, PVKIT_VIRQ_CONSOLE), timer_port);
}

/*
 * A timer VIRQ raised while the guest closes its timer port and binds
 * the console VIRQ, which gets the same port number: the console port
 * must not see the timer's event.
 */
static void test_virq_while_port_rebound(void)
{
	domains_reset();
	timer_port = bind_virq(1, PVKIT_VIRQ_TIMER);
	EXPECT_EQ(timer_port, 1);
	open_window(1, true, 0, d1_moves_timer_port_to_console);
	evtchn_send_virq(dom(1)->vcpus[0], PVKIT_VIRQ_TIMER);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT(!pending(1, timer_port));
	EXPECT_EQ(wakes, 0);
	/* Sanity: the console VIRQ itself still gets through. */
	evtchn_send_virq(dom(1)->vcpus[0], PVKIT_VIRQ_CONSOLE);
	EXPECT(pending(1, timer_port));
}

/* The close of a port freed in its window says so. */
static void d1_closes_p1(void)
{
	EXPECT_EQ(close_port(1, p1), 0);
}

static void test_close_twice_at_once(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	open_window(1, false, 0, d1_closes_p1);
	EXPECT_EQ(close_port(1, p1), -PVKIT_ENOENT);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT_EQ(port_of(1, p1)->state, PVKIT_EVTCHN_STATE_FREE);
}

/*
 * A port with a PV device's backend at the far end: bound all at once or
 * not at all, a send notifies the device, the backend raises it back,
 * and closing it tells the device; an unbind after that close is a no-op.
 */
static void test_backend_ports(void)
{
	struct pvkit_evtchn_status st = { 0 };
	uint32_t ports[2];

	domains_reset();
	ports[0] = (uint32_t)alloc_unbound(1, PVKIT_DOMID_HYPERVISOR, 0);
	ports[1] = (uint32_t)alloc_unbound(1, 2, 0);
	/* One port not for the hypervisor: none is bound. */
	EXPECT_EQ(evtchn_bind_backend(dom(1), ports, 2, 5), -PVKIT_EINVAL);
	EXPECT_EQ(port_of(1, ports[0])->state, PVKIT_EVTCHN_STATE_UNBOUND);
	/* The same port twice, or out of range: refused. */
	ports[1] = ports[0];
	EXPECT_EQ(evtchn_bind_backend(dom(1), ports, 2, 5), -PVKIT_EINVAL);
	ports[1] = PVKIT_EVTCHN_PORTS;
	EXPECT_EQ(evtchn_bind_backend(dom(1), ports, 2, 5), -PVKIT_EINVAL);
	EXPECT_EQ(evtchn_bind_backend(dom(1), ports, 1, 5), 0);
	EXPECT_EQ(port_of(1, ports[0])->state, PVKIT_EVTCHN_STATE_INTERDOMAIN);
	st.port = ports[0];
	EXPECT_EQ(call(1, hc_evtchn_status, &st, sizeof(st)), 0);
	EXPECT_EQ(st.remote_dom, PVKIT_DOMID_HYPERVISOR);
	EXPECT_EQ(st.remote_port, 5);
	/* Bound once: a second bind of the same port fails. */
	EXPECT_EQ(evtchn_bind_backend(dom(1), ports, 1, 6), -PVKIT_EINVAL);
	EXPECT_EQ(send(1, ports[0]), 0);
	EXPECT_EQ(nr_notified, 1);
	EXPECT_EQ(notified, 5);
	evtchn_raise(dom(1), ports[0]);
	EXPECT(pending(1, ports[0]));
	EXPECT_EQ(wakes, 1);
	EXPECT_EQ(close_port(1, ports[0]), 0);
	EXPECT_EQ(nr_closed, 1);
	EXPECT_EQ(closed_index, 5);
	EXPECT_EQ(closed_port, ports[0]);
	evtchn_unbind_backend(dom(1), ports[0], 5);
	EXPECT_EQ(port_of(1, ports[0])->state, PVKIT_EVTCHN_STATE_FREE);
	/* Raising a port that is no longer the backend's does nothing. */
	evtchn_raise(dom(1), ports[0]);
	EXPECT_EQ(wakes, 1);
}

/*
 * BIND_VCPU's refusals change nothing: a port out of range, a vCPU the
 * domain does not have, a FREE port, a VIRQ port.
 */
static void test_bind_vcpu_errors(void)
{
	uint32_t timer;

	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	timer = bind_virq(1, PVKIT_VIRQ_TIMER);
	EXPECT_EQ(bind_vcpu(1, 0, 1), -PVKIT_ERANGE);
	EXPECT_EQ(bind_vcpu(1, PVKIT_EVTCHN_PORTS, 1), -PVKIT_ERANGE);
	EXPECT_EQ(bind_vcpu(1, (1ull << 32) | p1, 1), -PVKIT_ERANGE);
	EXPECT_EQ(bind_vcpu(1, p1, 2), -PVKIT_ESRCH);
	EXPECT_EQ(bind_vcpu(1, p1, 1ull << 32), -PVKIT_ESRCH);
	EXPECT_EQ(bind_vcpu(1, 100, 1), -PVKIT_ENOENT);
	EXPECT_EQ(bind_vcpu(1, timer, 1), -PVKIT_EINVAL);
	EXPECT_EQ(port_of(1, p1)->vcpu, 0);
	EXPECT_EQ(port_of(1, timer)->vcpu, 0);
	EXPECT_EQ(port_of(1, 100)->state, PVKIT_EVTCHN_STATE_FREE);
}

/*
 * A moved port's events go to its new vCPU, through the peer's bind and
 * close, until the port itself is closed; an event pending at the move
 * is raised again there, one held back by the mask only at UNMASK.
 */
static void test_bind_vcpu_moves_delivery(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	EXPECT_EQ(bind_vcpu(1, p1, 1), 0);
	p2 = bind(2, 1, p1);
	EXPECT_EQ(send(2, p2), 0);
	EXPECT(upcall_on(1, 1, p1));
	EXPECT(!upcall_on(1, 0, p1));
	EXPECT(last_woken == dom(1)->vcpus[1]);
	/* Back to vCPU 0 with the event still pending: it is raised there. */
	memset(&dom(1)->shared->vcpu_info[1], 0, sizeof(struct pvkit_vcpu_info));
	EXPECT_EQ(bind_vcpu(1, p1, 0), 0);
	EXPECT(upcall_on(1, 0, p1));
	EXPECT(last_woken == dom(1)->vcpus[0]);
	/* Pending but masked: held back until UNMASK, on the new vCPU. */
	memset(dom(1)->shared->vcpu_info, 0, sizeof(struct pvkit_vcpu_info));
	EXPECT_EQ(call_port(1, hc_evtchn_mask, p1), 0);
	EXPECT_EQ(bind_vcpu(1, p1, 1), 0);
	EXPECT(!upcall_on(1, 1, p1));
	EXPECT_EQ(call_port(1, hc_evtchn_unmask, p1), 0);
	EXPECT(upcall_on(1, 1, p1));
	EXPECT(!upcall_on(1, 0, p1));
	/* The peer's close keeps the binding, the port's own resets it. */
	EXPECT_EQ(close_port(2, p2), 0);
	EXPECT_EQ(port_of(1, p1)->vcpu, 1);
	EXPECT_EQ(close_port(1, p1), 0);
	EXPECT_EQ(alloc_unbound(1, 2, p1), p1);
	EXPECT_EQ(port_of(1, p1)->vcpu, 0);
}

static void d2_sends_p2(void)
{
	EXPECT_EQ(send(2, p2), 0);
}

/*
 * The peer sends just before the move takes the lock: the event lands
 * on the old vCPU, and the move must raise it on the new one as well,
 * or a guest that scans each vCPU's own ports never sees it.
 */
static void test_bind_vcpu_while_peer_sends(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	p2 = bind(2, 1, p1);
	open_window(1, true, 0, d2_sends_p2);
	EXPECT_EQ(bind_vcpu(1, p1, 1), 0);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT(pending(1, p1));
	EXPECT(upcall_on(1, 1, p1));
	EXPECT(last_woken == dom(1)->vcpus[1]);
	/* Just after the move: straight to the new vCPU. */
	memset(dom(1)->shared, 0, sizeof(*dom(1)->shared));
	open_window(1, false, 0, d2_sends_p2);
	EXPECT_EQ(bind_vcpu(1, p1, 0), 0);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT(upcall_on(1, 0, p1));
	EXPECT(!upcall_on(1, 1, p1));
}

/* Closed in the window before the move: the move finds it FREE. */
static void test_bind_vcpu_while_closed(void)
{
	domains_reset();
	p1 = alloc_unbound(1, 2, 0);
	open_window(1, true, 0, d1_closes_p1);
	EXPECT_EQ(bind_vcpu(1, p1, 1), -PVKIT_ENOENT);
	fake_lock_hook = NULL;
	EXPECT_EQ(window.fired, 1);
	EXPECT_EQ(port_of(1, p1)->state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(port_of(1, p1)->vcpu, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_close_unbound_while_peer_binds),
	KTAP_CASE(test_close_interdomain_while_peer_closes),
	KTAP_CASE(test_close_while_port_reused_for_another_peer),
	KTAP_CASE(test_send_while_peer_rebinds),
	KTAP_CASE(test_virq_while_port_rebound),
	KTAP_CASE(test_close_twice_at_once),
	KTAP_CASE(test_backend_ports),
	KTAP_CASE(test_bind_vcpu_errors),
	KTAP_CASE(test_bind_vcpu_moves_delivery),
	KTAP_CASE(test_bind_vcpu_while_peer_sends),
	KTAP_CASE(test_bind_vcpu_while_closed),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
