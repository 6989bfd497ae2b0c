// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=crash how=triple|ud|pf|npf: misbehaves on purpose so that
 * the hypervisor's fault isolation can be tested.
 *   triple  empty IDT, then an exception: the vCPU shuts down
 *   ud      UD2 with Mini-OS's handler: the domain reports CRASH itself
 *   pf      a load from an unmapped virtual address (handler: CRASH)
 *   npf     a load from guest-physical memory that is not RAM but is
 *           inside the identity map: the hypervisor must stop the domain
 * Reaching the end means the fault did not stop the domain: exit code 1.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/traps.h>

#define UNMAPPED_VA	0x10000000000ull	/* 1 TiB: no PML4 entry */
#define NOT_RAM_GPA	0xc0000000ull		/* 3 GiB: mapped, no RAM */

void __noreturn test_crash(void)
{
	const char *how = cmdline_get("how");
	volatile uint64_t *p;

	if (!how)
		how = "ud";
	printk("crash: how=%s\n", how);
	if (!strcmp(how, "triple")) {
		cli();
		load_empty_idt();
		asm volatile("ud2");
	} else if (!strcmp(how, "ud")) {
		asm volatile("ud2");
	} else if (!strcmp(how, "pf")) {
		p = (volatile uint64_t *)UNMAPPED_VA;
		(void)*p;
	} else if (!strcmp(how, "npf")) {
		if (start_info->mem_bytes > NOT_RAM_GPA)
			printk("crash: %#llx is RAM here\n", NOT_RAM_GPA);
		p = (volatile uint64_t *)NOT_RAM_GPA;
		printk("crash: read %#llx from %#llx\n",
		       (unsigned long long)*p, NOT_RAM_GPA);
		*p = 0x5a5a5a5a5a5a5a5aull;
	} else {
		printk("crash: unknown how=%s\n", how);
		poweroff(2);
	}
	printk("crash: still running after how=%s\n", how);
	poweroff(1);
}
