/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS: KTAP output for the in-guest test programs.  A case's result
 * only gets worse while it runs: pass < skip < fail.
 */
#ifndef MINIOS_KTAP_H
#define MINIOS_KTAP_H

#include <minios/os.h>

struct ktap_case {
	const char *name;
	void (*run)(void);
};

void ktap_plan(unsigned int n);
/* Runs every case and returns the number that failed. */
unsigned int ktap_run_cases(const struct ktap_case *cases, unsigned int n);
/* The name of the case running now, for messages of shared helpers. */
const char *ktap_case_name(void);
/* Marks the running case failed and prints why, as a diagnostic. */
void ktap_fail(const char *fmt, ...) __printf(1, 2);
void ktap_skip(const char *reason);
void ktap_diag(const char *fmt, ...) __printf(1, 2);
/* Reports a single result outside ktap_run_cases(). */
void ktap_result(bool ok, const char *name);
/* Prints the totals and powers off: 0 if nothing failed. */
void __noreturn ktap_finish(unsigned int failed);

/* Compare helpers: print the expression, its value and the expectation. */
#define EXPECT_EQ(expr, want)						\
	ktap_expect_eq(__LINE__, #expr, (int64_t)(expr), (int64_t)(want))
#define EXPECT_TRUE(cond)						\
	ktap_expect_true(__LINE__, #cond, !!(cond))
bool ktap_expect_eq(int line, const char *what, int64_t got, int64_t want);
bool ktap_expect_true(int line, const char *what, bool ok);

#endif /* MINIOS_KTAP_H */
