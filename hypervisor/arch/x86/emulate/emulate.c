// SPDX-License-Identifier: GPL-2.0
/*
 * Emulates the one instruction whose memory operand hit an MMIO page:
 * fetch (once, into a local buffer), decode, check that the operand's
 * linear address lands on the faulting guest-physical address, then do
 * the access through the caller's MMIO callbacks and update registers,
 * RFLAGS and RIP the way the CPU would have.
 *
 * Every access is one the guest could have made itself at its CPL: the
 * fetch, the MMIO operand and the RAM side of MOVS go through the
 * caller's page walk with their kind (read, write, fetch) and the user
 * bit at CPL 3, and a refusal there becomes the #PF the CPU would raise.
 * The MMIO operand must translate to the faulting address itself and go
 * the fault's way (read or write); an instruction that no longer does
 * was changed after the fault and is not emulated: the guest runs it
 * again (X86EMUL_RETRY).  A split access, a walk that touched MMIO, and
 * the like stop the domain rather than being guessed at.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/printf.h>
#include <asm/x86_emulate.h>

#define PAGE_OFF(x)	((x) & 0xfffull)
#define PAGE_BYTES	0x1000u

/* Which way an instruction's MMIO operand goes. */
#define DIR_READ	1u
#define DIR_WRITE	2u
#define DIR_RMW		(DIR_READ | DIR_WRITE)

struct emul {
	const struct x86_emul_ctx *ctx;
	struct x86_regs *regs;
	struct x86_emul_result *res;
	struct x86_insn insn;
	uint64_t gpa;
	uint64_t next_rip;
	int fetch_rc;		/* why the fetch stopped short, if it did */
	struct x86_pf fetch_pf;
};

static uint64_t size_mask(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned int size)
{
	unsigned int shift = 64 - 8 * size;

	if (size >= 8)
		return v;
	return (uint64_t)((int64_t)(v << shift) >> shift);
}

static int unhandleable(struct emul *e, const char *why)
{
	e->res->reason = why;
	return X86EMUL_UNHANDLEABLE;
}

/* The instruction is not the one that faulted: nothing was done. */
static int retry(struct emul *e, const char *why)
{
	e->res->reason = why;
	return X86EMUL_RETRY;
}

static int exception(struct emul *e, uint8_t vector, bool has_error,
		     const char *why)
{
	e->res->vector = vector;
	e->res->has_error_code = has_error;
	e->res->error_code = 0;
	e->res->reason = why;
	return X86EMUL_EXCEPTION;
}

static int page_fault(struct emul *e, const struct x86_pf *pf,
		      const char *why)
{
	exception(e, X86_EXC_PF, true, why);
	e->res->error_code = pf->error_code;
	e->res->cr2 = pf->addr;
	return X86EMUL_EXCEPTION;
}

/* The kind of a guest-memory access, made at the guest's CPL. */
static unsigned int access_kind(const struct emul *e, unsigned int kind)
{
	return kind | (e->ctx->cpl == 3 ? X86_PF_USER : 0);
}

/* A guest-memory callback's answer as the emulator's result. */
static int mem_result(struct emul *e, int rc, const struct x86_pf *pf,
		      const char *why)
{
	if (!rc)
		return X86EMUL_OK;
	if (rc == X86EMUL_MEM_PF)
		return page_fault(e, pf, "page fault");
	return unhandleable(e, why);
}

static int translate(struct emul *e, uint64_t la, unsigned int kind,
		     uint64_t *gpa, const char *why)
{
	const struct x86_emul_ctx *ctx = e->ctx;
	struct x86_pf pf;
	int rc;

	rc = ctx->translate(ctx->opaque, la, access_kind(e, kind), gpa, &pf);
	return mem_result(e, rc, &pf, why);
}

/*
 * Registers.  Without any REX prefix byte registers 4-7 are AH, CH, DH,
 * BH; 8- and 16-bit writes merge, 32-bit writes zero the upper half.
 */
static uint64_t reg_read(const struct emul *e, unsigned int r,
			 unsigned int size)
{
	if (size == 1 && !e->insn.rex && r >= 4 && r < 8)
		return (e->regs->gpr[r - 4] >> 8) & 0xff;
	return e->regs->gpr[r & 15] & size_mask(size);
}

