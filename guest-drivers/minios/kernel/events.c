// SPDX-License-Identifier: MIT
/*
 * Mini-OS event channels: the upcall handler's two-level scan of the
 * shared info page, per-port handlers and the hypercall wrappers.
 */
#include <lib/string.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/console.h>

struct port_handler {
	evtchn_handler_t fn;
	void *data;
};

static struct port_handler handlers[PVKIT_EVTCHN_PORTS];
volatile uint64_t upcall_irq_count;
volatile uint64_t evtchn_unhandled;

static void dispatch_port(uint32_t port)
{
	struct port_handler *h = &handlers[port];

	if (h->fn)
		h->fn(port, h->data);
	else
		evtchn_unhandled++;
}

/*
 * Handles one selector word: clears and dispatches each pending port that
 * is not masked.  A masked port keeps its pending bit for UNMASK to raise.
 */
static void scan_word(unsigned int w)
{
	uint64_t *pending = &shared_info->evtchn_pending[w];
	uint64_t *mask = &shared_info->evtchn_mask[w];
	uint64_t ready;
	unsigned int bit;

	for (;;) {
		ready = READ_ONCE(*pending) & ~READ_ONCE(*mask);
		if (!ready)
			return;
		bit = (unsigned int)__builtin_ctzll(ready);
		__atomic_fetch_and(pending, ~(1ull << bit), __ATOMIC_SEQ_CST);
		dispatch_port(w * 64 + bit);
	}
}

void evtchn_do_upcall(void)
{
	struct pvkit_vcpu_info *vi = &shared_info->vcpu_info[0];
	uint64_t sel;

	while (READ_ONCE(vi->upcall_pending)) {
		/* Clear first: an event that lands during the scan sets it again. */
		WRITE_ONCE(vi->upcall_pending, 0);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		sel = __atomic_exchange_n(&vi->pending_sel, 0, __ATOMIC_SEQ_CST);
		while (sel) {
			unsigned int w = (unsigned int)__builtin_ctzll(sel);

			sel &= sel - 1;
			if (w < PVKIT_EVTCHN_WORDS)
				scan_word(w);
		}
	}
}

void evtchn_poll(void)
{
	bool irq = irqs_enabled();

	cli();
	evtchn_do_upcall();
	if (irq)
		sti();
}

int events_init(void)
{
	struct pvkit_vcpu_info *vi = &shared_info->vcpu_info[0];
	int64_t rc;

	memset(handlers, 0, sizeof(handlers));
	WRITE_ONCE(vi->upcall_mask, 0);
	rc = hc_set_upcall_vector(UPCALL_VECTOR);
	return rc < 0 ? (int)rc : 0;
}

void evtchn_set_handler(uint32_t port, evtchn_handler_t fn, void *data)
{
	if (port >= PVKIT_EVTCHN_PORTS)
		return;
	handlers[port].data = data;
	handlers[port].fn = fn;
}

void evtchn_clear_handler(uint32_t port)
{
	evtchn_set_handler(port, NULL, NULL);
}

int64_t evtchn_alloc_unbound(uint16_t remote_dom, uint32_t want,
			     uint32_t *port)
{
	struct pvkit_evtchn_alloc_unbound op = {
		.remote_dom = remote_dom,
		.port = want,
	};
	int64_t rc;

	rc = hc_evtchn_op(PVKIT_HC_EVTCHN_ALLOC_UNBOUND, &op);
	if (rc == 0 && port)
		*port = op.port;
	return rc;
}

int64_t evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port,
				uint32_t *local_port)
{
	struct pvkit_evtchn_bind_interdomain op = {
		.remote_dom = remote_dom,
		.remote_port = remote_port,
	};
	int64_t rc;

	rc = hc_evtchn_op(PVKIT_HC_EVTCHN_BIND_INTERDOMAIN, &op);
	if (rc == 0 && local_port)
		*local_port = op.local_port;
	return rc;
}

int64_t evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port)
{
	struct pvkit_evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
	int64_t rc;

	rc = hc_evtchn_op(PVKIT_HC_EVTCHN_BIND_VIRQ, &op);
	if (rc == 0 && port)
		*port = op.port;
	return rc;
}

int64_t evtchn_send(uint32_t port)
{
	return hc_evtchn_port_op(PVKIT_HC_EVTCHN_SEND, port);
}

int64_t evtchn_close(uint32_t port)
{
	int64_t rc = hc_evtchn_port_op(PVKIT_HC_EVTCHN_CLOSE, port);

	if (rc == 0)
		evtchn_clear_handler(port);
	return rc;
}

int64_t evtchn_mask(uint32_t port)
{
	return hc_evtchn_port_op(PVKIT_HC_EVTCHN_MASK, port);
}

int64_t evtchn_unmask(uint32_t port)
{
	return hc_evtchn_port_op(PVKIT_HC_EVTCHN_UNMASK, port);
}

int64_t evtchn_status(uint32_t port, struct pvkit_evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->port = port;
	return hc_evtchn_op(PVKIT_HC_EVTCHN_STATUS, st);
}

bool evtchn_is_pending(uint32_t port)
{
	return READ_ONCE(shared_info->evtchn_pending[port / 64]) &
	       (1ull << (port % 64));
}

bool evtchn_is_masked(uint32_t port)
{
	return READ_ONCE(shared_info->evtchn_mask[port / 64]) &
	       (1ull << (port % 64));
}
