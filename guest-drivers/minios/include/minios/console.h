/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_CONSOLE_H
#define MINIOS_CONSOLE_H

#include <stdarg.h>
#include <minios/os.h>

/* Writes all of buf to the domain console, looping over short writes. */
void console_write(const char *buf, size_t len);
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);

/* Console input: bound to VIRQ_CONSOLE by console_init_input(). */
int console_init_input(void);
/* Copies buffered input into buf; returns the bytes copied. */
size_t console_read_buffered(char *buf, size_t len);
uint64_t console_input_events(void);

#endif /* MINIOS_CONSOLE_H */