static void reg_write(struct emul *e, unsigned int r, unsigned int size,
		      uint64_t v)
{
	uint64_t *g;

	if (size == 1 && !e->insn.rex && r >= 4 && r < 8) {
		g = &e->regs->gpr[r - 4];
		*g = (*g & ~0xff00ull) | (v & 0xff) << 8;
		return;
	}
	g = &e->regs->gpr[r & 15];
	if (size >= 4)
		*g = v & size_mask(size);
	else
		*g = (*g & ~size_mask(size)) | (v & size_mask(size));
}

/* rSI, rDI, rCX as the address size sees them. */
static uint64_t areg_read(const struct emul *e, unsigned int r)
{
	return e->regs->gpr[r] & size_mask(e->insn.addrsize);
}

static void areg_write(struct emul *e, unsigned int r, uint64_t v)
{
	reg_write(e, r, e->insn.addrsize, v);
}

/* The operand's offset in its segment, wrapped to the address size. */
static uint64_t operand_ea(const struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	const struct x86_mem *m = &in->mem;
	uint64_t ea = (uint64_t)m->disp;

	if (in->form == X86_FORM_ACC_MOFFS || in->form == X86_FORM_MOFFS_ACC)
		return in->moffs;
	if (m->base == X86_REG_RIP)
		ea += e->next_rip;
	else if (m->base != X86_REG_NONE)
		ea += e->regs->gpr[m->base & 15];
	if (m->index != X86_REG_NONE)
		ea += e->regs->gpr[m->index & 15] * m->scale;
	return ea & size_mask(in->addrsize);
}

static bool canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

static int linear(struct emul *e, unsigned int seg, uint64_t ea, uint64_t *la)
{
	const struct x86_emul_ctx *ctx = e->ctx;

	ea &= size_mask(e->insn.addrsize);
	if (e->insn.mode != 64) {
		*la = (ctx->seg_base[seg] + ea) & 0xffffffffull;
		return X86EMUL_OK;
	}
	*la = ea;
	if (seg == X86_SEG_FS || seg == X86_SEG_GS)
		*la += ctx->seg_base[seg];
	if (!canonical(*la))
		return exception(e, seg == X86_SEG_SS ? X86_EXC_SS : X86_EXC_GP,
				 true, "non-canonical operand address");
	return X86EMUL_OK;
}

static unsigned int operand_seg(const struct emul *e)
{
	if (e->insn.seg_override >= 0)
		return e->insn.seg_override;
	if (e->insn.form == X86_FORM_ACC_MOFFS ||
	    e->insn.form == X86_FORM_MOFFS_ACC || e->insn.form == X86_FORM_STRING)
		return X86_SEG_DS;
	return e->insn.mem.seg;
}

/*
 * The MMIO operand: inside the faulting page, going the fault's way
 * (a read-modify-write goes both), allowed at the guest's CPL and
 * translating to the faulting address.  An instruction that fails the
 * first or the last test is not the one that faulted: another vCPU
 * rewrote it, or the page tables, in between.
 */
static int check_mmio(struct emul *e, uint64_t la, unsigned int size,
		      unsigned int dir)
{
	uint64_t gpa;
	int rc;

	e->res->la = la;
	if (PAGE_OFF(la) != PAGE_OFF(e->gpa))
		return retry(e, "operand address does not match the faulting address");
	if (PAGE_OFF(e->gpa) + size > PAGE_BYTES)
		return unhandleable(e, "MMIO access crosses a page boundary");
	if (!(dir & (e->ctx->fault_write ? DIR_WRITE : DIR_READ)))
		return retry(e, "access direction does not match the fault");
	rc = translate(e, la, dir & DIR_WRITE ? X86_PF_WRITE : 0, &gpa,
		       "operand address cannot be translated");
	if (rc)
		return rc;
	if (gpa != e->gpa)
		return retry(e, "operand does not map to the faulting address");
	return X86EMUL_OK;
}

