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
#include <hv/time.h>

#define COPY_CHUNK	256
static uint64_t con_burst = CONFIG_CONSOLE_BURST_KB * 1024ull;
#define CON_BURST	con_burst
/* The rate, from Kconfig or the command line; 0 when there is no limit. */
static uint64_t con_rate = CONFIG_CONSOLE_RATE;
#define CON_RATE	con_rate
#define NSEC_PER_SEC	1000000000ull
/* "(pvkit) d65535: 18446744073709551615 console bytes dropped\n" */
#define DROP_REPORT_MAX	64

/*
 * A domain's output is cut into lines under its console_lock, which
 * guards memory only; each line is written to the serial port after that
 * lock is dropped, by console_puts_raw(), which holds the log lock for
 * that one line.  So nobody waits on a domain's console_lock for a
 * serial write, and, the log lock being a ticket lock, a pCPU with a
 * line to print waits for at most one line per other pCPU.  What each
 * domain puts on the wire is bounded by a token bucket: CON_RATE bytes a
 * second, CON_BURST at once (enough for a verbose Linux boot).  A line
 * that finds too few tokens is dropped whole and counted; the count is
 * reported in one line before the next line that goes out, or when the
 * domain ends.  With console_raw, the focused domain's output skips the
 * line buffer (write_raw()); printk.c keeps its open line apart.
 */
struct con_out {
	uint64_t dropped;	/* bytes to report before the line */
	unsigned int len;	/* 0: nothing to print */
	char buf[CONSOLE_LINE_MAX + 16];
};

/*
 * console_raw on the command line: the domain with the keyboard writes
 * straight to the terminal, so that a shell on it echoes, edits its line
 * and drives the terminal as on a serial line of its own.  Off by
 * default: the hypervisor cannot tell a terminal from a log file on its
 * serial line, and a log wants whole, filtered lines.
 */
static bool con_raw;

void console_set_limit(uint64_t bytes_per_sec, uint64_t burst)
{
	con_rate = bytes_per_sec;
	if (burst)
		con_burst = burst;
}

void console_set_raw(bool on)
{
	con_raw = on;
}

/* Lock held. */
static void bucket_refill(struct domain *d, uint64_t now)
{
	uint64_t dt = now - d->con_refill_at, add;

	/* Another pCPU's clock a little behind: no time has passed. */
	if (d->con_refill_at && (int64_t)dt < 0)
		return;
	/* Also the first time: a domain starts with a full bucket. */
	if (!d->con_refill_at || dt >= CON_BURST * NSEC_PER_SEC / CON_RATE) {
		d->con_tokens = CON_BURST;
		d->con_refill_at = now;
		return;
	}
	/* dt * CON_RATE < CON_BURST * NSEC_PER_SEC: no overflow. */
	add = dt * CON_RATE / NSEC_PER_SEC;
	if (!add)
		return;
	d->con_tokens = MIN(CON_BURST, d->con_tokens + add);
	/* Only the time that bought whole bytes is used up. */
	d->con_refill_at += add * NSEC_PER_SEC / CON_RATE;
}

/*
 * Takes d's line for printing, or drops it.  A line costs the bytes it
 * puts on the wire, prefix and newline included, and the drop report in
 * front of it its longest length: so a guest cannot make the hypervisor
 * print more than its budget, with short lines or by provoking reports.
 * The count reported is of the guest's own bytes (text and newline).
 * Lock held.
 */
static bool take_line(struct domain *d, struct con_line *l,
		      struct con_out *out, bool may_drop)
{
	unsigned int n, cost;

	n = console_prefix(out->buf, sizeof(out->buf), d->id);
	memcpy(out->buf + n, l->buf, l->len);
	n += l->len;
	out->buf[n++] = '\n';
	cost = n + (d->con_dropped ? DROP_REPORT_MAX : 0);
	if (!CON_RATE)
		goto take;
	bucket_refill(d, now_ns());
	if (d->con_tokens < cost && !may_drop)
		return false;
	if (d->con_tokens < cost) {
		d->con_dropped += l->len + 1;
		l->len = 0;
		return true;
	}
	d->con_tokens -= cost;
take:
	out->dropped = d->con_dropped;
	out->len = n;
	d->con_dropped = 0;
	l->len = 0;
	return true;
}

/* Lock not held: this is the slow part. */
static void put_line(const struct domain *d, const struct con_out *out)
{
	if (out->dropped)
		pr_warn("d%u: %llu console bytes dropped", d->id,
			(unsigned long long)out->dropped);
	if (out->len)
		console_puts_raw(out->buf, out->len);
}

static char sanitize(char c)
{
	/* A guest must not drive the terminal with escape sequences. */
	return char_is_safe(c) ? c : '.';
}

/*
 * Adds buf to d's line until the line is complete; returns how many
 * bytes it used.  Without may_drop, a line the bucket cannot pay for
 * stays where it is, the byte that would complete it unused, and *stall
 * is set.  Lock held.
 */
