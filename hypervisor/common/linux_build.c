// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux builder: an unmodified bzImage and its initramfs, booted
 * through the 64-bit boot protocol on the emulated PC platform.
 *
 * Guest-physical layout below 1 MiB (all reserved by Linux itself):
 *   0x10000  boot_params     0x20000  command line
 *   0x30000  boot page tables and GDT (BOOT_PT_PAGES)
 *   0x9f000-0xa0000 reserved, 0xe0000-0x100000 the ACPI tables
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/guest_boot.h>
#include <hv/linux_loader.h>
#include <hv/platform.h>
#include <hv/acpi_build.h>
#include <hv/mm.h>
#include <hv/pc_platform.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <hv/vcpu_ops.h>

#define LINUX_BOOT_PARAMS	0x10000ull
#define LINUX_CMDLINE		0x20000ull
#define LINUX_PT		0x30000ull
#define LINUX_CS		0x10	/* __BOOT_CS */
#define LINUX_DS		0x18	/* __BOOT_DS */
/* Guest RAM stays below the 32-bit PCI/ECAM hole. */
#define LINUX_MAX_MEM		PLATFORM_LOWMEM_TOP

struct linux_plan {
	struct linux_image li;
	uint64_t initrd_gpa;
	uint64_t initrd_len;
};

static int plan(const struct boot_module *m, unsigned int idx,
		const struct domain_cfg *cfg, const struct boot_module *initrd,
		struct linux_plan *p)
{
	const char *why = NULL;
	struct shown sp;
	int ret;

	if (cfg->mem_bytes > LINUX_MAX_MEM) {
		pr_err("module %u (%s): mem=%lluM is above the %lluM a Linux domain can have",
		       idx + 1, shown(&sp, cfg->path),
		       (unsigned long long)(cfg->mem_bytes >> 20),
		       LINUX_MAX_MEM >> 20);
		return -PVKIT_E2BIG;
	}
	ret = linux_check(phys_to_virt(m->start), m->end - m->start,
			  cfg->mem_bytes, &p->li, &why);
	if (ret) {
		pr_err("module %u (%s): not a bootable Linux bzImage: %s",
		       idx + 1, shown(&sp, cfg->path), why);
		return ret;
	}
	p->initrd_len = initrd ? initrd->end - initrd->start : 0;
	p->initrd_gpa = 0;
	if (p->initrd_len) {
		ret = linux_place_initrd(&p->li, cfg->mem_bytes, p->initrd_len,
					 &p->initrd_gpa, &why);
		if (ret) {
			pr_err("module %u (initramfs of %s): %s (%lluK in mem=%lluM)",
			       idx + 2, shown(&sp, cfg->path), why,
			       (unsigned long long)(p->initrd_len >> 10),
			       (unsigned long long)(cfg->mem_bytes >> 20));
			return ret;
		}
	}
	return 0;
}

/* What a reboot needs to build the domain again. */
struct linux_saved {
	const struct boot_module *kernel;
	const struct boot_module *initrd;
	struct domain_cfg cfg;
	struct linux_plan plan;
};

/* Kernel, initramfs, ACPI tables and boot page tables into guest RAM. */
static int load_guest(struct domain *d, const struct linux_saved *ls,
		      struct vcpu_boot_state *bs)
{
	const struct boot_module *m = ls->kernel;
	struct e820_entry e820[GUEST_PC_E820_MAX];
	uint64_t rsdp = 0;
	struct linux_boot b;
	int ret;

	ret = guest_pc_acpi(d, ls->cfg.vcpus, &rsdp);
	if (ret)
		return ret;
	time_info_init(&d->shared->time);
	b = (struct linux_boot){
		.acpi_rsdp_gpa = rsdp,
		.boot_params_gpa = LINUX_BOOT_PARAMS,
		.cmdline = ls->cfg.args,
		.cmdline_gpa = LINUX_CMDLINE,
		.initrd = ls->initrd ? phys_to_virt(ls->initrd->start) : NULL,
		.initrd_len = ls->plan.initrd_len,
		.initrd_gpa = ls->plan.initrd_gpa,
		.e820 = e820,
		.nr_e820 = guest_pc_e820(d->mem_bytes, e820),
		/* pages_alloc_zeroed() at creation, linux_rebuild() since. */
		.ram_zeroed = true,
	};
	linux_load(phys_to_virt(m->start), m->end - m->start, &ls->plan.li,
		   d->mem, d->mem_bytes, &b);
	*bs = (struct vcpu_boot_state){ 0 };
	guest_boot_tables(d, LINUX_PT, LINUX_CS, LINUX_DS, bs);
	bs->rip = ls->plan.li.entry_gpa;
	bs->rsi = LINUX_BOOT_PARAMS;
	return 0;
}

/*
 * A reboot: the same kernel, initramfs and command line on cleared RAM,
 * every vCPU and device in its power-on state.  No vCPU runs meanwhile.
 */
static int linux_reload(struct domain *d, struct vcpu_boot_state *bs)
{
	return load_guest(d, d->builder_data, bs);
}

static int linux_rebuild(struct domain *d)
{
	return guest_pc_rebuild(d, linux_reload);
}

int linux_build(const struct boot_module *m, unsigned int idx,
		const struct domain_cfg *cfg, const struct boot_module *initrd)
{
	struct vcpu_boot_state bs;
	struct linux_saved *ls = kzalloc(sizeof(*ls));
	struct shown p, a;
	struct domain *d;
	int ret;

	if (!ls)
		return -PVKIT_ENOMEM;
	*ls = (struct linux_saved){ .kernel = m, .initrd = initrd, .cfg = *cfg };
	ret = plan(m, idx, cfg, initrd, &ls->plan);
	if (ret)
		return ret;
	d = guest_create_domain(cfg, idx);
	if (!d)
		return -PVKIT_ENOMEM;
	d->builder_data = ls;
	d->rebuild = linux_rebuild;
	/* In the page below the VGA hole that the e820 map reserves. */
	d->shared = (void *)(d->mem + PLATFORM_SHARED_INFO_GPA);
	ret = load_guest(d, ls, &bs);
	if (ret) {
		pr_err("module %u (%s): ACPI tables do not fit (%d)", idx + 1,
		       shown(&p, cfg->path), ret);
		return ret;
	}
	boot_phase("d%u: kernel and initramfs loaded", d->id);
	d->lapic_flags = (cfg->no_x2apic ? 0 : VLAPIC_F_X2APIC) |
			 (cfg->no_tsc_deadline ? 0 : VLAPIC_F_TSC_DEADLINE);
	ret = guest_create_pc(d, cfg, &bs, idx);
	if (ret)
		return ret;
	pr_info("d%u %s: Linux (boot protocol %u.%02u), %lluM, %u vCPU%s, kernel at %#llx, initramfs %lluK, \"%s\"",
		d->id, d->name, ls->plan.li.version >> 8,
		ls->plan.li.version & 0xff,
		(unsigned long long)(d->mem_bytes >> 20), d->nr_vcpus,
		d->nr_vcpus > 1 ? "s" : "",
		(unsigned long long)ls->plan.li.load_gpa,
		(unsigned long long)(ls->plan.initrd_len >> 10),
		shown(&a, cfg->args));
	return 0;
}
