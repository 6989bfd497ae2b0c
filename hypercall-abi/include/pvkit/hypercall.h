/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: detection, calling convention and hypercall numbers.
 *
 * Detection
 *   CPUID leaf 0x40000000 returns EAX = highest pvkit leaf and the signature
 *   "pvkit-hv-abi" in EBX, ECX, EDX (12 ASCII bytes, no NUL).  pvkit never
 *   claims to be Xen, KVM or Hyper-V.  Leaf 0x40000001 returns EAX = the
 *   ABI version (PVKIT_ABI_VERSION), EBX = feature word 0 bits 0..31.
 *   Leaf 0x40000002 (ABI 1.1) returns EAX = the TSC frequency in kHz as
 *   the hypervisor measured it (the rate its system time is scaled from)
 *   and EBX = the local APIC timer's input clock in kHz as the guest sees
 *   it (0 where the domain has no emulated local APIC).
 *
 * Calling convention
 *   The guest executes VMMCALL (AMD) or VMCALL (Intel) with the hypercall
 *   number in RAX and up to five arguments in RDI, RSI, RDX, R10, R8.  The
 *   result comes back in RAX as a signed 64-bit value: >= 0 on success, a
 *   negated PVKIT_E* code on failure.  All other registers are preserved.
 *   Only ring 0 of the guest may make hypercalls; from CPL > 0 the result is
 *   -PVKIT_EPERM.  Unknown numbers return -PVKIT_ENOSYS.
 *
 *   Pointer arguments are guest-physical addresses.  The hypervisor copies
 *   what they point to into its own memory before it looks at it and fails
 *   with -PVKIT_EFAULT if any byte lies outside the calling domain's RAM.
 *   Structures named in a call are read once, checked, and only then acted
 *   on: a call that fails has changed nothing unless its text says so.
 */
#ifndef PVKIT_HYPERCALL_H
#define PVKIT_HYPERCALL_H

#include "types.h"

#define PVKIT_CPUID_BASE		0x40000000u
#define PVKIT_CPUID_VERSION		0x40000001u
#define PVKIT_CPUID_TIMING		0x40000002u
#define PVKIT_CPUID_MAX			PVKIT_CPUID_TIMING
/* "pvkit-hv-abi" as the three little-endian register values. */
#define PVKIT_CPUID_SIG_EBX		0x696b7670u	/* "pvki" */
#define PVKIT_CPUID_SIG_ECX		0x76682d74u	/* "t-hv" */
#define PVKIT_CPUID_SIG_EDX		0x6962612du	/* "-abi" */

/*
 * Feature word 0 (PVKIT_HC_FEATURES with word 0).  Bits 0..62 only, so the
 * returned value is never mistaken for an error.
 */
#define PVKIT_FEAT_CONSOLE		(1ull << 0)	/* console write/read */
#define PVKIT_FEAT_EVTCHN		(1ull << 1)	/* event channels */
#define PVKIT_FEAT_TIMER		(1ull << 2)	/* one-shot timer */
#define PVKIT_FEAT_SHARED_INFO		(1ull << 3)	/* shared info page */
#define PVKIT_FEAT_SCHED		(1ull << 4)	/* yield, block */
#define PVKIT_FEAT_DOMAIN_INFO		(1ull << 5)	/* DOMAIN_INFO call */
#define PVKIT_FEAT_DEVICES		(1ull << 6)	/* PV devices (1.3) */
#define PVKIT_FEAT_EVTCHN_VCPU		(1ull << 7)	/* EVTCHN_BIND_VCPU (1.4) */
/* shared_info.dev_config_changed (1.5): see pvkit/io/device.h */
#define PVKIT_FEAT_DEV_CONFIG_CHANGED	(1ull << 8)
#define PVKIT_FEAT_EXIT_PROFILE		(1ull << 9)	/* EXIT_PROFILE (1.6) */
#define PVKIT_FEAT_DEV_STATS		(1ull << 10)	/* DEV_STATS (1.7) */
#define PVKIT_FEAT_UNPLUG		(1ull << 11)	/* UNPLUG (1.8) */
#define PVKIT_FEATURE_WORDS		1

