// SPDX-License-Identifier: GPL-2.0
/*
 * HVM vCPUs, the part no virtualization extension changes: the local
 * APIC's MSR and MMIO accesses, the emulator's callbacks into guest
 * memory and the device models, and the handling of its result.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <asm/guest_walk.h>
#include <asm/hvm.h>
#include <asm/processor.h>
#include <asm/x86_emulate.h>
#include <hv/domain.h>
#include <hv/emul/vlapic.h>
#include <hv/emul_bus.h>
#include <hv/sched.h>

/*
 * The guest's physical-address width, CPUID 0x80000008.EAX[7:0], which
 * guest_cpuid() passes through: an APIC base above it is reserved.
 */
static bool above_maxphyaddr(uint64_t addr)
{
	static unsigned int bits;
	uint32_t a, b, c, d;

	if (!bits) {
		cpuid_count(0x80000008, 0, &a, &b, &c, &d);
		bits = (a & 0xff) >= 32 && (a & 0xff) <= 52 ? a & 0xff : 36;
	}
	return addr >> bits;
}

int hvm_lapic_msr(struct vcpu *v, uint32_t msr, uint64_t *val, bool write)
{
	int ret;

	exit_attribute(v->dom, v->dom->lapic_src);
	if (!write)
		return vlapic_msr_read(v->lapic, msr, val);
	if (msr == MSR_APIC_BASE && above_maxphyaddr(*val))
		return -1;
	ret = vlapic_msr_write(v->lapic, msr, *val);
	sched_deadline_moved(vlapic_next_deadline(v->lapic));
	return ret;
}

/* ---- MMIO ---- */

struct mmio_ctx {
	struct vcpu *v;
	struct guest_paging pg;
	const struct emul_mmio_hit *hit;	/* the device at the fault */
};

/*
 * The page at the APIC base is the model's even while it does not
 * decode it (disabled, or in x2APIC mode): vlapic_mmio() then floats
 * reads to all-ones and drops writes, as the bus would, rather than the
 * access stopping the domain for touching no RAM.
 */
static bool in_lapic(struct vcpu *v, uint64_t gpa)
{
	uint64_t base;

	vlapic_mmio_base(v->lapic, &base);
	return gpa - base < VLAPIC_MMIO_SIZE;
}

bool hvm_is_mmio(struct vcpu *v, uint64_t gpa, struct emul_mmio_hit *hit)
{
	*hit = (struct emul_mmio_hit){ NULL, 0, 0 };
	if (!domain_is_hvm(v->dom))
		return false;
	return in_lapic(v, gpa) || emul_mmio_find(v->dom, gpa, hit);
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
		exit_attribute(v->dom, v->dom->lapic_src);
		ret = vlapic_mmio(v->lapic, &io);
		sched_deadline_moved(vlapic_next_deadline(v->lapic));
	} else {
		ret = emul_mmio(v->dom, m->hit, &io);
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

static int mem_read(void *opaque, uint64_t la, void *buf, unsigned int len,
		    unsigned int access, struct x86_pf *pf)
{
	struct mmio_ctx *m = opaque;

	return guest_read_virt(m->v->dom, &m->pg, la, buf, len, access, pf);
}

static int fetch(void *opaque, uint64_t la, uint8_t *buf, unsigned int len,
		 unsigned int access, struct x86_pf *pf)
{
	return mem_read(opaque, la, buf, len, access, pf);
}

static int mem_write(void *opaque, uint64_t la, const void *buf,
		     unsigned int len, unsigned int access, struct x86_pf *pf)
{
	struct mmio_ctx *m = opaque;

	return guest_write_virt(m->v->dom, &m->pg, la, buf, len, access, pf);
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

bool hvm_mmio(struct vcpu *v, const struct hvm_cpu_state *st,
	      struct x86_regs *regs, uint64_t gpa,
	      const struct emul_mmio_hit *hit, bool write,
	      const struct hvm_mmio_ops *ops)
{
	struct mmio_ctx m = {
		.v = v,
		.pg = { st->cr0, st->cr3, st->cr4, st->efer, st->rflags },
		.hit = hit,
	};
	struct x86_emul_ctx ctx = {
		.opaque = &m,
		.mode = st->mode,
		.cpl = st->cpl,
		.fault_write = write,
		.translate = translate,
		.fetch = fetch,
		.mmio_read = mmio_read,
		.mmio_write = mmio_write,
		.mem_read = mem_read,
		.mem_write = mem_write,
	};
	struct x86_emul_result res;
	char why[160];

	for (unsigned int i = 0; i < ARRAY_SIZE(ctx.seg_base); i++)
		ctx.seg_base[i] = st->seg_base[i];
	switch (x86_emulate_mmio(&ctx, regs, gpa, &res)) {
	case X86EMUL_OK:
		ops->retired(v);
		v->arch.mmio_retries = 0;
		return true;
	case X86EMUL_EXCEPTION:
		ops->inject(v, &res);
		v->arch.mmio_retries = 0;
		return true;
	case X86EMUL_RETRY:
		mmio_retry(v, &res, gpa);
		return false;
	default:
		x86_emul_format(&res, why, sizeof(why));
		domain_crash(v, "MMIO at %#llx not emulated: %s",
			     (unsigned long long)gpa, why);
		return false;
	}
}
