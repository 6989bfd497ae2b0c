// SPDX-License-Identifier: GPL-2.0
/*
 * COM1 on the PC platform (see hv/pc_uart.h): the one device model of
 * the PC that is also the domain's console, so the bus hands it the
 * keyboard input that no connected PV console took.
 */
#include <pvkit/errno.h>
#include <hv/domain.h>
#include <hv/emul/uart16550.h>
#include <hv/emul_bus.h>
#include <hv/pc_platform.h>
#include <hv/pc_uart.h>

void pc_uart_init(struct domain *d, struct pc_platform *pf)
{
	uart16550_init(&pf->com1, &d->bus.env, PLATFORM_COM1_PORT,
		       PLATFORM_COM1_IRQ);
}

int pc_uart_attach(struct domain *d, struct pc_platform *pf)
{
	if (emul_bus_attach(d, &pf->com1.dev) ||
	    emul_bus_map(d, &pf->com1.dev, false, PLATFORM_COM1_PORT,
			 UART16550_NR_PORTS))
		return -PVKIT_ENOSPC;
	d->bus.console = &pf->com1.dev;
	return 0;
}
