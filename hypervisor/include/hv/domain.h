/* SPDX-License-Identifier: GPL-2.0 */
/* Domains and their vCPUs. */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include <pvkit/event_channel.h>
#include <pvkit/hypercall.h>
#include <pvkit/io/device.h>
#include <pvkit/shared_info.h>
#include <asm/spinlock.h>
#include <asm/vcpu.h>
#include <hv/bootcfg.h>
#include <hv/console.h>
#include <hv/emul_bus.h>
#include <hv/exit_profile.h>

struct vlapic;
struct pc_platform;

#define DOMAIN_EMUL_NICS	2	/* PLATFORM_E1000_MAX */
struct pcpu;
struct pvdev;

enum vcpu_state {
	VCPU_DOWN,		/* not started, or its domain has ended */
	VCPU_RUNNABLE,		/* on its pCPU's run queue or running */
	VCPU_BLOCKED,		/* waiting for an event or its timer */
};

/* Why a vCPU left guest mode, as the arch code sorts its exits. */
enum exit_kind {
	/* The ABI's numbers: PVKIT_HC_DOMAIN_STATS reports them as they are. */
	EXIT_KIND_INTR = PVKIT_EXIT_INTR,	/* a host interrupt (timer, kick) */
	EXIT_KIND_IRQ_WINDOW = PVKIT_EXIT_IRQ_WINDOW,
	EXIT_KIND_HLT = PVKIT_EXIT_HLT,
	EXIT_KIND_HYPERCALL = PVKIT_EXIT_HYPERCALL,
	EXIT_KIND_CPUID = PVKIT_EXIT_CPUID,
	EXIT_KIND_MSR = PVKIT_EXIT_MSR,
	EXIT_KIND_IO = PVKIT_EXIT_IO,		/* port I/O */
	EXIT_KIND_MMIO = PVKIT_EXIT_MMIO,	/* nested page fault on a device */
	EXIT_KIND_EXCEPTION = PVKIT_EXIT_EXCEPTION,	/* reflected back */
	EXIT_KIND_CACHE = PVKIT_EXIT_CACHE,	/* INVD, WBINVD, WBNOINVD */
	EXIT_KIND_OTHER = PVKIT_EXIT_OTHER,
	EXIT_KIND_CR = PVKIT_EXIT_CR,		/* MOV to or from CR0, CR4 */
	EXIT_KIND_PAGE_FAULT = PVKIT_EXIT_PAGE_FAULT,	/* shadow paging */
	EXIT_KIND_CR3 = PVKIT_EXIT_CR3,
	EXIT_KIND_INVLPG = PVKIT_EXIT_INVLPG,
	NR_EXIT_KINDS
};

struct vcpu {
	struct domain *dom;
	unsigned int id;
	struct pcpu *pcpu;	/* vCPUs are pinned */
	bool on_cpu;		/* in vcpu_run(), on its pCPU */
	int state;		/* VCPU_*, under pcpu->sched_lock */
	uint64_t timer_deadline;	/* system time ns; 0 = none */
	uint32_t virq_port[PVKIT_NR_VIRQS];
	uint64_t exits[NR_EXIT_KINDS];
	uint64_t exit_ns[NR_EXIT_KINDS];	/* in their handlers */
	uint64_t exit_t0;	/* the exit being handled: when it began, */
	int exit_src;		/* the exit source it is put down to, */
	bool in_exit;		/* and whether there is one (exit_profile.h) */
	struct vlapic *lapic;	/* HVM vCPUs: the emulated local APIC */
	struct arch_vcpu arch;
};

enum domain_state {
	DOMAIN_RUNNING,
	DOMAIN_RESTARTING,	/* rebooting: built again once no vCPU runs */
	DOMAIN_WAITING,		/* built, not started: after= has not ended */
	DOMAIN_ENDED,
};

struct evtchn {
	uint8_t state;		/* PVKIT_EVTCHN_STATE_* */
	uint8_t virq;
	uint16_t remote_dom;
	uint32_t remote_port;
	uint32_t vcpu;
};

#define CONSOLE_LINE_MAX	160
#define CONSOLE_IN_SIZE		256

/* A line being put together for one of a domain's consoles. */
struct con_line {
	unsigned int len;
	char buf[CONSOLE_LINE_MAX];
};

