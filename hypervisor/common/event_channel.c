// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels.  Port state lives in hypervisor memory under the
 * domain's evtchn_lock; the pending and mask bits live in the guest's
 * shared info page, which the hypervisor updates atomically and reads
 * with one load per decision.  Two domains' locks are always taken in
 * domain id order.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/event_channel.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_mem.h>
#include <hv/hypercall.h>
#include <hv/pc_platform.h>
#include <hv/pv.h>
#include <hv/sched.h>

void evtchn_domain_init(struct domain *d)
{
	spin_lock_init(&d->evtchn_lock);
	memset(d->evtchn, 0, sizeof(d->evtchn));
}

static bool port_in_range(uint64_t port)
{
	return port > 0 && port < PVKIT_EVTCHN_PORTS;
}

static bool unbound_for_hypervisor(const struct evtchn *e)
{
	return e->state == PVKIT_EVTCHN_STATE_UNBOUND &&
	       e->remote_dom == PVKIT_DOMID_HYPERVISOR;
}

static bool bound_to_hypervisor(const struct evtchn *e)
{
	return e->state == PVKIT_EVTCHN_STATE_INTERDOMAIN &&
	       e->remote_dom == PVKIT_DOMID_HYPERVISOR;
}

static int port_alloc(struct domain *d)
{
	for (unsigned int p = 1; p < PVKIT_EVTCHN_PORTS; p++)
		if (d->evtchn[p].state == PVKIT_EVTCHN_STATE_FREE)
			return p;
	return -PVKIT_ENOSPC;
}

static void lock_pair(struct domain *a, struct domain *b)
{
	if (a == b) {
		spin_lock(&a->evtchn_lock);
	} else if (a->id < b->id) {
		spin_lock(&a->evtchn_lock);
		spin_lock(&b->evtchn_lock);
	} else {
		spin_lock(&b->evtchn_lock);
		spin_lock(&a->evtchn_lock);
	}
}

static void unlock_pair(struct domain *a, struct domain *b)
{
	spin_unlock(&a->evtchn_lock);
	if (a != b)
		spin_unlock(&b->evtchn_lock);
}

static struct domain *resolve_dom(struct vcpu *v, uint16_t id)
{
	return id == PVKIT_DOMID_SELF ? v->dom : domain_by_id(id);
}

/*
 * Marks the upcall on the port's vCPU and returns that vCPU, which the
 * caller wakes once it has dropped its locks: a wake-up may send an IPI,
 * and under TCG a pCPU spinning on our lock meanwhile slows the IPI down
 * by milliseconds.  Lock held.
 */
static struct vcpu *raise_upcall(struct domain *d, uint32_t port)
{
	struct vcpu *v = d->vcpus[d->evtchn[port].vcpu];
	struct pvkit_vcpu_info *vi = &d->shared->vcpu_info[v->id];
	uint8_t was;

	__atomic_fetch_or(&vi->pending_sel, 1ull << (port / 64),
			  __ATOMIC_SEQ_CST);
	was = __atomic_exchange_n(&vi->upcall_pending, 1, __ATOMIC_SEQ_CST);
	/*
	 * An HVM guest gets one MSI-X message per 0 -> 1 edge: it clears
	 * upcall_pending before it scans, so a later event sends another.
	 */
	if (d->platform && was)
		return NULL;
	return v;
}

/* Returns the vCPU to wake, or NULL.  Lock held. */
static struct vcpu *set_pending(struct domain *d, uint32_t port)
{
	uint64_t bit = 1ull << (port % 64);
	unsigned int w = port / 64;

	if (!domain_alive(d) || !d->shared)
		return NULL;
	if (__atomic_fetch_or(&d->shared->evtchn_pending[w], bit,
			      __ATOMIC_SEQ_CST) & bit)
		return NULL;
	if (READ_ONCE(d->shared->evtchn_mask[w]) & bit)
		return NULL;
	return raise_upcall(d, port);
}

