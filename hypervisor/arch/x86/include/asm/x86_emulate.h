/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 instruction decoder and emulator for MMIO accesses.
 *
 * Without decode assists a nested page fault on an MMIO page tells the
 * hypervisor only the guest-physical address and RIP: the instruction is
 * fetched, decoded and carried out here.  Only what guests emit for
 * MMIO is emulated (the MOV family, MOVZX/MOVSX/MOVSXD, MOVNTI, STOS and
 * MOVS with REP, the ALU group with a memory operand, XCHG, CMPXCHG, the
 * BT family, CLFLUSH); anything else is refused, never guessed at.
 *
 * Nothing here knows SVM or VMX: the caller describes the vCPU (mode,
 * CPL, segment bases) and the fault (its direction) in struct
 * x86_emul_ctx and struct x86_regs, and reaches guest memory and the
 * device models through the callbacks.  Every access is made with the
 * rights of the guest's CPL, the instruction fetch included.
 * Everything the guest controls (instruction bytes, registers, MMIO
 * values) is treated as hostile: the bytes are fetched once into a
 * local buffer and decoded from there, and nothing changes before the
 * whole instruction decoded.
 * See docs/x86-emulator.md.
 */
#ifndef ASM_X86_EMULATE_H
#define ASM_X86_EMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/page_fault.h>

#define X86_MAX_INSN_LEN	15

/* Results of x86_emulate_mmio(). */
enum {
	X86EMUL_OK = 0,		/* done: registers and RIP updated */
	X86EMUL_UNHANDLEABLE,	/* stop the domain; res says why */
	X86EMUL_EXCEPTION,	/* inject res->vector (and error code, CR2) */
	X86EMUL_RETRY,		/* not what faulted: resume on it unchanged */
};

/* Results of x86_decode(). */
enum x86_decode_status {
	X86_DECODE_OK = 0,
	X86_DECODE_UD,		/* invalid encoding: #UD */
	X86_DECODE_TOO_LONG,	/* over 15 bytes: #GP(0) */
	X86_DECODE_TRUNCATED,	/* needs more bytes than were given */
	X86_DECODE_UNSUPPORTED,	/* valid (or unknown) but not emulated */
};

/* General-purpose registers in encoding order. */
enum {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};
#define X86_REG_NONE	(-1)
#define X86_REG_RIP	16	/* as a memory operand's base */

/* Segment registers in encoding order. */
enum { X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS };

/* Exception vectors the emulator may ask for. */
#define X86_EXC_UD	6
#define X86_EXC_SS	12
#define X86_EXC_GP	13
/* X86_EXC_PF (14): asm/page_fault.h */

#define X86_FLAGS_CF	(1u << 0)
#define X86_FLAGS_PF	(1u << 2)
#define X86_FLAGS_AF	(1u << 4)
#define X86_FLAGS_ZF	(1u << 6)
#define X86_FLAGS_SF	(1u << 7)
#define X86_FLAGS_DF	(1u << 10)
#define X86_FLAGS_OF	(1u << 11)
#define X86_FLAGS_ARITH	(X86_FLAGS_CF | X86_FLAGS_PF | X86_FLAGS_AF | \
			 X86_FLAGS_ZF | X86_FLAGS_SF | X86_FLAGS_OF)

struct x86_regs {
	uint64_t gpr[16];	/* RAX..R15 in encoding order */
	uint64_t rip;
	uint64_t rflags;
};

/* What an instruction does, once decoded. */
enum x86_op {
	X86_OP_NONE = 0,
	X86_OP_ADD, X86_OP_OR, X86_OP_ADC, X86_OP_SBB,	/* ALU: order matters */
	X86_OP_AND, X86_OP_SUB, X86_OP_XOR, X86_OP_CMP,
	X86_OP_TEST,
	X86_OP_MOV,		/* also MOVNTI */
	X86_OP_MOVZX,
	X86_OP_MOVSX,		/* also MOVSXD */
	X86_OP_XCHG,
	X86_OP_CMPXCHG,
	X86_OP_BT, X86_OP_BTS, X86_OP_BTR, X86_OP_BTC,
	X86_OP_STOS,
	X86_OP_MOVS,
	X86_OP_CLFLUSH,		/* also CLFLUSHOPT: no data access */
	/* Decoded for shadow paging's exits, never emulated as MMIO: */
	X86_OP_INVLPG,		/* 0F 01 /7, memory only */
	X86_OP_LMSW,		/* 0F 01 /6, a 16-bit operand */
	X86_OP_SMSW,		/* 0F 01 /4 */
};

/* Where the operands are. */
enum x86_form {
	X86_FORM_NONE = 0,
	X86_FORM_RM_REG,	/* dst r/m, src reg (ModRM.reg) */
	X86_FORM_REG_RM,	/* dst reg, src r/m */
	X86_FORM_RM_IMM,	/* dst r/m, src immediate */
	X86_FORM_ACC_MOFFS,	/* dst rAX, src [moffs] */
	X86_FORM_MOFFS_ACC,	/* dst [moffs], src rAX */
	X86_FORM_STRING,	/* rSI/rDI implicit */
	X86_FORM_RM,		/* r/m only */
};

/* A memory operand: seg:[base + index * scale + disp]. */
struct x86_mem {
	int8_t base;		/* X86_R*, X86_REG_RIP or X86_REG_NONE */
	int8_t index;		/* X86_R* or X86_REG_NONE */
	uint8_t scale;		/* 1, 2, 4, 8 */
	uint8_t seg;		/* effective segment (override or default) */
	int64_t disp;		/* sign-extended */
};

