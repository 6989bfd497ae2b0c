// SPDX-License-Identifier: GPL-2.0
/*
 * What to do after a #VMEXIT.  TCG's SVM has no NRIP save, so each
 * handler knows the length of the instruction it completes.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <pvkit/hypercall.h>
#include <asm/cpuid.h>
#include <asm/hvm.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <asm/vcpu.h>
#include <hv/domain.h>
#include <hv/emul/vlapic.h>
#include <hv/emul_bus.h>
#include <hv/hypercall.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include "svm.h"

#define VEC_DB			1
#define VEC_UD			6
#define VEC_GP			13
#define VEC_AC			17

/* The faults: #DE, #BR, #UD, #NM, #TS .. #PF, #MF, #AC, #XM, #VE, #CP. */
#define FAULT_VECTORS	0x003b7ce1u
#define RFLAGS_RF	(1ull << 16)

/*
 * A fault is pushed with RFLAGS.RF set, as the CPU's own delivery does,
 * so that the instruction, run again after the handler, does not hit
 * its own instruction breakpoint; event injection pushes RFLAGS as it is.
 */
void svm_inject_exception(struct vcpu *v, uint8_t vector, int has_err,
			  uint32_t err)
{
	uint64_t ev = vector | EVENT_TYPE_EXC | EVENT_VALID;

	if (vector < 32 && (FAULT_VECTORS >> vector) & 1)
		v->arch.vmcb->save.rflags |= RFLAGS_RF;

	if (has_err)
		ev |= EVENT_ERR_VALID | ((uint64_t)err << 32);
	v->arch.vmcb->control.event_inj = ev;
}

static void skip_insn(struct vcpu *v, unsigned int len)
{
	v->arch.vmcb->save.rip += len;
	/* The instruction is complete: no interrupt shadow carries over. */
	v->arch.vmcb->control.int_state = 0;
	svm_singlestep_trap(v);
}

static void handle_cpuid(struct vcpu *v)
{
	struct vmcb_save *s = &v->arch.vmcb->save;
	uint32_t r[4];

	guest_cpuid(v, (uint32_t)s->rax, (uint32_t)v->arch.regs.rcx, r);
	s->rax = r[0];
	v->arch.regs.rbx = r[1];
	v->arch.regs.rcx = r[2];
	v->arch.regs.rdx = r[3];
	skip_insn(v, 2);
}

static void handle_vmmcall(struct vcpu *v)
{
	struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_regs *r = &v->arch.regs;
	struct hypercall_args args = {
		.nr = s->rax,
		.a = { r->rdi, r->rsi, r->rdx, r->r10, r->r8 },
		.cpl = s->cpl,
	};

	/* Advance first: a hypercall that blocks returns to the next insn. */
	skip_insn(v, 3);
	s->rax = (uint64_t)hypercall_dispatch(v, &args);
}

static int msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	struct vmcb_save *s = &v->arch.vmcb->save;

	switch (msr) {
	case MSR_EFER:
		*val = svm_guest_efer(v);
		return 0;
	case MSR_PAT:
		*val = s->g_pat;
		return 0;
	case MSR_TSC:
		*val = rdtsc() + v->arch.vmcb->control.tsc_offset;
		return 0;
	case MSR_TSC_AUX:
		*val = v->arch.tsc_aux;
		return 0;
	}
	return msr_shadow_read(&v->arch, msr, val);
}

static int msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	struct vmcb_save *s = &v->arch.vmcb->save;
	const uint64_t efer_ok = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;

	switch (msr) {
	case MSR_EFER:
		if (val & ~efer_ok)
			return -1;
		if (v->arch.shadow)
			return svm_shadow_efer_write(v, val);
		/* Only LMA is the CPU's to set; SVME must stay on. */
		s->efer = (val & ~EFER_LMA) | (s->efer & EFER_LMA) | EFER_SVME;
		return 0;
	case MSR_PAT:
		s->g_pat = val;
		return 0;
	case MSR_TSC:
		/*
		 * The vCPU's TSC from now on, by offset (RDTSC runs natively).
		 * A TSC-deadline already armed keeps its time; the pvkit
		 * clock's scale (time_info) stays the host TSC's.
		 */
		v->arch.tsc_offset = val - rdtsc();
		v->arch.vmcb->control.tsc_offset = v->arch.tsc_offset;
		return 0;
	case MSR_TSC_AUX:
		if (val >> 32)
			return -1;
		v->arch.tsc_aux = val;
		/* This vCPU owns the pCPU now: make it live at once. */
		wrmsr(MSR_TSC_AUX, val);
		this_cpu()->arch.tsc_aux = val;
		return 0;
	}
	return msr_shadow_write(&v->arch, msr, val);
}

