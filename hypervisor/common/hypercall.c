// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall table and the small calls that fit in a few lines.  Every
 * handler copies in, validates without side effects, acts, copies out.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>
#include <hv/hypercall.h>
#include <hv/printk.h>
#include <hv/sched.h>

uint64_t hypercall_features(void)
{
	return PVKIT_FEAT_CONSOLE | PVKIT_FEAT_EVTCHN | PVKIT_FEAT_TIMER |
	       PVKIT_FEAT_SHARED_INFO | PVKIT_FEAT_SCHED |
	       PVKIT_FEAT_DOMAIN_INFO | PVKIT_FEAT_DEVICES |
	       PVKIT_FEAT_EVTCHN_VCPU | PVKIT_FEAT_DEV_CONFIG_CHANGED |
	       PVKIT_FEAT_EXIT_PROFILE | PVKIT_FEAT_DEV_STATS |
	       PVKIT_FEAT_UNPLUG;
}

static int64_t hc_version(struct vcpu *v, const uint64_t *a)
{
	(void)v;
	(void)a;
	return PVKIT_ABI_VERSION;
}

static int64_t hc_features(struct vcpu *v, const uint64_t *a)
{
	(void)v;
	if (a[0] >= PVKIT_FEATURE_WORDS)
		return -PVKIT_EINVAL;
	return (int64_t)hypercall_features();
}

static int64_t hc_domain_shutdown(struct vcpu *v, const uint64_t *a)
{
	if (a[0] > PVKIT_SHUTDOWN_CRASH)
		return -PVKIT_EINVAL;
	domain_shutdown(v->dom, (uint32_t)a[0], (uint32_t)a[1]);
	return 0;
}

static int64_t hc_sched_yield(struct vcpu *v, const uint64_t *a)
{
	(void)v;
	(void)a;
	sched_yield();
	return 0;
}

static int64_t hc_sched_block(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	vcpu_block(v);
	return 0;
}

static int64_t hc_timer_set(struct vcpu *v, const uint64_t *a)
{
	/* Only the vCPU itself and its own pCPU's tick touch this field. */
	v->timer_deadline = a[0];
	sched_timer_changed();
	return 0;
}

static int64_t hc_set_upcall_vector(struct vcpu *v, const uint64_t *a)
{
	if (a[0] > 255 || (a[0] && a[0] < 32))
		return -PVKIT_ERANGE;
	v->dom->upcall_vector = (uint32_t)a[0];
	return 0;
}

static int64_t hc_domain_info(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	struct pvkit_domain_info info;

	if (!guest_range_ok(d, a[0], sizeof(info)))
		return -PVKIT_EFAULT;
	memset(&info, 0, sizeof(info));
	info.domid = d->id;
	info.nr_vcpus = d->nr_vcpus;
	info.vcpu_id = v->id;
	info.mem_bytes = d->mem_bytes;
	info.features = hypercall_features();
	strlcpy(info.name, d->name, sizeof(info.name));
	return copy_to_guest(d, a[0], &info, sizeof(info));
}

static int64_t hc_shared_info_gpa(struct vcpu *v, const uint64_t *a)
{
	(void)a;
	return (int64_t)((uint8_t *)v->dom->shared - v->dom->mem);
}

_Static_assert(NR_EXIT_KINDS <= PVKIT_STATS_EXITS, "pvkit_domain_stats");

static int64_t hc_domain_stats(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_domain_stats st;
	struct pvkit_exit_profile p;
	struct domain *d = v->dom;

	if (!guest_range_ok(d, a[0], sizeof(st)))
		return -PVKIT_EFAULT;
	exit_profile_fill(d, &p);
	memset(&st, 0, sizeof(st));
	st.nr_exit_kinds = p.nr_exit_kinds;
	memcpy(st.exits, p.exits, sizeof(st.exits));
	return copy_to_guest(d, a[0], &st, sizeof(st));
}

