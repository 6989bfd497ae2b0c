/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_SCHED_H
#define MINIOS_SCHED_H

#include <minios/os.h>

/*
 * Blocks in SCHED_BLOCK until *counter differs from seen or the system
 * time reaches deadline_ns (0: no deadline).  Returns true if the counter
 * changed.
 */
bool wait_event_until(volatile uint64_t *counter, uint64_t seen,
		      uint64_t deadline_ns);
void msleep(uint64_t ms);
void __noreturn poweroff(uint32_t code);
void __noreturn crash(uint32_t code);

#endif /* MINIOS_SCHED_H */
