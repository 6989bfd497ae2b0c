/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multiboot (v1) entry.  The loader leaves us in 32-bit protected mode with
 * paging off, EAX = the Multiboot magic and EBX = the info structure.  We
 * clear .bss, identity map the first 4 GiB with 2 MiB pages, enter long
 * mode and call start_hypervisor(magic, info) on the boot CPU's stack.
 */
#include <asm/layout.h>

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x3		/* page-aligned modules, memory map */

	.section .multiboot, "a"
	.align 4
multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .text.boot, "ax"
	.code32
	.globl multiboot_entry
multiboot_entry:
	cli
	cld
	mov	%eax, %ebp			/* keep magic and info safe */
	mov	%ebx, %esi

	/* .bss is not file-backed: a loader need not have zeroed it. */
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb

	/* PML4[0] -> PDPT; PDPT[0..3] -> four page directories. */
	mov	$boot_pdpt, %eax
	or	$0x3, %eax
	mov	%eax, boot_pml4
	mov	$boot_pd, %eax
	or	$0x3, %eax
	xor	%ecx, %ecx
1:	mov	%eax, boot_pdpt(,%ecx,8)
	add	$0x1000, %eax
	inc	%ecx
	cmp	$4, %ecx
	jne	1b

	/* 2048 large pages of 2 MiB: [0, 4 GiB). */
	xor	%ecx, %ecx
	mov	$0x83, %eax			/* present, writable, large */
2:	mov	%eax, boot_pd(,%ecx,8)
	movl	$0, boot_pd+4(,%ecx,8)
	add	$0x200000, %eax
	inc	%ecx
	cmp	$2048, %ecx
	jne	2b

	lgdt	boot_gdt_desc
	mov	%cr4, %eax
	or	$0x20, %eax			/* PAE */
	mov	%eax, %cr4
	mov	$boot_pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx		/* EFER */
	rdmsr
	or	$0x900, %eax			/* LME | NXE */
	wrmsr
	mov	%cr0, %eax
	or	$0x80010001, %eax		/* PG | WP | PE */
	mov	%eax, %cr0
	ljmp	$GDT_CS64, $long_entry

	.code64
long_entry:
	mov	$GDT_DS, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	xor	%eax, %eax
	mov	%ax, %fs
	mov	%ax, %gs
	mov	%ebp, %edi			/* magic, zero-extended */
	mov	%esi, %esi			/* info, zero-extended */
	lea	bsp_stack + HV_STACK_SIZE(%rip), %rsp
	xor	%ebp, %ebp			/* end of frame chain */
	call	start_hypervisor
4:	cli
	hlt
	jmp	4b

	.section .rodata
	.align 16
	.globl boot_gdt
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: flat data */
	.quad	0x00cf9a000000ffff		/* 0x18: 32-bit code */
boot_gdt_end:
boot_gdt_desc:
	.word	boot_gdt_end - boot_gdt - 1
	.quad	boot_gdt

	.section .bss.pagetables, "aw", @nobits
	.align 4096
	.globl boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt:
	.skip	4096
boot_pd:
	.skip	4 * 4096

	.section .bss
	.align HV_STACK_SIZE
	.globl bsp_stack
bsp_stack:
	.skip	HV_STACK_SIZE
