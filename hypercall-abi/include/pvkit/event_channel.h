/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: event channels.
 *
 * An event channel is a port number in a domain, 1..PVKIT_EVTCHN_PORTS-1
 * (port 0 is never valid).  Sending on a port sets its bit in the peer's
 * shared info evtchn_pending[] and, unless the bit is masked in
 * evtchn_mask[] or the vCPU's upcall_mask is set, raises an upcall on the
 * vCPU the port is bound to: vCPU 0 unless bound otherwise (BIND_VIRQ's
 * vcpu, or BIND_VCPU since ABI 1.4).
 *
 * The pending bit set is two-level, as in Xen: the hypervisor sets the
 * port's bit in evtchn_pending[], then bit (port / 64) in the vCPU's
 * pending_sel, then upcall_pending, and injects the upcall vector.  The
 * guest clears upcall_pending, swaps pending_sel to zero, and for each set
 * selector bit clears and handles the pending, unmasked ports of that word.
 *
 * A port is in one of these states (PVKIT_HC_EVTCHN_STATUS):
 *   FREE          never allocated or closed;
 *   UNBOUND       allocated for a remote domain that has not bound yet;
 *   INTERDOMAIN   connected to a port of another (or the same) domain;
 *   VIRQ          delivers a virtual interrupt source (VIRQ_*).
 *
 * The hypervisor can be the far end of a port (ABI 1.3): a port allocated
 * UNBOUND for PVKIT_DOMID_HYPERVISOR is handed to a PV device in
 * PVKIT_HC_DEV_CONNECT (pvkit/io/device.h), which binds it.  It then reads
 * INTERDOMAIN with remote_dom PVKIT_DOMID_HYPERVISOR and remote_port the
 * device's index; a send notifies the device's backend.  Closing such a
 * port disconnects that device (as PVKIT_HC_DEV_DISCONNECT would).
 */
#ifndef PVKIT_EVENT_CHANNEL_H
#define PVKIT_EVENT_CHANNEL_H

#include "types.h"

#define PVKIT_EVTCHN_PORTS		1024
#define PVKIT_EVTCHN_WORDS		(PVKIT_EVTCHN_PORTS / 64)

#define PVKIT_EVTCHN_STATE_FREE		0
#define PVKIT_EVTCHN_STATE_UNBOUND	1
#define PVKIT_EVTCHN_STATE_INTERDOMAIN	2
#define PVKIT_EVTCHN_STATE_VIRQ		3

/* Virtual interrupt sources a port can be bound to. */
#define PVKIT_VIRQ_TIMER		0	/* per vCPU: one-shot timer */
#define PVKIT_VIRQ_CONSOLE		1	/* console input is waiting */
/*
 * Another domain ended: powered off, rebooted, crashed or was stopped
 * (ABI 1.2).  Bound after a domain has ended, it is raised at once.
 */
#define PVKIT_VIRQ_DOMAIN_ENDED		2
#define PVKIT_NR_VIRQS			3

/*
 * PVKIT_HC_EVTCHN_ALLOC_UNBOUND: allocate a port that remote_dom may bind
 * to with EVTCHN_BIND_INTERDOMAIN.
 * port == 0 asks for any free port; a nonzero port asks for that exact
 * number, which lets two guests agree on a port through their command
 * lines (-EBUSY if it is in use).  remote_dom may be PVKIT_DOMID_SELF,
 * or PVKIT_DOMID_HYPERVISOR for a port a PV device will use.
 * Errors: -ESRCH no such remote domain, -ENOSPC no free port, -EINVAL
 * nonzero padding, -ERANGE port out of range.
 */
struct pvkit_evtchn_alloc_unbound {
	uint16_t remote_dom;	/* IN */
	uint16_t pad;		/* IN: zero */
	uint32_t port;		/* IN: 0 or the wanted port; OUT: the port */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_evtchn_alloc_unbound, 8);

