// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor and module command line parsers: defaults, every key,
 * every class of error message, and refusal to truncate.
 */
#include <stdint.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXV		4

static char err[256];

static int mod(const char *line, unsigned int index, struct domain_cfg *cfg)
{
	memset(cfg, 0x5c, sizeof(*cfg));
	memset(err, 'E', sizeof(err));
	return bootcfg_parse_module(line, index, MAXV, cfg, err, sizeof(err));
}

static void test_module_defaults(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("/boot/minios.elf", 0, &c), 0);
	EXPECT_STREQ(c.path, "/boot/minios.elf");
	EXPECT_STREQ(c.name, "dom1");
	EXPECT_EQ(c.kind, DOMAIN_KIND_MINIOS);
	EXPECT_EQ(c.mem_bytes, 16ull << 20);
	EXPECT_EQ(c.vcpus, 1);
	EXPECT_STREQ(c.args, "");
	EXPECT_STREQ(err, "");
	EXPECT_EQ(mod("  minios.elf  ", 6, &c), 0);
	EXPECT_STREQ(c.path, "minios.elf");
	EXPECT_STREQ(c.name, "dom7");
	/* A Linux guest defaults to two vCPUs, capped by the maximum. */
	EXPECT_EQ(mod("vmlinuz kind=linux", 0, &c), 0);
	EXPECT_EQ(c.vcpus, BOOTCFG_LINUX_VCPUS);
	EXPECT_EQ(bootcfg_parse_module("vmlinuz kind=linux", 0, 1, &c, err,
				       sizeof(err)), 0);
	EXPECT_EQ(c.vcpus, 1);
	EXPECT_EQ(mod("vmlinuz vcpus=1 kind=linux", 0, &c), 0);
	EXPECT_EQ(c.vcpus, 1);
}

static void test_module_keys(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("vmlinuz name=web-1_a kind=linux mem=256M vcpus=4", 1,
		      &c), 0);
	EXPECT_STREQ(c.path, "vmlinuz");
	EXPECT_STREQ(c.name, "web-1_a");
	EXPECT_EQ(c.kind, DOMAIN_KIND_LINUX);
	EXPECT_EQ(c.mem_bytes, 256ull << 20);
	EXPECT_EQ(c.vcpus, 4);
	EXPECT_EQ(mod("disk.img\tkind=data mem=2M", 2, &c), 0);
	EXPECT_EQ(c.kind, DOMAIN_KIND_DATA);
	EXPECT_EQ(c.mem_bytes, 2ull << 20);
	EXPECT_EQ(mod("m kind=minios mem=64G", 0, &c), 0);
	EXPECT_EQ(c.kind, DOMAIN_KIND_MINIOS);
	EXPECT_EQ(c.mem_bytes, 64ull << 30);
	/* Rounded up to 2 MiB. */
	EXPECT_EQ(mod("m mem=3M", 0, &c), 0);
	EXPECT_EQ(c.mem_bytes, 4ull << 20);
	EXPECT_EQ(mod("m mem=2049k", 0, &c), 0);
	EXPECT_EQ(c.mem_bytes, 4ull << 20);
	EXPECT_EQ(mod("m mem=0x400000", 0, &c), 0);
	EXPECT_EQ(c.mem_bytes, 4ull << 20);
	EXPECT_EQ(mod("m name=abcdefghijabcdefghijabcdefghij1", 0, &c), 0);
	EXPECT_EQ(strlen(c.name), 31);
	EXPECT_STREQ(bootcfg_kind_name(DOMAIN_KIND_LINUX), "linux");
	EXPECT_STREQ(bootcfg_kind_name(DOMAIN_KIND_MULTIBOOT), "multiboot");
	EXPECT_STREQ(bootcfg_kind_name((enum domain_kind)7), "?");
}

/* A Multiboot kernel: one vCPU and the PV console unless told otherwise. */
static void test_module_multiboot(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("kernel.elf kind=multiboot mem=32M -- a b", 0, &c), 0);
	EXPECT_EQ(c.kind, DOMAIN_KIND_MULTIBOOT);
	EXPECT_EQ(c.vcpus, 1);
	EXPECT_EQ(c.mem_bytes, 32ull << 20);
	EXPECT_STREQ(c.args, "a b");
	EXPECT_EQ(c.nr_devs, 1);
	EXPECT_EQ(mod("k kind=multiboot vcpus=2 console=emulated", 0, &c), 0);
	EXPECT_EQ(c.vcpus, 2);
	EXPECT_EQ(c.nr_devs, 0);
	EXPECT_NE(mod("k kind=multiboot1", 0, &c), 0);
	EXPECT_NE(mod("k kind=Multiboot", 0, &c), 0);
}

static void test_module_args(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("bzImage kind=linux -- console=hvc0  root=/dev/pvb0 -- x",
		      0, &c), 0);
	EXPECT_STREQ(c.args, "console=hvc0  root=/dev/pvb0 -- x");
	EXPECT_EQ(mod("m --", 0, &c), 0);
	EXPECT_STREQ(c.args, "");
	EXPECT_EQ(mod("m -- ", 0, &c), 0);
	EXPECT_STREQ(c.args, "");
	/* After "--" nothing is an option. */
	EXPECT_EQ(mod("m -- name=x mem=1", 0, &c), 0);
	EXPECT_STREQ(c.name, "dom1");
	EXPECT_STREQ(c.args, "name=x mem=1");
	/* "--x" is not the separator. */
	EXPECT_EQ(mod("m --x", 0, &c), -PVKIT_EINVAL);
}

struct err_case {
	const char *line;
	const char *msg;
};

