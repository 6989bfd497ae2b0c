/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small file helpers the in-guest test programs share: reading and
 * writing one-line sysfs and procfs files.
 */
#ifndef PVKIT_GUEST_SYSFS_UTIL_H
#define PVKIT_GUEST_SYSFS_UTIL_H

#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file's first line, without its newline; 0 or -1. */
static inline int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The file's number, or LONG_MIN when it cannot be read. */
static inline long read_long(const char *path)
{
	char buf[64];

	if (read_str(path, buf, sizeof(buf)))
		return LONG_MIN;
	return strtol(buf, NULL, 0);
}

static inline int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static inline bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* A /proc/meminfo figure in KiB ("MemAvailable", "Slab"); -1 if none. */
static inline long meminfo_kb(const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return kb;
}

#endif
