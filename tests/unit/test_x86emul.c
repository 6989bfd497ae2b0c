// SPDX-License-Identifier: GPL-2.0
/*
 * The MMIO instruction emulator against a fake bus.
 *
 * The main table lists instructions as assembler text: the host's
 * assembler encodes them at build time (top-level asm, .code16/32/64),
 * so the bytes are right by construction and the decoded length is
 * checked against the assembler's.  Each row says what the emulator must
 * do with them: the one MMIO access (address, size, value), the
 * register that changes, the arithmetic flags, or the fault or refusal.
 * Every other register must come out unchanged.
 *
 * Beside the table: field-level decode checks, REP string instructions
 * across page ends, instruction fetch across pages, and the ALU flags
 * compared against the host CPU executing the same operations.  The
 * fake vCPU is in x86emul_fake.c, the page rights and fault matching
 * cases in test_x86emul_perm.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/x86_emulate.h>
#include "ktap.h"
#include "x86emul_fake.h"

struct row {
	const char *name;
	const char *text;
	const uint8_t *b, *e;
	uint8_t mode;
	/* decode */
	uint8_t dec;			/* expected x86_decode() status */
	uint8_t op, opsize;		/* checked when op != 0 */
	/* emulation */
	uint8_t rc, vec;
	char acc;			/* 'R', 'W', 'X' (read, write) or 0 */
	uint8_t size;
	uint64_t gpa, wval;
	uint8_t riprel;			/* 1: gpa is RIP-relative; 2: and 32-bit */
	int64_t ripdisp;
	bool has_fault;
	uint64_t fault;			/* the faulting gpa, if not gpa */
	uint8_t c1, c2;			/* 1 + register expected to change */
	uint64_t v1, v2;
	uint8_t s1, s2;			/* 1 + register set before */
	uint64_t sv1, sv2;
	uint32_t fmask, fval;		/* arithmetic flags after */
	uint64_t fin;			/* flags set before (besides bit 1) */
	bool has_mval;
	uint64_t mval;
	uint64_t seg[6];
};

#define W(g, s, v)	.acc = 'W', .gpa = (g), .size = (s), .wval = (v)
#define R(g, s)		.acc = 'R', .gpa = (g), .size = (s)
#define RW(g, s, v)	.acc = 'X', .gpa = (g), .size = (s), .wval = (v)
#define C1(r, v)	.c1 = 1 + X86_##r, .v1 = (v)
#define C2(r, v)	.c2 = 1 + X86_##r, .v2 = (v)
#define SET(r, v)	.s1 = 1 + X86_##r, .sv1 = (v)
#define SET2(r, v)	.s2 = 1 + X86_##r, .sv2 = (v)
#define FL(m, v)	.fmask = (m), .fval = (v)
#define FIN(v)		.fin = (v)
#define MVAL(v)		.has_mval = true, .mval = (v)
#define OP(o, s)	.op = X86_OP_##o, .opsize = (s)
#define RIPREL(d)	.riprel = 1, .ripdisp = (d)
#define RIPREL32(d)	.riprel = 2, .ripdisp = (d)
#define GPA(v)		.has_fault = true, .fault = (v)
#define EXC(v)		.rc = X86EMUL_EXCEPTION, .vec = (v)
#define UD		EXC(X86_EXC_UD), .dec = X86_DECODE_UD
#define UNH		.rc = X86EMUL_UNHANDLEABLE, .dec = X86_DECODE_UNSUPPORTED
#define REFUSE		.rc = X86EMUL_UNHANDLEABLE
#define RETRY		.rc = X86EMUL_RETRY
#define DEC(s)		.dec = (s)
#define ES(v)		.seg[X86_SEG_ES] = (v)
#define SS(v)		.seg[X86_SEG_SS] = (v)
#define DS(v)		.seg[X86_SEG_DS] = (v)
#define FS(v)		.seg[X86_SEG_FS] = (v)
#define GS(v)		.seg[X86_SEG_GS] = (v)

#include "x86emul_rows.h"

/* Each row's bytes, assembled by the host's assembler in the row's mode. */
#define ASM_ROW(name, mode, text, ...)					\
	__asm__(".pushsection .rodata.x86emul_rows, \"a\"\n"		\
		".code" #mode "\n"					\
		"x86row_" #name "_b:\n\t" text "\n"			\
		"x86row_" #name "_e:\n"					\
		".code64\n.popsection\n");
ROWS(ASM_ROW)

