// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
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
