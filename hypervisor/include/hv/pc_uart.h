/* SPDX-License-Identifier: GPL-2.0 */
/*
 * COM1 of an HVM domain's PC (hypervisor/common/pc_uart.c): a 16550A
 * that is the domain's console device, its output the "(dN) " lines
 * and its input the keyboard's.  Called by pc_platform.c.  Without
 * CONFIG_EMUL_UART the PC has no COM1: its ports read all-ones, the
 * DSDT leaves \_SB.COM1 out, and console input goes to the PV console
 * only.
 */
#ifndef HV_PC_UART_H
#define HV_PC_UART_H

#include <stdbool.h>

struct domain;
struct pc_platform;

#ifdef CONFIG_EMUL_UART
/* Power-on state (create and reset). */
void pc_uart_init(struct domain *d, struct pc_platform *pf);
/* Onto the device bus as the domain's console, once.  0 or -PVKIT_ENOSPC. */
int pc_uart_attach(struct domain *d, struct pc_platform *pf);

static inline bool pc_uart_present(void)
{
	return true;
}
#else
static inline void pc_uart_init(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
}
static inline int pc_uart_attach(struct domain *d, struct pc_platform *pf)
{
	(void)d; (void)pf;
	return 0;
}
static inline bool pc_uart_present(void)
{
	return false;
}
#endif

#endif