#define DECL_ROW(name, mode, text, ...)					\
	extern const uint8_t x86row_##name##_b[], x86row_##name##_e[];
ROWS(DECL_ROW)

#define TABLE_ROW(id, mode_, text_, ...)				\
	{ .name = #id, .text = text_, .mode = mode_,			\
	  .b = x86row_##id##_b, .e = x86row_##id##_e, __VA_ARGS__ },
static const struct row rows[] = { ROWS(TABLE_ROW) };

/* ---- the table ---- */

static bool flagless(unsigned int op)
{
	return op == X86_OP_MOV || op == X86_OP_MOVZX || op == X86_OP_MOVSX ||
	       op == X86_OP_XCHG || op == X86_OP_STOS || op == X86_OP_MOVS ||
	       op == X86_OP_CLFLUSH;
}

static void check_decode(const struct row *r, unsigned int len)
{
	struct x86_insn insn, again;
	int st;

	st = x86_decode(r->b, len, r->mode, &insn);
	EXPECT_EQ(st, r->dec);
	if (st != X86_DECODE_OK)
		return;
	EXPECT_EQ(insn.len, len);
	if (r->op) {
		EXPECT_EQ(insn.op, r->op);
		EXPECT_EQ(insn.opsize, r->opsize);
	}
	/* Any shorter buffer is too short, never misread. */
	if (len > 1) {
		EXPECT_EQ(x86_decode(r->b, len - 1, r->mode, &again),
			  X86_DECODE_TRUNCATED);
	}
	x86_decode(r->b, len, r->mode, &again);
	EXPECT_MEMEQ(&insn, &again, sizeof(insn));
}

static void check_access(const struct row *r, uint64_t gpa)
{
	const struct access *a = fk.log;

	switch (r->acc) {
	case 'W':
	case 'R':
		EXPECT_EQ(fk.n, 1);
		EXPECT_EQ(a->write, r->acc == 'W');
		break;
	case 'X':
		EXPECT_EQ(fk.n, 2);
		EXPECT(!a[0].write && a[1].write);
		EXPECT_EQ(a[1].gpa, gpa);
		EXPECT_EQ(a[1].size, r->size);
		a++;
		break;
	default:
		EXPECT_EQ(fk.n, 0);
		return;
	}
	if (!fk.n)
		return;
	EXPECT_EQ(fk.log[0].gpa, gpa);
	EXPECT_EQ(fk.log[0].size, r->size);
	if (r->acc != 'R')
		EXPECT_EQ(a->val, r->wval);
}

static void check_regs(const struct row *r, const struct x86_regs *before,
		       const struct x86_regs *after)
{
	uint64_t want;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		want = before->gpr[i];
		if (r->c1 == i + 1)
			want = r->v1;
		if (r->c2 == i + 1)
			want = r->v2;
		if (after->gpr[i] != want) {
			ktap_fail_at(__FILE__, __LINE__, "register value");
			ktap_diag("  gpr[%u] %#llx, want %#llx", i,
				  (unsigned long long)after->gpr[i],
				  (unsigned long long)want);
		}
	}
}

static void check_flags(const struct row *r, const struct x86_regs *before,
			const struct x86_regs *after, unsigned int op)
{
	uint64_t mask = r->fmask;

	if (r->rc != X86EMUL_OK || (!mask && !flagless(op))) {
		if (r->rc != X86EMUL_OK)
			EXPECT_EQ(after->rflags, before->rflags);
		return;
	}
	EXPECT_EQ(after->rflags & mask, r->fval);
	EXPECT_EQ(after->rflags & ~mask, before->rflags & ~mask);
}

