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
 * compared against the host CPU executing the same operations.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <asm/x86_emulate.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Initial registers of every table row. */
static const uint64_t init_gpr[16] = {
	0x1122334455667788ull, 0x4, 0x99aabbccddeeff11ull, 0xfee00000,
	0x8000, 0xfec00000, 0x10, 0xfed00000,
	0xfee00300, 0x0123456789abcdefull, 0xfedcba9876543210ull, 0x80,
	0xfee00020, 0xfec00010, 0x8000000000000001ull, 0xff,
};
#define MV		0xa5b4c3d2e1f00918ull	/* what MMIO reads return */
#define RAM_BASE	0x200000ull		/* guest RAM for MOVS */
#define RAM_SIZE	0x2000u
#define RFLAGS_INIT	0x2ull

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
#define DEC(s)		.dec = (s)
#define ES(v)		.seg[X86_SEG_ES] = (v)
#define SS(v)		.seg[X86_SEG_SS] = (v)
#define DS(v)		.seg[X86_SEG_DS] = (v)
#define FS(v)		.seg[X86_SEG_FS] = (v)
#define GS(v)		.seg[X86_SEG_GS] = (v)

/*
 * The table.  Expected values were worked out independently of the
 * emulator (register and MMIO patterns above, flags by definition).
 */
