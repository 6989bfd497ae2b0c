/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rows of test_x86emul.c's table, one X(name, mode, assembler text,
 * expectations...) per instruction; the macros they use (W, R, C1, OP,
 * DS, ...) are defined there before this file is included.
 */
#ifndef TESTS_UNIT_X86EMUL_ROWS_H
#define TESTS_UNIT_X86EMUL_ROWS_H

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
	X(mismatch, 64, "mov %ecx, (%rbx)", GPA(0xfee00004), RETRY) \
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

#endif
