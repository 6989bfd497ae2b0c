// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow paging on SVM: a domain whose vCPUs run without nested paging
 * (paging=shadow, or a CPU that has none).  The CPU walks tables the
 * hypervisor builds (shadow/), so the guest's CR0, CR3, CR4 and EFER
 * live here and the VMCB holds what the CPU runs with:
 *  - paging always on: a guest with paging off runs on an identity map
 *    of its RAM (paged real mode, or PAE paging in protected mode);
 *  - CR0.WP always on, so that no supervisor write bypasses a leaf the
 *    hypervisor left read-only to see the guest's dirty bit set;
 *  - long mode exactly when the guest's is active, PAE paging else;
 *  - CR3 the shadow root.
 * Every MOV to or from CR0, CR3 and CR4 exits, and so do #PF and INVLPG.
 * The guest-physical map is the nested page table the domain has anyway
 * (svm.c builds it in either mode): shadows map what it maps, no more.
 */
#include <stdint.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/guest_walk.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/shadow.h>
#include <asm/vcpu.h>
#include <asm/x86_emulate.h>
#include <hv/domain.h>
#include <hv/mm.h>
#include <hv/printk.h>
#include "npt.h"
#include "svm.h"

/* Shadow pages per vCPU: 1 MiB, the tables of up to about 1 GiB mapped. */
#define VTLB_PAGES		256
/* The same fault filled this often in a row: its leaf does not take. */
#define PF_REPEAT_MAX		16
#define CS_L			(1u << 9)
#define X86_EXC_DF		8
/* MOV to CR3 in long mode: bits 63:52 are reserved (no PCID here). */
#define CR3_RSVD_LONG		0xfff0000000000000ull

static unsigned int table_levels(const struct arch_vcpu *av)
{
	return (av->g_efer & EFER_LMA) ? 4 : 3;
}

/* What the CPU runs with, from the guest's registers. */
static void load_hw(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb_save *s = &av->vmcb->save;
	uint64_t cr4 = (av->g_cr4 | X86_CR4_PAE) & ~X86_CR4_PCIDE;
	bool lma = av->g_efer & EFER_LMA;

	/* The identity map is all user pages: nothing for SMEP to refuse. */
	if (!(av->g_cr0 & X86_CR0_PG))
		cr4 &= ~(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_PKE);
	s->cr0 = av->g_cr0 | X86_CR0_PG | X86_CR0_WP;
	s->cr4 = cr4;
	s->efer = (av->g_efer & ~(EFER_LME | EFER_LMA)) | EFER_SVME |
		  (lma ? EFER_LME | EFER_LMA : 0);
	s->cr3 = vtlb_root(&av->vtlb);
}

/* The shadow changed: a fault at the same place is a new one. */
static void shadow_changed(struct vcpu *v)
{
	v->arch.flush_tlb = true;
	v->arch.pf_repeats = 0;
}

/* The guest flushed its TLB: so does the vCPU's shadow, and the CPU's. */
static void drop_all(struct vcpu *v)
{
	vtlb_flush(&v->arch.vtlb, table_levels(&v->arch));
	shadow_changed(v);
}

static int cr0_write(struct vcpu *v, uint64_t val)
{
	struct arch_vcpu *av = &v->arch;
	uint64_t old = av->g_cr0;
	bool code64 = av->vmcb->save.cs.attrib & CS_L;

	if (val >> 32 || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
	    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)))
		return -1;
	val |= X86_CR0_ET;
	if ((val & ~old & X86_CR0_PG) && (av->g_efer & EFER_LME)) {
		if (!(av->g_cr4 & X86_CR4_PAE) || code64)
			return -1;
		av->g_efer |= EFER_LMA;
	}
	if ((old & ~val & X86_CR0_PG) && (av->g_efer & EFER_LMA)) {
		if (code64)
			return -1;
		av->g_efer &= ~EFER_LMA;
	}
	av->g_cr0 = val;
	if ((old ^ val) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		drop_all(v);
	load_hw(v);
	return 0;
}

static int cr3_write(struct vcpu *v, uint64_t val)
{
	struct arch_vcpu *av = &v->arch;

	if ((av->g_efer & EFER_LMA) && (val & CR3_RSVD_LONG))
		return -1;
	av->g_cr3 = val;
	vtlb_flush_local(&av->vtlb);
	shadow_changed(v);
	load_hw(v);
	return 0;
}