static void run_row(const struct row *r)
{
	unsigned int len = r->e - r->b, fails = ktap_case_failures;
	struct x86_regs regs, before;
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_insn insn;
	uint64_t gpa, mask;
	int rc;

	check_decode(r, len);
	fake_setup(&ctx, &regs, r->mode, r->b, len);
	memcpy(ctx.seg_base, r->seg, sizeof(r->seg));
	if (r->s1)
		regs.gpr[r->s1 - 1] = r->sv1;
	if (r->s2)
		regs.gpr[r->s2 - 1] = r->sv2;
	regs.rflags |= r->fin;
	if (r->has_mval)
		fk.mval = r->mval;
	mask = r->mode == 64 ? ~0ull : r->mode == 32 ? 0xffffffffull : 0xffff;
	gpa = r->gpa;
	if (r->riprel)
		gpa = regs.rip + len + r->ripdisp;
	if (r->riprel == 2)
		gpa &= 0xffffffff;
	/* The fault goes the way the instruction's first access does. */
	ctx.fault_write = r->acc == 'W';
	before = regs;

	rc = x86_emulate_mmio(&ctx, &regs, r->has_fault ? r->fault : gpa, &res);
	EXPECT_EQ(rc, r->rc);
	if (rc == X86EMUL_EXCEPTION)
		EXPECT_EQ(res.vector, r->vec);
	if (rc != X86EMUL_OK)
		EXPECT(res.reason != NULL);
	EXPECT_EQ(fk.bad_calls, 0);
	/* The fake maps linear to physical 1:1: the whole address counts. */
	if (rc == X86EMUL_OK && r->acc)
		EXPECT_EQ(res.la, gpa);
	check_access(r, gpa);
	check_regs(r, &before, &regs);
	x86_decode(r->b, len, r->mode, &insn);
	check_flags(r, &before, &regs, insn.op);
	if (r->rc == X86EMUL_OK)
		EXPECT_EQ(regs.rip, (before.rip + len) & mask);
	else
		EXPECT_EQ(regs.rip, before.rip);
	if (ktap_case_failures != fails)
		ktap_diag("  in row %s: \"%s\" (%u-bit)", r->name, r->text,
			  r->mode);
}

static void run_table(int mode)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		if (rows[i].mode != mode)
			continue;
		run_row(&rows[i]);
		n++;
	}
	ktap_diag("%u rows in %d-bit mode", n, mode);
	EXPECT(n > 0);
}

static void test_table_64(void) { run_table(64); }
static void test_table_32(void) { run_table(32); }
static void test_table_16(void) { run_table(16); }

/* ---- decoded fields ---- */

static void test_decode_fields(void)
{
	static const uint8_t sib[] = {	/* mov %r10,0x12345678(%rax,%r9,8) */
		0x4e, 0x89, 0x94, 0xc8, 0x78, 0x56, 0x34, 0x12 };
	static const uint8_t imm[] = {	/* movw $0xbeef,%fs:-4(%rbp) */
		0x64, 0x66, 0xc7, 0x45, 0xfc, 0xef, 0xbe };
	static const uint8_t moffs[] = { 0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7, 0x88 };
	struct x86_insn in;

	EXPECT_EQ(x86_decode(sib, sizeof(sib), 64, &in), X86_DECODE_OK);
	EXPECT_EQ(in.len, 8);
	EXPECT_EQ(in.rex, 0x4e);
	EXPECT_EQ(in.modrm, 0x94);
	EXPECT_EQ(in.reg, X86_R10);
	EXPECT(in.has_sib && in.sib == 0xc8);
	EXPECT_EQ(in.mem.base, X86_RAX);
	EXPECT_EQ(in.mem.index, X86_R9);
	EXPECT_EQ(in.mem.scale, 8);
	EXPECT_EQ(in.mem.disp, 0x12345678);
	EXPECT_EQ(in.disp_size, 4);
	EXPECT_EQ(in.opsize, 8);
	EXPECT_EQ(in.addrsize, 8);

	EXPECT_EQ(x86_decode(imm, sizeof(imm), 64, &in), X86_DECODE_OK);
	EXPECT_EQ(in.seg_override, X86_SEG_FS);
	EXPECT(in.opsize_prefix);
	EXPECT_EQ(in.opsize, 2);
	EXPECT_EQ(in.mem.base, X86_RBP);
	EXPECT_EQ(in.mem.seg, X86_SEG_SS);
	EXPECT_EQ(in.mem.disp, -4);
	EXPECT_EQ(in.imm_size, 2);
	EXPECT_EQ(in.imm, (int16_t)0xbeef);

	EXPECT_EQ(x86_decode(moffs, sizeof(moffs), 64, &in), X86_DECODE_OK);
	EXPECT_EQ(in.form, X86_FORM_ACC_MOFFS);
	EXPECT_EQ(in.moffs, 0x8807060504030201ull);
	EXPECT_EQ(in.len, 10);
	EXPECT_EQ(x86_decode(moffs, sizeof(moffs), 32, &in),
		  X86_DECODE_UNSUPPORTED);	/* 48 is DEC there */
	EXPECT_EQ(x86_decode(moffs + 1, 5, 32, &in), X86_DECODE_OK);
	EXPECT_EQ(in.len, 5);
	EXPECT_EQ(in.moffs, 0x04030201);
	EXPECT_EQ(x86_decode(moffs + 1, 3, 16, &in), X86_DECODE_OK);
	EXPECT_EQ(in.moffs, 0x0201);
	EXPECT_EQ(in.opsize, 2);
}

