// SPDX-License-Identifier: GPL-2.0
/*
 * CPU state that VMRUN does not switch, and the exits that keep a guest
 * from reaching another domain, or from holding its pCPU, through it:
 * DR0-DR3, PKRU and XCR0; #DB and #AC reflected to the guest so that no
 * exception-delivery loop runs without an exit; WBINVD made a no-op.
 *
 * Debug registers are switched lazily.  Every access to DR0-DR7 is
 * intercepted until a vCPU first makes one; that exit loads the vCPU's
 * own DR0-DR3 (zeros), stops intercepting and leaves RIP alone, so the
 * MOV runs again natively: no instruction is decoded (TCG has no decode
 * assists to name the GPR).  From then on the vCPU's DR0-DR3 are loaded
 * when its pCPU loop starts running it and saved when it stops, never
 * per exit: the hypervisor itself never uses them.  A vCPU that has not
 * touched them can neither read another's (intercepted) nor arm them:
 * its DR7, which VMRUN loads from the VMCB with DR6, stays 0x400 because
 * writing it is intercepted too.
 */
#include <stdbool.h>
#include <stdint.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <hv/domain.h>
#include "svm.h"

#define CPUID1_ECX_XSAVE	(1u << 26)
#define CPUID7_ECX_PKU		(1u << 3)
#define XCR0_X87_SSE		3ull
#define VEC_DB			1
#define VEC_AC			17
#define MAX_INSN_LEN		15

static bool have_pku;

