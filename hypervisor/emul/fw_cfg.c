// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU's fw_cfg, as much as a test kernel reads to size itself: the
 * items are computed from the domain's configuration at each read, so
 * there is no item table to keep consistent.
 */
#include <stdint.h>
#include <pvkit/errno.h>
#include <hv/emul.h>
#include <hv/emul/fw_cfg.h>

#define FW_CFG_ID_TRADITIONAL	1u

/* Byte 'off' of the selected item, 0 past its end or for an unknown key. */
static uint8_t item_byte(const struct fw_cfg *fc, uint32_t off)
{
	static const char sig[4] = { 'Q', 'E', 'M', 'U' };
	uint64_t v;
	unsigned int len;

	switch (fc->key) {
	case FW_CFG_SIGNATURE:
		return off < sizeof(sig) ? (uint8_t)sig[off] : 0;
	case FW_CFG_ID:
		v = FW_CFG_ID_TRADITIONAL;
		len = 4;
		break;
	case FW_CFG_RAM_SIZE:
		v = fc->ram_bytes;
		len = 8;
		break;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		v = fc->nr_cpus;
		len = 2;
		break;
	default:
		return 0;
	}
	return off < len ? (uint8_t)(v >> (8 * off)) : 0;
}

static int fw_cfg_pio(struct emul_device *dev, struct io_access *io)
{
	struct fw_cfg *fc = dev->priv;
	uint64_t val = 0;

	if (io->size != 1 && io->size != 2 && io->size != 4)
		return -PVKIT_EINVAL;
	if (io->addr == FW_CFG_PORT_SEL) {
		if (io->write) {
			fc->key = (uint16_t)io->val;
			fc->offset = 0;
		} else {
			io->val = 0;
		}
		return 0;
	}
	if (io->addr != FW_CFG_PORT_DATA)
		return -PVKIT_EINVAL;
	if (io->write)
		return 0;
	/* A wider read takes the next bytes in order, as a string read would. */
	for (unsigned int i = 0; i < io->size; i++) {
		val |= (uint64_t)item_byte(fc, fc->offset) << (8 * i);
		if (fc->offset < UINT32_MAX)
			fc->offset++;
	}
	io->val = val;
	return 0;
}

static const struct emul_device_ops fw_cfg_ops = {
	.name = "fw_cfg",
	.pio = fw_cfg_pio,
};

void fw_cfg_init(struct fw_cfg *fc, const struct emul_env *env,
		 uint16_t nr_cpus, uint64_t ram_bytes)
{
	*fc = (struct fw_cfg){
		.dev = { .ops = &fw_cfg_ops, .env = env, .priv = fc },
		.nr_cpus = nr_cpus,
		.ram_bytes = ram_bytes,
	};
}