static int64_t hc_exit_profile(struct vcpu *v, const uint64_t *a)
{
	struct pvkit_exit_profile p;

	if (!guest_range_ok(v->dom, a[0], sizeof(p)))
		return -PVKIT_EFAULT;
	exit_profile_fill(v->dom, &p);
	return copy_to_guest(v->dom, a[0], &p, sizeof(p));
}

/* Calls that need the domain's shared info page (every guest has one). */
#define NEEDS_SHARED	1

static const struct {
	hypercall_fn_t fn;
	const char *name;
	unsigned int flags;
} hypercalls[PVKIT_HC_MAX] = {
#define HC(nr, f) [nr] = { f, #nr, 0 }
#define HCS(nr, f) [nr] = { f, #nr, NEEDS_SHARED }
	HC(PVKIT_HC_VERSION, hc_version),
	HC(PVKIT_HC_FEATURES, hc_features),
	HC(PVKIT_HC_CONSOLE_WRITE, hc_console_write),
	HC(PVKIT_HC_CONSOLE_READ, hc_console_read),
	HC(PVKIT_HC_DOMAIN_SHUTDOWN, hc_domain_shutdown),
	HC(PVKIT_HC_SCHED_YIELD, hc_sched_yield),
	HC(PVKIT_HC_SCHED_BLOCK, hc_sched_block),
	HC(PVKIT_HC_TIMER_SET, hc_timer_set),
	HCS(PVKIT_HC_SET_UPCALL_VECTOR, hc_set_upcall_vector),
	HCS(PVKIT_HC_EVTCHN_ALLOC_UNBOUND, hc_evtchn_alloc_unbound),
	HCS(PVKIT_HC_EVTCHN_BIND_INTERDOMAIN, hc_evtchn_bind_interdomain),
	HCS(PVKIT_HC_EVTCHN_BIND_VIRQ, hc_evtchn_bind_virq),
	HCS(PVKIT_HC_EVTCHN_SEND, hc_evtchn_send),
	HCS(PVKIT_HC_EVTCHN_CLOSE, hc_evtchn_close),
	HCS(PVKIT_HC_EVTCHN_MASK, hc_evtchn_mask),
	HCS(PVKIT_HC_EVTCHN_UNMASK, hc_evtchn_unmask),
	HCS(PVKIT_HC_EVTCHN_STATUS, hc_evtchn_status),
	HC(PVKIT_HC_DOMAIN_INFO, hc_domain_info),
	/* Devices need event channels, so the shared info page too. */
	HCS(PVKIT_HC_DEV_INFO, hc_dev_info),
	HCS(PVKIT_HC_DEV_CONFIG, hc_dev_config),
	HCS(PVKIT_HC_DEV_CONNECT, hc_dev_connect),
	HCS(PVKIT_HC_DEV_DISCONNECT, hc_dev_disconnect),
	HCS(PVKIT_HC_SHARED_INFO_GPA, hc_shared_info_gpa),
	HC(PVKIT_HC_DOMAIN_STATS, hc_domain_stats),
	HCS(PVKIT_HC_EVTCHN_BIND_VCPU, hc_evtchn_bind_vcpu),
	HC(PVKIT_HC_EXIT_PROFILE, hc_exit_profile),
	HCS(PVKIT_HC_DEV_STATS, hc_dev_stats),
	HC(PVKIT_HC_UNPLUG, hc_unplug),
#undef HC
#undef HCS
};

int64_t hypercall_dispatch(struct vcpu *v, const struct hypercall_args *args)
{
	uint64_t a[5];

	if (args->cpl != 0)
		return -PVKIT_EPERM;
	if (args->nr >= ARRAY_SIZE(hypercalls) || !hypercalls[args->nr].fn)
		return -PVKIT_ENOSYS;
	/* Set before any of these can run, never changed after. */
	if ((hypercalls[args->nr].flags & NEEDS_SHARED) && !v->dom->shared)
		return -PVKIT_EPERM;
	memcpy(a, args->a, sizeof(a));
	return hypercalls[args->nr].fn(v, a);
}