static void wake_if(struct vcpu *v)
{
	if (!v)
		return;
	if (v->dom->platform)
		pc_platform_upcall(v);
	else
		vcpu_wake(v);
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->dom;
	struct vcpu *wake = NULL;
	uint32_t port;

	/*
	 * virq_port is read under the lock that bind and close write it
	 * under: read before, it may name a port closed and bound to
	 * another VIRQ meanwhile, which would get this one's event.
	 */
	spin_lock(&d->evtchn_lock);
	port = v->virq_port[virq];
	if (port && d->evtchn[port].state == PVKIT_EVTCHN_STATE_VIRQ)
		wake = set_pending(d, port);
	spin_unlock(&d->evtchn_lock);
	wake_if(wake);
}

bool vcpu_event_pending(struct vcpu *v)
{
	if (!v->dom->shared)
		return false;
	return READ_ONCE(v->dom->shared->vcpu_info[v->id].upcall_pending);
}

uint8_t vcpu_upcall_vector(struct vcpu *v)
{
	struct pvkit_vcpu_info *vi;
	uint32_t vec = v->dom->upcall_vector;

	if (!vec || !v->dom->shared)
		return 0;
	vi = &v->dom->shared->vcpu_info[v->id];
	if ( !READ_ONCE(vi->upcall_pending) ||
	    READ_ONCE(vi->upcall_mask))
		return 0;
	return (uint8_t)vec;
}

int64_t hc_evtchn_alloc_unbound(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_evtchn_alloc_unbound arg;
	struct domain *d = v->dom, *rd;
	int port;

	if (copy_from_guest(d, &arg, a[0], sizeof(arg)))
		return -PVKIT_EFAULT;
	if (arg.pad)
		return -PVKIT_EINVAL;
	if (arg.port && !port_in_range(arg.port))
		return -PVKIT_ERANGE;
	rd = resolve_dom(v, arg.remote_dom);
	if (!rd && arg.remote_dom != PVKIT_DOMID_HYPERVISOR)
		return -PVKIT_ESRCH;

	spin_lock(&d->evtchn_lock);
	if (arg.port) {
		port = d->evtchn[arg.port].state == PVKIT_EVTCHN_STATE_FREE ?
		       (int)arg.port : -PVKIT_EBUSY;
	} else {
		port = port_alloc(d);
	}
	if (port > 0) {
		d->evtchn[port].state = PVKIT_EVTCHN_STATE_UNBOUND;
		d->evtchn[port].remote_dom = rd ? rd->id : PVKIT_DOMID_HYPERVISOR;
		d->evtchn[port].remote_port = 0;
		d->evtchn[port].vcpu = 0;
	}
	spin_unlock(&d->evtchn_lock);
	if (port < 0)
		return port;
	arg.port = port;
	/* Checked above, so this cannot fail half-way. */
	copy_to_guest(d, a[0], &arg, sizeof(arg));
	return 0;
}

int64_t hc_evtchn_bind_interdomain(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_evtchn_bind_interdomain arg;
	struct domain *d = v->dom, *rd;
	struct evtchn *re;
	int lp;

	if (copy_from_guest(d, &arg, a[0], sizeof(arg)))
		return -PVKIT_EFAULT;
	if (arg.pad || arg.pad2)
		return -PVKIT_EINVAL;
	if (!port_in_range(arg.remote_port))
		return -PVKIT_ERANGE;
	rd = resolve_dom(v, arg.remote_dom);
	if (!rd)
		return -PVKIT_ESRCH;

	lock_pair(d, rd);
	re = &rd->evtchn[arg.remote_port];
	if (re->state != PVKIT_EVTCHN_STATE_UNBOUND || re->remote_dom != d->id) {
		lp = -PVKIT_EAGAIN;
		goto out;
	}
	lp = port_alloc(d);
	if (lp < 0)
		goto out;
	d->evtchn[lp] = (struct evtchn){
		.state = PVKIT_EVTCHN_STATE_INTERDOMAIN,
		.remote_dom = rd->id, .remote_port = arg.remote_port,
	};
	re->state = PVKIT_EVTCHN_STATE_INTERDOMAIN;
	re->remote_port = lp;
out:
	unlock_pair(d, rd);
	if (lp < 0)
		return lp;
	arg.local_port = lp;
	copy_to_guest(d, a[0], &arg, sizeof(arg));
	return 0;
}

