/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal QEMU fw_cfg, the I/O port interface only: a 16-bit selector
 * written to FW_CFG_PORT_SEL, then the selected item read byte by byte
 * from FW_CFG_PORT_DATA.  Items: the "QEMU" signature, the interface
 * id (1: traditional interface, no DMA), the RAM size (64-bit) and the
 * CPU counts (16-bit), all little-endian; any other key reads as an
 * empty item, and reads past an item's end return 0, as QEMU's do.
 * Writes to the data port are ignored (QEMU dropped them too).
 *
 *	fw_cfg_init(&fc, env, nr_cpus, ram_bytes);
 *	register ports fc.dev for [FW_CFG_PORT_SEL, FW_CFG_PORT_SEL + 2)
 */
#ifndef HV_EMUL_FW_CFG_H
#define HV_EMUL_FW_CFG_H

#include <stdint.h>
#include <hv/emul.h>

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_NR_PORTS		2

#define FW_CFG_SIGNATURE	0x00
#define FW_CFG_ID		0x01
#define FW_CFG_RAM_SIZE		0x03
#define FW_CFG_NB_CPUS		0x05
#define FW_CFG_MAX_CPUS		0x0f

struct fw_cfg {
	struct emul_device dev;
	uint16_t key;
	uint32_t offset;	/* next byte of the selected item */
	uint16_t nr_cpus;
	uint64_t ram_bytes;
};

void fw_cfg_init(struct fw_cfg *fc, const struct emul_env *env,
		 uint16_t nr_cpus, uint64_t ram_bytes);

#endif
