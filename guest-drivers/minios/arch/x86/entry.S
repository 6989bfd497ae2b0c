/* SPDX-License-Identifier: MIT */
/*
 * Exception, upcall and ring-3 return entry points.  Every stub pushes an
 * error code (a zero where the CPU pushes none) and its vector, then
 * trap_common saves the registers as struct trap_frame (traps.h) and
 * calls trap_dispatch().
 */

	.text
	.code64

.macro TRAP_NOERR vec
	.globl trap_entry_\vec
trap_entry_\vec:
	pushq	$0
	pushq	$\vec
	jmp	trap_common
.endm

.macro TRAP_ERR vec
	.globl trap_entry_\vec
trap_entry_\vec:
	pushq	$\vec
	jmp	trap_common
.endm

TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR 8
TRAP_NOERR 9
TRAP_ERR 10
TRAP_ERR 11
TRAP_ERR 12
TRAP_ERR 13
TRAP_ERR 14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR 17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR 21
TRAP_NOERR 22
TRAP_NOERR 23
TRAP_NOERR 24
TRAP_NOERR 25
TRAP_NOERR 26
TRAP_NOERR 27
TRAP_NOERR 28
TRAP_ERR 29
TRAP_ERR 30
TRAP_NOERR 31
TRAP_NOERR 0xf0

	/* Table of the exception stubs for traps_init(). */
	.section .rodata
	.balign	8
	.globl trap_entry_table
trap_entry_table:
	.irp	vec, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	trap_entry_\vec
	.endr
	.text

trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	trap_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq

/*
 * int64_t user_run_raw(uint64_t rip, uint64_t rsp): enter ring 3 with iretq.
 * The way back is user_exit_entry (int 0x80, DPL 3) or user_abort() from
 * an exception taken in ring 3; both restore the callee-saved registers
 * and the stack saved here.
 */
	.globl user_run_raw
user_run_raw:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, user_saved_rsp(%rip)
	pushq	$0x1b		/* USER_DS */
	pushq	%rsi
	pushq	$0x2		/* interrupts stay off in ring 3 */
	pushq	$0x23		/* USER_CS */
	pushq	%rdi
	iretq

	.globl user_exit_entry
user_exit_entry:
	movq	%rdi, %rax
	jmp	user_return

/* void user_abort(int64_t result): called by trap_dispatch() in C. */
	.globl user_abort
user_abort:
	movq	%rdi, %rax
user_return:
	movq	user_saved_rsp(%rip), %rsp
	movl	$0x10, %ecx
	movl	%ecx, %ds
	movl	%ecx, %es
	movl	%ecx, %ss
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/*
 * The ring-3 program: a VERSION hypercall from CPL 3, its result handed
 * back in RDI through int 0x80.  Copied into a user page, so it must be
 * position independent.
 */
	.section .rodata
	.globl user_hypercall_code
user_hypercall_code:
	xorl	%eax, %eax	/* PVKIT_HC_VERSION */
	vmmcall
	movq	%rax, %rdi
	int	$0x80
	ud2
	.globl user_hypercall_code_end
user_hypercall_code_end:

	.bss
	.balign	8
user_saved_rsp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
