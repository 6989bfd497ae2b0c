// SPDX-License-Identifier: GPL-2.0
/*
 * What a hardware-virtualized (HVM) vCPU needs beyond a PV one: its
 * local APIC's interrupts injected when the guest can take them, INIT
 * and SIPI, CR8 kept in step with the TPR, and the VMCB's side of MMIO
 * exits, which arch/x86/hvm.c emulates.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <asm/guest_walk.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/x86_emulate.h>
#include <hv/domain.h>
#include <hv/emul/vlapic.h>
#include <hv/emul_bus.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include "svm.h"

#define INTERCEPT_VINTR		(1u << 4)
#define EVENT_TYPE_NMI		(2u << 8)
#define RFLAGS_IF		(1ull << 9)

/*
 * External interrupts go in through the VMCB's virtual interrupt
 * (V_IRQ and its vector), never through EVENTINJ: the CPU takes it when
 * the guest's RFLAGS.IF, its interrupt shadow and V_TPR allow, and
 * clears V_IRQ when it does, so the local APIC acknowledges the vector
 * only once it is known to be taken.  QEMU's TCG, which these tests
 * run on, delivers an INTR-type EVENTINJ once at VMRUN and may deliver
 * it a second time, with IF clear, when its vCPU thread is kicked
 * before the next exit; its virtual interrupt path has no such flaw.
 * NMIs and exceptions still use EVENTINJ.
 */
#define VIRQ_NONE	-1

static void offer_virq(struct vmcb_control *c, uint8_t vector, bool ign_tpr)
{
	c->int_vector = vector;
	c->int_ctl |= V_IRQ | ((uint32_t)(vector >> 4) << V_INTR_PRIO_SHIFT);
	if (ign_tpr)
		c->int_ctl |= V_IGN_TPR;
}

/* Exit as soon as the guest can take an interrupt. */
static void request_window(struct vmcb_control *c)
{
	c->int_vector = 0;
	c->int_ctl |= V_IRQ | V_IGN_TPR | (0xfu << V_INTR_PRIO_SHIFT);
	c->intercept_misc1 |= INTERCEPT_VINTR;
}

/*
 * One instruction run with TF set, the #DB after it intercepted (it is
 * anyway): the one way to get an exit right after an instruction when
 * SVM offers none.  Nothing is offered to the guest meanwhile.  An exit
 * found away from the instruction (it faulted into the guest's own
 * handler, or was emulated and skipped) gives the step up.
 */
static void step_start(struct vcpu *v, bool iret)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb_save *s = &av->vmcb->save;

	if (av->stepping)
		return;
	av->stepping = true;
	av->step_iret = iret;
	av->step_tf = !(s->rflags & X86_EFLAGS_TF);
	av->step_dr6 = s->dr6;
	av->step_rip = s->rip;
	s->rflags |= X86_EFLAGS_TF;
}

static void step_end(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	av->stepping = false;
	/* An IRET has put the guest's own flags back already. */
	if (av->step_tf && !av->step_iret)
		av->vmcb->save.rflags &= ~X86_EFLAGS_TF;
}

/* After an exit: the step, if any, is still ahead or gone. */
static void step_check(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb *vmcb = av->vmcb;

	if (!av->stepping || vmcb->control.exit_code == SVM_EXIT_EXCP_DB ||
	    vmcb->save.rip == av->step_rip)
		return;
	step_end(v);
	if (av->step_iret)
		vmcb->control.intercept_misc1 |= INTERCEPT_IRET;
}

bool svm_step_done(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb_save *s = &av->vmcb->save;

	if (!av->stepping || !(s->dr6 & DR6_BS))
		return false;
	step_end(v);
	if (av->step_iret)
		av->nmi_masked = false;
	/* The guest's own TF: the trap is its own too. */
	if (!av->step_tf)
		return false;
	s->dr6 = av->step_dr6;
	return true;
}

/*
 * The hypervisor completed the stepped instruction itself (an I/O port,
 * an MSR, CPUID): the step is over, and the single-step trap the CPU
 * would raise after it is the guest's only if TF was the guest's.
 */
bool svm_step_retired(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	if (!av->stepping)
		return false;
	step_end(v);
	if (av->step_iret)
		av->nmi_masked = false;
	return av->step_tf;
}

