/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_CMDLINE_H
#define MINIOS_CMDLINE_H

#include <minios/os.h>

void cmdline_init(const char *cmdline, uint64_t len);
const char *cmdline_raw(void);
/* The value of key=value, or NULL; a bare word has the value "". */
const char *cmdline_get(const char *key);
/* key's value as a number, or def if absent or malformed. */
uint64_t cmdline_get_u64(const char *key, uint64_t def);

#endif /* MINIOS_CMDLINE_H */
