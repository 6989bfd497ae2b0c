/* SPDX-License-Identifier: MIT */
/*
 * Bounded formatted output with C semantics: the result is the length the
 * full output would have had, and buf is always NUL-terminated when
 * size > 0.
 *
 * Supported: flags "-0+ #", width and precision (both also as "*"),
 * length modifiers hh h l ll z j t, conversions d i u x X o c s p %.
 * "%p" prints "0x" and 16 hex digits.  A NULL "%s" prints "(null)".
 * Any other conversion is copied to the output literally.
 */
#ifndef LIB_PRINTF_H
#define LIB_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIB_PRINTF_H */
