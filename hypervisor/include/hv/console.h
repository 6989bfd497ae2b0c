/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domain consoles on the hypervisor's serial line.  Output is cut into
 * whole lines prefixed "(dN) " so that domains never interleave mid-line;
 * input goes to the domain picked with Ctrl-] N, else the first running
 * one.  In raw mode (console_set_raw()) that domain's output goes out
 * unfiltered as it comes, "(dN) " at the start of each of its lines.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct domain;

/*
 * A domain's consoles: the emulated one (the UART, or the console
 * hypercall) and the PV console.  Each puts its lines together apart, so
 * that a kernel printing to both never mixes them within a line.
 */
enum console_src { CONSOLE_SRC_EMUL, CONSOLE_SRC_PV, CONSOLE_NR_SOURCES };

/* Output from one of d's consoles (enum console_src, hv/domain.h). */
void console_domain_write(struct domain *d, enum console_src src,
			  const char *buf, size_t len);
/*
 * The same, but stops before the first line the domain's rate limit
 * cannot pay for instead of dropping it: returns the bytes used.  For a
 * source that can wait (the PV console's ring) rather than lose output.
 */
size_t console_domain_write_some(struct domain *d, enum console_src src,
				 const char *buf, size_t len);
void console_domain_flush(struct domain *d);
/*
 * Each domain's output limit: bytes a second (0 turns it off) and the
 * bucket, what it may print at once (0 keeps the one it has).
 */
void console_set_limit(uint64_t bytes_per_sec, uint64_t burst);
/* console_raw: the focused domain writes straight to the terminal. */
void console_set_raw(bool on);
void console_poll_input(void);
/* Takes up to max bytes of d's waiting keyboard input. */
size_t console_take_input(struct domain *d, char *buf, size_t max);
bool console_input_waiting(struct domain *d);

#endif
