// SPDX-License-Identifier: GPL-2.0
/*
 * INS and OUTS, REP or not, for emulated ports (an IDE data port read
 * with rep insw).  The PIO exit's decode gives port, element size,
 * address size, REP and the source segment; memory is reached through
 * the guest's page tables with the rights the CPU would check, a #PF
 * is the guest's, and anything not RAM stops the domain.  One exit
 * moves at most PIO_STRING_BATCH elements: a REP with more left
 * re-executes with rCX and the index counted down, as an interrupted
 * REP does, so a huge count never holds the pCPU.
 */
#include <stdint.h>
#include <asm/guest_walk.h>
#include <asm/processor.h>
#include <asm/vcpu.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include "svm.h"

#define IOIO_A16		(1u << 7)
#define IOIO_A32		(1u << 8)
#define IOIO_SEG_SHIFT		10
#define RFLAGS_DF_BIT		(1ull << 10)
#define PIO_STRING_BATCH	1024u

static uint64_t seg_base(const struct vmcb_save *s, unsigned int seg)
{
	const struct vmcb_seg *segs[] = { &s->es, &s->cs, &s->ss, &s->ds,
					  &s->fs, &s->gs };

	if (seg >= 6)
		return 0;
	/* Long mode ignores the bases but FS's and GS's. */
	if ((s->efer & EFER_LMA) && seg < 4)
		return 0;
	return segs[seg]->base;
}

/* Checks both ends of an element before the port is touched. */
static int check_dest(struct domain *d, const struct guest_paging *pg,
		      uint64_t gva, unsigned int size, unsigned int access,
		      struct x86_pf *pf)
{
	uint64_t gpa;
	int r = guest_translate(d, pg, gva, access, &gpa, pf);

	if (r)
		return r;
	return guest_translate(d, pg, gva + size - 1, access, &gpa, pf);
}

static void fault(struct vcpu *v, int r, const struct x86_pf *pf,
		  uint64_t port)
{
	if (r == GUEST_WALK_PF) {
		/* Event injection does not write CR2. */
		v->arch.vmcb->save.cr2 = pf->addr;
		svm_inject_exception(v, X86_EXC_PF, 1, pf->error_code);
		return;
	}
	domain_crash(v, "string port I/O to %#llx: its memory is not RAM",
		     (unsigned long long)port);
}

void svm_pio_string(struct vcpu *v)
{
	struct vmcb_control *c = &v->arch.vmcb->control;
	struct vmcb_save *s = &v->arch.vmcb->save;
	struct guest_regs *g = &v->arch.regs;
	uint32_t info = (uint32_t)c->exit_info1;
	bool in = info & IOIO_IN, rep = info & IOIO_REP;
	unsigned int size = (info >> IOIO_SIZE_SHIFT) & 7;
	uint64_t port = info >> IOIO_PORT_SHIFT;
	uint64_t amask = info & IOIO_A16 ? 0xffff :
			 info & IOIO_A32 ? 0xffffffffull : ~0ull;
	uint64_t base = seg_base(s, in ? 0 : (info >> IOIO_SEG_SHIFT) & 7);
	uint64_t *idx = in ? &g->rdi : &g->rsi;
	uint64_t count = rep ? g->rcx & amask : 1;
	uint64_t step = s->rflags & RFLAGS_DF_BIT ? -(uint64_t)size : size;
	struct guest_paging pg;
	unsigned int access = (s->cpl == 3 ? X86_PF_USER : 0) |
			      (in ? X86_PF_WRITE : 0);

	if (size != 1 && size != 2 && size != 4) {
		domain_crash(v, "port I/O of impossible size %u", size);
		return;
	}
	svm_guest_paging(v, &pg);
	for (unsigned int n = 0; n < count && n < PIO_STRING_BATCH; n++) {
		uint64_t gva = base + (*idx & amask);
		struct io_access io = { .addr = port, .size = (uint8_t)size,
					.write = !in };
		struct x86_pf pf;
		int r;

		if (!(s->efer & EFER_LMA))
			gva &= 0xffffffffull;
		r = in ? check_dest(v->dom, &pg, gva, size, access, &pf) :
			 guest_read_virt(v->dom, &pg, gva, &io.val, size,
					 access, &pf);
		if (r) {
			fault(v, r, &pf, port);
			return;
		}
		if (emul_pio(v->dom, &io)) {
			domain_crash(v, "port %#llx: the device refused the access",
				     (unsigned long long)port);
			return;
		}
		if (in) {
			r = guest_write_virt(v->dom, &pg, gva, &io.val, size,
					     access, &pf);
			if (r) {
				fault(v, r, &pf, port);
				return;
			}
		}
		*idx = (*idx & ~amask) | ((*idx + step) & amask);
		if (rep)
			g->rcx = (g->rcx & ~amask) | ((g->rcx - 1) & amask);
	}
	if (rep && (g->rcx & amask))
		return;		/* more left: the instruction runs again */
	s->rip = c->exit_info2;
	c->int_state = 0;
	svm_singlestep_trap(v);
}
