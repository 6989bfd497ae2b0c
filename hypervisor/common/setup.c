// SPDX-License-Identifier: GPL-2.0
/* From the boot loader to the first guest instruction. */
#include <stdarg.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <pvkit/types.h>
#include <asm/apic.h>
#include <asm/layout.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/domain_build.h>
#include <hv/iommu.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/serial.h>
#include <hv/storage.h>
#include <hv/system.h>
#include <hv/exit_profile.h>
#include <hv/time.h>
#include <hv/uplink.h>
#include <hv/vcpu_ops.h>

extern char bsp_stack[];

const struct vcpu_ops *vcpu_ops = &svm_vcpu_ops;
struct hv_cfg hv_cfg;
static struct pcpu bsp_pcpu;

#define BOOT_PHASES_MAX		24
#define BOOT_PHASE_NAME		40

static uint64_t boot_tsc0;
static unsigned int nr_phases;
static struct {
	uint64_t tsc;
	char name[BOOT_PHASE_NAME];
} phases[BOOT_PHASES_MAX];

void boot_phase(const char *fmt, ...)
{
	va_list ap;

	if (nr_phases == BOOT_PHASES_MAX)
		return;
	phases[nr_phases].tsc = rdtsc();
	va_start(ap, fmt);
	vsnprintf(phases[nr_phases].name, BOOT_PHASE_NAME, fmt, ap);
	va_end(ap);
	nr_phases++;
}

/* Microseconds from the first stamp, by the calibrated TSC. */
static uint64_t phase_us(uint64_t tsc)
{
	uint64_t khz = tsc_hz() / 1000;

	return khz ? (tsc - boot_tsc0) * 1000 / khz : 0;
}

void boot_phases_log(void)
{
	uint64_t prev = 0;

	for (unsigned int i = 0; i < nr_phases; i++) {
		uint64_t us = phase_us(phases[i].tsc);

		pr_info("boot: %4llu.%03llu ms (+%llu.%03llu) %s",
			(unsigned long long)(us / 1000),
			(unsigned long long)(us % 1000),
			(unsigned long long)((us - prev) / 1000),
			(unsigned long long)((us - prev) % 1000),
			phases[i].name);
		prev = us;
	}
}

static void boot_fail(void)
{
	pr_err("boot failed: no domain was started");
	system_exit(HV_EXIT_BAD_CONFIG);
}

static int parse_hv_cmdline(void)
{
	char err[160];

	if (bootcfg_parse_hv(boot_info.cmdline, &hv_cfg, err, sizeof(err))) {
		pr_err("hypervisor command line: %s", err);
		return -1;
	}
	if (hv_cfg.loglevel >= 0)
		printk_set_level(hv_cfg.loglevel);
	console_set_limit(hv_cfg.console_rate >= 0 ?
			  (uint64_t)hv_cfg.console_rate : CONFIG_CONSOLE_RATE,
			  hv_cfg.console_burst > 0 ?
			  (uint64_t)hv_cfg.console_burst : 0);
	console_set_raw(hv_cfg.console_raw);
	exit_profile_set_verbose(hv_cfg.exitstats);
	return 0;
}

void __attribute__((noreturn)) start_hypervisor(uint32_t magic,
						uint32_t info_pa)
{
	boot_tsc0 = rdtsc();
	serial_init();
	pcpu_bind_stack(&bsp_pcpu, bsp_stack);
	pcpus[0] = &bsp_pcpu;
	nr_pcpus = 1;
	spin_lock_init(&bsp_pcpu.sched_lock);
	spin_lock_init(&bsp_pcpu.work_lock);
	/* Which virtualization runs the guests is known only later. */
	pr_notice("pvkit hypervisor starting, ABI %u.%u",
		  PVKIT_ABI_VERSION_MAJOR, PVKIT_ABI_VERSION_MINOR);

	if (multiboot_parse(magic, info_pa) || parse_hv_cmdline())
		boot_fail();
	boot_phase("multiboot and command line");
	pic_disable();
	traps_init();
	if (mm_init())
		boot_fail();
	boot_phase("memory map and allocators");
	time_init();
	boot_phase("TSC calibration");
	lapic_calibrate();
	boot_phase("APIC timer calibration");
	irqs_init();
	bsp_pcpu.apic_id = lapic_id();
	cpu_init_common(&bsp_pcpu);
	boot_phase("BSP set-up");
	/* Before the APs: they load the page tables this makes uncached. */
	if (!pci_init()) {
#ifdef CONFIG_PASSTHROUGH
		iommu_init();
#endif
		storage_virtio_probe();
		if (hv_cfg.uplink)
			uplink_virtio_probe();
	}
	boot_phase("PCI and virtio devices");
	smp_boot_aps();
	boot_phase("SMP bring-up");

	if (domains_build_from_modules())
		boot_fail();
	if (hv_cfg.uplink)
		uplink_place();
	boot_phases_log();
	system_seal();
	pr_notice("running %u domain%s on %u pCPU%s with %s", nr_domains,
		  nr_domains > 1 ? "s" : "", nr_pcpus, nr_pcpus > 1 ? "s" : "",
		  vcpu_ops->name);
	sched_start();
	sched_loop();
}