int64_t hc_evtchn_bind_virq(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_evtchn_bind_virq arg;
	struct domain *d = v->dom;
	struct vcpu *target;
	int port;

	if (copy_from_guest(d, &arg, a[0], sizeof(arg)))
		return -PVKIT_EFAULT;
	if (arg.pad || arg.virq >= PVKIT_NR_VIRQS)
		return -PVKIT_EINVAL;
	if (arg.vcpu >= d->nr_vcpus)
		return -PVKIT_ESRCH;
	target = d->vcpus[arg.vcpu];

	spin_lock(&d->evtchn_lock);
	if (target->virq_port[arg.virq]) {
		port = -PVKIT_EEXIST;
	} else {
		port = port_alloc(d);
		if (port > 0) {
			d->evtchn[port] = (struct evtchn){
				.state = PVKIT_EVTCHN_STATE_VIRQ,
				.virq = arg.virq, .vcpu = arg.vcpu,
			};
			target->virq_port[arg.virq] = port;
		}
	}
	spin_unlock(&d->evtchn_lock);
	if (port < 0)
		return port;
	arg.port = port;
	copy_to_guest(d, a[0], &arg, sizeof(arg));
	/* Bound late, it still tells of a domain that ended before. */
	if (arg.virq == PVKIT_VIRQ_DOMAIN_ENDED && domains_any_ended())
		evtchn_send_virq(target, arg.virq);
	return 0;
}

int64_t hc_evtchn_send(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom, *rd;
	struct vcpu *wake = NULL;
	struct evtchn e;
	struct evtchn *re;

	if (!port_in_range(a[0]))
		return -PVKIT_ERANGE;
	spin_lock(&d->evtchn_lock);
	e = d->evtchn[a[0]];
	spin_unlock(&d->evtchn_lock);
	if (e.state == PVKIT_EVTCHN_STATE_FREE)
		return -PVKIT_ENOENT;
	if (e.state != PVKIT_EVTCHN_STATE_INTERDOMAIN)
		return -PVKIT_EINVAL;
	if (e.remote_dom == PVKIT_DOMID_HYPERVISOR) {
		pvdev_notify(d, e.remote_port);
		return 0;
	}

	rd = domain_by_id(e.remote_dom);
	if (!rd)
		return 0;
	spin_lock(&rd->evtchn_lock);
	re = &rd->evtchn[e.remote_port];
	/*
	 * The snapshot may be stale, but the peer's port is not: a pair is
	 * only made (bind) and undone (close) with both domains' locks
	 * held, so if the peer's port still names ours, ours names it and
	 * the event is due.  If not, ours was closed or the peer closed
	 * since we looked: the send happened before that and is dropped.
	 */
	if (re->state == PVKIT_EVTCHN_STATE_INTERDOMAIN &&
	    re->remote_dom == d->id && re->remote_port == a[0])
		wake = set_pending(rd, e.remote_port);
	spin_unlock(&rd->evtchn_lock);
	wake_if(wake);
	return 0;
}

/* Both locks held. */
static void close_locked(struct domain *d, uint32_t port, struct domain *rd)
{
	struct evtchn *e = &d->evtchn[port];

	if (e->state == PVKIT_EVTCHN_STATE_INTERDOMAIN && rd) {
		struct evtchn *re = &rd->evtchn[e->remote_port];

		if (re->state == PVKIT_EVTCHN_STATE_INTERDOMAIN &&
		    re->remote_dom == d->id && re->remote_port == port) {
			re->state = PVKIT_EVTCHN_STATE_UNBOUND;
			re->remote_port = 0;
		}
	}
	if (e->state == PVKIT_EVTCHN_STATE_VIRQ &&
	    d->vcpus[e->vcpu]->virq_port[e->virq] == port)
		d->vcpus[e->vcpu]->virq_port[e->virq] = 0;
	__atomic_fetch_and(&d->shared->evtchn_pending[port / 64],
			   ~(1ull << (port % 64)), __ATOMIC_SEQ_CST);
	memset(e, 0, sizeof(*e));
}

