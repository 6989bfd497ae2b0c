/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF64 loader for guest images (Mini-OS now, more later).  Pure logic:
 * the caller maps the image and the guest's RAM and holds any locks.
 */
#ifndef HV_ELF_H
#define HV_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Program headers we accept; real kernels have a handful. */
#define ELF_MAX_PHDRS	128

struct elf_image {
	uint64_t entry;		/* e_entry */
	uint64_t lowest;	/* lowest p_paddr of a PT_LOAD segment */
	uint64_t highest;	/* end (p_paddr + p_memsz) of the highest one */
	uint64_t entry_paddr;	/* e_entry translated through its segment */
};

/*
 * Validate, with no side effects, an ELF64 little-endian x86-64 ET_EXEC
 * image of len bytes to be loaded into guest RAM [0, mem_size): header
 * magic/class/data/version/machine/type, e_phoff/e_phentsize/e_phnum
 * inside the file (no overflow, at most ELF_MAX_PHDRS), at least one
 * PT_LOAD, for every PT_LOAD p_offset+p_filesz inside the file,
 * p_filesz <= p_memsz, [p_paddr, p_paddr+p_memsz) inside [0, mem_size)
 * without overflow, PT_LOAD segments not overlapping (in p_paddr), and
 * e_entry inside [p_vaddr, p_vaddr+p_memsz) of an executable PT_LOAD.
 *
 * Returns 0, -PVKIT_ERANGE for a segment outside guest RAM or
 * -PVKIT_EINVAL for any other problem; on error *why (when why is not
 * NULL) points to a static English phrase naming the first problem.
 * img need not be aligned.
 */
int elf_check(const void *img, size_t len, uint64_t mem_size,
	      struct elf_image *out, const char **why);

/*
 * Copy PT_LOAD file bytes to guest + p_paddr and zero the rest of p_memsz.
 * Only after elf_check() returned 0 for the same arguments (a segment that
 * would not pass is skipped, as a last line of defence).
 */
void elf_load(const void *img, size_t len, void *guest, uint64_t mem_size);

#endif /* HV_ELF_H */
