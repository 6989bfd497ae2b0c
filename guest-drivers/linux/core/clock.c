// SPDX-License-Identifier: GPL-2.0
/*
 * The pvkit clocksource: the hypervisor's system time (pvkit/shared_info.h)
 * read from the TSC with the scale the hypervisor published, so that a
 * guest whose TSCs Linux found out of sync across vCPUs (QEMU's TCG does
 * this) keeps time without reading the emulated HPET, a VM exit each time.
 * Rated below the TSC: where the kernel trusts its TSC it keeps it.
 */
#include <linux/clocksource.h>
#include <linux/math64.h>
#include <asm/msr.h>
#include "pvkit_core.h"

/* The scale as checked at load; the hypervisor writes it once, at boot. */
static struct {
	u64 tsc_base;
	u64 base_ns;
	u32 mul;
	s8 shift;
} scale;

/* Reads from vCPUs whose TSCs disagree must not make time go back. */
static atomic64_t last_ns;

static u64 pvkit_clock_read(struct clocksource *cs)
{
	u64 delta = rdtsc_ordered() - scale.tsc_base;
	s64 last = atomic64_read(&last_ns);
	s64 now;

	delta = scale.shift >= 0 ? delta << scale.shift : delta >> -scale.shift;
	now = scale.base_ns + mul_u64_u32_shr(delta, scale.mul, 32);
	do {
		if (now <= last)
			return last;
	} while (!atomic64_try_cmpxchg(&last_ns, &last, now));
	return now;
}

static struct clocksource pvkit_clocksource = {
	.name = "pvkit",
	.rating = 299,
	.read = pvkit_clock_read,
	.mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS,
};

/* The published scale, copied once, then checked: 0 or why not. */
static int scale_copy(const struct pvkit_time_info *t)
{
	u32 v1, v2;

	v1 = READ_ONCE(t->version);
	smp_rmb();
	scale.tsc_base = READ_ONCE(t->tsc_timestamp);
	scale.base_ns = READ_ONCE(t->system_time_ns);
	scale.mul = READ_ONCE(t->tsc_to_ns_mul);
	scale.shift = READ_ONCE(t->tsc_shift);
	smp_rmb();
	v2 = READ_ONCE(t->version);
	if (v1 != v2 || (v1 & 1) || !v1)
		return -EAGAIN;
	if (!scale.mul || scale.shift < -31 || scale.shift > 31)
		return -EINVAL;
	return 0;
}

int pvkit_clock_init(struct pvkit_platform *plat)
{
	struct device *dev = &plat->pdev->dev;
	int rc = scale_copy(&plat->shared->time);

	if (rc) {
		/* Not fatal: the guest keeps the kernel's own clocksource. */
		dev_info(dev, "no pvkit clocksource: time scale %s\n",
			 rc == -EAGAIN ? "not published" : "out of range");
		return 0;
	}
	rc = clocksource_register_hz(&pvkit_clocksource, NSEC_PER_SEC);
	if (rc)
		return rc;
	plat->clock = true;
	return 0;
}

void pvkit_clock_exit(struct pvkit_platform *plat)
{
	if (plat->clock)
		clocksource_unregister(&pvkit_clocksource);
	plat->clock = false;
}