void svm_shadow_cr4_set(struct vcpu *v, uint64_t cr4, bool tlb)
{
	struct arch_vcpu *av = &v->arch;

	av->g_cr4 = cr4;
	if (tlb)
		drop_all(v);
	load_hw(v);
}

int svm_shadow_cr_write(struct vcpu *v, unsigned int cr, uint64_t val)
{
	if (cr == 0)
		return cr0_write(v, val);
	if (cr == 3)
		return cr3_write(v, val);
	return -1;
}

int svm_shadow_efer_write(struct vcpu *v, uint64_t val)
{
	struct arch_vcpu *av = &v->arch;
	uint64_t old = av->g_efer;

	if ((av->g_cr0 & X86_CR0_PG) && ((old ^ val) & EFER_LME))
		return -1;
	av->g_efer = (val & ~EFER_LMA) | (old & EFER_LMA);
	/* A leaf with XD is a reserved-bit fault without NXE. */
	if ((old ^ av->g_efer) & EFER_NXE)
		drop_all(v);
	load_hw(v);
	return 0;
}

int svm_shadow_vcpu_init(struct vcpu *v)
{
	uint64_t pa;

	if (!v->dom->shadow_paging)
		return 0;
	pa = pages_alloc(VTLB_PAGES, PAGE_SIZE);
	if (!pa)
		return -PVKIT_ENOMEM;
	/* A PAE root is found through a 32-bit CR3. */
	if (pa + VTLB_PAGES * PAGE_SIZE > (1ull << 32)) {
		pr_err("d%u: no memory below 4 GiB for shadow page tables",
		       v->dom->id);
		pages_free(pa, VTLB_PAGES);
		return -PVKIT_ENOMEM;
	}
	vtlb_init(&v->arch.vtlb, phys_to_virt(pa), pa, VTLB_PAGES);
	return 0;
}

/* After the VMCB's state was set as nested paging would run it. */
void svm_shadow_reset(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb_control *c = &av->vmcb->control;
	const struct vmcb_save *s = &av->vmcb->save;

	if (!v->dom->shadow_paging)
		return;
	av->shadow = true;
	c->np_enable = 0;
	c->n_cr3 = 0;
	c->intercept_cr |= INTERCEPT_CR0_READ | INTERCEPT_CR3_READ |
			   INTERCEPT_CR4_READ | INTERCEPT_CR0_WRITE |
			   INTERCEPT_CR3_WRITE | INTERCEPT_CR4_WRITE;
	c->intercept_exceptions |= INTERCEPT_EXC_PF;
	c->intercept_misc1 |= INTERCEPT_INVLPG;
	av->g_cr0 = s->cr0;
	av->g_cr3 = s->cr3;
	av->g_cr4 = s->cr4;
	av->g_efer = s->efer & ~EFER_SVME;
	av->pf_repeats = 0;
	drop_all(v);
	load_hw(v);
}

void svm_shadow_before_entry(struct vcpu *v)
{
	if (v->arch.shadow &&
	    __atomic_exchange_n(&v->arch.vtlb_stale, false, __ATOMIC_ACQUIRE))
		drop_all(v);
}

static int p2m(struct domain *d, uint64_t gpa, uint64_t *hpa)
{
	if (gpa < d->mem_bytes) {
		*hpa = d->mem_hpa + gpa;
		return SHADOW_P2M_RAM;
	}
	if (npt_lookup(d->arch.npt_root_pa, gpa, hpa))
		return SHADOW_P2M_DEVICE;
	return SHADOW_P2M_NONE;
}

/*
 * The guest's own #PF.  One raised while the CPU delivered a #PF or a
 * contributory exception is a double fault, and a fault delivering
 * that ends the domain as a triple fault would.
 */
static void inject_pf(struct vcpu *v, const struct x86_pf *pf)
{
	struct vmcb_control *c = &v->arch.vmcb->control;
	uint64_t ev = c->event_inj;
	unsigned int vec = ev & 0xff;

	c->event_inj = 0;
	if ((ev & EVENT_VALID) &&
	    (ev & EVENT_TYPE_MASK) == EVENT_TYPE_EXC) {
		if (vec == X86_EXC_DF) {
			domain_crash(v, "triple fault: #PF at %#llx delivering #DF",
				     (unsigned long long)pf->addr);
			return;
		}
		if (vec == X86_EXC_PF || vec == 0 || (vec >= 10 && vec <= 13)) {
			svm_inject_exception(v, X86_EXC_DF, 1, 0);
			return;
		}
	}
	v->arch.vmcb->save.cr2 = pf->addr;
	svm_inject_exception(v, X86_EXC_PF, 1, pf->error_code);
}

