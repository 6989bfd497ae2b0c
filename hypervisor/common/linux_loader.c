// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/linux_loader.h>

/* Offsets in the bzImage file, which are also offsets in boot_params. */
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_EXT_RAMDISK_IMAGE	0x0c0
#define BP_EXT_RAMDISK_SIZE	0x0c4
#define BP_EXT_CMD_LINE_PTR	0x0c8
#define BP_E820_ENTRIES		0x1e8
#define HDR_SETUP_SECTS		0x1f1
#define HDR_SYSSIZE		0x1f4
#define HDR_BOOT_FLAG		0x1fe
#define HDR_JUMP		0x200
#define HDR_MAGIC		0x202
#define HDR_VERSION		0x206
#define HDR_TYPE_OF_LOADER	0x210
#define HDR_LOADFLAGS		0x211
#define HDR_RAMDISK_IMAGE	0x218
#define HDR_RAMDISK_SIZE	0x21c
#define HDR_CMD_LINE_PTR	0x228
#define HDR_INITRD_ADDR_MAX	0x22c
#define HDR_KERNEL_ALIGNMENT	0x230
#define HDR_RELOCATABLE		0x234
#define HDR_XLOADFLAGS		0x236
#define HDR_CMDLINE_SIZE	0x238
#define HDR_PREF_ADDRESS	0x258
#define HDR_INIT_SIZE		0x260
#define BP_EDD_MBR_SIG		0x290	/* the setup header's room ends */
#define BP_E820_TABLE		0x2d0
#define BOOT_PARAMS_SIZE	4096

#define XLF_KERNEL_64		(1u << 0)
#define XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define LOADFLAG_LOADED_HIGH	(1u << 0)
#define MIN_VERSION		0x020c	/* 2.12: xloadflags, pref_address */
#define HDR_MAGIC_VALUE		0x53726448u	/* "HdrS" */
#define LOWEST_LOAD		0x100000ull
#define ENTRY_64		0x200	/* startup_64 in the protected-mode kernel */
#define PAGE			4096ull

static uint64_t rd(const uint8_t *p, size_t off, size_t n)
{
	uint64_t v = 0;

	memcpy(&v, p + off, n);
	return v;
}

static void wr(uint8_t *p, size_t off, uint64_t v, size_t n)
{
	memcpy(p + off, &v, n);
}

static int fail(const char **why, const char *msg, int err)
{
	if (why)
		*why = msg;
	return err;
}

/*
 * syssize (16-byte units, 32 bits since 2.04) is how much kernel the
 * build wrote; a signature may follow it, but a file shorter than that
 * is a truncated copy that would fault in the guest.
 */
static int check_length(const uint8_t *p, uint64_t pm_len, const char **why)
{
	uint64_t sys_bytes = rd(p, HDR_SYSSIZE, 4) * 16;

	/* The entry point must lie inside what gets loaded. */
	if (pm_len <= ENTRY_64)
		return fail(why, "kernel too short for its 64-bit entry point",
			    -PVKIT_EINVAL);
	if (!sys_bytes)
		return fail(why, "setup header gives no syssize",
			    -PVKIT_EINVAL);
	if (pm_len < sys_bytes)
		return fail(why, "truncated: file shorter than its syssize",
			    -PVKIT_EINVAL);
	return 0;
}

static int check_header(const uint8_t *p, size_t len, struct linux_image *li,
			const char **why)
{
	uint64_t sects;
	int ret;

	if (len < 0x1000)
		return fail(why, "file too short for a bzImage", -PVKIT_EINVAL);
	if (rd(p, HDR_BOOT_FLAG, 2) != 0xaa55 ||
	    rd(p, HDR_MAGIC, 4) != HDR_MAGIC_VALUE)
		return fail(why, "no Linux boot header (not a bzImage)",
			    -PVKIT_EINVAL);
	li->version = rd(p, HDR_VERSION, 2);
	if (li->version < MIN_VERSION)
		return fail(why, "boot protocol older than 2.12",
			    -PVKIT_EINVAL);
	if (!(rd(p, HDR_XLOADFLAGS, 2) & XLF_KERNEL_64))
		return fail(why, "kernel has no 64-bit entry point",
			    -PVKIT_EINVAL);
	sects = rd(p, HDR_SETUP_SECTS, 1);
	if (!sects)
		sects = 4;
	li->pm_offset = (sects + 1) * 512;
	if (li->pm_offset >= len)
		return fail(why, "setup sectors run past the end of the file",
			    -PVKIT_EINVAL);
	li->pm_len = len - li->pm_offset;
	ret = check_length(p, li->pm_len, why);
	if (ret)
		return ret;
	/*
	 * The header ends where its leading jump lands; in boot_params it
	 * has room up to edd_mbr_sig_buffer, and a longer one would leave
	 * image bytes in fields the kernel reads as the loader's.
	 */
	li->setup_len = 0x202 + rd(p, HDR_JUMP + 1, 1) - HDR_SETUP_SECTS;
	if (HDR_SETUP_SECTS + li->setup_len > BP_EDD_MBR_SIG ||
	    li->setup_len < HDR_INIT_SIZE + 4 - HDR_SETUP_SECTS)
		return fail(why, "setup header length is implausible",
			    -PVKIT_EINVAL);
	return 0;
}

static int check_placement(const uint8_t *p, uint64_t mem_bytes,
			   struct linux_image *li, const char **why)
{
	uint64_t pref = rd(p, HDR_PREF_ADDRESS, 8);
	uint64_t init_size = rd(p, HDR_INIT_SIZE, 4);
	uint64_t align = rd(p, HDR_KERNEL_ALIGNMENT, 4);
	bool relocatable = rd(p, HDR_RELOCATABLE, 1);

