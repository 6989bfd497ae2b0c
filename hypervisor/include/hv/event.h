/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

void evtchn_domain_init(struct domain *d);
/* Raises virq on v through the port bound to it, if any. */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
/* Whether v has an event waiting (upcall_pending, read once). */
bool vcpu_event_pending(struct vcpu *v);
/* The vector to inject now, or 0: level-triggered on upcall_pending. */
uint8_t vcpu_upcall_vector(struct vcpu *v);

#endif