/*
 * Hypercall numbers.  Arguments are listed as (RDI, RSI, RDX, R10, R8);
 * unused argument registers are ignored.
 */

/* () -> PVKIT_ABI_VERSION of the running hypervisor. */
#define PVKIT_HC_VERSION		0

/* (uint32 word) -> feature bitmap; -EINVAL if word >= PVKIT_FEATURE_WORDS. */
#define PVKIT_HC_FEATURES		1

/*
 * (gpa buf, uint64 len) -> bytes written.
 * Writes up to PVKIT_CONSOLE_IO_MAX bytes to the domain's console; a longer
 * request writes the first PVKIT_CONSOLE_IO_MAX bytes and returns that
 * count, so callers loop.  len == 0 returns 0.  -EFAULT if [buf, buf+len)
 * is not inside guest RAM (including when buf + len overflows).
 */
#define PVKIT_HC_CONSOLE_WRITE		2

/*
 * (gpa buf, uint64 len) -> bytes read, 0 if no input is waiting.
 * Same limits and errors as CONSOLE_WRITE.  New input raises VIRQ_CONSOLE.
 */
#define PVKIT_HC_CONSOLE_READ		3
#define PVKIT_CONSOLE_IO_MAX		4096

/*
 * (uint32 reason, uint32 code) -> does not return on success.
 * Ends the calling domain.  reason is PVKIT_SHUTDOWN_*; code is reported
 * on the hypervisor log (an exit status for POWEROFF, a cause for CRASH).
 * -EINVAL for an unknown reason.
 */
#define PVKIT_HC_DOMAIN_SHUTDOWN	4
#define PVKIT_SHUTDOWN_POWEROFF		0
#define PVKIT_SHUTDOWN_REBOOT		1
#define PVKIT_SHUTDOWN_CRASH		2

/* () -> 0.  Gives the pCPU to another runnable vCPU, if any. */
#define PVKIT_HC_SCHED_YIELD		5

/*
 * () -> 0.  Blocks the calling vCPU until an event is pending for it
 * (vcpu_info.upcall_pending set) or its timer fires.  Returns at once if
 * one is pending already.  Guests call it with interrupts disabled and
 * check their event state after it returns; it is not an error to wake
 * up with nothing to do.
 */
#define PVKIT_HC_SCHED_BLOCK		6

/*
 * (uint64 deadline_ns) -> 0.
 * Arms the calling vCPU's one-shot timer for the given system time (the
 * time in the shared info page).  When it passes, VIRQ_TIMER is raised on
 * that vCPU.  0 cancels the timer.  A deadline in the past fires at once.
 */
#define PVKIT_HC_TIMER_SET		7

/*
 * (uint32 vector) -> 0.
 * Sets the interrupt vector (32..255) the hypervisor injects on every vCPU
 * of the domain when vcpu_info.upcall_pending goes from 0 to 1 and
 * upcall_mask is 0.  Vector 0 (the default) turns upcalls off; events are
 * still marked pending.  -ERANGE for 1..31 or > 255.
 */
#define PVKIT_HC_SET_UPCALL_VECTOR	8

/* Event channel operations: argument structures in event_channel.h. */
#define PVKIT_HC_EVTCHN_ALLOC_UNBOUND	9	/* (gpa arg) -> 0 */
#define PVKIT_HC_EVTCHN_BIND_INTERDOMAIN 10	/* (gpa arg) -> 0 */
#define PVKIT_HC_EVTCHN_BIND_VIRQ	11	/* (gpa arg) -> 0 */
#define PVKIT_HC_EVTCHN_SEND		12	/* (uint32 port) -> 0 */
#define PVKIT_HC_EVTCHN_CLOSE		13	/* (uint32 port) -> 0 */
#define PVKIT_HC_EVTCHN_MASK		14	/* (uint32 port) -> 0 */
#define PVKIT_HC_EVTCHN_UNMASK		15	/* (uint32 port) -> 0 */
#define PVKIT_HC_EVTCHN_STATUS		16	/* (gpa arg) -> 0 */

