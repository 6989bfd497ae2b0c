// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest checks for a Linux domain on pvkit, printed as KTAP on the
 * console: the kernel booted cleanly, sees the vCPUs it was given, finds
 * pvkit, its clock runs at the rate of the hypervisor's time base, and
 * its machine-check core is up.
 *
 * Expected values come from the kernel command line:
 *   pvkit.nproc=N     number of vCPUs the domain has
 */
#include <cpuid.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

static int nr_tests, nr_failed;

static void result(bool ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++nr_tests, name);
	nr_failed += !ok;
	fflush(stdout);
}

static long cmdline_value(const char *key, long fallback)
{
	char buf[4096], *p;
	FILE *f = fopen("/proc/cmdline", "r");
	size_t n;

	if (!f)
		return fallback;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key), NULL, 0) : fallback;
}

static void test_dmesg_clean(void)
{
	/*
	 * What WARN(), BUG(), an oops and a bad MSR access print, and the
	 * MCE core when CPUID and the machine-check MSRs disagree.
	 */
	static const char *const bad[] = {
		"WARNING: CPU:", "BUG: ", "Oops", "Call Trace",
		"unchecked MSR access", "Kernel panic", "general protection",
		"mce: Unable to init",
	};
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *log, *line;
	bool clean = true;
	int n;

	if (size <= 0 || !(log = malloc(size + 1))) {
		printf("# cannot read the kernel log\n");
		result(false, "dmesg_clean");
		return;
	}
	n = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	log[n > 0 ? n : 0] = '\0';
	for (line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(line, bad[i])) {
				printf("# dmesg: %s\n", line);
				clean = false;
			}
		}
	}
	free(log);
	result(clean, "dmesg_clean");
}

static void test_nproc(void)
{
	long want = cmdline_value("pvkit.nproc=", -1);
	long have = sysconf(_SC_NPROCESSORS_ONLN);

	printf("# online CPUs %ld, domain has %ld vCPUs\n", have, want);
	result(want > 0 && have == want, "nproc_matches_vcpus");
}

static bool pvkit_present(unsigned int *max_leaf)
{
	unsigned int a, b, c, d;
	char sig[13];

	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
	*max_leaf = a;
	printf("# hypervisor signature \"%s\", max leaf %#x\n", sig, a);
	return !strcmp(sig, "pvkit-hv-abi");
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * The guest clock and the TSC read together: of a few tries, the one with
 * the shortest gap around the TSC read, so that a vCPU preempted between
 * the two reads (a loaded host) does not skew the pair by a time slice.
 */
static void clock_pair(uint64_t *ns, uint64_t *tsc)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 16; i++) {
		uint64_t a = mono_ns(), c = __rdtsc(), b = mono_ns();

		if (b - a < best) {
			best = b - a;
			*ns = a + (b - a) / 2;
			*tsc = c;
		}
	}
}

static void test_clock_rate(unsigned int max_leaf)
{
	struct timespec one_second = { 1, 0 };
	unsigned int khz, b, c, d;
	uint64_t t0, t1, c0, c1;
	double guest, hv, ratio;

	/*
	 * The second is slept with or without pvkit, so that a boot to
	 * poweroff takes as long on any host it is compared with.
	 */
	if (max_leaf < 0x40000002) {
		nanosleep(&one_second, NULL);
		result(false, "clock_rate_matches_hypervisor");
		return;
	}
	__cpuid(0x40000002, khz, b, c, d);
	clock_pair(&t0, &c0);
	nanosleep(&one_second, NULL);
	clock_pair(&t1, &c1);
	guest = (double)(t1 - t0);
	hv = (double)(c1 - c0) * 1e6 / khz;
	ratio = guest / hv;
	printf("# guest clock %.0f ns, hypervisor time base %.0f ns (TSC %u kHz), ratio %.5f\n",
	       guest, hv, khz, ratio);
	result(khz && ratio > 0.99 && ratio < 1.01,
	       "clock_rate_matches_hypervisor");
}

static bool cpu_flag(const char *flag)
{
	char line[4096], pat[64];
	FILE *f = fopen("/proc/cpuinfo", "r");
	bool found = false;

	if (!f)
		return false;
	snprintf(pat, sizeof(pat), " %s ", flag);
	while (!found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = ' ';
		found = !strncmp(line, "flags", 5) && strstr(line, pat);
	}
	fclose(f);
	return found;
}

/*
 * The guest keeps time with the TSC (read without an exit) or, where
 * Linux does not trust the TSC across CPUs (no invariant TSC, as under
 * QEMU's TCG) or before its refined calibration, with pvkit.ko's
 * clocksource (the TSC with the hypervisor's scale, kept monotonic) or,
 * without pvkit.ko, the HPET: never with the PM timer or jiffies, which
 * would mean pvkit's clocks lost the guest's trust.  With pvkit.ko
 * loaded the HPET, an exit per read, is a failure.
 */
static void test_clocksource(long ncpus)
{
	static const char *const good[] = { "tsc", "tsc-early", "pvkit",
					     "hpet" };
	char cs[64] = "";
	bool ok = false;
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			"r");

	if (f) {
		if (!fgets(cs, sizeof(cs), f))
			cs[0] = '\0';
		fclose(f);
	}
	cs[strcspn(cs, "\n")] = '\0';
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok |= !strcmp(cs, good[i]);
	printf("# clocksource \"%s\" (%ld CPUs, constant_tsc %s)\n", cs,
	       ncpus, cpu_flag("constant_tsc") ? "yes" : "no");
	if (ok && !strcmp(cs, "hpet") && access("/sys/bus/pvkit", F_OK) == 0) {
		printf("# pvkit.ko is loaded, yet the HPET keeps time\n");
		ok = false;
	}
	result(ok, "stable_clocksource");
}

static void test_wall_clock(void)
{
	time_t now = time(NULL);

	printf("# wall clock %ld\n", (long)now);
	/* 2024-01-01: the RTC was read, not left at the epoch. */
	result(now > 1704067200, "wall_clock_from_rtc");
}

/* The MCE core made a machinecheck device for every online CPU. */
static void test_machine_check(long cpus)
{
	char path[96];
	long found = 0;

	for (long i = 0; i < cpus; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/machinecheck/machinecheck%ld", i);
		found += access(path, F_OK) == 0;
	}
	printf("# %ld of %ld CPUs have a machinecheck device\n", found, cpus);
	result(cpus > 0 && found == cpus, "machine_check_devices");
}

/* Which local timer Linux chose: lapic-deadline when TSC-deadline is on. */
static void show_clockevent(void)
{
	static const char path[] =
		"/sys/devices/system/clockevents/clockevent0/current_device";
	char name[64] = "";
	FILE *f = fopen(path, "r");

	if (f) {
		if (!fgets(name, sizeof(name), f))
			name[0] = '\0';
		fclose(f);
	}
	name[strcspn(name, "\n")] = '\0';
	printf("# clockevent0: %s\n", name[0] ? name : "(none)");
}

int main(void)
{
	unsigned int max_leaf = 0;

	printf("KTAP version 1\n1..7\n");
	test_dmesg_clean();
	test_nproc();
	result(pvkit_present(&max_leaf), "pvkit_cpuid_signature");
	test_clock_rate(max_leaf);
	test_wall_clock();
	test_clocksource(sysconf(_SC_NPROCESSORS_ONLN));
	test_machine_check(sysconf(_SC_NPROCESSORS_ONLN));
	show_clockevent();
	printf("# linux-boot: %d of %d cases failed\n", nr_failed, nr_tests);
	return nr_failed ? 1 : 0;
}
