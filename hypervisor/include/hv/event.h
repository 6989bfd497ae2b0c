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
/*
 * Ports whose far end is a PV device's backend (pv/pvdev.c).  bind
 * checks that every one of ports is UNBOUND for PVKIT_DOMID_HYPERVISOR
 * and named once, then binds them all to device index, or none
 * (-PVKIT_EINVAL).  unbind gives a port back as UNBOUND unless the guest
 * closed it meanwhile.  raise sets the port pending in the guest.
 */
int evtchn_bind_backend(struct domain *d, const uint32_t *ports,
			unsigned int n, uint32_t index);
void evtchn_unbind_backend(struct domain *d, uint32_t port, uint32_t index);
void evtchn_raise(struct domain *d, uint32_t port);
/* Whether v has an event waiting (upcall_pending, read once). */
bool vcpu_event_pending(struct vcpu *v);
/* The vector to inject now, or 0: level-triggered on upcall_pending. */
uint8_t vcpu_upcall_vector(struct vcpu *v);

#endif
