// SPDX-License-Identifier: GPL-2.0
/*
 * AMD SVM with nested paging: enabling it on each pCPU, building a vCPU's
 * VMCB from the ABI's entry state, and the VMRUN loop.
 */
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/fpu.h>
#include <asm/guest_walk.h>
#include <asm/layout.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/mm.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/vcpu_ops.h>
#include "npt.h"
#include "svm.h"

#define CPUID_SVM_FEATURES	0x8000000a
#define SVM_FEAT_NP		(1u << 0)
#define IOPM_PAGES		3
#define MSRPM_PAGES		2

_Static_assert(offsetof(struct guest_regs, rsi) == 24, "svm_entry.S");
_Static_assert(offsetof(struct guest_regs, r15) == 104, "svm_entry.S");

static uint32_t max_asid;
static bool has_npt;
static uint32_t next_asid = 1;

static int svm_cpu_init(void)
{
	struct pcpu *pc = this_cpu();
	uint32_t a, b, c, d;

	if (!(cpuid_ecx(0x80000001) & (1u << 2))) {
		pr_err("svm: this CPU has no AMD SVM");
		return -PVKIT_ENOSYS;
	}
	if (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS) {
		pr_err("svm: SVM is disabled by the firmware (VM_CR.SVMDIS)");
		return -PVKIT_EPERM;
	}
	cpuid_count(CPUID_SVM_FEATURES, 0, &a, &b, &c, &d);
	has_npt = d & SVM_FEAT_NP;
	max_asid = b;
	pc->arch.hsave_pa = virt_to_phys(page_zalloc());
	pc->arch.host_save_pa = virt_to_phys(page_zalloc());
	if (!pc->arch.hsave_pa || !pc->arch.host_save_pa)
		return -PVKIT_ENOMEM;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, pc->arch.hsave_pa);
	svm_isolation_cpu_init();
	return 0;
}

static void *pages_zalloc(unsigned int n, uint64_t *pa)
{
	*pa = pages_alloc(n, PAGE_SIZE);
	if (!*pa)
		return NULL;
	memset(phys_to_virt(*pa), 0, n * PAGE_SIZE);
	return phys_to_virt(*pa);
}

/* MSRs whose guest copies VMLOAD/VMSAVE switch: safe to pass through. */
static const uint32_t passthrough_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR,
	MSR_CSTAR, MSR_SFMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP,
	MSR_SYSENTER_EIP,
};

static void msrpm_allow(uint8_t *pm, uint32_t msr)
{
	uint32_t base;

	if (msr < 0x2000)
		base = 0;
	else if (msr - 0xc0000000u < 0x2000)
		base = 0x800 * 8, msr -= 0xc0000000u;
	else if (msr - 0xc0010000u < 0x2000)
		base = 0x1000 * 8, msr -= 0xc0010000u;
	else
		return;
	base += msr * 2;
	pm[base / 8] &= ~(3u << (base % 8));
}

/*
 * The nested page table is built in either mode: under shadow paging it
 * is the guest-physical map the shadows are made from.
 */
