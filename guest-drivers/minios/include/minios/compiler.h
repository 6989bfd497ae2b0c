/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS: compiler helpers.  lib/compiler.h provides the shared ones;
 * anything it does not define is filled in here.
 */
#ifndef MINIOS_COMPILER_H
#define MINIOS_COMPILER_H

#include <lib/compiler.h>

#ifndef barrier
#define barrier()		asm volatile("" ::: "memory")
#endif
#ifndef READ_ONCE
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v)	(*(volatile __typeof__(x) *)&(x) = (v))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef likely
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#endif
#ifndef __noreturn
#define __noreturn		__attribute__((noreturn))
#endif
#ifndef __aligned
#define __aligned(n)		__attribute__((aligned(n)))
#endif
#ifndef __packed
#define __packed		__attribute__((packed))
#endif
#ifndef __printf
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#endif
#ifndef __unused
#define __unused		__attribute__((unused))
#endif

#endif /* MINIOS_COMPILER_H */
