// SPDX-License-Identifier: GPL-2.0
/*
 * linux_check(), linux_place_initrd() and linux_load() against setup
 * headers built here (one field changed at a time from a plausible
 * 2.15 bzImage) and, when one is installed, the real Debian kernel.
 * The expected boot_params is rebuilt here from the boot protocol's
 * offsets (Documentation/arch/x86/boot.rst, zero-page.rst), not from the
 * loader's own tables.
 *
 * With "--seeds DIR" the binary writes the synthetic images as files
 * for the fuzz suite to start from, and runs no tests.
 */
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <pvkit/errno.h>
#include <hv/linux_loader.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Setup header and boot_params offsets. */
#define O_ACPI_RSDP	0x070
#define O_EXT_RD_IMAGE	0x0c0
#define O_EXT_RD_SIZE	0x0c4
#define O_EXT_CMDLINE	0x0c8
#define O_E820_ENTRIES	0x1e8
#define O_SETUP_SECTS	0x1f1
#define O_SYSSIZE	0x1f4
#define O_BOOT_FLAG	0x1fe
#define O_JUMP		0x200
#define O_MAGIC		0x202
#define O_VERSION	0x206
#define O_LOADER	0x210
#define O_LOADFLAGS	0x211
#define O_RD_IMAGE	0x218
#define O_RD_SIZE	0x21c
#define O_CMDLINE	0x228
#define O_INITRD_MAX	0x22c
#define O_ALIGN		0x230
#define O_RELOC		0x234
#define O_XLOADFLAGS	0x236
#define O_CMDLINE_SIZE	0x238
#define O_PREF		0x258
#define O_INIT_SIZE	0x260
#define O_E820_TABLE	0x2d0
#define HDR_END_MIN	0x264	/* the header must reach past init_size */
#define HDR_ROOM_END	0x290	/* where boot_params' next field starts */

#define XLF_64		0x1
#define XLF_ABOVE_4G	0x2

#define IMG_LEN		(16u << 10)
#define IMG_CAP		(64u << 10)
#define SECTS		4
#define PM_OFF		((SECTS + 1) * 512)
#define PM_LEN		(IMG_LEN - PM_OFF)
#define MEM		(32ull << 20)
#define PREF		0x1000000ull
#define INIT_SIZE	0x40000ull
#define MiB		(1ull << 20)
#define GiB		(1ull << 30)

#define BP_GPA		0x10000ull
#define CMDLINE_GPA	0x20000ull
#define RSDP_GPA	0xe0000ull
#define FILL		0xa5

static uint8_t img[IMG_CAP];

static void put(uint8_t *p, size_t off, uint64_t v, size_t n)
{
	memcpy(p + off, &v, n);
}

static uint64_t get(const uint8_t *p, size_t off, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p + off, n);
	return v;
}

/*
 * A relocatable 64-bit kernel preferring 16 MiB, 2 MiB aligned, with
 * init_size 256 KiB, syssize covering an IMG_LEN file.  Every byte the
 * loader does not interpret holds a position-dependent pattern, so a
 * copy from the wrong place shows.
 */
static void build_image(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + (i >> 8) + 1);
	put(p, O_SETUP_SECTS, SECTS, 1);
	put(p, O_SYSSIZE, PM_LEN / 16, 4);	/* all of IMG_LEN */
	put(p, O_BOOT_FLAG, 0xaa55, 2);
	put(p, O_JUMP, 0xeb, 1);
	put(p, O_JUMP + 1, 0x268 - 0x202, 1);	/* header up to 2.15's */
	put(p, O_MAGIC, 0x53726448, 4);	/* "HdrS" */
	put(p, O_VERSION, 0x020f, 2);
	put(p, O_LOADFLAGS, 0x80, 1);	/* CAN_USE_HEAP, not LOADED_HIGH */
	put(p, O_INITRD_MAX, 0x7fffffff, 4);
	put(p, O_ALIGN, 2 * MiB, 4);
	put(p, O_RELOC, 1, 1);
	put(p, O_XLOADFLAGS, XLF_64 | XLF_ABOVE_4G, 2);
	put(p, O_CMDLINE_SIZE, 2047, 4);
	put(p, O_PREF, PREF, 8);
	put(p, O_INIT_SIZE, INIT_SIZE, 4);
}

/* ---- linux_check() ---- */

struct patch {
	uint16_t off;
	uint8_t size;		/* 0 ends the list */
	uint64_t val;
};

struct check_case {
	const char *name;
	size_t len;		/* 0: IMG_LEN */
	uint64_t mem;		/* 0: MEM */
	struct patch patch[5];
	int err;
	uint64_t load;		/* expected load_gpa when err == 0 */
	size_t pm_off;		/* 0: PM_OFF */
};

