/* SPDX-License-Identifier: GPL-2.0 */
/* The SVM virtual machine control block (AMD APM vol. 2, appendix B). */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

struct vmcb_seg {
	uint16_t sel;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
};

struct vmcb_control {
	uint32_t intercept_cr;		/* 0x000 */
	uint32_t intercept_dr;		/* 0x004 */
	uint32_t intercept_exceptions;	/* 0x008 */
	uint32_t intercept_misc1;	/* 0x00c */
	uint32_t intercept_misc2;	/* 0x010 */
	uint32_t intercept_misc3;	/* 0x014 */
	uint8_t reserved1[0x3c - 0x18];
	uint16_t pause_filter_thresh;	/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t asid;			/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t reserved2[3];
	uint32_t int_ctl;		/* 0x060 */
	uint32_t int_vector;		/* 0x064 */
	uint64_t int_state;		/* 0x068 */
	uint64_t exit_code;		/* 0x070 */
	uint64_t exit_info1;		/* 0x078 */
	uint64_t exit_info2;		/* 0x080 */
	uint64_t exit_int_info;		/* 0x088 */
	uint64_t np_enable;		/* 0x090 */
	uint64_t avic_apic_bar;		/* 0x098 */
	uint64_t ghcb_pa;		/* 0x0a0 */
	uint64_t event_inj;		/* 0x0a8 */
	uint64_t n_cr3;			/* 0x0b0 */
	uint64_t virt_ext;		/* 0x0b8 */
	uint32_t clean;			/* 0x0c0 */
	uint32_t reserved3;
	uint64_t next_rip;		/* 0x0c8 */
	uint8_t insn_len;		/* 0x0d0 */
	uint8_t insn_bytes[15];
	uint8_t reserved4[0x400 - 0xe0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400 */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 */
	uint8_t reserved1[0xcb - 0xa0];
	uint8_t cpl;				/* 0x4cb */
	uint32_t reserved2;
	uint64_t efer;				/* 0x4d0 */
	uint8_t reserved3[0x148 - 0xd8];
	uint64_t cr4;				/* 0x548 */
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;
	uint64_t rip;				/* 0x578 */
	uint8_t reserved4[0x1d8 - 0x180];
	uint64_t rsp;				/* 0x5d8 */
	uint8_t reserved5[0x1f8 - 0x1e0];
	uint64_t rax;				/* 0x5f8 */
	uint64_t star, lstar, cstar, sfmask;	/* 0x600 */
	uint64_t kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2;				/* 0x640 */
	uint8_t reserved6[0x268 - 0x248];
	uint64_t g_pat;				/* 0x668 */
	uint8_t reserved7[0xc00 - 0x270];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(offsetof(struct vmcb, control.n_cr3) == 0xb0, "n_cr3");
_Static_assert(offsetof(struct vmcb, control.insn_len) == 0xd0, "insn");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "cpl");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "efer");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "cr4");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "rip");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "rsp");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "rax");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "cr2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "g_pat");

/* intercept_cr: reads of CRn are bit n, writes bit 16 + n */
#define INTERCEPT_CR0_READ	(1u << 0)
#define INTERCEPT_CR3_READ	(1u << 3)
#define INTERCEPT_CR4_READ	(1u << 4)
#define INTERCEPT_CR0_WRITE	(1u << 16)
#define INTERCEPT_CR3_WRITE	(1u << 19)
#define INTERCEPT_CR4_WRITE	(1u << 20)

/* intercept_misc1 */
#define INTERCEPT_INTR		(1u << 0)
#define INTERCEPT_NMI		(1u << 1)
#define INTERCEPT_RDPMC		(1u << 15)
#define INTERCEPT_IRET		(1u << 20)
#define INTERCEPT_CPUID		(1u << 18)
#define INTERCEPT_INVD		(1u << 22)
#define INTERCEPT_HLT		(1u << 24)
#define INTERCEPT_INVLPG	(1u << 25)
#define INTERCEPT_INVLPGA	(1u << 26)
#define INTERCEPT_IOIO		(1u << 27)
#define INTERCEPT_MSR		(1u << 28)
#define INTERCEPT_SHUTDOWN	(1u << 31)
/* intercept_misc2 */
#define INTERCEPT_VMRUN		(1u << 0)
#define INTERCEPT_VMMCALL	(1u << 1)
#define INTERCEPT_VMLOAD	(1u << 2)
#define INTERCEPT_VMSAVE	(1u << 3)
#define INTERCEPT_STGI		(1u << 4)
#define INTERCEPT_CLGI		(1u << 5)
#define INTERCEPT_SKINIT	(1u << 6)
#define INTERCEPT_WBINVD	(1u << 9)
#define INTERCEPT_MONITOR	(1u << 10)
#define INTERCEPT_MWAIT		(1u << 11)
#define INTERCEPT_XSETBV	(1u << 13)

/* intercept_exceptions */
#define INTERCEPT_EXC_DB	(1u << 1)
#define INTERCEPT_EXC_PF	(1u << 14)
#define INTERCEPT_EXC_AC	(1u << 17)
/* intercept_dr: reads of DR0-7 in bits 0-7, writes in bits 16-23 */
#define INTERCEPT_DR_ALL	0x00ff00ffu

/* int_ctl */
#define V_IRQ			(1u << 8)
#define V_INTR_PRIO_SHIFT	16
#define V_IGN_TPR		(1u << 20)
#define V_INTR_MASKING		(1u << 24)

/* event_inj and exit_int_info */
#define EVENT_VALID		(1u << 31)
#define EVENT_ERR_VALID		(1u << 11)
#define EVENT_TYPE_INTR		(0u << 8)
#define EVENT_TYPE_EXC		(3u << 8)
#define EVENT_TYPE_SOFT		(4u << 8)	/* INT n */
#define EVENT_TYPE_MASK		(7u << 8)

/* exit codes */
#define SVM_EXIT_READ_CR0	0x000
#define SVM_EXIT_READ_CR3	0x003
#define SVM_EXIT_READ_CR4	0x004
#define SVM_EXIT_WRITE_CR0	0x010
#define SVM_EXIT_WRITE_CR3	0x013
#define SVM_EXIT_WRITE_CR4	0x014
#define SVM_EXIT_READ_DR0	0x020
#define SVM_EXIT_WRITE_DR7	0x03f
#define SVM_EXIT_EXCP_BASE	0x040
#define SVM_EXIT_EXCP_DB	(SVM_EXIT_EXCP_BASE + 1)
#define SVM_EXIT_EXCP_PF	(SVM_EXIT_EXCP_BASE + 14)
#define SVM_EXIT_EXCP_AC	(SVM_EXIT_EXCP_BASE + 17)
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_IRET		0x074
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPG		0x079
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_WBINVD		0x089
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_NPF		0x400
/* NPF EXITINFO1: the access was a write. */
#define NPF_WRITE		(1ull << 1)
#define SVM_EXIT_INVALID	((uint64_t)-1)

/* IOIO exit_info1 */
#define IOIO_IN			(1u << 0)
#define IOIO_STR		(1u << 2)
#define IOIO_REP		(1u << 3)
#define IOIO_SIZE_SHIFT		4
#define IOIO_PORT_SHIFT		16

#endif