/*
 * The STI and MOV SS shadow: no interrupt and no NMI before the next
 * instruction has run.  An exit inside it says so in int_state, and a
 * CPU honours that on VMRUN; QEMU's SVM does not (it drops the shadow on
 * VMRUN and takes V_IRQ, or the window exit an NMI waits for, at once).
 * So an event that could be taken now waits for one stepped instruction.
 * An event being re-delivered goes in first either way.
 */
static bool in_shadow(struct vcpu *v)
{
	struct vmcb_control *c = &v->arch.vmcb->control;

	if (!(c->int_state & 1) || (c->event_inj & EVENT_VALID))
		return false;
	step_start(v, false);
	return true;
}

/*
 * NMI blocking.  From an NMI's delivery until the next IRET completes the
 * CPU takes no other NMI; one that comes meanwhile is latched (the local
 * APIC's pending bit) and delivered right after that IRET.  SVM without
 * vNMI, as QEMU's TCG is, leaves this to the hypervisor.  An NMI injected
 * masks NMIs and intercepts IRET.  The IRET's exit comes before it runs:
 * the IRET is then stepped, and the #DB that follows it unmasks, so a
 * latched NMI arrives at the IRET's return address, as on hardware.  An
 * IRET that faults instead (the guest's own doing) leaves NMIs masked,
 * and the next IRET is intercepted again, so interrupts never wait on a
 * step that will not come.
 */
static void inject_nmi(struct vcpu *v)
{
	struct vmcb_control *c = &v->arch.vmcb->control;

	if (in_shadow(v))
		return;
	/* Something (a re-delivery, an exception) goes first. */
	if (c->event_inj & EVENT_VALID) {
		request_window(c);
		return;
	}
	if (vlapic_ack_intr(v->lapic, VLAPIC_INTR_NMI, 0) < 0)
		return;
	c->event_inj = 2 | EVENT_VALID | EVENT_TYPE_NMI;
	v->arch.nmi_masked = true;
	c->intercept_misc1 |= INTERCEPT_IRET;
}

void svm_nmi_iret(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	av->vmcb->control.intercept_misc1 &= ~INTERCEPT_IRET;
	if (av->nmi_masked && !av->stepping)
		step_start(v, true);
}

static void nmi_reset(struct vcpu *v)
{
	v->arch.nmi_masked = v->arch.stepping = false;
	v->arch.vmcb->control.intercept_misc1 &= ~INTERCEPT_IRET;
}

static void inject_pending(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb_control *c = &av->vmcb->control;
	bool if_set = av->vmcb->save.rflags & RFLAGS_IF;
	enum vlapic_intr_kind kind;
	int vector = 0, got;

	c->int_ctl &= ~(V_IRQ | V_IGN_TPR | (0xfu << V_INTR_PRIO_SHIFT));
	c->intercept_misc1 &= ~INTERCEPT_VINTR;
	av->virq_offered = false;
	/*
	 * Acknowledged already (an 8259 vector, a cut-short delivery): kept
	 * through a step, offered after it.
	 */
	if (av->virq != VIRQ_NONE && av->virq_acked) {
		if (av->stepping || (if_set && in_shadow(v)))
			return;
		offer_virq(c, (uint8_t)av->virq, true);
		av->virq_offered = true;
		return;
	}
	av->virq = VIRQ_NONE;
	/* A step runs: nothing may come before its #DB. */
	if (av->stepping)
		return;
	if (av->nmi_masked)
		vlapic_nmi_blocked(v->lapic);
	kind = vlapic_pending_intr(v->lapic, av->nmi_masked, &vector);
	if (kind != VLAPIC_INTR_NONE && kind != VLAPIC_INTR_NMI && if_set &&
	    in_shadow(v))
		return;
	switch (kind) {
	case VLAPIC_INTR_NONE:
		return;
	case VLAPIC_INTR_NMI:
		inject_nmi(v);
		return;
	case VLAPIC_INTR_EXTINT:
		/* The 8259 names its vector only when acknowledged. */
		got = vlapic_ack_intr(v->lapic, kind, 0);
		if (got < 0)
			return;
		av->virq = got;
		av->virq_acked = true;
		av->virq_offered = true;
		offer_virq(c, (uint8_t)got, true);
		return;
	default:
		av->virq = vector;
		av->virq_acked = false;
		av->virq_offered = true;
		offer_virq(c, (uint8_t)vector, false);
		return;
	}
}

/*
 * Whether EXITINTINFO is an external interrupt whose delivery an exit
 * cut short.  Hardware says INTR; QEMU's TCG records interrupts it
 * delivers as exceptions, so a vector above the exceptions is one too.
 */