static const struct check_case check_cases[] = {
	/* Accepted. */
	{ "relocatable at pref_address", .load = PREF },
	{ "fixed address", .patch = { { O_RELOC, 1, 0 } }, .load = PREF },
	{ "protocol 2.12", .patch = { { O_VERSION, 2, 0x020c } },
	  .load = PREF },
	{ "fixed, pref_address at the end of RAM",
	  .patch = { { O_RELOC, 1, 0 }, { O_PREF, 8, MEM - INIT_SIZE } },
	  .load = MEM - INIT_SIZE },
	{ "relocatable, pref_address at the end of RAM",
	  .patch = { { O_PREF, 8, MEM - INIT_SIZE } },
	  .load = MEM - INIT_SIZE },
	{ "relocatable, pref_address past RAM: 2 MiB aligned above 1 MiB",
	  .patch = { { O_PREF, 8, MEM } }, .load = 2 * MiB },
	{ "relocatable, pref_address below 1 MiB: moved up",
	  .patch = { { O_PREF, 8, 0x80000 } }, .load = 2 * MiB },
	{ "relocatable, kernel_alignment 0",
	  .patch = { { O_PREF, 8, MEM }, { O_ALIGN, 4, 0 } },
	  .load = MiB },
	{ "relocatable, kernel_alignment 4 KiB",
	  .patch = { { O_PREF, 8, MEM }, { O_ALIGN, 4, 0x1000 } },
	  .load = MiB },
	{ "relocatable, kernel_alignment 16 MiB",
	  .patch = { { O_PREF, 8, MEM }, { O_ALIGN, 4, 16 * MiB } },
	  .load = 16 * MiB },
	{ "relocatable, pref_address overflowing with init_size",
	  .patch = { { O_PREF, 8, ~0ull - 0x1000 } }, .load = 2 * MiB },
	{ "setup_sects 0 means 4", .patch = { { O_SETUP_SECTS, 1, 0 } },
	  .load = PREF, .pm_off = 5 * 512 },
	{ "setup_sects 1", .patch = { { O_SETUP_SECTS, 1, 1 } },
	  .load = PREF, .pm_off = 2 * 512 },
	{ "kernel just long enough for its 64-bit entry",
	  .len = 0x1201, .patch = { { O_SETUP_SECTS, 1, 7 },
	  { O_SYSSIZE, 4, 0x20 } },
	  .load = PREF, .pm_off = 8 * 512 },
	{ "init_size equal to the payload",
	  .patch = { { O_INIT_SIZE, 4, PM_LEN } }, .load = PREF },
	{ "header ends right after init_size",
	  .patch = { { O_JUMP + 1, 1, HDR_END_MIN - 0x202 } }, .load = PREF },
	{ "header fills its room in boot_params",
	  .patch = { { O_JUMP + 1, 1, HDR_ROOM_END - 0x202 } },
	  .load = PREF },
	{ "bytes after syssize (an appended signature)",
	  .patch = { { O_SYSSIZE, 4, PM_LEN / 16 - 92 } }, .load = PREF },

	/* Refused. */
	{ "short file", .len = 0xfff, .err = -PVKIT_EINVAL },
	{ "bad boot flag", .patch = { { O_BOOT_FLAG, 2, 0xaa56 } },
	  .err = -PVKIT_EINVAL },
	{ "no HdrS", .patch = { { O_MAGIC, 4, 0x53726449 } },
	  .err = -PVKIT_EINVAL },
	{ "protocol 2.11", .patch = { { O_VERSION, 2, 0x020b } },
	  .err = -PVKIT_EINVAL },
	{ "no XLF_KERNEL_64", .patch = { { O_XLOADFLAGS, 2, XLF_ABOVE_4G } },
	  .err = -PVKIT_EINVAL },
	{ "setup_sects 255 past the end",
	  .patch = { { O_SETUP_SECTS, 1, 255 } }, .err = -PVKIT_EINVAL },
	{ "setup sectors end exactly at the end",
	  .patch = { { O_SETUP_SECTS, 1, IMG_LEN / 512 - 1 } },
	  .err = -PVKIT_EINVAL },
	{ "setup sectors fill a 0x1000-byte file",
	  .len = 0x1000, .patch = { { O_SETUP_SECTS, 1, 7 } },
	  .err = -PVKIT_EINVAL },
	{ "kernel too short to hold its 64-bit entry",
	  .len = 0x1200, .patch = { { O_SETUP_SECTS, 1, 7 } },
	  .err = -PVKIT_EINVAL },
	{ "fixed at the end of RAM, entry past it",
	  .len = 0x1100, .patch = { { O_SETUP_SECTS, 1, 7 },
	  { O_RELOC, 1, 0 }, { O_PREF, 8, MEM - 0x100 },
	  { O_INIT_SIZE, 4, 0x100 } },
	  .err = -PVKIT_EINVAL },
	{ "truncated: one byte short of syssize", .len = IMG_LEN - 1,
	  .err = -PVKIT_EINVAL },
	{ "truncated: half of syssize", .len = PM_OFF + PM_LEN / 2,
	  .err = -PVKIT_EINVAL },
	{ "syssize one unit past the end",
	  .patch = { { O_SYSSIZE, 4, PM_LEN / 16 + 1 } },
	  .err = -PVKIT_EINVAL },
	{ "syssize 0", .patch = { { O_SYSSIZE, 4, 0 } },
	  .err = -PVKIT_EINVAL },
	{ "syssize 0xffffffff", .patch = { { O_SYSSIZE, 4, 0xffffffff } },
	  .err = -PVKIT_EINVAL },
	{ "header ends before init_size",
	  .patch = { { O_JUMP + 1, 1, HDR_END_MIN - 0x202 - 1 } },
	  .err = -PVKIT_EINVAL },
	{ "header runs past its room in boot_params",
	  .patch = { { O_JUMP + 1, 1, HDR_ROOM_END - 0x202 + 1 } },
	  .err = -PVKIT_EINVAL },
	{ "header jump 0xff", .patch = { { O_JUMP + 1, 1, 0xff } },
	  .err = -PVKIT_EINVAL },
	{ "init_size smaller than the payload",
	  .patch = { { O_INIT_SIZE, 4, PM_LEN - 1 } }, .err = -PVKIT_EINVAL },
	{ "init_size 0", .patch = { { O_INIT_SIZE, 4, 0 } },
	  .err = -PVKIT_EINVAL },
	{ "fixed, init_size past the end of RAM",
	  .patch = { { O_RELOC, 1, 0 }, { O_INIT_SIZE, 4, MEM - PREF + 1 } },
	  .err = -PVKIT_ERANGE },
	{ "relocatable, init_size larger than RAM",
	  .patch = { { O_INIT_SIZE, 4, MEM } }, .err = -PVKIT_ERANGE },
	{ "init_size 4 GiB - 1", .patch = { { O_INIT_SIZE, 4, 0xffffffff } },
	  .err = -PVKIT_ERANGE },
	{ "kernel_alignment not a power of two",
	  .patch = { { O_ALIGN, 4, 3 * MiB } }, .err = -PVKIT_EINVAL },
	{ "fixed, pref_address below 1 MiB",
	  .patch = { { O_RELOC, 1, 0 }, { O_PREF, 8, 0x80000 } },
	  .err = -PVKIT_ERANGE },
	{ "fixed, pref_address past RAM",
	  .patch = { { O_RELOC, 1, 0 }, { O_PREF, 8, MEM } },
	  .err = -PVKIT_ERANGE },
	{ "fixed, pref_address near 2^64",
	  .patch = { { O_RELOC, 1, 0 }, { O_PREF, 8, ~0ull - 0xfff } },
	  .err = -PVKIT_ERANGE },
	{ "relocatable, alignment pushes it past RAM",
	  .patch = { { O_PREF, 8, MEM }, { O_ALIGN, 4, 0x80000000 } },
	  .err = -PVKIT_ERANGE },
	{ "no guest memory", .mem = 1, .err = -PVKIT_ERANGE },
};

