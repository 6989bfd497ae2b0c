// SPDX-License-Identifier: GPL-2.0
/*
 * x86 instruction decoder for the MMIO emulator: prefixes, REX, the
 * opcodes that guests use on MMIO, ModRM/SIB in 16/32/64-bit
 * addressing, displacements and immediates.  It reads the byte buffer
 * it is given and nothing else, and it knows only the opcodes in the
 * tables below: every other opcode is X86_DECODE_UNSUPPORTED, since
 * without a full length decoder there is nothing safe to do with it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <asm/x86_emulate.h>

/* Descriptor flags. */
#define D_MODRM		0x0001
#define D_BYTE		0x0002	/* 8-bit operands */
#define D_IMM8		0x0004	/* imm8, sign-extended */
#define D_IMMZ		0x0008	/* imm16 or imm32 by operand size */
#define D_LOCK		0x0010	/* LOCK allowed (memory destination only) */
#define D_GROUP		0x0020	/* operation chosen by ModRM.reg */
#define D_SRC8		0x0040	/* source is 8 bits (MOVZX/MOVSX) */
#define D_SRC16		0x0080	/* source is 16 bits */
#define D_SRC32		0x0100	/* source is at most 32 bits (MOVSXD) */
#define D_MEMONLY	0x0200	/* a register operand is #UD */
#define D_NOPFX		0x0400	/* 66/F2/F3 make it #UD (MOVNTI) */
#define D_MOFFS		0x0800	/* absolute offset of address size */
#define D_LONG		0x1000	/* 64-bit mode only (MOVSXD) */

struct opdesc {
	uint8_t op;
	uint8_t form;
	uint16_t flags;
};

#define ALU(base, o, lk)						\
	[(base) + 0] = { o, X86_FORM_RM_REG, D_MODRM | D_BYTE | (lk) },	\
	[(base) + 1] = { o, X86_FORM_RM_REG, D_MODRM | (lk) },		\
	[(base) + 2] = { o, X86_FORM_REG_RM, D_MODRM | D_BYTE },		\
	[(base) + 3] = { o, X86_FORM_REG_RM, D_MODRM }

static const struct opdesc onebyte[256] = {
	ALU(0x00, X86_OP_ADD, D_LOCK), ALU(0x08, X86_OP_OR, D_LOCK),
	ALU(0x10, X86_OP_ADC, D_LOCK), ALU(0x18, X86_OP_SBB, D_LOCK),
	ALU(0x20, X86_OP_AND, D_LOCK), ALU(0x28, X86_OP_SUB, D_LOCK),
	ALU(0x30, X86_OP_XOR, D_LOCK), ALU(0x38, X86_OP_CMP, 0),
	[0x63] = { X86_OP_MOVSX, X86_FORM_REG_RM, D_MODRM | D_SRC32 | D_LONG },
	[0x80] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_BYTE | D_IMM8 },
	[0x81] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_IMMZ },
	[0x83] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_IMM8 },
	[0x84] = { X86_OP_TEST, X86_FORM_RM_REG, D_MODRM | D_BYTE },
	[0x85] = { X86_OP_TEST, X86_FORM_RM_REG, D_MODRM },
	[0x86] = { X86_OP_XCHG, X86_FORM_RM_REG, D_MODRM | D_BYTE | D_LOCK },
	[0x87] = { X86_OP_XCHG, X86_FORM_RM_REG, D_MODRM | D_LOCK },
	[0x88] = { X86_OP_MOV, X86_FORM_RM_REG, D_MODRM | D_BYTE },
	[0x89] = { X86_OP_MOV, X86_FORM_RM_REG, D_MODRM },
	[0x8a] = { X86_OP_MOV, X86_FORM_REG_RM, D_MODRM | D_BYTE },
	[0x8b] = { X86_OP_MOV, X86_FORM_REG_RM, D_MODRM },
	[0xa0] = { X86_OP_MOV, X86_FORM_ACC_MOFFS, D_MOFFS | D_BYTE },
	[0xa1] = { X86_OP_MOV, X86_FORM_ACC_MOFFS, D_MOFFS },
	[0xa2] = { X86_OP_MOV, X86_FORM_MOFFS_ACC, D_MOFFS | D_BYTE },
	[0xa3] = { X86_OP_MOV, X86_FORM_MOFFS_ACC, D_MOFFS },
	[0xa4] = { X86_OP_MOVS, X86_FORM_STRING, D_BYTE },
	[0xa5] = { X86_OP_MOVS, X86_FORM_STRING, 0 },
	[0xaa] = { X86_OP_STOS, X86_FORM_STRING, D_BYTE },
	[0xab] = { X86_OP_STOS, X86_FORM_STRING, 0 },
	[0xc6] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_BYTE | D_IMM8 },
	[0xc7] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_IMMZ },
	[0xf6] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_BYTE | D_IMM8 },
	[0xf7] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_IMMZ },
};

