// SPDX-License-Identifier: GPL-2.0
/*
 * pvcon: in-guest checks of pvkit's Linux core module (pvkit.ko) and PV
 * console (pvkit_console.ko), with the kselftest harness (TAP on the
 * console).  Run by /init as pvkit.test=pvcon, after its coldplug loaded
 * both modules by modalias.
 *
 * Some results can only be seen from the host: the 1 MiB pattern written
 * to /dev/hvc0 and the kernel message sent to hvc0 come out of the
 * hypervisor as "(dN) " lines, which tests/suites/49-linux-pv-console
 * checks.  The pattern is PATTERN_LINES lines of PATTERN_LINE bytes:
 * "pvcon-pattern NNNNN " then letters ('a' + (N + i) % 26), then '\n'.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <pvkit/io/device.h>
#include "kselftest_harness.h"
#include "sysfs_util.h"

#define BUS		"/sys/bus/pvkit"
#define CONSOLE		BUS "/devices/console-0"
#define CONSOLE_DRV	BUS "/drivers/pvkit_console"
#define PATTERN_LINE	64
#define PATTERN_LINES	16384		/* 1 MiB */
#define RELOADS		50
/* Memory the 50 reloads may leave behind (caches settle, lists grow). */
#define SLAB_SLACK_KB	512
#define FREE_SLACK_KB	1024