struct x86_insn {
	uint8_t len;		/* bytes, prefixes included */
	uint8_t mode;		/* 16, 32, 64 */
	uint8_t opsize;		/* destination operand bytes: 1, 2, 4, 8 */
	uint8_t srcsize;	/* source bytes (MOVZX/MOVSX), else opsize */
	uint8_t addrsize;	/* 2, 4, 8 */
	uint8_t rex;		/* the REX byte in force, 0 if none */
	uint8_t rep;		/* 0, 0xf2 or 0xf3 (the last one seen) */
	bool lock;
	bool opsize_prefix;	/* 0x66 */
	bool addrsize_prefix;	/* 0x67 */
	int8_t seg_override;	/* X86_SEG_* or -1 */
	uint8_t map;		/* 1: one-byte opcodes, 2: 0F xx */
	uint8_t opcode;
	uint8_t op;		/* enum x86_op */
	uint8_t form;		/* enum x86_form */
	bool has_modrm;
	uint8_t modrm;
	uint8_t mod;
	uint8_t reg;		/* ModRM.reg with REX.R */
	uint8_t rm;		/* ModRM.rm with REX.B (register operands) */
	bool has_sib;
	uint8_t sib;
	uint8_t disp_size;	/* 0, 1, 2, 4 */
	uint8_t imm_size;	/* 0, 1, 2, 4 bytes in the encoding (moffs: 2, 4, 8) */
	int64_t imm;		/* sign-extended to 64 bits */
	uint64_t moffs;		/* A0-A3: the absolute offset */
	bool has_mem;		/* a memory operand (mem below, or moffs, or string) */
	struct x86_mem mem;
};

/* What the guest-memory callbacks return besides 0 and -1. */
#define X86EMUL_MEM_PF	1	/* the guest's page tables refuse: *pf says how */

struct x86_emul_ctx {
	void *opaque;
	int mode;			/* 16, 32 or 64 (from CS.L/CS.D) */
	uint8_t cpl;			/* 0-3: at CPL 3 every access is a user one */
	bool fault_write;		/* the nested page fault was a write */
	uint64_t seg_base[6];		/* ES CS SS DS FS GS; 64-bit mode uses FS/GS only */
	/*
	 * The guest-virtual (linear) side.  access is X86_PF_WRITE,
	 * X86_PF_USER and X86_PF_INSTR as the access is; the caller walks
	 * the guest's page tables with the rights the CPU would check.
	 * Each returns 0, X86EMUL_MEM_PF with *pf filled in (injected as
	 * a #PF), or -1 when it cannot say (the emulation is refused).
	 *
	 * translate: the guest-physical address of la.
	 * fetch: instruction bytes; never asked to cross a 4 KiB page.
	 * mem_read, mem_write: guest RAM, the RAM side of MOVS (len <= 8);
	 * -1 for anything that is not plain RAM.
	 */
	int (*translate)(void *opaque, uint64_t la, unsigned int access,
			 uint64_t *gpa, struct x86_pf *pf);
	int (*fetch)(void *opaque, uint64_t la, uint8_t *buf, unsigned int len,
		     unsigned int access, struct x86_pf *pf);
	int (*mem_read)(void *opaque, uint64_t la, void *buf, unsigned int len,
			unsigned int access, struct x86_pf *pf);
	int (*mem_write)(void *opaque, uint64_t la, const void *buf,
			 unsigned int len, unsigned int access,
			 struct x86_pf *pf);
	/* The MMIO side of the access, by guest-physical address.  0 or -1. */
	int (*mmio_read)(void *opaque, uint64_t gpa, uint64_t *val,
			 unsigned int size);
	int (*mmio_write)(void *opaque, uint64_t gpa, uint64_t val,
			  unsigned int size);
};

struct x86_emul_result {
	/* X86EMUL_EXCEPTION: what to inject. */
	uint8_t vector;
	bool has_error_code;
	uint32_t error_code;
	uint64_t cr2;		/* vector X86_EXC_PF: the faulting address */
	/* X86EMUL_UNHANDLEABLE or EXCEPTION: why, for the log. */
	const char *reason;
	/* The MMIO operand's linear address, once computed (for the log). */
	uint64_t la;
	/* The instruction as fetched, for the log. */
	uint64_t rip;
	uint8_t nbytes;
	uint8_t bytes[X86_MAX_INSN_LEN];
};

/*
 * Decodes one instruction from bytes[0..len) for a CPU in the given mode
 * (16, 32, 64).  No side effects; reads no byte at or past len.
 */
enum x86_decode_status x86_decode(const uint8_t *bytes, unsigned int len,
				  int mode, struct x86_insn *insn);

/*
 * Emulates the instruction at regs->rip whose memory operand faulted at
 * guest-physical gpa.  Returns X86EMUL_OK (regs updated, RIP past the
 * instruction or, for a REP string instruction not yet finished, left
 * on it), X86EMUL_UNHANDLEABLE or X86EMUL_EXCEPTION (regs untouched
 * unless a REP string instruction had done some iterations first), or
 * X86EMUL_RETRY (nothing done: the instruction found at RIP does not
 * make the access that faulted, at that address or in that direction,
 * so the guest changed it after the fault; the guest runs it again).
 */
int x86_emulate_mmio(const struct x86_emul_ctx *ctx, struct x86_regs *regs,
		     uint64_t gpa, struct x86_emul_result *res);

/*
 * The linear address of insn's memory operand, insn having been decoded
 * at regs->rip (for INVLPG, which names an address it does not access).
 * False when it is not canonical.
 */
bool x86_insn_linear(const struct x86_emul_ctx *ctx,
		     const struct x86_regs *regs, const struct x86_insn *insn,
		     uint64_t *la);

/* "reason: rip 0x... bytes 8b 03 ..." into buf; returns snprintf's value. */
int x86_emul_format(const struct x86_emul_result *res, char *buf, size_t size);

#endif /* ASM_X86_EMULATE_H */
