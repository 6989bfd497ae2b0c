// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's isa-debug-exit port: the byte, word or dword written ends
 * the domain once with that code; reads float high; other widths and
 * ports are refused without ending anything.
 */
#include <stdint.h>
#include <string.h>
#include <hv/emul.h>
#include <hv/emul/debug_exit.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int calls;
static uint32_t last_code;
static struct debug_exit dx;

static void fake_exit_status(void *ctx, uint32_t code)
{
	(void)ctx;
	calls++;
	last_code = code;
}

static const struct emul_env env = { .exit_status = fake_exit_status };

static void setup(void)
{
	calls = 0;
	last_code = 0xdead;
	debug_exit_init(&dx, &env);
}

static int pio(uint16_t port, uint8_t size, bool write, uint64_t *val)
{
	struct io_access io = { .addr = port, .size = size, .write = write,
				.val = *val };
	int ret = dx.dev.ops->pio(&dx.dev, &io);

	*val = io.val;
	return ret;
}

static void test_byte_ends_domain_once(void)
{
	uint64_t v = 0x107;	/* only the byte's lane counts */

	setup();
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 1, true, &v), 0);
	EXPECT_EQ(calls, 1);
	EXPECT_EQ(last_code, 7);
	v = 9;
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 1, true, &v), 0);
	EXPECT_EQ(calls, 1);
	EXPECT_EQ(last_code, 7);
}

static void test_widths(void)
{
	uint64_t v = 0xffffffff12345678ull;

	setup();
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 2, true, &v), 0);
	EXPECT_EQ(last_code, 0x5678);
	setup();
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 4, true, &v), 0);
	EXPECT_EQ(last_code, 0x12345678);
	setup();
	v = 0;
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 1, true, &v), 0);
	EXPECT_EQ(calls, 1);
	EXPECT_EQ(last_code, 0);
}

static void test_reads_and_hostile(void)
{
	uint64_t v = 0;

	setup();
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 1, false, &v), 0);
	EXPECT_EQ(v, 0xff);
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 4, false, &v), 0);
	EXPECT_EQ(v, 0xffffffffull);
	v = 1;
	EXPECT_NE(pio(DEBUG_EXIT_PORT, 8, true, &v), 0);
	EXPECT_NE(pio(DEBUG_EXIT_PORT, 3, true, &v), 0);
	EXPECT_NE(pio(DEBUG_EXIT_PORT + 1, 1, true, &v), 0);
	EXPECT_EQ(calls, 0);
	/* No callback in the env: a write is dropped, nothing crashes. */
	debug_exit_init(&dx, &(const struct emul_env){ 0 });
	EXPECT_EQ(pio(DEBUG_EXIT_PORT, 1, true, &v), 0);
	EXPECT_EQ(calls, 0);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_byte_ends_domain_once),
	KTAP_CASE(test_widths),
	KTAP_CASE(test_reads_and_hostile),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