static void run_check_case(const struct check_case *c)
{
	size_t len = c->len ? c->len : IMG_LEN;
	uint64_t mem = c->mem ? c->mem : MEM;
	struct linux_image li, before;
	const char *why = NULL;
	int ret;

	build_image(img, IMG_CAP);
	for (const struct patch *p = c->patch; p->size; p++)
		put(img, p->off, p->val, p->size);
	memset(&li, 0x5a, sizeof(li));
	before = li;
	ret = linux_check(img, len, mem, &li, &why);
	if (ret != c->err)
		ktap_diag("case \"%s\": %d, expected %d (%s)", c->name, ret,
			  c->err, why ? why : "no reason");
	EXPECT_EQ(ret, c->err);
	if (c->err) {
		EXPECT(why != NULL && why[0]);
		/* Refused: *li left alone. */
		EXPECT_MEMEQ(&li, &before, sizeof(li));
		return;
	}
	EXPECT_EQ(li.load_gpa, c->load);
	EXPECT_EQ(li.entry_gpa, c->load + 0x200);
	EXPECT_EQ(li.end_gpa, c->load + get(img, O_INIT_SIZE, 4));
	EXPECT(li.end_gpa <= mem);
	EXPECT_EQ(li.pm_offset, c->pm_off ? c->pm_off : PM_OFF);
	EXPECT_EQ(li.pm_offset + li.pm_len, len);
	EXPECT_EQ(li.version, get(img, O_VERSION, 2));
	EXPECT_EQ(li.setup_len, 0x202 + img[O_JUMP + 1] - O_SETUP_SECTS);
}

static void test_check_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(check_cases); i++)
		run_check_case(&check_cases[i]);
}