bool svm_intr_cut_short(uint64_t int_info)
{
	uint64_t type = int_info & EVENT_TYPE_MASK;

	if (!(int_info & EVENT_VALID))
		return false;
	return type == EVENT_TYPE_INTR ||
	       (type == EVENT_TYPE_EXC && (int_info & 0xff) >= 32);
}

static void ack_offered(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	/* Only this vCPU clears its IRR bits: the vector is still there. */
	if (vlapic_ack_intr(v->lapic, VLAPIC_INTR_FIXED, (uint8_t)av->virq) < 0)
		pr_err("d%u vCPU %u: vector %#x left the IRR", v->dom->id,
		       v->id, av->virq);
}

/* What became of the interrupt offered at the last entry. */
static void settle_virq(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	uint64_t info = av->vmcb->control.exit_int_info;
	bool taken = av->virq_offered &&
		     !(av->vmcb->control.int_ctl & V_IRQ);
	int cut = (int)(info & 0xff);

	if (svm_intr_cut_short(info)) {
		/* QEMU leaves V_IRQ set: nothing was taken after all. */
		if (cut == av->virq && !av->virq_acked && !taken)
			return;
		if (cut == av->virq && !av->virq_acked)
			ack_offered(v);
		/* Offered again at the next entry, as it is. */
		av->virq = cut;
		av->virq_acked = true;
		return;
	}
	if (av->virq == VIRQ_NONE || !taken)
		return;
	if (!av->virq_acked)
		ack_offered(v);
	av->virq = VIRQ_NONE;
}

static void seg_real(struct vmcb_seg *s, uint16_t sel, uint16_t attrib)
{
	s->sel = sel;
	s->attrib = attrib;
	s->limit = 0xffff;
	s->base = (uint64_t)sel << 4;
}

/* The state a SIPI leaves an AP in: real mode at vector:0000. */
static void start_at_sipi(struct vcpu *v, uint8_t vector)
{
	struct vmcb_save *s = &v->arch.vmcb->save;

	seg_real(&s->cs, (uint16_t)vector << 8, 0x9b);
	seg_real(&s->ds, 0, 0x93);
	s->es = s->ds;
	s->ss = s->ds;
	s->fs = s->ds;
	s->gs = s->ds;
	s->gdtr.base = 0;
	s->gdtr.limit = 0xffff;
	s->idtr = s->gdtr;
	seg_real(&s->ldtr, 0, 0x82);
	seg_real(&s->tr, 0, 0x8b);
	s->cpl = 0;
	s->cr0 = X86_CR0_ET;
	s->cr3 = 0;
	s->cr4 = 0;
	s->efer = EFER_SVME;	/* SVME must stay set in a guest's EFER */
	s->rflags = 0x2;
	s->rip = 0;
	s->rsp = 0;
	s->rax = 0;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ull;
	memset(&v->arch.regs, 0, sizeof(v->arch.regs));
	v->arch.vmcb->control.event_inj = 0;
	v->arch.virq = VIRQ_NONE;
	v->arch.flush_tlb = true;
	svm_shadow_reset(v);
}

/* False when the vCPU has nothing to run (waiting for a SIPI). */
bool svm_hvm_before_entry(struct vcpu *v)
{
	struct vlapic *l = v->lapic;
	uint8_t sipi;

	if (vlapic_take_init(l)) {
		v->arch.virq = VIRQ_NONE;
		nmi_reset(v);
		pr_debug("d%u vCPU %u: INIT, waiting for SIPI", v->dom->id,
			 v->id);
	}
	if (vlapic_take_sipi(l, &sipi)) {
		pr_debug("d%u vCPU %u: SIPI to %#x000", v->dom->id, v->id,
			 sipi);
		start_at_sipi(v, sipi);
	}
	if (vlapic_waiting_for_sipi(l)) {
		vcpu_block(v);
		return false;
	}
	v->arch.vmcb->control.int_ctl =
		(v->arch.vmcb->control.int_ctl & ~0xffu) |
		(uint32_t)(vlapic_get_cr8(l) & 0xf);
	inject_pending(v);
	return true;
}

/*
 * QEMU's SVM drops a shadow on VMRUN, so an exit that comes again before
 * the shadowed instruction has run reports none.  An exit at the RIP of
 * one that did report a shadow is taken to be in it still, unless it is
 * the #DB of the step that ran that instruction.  Mistaking an exit there
 * for one in the shadow costs one stepped instruction, nothing else.
 */