/* (gpa struct pvkit_domain_info) -> 0.  Describes the calling domain. */
#define PVKIT_HC_DOMAIN_INFO		17

/*
 * PV devices (ABI 1.3): arguments and errors in pvkit/io/device.h.
 *   DEV_INFO       (gpa struct pvkit_dev_info) -> 0
 *   DEV_CONFIG     (uint32 index, gpa buf, uint64 len) -> bytes copied
 *   DEV_CONNECT    (gpa struct pvkit_dev_connect) -> 0
 *   DEV_DISCONNECT (uint32 index) -> 0
 */
#define PVKIT_HC_DEV_INFO		18
#define PVKIT_HC_DEV_CONFIG		19
#define PVKIT_HC_DEV_CONNECT		20
#define PVKIT_HC_DEV_DISCONNECT		21

/*
 * () -> the guest-physical address of the calling domain's shared info
 * page (ABI 1.3).  A PV domain finds it in start_info too.  In an HVM
 * domain the page sits in a range its e820 map reserves (never RAM to
 * the guest's allocator), at an address this call gives; the guest maps
 * it write-back.  See pvkit/io/device.h for how events reach an HVM
 * guest.
 */
#define PVKIT_HC_SHARED_INFO_GPA	22

/*
 * (gpa struct pvkit_domain_stats) -> 0 (ABI 1.3).
 * The calling domain's VM exits so far, by kind, summed over its vCPUs:
 * what benchmarks divide by the operations they made.  Counts only grow
 * (a reboot of the domain does not reset them).  -EFAULT as usual.
 */
#define PVKIT_HC_DOMAIN_STATS		23

/*
 * (uint32 port, uint32 vcpu) -> 0 (ABI 1.4, PVKIT_FEAT_EVTCHN_VCPU).
 * Event channel operation, described in event_channel.h.
 */
#define PVKIT_HC_EVTCHN_BIND_VCPU	24

/*
 * (gpa struct pvkit_exit_profile) -> 0 (ABI 1.6, PVKIT_FEAT_EXIT_PROFILE).
 * DOMAIN_STATS with the time the hypervisor spent handling each kind of
 * exit, and the same exits by the device that caused them: an emulated
 * device model ("ide-piix", "e1000"), the local APIC ("lapic"), a PV
 * device kicked through its event channel ("pv-block-0") or a function
 * passed through whose interrupt arrived while the domain ran
 * ("pt-00:08.0").  Exits no device caused (a timer tick, HLT, CPUID)
 * are in no source.  Times are system-time nanoseconds from the start
 * of the hypervisor's handler to its end: not the world switch, not the
 * time a halted vCPU sleeps.  Counts only grow.  -EFAULT as usual.
 */
#define PVKIT_HC_EXIT_PROFILE		25

/*
 * (uint32 index, gpa struct pvkit_dev_stats) -> 0 (ABI 1.7,
 * PVKIT_FEAT_DEV_STATS).  The backend's side of PV device index of the
 * calling domain, described in pvkit/io/device.h.
 */
#define PVKIT_HC_DEV_STATS		26

/*
 * (uint32 op) -> a slot mask, see below (ABI 1.8, PVKIT_FEAT_UNPLUG).
 * Hands the emulated devices that have PV replacements (a module line's
 * unplug=pv: the IDE disk, e1000s) over to PV.  Until the call the
 * replacements are not there (DEV_INFO ends before them), so one disk
 * or MAC is never driven through both at once.
 *
 *   PVKIT_UNPLUG_QUERY: changes nothing.
 *   PVKIT_UNPLUG_DO: the hypervisor quiesces the devices (the disk's
 *     storage request in flight lands and the storage is flushed; an
 *     e1000 leaves the virtual switch), removes their PCI functions from
 *     bus 0 (config reads of them return all-ones, their ports and BARs
 *     read all-ones and ignore writes), and only then adds the
 *     replacements to the PV device table, after the devices that were
 *     there: the same storage, the same MAC.  All of them or none; a
 *     second call changes nothing.
 *
 * Result (both ops): bit N set for each slot N of bus 0 (function 0,
 * 00:N.0) whose emulated device the unplug removes or removed, with
 * PVKIT_UNPLUG_DONE set once it has happened.  That is bit 0, slot 0
 * being the host bridge, which never goes: the result fits the low 32
 * bits that a 32-bit guest sees in EAX.  The guest removes those
 * functions from its own view first (a driver bound to one must have
 * let it go).  A reboot of the domain puts the emulated devices back
 * and takes the replacements away again.
 * Errors: -EINVAL an unknown op; -ENOENT the domain has no device to
 * unplug.
 */
