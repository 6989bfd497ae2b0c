/* SPDX-License-Identifier: MIT */
/*
 * The few memory-ordering operations the pvkit ring needs, mapped onto
 * whatever the including environment offers:
 *
 *   Linux kernel (__KERNEL__)      READ_ONCE/WRITE_ONCE, smp_load_acquire,
 *                                  smp_store_release, smp_mb
 *   freestanding (hypervisor,      GCC/Clang __atomic builtins
 *   Mini-OS: PVKIT_RING_FREESTANDING or __STDC_HOSTED__ == 0)
 *   and C++ (no <stdatomic.h>
 *   before C++23)
 *   hosted user space              C11 <stdatomic.h>
 *
 * Every operation works on a plain uint32_t in shared memory (the ABI
 * structures cannot use _Atomic types: they are also C++ and kernel
 * headers).  The user-space mapping casts to _Atomic uint32_t, which has
 * the same size and alignment as uint32_t on every ABI pvkit supports.
 *
 *   pvkit_ring_load_acquire(p)     load; later accesses stay after it
 *   pvkit_ring_store_release(p, v) store; earlier accesses stay before it
 *   pvkit_ring_load_once(p)        a single untorn load, no ordering
 *   pvkit_ring_store_once(p, v)    a single untorn store, no ordering
 *   pvkit_ring_store_mb(p, v)      store, then a full barrier: no later
 *                                  load is performed before the store is
 *                                  visible (store->load ordering, the
 *                                  one x86 does not give for free)
 *   pvkit_ring_load_mb(p)          a load that follows store_mb; in C11
 *                                  it must be seq_cst for the pairing of
 *                                  two store_mb/load_mb sequences to hold
 */
#ifndef PVKIT_RING_BARRIER_H
#define PVKIT_RING_BARRIER_H

#if defined(__KERNEL__) && defined(__linux__)

#include <linux/compiler.h>
#include <linux/atomic.h>	/* xchg(), which x86 smp_store_mb() uses */
#include <asm/barrier.h>

#define pvkit_ring_load_acquire(p)	smp_load_acquire(p)
#define pvkit_ring_store_release(p, v)	smp_store_release(p, v)
#define pvkit_ring_load_once(p)		READ_ONCE(*(p))
#define pvkit_ring_store_once(p, v)	WRITE_ONCE(*(p), v)
#define pvkit_ring_store_mb(p, v)	smp_store_mb(*(p), v)
#define pvkit_ring_load_mb(p)		READ_ONCE(*(p))

#elif defined(PVKIT_RING_FREESTANDING) || __STDC_HOSTED__ == 0 || \
	defined(__cplusplus)

#define pvkit_ring_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define pvkit_ring_store_release(p, v) \
	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define pvkit_ring_load_once(p)		__atomic_load_n(p, __ATOMIC_RELAXED)
#define pvkit_ring_store_once(p, v)	__atomic_store_n(p, v, __ATOMIC_RELAXED)
#define pvkit_ring_store_mb(p, v)	__atomic_store_n(p, v, __ATOMIC_SEQ_CST)
#define pvkit_ring_load_mb(p)		__atomic_load_n(p, __ATOMIC_SEQ_CST)

#else

#include <stdatomic.h>

#define pvkit_ring__a(p)		((_Atomic uint32_t *)(p))
#define pvkit_ring_load_acquire(p) \
	atomic_load_explicit(pvkit_ring__a(p), memory_order_acquire)
#define pvkit_ring_store_release(p, v) \
	atomic_store_explicit(pvkit_ring__a(p), v, memory_order_release)
#define pvkit_ring_load_once(p) \
	atomic_load_explicit(pvkit_ring__a(p), memory_order_relaxed)
#define pvkit_ring_store_once(p, v) \
	atomic_store_explicit(pvkit_ring__a(p), v, memory_order_relaxed)
#define pvkit_ring_store_mb(p, v) \
	atomic_store_explicit(pvkit_ring__a(p), v, memory_order_seq_cst)
#define pvkit_ring_load_mb(p) \
	atomic_load_explicit(pvkit_ring__a(p), memory_order_seq_cst)

#endif

#endif /* PVKIT_RING_BARRIER_H */
