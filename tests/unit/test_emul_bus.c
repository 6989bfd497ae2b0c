// SPDX-License-Identifier: GPL-2.0
/*
 * The emulation bus's lock-free MMIO lookup against emul_bus_move() from
 * another pCPU (hypervisor/common/emul_bus.c, real code).  One thread
 * moves a range back and forth between a small window at A and a large
 * one at B, as a guest reprogramming a BAR does; the main thread looks up
 * an address that only A's base with B's length would claim.  A lookup
 * that paired one move's base with the other's length would find it.
 * Also: the exit source each attached device gets, that an access is
 * put down to the device that handled it, and an unplugged device.
 */
#include <pthread.h>
#include <stdio.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/guest_mem.h>
#include <hv/time.h>
#include "ktap.h"

#define BASE_A		0x100000ull
#define LEN_A		0x1000ull
#define BASE_B		0x200000ull
#define LEN_B		0x100000ull
#define MIXED		(BASE_A + LEN_B / 2)	/* claimed by neither */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define LOOKUPS		2000000
#define SECONDS		2	/* at most: the host may have few free cores */

/* What emul_bus.c reaches outside itself; none of it runs here. */
uint64_t now_ns(void)
{
	return 0;
}

void sched_deadline_moved(uint64_t deadline)
{
	(void)deadline;
}

void console_domain_write(struct domain *d, unsigned int src,
			  const char *buf, size_t len)
{
	(void)d; (void)src; (void)buf; (void)len;
}

void domain_shutdown(struct domain *d, uint32_t reason, uint32_t code)
{
	(void)d; (void)reason; (void)code;
}

int copy_from_guest(const struct domain *d, void *dst, uint64_t gpa,
		    uint64_t len)
{
	(void)d; (void)dst; (void)gpa; (void)len;
	return -1;
}

bool guest_range_ok(const struct domain *d, uint64_t gpa, uint64_t len)
{
	(void)d; (void)gpa; (void)len;
	return false;
}

int copy_to_guest(struct domain *d, uint64_t gpa, const void *src,
		  uint64_t len)
{
	(void)d; (void)gpa; (void)src; (void)len;
	return -1;
}

/* exit_profile.c's side, recorded: the names asked for, the last source. */
static char src_names[8][EXIT_SOURCE_NAME];
static int nr_src;
static int attributed = EXIT_SOURCE_NONE;

int exit_source(struct domain *d, const char *name)
{
	(void)d;
	if (nr_src == (int)ARRAY_SIZE(src_names))
		return EXIT_SOURCE_NONE;
	snprintf(src_names[nr_src], EXIT_SOURCE_NAME, "%s", name);
	return nr_src++;
}

void exit_attribute(struct domain *d, int src)
{
	(void)d;
	attributed = src;
}

static struct domain dom;
static struct emul_device dev;
static const struct emul_device_ops ops = { .name = "bar" };
static bool quit;
static unsigned long moves;

