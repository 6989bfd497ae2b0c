/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <stdint.h>

struct vcpu;

/* A hypercall as the arch code read it from the guest's registers. */
struct hypercall_args {
	uint64_t nr;
	uint64_t a[5];		/* RDI, RSI, RDX, R10, R8 */
	unsigned int cpl;
};

typedef int64_t (*hypercall_fn_t)(struct vcpu *v, const uint64_t *a);

/* Feature word 0, as PVKIT_HC_FEATURES and CPUID report it. */
uint64_t hypercall_features(void);
int64_t hypercall_dispatch(struct vcpu *v, const struct hypercall_args *args);

/* Handlers living in other files. */
int64_t hc_evtchn_alloc_unbound(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_bind_interdomain(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_bind_virq(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_send(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_close(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_mask(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_unmask(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_status(struct vcpu *v, const uint64_t *a);
int64_t hc_evtchn_bind_vcpu(struct vcpu *v, const uint64_t *a);
int64_t hc_dev_info(struct vcpu *v, const uint64_t *a);
int64_t hc_dev_config(struct vcpu *v, const uint64_t *a);
int64_t hc_dev_connect(struct vcpu *v, const uint64_t *a);
int64_t hc_dev_disconnect(struct vcpu *v, const uint64_t *a);
int64_t hc_dev_stats(struct vcpu *v, const uint64_t *a);
int64_t hc_unplug(struct vcpu *v, const uint64_t *a);
int64_t hc_console_write(struct vcpu *v, const uint64_t *a);
int64_t hc_console_read(struct vcpu *v, const uint64_t *a);

#endif