static const struct opdesc twobyte[256] = {
	[0x01] = { 0, X86_FORM_RM, D_MODRM | D_GROUP },
	[0xa3] = { X86_OP_BT, X86_FORM_RM_REG, D_MODRM },
	[0xab] = { X86_OP_BTS, X86_FORM_RM_REG, D_MODRM | D_LOCK },
	[0xae] = { 0, X86_FORM_RM, D_MODRM | D_GROUP },
	[0xb0] = { X86_OP_CMPXCHG, X86_FORM_RM_REG, D_MODRM | D_BYTE | D_LOCK },
	[0xb1] = { X86_OP_CMPXCHG, X86_FORM_RM_REG, D_MODRM | D_LOCK },
	[0xb3] = { X86_OP_BTR, X86_FORM_RM_REG, D_MODRM | D_LOCK },
	[0xb6] = { X86_OP_MOVZX, X86_FORM_REG_RM, D_MODRM | D_SRC8 },
	[0xb7] = { X86_OP_MOVZX, X86_FORM_REG_RM, D_MODRM | D_SRC16 },
	[0xba] = { 0, X86_FORM_RM_IMM, D_MODRM | D_GROUP | D_IMM8 },
	[0xbb] = { X86_OP_BTC, X86_FORM_RM_REG, D_MODRM | D_LOCK },
	[0xbe] = { X86_OP_MOVSX, X86_FORM_REG_RM, D_MODRM | D_SRC8 },
	[0xbf] = { X86_OP_MOVSX, X86_FORM_REG_RM, D_MODRM | D_SRC16 },
	[0xc3] = { X86_OP_MOV, X86_FORM_RM_REG, D_MODRM | D_MEMONLY | D_NOPFX },
};

/* Decoder state: the input and how far it has been read. */
struct dstate {
	const uint8_t *bytes;
	unsigned int len;
	unsigned int pos;
};

static enum x86_decode_status get_byte(struct dstate *s, uint8_t *b)
{
	if (s->pos >= X86_MAX_INSN_LEN)
		return X86_DECODE_TOO_LONG;
	if (s->pos >= s->len)
		return X86_DECODE_TRUNCATED;
	*b = s->bytes[s->pos++];
	return X86_DECODE_OK;
}

/* Little-endian n-byte field, sign-extended if sext. */
static enum x86_decode_status get_field(struct dstate *s, unsigned int n,
					bool sext, uint64_t *val)
{
	enum x86_decode_status st;
	uint64_t v = 0;
	unsigned int i;
	uint8_t b;

	for (i = 0; i < n; i++) {
		st = get_byte(s, &b);
		if (st)
			return st;
		v |= (uint64_t)b << (8 * i);
	}
	if (sext && n && n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~0ull << (8 * n);
	*val = v;
	return X86_DECODE_OK;
}

static int seg_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: return X86_SEG_ES;
	case 0x2e: return X86_SEG_CS;
	case 0x36: return X86_SEG_SS;
	case 0x3e: return X86_SEG_DS;
	case 0x64: return X86_SEG_FS;
	case 0x65: return X86_SEG_GS;
	}
	return -1;
}

/*
 * Legacy prefixes in any order, then REX (64-bit mode) which only counts
 * when it comes right before the opcode: a legacy prefix after a REX
 * cancels it.  Leaves the first opcode byte in *op.
 */
static enum x86_decode_status decode_prefixes(struct dstate *s,
					      struct x86_insn *insn,
					      uint8_t *op)
{
	enum x86_decode_status st;
	int seg;
	uint8_t b;

	for (;;) {
		st = get_byte(s, &b);
		if (st)
			return st;
		seg = seg_prefix(b);
		if (seg >= 0) {
			insn->seg_override = seg;
			insn->rex = 0;
		} else if (b == 0x66) {
			insn->opsize_prefix = true;
			insn->rex = 0;
		} else if (b == 0x67) {
			insn->addrsize_prefix = true;
			insn->rex = 0;
		} else if (b == 0xf0) {
			insn->lock = true;
			insn->rex = 0;
		} else if (b == 0xf2 || b == 0xf3) {
			insn->rep = b;
			insn->rex = 0;
		} else if (insn->mode == 64 && (b & 0xf0) == 0x40) {
			insn->rex = b;
		} else {
			*op = b;
			return X86_DECODE_OK;
		}
	}
}

