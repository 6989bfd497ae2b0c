/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds small ELF64 x86-64 executables in memory for the loader tests and
 * the fuzzer's seed corpus.  Uses the host's <elf.h>, independent of the
 * loader's own definitions.
 */
#ifndef TESTS_UNIT_ELF_BUILD_H
#define TESTS_UNIT_ELF_BUILD_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct test_seg {
	uint32_t type;		/* PT_LOAD, PT_NOTE, ... */
	uint32_t flags;		/* PF_R | PF_X ... */
	uint64_t paddr;
	uint64_t vaddr;		/* 0: same as paddr */
	uint64_t filesz;
	uint64_t memsz;
};

/* File offset of segment data: 4 KiB apart so that tests can predict it. */
#define TEST_ELF_DATA	0x1000ul

/* Byte i of segment s's file data. */
static inline uint8_t test_elf_byte(unsigned int s, uint64_t i)
{
	return (uint8_t)(0x11 * (s + 1) + i * 7);
}

/*
 * Writes an image with the given segments into buf (cap bytes) and
 * returns its length (the end of the last segment's data), or 0 if it
 * does not fit.  Segment s's data starts
 * at TEST_ELF_DATA plus the file sizes before it, rounded to 16.
 */
static inline size_t test_elf_build(uint8_t *buf, size_t cap, uint64_t entry,
				    const struct test_seg *segs,
				    unsigned int nseg)
{
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64,
			     ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = entry,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = (uint16_t)nseg,
	};
	uint64_t off = TEST_ELF_DATA, end = TEST_ELF_DATA, i;
	unsigned int s;

	if (sizeof(eh) + nseg * sizeof(Elf64_Phdr) > TEST_ELF_DATA)
		return 0;
	memset(buf, 0, cap < TEST_ELF_DATA ? cap : TEST_ELF_DATA);
	if (cap < TEST_ELF_DATA)
		return 0;
	memcpy(buf, &eh, sizeof(eh));
	for (s = 0; s < nseg; s++) {
		Elf64_Phdr ph = {
			.p_type = segs[s].type,
			.p_flags = segs[s].flags,
			.p_offset = off,
			.p_vaddr = segs[s].vaddr ? segs[s].vaddr : segs[s].paddr,
			.p_paddr = segs[s].paddr,
			.p_filesz = segs[s].filesz,
			.p_memsz = segs[s].memsz,
			.p_align = 16,
		};

		if (off + segs[s].filesz > cap)
			return 0;
		for (i = 0; i < segs[s].filesz; i++)
			buf[off + i] = test_elf_byte(s, i);
		memcpy(buf + sizeof(eh) + s * sizeof(ph), &ph, sizeof(ph));
		end = off + segs[s].filesz;
		off = (end + 15) & ~15ul;
	}
	return end;
}

/* Field offsets, to corrupt a built image. */
#define EH_TYPE		offsetof(Elf64_Ehdr, e_type)
#define EH_MACHINE	offsetof(Elf64_Ehdr, e_machine)
#define EH_VERSION	offsetof(Elf64_Ehdr, e_version)
#define EH_ENTRY	offsetof(Elf64_Ehdr, e_entry)
#define EH_PHOFF	offsetof(Elf64_Ehdr, e_phoff)
#define EH_PHENTSIZE	offsetof(Elf64_Ehdr, e_phentsize)
#define EH_PHNUM	offsetof(Elf64_Ehdr, e_phnum)
#define PH_FIELD(i, f)	(sizeof(Elf64_Ehdr) + (i) * sizeof(Elf64_Phdr) + \
			 offsetof(Elf64_Phdr, f))

static inline void put16(uint8_t *buf, size_t off, uint16_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

static inline void put32(uint8_t *buf, size_t off, uint32_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

static inline void put64(uint8_t *buf, size_t off, uint64_t v)
{
	memcpy(buf + off, &v, sizeof(v));
}

#endif /* TESTS_UNIT_ELF_BUILD_H */
