/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What amd_vi.c (device table, page tables, commands) and amd_vi_evt.c
 * (the event log and its interrupt) share.  Register and field layouts
 * are the AMD I/O Virtualization Technology (IOMMU) Specification's.
 */
#ifndef AMD_VI_H
#define AMD_VI_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/ivrs.h>
#include <asm/spinlock.h>

/* MMIO registers, offsets in the 16 KiB window. */
#define MMIO_DEVTAB		0x0000
#define MMIO_CMD_BASE		0x0008
#define MMIO_EVT_BASE		0x0010
#define MMIO_CONTROL		0x0018
#define MMIO_EFR		0x0030
#define MMIO_CMD_HEAD		0x2000
#define MMIO_CMD_TAIL		0x2008
#define MMIO_EVT_HEAD		0x2010
#define MMIO_EVT_TAIL		0x2018
#define MMIO_STATUS		0x2020
#define MMIO_WINDOW		0x4000

#define CTL_IOMMU_EN		(1u << 0)
#define CTL_EVT_LOG_EN		(1u << 2)
#define CTL_EVT_INT_EN		(1u << 3)
#define CTL_CMD_BUF_EN		(1u << 12)

#define STS_EVT_OVERFLOW	(1u << 0)	/* write 1 to clear */
#define STS_EVT_INT		(1u << 1)	/* write 1 to clear */

/* Both rings: 4 KiB, 256 entries of 16 bytes (length field log2 = 8). */
#define RING_BYTES		4096u
#define RING_LEN_LOG2		8ull
#define RING_PTR_MASK		0x7fff0u

/* Device table entry words. */
#define DTE_V			(1ull << 0)
#define DTE_TV			(1ull << 1)
#define DTE_MODE_SHIFT		9
#define DTE_ADDR_MASK		0x000ffffffffff000ull
#define DTE_IR			(1ull << 61)
#define DTE_IW			(1ull << 62)
#define DTE_DOMID_MASK		0xffffull	/* word 1 */
#define DTE_IV			(1ull << 0)	/* word 2 */
#define DTE_INTTABLEN_SHIFT	1
#define DTE_IRT_MASK		0x000fffffffffffc0ull
#define DTE_INTCTL_SHIFT	60
#define DTE_INTCTL_MASK		(3ull << DTE_INTCTL_SHIFT)
#define INTCTL_ABORT		0ull
#define INTCTL_REMAP		2ull

struct amd_vi {
	volatile uint8_t *mmio;
	struct ivrs_info ivrs;
	volatile uint64_t *devtab;	/* 4 words per requester id */
	uint32_t devtab_entries;
	volatile uint8_t *cmd;
	volatile uint32_t *evt;		/* 4 dwords per entry */
	uint32_t evt_head;
	bool evt_tail_stale;		/* see amd_vi_evt.c */
	bool evt_seen;
	uint64_t faults;
	spinlock_t lock;		/* device table, commands */
	spinlock_t evt_lock;		/* the event log */
};

extern struct amd_vi amd_vi;

uint32_t amd_vi_read32(unsigned int reg);
void amd_vi_write32(unsigned int reg, uint32_t v);

/* Sets up the event log's interrupt (or its polling); never fails. */
void amd_vi_evt_init(void);
void amd_vi_poll_faults(void);
uint64_t amd_vi_faults(void);

#endif