static int mmio_read(struct emul *e, uint64_t gpa, unsigned int size,
		     uint64_t *v)
{
	*v = 0;
	if (e->ctx->mmio_read(e->ctx->opaque, gpa, v, size))
		return unhandleable(e, "MMIO read failed");
	*v &= size_mask(size);
	return X86EMUL_OK;
}

static int mmio_write(struct emul *e, uint64_t gpa, unsigned int size,
		      uint64_t v)
{
	if (e->ctx->mmio_write(e->ctx->opaque, gpa, v & size_mask(size), size))
		return unhandleable(e, "MMIO write failed");
	return X86EMUL_OK;
}

/* Linear address of the ModRM/moffs operand, checked against the fault. */
static int mem_operand(struct emul *e, uint64_t extra, unsigned int size,
		       unsigned int dir, uint64_t *gpa)
{
	uint64_t la;
	int rc;

	rc = linear(e, operand_seg(e), operand_ea(e) + extra, &la);
	if (rc)
		return rc;
	rc = check_mmio(e, la, size, dir);
	*gpa = e->gpa;
	return rc;
}

static bool parity_even(uint64_t v)
{
	uint8_t b = v;

	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return !(b & 1);
}

/* dst op src at the given size; sets the six arithmetic flags. */
static uint64_t alu(unsigned int op, unsigned int size, uint64_t a,
		    uint64_t b, uint64_t *rflags)
{
	unsigned int top = 8 * size - 1;
	uint64_t cin = *rflags & X86_FLAGS_CF;
	uint64_t r, cf = 0, of = 0, af = 0, f;

	a &= size_mask(size);
	b &= size_mask(size);
	switch (op) {
	case X86_OP_ADD:
	case X86_OP_ADC:
		r = a + b + (op == X86_OP_ADC ? cin : 0);
		cf = (a & b) | ((a | b) & ~r);
		of = (a ^ r) & (b ^ r);
		af = a ^ b ^ r;
		break;
	case X86_OP_SUB:
	case X86_OP_SBB:
	case X86_OP_CMP:
		r = a - b - (op == X86_OP_SBB ? cin : 0);
		cf = (~a & b) | ((~a | b) & r);
		of = (a ^ b) & (a ^ r);
		af = a ^ b ^ r;
		break;
	case X86_OP_OR:
		r = a | b;
		break;
	case X86_OP_XOR:
		r = a ^ b;
		break;
	default:			/* AND, TEST */
		r = a & b;
		break;
	}
	r &= size_mask(size);
	f = ((cf >> top) & 1) * X86_FLAGS_CF | ((of >> top) & 1) * X86_FLAGS_OF |
	    ((af >> 4) & 1) * X86_FLAGS_AF | parity_even(r) * X86_FLAGS_PF |
	    (r == 0) * X86_FLAGS_ZF | ((r >> top) & 1) * X86_FLAGS_SF;
	*rflags = (*rflags & ~(uint64_t)X86_FLAGS_ARITH) | f;
	return r;
}

/* The memory operand (extra bytes past it): its address and value. */
static int load_operand(struct emul *e, uint64_t extra, unsigned int size,
			unsigned int dir, uint64_t *gpa, uint64_t *v)
{
	int rc = mem_operand(e, extra, size, dir, gpa);

	return rc ? rc : mmio_read(e, *gpa, size, v);
}

static bool mov_stores(const struct x86_insn *in)
{
	return in->form == X86_FORM_RM_REG || in->form == X86_FORM_RM_IMM ||
	       in->form == X86_FORM_MOFFS_ACC;
}

static int emulate_mov(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	unsigned int size = in->opsize;
	uint64_t gpa, v;
	int rc;

	rc = mem_operand(e, 0, in->opsize,
			 mov_stores(in) ? DIR_WRITE : DIR_READ, &gpa);
	if (rc)
		return rc;
	switch (in->form) {
	case X86_FORM_RM_REG:
		return mmio_write(e, gpa, size, reg_read(e, in->reg, size));
	case X86_FORM_RM_IMM:
		return mmio_write(e, gpa, size, (uint64_t)in->imm);
	case X86_FORM_MOFFS_ACC:
		return mmio_write(e, gpa, size, reg_read(e, X86_RAX, size));
	default:			/* REG_RM, ACC_MOFFS */
		rc = mmio_read(e, gpa, size, &v);
		if (rc)
			return rc;
		reg_write(e, in->form == X86_FORM_REG_RM ? in->reg : X86_RAX,
			  size, v);
		return X86EMUL_OK;
	}
}

