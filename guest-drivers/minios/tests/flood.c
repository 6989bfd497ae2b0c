// SPDX-License-Identifier: MIT
/*
 * Mini-OS test=flood [min_ms=<ms>] [timeout_ms=<ms>]: floods the console
 * with 64-byte lines, through CONSOLE_WRITE as fast as the hypervisor
 * takes them, for at least min_ms and until another domain has ended
 * (PVKIT_VIRQ_DOMAIN_ENDED), at most timeout_ms.  The hypervisor must
 * drop what is over this domain's rate and go on serving the others; the
 * scenario checks that the line count, the bytes reported dropped and
 * the total printed here add up.  The KTAP comes after the flood (and a
 * pause that lets the rate limit recover), so that it is all printed.
 */
#include <lib/string.h>
#include <minios/cmdline.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>
#include <minios/ktap.h>
#include <minios/os.h>
#include <minios/sched.h>
#include <minios/tests.h>
#include <minios/time.h>

#define LINE_BYTES	64
#define CHUNK_LINES	64	/* 4 KiB: PVKIT_CONSOLE_IO_MAX */

static char chunk[LINE_BYTES * CHUNK_LINES];
static volatile uint64_t ended;

static void on_ended(uint32_t port __unused, void *data __unused)
{
	ended++;
}

static void fill_chunk(void)
{
	for (unsigned int i = 0; i < CHUNK_LINES; i++) {
		char *l = chunk + i * LINE_BYTES;

		memset(l, 'x', LINE_BYTES - 1);
		memcpy(l, "flood ", 6);
		l[LINE_BYTES - 1] = '\n';
	}
}

/* Returns the bytes the hypervisor took; *ended_ns when the other ended. */
static uint64_t flood(uint64_t min_ns, uint64_t max_ns, uint64_t *ended_ns)
{
	uint64_t t0 = monotonic_ns(), now = t0, bytes = 0;

	*ended_ns = 0;
	while (now - t0 < max_ns) {
		int64_t n = hc_console_write(chunk, sizeof(chunk));

		if (n != (int64_t)sizeof(chunk)) {
			ktap_diag("flood: CONSOLE_WRITE returned %lld",
				  (long long)n);
			break;
		}
		bytes += (uint64_t)n;
		now = monotonic_ns();
		if (ended && !*ended_ns)
			*ended_ns = now - t0;
		if (*ended_ns && now - t0 >= min_ns)
			break;
	}
	return bytes;
}

void __noreturn test_flood(void)
{
	uint64_t min_ms = cmdline_get_u64("min_ms", 2000);
	uint64_t timeout_ms = cmdline_get_u64("timeout_ms", 60000);
	uint64_t bytes, ended_ns = 0, t0;
	unsigned int failed = 0;
	uint32_t port;
	bool bound;

	fill_chunk();
	cli();
	bound = !evtchn_bind_virq(PVKIT_VIRQ_DOMAIN_ENDED, 0, &port);
	if (bound)
		evtchn_set_handler(port, on_ended, NULL);
	sti();
	t0 = monotonic_ns();
	bytes = bound ? flood(min_ms * NSEC_PER_MSEC,
			      timeout_ms * NSEC_PER_MSEC, &ended_ns) : 0;
	t0 = monotonic_ns() - t0;
	msleep(1000);
	ktap_plan(3);
	ktap_result(bound, "bind_virq_domain_ended");
	failed += !bound;
	ktap_diag("flood: wrote %llu bytes in %llu ms",
		  (unsigned long long)bytes,
		  (unsigned long long)(t0 / NSEC_PER_MSEC));
	ktap_result(bytes > 0, "flooded");
	failed += !bytes;
	ktap_diag("flood: the other domain ended after %llu ms",
		  (unsigned long long)(ended_ns / NSEC_PER_MSEC));
	ktap_result(ended_ns > 0, "other_domain_ended_during_flood");
	failed += !ended_ns;
	ktap_finish(failed);
}
