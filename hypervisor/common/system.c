// SPDX-License-Identifier: GPL-2.0
/* Ending the hypervisor: report the status, then stop the machine. */
#include <asm/processor.h>
#include <hv/printk.h>
#include <hv/system.h>

void system_exit(int status)
{
	printk(LOG_NOTICE, "exit status %d", status);
#ifdef CONFIG_QEMU_DEBUG_EXIT
	outl(CONFIG_QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
#endif
	/* On hardware without isa-debug-exit the machine just halts. */
	cpu_halt_forever();
}