static int emulate_movx(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	uint64_t gpa, v;
	int rc;

	rc = load_operand(e, 0, in->srcsize, DIR_READ, &gpa, &v);
	if (rc)
		return rc;
	if (in->op == X86_OP_MOVSX)
		v = sign_extend(v, in->srcsize);
	reg_write(e, in->reg, in->opsize, v);
	return X86EMUL_OK;
}

/* ADD..CMP, TEST: one side memory, the other a register or immediate. */
static int emulate_alu(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	unsigned int size = in->opsize;
	uint64_t gpa, m, src, r;
	bool to_reg = in->form == X86_FORM_REG_RM;
	bool reads_only = to_reg || in->op == X86_OP_CMP ||
			  in->op == X86_OP_TEST;
	int rc;

	rc = load_operand(e, 0, size, reads_only ? DIR_READ : DIR_RMW, &gpa,
			  &m);
	if (rc)
		return rc;
	src = in->form == X86_FORM_RM_IMM ? (uint64_t)in->imm :
					    reg_read(e, in->reg, size);
	if (to_reg) {
		r = alu(in->op, size, src, m, &e->regs->rflags);
		if (in->op != X86_OP_CMP)
			reg_write(e, in->reg, size, r);
		return X86EMUL_OK;
	}
	r = alu(in->op, size, m, src, &e->regs->rflags);
	if (in->op == X86_OP_CMP || in->op == X86_OP_TEST)
		return X86EMUL_OK;
	return mmio_write(e, gpa, size, r);
}

static int emulate_xchg(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	uint64_t gpa, m;
	int rc;

	rc = load_operand(e, 0, in->opsize, DIR_RMW, &gpa, &m);
	if (rc)
		return rc;
	rc = mmio_write(e, gpa, in->opsize, reg_read(e, in->reg, in->opsize));
	if (rc)
		return rc;
	reg_write(e, in->reg, in->opsize, m);
	return X86EMUL_OK;
}

/*
 * As the architecture specifies, the destination is written either way:
 * with the new value on success, with its own value on failure.
 */
static int emulate_cmpxchg(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	unsigned int size = in->opsize;
	uint64_t gpa, m, acc;
	int rc;

	rc = load_operand(e, 0, size, DIR_RMW, &gpa, &m);
	if (rc)
		return rc;
	acc = reg_read(e, X86_RAX, size);
	alu(X86_OP_CMP, size, acc, m, &e->regs->rflags);
	if (acc == m)
		return mmio_write(e, gpa, size, reg_read(e, in->reg, size));
	rc = mmio_write(e, gpa, size, m);
	if (rc)
		return rc;
	reg_write(e, X86_RAX, size, m);
	return X86EMUL_OK;
}

/*
 * BT/BTS/BTR/BTC.  With a register bit offset the operand is a bit
 * string: the signed offset also moves the address, in operand-size
 * units.
 */
static int emulate_bt(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	unsigned int size = in->opsize, bits = 8 * size;
	uint64_t gpa, v, extra = 0, bit;
	int64_t off;
	int rc;

	if (in->form == X86_FORM_RM_REG) {
		off = (int64_t)sign_extend(reg_read(e, in->reg, size), size);
		bit = (uint64_t)off & (bits - 1);
		/* Floor division by the operand width, as the CPU does. */
		extra = (uint64_t)((off - (int64_t)bit) / (int64_t)bits) * size;
	} else {
		bit = (uint64_t)in->imm & (bits - 1);
	}
	rc = load_operand(e, extra, size,
			  in->op == X86_OP_BT ? DIR_READ : DIR_RMW, &gpa, &v);
	if (rc)
		return rc;
	e->regs->rflags &= ~(uint64_t)X86_FLAGS_CF;
	e->regs->rflags |= (v >> bit) & 1;
	if (in->op == X86_OP_BT)
		return X86EMUL_OK;
	if (in->op == X86_OP_BTS)
		v |= 1ull << bit;
	else if (in->op == X86_OP_BTR)
		v &= ~(1ull << bit);
	else
		v ^= 1ull << bit;
	return mmio_write(e, gpa, size, v);
}

