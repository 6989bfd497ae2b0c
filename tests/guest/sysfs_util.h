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

/* The number after "name " in a file of "name value" lines; -1 if none. */
static inline long named_value(const char *path, const char *name)
{
	char buf[1024], *p;
	size_t n = strlen(name);
	ssize_t got;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
	}
	return -1;
}

/* The name a sysfs "driver" link under dir points to, or "". */
static inline void driver_of(const char *dir, char *name, size_t len)
{
	char path[PATH_MAX + 16], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/driver", dir);
	n = readlink(path, target, sizeof(target) - 1);
	name[0] = '\0';
	if (n <= 0)
		return;
	target[n] = '\0';
	snprintf(name, len, "%s", strrchr(target, '/') + 1);
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

/* The sum of the numbers in p, up to the first word that is not one. */
static inline long long sum_numbers(const char *p)
{
	long long sum = 0;

	for (;;) {
		char *end;
		long long v = strtoll(p, &end, 10);

		if (end == p)
			return sum;
		sum += v;
		p = end;
	}
}

#endif