static void test_check_initrd_max(void)
{
	struct linux_image li;
	const char *why;

	build_image(img, IMG_LEN);
	EXPECT_EQ(linux_check(img, IMG_LEN, MEM, &li, &why), 0);
	EXPECT_EQ(li.initrd_max, ~0ull);
	put(img, O_XLOADFLAGS, XLF_64, 2);
	EXPECT_EQ(linux_check(img, IMG_LEN, MEM, &li, &why), 0);
	EXPECT_EQ(li.initrd_max, 0x80000000ull);
	put(img, O_INITRD_MAX, 0xffffffff, 4);
	EXPECT_EQ(linux_check(img, IMG_LEN, MEM, &li, &why), 0);
	EXPECT_EQ(li.initrd_max, 0x100000000ull);
}

/* The installed Debian kernel, if there is one. */
static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET))
		goto close_file;
	buf = malloc(n);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*len = n;
close_file:
	fclose(f);
	return buf;
}

/* Cut short, it is refused; without what follows syssize, it is not. */
static void real_kernel_truncated(const uint8_t *k, size_t len, uint64_t mem)
{
	size_t pm_off = ((k[O_SETUP_SECTS] ? k[O_SETUP_SECTS] : 4) + 1) * 512;
	size_t end = pm_off + get(k, O_SYSSIZE, 4) * 16;
	struct linux_image li;
	const char *why = NULL;

	EXPECT(end <= len);
	ktap_diag("kernel ends at %#zx of %#zx bytes", end, len);
	EXPECT_EQ(linux_check(k, 1 << 20, mem, &li, &why), -PVKIT_EINVAL);
	EXPECT(why && strstr(why, "truncated"));
	EXPECT_EQ(linux_check(k, end - 1, mem, &li, &why), -PVKIT_EINVAL);
	EXPECT_EQ(linux_check(k, end, mem, &li, &why), 0);
}

static void test_real_kernel(void)
{
	uint64_t mem = 256 * MiB;
	struct linux_boot b = { .cmdline = "console=ttyS0",
				.boot_params_gpa = BP_GPA,
				.cmdline_gpa = CMDLINE_GPA };
	struct linux_image li;
	const char *why = NULL;
	uint8_t *k, *g;
	glob_t gl;
	size_t len;

	if (glob("/boot/vmlinuz-*", 0, NULL, &gl) || !gl.gl_pathc) {
		ktap_skip("no /boot/vmlinuz-*");
		return;
	}
	ktap_diag("%s", gl.gl_pathv[0]);
	k = read_file(gl.gl_pathv[0], &len);
	globfree(&gl);
	if (!k) {
		ktap_skip("kernel image not readable");
		return;
	}
	EXPECT_EQ(linux_check(k, len, mem, &li, &why), 0);
	if (why)
		ktap_diag("refused: %s", why);
	real_kernel_truncated(k, len, mem);
	EXPECT_EQ(li.load_gpa, 0x1000000);
	EXPECT_EQ(li.entry_gpa, 0x1000200);
	EXPECT(li.version >= 0x020c);
	EXPECT_EQ(li.end_gpa, li.load_gpa + get(k, O_INIT_SIZE, 4));
	ktap_diag("protocol %x, init_size %#llx, pm %zu bytes", li.version,
		  (unsigned long long)(li.end_gpa - li.load_gpa), li.pm_len);
	g = malloc(mem);
	if (g && li.end_gpa <= mem) {
		linux_load(k, len, &li, g, mem, &b);
		EXPECT_MEMEQ(g + li.load_gpa, k + li.pm_offset, li.pm_len);
		EXPECT_MEMEQ(g + BP_GPA + O_MAGIC, "HdrS", 4);
		EXPECT_STREQ((char *)g + CMDLINE_GPA, "console=ttyS0");
	}
	free(g);
	free(k);
}

/* ---- linux_place_initrd() ---- */

static void check_image(uint64_t mem, uint16_t xlf, uint32_t initrd_max,
			struct linux_image *li)
{
	const char *why = NULL;

	build_image(img, IMG_LEN);
	put(img, O_XLOADFLAGS, xlf, 2);
	put(img, O_INITRD_MAX, initrd_max, 4);
	EXPECT_EQ(linux_check(img, IMG_LEN, mem, li, &why), 0);
}

static void test_initrd_top_of_ram(void)
{
	struct linux_image li;
	uint64_t gpa = 0;

	check_image(MEM, XLF_64, 0xffffffff, &li);
	EXPECT_EQ(linux_place_initrd(&li, MEM, 5000, &gpa, NULL), 0);
	EXPECT_EQ(gpa, (MEM - 5000) & ~0xfffull);
	EXPECT_EQ(linux_place_initrd(&li, MEM, 8192, &gpa, NULL), 0);
	EXPECT_EQ(gpa, MEM - 8192);
	EXPECT_EQ(linux_place_initrd(&li, MEM, 0, &gpa, NULL), 0);
	EXPECT_EQ(gpa, MEM);
}