static inline void xsetbv(uint32_t idx, uint64_t val)
{
	asm volatile("xsetbv"
		     :: "c"(idx), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static inline uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	asm volatile(".byte 0x0f, 0x01, 0xee"	/* rdpkru */
		     : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static inline void wrpkru(uint32_t val)
{
	asm volatile(".byte 0x0f, 0x01, 0xef"	/* wrpkru */
		     :: "a"(val), "c"(0), "d"(0) : "memory");
}

#define DR_ACCESS(n)							\
static inline uint64_t read_dr##n(void)					\
{									\
	uint64_t v;							\
	asm volatile("mov %%db" #n ", %0" : "=r"(v));			\
	return v;							\
}									\
static inline void write_dr##n(uint64_t v)				\
{									\
	asm volatile("mov %0, %%db" #n :: "r"(v));			\
}
DR_ACCESS(0)
DR_ACCESS(1)
DR_ACCESS(2)
DR_ACCESS(3)

/*
 * Per pCPU, before any guest runs.  XCR0 is the hypervisor's (XSETBV is
 * intercepted, CR4.OSXSAVE refused): x87|SSE only, the state FXSAVE
 * switches, whatever the firmware left (AVX on, say).  CR4.PKE is set
 * so that RDPKRU/WRPKRU can switch PKRU; it is harmless to the
 * hypervisor, whose pages are all supervisor pages, to which protection
 * keys do not apply.
 */
void svm_isolation_cpu_init(void)
{
	uint32_t a, b, c, d;

	if (cpuid_ecx(1) & CPUID1_ECX_XSAVE) {
		write_cr4(read_cr4() | X86_CR4_OSXSAVE);
		xsetbv(0, XCR0_X87_SSE);
	}
	cpuid_count(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return;
	cpuid_count(7, 0, &a, &b, &c, &d);
	if (c & CPUID7_ECX_PKU) {
		write_cr4(read_cr4() | X86_CR4_PKE);
		have_pku = true;
	}
}

static void dr_load(const struct arch_vcpu *av)
{
	write_dr0(av->dr[0]);
	write_dr1(av->dr[1]);
	write_dr2(av->dr[2]);
	write_dr3(av->dr[3]);
}

/*
 * PKRU is switched unconditionally where the CPU has it (two cheap
 * instructions per run of the pCPU loop, not per exit): CPUID hides PKU
 * and the CR4 intercept refuses CR4.PKE, so this only keeps one guest's
 * PKRU from another's should that policy change.
 */
void svm_isolation_load(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	if (have_pku)
		wrpkru(av->pkru);
	if (av->dr_active)
		dr_load(av);
}

void svm_isolation_save(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	if (have_pku)
		av->pkru = rdpkru();
	if (!av->dr_active)
		return;
	av->dr[0] = read_dr0();
	av->dr[1] = read_dr1();
	av->dr[2] = read_dr2();
	av->dr[3] = read_dr3();
}

/* After vmcb_init_control(), which intercepts the debug registers again. */
void svm_isolation_vcpu_reset(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	av->dr_active = false;
	for (int i = 0; i < 4; i++)
		av->dr[i] = 0;
	av->pkru = 0;
}

/* The first MOV to or from a debug register: see the top of the file. */
void svm_handle_dr_access(struct vcpu *v)
{
	struct arch_vcpu *av = &v->arch;

	av->dr_active = true;
	av->vmcb->control.intercept_dr = 0;
	dr_load(av);
}

/*
 * #DB and #AC are intercepted only so that each one is an exit: a guest
 * whose exception delivery raises the same exception again (an #AC
 * handler on a misaligned stack, a data breakpoint on the stack #DB
 * delivery writes) would otherwise keep the CPU delivering forever with
 * no interrupt window.  The exception goes back to the guest unchanged:
 * for #DB the cause is already in the VMCB's DR6, which VMRUN loads, and
 * RIP and RFLAGS are as the CPU left them (a trap after the instruction,
 * a fault on it; the guest's handler sets RF or clears DR7 as on bare
 * metal).  #AC has error code 0.
 *
 * If the exception came while an event was being delivered: an
 * exception then (both #DB and #AC are benign, so the CPU would deliver
 * the second) is replaced by this one; an interrupt, NMI or software
 * interrupt is delivered again as svm_handle_exit() arranged and this
 * exception is dropped: a fault recurs when that delivery runs again,
 * and a trap is recognised only once a delivery has completed.
 */
void svm_reflect_exception(struct vcpu *v, uint8_t vector)
{
	uint64_t prev = v->arch.vmcb->control.exit_int_info;

	if (svm_intr_cut_short(prev) ||
	    ((prev & EVENT_VALID) && (prev & EVENT_TYPE_MASK) != EVENT_TYPE_EXC))
		return;
	svm_inject_exception(v, vector, vector == VEC_AC, 0);
}

/*
 * After the hypervisor completed an instruction for the guest: the
 * single-step trap the CPU would have raised for it, unless the TF is
 * the hypervisor's own step (svm_hvm.c).
 */
void svm_singlestep_trap(struct vcpu *v)
{
	struct vmcb_save *s = &v->arch.vmcb->save;

	if (svm_step_retired(v) || !(s->rflags & X86_EFLAGS_TF))
		return;
	s->dr6 |= DR6_BS;
	svm_inject_exception(v, VEC_DB, 0, 0);
}

bool svm_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf2: case 0xf3:
		return true;
	}
	return false;
}

/*
 * Length of the INVD, WBINVD or WBNOINVD (F3 0F 09) at RIP: prefixes,
 * then 0F 08 or 0F 09.  TCG has no NRIP save to give it.  0 when the
 * bytes there are something else now (another vCPU rewrote them).
 */
static unsigned int cache_insn_len(struct vcpu *v)
{
	const struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_paging pg;
	bool long_mode = (s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9));
	/* A fetch with the guest's rights: a refused one is not emulated. */
	unsigned int acc = X86_PF_INSTR | (s->cpl == 3 ? X86_PF_USER : 0);
	uint64_t ip = s->cs.base + s->rip;
	struct x86_pf pf;
	uint8_t b[2];

	svm_guest_paging(v, &pg);
	for (unsigned int i = 0; i + 2 <= MAX_INSN_LEN; i++) {
		if (guest_read_virt(v->dom, &pg, ip + i, b, 1, acc, &pf))
			return 0;
		if (svm_legacy_prefix(b[0]) || (long_mode && (b[0] & 0xf0) == 0x40))
			continue;
		if (b[0] != 0x0f ||
		    guest_read_virt(v->dom, &pg, ip + i + 1, b + 1, 1, acc, &pf))
			return 0;
		return b[1] == 0x08 || b[1] == 0x09 ? i + 2 : 0;
	}
	return 0;
}

/*
 * INVD, WBINVD and WBNOINVD are no-ops for guests: caches are coherent
 * for every device they have (all emulated or paravirtual), and a guest
 * flushing the machine's shared caches in a loop would slow every other
 * domain.  A guest with a passthrough device doing non-coherent DMA will
 * need a real flush here (on the pCPUs it ran on).  If the instruction
 * is gone, RIP stays and the guest runs whatever is there now.
 */
void svm_handle_cache_flush(struct vcpu *v)
{
	unsigned int len = cache_insn_len(v);

	if (!len)
		return;
	v->arch.vmcb->save.rip += len;
	v->arch.vmcb->control.int_state = 0;
	svm_singlestep_trap(v);
}
