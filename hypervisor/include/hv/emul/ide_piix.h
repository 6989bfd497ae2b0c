/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PIIX4 IDE function (8086:7111) in legacy mode with one ATA disk as
 * the primary master, backed by a struct storage: PIO and bus-master
 * DMA of the commands Linux's ata_piix issues.  The secondary channel is
 * disabled in config space.  See docs/emulated-devices.md.
 *
 * Ports: the command block at IDE_PIIX_CMD_PORT (8), device control and
 * alternate status at IDE_PIIX_CTL_PORT (1), and the bus-master block
 * (BAR 4) at bm_base (IDE_PIIX_BM_PORTS), all routed to dev.
 *
 * Storage requests complete asynchronously.  When one completes outside
 * the access that submitted it, the model calls kick(kick_arg) from the
 * completing context; whoever set kick must then call
 * ide_piix_complete() under the device's bus lock.
 */
#ifndef HV_EMUL_IDE_PIIX_H
#define HV_EMUL_IDE_PIIX_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>
#include <hv/emul/pci_host.h>
#include <hv/storage.h>

#define IDE_PIIX_VENDOR		0x8086
#define IDE_PIIX_DEVICE		0x7111
#define IDE_PIIX_CMD_PORT	0x1f0
#define IDE_PIIX_CTL_PORT	0x3f6
#define IDE_PIIX_BM_PORTS	16
#define IDE_PIIX_IRQ		14
/* A 4 KiB PRD table holds 512 entries: one segment each at most. */
#define IDE_PIIX_MAX_SEGS	512

enum ide_phase {
	IDE_IDLE,
	IDE_PIO_IN,		/* DRQ: the guest reads buf */
	IDE_PIO_OUT,		/* DRQ: the guest fills buf */
	IDE_DMA_WAIT,		/* a DMA command waits for the start bit */
	IDE_BUSY,		/* a storage request is in flight */
};

struct ide_piix_stats {
	uint64_t cmds;
	uint64_t dma_reqs;
	uint64_t pio_sectors;
	uint64_t flushes;
	uint64_t late;		/* requests finished by ide_piix_complete() */
	uint64_t errors;	/* commands that ended with ERR */
	uint64_t bad_prd;	/* of those, a PRD table that failed checks */
	uint8_t last_error_cmd;
	uint8_t last_error_feature;
};

struct ide_piix {
	struct emul_device dev;
	struct pci_header hdr;
	struct storage *st;
	uint16_t bm_base;

	/* Task file; hob_* are the previous writes (LBA48). */
	uint8_t feature, nsect, lbal, lbam, lbah;
	uint8_t hob_feature, hob_nsect, hob_lbal, hob_lbam, hob_lbah;
	uint8_t device, status, error, devctl;
	bool irq_pending, irq_level;
	bool resetting;		/* SRST seen; ends when nothing is in flight */
	bool write_cache;
	uint8_t xfer_mode;	/* the last SET FEATURES transfer mode */

	/* The command in progress. */
	enum ide_phase phase;
	uint8_t cmd;
	bool write;
	uint64_t lba;
	uint32_t left;		/* sectors not yet transferred */
	unsigned int pos;	/* into buf */
	uint8_t buf[STORAGE_SECTOR];

	/* Bus master, primary channel. */
	uint8_t bm_cmd, bm_status;
	uint32_t prd;

	/* The storage request: one in flight at most. */
	struct storage_req req;
	struct storage_seg segs[IDE_PIIX_MAX_SEGS];
	unsigned int nr_segs, next_seg;
	bool in_flight;
	bool stale;		/* SRST overtook it: its result is dropped */
	bool submitting, completed;	/* accessed atomically */
	int result;

	void (*kick)(void *arg);
	void *kick_arg;
	struct ide_piix_stats stats;
};

extern const struct pci_function_ops ide_piix_cfg_ops;	/* opaque: ide */

/* The device at power-on, its BAR 4 placed and decoding at bm_base. */
void ide_piix_init(struct ide_piix *ide, const struct emul_env *env,
		   struct storage *st, uint16_t bm_base);
/* Finishes a request completed outside its submission (see kick). */
void ide_piix_complete(struct ide_piix *ide);
/* Whether a storage request is in flight (a reset must wait for it). */
bool ide_piix_busy(const struct ide_piix *ide);

#endif
