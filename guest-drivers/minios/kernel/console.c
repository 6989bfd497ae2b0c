// SPDX-License-Identifier: MIT
/*
 * Mini-OS console: output through PVKIT_HC_CONSOLE_WRITE, input through
 * PVKIT_HC_CONSOLE_READ when VIRQ_CONSOLE says some is waiting.
 */
#include <lib/printf.h>
#include <lib/string.h>
#include <minios/console.h>
#include <minios/events.h>
#include <minios/hypercall.h>

#define PRINTK_BUF	512
#define INPUT_BUF	256

static char input_buf[INPUT_BUF];
static size_t input_len;
static uint32_t console_port;
static volatile uint64_t input_events;

void console_write(const char *buf, size_t len)
{
	while (len) {
		int64_t n = hc_console_write(buf, len);

		/* Nothing sensible to report an error on: drop the rest. */
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf)) {
		/* Truncated: keep the line whole so the log stays readable. */
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	console_write(buf, (size_t)n);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

static void console_virq(uint32_t port __unused, void *data __unused)
{
	int64_t n;

	input_events++;
	if (input_len >= sizeof(input_buf))
		return;
	n = hc_console_read(input_buf + input_len,
			    sizeof(input_buf) - input_len);
	if (n > 0)
		input_len += (size_t)n;
}

int console_init_input(void)
{
	int64_t rc;

	rc = evtchn_bind_virq(PVKIT_VIRQ_CONSOLE, 0, &console_port);
	if (rc < 0)
		return (int)rc;
	evtchn_set_handler(console_port, console_virq, NULL);
	return 0;
}

size_t console_read_buffered(char *buf, size_t len)
{
	bool irq = irqs_enabled();
	size_t n;

	cli();
	n = input_len < len ? input_len : len;
	memcpy(buf, input_buf, n);
	memmove(input_buf, input_buf + n, input_len - n);
	input_len -= n;
	if (irq)
		sti();
	return n;
}

uint64_t console_input_events(void)
{
	return input_events;
}