static const struct err_case err_cases[] = {
	{ "", "module 3: empty command line" },
	{ "   ", "module 3: empty command line" },
	{ "m foo", "module 3 (m): unknown option 'foo'" },
	{ "m foo=1", "module 3 (m): unknown option 'foo=1'" },
	{ "m Name=x", "module 3 (m): unknown option 'Name=x'" },
	{ "m mem", "module 3 (m): missing value for option 'mem'" },
	{ "m name=a name=b", "module 3 (m): duplicate option 'name'" },
	{ "m mem=4M mem=4M", "module 3 (m): duplicate option 'mem'" },
	{ "m kind=data kind=linux", "module 3 (m): duplicate option 'kind'" },
	{ "m vcpus=1 vcpus=1", "module 3 (m): duplicate option 'vcpus'" },
	{ "m name=", "module 3 (m): bad name '' (1..31 of A-Z a-z 0-9 _ -)" },
	{ "m name=a.b", "module 3 (m): bad name 'a.b' (1..31 of A-Z a-z 0-9 _ -)" },
	{ "m name=abcdefghijabcdefghijabcdefghij12",
	  "module 3 (m): bad name 'abcdefghijabcdefghijabcdefghij12' (1..31 of A-Z a-z 0-9 _ -)" },
	{ "m kind=xen", "module 3 (m): bad kind 'xen' (minios, linux, multiboot, data or disk)" },
	{ "m kind=", "module 3 (m): bad kind '' (minios, linux, multiboot, data or disk)" },
	{ "m kind=MiniOS", "module 3 (m): bad kind 'MiniOS' (minios, linux, multiboot, data or disk)" },
	{ "m mem=1M", "module 3 (m): bad mem '1M' (2M..64G)" },
	{ "m mem=2097151", "module 3 (m): bad mem '2097151' (2M..64G)" },
	{ "m mem=65G", "module 3 (m): bad mem '65G' (2M..64G)" },
	{ "m mem=68719476737", "module 3 (m): bad mem '68719476737' (2M..64G)" },
	{ "m mem=99999999999999999999G", "module 3 (m): bad mem '99999999999999999999G' (2M..64G)" },
	{ "m mem=16Q", "module 3 (m): bad mem '16Q' (2M..64G)" },
	{ "m mem=", "module 3 (m): bad mem '' (2M..64G)" },
	{ "m vcpus=0", "module 3 (m): bad vcpus '0' (1..4)" },
	{ "m vcpus=5", "module 3 (m): bad vcpus '5' (1..4)" },
	{ "m vcpus=-1", "module 3 (m): bad vcpus '-1' (1..4)" },
	{ "m vcpus=1x", "module 3 (m): bad vcpus '1x' (1..4)" },
	{ "m vcpus=", "module 3 (m): bad vcpus '' (1..4)" },
	{ "m mem=1 foo", "module 3 (m): bad mem '1' (2M..64G)" },
};

static void test_module_errors(void)
{
	struct domain_cfg c, before;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(err_cases); i++) {
		memset(&before, 0x5c, sizeof(before));
		if (mod(err_cases[i].line, 2, &c) != -PVKIT_EINVAL ||
		    strcmp(err, err_cases[i].msg) ||
		    memcmp(&c, &before, sizeof(c))) {
			ktap_fail_at(__FILE__, __LINE__, err_cases[i].line);
			ktap_diag("  got \"%s\", want \"%s\"", err,
				  err_cases[i].msg);
		}
	}
}

static void test_module_long_quote(void)
{
	char line[200];
	struct domain_cfg c;

	strcpy(line, "m ");
	memset(line + 2, 'z', 100);
	line[102] = '\0';
	EXPECT_EQ(mod(line, 0, &c), -PVKIT_EINVAL);
	/* The message quotes a bounded prefix of the word. */
	EXPECT(strlen(err) < 100);
	EXPECT(!strncmp(err, "module 1 (m): unknown option 'zzzz", 34));
}

