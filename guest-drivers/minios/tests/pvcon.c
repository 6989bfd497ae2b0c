// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=pvcon [bytes=N] [batch=N] [cycles=N] [input_ms=N] [none]: the PV
 * console frontend end to end.  Finds the console, connects, writes N
 * bytes (default 1 MiB) of pattern lines, batch lines (default 16, more
 * than the ring holds) per pvcon_write(), which the host checks in the
 * hypervisor's log, then disconnects and reconnects cycles times (default
 * 50) watching the device state, the port and Mini-OS's free pages.
 *
 * Pattern line s (128 bytes): "P %08x " and 116 hex digits, the first 58
 * bytes of xorshift64 words seeded with (s + 1) * 0x9e3779b97f4a7c15,
 * each word little endian; tests/suites/44-minios-pvcon has the same.
 *
 * With "none" the domain is expected to have no PV devices at all (its
 * module line says console=emulated): the first case checks that and
 * the others are skipped.
 */
#include <lib/printf.h>
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/mm.h>
#include <minios/pvcon.h>
#include <minios/pvdev.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>

#define LINE_BYTES	128
#define LINE_HEAD	11	/* "P %08x " */
#define LINE_DATA	((LINE_BYTES - LINE_HEAD - 1) / 2)
#define BATCH_MAX	64

static struct pvcon con;
static bool found;
static uint64_t free_at_start;

static void make_line(char *line, uint32_t seq)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t x = (seq + 1ull) * 0x9e3779b97f4a7c15ull;
	unsigned int i;
	uint8_t b;

	snprintf(line, LINE_HEAD + 1, "P %08x ", seq);
	for (i = 0; i < LINE_DATA; i++) {
		if (i % 8 == 0) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		b = (uint8_t)(x >> (8 * (i % 8)));
		line[LINE_HEAD + 2 * i] = hex[b >> 4];
		line[LINE_HEAD + 2 * i + 1] = hex[b & 15];
	}
	line[LINE_BYTES - 1] = '\n';
}

static void expect_port(uint32_t port, uint32_t state, uint16_t remote)
{
	struct pvkit_evtchn_status st;

	if (!EXPECT_EQ(evtchn_status(port, &st), 0))
		return;
	EXPECT_EQ(st.state, state);
	if (state != PVKIT_EVTCHN_STATE_FREE)
		EXPECT_EQ(st.remote_dom, remote);
}

static bool need_console(void)
{
	if (cmdline_get("none"))
		ktap_skip("no PV console on this domain");
	else if (!found)
		ktap_fail("no PV console found");
	return found;
}

static void case_find_console(void)
{
	struct pvkit_dev_info info;
	int rc = pvcon_find(&con);

	if (cmdline_get("none")) {
		EXPECT_EQ(rc, -PVKIT_ENOENT);
		EXPECT_EQ(pvdev_info(0, &info), -PVKIT_ENOENT);
		return;
	}
	if (!EXPECT_EQ(rc, 0))
		return;
	found = true;
	ktap_diag("pvcon: device %u instance %u, queues %u, order %u..%u, "
		  "features %#llx, config %u bytes, %ux%u",
		  con.info.index, con.info.instance, con.info.max_queues,
		  con.info.min_order, con.info.max_order,
		  (unsigned long long)con.info.features, con.info.config_len,
		  con.config.cols, con.config.rows);
	EXPECT_EQ(con.info.dev_class, PVKIT_DEV_CLASS_CONSOLE);
	EXPECT_EQ(con.info.instance, 0);
	EXPECT_EQ(con.info.state, PVKIT_DEV_STATE_CLOSED);
	EXPECT_EQ(con.info.accepted, 0);
	EXPECT_TRUE(con.info.features & PVKIT_CONSOLE_F_INPUT);
	EXPECT_TRUE(con.info.max_queues >= 1);
	EXPECT_TRUE(con.info.min_order <= pvcon_default_order(&con));
	EXPECT_TRUE(con.info.config_len <= sizeof(con.config));
	EXPECT_EQ(con.config.pad, 0);
}

