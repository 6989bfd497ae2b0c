/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: the base every other ABI header includes.
 *
 * The headers under hypercall-abi/ are the one definition of the interface
 * between the pvkit hypervisor and its guests.  They are freestanding: the
 * hypervisor, the Linux modules, Mini-OS and host tools include them
 * unchanged, so they use nothing but fixed-width integer types.
 *
 * Layout rules every structure follows:
 *  - only uint8_t .. uint64_t and int8_t .. int64_t (no long, no pointers,
 *    no bitfields, no enum-typed fields); guest addresses are uint64_t
 *    guest-physical addresses (GPAs);
 *  - natural alignment with explicit padding fields named pad*, which a
 *    caller sets to zero and the hypervisor checks (-PVKIT_EINVAL if not);
 *  - sizes are multiples of 8 and pinned with PVKIT_ABI_ASSERT_SIZE.
 *
 * Numbers (hypercalls, features, errors, fields) are append-only: a number
 * once published keeps its meaning for every later minor version.
 */
#ifndef PVKIT_TYPES_H
#define PVKIT_TYPES_H

#if defined(__KERNEL__) && defined(__linux__)
#include <linux/types.h>
#else
#include <stdint.h>
#include <stddef.h>
#endif

#ifdef __cplusplus
#define PVKIT_STATIC_ASSERT(expr, msg) static_assert(expr, msg)
#else
#define PVKIT_STATIC_ASSERT(expr, msg) _Static_assert(expr, msg)
#endif

#define PVKIT_ABI_ASSERT_SIZE(type, size) \
	PVKIT_STATIC_ASSERT(sizeof(type) == (size), "size of " #type)
#define PVKIT_ABI_ASSERT_OFFSET(type, field, off) \
	PVKIT_STATIC_ASSERT(offsetof(type, field) == (off), \
			    "offset of " #type "." #field)

/* ABI version: major changes break callers, minor ones only add. */
#define PVKIT_ABI_VERSION_MAJOR		1
#define PVKIT_ABI_VERSION_MINOR		11
#define PVKIT_ABI_VERSION \
	((PVKIT_ABI_VERSION_MAJOR << 16) | PVKIT_ABI_VERSION_MINOR)

/* Guest pages are always 4 KiB, whatever the hypervisor maps them with. */
#define PVKIT_PAGE_SHIFT		12
#define PVKIT_PAGE_SIZE			(1u << PVKIT_PAGE_SHIFT)

/* Domain identifiers.  Guests are numbered from 1 in boot order. */
#define PVKIT_DOMID_SELF		0x7ff0u
#define PVKIT_DOMID_INVALID		0x7fffu
/* The hypervisor itself, as the far end of a PV device's ports (1.3). */
#define PVKIT_DOMID_HYPERVISOR		0x7ff1u
#define PVKIT_MAX_DOMID			0x7fefu

/* Most vCPUs one domain may have; sizes the shared info page. */
#define PVKIT_MAX_VCPUS			16

#endif /* PVKIT_TYPES_H */
