/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: the shared info page.
 *
 * One 4 KiB page per domain, inside the domain's own RAM at the GPA given
 * in start_info.shared_info_gpa.  The hypervisor writes event and time
 * state into it; the guest reads it and writes only the fields marked
 * "guest".  The hypervisor reads guest-writable fields with a single load
 * per decision and never trusts them for anything but that guest's own
 * event delivery.
 */
#ifndef PVKIT_SHARED_INFO_H
#define PVKIT_SHARED_INFO_H

#include "types.h"
#include "event_channel.h"

struct pvkit_vcpu_info {
	/*
	 * Set to 1 by the hypervisor when an event is pending for this vCPU;
	 * cleared by the guest before it scans pending_sel.
	 */
	uint8_t upcall_pending;
	/* guest: nonzero holds back upcall injection (events stay pending). */
	uint8_t upcall_mask;
	uint8_t pad[6];
	/* Bit w set: evtchn_pending[w] may have bits for this vCPU. */
	uint64_t pending_sel;
	uint64_t pad2[6];
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_vcpu_info, 64);

/*
 * System time, in nanoseconds since the hypervisor started:
 *
 *   now = system_time_ns + (((tsc - tsc_timestamp) * tsc_to_ns_mul) >> 32)
 *   (after shifting tsc - tsc_timestamp left by tsc_shift if it is >= 0,
 *   right by -tsc_shift if it is negative)
 *
 * The guest reads version, the fields, then version again, and retries if
 * the two reads differ or version is odd (an update is in progress).  The
 * TSC is not intercepted: guests read it with RDTSC/RDTSCP directly.
 */
struct pvkit_time_info {
	uint32_t version;
	uint32_t pad;
	uint64_t tsc_timestamp;
	uint64_t system_time_ns;
	uint32_t tsc_to_ns_mul;
	int8_t tsc_shift;
	uint8_t flags;		/* PVKIT_TIME_* */
	uint16_t pad2;
	uint64_t tsc_hz;	/* the TSC's measured frequency */
	uint64_t wc_sec;	/* wall clock at system time 0 (seconds ... */
	uint32_t wc_nsec;	/* ... and nanoseconds since 1970) */
	uint32_t pad3;
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_time_info, 56);

#define PVKIT_TIME_TSC_STABLE		(1u << 0)	/* same on all vCPUs */

struct pvkit_shared_info {
	struct pvkit_vcpu_info vcpu_info[PVKIT_MAX_VCPUS];	/* 0x000 */
	uint64_t evtchn_pending[PVKIT_EVTCHN_WORDS];		/* 0x400 */
	uint64_t evtchn_mask[PVKIT_EVTCHN_WORDS];		/* 0x480 guest */
	struct pvkit_time_info time;				/* 0x500 */
	uint8_t pad[8];
	/*
	 * Bit i: PV device i's configuration changed (ABI 1.5,
	 * PVKIT_FEAT_DEV_CONFIG_CHANGED; pvkit/io/device.h).  Set by the
	 * hypervisor, cleared by the guest (atomic exchange).
	 */
	uint64_t dev_config_changed;				/* 0x540 */
	uint8_t pad2[4096 - 0x548];
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_shared_info, 4096);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_shared_info, evtchn_pending, 0x400);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_shared_info, evtchn_mask, 0x480);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_shared_info, time, 0x500);
PVKIT_ABI_ASSERT_OFFSET(struct pvkit_shared_info, dev_config_changed, 0x540);

#endif /* PVKIT_SHARED_INFO_H */