/* Iterations that keep the MMIO side inside the faulting page. */
static uint64_t string_room(const struct emul *e)
{
	unsigned int size = e->insn.opsize;

	if (e->regs->rflags & X86_FLAGS_DF)
		return PAGE_OFF(e->gpa) / size + 1;
	return (PAGE_BYTES - PAGE_OFF(e->gpa)) / size;
}

static void string_step(struct emul *e, bool src, bool rep)
{
	uint64_t d = e->insn.opsize;

	if (e->regs->rflags & X86_FLAGS_DF)
		d = -d;
	if (src)
		areg_write(e, X86_RSI, areg_read(e, X86_RSI) + d);
	areg_write(e, X86_RDI, areg_read(e, X86_RDI) + d);
	if (rep)
		areg_write(e, X86_RCX, areg_read(e, X86_RCX) - 1);
}

static uint64_t bytes_to_u64(const uint8_t *b, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | b[n];
	return v;
}

static void u64_to_bytes(uint64_t v, uint8_t *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		b[i] = v >> (8 * i);
}

/*
 * The RAM destination of one MOVS element may be stored to, checked
 * before the device is read so that a refused store has no side effect.
 */
static int ram_writable(struct emul *e, uint64_t la, unsigned int size)
{
	uint64_t gpa, last = la + size - 1;
	int rc;

	if (e->insn.mode != 64)
		last &= 0xffffffffull;
	rc = translate(e, la, X86_PF_WRITE, &gpa,
		       "MOVS destination cannot be translated");
	if (rc || (last >> 12) == (la >> 12))
		return rc;
	return translate(e, last & ~0xfffull, X86_PF_WRITE, &gpa,
			 "MOVS destination cannot be translated");
}

/* One MOVS element: RAM to MMIO or MMIO to RAM. */
static int movs_one(struct emul *e, bool mmio_dst, uint64_t gpa)
{
	const struct x86_emul_ctx *ctx = e->ctx;
	unsigned int size = e->insn.opsize;
	struct x86_pf pf;
	uint64_t ram_la, v;
	uint8_t buf[8];
	int rc;

	if (mmio_dst)
		rc = linear(e, operand_seg(e), areg_read(e, X86_RSI), &ram_la);
	else
		rc = linear(e, X86_SEG_ES, areg_read(e, X86_RDI), &ram_la);
	if (rc)
		return rc;
	if (mmio_dst) {
		rc = ctx->mem_read(ctx->opaque, ram_la, buf, size,
				   access_kind(e, 0), &pf);
		rc = mem_result(e, rc, &pf,
				"MOVS source is neither MMIO nor readable RAM");
		if (rc)
			return rc;
		return mmio_write(e, gpa, size, bytes_to_u64(buf, size));
	}
	rc = ram_writable(e, ram_la, size);
	if (rc)
		return rc;
	rc = mmio_read(e, gpa, size, &v);
	if (rc)
		return rc;
	u64_to_bytes(v, buf, size);
	rc = ctx->mem_write(ctx->opaque, ram_la, buf, size,
			    access_kind(e, X86_PF_WRITE), &pf);
	return mem_result(e, rc, &pf,
			  "MOVS destination is neither MMIO nor writable RAM");
}

/*
 * Which side of MOVS faulted: the one that translates to the faulting
 * address.  Both sides are checked first, the source first, with the
 * rights the CPU would check; the other side must then read as RAM
 * before anything is done.
 */
