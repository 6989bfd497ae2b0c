/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP (version 1) helpers for host C unit tests.
 *
 *	static void test_foo(void) { EXPECT_EQ(foo(1), 2); }
 *	static const struct ktap_case cases[] = { KTAP_CASE(test_foo), };
 *	int main(void) { return ktap_run(cases, ARRAY_SIZE(cases)); }
 *
 * Each case is one function; it passes when no EXPECT_* failed while it
 * ran.  A failed expectation prints the expression, the values and the
 * line as a "#" diagnostic and the case goes on, so one run shows every
 * broken expectation.  ktap_skip() inside a case marks it skipped.
 */
#ifndef TESTS_UNIT_KTAP_H
#define TESTS_UNIT_KTAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct ktap_case {
	const char *name;
	void (*fn)(void);
};

#define KTAP_CASE(fn)	{ #fn, fn }

/* Weak: a binary whose cases are spread over several files shares one. */
__attribute__((weak)) unsigned int ktap_case_failures;
__attribute__((weak)) const char *ktap_skip_reason;

static inline void ktap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static inline void ktap_fail_at(const char *file, int line, const char *what)
{
	ktap_case_failures++;
	ktap_diag("%s:%d: expectation failed: %s", file, line, what);
}

/* Skips the running case (checks already failed still fail it). */
static inline void ktap_skip(const char *reason)
{
	ktap_skip_reason = reason;
}

#define EXPECT(cond) do {						\
	if (!(cond))							\
		ktap_fail_at(__FILE__, __LINE__, #cond);		\
} while (0)

#define EXPECT_EQ(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b) {							\
		ktap_fail_at(__FILE__, __LINE__, #a " == " #b);		\
		ktap_diag("  left %lld (0x%llx), right %lld (0x%llx)",	\
			  _a, (unsigned long long)_a, _b,		\
			  (unsigned long long)_b);			\
	}								\
} while (0)

#define EXPECT_NE(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a == _b) {							\
		ktap_fail_at(__FILE__, __LINE__, #a " != " #b);		\
		ktap_diag("  both %lld", _a);				\
	}								\
} while (0)

#define EXPECT_STREQ(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (!_a || !_b || strcmp(_a, _b)) {				\
		ktap_fail_at(__FILE__, __LINE__, #a " equals " #b);	\
		ktap_diag("  left \"%s\", right \"%s\"",		\
			  _a ? _a : "(null)", _b ? _b : "(null)");	\
	}								\
} while (0)

#define EXPECT_MEMEQ(a, b, n) do {					\
	if (memcmp((a), (b), (n)))					\
		ktap_fail_at(__FILE__, __LINE__,			\
			     "memcmp(" #a ", " #b ", " #n ") == 0");	\
} while (0)

/* Runs every case; returns the process exit status (0: all passed). */
static inline int ktap_run(const struct ktap_case *cases, unsigned int n)
{
	unsigned int i, failed = 0;

	printf("KTAP version 1\n1..%u\n", n);
	fflush(stdout);
	for (i = 0; i < n; i++) {
		ktap_case_failures = 0;
		ktap_skip_reason = NULL;
		cases[i].fn();
		if (ktap_case_failures) {
			failed++;
			printf("not ok %u %s\n", i + 1, cases[i].name);
		} else if (ktap_skip_reason) {
			printf("ok %u %s # SKIP %s\n", i + 1, cases[i].name,
			       ktap_skip_reason);
		} else {
			printf("ok %u %s\n", i + 1, cases[i].name);
		}
		fflush(stdout);
	}
	ktap_diag("%u of %u cases failed", failed, n);
	return failed ? 1 : 0;
}

#endif /* TESTS_UNIT_KTAP_H */