static void check_connected(void)
{
	struct pvkit_evtchn_status st;
	struct pvkit_dev_info info;

	if (!EXPECT_EQ(pvdev_info(con.info.index, &info), 0))
		return;
	EXPECT_EQ(info.state, PVKIT_DEV_STATE_CONNECTED);
	EXPECT_EQ(info.accepted, PVKIT_CONSOLE_F_INPUT);
	if (!EXPECT_EQ(evtchn_status(con.port, &st), 0))
		return;
	EXPECT_EQ(st.state, PVKIT_EVTCHN_STATE_INTERDOMAIN);
	EXPECT_EQ(st.remote_dom, PVKIT_DOMID_HYPERVISOR);
	EXPECT_EQ(st.remote_port, con.info.index);
}

static void case_connect(void)
{
	if (!need_console())
		return;
	if (!EXPECT_EQ(pvcon_connect(&con, pvcon_default_order(&con),
				     PVKIT_CONSOLE_F_INPUT), 0))
		return;
	ktap_diag("pvcon: order %u (%u slots, %u page(s) a ring), port %u",
		  con.order, con.req.size, con.ring_pages, con.port);
	check_connected();
}

static void case_write_pattern(void)
{
	uint64_t bytes = cmdline_get_u64("bytes", 1ull << 20);
	uint64_t batch = cmdline_get_u64("batch", 16);
	uint64_t lines = bytes / LINE_BYTES, t0, ns, n0, w0;
	static char buf[BATCH_MAX * LINE_BYTES];
	uint32_t seq = 0, k;
	int rc = 0;

	if (!need_console() || !EXPECT_TRUE(con.connected))
		return;
	n0 = con.notifies;
	w0 = con.full_waits;
	t0 = monotonic_ns();
	if (batch < 1 || batch > BATCH_MAX)
		batch = 16;
	while (seq < lines && !rc) {
		for (k = 0; k < batch && seq + k < lines; k++)
			make_line(buf + k * LINE_BYTES, seq + k);
		rc = pvcon_write(&con, buf, k * LINE_BYTES);
		seq += k;
	}
	if (!rc)
		rc = pvcon_flush(&con);
	ns = monotonic_ns() - t0;
	EXPECT_EQ(rc, 0);
	ktap_diag("pvcon: lines %u bytes %llu chunks %llu in %llu ms "
		  "(%llu KiB/s)", seq,
		  (unsigned long long)seq * LINE_BYTES,
		  (unsigned long long)con.chunks_out,
		  (unsigned long long)(ns / NSEC_PER_MSEC),
		  (unsigned long long)((uint64_t)seq * LINE_BYTES *
				       NSEC_PER_SEC / 1024 / (ns ? ns : 1)));
	ktap_diag("pvcon: notifications sent %llu, ring-full waits %llu, "
		  "events taken %llu",
		  (unsigned long long)(con.notifies - n0),
		  (unsigned long long)(con.full_waits - w0),
		  (unsigned long long)con.events);
	EXPECT_EQ(seq, lines);
	/* Event suppression: well under one notification per chunk. */
	EXPECT_TRUE(con.notifies - n0 < con.chunks_out / 2);
	EXPECT_EQ(con.bad_chunks, 0);
	check_connected();
}

