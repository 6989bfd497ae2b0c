// SPDX-License-Identifier: MIT
/*
 * Mini-OS time: system time from the shared info page scaled by the TSC,
 * and the one-shot timer behind VIRQ_TIMER.
 */
#include <minios/time.h>
#include <minios/events.h>
#include <minios/hypercall.h>

uint32_t timer_port;
volatile uint64_t timer_fired;
volatile uint64_t timer_fired_ns;

struct time_snapshot {
	uint64_t tsc_timestamp;
	uint64_t system_time_ns;
	uint32_t mul;
	int8_t shift;
	uint64_t tsc_hz;
	uint64_t wc_sec;
	uint32_t wc_nsec;
};

/* Reads a consistent copy: retry while an update is in progress. */
static void time_read(struct time_snapshot *s)
{
	const struct pvkit_time_info *t = &shared_info->time;
	uint32_t v;

	do {
		v = READ_ONCE(t->version);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s->tsc_timestamp = READ_ONCE(t->tsc_timestamp);
		s->system_time_ns = READ_ONCE(t->system_time_ns);
		s->mul = READ_ONCE(t->tsc_to_ns_mul);
		s->shift = READ_ONCE(t->tsc_shift);
		s->tsc_hz = READ_ONCE(t->tsc_hz);
		s->wc_sec = READ_ONCE(t->wc_sec);
		s->wc_nsec = READ_ONCE(t->wc_nsec);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((v & 1) || v != READ_ONCE(t->version));
}

static uint64_t scale_delta(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift >= 0)
		delta <<= shift;
	else
		delta >>= -shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t monotonic_ns(void)
{
	struct time_snapshot s;
	uint64_t tsc;

	time_read(&s);
	tsc = rdtsc();
	/* A TSC read before the last update would wrap the delta. */
	if (tsc < s.tsc_timestamp)
		return s.system_time_ns;
	return s.system_time_ns + scale_delta(tsc - s.tsc_timestamp, s.mul,
					      s.shift);
}

uint64_t tsc_delta_to_ns(uint64_t delta)
{
	struct time_snapshot s;

	time_read(&s);
	return scale_delta(delta, s.mul, s.shift);
}

uint64_t tsc_hz(void)
{
	return READ_ONCE(shared_info->time.tsc_hz);
}

void wall_clock(uint64_t *sec, uint32_t *nsec)
{
	struct time_snapshot s;
	uint64_t now = monotonic_ns();
	uint64_t ns;

	time_read(&s);
	ns = s.wc_nsec + now % NSEC_PER_SEC;
	*sec = s.wc_sec + now / NSEC_PER_SEC + ns / NSEC_PER_SEC;
	*nsec = (uint32_t)(ns % NSEC_PER_SEC);
}

static void timer_virq(uint32_t port __unused, void *data __unused)
{
	timer_fired_ns = monotonic_ns();
	timer_fired++;
}

int time_init(void)
{
	int64_t rc;

	rc = evtchn_bind_virq(PVKIT_VIRQ_TIMER, 0, &timer_port);
	if (rc < 0)
		return (int)rc;
	evtchn_set_handler(timer_port, timer_virq, NULL);
	return 0;
}
