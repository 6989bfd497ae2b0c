// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzers' seed corpora: a valid ELF image built with the test
 * code, typical command lines and sizes, IDE register sequences, an IVRS.  Run by the build; the corpora
 * are never committed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "elf_build.h"

static const char *root;

static void put_file(const char *dir, const char *name, const void *p,
		     size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void elf_seeds(void)
{
	static const struct test_seg segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0x1000, 0, 0x80, 0x80 },
		{ PT_NOTE, PF_R, 0, 0, 0x10, 0x10 },
		{ PT_LOAD, PF_R | PF_W, 0x3000, 0, 0x40, 0x1000 },
	};
	static uint8_t img[8192];
	size_t len;

	len = test_elf_build(img, sizeof(img), 0x1000, segs, 3);
	put_file("elf", "three-segments", img, len);
	len = test_elf_build(img, sizeof(img), 0x1010, segs, 1);
	put_file("elf", "one-segment", img, len);
}

static void text_seeds(const char *dir, const char *const *lines)
{
	char name[32];
	unsigned int i;

	for (i = 0; lines[i]; i++) {
		snprintf(name, sizeof(name), "seed-%u", i);
		put_file(dir, name, lines[i], strlen(lines[i]));
	}
}

/*
 * fuzz-ide's operations (see tests/unit/fuzz_ide.c): op, a, b, val.  The
 * seeds are what libata does (IDENTIFY, PIO and DMA in both directions)
 * and the completions that matter (later, after SRST, in batches).
 */
struct ide_op {
	uint8_t op, a;
	uint16_t b;
	uint32_t val;
};

#define IDE_PRD(n, sectors, eot, gpa) \
	{ 3, n, (uint16_t)((sectors) << 5 | ((eot) ? 0x8000 : 0)), gpa }
#define IDE_CMD(idx, count, lba)	{ 2, idx, count, lba }
#define IDE_START(to_mem)		{ 5, to_mem, 0, 0 }
#define IDE_STATUS			{ 1, 7, 0, 0 }
#define IDE_WORDS(n, write) \
	{ 6, (n) & 0xff, (uint16_t)(((n) & 0x100) | (write)), 0 }
#define IDE_DEFER(late)			{ 10, 1 | ((late) ? 2 : 0), 0, 0 }
#define IDE_DONE			{ 8, 2, 0, 0 }
#define IDE_END				{ 0xff, 0, 0, 0 }

static void ide_seed(const char *name, uint8_t limit, const struct ide_op *o)
{
	uint8_t buf[1 + 8 * 32];
	size_t n = 1;

	buf[0] = limit;
	for (; o->op != 0xff && n + 8 <= sizeof(buf); o++, n += 8) {
		buf[n] = o->op;
		buf[n + 1] = o->a;
		buf[n + 2] = (uint8_t)o->b;
		buf[n + 3] = (uint8_t)(o->b >> 8);
		for (unsigned int i = 0; i < 4; i++)
			buf[n + 4 + i] = (uint8_t)(o->val >> (8 * i));
	}
	put_file("ide", name, buf, n);
}

static void ide_seeds(void)
{
	/* Indexes into fuzz_ide.c's command table. */
	enum { IDENTIFY = 0, READ_PIO = 1, WRITE_PIO = 4, READ_DMA = 7,
	       WRITE_DMA = 9, READ_DMA_EXT = 11, SET_FEATURES = 15 };
	static const struct ide_op identify[] = {
		IDE_CMD(IDENTIFY, 0, 0), IDE_STATUS, IDE_WORDS(256, 0),
		IDE_STATUS, IDE_END,
	};
	static const struct ide_op pio[] = {
		IDE_CMD(WRITE_PIO, 2, 9), IDE_WORDS(256, 1), IDE_STATUS,
		IDE_WORDS(256, 1), IDE_STATUS, IDE_CMD(READ_PIO, 1, 9),
		IDE_STATUS, IDE_WORDS(256, 0), IDE_END,
	};
	static const struct ide_op dma[] = {
		IDE_PRD(0, 2, 0, 0x8000), IDE_PRD(1, 2, 1, 0x9000),
		IDE_CMD(READ_DMA, 4, 5), IDE_START(1), IDE_STATUS,
		IDE_CMD(WRITE_DMA, 4, 100), IDE_START(0), IDE_STATUS, IDE_END,
	};
	static const struct ide_op late[] = {
		IDE_DEFER(1), IDE_PRD(0, 2, 0, 0x8000), IDE_PRD(1, 2, 1, 0x9000),
		IDE_CMD(READ_DMA_EXT, 4, 7), IDE_START(1), IDE_DONE,
		IDE_DONE, IDE_STATUS, IDE_END,
	};
	static const struct ide_op srst[] = {
		IDE_DEFER(0), IDE_PRD(0, 1, 1, 0x8000), IDE_CMD(WRITE_DMA, 1, 3),
		IDE_START(0), { 11, 0, 0, 0 }, { 0, 8, 0, 0 }, IDE_DONE,
		IDE_STATUS, IDE_END,
	};
	static const struct ide_op nocache[] = {
		IDE_CMD(SET_FEATURES, 0, 0x82000000u), IDE_STATUS,
		IDE_CMD(WRITE_PIO, 1, 1), IDE_WORDS(256, 1), IDE_STATUS,
		IDE_END,
	};

	ide_seed("identify", 0, identify);
	ide_seed("pio", 0, pio);
	ide_seed("dma", 0, dma);
	ide_seed("late-batches", 1, late);
	ide_seed("srst-in-flight", 0, srst);
	ide_seed("write-cache-off", 0, nocache);
}

