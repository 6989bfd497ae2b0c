// SPDX-License-Identifier: GPL-2.0
/*
 * The Multiboot builder: any Multiboot (v1) kernel on the emulated PC
 * Linux runs on, loaded as QEMU's -kernel loads one.  The kind=data
 * modules that follow it on the hypervisor's command line are its
 * modules, each with "path args" as its string, placed page-aligned
 * above the kernel; its command line is "path args" too (the first word
 * is the program's name, as under QEMU).
 *
 * The loader's area, 100 KiB below 1 MiB that the image does not load
 * into: at 0x1000, or at 0x80000 for an image with a segment there (a
 * real-mode test at 16 KiB, say).  It is RAM in the memory map, as
 * under QEMU, so the kernel may reuse it once it has read the
 * information.  From its start:
 *   0x0000  boot page tables and GDT for the 64-bit start (BOOT_PT_PAGES)
 *   0x7000  the trampoline to 32-bit protected mode, and its stack
 *   0x8000  the Multiboot information, memory map, module list
 *   0x9000  command line and module strings, to MB_AREA_LEN
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/domain.h>
#include <hv/guest_boot.h>
#include <hv/linux_loader.h>
#include <hv/mm.h>
#include <hv/multiboot_loader.h>
#include <hv/pc_platform.h>
#include <hv/platform.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <hv/vcpu_ops.h>

#define MB_PT		0x0000ull
#define MB_TRAMP	0x7000ull
#define MB_INFO		0x8000ull
#define MB_MMAP		(MB_INFO + 0x100)
#define MB_MODS		(MB_INFO + 0x400)
#define MB_STRINGS	0x9000ull
#define MB_AREA_LEN	0x19000ull
#define MB_CS64		0x10
#define MB_DS64		0x18
#define MB_LOADER_NAME	"pvkit"

_Static_assert(MB_PT + BOOT_PT_PAGES * PAGE_SIZE <= MB_TRAMP,
	       "boot tables overlap the trampoline");
_Static_assert(MB_MODS + BOOT_MAX_MODULES * 16 <= MB_STRINGS,
	       "module list overlaps the strings");

static const uint64_t mb_area_at[] = { 0x1000, 0x80000 };
static const struct mb_areas mb_areas = {
	mb_area_at, ARRAY_SIZE(mb_area_at), MB_AREA_LEN
};
_Static_assert(0x80000 + MB_AREA_LEN <= PLATFORM_SHARED_INFO_GPA,
	       "the second area runs into the shared info page");

extern const uint8_t mb_tramp_start[], mb_tramp_end[], mb_tramp_entry[];

struct mb_mod {
	const struct boot_module *bm;
	const struct domain_cfg *cfg;
	uint64_t gpa;
};

/* What a reboot needs to build the domain again. */
struct mb_saved {
	const struct boot_module *kernel;
	struct domain_cfg cfg;
	struct mb_image mi;
	unsigned int nr_mods;
	struct mb_mod mods[BOOT_MAX_MODULES];
};

static void wr32(struct domain *d, uint64_t gpa, uint32_t v)
{
	memcpy(d->mem + gpa, &v, sizeof(v));
}

static void wr64(struct domain *d, uint64_t gpa, uint64_t v)
{
	memcpy(d->mem + gpa, &v, sizeof(v));
}

/* "path args" at *at, below end; its GPA, or 0 when it is full. */
static uint64_t put_string(struct domain *d, uint64_t *at, uint64_t end,
			   const char *path, const char *args)
{
	size_t plen = strlen(path), alen = strlen(args);
	size_t len = plen + (alen ? 1 + alen : 0) + 1;
	uint64_t gpa = *at;
	char *p;

	if (len > end - gpa)
		return 0;
	p = (char *)(d->mem + gpa);
	memcpy(p, path, plen);
	if (alen) {
		p[plen] = ' ';
		memcpy(p + plen + 1, args, alen);
	}
	p[len - 1] = '\0';
	*at += len;
	return gpa;
}

