// SPDX-License-Identifier: MIT
/*
 * Mini-OS blocking and shutdown.  The vCPU blocks with interrupts off so
 * that an event arriving between the check and the hypercall is not lost:
 * SCHED_BLOCK returns at once while upcall_pending is set.
 */
#include <minios/sched.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/time.h>
#include <minios/console.h>

bool wait_event_until(volatile uint64_t *counter, uint64_t seen,
		      uint64_t deadline_ns)
{
	bool irq = irqs_enabled();
	bool changed;

	if (deadline_ns)
		hc_timer_set(deadline_ns);
	for (;;) {
		cli();
		changed = *counter != seen;
		if (changed || (deadline_ns && monotonic_ns() >= deadline_ns))
			break;
		hc_block();
		/*
		 * Handle what woke us here too: the upcall vector is only
		 * taken once interrupts are on, and this also works with the
		 * vector turned off.
		 */
		evtchn_do_upcall();
		if (irq)
			sti();
	}
	/* Woken by the event: the timer would only be a stray VIRQ now. */
	if (changed && deadline_ns)
		hc_timer_set(0);
	if (irq)
		sti();
	return changed;
}

void msleep(uint64_t ms)
{
	uint64_t deadline = monotonic_ns() + ms * NSEC_PER_MSEC;
	uint64_t never = 0;

	wait_event_until(&never, 0, deadline);
}

void __noreturn poweroff(uint32_t code)
{
	cli();
	for (;;) {
		hc_shutdown(PVKIT_SHUTDOWN_POWEROFF, code);
		hc_block();
	}
}

void __noreturn crash(uint32_t code)
{
	cli();
	for (;;) {
		hc_shutdown(PVKIT_SHUTDOWN_CRASH, code);
		hc_block();
	}
}
