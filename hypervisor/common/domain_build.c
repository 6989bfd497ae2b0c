// SPDX-License-Identifier: GPL-2.0
/*
 * The domain builder: from a Multiboot module and its command line to a
 * domain whose vCPU 0 stands at the guest's entry point in the state
 * hypercall-abi/include/pvkit/start_info.h describes.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/shared_info.h>
#include <pvkit/start_info.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/domain_build.h>
#include <hv/elf.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/vcpu_ops.h>
#include <asm/time.h>

#define BOOT_PT_PAGES	7	/* PML4, PDPT, 4 PDs, GDT */
#define GDT_PAGE	6

struct layout {
	struct elf_image img;
	uint64_t start_info;
	uint64_t shared_info;
	uint64_t cmdline;
	uint64_t cmdline_len;
	uint64_t pt;
	uint64_t free;
};

static int plan_layout(const struct boot_module *m, unsigned int idx,
		       const struct domain_cfg *cfg, struct layout *l)
{
	const char *why = NULL;
	uint64_t len = m->end - m->start;
	int ret;

	ret = elf_check(phys_to_virt(m->start), len, cfg->mem_bytes, &l->img,
			&why);
	if (ret) {
		pr_err("module %u (%s): not a loadable Mini-OS image: %s",
		       idx + 1, cfg->path, why ? why : "invalid ELF");
		return ret;
	}
	l->cmdline_len = strlen(cfg->args);
	l->start_info = ALIGN_UP(l->img.highest, PAGE_SIZE);
	l->shared_info = l->start_info + PAGE_SIZE;
	l->cmdline = l->shared_info + PAGE_SIZE;
	l->pt = l->cmdline + ALIGN_UP(l->cmdline_len + 1, PAGE_SIZE);
	l->free = l->pt + BOOT_PT_PAGES * PAGE_SIZE;
	if (l->free > cfg->mem_bytes) {
		pr_err("module %u (%s): mem=%lluK is too small for the image and its boot data (%lluK)",
		       idx + 1, cfg->path,
		       (unsigned long long)(cfg->mem_bytes >> 10),
		       (unsigned long long)(l->free >> 10));
		return -PVKIT_E2BIG;
	}
	return 0;
}

/* Identity map of [0, 4 GiB) with 2 MiB pages, and a flat GDT. */
static void build_page_tables(struct domain *d, uint64_t pt)
{
	uint64_t *pml4 = (uint64_t *)(d->mem + pt);
	uint64_t *pdpt = pml4 + 512;
	uint64_t *pd = pdpt + 512;
	uint64_t *gdt = (uint64_t *)(d->mem + pt + GDT_PAGE * PAGE_SIZE);

	pml4[0] = (pt + PAGE_SIZE) | 0x7;
	for (int i = 0; i < 4; i++)
		pdpt[i] = (pt + (2 + i) * PAGE_SIZE) | 0x7;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | 0x83;
	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffull;	/* 0x08: 64-bit code */
	gdt[2] = 0x00cf92000000ffffull;	/* 0x10: flat data */
}

static void init_time(struct pvkit_shared_info *s)
{
	struct pvkit_time_info *t = &s->time;

	t->version = 1;
	t->tsc_timestamp = system_time_scale.tsc_base;
	t->system_time_ns = 0;
	t->tsc_to_ns_mul = system_time_scale.mul;
	t->tsc_shift = system_time_scale.shift;
	t->flags = PVKIT_TIME_TSC_STABLE;
	t->tsc_hz = tsc_hz();
	t->wc_sec = wallclock_at_boot;
	t->wc_nsec = 0;
	t->version = 2;
}

static void fill_boot_data(struct domain *d, const struct domain_cfg *cfg,
			   const struct layout *l)
{
	struct pvkit_start_info *si = (void *)(d->mem + l->start_info);

	si->magic = PVKIT_START_INFO_MAGIC;
	si->abi_version = PVKIT_ABI_VERSION;
	si->domid = d->id;
	si->nr_vcpus = cfg->vcpus;
	si->mem_bytes = d->mem_bytes;
	si->shared_info_gpa = l->shared_info;
	si->cmdline_gpa = l->cmdline;
	si->cmdline_len = l->cmdline_len;
	si->pt_gpa = l->pt;
	si->pt_bytes = BOOT_PT_PAGES * PAGE_SIZE;
	si->free_gpa = l->free;
	strlcpy(si->name, d->name, sizeof(si->name));
	memcpy(d->mem + l->cmdline, cfg->args, l->cmdline_len + 1);
	d->shared = (void *)(d->mem + l->shared_info);
	init_time(d->shared);
	build_page_tables(d, l->pt);
}

