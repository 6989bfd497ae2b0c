/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prototypes of the host build of lib/ under their pvkit_ names (see
 * host_rename.h), leaving the C library's names untouched for the tests.
 */
#ifndef TESTS_UNIT_LIB_HOST_H
#define TESTS_UNIT_LIB_HOST_H

#include "host_rename.h"
#include <lib/string.h>
#include <lib/printf.h>
#include <lib/parse.h>

#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strlcpy
#undef vsnprintf
#undef snprintf

#endif /* TESTS_UNIT_LIB_HOST_H */
