// SPDX-License-Identifier: GPL-2.0
/*
 * pvnet-ethtool: pvkit_net's ethtool answers, checked through the
 * SIOCETHTOOL calls `ethtool -i` and `ethtool -S` make (the guest has no
 * ethtool).  The interface is the one bound to pvkit_net.  With
 * PVNET_AFTER_TRAFFIC=1 in the environment (the pvnet script sets it
 * once frames have gone both ways) the counters are checked too, and a
 * sender held back by its socket's memory is seen through: TX
 * completions raise no interrupt while the queue runs, so only the
 * driver's lazy reclaim gives that memory back.  The checksum offloads
 * the backend offers are on (`ethtool -k`), and after TCP traffic both
 * were used: checksums left to the backend, frames it vouched for.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
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
	/* TX interrupts come only with a full ring: maybe none. */
	EXPECT_LE(0, v[0]);
	EXPECT_LT(0, v[1]);
	EXPECT_EQ(0, v[2]);
}

/* ETHTOOL_GTXCSUM or ETHTOOL_GRXCSUM: 1 on, 0 off, -1 no answer. */
static int offload_on(int fd, const char *ifname, __u32 cmd)
{
	struct ethtool_value v = { .cmd = cmd };

	return ethtool(fd, ifname, &v) ? -1 : (int)v.data;
}

TEST_F(pvnet, checksum_offload)
{
	long long tx, rx;

	EXPECT_EQ(1, offload_on(self->fd, self->ifname, ETHTOOL_GTXCSUM));
	EXPECT_EQ(1, offload_on(self->fd, self->ifname, ETHTOOL_GRXCSUM));
	if (!getenv("PVNET_AFTER_TRAFFIC"))
		SKIP(return, "no traffic yet (PVNET_AFTER_TRAFFIC unset)");
	tx = stat_of(self->fd, self->ifname, self->info.n_stats,
		     "tx_csum_offloaded");
	rx = stat_of(self->fd, self->ifname, self->info.n_stats,
		     "rx_csum_valid");
	TH_LOG("tx_csum_offloaded %lld rx_csum_valid %lld", tx, rx);
	/* A TCP stream went one way and its ACKs the other. */
	EXPECT_LT(0, tx);
	EXPECT_LT(0, rx);
}

/* The interface's tx_packets, or -1. */
static long long tx_packets(const char *ifname)
{
	char path[128];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/tx_packets",
		 ifname);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

#define LAZY_FRAMES	200
#define LAZY_LEN	1000
#define ETH_P_LOCAL_EXP	0x88b5	/* IEEE 802 local experimental */

/*
 * A raw socket with the smallest send buffer holds about four frames:
 * each blocking send waits until the driver frees an earlier skb.  All
 * of them must go out, and with far fewer TX interrupts than frames;
 * the last ones, sent into silence, are reclaimed (counted in
 * tx_packets) within a second.
 */
TEST_F(pvnet, blocked_sender_reclaimed_without_tx_interrupts)
{
	unsigned char frame[LAZY_LEN];
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_LOCAL_EXP),
		.sll_halen = ETH_ALEN,
	};
	long long irqs0, irqs1, pkts0, pkts1;
	int raw, small = 1;

	if (!getenv("PVNET_AFTER_TRAFFIC"))
		SKIP(return, "the link may be down (PVNET_AFTER_TRAFFIC unset)");
	to.sll_ifindex = (int)if_nametoindex(self->ifname);
	ASSERT_LT(0, to.sll_ifindex);
	memset(to.sll_addr, 0xff, ETH_ALEN);
	memset(frame, 0x5a, sizeof(frame));
	raw = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_LOCAL_EXP));
	ASSERT_LE(0, raw);
	ASSERT_EQ(0, setsockopt(raw, SOL_SOCKET, SO_SNDBUF, &small,
				sizeof(small)));
	irqs0 = stat_of(self->fd, self->ifname, self->info.n_stats,
			"tx_interrupts");
	pkts0 = tx_packets(self->ifname);
	for (int i = 0; i < LAZY_FRAMES; i++)
		ASSERT_EQ(LAZY_LEN, sendto(raw, frame, sizeof(frame), 0,
					   (struct sockaddr *)&to, sizeof(to)));
	close(raw);
	for (int ms = 0; ms < 1000; ms += 10) {
		pkts1 = tx_packets(self->ifname);
		if (pkts1 - pkts0 >= LAZY_FRAMES)
			break;
		usleep(10000);
	}
	irqs1 = stat_of(self->fd, self->ifname, self->info.n_stats,
			"tx_interrupts");
	TH_LOG("%d frames: tx_packets +%lld, tx_interrupts +%lld",
	       LAZY_FRAMES, pkts1 - pkts0, irqs1 - irqs0);
	ASSERT_LE(0, pkts0);
	EXPECT_LE(LAZY_FRAMES, pkts1 - pkts0);
	EXPECT_LE(0, irqs0);
	EXPECT_GT(LAZY_FRAMES / 4, irqs1 - irqs0);
}

TEST_HARNESS_MAIN
