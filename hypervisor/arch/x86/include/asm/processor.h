/* SPDX-License-Identifier: GPL-2.0 */
/* Thin wrappers around x86 instructions the hypervisor needs. */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <stdint.h>

#define X86_CR0_PE	(1ul << 0)
#define X86_CR0_MP	(1ul << 1)
#define X86_CR0_ET	(1ul << 4)
#define X86_CR0_NE	(1ul << 5)
#define X86_CR0_WP	(1ul << 16)
#define X86_CR0_PG	(1ul << 31)
#define X86_CR4_VME	(1ul << 0)
#define X86_CR4_PVI	(1ul << 1)
#define X86_CR4_TSD	(1ul << 2)
#define X86_CR4_DE	(1ul << 3)
#define X86_CR4_PSE	(1ul << 4)
#define X86_CR4_PAE	(1ul << 5)
#define X86_CR4_MCE	(1ul << 6)
#define X86_CR4_PGE	(1ul << 7)
#define X86_CR4_PCE	(1ul << 8)
#define X86_CR4_OSFXSR	(1ul << 9)
#define X86_CR4_OSXMMEXCPT	(1ul << 10)
#define X86_CR4_UMIP	(1ul << 11)
#define X86_CR4_LA57	(1ul << 12)
#define X86_CR4_FSGSBASE	(1ul << 16)
#define X86_CR4_PCIDE	(1ul << 17)
#define X86_CR4_OSXSAVE	(1ul << 18)
#define X86_CR4_SMEP	(1ul << 20)
#define X86_CR4_SMAP	(1ul << 21)
#define X86_CR4_PKE	(1ul << 22)
#define X86_CR4_CET	(1ul << 23)
#define X86_CR4_PKS	(1ul << 24)
#define X86_CR0_EM	(1ul << 2)
#define X86_CR0_TS	(1ul << 3)
#define X86_CR0_NW	(1ul << 29)
#define X86_CR0_CD	(1ul << 30)

#define X86_EFLAGS_TF	(1ul << 8)
#define X86_EFLAGS_IF	(1ul << 9)
#define X86_EFLAGS_AC	(1ul << 18)

#define DR6_BS		(1ull << 14)	/* single-step */

#define MSR_APIC_BASE	0x0000001b
#define MSR_TSC		0x00000010
#define MSR_PAT		0x00000277
#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_CSTAR	0xc0000083
#define MSR_SFMASK	0xc0000084
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX	0xc0000103
#define MSR_SYSENTER_CS	0x00000174
#define MSR_SYSENTER_ESP 0x00000175
#define MSR_SYSENTER_EIP 0x00000176
#define MSR_VM_CR	0xc0010114
#define MSR_VM_HSAVE_PA	0xc0010117

#define EFER_SCE	(1ul << 0)
#define EFER_LME	(1ul << 8)
#define EFER_LMA	(1ul << 10)
#define EFER_NXE	(1ul << 11)
#define EFER_SVME	(1ul << 12)

#define VM_CR_SVMDIS	(1ul << 4)

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a,
			       uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(sub));
}

static inline uint32_t cpuid_ecx(uint32_t leaf)
{
	uint32_t a, b, c, d;

	cpuid_count(leaf, 0, &a, &b, &c, &d);
	return c;
}

static inline uint32_t cpuid_edx(uint32_t leaf)
{
	uint32_t a, b, c, d;

	cpuid_count(leaf, 0, &a, &b, &c, &d);
	return d;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr"
		     :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define DEFINE_CR_ACCESS(n)						\
static inline uint64_t read_cr##n(void)					\
{									\
	uint64_t v;							\
	asm volatile("mov %%cr" #n ", %0" : "=r"(v));			\
	return v;							\
}									\
static inline void write_cr##n(uint64_t v)				\
{									\
	asm volatile("mov %0, %%cr" #n :: "r"(v) : "memory");		\
}
DEFINE_CR_ACCESS(0)
DEFINE_CR_ACCESS(2)
DEFINE_CR_ACCESS(3)
DEFINE_CR_ACCESS(4)

static inline void cli(void) { asm volatile("cli" ::: "memory"); }
static inline void sti(void) { asm volatile("sti" ::: "memory"); }
static inline void cpu_relax(void) { asm volatile("pause" ::: "memory"); }

/* Opens a one-instruction window for a pending interrupt, then closes. */
static inline void irq_window(void)
{
	asm volatile("sti; nop; cli" ::: "memory");
}

/* Waits for an interrupt with interrupts enabled, returns with them off. */
static inline void halt_until_irq(void)
{
	asm volatile("sti; hlt; cli" ::: "memory");
}

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	asm volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void __attribute__((noreturn)) cpu_halt_forever(void)
{
	for (;;)
		asm volatile("cli; hlt");
}

#endif
