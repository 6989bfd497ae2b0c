/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Domain consoles on the hypervisor's serial line.  Output is cut into
 * whole lines prefixed "(dN) " so that domains never interleave mid-line;
 * input goes to the first running domain.
 */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stddef.h>

struct domain;

void console_domain_write(struct domain *d, const char *buf, size_t len);
void console_domain_flush(struct domain *d);
void console_poll_input(void);

#endif