static void set_sizes(struct x86_insn *insn, uint16_t flags)
{
	unsigned int def = insn->mode == 16 ? 2 : 4;

	if (insn->opsize_prefix)
		def = def == 2 ? 4 : 2;
	if (insn->rex & 0x08)
		def = 8;
	insn->opsize = flags & D_BYTE ? 1 : def;

	if (insn->mode == 64)
		insn->addrsize = insn->addrsize_prefix ? 4 : 8;
	else if (insn->mode == 32)
		insn->addrsize = insn->addrsize_prefix ? 2 : 4;
	else
		insn->addrsize = insn->addrsize_prefix ? 4 : 2;

	insn->srcsize = insn->opsize;
	if (flags & D_SRC8)
		insn->srcsize = 1;
	else if (flags & D_SRC16)
		insn->srcsize = 2;
	else if ((flags & D_SRC32) && insn->opsize == 8)
		insn->srcsize = 4;
}

/* Picks the operation of a group opcode from ModRM.reg. */
static enum x86_decode_status resolve_group(struct x86_insn *insn,
					    uint16_t *flags)
{
	unsigned int r = (insn->modrm >> 3) & 7;

	if (insn->map == 2 && insn->opcode == 0x01) {
		if (r == 7 && insn->mod != 3)
			insn->op = X86_OP_INVLPG;
		else if (r == 6)
			insn->op = X86_OP_LMSW;
		else if (r == 4)
			insn->op = X86_OP_SMSW;
		else
			return X86_DECODE_UNSUPPORTED;	/* SGDT, SWAPGS... */
		return X86_DECODE_OK;
	}
	if (insn->map == 2 && insn->opcode == 0xae) {
		if (r != 7 || insn->mod == 3)
			return X86_DECODE_UNSUPPORTED;	/* fences, FXSAVE... */
		insn->op = X86_OP_CLFLUSH;
		return X86_DECODE_OK;
	}
	if (insn->map == 2) {			/* 0F BA: BT* r/m, imm8 */
		if (r < 4)
			return X86_DECODE_UD;
		insn->op = X86_OP_BT + (r - 4);
		if (r > 4)
			*flags |= D_LOCK;
		return X86_DECODE_OK;
	}
	switch (insn->opcode) {
	case 0x80: case 0x81: case 0x83:
		insn->op = X86_OP_ADD + r;
		if (insn->op != X86_OP_CMP)
			*flags |= D_LOCK;
		return X86_DECODE_OK;
	case 0xc6: case 0xc7:
		if (r)
			return insn->mod == 3 ? X86_DECODE_UNSUPPORTED :
						X86_DECODE_UD;
		insn->op = X86_OP_MOV;
		return X86_DECODE_OK;
	default:				/* F6, F7 */
		if (r)
			return X86_DECODE_UNSUPPORTED;	/* NOT, NEG, MUL... */
		insn->op = X86_OP_TEST;
		return X86_DECODE_OK;
	}
}

static const int8_t rm16_base[8] = {
	X86_RBX, X86_RBX, X86_RBP, X86_RBP, X86_REG_NONE, X86_REG_NONE,
	X86_RBP, X86_RBX,
};
static const int8_t rm16_index[8] = {
	X86_RSI, X86_RDI, X86_RSI, X86_RDI, X86_RSI, X86_RDI,
	X86_REG_NONE, X86_REG_NONE,
};

static enum x86_decode_status decode_mem16(struct dstate *s,
					   struct x86_insn *insn)
{
	unsigned int rm = insn->modrm & 7;
	struct x86_mem *m = &insn->mem;

	m->scale = 1;
	if (insn->mod == 0 && rm == 6) {
		m->base = X86_REG_NONE;
		m->index = X86_REG_NONE;
		insn->disp_size = 2;
	} else {
		m->base = rm16_base[rm];
		m->index = rm16_index[rm];
		insn->disp_size = insn->mod == 1 ? 1 : insn->mod == 2 ? 2 : 0;
	}
	m->seg = m->base == X86_RBP ? X86_SEG_SS : X86_SEG_DS;
	return get_field(s, insn->disp_size, true, (uint64_t *)&m->disp);
}

static enum x86_decode_status decode_mem32(struct dstate *s,
					   struct x86_insn *insn)
{
	unsigned int rm = insn->modrm & 7;
	struct x86_mem *m = &insn->mem;
	enum x86_decode_status st;
	unsigned int b;

