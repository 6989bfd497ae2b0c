// SPDX-License-Identifier: GPL-2.0
/*
 * Domain life cycle.  A domain ends by its own shutdown hypercall or is
 * stopped by the hypervisor for what it did; either way the others go on.
 * Ended domains stay in the table (their ids are never reused), so a
 * pointer from domain_by_id() stays valid.
 */
#include <stdarg.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <asm/processor.h>
#include <hv/boot.h>
#include <hv/bootcfg.h>
#include <hv/console.h>
#include <hv/percpu.h>
#include <hv/time.h>
#include <hv/domain.h>
#include <hv/passthrough.h>
#include <hv/pc_platform.h>
#include <hv/pv.h>
#include <hv/event.h>
#include <hv/mm.h>
#include <hv/pc_nic.h>
#include <hv/printk.h>
#include <hv/sched.h>
#include <hv/system.h>
#include <hv/uplink.h>
#include <hv/vcpu_ops.h>

struct domain *domains[CONFIG_MAX_DOMAINS];
unsigned int nr_domains;
static spinlock_t domains_lock = SPINLOCK_INIT;

struct domain *domain_by_id(uint16_t id)
{
	if (id == 0 || id > nr_domains)
		return NULL;
	return domains[id - 1];
}

/* Emulated NICs are the platform's: kept for pc_platform_create(). */
static int keep_emul_nics(struct domain *d, const struct domain_cfg *cfg)
{
	for (unsigned int i = 0; i < cfg->nr_devs; i++) {
		const struct dev_cfg *c = &cfg->devs[i];

		if (c->type != DEV_TYPE_NET || c->mode != DEV_MODE_EMULATED)
			continue;
		if (d->nr_emul_nics == DOMAIN_EMUL_NICS) {
			pr_err("%s: more than %u emulated NICs", cfg->name,
			       DOMAIN_EMUL_NICS);
			return -PVKIT_ENOSPC;
		}
		d->emul_nics[d->nr_emul_nics++] = *c;
	}
	return 0;
}

struct domain *domain_create(const struct domain_cfg *cfg, int *err)
{
	struct domain *d;

	*err = -PVKIT_ENOMEM;
	if (nr_domains == CONFIG_MAX_DOMAINS)
		return NULL;
	d = kzalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->mem_bytes = cfg->mem_bytes;
	d->mem_hpa = pages_alloc_zeroed(cfg->mem_bytes / PAGE_SIZE, MB(2));
	if (!d->mem_hpa)
		goto free_dom;
	d->mem = phys_to_virt(d->mem_hpa);
	boot_phase("d%u: %lluM of RAM cleared", nr_domains + 1,
		   (unsigned long long)(d->mem_bytes >> 20));
	strlcpy(d->name, cfg->name, sizeof(d->name));
	d->kind = cfg->kind;
	d->paging = cfg->paging;
	spin_lock_init(&d->console_lock);
	evtchn_domain_init(d);
	emul_bus_init(d);
	d->lapic_src = domain_is_hvm(d) ? exit_source(d, "lapic") :
					  EXIT_SOURCE_NONE;
	*err = vcpu_ops->domain_init(d);
	if (*err)
		goto free_mem;
	*err = -PVKIT_ENOMEM;
	if (pv_domain_init(d, cfg->devs, cfg->nr_devs) ||
	    keep_emul_nics(d, cfg))
		goto free_mem;
	d->id = nr_domains + 1;
	d->state = DOMAIN_RUNNING;
	/* bootcfg checked that exactly one earlier domain has the name. */
	for (unsigned int i = 0; cfg->after[0] && i < nr_domains; i++)
		if (!strcmp(domains[i]->name, cfg->after))
			d->after = domains[i];
	if (d->after)
		d->state = DOMAIN_WAITING;
	domains[nr_domains++] = d;
	return d;

free_mem:
	pages_free(d->mem_hpa, d->mem_bytes / PAGE_SIZE);
free_dom:
	kfree(d);
	return NULL;
}

static const char *end_text(const struct domain *d)
{
	if (d->stopped)
		return "stopped by the hypervisor";
	switch (d->end_reason) {
	case PVKIT_SHUTDOWN_POWEROFF:
		return "powered off";
	case PVKIT_SHUTDOWN_REBOOT:
		return "asked to reboot, which this kind of domain cannot: ended";
	default:
		return "crashed";
	}
}

/* Tells every other running domain, through VIRQ_DOMAIN_ENDED. */
static void notify_domain_ended(const struct domain *ended)
{
	for (unsigned int i = 0; i < nr_domains; i++) {
		struct domain *d = domains[i];

		if (d != ended && domain_alive(d) && d->nr_vcpus)
			evtchn_send_virq(d->vcpus[0], PVKIT_VIRQ_DOMAIN_ENDED);
	}
}

/*
 * A reboot of a domain whose builder can build it again: every vCPU
 * stops; once none is in guest mode, domains_restart_pending() rebuilds
 * it on its vCPU 0's pCPU.
 */
static void domain_reboot(struct domain *d)
{
	spin_lock(&domains_lock);
	if (d->state != DOMAIN_RUNNING) {
		spin_unlock(&domains_lock);
		return;
	}
	d->state = DOMAIN_RESTARTING;
	/* Two slices: any device poll begun before this has finished. */
	d->restart_at = now_ns() + 2000000000ull / CONFIG_HZ;
	spin_unlock(&domains_lock);

	console_domain_flush(d);
	pr_notice("d%u %s: rebooting", d->id, d->name);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vcpu_down(d->vcpus[i]);
}

