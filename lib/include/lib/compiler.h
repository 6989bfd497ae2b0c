/* SPDX-License-Identifier: MIT */
/*
 * Small compiler helpers shared by the hypervisor and Mini-OS.
 * gcc/clang only (statement expressions and __typeof__ are used freely).
 */
#ifndef LIB_COMPILER_H
#define LIB_COMPILER_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#ifndef __packed
#define __packed	__attribute__((packed))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((aligned(x)))
#endif
#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif
#ifndef __unused
#define __unused	__attribute__((unused))
#endif

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/*
 * One access, exactly as written: for memory another CPU or a guest may
 * change underneath us.  Plain loads could be repeated or merged.
 */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))

/*
 * A 64-bit word at any address that may alias anything: x86 loads and
 * stores it whole, and UBSan's alignment check accepts it.
 */
typedef uint64_t __attribute__((__may_alias__, __aligned__(1))) unaligned_u64;

/* Keeps the compiler from moving memory accesses across this point. */
#define barrier()	__asm__ __volatile__("" ::: "memory")

/* a must be a power of two. */
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + ((__typeof__(x))(a) - 1), (a))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define MIN(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a < _b ? _a : _b; })
#define MAX(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
		     _a > _b ? _a : _b; })

/* Compile-time assertion usable as a statement or an expression. */
#define BUILD_BUG_ON(cond)	((void)sizeof(char[1 - 2 * !!(cond)]))

#endif /* LIB_COMPILER_H */
