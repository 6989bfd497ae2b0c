// SPDX-License-Identifier: GPL-2.0
/*
 * Model-specific registers a guest may touch without reaching hardware.
 * The ones VMLOAD/VMSAVE switch pass straight through (svm.c); EFER,
 * PAT, TSC, TSC_AUX and the local APIC's have their own handlers; the
 * rest that a Linux guest reads on an AMD CPU are listed here with what
 * they read as.  Writes to them are kept per vCPU (so a guest reads back
 * what it wrote) but never reach the CPU.  The machine-check registers
 * and the legacy performance counters have their own rules (below).  Anything else is #GP, as on a CPU that
 * lacks the register.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <asm/msr.h>
#include <asm/vcpu.h>

struct msr_desc {
	uint32_t msr;
	uint64_t reset;		/* value after reset */
};

/* Index i of this table is slot i of arch_vcpu.msr_store. */
static const struct msr_desc shadowed[] = {
	{ 0x0000008b, 0 },	/* PATCH_LEVEL: no microcode loaded */
	{ 0x000000fe, 0 },	/* MTRRcap: no variable or fixed ranges */
	{ 0x000002ff, 0 },	/* MTRRdefType: MTRRs off */
	{ 0xc0010010, 0 },	/* SYSCFG */
	{ 0xc0010015, 0 },	/* HWCR */
	{ 0xc001001f, 0 },	/* NB_CFG */
	{ 0xc0011020, 0 },	/* LS_CFG */
	{ 0xc0011021, 0 },	/* IC_CFG */
	{ 0xc0011022, 0 },	/* DC_CFG */
	{ 0xc0011023, 0 },	/* TW_CFG / CU_CFG */
	{ 0xc0011028, 0 },	/* FP_CFG */
	{ 0xc0011029, 0 },	/* DE_CFG */
	{ 0xc001102a, 0 },	/* BU_CFG2 */
};

_Static_assert(ARRAY_SIZE(shadowed) <= MSR_STORE_SLOTS, "msr_store");

/*
 * The machine-check architecture that CPUID's MCE and MCA bits promise:
 * MCG_CAP gives MCA_BANKS banks and nothing else (no MCG_CTL, no
 * extended or CMCI registers).  Each bank's CTL keeps what the guest
 * writes.  No machine check ever reaches a guest, so MCG_STATUS and
 * every bank's STATUS, ADDR and MISC read as 0 and take only 0: a
 * nonzero STATUS write is #GP on AMD (short of HWCR.McStatusWrEn, which
 * pvkit does not honour), and an error record nobody raised would only
 * mislead the guest.
 */
#define MSR_MCG_CAP	0x179
#define MSR_MCG_STATUS	0x17a
#define MSR_MC0_CTL	0x400
#define MCA_REGS	4	/* CTL, STATUS, ADDR, MISC per bank */

/* The bank whose MCi_CTL msr is, or -1. */
static int mca_ctl_bank(uint32_t msr)
{
	uint32_t off = msr - MSR_MC0_CTL;

	if (msr < MSR_MC0_CTL || off >= MCA_REGS * MCA_BANKS ||
	    off % MCA_REGS)
		return -1;
	return (int)(off / MCA_REGS);
}

/* MCG_STATUS and, past the CTLs, each bank's STATUS, ADDR and MISC. */
static bool mca_zero_msr(uint32_t msr)
{
	return msr == MSR_MCG_STATUS ||
	       (msr >= MSR_MC0_CTL && msr < MSR_MC0_CTL + MCA_REGS * MCA_BANKS);
}

static int mca_read(const struct arch_vcpu *av, uint32_t msr, uint64_t *val)
{
	int bank = mca_ctl_bank(msr);

	if (bank >= 0)
		*val = av->mca_ctl[bank];
	else if (msr == MSR_MCG_CAP)
		*val = MCA_BANKS;
	else if (mca_zero_msr(msr))
		*val = 0;
	else
		return -1;
	return 0;
}

static int mca_write(struct arch_vcpu *av, uint32_t msr, uint64_t val)
{
	int bank = mca_ctl_bank(msr);

	if (bank >= 0) {
		av->mca_ctl[bank] = val;
		return 0;
	}
	/* MCG_CAP is read-only, as on hardware. */
	return mca_zero_msr(msr) && !val ? 0 : -1;
}

/*
 * The four legacy performance counters (PERF_CTL0-3, PERF_CTR0-3) are on
 * every AMD CPU since the K7, with no CPUID bit to hide them; software
 * may write them unasked (kvm-unit-tests' setup zeroes them).  pvkit
 * counts nothing, so they read 0 and drop writes, as under KVM without a
 * virtual PMU.  Linux's probe writes a counter and reads it back: it
 * differs, so Linux keeps software events only, as when these were #GP.
 */
#define MSR_K7_PERF_CTL0	0xc0010000
#define MSR_K7_PERF_CTR3	0xc0010007

static bool k7_perf_msr(uint32_t msr)
{
	return msr >= MSR_K7_PERF_CTL0 && msr <= MSR_K7_PERF_CTR3;
}

static int slot_of(uint32_t msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(shadowed); i++)
		if (shadowed[i].msr == msr)
			return (int)i;
	return -1;
}

void msr_vcpu_init(struct arch_vcpu *av)
{
	for (size_t i = 0; i < ARRAY_SIZE(shadowed); i++)
		av->msr_store[i] = shadowed[i].reset;
	for (size_t i = 0; i < MCA_BANKS; i++)
		av->mca_ctl[i] = 0;
}

int msr_shadow_read(struct arch_vcpu *av, uint32_t msr, uint64_t *val)
{
	int i = slot_of(msr);

	if (k7_perf_msr(msr)) {
		*val = 0;
		return 0;
	}
	if (i < 0)
		return mca_read(av, msr, val);
	*val = av->msr_store[i];
	return 0;
}

int msr_shadow_write(struct arch_vcpu *av, uint32_t msr, uint64_t val)
{
	int i = slot_of(msr);

	if (k7_perf_msr(msr))
		return 0;
	if (i < 0)
		return mca_write(av, msr, val);
	/* MTRRcap and PATCH_LEVEL are read-only on hardware too. */
	if (msr == 0xfe)
		return -1;
	if (msr != 0x8b)
		av->msr_store[i] = val;
	return 0;
}