/*
 * True (the domain stopped) when the same fault keeps coming back with
 * nothing changed in between: the leaf filled does not take.  Once it
 * repeats, the CPU's TLB for the vCPU is flushed too, in case it holds
 * what the leaf replaced.
 */
static bool fault_repeats(struct vcpu *v, uint64_t va, uint32_t err)
{
	struct arch_vcpu *av = &v->arch;
	uint64_t rip = av->vmcb->save.rip;

	if (rip != av->pf_rip || va != av->pf_va) {
		av->pf_rip = rip;
		av->pf_va = va;
		av->pf_repeats = 0;
		return false;
	}
	av->flush_tlb = true;
	if (++av->pf_repeats < PF_REPEAT_MAX)
		return false;
	domain_crash(v, "shadow paging: #PF at %#llx (error %#x) comes back after %u fills",
		     (unsigned long long)va, err, av->pf_repeats);
	return true;
}

void svm_shadow_pf(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb_control *c = &av->vmcb->control;
	uint64_t va = c->exit_info2, gpa = 0, flushes = av->vtlb.flushes;
	uint32_t err = (uint32_t)c->exit_info1;
	struct guest_paging pg;
	struct x86_pf pf;
	int rc;

	if (err & X86_PF_RSVD) {
		domain_crash(v, "shadow paging: reserved bit in the entry for %#llx (error %#x)",
			     (unsigned long long)va, err);
		return;
	}
	if (fault_repeats(v, va, err))
		return;
	svm_guest_paging(v, &pg);
	rc = shadow_fault(v->dom, &av->vtlb, &pg, p2m, va, err, &pf, &gpa);
	/* A full pool was flushed: the CPU may hold what it held. */
	if (av->vtlb.flushes != flushes)
		av->flush_tlb = true;
	switch (rc) {
	case SHADOW_FIXED:
		return;
	case SHADOW_GUEST_PF:
		av->pf_repeats = 0;
		inject_pf(v, &pf);
		return;
	case SHADOW_MMIO:
		av->pf_repeats = 0;
		svm_gpa_fault(v, gpa, err & X86_PF_WRITE);
		return;
	default:
		domain_crash(v, "shadow paging: the guest's page tables for %#llx are not in its RAM",
			     (unsigned long long)va);
	}
}

unsigned int svm_shadow_invlpg(struct vcpu *v)
{
	struct x86_emul_ctx ctx;
	struct x86_insn in;
	struct x86_regs regs;
	uint64_t la;

	if (!svm_decode_at_rip(v, &in, &ctx, &regs) ||
	    in.op != X86_OP_INVLPG) {
		domain_crash(v, "INVLPG exit at %#llx: no INVLPG there",
			     (unsigned long long)v->arch.vmcb->save.rip);
		return 0;
	}
	if (ctx.cpl) {
		svm_inject_exception(v, X86_EXC_GP, 1, 0);
		return 0;
	}
	/* INVLPG of a non-canonical address does nothing. */
	if (x86_insn_linear(&ctx, &regs, &in, &la)) {
		vtlb_invlpg(&v->arch.vtlb, la);
		shadow_changed(v);
	}
	return in.len;
}

void svm_shadow_dump(const struct vcpu *v)
{
	const struct arch_vcpu *av = &v->arch;

	if (!av->shadow)
		return;
	pr_err("  shadow paging: guest CR0 %llx CR3 %llx CR4 %llx EFER %llx; %u/%u pages, %llu fills, %llu flushes, %llu global leaves kept",
	       (unsigned long long)av->g_cr0, (unsigned long long)av->g_cr3,
	       (unsigned long long)av->g_cr4, (unsigned long long)av->g_efer,
	       av->vtlb.used, av->vtlb.pages,
	       (unsigned long long)av->vtlb.fills,
	       (unsigned long long)av->vtlb.flushes,
	       (unsigned long long)av->vtlb.globals_kept);
}