static int svm_domain_init(struct domain *d)
{
	struct arch_domain *ad = &d->arch;
	int ret;

	if (d->paging == PAGING_NESTED && !has_npt) {
		pr_err("%s: paging=nested, but this CPU has no nested paging",
		       d->name);
		return -PVKIT_ENOSYS;
	}
#ifndef CONFIG_SHADOW_PAGING
	if (!has_npt) {
		pr_err("%s: this CPU has no nested paging, and shadow paging is not in this build (CONFIG_SHADOW_PAGING is off)",
		       d->name);
		return -PVKIT_ENOSYS;
	}
#endif
	d->shadow_paging = d->paging == PAGING_SHADOW || !has_npt;
	if (d->shadow_paging)
		pr_info("%s: shadow paging (%s)", d->name,
			has_npt ? "paging=shadow" :
				  "this CPU has no nested paging");
	ret = npt_create(&ad->npt_root_pa);
	if (ret)
		return ret;
	ret = npt_map_range(ad->npt_root_pa, 0, d->mem_hpa, d->mem_bytes);
	if (ret)
		return ret;
	ad->iopm = pages_zalloc(IOPM_PAGES, &ad->iopm_pa);
	ad->msrpm = pages_zalloc(MSRPM_PAGES, &ad->msrpm_pa);
	if (!ad->iopm || !ad->msrpm)
		return -PVKIT_ENOMEM;
	/* No port and no MSR reaches hardware unless listed. */
	memset(ad->iopm, 0xff, IOPM_PAGES * PAGE_SIZE);
	memset(ad->msrpm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	for (size_t i = 0; i < ARRAY_SIZE(passthrough_msrs); i++)
		msrpm_allow(ad->msrpm, passthrough_msrs[i]);
	return 0;
}

/*
 * Every vCPU flushes its nested translations at its next VMRUN.  One
 * still in guest mode may use a page just unmapped until then: that
 * page is the same device's, so only the guest can be confused by it.
 */
static int svm_domain_map_mmio(struct domain *d, uint64_t gpa, uint64_t hpa,
			       uint64_t len, bool map)
{
	uint64_t root = d->arch.npt_root_pa;
	int ret = 0;

	if (!len || (gpa | hpa | len) & (PAGE_SIZE - 1) ||
	    gpa < d->mem_bytes || gpa + len < gpa)
		return -PVKIT_EINVAL;
	if (map)
		ret = npt_map_mmio(root, gpa, hpa, len);
	else
		npt_unmap_mmio(root, gpa, len);
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		__atomic_store_n(&d->vcpus[i]->arch.vtlb_stale, true,
				 __ATOMIC_RELEASE);
		__atomic_store_n(&d->vcpus[i]->arch.flush_tlb, true,
				 __ATOMIC_RELEASE);
	}
	return ret;
}

static void seg_set(struct vmcb_seg *s, uint16_t sel, uint16_t attrib,
		    uint32_t limit, uint64_t base)
{
	s->sel = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = base;
}

static void vmcb_init_control(struct vcpu *v, struct vmcb_control *c)
{
	struct arch_domain *ad = &v->dom->arch;

	/* Why each intercept is there: docs/hypervisor.md. */
	c->intercept_cr = INTERCEPT_CR4_WRITE;
	c->intercept_exceptions = INTERCEPT_EXC_DB | INTERCEPT_EXC_AC;
	c->intercept_dr = INTERCEPT_DR_ALL;
	c->intercept_misc1 = INTERCEPT_INTR | INTERCEPT_NMI |
			     INTERCEPT_RDPMC |
			     INTERCEPT_CPUID | INTERCEPT_INVD |
			     INTERCEPT_HLT | INTERCEPT_INVLPGA |
			     INTERCEPT_IOIO | INTERCEPT_MSR |
			     INTERCEPT_SHUTDOWN;
	c->intercept_misc2 = INTERCEPT_VMRUN | INTERCEPT_VMMCALL |
			     INTERCEPT_VMLOAD | INTERCEPT_VMSAVE |
			     INTERCEPT_STGI | INTERCEPT_CLGI |
			     INTERCEPT_SKINIT | INTERCEPT_WBINVD |
			     INTERCEPT_MONITOR |
			     INTERCEPT_MWAIT | INTERCEPT_XSETBV;
	c->iopm_base_pa = ad->iopm_pa;
	c->msrpm_base_pa = ad->msrpm_pa;
	c->asid = v->arch.asid;
	c->int_ctl = V_INTR_MASKING;
	c->np_enable = 1;
	c->n_cr3 = ad->npt_root_pa;
}

