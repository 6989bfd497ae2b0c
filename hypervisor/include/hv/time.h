/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System time: nanoseconds since the hypervisor started, from the TSC.
 * The same scale is published to guests in the shared info page.
 */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <stdint.h>

struct time_scale {
	uint64_t tsc_base;
	uint32_t mul;
	int8_t shift;
};

extern struct time_scale system_time_scale;
extern uint64_t wallclock_at_boot;

void time_init(void);
uint64_t now_ns(void);
uint64_t time_scale_apply(const struct time_scale *s, uint64_t tsc);
/*
 * The system time at which the TSC reads tsc, for a deadline a guest
 * gave: 0 if that was before boot, UINT64_MAX if beyond 64-bit ns.
 */
uint64_t tsc_to_ns(uint64_t tsc);

struct pvkit_time_info;
/* A guest's shared info time fields (pvkit/shared_info.h). */
void time_info_init(struct pvkit_time_info *t);

#endif
