/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of the Multiboot test kernel (tests/suites/49-multiboot-guests):
 * the header (ELF, or with address fields when built with -DAOUT), a
 * stack, and the loader's EAX, EBX and CR0 handed to mbtest_main().
 * With -DLOW the ELF also has a zeroed segment at 16 KiB, where
 * real-mode test code goes and the loader's boot tables would be.
 */
#define MB_FLAGS_BASE	0x00000003	/* page-aligned modules, memory info */
#ifdef AOUT
#define MB_FLAGS	(MB_FLAGS_BASE | 0x00010000)
#else
#define MB_FLAGS	MB_FLAGS_BASE
#endif
	.code32
	.section .text.head, "ax"
	.globl _start
	.align 4
mb_header:
	.long 0x1badb002
	.long MB_FLAGS
	.long -(0x1badb002 + MB_FLAGS)
#ifdef AOUT
	.long mb_header			/* header_addr */
	.long mb_header			/* load_addr: the image's first byte */
	.long _edata			/* load_end_addr */
	.long _end			/* bss_end_addr */
	.long entry			/* entry_addr */
#endif
_start:
entry:
	mov $stack_top, %esp
	mov %cr0, %ecx
	push %ecx
	push %ebx
	push %eax
	call mbtest_main
1:	hlt
	jmp 1b

	.bss
	.align 16
	.space 16384
stack_top:
#ifdef LOW
	.section .low, "aw", @nobits
	.space 4096			/* zeroed by the loader, like .bss */
#endif
	.section .note.GNU-stack, "", @progbits