static int movs_side(struct emul *e, bool *mmio_dst)
{
	const struct x86_emul_ctx *ctx = e->ctx;
	unsigned int size = e->insn.opsize;
	uint64_t src, dst, src_gpa, dst_gpa;
	struct x86_pf pf;
	uint8_t buf[8];
	bool s, d;
	int rc;

	rc = linear(e, operand_seg(e), areg_read(e, X86_RSI), &src);
	if (!rc)
		rc = linear(e, X86_SEG_ES, areg_read(e, X86_RDI), &dst);
	if (!rc)
		rc = translate(e, src, 0, &src_gpa,
			       "MOVS source cannot be translated");
	if (!rc)
		rc = translate(e, dst, X86_PF_WRITE, &dst_gpa,
			       "MOVS destination cannot be translated");
	if (rc)
		return rc;
	s = src_gpa == e->gpa;
	d = dst_gpa == e->gpa;
	if (s && d)
		return unhandleable(e, "MOVS from MMIO to MMIO");
	if (!s && !d)
		return retry(e, "operand does not map to the faulting address");
	*mmio_dst = d;
	rc = check_mmio(e, d ? dst : src, size, d ? DIR_WRITE : DIR_READ);
	if (rc)
		return rc;
	rc = ctx->mem_read(ctx->opaque, d ? src : dst, buf, size,
			   access_kind(e, 0), &pf);
	return mem_result(e, rc, &pf, "MOVS with neither side in RAM");
}

static int emulate_string(struct emul *e)
{
	const struct x86_insn *in = &e->insn;
	unsigned int size = in->opsize;
	bool rep = in->rep != 0, mmio_dst = true;
	uint64_t n = 1, i, la, gpa = e->gpa, step = size;
	int rc;

	if (rep) {
		n = areg_read(e, X86_RCX);
		if (!n)
			return X86EMUL_OK;
	}
	if (in->op == X86_OP_MOVS) {
		rc = movs_side(e, &mmio_dst);
	} else {
		rc = linear(e, X86_SEG_ES, areg_read(e, X86_RDI), &la);
		if (!rc)
			rc = check_mmio(e, la, size, DIR_WRITE);
	}
	if (rc)
		return rc;
	if (n > string_room(e))
		n = string_room(e);
	if (e->regs->rflags & X86_FLAGS_DF)
		step = -step;
	for (i = 0; i < n; i++, gpa += step) {
		if (in->op == X86_OP_MOVS)
			rc = movs_one(e, mmio_dst, gpa);
		else
			rc = mmio_write(e, gpa, size, reg_read(e, X86_RAX, size));
		if (rc)
			return rc;
		string_step(e, in->op == X86_OP_MOVS, rep);
	}
	/* Not finished: leave RIP on it; it runs (and faults) again. */
	if (rep && areg_read(e, X86_RCX))
		e->next_rip = e->regs->rip;
	return X86EMUL_OK;
}

/*
 * Nothing is cached on the hypervisor's side of MMIO, but the CPU checks
 * the page as for a read.
 */
static int emulate_clflush(struct emul *e)
{
	uint64_t la, gpa;
	int rc;

	rc = linear(e, operand_seg(e), operand_ea(e), &la);
	if (rc)
		return rc;
	return translate(e, la, 0, &gpa,
			 "operand address cannot be translated");
}

static int emulate_insn(struct emul *e)
{

	switch (e->insn.op) {
	case X86_OP_MOV:
		return emulate_mov(e);
	case X86_OP_MOVZX:
	case X86_OP_MOVSX:
		return emulate_movx(e);
	case X86_OP_ADD: case X86_OP_OR: case X86_OP_ADC: case X86_OP_SBB:
	case X86_OP_AND: case X86_OP_SUB: case X86_OP_XOR: case X86_OP_CMP:
	case X86_OP_TEST:
		return emulate_alu(e);
	case X86_OP_XCHG:
		return emulate_xchg(e);
	case X86_OP_CMPXCHG:
		return emulate_cmpxchg(e);
	case X86_OP_BT: case X86_OP_BTS: case X86_OP_BTR: case X86_OP_BTC:
		return emulate_bt(e);
	case X86_OP_STOS:
	case X86_OP_MOVS:
		return emulate_string(e);
	case X86_OP_CLFLUSH:
		return emulate_clflush(e);
	}
	return unhandleable(e, "instruction not emulated");
}

static uint64_t ip_mask(int mode)
{
	return mode == 64 ? ~0ull : mode == 32 ? 0xffffffffull : 0xffffull;
}

/*
 * Up to 15 bytes at CS:rIP, page by page, fetched at the guest's CPL;
 * fewer if a page cannot be, e->fetch_rc saying why.
 */