static void test_initrd_addr_max(void)
{
	struct linux_image li;
	uint64_t gpa = 0;

	/* 3 GiB of RAM, the kernel takes the initramfs below 2 GiB. */
	check_image(3 * GiB, XLF_64, 0x7fffffff, &li);
	EXPECT_EQ(linux_place_initrd(&li, 3 * GiB, 5000, &gpa, NULL), 0);
	EXPECT_EQ(gpa, (2 * GiB - 5000) & ~0xfffull);
	EXPECT(gpa + 5000 <= 2 * GiB);
	/* initrd_addr_max names the last byte: a page ending there fits. */
	EXPECT_EQ(linux_place_initrd(&li, 3 * GiB, 4096, &gpa, NULL), 0);
	EXPECT_EQ(gpa, 2 * GiB - 4096);
	/* 8 GiB without XLF_CAN_BE_LOADED_ABOVE_4G: under 4 GiB. */
	check_image(8 * GiB, XLF_64, 0xffffffff, &li);
	EXPECT_EQ(linux_place_initrd(&li, 8 * GiB, 1 * MiB, &gpa, NULL), 0);
	EXPECT_EQ(gpa, 4 * GiB - MiB);
}

static void test_initrd_above_4g(void)
{
	struct linux_image li;
	uint64_t gpa = 0;

	check_image(8 * GiB, XLF_64 | XLF_ABOVE_4G, 0x7fffffff, &li);
	EXPECT_EQ(linux_place_initrd(&li, 8 * GiB, 1 * MiB, &gpa, NULL), 0);
	EXPECT_EQ(gpa, 8 * GiB - MiB);
	/* Largest size the 32-bit-sized fields still describe. */
	EXPECT_EQ(linux_place_initrd(&li, 8 * GiB, 0xffffffffull, &gpa,
				     NULL), 0);
	EXPECT_EQ(gpa, (8 * GiB - 0xffffffffull) & ~0xfffull);
}

static void test_initrd_refused(void)
{
	struct linux_image li;
	uint64_t gpa = 0x1234;
	const char *why;

	check_image(MEM, XLF_64, 0xffffffff, &li);
	why = NULL;
	EXPECT_EQ(linux_place_initrd(&li, MEM, MEM + 1, &gpa, &why),
		  -PVKIT_E2BIG);
	EXPECT(why != NULL);
	/* Fits in RAM but would overlap the kernel's init_size. */
	why = NULL;
	EXPECT_EQ(linux_place_initrd(&li, MEM, MEM - li.end_gpa + 1, &gpa,
				     &why), -PVKIT_E2BIG);
	EXPECT(why != NULL);
	/* Exactly the room above the kernel is enough. */
	EXPECT_EQ(linux_place_initrd(&li, MEM, MEM - li.end_gpa, &gpa, NULL),
		  0);
	EXPECT_EQ(gpa, li.end_gpa);
	/* Room only above initrd_addr_max does not count. */
	check_image(MEM, XLF_64, PREF + INIT_SIZE + 0xfff, &li);
	why = NULL;
	EXPECT_EQ(linux_place_initrd(&li, MEM, 0x2000, &gpa, &why),
		  -PVKIT_E2BIG);
	EXPECT(why != NULL);
	/* 4 GiB is past what ramdisk_size (+ ext) is trusted with here. */
	check_image(16 * GiB, XLF_64 | XLF_ABOVE_4G, 0xffffffff, &li);
	gpa = 0x1234;
	why = NULL;
	EXPECT_EQ(linux_place_initrd(&li, 16 * GiB, 0x100000000ull, &gpa,
				     &why), -PVKIT_E2BIG);
	EXPECT(why != NULL);
	EXPECT_EQ(gpa, 0x1234);
}

/* ---- linux_load() ---- */

struct load_env {
	struct linux_image li;
	struct linux_boot b;
	struct e820_entry e820[E820_MAX + 2];
	uint8_t initrd[10000];
	uint8_t *g;
	uint64_t mem;
};

