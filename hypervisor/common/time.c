// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <pvkit/shared_info.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <hv/time.h>

struct time_scale system_time_scale;
uint64_t wallclock_at_boot;

/*
 * ns = ((tsc_delta << shift) * mul) >> 32, with mul < 2^32.  1e9 << 32
 * fits in 64 bits, so the scale is found without 128-bit division.
 */
static void time_scale_init(struct time_scale *s, uint64_t hz)
{
	int shift = 0;

	while (hz > (1000000000ull << 1) && shift > -31) {
		hz >>= 1;
		shift--;
	}
	while (hz <= 1000000000ull && shift < 31) {
		hz <<= 1;
		shift++;
	}
	s->shift = shift;
	s->mul = (uint32_t)((1000000000ull << 32) / hz);
}

uint64_t time_scale_apply(const struct time_scale *s, uint64_t tsc)
{
	uint64_t d = tsc - s->tsc_base;

	d = s->shift >= 0 ? d << s->shift : d >> -s->shift;
	return (uint64_t)(((unsigned __int128)d * s->mul) >> 32);
}

uint64_t tsc_to_ns(uint64_t tsc)
{
	const struct time_scale *s = &system_time_scale;
	uint64_t d;

	if (tsc <= s->tsc_base)
		return 0;
	d = tsc - s->tsc_base;
	if (s->shift > 0 && d > UINT64_MAX >> s->shift)
		return UINT64_MAX;
	return time_scale_apply(s, tsc);
}

uint64_t now_ns(void)
{
	return time_scale_apply(&system_time_scale, rdtsc());
}

void time_init(void)
{
	tsc_calibrate();
	system_time_scale.tsc_base = rdtsc();
	time_scale_init(&system_time_scale, tsc_hz());
	wallclock_at_boot = rtc_read_seconds();
}

/*
 * The scale never changes after boot, so one write serves the guest's
 * whole life; guests' TSCs are the machine's (no offset), so system time
 * is the same formula in every domain.
 */
void time_info_init(struct pvkit_time_info *t)
{
	t->version = 1;
	t->tsc_timestamp = system_time_scale.tsc_base;
	t->system_time_ns = 0;
	t->tsc_to_ns_mul = system_time_scale.mul;
	t->tsc_shift = system_time_scale.shift;
	t->flags = PVKIT_TIME_TSC_STABLE;
	t->tsc_hz = tsc_hz();
	t->wc_sec = wallclock_at_boot;
	t->wc_nsec = 0;
	t->version = 2;
}
