// SPDX-License-Identifier: GPL-2.0
/*
 * MOV to CR4 as a CPU without the hidden features would take it
 * (tests/suites/49-multiboot-guests, "cr4"): a reserved bit, PCIDE
 * outside long mode, and OSXSAVE or PKE where CPUID offers no XSAVE or
 * protection keys are #GP(0) and leave CR4 as it was; PGE, which CPUID
 * offers, goes on and off.  Straight on QEMU's TCG the reserved bit's
 * write raises nothing and the vCPU hangs there (kvm-unit-tests'
 * idt_test, which writes all ones, times out the same way).  The same
 * #GP catcher checks one MSR write: an APIC base with a bit at or
 * above MAXPHYADDR is #GP and leaves APIC_BASE as it was.
 */
#include "mbtest.h"

#define CR4_PGE		(1u << 7)
#define CR4_PCIDE	(1u << 17)
#define CR4_OSXSAVE	(1u << 18)
#define CR4_PKE		(1u << 22)
#define CR4_RESERVED	(1u << 31)
#define VEC_GP		13

static struct gate idt[VEC_GP + 1];
volatile uint32_t cr4_gp_count, cr4_gp_skip = 3;
extern char cr4_gp_entry[];

/* #GP: count it, drop the error code, step over the MOV (or WRMSR). */
__asm__(".text\n"
	".globl cr4_gp_entry\n"
	"cr4_gp_entry:\n"
	"	incl cr4_gp_count\n"
	"	add $4, %esp\n"
	"	push %eax\n"
	"	mov cr4_gp_skip, %eax\n"
	"	add %eax, 4(%esp)\n"
	"	pop %eax\n"
	"	iret\n");

static uint32_t cr4_read(void)
{
	uint32_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* 0F 22 E0, the 3 bytes the handler steps over. */
static bool cr4_write_faults(uint32_t v)
{
	uint32_t before = cr4_gp_count;

	__asm__ volatile("mov %0, %%cr4" : : "a"(v) : "memory");
	return cr4_gp_count != before;
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

/* 0F 30: the handler steps over 2 bytes for it. */
static bool wrmsr_faults(uint32_t msr, uint64_t v)
{
	uint32_t before = cr4_gp_count;

	cr4_gp_skip = 2;
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)) : "memory");
	cr4_gp_skip = 3;
	return cr4_gp_count != before;
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
			 "=d"(r[3]) : "a"(leaf), "c"(0));
}

static void idt_load(void)
{
	uint32_t a = (uint32_t)cr4_gp_entry;
	uint16_t cs;
	struct table_ptr p = { sizeof(idt) - 1, (uint32_t)idt };

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	idt[VEC_GP] = (struct gate){ .off_lo = a & 0xffff, .sel = cs,
				     .type = 0x8e, .off_hi = a >> 16 };
	__asm__ volatile("lidt %0" : : "m"(p));
}

/* Whether a write of bit faults as it should, CR4 unchanged after. */
static void refused(uint32_t bit, bool offered, const char *name)
{
	uint32_t old = cr4_read();
	bool gp = cr4_write_faults(old | bit);

	if (!gp)
		cr4_write_faults(old);
	result(gp == !offered && cr4_read() == old, name);
}

#define MSR_APIC_BASE	0x1b

static void apic_base_check(void)
{
	uint32_t x[4];
	uint64_t base = rdmsr(MSR_APIC_BASE);
	unsigned int bits;

	cpuid(0x80000000, x);
	bits = x[0] >= 0x80000008 ? (cpuid(0x80000008, x), x[0] & 0xff) : 36;
	diag("MAXPHYADDR ", bits);
	result(bits < 64 && wrmsr_faults(MSR_APIC_BASE, base | 1ull << bits) &&
	       rdmsr(MSR_APIC_BASE) == base, "apic_base_above_maxphyaddr_is_gp");
}

void cr4_run(void)
{
	uint32_t l0[4], l1[4], l7[4] = { 0 };
	uint32_t old;

	puts("KTAP version 1\n1..7\n");
	idt_load();
	cpuid(0, l0);
	cpuid(1, l1);
	if (l0[0] >= 7)
		cpuid(7, l7);
	old = cr4_read();
	diag("CR4 at entry ", old);
	refused(CR4_RESERVED, false, "reserved_bit_is_gp");
	refused(CR4_PCIDE, false, "pcide_outside_long_mode_is_gp");
	refused(CR4_OSXSAVE, l1[2] & (1u << 26), "osxsave_only_with_xsave");
	refused(CR4_PKE, l7[2] & (1u << 3), "pke_only_with_protection_keys");
	result(l1[3] & (1u << 13) && !cr4_write_faults(old | CR4_PGE) &&
	       (cr4_read() & CR4_PGE), "pge_goes_on");
	result(!cr4_write_faults(old) && cr4_read() == old, "pge_goes_off");
	apic_base_check();
}