/* A checked synthetic kernel, an initramfs placed, guest RAM full of FILL. */
static int load_setup(struct load_env *e, uint64_t mem, const char *cmdline)
{
	const char *why = NULL;

	e->mem = mem;
	e->g = malloc(mem);
	if (!e->g)
		return -1;
	memset(e->g, FILL, mem);
	if (linux_check(img, IMG_LEN, mem, &e->li, &why))
		return -1;
	for (size_t i = 0; i < sizeof(e->initrd); i++)
		e->initrd[i] = (uint8_t)(i * 7 + 5);
	for (unsigned int i = 0; i < ARRAY_SIZE(e->e820); i++)
		e->e820[i] = (struct e820_entry){ i * 0x10000ull, 0x1000 + i,
						  1 + i % 4 };
	e->b = (struct linux_boot){
		.boot_params_gpa = BP_GPA,
		.cmdline = cmdline,
		.cmdline_gpa = CMDLINE_GPA,
		.initrd = e->initrd,
		.initrd_len = sizeof(e->initrd),
		.acpi_rsdp_gpa = RSDP_GPA,
		.e820 = e->e820,
		.nr_e820 = 3,
	};
	return linux_place_initrd(&e->li, mem, sizeof(e->initrd),
				  &e->b.initrd_gpa, &why);
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

static void test_load_kernel_initrd(void)
{
	struct load_env e;
	const struct linux_image *li = &e.li;

	build_image(img, IMG_LEN);
	if (load_setup(&e, MEM, "console=ttyS0")) {
		EXPECT(!"setup");
		free(e.g);
		return;
	}
	linux_load(img, IMG_LEN, li, e.g, e.mem, &e.b);
	EXPECT_MEMEQ(e.g + li->load_gpa, img + PM_OFF, PM_LEN);
	EXPECT(all_bytes(e.g + li->load_gpa + PM_LEN,
			 li->end_gpa - li->load_gpa - PM_LEN, 0));
	EXPECT_EQ(e.g[li->load_gpa - 1], FILL);
	EXPECT_EQ(e.g[li->end_gpa], FILL);
	EXPECT_MEMEQ(e.g + e.b.initrd_gpa, e.initrd, sizeof(e.initrd));
	EXPECT_EQ(e.g[e.b.initrd_gpa - 1], FILL);
	EXPECT(all_bytes(e.g + e.b.initrd_gpa + sizeof(e.initrd),
			 MEM - e.b.initrd_gpa - sizeof(e.initrd), FILL));
	EXPECT_STREQ((char *)e.g + CMDLINE_GPA, "console=ttyS0");
	EXPECT_EQ(e.g[CMDLINE_GPA + 14], FILL);
	/* Nothing below the kernel but boot_params and the command line. */
	EXPECT(all_bytes(e.g, BP_GPA, FILL));
	EXPECT(all_bytes(e.g + BP_GPA + 4096, CMDLINE_GPA - BP_GPA - 4096,
			 FILL));
	EXPECT(all_bytes(e.g + CMDLINE_GPA + 14,
			 li->load_gpa - CMDLINE_GPA - 14, FILL));
	free(e.g);
}

/* RAM known to read zero: the kernel image is copied, nothing else written. */
static void test_load_ram_zeroed_skips_bss(void)
{
	struct load_env e;
	const struct linux_image *li = &e.li;

	build_image(img, IMG_LEN);
	if (load_setup(&e, MEM, "console=ttyS0")) {
		EXPECT(!"setup");
		free(e.g);
		return;
	}
	e.b.ram_zeroed = true;
	linux_load(img, IMG_LEN, li, e.g, e.mem, &e.b);
	EXPECT_MEMEQ(e.g + li->load_gpa, img + PM_OFF, PM_LEN);
	EXPECT(all_bytes(e.g + li->load_gpa + PM_LEN,
			 li->end_gpa - li->load_gpa - PM_LEN, FILL));
	EXPECT_MEMEQ(e.g + e.b.initrd_gpa, e.initrd, sizeof(e.initrd));
	free(e.g);
}

static void test_load_no_initrd(void)
{
	struct load_env e;

	build_image(img, IMG_LEN);
	if (load_setup(&e, MEM, "")) {
		EXPECT(!"setup");
		free(e.g);
		return;
	}
	e.b.initrd = NULL;
	e.b.initrd_len = 0;
	e.b.initrd_gpa = 0;
	linux_load(img, IMG_LEN, &e.li, e.g, e.mem, &e.b);
	EXPECT(all_bytes(e.g + e.li.end_gpa, MEM - e.li.end_gpa, FILL));
	EXPECT_EQ(get(e.g + BP_GPA, O_RD_IMAGE, 4), 0);
	EXPECT_EQ(get(e.g + BP_GPA, O_RD_SIZE, 4), 0);
	EXPECT_EQ(e.g[CMDLINE_GPA], 0);
	EXPECT_EQ(e.g[CMDLINE_GPA + 1], FILL);
	free(e.g);
}

static void load_cmdline(uint32_t cmdline_size, const char *cmdline,
			 size_t expect_len)
{
	struct load_env e;

	build_image(img, IMG_LEN);
	put(img, O_CMDLINE_SIZE, cmdline_size, 4);
	if (load_setup(&e, MEM, cmdline)) {
		EXPECT(!"setup");
		free(e.g);
		return;
	}
	linux_load(img, IMG_LEN, &e.li, e.g, e.mem, &e.b);
	EXPECT_MEMEQ(e.g + CMDLINE_GPA, cmdline, expect_len);
	EXPECT_EQ(e.g[CMDLINE_GPA + expect_len], 0);
	EXPECT_EQ(e.g[CMDLINE_GPA + expect_len + 1], FILL);
	free(e.g);
}

static void test_load_cmdline_size(void)
{
	static const char line[] = "console=ttyS0 root=/dev/sda1 quiet";

	/* cmdline_size counts the characters, not the NUL. */
	load_cmdline(8, line, 8);
	load_cmdline(sizeof(line) - 1, line, sizeof(line) - 1);
	load_cmdline(sizeof(line) - 2, line, sizeof(line) - 2);
	load_cmdline(2047, line, sizeof(line) - 1);
	load_cmdline(1, line, 1);
}

/* boot_params as the protocol says it must be, built independently. */
static void expect_boot_params(uint8_t *bp, const uint8_t *image,
			       const struct linux_boot *b)
{
	size_t hdr_end = 0x202 + image[O_JUMP + 1];
	unsigned int n = b->nr_e820 < 128 ? b->nr_e820 : 128;

	memset(bp, 0, 4096);
	memcpy(bp + O_SETUP_SECTS, image + O_SETUP_SECTS,
	       hdr_end - O_SETUP_SECTS);
	bp[O_LOADER] = 0xff;
	bp[O_LOADFLAGS] |= 0x01;
	put(bp, O_CMDLINE, b->cmdline_gpa & 0xffffffff, 4);
	put(bp, O_EXT_CMDLINE, b->cmdline_gpa >> 32, 4);
	put(bp, O_RD_IMAGE, b->initrd_gpa & 0xffffffff, 4);
	put(bp, O_EXT_RD_IMAGE, b->initrd_gpa >> 32, 4);
	put(bp, O_RD_SIZE, b->initrd_len & 0xffffffff, 4);
	put(bp, O_EXT_RD_SIZE, b->initrd_len >> 32, 4);
	put(bp, O_ACPI_RSDP, b->acpi_rsdp_gpa, 8);
	bp[O_E820_ENTRIES] = n;
	for (unsigned int i = 0; i < n; i++) {
		put(bp, O_E820_TABLE + 20 * i, b->e820[i].addr, 8);
		put(bp, O_E820_TABLE + 20 * i + 8, b->e820[i].size, 8);
		put(bp, O_E820_TABLE + 20 * i + 16, b->e820[i].type, 4);
	}
}

static void diff_boot_params(const uint8_t *got, const uint8_t *want)
{
	unsigned int shown = 0;

	for (unsigned int i = 0; i < 4096 && shown < 8; i++) {
		if (got[i] == want[i])
			continue;
		ktap_diag("  boot_params[%#x] = %#x, expected %#x", i, got[i],
			  want[i]);
		shown++;
	}
}

static void load_boot_params(unsigned int nr_e820, uint8_t loadflags,
			     uint8_t jump)
{
	static uint8_t want[4096];
	struct load_env e;
	uint8_t *bp;

	build_image(img, IMG_LEN);
	img[O_LOADFLAGS] = loadflags;
	img[O_JUMP + 1] = jump;
	if (load_setup(&e, MEM, "x")) {
		EXPECT(!"setup");
		free(e.g);
		return;
	}
	e.b.nr_e820 = nr_e820;
	bp = e.g + BP_GPA;
	linux_load(img, IMG_LEN, &e.li, e.g, e.mem, &e.b);
	expect_boot_params(want, img, &e.b);
	EXPECT_MEMEQ(bp, want, sizeof(want));
	diff_boot_params(bp, want);
	/* The same facts spelled out, for a readable failure. */
	EXPECT_EQ(bp[O_LOADER], 0xff);
	EXPECT_EQ(bp[O_LOADFLAGS], loadflags | 1);
	EXPECT_EQ(get(bp, O_CMDLINE, 4), CMDLINE_GPA);
	EXPECT_EQ(get(bp, O_EXT_CMDLINE, 4), 0);
	EXPECT_EQ(get(bp, O_RD_IMAGE, 4), e.b.initrd_gpa);
	EXPECT_EQ(get(bp, O_RD_SIZE, 4), sizeof(e.initrd));
	EXPECT_EQ(get(bp, O_ACPI_RSDP, 8), RSDP_GPA);
	EXPECT_EQ(bp[O_E820_ENTRIES], nr_e820 < 128 ? nr_e820 : 128);
	EXPECT_MEMEQ(bp + O_MAGIC, "HdrS", 4);
	EXPECT_EQ(get(bp, O_INIT_SIZE, 4), INIT_SIZE);
	/* The e820 table is all that follows the header's room. */
	EXPECT(all_bytes(bp + HDR_ROOM_END, O_E820_TABLE - HDR_ROOM_END, 0));
	EXPECT(all_bytes(bp + O_E820_TABLE + 20 * bp[O_E820_ENTRIES],
			 4096 - O_E820_TABLE - 20 * bp[O_E820_ENTRIES], 0));
	free(e.g);
}

static void test_load_boot_params(void)
{
	load_boot_params(3, 0x80, 0x66);
	load_boot_params(0, 0x00, 0x62);
	load_boot_params(5, 0x01, HDR_ROOM_END - 0x202);
}

static void test_load_e820_cap(void)
{
	load_boot_params(E820_MAX, 0x80, 0x66);
	load_boot_params(E820_MAX + 2, 0x80, 0x66);
}

/* Command line and initramfs above 4 GiB, in a sparse mapping. */
static void test_load_ext_fields(void)
{
	uint64_t mem = 4 * GiB + 64 * MiB, cmd = 4 * GiB + 0x1000;
	struct linux_image li;
	struct linux_boot b;
	uint8_t initrd[3000], *g, *bp;
	const char *why = NULL;

	g = mmap(NULL, mem, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g == MAP_FAILED) {
		ktap_skip("no room for a sparse 4 GiB mapping");
		return;
	}
	build_image(img, IMG_LEN);
	memset(initrd, 0x3c, sizeof(initrd));
	EXPECT_EQ(linux_check(img, IMG_LEN, mem, &li, &why), 0);
	b = (struct linux_boot){ .boot_params_gpa = BP_GPA, .cmdline = "hi",
				 .cmdline_gpa = cmd, .initrd = initrd,
				 .initrd_len = sizeof(initrd) };
	EXPECT_EQ(linux_place_initrd(&li, mem, sizeof(initrd), &b.initrd_gpa,
				     &why), 0);
	EXPECT_EQ(b.initrd_gpa, mem - 4096);
	linux_load(img, IMG_LEN, &li, g, mem, &b);
	bp = g + BP_GPA;
	EXPECT_EQ(get(bp, O_CMDLINE, 4), 0x1000);
	EXPECT_EQ(get(bp, O_EXT_CMDLINE, 4), 1);
	EXPECT_EQ(get(bp, O_RD_IMAGE, 4), (mem - 4096) & 0xffffffff);
	EXPECT_EQ(get(bp, O_EXT_RD_IMAGE, 4), 1);
	EXPECT_EQ(get(bp, O_RD_SIZE, 4), sizeof(initrd));
	EXPECT_EQ(get(bp, O_EXT_RD_SIZE, 4), 0);
	EXPECT_STREQ((char *)g + cmd, "hi");
	EXPECT_MEMEQ(g + b.initrd_gpa, initrd, sizeof(initrd));
	munmap(g, mem);
}

/* ---- fuzz seeds ---- */

static int write_seed(const char *dir, const char *name, size_t len)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		return -1;
	}
	ok = fwrite(img, 1, len, f) == len;
	return (fclose(f) || !ok) ? -1 : 0;
}

