/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Force-included into lib/ and hypervisor/ sources built for the host
 * tests.  lib/ defines memcpy, snprintf and friends under their standard
 * names for freestanding code; on the host those would replace the C
 * library's (and the sanitizers' interceptors), so here they get a prefix
 * and the tests reach them as pvkit_memcpy() and so on.
 */
#ifndef TESTS_UNIT_HOST_RENAME_H
#define TESTS_UNIT_HOST_RENAME_H

#define memcpy		pvkit_memcpy
#define memmove		pvkit_memmove
#define memset		pvkit_memset
#define memcmp		pvkit_memcmp
#define memchr		pvkit_memchr
#define strlen		pvkit_strlen
#define strnlen		pvkit_strnlen
#define strcmp		pvkit_strcmp
#define strncmp		pvkit_strncmp
#define strchr		pvkit_strchr
#define strrchr		pvkit_strrchr
#define strlcpy		pvkit_strlcpy
#define vsnprintf	pvkit_vsnprintf
#define snprintf	pvkit_snprintf

#endif /* TESTS_UNIT_HOST_RENAME_H */
