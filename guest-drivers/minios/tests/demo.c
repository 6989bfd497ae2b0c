// SPDX-License-Identifier: MIT
/* Mini-OS demo: a banner, three timer ticks, power off. */
#include <minios/console.h>
#include <minios/hypercall.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>

void __noreturn demo(void)
{
	int64_t ver = hc_version();
	uint64_t sec, start = monotonic_ns();
	uint32_t nsec;
	char input[64];
	size_t n;
	int i;

	wall_clock(&sec, &nsec);
	printk("Mini-OS on pvkit: domain %u \"%s\", ABI %lld.%lld, "
	       "features %#llx\n", start_info->domid, start_info->name,
	       (long long)(ver >> 16), (long long)(ver & 0xffff),
	       (long long)hc_features(0));
	printk("memory %llu MiB, system time %llu ms, wall clock %llu.%09u\n",
	       (unsigned long long)(start_info->mem_bytes >> 20),
	       (unsigned long long)(start / NSEC_PER_MSEC),
	       (unsigned long long)sec, nsec);
	for (i = 1; i <= 3; i++) {
		msleep(100);
		printk("tick %d at %llu ms (timer VIRQs %llu)\n", i,
		       (unsigned long long)((monotonic_ns() - start) /
					    NSEC_PER_MSEC),
		       (unsigned long long)timer_fired);
	}
	n = console_read_buffered(input, sizeof(input) - 1);
	if (n) {
		input[n] = '\0';
		printk("console input: %s\n", input);
	}
	printk("Mini-OS demo done\n");
	poweroff(0);
}
