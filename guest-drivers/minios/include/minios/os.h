/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS: CPU helpers and the boot-time globals every file needs.
 */
#ifndef MINIOS_OS_H
#define MINIOS_OS_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <pvkit/pvkit.h>
#include <minios/compiler.h>

#define PAGE_SIZE		4096ull
#define PAGE_MASK		(~(PAGE_SIZE - 1))

/* Selectors of Mini-OS's own GDT (arch/x86/traps.c). */
#define KERNEL_CS		0x08
#define KERNEL_DS		0x10
#define USER_DS			0x1b
#define USER_CS			0x23
#define TSS_SEL			0x28

/* The vector the hypervisor injects for event channel upcalls. */
#define UPCALL_VECTOR		0xf0
/* The int gate a ring-3 test program returns through. */
#define USER_EXIT_VECTOR	0x80

extern const struct pvkit_start_info *start_info;
extern struct pvkit_shared_info *shared_info;

static inline void cli(void)
{
	asm volatile("cli" ::: "memory");
}

static inline void sti(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t *a,
			 uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub)
		     : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	asm volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	asm volatile("mov %0, %%cr3" :: "r"(v) : "memory");
}

static inline bool irqs_enabled(void)
{
	uint64_t flags;

	asm volatile("pushfq; popq %0" : "=r"(flags));
	return flags & (1u << 9);
}

/* Guest RAM is identity mapped, so a pointer is its own GPA. */
static inline uint64_t virt_to_gpa(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline void *gpa_to_virt(uint64_t gpa)
{
	return (void *)(uintptr_t)gpa;
}

#endif /* MINIOS_OS_H */
