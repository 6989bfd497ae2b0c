/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: how a PV guest (Mini-OS) is started.
 *
 * Guest RAM is one range, [0, mem_bytes) in guest-physical space.  The
 * domain builder loads the guest's ELF64 image at its physical load
 * addresses (p_paddr), then places after the image, page aligned and in
 * this order: the start info page, the shared info page, the command line
 * and the boot page tables.  free_gpa is the first page after all of
 * them; [free_gpa, mem_bytes) is free for the guest to use.
 *
 * Entry state of vCPU 0 (the other vCPUs stay offline):
 *   - 64-bit long mode, CR0.PG|PE, CR4.PAE, EFER.LME|LMA|NXE;
 *   - CR3 = boot page tables identity-mapping [0, 4 GiB) with 2 MiB pages,
 *     read/write/execute, owned by the guest from now on;
 *   - CS = 0x08 (64-bit code), DS = ES = SS = 0x10 (flat data), in a GDT
 *     inside the boot page table area (GDTR describes it);
 *   - RIP = the ELF entry point, RSI = GPA of struct pvkit_start_info,
 *     RFLAGS = 0x2 (interrupts off), other GPRs zero, RSP zero: the
 *     guest sets up its own stack before using one.
 */
#ifndef PVKIT_START_INFO_H
#define PVKIT_START_INFO_H

#include "types.h"

#define PVKIT_START_INFO_MAGIC		0x314f464e49534b50ull /* "PKSINFO1" */

struct pvkit_start_info {
	uint64_t magic;			/* PVKIT_START_INFO_MAGIC */
	uint32_t abi_version;		/* PVKIT_ABI_VERSION */
	uint32_t flags;			/* none defined yet: zero */
	uint16_t domid;
	uint16_t nr_vcpus;
	uint32_t pad;
	uint64_t mem_bytes;		/* guest RAM is [0, mem_bytes) */
	uint64_t shared_info_gpa;	/* struct pvkit_shared_info */
	uint64_t cmdline_gpa;		/* NUL-terminated */
	uint64_t cmdline_len;		/* bytes, without the NUL */
	uint64_t pt_gpa;		/* boot page tables and GDT ... */
	uint64_t pt_bytes;		/* ... and their size */
	uint64_t free_gpa;		/* first page free for the guest */
	char name[32];			/* domain name, NUL-terminated */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_start_info, 112);

#endif /* PVKIT_START_INFO_H */