static bool cmdline_has(const char *word)
{
	char buf[4096], *p;
	size_t n = strlen(word);

	if (read_str("/proc/cmdline", buf, sizeof(buf)))
		return false;
	for (p = strstr(buf, word); p; p = strstr(p + 1, word))
		if ((p == buf || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* The sysfs directory of the pvkit platform PCI device, or NULL. */
static const char *platform_dir(void)
{
	static char found[PATH_MAX];
	char path[PATH_MAX + 32], vendor[16], device[16];
	struct dirent *de;
	DIR *d = opendir("/sys/bus/pci/devices");

	if (!d)
		return NULL;
	found[0] = '\0';
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor",
			 de->d_name);
		if (read_str(path, vendor, sizeof(vendor)))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device",
			 de->d_name);
		if (read_str(path, device, sizeof(device)))
			continue;
		if (!strcmp(vendor, "0x1af4") && !strcmp(device, "0x10f1")) {
			snprintf(found, sizeof(found), "/sys/bus/pci/devices/%s",
				 de->d_name);
			break;
		}
	}
	closedir(d);
	return found[0] ? found : NULL;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Loads a module by the modalias in a sysfs file, as /init's coldplug. */
static int modprobe_alias(const char *modalias_file)
{
	char alias[128], cmd[192];

	if (read_str(modalias_file, alias, sizeof(alias)))
		return -1;
	snprintf(cmd, sizeof(cmd), "modprobe '%s'", alias);
	return run(cmd);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits until the console's req ring is empty: the backend has it all. */
static bool console_drained(double timeout_s)
{
	double end = now_s() + timeout_s;

	while (now_s() < end) {
		if (read_long(CONSOLE "/tx_pending") == 0)
			return true;
		usleep(20000);
	}
	return false;
}

static void settle_memory(void)
{
	sync();
	write_str("/proc/sys/vm/drop_caches", "3");
	usleep(100000);
}

FIXTURE(pvcon) {
	int unused;
};

FIXTURE_SETUP(pvcon)
{
}

FIXTURE_TEARDOWN(pvcon)
{
}

TEST_F(pvcon, core_loaded_by_modalias)
{
	const char *dir = platform_dir();
	char path[PATH_MAX + 16], buf[256];

	ASSERT_NE(NULL, dir) TH_LOG("no 1af4:10f1 PCI device");
	snprintf(path, sizeof(path), "%s/modalias", dir);
	ASSERT_EQ(0, read_str(path, buf, sizeof(buf)));
	TH_LOG("platform device %s, modalias %s", dir, buf);
	EXPECT_EQ(0, strncmp(buf, "pci:v00001AF4d000010F1", 22));
	driver_of(dir, buf, sizeof(buf));
	EXPECT_STREQ("pvkit", buf);
	EXPECT_TRUE(exists("/sys/module/pvkit"));
	EXPECT_TRUE(exists(BUS));
	/* No pvkit ports but the console's. */
	EXPECT_EQ(1, read_long(BUS "/ports_open"));
}

TEST_F(pvcon, console_found_and_connected)
{
	char buf[256];

	ASSERT_TRUE(exists(CONSOLE)) TH_LOG("no %s", CONSOLE);
	EXPECT_EQ(PVKIT_DEV_CLASS_CONSOLE, read_long(CONSOLE "/class"));
	EXPECT_EQ(0, read_long(CONSOLE "/instance"));
	ASSERT_EQ(0, read_str(CONSOLE "/modalias", buf, sizeof(buf)));
	EXPECT_STREQ("pvkit:console", buf);
	ASSERT_EQ(0, read_str(CONSOLE "/state", buf, sizeof(buf)));
	EXPECT_STREQ("connected", buf);
	/* The backend offers keyboard input; the driver takes it. */
	EXPECT_EQ(1, read_long(CONSOLE "/features") & 1);
	EXPECT_EQ(1, read_long(CONSOLE "/accepted") & 1);
	EXPECT_LT(0, read_long(CONSOLE "/ports"));
	driver_of(CONSOLE, buf, sizeof(buf));
	EXPECT_STREQ("pvkit_console", buf);
	ASSERT_EQ(0, read_str(CONSOLE "/hvc", buf, sizeof(buf)));
	EXPECT_STREQ("hvc0", buf);
	EXPECT_TRUE(exists("/dev/hvc0"));
}

TEST_F(pvcon, hvc0_is_a_kernel_console)
{
	char line[256];
	bool found = false;
	FILE *f;

	if (!cmdline_has("console=hvc0"))
		SKIP(return, "no console=hvc0 on the kernel command line");
	f = fopen("/proc/consoles", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		TH_LOG("%s", strtok(line, "\n"));
		found |= !strncmp(line, "hvc0 ", 5) && strchr(line, 'E');
	}
	fclose(f);
	EXPECT_TRUE(found);
}

static void pattern_line(char *line, unsigned int n)
{
	int i = snprintf(line, PATTERN_LINE, "pvcon-pattern %05u ", n);

	for (; i < PATTERN_LINE - 1; i++)
		line[i] = 'a' + (n + i) % 26;
	line[PATTERN_LINE - 1] = '\n';
}

TEST_F_TIMEOUT(pvcon, pattern_1mib_to_hvc0, 300)
{
	static char buf[PATTERN_LINE * 256];
	long notify0 = read_long(CONSOLE "/notifications");
	long irq0 = read_long(CONSOLE "/interrupts");
	long notify, irqs, chunks = PATTERN_LINES * PATTERN_LINE / 56;
	unsigned int n = 0, k;
	struct termios t;
	double t0;
	int fd;

	fd = open("/dev/hvc0", O_WRONLY | O_NOCTTY);
	ASSERT_LE(0, fd);
	/* Bytes as they are: no "\n" -> "\r\n" on the way. */
	ASSERT_EQ(0, tcgetattr(fd, &t));
	cfmakeraw(&t);
	ASSERT_EQ(0, tcsetattr(fd, TCSANOW, &t));
	t0 = now_s();
	while (n < PATTERN_LINES) {
		for (k = 0; k < 256; k++)
			pattern_line(buf + k * PATTERN_LINE, n + k);
		ASSERT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
		n += 256;
	}
	ASSERT_EQ(0, tcdrain(fd));
	EXPECT_TRUE(console_drained(120));
	close(fd);
	notify = read_long(CONSOLE "/notifications") - notify0;
	irqs = read_long(CONSOLE "/interrupts") - irq0;
	TH_LOG("%u lines in %.1f s: %ld notifications, %ld interrupts for about %ld chunks",
	       n, now_s() - t0, notify, irqs, chunks);
	/* The rings' event indices hold notifications well under one a chunk. */
	EXPECT_LT(notify, chunks / 4);
}

TEST_F_TIMEOUT(pvcon, kernel_message_on_hvc0, 60)
{
	if (!cmdline_has("console=hvc0"))
		SKIP(return, "no console=hvc0 on the kernel command line");
	/* Level 3 gets past "quiet"; the host counts it on both consoles. */
	ASSERT_EQ(0, write_str("/dev/kmsg", "<3>pvcon: kernel message marker\n"));
	EXPECT_TRUE(console_drained(30));
}

TEST_F(pvcon, unbind_closes_bind_reconnects)
{
	long in_use = read_long(BUS "/ports_in_use");
	char state[32];

	ASSERT_EQ(0, write_str(CONSOLE_DRV "/unbind", "console-0"));
	ASSERT_EQ(0, read_str(CONSOLE "/state", state, sizeof(state)));
	EXPECT_STREQ("closed", state);
	EXPECT_EQ(0, read_long(BUS "/ports_open"));
	EXPECT_EQ(0, read_long(BUS "/ring_pages"));
	EXPECT_EQ(in_use - 1, read_long(BUS "/ports_in_use"));
	ASSERT_EQ(0, write_str(CONSOLE_DRV "/bind", "console-0"));
	ASSERT_EQ(0, read_str(CONSOLE "/state", state, sizeof(state)));
	EXPECT_STREQ("connected", state);
	EXPECT_EQ(1, read_long(BUS "/ports_open"));
	EXPECT_EQ(in_use, read_long(BUS "/ports_in_use"));
	driver_of(CONSOLE, state, sizeof(state));
	EXPECT_STREQ("pvkit_console", state);
}

struct snapshot {
	long port, in_use, ring_pages, slab_kb, free_kb;
};

static void snap(struct snapshot *s)
{
	settle_memory();
	s->port = read_long(CONSOLE "/ports");
	s->in_use = read_long(BUS "/ports_in_use");
	s->ring_pages = read_long(BUS "/ring_pages");
	s->slab_kb = meminfo_kb("Slab");
	s->free_kb = meminfo_kb("MemFree");
}

/* One unload and reload of both modules; 0 or the step that failed. */
static int reload_once(const char **why)
{
	char state[32];
	const char *dir = platform_dir();
	char path[PATH_MAX + 16];

	*why = "rmmod pvkit_console";
	if (run("rmmod pvkit_console"))
		return -1;
	*why = "console not closed after rmmod pvkit_console";
	if (read_str(CONSOLE "/state", state, sizeof(state)) ||
	    strcmp(state, "closed") || read_long(BUS "/ports_open") != 0 ||
	    read_long(BUS "/ring_pages") != 0)
		return -1;
	*why = "rmmod pvkit";
	if (run("rmmod pvkit") || exists(BUS))
		return -1;
	*why = "modprobe by the platform device's modalias";
	snprintf(path, sizeof(path), "%s/modalias", dir ? dir : "/nonexistent");
	if (modprobe_alias(path) || !exists(CONSOLE))
		return -1;
	*why = "modprobe by the console's modalias";
	if (modprobe_alias(CONSOLE "/modalias") ||
	    read_str(CONSOLE "/state", state, sizeof(state)) ||
	    strcmp(state, "connected") || !exists("/dev/hvc0"))
		return -1;
	return 0;
}

TEST_F_TIMEOUT(pvcon, reload_50_times_no_leak, 600)
{
	struct snapshot a, b;
	const char *why = "";
	double t0;
	int i;

	/* One round first, so that caches the first load fills are full. */
	ASSERT_EQ(0, reload_once(&why)) TH_LOG("warm-up: %s", why);
	snap(&a);
	t0 = now_s();
	for (i = 0; i < RELOADS; i++)
		ASSERT_EQ(0, reload_once(&why)) TH_LOG("round %d: %s", i, why);
	snap(&b);
	TH_LOG("%d reloads in %.1f s", RELOADS, now_s() - t0);
	TH_LOG("console port %ld -> %ld, ports in use %ld -> %ld, ring pages %ld -> %ld",
	       a.port, b.port, a.in_use, b.in_use, a.ring_pages, b.ring_pages);
	TH_LOG("Slab %ld -> %ld kB, MemFree %ld -> %ld kB",
	       a.slab_kb, b.slab_kb, a.free_kb, b.free_kb);
	/* A port left open would make the next one a new number. */
	EXPECT_EQ(a.port, b.port);
	EXPECT_EQ(a.in_use, b.in_use);
	EXPECT_EQ(a.ring_pages, b.ring_pages);
	EXPECT_LT(b.slab_kb - a.slab_kb, SLAB_SLACK_KB);
	EXPECT_LT(a.free_kb - b.free_kb, FREE_SLACK_KB);
}

TEST_F(pvcon, dmesg_clean)
{
	static const char *const bad[] = {
		"WARNING: CPU:", "BUG: ", "Oops", "Call Trace", "leak:",
		"broke the protocol", "left it connected", "rings kept",
	};
	FILE *f = popen("dmesg", "r");
	char line[512];
	bool clean = true;
	size_t i;

	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (strstr(line, bad[i])) {
				TH_LOG("dmesg: %s", strtok(line, "\n"));
				clean = false;
			}
		}
	}
	pclose(f);
	EXPECT_TRUE(clean);
}

TEST_HARNESS_MAIN
