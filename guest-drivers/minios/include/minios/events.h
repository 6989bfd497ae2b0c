/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_EVENTS_H
#define MINIOS_EVENTS_H

#include <minios/os.h>

typedef void (*evtchn_handler_t)(uint32_t port, void *data);

int events_init(void);
/* Runs one scan of the two-level pending bitmap (interrupts off). */
void evtchn_do_upcall(void);
/* Polls for events without relying on the upcall vector. */
void evtchn_poll(void);

void evtchn_set_handler(uint32_t port, evtchn_handler_t fn, void *data);
void evtchn_clear_handler(uint32_t port);

int64_t evtchn_alloc_unbound(uint16_t remote_dom, uint32_t want,
			     uint32_t *port);
int64_t evtchn_bind_interdomain(uint16_t remote_dom, uint32_t remote_port,
				uint32_t *local_port);
int64_t evtchn_bind_virq(uint32_t virq, uint32_t vcpu, uint32_t *port);
int64_t evtchn_send(uint32_t port);
int64_t evtchn_close(uint32_t port);
int64_t evtchn_mask(uint32_t port);
int64_t evtchn_unmask(uint32_t port);
int64_t evtchn_status(uint32_t port, struct pvkit_evtchn_status *st);

bool evtchn_is_pending(uint32_t port);
bool evtchn_is_masked(uint32_t port);

/* Upcalls taken through the IDT vector (not counting polls). */
extern volatile uint64_t upcall_irq_count;
/* Events dispatched to a port with no handler. */
extern volatile uint64_t evtchn_unhandled;

#endif /* MINIOS_EVENTS_H */
