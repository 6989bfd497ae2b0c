/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A device clock of hz ticks per second counted from guest time in
 * nanoseconds, exactly and without overflow.  Shared by the timer
 * models (PIT, HPET), which keep a start time and count from it.
 */
#ifndef HV_EMUL_CLOCK_H
#define HV_EMUL_CLOCK_H

#include <stdint.h>

#define EMUL_NSEC_PER_SEC	1000000000ull

/* Whole ticks in [start, now]; hz at most a few GHz. */
static inline uint64_t emul_ticks_since(uint64_t start, uint64_t now,
					uint64_t hz)
{
	uint64_t d;

	if (now <= start)
		return 0;
	d = now - start;
	return d / EMUL_NSEC_PER_SEC * hz +
	       d % EMUL_NSEC_PER_SEC * hz / EMUL_NSEC_PER_SEC;
}

/* The first time at which tick k is reached, UINT64_MAX if never. */
static inline uint64_t emul_tick_time(uint64_t start, uint64_t k,
				      uint64_t hz)
{
	uint64_t q = k / hz, r = k % hz;
	uint64_t ns = (r * EMUL_NSEC_PER_SEC + hz - 1) / hz;

	if (start > UINT64_MAX - ns ||
	    q > (UINT64_MAX - start - ns) / EMUL_NSEC_PER_SEC)
		return UINT64_MAX;
	return start + q * EMUL_NSEC_PER_SEC + ns;
}

#endif