	if (init_size < li->pm_len)
		return fail(why, "init_size smaller than the kernel itself",
			    -PVKIT_EINVAL);
	if (align & (align - 1))
		return fail(why, "kernel_alignment is not a power of two",
			    -PVKIT_EINVAL);
	li->load_gpa = pref;
	if (pref < LOWEST_LOAD || pref > mem_bytes ||
	    init_size > mem_bytes - pref) {
		if (!relocatable)
			return fail(why, "kernel does not fit at its fixed address",
				    -PVKIT_ERANGE);
		li->load_gpa = align ? ALIGN_UP(LOWEST_LOAD, align) :
				       LOWEST_LOAD;
	}
	if (li->load_gpa > mem_bytes || init_size > mem_bytes - li->load_gpa)
		return fail(why, "guest memory too small for the kernel",
			    -PVKIT_ERANGE);
	li->end_gpa = li->load_gpa + init_size;
	li->entry_gpa = li->load_gpa + ENTRY_64;
	li->initrd_max = (uint64_t)rd(p, HDR_INITRD_ADDR_MAX, 4) + 1;
	if (rd(p, HDR_XLOADFLAGS, 2) & XLF_CAN_BE_LOADED_ABOVE_4G)
		li->initrd_max = ~0ull;
	return 0;
}

int linux_check(const void *img, size_t len, uint64_t mem_bytes,
		struct linux_image *li, const char **why)
{
	struct linux_image tmp;
	int ret;

	memset(&tmp, 0, sizeof(tmp));
	ret = check_header(img, len, &tmp, why);
	if (!ret)
		ret = check_placement(img, mem_bytes, &tmp, why);
	if (!ret)
		*li = tmp;
	return ret;
}

int linux_place_initrd(const struct linux_image *li, uint64_t mem_bytes,
		       uint64_t len, uint64_t *gpa, const char **why)
{
	uint64_t top = MIN(mem_bytes, li->initrd_max);
	uint64_t start;

	/* The 32-bit header fields cannot describe more. */
	if (len > 0xffffffffull || len > top)
		return fail(why, "initramfs larger than guest memory",
			    -PVKIT_E2BIG);
	start = ALIGN_DOWN(top - len, PAGE);
	if (start < li->end_gpa)
		return fail(why, "initramfs does not fit above the kernel",
			    -PVKIT_E2BIG);
	*gpa = start;
	return 0;
}

static void fill_boot_params(uint8_t *bp, const uint8_t *img,
			     const struct linux_image *li,
			     const struct linux_boot *b)
{
	unsigned int n = MIN(b->nr_e820, (unsigned int)E820_MAX);

	memset(bp, 0, BOOT_PARAMS_SIZE);
	memcpy(bp + HDR_SETUP_SECTS, img + HDR_SETUP_SECTS, li->setup_len);
	wr(bp, HDR_TYPE_OF_LOADER, 0xff, 1);	/* no registered id */
	wr(bp, HDR_LOADFLAGS, rd(bp, HDR_LOADFLAGS, 1) | LOADFLAG_LOADED_HIGH,
	   1);
	wr(bp, HDR_CMD_LINE_PTR, (uint32_t)b->cmdline_gpa, 4);
	wr(bp, BP_EXT_CMD_LINE_PTR, b->cmdline_gpa >> 32, 4);
	wr(bp, HDR_RAMDISK_IMAGE, (uint32_t)b->initrd_gpa, 4);
	wr(bp, BP_EXT_RAMDISK_IMAGE, b->initrd_gpa >> 32, 4);
	wr(bp, HDR_RAMDISK_SIZE, (uint32_t)b->initrd_len, 4);
	wr(bp, BP_EXT_RAMDISK_SIZE, b->initrd_len >> 32, 4);
	wr(bp, BP_ACPI_RSDP_ADDR, b->acpi_rsdp_gpa, 8);
	wr(bp, BP_E820_ENTRIES, n, 1);
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *e = bp + BP_E820_TABLE + 20 * i;

		wr(e, 0, b->e820[i].addr, 8);
		wr(e, 8, b->e820[i].size, 8);
		wr(e, 16, b->e820[i].type, 4);
	}
}

void linux_load(const void *img, size_t len, const struct linux_image *li,
		void *guest, uint64_t mem_bytes, const struct linux_boot *b)
{
	uint8_t *g = guest;
	const uint8_t *p = img;
	size_t cmd_len = strlen(b->cmdline);
	uint64_t cmd_max = rd(p, HDR_CMDLINE_SIZE, 4);

	(void)len;
	(void)mem_bytes;
	memcpy(g + li->load_gpa, p + li->pm_offset, li->pm_len);
	/* Tens of MiB for a distribution kernel: not twice if we can help it. */
	if (!b->ram_zeroed)
		memset(g + li->load_gpa + li->pm_len, 0,
		       li->end_gpa - li->load_gpa - li->pm_len);
	if (b->initrd_len)
		memcpy(g + b->initrd_gpa, b->initrd, b->initrd_len);
	/* cmdline_size excludes the NUL; protocol 2.06+ always has it. */
	if (cmd_max && cmd_len > cmd_max)
		cmd_len = cmd_max;
	memcpy(g + b->cmdline_gpa, b->cmdline, cmd_len);
	g[b->cmdline_gpa + cmd_len] = '\0';
	fill_boot_params(g + b->boot_params_gpa, p, li, b);
}