static void test_decode_modes(void)
{
	static const uint8_t rel[] = { 0x89, 0x0d, 0x10, 0, 0, 0 };
	static const uint8_t a16[] = { 0x89, 0x4e, 0x10 };
	struct x86_insn in;

	/* mod 00 r/m 101: RIP-relative in 64-bit mode, absolute otherwise. */
	EXPECT_EQ(x86_decode(rel, sizeof(rel), 64, &in), X86_DECODE_OK);
	EXPECT_EQ(in.mem.base, X86_REG_RIP);
	EXPECT_EQ(x86_decode(rel, sizeof(rel), 32, &in), X86_DECODE_OK);
	EXPECT_EQ(in.mem.base, X86_REG_NONE);
	EXPECT_EQ(in.mem.disp, 0x10);
	/* In 16-bit addressing the same r/m means [bp + disp8]. */
	EXPECT_EQ(x86_decode(a16, sizeof(a16), 16, &in), X86_DECODE_OK);
	EXPECT_EQ(in.mem.base, X86_RBP);
	EXPECT_EQ(in.mem.index, X86_REG_NONE);
	EXPECT_EQ(in.mem.seg, X86_SEG_SS);
	EXPECT_EQ(in.len, 3);
	EXPECT_EQ(x86_decode(a16, sizeof(a16), 8, &in),
		  X86_DECODE_UNSUPPORTED);
	EXPECT_EQ(x86_decode(a16, 0, 64, &in), X86_DECODE_TRUNCATED);
}

/*
 * The system instructions shadow paging decodes: INVLPG's address,
 * SMSW's and LMSW's operand; the rest of 0F 01 is not decoded.
 */
static void test_decode_0f01(void)
{
	static const uint8_t invlpg[] = { 0x0f, 0x01, 0x7c, 0x24, 0x08 };
	static const uint8_t invlpg_fs[] = { 0x64, 0x0f, 0x01, 0x38 };
	static const uint8_t smsw_rax[] = { 0x48, 0x0f, 0x01, 0xe0 };
	static const uint8_t lmsw_mem[] = { 0x0f, 0x01, 0x33 };
	static const uint8_t swapgs[] = { 0x0f, 0x01, 0xf8 };
	static const uint8_t lgdt[] = { 0x0f, 0x01, 0x10 };
	struct x86_emul_ctx ctx = { .mode = 64,
				    .seg_base = { [X86_SEG_FS] = 0x10000 } };
	struct x86_regs regs = { .gpr = { [X86_RSP] = 0x7000,
					  [X86_RAX] = 0x500 } };
	struct x86_insn in;
	uint64_t la = 0;

	EXPECT_EQ(x86_decode(invlpg, sizeof(invlpg), 64, &in), X86_DECODE_OK);
	EXPECT_EQ(in.op, X86_OP_INVLPG);
	EXPECT_EQ(in.len, 5);
	EXPECT(x86_insn_linear(&ctx, &regs, &in, &la));
	EXPECT_EQ(la, 0x7008);
	EXPECT_EQ(x86_decode(invlpg_fs, sizeof(invlpg_fs), 64, &in),
		  X86_DECODE_OK);
	EXPECT(x86_insn_linear(&ctx, &regs, &in, &la));
	EXPECT_EQ(la, 0x10500);
	regs.gpr[X86_RAX] = 0x0000800000000000ull;
	EXPECT(!x86_insn_linear(&ctx, &regs, &in, &la));
	EXPECT_EQ(x86_decode(smsw_rax, sizeof(smsw_rax), 64, &in),
		  X86_DECODE_OK);
	EXPECT_EQ(in.op, X86_OP_SMSW);
	EXPECT(!in.has_mem);
	EXPECT_EQ(in.rm, X86_RAX);
	EXPECT_EQ(in.opsize, 8);
	EXPECT_EQ(x86_decode(lmsw_mem, sizeof(lmsw_mem), 32, &in),
		  X86_DECODE_OK);
	EXPECT_EQ(in.op, X86_OP_LMSW);
	EXPECT(in.has_mem && in.mem.base == X86_RBX);
	EXPECT_EQ(x86_decode(swapgs, sizeof(swapgs), 64, &in),
		  X86_DECODE_UNSUPPORTED);
	EXPECT_EQ(x86_decode(lgdt, sizeof(lgdt), 64, &in),
		  X86_DECODE_UNSUPPORTED);
	/* The ModRM byte is needed to tell them apart. */
	EXPECT_EQ(x86_decode(invlpg, 2, 64, &in), X86_DECODE_TRUNCATED);
}

