// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=abi: event channel cases.  Each hostile call is made so
 * that the one wrong field is its only fault, so the expected error is
 * not a matter of the order the hypervisor checks in.
 */
#include <lib/string.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/time.h>
#include "abi.h"

static const uint32_t bad_ports[] = { 0, PVKIT_EVTCHN_PORTS, 0xffffffffu };

/* Handler state for the loopback cases. */
static volatile uint64_t hits[2];
static volatile uint32_t last_port;

static void count_event(uint32_t port, void *data)
{
	volatile uint64_t *counter = data;

	last_port = port;
	(*counter)++;
}

/* A port in the FREE state, or 0. */
static uint32_t find_free_port(void)
{
	struct pvkit_evtchn_status st;
	uint32_t port;

	for (port = PVKIT_EVTCHN_PORTS - 1; port > 0; port--)
		if (evtchn_status(port, &st) == 0 &&
		    st.state == PVKIT_EVTCHN_STATE_FREE)
			return port;
	return 0;
}

void abi_evtchn_bad_gpa(void)
{
	static const uint64_t ops[] = {
		PVKIT_HC_EVTCHN_ALLOC_UNBOUND,
		PVKIT_HC_EVTCHN_BIND_INTERDOMAIN,
		PVKIT_HC_EVTCHN_BIND_VIRQ,
		PVKIT_HC_EVTCHN_STATUS,
	};
	uint64_t gpas[8];
	unsigned int n, i, j;

	n = abi_bad_gpas(gpas, ARRAY_SIZE(gpas) - 1);
	gpas[n++] = abi_straddling_gpa(8);
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		for (j = 0; j < n; j++)
			if (hypercall1(ops[i], gpas[j]) != -PVKIT_EFAULT)
				ktap_fail("op %llu gpa %#llx: %lld, want -EFAULT",
					  (unsigned long long)ops[i],
					  (unsigned long long)gpas[j],
					  (long long)hypercall1(ops[i], gpas[j]));
}

void abi_evtchn_padding(void)
{
	struct pvkit_evtchn_alloc_unbound au = {
		.remote_dom = PVKIT_DOMID_SELF, .pad = 1,
	};
	struct pvkit_evtchn_bind_interdomain bi = {
		.remote_dom = PVKIT_DOMID_SELF,
	};
	struct pvkit_evtchn_bind_virq bv = { .virq = PVKIT_VIRQ_CONSOLE };
	struct pvkit_evtchn_status st = { .port = timer_port, .pad = 1 };
	struct pvkit_evtchn_status cst;
	uint32_t p, console_port = 0;

	EXPECT_EQ(hc_evtchn_op(PVKIT_HC_EVTCHN_ALLOC_UNBOUND, &au),
		  -PVKIT_EINVAL);
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &p), 0))
		return;
	bi.remote_port = p;
	bi.pad = 1;
	EXPECT_EQ(hc_evtchn_op(PVKIT_HC_EVTCHN_BIND_INTERDOMAIN, &bi),
		  -PVKIT_EINVAL);
	bi.pad = 0;
	bi.pad2 = 1;
	EXPECT_EQ(hc_evtchn_op(PVKIT_HC_EVTCHN_BIND_INTERDOMAIN, &bi),
		  -PVKIT_EINVAL);
	evtchn_status(p, &cst);
	EXPECT_EQ(cst.state, PVKIT_EVTCHN_STATE_UNBOUND);
	EXPECT_EQ(evtchn_close(p), 0);
	EXPECT_EQ(hc_evtchn_op(PVKIT_HC_EVTCHN_STATUS, &st), -PVKIT_EINVAL);

	/* Free VIRQ_CONSOLE so that padding is all that is wrong below. */
	for (p = 1; p < PVKIT_EVTCHN_PORTS; p++)
		if (evtchn_status(p, &cst) == 0 &&
		    cst.state == PVKIT_EVTCHN_STATE_VIRQ &&
		    cst.virq == PVKIT_VIRQ_CONSOLE)
			console_port = p;
	if (!console_port) {
		ktap_fail("no VIRQ_CONSOLE port found");
		return;
	}
	EXPECT_EQ(evtchn_close(console_port), 0);
	bv.pad = 1;
	EXPECT_EQ(hc_evtchn_op(PVKIT_HC_EVTCHN_BIND_VIRQ, &bv), -PVKIT_EINVAL);
	bv.pad = 0;
	EXPECT_EQ(hc_evtchn_op(PVKIT_HC_EVTCHN_BIND_VIRQ, &bv), 0);
	/* Hand the VIRQ back to the console driver, handler and all. */
	EXPECT_EQ(hc_evtchn_port_op(PVKIT_HC_EVTCHN_CLOSE, bv.port), 0);
	EXPECT_EQ(console_init_input(), 0);
}

