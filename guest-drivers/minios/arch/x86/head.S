/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS entry.  The hypervisor enters _start in 64-bit mode with
 * RSI = GPA of struct pvkit_start_info, RSP = 0 and interrupts off
 * (hypercall-abi/include/pvkit/start_info.h).
 */

	.section .text.boot, "ax"
	.code64
	.globl _start
_start:
	cld
	/*
	 * Zero .bss, but never past the start info page: the domain builder
	 * places it after the image, and an image whose loader treated .bss
	 * as file-backed would otherwise lose it.
	 */
	leaq	__bss_start(%rip), %rdi
	leaq	__bss_end(%rip), %rcx
	cmpq	%rsi, %rcx
	jbe	1f
	cmpq	%rsi, %rdi
	jae	1f
	movq	%rsi, %rcx
1:	subq	%rdi, %rcx
	jbe	2f
	xorl	%eax, %eax
	rep stosb
2:
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movq	%rsi, %rdi
	call	minios_main
3:	cli
	hlt
	jmp	3b

	.section .bss.stack, "aw", @nobits
	.balign	4096
	.globl boot_stack
boot_stack:
	.skip	MINIOS_STACK_BYTES
	.globl boot_stack_top
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