/* 15 prefixes: too long, whatever follows and however much is given. */
static void test_decode_limit(void)
{
	uint8_t b[40];
	struct x86_insn in;
	unsigned int n;

	memset(b, 0x66, sizeof(b));
	for (n = 15; n <= sizeof(b); n++)
		EXPECT_EQ(x86_decode(b, n, 64, &in), X86_DECODE_TOO_LONG);
	for (n = 0; n < 15; n++)
		EXPECT_EQ(x86_decode(b, n, 64, &in), X86_DECODE_TRUNCATED);
	memset(b, 0x40, sizeof(b));	/* REX after REX after ... */
	EXPECT_EQ(x86_decode(b, sizeof(b), 64, &in), X86_DECODE_TOO_LONG);
}

/* ---- REP string instructions ---- */

static void test_rep_stos(void)
{
	static const uint8_t rep_stosl[] = { 0xf3, 0xab };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;
	unsigned int i;

	fake_setup(&ctx, &regs, 64, rep_stosl, 2);
	ctx.fault_write = true;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00000, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 4);
	for (i = 0; i < fk.n; i++) {
		EXPECT(fk.log[i].write);
		EXPECT_EQ(fk.log[i].gpa, 0xfed00000 + 4 * i);
		EXPECT_EQ(fk.log[i].val, 0x55667788);
	}
	EXPECT_EQ(regs.gpr[X86_RCX], 0);
	EXPECT_EQ(regs.gpr[X86_RDI], 0xfed00010);
	EXPECT_EQ(regs.rip, rip_for(64) + 2);

	/* Backwards, bytes. */
	static const uint8_t rep_stosb[] = { 0xf3, 0xaa };
	fake_setup(&ctx, &regs, 64, rep_stosb, 2);
	ctx.fault_write = true;
	regs.rflags |= X86_FLAGS_DF;
	regs.gpr[X86_RDI] = 0xfed00002;
	regs.gpr[X86_RCX] = 3;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00002, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 3);
	EXPECT_EQ(fk.log[2].gpa, 0xfed00000);
	EXPECT_EQ(fk.log[2].val, 0x88);
	EXPECT_EQ(regs.gpr[X86_RDI], 0xfecfffff);
	EXPECT_EQ(regs.gpr[X86_RCX], 0);

	/* Count 0: nothing, and done. */
	fake_setup(&ctx, &regs, 64, rep_stosl, 2);
	ctx.fault_write = true;
	regs.gpr[X86_RCX] = 0;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00000, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(regs.rip, rip_for(64) + 2);
}

/* The MMIO page ends first: stop there with RIP still on the insn. */
static void test_rep_stos_page_end(void)
{
	static const uint8_t rep_stosq[] = { 0xf3, 0x48, 0xab };
	static const uint8_t rep_stosb[] = { 0xf3, 0xaa };
	static const uint8_t rep_stosw16[] = { 0xf3, 0xab };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;

	fake_setup(&ctx, &regs, 64, rep_stosq, 3);
	ctx.fault_write = true;
	regs.gpr[X86_RDI] = 0xfed00ff0;
	regs.gpr[X86_RCX] = 5;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00ff0, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 2);
	EXPECT_EQ(fk.log[1].gpa, 0xfed00ff8);
	EXPECT_EQ(fk.log[1].val, init_gpr[X86_RAX]);
	EXPECT_EQ(regs.gpr[X86_RCX], 3);
	EXPECT_EQ(regs.gpr[X86_RDI], 0xfed01000);
	EXPECT_EQ(regs.rip, rip_for(64));

	/* Backwards: the page's first byte is the last one done. */
	fake_setup(&ctx, &regs, 64, rep_stosb, 2);
	ctx.fault_write = true;
	regs.rflags |= X86_FLAGS_DF;
	regs.gpr[X86_RDI] = 0xfed00001;
	regs.gpr[X86_RCX] = 5;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00001, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 2);
	EXPECT_EQ(fk.log[1].gpa, 0xfed00000);
	EXPECT_EQ(fk.log[1].size, 1);
	EXPECT_EQ(regs.gpr[X86_RCX], 3);
	EXPECT_EQ(regs.gpr[X86_RDI], 0xfecfffff);
	EXPECT_EQ(regs.rip, rip_for(64));

	/* 16-bit: CX and DI are 16 bits wide, the rest of RCX stays. */
	fake_setup(&ctx, &regs, 16, rep_stosw16, 2);
	ctx.fault_write = true;
	ctx.seg_base[X86_SEG_ES] = 0xb8000;
	regs.gpr[X86_RCX] = 0xabcd000000010002ull;
	regs.gpr[X86_RDI] = 0x1234fff0;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xb8000 + 0xfff0, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 2);
	EXPECT_EQ(fk.log[1].gpa, 0xc7ff2);
	EXPECT_EQ(regs.gpr[X86_RCX], 0xabcd000000010000ull);
	EXPECT_EQ(regs.gpr[X86_RDI], 0x1234fff4);
	EXPECT_EQ(regs.rip, rip_for(16) + 2);
}