static void vmcb_init_save(struct vmcb_save *s,
			   const struct vcpu_boot_state *bs)
{
	seg_set(&s->cs, bs->cs, 0xa9b, 0xffffffff, 0);
	seg_set(&s->ds, bs->ds, 0xc93, 0xffffffff, 0);
	s->es = s->ds;
	s->ss = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	seg_set(&s->gdtr, 0, 0, bs->gdt_limit, bs->gdt_base);
	seg_set(&s->idtr, 0, 0, 0, 0);
	seg_set(&s->ldtr, 0, 0x82, 0xffff, 0);
	seg_set(&s->tr, 0, 0x8b, 0xffff, 0);
	s->cpl = 0;
	s->efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SVME;
	s->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE |
		 X86_CR0_WP | X86_CR0_PG;
	s->cr3 = bs->cr3;
	s->cr4 = X86_CR4_PAE;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->rflags = 0x2;
	s->rip = bs->rip;
	s->rsp = 0;
	s->rax = 0;
	s->g_pat = 0x0007040600070406ull;
}

static void svm_vcpu_reset(struct vcpu *v, const struct vcpu_boot_state *bs)
{
	struct arch_vcpu *av = &v->arch;

	memset(av->vmcb, 0, PAGE_SIZE);
	av->flush_tlb = true;
	av->tsc_aux = 0;
	av->tsc_offset = 0;
	fpu_forget(av);
	fpu_vcpu_init(av);
	msr_vcpu_init(av);
	vmcb_init_control(v, &av->vmcb->control);
	svm_isolation_vcpu_reset(v);
	if (bs)
		vmcb_init_save(&av->vmcb->save, bs);
	svm_shadow_reset(v);
	memset(&av->regs, 0, sizeof(av->regs));
	av->regs.rsi = bs ? bs->rsi : 0;
	av->virq = -1;
}

static int svm_vcpu_init(struct vcpu *v, const struct vcpu_boot_state *bs)
{
	struct arch_vcpu *av = &v->arch;
	uint32_t asid = __atomic_fetch_add(&next_asid, 1, __ATOMIC_RELAXED);

	av->vmcb = page_zalloc();
	if (!av->vmcb)
		return -PVKIT_ENOMEM;
	av->vmcb_pa = virt_to_phys(av->vmcb);
	/* Past the last ASID, share the last one and flush on every entry. */
	av->asid = max_asid && asid >= max_asid ? max_asid - 1 : asid;
	if (svm_shadow_vcpu_init(v))
		return -PVKIT_ENOMEM;
	svm_vcpu_reset(v, bs);
	return 0;
}

static void svm_sync_upcall(struct vcpu *v)
{
	struct vmcb_control *c = &v->arch.vmcb->control;
	uint8_t vec = vcpu_upcall_vector(v);

	if (vec) {
		c->int_vector = vec;
		c->int_ctl |= V_IRQ | V_IGN_TPR | (0xfu << V_INTR_PRIO_SHIFT);
	} else {
		c->int_ctl &= ~V_IRQ;
	}
}

static void svm_enter(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	bool always_flush = max_asid && av->asid == max_asid - 1;

	svm_shadow_before_entry(v);
	av->vmcb->control.tlb_control = av->flush_tlb || always_flush;
	av->flush_tlb = false;
	asm volatile("clgi" ::: "memory");
	/* Host IF=1 at VMRUN lets physical interrupts cause INTR exits. */
	sti();
	svm_vmrun(av->vmcb_pa, &av->regs, this_cpu()->arch.host_save_pa);
	cli();
	asm volatile("stgi" ::: "memory");
}

/* The last exits, for a crash dump: a few stores per exit. */
static void trace_exit(struct arch_vcpu *av, uint64_t injected)
{
	const struct vmcb *vm = av->vmcb;
	struct exit_rec *e = &av->exits[av->exit_pos++ % EXIT_TRACE_LEN];

	*e = (struct exit_rec){
		.code = vm->control.exit_code,
		.info1 = vm->control.exit_info1,
		.info2 = vm->control.exit_info2,
		.rip = vm->save.rip,
		.rflags = vm->save.rflags,
		.injected = injected,
		.int_info = vm->control.exit_int_info,
	};
}