static unsigned int fetch_insn(struct emul *e)
{
	const struct x86_emul_ctx *ctx = e->ctx;
	struct x86_emul_result *res = e->res;
	uint64_t la = e->regs->rip & ip_mask(ctx->mode);
	unsigned int n = 0, chunk, kind = access_kind(e, X86_PF_INSTR);

	if (ctx->mode != 64)
		la = (la + ctx->seg_base[X86_SEG_CS]) & 0xffffffffull;
	res->rip = la;
	while (n < X86_MAX_INSN_LEN) {
		chunk = PAGE_BYTES - PAGE_OFF(la + n);
		if (chunk > X86_MAX_INSN_LEN - n)
			chunk = X86_MAX_INSN_LEN - n;
		e->fetch_rc = ctx->fetch(ctx->opaque, la + n, res->bytes + n,
					 chunk, kind, &e->fetch_pf);
		if (e->fetch_rc)
			break;
		n += chunk;
	}
	res->nbytes = n;
	return n;
}

static int decode_fetched(struct emul *e, unsigned int n)
{
	switch (x86_decode(e->res->bytes, n, e->ctx->mode, &e->insn)) {
	case X86_DECODE_OK:
		return X86EMUL_OK;
	case X86_DECODE_UD:
		return exception(e, X86_EXC_UD, false, "invalid encoding");
	case X86_DECODE_TOO_LONG:
		return exception(e, X86_EXC_GP, true,
				 "instruction longer than 15 bytes");
	case X86_DECODE_TRUNCATED:
		/* The missing bytes are those the CPU would fault on. */
		if (e->fetch_rc == X86EMUL_MEM_PF)
			return page_fault(e, &e->fetch_pf,
					  "instruction fetch faults");
		return unhandleable(e, "instruction runs into an unreadable page");
	default:
		return unhandleable(e, "instruction not emulated");
	}
}

int x86_emulate_mmio(const struct x86_emul_ctx *ctx, struct x86_regs *regs,
		     uint64_t gpa, struct x86_emul_result *res)
{
	struct emul e = { .ctx = ctx, .regs = regs, .res = res, .gpa = gpa };
	unsigned int n;
	int rc;

	*res = (struct x86_emul_result){ 0 };
	if (ctx->mode != 16 && ctx->mode != 32 && ctx->mode != 64)
		return unhandleable(&e, "unknown CPU mode");
	n = fetch_insn(&e);
	if (!n && e.fetch_rc == X86EMUL_MEM_PF)
		return page_fault(&e, &e.fetch_pf, "instruction fetch faults");
	if (!n)
		return unhandleable(&e, "cannot fetch the instruction");
	rc = decode_fetched(&e, n);
	if (rc)
		return rc;
	res->nbytes = e.insn.len;
	if (!e.insn.has_mem)
		return unhandleable(&e, "instruction has no memory operand");
	e.next_rip = (regs->rip + e.insn.len) & ip_mask(ctx->mode);
	rc = emulate_insn(&e);
	if (rc)
		return rc;
	regs->rip = e.next_rip;
	return X86EMUL_OK;
}

bool x86_insn_linear(const struct x86_emul_ctx *ctx,
		     const struct x86_regs *regs, const struct x86_insn *insn,
		     uint64_t *la)
{
	struct x86_emul_result res;
	struct emul e = { .ctx = ctx, .regs = (struct x86_regs *)regs,
			  .res = &res, .insn = *insn };

	e.next_rip = (regs->rip + insn->len) & ip_mask(insn->mode);
	return linear(&e, operand_seg(&e), operand_ea(&e), la) == X86EMUL_OK;
}

int x86_emul_format(const struct x86_emul_result *res, char *buf, size_t size)
{
	unsigned int i;
	size_t pos;
	int total;

	total = snprintf(buf, size, "%s: rip %#llx bytes",
			 res->reason ? res->reason : "ok",
			 (unsigned long long)res->rip);
	for (i = 0; i < res->nbytes && i < X86_MAX_INSN_LEN; i++) {
		pos = (size_t)total < size ? (size_t)total : size;
		total += snprintf(buf + pos, size - pos, " %02x",
				  res->bytes[i]);
	}
	return total;
}
