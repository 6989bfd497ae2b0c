/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS: hypercall wrappers.  Number in RAX, arguments in RDI, RSI,
 * RDX, R10, R8, result in RAX; the hypervisor preserves every other
 * register, so only RAX is an output.
 */
#ifndef MINIOS_HYPERCALL_H
#define MINIOS_HYPERCALL_H

#include <minios/os.h>
#include <pvkit/io/device.h>

static inline int64_t hypercall5(uint64_t nr, uint64_t a1, uint64_t a2,
				 uint64_t a3, uint64_t a4, uint64_t a5)
{
	register uint64_t r10 asm("r10") = a4;
	register uint64_t r8 asm("r8") = a5;
	int64_t ret;

	asm volatile("vmmcall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
		     : "memory");
	return ret;
}

static inline int64_t hypercall0(uint64_t nr)
{
	int64_t ret;

	asm volatile("vmmcall" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static inline int64_t hypercall1(uint64_t nr, uint64_t a1)
{
	int64_t ret;

	asm volatile("vmmcall" : "=a"(ret) : "a"(nr), "D"(a1) : "memory");
	return ret;
}

static inline int64_t hypercall2(uint64_t nr, uint64_t a1, uint64_t a2)
{
	int64_t ret;

	asm volatile("vmmcall"
		     : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2) : "memory");
	return ret;
}

static inline int64_t hypercall3(uint64_t nr, uint64_t a1, uint64_t a2,
				 uint64_t a3)
{
	int64_t ret;

	asm volatile("vmmcall"
		     : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
		     : "memory");
	return ret;
}

static inline int64_t hc_version(void)
{
	return hypercall0(PVKIT_HC_VERSION);
}

static inline int64_t hc_features(uint32_t word)
{
	return hypercall1(PVKIT_HC_FEATURES, word);
}

static inline int64_t hc_console_write(const void *buf, uint64_t len)
{
	return hypercall2(PVKIT_HC_CONSOLE_WRITE, virt_to_gpa(buf), len);
}

static inline int64_t hc_console_read(void *buf, uint64_t len)
{
	return hypercall2(PVKIT_HC_CONSOLE_READ, virt_to_gpa(buf), len);
}

static inline int64_t hc_shutdown(uint32_t reason, uint32_t code)
{
	return hypercall2(PVKIT_HC_DOMAIN_SHUTDOWN, reason, code);
}

static inline int64_t hc_yield(void)
{
	return hypercall0(PVKIT_HC_SCHED_YIELD);
}

static inline int64_t hc_block(void)
{
	return hypercall0(PVKIT_HC_SCHED_BLOCK);
}

static inline int64_t hc_timer_set(uint64_t deadline_ns)
{
	return hypercall1(PVKIT_HC_TIMER_SET, deadline_ns);
}

static inline int64_t hc_set_upcall_vector(uint64_t vector)
{
	return hypercall1(PVKIT_HC_SET_UPCALL_VECTOR, vector);
}

/* The struct-argument event channel calls take a GPA. */
static inline int64_t hc_evtchn_op(uint64_t nr, const void *arg)
{
	return hypercall1(nr, virt_to_gpa(arg));
}

static inline int64_t hc_evtchn_port_op(uint64_t nr, uint32_t port)
{
	return hypercall1(nr, port);
}

static inline int64_t hc_domain_info(struct pvkit_domain_info *info)
{
	return hypercall1(PVKIT_HC_DOMAIN_INFO, virt_to_gpa(info));
}

static inline int64_t hc_domain_stats(struct pvkit_domain_stats *st)
{
	return hypercall1(PVKIT_HC_DOMAIN_STATS, virt_to_gpa(st));
}

static inline int64_t hc_exit_profile(struct pvkit_exit_profile *p)
{
	return hypercall1(PVKIT_HC_EXIT_PROFILE, virt_to_gpa(p));
}

/* PV devices (pvkit/io/device.h). */
static inline int64_t hc_dev_info(struct pvkit_dev_info *info)
{
	return hypercall1(PVKIT_HC_DEV_INFO, virt_to_gpa(info));
}

static inline int64_t hc_dev_stats(uint32_t index, struct pvkit_dev_stats *st)
{
	return hypercall2(PVKIT_HC_DEV_STATS, index, virt_to_gpa(st));
}

static inline int64_t hc_dev_config(uint32_t index, void *buf, uint64_t len)
{
	return hypercall3(PVKIT_HC_DEV_CONFIG, index, virt_to_gpa(buf), len);
}

static inline int64_t hc_dev_connect(const struct pvkit_dev_connect *req)
{
	return hypercall1(PVKIT_HC_DEV_CONNECT, virt_to_gpa(req));
}

static inline int64_t hc_dev_disconnect(uint32_t index)
{
	return hypercall1(PVKIT_HC_DEV_DISCONNECT, index);
}

#endif /* MINIOS_HYPERCALL_H */