/* Whether a domain is at the other end, whose lock closing needs. */
static bool port_has_peer(const struct evtchn *e)
{
	return e->state == PVKIT_EVTCHN_STATE_UNBOUND ||
	       e->state == PVKIT_EVTCHN_STATE_INTERDOMAIN;
}

/*
 * The peer's lock is needed for an UNBOUND port as much as for an
 * INTERDOMAIN one: the peer may bind the UNBOUND port at any moment, and
 * closing it then must return the peer's new port to UNBOUND too.  Which
 * domain that is is read under d's lock; then both locks are taken in id
 * order and the decision is made again under them.  A port's remote
 * domain changes only through FREE (close, then a new alloc or bind by
 * d itself), so if the port still names the domain we locked, holding
 * both locks makes the close exact; if it names another one, the port
 * was free at some moment during this call, and the call takes effect
 * then: -ENOENT, as it would have been.  No retry, so no loop a guest
 * could keep going.
 */
int64_t hc_evtchn_close(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom, *rd = NULL;
	uint16_t rid = 0;
	struct evtchn *e;
	bool backend = false;
	uint32_t index = 0;
	int64_t ret = 0;

	if (!port_in_range(a[0]))
		return -PVKIT_ERANGE;
	e = &d->evtchn[a[0]];
	spin_lock(&d->evtchn_lock);
	if (port_has_peer(e))
		rid = e->remote_dom;
	spin_unlock(&d->evtchn_lock);
	if (rid)
		rd = domain_by_id(rid);

	lock_pair(d, rd ? rd : d);
	if (e->state == PVKIT_EVTCHN_STATE_FREE ||
	    (port_has_peer(e) && e->remote_dom != rid)) {
		ret = -PVKIT_ENOENT;
	} else {
		/* A PV device's port: that device is told once we unlock. */
		backend = bound_to_hypervisor(e);
		index = e->remote_port;
		close_locked(d, a[0], rd);
	}
	unlock_pair(d, rd ? rd : d);
	if (backend)
		pvdev_port_closed(d, index, (uint32_t)a[0]);
	return ret;
}

int64_t hc_evtchn_mask(struct vcpu *v, const uint64_t *a)
{
	if (!port_in_range(a[0]))
		return -PVKIT_ERANGE;
	__atomic_fetch_or(&v->dom->shared->evtchn_mask[a[0] / 64],
			  1ull << (a[0] % 64), __ATOMIC_SEQ_CST);
	return 0;
}

int64_t hc_evtchn_unmask(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	uint64_t bit = 1ull << (a[0] % 64);
	struct vcpu *wake = NULL;

	if (!port_in_range(a[0]))
		return -PVKIT_ERANGE;
	spin_lock(&d->evtchn_lock);
	__atomic_fetch_and(&d->shared->evtchn_mask[a[0] / 64], ~bit,
			   __ATOMIC_SEQ_CST);
	/* An event that arrived while masked is delivered now. */
	if (__atomic_load_n(&d->shared->evtchn_pending[a[0] / 64],
			    __ATOMIC_SEQ_CST) & bit)
		wake = raise_upcall(d, a[0]);
	spin_unlock(&d->evtchn_lock);
	wake_if(wake);
	return 0;
}

int64_t hc_evtchn_status(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_evtchn_status arg;
	struct domain *d = v->dom;
	struct evtchn e;

	if (copy_from_guest(d, &arg, a[0], sizeof(arg)))
		return -PVKIT_EFAULT;
	if (arg.pad)
		return -PVKIT_EINVAL;
	if (!port_in_range(arg.port))
		return -PVKIT_ERANGE;
	spin_lock(&d->evtchn_lock);
	e = d->evtchn[arg.port];
	spin_unlock(&d->evtchn_lock);
	arg.state = e.state;
	arg.vcpu = e.vcpu;
	arg.remote_dom = e.state == PVKIT_EVTCHN_STATE_UNBOUND ||
			 e.state == PVKIT_EVTCHN_STATE_INTERDOMAIN ?
			 e.remote_dom : 0;
	arg.remote_port = e.state == PVKIT_EVTCHN_STATE_INTERDOMAIN ?
			  e.remote_port : 0;
	arg.virq = e.state == PVKIT_EVTCHN_STATE_VIRQ ? e.virq : 0;
	copy_to_guest(d, a[0], &arg, sizeof(arg));
	return 0;
}

