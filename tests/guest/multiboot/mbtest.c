// SPDX-License-Identifier: GPL-2.0
/*
 * A Multiboot (v1) test kernel for pvkit's Multiboot guests: checks the
 * loader's entry state, the information structure (command line,
 * modules, memory map), QEMU's fw_cfg, AMD's legacy performance
 * counters, then ends its domain through
 * isa-debug-exit with the number of failed cases, or with the value of
 * "exit=N" on its command line when one is given.  KTAP on COM1.
 *
 * Its command line says what to expect:
 *   mods=N   modules, module i holding the text "module-<i>" and with
 *            "tag=<i>" at the end of its string
 *   mem=M    RAM in MiB (fw_cfg and the memory map must agree)
 *   cpus=N   vCPUs (fw_cfg)
 *   pitcal   instead of all that, Linux's two PIT calibrations of the
 *            TSC replayed against the platform's 8254 (pitcal.c)
 */
#include "mbtest.h"

#define FW_SEL		0x510
#define FW_DATA		0x511
#define DEBUG_EXIT	0xf4

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, loader_name;
} __attribute__((packed));

struct mb_mod {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

extern char _start[], _end[];
static bool prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return false;
	return true;
}

static const char *find(const char *s, const char *key)
{
	const char *k = key;

	while (*k)
		k++;
	for (; *s; s++)
		if (prefix(s, key))
			return s + (k - key);
	return 0;
}

/* The number after key= on the command line, or def. */
static uint32_t arg(const char *cmd, const char *key, uint32_t def)
{
	const char *p = find(cmd, key);
	uint32_t v = 0;

	if (!p || *p < '0' || *p > '9')
		return def;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint32_t)(*p++ - '0');
	return v;
}

static bool ends_with(const char *s, const char *tail)
{
	const char *e = s, *t = tail;

	while (*e)
		e++;
	while (*t)
		t++;
	while (t > tail)
		if (e == s || *--e != *--t)
			return false;
	return true;
}

static uint64_t fw_cfg_read(uint16_t key, unsigned int len)
{
	uint64_t v = 0;

	outw(FW_SEL, key);
	for (unsigned int i = 0; i < len; i++)
		v |= (uint64_t)inb(FW_DATA) << (8 * i);
	return v;
}

static void check_mods(const struct mb_info *mbi, const char *cmd)
{
	const struct mb_mod *m = (const struct mb_mod *)mbi->mods_addr;
	uint32_t want = arg(cmd, "mods=", 0), above = (uint32_t)_end;
	bool ok = (mbi->flags & 8) && mbi->mods_count == want;

	diag("modules ", mbi->mods_count);
	for (uint32_t i = 0; ok && i < mbi->mods_count; i++) {
		char text[] = "module-0", tag[] = "tag=0";
		const char *s = (const char *)m[i].string;

		text[7] += i + 1;
		tag[4] += i + 1;
		puts("# module string: ");
		puts(s);
		putc('\n');
		ok = !(m[i].start & 0xfff) && m[i].start >= above &&
		     m[i].end - m[i].start >= sizeof(text) - 1 &&
		     prefix((const char *)m[i].start, text) &&
		     ends_with(s, tag);
		above = m[i].end;
	}
	result(ok, "modules_page_aligned_in_order_with_strings");
}

/* RAM in the map: below 640K as mem_lower says, the rest from 1 MiB. */
static void check_mmap(const struct mb_info *mbi, uint64_t ram)
{
	const uint8_t *p = (const uint8_t *)mbi->mmap_addr;
	const uint8_t *end = p + mbi->mmap_length;
	uint64_t low = 0, high = 0;
	bool acpi = false;

	while (p < end) {
		const struct mb_mmap *e = (const struct mb_mmap *)p;

		if (e->type == 1 && e->addr == 0)
			low = e->len;
		if (e->type == 1 && e->addr == 0x100000)
			high = e->len;
		acpi |= e->type == 3;
		p += e->size + 4;
	}
	diag("mem_lower KiB ", mbi->mem_lower);
	diag("mem_upper KiB ", mbi->mem_upper);
	result((mbi->flags & 0x41) == 0x41 && low == mbi->mem_lower * 1024ull &&
	       high == mbi->mem_upper * 1024ull && acpi &&
	       high + 0x100000 == ram, "memory_map_matches_mem_fields");
}

