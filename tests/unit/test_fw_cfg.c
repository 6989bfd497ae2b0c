// SPDX-License-Identifier: GPL-2.0
/*
 * The minimal fw_cfg: what kvm-unit-tests reads (signature, id, RAM
 * size, CPU counts) byte by byte through the data port, reselection,
 * reads past an item and of unknown keys, and hostile accesses.
 */
#include <stdint.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/fw_cfg.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static struct fw_cfg fc;
static const struct emul_env env;

static int pio(uint16_t port, uint8_t size, bool write, uint64_t *val)
{
	struct io_access io = { .addr = port, .size = size, .write = write,
				.val = *val };
	int ret = fc.dev.ops->pio(&fc.dev, &io);

	*val = io.val;
	return ret;
}

static void select_key(uint16_t key)
{
	uint64_t v = key;

	EXPECT_EQ(pio(FW_CFG_PORT_SEL, 2, true, &v), 0);
}

static uint64_t item(uint16_t key, unsigned int len)
{
	uint64_t r = 0, b;

	select_key(key);
	for (unsigned int i = 0; i < len; i++) {
		b = 0;
		EXPECT_EQ(pio(FW_CFG_PORT_DATA, 1, false, &b), 0);
		r |= (b & 0xff) << (8 * i);
	}
	return r;
}

static void test_items(void)
{
	fw_cfg_init(&fc, &env, 3, 0x12345678ull << 12);
	EXPECT_EQ(item(FW_CFG_SIGNATURE, 4), 0x554d4551);	/* "QEMU" */
	EXPECT_EQ(item(FW_CFG_ID, 4), 1);
	EXPECT_EQ(item(FW_CFG_RAM_SIZE, 8), 0x12345678ull << 12);
	EXPECT_EQ(item(FW_CFG_NB_CPUS, 2), 3);
	EXPECT_EQ(item(FW_CFG_MAX_CPUS, 2), 3);
}

static void test_reselect_and_past_end(void)
{
	uint64_t v = 0;

	fw_cfg_init(&fc, &env, 1, 64ull << 20);
	EXPECT_EQ(item(FW_CFG_SIGNATURE, 2), 0x4551);
	/* Selecting again starts the item over. */
	EXPECT_EQ(item(FW_CFG_SIGNATURE, 4), 0x554d4551);
	EXPECT_EQ(pio(FW_CFG_PORT_DATA, 1, false, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(item(0x1234, 4), 0);
	/* A wider read takes the next bytes in order. */
	select_key(FW_CFG_RAM_SIZE);
	EXPECT_EQ(pio(FW_CFG_PORT_DATA, 4, false, &v), 0);
	EXPECT_EQ(v, 64ull << 20);
	EXPECT_EQ(pio(FW_CFG_PORT_DATA, 4, false, &v), 0);
	EXPECT_EQ(v, 0);
}

static void test_hostile(void)
{
	uint64_t v = 0xff;

	fw_cfg_init(&fc, &env, 1, 16ull << 20);
	EXPECT_NE(pio(FW_CFG_PORT_DATA, 8, false, &v), 0);
	EXPECT_NE(pio(FW_CFG_PORT_SEL + 2, 1, false, &v), 0);
	/* Data port writes are dropped; the selector reads as 0. */
	EXPECT_EQ(pio(FW_CFG_PORT_DATA, 1, true, &v), 0);
	EXPECT_EQ(pio(FW_CFG_PORT_SEL, 2, false, &v), 0);
	EXPECT_EQ(v, 0);
	/* Reading on and on past an item never wraps into it again. */
	select_key(FW_CFG_NB_CPUS);
	for (unsigned int i = 0; i < 100000; i++)
		EXPECT_EQ(pio(FW_CFG_PORT_DATA, 4, false, &v), 0);
	EXPECT_EQ(v, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_items),
	KTAP_CASE(test_reselect_and_past_end),
	KTAP_CASE(test_hostile),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
