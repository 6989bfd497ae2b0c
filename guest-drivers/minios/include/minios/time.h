/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_TIME_H
#define MINIOS_TIME_H

#include <minios/os.h>

#define NSEC_PER_USEC		1000ull
#define NSEC_PER_MSEC		1000000ull
#define NSEC_PER_SEC		1000000000ull

int time_init(void);
/* System time in ns from the shared info page (see shared_info.h). */
uint64_t monotonic_ns(void);
/* Converts a TSC delta into ns with the same scaling the page gives. */
uint64_t tsc_delta_to_ns(uint64_t delta);
uint64_t tsc_hz(void);
/* Wall clock: seconds and ns since 1970. */
void wall_clock(uint64_t *sec, uint32_t *nsec);

/* The timer VIRQ port and how often it has fired. */
extern uint32_t timer_port;
extern volatile uint64_t timer_fired;
/* System time when the timer VIRQ handler last ran. */
extern volatile uint64_t timer_fired_ns;

#endif /* MINIOS_TIME_H */