static void check_fw_cfg(const char *cmd)
{
	uint64_t ram = fw_cfg_read(0x03, 8);
	uint32_t cpus = (uint32_t)fw_cfg_read(0x05, 2);

	result(fw_cfg_read(0x00, 4) == 0x554d4551, "fw_cfg_signature");
	diag("fw_cfg RAM MiB ", (uint32_t)(ram >> 20));
	diag("fw_cfg CPUs ", cpus);
	result(ram == (uint64_t)arg(cmd, "mem=", 0) << 20 &&
	       cpus == arg(cmd, "cpus=", 0), "fw_cfg_ram_and_cpus");
}

static void cpuid0(uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
			 "=d"(r[3]) : "a"(0), "c"(0));
}

/*
 * AMD's legacy performance counters exist on every AMD CPU, CPUID or
 * not, and test suites zero them at start: no #GP (which would end this
 * kernel, it has no IDT), and a counter that counts nothing reads 0.
 */
static void check_perf_msrs(void)
{
	uint32_t r[4], lo, hi;

	cpuid0(r);
	if (r[1] != 0x68747541) {		/* "Auth" */
		ktap_tests++;
		puts("ok ");
		putu(ktap_tests);
		puts(" amd_legacy_perf_counters # SKIP not an AMD CPU\n");
		return;
	}
	__asm__ volatile("wrmsr" : : "c"(0xc0010000), "a"(0), "d"(0));
	__asm__ volatile("wrmsr" : : "c"(0xc0010004), "a"(0x1234), "d"(0));
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0xc0010004));
	result(!lo && !hi, "amd_legacy_perf_counters");
}

/*
 * The zeroed segment at 16 KiB (-DLOW) is all zeros: the loader kept its
 * boot tables, which would lie there, somewhere else.
 */
static void check_low(const struct mb_info *mbi)
{
	const volatile uint32_t *p = (const volatile uint32_t *)0x4000;
	uint32_t set = 0;

	for (unsigned int i = 0; i < 1024; i++)
		set |= p[i];
	diag("Multiboot information at ", (uint32_t)mbi);
	result(!set && (uint32_t)mbi >= 0x5000, "segment_at_16k_left_alone");
}

void mbtest_main(uint32_t magic, const struct mb_info *mbi, uint32_t cr0)
{
	const char *cmd = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
	bool low = find(cmd, " low");

	if (find(cmd, " irqonce")) {
		irqonce_run();
		outb(DEBUG_EXIT, (uint8_t)ktap_failed);
		return;
	}
	if (find(cmd, " cr4")) {
		cr4_run();
		outb(DEBUG_EXIT, (uint8_t)ktap_failed);
		return;
	}
	if (find(cmd, " nmi")) {
		nmi_run();
		outb(DEBUG_EXIT, (uint8_t)ktap_failed);
		return;
	}
	if (find(cmd, " pitcal")) {
		pitcal_run();
		outb(DEBUG_EXIT, (uint8_t)arg(cmd, "exit=", ktap_failed));
		return;
	}
	puts(low ? "KTAP version 1\n1..9\n" : "KTAP version 1\n1..8\n");
	result(magic == 0x2badb002, "eax_holds_the_boot_magic");
	result((cr0 & 0x80000001) == 1, "protected_mode_paging_off");
	puts("# command line: ");
	puts(cmd);
	putc('\n');
	result(!prefix(cmd, " ") && find(cmd, " mods="),
	       "command_line_after_the_path");
	check_mods(mbi, cmd);
	check_mmap(mbi, (uint64_t)arg(cmd, "mem=", 0) << 20);
	check_fw_cfg(cmd);
	check_perf_msrs();
	if (low)
		check_low(mbi);
	puts("# mbtest: ");
	putu(ktap_failed);
	puts(" failed\n");
	outb(DEBUG_EXIT, (uint8_t)arg(cmd, "exit=", ktap_failed));
	puts("# still running after the debug-exit write\n");
}