static void handle_msr(struct vcpu *v)
{
	struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_regs *r = &v->arch.regs;
	uint32_t msr = (uint32_t)r->rcx;
	bool write = v->arch.vmcb->control.exit_info1 != 0;
	uint64_t val = (uint32_t)s->rax | (r->rdx << 32);

	if (domain_is_hvm(v->dom) &&
	    (msr == MSR_APIC_BASE || msr == MSR_IA32_TSC_DEADLINE ||
	     (msr >= 0x800 && msr <= 0x8ff))) {
		if (hvm_lapic_msr(v, msr, &val, write))
			goto gp;
		if (!write) {
			s->rax = (uint32_t)val;
			r->rdx = val >> 32;
		}
		skip_insn(v, 2);
		return;
	}
	if (!write) {
		if (msr_read(v, msr, &val))
			goto gp;
		s->rax = (uint32_t)val;
		r->rdx = val >> 32;
	} else {
		if (msr_write(v, msr, val))
			goto gp;
	}
	skip_insn(v, 2);
	return;
gp:
	pr_debug("d%u: MSR %#x %s refused with #GP", v->dom->id, msr,
		 v->arch.vmcb->control.exit_info1 ? "write" : "read");
	svm_inject_exception(v, VEC_GP, 1, 0);
}

static void handle_ioio(struct vcpu *v)
{
	struct vmcb_control *c = &v->arch.vmcb->control;
	struct vmcb_save *s = &v->arch.vmcb->save;
	uint32_t info = (uint32_t)c->exit_info1;
	struct io_access io = {
		.addr = info >> IOIO_PORT_SHIFT,
		.size = (info >> IOIO_SIZE_SHIFT) & 7,
		.write = !(info & IOIO_IN),
	};
	uint64_t mask;

	if (info & IOIO_STR) {
		svm_pio_string(v);
		return;
	}
	if (io.size != 1 && io.size != 2 && io.size != 4) {
		domain_crash(v, "port I/O of impossible size %u", io.size);
		return;
	}
	mask = ~0ull >> (64 - 8 * io.size);
	io.val = s->rax & mask;
	if (emul_pio(v->dom, &io)) {
		domain_crash(v, "port %#llx: the device refused the access",
			     (unsigned long long)io.addr);
		return;
	}
	/* IN merges into AL/AX; a 32-bit IN zero-extends into RAX. */
	if (!io.write)
		s->rax = io.size == 4 ? (io.val & mask) :
			 (s->rax & ~mask) | (io.val & mask);
	s->rip = c->exit_info2;
	c->int_state = 0;
	svm_singlestep_trap(v);
}

void svm_gpa_fault(struct vcpu *v, uint64_t gpa, bool write)
{
	struct emul_mmio_hit hit;

	if (hvm_is_mmio(v, gpa, &hit)) {
		svm_hvm_mmio(v, gpa, &hit, write);
		return;
	}
	domain_crash(v, "%s of guest-physical %#llx, which is not RAM",
		     write ? "write" : "read", (unsigned long long)gpa);
}

static enum exit_kind exit_kind(uint64_t code)
{
	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
	case SVM_EXIT_IRET:
		return EXIT_KIND_INTR;
	case SVM_EXIT_VINTR:
		return EXIT_KIND_IRQ_WINDOW;
	case SVM_EXIT_HLT:
		return EXIT_KIND_HLT;
	case SVM_EXIT_VMMCALL:
		return EXIT_KIND_HYPERCALL;
	case SVM_EXIT_CPUID:
		return EXIT_KIND_CPUID;
	case SVM_EXIT_MSR:
		return EXIT_KIND_MSR;
	case SVM_EXIT_IOIO:
		return EXIT_KIND_IO;
	case SVM_EXIT_NPF:
		return EXIT_KIND_MMIO;
	case SVM_EXIT_EXCP_DB:
	case SVM_EXIT_EXCP_AC:
		return EXIT_KIND_EXCEPTION;
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:
		return EXIT_KIND_CACHE;
	case SVM_EXIT_READ_CR0:
	case SVM_EXIT_READ_CR3:
	case SVM_EXIT_READ_CR4:
	case SVM_EXIT_WRITE_CR0:
	case SVM_EXIT_WRITE_CR4:
		return EXIT_KIND_CR;
	case SVM_EXIT_WRITE_CR3:
		return EXIT_KIND_CR3;
	case SVM_EXIT_EXCP_PF:
		return EXIT_KIND_PAGE_FAULT;
	case SVM_EXIT_INVLPG:
		return EXIT_KIND_INVLPG;
	default:
		return EXIT_KIND_OTHER;
	}
}

