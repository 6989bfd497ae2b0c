// SPDX-License-Identifier: MIT
/*
 * Mini-OS: boot checks, subsystem set-up, and the program the command
 * line asks for.
 */
#include <lib/string.h>
#include <minios/os.h>
#include <minios/console.h>
#include <minios/cmdline.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/mm.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>
#include <minios/traps.h>

const struct pvkit_start_info *start_info;
struct pvkit_shared_info *shared_info;

extern char _image_start[], _image_end[];

static bool hypervisor_detected(void)
{
	uint32_t a, b, c, d;

	cpuid(PVKIT_CPUID_BASE, 0, &a, &b, &c, &d);
	return b == PVKIT_CPUID_SIG_EBX && c == PVKIT_CPUID_SIG_ECX &&
	       d == PVKIT_CPUID_SIG_EDX && a >= PVKIT_CPUID_VERSION;
}

/* Nothing else is trustworthy until these hold: crash with a reason. */
static void check_boot(const struct pvkit_start_info *si)
{
	if (si->magic != PVKIT_START_INFO_MAGIC) {
		printk("minios: bad start info magic %#llx\n",
		       (unsigned long long)si->magic);
		crash(1);
	}
	if ((si->abi_version >> 16) != PVKIT_ABI_VERSION_MAJOR) {
		printk("minios: ABI version %#x, built for %#x\n",
		       si->abi_version, PVKIT_ABI_VERSION);
		crash(2);
	}
	if (!hypervisor_detected()) {
		printk("minios: no pvkit CPUID signature\n");
		crash(3);
	}
	if (si->shared_info_gpa & (PAGE_SIZE - 1) ||
	    si->shared_info_gpa + PAGE_SIZE > si->mem_bytes) {
		printk("minios: shared info at %#llx is unusable\n",
		       (unsigned long long)si->shared_info_gpa);
		crash(4);
	}
}

static void init_or_crash(int rc, const char *what)
{
	if (rc >= 0)
		return;
	printk("minios: %s failed: %d\n", what, rc);
	crash(5);
}

static void __noreturn run_program(void)
{
	const char *test = cmdline_get("test");

	if (!test) {
		if (cmdline_get("demo"))
			demo();
		printk("minios: nothing to do (command line \"%s\")\n",
		       cmdline_raw());
		poweroff(0);
	}
	if (!strcmp(test, "abi"))
		test_abi();
	if (!strcmp(test, "pingpong"))
		test_pingpong();
	if (!strcmp(test, "bench"))
		test_bench();
	if (!strcmp(test, "crash"))
		test_crash();
	if (!strcmp(test, "watch"))
		test_watch();
	if (!strcmp(test, "pvcon"))
		test_pvcon();
	if (!strcmp(test, "pvhostile"))
		test_pvhostile();
	if (!strcmp(test, "pvblk"))
		test_pvblk();
	if (!strcmp(test, "pvblkhostile"))
		test_pvblkhostile();
	if (!strcmp(test, "pvblkpersist"))
		test_pvblkpersist();
	if (!strcmp(test, "pvblkcrash"))
		test_pvblkcrash();
	if (!strcmp(test, "pvnet"))
		test_pvnet();
	if (!strcmp(test, "pvnethostile"))
		test_pvnethostile();
	if (!strcmp(test, "pvblkresize"))
		test_pvblkresize();
	if (!strcmp(test, "cpu"))
		test_cpu();
	if (!strcmp(test, "flood"))
		test_flood();
	printk("minios: unknown test \"%s\"\n", test);
	poweroff(2);
}

void minios_main(uint64_t start_info_gpa);
void minios_main(uint64_t start_info_gpa)
{
	const struct pvkit_start_info *si = gpa_to_virt(start_info_gpa);

	traps_init();
	start_info = si;
	check_boot(si);
	shared_info = gpa_to_virt(si->shared_info_gpa);
	cmdline_init(gpa_to_virt(si->cmdline_gpa), si->cmdline_len);
	mm_init(si->free_gpa, si->mem_bytes);
	if (start_info_gpa < (uint64_t)(uintptr_t)_image_end)
		printk("minios: start info at %#llx overlaps the image\n",
		       (unsigned long long)start_info_gpa);

	init_or_crash(events_init(), "upcall vector");
	init_or_crash(time_init(), "timer VIRQ");
	init_or_crash(console_init_input(), "console VIRQ");
	sti();
	run_program();
}