void abi_evtchn_bad_ports(void)
{
	static const uint64_t port_ops[] = {
		PVKIT_HC_EVTCHN_SEND, PVKIT_HC_EVTCHN_CLOSE,
		PVKIT_HC_EVTCHN_MASK, PVKIT_HC_EVTCHN_UNMASK,
	};
	struct pvkit_evtchn_status st;
	unsigned int i, j;
	uint32_t local;

	for (i = 0; i < ARRAY_SIZE(bad_ports); i++) {
		uint32_t port = bad_ports[i];

		for (j = 0; j < ARRAY_SIZE(port_ops); j++) {
			int64_t rc = hc_evtchn_port_op(port_ops[j], port);

			if (rc != -PVKIT_ERANGE)
				ktap_fail("op %llu port %#x: %lld, want -ERANGE",
					  (unsigned long long)port_ops[j],
					  port, (long long)rc);
		}
		EXPECT_EQ(evtchn_status(port, &st), -PVKIT_ERANGE);
		EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, port,
						  &local), -PVKIT_ERANGE);
		if (port)
			EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, port,
						       NULL), -PVKIT_ERANGE);
	}
}

void abi_evtchn_free_port(void)
{
	struct pvkit_evtchn_status st;
	uint32_t port = find_free_port();

	if (!EXPECT_TRUE(port != 0))
		return;
	EXPECT_EQ(evtchn_status(port, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(evtchn_send(port), -PVKIT_ENOENT);
	EXPECT_EQ(hc_evtchn_port_op(PVKIT_HC_EVTCHN_CLOSE, port),
		  -PVKIT_ENOENT);
}

void abi_evtchn_bind_virq_errors(void)
{
	uint32_t port;

	EXPECT_EQ(evtchn_bind_virq(PVKIT_NR_VIRQS, 0, &port), -PVKIT_EINVAL);
	EXPECT_EQ(evtchn_bind_virq(0xffffffffu, 0, &port), -PVKIT_EINVAL);
	EXPECT_EQ(evtchn_bind_virq(PVKIT_VIRQ_TIMER, start_info->nr_vcpus,
				   &port), -PVKIT_ESRCH);
	EXPECT_EQ(evtchn_bind_virq(PVKIT_VIRQ_TIMER, PVKIT_MAX_VCPUS, &port),
		  -PVKIT_ESRCH);
	EXPECT_EQ(evtchn_bind_virq(PVKIT_VIRQ_TIMER, 0xffffffffu, &port),
		  -PVKIT_ESRCH);
	/* Mini-OS bound VIRQ_TIMER on vCPU 0 at boot. */
	EXPECT_EQ(evtchn_bind_virq(PVKIT_VIRQ_TIMER, 0, &port), -PVKIT_EEXIST);
}

void abi_evtchn_bad_remote_domain(void)
{
	static const uint16_t bad_doms[] = {
		PVKIT_DOMID_INVALID, PVKIT_MAX_DOMID, 0xffff,
	};
	unsigned int i;
	uint32_t port;

	for (i = 0; i < ARRAY_SIZE(bad_doms); i++) {
		EXPECT_EQ(evtchn_alloc_unbound(bad_doms[i], 0, &port),
			  -PVKIT_ESRCH);
		EXPECT_EQ(evtchn_bind_interdomain(bad_doms[i], 1, &port),
			  -PVKIT_ESRCH);
	}
}

void abi_evtchn_bind_not_unbound(void)
{
	uint32_t port = find_free_port(), local;

	if (!EXPECT_TRUE(port != 0))
		return;
	EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, port, &local),
		  -PVKIT_EAGAIN);
	EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, timer_port,
					  &local), -PVKIT_EAGAIN);
	/* Asking for a port number that is taken. */
	EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, timer_port, &local),
		  -PVKIT_EBUSY);
}

