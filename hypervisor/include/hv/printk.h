/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HV_PRINTK_H
#define HV_PRINTK_H

#include <stdarg.h>
#include <lib/compiler.h>

#define LOG_ERR		0
#define LOG_WARN	1
#define LOG_NOTICE	2
#define LOG_INFO	3
#define LOG_DEBUG	4

void printk_set_level(int level);
int printk_level(void);
/* Every hypervisor line starts with "(pvkit) "; one call, one line. */
void printk(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Raw text, such as a domain's console line.  The log lock is held for
 * the whole call, so callers pass a line at a time: that bounds what a
 * pCPU waiting to log waits for (see console.c).
 */
void console_puts_raw(const char *s, unsigned long len);

/* "(d65535) " and its NUL. */
#define CONSOLE_PREFIX_MAX	16
/* Writes domid's line prefix "(dN) " to buf; returns its length. */
int console_prefix(char *buf, unsigned long size, unsigned int domid);
/*
 * Domain domid's bytes as the domain wrote them (console_raw mode),
 * "(dN) " in front of each line they start: a line is open on the wire
 * until its newline, and any other output ends it first.  Same bound on
 * len as console_puts_raw().
 */
void console_puts_domain(unsigned int domid, const char *s,
			 unsigned long len);
/* Ends a domain's open raw line, if any: the next output starts a line. */
void console_end_raw_line(void);

/*
 * A string from a command line or from a guest (a module's path, its
 * arguments), made fit for a log line: str_escape() writes a byte that
 * could drive the terminal as \xNN.  Cut to what a log line holds.
 */
#define SHOWN_MAX	256
struct shown {
	char s[SHOWN_MAX];
};
const char *shown(struct shown *buf, const char *s);

#define pr_err(...)	printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	printk(LOG_WARN, __VA_ARGS__)
#define pr_notice(...)	printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)	printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	printk(LOG_DEBUG, __VA_ARGS__)

/* A broken hypervisor invariant: never for anything a guest did. */
void __attribute__((noreturn, format(printf, 1, 2))) panic(const char *fmt, ...);

#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);	\
} while (0)

#endif
