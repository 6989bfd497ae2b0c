// SPDX-License-Identifier: GPL-2.0
/*
 * VM exits by kind and by device, with handler time (hv/exit_profile.h).
 * A vCPU's kind counters are its own; a source's are shared by the
 * domain's vCPUs and added to atomically.
 */
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/hypercall.h>
#include <hv/domain.h>
#include <hv/exit_profile.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/time.h>

_Static_assert(EXIT_SOURCES_MAX <= PVKIT_PROFILE_SOURCES, "exit sources");
_Static_assert(EXIT_SOURCE_NAME == sizeof(((struct pvkit_exit_source *)0)->name),
	       "exit source name");

static const char *const kind_names[NR_EXIT_KINDS] = {
	"intr", "irq-window", "hlt", "hypercall", "cpuid", "msr",
	"io", "mmio", "exception", "cache", "other", "cr",
	"page-fault", "cr3", "invlpg",
};

static bool verbose;

void exit_profile_set_verbose(bool on)
{
	verbose = on;
}

int exit_source(struct domain *d, const char *name)
{
	struct exit_profile *p = &d->prof;
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		if (!strncmp(p->src[i].name, name, EXIT_SOURCE_NAME - 1))
			return (int)i;
	if (p->nr == EXIT_SOURCES_MAX)
		return EXIT_SOURCE_NONE;
	strlcpy(p->src[p->nr].name, name, EXIT_SOURCE_NAME);
	return (int)p->nr++;
}

void exit_profile_begin(struct vcpu *v, unsigned int kind)
{
	/* Counted now, so the exit that ends the domain is in its log. */
	v->exits[kind]++;
	v->exit_src = EXIT_SOURCE_NONE;
	v->in_exit = true;
	v->exit_t0 = now_ns();
}

void exit_profile_end(struct vcpu *v, unsigned int kind)
{
	uint64_t dt = now_ns() - v->exit_t0;
	struct exit_source *s;

	v->in_exit = false;
	v->exit_ns[kind] += dt;
	if (v->exit_src == EXIT_SOURCE_NONE)
		return;
	s = &v->dom->prof.src[v->exit_src];
	__atomic_fetch_add(&s->exits, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->ns, dt, __ATOMIC_RELAXED);
}

void exit_attribute(struct domain *d, int src)
{
	struct vcpu *v = this_cpu()->current;

	if (!v || v->dom != d || !v->in_exit || src == EXIT_SOURCE_NONE ||
	    v->exit_src != EXIT_SOURCE_NONE)
		return;
	v->exit_src = src;
}

struct kind_sums {
	uint64_t exits[NR_EXIT_KINDS];
	uint64_t ns[NR_EXIT_KINDS];
	uint64_t total, total_ns;
};

/* Other vCPUs' counters move meanwhile: each is read once. */
static void sum_kinds(const struct domain *d, struct kind_sums *k)
{
	memset(k, 0, sizeof(*k));
	for (unsigned int i = 0; i < d->nr_vcpus; i++) {
		for (unsigned int j = 0; j < NR_EXIT_KINDS; j++) {
			k->exits[j] += READ_ONCE(d->vcpus[i]->exits[j]);
			k->ns[j] += READ_ONCE(d->vcpus[i]->exit_ns[j]);
		}
	}
	for (unsigned int j = 0; j < NR_EXIT_KINDS; j++) {
		k->total += k->exits[j];
		k->total_ns += k->ns[j];
	}
}

void exit_profile_fill(const struct domain *d, struct pvkit_exit_profile *p)
{
	const struct exit_profile *prof = &d->prof;
	struct kind_sums k;

	sum_kinds(d, &k);
	memset(p, 0, sizeof(*p));
	p->nr_exit_kinds = NR_EXIT_KINDS;
	for (unsigned int j = 0; j < NR_EXIT_KINDS; j++) {
		p->exits[j] = k.exits[j];
		p->exit_ns[j] = k.ns[j];
	}
	p->nr_sources = READ_ONCE(prof->nr);
	for (unsigned int i = 0; i < p->nr_sources; i++) {
		const struct exit_source *s = &prof->src[i];

		memcpy(p->sources[i].name, s->name, EXIT_SOURCE_NAME);
		p->sources[i].exits = __atomic_load_n(&s->exits, __ATOMIC_RELAXED);
		p->sources[i].ns = __atomic_load_n(&s->ns, __ATOMIC_RELAXED);
	}
}

/* part of whole in hundredths of a percent, printed as "12.34%" */
static unsigned long long hundredths(uint64_t part, uint64_t whole)
{
	return whole ? (unsigned long long)(part * 10000 / whole) : 0;
}

static void table_row(const struct domain *d, const char *name,
		      uint64_t n, uint64_t ns, uint64_t total,
		      uint64_t total_ns)
{
	unsigned long long sp = hundredths(n, total);
	unsigned long long tp = hundredths(ns, total_ns);
	unsigned long long avg = n ? ns / n : 0;

	pr_info("d%u %s:   %-16s %10llu %3llu.%02llu%% %3llu.%02llu%% %8llu.%03llu",
		d->id, d->name, name, (unsigned long long)n, sp / 100,
		sp % 100, tp / 100, tp % 100, avg / 1000, avg % 1000);
}

/* perf kvm stat's report, for one domain: by kind, then by device. */
static void log_tables(const struct domain *d, const struct kind_sums *k)
{
	const struct exit_profile *p = &d->prof;

	pr_info("d%u %s: %-18s %10s %8s %8s %12s", d->id, d->name,
		"exits by kind", "samples", "samples%", "time%", "avg us");
	for (unsigned int j = 0; j < NR_EXIT_KINDS; j++)
		if (k->exits[j])
			table_row(d, kind_names[j], k->exits[j], k->ns[j],
				  k->total, k->total_ns);
	pr_info("d%u %s: %-18s %10s %8s %8s %12s", d->id, d->name,
		"exits by device", "samples", "samples%", "time%", "avg us");
	for (unsigned int i = 0; i < p->nr; i++) {
		const struct exit_source *s = &p->src[i];

		if (s->exits)
			table_row(d, s->name, s->exits, s->ns, k->total,
				  k->total_ns);
	}
}

void exit_profile_log(const struct domain *d)
{
	struct kind_sums k;
	char buf[256];
	int n;

	sum_kinds(d, &k);
	n = snprintf(buf, sizeof(buf), "d%u %s: %llu exits:", d->id, d->name,
		     (unsigned long long)k.total);
	for (int j = 0; j < NR_EXIT_KINDS && n < (int)sizeof(buf); j++)
		n += snprintf(buf + n, sizeof(buf) - n, " %s %llu",
			      kind_names[j], (unsigned long long)k.exits[j]);
	pr_info("%s", buf);
	if (verbose)
		log_tables(d, &k);
}
