// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool-info IFACE: what `ethtool -i` and `ethtool -S` would print,
 * for guests without ethtool: "driver NAME", "bus-info BUS", then one
 * "NAME VALUE" line per driver statistic.  Exit status 1 on any error.
 */
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int ethtool(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr);
}

int main(int argc, char **argv)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ethtool_gstrings *names;
	struct ethtool_stats *stats;
	unsigned int n;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: ethtool-info IFACE\n");
		return 1;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || ethtool(fd, argv[1], &info)) {
		perror("ETHTOOL_GDRVINFO");
		return 1;
	}
	printf("driver %s\nbus-info %s\n", info.driver, info.bus_info);
	n = info.n_stats;
	names = calloc(1, sizeof(*names) + n * ETH_GSTRING_LEN);
	stats = calloc(1, sizeof(*stats) + n * sizeof(stats->data[0]));
	if (!names || !stats)
		return 1;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = n;
	stats->cmd = ETHTOOL_GSTATS;
	stats->n_stats = n;
	if (ethtool(fd, argv[1], names) || ethtool(fd, argv[1], stats)) {
		perror("ETHTOOL_GSTRINGS/GSTATS");
		return 1;
	}
	for (unsigned int i = 0; i < n; i++)
		printf("%.*s %llu\n", ETH_GSTRING_LEN,
		       (char *)names->data + i * ETH_GSTRING_LEN,
		       (unsigned long long)stats->data[i]);
	close(fd);
	return 0;
}