static bool domain_on_a_pcpu(const struct domain *d)
{
	for (unsigned int i = 0; i < nr_pcpus; i++) {
		const struct vcpu *cur = READ_ONCE(pcpus[i]->current);

		if (cur && cur->dom == d)
			return true;
	}
	return false;
}

/* Ends d, which runs no instruction of this boot. */
static void domain_end_unstarted(struct domain *d)
{
	spin_lock(&domains_lock);
	d->state = DOMAIN_ENDED;
	d->end_reason = PVKIT_SHUTDOWN_CRASH;
	d->stopped = true;
	spin_unlock(&domains_lock);
	notify_domain_ended(d);
	domains_check_all_ended();
}

static void domain_restart(struct domain *d)
{
	int ret;

	/* The new boot's frontends find their devices CLOSED. */
	pv_domain_reset(d);
	ret = d->rebuild(d);

	if (ret) {
		pr_err("d%u %s: cannot be built again (%d): ended", d->id,
		       d->name, ret);
		domain_end_unstarted(d);
		return;
	}
	d->restarts++;
	spin_lock(&domains_lock);
	d->state = DOMAIN_RUNNING;
	spin_unlock(&domains_lock);
	pr_notice("d%u %s: restarted (boot %u)", d->id, d->name,
		  d->restarts + 1);
	for (unsigned int i = d->nr_vcpus; i-- > 0;)
		vcpu_set_state(d->vcpus[i], i ? VCPU_BLOCKED : VCPU_RUNNABLE);
}

/*
 * A WAITING domain's turn: its after= domain has ended and left every
 * pCPU, so what the two shared (PCI functions) is free.
 */
static void domain_begin(struct domain *d)
{
	if (d->platform && pt_domain_start(d)) {
		pr_err("d%u %s: cannot start after d%u %s: ended", d->id,
		       d->name, d->after->id, d->after->name);
		domain_end_unstarted(d);
		return;
	}
	spin_lock(&domains_lock);
	d->state = DOMAIN_RUNNING;
	spin_unlock(&domains_lock);
	pr_notice("d%u %s: starting: d%u %s has ended", d->id, d->name,
		  d->after->id, d->after->name);
	vcpu_set_state(d->vcpus[0], VCPU_RUNNABLE);
}

void domains_restart_pending(struct pcpu *pc, uint64_t now)
{
	for (unsigned int i = 0; i < nr_domains; i++) {
		struct domain *d = domains[i];

		if (d->vcpus[0]->pcpu != pc)
			continue;
		if (d->state == DOMAIN_WAITING &&
		    d->after->state == DOMAIN_ENDED &&
		    !domain_on_a_pcpu(d->after) &&
		    (!d->platform || pt_domain_ready(d, now)))
			domain_begin(d);
		if (d->state != DOMAIN_RESTARTING || now < d->restart_at ||
		    domain_on_a_pcpu(d))
			continue;
		domain_restart(d);
	}
}

void domain_shutdown(struct domain *d, uint32_t reason, uint32_t code)
{
	if (reason == PVKIT_SHUTDOWN_REBOOT && d->rebuild && !d->stopped) {
		domain_reboot(d);
		return;
	}
	spin_lock(&domains_lock);
	if (d->state != DOMAIN_RUNNING) {
		spin_unlock(&domains_lock);
		return;
	}
	d->end_reason = reason;
	d->end_code = code;
	d->state = DOMAIN_ENDED;
	spin_unlock(&domains_lock);

	/* No DMA of a function it drove outlives it. */
	if (d->platform)
		pt_domain_end(d);
	console_domain_flush(d);
	pr_notice("d%u %s: %s, code %u", d->id, d->name, end_text(d), code);
	exit_profile_log(d);
	if (d->platform)
		pc_platform_log(d);
	pv_domain_log(d);
	if (d->platform)
		pc_nics_log(d);
	for (unsigned int i = 0; i < d->nr_vcpus; i++)
		vcpu_down(d->vcpus[i]);
	notify_domain_ended(d);
	domains_check_all_ended();
}

void domain_crash(struct vcpu *v, const char *fmt, ...)
{
	struct domain *d = v->dom;
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!domain_alive(d))
		return;
	console_domain_flush(d);
	pr_err("d%u %s: stopped: vCPU %u: %s", d->id, d->name, v->id, why);
	vcpu_ops->vcpu_dump(v);
	d->stopped = true;
	domain_shutdown(d, PVKIT_SHUTDOWN_CRASH, 0);
}

static int exit_status(void)
{
	int status = HV_EXIT_OK;

	for (unsigned int i = 0; i < nr_domains; i++) {
		const struct domain *d = domains[i];

		if (d->stopped || d->end_reason == PVKIT_SHUTDOWN_CRASH)
			return HV_EXIT_DOMAIN_STOPPED;
		if (d->end_code)
			status = HV_EXIT_GUEST_FAIL;
	}
	return status;
}

bool domains_any_ended(void)
{
	for (unsigned int i = 0; i < nr_domains; i++)
		if (domains[i]->state == DOMAIN_ENDED)
			return true;
	return false;
}

void domains_check_all_ended(void)
{
	unsigned int alive = 0;

	spin_lock(&domains_lock);
	for (unsigned int i = 0; i < nr_domains; i++)
		alive += domains[i]->state != DOMAIN_ENDED;
	spin_unlock(&domains_lock);
	if (alive)
		return;
	uplink_log();
	pr_notice("all %u domains have ended", nr_domains);
	if (hv_cfg.noexit) {
		pr_notice("noexit given: halting with status %d", exit_status());
		cpu_halt_forever();
	}
	system_exit(exit_status());
}
