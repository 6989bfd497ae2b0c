// SPDX-License-Identifier: GPL-2.0
/* Multiboot (v1) information: copied into boot_info, then checked. */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/boot.h>
#include <hv/printk.h>

#define MB_BOOT_MAGIC		0x2badb002
#define MB_INFO_MEMORY		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)
#define MB_MMAP_RAM		1

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower;
	uint32_t mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
};

struct mb_module {
	uint32_t mod_start;
	uint32_t mod_end;
	uint32_t string;
	uint32_t reserved;
};

struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __packed;

struct boot_info boot_info;

static void note_loader(uint64_t pa, uint64_t len)
{
	if (pa + len > boot_info.loader_end)
		boot_info.loader_end = pa + len;
}

static int copy_string(char *dst, uint32_t pa, const char *what)
{
	const char *src = (const char *)(uintptr_t)pa;
	size_t n;

	dst[0] = '\0';
	if (!pa)
		return 0;
	n = strnlen(src, BOOT_CMDLINE_MAX);
	note_loader(pa, n + 1);
	if (n == BOOT_CMDLINE_MAX) {
		pr_err("boot: %s is longer than %d bytes", what,
		       BOOT_CMDLINE_MAX - 1);
		return -PVKIT_E2BIG;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

static int parse_mmap(const struct mb_info *mbi)
{
	uint64_t off = 0;

	note_loader(mbi->mmap_addr, mbi->mmap_length);
	while (off + sizeof(uint32_t) <= mbi->mmap_length) {
		const struct mb_mmap_entry *e =
			(const void *)(uintptr_t)(mbi->mmap_addr + off);
		struct mem_range *r;

		if (e->size < 20 || off + e->size + 4 > mbi->mmap_length) {
			pr_err("boot: malformed Multiboot memory map entry");
			return -PVKIT_EINVAL;
		}
		off += e->size + 4;
		if (e->type != MB_MMAP_RAM || !e->len ||
		    e->addr + e->len < e->addr)
			continue;
		if (boot_info.nr_ram == BOOT_MAX_RANGES) {
			pr_warn("boot: more than %d RAM ranges, ignoring the rest",
				BOOT_MAX_RANGES);
			break;
		}
		r = &boot_info.ram[boot_info.nr_ram++];
		r->start = e->addr;
		r->end = e->addr + e->len;
	}
	return 0;
}

static int parse_modules(const struct mb_info *mbi)
{
	const struct mb_module *m = (const void *)(uintptr_t)mbi->mods_addr;
	struct shown cmd;
	char what[32];

	if (mbi->mods_count > BOOT_MAX_MODULES) {
		pr_err("boot: %u modules given, at most %d supported",
		       mbi->mods_count, BOOT_MAX_MODULES);
		return -PVKIT_E2BIG;
	}
	note_loader(mbi->mods_addr, mbi->mods_count * sizeof(*m));
	for (unsigned int i = 0; i < mbi->mods_count; i++) {
		struct boot_module *bm = &boot_info.modules[i];

		snprintf(what, sizeof(what), "module %u command line", i + 1);
		if (copy_string(bm->cmdline, m[i].string, what))
			return -PVKIT_E2BIG;
		if (m[i].mod_end <= m[i].mod_start) {
			pr_err("boot: module %u (%s) is empty or malformed",
			       i + 1, shown(&cmd, bm->cmdline));
			return -PVKIT_EINVAL;
		}
		bm->start = m[i].mod_start;
		bm->end = m[i].mod_end;
		note_loader(bm->start, bm->end - bm->start);
	}
	boot_info.nr_modules = mbi->mods_count;
	return 0;
}

int multiboot_parse(uint32_t magic, uint32_t info_pa)
{
	const struct mb_info *mbi = (const void *)(uintptr_t)info_pa;
	int ret;

	note_loader(info_pa, sizeof(*mbi));
	if (magic != MB_BOOT_MAGIC || !info_pa) {
		pr_err("boot: not started by a Multiboot loader (magic %#x)",
		       magic);
		return -PVKIT_EINVAL;
	}
	if (mbi->flags & MB_INFO_CMDLINE) {
		ret = copy_string(boot_info.cmdline, mbi->cmdline,
				  "hypervisor command line");
		if (ret)
			return ret;
	}
	if (!(mbi->flags & MB_INFO_MMAP)) {
		pr_err("boot: the loader gave no memory map");
		return -PVKIT_EINVAL;
	}
	ret = parse_mmap(mbi);
	if (ret)
		return ret;
	if (mbi->flags & MB_INFO_MODS)
		return parse_modules(mbi);
	return 0;
}