static void test_rep_movs(void)
{
	static const uint8_t rep_movsl[] = { 0xf3, 0xa5 };
	static const uint8_t rep_movsb[] = { 0xf3, 0xa4 };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;
	unsigned int i;

	/* RAM to MMIO (memcpy_toio). */
	fake_setup(&ctx, &regs, 64, rep_movsl, 2);
	ctx.fault_write = true;
	regs.gpr[X86_RSI] = RAM_BASE + 0x100;
	regs.gpr[X86_RCX] = 3;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00000, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 3);
	for (i = 0; i < fk.n; i++) {
		uint32_t want;

		memcpy(&want, fk.ram + 0x100 + 4 * i, 4);
		EXPECT(fk.log[i].write);
		EXPECT_EQ(fk.log[i].gpa, 0xfed00000 + 4 * i);
		EXPECT_EQ(fk.log[i].val, want);
	}
	EXPECT_EQ(regs.gpr[X86_RSI], RAM_BASE + 0x10c);
	EXPECT_EQ(regs.gpr[X86_RDI], 0xfed0000c);

	/* MMIO to RAM (memcpy_fromio): the bytes land in RAM. */
	fake_setup(&ctx, &regs, 64, rep_movsb, 2);
	regs.gpr[X86_RSI] = 0xfee00ffd;
	regs.gpr[X86_RDI] = RAM_BASE + 0x20;
	regs.gpr[X86_RCX] = 6;
	fk.mval = 0x4142434445464748ull;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00ffd, &res), X86EMUL_OK);
	EXPECT_EQ(fk.n, 3);			/* page end after 3 */
	EXPECT(!fk.log[0].write);
	EXPECT_EQ(fk.ram[0x20], 0x48);
	EXPECT_EQ(fk.ram[0x22], 0x48);
	EXPECT_EQ(fk.ram[0x23], ram_pattern(RAM_BASE + 0x23));
	EXPECT_EQ(regs.gpr[X86_RCX], 3);
	EXPECT_EQ(regs.rip, rip_for(64));

	/* Both sides MMIO: refused, after nothing was done. */
	fake_setup(&ctx, &regs, 64, rep_movsl, 2);
	ctx.fault_write = true;
	regs.gpr[X86_RSI] = 0xfee00000;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00000, &res),
		  X86EMUL_UNHANDLEABLE);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(regs.gpr[X86_RCX], init_gpr[X86_RCX]);

	/* Neither side at the faulting address: not what faulted. */
	fake_setup(&ctx, &regs, 64, rep_movsl, 2);
	regs.gpr[X86_RSI] = RAM_BASE + 4;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00008, &res), X86EMUL_RETRY);
	EXPECT_EQ(fk.n, 0);
}

/* ---- fetch, failures, messages ---- */