	m->scale = 1;
	m->index = X86_REG_NONE;
	insn->disp_size = insn->mod == 1 ? 1 : insn->mod == 2 ? 4 : 0;
	if (rm == 4) {
		st = get_byte(s, &insn->sib);
		if (st)
			return st;
		insn->has_sib = true;
		m->scale = 1 << (insn->sib >> 6);
		m->index = ((insn->sib >> 3) & 7) | (insn->rex & 2) << 2;
		if (m->index == X86_RSP)	/* 100b without REX.X: none */
			m->index = X86_REG_NONE;
		b = insn->sib & 7;
		if (b == 5 && insn->mod == 0) {
			m->base = X86_REG_NONE;
			insn->disp_size = 4;
		} else {
			m->base = b | (insn->rex & 1) << 3;
		}
	} else if (rm == 5 && insn->mod == 0) {
		m->base = insn->mode == 64 ? X86_REG_RIP : X86_REG_NONE;
		insn->disp_size = 4;
	} else {
		m->base = rm | (insn->rex & 1) << 3;
	}
	m->seg = m->base == X86_RSP || m->base == X86_RBP ? X86_SEG_SS :
							    X86_SEG_DS;
	return get_field(s, insn->disp_size, true, (uint64_t *)&m->disp);
}

static enum x86_decode_status decode_modrm(struct dstate *s,
					   struct x86_insn *insn)
{
	enum x86_decode_status st;

	st = get_byte(s, &insn->modrm);
	if (st)
		return st;
	insn->has_modrm = true;
	insn->mod = insn->modrm >> 6;
	insn->reg = ((insn->modrm >> 3) & 7) | (insn->rex & 4) << 1;
	insn->rm = (insn->modrm & 7) | (insn->rex & 1) << 3;
	if (insn->mod == 3)
		return X86_DECODE_OK;
	insn->has_mem = true;
	if (insn->addrsize == 2)
		return decode_mem16(s, insn);
	return decode_mem32(s, insn);
}

static enum x86_decode_status decode_operands(struct dstate *s,
					      struct x86_insn *insn,
					      uint16_t *flagsp)
{
	enum x86_decode_status st = X86_DECODE_OK;
	uint16_t flags = *flagsp;
	uint64_t v;

	if (flags & D_MODRM) {
		st = decode_modrm(s, insn);
		if (st)
			return st;
	}
	/* Before the immediate: other group members may have none. */
	if (flags & D_GROUP) {
		st = resolve_group(insn, flagsp);
		if (st)
			return st;
	}
	if (flags & D_MOFFS) {
		insn->has_mem = true;
		insn->imm_size = insn->addrsize;
		st = get_field(s, insn->addrsize, false, &insn->moffs);
	} else if (flags & (D_IMM8 | D_IMMZ)) {
		insn->imm_size = flags & D_IMM8 ? 1 :
				 insn->opsize == 2 ? 2 : 4;
		st = get_field(s, insn->imm_size, true, &v);
		insn->imm = (int64_t)v;
	}
	if (insn->form == X86_FORM_STRING)
		insn->has_mem = true;
	return st;
}

/* Encodings that are well-formed bytes but #UD on a real CPU. */
static enum x86_decode_status check_valid(const struct x86_insn *insn,
					  uint16_t flags)
{
	if (insn->lock && (!(flags & D_LOCK) || insn->mod == 3 ||
			   !insn->has_modrm))
		return X86_DECODE_UD;
	if ((flags & D_MEMONLY) && insn->mod == 3)
		return X86_DECODE_UD;
	if ((flags & D_NOPFX) && (insn->opsize_prefix || insn->rep))
		return X86_DECODE_UD;
	return X86_DECODE_OK;
}

enum x86_decode_status x86_decode(const uint8_t *bytes, unsigned int len,
				  int mode, struct x86_insn *insn)
{
	struct dstate s = { .bytes = bytes, .len = len, .pos = 0 };
	enum x86_decode_status st;
	struct opdesc d;
	uint16_t flags;
	uint8_t b;

	*insn = (struct x86_insn){ .seg_override = -1 };
	if (mode != 16 && mode != 32 && mode != 64)
		return X86_DECODE_UNSUPPORTED;
	insn->mode = mode;
	st = decode_prefixes(&s, insn, &b);
	if (st)
		return st;
	insn->map = 1;
	if (b == 0x0f) {
		st = get_byte(&s, &b);
		if (st)
			return st;
		insn->map = 2;
	}
	insn->opcode = b;
	d = insn->map == 1 ? onebyte[b] : twobyte[b];
	flags = d.flags;
	if (!d.form || ((flags & D_LONG) && mode != 64))
		return X86_DECODE_UNSUPPORTED;
	insn->op = d.op;
	insn->form = d.form;
	set_sizes(insn, flags);
	st = decode_operands(&s, insn, &flags);
	if (st)
		return st;
	insn->len = s.pos;
	return check_valid(insn, flags);
}