static void *mover(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&quit, __ATOMIC_ACQUIRE)) {
		emul_bus_move(&dom, &dev, BASE_A, BASE_B, LEN_B);
		emul_bus_move(&dom, &dev, BASE_B, BASE_A, LEN_A);
		moves += 2;
		if (!(moves & 0xfff))
			sched_yield();
	}
	return NULL;
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Every hit is one of the two states the mover ever sets. */
static void test_move_vs_lookup(void)
{
	unsigned long mixed = 0, torn = 0, n = 0;
	struct emul_mmio_hit hit;
	double end = seconds() + SECONDS;
	pthread_t t;

	pthread_create(&t, NULL, mover, NULL);
	for (; n < LOOKUPS && seconds() < end; n++) {
		if (emul_mmio_find(&dom, MIXED, &hit))
			mixed++;
		if (emul_mmio_find(&dom, BASE_A, &hit) &&
		    (hit.base != BASE_A || hit.len != LEN_A))
			torn++;
		if (!(n & 0x3ff))
			sched_yield();
	}
	__atomic_store_n(&quit, true, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	ktap_diag("%lu lookups against %lu moves: %lu mixed, %lu torn", n,
		  moves, mixed, torn);
	EXPECT_EQ(mixed, 0);
	EXPECT_EQ(torn, 0);
}

static int pio_ok(struct emul_device *d, struct io_access *io)
{
	(void)d;
	io->val = 0x5a;
	return 0;
}

/* Two instances of one model are told apart; the handler is credited. */
static void test_exit_sources(void)
{
	static const struct emul_device_ops pio_ops = {
		.name = "pio", .pio = pio_ok,
	};
	static struct domain d2;
	static struct emul_device a, b;
	struct io_access io = { .addr = 0x71, .size = 1 };

	emul_bus_init(&d2);
	a.ops = b.ops = &pio_ops;
	nr_src = 0;
	EXPECT_EQ(emul_bus_attach(&d2, &a), 0);
	EXPECT_EQ(emul_bus_attach(&d2, &b), 0);
	EXPECT_EQ(emul_bus_map(&d2, &b, false, 0x70, 2), 0);
	EXPECT_EQ(nr_src, 2);
	EXPECT_STREQ(src_names[0], "pio");
	EXPECT_STREQ(src_names[1], "pio#1");
	attributed = EXIT_SOURCE_NONE;
	EXPECT_EQ(emul_pio(&d2, &io), 0);
	EXPECT_EQ(io.val, 0x5a);
	EXPECT_EQ(attributed, 1);
	/* A port no device claims is no device's exit. */
	attributed = EXIT_SOURCE_NONE;
	io.addr = 0x80;
	EXPECT_EQ(emul_pio(&d2, &io), 0);
	EXPECT_EQ(attributed, EXIT_SOURCE_NONE);
}

static unsigned int calls, polls;

static int counted(struct emul_device *d, struct io_access *io)
{
	(void)d;
	calls++;
	io->val = 0x5a;
	return 0;
}

static void poll_counted(struct emul_device *d, uint64_t now)
{
	(void)d;
	(void)now;
	polls++;
}

/*
 * An unplugged device: its ports and MMIO range answer all-ones and are
 * still claimed (an unclaimed MMIO address would stop the domain), it
 * is never called nor polled; plugged back, it works again.
 */
static void test_gone(void)
{
	static const struct emul_device_ops gone_ops = {
		.name = "gone", .pio = counted, .mmio = counted,
		.poll = poll_counted,
	};
	static struct domain d3;
	static struct emul_device g;
	struct io_access io = { .addr = 0x1f7, .size = 1 };
	struct emul_mmio_hit hit;

	emul_bus_init(&d3);
	g.ops = &gone_ops;
	EXPECT_EQ(emul_bus_attach(&d3, &g), 0);
	EXPECT_EQ(emul_bus_map(&d3, &g, false, 0x1f0, 8), 0);
	EXPECT_EQ(emul_bus_map(&d3, &g, true, BASE_B, LEN_A), 0);
	calls = polls = 0;
	emul_bus_lock_dev(&d3, &g);
	emul_bus_set_gone(&d3, &g, true);
	emul_bus_unlock_dev(&d3, &g);
	EXPECT_EQ(emul_pio(&d3, &io), 0);
	EXPECT_EQ(io.val, 0xff);
	io = (struct io_access){ .addr = BASE_B + 8, .size = 4 };
	EXPECT_EQ(emul_mmio_find(&d3, io.addr, &hit), true);
	EXPECT_EQ(emul_mmio(&d3, &hit, &io), 0);
	EXPECT_EQ(io.val, 0xffffffffull);
	io = (struct io_access){ .addr = BASE_B, .size = 4, .write = true,
				 .val = 1 };
	EXPECT_EQ(emul_mmio(&d3, &hit, &io), 0);
	emul_poll(&d3, 0);
	EXPECT_EQ(calls, 0);
	EXPECT_EQ(polls, 0);
	emul_bus_plug_all(&d3);
	io = (struct io_access){ .addr = 0x1f7, .size = 1 };
	EXPECT_EQ(emul_pio(&d3, &io), 0);
	EXPECT_EQ(io.val, 0x5a);
	emul_poll(&d3, 0);
	EXPECT_EQ(calls, 1);
	EXPECT_EQ(polls, 1);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_move_vs_lookup),
	KTAP_CASE(test_exit_sources),
	KTAP_CASE(test_gone),
};

int main(void)
{
	emul_bus_init(&dom);
	dev.ops = &ops;
	if (emul_bus_attach(&dom, &dev) ||
	    emul_bus_map(&dom, &dev, true, BASE_A, LEN_A)) {
		printf("Bail out! cannot set up the bus\n");
		return 1;
	}
	return ktap_run(cases, ARRAY_SIZE(cases));
}