static void test_fetch_split(void)
{
	/* movl $0x11223344, 0x40(%rbx), starting 3 bytes before a page end */
	static const uint8_t insn[] = { 0xc7, 0x43, 0x40, 0x44, 0x33, 0x22, 0x11 };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;

	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	ctx.fault_write = true;
	regs.rip = 0x400ffd;
	fk.code_la = regs.rip;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res), X86EMUL_OK);
	EXPECT_EQ(fk.bad_calls, 0);
	EXPECT_EQ(fk.n, 1);
	EXPECT_EQ(fk.log[0].val, 0x11223344);
	EXPECT_EQ(regs.rip, 0x400ffd + sizeof(insn));

	/* Second page missing but not needed. */
	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	ctx.fault_write = true;
	regs.rip = 0x400ff9;
	fk.code_la = regs.rip;
	fk.code_len = 7;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res), X86EMUL_OK);

	/* Second page missing and needed: refused, nothing done. */
	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	ctx.fault_write = true;
	regs.rip = 0x400ffd;
	fk.code_la = regs.rip;
	fk.code_len = 3;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res),
		  X86EMUL_UNHANDLEABLE);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(res.nbytes, 3);

	/* Nothing fetchable. */
	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	ctx.fault_write = true;
	fk.code_len = 0;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res),
		  X86EMUL_UNHANDLEABLE);

	/* 32-bit: CS base applies, EIP wraps. */
	fake_setup(&ctx, &regs, 32, insn, sizeof(insn));
	ctx.fault_write = true;
	ctx.seg_base[X86_SEG_CS] = 0x10000;
	regs.rip = 0x2000;
	fk.code_la = 0x12000;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res), X86EMUL_OK);
	EXPECT_EQ(res.rip, 0x12000);
}

static void test_mmio_failure(void)
{
	static const uint8_t ld[] = { 0x8b, 0x03 };	/* mov (%rbx),%eax */
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;

	fake_setup(&ctx, &regs, 64, ld, sizeof(ld));
	fk.mmio_fail = true;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_UNHANDLEABLE);
	EXPECT_EQ(regs.gpr[X86_RAX], init_gpr[X86_RAX]);
	EXPECT_EQ(regs.rip, rip_for(64));
	ctx.mode = 48;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_UNHANDLEABLE);
}

static void test_format(void)
{
	static const uint8_t ud[] = { 0x0f, 0x0b };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;
	char buf[128], small[12];
	int n;

	fake_setup(&ctx, &regs, 64, ud, sizeof(ud));
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00000, &res),
		  X86EMUL_UNHANDLEABLE);
	n = x86_emul_format(&res, buf, sizeof(buf));
	EXPECT_STREQ(buf, "instruction not emulated: rip 0xffffffff81000000 "
		     "bytes 0f 0b cc cc cc cc cc cc cc cc cc cc cc cc cc");
	EXPECT_EQ(n, (int)strlen(buf));
	EXPECT_EQ(x86_emul_format(&res, small, sizeof(small)), n);
	EXPECT_STREQ(small, "instruction");
}

/* ---- ALU flags against the host CPU ---- */

