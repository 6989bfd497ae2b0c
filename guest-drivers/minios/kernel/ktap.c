// SPDX-License-Identifier: MIT
/* Mini-OS KTAP reporting (https://docs.kernel.org/dev-tools/ktap.html). */
#include <stdarg.h>
#include <lib/printf.h>
#include <minios/ktap.h>
#include <minios/console.h>
#include <minios/sched.h>

enum case_result { CASE_PASS, CASE_SKIP, CASE_FAIL };

static enum case_result result;
static const char *skip_reason;
static unsigned int case_number;

void ktap_plan(unsigned int n)
{
	printk("KTAP version 1\n1..%u\n", n);
	case_number = 0;
}

void ktap_diag(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("# %s\n", buf);
}

void ktap_fail(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("# FAIL: %s\n", buf);
	result = CASE_FAIL;
}

void ktap_skip(const char *reason)
{
	if (result == CASE_PASS) {
		result = CASE_SKIP;
		skip_reason = reason;
	}
}

bool ktap_expect_eq(int line, const char *what, int64_t got, int64_t want)
{
	if (got == want)
		return true;
	ktap_fail("line %d: %s = %lld (%#llx), expected %lld (%#llx)", line,
		  what, (long long)got, (unsigned long long)got,
		  (long long)want, (unsigned long long)want);
	return false;
}

bool ktap_expect_true(int line, const char *what, bool ok)
{
	if (!ok)
		ktap_fail("line %d: %s is false", line, what);
	return ok;
}

void ktap_result(bool ok, const char *name)
{
	printk("%s %u %s\n", ok ? "ok" : "not ok", ++case_number, name);
}

static const char *running;

const char *ktap_case_name(void)
{
	return running ? running : "(no case)";
}

unsigned int ktap_run_cases(const struct ktap_case *cases, unsigned int n)
{
	unsigned int i, failed = 0;

	for (i = 0; i < n; i++) {
		running = cases[i].name;
		result = CASE_PASS;
		skip_reason = NULL;
		cases[i].run();
		case_number++;
		if (result == CASE_FAIL) {
			printk("not ok %u %s\n", case_number, cases[i].name);
			failed++;
		} else if (result == CASE_SKIP) {
			printk("ok %u %s # SKIP %s\n", case_number,
			       cases[i].name, skip_reason);
		} else {
			printk("ok %u %s\n", case_number, cases[i].name);
		}
	}
	running = NULL;
	return failed;
}

void __noreturn ktap_finish(unsigned int failed)
{
	printk("# minios: %u of %u cases failed\n", failed, case_number);
	poweroff(failed ? 1 : 0);
}