/*
 * Every raise of one of d's ports reads its vCPU under d's lock (sends
 * from a peer take the receiver's lock, VIRQs, backends and UNMASK take
 * d's), so under that lock an event lands either before the move, on
 * the old vCPU, or after it, on the new one.  One that landed before and
 * is still pending is raised again on the new vCPU: the old one may have
 * upcalls masked for long, or (in Linux) no longer scan for the port.
 * Its stale upcall on the old vCPU finds nothing, or the event, which
 * is then handled once, by whoever clears the pending bit first.
 */
int64_t hc_evtchn_bind_vcpu(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	struct vcpu *wake = NULL;
	uint64_t bit = 1ull << (a[0] % 64);
	struct evtchn *e;
	int64_t ret = 0;

	if (!port_in_range(a[0]))
		return -PVKIT_ERANGE;
	if (a[1] >= d->nr_vcpus)
		return -PVKIT_ESRCH;
	e = &d->evtchn[a[0]];
	spin_lock(&d->evtchn_lock);
	if (e->state == PVKIT_EVTCHN_STATE_FREE) {
		ret = -PVKIT_ENOENT;
	} else if (e->state == PVKIT_EVTCHN_STATE_VIRQ) {
		/* Its source raises it through the vCPU it was bound on. */
		ret = -PVKIT_EINVAL;
	} else if (e->vcpu != a[1]) {
		e->vcpu = (uint32_t)a[1];
		if ((__atomic_load_n(&d->shared->evtchn_pending[a[0] / 64],
				     __ATOMIC_SEQ_CST) & bit) &&
		    !(READ_ONCE(d->shared->evtchn_mask[a[0] / 64]) & bit))
			wake = raise_upcall(d, (uint32_t)a[0]);
	}
	spin_unlock(&d->evtchn_lock);
	wake_if(wake);
	return ret;
}

/* ---- ports with the hypervisor at the far end ---- */

int evtchn_bind_backend(struct domain *d, const uint32_t *ports,
			unsigned int n, uint32_t index)
{
	int ret = 0;

	spin_lock(&d->evtchn_lock);
	for (unsigned int i = 0; i < n && !ret; i++) {
		if (!port_in_range(ports[i]) ||
		    !unbound_for_hypervisor(&d->evtchn[ports[i]]))
			ret = -PVKIT_EINVAL;
		for (unsigned int j = 0; j < i; j++)
			if (ports[j] == ports[i])
				ret = -PVKIT_EINVAL;
	}
	for (unsigned int i = 0; i < n && !ret; i++) {
		d->evtchn[ports[i]].state = PVKIT_EVTCHN_STATE_INTERDOMAIN;
		d->evtchn[ports[i]].remote_port = index;
	}
	spin_unlock(&d->evtchn_lock);
	return ret;
}

void evtchn_unbind_backend(struct domain *d, uint32_t port, uint32_t index)
{
	struct evtchn *e;

	if (!port_in_range(port))
		return;
	e = &d->evtchn[port];
	spin_lock(&d->evtchn_lock);
	/* Closed by the guest meanwhile: then it is not ours any more. */
	if (bound_to_hypervisor(e) && e->remote_port == index) {
		e->state = PVKIT_EVTCHN_STATE_UNBOUND;
		e->remote_port = 0;
	}
	spin_unlock(&d->evtchn_lock);
}

void evtchn_raise(struct domain *d, uint32_t port)
{
	struct vcpu *wake = NULL;

	if (!port_in_range(port))
		return;
	spin_lock(&d->evtchn_lock);
	if (bound_to_hypervisor(&d->evtchn[port]))
		wake = set_pending(d, port);
	spin_unlock(&d->evtchn_lock);
	wake_if(wake);
}
