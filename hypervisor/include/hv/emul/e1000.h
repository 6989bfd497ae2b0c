/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An emulated Intel 82540EM (8086:100e), the NIC Linux's stock e1000
 * driver binds to, as one more port of the virtual switch.  BAR 0 is the
 * 128 KiB register block, BAR 1 the IOADDR/IODATA window; the interrupt
 * is INTA, level-triggered, at the GSI the platform's _PRT gives its
 * slot.  See hypervisor/emul/e1000.c for what is and is not emulated.
 *
 * Set up as
 *	e1000_init(&n, env, mac, gsi, mmio_base, io_base);
 *	n.port.kick = ...;	(queues work that calls e1000_work())
 *	emul_bus_attach(d, &n.dev);
 *	emul_bus_map(d, &n.dev, true, mmio_base, E1000_MMIO_SIZE);
 *	emul_bus_map(d, &n.dev, false, io_base, E1000_IO_SIZE);
 *	pci_host_add_function(&host, devfn, &e1000_cfg_ops, &n);
 *	vswitch_attach(sw, &n.port);
 * e1000_work() runs under the bus lock of n.dev, as the exits do.  The
 * model calls n.port.kick itself when a TX batch left work behind.
 */
#ifndef HV_EMUL_E1000_H
#define HV_EMUL_E1000_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>
#include <hv/emul/pci_host.h>
#include <hv/vswitch.h>

#define E1000_MMIO_SIZE		0x20000u
#define E1000_IO_SIZE		8u
#define E1000_EEPROM_WORDS	64
#define E1000_TX_BUF		65536u	/* the largest TSO frame taken */
#define E1000_TX_BATCH		256u	/* descriptors (and segments) a call */
#define E1000_RX_BATCH		64u	/* frames per call */
#define E1000_LOG_INTERVAL_NS	1000000000ull	/* between two stop lines */

struct e1000_txctx {
	uint8_t ipcss, ipcso, tucss, tucso, hdr_len;
	uint16_t ipcse, tucse, mss;
	uint32_t tucmd;			/* bits 31:24 of the context */
};

struct e1000_stats {
	uint64_t tx_frames, tx_bytes, rx_frames, rx_bytes;
	uint64_t tx_dropped, rx_filtered, rx_no_desc, irqs;
	uint64_t stops;			/* times a broken ring stopped it */
};

struct e1000 {
	struct emul_device dev;		/* dev.priv points back here */
	struct pci_header hdr;
	struct vswitch_port port;
	uint64_t bar;			/* where BAR 0 is on the bus */
	bool decoding;
	uint16_t io_base;		/* BAR 1 stays there (see e1000.c) */
	unsigned int gsi;
	bool irq_level;			/* the device asserts INTA */
	bool line;			/* what the pin is driven to */
	bool stopped;			/* the guest broke a rule: see why */
	uint16_t eeprom[E1000_EEPROM_WORDS];

	/* Registers; from here to st, all cleared by a reset. */
	uint32_t ctrl, eecd, eerd, mdic, icr, ims, itr, rctl, tctl;
	uint32_t rdba_lo, rdba_hi, rdlen, rdh, rdt, rdtr, radv;
	uint32_t tdba_lo, tdba_hi, tdlen, tdh, tdt, tidv, tadv;
	uint32_t ioaddr, vet, rxcsum, txdctl, tipg, ctrl_ext, manc;
	uint32_t ra[32];		/* RAL/RAH pairs */
	uint32_t mta[128];
	uint32_t vfta[128];
	uint32_t stat[64];		/* 0x4000-0x40ff, read to clear */
	uint16_t phy[32];

	/* EEPROM bit-banging (Microwire). */
	uint32_t ee_in;
	unsigned int ee_bits, ee_out_pos;
	uint16_t ee_addr;
	bool ee_reading, ee_do;

	/* Interrupt moderation: ITR spaces assertions. */
	uint64_t irq_ok_at, irq_due;

	/* The frame being gathered from TX descriptors. */
	struct e1000_txctx ctx;
	uint32_t tx_len;
	uint8_t tx_popts, tx_cmd, tx_css, tx_cso;
	bool tx_first, tx_bad;
	uint16_t tx_vlan;
	uint32_t tx_cost;		/* of this call: see tx_run() */

	struct e1000_stats st;
	/* The stop line's rate limit: kept across resets, as st is. */
	bool stop_logged;
	uint64_t log_after, log_missed;
	uint8_t tx_buf[E1000_TX_BUF];
};

extern const struct pci_function_ops e1000_cfg_ops;	/* opaque: n */

void e1000_init(struct e1000 *n, const struct emul_env *env,
		const uint8_t mac[6], unsigned int gsi, uint64_t mmio_base,
		uint16_t io_base);
/*
 * Moves what is waiting: TX descriptors left by a batch, frames queued
 * at the port into RX descriptors.  True when more is left.
 */
bool e1000_work(struct e1000 *n);

#endif
