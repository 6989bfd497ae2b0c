/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_SERIAL_H
#define HV_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_write(const char *s, unsigned long len);
/* Returns -1 when no byte is waiting. */
int serial_getc(void);

#endif
