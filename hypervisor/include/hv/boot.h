/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the boot loader told us, copied out of the Multiboot structures
 * (which live in memory we are about to reuse) and checked.
 */
#ifndef HV_BOOT_H
#define HV_BOOT_H

#include <stdint.h>
#include <hv/bootcfg.h>

#define BOOT_MAX_MODULES	16
#define BOOT_MAX_RANGES		64
#define BOOT_CMDLINE_MAX	(BOOTCFG_PATH_MAX + BOOTCFG_ARGS_MAX + 256)

struct boot_module {
	uint64_t start;			/* physical, inclusive */
	uint64_t end;			/* physical, exclusive */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct mem_range {
	uint64_t start;
	uint64_t end;
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned int nr_ram;
	struct mem_range ram[BOOT_MAX_RANGES];	/* usable RAM */
	/* Above everything the loader wrote for us: info, strings, modules. */
	uint64_t loader_end;
};

extern struct boot_info boot_info;

/* Returns 0, or a negative error after printing one clear line. */
int multiboot_parse(uint32_t magic, uint32_t info_pa);

/*
 * The hypervisor's own boot, phase by phase: boot_phase() stamps the TSC
 * as a phase ends (printf-style name); boot_phases_log() prints every
 * stamp in ms since start_hypervisor() once the TSC rate is known.  Only
 * the BSP calls them, before the scheduler starts.
 */
void boot_phase(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void boot_phases_log(void);

#endif
