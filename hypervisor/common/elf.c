// SPDX-License-Identifier: GPL-2.0
/*
 * ELF64 guest image loader.  elf_check() decides everything; elf_load()
 * only copies.  Headers are copied out of the image before use because a
 * Multiboot module has no alignment guarantee.
 */
#include <stdbool.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/elf.h>

#define EI_NIDENT	16
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define EV_CURRENT	1
#define ET_EXEC		2
#define EM_X86_64	62
#define PT_LOAD		1
#define PF_X		1

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header size");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr size");

static void read_phdr(const void *img, const struct elf64_ehdr *eh,
		      unsigned int i, struct elf64_phdr *ph)
{
	memcpy(ph, (const char *)img + eh->e_phoff + (uint64_t)i * sizeof(*ph),
	       sizeof(*ph));
}

/* Fills *why and returns err, so each check is one line. */
static int fail(const char **why, const char *msg, int err)
{
	if (why)
		*why = msg;
	return err;
}

static int check_ehdr(const void *img, size_t len, struct elf64_ehdr *eh,
		      const char **why)
{
	uint64_t table;

	if (!img || len < sizeof(*eh))
		return fail(why, "file shorter than the ELF header", -PVKIT_EINVAL);
	memcpy(eh, img, sizeof(*eh));
	if (memcmp(eh->e_ident, "\177ELF", 4))
		return fail(why, "bad ELF magic", -PVKIT_EINVAL);
	if (eh->e_ident[4] != ELFCLASS64)
		return fail(why, "not a 64-bit (ELFCLASS64) file", -PVKIT_EINVAL);
	if (eh->e_ident[5] != ELFDATA2LSB)
		return fail(why, "not a little-endian file", -PVKIT_EINVAL);
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return fail(why, "unknown ELF version", -PVKIT_EINVAL);
	if (eh->e_machine != EM_X86_64)
		return fail(why, "not an x86-64 image", -PVKIT_EINVAL);
	if (eh->e_type != ET_EXEC)
		return fail(why, "not an executable (ET_EXEC) image", -PVKIT_EINVAL);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return fail(why, "unexpected program header size", -PVKIT_EINVAL);
	if (eh->e_phnum == 0)
		return fail(why, "no program headers", -PVKIT_EINVAL);
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return fail(why, "too many program headers", -PVKIT_EINVAL);
	/* e_phnum <= ELF_MAX_PHDRS: the table size itself cannot overflow. */
	table = (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (eh->e_phoff > len || table > len - eh->e_phoff)
		return fail(why, "program header table outside the file",
			    -PVKIT_EINVAL);
	return 0;
}

static int check_segment(const struct elf64_phdr *ph, size_t len,
			 uint64_t mem_size, const char **why)
{
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return fail(why, "segment file bytes outside the file",
			    -PVKIT_EINVAL);
	if (ph->p_filesz > ph->p_memsz)
		return fail(why, "segment file size larger than its memory size",
			    -PVKIT_EINVAL);
	if (ph->p_paddr > mem_size || ph->p_memsz > mem_size - ph->p_paddr)
		return fail(why, "segment outside guest RAM", -PVKIT_ERANGE);
	return 0;
}

static bool segments_overlap(const struct elf64_phdr *a,
			     const struct elf64_phdr *b)
{
	/* Both ranges were checked to lie inside guest RAM: no overflow. */
	if (!a->p_memsz || !b->p_memsz)
		return false;
	return a->p_paddr < b->p_paddr + b->p_memsz &&
	       b->p_paddr < a->p_paddr + a->p_memsz;
}

static bool entry_in_segment(const struct elf64_phdr *ph, uint64_t entry)
{
	return (ph->p_flags & PF_X) && entry >= ph->p_vaddr &&
	       entry - ph->p_vaddr < ph->p_memsz;
}

/* Second pass: segment i against every earlier PT_LOAD. */
static int check_overlap(const void *img, const struct elf64_ehdr *eh,
			 unsigned int i, const struct elf64_phdr *ph,
			 const char **why)
{
	struct elf64_phdr other;
	unsigned int j;

	for (j = 0; j < i; j++) {
		read_phdr(img, eh, j, &other);
		if (other.p_type == PT_LOAD && segments_overlap(ph, &other))
			return fail(why, "PT_LOAD segments overlap",
				    -PVKIT_EINVAL);
	}
	return 0;
}

int elf_check(const void *img, size_t len, uint64_t mem_size,
	      struct elf_image *out, const char **why)
{
	struct elf_image res = { .lowest = UINT64_MAX };
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	bool have_load = false, have_entry = false;
	unsigned int i;
	int ret;

	ret = check_ehdr(img, len, &eh, why);
	if (ret)
		return ret;
	for (i = 0; i < eh.e_phnum; i++) {
		read_phdr(img, &eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		ret = check_segment(&ph, len, mem_size, why);
		if (!ret)
			ret = check_overlap(img, &eh, i, &ph, why);
		if (ret)
			return ret;
		have_load = true;
		if (ph.p_paddr < res.lowest)
			res.lowest = ph.p_paddr;
		if (ph.p_paddr + ph.p_memsz > res.highest)
			res.highest = ph.p_paddr + ph.p_memsz;
		if (!have_entry && entry_in_segment(&ph, eh.e_entry)) {
			have_entry = true;
			res.entry_paddr = ph.p_paddr + (eh.e_entry - ph.p_vaddr);
		}
	}
	if (!have_load)
		return fail(why, "no PT_LOAD segment", -PVKIT_EINVAL);
	if (!have_entry)
		return fail(why, "entry point outside every executable segment",
			    -PVKIT_EINVAL);
	res.entry = eh.e_entry;
	if (out)
		*out = res;
	return 0;
}

void elf_load(const void *img, size_t len, void *guest, uint64_t mem_size)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;
	char *dst;
	unsigned int i;

	if (check_ehdr(img, len, &eh, NULL))
		return;
	for (i = 0; i < eh.e_phnum; i++) {
		read_phdr(img, &eh, i, &ph);
		if (ph.p_type != PT_LOAD ||
		    check_segment(&ph, len, mem_size, NULL))
			continue;
		dst = (char *)guest + ph.p_paddr;
		memcpy(dst, (const char *)img + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
}
