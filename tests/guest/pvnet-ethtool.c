// SPDX-License-Identifier: GPL-2.0
/*
 * pvnet-ethtool: pvkit_net's ethtool answers, checked through the
 * SIOCETHTOOL calls `ethtool -i` and `ethtool -S` make (the guest has no
 * ethtool).  The interface is the one bound to pvkit_net.  With
 * PVNET_AFTER_TRAFFIC=1 in the environment (the pvnet script sets it
 * once frames have gone both ways) the counters are checked too.
 */
#include <dirent.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include "kselftest_harness.h"

static int ethtool(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

/* The interface bound to pvkit_net, or 0 when there is none. */
static int pvnet_iface(char *name, size_t len)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;
	char link[256], path[300];
	ssize_t n;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver",
			 e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!strcmp(strrchr(link, '/') ? strrchr(link, '/') + 1 : link,
			    "pvkit_net")) {
			if (strlen(e->d_name) >= len)
				continue;
			memcpy(name, e->d_name, strlen(e->d_name) + 1);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

FIXTURE(pvnet) {
	int fd;
	char ifname[IFNAMSIZ];
	struct ethtool_drvinfo info;
};

FIXTURE_SETUP(pvnet)
{
	self->info.cmd = ETHTOOL_GDRVINFO;
	ASSERT_TRUE(pvnet_iface(self->ifname, sizeof(self->ifname)));
	self->fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ethtool(self->fd, self->ifname, &self->info));
}

FIXTURE_TEARDOWN(pvnet)
{
	close(self->fd);
}

TEST_F(pvnet, drvinfo)
{
	EXPECT_STREQ("pvkit_net", self->info.driver);
	EXPECT_STREQ("net-0", self->info.bus_info);
	EXPECT_LT(0, self->info.n_stats);
}

/* The driver's counter called want, or -1 when it has none. */
static long long stat_of(int fd, const char *ifname, unsigned int n,
			 const char *want)
{
	struct ethtool_gstrings *names;
	struct ethtool_stats *stats;
	long long v = -1;

	names = calloc(1, sizeof(*names) + n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + n * sizeof(stats->data[0]));
	if (!names || !stats)
		goto out;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = n;
	stats->cmd = ETHTOOL_GSTATS;
	stats->n_stats = n;
	if (ethtool(fd, ifname, names) || ethtool(fd, ifname, stats))
		goto out;
	for (unsigned int i = 0; i < n; i++)
		if (!strncmp((char *)names->data + i * ETH_GSTRING_LEN, want,
			     ETH_GSTRING_LEN))
			v = (long long)stats->data[i];
out:
	free(names);
	free(stats);
	return v;
}

TEST_F(pvnet, stats_after_traffic)
{
	static const char *const names[] = {
		"tx_interrupts", "rx_interrupts", "bad_responses",
	};
	long long v[3];

	if (!getenv("PVNET_AFTER_TRAFFIC"))
		SKIP(return, "no traffic yet (PVNET_AFTER_TRAFFIC unset)");
	for (int i = 0; i < 3; i++) {
		v[i] = stat_of(self->fd, self->ifname, self->info.n_stats,
			       names[i]);
		TH_LOG("%s %lld", names[i], v[i]);
	}
	EXPECT_LT(0, v[0]);
	EXPECT_LT(0, v[1]);
	EXPECT_EQ(0, v[2]);
}

TEST_HARNESS_MAIN