struct domain {
	uint16_t id;
	char name[BOOTCFG_NAME_MAX];
	enum domain_kind kind;	/* DOMAIN_KIND_*: what its builder made */
	volatile int state;
	uint32_t end_reason;	/* PVKIT_SHUTDOWN_* */
	uint32_t end_code;
	bool stopped;		/* ended by the hypervisor, not by itself */

	uint64_t mem_bytes;	/* guest RAM is [0, mem_bytes) ... */
	uint64_t mem_hpa;	/* ... at host-physical [mem_hpa, +mem_bytes) */
	uint8_t *mem;		/* ... mapped here in the hypervisor */
	enum paging_mode paging;	/* asked for; the arch code decides */
	bool shadow_paging;	/* its vCPUs run on shadow page tables */

	struct pvkit_shared_info *shared;
	uint32_t upcall_vector;
	uint32_t lapic_khz;	/* emulated LAPIC timer clock, 0 if none */
	unsigned int lapic_flags;	/* VLAPIC_F_X2APIC, _TSC_DEADLINE offered */

	unsigned int nr_vcpus;
	struct vcpu *vcpus[CONFIG_MAX_VCPUS];

	spinlock_t evtchn_lock;
	struct evtchn evtchn[PVKIT_EVTCHN_PORTS];

	spinlock_t console_lock;
	/* A line being put together for each of the domain's consoles. */
	struct con_line con[CONSOLE_NR_SOURCES];
	uint64_t con_tokens;		/* output rate limit, see console.c */
	uint64_t con_refill_at;
	uint64_t con_dropped;
	unsigned int con_in_head, con_in_tail;
	char con_in[CONSOLE_IN_SIZE];

	struct emul_bus bus;
	struct exit_profile prof;
	int lapic_src;			/* HVM domains: its exit source */
	struct pc_platform *platform;	/* HVM domains: the emulated PC */

	/* The emulated NICs of its module line, for its platform. */
	unsigned int nr_emul_nics;
	struct dev_cfg emul_nics[DOMAIN_EMUL_NICS];

	spinlock_t pv_lock;		/* PV device connect and disconnect */
	unsigned int nr_pvdevs;
	struct pvdev *pvdevs[PVKIT_DEV_MAX];
	/*
	 * The first nr_pvdevs_plain are the module line's PV devices, the
	 * rest replacements of emulated ones; the guest sees the first
	 * nr_pvdevs_shown (all of them after an unplug).
	 */
	unsigned int nr_pvdevs_plain;
	unsigned int nr_pvdevs_shown;

	/* A reboot builds the domain again with this, if the builder can. */
	int (*rebuild)(struct domain *d);
	void *builder_data;
	uint64_t restart_at;		/* system time, while RESTARTING */
	struct domain *after;		/* after=: it starts once this ended */
	unsigned int restarts;
	struct arch_domain arch;
};

extern struct domain *domains[CONFIG_MAX_DOMAINS];
extern unsigned int nr_domains;

/* The domain with this id if it exists, else NULL. */
struct domain *domain_by_id(uint16_t id);
/* NULL on failure, *err saying why (-PVKIT_ENOMEM: memory). */
struct domain *domain_create(const struct domain_cfg *cfg, int *err);
/* Ends d; reason and code as in PVKIT_HC_DOMAIN_SHUTDOWN. */
void domain_shutdown(struct domain *d, uint32_t reason, uint32_t code);
/* Stops d for something it did, with a log line and a register dump. */
void domain_crash(struct vcpu *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Rebuilds the RESTARTING domains whose vCPU 0 this pCPU runs, and
 * starts the WAITING ones whose after= domain has ended.
 */
void domains_restart_pending(struct pcpu *pc, uint64_t now);
/* Whether some domain has ended already. */
bool domains_any_ended(void);
/* Once every domain has ended, ends the hypervisor with a status. */
void domains_check_all_ended(void);

/* Hardware-virtualized on an emulated PC, as opposed to a PV guest. */
static inline bool domain_is_hvm(const struct domain *d)
{
	return d->kind != DOMAIN_KIND_MINIOS;
}

static inline bool domain_alive(const struct domain *d)
{
	return d->state == DOMAIN_RUNNING;
}

#endif