static int place_mods(struct mb_saved *s, uint64_t mem, unsigned int idx,
		      const struct e820_entry *e820, unsigned int nr_e820)
{
	uint64_t at = MAX(s->mi.end_gpa, PLATFORM_HIGHMEM_START);
	struct shown p;

	for (unsigned int i = 0; i < s->nr_mods; i++) {
		struct mb_mod *mm = &s->mods[i];
		uint64_t len = mm->bm->end - mm->bm->start;

		at = (at + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		if (!mb_in_ram(e820, nr_e820, at, len)) {
			pr_err("module %u (%s): does not fit in mem=%lluM above the kernel",
			       idx + 2 + i, shown(&p, mm->cfg->path),
			       (unsigned long long)(mem >> 20));
			return -PVKIT_E2BIG;
		}
		mm->gpa = at;
		at += len;
	}
	return 0;
}

static int write_info(struct domain *d, const struct mb_saved *s,
		      const struct e820_entry *e820, unsigned int nr_e820)
{
	uint64_t info = s->mi.area + MB_INFO, end = s->mi.area + MB_AREA_LEN;
	uint64_t strings = s->mi.area + MB_STRINGS, cmd, name;
	uint32_t flags = MBI_MEMORY | MBI_CMDLINE | MBI_MEM_MAP |
			 MBI_LOADER_NAME | MBI_MODS;

	memset(d->mem + info, 0, MB_STRINGS - MB_INFO);
	cmd = put_string(d, &strings, end, s->cfg.path, s->cfg.args);
	name = put_string(d, &strings, end, MB_LOADER_NAME, "");
	for (unsigned int i = 0; i < nr_e820; i++) {
		uint64_t at = s->mi.area + MB_MMAP + i * 24;

		wr32(d, at, 20);
		wr64(d, at + 4, e820[i].addr);
		wr64(d, at + 12, e820[i].size);
		wr32(d, at + 20, e820[i].type);
	}
	for (unsigned int i = 0; i < s->nr_mods; i++) {
		const struct mb_mod *mm = &s->mods[i];
		uint64_t at = s->mi.area + MB_MODS + i * 16;
		uint64_t str = put_string(d, &strings, end, mm->cfg->path,
					  mm->cfg->args);

		if (!str)
			return -PVKIT_E2BIG;
		wr32(d, at, (uint32_t)mm->gpa);
		wr32(d, at + 4, (uint32_t)(mm->gpa + mm->bm->end - mm->bm->start));
		wr32(d, at + 8, (uint32_t)str);
	}
	if (!cmd || !name)
		return -PVKIT_E2BIG;
	wr32(d, info, flags);
	wr32(d, info + 4, PLATFORM_SHARED_INFO_GPA >> 10);
	wr32(d, info + 8, (d->mem_bytes - PLATFORM_HIGHMEM_START) >> 10);
	wr32(d, info + 16, (uint32_t)cmd);
	wr32(d, info + 20, s->nr_mods);
	wr32(d, info + 24, (uint32_t)(s->mi.area + MB_MODS));
	wr32(d, info + 44, nr_e820 * 24);
	wr32(d, info + 48, (uint32_t)(s->mi.area + MB_MMAP));
	wr32(d, info + 64, (uint32_t)name);
	return 0;
}

static int load_guest(struct domain *d, const struct mb_saved *s,
		      struct vcpu_boot_state *bs)
{
	struct e820_entry e820[GUEST_PC_E820_MAX];
	unsigned int n = guest_pc_e820(d->mem_bytes, e820);
	uint64_t rsdp;
	uint32_t entry = s->mi.entry;
	uint64_t area = s->mi.area;
	int ret;

	ret = guest_pc_acpi(d, s->cfg.vcpus, &rsdp);
	if (ret)
		return ret;
	time_info_init(&d->shared->time);
	mb_load(phys_to_virt(s->kernel->start), &s->mi, d->mem);
	for (unsigned int i = 0; i < s->nr_mods; i++)
		memcpy(d->mem + s->mods[i].gpa,
		       phys_to_virt(s->mods[i].bm->start),
		       s->mods[i].bm->end - s->mods[i].bm->start);
	ret = write_info(d, s, e820, n);
	if (ret)
		return ret;
	memcpy(d->mem + area + MB_TRAMP, mb_tramp_start,
	       (size_t)(mb_tramp_end - mb_tramp_start));
	memcpy(d->mem + area + MB_TRAMP + (mb_tramp_entry - mb_tramp_start),
	       &entry, sizeof(entry));
	*bs = (struct vcpu_boot_state){ 0 };
	guest_boot_tables(d, area + MB_PT, MB_CS64, MB_DS64, bs);
	bs->rip = area + MB_TRAMP;
	bs->rsi = area + MB_INFO;
	return 0;
}

static int mb_reload(struct domain *d, struct vcpu_boot_state *bs)
{
	return load_guest(d, d->builder_data, bs);
}

static int mb_rebuild(struct domain *d)
{
	return guest_pc_rebuild(d, mb_reload);
}

static int plan(struct mb_saved *s, unsigned int idx)
{
	const struct boot_module *m = s->kernel;
	struct e820_entry e820[GUEST_PC_E820_MAX];
	unsigned int n;
	const char *why = "";
	struct shown p;
	int ret;

	if (s->cfg.mem_bytes > PLATFORM_LOWMEM_TOP) {
		pr_err("module %u (%s): mem=%lluM is above the %lluM a Multiboot domain can have",
		       idx + 1, shown(&p, s->cfg.path),
		       (unsigned long long)(s->cfg.mem_bytes >> 20),
		       PLATFORM_LOWMEM_TOP >> 20);
		return -PVKIT_E2BIG;
	}
	n = guest_pc_e820(s->cfg.mem_bytes, e820);
	ret = mb_check(phys_to_virt(m->start), m->end - m->start, e820, n,
		       &mb_areas, &s->mi, &why);
	if (ret) {
		pr_err("module %u (%s): not a bootable Multiboot kernel: %s",
		       idx + 1, shown(&p, s->cfg.path), why);
		return ret;
	}
	return place_mods(s, s->cfg.mem_bytes, idx, e820, n);
}

int multiboot_build(const struct boot_module *m, unsigned int idx,
		    const struct domain_cfg *cfg,
		    const struct boot_module *mods,
		    const struct domain_cfg *mod_cfgs, unsigned int nr_mods)
{
	struct vcpu_boot_state bs;
	struct mb_saved *s = kzalloc(sizeof(*s));
	struct shown p, a;
	struct domain *d;
	int ret;

	if (!s)
		return -PVKIT_ENOMEM;
	s->kernel = m;
	s->cfg = *cfg;
	s->nr_mods = MIN(nr_mods, (unsigned int)BOOT_MAX_MODULES);
	for (unsigned int i = 0; i < s->nr_mods; i++)
		s->mods[i] = (struct mb_mod){ &mods[i], &mod_cfgs[i], 0 };
	ret = plan(s, idx);
	if (ret)
		return ret;
	d = guest_create_domain(cfg, idx);
	if (!d)
		return -PVKIT_ENOMEM;
	d->builder_data = s;
	d->rebuild = mb_rebuild;
	d->shared = (void *)(d->mem + PLATFORM_SHARED_INFO_GPA);
	ret = load_guest(d, s, &bs);
	if (ret) {
		pr_err("module %u (%s): ACPI tables or Multiboot strings do not fit (%d)",
		       idx + 1, shown(&p, cfg->path), ret);
		return ret;
	}
	ret = guest_create_pc(d, cfg, &bs, idx);
	if (ret)
		return ret;
	pr_info("d%u %s: Multiboot kernel (%s), %lluM, %u vCPU%s, entry %#x, %u module%s, \"%s\"",
		d->id, d->name, s->mi.aout ? "address fields" : "ELF32",
		(unsigned long long)(d->mem_bytes >> 20), d->nr_vcpus,
		d->nr_vcpus > 1 ? "s" : "", s->mi.entry, s->nr_mods,
		s->nr_mods == 1 ? "" : "s", shown(&a, cfg->args));
	return 0;
}
