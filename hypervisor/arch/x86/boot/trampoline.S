/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Application processor start-up.  smp.c copies this blob to
 * AP_TRAMPOLINE_ADDR and fills in its parameter block; a SIPI starts the
 * AP in real mode at that address, and the code below walks it through
 * protected mode into long mode on the boot CPU's page tables.
 */
#include <asm/layout.h>

#define TRAMP(sym) (AP_TRAMPOLINE_ADDR + ((sym) - ap_trampoline_start))

	.section .rodata
	.code16
	.globl ap_trampoline_start, ap_trampoline_end
	.globl ap_tramp_cr3, ap_tramp_stack, ap_tramp_arg, ap_tramp_entry
ap_trampoline_start:
	cli
	cld
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	(ap_tramp_gdt_desc - ap_trampoline_start)
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$GDT_CS32, $TRAMP(ap_pm32)

	.code32
ap_pm32:
	mov	$GDT_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%cr4, %eax
	or	$0x20, %eax			/* PAE */
	mov	%eax, %cr4
	mov	TRAMP(ap_tramp_cr3), %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx
	rdmsr
	or	$0x900, %eax			/* LME | NXE */
	wrmsr
	mov	%cr0, %eax
	or	$0x80010000, %eax		/* PG | WP */
	mov	%eax, %cr0
	ljmp	$GDT_CS64, $TRAMP(ap_lm64)

	.code64
ap_lm64:
	mov	TRAMP(ap_tramp_stack), %rsp
	mov	TRAMP(ap_tramp_arg), %rdi
	mov	TRAMP(ap_tramp_entry), %rax
	xor	%ebp, %ebp
	call	*%rax
1:	cli
	hlt
	jmp	1b

	.align 16
ap_tramp_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: flat data */
	.quad	0x00cf9a000000ffff		/* 0x18: 32-bit code */
ap_tramp_gdt_desc:
	.word	ap_tramp_gdt_desc - ap_tramp_gdt - 1
	.long	TRAMP(ap_tramp_gdt)
	.align 8
ap_tramp_cr3:	.quad 0
ap_tramp_stack:	.quad 0
ap_tramp_arg:	.quad 0
ap_tramp_entry:	.quad 0
ap_trampoline_end:
