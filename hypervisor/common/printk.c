// SPDX-License-Identifier: GPL-2.0
/* Log output with levels, serialised across pCPUs. */
#include <stdarg.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <asm/spinlock.h>
#include <hv/printk.h>
#include <hv/serial.h>
#include <hv/system.h>

static int log_level = CONFIG_LOG_LEVEL;
static spinlock_t log_lock = SPINLOCK_INIT;

void printk_set_level(int level)
{
	log_level = level;
}

int printk_level(void)
{
	return log_level;
}

/*
 * With console_raw (console.c), the focused domain's bytes go out as the
 * domain writes them, so the wire may end in a line of that domain that
 * is still open: "(dN) " and no newline yet.  Everything else that goes
 * out first ends that line, so that lines never mix; the domain's next
 * byte then starts a line of its own, prefix and all.  Every serial
 * write passes here, under log_lock, which guards this too.
 */
static unsigned int raw_line_of;	/* domain id, 0: no line open */

int console_prefix(char *buf, unsigned long size, unsigned int domid)
{
	return snprintf(buf, size, "(d%u) ", domid);
}

/* Lock held. */
static void end_raw_line(void)
{
	if (!raw_line_of)
		return;
	/* serial_write() sends "\r\n": back to column 0 after an echo. */
	serial_write("\n", 1);
	raw_line_of = 0;
}

void console_puts_raw(const char *s, unsigned long len)
{
	spin_lock(&log_lock);
	end_raw_line();
	serial_write(s, len);
	spin_unlock(&log_lock);
}

void console_end_raw_line(void)
{
	spin_lock(&log_lock);
	end_raw_line();
	spin_unlock(&log_lock);
}

void console_puts_domain(unsigned int domid, const char *s,
			 unsigned long len)
{
	char prefix[CONSOLE_PREFIX_MAX];

	spin_lock(&log_lock);
	while (len) {
		const char *nl = memchr(s, '\n', len);
		unsigned long n = nl ? (unsigned long)(nl - s) + 1 : len;

		/* Not after a '\r': line editors redraw their line with it. */
		if (raw_line_of != domid) {
			end_raw_line();
			serial_write(prefix, console_prefix(prefix,
							    sizeof(prefix),
							    domid));
			raw_line_of = domid;
		}
		serial_write(s, n);
		if (nl)
			raw_line_of = 0;
		s += n;
		len -= n;
	}
	spin_unlock(&log_lock);
}

static void vprintk(const char *fmt, va_list ap)
{
	char buf[256];
	int n;

	memcpy(buf, "(pvkit) ", 8);
	n = vsnprintf(buf + 8, sizeof(buf) - 9, fmt, ap);
	if (n < 0)
		n = 0;
	n += 8;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	console_puts_raw(buf, n);
}

const char *shown(struct shown *buf, const char *s)
{
	str_escape(buf->s, sizeof(buf->s), s, strlen(s));
	return buf->s;
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk(LOG_ERR, "PANIC: hypervisor bug, stopping the machine");
	vprintk(fmt, ap);
	va_end(ap);
	system_exit(HV_EXIT_PANIC);
}