#define HOST_ALU(fn, mn, T)						\
static uint64_t fn(uint64_t a, uint64_t b, uint64_t fin, uint64_t *fout) \
{									\
	T d = (T)a, s = (T)b;						\
	uint64_t f;							\
									\
	__asm__ volatile("lea -128(%%rsp), %%rsp\n\t"			\
			 "push %[fin]\n\tpopf\n\t"			\
			 mn " %[s], %[d]\n\t"				\
			 "pushf\n\tpop %[f]\n\t"			\
			 "lea 128(%%rsp), %%rsp"			\
			 : [d] "+r" (d), [f] "=&r" (f)			\
			 : [s] "r" (s), [fin] "r" (fin) : "cc");	\
	*fout = f;							\
	return d;							\
}
#define HOST_ALU_SIZES(op)						\
	HOST_ALU(host_##op##8, #op, uint8_t)				\
	HOST_ALU(host_##op##16, #op, uint16_t)				\
	HOST_ALU(host_##op##32, #op, uint32_t)				\
	HOST_ALU(host_##op##64, #op, uint64_t)
HOST_ALU_SIZES(add) HOST_ALU_SIZES(or) HOST_ALU_SIZES(adc)
HOST_ALU_SIZES(sbb) HOST_ALU_SIZES(and) HOST_ALU_SIZES(sub)
HOST_ALU_SIZES(xor) HOST_ALU_SIZES(cmp) HOST_ALU_SIZES(test)

typedef uint64_t (*host_alu_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);
#define HOST_ROW(op) { host_##op##8, host_##op##16, host_##op##32, host_##op##64 }
/* In X86_OP_ADD..X86_OP_CMP order, then TEST. */
static const host_alu_fn host_alu[9][4] = {
	HOST_ROW(add), HOST_ROW(or), HOST_ROW(adc), HOST_ROW(sbb),
	HOST_ROW(and), HOST_ROW(sub), HOST_ROW(xor), HOST_ROW(cmp),
	HOST_ROW(test),
};

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rnd_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rnd_state = x;
	return x;
}

/* Operands near the edges matter most for carries and overflows. */
static uint64_t rnd_operand(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
		0x8000000000000000ull, ~0ull, 0xf, 0x10,
	};
	uint64_t r = rnd();

	if (r & 1)
		return edge[(r >> 1) % ARRAY_SIZE(edge)] + ((r >> 8) & 3) - 1;
	return rnd();
}

/* Encodes OP %rcx-ish,(%rbx) or OP (%rbx),%rcx-ish at the given size. */
static unsigned int encode_alu(uint8_t *b, unsigned int op, unsigned int size,
			       bool to_reg)
{
	unsigned int n = 0;
	uint8_t opc;

	if (size == 2)
		b[n++] = 0x66;
	if (size == 8)
		b[n++] = 0x48;
	if (op == X86_OP_TEST)
		opc = 0x84;
	else
		opc = (op - X86_OP_ADD) * 8 + (to_reg ? 2 : 0);
	b[n++] = opc + (size > 1);
	b[n++] = 0x0b;			/* reg ecx, r/m (rbx) */
	return n;
}

static void host_compare_one(unsigned int op, unsigned int size, bool to_reg)
{
	uint64_t a = rnd_operand(), b = rnd_operand(), mask, f, r, want_f;
	uint64_t fin = RFLAGS_INIT | (rnd() & X86_FLAGS_ARITH);
	unsigned int si = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;
	uint8_t code[4];
	unsigned int len;
	bool writes;

	mask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
	len = encode_alu(code, op, size, to_reg);
	fake_setup(&ctx, &regs, 64, code, len);
	/* Destination a, source b, whichever side is memory. */
	fk.mval = to_reg ? b : a;
	regs.gpr[X86_RCX] = to_reg ? a : b;
	regs.rflags = fin;
	r = host_alu[op - X86_OP_ADD][si](a, b, fin, &want_f) & mask;
	if (x86_emulate_mmio(&ctx, &regs, 0xfee00000, &res) != X86EMUL_OK) {
		ktap_fail_at(__FILE__, __LINE__, "emulation failed");
		return;
	}
	f = regs.rflags;
	if ((f & X86_FLAGS_ARITH) != (want_f & X86_FLAGS_ARITH)) {
		ktap_fail_at(__FILE__, __LINE__, "flags differ from the CPU's");
		ktap_diag("  op %u size %u a %#llx b %#llx fin %#llx: %#llx, cpu %#llx",
			  op, size, (unsigned long long)a, (unsigned long long)b,
			  (unsigned long long)fin, (unsigned long long)f,
			  (unsigned long long)want_f);
	}
	writes = op != X86_OP_CMP && op != X86_OP_TEST;
	if (to_reg) {
		EXPECT_EQ(fk.n, 1);
		EXPECT_EQ(regs.gpr[X86_RCX] & mask, writes ? r : a & mask);
	} else {
		EXPECT_EQ(fk.n, writes ? 2 : 1);
		if (writes && fk.n == 2)
			EXPECT_EQ(fk.log[1].val, r);
	}
}

static void test_alu_vs_host(void)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	unsigned int i, op, s, fails = ktap_case_failures;

	for (i = 0; i < 2000; i++) {
		for (op = X86_OP_ADD; op <= X86_OP_TEST; op++) {
			for (s = 0; s < 4; s++) {
				host_compare_one(op, sizes[s], false);
				if (op != X86_OP_TEST)
					host_compare_one(op, sizes[s], true);
			}
			if (ktap_case_failures - fails > 20)
				return;
		}
	}
	ktap_diag("%u operations compared", 2000 * (8 * 4 * 2 + 4));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_table_64),
	KTAP_CASE(test_table_32),
	KTAP_CASE(test_table_16),
	KTAP_CASE(test_decode_fields),
	KTAP_CASE(test_decode_modes),
	KTAP_CASE(test_decode_0f01),
	KTAP_CASE(test_decode_limit),
	KTAP_CASE(test_rep_stos),
	KTAP_CASE(test_rep_stos_page_end),
	KTAP_CASE(test_rep_movs),
	KTAP_CASE(test_fetch_split),
	KTAP_CASE(test_user_movs),
	KTAP_CASE(test_user_mmio_and_fetch),
	KTAP_CASE(test_direction),
	KTAP_CASE(test_other_page),
	KTAP_CASE(test_mmio_failure),
	KTAP_CASE(test_format),
	KTAP_CASE(test_alu_vs_host),
};

int main(void)
{
	ktap_diag("%zu table rows", ARRAY_SIZE(rows));
	return ktap_run(cases, ARRAY_SIZE(cases));
}
