// SPDX-License-Identifier: GPL-2.0
/*
 * Intercepted control-register accesses.  Writes to CR4 always: a guest
 * sets only the bits its CPUID offers (guest_cpuid()) and none the
 * architecture reserves, anything else is #GP(0) as on a CPU without
 * the feature.  Left to the CPU, a guest could turn on what the
 * hypervisor hides (OSXSAVE, PKE, PCIDE without PCID), and on QEMU's TCG
 * even reserved bits, which the next VMRUN then refuses with the domain
 * stopped.  Under shadow paging also CR0 and CR3 and every read, since
 * the CPU holds the hypervisor's values there (svm_shadow.c).
 *
 * SVM gives no decoded operand without DecodeAssists (TCG has none):
 * the MOV (0F 20 /r from, 0F 22 /r to) or CLTS (0F 06) is read at the
 * guest's RIP; SMSW and LMSW, which exit as CR0 accesses under shadow
 * paging, go through the instruction decoder.  Only the instruction's own bytes are fetched, one at a
 * time, so a fetch never reaches past it into a page the guest did not
 * map.
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

/* The guest's own paging registers, whichever paging runs it. */
uint64_t svm_guest_cr(const struct vcpu *v, unsigned int cr)
{
	const struct arch_vcpu *av = &v->arch;
	const struct vmcb_save *s = &av->vmcb->save;

	switch (cr) {
	case 0:
		return av->shadow ? av->g_cr0 : s->cr0;
	case 2:
		return s->cr2;
	case 3:
		return av->shadow ? av->g_cr3 : s->cr3;
	case 4:
		return av->shadow ? av->g_cr4 : s->cr4;
	}
	return 0;
}

uint64_t svm_guest_efer(const struct vcpu *v)
{
	const struct arch_vcpu *av = &v->arch;

	return av->shadow ? av->g_efer : av->vmcb->save.efer & ~EFER_SVME;
}

/*
 * The guest's MAXPHYADDR and 1 GiB pages, for the walk's reserved bits:
 * guest_cpuid() passes both through from the host's CPUID.
 */
static uint8_t host_maxphy;
static bool host_gb_pages;

void svm_guest_paging(const struct vcpu *v, struct guest_paging *pg)
{
	if (!host_maxphy) {
		uint32_t a, b, c, d;

		cpuid_count(0x80000001, 0, &a, &b, &c, &d);
		host_gb_pages = d & (1u << 26);
		cpuid_count(0x80000008, 0, &a, &b, &c, &d);
		host_maxphy = (uint8_t)a;
	}
	*pg = (struct guest_paging){
		.cr0 = svm_guest_cr(v, 0),
		.cr3 = svm_guest_cr(v, 3),
		.cr4 = svm_guest_cr(v, 4),
		.efer = svm_guest_efer(v),
		.rflags = v->arch.vmcb->save.rflags,
		.maxphy = host_maxphy,
		.no_gb_pages = !host_gb_pages,
	};
}

/* As many bytes as the guest could fetch at RIP, up to 15. */
static unsigned int fetch_insn(struct vcpu *v, const struct guest_paging *pg,
			       uint64_t at, uint8_t *b)
{
	unsigned int access = X86_PF_INSTR |
			      (v->arch.vmcb->save.cpl == 3 ? X86_PF_USER : 0);
	struct x86_pf pf;
	unsigned int n;

	for (n = 0; n < X86_MAX_INSN_LEN; n++)
		if (guest_read_virt(v->dom, pg, at + n, &b[n], 1, access,
				    &pf) != GUEST_WALK_OK)
			break;
	return n;
}

bool svm_decode_at_rip(struct vcpu *v, struct x86_insn *in,
		       struct x86_emul_ctx *ctx, struct x86_regs *regs)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	uint8_t b[X86_MAX_INSN_LEN];
	struct guest_paging pg;
	unsigned int n;

	*ctx = (struct x86_emul_ctx){
		.mode = svm_cpu_mode(s),
		.cpl = s->cpl,
		.seg_base = { s->es.base, s->cs.base, s->ss.base, s->ds.base,
			      s->fs.base, s->gs.base },
	};
	svm_guest_paging(v, &pg);
	svm_regs_out(v, regs);
	n = fetch_insn(v, &pg, (ctx->mode == 64 ? 0 : s->cs.base) + s->rip, b);
	return x86_decode(b, n, ctx->mode, in) == X86_DECODE_OK;
}

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
	bool lma = svm_guest_efer(v) & EFER_LMA;
	uint64_t cr3 = svm_guest_cr(v, 3);

	if (cr4 & ~cr4_allowed(v))
		return -1;
	if (lma && (!(cr4 & X86_CR4_PAE) || ((old ^ cr4) & X86_CR4_LA57)))
		return -1;
	/* PCIDE only in long mode, and set only with PCID 0 in CR3. */
	if ((cr4 & X86_CR4_PCIDE) && !(old & X86_CR4_PCIDE) &&
	    (!lma || (cr3 & 0xfff)))
		return -1;
	return 0;
}

