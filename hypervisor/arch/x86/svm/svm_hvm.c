// SPDX-License-Identifier: GPL-2.0
/*
 * What a hardware-virtualized (HVM) vCPU needs beyond a PV one: its
 * local APIC's interrupts injected when the guest can take them, INIT
 * and SIPI, CR8 kept in step with the TPR, and MMIO exits emulated
 * through the instruction emulator into the device models.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <asm/guest_walk.h>
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

static bool guest_interruptible(const struct vmcb *vm)
{
	return (vm->save.rflags & RFLAGS_IF) && !(vm->control.int_state & 1);
}

/* Exit as soon as the guest can take an interrupt. */
static void request_window(struct vmcb_control *c)
{
	c->int_vector = 0;
	c->int_ctl |= V_IRQ | V_IGN_TPR | (0xfu << V_INTR_PRIO_SHIFT);
	c->intercept_misc1 |= INTERCEPT_VINTR;
}

static void inject_pending(struct vcpu *v)
{
	struct vmcb *vm = v->arch.vmcb;
	struct vmcb_control *c = &vm->control;
	enum vlapic_intr_kind kind;
	int vector = 0, got;

	c->int_ctl &= ~V_IRQ;
	c->intercept_misc1 &= ~INTERCEPT_VINTR;
	kind = vlapic_pending_intr(v->lapic, &vector);
	if (kind == VLAPIC_INTR_NONE)
		return;
	/* Something (a re-delivery, an exception) goes first. */
	if (c->event_inj & EVENT_VALID) {
		request_window(c);
		return;
	}
	if (kind != VLAPIC_INTR_NMI && !guest_interruptible(vm)) {
		request_window(c);
		return;
	}
	got = vlapic_ack_intr(v->lapic, kind, (uint8_t)vector);
	if (got < 0)
		return;
	c->event_inj = (uint8_t)got | EVENT_VALID |
		       (kind == VLAPIC_INTR_NMI ? EVENT_TYPE_NMI :
						  EVENT_TYPE_INTR);
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
	v->arch.flush_tlb = true;
}

/* False when the vCPU has nothing to run (waiting for a SIPI). */
bool svm_hvm_before_entry(struct vcpu *v)
{
	struct vlapic *l = v->lapic;
	uint8_t sipi;

	if (vlapic_take_init(l))
		pr_debug("d%u vCPU %u: INIT, waiting for SIPI", v->dom->id,
			 v->id);
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

void svm_hvm_after_exit(struct vcpu *v)
{
	vlapic_set_cr8(v->lapic, v->arch.vmcb->control.int_ctl & 0xf);
}

bool svm_hvm_has_work(struct vcpu *v)
{
	return vlapic_has_work(v->lapic,
			       v->arch.vmcb->save.rflags & RFLAGS_IF);
}

int svm_hvm_msr(struct vcpu *v, uint32_t msr, uint64_t *val, bool write)
{
	uint64_t before = vlapic_next_deadline(v->lapic);
	int ret;

	ret = write ? vlapic_msr_write(v->lapic, msr, *val) :
		      vlapic_msr_read(v->lapic, msr, val);
	if (write && vlapic_next_deadline(v->lapic) < before)
		sched_timer_changed();
	return ret;
}

/* ---- MMIO ---- */

struct mmio_ctx {
	struct vcpu *v;
	struct guest_paging pg;
};

static bool in_lapic(struct vcpu *v, uint64_t gpa)
{
	uint64_t base;

	return vlapic_mmio_base(v->lapic, &base) &&
	       gpa - base < VLAPIC_MMIO_SIZE;
}

static int mmio_access(void *opaque, uint64_t gpa, uint64_t *val,
		       unsigned int size, bool write)
{
	struct mmio_ctx *m = opaque;
	struct vcpu *v = m->v;
	struct io_access io = {
		.addr = gpa, .val = write ? *val : 0, .size = size,
		.write = write,
	};
	int ret;

	if (in_lapic(v, gpa)) {
		uint64_t before = vlapic_next_deadline(v->lapic);

		ret = vlapic_mmio(v->lapic, &io);
		if (vlapic_next_deadline(v->lapic) < before)
			sched_timer_changed();
	} else {
		ret = emul_mmio(v->dom, &io);
	}
	if (!write)
		*val = io.val;
	return ret ? -1 : 0;
}

static int mmio_read(void *opaque, uint64_t gpa, uint64_t *val,
		     unsigned int size)
{
	return mmio_access(opaque, gpa, val, size, false);
}

static int mmio_write(void *opaque, uint64_t gpa, uint64_t val,
		      unsigned int size)
{
	return mmio_access(opaque, gpa, &val, size, true);
}

/* The guest walk's results are the emulator's: 0, 1 (#PF), -1. */
static int translate(void *opaque, uint64_t la, unsigned int access,
		     uint64_t *gpa, struct x86_pf *pf)
{
	struct mmio_ctx *m = opaque;

	return guest_translate(m->v->dom, &m->pg, la, access, gpa, pf);
}

static int fetch(void *opaque, uint64_t la, uint8_t *buf, unsigned int len,
		 unsigned int access, struct x86_pf *pf)
{
	struct mmio_ctx *m = opaque;

	return guest_read_virt(m->v->dom, &m->pg, la, buf, len, access, pf);
}

static int mem_read(void *opaque, uint64_t la, void *buf, unsigned int len,
		    unsigned int access, struct x86_pf *pf)
{
	struct mmio_ctx *m = opaque;

	return guest_read_virt(m->v->dom, &m->pg, la, buf, len, access, pf);
}

static int mem_write(void *opaque, uint64_t la, const void *buf,
		     unsigned int len, unsigned int access, struct x86_pf *pf)
{
	struct mmio_ctx *m = opaque;

	return guest_write_virt(m->v->dom, &m->pg, la, buf, len, access, pf);
}

static int cpu_mode(const struct vmcb_save *s)
{
	if (!(s->cr0 & X86_CR0_PE))
		return 16;
	if ((s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9)))
		return 64;
	return (s->cs.attrib & (1u << 10)) ? 32 : 16;
}

