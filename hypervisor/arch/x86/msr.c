// SPDX-License-Identifier: GPL-2.0
/*
 * Model-specific registers a guest may touch without reaching hardware.
 * The ones VMLOAD/VMSAVE switch pass straight through (svm.c); EFER,
 * PAT, TSC, TSC_AUX and the local APIC's have their own handlers; the
 * rest that a Linux guest reads on an AMD CPU are listed here with what
 * they read as.  Writes to them are kept per vCPU (so a guest reads back
 * what it wrote) but never reach the CPU.  Anything else is #GP, as on
 * a CPU that lacks the register.
 */
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
}

int msr_shadow_read(struct arch_vcpu *av, uint32_t msr, uint64_t *val)
{
	int i = slot_of(msr);

	if (i < 0)
		return -1;
	*val = av->msr_store[i];
	return 0;
}

int msr_shadow_write(struct arch_vcpu *av, uint32_t msr, uint64_t val)
{
	int i = slot_of(msr);

	/* MTRRcap and PATCH_LEVEL are read-only on hardware too. */
	if (i < 0 || msr == 0xfe)
		return -1;
	if (msr != 0x8b)
		av->msr_store[i] = val;
	return 0;
}