static uint64_t gpr(const struct vcpu *v, unsigned int n)
{
	struct x86_regs r;

	svm_regs_out(v, &r);
	return r.gpr[n & 15];
}

/* What the instruction at RIP does to a control register. */
struct cr_insn {
	bool write;
	bool clts;
	unsigned int cr;	/* 0..15 */
	unsigned int gpr;	/* 0..15 */
	unsigned int len;
};

/*
 * Decodes the MOV or CLTS at RIP: 1 when the bytes there are none
 * (another vCPU rewrote them: it runs again), -1 when they cannot be
 * read as the guest could read them.
 */
static int mov_cr_decode(struct vcpu *v, bool long64, struct cr_insn *in)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_paging pg;
	uint64_t at = (long64 ? 0 : s->cs.base) + s->rip;
	unsigned int access = X86_PF_INSTR | (s->cpl == 3 ? X86_PF_USER : 0);
	unsigned int i, rex = 0;
	uint8_t b[MOV_INSN_MAX];
	struct x86_pf pf;

	svm_guest_paging(v, &pg);
	for (i = 0; i < MOV_INSN_MAX; i++) {
		if (guest_read_virt(v->dom, &pg, at + i, &b[i], 1, access,
				    &pf) != GUEST_WALK_OK)
			return -1;
		if (i >= 2 && b[i - 2] == 0x0f &&
		    (b[i - 1] == 0x20 || b[i - 1] == 0x22))
			break;
		if (i >= 1 && b[i - 1] == 0x0f) {
			if (b[i] == 0x06) {
				*in = (struct cr_insn){ .write = true,
							.clts = true,
							.len = i + 1 };
				return 0;
			}
			if (b[i] != 0x20 && b[i] != 0x22)
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
	if (i == MOV_INSN_MAX)
		return 1;
	/* ModRM.mod is ignored: the operand is always a register. */
	*in = (struct cr_insn){
		.write = b[i - 1] == 0x22,
		.cr = ((b[i] >> 3) & 7) | ((rex & 4) << 1),
		.gpr = (b[i] & 7) | ((rex & 1) << 3),
		.len = i + 1,
	};
	return 0;
}

static void set_gpr(struct vcpu *v, unsigned int n, uint64_t val)
{
	uint64_t *r[16] = {
		&v->arch.vmcb->save.rax, &v->arch.regs.rcx,
		&v->arch.regs.rdx, &v->arch.regs.rbx,
		&v->arch.vmcb->save.rsp, &v->arch.regs.rbp,
		&v->arch.regs.rsi, &v->arch.regs.rdi, &v->arch.regs.r8,
		&v->arch.regs.r9, &v->arch.regs.r10, &v->arch.regs.r11,
		&v->arch.regs.r12, &v->arch.regs.r13, &v->arch.regs.r14,
		&v->arch.regs.r15,
	};

	*r[n & 15] = val;
}

/* 0, or -1 for #GP(0): the checks a MOV to CR4 makes. */
static int cr4_write(struct vcpu *v, uint64_t cr4)
{
	uint64_t old = svm_guest_cr(v, 4);

	bool tlb = (old ^ cr4) & CR4_TLB_BITS;

	if (cr4_check(v, old, cr4))
		return -1;
	if (v->arch.shadow) {
		svm_shadow_cr4_set(v, cr4, tlb);
		return 0;
	}
	v->arch.vmcb->save.cr4 = cr4;
	v->arch.flush_tlb |= tlb;
	return 0;
}

/* Under nested paging only CR4 writes exit. */
static int cr_write(struct vcpu *v, unsigned int cr, uint64_t val)
{
	if (cr == 4)
		return cr4_write(v, val);
	return v->arch.shadow ? svm_shadow_cr_write(v, cr, val) : -1;
}

/* Which access an exit code says was made: CR n, read or write. */
static bool insn_matches(const struct cr_insn *in, uint64_t code)
{
	unsigned int cr = code & 15;
	bool write = code >= SVM_EXIT_WRITE_CR0;

	return in->write == write && (in->clts ? cr == 0 : in->cr == cr);
}

static void msw_fault(struct vcpu *v, int rc, const struct x86_pf *pf)
{
	if (rc == GUEST_WALK_PF) {
		v->arch.vmcb->save.cr2 = pf->addr;
		svm_inject_exception(v, X86_EXC_PF, 1, pf->error_code);
		return;
	}
	domain_crash(v, "SMSW or LMSW at %#llx: its operand is not in RAM",
		     (unsigned long long)v->arch.vmcb->save.rip);
}

/* SMSW into a register: as wide as the operand, of the guest's CR0. */
static void smsw_reg(struct vcpu *v, const struct x86_insn *in, uint64_t cr0)
{
	uint64_t old = gpr(v, in->rm);

	if (in->opsize == 2)
		cr0 = (old & ~0xffffull) | (cr0 & 0xffff);
	else if (in->opsize == 4)
		cr0 = (uint32_t)cr0;
	set_gpr(v, in->rm, cr0);
}

/*
 * SMSW and LMSW exit as CR0 accesses under shadow paging: the machine
 * status word is CR0's low 16 bits, of which LMSW sets PE, MP, EM and TS
 * (PE only on, never off).
 */
static unsigned int msw_access(struct vcpu *v, bool lmsw)
{
	uint64_t cr0 = svm_guest_cr(v, 0), la = 0;
	unsigned int acc = v->arch.vmcb->save.cpl == 3 ? X86_PF_USER : 0;
	struct x86_emul_ctx ctx;
	struct guest_paging pg;
	struct x86_insn in;
	struct x86_regs regs;
	struct x86_pf pf;
	uint16_t w = (uint16_t)cr0;
	int rc = GUEST_WALK_OK;

	if (!svm_decode_at_rip(v, &in, &ctx, &regs) ||
	    in.op != (lmsw ? X86_OP_LMSW : X86_OP_SMSW))
		return 0;
	if ((lmsw && ctx.cpl) ||
	    (!lmsw && ctx.cpl && (svm_guest_cr(v, 4) & X86_CR4_UMIP)) ||
	    (in.has_mem && !x86_insn_linear(&ctx, &regs, &in, &la))) {
		svm_inject_exception(v, X86_EXC_GP, 1, 0);
		return 0;
	}
	svm_guest_paging(v, &pg);
	if (!lmsw && !in.has_mem)
		smsw_reg(v, &in, cr0);
	else if (!lmsw)
		rc = guest_write_virt(v->dom, &pg, la, &w, 2,
				      acc | X86_PF_WRITE, &pf);
	else if (in.has_mem)
		rc = guest_read_virt(v->dom, &pg, la, &w, 2, acc, &pf);
	else
		w = (uint16_t)gpr(v, in.rm);
	if (rc) {
		msw_fault(v, rc, &pf);
		return 0;
	}
	if (lmsw && cr_write(v, 0, (cr0 & ~0xfull) | (w & 0xf) |
				   (cr0 & X86_CR0_PE))) {
		svm_inject_exception(v, X86_EXC_GP, 1, 0);
		return 0;
	}
	return in.len;
}

unsigned int svm_cr_access(struct vcpu *v, uint64_t code)
{
	struct vmcb_save *s = &v->arch.vmcb->save;
	bool long64 = (svm_guest_efer(v) & EFER_LMA) &&
		      (s->cs.attrib & (1u << 9));
	struct cr_insn in;
	uint64_t val;
	int r = mov_cr_decode(v, long64, &in);

	if (r > 0 && (code == SVM_EXIT_READ_CR0 || code == SVM_EXIT_WRITE_CR0))
		return msw_access(v, code == SVM_EXIT_WRITE_CR0);
	if (r > 0 || (r == 0 && !insn_matches(&in, code)))
		return 0;
	if (r < 0) {
		domain_crash(v, "MOV to or from CR%u at %#llx: its bytes are not in RAM",
			     (unsigned int)(code & 15),
			     (unsigned long long)s->rip);
		return 0;
	}
	if (s->cpl) {
		svm_inject_exception(v, X86_EXC_GP, 1, 0);
		return 0;
	}
	if (!in.write) {
		val = svm_guest_cr(v, in.cr);
		set_gpr(v, in.gpr, long64 ? val : (uint32_t)val);
		return in.len;
	}
	if (in.clts)
		val = svm_guest_cr(v, 0) & ~X86_CR0_TS;
	else
		val = long64 ? gpr(v, in.gpr) : (uint32_t)gpr(v, in.gpr);
	if (cr_write(v, in.clts ? 0 : in.cr, val)) {
		svm_inject_exception(v, X86_EXC_GP, 1, 0);
		return 0;
	}
	return in.len;
}