/* An event an instruction raised: INT n, INT3 (#BP) or INTO (#OF). */
static bool soft_event(uint64_t int_info)
{
	uint64_t type = int_info & EVENT_TYPE_MASK, vec = int_info & 0xff;

	return type == EVENT_TYPE_SOFT ||
	       (type == EVENT_TYPE_EXC && (vec == 3 || vec == 4));
}

static void handle_exit(struct vcpu *v, uint64_t code)
{
	struct vmcb_control *c = &v->arch.vmcb->control;

	/*
	 * An event cut short by the exit is delivered again on entry; an
	 * external interrupt through V_IRQ (svm_hvm.c, svm_sync_upcall()).
	 * INT n, INT3 and INTO are not: RIP is still on the instruction,
	 * which raises the event again when it runs, while an injection
	 * would push its address as the return address and have it run a
	 * second time after the handler (without NRIP save there is no
	 * other address to push).
	 */
	c->event_inj = 0;
	if ((c->exit_int_info & EVENT_VALID) &&
	    !svm_intr_cut_short(c->exit_int_info) &&
	    !soft_event(c->exit_int_info))
		c->event_inj = c->exit_int_info;

	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		irq_window();
		break;
	case SVM_EXIT_VINTR:
		/* The guest can take an interrupt now: the loop injects it. */
		break;
	case SVM_EXIT_CPUID:
		handle_cpuid(v);
		break;
	case SVM_EXIT_VMMCALL:
		handle_vmmcall(v);
		break;
	case SVM_EXIT_HLT:
		skip_insn(v, 1);
		vcpu_block(v);
		break;
	case SVM_EXIT_MSR:
		handle_msr(v);
		break;
	case SVM_EXIT_IOIO:
		handle_ioio(v);
		break;
	case SVM_EXIT_NPF:
		svm_gpa_fault(v, c->exit_info2, c->exit_info1 & NPF_WRITE);
		break;
	case SVM_EXIT_EXCP_PF:
		svm_shadow_pf(v);
		break;
	case SVM_EXIT_INVLPG: {
		unsigned int len = svm_shadow_invlpg(v);

		if (len)
			skip_insn(v, len);
		break;
	}
	case SVM_EXIT_SHUTDOWN:
		domain_crash(v, "triple fault (shutdown)");
		break;
	case SVM_EXIT_INVD:
	case SVM_EXIT_WBINVD:
		svm_handle_cache_flush(v);
		break;
	case SVM_EXIT_EXCP_DB:
		if (!svm_step_done(v))
			svm_reflect_exception(v, VEC_DB);
		break;
	case SVM_EXIT_IRET:
		svm_nmi_iret(v);
		break;
	case SVM_EXIT_EXCP_AC:
		svm_reflect_exception(v, VEC_AC);
		break;
	case SVM_EXIT_READ_DR0 ... SVM_EXIT_WRITE_DR7:
		svm_handle_dr_access(v);
		break;
	case SVM_EXIT_READ_CR0:
	case SVM_EXIT_READ_CR3:
	case SVM_EXIT_READ_CR4:
	case SVM_EXIT_WRITE_CR0:
	case SVM_EXIT_WRITE_CR3:
	case SVM_EXIT_WRITE_CR4: {
		unsigned int len = svm_cr_access(v, code);

		if (len)
			skip_insn(v, len);
		break;
	}
	case SVM_EXIT_RDPMC:
		/* Counters would leak across domains; CPUID shows none. */
		svm_inject_exception(v, VEC_GP, 1, 0);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
	case SVM_EXIT_MONITOR:
	case SVM_EXIT_MWAIT:
	case SVM_EXIT_XSETBV:
		svm_inject_exception(v, VEC_UD, 0, 0);
		break;
	case SVM_EXIT_INVALID:
		domain_crash(v, "VMRUN refused the guest state");
		break;
	default:
		domain_crash(v, "unhandled SVM exit %#llx",
			     (unsigned long long)code);
		break;
	}
}

void svm_handle_exit(struct vcpu *v)
{
	uint64_t code = v->arch.vmcb->control.exit_code;
	unsigned int kind = exit_kind(code);

	exit_profile_begin(v, kind);
	handle_exit(v, code);
	exit_profile_end(v, kind);
}
