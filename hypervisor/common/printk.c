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

void console_puts_raw(const char *s, unsigned long len)
{
	spin_lock(&log_lock);
	serial_write(s, len);
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
