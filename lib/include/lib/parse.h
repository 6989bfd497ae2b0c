/* SPDX-License-Identifier: MIT */
/*
 * Number parsing for command lines and configuration.  Strings are given
 * with their length and need not be NUL-terminated; every byte of the
 * range must be part of the number.
 */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decimal ("4096") or hexadecimal with a 0x/0X prefix ("0x1000").  No sign,
 * no spaces.  Returns 0, -PVKIT_EINVAL (empty, junk) or -PVKIT_ERANGE (the
 * value does not fit in 64 bits); *out is written only on success.
 */
int parse_u64(const char *s, size_t len, uint64_t *out);

/*
 * A parse_u64() number with an optional K, M or G suffix (either case,
 * binary units: K = 1024).  Same results as parse_u64().
 */
int parse_size(const char *s, size_t len, uint64_t *out);

#endif /* LIB_PARSE_H */
