/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code, copied into a Multiboot domain's RAM: vCPU 0 starts here
 * in 64-bit mode (the only start state vcpu_ops offers) with RSI = the
 * Multiboot info, and leaves long mode the way a 64-bit loader hands
 * over to a 32-bit kernel: through a 32-bit code segment, paging off,
 * EFER cleared, then the Multiboot register state at the entry.  Position
 * independent, in a page of its own; the builder fills mb_tramp_entry.
 */
	.section .rodata, "a"
	.globl mb_tramp_start, mb_tramp_end, mb_tramp_entry
	.code64
	.balign 16
mb_tramp_start:
	lea	mb_tramp_start + 4096(%rip), %rsp	/* the page's top */
	lea	gdt(%rip), %rax
	mov	%rax, gdt_desc + 2(%rip)
	lgdt	gdt_desc(%rip)
	mov	mb_tramp_entry(%rip), %edi
	lea	1f(%rip), %rax
	pushq	$0x08
	pushq	%rax
	lretq
	.code32
1:	mov	%cr0, %eax
	and	$0x7fffffff, %eax
	mov	%eax, %cr0		/* leaves long mode */
	mov	$0xc0000080, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr				/* EFER = 0 */
	mov	%eax, %cr4
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %fs
	mov	%eax, %gs
	mov	%eax, %ss
	mov	%esi, %ebx
	mov	$0x2badb002, %eax
	jmp	*%edi
	.balign 8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf92000000ffff	/* 0x10: flat 32-bit data */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.quad	0
	.balign 4
mb_tramp_entry:
	.long	0
mb_tramp_end:
