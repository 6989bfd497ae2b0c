/* SPDX-License-Identifier: GPL-2.0 */
/*
 * void svm_vmrun(uint64_t vmcb_pa, struct guest_regs *regs,
 *                uint64_t host_save_pa)
 *
 * Runs the guest once.  The host's FS/GS/TR/LDTR and syscall MSRs are
 * saved with VMSAVE into host_save_pa and restored after the exit, the
 * guest's with VMLOAD/VMSAVE on its VMCB.  VMRUN saves and restores the
 * host's RSP, RIP and RAX itself; all other guest GPRs go through regs.
 * Called with GIF clear.
 */
#define R_RBX	0
#define R_RCX	8
#define R_RDX	16
#define R_RSI	24
#define R_RDI	32
#define R_RBP	40
#define R_R8	48
#define R_R9	56
#define R_R10	64
#define R_R11	72
#define R_R12	80
#define R_R13	88
#define R_R14	96
#define R_R15	104

	.text
	.globl svm_vmrun
svm_vmrun:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	push	%rsi			/* 16(%rsp): regs */
	push	%rdx			/*  8(%rsp): host save area */
	push	%rdi			/*  0(%rsp): vmcb */

	mov	%rdx, %rax
	vmsave
	mov	(%rsp), %rax
	vmload

	mov	R_RBX(%rsi), %rbx
	mov	R_RCX(%rsi), %rcx
	mov	R_RDX(%rsi), %rdx
	mov	R_RDI(%rsi), %rdi
	mov	R_RBP(%rsi), %rbp
	mov	R_R8(%rsi), %r8
	mov	R_R9(%rsi), %r9
	mov	R_R10(%rsi), %r10
	mov	R_R11(%rsi), %r11
	mov	R_R12(%rsi), %r12
	mov	R_R13(%rsi), %r13
	mov	R_R14(%rsi), %r14
	mov	R_R15(%rsi), %r15
	mov	R_RSI(%rsi), %rsi

	vmrun

	/* RAX is the VMCB address again, RSP our stack. */
	vmsave
	mov	16(%rsp), %rax
	mov	%rbx, R_RBX(%rax)
	mov	%rcx, R_RCX(%rax)
	mov	%rdx, R_RDX(%rax)
	mov	%rsi, R_RSI(%rax)
	mov	%rdi, R_RDI(%rax)
	mov	%rbp, R_RBP(%rax)
	mov	%r8, R_R8(%rax)
	mov	%r9, R_R9(%rax)
	mov	%r10, R_R10(%rax)
	mov	%r11, R_R11(%rax)
	mov	%r12, R_R12(%rax)
	mov	%r13, R_R13(%rax)
	mov	%r14, R_R14(%rax)
	mov	%r15, R_R15(%rax)

	mov	8(%rsp), %rax
	vmload
	add	$24, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret
