/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a domain's VM exits go: each exit is counted by kind and, when a
 * device handled it, by that device (an emulated device model, the local
 * APIC, a PV backend that was kicked, a passed-through function whose
 * interrupt caused it), with the time its handler took.  What the
 * benchmarks divide by operations (PVKIT_HC_EXIT_PROFILE) and what the
 * exitstats switch prints when a domain ends.
 */
#ifndef HV_EXIT_PROFILE_H
#define HV_EXIT_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;
struct pvkit_exit_profile;

#define EXIT_SOURCES_MAX	24
#define EXIT_SOURCE_NAME	16
#define EXIT_SOURCE_NONE	(-1)

struct exit_source {
	char name[EXIT_SOURCE_NAME];
	uint64_t exits;		/* atomic: vCPUs on other pCPUs add too */
	uint64_t ns;
};

struct exit_profile {
	unsigned int nr;	/* grows at build time only */
	struct exit_source src[EXIT_SOURCES_MAX];
};

/*
 * The source named name (created if new), for exit_attribute(): an index,
 * or EXIT_SOURCE_NONE when the table is full (its exits go uncounted
 * by device; the kinds still count them).  A rebuilt domain finds its
 * sources again by name, so their counts keep growing across reboots.
 */
int exit_source(struct domain *d, const char *name);

/* Around one exit's handler, by the vCPU backend. */
void exit_profile_begin(struct vcpu *v, unsigned int kind);
void exit_profile_end(struct vcpu *v, unsigned int kind);

/*
 * The exit being handled on this pCPU is d's source src's doing; the
 * first source named in an exit keeps it.  Outside an exit of d
 * (a timer's poll, another domain's exit) it does nothing.
 */
void exit_attribute(struct domain *d, int src);

/* The domain's one-line summary; with exitstats, the full tables. */
void exit_profile_log(const struct domain *d);
/* The ABI's view of d, for PVKIT_HC_EXIT_PROFILE. */
void exit_profile_fill(const struct domain *d, struct pvkit_exit_profile *p);
void exit_profile_set_verbose(bool on);

#endif