#define PVKIT_HC_UNPLUG			27
#define PVKIT_UNPLUG_QUERY		0
#define PVKIT_UNPLUG_DO			1
#define PVKIT_UNPLUG_DONE		(1ull << 0)

#define PVKIT_HC_MAX			28	/* first unused number */

struct pvkit_domain_info {
	uint16_t domid;		/* OUT */
	uint16_t nr_vcpus;	/* OUT */
	uint32_t vcpu_id;	/* OUT: the calling vCPU */
	uint64_t mem_bytes;	/* OUT: guest RAM is [0, mem_bytes) */
	uint64_t features;	/* OUT: feature word 0 */
	char name[32];		/* OUT: NUL-terminated domain name */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_domain_info, 56);

/* Exit kinds, the indices of pvkit_domain_stats.exits[]. */
#define PVKIT_EXIT_INTR			0	/* a host interrupt (timer, kick) */
#define PVKIT_EXIT_IRQ_WINDOW		1	/* the guest can take an interrupt */
#define PVKIT_EXIT_HLT			2
#define PVKIT_EXIT_HYPERCALL		3
#define PVKIT_EXIT_CPUID		4
#define PVKIT_EXIT_MSR			5
#define PVKIT_EXIT_IO			6	/* port I/O */
#define PVKIT_EXIT_MMIO			7	/* a device's guest-physical page */
#define PVKIT_EXIT_EXCEPTION		8	/* an exception reflected back */
#define PVKIT_EXIT_CACHE		9	/* INVD, WBINVD, WBNOINVD */
#define PVKIT_EXIT_OTHER		10
#define PVKIT_EXIT_CR			11	/* a control-register access (1.9) */
/* Shadow paging's own exits (1.11): */
#define PVKIT_EXIT_PAGE_FAULT		12	/* a #PF on the shadow tables */
#define PVKIT_EXIT_CR3			13	/* a MOV to CR3 */
#define PVKIT_EXIT_INVLPG		14
#define PVKIT_STATS_EXITS		16	/* room in the structure */

struct pvkit_domain_stats {
	uint32_t nr_exit_kinds;	/* OUT: kinds this hypervisor counts */
	uint32_t pad;		/* OUT: zero */
	uint64_t exits[PVKIT_STATS_EXITS];	/* OUT; unused entries 0 */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_domain_stats, 8 + 8 * 16);

#define PVKIT_PROFILE_SOURCES		24	/* room in the structure */

struct pvkit_exit_source {
	char name[16];		/* OUT: NUL-terminated */
	uint64_t exits;		/* OUT */
	uint64_t ns;		/* OUT: handling them */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_exit_source, 32);

struct pvkit_exit_profile {
	uint32_t nr_exit_kinds;	/* OUT: as in pvkit_domain_stats */
	uint32_t nr_sources;	/* OUT: entries of sources[] in use */
	uint64_t exits[PVKIT_STATS_EXITS];	/* OUT: by kind */
	uint64_t exit_ns[PVKIT_STATS_EXITS];	/* OUT: by kind */
	struct pvkit_exit_source sources[PVKIT_PROFILE_SOURCES];	/* OUT */
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_exit_profile, 8 + 2 * 8 * 16 + 32 * 24);

#endif /* PVKIT_HYPERCALL_H */