static void regs_out(const struct vcpu *v, struct x86_regs *r)
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

/* True when gpa belongs to an emulated device of this vCPU's domain. */
bool svm_hvm_is_mmio(struct vcpu *v, uint64_t gpa)
{
	return v->lapic && (in_lapic(v, gpa) || emul_mmio_claimed(v->dom, gpa));
}

/*
 * An instruction that does not make the access that faulted was changed
 * after the fault by another vCPU (or the page tables were).  Running it
 * again is what the CPU would do; stopping the domain would let a
 * user-mode thread racing its own code kill its guest.  A guest that
 * never makes progress this way is stopped with the reason: that is a
 * disagreement between the emulator and the CPU, not a race.
 */
#define MMIO_RETRY_MAX	64

static void mmio_retry(struct vcpu *v, const struct x86_emul_result *res,
		       uint64_t gpa)
{
	char why[160];

	if (++v->arch.mmio_retries < MMIO_RETRY_MAX)
		return;
	x86_emul_format(res, why, sizeof(why));
	domain_crash(v, "MMIO at %#llx: no progress after %u tries: %s",
		     (unsigned long long)gpa, MMIO_RETRY_MAX, why);
}

static void mmio_exception(struct vcpu *v, const struct x86_emul_result *res)
{
	/* Event injection does not write CR2: a #PF's address goes first. */
	if (res->vector == X86_EXC_PF)
		v->arch.vmcb->save.cr2 = res->cr2;
	svm_inject_exception(v, res->vector, res->has_error_code,
			     res->error_code);
}

void svm_hvm_mmio(struct vcpu *v, uint64_t gpa, bool write)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	struct mmio_ctx m = {
		.v = v,
		.pg = { s->cr0, s->cr3, s->cr4, s->efer, s->rflags },
	};
	struct x86_emul_ctx ctx = {
		.opaque = &m,
		.mode = cpu_mode(s),
		.cpl = s->cpl,
		.fault_write = write,
		.seg_base = { s->es.base, s->cs.base, s->ss.base, s->ds.base,
			      s->fs.base, s->gs.base },
		.translate = translate,
		.fetch = fetch,
		.mmio_read = mmio_read,
		.mmio_write = mmio_write,
		.mem_read = mem_read,
		.mem_write = mem_write,
	};
	struct x86_emul_result res;
	struct x86_regs regs;
	char why[160];

	regs_out(v, &regs);
	switch (x86_emulate_mmio(&ctx, &regs, gpa, &res)) {
	case X86EMUL_OK:
		regs_in(v, &regs);
		v->arch.vmcb->control.int_state = 0;
		v->arch.mmio_retries = 0;
		return;
	case X86EMUL_EXCEPTION:
		regs_in(v, &regs);
		mmio_exception(v, &res);
		v->arch.mmio_retries = 0;
		return;
	case X86EMUL_RETRY:
		mmio_retry(v, &res, gpa);
		return;
	default:
		x86_emul_format(&res, why, sizeof(why));
		domain_crash(v, "MMIO at %#llx not emulated: %s",
			     (unsigned long long)gpa, why);
	}
}
