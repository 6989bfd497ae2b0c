/* SPDX-License-Identifier: MIT */
/*
 * Minimal KTAP version 1 output for the ring tests: a plan, one result
 * line per case, diagnostics as "# " lines.
 */
#ifndef PVKIT_RING_TESTS_KTAP_H
#define PVKIT_RING_TESTS_KTAP_H

#include <stdarg.h>
#include <stdio.h>

static int ktap_case_nr;
static int ktap_failed;

static inline void ktap_plan(int n)
{
	printf("KTAP version 1\n1..%d\n", n);
	fflush(stdout);
}

static inline void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline void ktap_result(int ok, const char *name)
{
	ktap_case_nr++;
	if (!ok)
		ktap_failed++;
	printf("%sok %d %s\n", ok ? "" : "not ", ktap_case_nr, name);
	fflush(stdout);
}

static inline void ktap_skip(const char *name, const char *why)
{
	ktap_case_nr++;
	printf("ok %d %s # SKIP %s\n", ktap_case_nr, name, why);
	fflush(stdout);
}

static inline int ktap_exit(void)
{
	return ktap_failed ? 1 : 0;
}

#endif /* PVKIT_RING_TESTS_KTAP_H */