static void svm_vcpu_run(struct vcpu *v)
{
	uint64_t injected;

	fpu_switch_to(&v->arch);
	svm_isolation_load(v);
	do {
		if (!domain_is_hvm(v->dom))
			svm_sync_upcall(v);
		else if (!svm_hvm_before_entry(v))
			break;
		injected = v->arch.vmcb->control.event_inj;
		svm_enter(v);
		trace_exit(&v->arch, injected);
		if (domain_is_hvm(v->dom))
			svm_hvm_after_exit(v);
		svm_handle_exit(v);
	} while (!vcpu_should_leave(v));
	svm_isolation_save(v);
}

/*
 * A triple fault is often an IDT the guest could not read: how its own
 * tables map IDTR.base and RIP now.
 */
static void dump_idt_walk(struct vcpu *v)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_paging pg;
	uint64_t e[4] = { 0 };
	unsigned int n = 0;
	int rc;

	svm_guest_paging(v, &pg);
	rc = guest_walk_entries(v->dom, &pg, s->idtr.base, e, &n);

	pr_err("  IDTR %016llx+%#x: walk %d, %u entries %llx %llx %llx %llx",
	       (unsigned long long)s->idtr.base, s->idtr.limit, rc, n,
	       (unsigned long long)e[0], (unsigned long long)e[1],
	       (unsigned long long)e[2], (unsigned long long)e[3]);
	n = 0;
	memset(e, 0, sizeof(e));
	rc = guest_walk_entries(v->dom, &pg, s->rip, e, &n);
	pr_err("  RIP walk %d, %u entries %llx %llx %llx %llx", rc, n,
	       (unsigned long long)e[0], (unsigned long long)e[1],
	       (unsigned long long)e[2], (unsigned long long)e[3]);
}

/*
 * Bits clear in an intercept bitmap: svm_domain_init() set them all but
 * those of the MSRs it passes through.
 */
static unsigned int bits_clear(const uint8_t *pm, size_t len)
{
	unsigned int n = 0;

	for (size_t i = 0; i < len; i++)
		for (uint8_t b = (uint8_t)~pm[i]; b; b &= b - 1)
			n++;
	return n;
}

/*
 * What the guest's translations rest on besides its own tables: the
 * nested paging root, the ASID and the intercept bitmaps.
 */
static void dump_control(struct vcpu *v)
{
	const struct vmcb_control *c = &v->arch.vmcb->control;
	const struct arch_domain *ad = &v->dom->arch;

	pr_err("  nCR3 %#llx (NPT %#llx) NP %llx ASID %u intercepts %x %x %x",
	       (unsigned long long)c->n_cr3,
	       (unsigned long long)ad->npt_root_pa,
	       (unsigned long long)c->np_enable, c->asid,
	       c->intercept_exceptions, c->intercept_misc1,
	       c->intercept_misc2);
	uint64_t first = 0;
	unsigned long bad = npt_check(ad->npt_root_pa, v->dom->mem_hpa,
				      v->dom->mem_bytes, &first);

	pr_err("  NPT: %lu pages not mapped to RAM at %#llx, first %#llx",
	       bad, (unsigned long long)v->dom->mem_hpa,
	       (unsigned long long)first);
	pr_err("  IOPM %s, %u bits clear (0); MSRPM %s, %u bits clear (%u)",
	       c->iopm_base_pa == ad->iopm_pa ? "ours" : "NOT OURS",
	       bits_clear(ad->iopm, IOPM_PAGES * PAGE_SIZE),
	       c->msrpm_base_pa == ad->msrpm_pa ? "ours" : "NOT OURS",
	       bits_clear(ad->msrpm, MSRPM_PAGES * PAGE_SIZE),
	       (unsigned int)(2 * ARRAY_SIZE(passthrough_msrs)));
}