void abi_evtchn_status_virq(void)
{
	struct pvkit_evtchn_status st;

	EXPECT_EQ(evtchn_status(timer_port, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_VIRQ);
	EXPECT_EQ(st.virq, PVKIT_VIRQ_TIMER);
	EXPECT_EQ(st.vcpu, 0);
}

/* The pair of ports the loopback cases share. */
static uint32_t lp_a, lp_b;

static bool remote_is_self(uint16_t dom)
{
	return dom == start_info->domid || dom == PVKIT_DOMID_SELF;
}

static bool send_and_wait(uint32_t from, uint32_t to, unsigned int idx)
{
	uint64_t seen = hits[idx], irqs = upcall_irq_count;

	if (!EXPECT_EQ(evtchn_send(from), 0))
		return false;
	if (!abi_wait_irq(&hits[idx], seen, 1000)) {
		ktap_fail("send on %u: no event on port %u (pending %d)",
			  from, to, evtchn_is_pending(to));
		return false;
	}
	EXPECT_EQ(last_port, to);
	/* It must have come through the vector, not a poll. */
	return EXPECT_TRUE(upcall_irq_count > irqs);
}

void abi_evtchn_loopback(void)
{
	struct pvkit_evtchn_status st;

	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &lp_a), 0))
		return;
	EXPECT_EQ(evtchn_status(lp_a, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_UNBOUND);
	EXPECT_TRUE(remote_is_self(st.remote_dom));
	if (!EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, lp_a,
					       &lp_b), 0))
		return;
	ktap_diag("loopback ports %u <-> %u", lp_a, lp_b);
	EXPECT_TRUE(lp_b != lp_a);
	EXPECT_EQ(evtchn_status(lp_a, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_INTERDOMAIN);
	EXPECT_EQ(st.remote_port, lp_b);
	EXPECT_TRUE(remote_is_self(st.remote_dom));
	EXPECT_EQ(evtchn_status(lp_b, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_INTERDOMAIN);
	EXPECT_EQ(st.remote_port, lp_a);
	EXPECT_EQ(st.vcpu, 0);

	evtchn_set_handler(lp_a, count_event, (void *)&hits[0]);
	evtchn_set_handler(lp_b, count_event, (void *)&hits[1]);
	send_and_wait(lp_a, lp_b, 1);
	send_and_wait(lp_b, lp_a, 0);
}

bool abi_loopback_once(void)
{
	if (!lp_a || !lp_b)
		return false;
	return send_and_wait(lp_a, lp_b, 1);
}

void abi_evtchn_mask_unmask(void)
{
	uint64_t seen = hits[1];

	if (!lp_b) {
		ktap_fail("no loopback pair");
		return;
	}
	EXPECT_EQ(evtchn_mask(lp_b), 0);
	EXPECT_TRUE(evtchn_is_masked(lp_b));
	EXPECT_EQ(evtchn_send(lp_a), 0);
	abi_spin_ms(20);
	EXPECT_TRUE(evtchn_is_pending(lp_b));
	EXPECT_EQ(hits[1], seen);
	EXPECT_EQ(evtchn_unmask(lp_b), 0);
	EXPECT_TRUE(!evtchn_is_masked(lp_b));
	if (!abi_wait_irq(&hits[1], seen, 1000))
		ktap_fail("UNMASK did not deliver the held-back event");
	EXPECT_TRUE(!evtchn_is_pending(lp_b));
}

void abi_evtchn_send_errors(void)
{
	uint32_t port;

	EXPECT_EQ(evtchn_send(timer_port), -PVKIT_EINVAL);
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &port), 0))
		return;
	EXPECT_EQ(evtchn_send(port), -PVKIT_EINVAL);
	EXPECT_EQ(evtchn_close(port), 0);
}

void abi_evtchn_close(void)
{
	struct pvkit_evtchn_status st;
	uint32_t p, l;

	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &p), 0))
		return;
	if (!EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, p, &l), 0))
		return;
	EXPECT_EQ(evtchn_close(l), 0);
	EXPECT_EQ(evtchn_status(l, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(evtchn_status(p, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_UNBOUND);
	EXPECT_EQ(evtchn_send(p), -PVKIT_EINVAL);
	EXPECT_EQ(evtchn_close(p), 0);
	EXPECT_EQ(evtchn_status(p, &st), 0);
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_FREE);
	EXPECT_EQ(hc_evtchn_port_op(PVKIT_HC_EVTCHN_CLOSE, p), -PVKIT_ENOENT);
}

void abi_evtchn_exhaust(void)
{
	static uint32_t ports[PVKIT_EVTCHN_PORTS];
	unsigned int n = 0, i;
	int64_t rc = 0;

	while (n < ARRAY_SIZE(ports)) {
		rc = evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &ports[n]);
		if (rc)
			break;
		n++;
	}
	ktap_diag("allocated %u ports before %lld", n, (long long)rc);
	EXPECT_EQ(rc, -PVKIT_ENOSPC);
	EXPECT_TRUE(n > 0);
	for (i = 0; i < n; i++)
		if (evtchn_close(ports[i]))
			ktap_fail("close of port %u failed", ports[i]);
	EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &ports[0]), 0);
	EXPECT_EQ(evtchn_close(ports[0]), 0);
}

void abi_upcall_vector_zero(void)
{
	uint64_t seen = hits[1], irqs = upcall_irq_count;

	if (!lp_b) {
		ktap_fail("no loopback pair");
		return;
	}
	EXPECT_EQ(hc_set_upcall_vector(0), 0);
	EXPECT_EQ(evtchn_send(lp_a), 0);
	abi_spin_ms(20);
	EXPECT_EQ(upcall_irq_count, irqs);
	EXPECT_EQ(hits[1], seen);
	EXPECT_TRUE(evtchn_is_pending(lp_b));
	EXPECT_TRUE(READ_ONCE(shared_info->vcpu_info[0].upcall_pending));
	/* Level-triggered: turning the vector back on delivers it. */
	EXPECT_EQ(hc_set_upcall_vector(UPCALL_VECTOR), 0);
	if (!abi_wait_irq(&hits[1], seen, 1000))
		ktap_fail("pending event not delivered after the vector was set");
}