static size_t collect_line(struct domain *d, struct con_line *l,
			   const char *buf, size_t len, struct con_out *out,
			   bool may_drop, bool *stall)
{
	for (size_t i = 0; i < len; i++) {
		bool nl = buf[i] == '\n';

		if (buf[i] == '\r')
			continue;
		if (!nl)
			l->buf[l->len++] = sanitize(buf[i]);
		if (!nl && l->len < CONSOLE_LINE_MAX)
			continue;
		if (take_line(d, l, out, may_drop))
			return i + 1;
		if (!nl)
			l->len--;
		*stall = true;
		return i;
	}
	return len;
}

static size_t write_lines(struct domain *d, struct con_line *l,
			  const char *buf, size_t len,
			  bool may_drop)
{
	bool stall = false;
	size_t done = 0;

	while (done < len && !stall) {
		struct con_out out;

		out.dropped = 0;
		out.len = 0;
		spin_lock(&d->console_lock);
		done += collect_line(d, l, buf + done, len - done, &out,
				     may_drop,
				     &stall);
		spin_unlock(&d->console_lock);
		put_line(d, &out);
	}
	return done;
}

/*
 * Raw mode: how many of buf's bytes d's bucket pays for, paid.  A byte
 * costs one token, a newline also the prefix of the line it starts, a
 * drop report in front its longest length.  Not charged: the prefix of
 * a line that another line cut into, which that line's writer caused.
 * Lock held.
 */
static size_t pay_raw(struct domain *d, const char *buf, size_t len,
		      struct con_out *out)
{
	char tmp[CONSOLE_PREFIX_MAX];
	uint64_t prefix = (uint64_t)console_prefix(tmp, sizeof(tmp), d->id);
	size_t n;

	if (CON_RATE) {
		bucket_refill(d, now_ns());
		if (d->con_dropped && d->con_tokens < DROP_REPORT_MAX)
			return 0;
		if (d->con_dropped)
			d->con_tokens -= DROP_REPORT_MAX;
	}
	out->dropped += d->con_dropped;
	d->con_dropped = 0;
	if (!CON_RATE)
		return len;
	for (n = 0; n < len; n++) {
		uint64_t cost = 1 + (buf[n] == '\n' ? prefix : 0);

		if (d->con_tokens < cost)
			break;
		d->con_tokens -= cost;
	}
	return n;
}

/*
 * Raw mode, for the focused domain: its bytes go out unfiltered as they
 * come, a slice of at most a line's length per hold of the log lock.
 */
static size_t write_raw(struct domain *d, struct con_line *l,
			const char *buf, size_t len,
			bool may_drop)
{
	size_t done = 0;

	while (done < len) {
		size_t n = MIN(len - done, (size_t)CONSOLE_LINE_MAX), paid;
		struct con_out out;

		out.dropped = 0;
		out.len = 0;
		spin_lock(&d->console_lock);
		/* Begun before d had the keyboard: goes out whole, first. */
		if (l->len)
			take_line(d, l, &out, true);
		paid = pay_raw(d, buf + done, n, &out);
		if (paid < n && may_drop)
			d->con_dropped += n - paid;
		spin_unlock(&d->console_lock);
		put_line(d, &out);
		if (paid)
			console_puts_domain(d->id, buf + done, paid);
		done += paid;
		if (paid < n && !may_drop)
			break;
		if (paid < n)
			done += n - paid;
	}
	return done;
}

static struct domain *input_focus(void);

static size_t write_out(struct domain *d, enum console_src src,
			const char *buf, size_t len, bool may_drop)
{
	struct con_line *l = &d->con[src];

	if (con_raw && d == input_focus())
		return write_raw(d, l, buf, len, may_drop);
	return write_lines(d, l, buf, len, may_drop);
}

void console_domain_write(struct domain *d, enum console_src src,
			  const char *buf, size_t len)
{
	write_out(d, src, buf, len, true);
}

size_t console_domain_write_some(struct domain *d, enum console_src src,
				 const char *buf, size_t len)
{
	return write_out(d, src, buf, len, false);
}

void console_domain_flush(struct domain *d)
{
	for (unsigned int i = 0; i < CONSOLE_NR_SOURCES; i++) {
		struct con_out out;

		out.dropped = 0;
		out.len = 0;
		spin_lock(&d->console_lock);
		if (d->con[i].len)
			take_line(d, &d->con[i], &out, true);
		/* The domain is ending: no later line would report these. */
		out.dropped += d->con_dropped;
		d->con_dropped = 0;
		spin_unlock(&d->console_lock);
		put_line(d, &out);
	}
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
		console_domain_write(v->dom, CONSOLE_SRC_EMUL, chunk, n);
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
 * Only pCPU 0 polls the serial line and writes this state, so it needs
 * no lock; output on any pCPU reads the focus (raw mode), and a write
 * racing a switch goes out in the mode of either side of it.
 */
#define FOCUS_KEY	0x1d	/* Ctrl-] */

static unsigned int focus_id;
static bool focus_key_seen;

static struct domain *input_focus(void)
{
	struct domain *d = domain_by_id(READ_ONCE(focus_id));

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
	/* The old focus's open line ends whatever is printed below. */
	console_end_raw_line();
	if (d && domain_alive(d)) {
		WRITE_ONCE(focus_id, d->id);
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