/* Oldest first; the last line is the exit being reported. */
static void dump_exits(const struct arch_vcpu *av)
{
	unsigned int n = MIN(av->exit_pos, (unsigned int)EXIT_TRACE_LEN);

	pr_err("  last %u exits: code info1 info2 RIP RFLAGS, injected at entry, EXITINTINFO", n);
	for (unsigned int i = av->exit_pos - n; i != av->exit_pos; i++) {
		const struct exit_rec *e = &av->exits[i % EXIT_TRACE_LEN];

		pr_err("    %#llx %#llx %#llx %016llx %llx inj %#llx int %#llx",
		       (unsigned long long)e->code,
		       (unsigned long long)e->info1,
		       (unsigned long long)e->info2,
		       (unsigned long long)e->rip,
		       (unsigned long long)e->rflags,
		       (unsigned long long)e->injected,
		       (unsigned long long)e->int_info);
	}
}

static void svm_vcpu_dump(struct vcpu *v)
{
	const struct vmcb *vm = v->arch.vmcb;
	const struct guest_regs *r = &v->arch.regs;

	pr_err("  RIP %04x:%016llx  RSP %016llx  RFLAGS %08llx  CPL %u",
	       vm->save.cs.sel, (unsigned long long)vm->save.rip,
	       (unsigned long long)vm->save.rsp,
	       (unsigned long long)vm->save.rflags, vm->save.cpl);
	pr_err("  RAX %016llx  RBX %016llx  RCX %016llx",
	       (unsigned long long)vm->save.rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx);
	pr_err("  RDX %016llx  RSI %016llx  RDI %016llx",
	       (unsigned long long)r->rdx, (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi);
	pr_err("  RBP %016llx  R8  %016llx  R9  %016llx",
	       (unsigned long long)r->rbp, (unsigned long long)r->r8,
	       (unsigned long long)r->r9);
	pr_err("  R10 %016llx  R11 %016llx  R12 %016llx",
	       (unsigned long long)r->r10, (unsigned long long)r->r11,
	       (unsigned long long)r->r12);
	pr_err("  R13 %016llx  R14 %016llx  R15 %016llx",
	       (unsigned long long)r->r13, (unsigned long long)r->r14,
	       (unsigned long long)r->r15);
	pr_err("  CR0 %016llx  CR2 %016llx  CR3 %016llx  CR4 %016llx",
	       (unsigned long long)vm->save.cr0,
	       (unsigned long long)vm->save.cr2,
	       (unsigned long long)vm->save.cr3,
	       (unsigned long long)vm->save.cr4);
	pr_err("  EFER %016llx  exit %#llx info1 %#llx info2 %#llx",
	       (unsigned long long)vm->save.efer,
	       (unsigned long long)vm->control.exit_code,
	       (unsigned long long)vm->control.exit_info1,
	       (unsigned long long)vm->control.exit_info2);
	pr_err("  EXITINTINFO %#llx  EVENTINJ %#llx  int_ctl %#x  int_state %#llx",
	       (unsigned long long)vm->control.exit_int_info,
	       (unsigned long long)vm->control.event_inj,
	       vm->control.int_ctl,
	       (unsigned long long)vm->control.int_state);
	dump_control(v);
	svm_shadow_dump(v);
	if (domain_is_hvm(v->dom))
		dump_idt_walk(v);
	dump_exits(&v->arch);
}

static bool svm_vcpu_has_work(struct vcpu *v)
{
	return domain_is_hvm(v->dom) ? svm_hvm_has_work(v) :
				       vcpu_event_pending(v);
}

const struct vcpu_ops svm_vcpu_ops = {
	.name = "AMD SVM",
	.cpu_init = svm_cpu_init,
	.domain_init = svm_domain_init,
	.domain_map_mmio = svm_domain_map_mmio,
	.vcpu_init = svm_vcpu_init,
	.vcpu_reset = svm_vcpu_reset,
	.vcpu_run = svm_vcpu_run,
	.vcpu_dump = svm_vcpu_dump,
	.vcpu_has_work = svm_vcpu_has_work,
};
