// SPDX-License-Identifier: GPL-2.0
/*
 * Ending the hypervisor: report the status, then stop the machine.
 *
 * Its code and read-only data are checksummed once the domains are
 * built and again at the end.  Nothing may change them, neither a
 * stray write of its own nor a device's DMA that the IOMMU should have
 * stopped; a change turns the exit status into a panic's.
 */
#include <stddef.h>
#include <stdint.h>
#include <asm/processor.h>
#include <hv/printk.h>
#include <hv/system.h>

extern const char __image_start[], __ro_end[];

static uint64_t sealed_sum;
static bool sealed;

/* FNV-1a over 64-bit words: cheap, and any changed word shows. */
static uint64_t ro_sum(void)
{
	const uint64_t *w = (const uint64_t *)__image_start;
	const uint64_t *end = (const uint64_t *)__ro_end;
	uint64_t h = 0xcbf29ce484222325ull;

	while (w < end) {
		h ^= *(const volatile uint64_t *)w++;
		h *= 0x100000001b3ull;
	}
	return h;
}

void system_seal(void)
{
	sealed_sum = ro_sum();
	sealed = true;
}

static int check_seal(int status)
{
	size_t kib = (size_t)(__ro_end - __image_start) >> 10;

	if (!sealed)
		return status;
	if (ro_sum() == sealed_sum) {
		printk(LOG_INFO, "code and read-only data unchanged since boot (%zu KiB)",
		       kib);
		return status;
	}
	printk(LOG_ERR, "code or read-only data changed since boot (%zu KiB checked): hypervisor memory was written",
	       kib);
	return HV_EXIT_PANIC;
}

void system_exit(int status)
{
	status = check_seal(status);
	printk(LOG_NOTICE, "exit status %d", status);
#ifdef CONFIG_QEMU_DEBUG_EXIT
	outl(CONFIG_QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
#endif
	/* On hardware without isa-debug-exit the machine just halts. */
	cpu_halt_forever();
}
