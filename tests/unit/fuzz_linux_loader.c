// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the bzImage loader: linux_check() on arbitrary
 * bytes and memory sizes, linux_place_initrd(), and for an accepted
 * image linux_load() into a heap buffer exactly as large as guest RAM,
 * so any write outside guest memory is an ASan report.  The results
 * linux_check() and linux_place_initrd() promise are checked here too;
 * a broken one aborts.
 *
 * Input: a 12-byte prefix, the command line, then the image.
 *   0..3   guest RAM size, bits 0-31      4   bits 32-39
 *   5      e820 entries passed (0..255)   6   command line length
 *   7      unused                         8..11 initramfs length
 * linux_load() runs only when RAM is between MIN_LOAD_MEM and
 * MAX_LOAD_MEM.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sanitizer/asan_interface.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/linux_loader.h>

#define PREFIX		12
#define BP_GPA		0x10000ull
#define CMDLINE_GPA	0x20000ull
#define MIN_LOAD_MEM	0x30000ull	/* boot_params + the command line */
#define MAX_LOAD_MEM	(8ull << 20)
#define LOWEST_LOAD	0x100000ull

static struct e820_entry e820[255];

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void check_image(const struct linux_image *li, const uint8_t *img,
			size_t len, uint64_t mem)
{
	/* Never accepted shorter than the kernel its header describes. */
	if (!le(img + 0x1f4, 4) || li->pm_len < le(img + 0x1f4, 4) * 16)
		abort();
	if (li->load_gpa < LOWEST_LOAD || li->load_gpa >= li->end_gpa ||
	    li->end_gpa > mem)
		abort();
	if (li->entry_gpa != li->load_gpa + 0x200 ||
	    li->entry_gpa >= li->end_gpa)
		abort();
	if (li->pm_offset + li->pm_len != len ||
	    li->pm_len > li->end_gpa - li->load_gpa)
		abort();
	if (0x1f1 + li->setup_len > 0x290 || li->version < 0x020c)
		abort();
}

static void check_initrd(const struct linux_image *li, uint64_t mem,
			 uint64_t gpa, uint64_t len)
{
	if (gpa & 0xfff || gpa < li->end_gpa || gpa > mem ||
	    len > mem - gpa || len > li->initrd_max - gpa)
		abort();
}

/*
 * A buffer of which only the first len bytes may be touched: the rest is
 * poisoned for ASan (exactly, to the byte), and the global's own redzone
 * follows.  Cheaper than a fresh multi-megabyte heap block per input.
 */
struct window {
	uint8_t *buf;
	uint64_t len;
};

static uint8_t guest_buf[MAX_LOAD_MEM];
static uint8_t initrd_buf[MAX_LOAD_MEM];
static struct window guest_win = { guest_buf, MAX_LOAD_MEM };
static struct window initrd_win = { initrd_buf, MAX_LOAD_MEM };

static uint8_t *window_open(struct window *w, uint64_t len)
{
	if (len != w->len) {
		ASAN_UNPOISON_MEMORY_REGION(w->buf, MAX_LOAD_MEM);
		ASAN_POISON_MEMORY_REGION(w->buf + len, MAX_LOAD_MEM - len);
		w->len = len;
	}
	return w->buf;
}

static void load(const uint8_t *img, size_t len, const struct linux_image *li,
		 uint64_t mem, struct linux_boot *b)
{
	uint8_t *guest = window_open(&guest_win, mem);

	b->initrd = window_open(&initrd_win, b->initrd_len);
	linux_load(img, len, li, guest, mem, b);
	/* The kernel's own bytes, where linux_check() said they go. */
	if (memcmp(guest + li->load_gpa, img + li->pm_offset, li->pm_len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct linux_boot b = { 0 };
	struct linux_image li;
	const char *why = NULL;
	char cmdline[256];
	uint64_t mem, initrd_len;
	unsigned int nr_e820;
	size_t cmd_len;

	if (size < PREFIX)
		return 0;
	mem = le(data, 4) | (uint64_t)data[4] << 32;
	nr_e820 = data[5];
	cmd_len = data[6];
	initrd_len = le(data + 8, 4);
	if (size - PREFIX < cmd_len)
		return 0;
	memcpy(cmdline, data + PREFIX, cmd_len);
	cmdline[cmd_len] = '\0';
	data += PREFIX + cmd_len;
	size -= PREFIX + cmd_len;

	if (linux_check(data, size, mem, &li, &why)) {
		if (!why)
			abort();
		return 0;
	}
	check_image(&li, data, size, mem);
	if (initrd_len) {
		why = NULL;
		if (linux_place_initrd(&li, mem, initrd_len, &b.initrd_gpa,
				       &why)) {
			if (!why)
				abort();
			initrd_len = 0;
		} else {
			check_initrd(&li, mem, b.initrd_gpa, initrd_len);
		}
	}
	if (mem < MIN_LOAD_MEM || mem > MAX_LOAD_MEM)
		return 0;
	for (unsigned int i = 0; i < nr_e820; i++)
		e820[i] = (struct e820_entry){ (uint64_t)i << 20, 1 << 20,
					       1 + i % 4 };
	b.boot_params_gpa = BP_GPA;
	b.cmdline = cmdline;
	b.cmdline_gpa = CMDLINE_GPA;
	b.initrd_len = initrd_len;
	b.acpi_rsdp_gpa = 0xe0000;
	b.e820 = e820;
	b.nr_e820 = nr_e820;
	load(data, size, &li, mem, &b);
	return 0;
}