static int create_vcpus(struct domain *d, const struct domain_cfg *cfg,
			const struct layout *l)
{
	struct vcpu_boot_state bs = {
		.rip = l->img.entry,
		.rsi = l->start_info,
		.cr3 = l->pt,
		.gdt_base = l->pt + GDT_PAGE * PAGE_SIZE,
		.gdt_limit = 3 * 8 - 1,
	};

	for (unsigned int i = 0; i < cfg->vcpus; i++) {
		struct vcpu *v = kzalloc(sizeof(*v));

		if (!v)
			return -PVKIT_ENOMEM;
		v->dom = d;
		v->id = i;
		v->state = VCPU_DOWN;
		if (vcpu_ops->vcpu_init(v, i == 0 ? &bs : NULL)) {
			kfree(v);
			return -PVKIT_ENOMEM;
		}
		d->vcpus[d->nr_vcpus++] = v;
	}
	return 0;
}

static int build_minios(const struct boot_module *m, unsigned int idx,
			const struct domain_cfg *cfg)
{
	struct layout l;
	struct domain *d;
	int ret;

	ret = plan_layout(m, idx, cfg, &l);
	if (ret)
		return ret;
	d = domain_create(cfg);
	if (!d) {
		pr_err("module %u (%s): cannot give it mem=%lluM: %llu MiB free",
		       idx + 1, cfg->path,
		       (unsigned long long)(cfg->mem_bytes >> 20),
		       (unsigned long long)(pages_free_count() >> 8));
		return -PVKIT_ENOMEM;
	}
	elf_load(phys_to_virt(m->start), m->end - m->start, d->mem,
		 d->mem_bytes);
	fill_boot_data(d, cfg, &l);
	ret = create_vcpus(d, cfg, &l);
	if (ret) {
		pr_err("module %u (%s): out of hypervisor memory for vCPUs",
		       idx + 1, cfg->path);
		return ret;
	}
	pr_info("d%u %s: Mini-OS, %lluM, %u vCPU%s, entry %#llx, \"%s\"",
		d->id, d->name, (unsigned long long)(d->mem_bytes >> 20),
		d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "",
		(unsigned long long)l.img.entry, cfg->args);
	return 0;
}

static int parse_all(struct domain_cfg *cfgs)
{
	char err[160];

	if (!boot_info.nr_modules) {
		pr_err("no domain to run: give each guest as a Multiboot module");
		return -PVKIT_EINVAL;
	}
	if (boot_info.nr_modules > CONFIG_MAX_DOMAINS) {
		pr_err("%u modules given, CONFIG_MAX_DOMAINS is %d",
		       boot_info.nr_modules, CONFIG_MAX_DOMAINS);
		return -PVKIT_E2BIG;
	}
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		if (bootcfg_parse_module(boot_info.modules[i].cmdline, i,
					 CONFIG_MAX_VCPUS, &cfgs[i], err,
					 sizeof(err))) {
			pr_err("%s", err);
			return -PVKIT_EINVAL;
		}
		if (cfgs[i].kind != DOMAIN_KIND_MINIOS) {
			pr_err("module %u (%s): only kind=minios domains can be built so far",
			       i + 1, cfgs[i].path);
			return -PVKIT_EINVAL;
		}
	}
	return 0;
}

int domains_build_from_modules(void)
{
	static struct domain_cfg cfgs[BOOT_MAX_MODULES];
	int ret;

	/* Every line is checked before the first domain is built. */
	ret = parse_all(cfgs);
	if (ret)
		return ret;
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		ret = build_minios(&boot_info.modules[i], i, &cfgs[i]);
		if (ret)
			return ret;
	}
	/* Only now may any pCPU see a runnable vCPU. */
	for (unsigned int i = 0; i < nr_domains; i++) {
		struct domain *d = domains[i];

		for (unsigned int j = 0; j < d->nr_vcpus; j++)
			sched_add_vcpu(d->vcpus[j]);
		d->vcpus[0]->state = VCPU_RUNNABLE;
	}
	return 0;
}