/*
 * PVKIT_HC_EVTCHN_BIND_INTERDOMAIN: connect a new local port to an UNBOUND
 * port of remote_dom that was allocated for the caller.
 * Errors: -ESRCH no such domain, -EAGAIN remote_port is not (yet) unbound
 * for the caller, -ERANGE remote_port out of range, -ENOSPC no free local
 * port, -EINVAL nonzero padding.
 */
struct pvkit_evtchn_bind_interdomain {
	uint16_t remote_dom;	/* IN */
	uint16_t pad;		/* IN: zero */
	uint32_t remote_port;	/* IN */
	uint32_t local_port;	/* OUT */
	uint32_t pad2;		/* IN: zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_evtchn_bind_interdomain, 16);

/*
 * PVKIT_HC_EVTCHN_BIND_VIRQ: deliver virq to vcpu through a new port.
 * Errors: -EINVAL unknown virq or nonzero padding, -ESRCH no such vCPU,
 * -EEXIST virq already bound on that vCPU, -ENOSPC no free port.
 */
struct pvkit_evtchn_bind_virq {
	uint32_t virq;		/* IN: PVKIT_VIRQ_* */
	uint32_t vcpu;		/* IN */
	uint32_t port;		/* OUT */
	uint32_t pad;		/* IN: zero */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_evtchn_bind_virq, 16);

/*
 * PVKIT_HC_EVTCHN_SEND (port): raise the event on the port's peer.  Only
 * an INTERDOMAIN port may be sent on: -EINVAL for UNBOUND or VIRQ ports,
 * -ERANGE for a port number out of range, -ENOENT for a FREE port.
 *
 * PVKIT_HC_EVTCHN_CLOSE (port): return the port to FREE; an interdomain
 * peer's port goes back to UNBOUND (for the closer's domain).  -ERANGE,
 * -ENOENT as above.
 *
 * PVKIT_HC_EVTCHN_MASK / UNMASK (port): set or clear the port's mask bit.
 * UNMASK of a port that is pending raises the upcall it held back.
 * -ERANGE for a port out of range.
 *
 * PVKIT_HC_EVTCHN_STATUS: describe one of the caller's ports.
 *
 * PVKIT_HC_EVTCHN_BIND_VCPU (port, vcpu) (ABI 1.4, PVKIT_FEAT_EVTCHN_VCPU):
 * from now on, raise the port's upcalls on vcpu instead of the vCPU it
 * notified so far.  UNBOUND and INTERDOMAIN ports move, including those
 * of a PV device; the binding stays through DEV_CONNECT, DEV_DISCONNECT
 * and the peer's close, and goes back to vCPU 0 when the port is closed.
 * A port number always names one of the caller's own ports: the peer's
 * end of a channel is the peer's to move.  An event that is pending and
 * unmasked when the call is made is raised again on the new vCPU, so it
 * is not left to a vCPU that no longer scans for it; an event sent while
 * the call runs is raised on the old vCPU or the new one, never on
 * neither.  Moving a port to the vCPU it is on already changes nothing
 * and returns 0.  STATUS reports the binding in its vcpu field.
 * Errors: -ERANGE port out of range (0, >= PVKIT_EVTCHN_PORTS); -ESRCH
 * vcpu not one of the domain's vCPUs (>= nr_vcpus); -ENOENT the port is
 * FREE; -EINVAL a VIRQ port (its source belongs to the vCPU it was bound
 * on: bind the VIRQ on the wanted vCPU instead).  On error nothing
 * changed.
 */
struct pvkit_evtchn_status {
	uint32_t port;		/* IN */
	uint32_t state;		/* OUT: PVKIT_EVTCHN_STATE_* */
	uint32_t vcpu;		/* OUT: vCPU the port notifies */
	uint16_t remote_dom;	/* OUT: UNBOUND, INTERDOMAIN */
	uint16_t pad;		/* IN: zero */
	uint32_t remote_port;	/* OUT: INTERDOMAIN */
	uint32_t virq;		/* OUT: VIRQ */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_evtchn_status, 24);

#endif /* PVKIT_EVENT_CHANNEL_H */
