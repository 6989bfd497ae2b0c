// SPDX-License-Identifier: GPL-2.0
/*
 * Guest writes to CR4, intercepted so that a guest sets only the bits
 * its CPUID offers (guest_cpuid()) and none the architecture reserves:
 * anything else is #GP(0), as on a CPU without the feature.  Left to
 * the CPU, a guest could turn on what the hypervisor hides (OSXSAVE,
 * PKE, PCIDE without PCID), and on QEMU's TCG even reserved bits, which
 * the next VMRUN then refuses with the domain stopped.
 *
 * SVM gives no decoded operand without DecodeAssists (TCG has none):
 * the MOV to CR4 (0F 22 /r, reg 4) is read at the guest's RIP.  Only
 * the instruction's own bytes are fetched, one at a time, so a fetch
 * never reaches past it into a page the guest did not map.
 */
#include <lib/compiler.h>
#include <asm/cpuid.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <asm/x86_emulate.h>
#include <hv/domain.h>
#include "svm.h"

/* A change of these changes what the guest's TLB may hold. */
#define CR4_TLB_BITS	(X86_CR4_PSE | X86_CR4_PAE | X86_CR4_PGE | X86_CR4_PCIDE | \
			 X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_PKE | X86_CR4_LA57)
#define MOV_INSN_MAX	15

struct cr4_feature {
	uint32_t leaf;
	uint8_t reg;		/* 1 EBX, 2 ECX, 3 EDX */
	uint8_t bit;
	uint64_t cr4;
};

/* The CPUID bit that lets each CR4 bit be set. */
static const struct cr4_feature cr4_features[] = {
	{ 1, 3, 1, X86_CR4_VME | X86_CR4_PVI }, { 1, 3, 2, X86_CR4_DE },
	{ 1, 3, 3, X86_CR4_PSE }, { 1, 3, 6, X86_CR4_PAE },
	{ 1, 3, 7, X86_CR4_MCE }, { 1, 3, 13, X86_CR4_PGE },
	{ 1, 3, 24, X86_CR4_OSFXSR }, { 1, 3, 25, X86_CR4_OSXMMEXCPT },
	{ 1, 2, 17, X86_CR4_PCIDE }, { 1, 2, 26, X86_CR4_OSXSAVE },
	{ 7, 1, 0, X86_CR4_FSGSBASE }, { 7, 1, 7, X86_CR4_SMEP },
	{ 7, 1, 20, X86_CR4_SMAP }, { 7, 2, 2, X86_CR4_UMIP },
	{ 7, 2, 3, X86_CR4_PKE }, { 7, 2, 7, X86_CR4_CET },
	{ 7, 2, 16, X86_CR4_LA57 },
};

/* The CR4 bits this vCPU may set: TSD and PCE always, the rest by CPUID. */
static uint64_t cr4_allowed(struct vcpu *v)
{
	uint64_t ok = X86_CR4_TSD | X86_CR4_PCE;
	uint32_t r1[4], r7[4] = { 0 };

	guest_cpuid(v, 1, 0, r1);
	guest_cpuid(v, 0, 0, r7);
	if (r7[0] >= 7)
		guest_cpuid(v, 7, 0, r7);
	else
		r7[0] = r7[1] = r7[2] = r7[3] = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(cr4_features); i++) {
		const struct cr4_feature *f = &cr4_features[i];
		const uint32_t *r = f->leaf == 1 ? r1 : r7;

		if (r[f->reg] & (1u << f->bit))
			ok |= f->cr4;
	}
	return ok;
}

/* 0 when the CPU would take cr4 from MOV, else it raises #GP(0). */
static int cr4_check(struct vcpu *v, uint64_t old, uint64_t cr4)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	bool lma = s->efer & EFER_LMA;

	if (cr4 & ~cr4_allowed(v))
		return -1;
	if (lma && (!(cr4 & X86_CR4_PAE) || ((old ^ cr4) & X86_CR4_LA57)))
		return -1;
	/* PCIDE only in long mode, and set only with PCID 0 in CR3. */
	if ((cr4 & X86_CR4_PCIDE) && !(old & X86_CR4_PCIDE) &&
	    (!lma || (s->cr3 & 0xfff)))
		return -1;
	return 0;
}

static uint64_t gpr(const struct vcpu *v, unsigned int n)
{
	struct x86_regs r;

	svm_regs_out(v, &r);
	return r.gpr[n & 15];
}

/*
 * The MOV at RIP: its source register (0..15) and length, 1 when the
 * bytes there are no MOV to CR4 (another vCPU rewrote them: it runs
 * again), -1 when they cannot be read as the guest could read them.
 */
static int mov_cr4_decode(struct vcpu *v, bool long64, unsigned int *src,
			  unsigned int *len)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_paging pg = { s->cr0, s->cr3, s->cr4, s->efer,
				   s->rflags };
	uint64_t at = (long64 ? 0 : s->cs.base) + s->rip;
	unsigned int access = X86_PF_INSTR | (s->cpl == 3 ? X86_PF_USER : 0);
	unsigned int i, rex = 0;
	uint8_t b[MOV_INSN_MAX];
	struct x86_pf pf;

	for (i = 0; i < MOV_INSN_MAX; i++) {
		if (guest_read_virt(v->dom, &pg, at + i, &b[i], 1, access,
				    &pf) != GUEST_WALK_OK)
			return -1;
		if (i >= 2 && b[i - 2] == 0x0f && b[i - 1] == 0x22)
			break;
		if (i >= 1 && b[i - 1] == 0x0f) {
			if (b[i] != 0x22)
				return 1;
			continue;
		}
		if (b[i] == 0x0f)
			continue;
		/* REX counts only as the last prefix. */
		if (long64 && (b[i] & 0xf0) == 0x40)
			rex = b[i];
		else if (svm_legacy_prefix(b[i]))
			rex = 0;
		else
			return 1;
	}
	if (i == MOV_INSN_MAX || ((b[i] >> 3) & 7) != 4 || (rex & 4))
		return 1;
	*src = (b[i] & 7) | ((rex & 1) << 3);
	*len = i + 1;
	return 0;
}

unsigned int svm_cr4_write(struct vcpu *v)
{
	struct vmcb_save *s = &v->arch.vmcb->save;
	bool long64 = (s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9));
	unsigned int src, len;
	uint64_t cr4;
	int r = mov_cr4_decode(v, long64, &src, &len);

	if (r > 0)
		return 0;
	if (r < 0) {
		domain_crash(v, "MOV to CR4 at %#llx: its bytes are not in RAM",
			     (unsigned long long)s->rip);
		return 0;
	}
	cr4 = gpr(v, src);
	if (!long64)
		cr4 &= 0xffffffffull;
	if (cr4_check(v, s->cr4, cr4)) {
		svm_inject_exception(v, X86_EXC_GP, 1, 0);
		return 0;
	}
	if ((s->cr4 ^ cr4) & CR4_TLB_BITS)
		v->arch.flush_tlb = true;
	s->cr4 = cr4;
	return len;
}