static void shadow_check(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;
	struct vmcb *vmcb = av->vmcb;
	bool step_trap = av->stepping &&
			 vmcb->control.exit_code == SVM_EXIT_EXCP_DB;

	if (vmcb->control.int_state & 1) {
		av->shadow_seen = true;
		av->shadow_rip = vmcb->save.rip;
	} else if (av->shadow_seen && !step_trap &&
		   vmcb->save.rip == av->shadow_rip) {
		vmcb->control.int_state |= 1;
	} else {
		av->shadow_seen = false;
	}
}

void svm_hvm_after_exit(struct vcpu *v)
{
	settle_virq(v);
	shadow_check(v);
	step_check(v);
	vlapic_set_cr8(v->lapic, v->arch.vmcb->control.int_ctl & 0xf);
}

bool svm_hvm_has_work(struct vcpu *v)
{
	return vlapic_has_work(v->lapic,
			       v->arch.vmcb->save.rflags & RFLAGS_IF,
			       v->arch.nmi_masked);
}

/* ---- MMIO: the CPU state the vendor-neutral emulation needs ---- */

int svm_cpu_mode(const struct vmcb_save *s)
{
	if (!(s->cr0 & X86_CR0_PE))
		return 16;
	if ((s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9)))
		return 64;
	return (s->cs.attrib & (1u << 10)) ? 32 : 16;
}

void svm_regs_out(const struct vcpu *v, struct x86_regs *r)
{
	const struct guest_regs *g = &v->arch.regs;
	const struct vmcb_save *s = &v->arch.vmcb->save;

	*r = (struct x86_regs){
		.gpr = { s->rax, g->rcx, g->rdx, g->rbx, s->rsp, g->rbp,
			 g->rsi, g->rdi, g->r8, g->r9, g->r10, g->r11, g->r12,
			 g->r13, g->r14, g->r15 },
		.rip = s->rip,
		.rflags = s->rflags,
	};
}

static void regs_in(struct vcpu *v, const struct x86_regs *r)
{
	struct guest_regs *g = &v->arch.regs;
	struct vmcb_save *s = &v->arch.vmcb->save;

	s->rax = r->gpr[X86_RAX];
	g->rcx = r->gpr[X86_RCX];
	g->rdx = r->gpr[X86_RDX];
	g->rbx = r->gpr[X86_RBX];
	s->rsp = r->gpr[X86_RSP];
	g->rbp = r->gpr[X86_RBP];
	g->rsi = r->gpr[X86_RSI];
	g->rdi = r->gpr[X86_RDI];
	g->r8 = r->gpr[X86_R8];
	g->r9 = r->gpr[X86_R9];
	g->r10 = r->gpr[X86_R10];
	g->r11 = r->gpr[X86_R11];
	g->r12 = r->gpr[X86_R12];
	g->r13 = r->gpr[X86_R13];
	g->r14 = r->gpr[X86_R14];
	g->r15 = r->gpr[X86_R15];
	s->rip = r->rip;
	s->rflags = r->rflags;
}

static void svm_mmio_inject(struct vcpu *v, const struct x86_emul_result *res)
{
	/* Event injection does not write CR2: a #PF's address goes first. */
	if (res->vector == X86_EXC_PF)
		v->arch.vmcb->save.cr2 = res->cr2;
	svm_inject_exception(v, res->vector, res->has_error_code,
			     res->error_code);
}

static void svm_mmio_retired(struct vcpu *v)
{
	v->arch.vmcb->control.int_state = 0;
}

static const struct hvm_mmio_ops svm_mmio_ops = {
	.inject = svm_mmio_inject,
	.retired = svm_mmio_retired,
};

void svm_hvm_mmio(struct vcpu *v, uint64_t gpa,
		  const struct emul_mmio_hit *hit, bool write)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_paging pg;
	struct hvm_cpu_state st = {
		.rflags = s->rflags,
		.seg_base = { s->es.base, s->cs.base, s->ss.base, s->ds.base,
			      s->fs.base, s->gs.base },
		.mode = svm_cpu_mode(s),
		.cpl = s->cpl,
	};
	struct x86_regs regs;

	svm_guest_paging(v, &pg);
	st.cr0 = pg.cr0;
	st.cr3 = pg.cr3;
	st.cr4 = pg.cr4;
	st.efer = pg.efer;
	svm_regs_out(v, &regs);
	if (hvm_mmio(v, &st, &regs, gpa, hit, write, &svm_mmio_ops))
		regs_in(v, &regs);
}
