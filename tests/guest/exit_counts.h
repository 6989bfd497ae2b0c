/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an in-guest benchmark reads around each of its jobs: the guest's
 * interrupts (/proc/interrupts, every CPU) and, under pvkit, the
 * domain's VM exits by kind (pvkit.ko's /sys/bus/pvkit/exits).  Straight
 * on QEMU there is no hypervisor and so no exit kinds (n is 0).
 */
#ifndef PVKIT_GUEST_EXIT_COUNTS_H
#define PVKIT_GUEST_EXIT_COUNTS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sysfs_util.h"

#define EXITS_FILE	"/sys/bus/pvkit/exits"
#define MAX_KINDS	24

struct counts {
	unsigned long long irqs;
	unsigned int n;			/* exit kinds; 0 without pvkit */
	char name[MAX_KINDS][16];
	unsigned long long exits[MAX_KINDS];
};

/* The numeric columns of /proc/interrupts; ERR and MIS count errors. */
static inline unsigned long long read_irqs(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	unsigned long long sum = 0;
	char line[1024];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (p && !strstr(line, "ERR:") && !strstr(line, "MIS:"))
			sum += (unsigned long long)sum_numbers(p + 1);
	}
	fclose(f);
	return sum;
}

static inline void read_counts(struct counts *c)
{
	FILE *f = fopen(EXITS_FILE, "r");

	memset(c, 0, sizeof(*c));
	c->irqs = read_irqs();
	if (!f)
		return;
	while (c->n < MAX_KINDS &&
	       fscanf(f, "%15s %llu", c->name[c->n], &c->exits[c->n]) == 2)
		c->n++;
	fclose(f);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* " KIND=COUNT" for each exit kind that moved from b to a. */
static inline void print_moved(const struct counts *b, const struct counts *a)
{
	for (unsigned int k = 0; k < a->n && k < b->n; k++)
		if (a->exits[k] != b->exits[k])
			printf(" %s=%llu", a->name[k],
			       a->exits[k] - b->exits[k]);
}

#endif