/* One disconnect and reconnect, with everything checked in between. */
static bool reconnect_once(unsigned int i)
{
	struct pvkit_dev_info info;
	uint32_t port = con.port;
	char line[48];
	int n;

	if (!EXPECT_EQ(pvcon_stop(&con), 0))
		return false;
	EXPECT_EQ(pvdev_info(con.info.index, &info), 0);
	EXPECT_EQ(info.state, PVKIT_DEV_STATE_CLOSED);
	EXPECT_EQ(info.accepted, 0);
	expect_port(port, PVKIT_EVTCHN_STATE_UNBOUND, PVKIT_DOMID_HYPERVISOR);
	pvcon_release(&con);
	expect_port(port, PVKIT_EVTCHN_STATE_FREE, 0);
	if (!EXPECT_EQ(pvcon_connect(&con, pvcon_default_order(&con),
				     PVKIT_CONSOLE_F_INPUT), 0))
		return false;
	EXPECT_EQ(pvcon_state(&con), PVKIT_DEV_STATE_CONNECTED);
	n = snprintf(line, sizeof(line), "R %u\n", i);
	return EXPECT_EQ(pvcon_write(&con, line, (size_t)n), 0) &&
	       EXPECT_EQ(pvcon_flush(&con), 0);
}

static void case_reconnect(void)
{
	unsigned int cycles = (unsigned int)cmdline_get_u64("cycles", 50);
	uint64_t before = mm_free_pages();
	unsigned int i;

	if (!need_console() || !EXPECT_TRUE(con.connected))
		return;
	for (i = 0; i < cycles; i++)
		if (!reconnect_once(i))
			break;
	EXPECT_EQ(i, cycles);
	EXPECT_EQ(mm_free_pages(), before);
	ktap_diag("pvcon: %u reconnects, free pages %llu before and %llu after",
		  i, (unsigned long long)before,
		  (unsigned long long)mm_free_pages());
}

/* Input is typed by a person or a host test: only with input_ms=N. */
static void case_input(void)
{
	uint64_t ms = cmdline_get_u64("input_ms", 0), seen;
	uint64_t deadline = monotonic_ns() + ms * NSEC_PER_MSEC;
	char buf[PVCON_INPUT_BUF + 1];
	size_t n = 0;

	if (!ms) {
		ktap_skip("no input_ms= on the command line");
		return;
	}
	if (!need_console() || !EXPECT_TRUE(con.connected))
		return;
	printk("# pvcon: type a line\n");
	while (n < sizeof(buf) - 1 && !memchr(buf, '\n', n)) {
		seen = con.events;
		n += pvcon_read(&con, buf + n, sizeof(buf) - 1 - n);
		if (memchr(buf, '\n', n) ||
		    !wait_event_until(&con.events, seen, deadline))
			break;
	}
	n += pvcon_read(&con, buf + n, sizeof(buf) - 1 - n);
	buf[n] = '\0';
	ktap_diag("pvcon: input %u bytes in %llu chunks: %s", (unsigned int)n,
		  (unsigned long long)con.chunks_in, buf);
	EXPECT_EQ(con.input_error, 0);
	EXPECT_EQ(con.bad_chunks, 0);
	EXPECT_TRUE(n > 0);
}

static void case_disconnect(void)
{
	uint32_t port = con.port;

	if (!need_console() || !EXPECT_TRUE(con.connected))
		return;
	EXPECT_EQ(pvcon_disconnect(&con), 0);
	EXPECT_EQ(pvcon_state(&con), PVKIT_DEV_STATE_CLOSED);
	expect_port(port, PVKIT_EVTCHN_STATE_FREE, 0);
	/* DISCONNECT of a CLOSED device changes nothing. */
	EXPECT_EQ(hc_dev_disconnect(con.info.index), 0);
	EXPECT_EQ(mm_free_pages(), free_at_start);
}

static const struct ktap_case cases[] = {
	{ "find_console", case_find_console },
	{ "connect", case_connect },
	{ "write_pattern", case_write_pattern },
	{ "reconnect", case_reconnect },
	{ "input", case_input },
	{ "disconnect", case_disconnect },
};

void __noreturn test_pvcon(void)
{
	free_at_start = mm_free_pages();
	ktap_plan(ARRAY_SIZE(cases));
	ktap_finish(ktap_run_cases(cases, ARRAY_SIZE(cases)));
}