/* QEMU 7.2's IVRS for q35 with amd-iommu,intremap=on, as dumped. */
static void ivrs_seeds(void)
{
	static const uint8_t t[] = {
		0x49, 0x56, 0x52, 0x53, 0x6c, 0x00, 0x00, 0x00,
		0x01, 0x19, 0x42, 0x4f, 0x43, 0x48, 0x53, 0x20,
		0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
		0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x10, 0xd1, 0x3c, 0x00, 0x18, 0x00, 0x40, 0x00,
		0x00, 0x00, 0xd8, 0xfe, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00,
		0x02, 0x10, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00,
		0x02, 0xf8, 0x00, 0x00, 0x02, 0xfa, 0x00, 0x00,
		0x02, 0xfb, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
		0x00, 0xa0, 0x00, 0x01,
	};

	put_file("ivrs", "qemu", t, sizeof(t));
}

/*
 * Frames for fuzz-net-csum, after its 4 bytes of csum_start and
 * csum_offset: a TCP/IPv4 SYN with a good checksum, and a UDP/IPv6
 * datagram, so that the fuzzer starts inside both parsers.
 */
static void net_csum_seeds(void)
{
	static const uint8_t tcp4[] = {
		0x00, 0x22, 0x00, 0x10,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x55,
		0x0a, 0x00, 0x02, 0x02, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00,
		0x40, 0x06, 0x00, 0x00, 0x0a, 0x00, 0x02, 0x02,
		0x0a, 0x00, 0x02, 0x0f,
		0x13, 0x89, 0xc3, 0x50, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x50, 0x02, 0xff, 0xff,
		0x13, 0x8f, 0x00, 0x00,
	};
	static const uint8_t udp6[] = {
		0x00, 0x36, 0x00, 0x06,
		0x33, 0x33, 0x00, 0x00, 0x00, 0x01, 0x52, 0x55,
		0x0a, 0x00, 0x02, 0x02, 0x86, 0xdd,
		0x60, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x11, 0x40,
		0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
		0x02, 0x22, 0x02, 0x23, 0x00, 0x0c, 0x00, 0x00,
		0x01, 0x02, 0x03, 0x04,
	};

	put_file("net-csum", "tcp4-syn", tcp4, sizeof(tcp4));
	put_file("net-csum", "udp6", udp6, sizeof(udp6));
}

/*
 * Inputs for fuzz-shadow: its header, then RAM whose first page is the
 * root.  Long mode: 0x1000 -> 0x5000 through tables at pages 1-3, and a
 * 2 MiB page at 0x200000; PAE and 32-bit paging map 0x1000 the same way.
 */
static void le64_put(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void shadow_seed(const char *name, uint8_t mode, const uint8_t *ram,
			size_t len)
{
	uint8_t in[3 + 8 * 9 + 5 * 4096] = { mode, 0x25, 40 };
	static const uint64_t va[8] = { 0x1000, 0x1008, 0x200000, 0x3ff000,
					0x2000, 0xc0000000, 0x1000, 0x1000 };
	static const uint8_t err[8] = { 0, 2, 0, 4, 0, 2, 0x82, 0x46 };

	for (int i = 0; i < 8; i++) {
		le64_put(in + 3 + 9 * i, va[i]);
		in[3 + 9 * i + 8] = err[i];
	}
	memcpy(in + 3 + 8 * 9, ram, len);
	put_file("shadow", name, in, 3 + 8 * 9 + len);
}

static void shadow_seeds(void)
{
	static uint8_t ram[5 * 4096];

	memset(ram, 0, sizeof(ram));
	le64_put(ram, 0x1000 | 7);			/* PML4E -> page 1 */
	le64_put(ram + 0x1000, 0x2000 | 7);	/* PDPTE -> page 2 */
	le64_put(ram + 0x2000, 0x3000 | 7);	/* PDE 0 -> page 3 */
	le64_put(ram + 0x2008, 0x200000 | 0x87);	/* PDE 1: 2 MiB page */
	le64_put(ram + 0x3008, 0x5000 | 7);	/* PTE 1 */
	shadow_seed("long", 0, ram, sizeof(ram));
	memset(ram, 0, sizeof(ram));
	le64_put(ram, 0x2000 | 1);			/* PDPTE 0: P alone */
	le64_put(ram + 0x2000, 0x3000 | 7);
	le64_put(ram + 0x2008, 0x200000 | 0x87);
	le64_put(ram + 0x3008, 0x5000 | 7);
	shadow_seed("pae", 1, ram, sizeof(ram));
	memset(ram, 0, sizeof(ram));
	ram[0] = 0x07, ram[1] = 0x30;		/* PDE 0 -> page 3 */
	ram[0x3004] = 0x07, ram[0x3005] = 0x50;	/* PTE 1 -> 0x5000 */
	shadow_seed("32bit", 2, ram, sizeof(ram));
}

int main(int argc, char **argv)
{
	/* The first byte of a bootcfg input is a selector, not text. */
	static const char *const bootcfg[] = {
		"\x80" "/boot/minios.elf name=dom1 kind=minios mem=16M vcpus=2",
		"\xff" "bzImage kind=linux mem=512M -- console=hvc0 root=/dev/pvb0",
		"\x10" "disk.img kind=data mem=0x200000",
		"\x01" "/boot/pvkit.elf loglevel=4 noexit",
		"\x85" "m name= mem=65G vcpus=0 --",
		NULL,
	};
	static const char *const sizes[] = {
		"16M", "0x200000", "64g", "18446744073709551615", "1k", "0x",
		NULL,
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	root = argv[1];
	if (mkdir(root, 0755) && errno != EEXIST) {
		perror(root);
		return 1;
	}
	elf_seeds();
	text_seeds("bootcfg", bootcfg);
	text_seeds("parse-size", sizes);
	ide_seeds();
	ivrs_seeds();
	net_csum_seeds();
	shadow_seeds();
	return 0;
}
