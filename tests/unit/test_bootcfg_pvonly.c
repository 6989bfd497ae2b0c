// SPDX-License-Identifier: GPL-2.0
/*
 * The module line parser as the PV-only configuration (configs/pv-only)
 * builds it: PV devices are accepted as in every build; an emulated
 * disk, an emulated NIC, COM1 as a Linux or Multiboot console,
 * passthrough and shadow paging are refused with one message that names the Kconfig
 * option the build lacks.
 */
#include <stdint.h>
#include <string.h>
#include <pvkit/errno.h>
#include <hv/bootcfg.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static char err[256];

static int mod(const char *line, struct domain_cfg *cfg)
{
	memset(cfg, 0x5c, sizeof(*cfg));
	memset(err, 'E', sizeof(err));
	return bootcfg_parse_module(line, 0, 4, cfg, err, sizeof(err));
}

static void test_pv_devices_accepted(void)
{
	struct domain_cfg c;

	EXPECT_EQ(mod("l kind=linux disk=0,mode=pv,size=16M net=0,mode=pv", &c),
		  0);
	EXPECT_EQ(c.nr_devs, 3);	/* the PV console first */
	EXPECT_EQ(c.devs[0].type, DEV_TYPE_CONSOLE);
	EXPECT_EQ(mod("m disk=0,mode=pv,storage=vblk1", &c), 0);
	EXPECT_EQ(mod("k kind=multiboot net=1,mode=pv,mtu=9000", &c), 0);
	EXPECT_EQ(mod("m paging=nested", &c), 0);
	/* Mini-OS's console=emulated is the console hypercall, not COM1. */
	EXPECT_EQ(mod("m console=emulated", &c), 0);
	EXPECT_EQ(c.nr_devs, 0);
}

static const struct {
	const char *line;
	const char *msg;
} refused[] = {
	{ "l kind=linux disk=0,mode=emulated,size=8M",
	  "module 1 (l): disk '0,mode=emulated,size=8M': mode emulated is not in this build (CONFIG_EMUL_IDE is off)" },
	{ "k kind=multiboot disk=3,mode=emulated,storage=vblk0",
	  "module 1 (k): disk '3,mode=emulated,storage=vblk0': mode emulated is not in this build (CONFIG_EMUL_IDE is off)" },
	{ "l kind=linux net=0,mode=emulated",
	  "module 1 (l): net '0,mode=emulated': mode emulated is not in this build (CONFIG_EMUL_E1000 is off)" },
	{ "l kind=linux net=0,mode=passthrough,pci=00:10.0",
	  "module 1 (l): net '0,mode=passthrough,pci=00:10.0': mode passthrough is not in this build (CONFIG_PASSTHROUGH is off)" },
	{ "l kind=linux pci=00:10.0",
	  "module 1 (l): pci '00:10.0': mode passthrough is not in this build (CONFIG_PASSTHROUGH is off)" },
	{ "l kind=linux console=emulated",
	  "module 1 (l): console=emulated is COM1, not in this build (CONFIG_EMUL_UART is off)" },
	{ "k kind=multiboot console=emulated",
	  "module 1 (k): console=emulated is COM1, not in this build (CONFIG_EMUL_UART is off)" },
	{ "m paging=shadow",
	  "module 1 (m): paging=shadow is not in this build (CONFIG_SHADOW_PAGING is off)" },
};

static void test_left_out_refused(void)
{
	struct domain_cfg c;

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		EXPECT_EQ(mod(refused[i].line, &c), -PVKIT_EINVAL);
		EXPECT_STREQ(err, refused[i].msg);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_pv_devices_accepted),
	KTAP_CASE(test_left_out_refused),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
