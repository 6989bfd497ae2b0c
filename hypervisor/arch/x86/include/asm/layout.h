/* SPDX-License-Identifier: GPL-2.0 */
/* Fixed addresses and sizes of the hypervisor's own memory layout. */
#ifndef ASM_LAYOUT_H
#define ASM_LAYOUT_H

#define HV_LOAD_ADDR		0x100000	/* 1 MiB, Multiboot's usual */
#define HV_STACK_ORDER		14		/* 16 KiB per-pCPU stacks */
#define HV_STACK_SIZE		(1 << HV_STACK_ORDER)
#define AP_TRAMPOLINE_ADDR	0x8000		/* real-mode start of APs */

#define GDT_CS64		0x08
#define GDT_DS			0x10
#define GDT_CS32		0x18
#define GDT_TSS			0x20		/* 16-byte system descriptor */

#endif