/* Bare images (no fuzz parameters): the fuzz suite prefixes its own. */
static int write_seeds(const char *dir)
{
	static const size_t small = 0x1000 + 5 * 512;
	int ret = 0;

	build_image(img, small);
	put(img, O_SYSSIZE, (small - PM_OFF) / 16, 4);
	put(img, O_INIT_SIZE, 0x10000, 4);
	ret |= write_seed(dir, "reloc", small);
	put(img, O_RELOC, 0, 1);
	put(img, O_PREF, 0x200000, 8);
	ret |= write_seed(dir, "fixed", small);
	build_image(img, small);
	put(img, O_SYSSIZE, (small - PM_OFF) / 16, 4);
	put(img, O_PREF, 0x100000, 8);
	put(img, O_INIT_SIZE, 0x10000, 4);
	put(img, O_XLOADFLAGS, XLF_64, 2);
	put(img, O_SETUP_SECTS, 0, 1);
	ret |= write_seed(dir, "sects0-below4g", small);
	return ret ? 1 : 0;
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_check_table),
	KTAP_CASE(test_check_initrd_max),
	KTAP_CASE(test_real_kernel),
	KTAP_CASE(test_initrd_top_of_ram),
	KTAP_CASE(test_initrd_addr_max),
	KTAP_CASE(test_initrd_above_4g),
	KTAP_CASE(test_initrd_refused),
	KTAP_CASE(test_load_kernel_initrd),
	KTAP_CASE(test_load_ram_zeroed_skips_bss),
	KTAP_CASE(test_load_no_initrd),
	KTAP_CASE(test_load_cmdline_size),
	KTAP_CASE(test_load_boot_params),
	KTAP_CASE(test_load_e820_cap),
	KTAP_CASE(test_load_ext_fields),
};

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--seeds"))
		return write_seeds(argv[2]);
	return ktap_run(cases, ARRAY_SIZE(cases));
}
