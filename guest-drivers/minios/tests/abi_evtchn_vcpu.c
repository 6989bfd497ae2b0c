// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=abi: EVTCHN_BIND_VCPU (ABI 1.4).  Mini-OS runs on vCPU 0
 * only; its other vCPUs exist but stay offline, which is enough to see
 * where an event goes: the hypervisor marks the target vCPU's
 * pending_sel and upcall_pending in the shared info page, and only
 * vCPU 0's marks lead to an upcall here.
 */
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/time.h>
#include "abi.h"

/*
 * The moved port is asked for by number in a word no other port of
 * Mini-OS uses, so that vCPU 0's scans, which take every pending port of
 * the words they are told of, never pick it up by the way.
 */
#define MOVED_PORT	(PVKIT_EVTCHN_PORTS - 100)

static volatile uint64_t moved_hits;

static void count_moved(uint32_t port, void *data)
{
	(void)port;
	(void)data;
	moved_hits++;
}

static int64_t bind_vcpu(uint64_t port, uint64_t vcpu)
{
	return hypercall2(PVKIT_HC_EVTCHN_BIND_VCPU, port, vcpu);
}

static uint32_t status_vcpu(uint32_t port)
{
	struct pvkit_evtchn_status st;

	if (evtchn_status(port, &st))
		return 0xffffffffu;
	return st.vcpu;
}

/* Whether the hypervisor told vCPU vcpu of port's word. */
static bool marked_on(unsigned int vcpu, uint32_t port)
{
	const struct pvkit_vcpu_info *vi = &shared_info->vcpu_info[vcpu];

	return READ_ONCE(vi->upcall_pending) &&
	       (READ_ONCE(vi->pending_sel) & (1ull << (port / 64)));
}

void abi_evtchn_bind_vcpu_errors(void)
{
	static const uint64_t bad_ports[] = {
		0, PVKIT_EVTCHN_PORTS, 0xffffffffu, 1ull << 32,
	};
	uint64_t bad_vcpus[] = {
		start_info->nr_vcpus, PVKIT_MAX_VCPUS, 0xffffffffu, 1ull << 32,
	};
	uint32_t port;
	unsigned int i;

	EXPECT_TRUE(hc_features(0) & PVKIT_FEAT_EVTCHN_VCPU);
	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, 0, &port), 0))
		return;
	for (i = 0; i < ARRAY_SIZE(bad_ports); i++)
		EXPECT_EQ(bind_vcpu(bad_ports[i], 0), -PVKIT_ERANGE);
	/* The upper half of the port register is not ignored. */
	EXPECT_EQ(bind_vcpu((1ull << 32) | port, 0), -PVKIT_ERANGE);
	for (i = 0; i < ARRAY_SIZE(bad_vcpus); i++)
		EXPECT_EQ(bind_vcpu(port, bad_vcpus[i]), -PVKIT_ESRCH);
	/* Per-vCPU VIRQ: its timer is vCPU 0's. */
	EXPECT_EQ(bind_vcpu(timer_port, 0), -PVKIT_EINVAL);
	EXPECT_EQ(status_vcpu(timer_port), 0);
	/* Onto the vCPU it is on already: allowed, nothing changes. */
	EXPECT_EQ(bind_vcpu(port, 0), 0);
	EXPECT_EQ(status_vcpu(port), 0);
	EXPECT_EQ(evtchn_close(port), 0);
	/* Closed, it is FREE: not the caller's to move any more. */
	EXPECT_EQ(bind_vcpu(port, 0), -PVKIT_ENOENT);
}

/* A loopback pair whose receiving end is MOVED_PORT; 0 or -1. */
static int moved_pair(uint32_t *sender)
{
	uint32_t p;

	if (!EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, MOVED_PORT,
					    &p), 0))
		return -1;
	if (!EXPECT_EQ(evtchn_bind_interdomain(PVKIT_DOMID_SELF, MOVED_PORT,
					       sender), 0)) {
		evtchn_close(MOVED_PORT);
		return -1;
	}
	evtchn_set_handler(MOVED_PORT, count_moved, NULL);
	return 0;
}

/* Sent with upcalls held off: it must land on vCPU 1 and only there. */
static void send_lands_on_vcpu1(uint32_t sender)
{
	uint64_t seen = moved_hits;

	cli();
	EXPECT_EQ(evtchn_send(sender), 0);
	EXPECT_TRUE(evtchn_is_pending(MOVED_PORT));
	EXPECT_TRUE(marked_on(1, MOVED_PORT));
	EXPECT_TRUE(!(READ_ONCE(shared_info->vcpu_info[0].pending_sel) &
		      (1ull << (MOVED_PORT / 64))));
	sti();
	abi_spin_ms(20);
	/* vCPU 0 was never told, so the event waits for vCPU 1. */
	EXPECT_EQ(moved_hits, seen);
	EXPECT_TRUE(evtchn_is_pending(MOVED_PORT));
}

/*
 * Bound to vCPU 1, an event marks vCPU 1 only; moved back to vCPU 0
 * with the event still pending, the hypervisor raises it again there
 * and vCPU 0 takes it through its vector.  Needs two vCPUs.
 */
void abi_evtchn_bind_vcpu_moves(void)
{
	uint64_t seen, irqs;
	uint32_t sender;

	if (start_info->nr_vcpus < 2) {
		ktap_skip("one vCPU (vcpus=2 on the module line runs it)");
		return;
	}
	if (moved_pair(&sender))
		return;
	EXPECT_EQ(bind_vcpu(MOVED_PORT, 1), 0);
	EXPECT_EQ(status_vcpu(MOVED_PORT), 1);
	EXPECT_EQ(status_vcpu(sender), 0);
	send_lands_on_vcpu1(sender);

	seen = moved_hits;
	irqs = upcall_irq_count;
	EXPECT_EQ(bind_vcpu(MOVED_PORT, 0), 0);
	if (!abi_wait_irq(&moved_hits, seen, 1000))
		ktap_fail("the pending event was not raised on vCPU 0");
	EXPECT_TRUE(upcall_irq_count > irqs);
	EXPECT_TRUE(!evtchn_is_pending(MOVED_PORT));

	/* Closing resets the binding; the offline vCPU's marks are cleared. */
	EXPECT_EQ(evtchn_close(MOVED_PORT), 0);
	EXPECT_EQ(evtchn_close(sender), 0);
	memset(&shared_info->vcpu_info[1], 0, sizeof(shared_info->vcpu_info[1]));
	EXPECT_EQ(evtchn_alloc_unbound(PVKIT_DOMID_SELF, MOVED_PORT, NULL), 0);
	EXPECT_EQ(status_vcpu(MOVED_PORT), 0);
	EXPECT_EQ(evtchn_close(MOVED_PORT), 0);
}
