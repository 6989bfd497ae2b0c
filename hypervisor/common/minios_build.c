// SPDX-License-Identifier: GPL-2.0
/*
 * The Mini-OS builder: an ELF64 image from a Multiboot module, started in
 * the state hypercall-abi/include/pvkit/start_info.h describes.
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
#include <hv/elf.h>
#include <hv/guest_boot.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <asm/time.h>

/* Selectors of the ABI's entry state (start_info.h). */
#define MINIOS_CS	0x08
#define MINIOS_DS	0x10

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
	struct shown p;
	int ret;

	ret = elf_check(phys_to_virt(m->start), len, cfg->mem_bytes, &l->img,
			&why);
	if (ret) {
		pr_err("module %u (%s): not a loadable Mini-OS image: %s",
		       idx + 1, shown(&p, cfg->path), why ? why : "invalid ELF");
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
		       idx + 1, shown(&p, cfg->path),
		       (unsigned long long)(cfg->mem_bytes >> 10),
		       (unsigned long long)(l->free >> 10));
		return -PVKIT_E2BIG;
	}
	return 0;
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
	time_info_init(&d->shared->time);
}

int minios_build(const struct boot_module *m, unsigned int idx,
		 const struct domain_cfg *cfg)
{
	struct vcpu_boot_state bs;
	struct layout l;
	struct shown p, a;
	struct domain *d;
	int ret;

	ret = plan_layout(m, idx, cfg, &l);
	if (ret)
		return ret;
	d = guest_create_domain(cfg, idx);
	if (!d)
		return -PVKIT_ENOMEM;
	elf_load(phys_to_virt(m->start), m->end - m->start, d->mem,
		 d->mem_bytes);
	fill_boot_data(d, cfg, &l);
	bs.rip = l.img.entry;
	bs.rsi = l.start_info;
	guest_boot_tables(d, l.pt, MINIOS_CS, MINIOS_DS, &bs);
	ret = guest_create_vcpus(d, cfg->vcpus, &bs);
	if (ret) {
		pr_err("module %u (%s): out of hypervisor memory for vCPUs",
		       idx + 1, shown(&p, cfg->path));
		return ret;
	}
	pr_info("d%u %s: Mini-OS, %lluM, %u vCPU%s, entry %#llx, \"%s\"",
		d->id, d->name, (unsigned long long)(d->mem_bytes >> 20),
		d->nr_vcpus, d->nr_vcpus > 1 ? "s" : "",
		(unsigned long long)l.img.entry, shown(&a, cfg->args));
	return 0;
}
