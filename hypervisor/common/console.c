// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/event.h>
#include <hv/guest_mem.h>
#include <hv/hypercall.h>
#include <hv/printk.h>
#include <hv/pv.h>
#include <hv/serial.h>

#define COPY_CHUNK	256

/* Called with d->console_lock held. */
static void flush_line(struct domain *d)
{
	char buf[CONSOLE_LINE_MAX + 16];
	int n = snprintf(buf, sizeof(buf), "(d%u) ", d->id);

	memcpy(buf + n, d->con_line, d->con_len);
	n += d->con_len;
	buf[n++] = '\n';
	console_puts_raw(buf, n);
	d->con_len = 0;
}

static char sanitize(char c)
{
	/* A guest must not drive the terminal with escape sequences. */
	return char_is_safe(c) ? c : '.';
}

void console_domain_write(struct domain *d, const char *buf, size_t len)
{
	spin_lock(&d->console_lock);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			flush_line(d);
			continue;
		}
		if (buf[i] == '\r')
			continue;
		d->con_line[d->con_len++] = sanitize(buf[i]);
		if (d->con_len == CONSOLE_LINE_MAX)
			flush_line(d);
	}
	spin_unlock(&d->console_lock);
}

void console_domain_flush(struct domain *d)
{
	spin_lock(&d->console_lock);
	if (d->con_len)
		flush_line(d);
	spin_unlock(&d->console_lock);
}

int64_t hc_console_write(struct vcpu *v, const uint64_t *a)
{
	uint64_t gpa = a[0], len = a[1], done = 0;
	char chunk[COPY_CHUNK];

	if (!guest_range_ok(v->dom, gpa, len))
		return -PVKIT_EFAULT;
	len = MIN(len, (uint64_t)PVKIT_CONSOLE_IO_MAX);
	while (done < len) {
		size_t n = MIN(len - done, (uint64_t)COPY_CHUNK);

		if (copy_from_guest(v->dom, chunk, gpa + done, n))
			return -PVKIT_EFAULT;
		console_domain_write(v->dom, chunk, n);
		done += n;
	}
	return (int64_t)done;
}

int64_t hc_console_read(struct vcpu *v, const uint64_t *a)
{
	struct domain *d = v->dom;
	uint64_t gpa = a[0], len = a[1];
	char buf[CONSOLE_IN_SIZE];
	size_t n = 0;

	if (!guest_range_ok(d, gpa, len))
		return -PVKIT_EFAULT;
	len = MIN(len, (uint64_t)sizeof(buf));
	spin_lock(&d->console_lock);
	while (n < len && d->con_in_tail != d->con_in_head) {
		buf[n++] = d->con_in[d->con_in_tail % CONSOLE_IN_SIZE];
		d->con_in_tail++;
	}
	spin_unlock(&d->console_lock);
	if (n && copy_to_guest(d, gpa, buf, n))
		return -PVKIT_EFAULT;
	return (int64_t)n;
}

/*
 * Keyboard input goes to one domain: the one chosen with Ctrl-] and its
 * id (1-9), else the first running one.  Ctrl-] twice sends a Ctrl-].
 * Only pCPU 0 polls the serial line, so this state needs no lock.
 */
#define FOCUS_KEY	0x1d	/* Ctrl-] */

static unsigned int focus_id;
static bool focus_key_seen;

static struct domain *input_focus(void)
{
	struct domain *d = domain_by_id(focus_id);

	if (d && domain_alive(d))
		return d;
	for (unsigned int i = 0; i < nr_domains; i++)
		if (domains[i] && domain_alive(domains[i]))
			return domains[i];
	return NULL;
}

/* True when c was part of a focus switch and must go nowhere. */
static bool focus_switch(int c)
{
	struct domain *d;

	if (!focus_key_seen) {
		focus_key_seen = c == FOCUS_KEY;
		return focus_key_seen;
	}
	focus_key_seen = false;
	if (c == FOCUS_KEY)
		return false;
	d = c >= '1' && c <= '9' ? domain_by_id(c - '0') : NULL;
	if (d && domain_alive(d)) {
		focus_id = d->id;
		pr_notice("keyboard input goes to d%u %s", d->id, d->name);
	} else {
		pr_notice("Ctrl-] then 1-9 picks the domain that gets keyboard input");
	}
	return true;
}

/* The UART takes what fits in its FIFO; the rest waits in con_in. */
static void feed_uart(struct domain *d)
{
	char buf[CONSOLE_IN_SIZE];
	size_t n = 0, taken;

	spin_lock(&d->console_lock);
	while (d->con_in_tail + n != d->con_in_head) {
		buf[n] = d->con_in[(d->con_in_tail + n) % CONSOLE_IN_SIZE];
		n++;
	}
	spin_unlock(&d->console_lock);
	if (!n)
		return;
	taken = emul_console_input(d, buf, n);
	spin_lock(&d->console_lock);
	d->con_in_tail += taken;
	spin_unlock(&d->console_lock);
}

size_t console_take_input(struct domain *d, char *buf, size_t max)
{
	size_t n = 0;

	spin_lock(&d->console_lock);
	while (n < max && d->con_in_tail != d->con_in_head)
		buf[n++] = d->con_in[d->con_in_tail++ % CONSOLE_IN_SIZE];
	spin_unlock(&d->console_lock);
	return n;
}

bool console_input_waiting(struct domain *d)
{
	return READ_ONCE(d->con_in_tail) != READ_ONCE(d->con_in_head);
}

static void deliver(struct domain *d, bool got)
{
	/* A connected PV console takes the input before anything else. */
	if (pv_console_input(d))
		return;
	/* An HVM guest reads its console from the emulated UART. */
	if (d->bus.console)
		feed_uart(d);
	else if (got && d->vcpus[0])
		evtchn_send_virq(d->vcpus[0], PVKIT_VIRQ_CONSOLE);
}

/*
 * Moves serial input to the focused domain's buffer, no more than it
 * holds: what does not fit stays in the UART (and QEMU's backend), so
 * typing ahead loses nothing.
 */
void console_poll_input(void)
{
	struct domain *d = input_focus();
	bool got = false;
	int c;

	if (!d)
		return;
	for (;;) {
		bool room;

		spin_lock(&d->console_lock);
		room = d->con_in_head - d->con_in_tail < CONSOLE_IN_SIZE;
		spin_unlock(&d->console_lock);
		if (!room || (c = serial_getc()) < 0)
			break;
		if (focus_switch(c)) {
			struct domain *now = input_focus();

			if (now && now != d) {
				deliver(d, got);
				d = now;
				got = false;
			}
			continue;
		}
		spin_lock(&d->console_lock);
		d->con_in[d->con_in_head++ % CONSOLE_IN_SIZE] = (char)c;
		spin_unlock(&d->console_lock);
		got = true;
	}
	deliver(d, got);
}