static void test_module_truncation_refused(void)
{
	char line[BOOTCFG_ARGS_MAX + 64];
	struct domain_cfg c;

	memset(line, 'p', BOOTCFG_PATH_MAX - 1);
	line[BOOTCFG_PATH_MAX - 1] = '\0';
	EXPECT_EQ(mod(line, 0, &c), 0);
	EXPECT_EQ(strlen(c.path), BOOTCFG_PATH_MAX - 1);
	memset(line, 'p', BOOTCFG_PATH_MAX);
	line[BOOTCFG_PATH_MAX] = '\0';
	EXPECT_EQ(mod(line, 3, &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "module 4: path longer than 127 bytes");

	strcpy(line, "m -- ");
	memset(line + 5, 'a', BOOTCFG_ARGS_MAX - 1);
	line[5 + BOOTCFG_ARGS_MAX - 1] = '\0';
	EXPECT_EQ(mod(line, 0, &c), 0);
	EXPECT_EQ(strlen(c.args), BOOTCFG_ARGS_MAX - 1);
	line[5 + BOOTCFG_ARGS_MAX - 1] = 'a';
	line[5 + BOOTCFG_ARGS_MAX] = '\0';
	EXPECT_EQ(mod(line, 0, &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "module 1 (m): guest arguments longer than 511 bytes");
}

static void test_module_small_err(void)
{
	struct domain_cfg c;
	char small[8];

	memset(small, 'x', sizeof(small));
	EXPECT_EQ(bootcfg_parse_module("m foo", 0, MAXV, &c, small,
				       sizeof(small)), -PVKIT_EINVAL);
	EXPECT_STREQ(small, "module ");
	/* No error buffer at all is fine too. */
	EXPECT_EQ(bootcfg_parse_module("m foo", 0, MAXV, &c, NULL, 0),
		  -PVKIT_EINVAL);
	EXPECT_EQ(bootcfg_parse_module(NULL, 0, MAXV, &c, NULL, 0),
		  -PVKIT_EINVAL);
}

static int hv(const char *line, struct hv_cfg *cfg)
{
	cfg->loglevel = 99;
	cfg->noexit = false;
	cfg->console_raw = false;
	cfg->uplink = false;
	memset(err, 'E', sizeof(err));
	return bootcfg_parse_hv(line, cfg, err, sizeof(err));
}

static void test_hv(void)
{
	struct hv_cfg c;

	EXPECT_EQ(hv("", &c), 0);
	EXPECT_EQ(c.loglevel, -1);
	EXPECT_EQ(c.noexit, false);
	EXPECT_EQ(hv(NULL, &c), 0);
	EXPECT_EQ(c.loglevel, -1);
	/* The Multiboot kernel path comes first. */
	EXPECT_EQ(hv("/boot/pvkit.elf loglevel=4 noexit", &c), 0);
	EXPECT_EQ(c.loglevel, 4);
	EXPECT_EQ(c.noexit, true);
	EXPECT_EQ(hv("pvkit.elf", &c), 0);
	EXPECT_EQ(c.loglevel, -1);
	EXPECT_EQ(hv("loglevel=0", &c), 0);
	EXPECT_EQ(c.loglevel, 0);
	EXPECT_EQ(hv("noexit", &c), 0);
	EXPECT_EQ(c.noexit, true);
	EXPECT_EQ(c.console_rate, -1);
	EXPECT_EQ(hv("k console_rate=0", &c), 0);
	EXPECT_EQ(c.console_rate, 0);
	EXPECT_EQ(hv("k console_rate=64K", &c), 0);
	EXPECT_EQ(c.console_rate, 65536);
	EXPECT_STREQ(err, "");
	EXPECT_EQ(hv("k console_rate=fast", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "bad console_rate 'fast' (bytes a second, K/M suffixes, 0 = no limit)");
	EXPECT_EQ(hv("k console_rate=1 console_rate=2", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'console_rate'");
	EXPECT_EQ(hv("k console_burst=128K", &c), 0);
	EXPECT_EQ(c.console_burst, 131072);
	EXPECT_EQ(hv("k console_burst=100", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "bad console_burst '100' (bytes, K/M suffixes, 256..1G)");
	EXPECT_EQ(c.ram_zeroed, false);
	EXPECT_EQ(hv("ram_zeroed", &c), 0);
	EXPECT_EQ(c.ram_zeroed, true);
	EXPECT_EQ(c.noexit, false);
	EXPECT_EQ(hv("k noexit ram_zeroed loglevel=2", &c), 0);
	EXPECT_EQ(c.ram_zeroed, true);
	EXPECT_EQ(c.noexit, true);
	EXPECT_STREQ(err, "");
	EXPECT_EQ(hv("k ram_zeroed=1", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "option 'ram_zeroed' takes no value");
	EXPECT_EQ(hv("ram_zeroed ram_zeroed", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'ram_zeroed'");
	/* Raw console output only when asked: a log file may be listening. */
	EXPECT_EQ(hv("k", &c), 0);
	EXPECT_EQ(c.console_raw, false);
	EXPECT_EQ(hv("k console_raw", &c), 0);
	EXPECT_EQ(c.console_raw, true);
	EXPECT_EQ(c.noexit, false);
	/* A flag name first is an option, not the kernel path. */
	EXPECT_EQ(hv("console_raw", &c), 0);
	EXPECT_EQ(c.console_raw, true);
	EXPECT_EQ(hv("console_raw noexit loglevel=3", &c), 0);
	EXPECT_EQ(c.console_raw, true);
	EXPECT_EQ(c.noexit, true);
	EXPECT_EQ(hv("k console_raw=1", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "option 'console_raw' takes no value");
	EXPECT_EQ(hv("k console_raw console_raw", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'console_raw'");
	/* The uplink only when asked: most machines have no virtio-net. */
	EXPECT_EQ(hv("k", &c), 0);
	EXPECT_EQ(c.uplink, false);
	EXPECT_EQ(hv("k uplink noexit", &c), 0);
	EXPECT_EQ(c.uplink, true);
	EXPECT_EQ(c.noexit, true);
	EXPECT_EQ(hv("uplink", &c), 0);
	EXPECT_EQ(c.uplink, true);
	EXPECT_EQ(hv("k uplink=1", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "option 'uplink' takes no value");
	EXPECT_EQ(hv("k uplink uplink", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'uplink'");
	/* Passthrough without interrupt remapping only when asked. */
	EXPECT_EQ(hv("k", &c), 0);
	EXPECT_EQ(c.unsafe_interrupts, false);
	EXPECT_EQ(hv("k unsafe_interrupts", &c), 0);
	EXPECT_EQ(c.unsafe_interrupts, true);
	EXPECT_EQ(hv("k unsafe_interrupts=1", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "option 'unsafe_interrupts' takes no value");
	/* The exit tables at each domain's end. */
	EXPECT_EQ(hv("k", &c), 0);
	EXPECT_EQ(c.exitstats, false);
	EXPECT_EQ(hv("k exitstats loglevel=2", &c), 0);
	EXPECT_EQ(c.exitstats, true);
	EXPECT_EQ(hv("k exitstats exitstats", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'exitstats'");
	/* Only the first word may be a path. */
	EXPECT_EQ(hv("kernel other", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "unknown option 'other'");
	EXPECT_EQ(hv("loglevel=5", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "bad loglevel '5' (0..4)");
	EXPECT_EQ(hv("k loglevel=", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "bad loglevel '' (0..4)");
	EXPECT_EQ(hv("k loglevel", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "bad loglevel '' (0..4)");
	EXPECT_EQ(hv("k loglevel=1 loglevel=2", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'loglevel'");
	EXPECT_EQ(hv("noexit noexit", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "duplicate option 'noexit'");
	EXPECT_EQ(hv("k noexit=1", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "option 'noexit' takes no value");
	EXPECT_EQ(hv("k quiet=1", &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "unknown option 'quiet=1'");
	/* Failure leaves the caller's config alone. */
	EXPECT_EQ(c.loglevel, 99);
}

static void test_module_devices(void)
{
	struct domain_cfg c;

	/* Every guest gets the PV console as device 0 by default. */
	EXPECT_EQ(mod("minios.elf", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 1);
	EXPECT_EQ(c.devs[0].type, DEV_TYPE_CONSOLE);
	EXPECT_EQ(c.devs[0].mode, DEV_MODE_PV);
	EXPECT_EQ(mod("vmlinuz kind=linux console=pv", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 1);
	EXPECT_EQ(c.devs[0].type, DEV_TYPE_CONSOLE);
	EXPECT_EQ(mod("vmlinuz console=emulated kind=linux", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 0);
	EXPECT_EQ(mod("initrd kind=data", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 0);
}

/* A PV disk on RAM storage, for Mini-OS; the console stays device 0. */
static void test_module_pv_disk(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("minios.elf disk=3,mode=pv,size=8M", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 2);
	EXPECT_EQ(c.devs[0].type, DEV_TYPE_CONSOLE);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_DISK);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_PV);
	EXPECT_EQ(c.devs[1].id, 3);
	EXPECT_EQ(c.devs[1].size, 8ull << 20);
	EXPECT_EQ(mod("m disk=0,size=64K,mode=pv disk=1,mode=pv,size=1G", 0,
		      &c), 0);
	EXPECT_EQ(c.nr_devs, 3);
	EXPECT_EQ(c.devs[1].size, 64ull << 10);
	EXPECT_EQ(c.devs[2].size, 1ull << 30);
	EXPECT_EQ(mod("m console=emulated disk=0,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 1);
	EXPECT_EQ(c.devs[0].type, DEV_TYPE_DISK);
}

/* A PV disk's storage: RAM by default, or the machine's Nth virtio-blk. */
static void test_module_pv_disk_storage(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_RAM);
	EXPECT_EQ(mod("m disk=0,mode=pv,storage=ram,size=1M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_RAM);
	EXPECT_EQ(c.devs[1].size, 1ull << 20);
	EXPECT_EQ(mod("m disk=0,mode=pv,storage=virtio", 0, &c), 0);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_VIRTIO);
	EXPECT_EQ(c.devs[1].storage_index, 0);
	EXPECT_EQ(c.devs[1].size, 0);
	EXPECT_EQ(c.devs[1].mtu, 0);
	EXPECT_EQ(mod("m disk=1,storage=vblk3,mode=pv disk=2,mode=pv,size=64K",
		      0, &c), 0);
	EXPECT_EQ(c.nr_devs, 3);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_VIRTIO);
	EXPECT_EQ(c.devs[1].storage_index, 3);
	EXPECT_EQ(c.devs[2].storage, DEV_STORAGE_RAM);
	EXPECT_EQ(mod("l kind=linux disk=0,mode=pv,storage=vblk1", 0, &c), 0);
	EXPECT_EQ(c.devs[1].storage_index, 1);
}

/* An emulated disk (the IDE master) takes a PV disk's storage options. */
static void test_module_emulated_disk(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("l kind=linux disk=0,mode=emulated,size=8M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_DISK);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_EMULATED);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_RAM);
	EXPECT_EQ(c.devs[1].size, 8ull << 20);
	EXPECT_EQ(mod("l kind=linux disk=3,mode=emulated,storage=vblk2 disk=4,mode=pv,size=1M",
		      0, &c), 0);
	EXPECT_EQ(c.nr_devs, 3);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_VIRTIO);
	EXPECT_EQ(c.devs[1].storage_index, 2);
	EXPECT_EQ(c.devs[2].mode, DEV_MODE_PV);
	EXPECT_EQ(mod("m kind=multiboot disk=0,mode=emulated,size=1M", 0, &c), 0);
}

/* Where a PV disk's backend runs: a free pCPU if any, or vCPU 0's. */
static void test_module_pv_disk_backend(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].backend, DEV_BACKEND_AUTO);
	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M,backend=vcpu", 0, &c), 0);
	EXPECT_EQ(c.devs[1].backend, DEV_BACKEND_VCPU);
	EXPECT_EQ(mod("m disk=0,backend=auto,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].backend, DEV_BACKEND_AUTO);
	EXPECT_NE(mod("m disk=0,mode=pv,size=1M,backend=pcpu1", 0, &c), 0);
	EXPECT_NE(mod("m disk=0,mode=pv,size=1M,backend=", 0, &c), 0);
	EXPECT_NE(mod("m disk=0,mode=pv,size=1M,backend=vcpu,backend=auto", 0, &c), 0);
	EXPECT_EQ(mod("l kind=linux net=0,mode=pv,backend=vcpu", 0, &c), 0);
	EXPECT_EQ(c.devs[1].backend, DEV_BACKEND_VCPU);
}

/* access=ro offers a PV disk read-only; rw is the default. */
static void test_module_pv_disk_access(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].read_only, 0);
	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M,access=ro", 0, &c), 0);
	EXPECT_EQ(c.devs[1].read_only, 1);
	EXPECT_EQ(mod("m disk=0,access=rw,mode=pv,storage=virtio", 0, &c), 0);
	EXPECT_EQ(c.devs[1].read_only, 0);
	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M,access=wo", 0, &c),
		  -PVKIT_EINVAL);
	EXPECT_STREQ(err, "module 1 (m): bad access 'wo' (rw or ro)");
	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M,access=ro,access=ro", 0, &c),
		  -PVKIT_EINVAL);
	EXPECT_EQ(mod("l kind=linux net=0,mode=pv,access=ro", 0, &c),
		  -PVKIT_EINVAL);
	EXPECT_STREQ(err, "module 1 (l): access= is for PV disks only, in '0,mode=pv,access=ro'");
}

/* Linux drives a PV disk with pvkit_blk.ko, the kind before or after it. */
static void test_module_pv_disk_linux(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("l kind=linux disk=0,mode=pv,size=64M", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 2);
	EXPECT_EQ(c.devs[0].type, DEV_TYPE_CONSOLE);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_DISK);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_PV);
	EXPECT_EQ(c.devs[1].size, 64ull << 20);
	EXPECT_EQ(mod("l disk=2,mode=pv,size=1M kind=linux", 0, &c), 0);
	EXPECT_EQ(c.kind, DOMAIN_KIND_LINUX);
	EXPECT_EQ(c.devs[1].id, 2);
}

/* A disk image module names the disk it fills with disk=ID, no mode. */
static void test_module_disk_image(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("build/guest/disk.ext4 kind=disk disk=0", 2, &c), 0);
	EXPECT_EQ(c.kind, DOMAIN_KIND_DISK);
	EXPECT_EQ(c.image_disk, 0);
	EXPECT_EQ(c.nr_devs, 0);
	EXPECT_STREQ(c.path, "build/guest/disk.ext4");
	EXPECT_EQ(mod("d.img disk=255 kind=disk", 0, &c), 0);
	EXPECT_EQ(c.image_disk, 255);
	EXPECT_STREQ(bootcfg_kind_name(DOMAIN_KIND_DISK), "disk");
	/* Every other kind has none. */
	EXPECT_EQ(mod("l kind=linux disk=0,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.image_disk, -1);
	EXPECT_EQ(mod("i kind=data", 0, &c), 0);
	EXPECT_EQ(c.image_disk, -1);
}

static const struct { const char *line, *msg; } image_err_cases[] = {
	{ "d kind=disk", "module 1 (d): a kind=disk module needs disk=ID, the disk it fills" },
	{ "d kind=disk disk=0 disk=1", "module 1 (d): duplicate option 'disk'" },
	{ "d kind=disk disk=256", "module 1 (d): bad disk id '256' (0..255)" },
	{ "d kind=disk disk=x", "module 1 (d): bad disk id 'x' (0..255)" },
	{ "d kind=disk disk=", "module 1 (d): bad disk id '' (0..255)" },
	{ "d kind=disk disk=0 disk=1,mode=pv,size=1M", "module 1 (d): a disk module has no devices" },
	{ "d kind=disk disk=0 console=pv", "module 1 (d): a disk module has no devices" },
	{ "d kind=data disk=0", "module 1 (d): disk=0 without mode= is for kind=disk modules (a disk is disk=ID,mode=M)" },
	{ "l kind=linux disk=0,mode=pv,size=1M disk=0", "module 1 (l): disk=0 without mode= is for kind=disk modules (a disk is disk=ID,mode=M)" },
	{ "d kind=disks disk=0", "module 1 (d): bad kind 'disks' (minios, linux, multiboot, data or disk)" },
};

static void test_module_disk_image_errors(void)
{
	struct domain_cfg c, before;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(image_err_cases); i++) {
		memset(&before, 0x5c, sizeof(before));
		if (mod(image_err_cases[i].line, 0, &c) != -PVKIT_EINVAL ||
		    strcmp(err, image_err_cases[i].msg) ||
		    memcmp(&c, &before, sizeof(c))) {
			ktap_fail_at(__FILE__, __LINE__, image_err_cases[i].line);
			ktap_diag("  got \"%s\", want \"%s\"", err,
				  image_err_cases[i].msg);
		}
	}
}

/* An emulated NIC (an e1000): mac= as given or derived, no mtu=. */
static void test_module_emulated_net(void)
{
	static const uint8_t given[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct domain_cfg c;

	EXPECT_EQ(mod("l kind=linux net=0,mode=emulated,mac=02:11:22:33:44:55",
		      0, &c), 0);
	EXPECT_EQ(c.nr_devs, 2);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_NET);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_EMULATED);
	EXPECT_EQ(c.devs[1].mtu, 0);
	EXPECT_EQ(memcmp(c.devs[1].mac, given, 6), 0);
	EXPECT_EQ(mod("l kind=multiboot name=alpha net=1,mode=emulated", 0, &c), 0);
	EXPECT_EQ(c.devs[1].mac[0], 0x02);
	EXPECT_EQ(c.devs[1].mac[1], 0x50);
	EXPECT_NE(mod("l net=0,mode=emulated,mtu=1500", 0, &c), 0);
	EXPECT_STREQ(err, "module 1 (l): mtu= is for PV NICs only, in '0,mode=emulated,mtu=1500'");
}

/*
 * unplug=pv: an emulated disk or NIC that PV takes over; the NIC's PV
 * replacement gets the default MTU and keeps the e1000's MAC.
 */
static void test_module_unplug(void)
{
	static const uint8_t given[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct domain_cfg c;

	EXPECT_EQ(mod("l kind=linux disk=0,mode=emulated,size=8M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].unplug, 0);
	EXPECT_EQ(mod("l kind=linux disk=0,mode=emulated,unplug=pv,storage=virtio "
		      "net=0,unplug=pv,mode=emulated,mac=02:11:22:33:44:55",
		      0, &c), 0);
	EXPECT_EQ(c.nr_devs, 3);
	EXPECT_EQ(c.devs[1].unplug, 1);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_EMULATED);
	EXPECT_EQ(c.devs[1].storage, DEV_STORAGE_VIRTIO);
	EXPECT_EQ(c.devs[2].unplug, 1);
	EXPECT_EQ(c.devs[2].mtu, BOOTCFG_NET_MTU_DEFAULT);
	EXPECT_EQ(memcmp(c.devs[2].mac, given, 6), 0);
	EXPECT_EQ(mod("l kind=linux net=0,mode=emulated", 0, &c), 0);
	EXPECT_EQ(c.devs[1].mtu, 0);
	EXPECT_EQ(mod("l kind=multiboot net=1,mode=emulated,unplug=pv", 0, &c), 0);
	EXPECT_EQ(c.devs[1].mac[1], 0x50);
}

/* pci=BB:DD.F: a passthrough function, its requester id as the id. */
static void test_module_pci(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("m kind=multiboot pci=00:05.0 pci=1f:1f.7", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 3);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_PCI);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_PASSTHROUGH);
	EXPECT_EQ(c.devs[1].id, 0x0028);
	EXPECT_EQ(c.devs[2].id, 0x1fff);
	EXPECT_NE(mod("m kind=linux pci=00:05.0 pci=00:05.0", 0, &c), 0);
	EXPECT_STREQ(err, "module 1 (m): duplicate device '00:05.0'");
}

/*
 * disk= and net= with mode=passthrough: the pci device of that BDF, with
 * the role it was given as and its disk or NIC ID.
 */
static void test_module_pci_alias(void)
{
	static const uint8_t zero[6];
	struct domain_cfg c;

	EXPECT_EQ(mod("l kind=linux disk=0,mode=passthrough,pci=00:10.0 "
		      "net=0,mode=passthrough,pci=01:00.1 pci=00:05.0 "
		      "disk=1,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 5);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_PCI);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_PASSTHROUGH);
	EXPECT_EQ(c.devs[1].id, 0x0080);
	EXPECT_EQ(c.devs[1].role, DEV_ROLE_DISK);
	EXPECT_EQ(c.devs[1].role_id, 0);
	EXPECT_EQ(c.devs[1].size, 0);
	EXPECT_EQ(c.devs[2].type, DEV_TYPE_PCI);
	EXPECT_EQ(c.devs[2].mode, DEV_MODE_PASSTHROUGH);
	EXPECT_EQ(c.devs[2].id, 0x0101);
	EXPECT_EQ(c.devs[2].role, DEV_ROLE_NET);
	EXPECT_EQ(c.devs[2].role_id, 0);
	/* No derived MAC, no default MTU: the function has its own. */
	EXPECT_EQ(c.devs[2].mtu, 0);
	EXPECT_EQ(memcmp(c.devs[2].mac, zero, 6), 0);
	EXPECT_EQ(c.devs[3].type, DEV_TYPE_PCI);
	EXPECT_EQ(c.devs[3].id, 0x0028);
	EXPECT_EQ(c.devs[3].role, DEV_ROLE_NONE);
	EXPECT_EQ(c.devs[4].type, DEV_TYPE_DISK);
	EXPECT_EQ(c.devs[4].role, DEV_ROLE_NONE);
	/* Options in any order; the ID is kept. */
	EXPECT_EQ(mod("m kind=multiboot disk=7,pci=1f:1f.7,mode=passthrough",
		      0, &c), 0);
	EXPECT_EQ(c.nr_devs, 2);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_PCI);
	EXPECT_EQ(c.devs[1].id, 0x1fff);
	EXPECT_EQ(c.devs[1].role, DEV_ROLE_DISK);
	EXPECT_EQ(c.devs[1].role_id, 7);
	/* Disk 0 and NIC 0 are two devices, as with the other modes. */
	EXPECT_EQ(mod("l kind=linux console=emulated disk=0,mode=passthrough,pci=00:10.0 "
		      "net=0,mode=passthrough,pci=00:11.0", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 2);
	EXPECT_EQ(c.devs[0].role, DEV_ROLE_DISK);
	EXPECT_EQ(c.devs[1].role, DEV_ROLE_NET);
	EXPECT_EQ(c.devs[1].id, 0x0088);
}

/* A PV NIC: mtu= and mac= as given, else 1500 and a derived address. */
static void test_module_pv_net(void)
{
	static const uint8_t given[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x0e };
	struct domain_cfg c;
	uint8_t a[6], b[6];

	EXPECT_EQ(mod("l kind=linux net=0,mode=pv,mac=02:AA:bb:cc:dd:0e,mtu=9000",
		      0, &c), 0);
	EXPECT_EQ(c.nr_devs, 2);
	EXPECT_EQ(c.devs[1].type, DEV_TYPE_NET);
	EXPECT_EQ(c.devs[1].mode, DEV_MODE_PV);
	EXPECT_EQ(c.devs[1].mtu, 9000);
	EXPECT_EQ(memcmp(c.devs[1].mac, given, 6), 0);
	/* Derived: locally administered unicast, stable, per name and id. */
	EXPECT_EQ(mod("l name=alpha net=1,mode=pv", 0, &c), 0);
	EXPECT_EQ(c.devs[1].mtu, 1500);
	EXPECT_EQ(c.devs[1].mac[0], 0x02);
	memcpy(a, c.devs[1].mac, 6);
	EXPECT_EQ(mod("l net=1,mode=pv,mtu=68 name=alpha", 3, &c), 0);
	EXPECT_EQ(c.devs[1].mtu, 68);
	EXPECT_EQ(memcmp(c.devs[1].mac, a, 6), 0);
	EXPECT_EQ(mod("l name=beta net=1,mode=pv", 0, &c), 0);
	memcpy(b, c.devs[1].mac, 6);
	EXPECT_NE(memcmp(a, b, 6), 0);
	EXPECT_EQ(mod("l name=alpha net=0,mode=pv net=1,mode=pv", 0, &c), 0);
	EXPECT_EQ(c.nr_devs, 3);
	EXPECT_NE(memcmp(c.devs[1].mac, c.devs[2].mac, 6), 0);
	EXPECT_EQ(memcmp(c.devs[2].mac, a, 6), 0);
	/* Nothing of a NIC's options lands on a disk. */
	EXPECT_EQ(mod("m disk=0,mode=pv,size=1M", 0, &c), 0);
	EXPECT_EQ(c.devs[1].mtu, 0);
}

/* x2APIC and the TSC-deadline timer: offered unless a Linux line says off. */
static void test_module_lapic_options(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("vmlinuz kind=linux", 0, &c), 0);
	EXPECT(!c.no_x2apic);
	EXPECT(!c.no_tsc_deadline);
	EXPECT_EQ(mod("vmlinuz kind=linux x2apic=off tsc_deadline=off", 0, &c),
		  0);
	EXPECT(c.no_x2apic);
	EXPECT(c.no_tsc_deadline);
	EXPECT_EQ(mod("vmlinuz tsc_deadline=off x2apic=on kind=linux", 0, &c),
		  0);
	EXPECT(!c.no_x2apic);
	EXPECT(c.no_tsc_deadline);
	EXPECT_EQ(mod("vmlinuz kind=linux x2apic=on -- x2apic=off", 0, &c), 0);
	EXPECT(!c.no_x2apic);
	EXPECT_STREQ(c.args, "x2apic=off");
}

/* paging=: nested or shadow, for any kind; the arch code checks the CPU. */
static void test_module_paging(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("m", 0, &c), 0);
	EXPECT_EQ(c.paging, PAGING_DEFAULT);
	EXPECT_EQ(mod("m paging=shadow", 0, &c), 0);
	EXPECT_EQ(c.paging, PAGING_SHADOW);
	EXPECT_EQ(mod("vmlinuz kind=linux paging=nested -- paging=shadow", 0,
		      &c), 0);
	EXPECT_EQ(c.paging, PAGING_NESTED);
	EXPECT_EQ(mod("k kind=multiboot paging=shadow", 0, &c), 0);
	EXPECT_EQ(c.paging, PAGING_SHADOW);
}

/* after=NAME is only recorded here; domain_build.c resolves it. */
static void test_module_after(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("m name=b", 1, &c), 0);
	EXPECT_STREQ(c.after, "");
	EXPECT_EQ(mod("m name=b after=a pci=00:10.0 kind=multiboot", 1, &c), 0);
	EXPECT_STREQ(c.after, "a");
	EXPECT_EQ(mod("m after=a -- after=b", 1, &c), 0);
	EXPECT_STREQ(c.after, "a");
	EXPECT_STREQ(c.args, "after=b");
}

static const struct {
	const char *line;
	const char *msg;
} dev_err_cases[] = {
	{ "m after=a@b", "module 1 (m): bad after 'a@b' (the name of an earlier domain)" },
	{ "m after=", "module 1 (m): bad after '' (the name of an earlier domain)" },
	{ "m after=a after=b", "module 1 (m): duplicate option 'after'" },
	{ "m paging=soft", "module 1 (m): bad paging 'soft' (nested or shadow)" },
	{ "m paging=", "module 1 (m): bad paging '' (nested or shadow)" },
	{ "m paging=shadow paging=nested", "module 1 (m): duplicate option 'paging'" },
	{ "m net=0,mode=emulated", "module 1 (m): an emulated NIC is for kind=linux and kind=multiboot" },
	{ "l kind=linux net=0,mode=emulated,mtu=1500", "module 1 (l): mtu= is for PV NICs only, in '0,mode=emulated,mtu=1500'" },
	{ "l kind=linux net=0,mode=emulated,unplug=pv,mtu=1500", "module 1 (l): mtu= is for PV NICs only, in '0,mode=emulated,unplug=pv,mtu=1500'" },
	{ "l kind=linux net=0,mode=emulated,unplug=yes", "module 1 (l): bad unplug 'yes' (pv)" },
	{ "l kind=linux net=0,mode=emulated,unplug=", "module 1 (l): bad unplug '' (pv)" },
	{ "l kind=linux net=0,mode=emulated,unplug=pv,unplug=pv", "module 1 (l): duplicate device option 'unplug=pv'" },
	{ "l kind=linux net=0,mode=pv,unplug=pv", "module 1 (l): unplug= is for emulated disks and NICs only, in '0,mode=pv,unplug=pv'" },
	{ "l kind=linux disk=0,mode=pv,size=1M,unplug=pv", "module 1 (l): unplug= is for emulated disks and NICs only, in '0,mode=pv,size=1M,unplug=pv'" },
	{ "l kind=linux disk=0,mode=passthrough,pci=00:10.0,unplug=pv", "module 1 (l): unplug= is not for mode=passthrough, in '0,mode=passthrough,pci=00:10.0,unplug=pv'" },
	{ "m disk=0,mode=emulated,size=1M,unplug=pv", "module 1 (m): an emulated disk is for kind=linux and kind=multiboot" },
	{ "l kind=linux x2apic=no", "module 1 (l): bad x2apic 'no' (on or off)" },
	{ "l kind=linux x2apic=", "module 1 (l): bad x2apic '' (on or off)" },
	{ "l kind=linux x2apic", "module 1 (l): missing value for option 'x2apic'" },
	{ "l kind=linux tsc_deadline=OFF", "module 1 (l): bad tsc_deadline 'OFF' (on or off)" },
	{ "l kind=linux x2apic=off x2apic=off", "module 1 (l): duplicate option 'x2apic'" },
	{ "l kind=linux tsc_deadline=on tsc_deadline=off", "module 1 (l): duplicate option 'tsc_deadline'" },
	{ "m x2apic=off", "module 1 (m): x2apic= and tsc_deadline= are for kind=linux" },
	{ "d tsc_deadline=on kind=data", "module 1 (d): x2apic= and tsc_deadline= are for kind=linux" },
	{ "m console=serial", "module 1 (m): bad console 'serial' (emulated or pv)" },
	{ "m console=passthrough", "module 1 (m): bad console 'passthrough' (emulated or pv)" },
	{ "m console=pv console=pv", "module 1 (m): duplicate option 'console'" },
	{ "m disk=0,mode=pv", "module 1 (m): no size= for disk '0,mode=pv' (its RAM storage: size=SIZE)" },
	{ "m disk=0,mode=pv,storage=nvme", "module 1 (m): bad storage 'nvme' (ram, virtio or vblk0 .. vblk3)" },
	{ "m disk=0,mode=pv,storage=vblk4", "module 1 (m): bad storage 'vblk4' (ram, virtio or vblk0 .. vblk3)" },
	{ "m disk=0,mode=pv,storage=vblk", "module 1 (m): bad storage 'vblk' (ram, virtio or vblk0 .. vblk3)" },
	{ "m disk=0,mode=pv,storage=", "module 1 (m): bad storage '' (ram, virtio or vblk0 .. vblk3)" },
	{ "m disk=0,mode=pv,storage=virtio,storage=ram", "module 1 (m): duplicate device option 'storage=ram'" },
	{ "m disk=0,mode=pv,storage=virtio,size=1M", "module 1 (m): size= is for RAM storage only, in '0,mode=pv,storage=virtio,size=1M' (vblkN has its device's capacity)" },
	{ "m disk=0,mode=pv,storage=ram", "module 1 (m): no size= for disk '0,mode=pv,storage=ram' (its RAM storage: size=SIZE)" },
	{ "m disk=0,mode=pv,size=60K", "module 1 (m): bad disk size '60K' (64K .. 1G, a multiple of 4K)" },
	{ "m disk=0,mode=pv,size=2G", "module 1 (m): bad disk size '2G' (64K .. 1G, a multiple of 4K)" },
	{ "m disk=0,mode=pv,size=65537", "module 1 (m): bad disk size '65537' (64K .. 1G, a multiple of 4K)" },
	{ "m disk=0,mode=pv,size=", "module 1 (m): bad disk size '' (64K .. 1G, a multiple of 4K)" },
	{ "m disk=0,mode=pv,size=1M,size=1M", "module 1 (m): duplicate device option 'size=1M'" },
	{ "m disk=0,mode=pv,size=1M disk=0,mode=pv,size=2M", "module 1 (m): duplicate device '0,mode=pv,size=2M'" },
	{ "m net=0,mode=pv,size=1M", "module 1 (m): size= is for disks only, in '0,mode=pv,size=1M'" },
	{ "m net=0,mode=pv,mtu=67", "module 1 (m): bad MTU '67' (68 .. 9000)" },
	{ "m net=0,mode=pv,mtu=9001", "module 1 (m): bad MTU '9001' (68 .. 9000)" },
	{ "m net=0,mode=pv,mtu=", "module 1 (m): bad MTU '' (68 .. 9000)" },
	{ "m net=0,mode=pv,mtu=1500,mtu=1500", "module 1 (m): duplicate device option 'mtu=1500'" },
	{ "m net=0,mode=pv,mac=01:00:5e:00:00:01", "module 1 (m): bad MAC address '01:00:5e:00:00:01' (XX:XX:XX:XX:XX:XX, unicast)" },
	{ "m net=0,mode=pv,mac=02:00:00:00:00", "module 1 (m): bad MAC address '02:00:00:00:00' (XX:XX:XX:XX:XX:XX, unicast)" },
	{ "m net=0,mode=pv,mac=02-00-00-00-00-01", "module 1 (m): bad MAC address '02-00-00-00-00-01' (XX:XX:XX:XX:XX:XX, unicast)" },
	{ "m net=0,mode=pv,mac=02:00:00:00:00:0g", "module 1 (m): bad MAC address '02:00:00:00:00:0g' (XX:XX:XX:XX:XX:XX, unicast)" },
	{ "m net=0,mode=pv,mac=02:00:00:00:00:01,mac=02:00:00:00:00:01", "module 1 (m): duplicate device option 'mac=02:00:00:00:00:01'" },
	{ "m disk=0,mode=pv,size=1M,mtu=1500", "module 1 (m): mac= and mtu= are for PV NICs only, in '0,mode=pv,size=1M,mtu=1500'" },
	{ "m net=0,mode=pv net=0,mode=pv", "module 1 (m): duplicate device '0,mode=pv'" },
	{ "m disk=1,mode=emulated", "module 1 (m): no size= for disk '1,mode=emulated' (its RAM storage: size=SIZE)" },
	{ "m disk=1,mode=emulated,size=1M", "module 1 (m): an emulated disk is for kind=linux and kind=multiboot" },
	{ "m disk=1,mode=emulated,size=1M disk=2,mode=emulated,size=1M", "module 1 (m): a second emulated disk at '2,mode=emulated,size=1M' (one emulated disk per domain)" },
	{ "l kind=linux disk=0,mode=passthrough", "module 1 (l): no pci= for device '0,mode=passthrough' (the function it is: pci=BB:DD.F)" },
	{ "l kind=linux net=0,mode=passthrough", "module 1 (l): no pci= for device '0,mode=passthrough' (the function it is: pci=BB:DD.F)" },
	{ "l kind=linux disk=0,mode=pv,size=1M,pci=00:10.0", "module 1 (l): pci= is for mode=passthrough only, in '0,mode=pv,size=1M,pci=00:10.0'" },
	{ "l kind=linux disk=0,pci=00:10.0,mode=emulated,size=1M", "module 1 (l): pci= is for mode=passthrough only, in '0,pci=00:10.0,mode=emulated,size=1M'" },
	{ "l kind=linux net=0,mode=pv,pci=00:10.0", "module 1 (l): pci= is for mode=passthrough only, in '0,mode=pv,pci=00:10.0'" },
	{ "l kind=linux disk=0,mode=passthrough,pci=00:10.0,size=1M", "module 1 (l): size= is not for mode=passthrough, in '0,mode=passthrough,pci=00:10.0,size=1M'" },
	{ "l kind=linux disk=0,mode=passthrough,storage=ram", "module 1 (l): storage= is not for mode=passthrough, in '0,mode=passthrough,storage=ram'" },
	{ "l kind=linux disk=0,mode=passthrough,pci=00:10.0,access=ro", "module 1 (l): access= is not for mode=passthrough, in '0,mode=passthrough,pci=00:10.0,access=ro'" },
	{ "l kind=linux net=0,mode=passthrough,mac=02:00:00:00:00:01", "module 1 (l): mac= is not for mode=passthrough, in '0,mode=passthrough,mac=02:00:00:00:00:01'" },
	{ "l kind=linux net=0,mode=passthrough,pci=00:10.0,mtu=1500", "module 1 (l): mtu= is not for mode=passthrough, in '0,mode=passthrough,pci=00:10.0,mtu=1500'" },
	{ "l kind=linux net=0,mode=passthrough,backend=vcpu", "module 1 (l): backend= is not for mode=passthrough, in '0,mode=passthrough,backend=vcpu'" },
	{ "l kind=linux disk=0,mode=passthrough,backend=auto", "module 1 (l): backend= is not for mode=passthrough, in '0,mode=passthrough,backend=auto'" },
	{ "l kind=linux disk=0,mode=passthrough,pci=00:20.0", "module 1 (l): bad pci '00:20.0' (BB:DD.F, hexadecimal)" },
	{ "l kind=linux net=0,mode=passthrough,pci=0:10.0", "module 1 (l): bad pci '0:10.0' (BB:DD.F, hexadecimal)" },
	{ "l kind=linux disk=0,mode=passthrough,pci=", "module 1 (l): bad pci '' (BB:DD.F, hexadecimal)" },
	{ "l kind=linux disk=0,mode=passthrough,pci=00:10.0,pci=00:11.0", "module 1 (l): duplicate device option 'pci=00:11.0'" },
	{ "l kind=linux pci=00:10.0 disk=0,mode=passthrough,pci=00:10.0", "module 1 (l): duplicate device '0,mode=passthrough,pci=00:10.0'" },
	{ "l kind=linux net=1,mode=passthrough,pci=00:10.0 pci=00:10.0", "module 1 (l): duplicate device '00:10.0'" },
	{ "l kind=linux disk=0,mode=passthrough,pci=00:10.0 net=0,mode=passthrough,pci=00:10.0", "module 1 (l): duplicate device '0,mode=passthrough,pci=00:10.0'" },
	{ "l kind=linux disk=0,mode=pv,size=1M disk=0,mode=passthrough,pci=00:10.0", "module 1 (l): duplicate device '0,mode=passthrough,pci=00:10.0'" },
	{ "l kind=linux net=2,mode=passthrough,pci=00:10.0 net=2,mode=pv", "module 1 (l): duplicate device '2,mode=pv'" },
	{ "m disk=0,mode=passthrough,pci=00:10.0", "module 1 (m): a passed-through disk is for kind=linux and kind=multiboot" },
	{ "m net=0,mode=passthrough,pci=00:10.0", "module 1 (m): a passed-through NIC is for kind=linux and kind=multiboot" },
	{ "m pci=00:03.0", "module 1 (m): a PCI function is for kind=linux and kind=multiboot" },
	{ "m disk=0", "module 1 (m): disk=0 without mode= is for kind=disk modules (a disk is disk=ID,mode=M)" },
	{ "m disk=x,mode=pv", "module 1 (m): bad device id in 'x,mode=pv' (ID,mode=M, ID 0..255)" },
	{ "m disk=256,mode=pv", "module 1 (m): bad device id in '256,mode=pv' (ID,mode=M, ID 0..255)" },
	{ "m disk=,mode=pv", "module 1 (m): bad device id in ',mode=pv' (ID,mode=M, ID 0..255)" },
	{ "m disk=0,mode=fast", "module 1 (m): bad mode 'fast' (emulated, pv or passthrough)" },
	{ "m disk=0,mode=pv,mode=pv", "module 1 (m): duplicate device option 'mode=pv'" },
	{ "m disk=0,size=1G", "module 1 (m): no mode= for device '0,size=1G'" },
	{ "m disk=0,mode=pv,speed=1", "module 1 (m): unknown device option 'speed=1'" },
	{ "m disk=0,mode", "module 1 (m): unknown device option 'mode'" },
	{ "m net", "module 1 (m): missing value for option 'net'" },
	{ "m pci=0:03.0", "module 1 (m): bad pci '0:03.0' (BB:DD.F, hexadecimal)" },
	{ "m pci=00:20.0", "module 1 (m): bad pci '00:20.0' (BB:DD.F, hexadecimal)" },
	{ "m pci=00:03.8", "module 1 (m): bad pci '00:03.8' (BB:DD.F, hexadecimal)" },
	{ "m pci=0g:03.0", "module 1 (m): bad pci '0g:03.0' (BB:DD.F, hexadecimal)" },
	{ "d kind=data console=pv", "module 1 (d): a data module has no devices" },
};

static void test_module_device_errors(void)
{
	struct domain_cfg c, before;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dev_err_cases); i++) {
		memset(&before, 0x5c, sizeof(before));
		if (mod(dev_err_cases[i].line, 0, &c) != -PVKIT_EINVAL ||
		    strcmp(err, dev_err_cases[i].msg) ||
		    memcmp(&c, &before, sizeof(c))) {
			ktap_fail_at(__FILE__, __LINE__, dev_err_cases[i].line);
			ktap_diag("  got \"%s\", want \"%s\"", err,
				  dev_err_cases[i].msg);
		}
	}
}

/* A bad word reaches the terminal escaped: no control byte survives. */
static void test_escaped_quote(void)
{
	struct domain_cfg c;
	struct hv_cfg h;

	EXPECT_EQ(mod("m\x1b]0;t\a name=a \x1b[2J\x9b", 0, &c), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "module 1 (m\\x1b]0;t\\x07): unknown option "
			  "'\\x1b[2J\\x9b'");
	EXPECT_EQ(mod("m name=\x1b[31mred", 0, &c), -PVKIT_EINVAL);
	EXPECT(!strncmp(err, "module 1 (m): bad name '\\x1b[31mred'", 36));
	EXPECT_EQ(mod("m\x1b -- " "ok", 0, &c), 0);
	/* The path itself is kept as given. */
	EXPECT_STREQ(c.path, "m\x1b");
	EXPECT_EQ(hv("k \x1b[2J", &h), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "unknown option '\\x1b[2J'");
	EXPECT_EQ(hv("k loglevel=\x1b", &h), -PVKIT_EINVAL);
	EXPECT_STREQ(err, "bad loglevel '\\x1b' (0..4)");
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_module_defaults),
	KTAP_CASE(test_module_keys),
	KTAP_CASE(test_module_multiboot),
	KTAP_CASE(test_module_args),
	KTAP_CASE(test_module_errors),
	KTAP_CASE(test_module_long_quote),
	KTAP_CASE(test_escaped_quote),
	KTAP_CASE(test_module_truncation_refused),
	KTAP_CASE(test_module_small_err),
	KTAP_CASE(test_module_devices),
	KTAP_CASE(test_module_pv_disk),
	KTAP_CASE(test_module_pv_disk_storage),
	KTAP_CASE(test_module_emulated_disk),
	KTAP_CASE(test_module_pv_disk_backend),
	KTAP_CASE(test_module_pv_disk_access),
	KTAP_CASE(test_module_pv_disk_linux),
	KTAP_CASE(test_module_pci),
	KTAP_CASE(test_module_pci_alias),
	KTAP_CASE(test_module_pv_net),
	KTAP_CASE(test_module_emulated_net),
	KTAP_CASE(test_module_unplug),
	KTAP_CASE(test_module_device_errors),
	KTAP_CASE(test_module_lapic_options),
	KTAP_CASE(test_module_paging),
	KTAP_CASE(test_module_after),
	KTAP_CASE(test_module_disk_image),
	KTAP_CASE(test_module_disk_image_errors),
	KTAP_CASE(test_hv),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
