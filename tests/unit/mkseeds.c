// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzers' seed corpora: a valid ELF image built with the test
 * code, typical command lines and sizes.  Run by the build; the corpora
 * are never committed.
 */
#include <errno.h>
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
	return 0;
}