#define ROWS(X) \
	X(st64_rax, 64, "mov %rax, (%rbx)", W(0xfee00000, 8, 0x1122334455667788), OP(MOV, 8)) \
	X(st32_eax, 64, "mov %eax, (%rbx)", W(0xfee00000, 4, 0x55667788), OP(MOV, 4)) \
	X(st64_rcx, 64, "mov %rcx, (%rbx)", W(0xfee00000, 8, 0x4), OP(MOV, 8)) \
	X(st32_ecx, 64, "mov %ecx, (%rbx)", W(0xfee00000, 4, 0x4), OP(MOV, 4)) \
	X(st64_rdx, 64, "mov %rdx, (%rbx)", W(0xfee00000, 8, 0x99aabbccddeeff11), OP(MOV, 8)) \
	X(st32_edx, 64, "mov %edx, (%rbx)", W(0xfee00000, 4, 0xddeeff11), OP(MOV, 4)) \
	X(st64_rbx, 64, "mov %rbx, (%rbx)", W(0xfee00000, 8, 0xfee00000), OP(MOV, 8)) \
	X(st32_ebx, 64, "mov %ebx, (%rbx)", W(0xfee00000, 4, 0xfee00000), OP(MOV, 4)) \
	X(st64_rsp, 64, "mov %rsp, (%rbx)", W(0xfee00000, 8, 0x8000), OP(MOV, 8)) \
	X(st32_esp, 64, "mov %esp, (%rbx)", W(0xfee00000, 4, 0x8000), OP(MOV, 4)) \
	X(st64_rbp, 64, "mov %rbp, (%rbx)", W(0xfee00000, 8, 0xfec00000), OP(MOV, 8)) \
	X(st32_ebp, 64, "mov %ebp, (%rbx)", W(0xfee00000, 4, 0xfec00000), OP(MOV, 4)) \
	X(st64_rsi, 64, "mov %rsi, (%rbx)", W(0xfee00000, 8, 0x10), OP(MOV, 8)) \
	X(st32_esi, 64, "mov %esi, (%rbx)", W(0xfee00000, 4, 0x10), OP(MOV, 4)) \
	X(st64_rdi, 64, "mov %rdi, (%rbx)", W(0xfee00000, 8, 0xfed00000), OP(MOV, 8)) \
	X(st32_edi, 64, "mov %edi, (%rbx)", W(0xfee00000, 4, 0xfed00000), OP(MOV, 4)) \
	X(st64_r8, 64, "mov %r8, (%rbx)", W(0xfee00000, 8, 0xfee00300), OP(MOV, 8)) \
	X(st32_r8d, 64, "mov %r8d, (%rbx)", W(0xfee00000, 4, 0xfee00300), OP(MOV, 4)) \
	X(st64_r9, 64, "mov %r9, (%rbx)", W(0xfee00000, 8, 0x123456789abcdef), OP(MOV, 8)) \
	X(st32_r9d, 64, "mov %r9d, (%rbx)", W(0xfee00000, 4, 0x89abcdef), OP(MOV, 4)) \
	X(st64_r10, 64, "mov %r10, (%rbx)", W(0xfee00000, 8, 0xfedcba9876543210), OP(MOV, 8)) \
	X(st32_r10d, 64, "mov %r10d, (%rbx)", W(0xfee00000, 4, 0x76543210), OP(MOV, 4)) \
	X(st64_r11, 64, "mov %r11, (%rbx)", W(0xfee00000, 8, 0x80), OP(MOV, 8)) \
	X(st32_r11d, 64, "mov %r11d, (%rbx)", W(0xfee00000, 4, 0x80), OP(MOV, 4)) \
	X(st64_r12, 64, "mov %r12, (%rbx)", W(0xfee00000, 8, 0xfee00020), OP(MOV, 8)) \
	X(st32_r12d, 64, "mov %r12d, (%rbx)", W(0xfee00000, 4, 0xfee00020), OP(MOV, 4)) \
	X(st64_r13, 64, "mov %r13, (%rbx)", W(0xfee00000, 8, 0xfec00010), OP(MOV, 8)) \
	X(st32_r13d, 64, "mov %r13d, (%rbx)", W(0xfee00000, 4, 0xfec00010), OP(MOV, 4)) \
	X(st64_r14, 64, "mov %r14, (%rbx)", W(0xfee00000, 8, 0x8000000000000001), OP(MOV, 8)) \
	X(st32_r14d, 64, "mov %r14d, (%rbx)", W(0xfee00000, 4, 0x1), OP(MOV, 4)) \
	X(st64_r15, 64, "mov %r15, (%rbx)", W(0xfee00000, 8, 0xff), OP(MOV, 8)) \
	X(st32_r15d, 64, "mov %r15d, (%rbx)", W(0xfee00000, 4, 0xff), OP(MOV, 4)) \
	X(st16_ax, 64, "mov %ax, (%rbx)", W(0xfee00000, 2, 0x7788), OP(MOV, 2)) \
	X(st16_cx, 64, "mov %cx, (%rbx)", W(0xfee00000, 2, 0x4), OP(MOV, 2)) \
	X(st16_dx, 64, "mov %dx, (%rbx)", W(0xfee00000, 2, 0xff11), OP(MOV, 2)) \
	X(st16_si, 64, "mov %si, (%rbx)", W(0xfee00000, 2, 0x10), OP(MOV, 2)) \
	X(st16_r9w, 64, "mov %r9w, (%rbx)", W(0xfee00000, 2, 0xcdef), OP(MOV, 2)) \
	X(st16_r15w, 64, "mov %r15w, (%rbx)", W(0xfee00000, 2, 0xff), OP(MOV, 2)) \
	X(st8_al, 64, "mov %al, (%rbx)", W(0xfee00000, 1, 0x88), OP(MOV, 1)) \
	X(st8_cl, 64, "mov %cl, (%rbx)", W(0xfee00000, 1, 0x4), OP(MOV, 1)) \
	X(st8_dl, 64, "mov %dl, (%rbx)", W(0xfee00000, 1, 0x11), OP(MOV, 1)) \
	X(st8_bl, 64, "mov %bl, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(st8_spl, 64, "mov %spl, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(st8_bpl, 64, "mov %bpl, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(st8_sil, 64, "mov %sil, (%rbx)", W(0xfee00000, 1, 0x10), OP(MOV, 1)) \
	X(st8_dil, 64, "mov %dil, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(st8_r8b, 64, "mov %r8b, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(st8_r9b, 64, "mov %r9b, (%rbx)", W(0xfee00000, 1, 0xef), OP(MOV, 1)) \
	X(st8_r10b, 64, "mov %r10b, (%rbx)", W(0xfee00000, 1, 0x10), OP(MOV, 1)) \
	X(st8_r11b, 64, "mov %r11b, (%rbx)", W(0xfee00000, 1, 0x80), OP(MOV, 1)) \
	X(st8_r12b, 64, "mov %r12b, (%rbx)", W(0xfee00000, 1, 0x20), OP(MOV, 1)) \
	X(st8_r13b, 64, "mov %r13b, (%rbx)", W(0xfee00000, 1, 0x10), OP(MOV, 1)) \
	X(st8_r14b, 64, "mov %r14b, (%rbx)", W(0xfee00000, 1, 0x1), OP(MOV, 1)) \
	X(st8_r15b, 64, "mov %r15b, (%rbx)", W(0xfee00000, 1, 0xff), OP(MOV, 1)) \
	X(st8_ah, 64, "mov %ah, (%rbx)", W(0xfee00000, 1, 0x77), OP(MOV, 1)) \
	X(st8_ch, 64, "mov %ch, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(st8_dh, 64, "mov %dh, (%rbx)", W(0xfee00000, 1, 0xff), OP(MOV, 1)) \
	X(st8_bh, 64, "mov %bh, (%rbx)", W(0xfee00000, 1, 0x0), OP(MOV, 1)) \
	X(ld64_rax, 64, "mov (%rbx), %rax", R(0xfee00000, 8), C1(RAX, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_eax, 64, "mov (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rcx, 64, "mov (%rbx), %rcx", R(0xfee00000, 8), C1(RCX, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_ecx, 64, "mov (%rbx), %ecx", R(0xfee00000, 4), C1(RCX, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rdx, 64, "mov (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_edx, 64, "mov (%rbx), %edx", R(0xfee00000, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rbx, 64, "mov (%rbx), %rbx", R(0xfee00000, 8), C1(RBX, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_ebx, 64, "mov (%rbx), %ebx", R(0xfee00000, 4), C1(RBX, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rsp, 64, "mov (%rbx), %rsp", R(0xfee00000, 8), C1(RSP, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_esp, 64, "mov (%rbx), %esp", R(0xfee00000, 4), C1(RSP, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rbp, 64, "mov (%rbx), %rbp", R(0xfee00000, 8), C1(RBP, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_ebp, 64, "mov (%rbx), %ebp", R(0xfee00000, 4), C1(RBP, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rsi, 64, "mov (%rbx), %rsi", R(0xfee00000, 8), C1(RSI, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_esi, 64, "mov (%rbx), %esi", R(0xfee00000, 4), C1(RSI, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_rdi, 64, "mov (%rbx), %rdi", R(0xfee00000, 8), C1(RDI, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_edi, 64, "mov (%rbx), %edi", R(0xfee00000, 4), C1(RDI, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r8, 64, "mov (%rbx), %r8", R(0xfee00000, 8), C1(R8, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r8d, 64, "mov (%rbx), %r8d", R(0xfee00000, 4), C1(R8, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r9, 64, "mov (%rbx), %r9", R(0xfee00000, 8), C1(R9, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r9d, 64, "mov (%rbx), %r9d", R(0xfee00000, 4), C1(R9, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r10, 64, "mov (%rbx), %r10", R(0xfee00000, 8), C1(R10, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r10d, 64, "mov (%rbx), %r10d", R(0xfee00000, 4), C1(R10, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r11, 64, "mov (%rbx), %r11", R(0xfee00000, 8), C1(R11, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r11d, 64, "mov (%rbx), %r11d", R(0xfee00000, 4), C1(R11, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r12, 64, "mov (%rbx), %r12", R(0xfee00000, 8), C1(R12, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r12d, 64, "mov (%rbx), %r12d", R(0xfee00000, 4), C1(R12, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r13, 64, "mov (%rbx), %r13", R(0xfee00000, 8), C1(R13, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r13d, 64, "mov (%rbx), %r13d", R(0xfee00000, 4), C1(R13, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r14, 64, "mov (%rbx), %r14", R(0xfee00000, 8), C1(R14, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r14d, 64, "mov (%rbx), %r14d", R(0xfee00000, 4), C1(R14, 0xe1f00918), OP(MOV, 4)) \
	X(ld64_r15, 64, "mov (%rbx), %r15", R(0xfee00000, 8), C1(R15, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(ld32_r15d, 64, "mov (%rbx), %r15d", R(0xfee00000, 4), C1(R15, 0xe1f00918), OP(MOV, 4)) \
	X(ld16_ax, 64, "mov (%rbx), %ax", R(0xfee00000, 2), C1(RAX, 0x1122334455660918), OP(MOV, 2)) \
	X(ld16_dx, 64, "mov (%rbx), %dx", R(0xfee00000, 2), C1(RDX, 0x99aabbccddee0918), OP(MOV, 2)) \
	X(ld16_di, 64, "mov (%rbx), %di", R(0xfee00000, 2), C1(RDI, 0xfed00918), OP(MOV, 2)) \
	X(ld16_r10w, 64, "mov (%rbx), %r10w", R(0xfee00000, 2), C1(R10, 0xfedcba9876540918), OP(MOV, 2)) \
	X(ld16_r13w, 64, "mov (%rbx), %r13w", R(0xfee00000, 2), C1(R13, 0xfec00918), OP(MOV, 2)) \
	X(ld8_al, 64, "mov (%rbx), %al", R(0xfee00000, 1), C1(RAX, 0x1122334455667718), OP(MOV, 1)) \
	X(ld8_cl, 64, "mov (%rbx), %cl", R(0xfee00000, 1), C1(RCX, 0x18), OP(MOV, 1)) \
	X(ld8_spl, 64, "mov (%rbx), %spl", R(0xfee00000, 1), C1(RSP, 0x8018), OP(MOV, 1)) \
	X(ld8_bpl, 64, "mov (%rbx), %bpl", R(0xfee00000, 1), C1(RBP, 0xfec00018), OP(MOV, 1)) \
	X(ld8_sil, 64, "mov (%rbx), %sil", R(0xfee00000, 1), C1(RSI, 0x18), OP(MOV, 1)) \
	X(ld8_dil, 64, "mov (%rbx), %dil", R(0xfee00000, 1), C1(RDI, 0xfed00018), OP(MOV, 1)) \
	X(ld8_r8b, 64, "mov (%rbx), %r8b", R(0xfee00000, 1), C1(R8, 0xfee00318), OP(MOV, 1)) \
	X(ld8_r15b, 64, "mov (%rbx), %r15b", R(0xfee00000, 1), C1(R15, 0x18), OP(MOV, 1)) \
	X(ld8_ah, 64, "mov (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455661888), OP(MOV, 1)) \
	X(ld8_ch, 64, "mov (%rbx), %ch", R(0xfee00000, 1), C1(RCX, 0x1804), OP(MOV, 1)) \
	X(ld8_dh, 64, "mov (%rbx), %dh", R(0xfee00000, 1), C1(RDX, 0x99aabbccddee1811), OP(MOV, 1)) \
	X(ld8_bh, 64, "mov (%rbx), %bh", R(0xfee00000, 1), C1(RBX, 0xfee01800), OP(MOV, 1)) \
	X(am_disp8, 64, "mov %ecx, 0x10(%rbx)", W(0xfee00010, 4, 0x4), OP(MOV, 4)) \
	X(am_disp8_ld, 64, "mov 0x10(%rbx), %edx", R(0xfee00010, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_disp8neg, 64, "mov %ecx, -0x8(%rbx)", W(0xfedffff8, 4, 0x4), OP(MOV, 4)) \
	X(am_disp8neg_ld, 64, "mov -0x8(%rbx), %edx", R(0xfedffff8, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_disp32, 64, "mov %ecx, 0x1234(%rbx)", W(0xfee01234, 4, 0x4), OP(MOV, 4)) \
	X(am_disp32_ld, 64, "mov 0x1234(%rbx), %edx", R(0xfee01234, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_disp32neg, 64, "mov %ecx, -0x1000(%rbx)", W(0xfedff000, 4, 0x4), OP(MOV, 4)) \
	X(am_disp32neg_ld, 64, "mov -0x1000(%rbx), %edx", R(0xfedff000, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib1, 64, "mov %ecx, (%rbx,%rsi)", W(0xfee00010, 4, 0x4), OP(MOV, 4)) \
	X(am_sib1_ld, 64, "mov (%rbx,%rsi), %edx", R(0xfee00010, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib2, 64, "mov %ecx, (%rbx,%rsi,2)", W(0xfee00020, 4, 0x4), OP(MOV, 4)) \
	X(am_sib2_ld, 64, "mov (%rbx,%rsi,2), %edx", R(0xfee00020, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib4, 64, "mov %ecx, (%rbx,%rsi,4)", W(0xfee00040, 4, 0x4), OP(MOV, 4)) \
	X(am_sib4_ld, 64, "mov (%rbx,%rsi,4), %edx", R(0xfee00040, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib8, 64, "mov %ecx, (%rbx,%rsi,8)", W(0xfee00080, 4, 0x4), OP(MOV, 4)) \
	X(am_sib8_ld, 64, "mov (%rbx,%rsi,8), %edx", R(0xfee00080, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib_d8, 64, "mov %ecx, 0x20(%rbx,%rsi,8)", W(0xfee000a0, 4, 0x4), OP(MOV, 4)) \
	X(am_sib_d8_ld, 64, "mov 0x20(%rbx,%rsi,8), %edx", R(0xfee000a0, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib_d32, 64, "mov %ecx, 0x12345(%rbx,%rsi,1)", W(0xfee12355, 4, 0x4), OP(MOV, 4)) \
	X(am_sib_d32_ld, 64, "mov 0x12345(%rbx,%rsi,1), %edx", R(0xfee12355, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_nobase, 64, "mov %ecx, 0x7ee00000(,%rsi,4)", W(0x7ee00040, 4, 0x4), OP(MOV, 4)) \
	X(am_nobase_ld, 64, "mov 0x7ee00000(,%rsi,4), %edx", R(0x7ee00040, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_nobase_neg, 64, "mov %ecx, -0x1000(,%r11,2)", W(0xfffffffffffff100, 4, 0x4), OP(MOV, 4)) \
	X(am_nobase_neg_ld, 64, "mov -0x1000(,%r11,2), %edx", R(0xfffffffffffff100, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_abs, 64, "mov %ecx, 0x7ee00040", W(0x7ee00040, 4, 0x4), OP(MOV, 4)) \
	X(am_abs_ld, 64, "mov 0x7ee00040, %edx", R(0x7ee00040, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_rsp, 64, "mov %ecx, (%rsp)", W(0x8000, 4, 0x4), OP(MOV, 4)) \
	X(am_rsp_ld, 64, "mov (%rsp), %edx", R(0x8000, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_rsp_d8, 64, "mov %ecx, 0x10(%rsp)", W(0x8010, 4, 0x4), OP(MOV, 4)) \
	X(am_rsp_d8_ld, 64, "mov 0x10(%rsp), %edx", R(0x8010, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_rbp, 64, "mov %ecx, (%rbp)", W(0xfec00000, 4, 0x4), OP(MOV, 4)) \
	X(am_rbp_ld, 64, "mov (%rbp), %edx", R(0xfec00000, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_rbp_d32, 64, "mov %ecx, 0x300(%rbp)", W(0xfec00300, 4, 0x4), OP(MOV, 4)) \
	X(am_rbp_d32_ld, 64, "mov 0x300(%rbp), %edx", R(0xfec00300, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_r12, 64, "mov %ecx, (%r12)", W(0xfee00020, 4, 0x4), OP(MOV, 4)) \
	X(am_r12_ld, 64, "mov (%r12), %edx", R(0xfee00020, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_r13, 64, "mov %ecx, (%r13)", W(0xfec00010, 4, 0x4), OP(MOV, 4)) \
	X(am_r13_ld, 64, "mov (%r13), %edx", R(0xfec00010, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_r12_r13, 64, "mov %ecx, (%r12,%r13)", W(0x1fda00030, 4, 0x4), OP(MOV, 4)) \
	X(am_r12_r13_ld, 64, "mov (%r12,%r13), %edx", R(0x1fda00030, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_rbx_r12_2, 64, "mov %ecx, (%rbx,%r12,2)", W(0x2fca00040, 4, 0x4), OP(MOV, 4)) \
	X(am_rbx_r12_2_ld, 64, "mov (%rbx,%r12,2), %edx", R(0x2fca00040, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_r8, 64, "mov %ecx, (%r8)", W(0xfee00300, 4, 0x4), OP(MOV, 4)) \
	X(am_r8_ld, 64, "mov (%r8), %edx", R(0xfee00300, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_r8_r11, 64, "mov %ecx, 0x8(%r8,%r11)", W(0xfee00388, 4, 0x4), OP(MOV, 4)) \
	X(am_r8_r11_ld, 64, "mov 0x8(%r8,%r11), %edx", R(0xfee00388, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_r15_idx, 64, "mov %ecx, 0x7ee00000(,%r15,8)", W(0x7ee007f8, 4, 0x4), OP(MOV, 4)) \
	X(am_r15_idx_ld, 64, "mov 0x7ee00000(,%r15,8), %edx", R(0x7ee007f8, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib_noindex, 64, ".byte 0x89, 0x0c, 0x23", W(0xfee00000, 4, 0x4), OP(MOV, 4)) \
	X(am_sib_noindex_ld, 64, ".byte 0x8b, 0x14, 0x23", R(0xfee00000, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(am_sib_noindex_s4, 64, ".byte 0x89, 0x4c, 0xa3, 0x08", W(0xfee00008, 4, 0x4), OP(MOV, 4)) \
	X(am_sib_noindex_s4_ld, 64, ".byte 0x8b, 0x54, 0xa3, 0x08", R(0xfee00008, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(a32_ebx, 64, "mov %ecx, (%ebx)", W(0xfee00000, 4, 0x4), OP(MOV, 4)) \
	X(a32_wrap, 64, "mov %ecx, 0x10(%r14d)", W(0x11, 4, 0x4), OP(MOV, 4)) \
	X(a32_sib, 64, "mov %ecx, 0x10(%ebx,%esi,4)", W(0xfee00050, 4, 0x4), OP(MOV, 4)) \
	X(a32_neg, 64, "mov %ecx, -0x10(%esi)", W(0x0, 4, 0x4), OP(MOV, 4)) \
	X(seg_fs, 64, "mov %ecx, %fs:0x10(%rbx)", FS(0x100000), W(0xfef00010, 4, 0x4)) \
	X(seg_gs, 64, "mov %ecx, %gs:(%rsi)", GS(0xffff888000000000), W(0xffff888000000010, 4, 0x4)) \
	X(seg_es_ignored, 64, "mov %ecx, %es:(%rbx)", ES(0x5000), W(0xfee00000, 4, 0x4)) \
	X(seg_ds_ignored, 64, "mov %ecx, %ds:(%rbx)", DS(0x5000), W(0xfee00000, 4, 0x4)) \
	X(seg_last_wins, 64, ".byte 0x2e, 0x3e, 0x26, 0x64, 0x89, 0x0b", FS(0x100000), W(0xfef00000, 4, 0x4)) \
	X(imm8, 64, "movb $0x5a, (%rbx)", W(0xfee00000, 1, 0x5a), OP(MOV, 1)) \
	X(imm16, 64, "movw $0x1234, 0x10(%rbx)", W(0xfee00010, 2, 0x1234), OP(MOV, 2)) \
	X(imm32, 64, "movl $0xdeadbeef, (%rbx)", W(0xfee00000, 4, 0xdeadbeef), OP(MOV, 4)) \
	X(imm64_sext, 64, "movq $-2, (%rbx)", W(0xfee00000, 8, 0xfffffffffffffffe), OP(MOV, 8)) \
	X(imm64_pos, 64, "movq $0x7fffffff, 0x8(%rbx)", W(0xfee00008, 8, 0x7fffffff), OP(MOV, 8)) \
	X(imm32_sib, 64, "movl $1, 0x300(%rbx,%rsi,4)", W(0xfee00340, 4, 0x1), OP(MOV, 4)) \
	X(imm8_high, 64, "movb $0x80, -1(%rbx)", W(0xfedfffff, 1, 0x80), OP(MOV, 1)) \
	X(rip_st, 64, "mov %ecx, 0x100(%rip)", RIPREL(0x100), W(0x0, 4, 0x4)) \
	X(rip_ld, 64, "mov -0x40(%rip), %rdx", RIPREL(-0x40), R(0x0, 8), C1(RDX, 0xa5b4c3d2e1f00918)) \
	X(rip_imm32, 64, "movl $0x11223344, 0x10(%rip)", RIPREL(0x10), W(0x0, 4, 0x11223344)) \
	X(rip_imm8, 64, "movb $0x7, 0x20(%rip)", RIPREL(0x20), W(0x0, 1, 0x7)) \
	X(rip_a32, 64, "mov %ecx, 0x100(%eip)", RIPREL32(0x100), W(0x0, 4, 0x4)) \
	X(moffs_ld32, 64, "movabs 0xfee00030, %eax", R(0xfee00030, 4), C1(RAX, 0xe1f00918), OP(MOV, 4)) \
	X(moffs_ld8, 64, "movabs 0xfee00031, %al", R(0xfee00031, 1), C1(RAX, 0x1122334455667718), OP(MOV, 1)) \
	X(moffs_ld64, 64, "movabs 0xfee00038, %rax", R(0xfee00038, 8), C1(RAX, 0xa5b4c3d2e1f00918), OP(MOV, 8)) \
	X(moffs_st16, 64, "movabs %ax, 0xfee00040", W(0xfee00040, 2, 0x7788), OP(MOV, 2)) \
	X(moffs_st64, 64, "movabs %rax, 0xfee00048", W(0xfee00048, 8, 0x1122334455667788), OP(MOV, 8)) \
	X(moffs_a32, 64, ".byte 0x67, 0xa3, 0x50, 0x00, 0xe0, 0xfe", W(0xfee00050, 4, 0x55667788), OP(MOV, 4)) \
	X(moffs_fs, 64, ".byte 0x64, 0xa2; .quad 0x10", FS(0xfee00000), W(0xfee00010, 1, 0x88), OP(MOV, 1)) \
	X(movzbl, 64, "movzbl (%rbx), %eax", MVAL(0xa5b4c3d2e1f00918), R(0xfee00000, 1), C1(RAX, 0x18), OP(MOVZX, 4)) \
	X(movzwl, 64, "movzwl (%rbx), %eax", MVAL(0xa5b4c3d2e1f00918), R(0xfee00000, 2), C1(RAX, 0x918), OP(MOVZX, 4)) \
	X(movzbw, 64, "movzbw (%rbx), %ax", MVAL(0x80), R(0xfee00000, 1), C1(RAX, 0x1122334455660080), OP(MOVZX, 2)) \
	X(movzbq, 64, "movzbq (%rbx), %rax", MVAL(0xff), R(0xfee00000, 1), C1(RAX, 0xff), OP(MOVZX, 8)) \
	X(movzwq, 64, "movzwq (%rbx), %r9", MVAL(0x8001), R(0xfee00000, 2), C1(R9, 0x8001), OP(MOVZX, 8)) \
	X(movzbl_r15, 64, "movzbl (%rbx), %r15d", MVAL(0xfe), R(0xfee00000, 1), C1(R15, 0xfe), OP(MOVZX, 4)) \
	X(movsbl, 64, "movsbl (%rbx), %eax", MVAL(0x80), R(0xfee00000, 1), C1(RAX, 0xffffff80), OP(MOVSX, 4)) \
	X(movsbl_pos, 64, "movsbl (%rbx), %eax", MVAL(0x7f), R(0xfee00000, 1), C1(RAX, 0x7f), OP(MOVSX, 4)) \
	X(movswl, 64, "movswl (%rbx), %ecx", MVAL(0x8000), R(0xfee00000, 2), C1(RCX, 0xffff8000), OP(MOVSX, 4)) \
	X(movsbq, 64, "movsbq (%rbx), %rdx", MVAL(0x81), R(0xfee00000, 1), C1(RDX, 0xffffffffffffff81), OP(MOVSX, 8)) \
	X(movswq, 64, "movswq (%rbx), %r10", MVAL(0xfffe), R(0xfee00000, 2), C1(R10, 0xfffffffffffffffe), OP(MOVSX, 8)) \
	X(movsbw, 64, "movsbw (%rbx), %si", MVAL(0x90), R(0xfee00000, 1), C1(RSI, 0xff90), OP(MOVSX, 2)) \
	X(movslq, 64, "movslq (%rbx), %rax", MVAL(0x80000000), R(0xfee00000, 4), C1(RAX, 0xffffffff80000000), OP(MOVSX, 8)) \
	X(movslq_pos, 64, "movslq (%rbx), %r8", MVAL(0x12345678), R(0xfee00000, 4), C1(R8, 0x12345678), OP(MOVSX, 8)) \
	X(movsxd_32, 64, ".byte 0x63, 0x03", R(0xfee00000, 4), C1(RAX, 0xe1f00918), OP(MOVSX, 4)) \
	X(movsxd_a32, 64, ".byte 0x67, 0x48, 0x63, 0x13", MVAL(0xfffffff0), R(0xfee00000, 4), C1(RDX, 0xfffffffffffffff0), OP(MOVSX, 8)) \
	X(movnti32, 64, "movnti %ecx, (%rbx)", W(0xfee00000, 4, 0x4), OP(MOV, 4)) \
	X(movnti64, 64, "movnti %r9, 0x8(%rbx)", W(0xfee00008, 8, 0x123456789abcdef), OP(MOV, 8)) \
	X(movnti_66, 64, ".byte 0x66, 0x0f, 0xc3, 0x0b", UD) \
	X(movnti_reg, 64, ".byte 0x0f, 0xc3, 0xc1", UD) \
	X(movnti_rep, 64, ".byte 0xf3, 0x0f, 0xc3, 0x0b", UD) \
	X(addl_mr, 64, "add %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f0091c), FL(0x8d5, 0x80), OP(ADD, 4)) \
	X(addb_mr, 64, "add %dl, (%rbx)", RW(0xfee00000, 1, 0x29), FL(0x8d5, 0x0), OP(ADD, 1)) \
	X(addq_mr, 64, "add %r9, (%rbx)", RW(0xfee00000, 8, 0xa6d8093a6b9bd707), FL(0x8d5, 0x90), OP(ADD, 8)) \
	X(addw_mr, 64, "add %r10w, (%rbx)", RW(0xfee00000, 2, 0x3b28), FL(0x8d5, 0x4), OP(ADD, 2)) \
	X(addl_rm_eax, 64, "add (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0x375680a0), FL(0x8d5, 0x15), OP(ADD, 4)) \
	X(addq_rm_rdx, 64, "add (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0x3f5f7f9fbfdf0829), FL(0x8d5, 0x801), OP(ADD, 8)) \
	X(addb_rm_ah, 64, "add (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455668f88), FL(0x8d5, 0x880), OP(ADD, 1)) \
	X(add_i80, 64, "addb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x97), FL(0x8d5, 0x890), OP(ADD, 1)) \
	X(add_i81, 64, "addl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0xf4245f90), FL(0x8d5, 0x94), OP(ADD, 4)) \
	X(add_i81w, 64, "addw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x8919), FL(0x8d5, 0x80), OP(ADD, 2)) \
	X(add_i83, 64, "addl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0xe1f00915), FL(0x8d5, 0x91), OP(ADD, 4)) \
	X(add_i83q, 64, "addq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d2e1f00898), FL(0x8d5, 0x81), OP(ADD, 8)) \
	X(add_i81q, 64, "addq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d361f00908), FL(0x8d5, 0x80), OP(ADD, 8)) \
	X(orl_mr, 64, "or %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f0091c), FL(0x8d5, 0x80), OP(OR, 4)) \
	X(orb_mr, 64, "or %dl, (%rbx)", RW(0xfee00000, 1, 0x19), FL(0x8d5, 0x0), OP(OR, 1)) \
	X(orq_mr, 64, "or %r9, (%rbx)", RW(0xfee00000, 8, 0xa5b7c7f7e9fbcdff), FL(0x8d5, 0x84), OP(OR, 8)) \
	X(orw_mr, 64, "or %r10w, (%rbx)", RW(0xfee00000, 2, 0x3b18), FL(0x8d5, 0x4), OP(OR, 2)) \
	X(orl_rm_eax, 64, "or (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0xf5f67f98), FL(0x8d5, 0x80), OP(OR, 4)) \
	X(orq_rm_rdx, 64, "or (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0xbdbefbdefdfeff19), FL(0x8d5, 0x80), OP(OR, 8)) \
	X(orb_rm_ah, 64, "or (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455667f88), FL(0x8d5, 0x0), OP(OR, 1)) \
	X(or_i80, 64, "orb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x7f), FL(0x8d5, 0x0), OP(OR, 1)) \
	X(or_i81, 64, "orl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0xf3f45f78), FL(0x8d5, 0x84), OP(OR, 4)) \
	X(or_i81w, 64, "orw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x8919), FL(0x8d5, 0x80), OP(OR, 2)) \
	X(or_i83, 64, "orl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0xfffffffd), FL(0x8d5, 0x80), OP(OR, 4)) \
	X(or_i83q, 64, "orq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0xffffffffffffff98), FL(0x8d5, 0x80), OP(OR, 8)) \
	X(or_i81q, 64, "orq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d2fffffff8), FL(0x8d5, 0x80), OP(OR, 8)) \
	X(adcl_mr, 64, "adc %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f0091c), FL(0x8d5, 0x80), OP(ADC, 4)) \
	X(adcb_mr, 64, "adc %dl, (%rbx)", RW(0xfee00000, 1, 0x29), FL(0x8d5, 0x0), OP(ADC, 1)) \
	X(adcq_mr, 64, "adc %r9, (%rbx)", RW(0xfee00000, 8, 0xa6d8093a6b9bd707), FL(0x8d5, 0x90), OP(ADC, 8)) \
	X(adcw_mr, 64, "adc %r10w, (%rbx)", RW(0xfee00000, 2, 0x3b28), FL(0x8d5, 0x4), OP(ADC, 2)) \
	X(adcl_rm_eax, 64, "adc (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0x375680a0), FL(0x8d5, 0x15), OP(ADC, 4)) \
	X(adcq_rm_rdx, 64, "adc (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0x3f5f7f9fbfdf0829), FL(0x8d5, 0x801), OP(ADC, 8)) \
	X(adcb_rm_ah, 64, "adc (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455668f88), FL(0x8d5, 0x880), OP(ADC, 1)) \
	X(adc_i80, 64, "adcb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x97), FL(0x8d5, 0x890), OP(ADC, 1)) \
	X(adc_i81, 64, "adcl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0xf4245f90), FL(0x8d5, 0x94), OP(ADC, 4)) \
	X(adc_i81w, 64, "adcw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x8919), FL(0x8d5, 0x80), OP(ADC, 2)) \
	X(adc_i83, 64, "adcl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0xe1f00915), FL(0x8d5, 0x91), OP(ADC, 4)) \
	X(adc_i83q, 64, "adcq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d2e1f00898), FL(0x8d5, 0x81), OP(ADC, 8)) \
	X(adc_i81q, 64, "adcq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d361f00908), FL(0x8d5, 0x80), OP(ADC, 8)) \
	X(sbbl_mr, 64, "sbb %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f00914), FL(0x8d5, 0x84), OP(SBB, 4)) \
	X(sbbb_mr, 64, "sbb %dl, (%rbx)", RW(0xfee00000, 1, 0x7), FL(0x8d5, 0x0), OP(SBB, 1)) \
	X(sbbq_mr, 64, "sbb %r9, (%rbx)", RW(0xfee00000, 8, 0xa4917e6b58443b29), FL(0x8d5, 0x90), OP(SBB, 8)) \
	X(sbbw_mr, 64, "sbb %r10w, (%rbx)", RW(0xfee00000, 2, 0xd708), FL(0x8d5, 0x81), OP(SBB, 2)) \
	X(sbbl_rm_eax, 64, "sbb (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0x73766e70), FL(0x8d5, 0x1), OP(SBB, 4)) \
	X(sbbq_rm_rdx, 64, "sbb (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0xf3f5f7f9fbfef5f9), FL(0x8d5, 0x95), OP(SBB, 8)) \
	X(sbbb_rm_ah, 64, "sbb (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455665f88), FL(0x8d5, 0x14), OP(SBB, 1)) \
	X(sbb_i80, 64, "sbbb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x99), FL(0x8d5, 0x95), OP(SBB, 1)) \
	X(sbb_i81, 64, "sbbl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0xcfbbb2a0), FL(0x8d5, 0x84), OP(SBB, 4)) \
	X(sbb_i81w, 64, "sbbw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x8917), FL(0x8d5, 0x885), OP(SBB, 2)) \
	X(sbb_i83, 64, "sbbl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0xe1f0091b), FL(0x8d5, 0x95), OP(SBB, 4)) \
	X(sbb_i83q, 64, "sbbq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d2e1f00998), FL(0x8d5, 0x81), OP(SBB, 8)) \
	X(sbb_i81q, 64, "sbbq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d261f00928), FL(0x8d5, 0x84), OP(SBB, 8)) \
	X(andl_mr, 64, "and %ecx, (%rbx)", RW(0xfee00000, 4, 0x0), FL(0x8d5, 0x44), OP(AND, 4)) \
	X(andb_mr, 64, "and %dl, (%rbx)", RW(0xfee00000, 1, 0x10), FL(0x8d5, 0x0), OP(AND, 1)) \
	X(andq_mr, 64, "and %r9, (%rbx)", RW(0xfee00000, 8, 0x120414281a00908), FL(0x8d5, 0x0), OP(AND, 8)) \
	X(andw_mr, 64, "and %r10w, (%rbx)", RW(0xfee00000, 2, 0x10), FL(0x8d5, 0x0), OP(AND, 2)) \
	X(andl_rm_eax, 64, "and (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0x41600108), FL(0x8d5, 0x0), OP(AND, 4)) \
	X(andq_rm_rdx, 64, "and (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0x81a083c0c1e00910), FL(0x8d5, 0x80), OP(AND, 8)) \
	X(andb_rm_ah, 64, "and (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455661088), FL(0x8d5, 0x0), OP(AND, 1)) \
	X(and_i80, 64, "andb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x18), FL(0x8d5, 0x4), OP(AND, 1)) \
	X(and_i81, 64, "andl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0x300018), FL(0x8d5, 0x4), OP(AND, 4)) \
	X(and_i81w, 64, "andw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x0), FL(0x8d5, 0x44), OP(AND, 2)) \
	X(and_i83, 64, "andl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0xe1f00918), FL(0x8d5, 0x84), OP(AND, 4)) \
	X(and_i83q, 64, "andq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d2e1f00900), FL(0x8d5, 0x84), OP(AND, 8)) \
	X(and_i81q, 64, "andq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0x61f00910), FL(0x8d5, 0x0), OP(AND, 8)) \
	X(subl_mr, 64, "sub %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f00914), FL(0x8d5, 0x84), OP(SUB, 4)) \
	X(subb_mr, 64, "sub %dl, (%rbx)", RW(0xfee00000, 1, 0x7), FL(0x8d5, 0x0), OP(SUB, 1)) \
	X(subq_mr, 64, "sub %r9, (%rbx)", RW(0xfee00000, 8, 0xa4917e6b58443b29), FL(0x8d5, 0x90), OP(SUB, 8)) \
	X(subw_mr, 64, "sub %r10w, (%rbx)", RW(0xfee00000, 2, 0xd708), FL(0x8d5, 0x81), OP(SUB, 2)) \
	X(subl_rm_eax, 64, "sub (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0x73766e70), FL(0x8d5, 0x1), OP(SUB, 4)) \
	X(subq_rm_rdx, 64, "sub (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0xf3f5f7f9fbfef5f9), FL(0x8d5, 0x95), OP(SUB, 8)) \
	X(subb_rm_ah, 64, "sub (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455665f88), FL(0x8d5, 0x14), OP(SUB, 1)) \
	X(sub_i80, 64, "subb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x99), FL(0x8d5, 0x95), OP(SUB, 1)) \
	X(sub_i81, 64, "subl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0xcfbbb2a0), FL(0x8d5, 0x84), OP(SUB, 4)) \
	X(sub_i81w, 64, "subw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x8917), FL(0x8d5, 0x885), OP(SUB, 2)) \
	X(sub_i83, 64, "subl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0xe1f0091b), FL(0x8d5, 0x95), OP(SUB, 4)) \
	X(sub_i83q, 64, "subq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d2e1f00998), FL(0x8d5, 0x81), OP(SUB, 8)) \
	X(sub_i81q, 64, "subq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d261f00928), FL(0x8d5, 0x84), OP(SUB, 8)) \
	X(xorl_mr, 64, "xor %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f0091c), FL(0x8d5, 0x80), OP(XOR, 4)) \
	X(xorb_mr, 64, "xor %dl, (%rbx)", RW(0xfee00000, 1, 0x9), FL(0x8d5, 0x4), OP(XOR, 1)) \
	X(xorq_mr, 64, "xor %r9, (%rbx)", RW(0xfee00000, 8, 0xa49786b5685bc4f7), FL(0x8d5, 0x80), OP(XOR, 8)) \
	X(xorw_mr, 64, "xor %r10w, (%rbx)", RW(0xfee00000, 2, 0x3b08), FL(0x8d5, 0x0), OP(XOR, 2)) \
	X(xorl_rm_eax, 64, "xor (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0xb4967e90), FL(0x8d5, 0x84), OP(XOR, 4)) \
	X(xorq_rm_rdx, 64, "xor (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0x3c1e781e3c1ef609), FL(0x8d5, 0x4), OP(XOR, 8)) \
	X(xorb_rm_ah, 64, "xor (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455666f88), FL(0x8d5, 0x4), OP(XOR, 1)) \
	X(xor_i80, 64, "xorb $0x7f, 0x8(%rbx)", RW(0xfee00008, 1, 0x67), FL(0x8d5, 0x0), OP(XOR, 1)) \
	X(xor_i81, 64, "xorl $0x12345678, 0x8(%rbx)", RW(0xfee00008, 4, 0xf3c45f60), FL(0x8d5, 0x84), OP(XOR, 4)) \
	X(xor_i81w, 64, "xorw $0x8001, 0x8(%rbx)", RW(0xfee00008, 2, 0x8919), FL(0x8d5, 0x80), OP(XOR, 2)) \
	X(xor_i83, 64, "xorl $-0x3, 0x8(%rbx)", RW(0xfee00008, 4, 0x1e0ff6e5), FL(0x8d5, 0x0), OP(XOR, 4)) \
	X(xor_i83q, 64, "xorq $-0x80, 0x8(%rbx)", RW(0xfee00008, 8, 0x5a4b3c2d1e0ff698), FL(0x8d5, 0x0), OP(XOR, 8)) \
	X(xor_i81q, 64, "xorq $0x7ffffff0, 0x8(%rbx)", RW(0xfee00008, 8, 0xa5b4c3d29e0ff6e8), FL(0x8d5, 0x84), OP(XOR, 8)) \
	X(cmpl_mr, 64, "cmp %ecx, (%rbx)", R(0xfee00000, 4), FL(0x8d5, 0x84), OP(CMP, 4)) \
	X(cmpb_mr, 64, "cmp %dl, (%rbx)", R(0xfee00000, 1), FL(0x8d5, 0x0), OP(CMP, 1)) \
	X(cmpq_mr, 64, "cmp %r9, (%rbx)", R(0xfee00000, 8), FL(0x8d5, 0x90), OP(CMP, 8)) \
	X(cmpw_mr, 64, "cmp %r10w, (%rbx)", R(0xfee00000, 2), FL(0x8d5, 0x81), OP(CMP, 2)) \
	X(cmpl_rm_eax, 64, "cmp (%rbx), %eax", R(0xfee00000, 4), C1(RAX, 0x1122334455667788), FL(0x8d5, 0x1), OP(CMP, 4)) \
	X(cmpq_rm_rdx, 64, "cmp (%rbx), %rdx", R(0xfee00000, 8), C1(RDX, 0x99aabbccddeeff11), FL(0x8d5, 0x95), OP(CMP, 8)) \
	X(cmpb_rm_ah, 64, "cmp (%rbx), %ah", R(0xfee00000, 1), C1(RAX, 0x1122334455667788), FL(0x8d5, 0x14), OP(CMP, 1)) \
	X(cmp_i80, 64, "cmpb $0x7f, 0x8(%rbx)", R(0xfee00008, 1), FL(0x8d5, 0x95), OP(CMP, 1)) \
	X(cmp_i81, 64, "cmpl $0x12345678, 0x8(%rbx)", R(0xfee00008, 4), FL(0x8d5, 0x84), OP(CMP, 4)) \
	X(cmp_i81w, 64, "cmpw $0x8001, 0x8(%rbx)", R(0xfee00008, 2), FL(0x8d5, 0x885), OP(CMP, 2)) \
	X(cmp_i83, 64, "cmpl $-0x3, 0x8(%rbx)", R(0xfee00008, 4), FL(0x8d5, 0x95), OP(CMP, 4)) \
	X(cmp_i83q, 64, "cmpq $-0x80, 0x8(%rbx)", R(0xfee00008, 8), FL(0x8d5, 0x81), OP(CMP, 8)) \
	X(cmp_i81q, 64, "cmpq $0x7ffffff0, 0x8(%rbx)", R(0xfee00008, 8), FL(0x8d5, 0x84), OP(CMP, 8)) \
	X(adc_cin, 64, "adcl %ecx, (%rbx)", FIN(0x1), RW(0xfee00000, 4, 0xe1f0091d), FL(0x8d5, 0x84)) \
	X(sbb_cin, 64, "sbbl %ecx, (%rbx)", FIN(0x1), RW(0xfee00000, 4, 0xe1f00913), FL(0x8d5, 0x80)) \
	X(add_zero, 64, "addl $1, (%rbx)", MVAL(0xffffffff), RW(0xfee00000, 4, 0x0), FL(0x8d5, 0x55)) \
	X(add_of, 64, "addb $1, (%rbx)", MVAL(0x7f), RW(0xfee00000, 1, 0x80), FL(0x8d5, 0x890)) \
	X(sub_borrow, 64, "subw $1, (%rbx)", MVAL(0x0), RW(0xfee00000, 2, 0xffff), FL(0x8d5, 0x95)) \
	X(cmp_equal, 64, "cmpq $-1, (%rbx)", MVAL(0xffffffffffffffff), R(0xfee00000, 8), FL(0x8d5, 0x44)) \
	X(cmp_of, 64, "cmpl $1, (%rbx)", MVAL(0x80000000), R(0xfee00000, 4), FL(0x8d5, 0x814)) \
	X(xor_self_pf, 64, "xorb $0x3, (%rbx)", MVAL(0x3), RW(0xfee00000, 1, 0x0), FL(0x8d5, 0x44)) \
	X(test_mr, 64, "test %ecx, (%rbx)", R(0xfee00000, 4), FL(0x8d5, 0x44), OP(TEST, 4)) \
	X(testb_mr, 64, "test %cl, (%rbx)", R(0xfee00000, 1), FL(0x8d5, 0x44), OP(TEST, 1)) \
	X(testq_mr, 64, "test %r9, (%rbx)", R(0xfee00000, 8), FL(0x8d5, 0x0), OP(TEST, 8)) \
	X(testl_imm, 64, "testl $0x100, (%rbx)", R(0xfee00000, 4), FL(0x8d5, 0x4), OP(TEST, 4)) \
	X(testb_imm, 64, "testb $0x18, (%rbx)", R(0xfee00000, 1), FL(0x8d5, 0x4), OP(TEST, 1)) \
	X(testw_imm, 64, "testw $0x8000, (%rbx)", R(0xfee00000, 2), FL(0x8d5, 0x44), OP(TEST, 2)) \
	X(testq_imm, 64, "testq $-1, (%rbx)", R(0xfee00000, 8), FL(0x8d5, 0x84), OP(TEST, 8)) \
	X(lock_add, 64, "lock addl %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f0091c), OP(ADD, 4)) \
	X(lock_or_imm, 64, "lock orl $1, (%rbx)", RW(0xfee00000, 4, 0xe1f00919), OP(OR, 4)) \
	X(lock_mov, 64, ".byte 0xf0, 0x89, 0x0b", UD) \
	X(lock_cmp, 64, ".byte 0xf0, 0x39, 0x0b", UD) \
	X(lock_cmp_imm, 64, ".byte 0xf0, 0x83, 0x3b, 0x01", UD) \
	X(lock_regdst, 64, ".byte 0xf0, 0x03, 0x0b", UD) \
	X(lock_regform, 64, ".byte 0xf0, 0x01, 0xc8", UD) \
	X(lock_test, 64, ".byte 0xf0, 0x85, 0x0b", UD) \
	X(lock_bt, 64, ".byte 0xf0, 0x0f, 0xa3, 0x0b", UD) \
	X(lock_rex_ignored, 64, ".byte 0x48, 0xf0, 0x01, 0x0b", RW(0xfee00000, 4, 0xe1f0091c), OP(ADD, 4)) \
	X(xchg32, 64, "xchg %ecx, (%rbx)", RW(0xfee00000, 4, 0x4), C1(RCX, 0xe1f00918), OP(XCHG, 4)) \
	X(xchg64, 64, "xchg (%rbx), %r9", RW(0xfee00000, 8, 0x123456789abcdef), C1(R9, 0xa5b4c3d2e1f00918), OP(XCHG, 8)) \
	X(xchg8, 64, "xchg %cl, (%rbx)", RW(0xfee00000, 1, 0x4), C1(RCX, 0x18), OP(XCHG, 1)) \
	X(xchg8_ah, 64, "xchg %ah, (%rbx)", RW(0xfee00000, 1, 0x77), C1(RAX, 0x1122334455661888), OP(XCHG, 1)) \
	X(xchg16, 64, "xchg %dx, (%rbx)", RW(0xfee00000, 2, 0xff11), C1(RDX, 0x99aabbccddee0918), OP(XCHG, 2)) \
	X(lock_xchg, 64, "lock xchg %ecx, (%rbx)", RW(0xfee00000, 4, 0x4), C1(RCX, 0xe1f00918), OP(XCHG, 4)) \
	X(cmpxchg32_ok, 64, "cmpxchg %ecx, (%rbx)", MVAL(0x55667788), RW(0xfee00000, 4, 0x4), FL(0x8d5, 0x44), OP(CMPXCHG, 4)) \
	X(cmpxchg32_fail, 64, "cmpxchg %ecx, (%rbx)", MVAL(0xa5b4c3d2e1f00918), RW(0xfee00000, 4, 0xe1f00918), C1(RAX, 0xe1f00918), FL(0x8d5, 0x1), OP(CMPXCHG, 4)) \
	X(cmpxchg8_ok, 64, "lock cmpxchg %dl, (%rbx)", MVAL(0x88), RW(0xfee00000, 1, 0x11), FL(0x8d5, 0x44), OP(CMPXCHG, 1)) \
	X(cmpxchg8_fail, 64, "cmpxchg %dl, (%rbx)", MVAL(0x99), RW(0xfee00000, 1, 0x99), C1(RAX, 0x1122334455667799), FL(0x8d5, 0x91), OP(CMPXCHG, 1)) \
	X(cmpxchg64_ok, 64, "lock cmpxchg %r9, (%rbx)", MVAL(0x1122334455667788), RW(0xfee00000, 8, 0x123456789abcdef), FL(0x8d5, 0x44), OP(CMPXCHG, 8)) \
	X(cmpxchg64_fail, 64, "cmpxchg %r9, (%rbx)", MVAL(0xa5b4c3d2e1f00918), RW(0xfee00000, 8, 0xa5b4c3d2e1f00918), C1(RAX, 0xa5b4c3d2e1f00918), FL(0x8d5, 0x1), OP(CMPXCHG, 8)) \
	X(cmpxchg16_fail, 64, "cmpxchg %r9w, (%rbx)", MVAL(0xa5b4c3d2e1f00918), RW(0xfee00000, 2, 0x918), C1(RAX, 0x1122334455660918), FL(0x8d5, 0x0), OP(CMPXCHG, 2)) \
	X(btl_imm3, 64, "btl $3, (%rbx)", R(0xfee00000, 4), FL(0x1, 0x1), OP(BT, 4)) \
	X(btq_imm35, 64, "btq $35, (%rbx)", R(0xfee00000, 8), FL(0x1, 0x0), OP(BT, 8)) \
	X(btw_imm15, 64, "btw $15, (%rbx)", R(0xfee00000, 2), FL(0x1, 0x0), OP(BT, 2)) \
	X(btl_reg, 64, "btl %ecx, (%rbx)", R(0xfee00000, 4), FL(0x1, 0x1), OP(BT, 4)) \
	X(btsl_imm3, 64, "btsl $3, (%rbx)", RW(0xfee00000, 4, 0xe1f00918), FL(0x1, 0x1), OP(BTS, 4)) \
	X(btsq_imm35, 64, "btsq $35, (%rbx)", RW(0xfee00000, 8, 0xa5b4c3dae1f00918), FL(0x1, 0x0), OP(BTS, 8)) \
	X(btsw_imm15, 64, "btsw $15, (%rbx)", RW(0xfee00000, 2, 0x8918), FL(0x1, 0x0), OP(BTS, 2)) \
	X(btsl_reg, 64, "btsl %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f00918), FL(0x1, 0x1), OP(BTS, 4)) \
	X(btrl_imm3, 64, "btrl $3, (%rbx)", RW(0xfee00000, 4, 0xe1f00910), FL(0x1, 0x1), OP(BTR, 4)) \
	X(btrq_imm35, 64, "btrq $35, (%rbx)", RW(0xfee00000, 8, 0xa5b4c3d2e1f00918), FL(0x1, 0x0), OP(BTR, 8)) \
	X(btrw_imm15, 64, "btrw $15, (%rbx)", RW(0xfee00000, 2, 0x918), FL(0x1, 0x0), OP(BTR, 2)) \
	X(btrl_reg, 64, "btrl %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f00908), FL(0x1, 0x1), OP(BTR, 4)) \
	X(btcl_imm3, 64, "btcl $3, (%rbx)", RW(0xfee00000, 4, 0xe1f00910), FL(0x1, 0x1), OP(BTC, 4)) \
	X(btcq_imm35, 64, "btcq $35, (%rbx)", RW(0xfee00000, 8, 0xa5b4c3dae1f00918), FL(0x1, 0x0), OP(BTC, 8)) \
	X(btcw_imm15, 64, "btcw $15, (%rbx)", RW(0xfee00000, 2, 0x8918), FL(0x1, 0x0), OP(BTC, 2)) \
	X(btcl_reg, 64, "btcl %ecx, (%rbx)", RW(0xfee00000, 4, 0xe1f00908), FL(0x1, 0x1), OP(BTC, 4)) \
	X(btsl_reg_far, 64, "btsl %ecx, (%rbx)", SET(RCX, 35), RW(0xfee00004, 4, 0xe1f00918), FL(0x1, 0x1)) \
	X(btl_reg_neg, 64, "btl %ecx, (%rbx)", SET(RCX, 0xffffffff), R(0xfedffffc, 4), FL(0x1, 0x1)) \
	X(btrq_reg_far, 64, "btrq %rcx, (%rbx)", SET(RCX, 71), RW(0xfee00008, 8, 0xa5b4c3d2e1f00918), FL(0x1, 0x0)) \
	X(btw_reg_neg, 64, "btw %cx, (%rbx)", SET(RCX, 0xfff2), R(0xfedffffe, 2), FL(0x1, 0x0)) \
	X(lock_bts, 64, "lock btsl $1, (%rbx)", RW(0xfee00000, 4, 0xe1f0091a), FL(0x1, 0)) \
	X(bt_ud, 64, ".byte 0x0f, 0xba, 0x13, 0x01", UD) \
	X(stosb, 64, "stosb", W(0xfed00000, 1, 0x88), C1(RDI, 0xfed00001), OP(STOS, 1)) \
	X(stosw, 64, "stosw", W(0xfed00000, 2, 0x7788), C1(RDI, 0xfed00002), OP(STOS, 2)) \
	X(stosl, 64, "stosl", W(0xfed00000, 4, 0x55667788), C1(RDI, 0xfed00004), OP(STOS, 4)) \
	X(stosq, 64, "stosq", W(0xfed00000, 8, 0x1122334455667788), C1(RDI, 0xfed00008), OP(STOS, 8)) \
	X(stosl_df, 64, "stosl", FIN(0x400), W(0xfed00000, 4, 0x55667788), C1(RDI, 0xfecffffc)) \
	X(stos_a32, 64, "addr32 stosl", SET(RDI, 0xfffffffffed00000), W(0xfed00000, 4, 0x55667788), C1(RDI, 0xfed00004)) \
	X(movsl_to_mmio, 64, "movsl", SET(RSI, 0x200018), W(0xfed00000, 4, 0xc0b9b2ab), C1(RSI, 0x20001c), C2(RDI, 0xfed00004), OP(MOVS, 4)) \
	X(movsq_to_mmio, 64, "movsq", SET(RSI, 0x200020), W(0xfed00000, 8, 0x140d06fff8f1eae3), C1(RSI, 0x200028), C2(RDI, 0xfed00008)) \
	X(movsb_from_mmio, 64, "movsb", SET(RSI, 0xfee00033), SET2(RDI, 0x200040), R(0xfee00033, 1), C1(RSI, 0xfee00034), C2(RDI, 0x200041), OP(MOVS, 1)) \
	X(movsw_same_off, 64, "movsw", SET(RSI, 0x201000), W(0xfed00000, 2, 0xa03), C1(RSI, 0x201002), C2(RDI, 0xfed00002)) \
	X(movs_fs_src, 64, "movsl %fs:(%rsi), %es:(%rdi)", FS(0x200000), W(0xfed00000, 4, 0x88817a73), C1(RSI, 0x14), C2(RDI, 0xfed00004)) \
	X(clflush, 64, "clflush (%rbx)", OP(CLFLUSH, 4)) \
	X(clflushopt, 64, "clflushopt 0x40(%rbx)", OP(CLFLUSH, 2)) \
	X(rex_then_66, 64, ".byte 0x48, 0x66, 0x89, 0x0b", W(0xfee00000, 2, 0x4), OP(MOV, 2)) \
	X(66_then_rexw, 64, ".byte 0x66, 0x48, 0x89, 0x0b", W(0xfee00000, 8, 0x4), OP(MOV, 8)) \
	X(two_rex_last, 64, ".byte 0x41, 0x48, 0x89, 0x0b", W(0xfee00000, 8, 0x4), OP(MOV, 8)) \
	X(two_rex_last_b, 64, ".byte 0x48, 0x41, 0x89, 0x0b", W(0x80, 4, 0x4), OP(MOV, 4)) \
	X(rex_sil, 64, ".byte 0x40, 0x88, 0x33", W(0xfee00000, 1, 0x10), OP(MOV, 1)) \
	X(norex_dh, 64, ".byte 0x88, 0x33", W(0xfee00000, 1, 0xff), OP(MOV, 1)) \
	X(rex_r_r9, 64, ".byte 0x4c, 0x89, 0x0b", W(0xfee00000, 8, 0x123456789abcdef), OP(MOV, 8)) \
	X(rex_x_index, 64, ".byte 0x42, 0x89, 0x0c, 0x1b", W(0xfee00080, 4, 0x4), OP(MOV, 4)) \
	X(rex_x_r12_index, 64, ".byte 0x42, 0x89, 0x0c, 0x23", W(0x1fdc00020, 4, 0x4), OP(MOV, 4)) \
	X(rex_b_r13_nobase, 64, ".byte 0x41, 0x89, 0x0c, 0x25, 0x00, 0x00, 0xe0, 0x7e", W(0x7ee00000, 4, 0x4), OP(MOV, 4)) \
	X(len15, 64, ".byte 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x0b", W(0xfee00000, 2, 0x4), OP(MOV, 2)) \
	X(len16, 64, ".byte 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x89, 0x0b", EXC(13), DEC(X86_DECODE_TOO_LONG)) \
	X(len15_imm, 64, ".byte 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0xc7, 0x83, 0x00, 0x01, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12", W(0xfee00100, 4, 0x12345678), OP(MOV, 4)) \
	X(len16_imm, 64, ".byte 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0xc7, 0x83, 0x00, 0x01, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12", EXC(13), DEC(X86_DECODE_TOO_LONG)) \
	X(rep_on_mov, 64, ".byte 0xf3, 0x89, 0x0b", W(0xfee00000, 4, 0x4), OP(MOV, 4)) \
	X(no_ud2, 64, "ud2", UNH) \
	X(no_not_mem, 64, "notl (%rbx)", UNH) \
	X(no_inc_mem, 64, "incl (%rbx)", UNH) \
	X(no_movdqa, 64, "movdqa (%rbx), %xmm0", UNH) \
	X(no_pop_mem, 64, "popq (%rbx)", UNH) \
	X(no_push_mem, 64, "pushq (%rbx)", UNH) \
	X(no_movsd_sse, 64, "movsd (%rbx), %xmm1", UNH) \
	X(no_mov_seg, 64, "mov (%rbx), %ds", UNH) \
	X(no_cmpsb, 64, "cmpsb", UNH) \
	X(no_lodsl, 64, "lodsl", UNH) \
	X(no_scasb, 64, "scasb", UNH) \
	X(no_neg_mem, 64, "negl (%rbx)", UNH) \
	X(no_mul_mem, 64, "mull (%rbx)", UNH) \
	X(no_shl_mem, 64, "shll (%rbx)", UNH) \
	X(no_fxsave, 64, "fxsave (%rbx)", UNH) \
	X(no_mfence, 64, "mfence", UNH) \
	X(no_hlt, 64, "hlt", UNH) \
	X(no_nop, 64, "nop", UNH) \
	X(no_int3, 64, "int3", UNH) \
	X(no_vmovdqu, 64, "vmovdqu (%rbx), %ymm0", UNH) \
	X(reg_only, 64, "mov %ebx, %eax", REFUSE, OP(MOV, 4)) \
	X(reg_only_movzx, 64, "movzbl %bl, %eax", REFUSE, OP(MOVZX, 4)) \
	X(c6_reg1, 64, ".byte 0xc6, 0x0b, 0x00", UD) \
	X(c7_reg7, 64, ".byte 0xc7, 0x3b, 0x00, 0x00, 0x00, 0x00", UD) \
	X(mismatch, 64, "mov %ecx, (%rbx)", GPA(0xfee00004), REFUSE) \
	X(page_cross, 64, "mov %rcx, 0xffc(%rbx)", GPA(0xfee00ffc), REFUSE) \
	X(noncanon_gp, 64, "mov %ecx, (%r14)", GPA(0x1), EXC(13)) \
	X(noncanon_ss, 64, "mov %ecx, (%rsp)", SET(RSP, 0x8000000000000000), EXC(12)) \
	X(noncanon_fs, 64, "mov %ecx, %fs:(%rbx)", FS(0x7fffffffffff0000), EXC(13)) \
	X(p_mov, 32, "mov %ecx, (%ebx)", W(0xfee00000, 4, 0x4), OP(MOV, 4)) \
	X(p_mov16, 32, "mov %cx, 0x10(%ebx)", W(0xfee00010, 2, 0x4), OP(MOV, 2)) \
	X(p_mov8_ah, 32, "mov %ah, (%ebx,%esi,4)", W(0xfee00040, 1, 0x77), OP(MOV, 1)) \
	X(p_ld, 32, "mov 0x8(%ebx), %edx", R(0xfee00008, 4), C1(RDX, 0xe1f00918), OP(MOV, 4)) \
	X(p_abs, 32, "mov %ecx, 0xfee00040", W(0xfee00040, 4, 0x4), OP(MOV, 4)) \
	X(p_moffs, 32, "mov 0xfee00030, %eax", R(0xfee00030, 4), C1(RAX, 0xe1f00918), OP(MOV, 4)) \
	X(p_moffs16, 32, "mov %ax, 0xfee00032", W(0xfee00032, 2, 0x7788), OP(MOV, 2)) \
	X(p_ss_ebp, 32, "mov %ecx, 0x10(%ebp)", SS(0x1000), W(0xfec01010, 4, 0x4)) \
	X(p_ds_base, 32, "mov %ecx, (%ebx)", DS(0x100), W(0xfee00100, 4, 0x4)) \
	X(p_fs, 32, "mov %ecx, %fs:(%esi)", FS(0xfee00000), W(0xfee00010, 4, 0x4)) \
	X(p_wrap, 32, "mov %ecx, 0x10(%ebx)", DS(0x01200000), W(0x10, 4, 0x4)) \
	X(p_movzx, 32, "movzwl (%ebx), %ecx", R(0xfee00000, 2), C1(RCX, 0x918), OP(MOVZX, 4)) \
	X(p_movsx, 32, "movsbw (%ebx), %cx", MVAL(0x80), R(0xfee00000, 1), C1(RCX, 0xff80), OP(MOVSX, 2)) \
	X(p_imm, 32, "movl $0x1234, (%ebx)", W(0xfee00000, 4, 0x1234)) \
	X(p_addr16, 32, "addr16 mov %ecx, 0x10(%bx,%si)", DS(0xf0000), W(0xf0020, 4, 0x4)) \
	X(p_and, 32, "andl $0xff, (%ebx)", RW(0xfee00000, 4, 0x18), FL(0x8d5, 0x4)) \
	X(p_stosl, 32, "stosl", W(0xfed00000, 4, 0x55667788), C1(RDI, 0xfed00004)) \
	X(p_movnti, 32, "movnti %ecx, (%ebx)", W(0xfee00000, 4, 0x4)) \
	X(p_inc_is_not_rex, 32, ".byte 0x48, 0x89, 0x0b", UNH) \
	X(p_arpl, 32, ".byte 0x63, 0x0b", UNH) \
	X(p_len16, 32, ".byte 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x89, 0x0b", EXC(13), DEC(X86_DECODE_TOO_LONG)) \
	X(r_bx_si, 16, "mov %ax, (%bx,%si)", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0xf0010, 2, 0x7788), OP(MOV, 2)) \
	X(r_bp_d8, 16, "mov %ax, 0x20(%bp)", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0x20020, 2, 0x7788)) \
	X(r_bp_di, 16, "mov %cl, (%bp,%di)", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0x20000, 1, 0x4)) \
	X(r_disp16, 16, "mov %ax, 0x1234", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0xf1234, 2, 0x7788)) \
	X(r_si_d16, 16, "mov (%si), %ecx", DS(0xf0000), ES(0xf0000), SS(0x20000), R(0xf0010, 4), C1(RCX, 0xe1f00918), OP(MOV, 4)) \
	X(r_bx_d16neg, 16, "movb $1, -0x10(%bx)", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0xffff0, 1, 0x1)) \
	X(r_ds_bp_override, 16, "mov %ax, %ds:0x8(%bp)", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0xf0008, 2, 0x7788)) \
	X(r_addr32, 16, "addr32 mov %ax, 0x10(%esi)", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0xf0020, 2, 0x7788)) \
	X(r_moffs, 16, "mov 0x40, %al", DS(0xf0000), ES(0xf0000), SS(0x20000), R(0xf0040, 1), C1(RAX, 0x1122334455667718)) \
	X(r_stosw, 16, "stosw", DS(0xf0000), ES(0xf0000), SS(0x20000), W(0xf0000, 2, 0x7788), C1(RDI, 0xfed00002)) \
	X(r_movzx, 16, "movzbw (%bx), %dx", DS(0xf0000), ES(0xf0000), SS(0x20000), R(0xf0000, 1), C1(RDX, 0x99aabbccddee0018))

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

/* ---- the fake vCPU: code, RAM and an MMIO bus that logs ---- */

struct access {
	bool write;
	uint64_t gpa, val;
	unsigned int size;
};

static struct fake {
	uint8_t code[32];
	unsigned int code_len;		/* fetchable bytes at code_la */
	uint64_t code_la;
	uint8_t ram[RAM_SIZE];
	uint64_t mval;
	bool mmio_fail;
	unsigned int bad_calls;		/* callbacks asked something illegal */
	unsigned int n;
	struct access log[8192];
} fk;

static int fake_fetch(void *opaque, uint64_t gva, uint8_t *buf,
		      unsigned int len)
{
	(void)opaque;
	if (!len || len > X86_MAX_INSN_LEN ||
	    (gva & 0xfff) + len > 0x1000)
		fk.bad_calls++;
	if (gva < fk.code_la || gva - fk.code_la + len > fk.code_len)
		return -1;
	memcpy(buf, fk.code + (gva - fk.code_la), len);
	return 0;
}

static int fake_mmio(bool write, uint64_t gpa, uint64_t *val,
		     unsigned int size)
{
	struct access *a;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		fk.bad_calls++;
	if (fk.n >= ARRAY_SIZE(fk.log) || fk.mmio_fail)
		return -1;
	a = &fk.log[fk.n++];
	a->write = write;
	a->gpa = gpa;
	a->size = size;
	if (write)
		a->val = *val;
	else
		*val = fk.mval;		/* junk above size: must be masked */
	return 0;
}

static int fake_mmio_read(void *opaque, uint64_t gpa, uint64_t *val,
			  unsigned int size)
{
	(void)opaque;
	return fake_mmio(false, gpa, val, size);
}

static int fake_mmio_write(void *opaque, uint64_t gpa, uint64_t val,
			   unsigned int size)
{
	(void)opaque;
	return fake_mmio(true, gpa, &val, size);
}

static bool in_ram(uint64_t gva, unsigned int len)
{
	if (len > 8)
		fk.bad_calls++;
	return gva >= RAM_BASE && gva - RAM_BASE + len <= RAM_SIZE;
}

static int fake_mem_read(void *opaque, uint64_t gva, void *buf,
			 unsigned int len)
{
	(void)opaque;
	if (!in_ram(gva, len))
		return -1;
	memcpy(buf, fk.ram + (gva - RAM_BASE), len);
	return 0;
}

static int fake_mem_write(void *opaque, uint64_t gva, const void *buf,
			  unsigned int len)
{
	(void)opaque;
	if (!in_ram(gva, len))
		return -1;
	memcpy(fk.ram + (gva - RAM_BASE), buf, len);
	return 0;
}

static uint8_t ram_pattern(uint64_t gva)
{
	return (uint8_t)(gva * 7 + 3);
}

static uint64_t rip_for(int mode)
{
	return mode == 64 ? 0xffffffff81000000ull :
	       mode == 32 ? 0x00100000 : 0x7c00;
}

/* A fresh vCPU in the given mode with the code at RIP. */
static void fake_setup(struct x86_emul_ctx *ctx, struct x86_regs *regs,
		       int mode, const uint8_t *code, unsigned int len)
{
	unsigned int i;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = mode;
	ctx->fetch = fake_fetch;
	ctx->mmio_read = fake_mmio_read;
	ctx->mmio_write = fake_mmio_write;
	ctx->mem_read = fake_mem_read;
	ctx->mem_write = fake_mem_write;
	memset(regs, 0, sizeof(*regs));
	memcpy(regs->gpr, init_gpr, sizeof(init_gpr));
	regs->rip = rip_for(mode);
	regs->rflags = RFLAGS_INIT;
	memset(fk.code, 0xcc, sizeof(fk.code));
	memcpy(fk.code, code, len);
	fk.code_len = X86_MAX_INSN_LEN;
	fk.code_la = regs->rip;
	for (i = 0; i < RAM_SIZE; i++)
		fk.ram[i] = ram_pattern(RAM_BASE + i);
	fk.mval = MV;
	fk.mmio_fail = false;
	fk.bad_calls = 0;
	fk.n = 0;
}

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

static int run_bytes(struct x86_emul_ctx *ctx, struct x86_regs *regs,
		     uint64_t gpa, struct x86_emul_result *res)
{
	return x86_emulate_mmio(ctx, regs, gpa, res);
}

static void test_rep_stos(void)
{
	static const uint8_t rep_stosl[] = { 0xf3, 0xab };
	struct x86_emul_result res;
	struct x86_emul_ctx ctx;
	struct x86_regs regs;
	unsigned int i;

	fake_setup(&ctx, &regs, 64, rep_stosl, 2);
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
	regs.gpr[X86_RSI] = 0xfee00000;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00000, &res),
		  X86EMUL_UNHANDLEABLE);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(regs.gpr[X86_RCX], init_gpr[X86_RCX]);

	/* Neither side at the faulting address: refused. */
	fake_setup(&ctx, &regs, 64, rep_movsl, 2);
	regs.gpr[X86_RSI] = RAM_BASE + 4;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfed00008, &res),
		  X86EMUL_UNHANDLEABLE);
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
	regs.rip = 0x400ffd;
	fk.code_la = regs.rip;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res), X86EMUL_OK);
	EXPECT_EQ(fk.bad_calls, 0);
	EXPECT_EQ(fk.n, 1);
	EXPECT_EQ(fk.log[0].val, 0x11223344);
	EXPECT_EQ(regs.rip, 0x400ffd + sizeof(insn));

	/* Second page missing but not needed. */
	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	regs.rip = 0x400ff9;
	fk.code_la = regs.rip;
	fk.code_len = 7;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res), X86EMUL_OK);

	/* Second page missing and needed: refused, nothing done. */
	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	regs.rip = 0x400ffd;
	fk.code_la = regs.rip;
	fk.code_len = 3;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res),
		  X86EMUL_UNHANDLEABLE);
	EXPECT_EQ(fk.n, 0);
	EXPECT_EQ(res.nbytes, 3);

	/* Nothing fetchable. */
	fake_setup(&ctx, &regs, 64, insn, sizeof(insn));
	fk.code_len = 0;
	EXPECT_EQ(run_bytes(&ctx, &regs, 0xfee00040, &res),
		  X86EMUL_UNHANDLEABLE);

	/* 32-bit: CS base applies, EIP wraps. */
	fake_setup(&ctx, &regs, 32, insn, sizeof(insn));
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
	KTAP_CASE(test_decode_limit),
	KTAP_CASE(test_rep_stos),
	KTAP_CASE(test_rep_stos_page_end),
	KTAP_CASE(test_rep_movs),
	KTAP_CASE(test_fetch_split),
	KTAP_CASE(test_mmio_failure),
	KTAP_CASE(test_format),
	KTAP_CASE(test_alu_vs_host),
};

int main(void)
{
	ktap_diag("%zu table rows", ARRAY_SIZE(rows));
	return ktap_run(cases, ARRAY_SIZE(cases));
}
