// SPDX-License-Identifier: MIT
/*
 * vsnprintf for freestanding code: no floating point, no locale, no
 * allocation.  Output goes through out_char(), which counts every
 * character but stores only those that fit.
 */
#include <stdbool.h>
#include <stdint.h>
#include <lib/printf.h>

/* Caps on width and precision so that the count cannot overflow an int. */
#define FMT_FIELD_MAX	4096

struct out {
	char *buf;
	size_t size;
	size_t pos;
};

enum {
	FL_LEFT  = 1 << 0,	/* '-' */
	FL_ZERO  = 1 << 1,	/* '0' */
	FL_PLUS  = 1 << 2,	/* '+' */
	FL_SPACE = 1 << 3,	/* ' ' */
	FL_ALT   = 1 << 4,	/* '#' */
};

enum len_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T };

struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1: none */
	enum len_mod len;
	char conv;
};

static void out_char(struct out *o, char c)
{
	if (o->size && o->pos < o->size - 1)
		o->buf[o->pos] = c;
	o->pos++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	while (n--)
		out_char(o, *s++);
}

static int parse_num(const char **fmt)
{
	int n = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (n < FMT_FIELD_MAX)
			n = n * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return n < FMT_FIELD_MAX ? n : FMT_FIELD_MAX;
}

static int clamp_field(int n)
{
	return n < FMT_FIELD_MAX ? n : FMT_FIELD_MAX;
}

static unsigned int parse_flags(const char **fmt)
{
	unsigned int flags = 0;

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-': flags |= FL_LEFT; break;
		case '0': flags |= FL_ZERO; break;
		case '+': flags |= FL_PLUS; break;
		case ' ': flags |= FL_SPACE; break;
		case '#': flags |= FL_ALT; break;
		default: return flags;
		}
	}
}

static enum len_mod parse_len(const char **fmt)
{
	const char *f = *fmt;
	enum len_mod len = LEN_NONE;

	switch (*f) {
	case 'h':
		len = f[1] == 'h' ? LEN_HH : LEN_H;
		break;
	case 'l':
		len = f[1] == 'l' ? LEN_LL : LEN_L;
		break;
	case 'z': len = LEN_Z; break;
	case 'j': len = LEN_J; break;
	case 't': len = LEN_T; break;
	default: return LEN_NONE;
	}
	*fmt += (len == LEN_HH || len == LEN_LL) ? 2 : 1;
	return len;
}

/* Parses flags, width, precision and length; *fmt points past the '%'. */
static void parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	int w;

	sp->flags = parse_flags(fmt);
	if (**fmt == '*') {
		(*fmt)++;
		w = va_arg(*ap, int);
		if (w < 0) {
			sp->flags |= FL_LEFT;
			w = w == INT32_MIN ? FMT_FIELD_MAX : -w;
		}
		sp->width = clamp_field(w);
	} else {
		sp->width = parse_num(fmt);
	}
	sp->prec = -1;
	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			(*fmt)++;
			w = va_arg(*ap, int);
			sp->prec = w < 0 ? -1 : clamp_field(w);
		} else {
			sp->prec = parse_num(fmt);
		}
	}
	sp->len = parse_len(fmt);
	sp->conv = **fmt;
}

static uint64_t fetch_unsigned(enum len_mod len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	case LEN_T: return (uint64_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(enum len_mod len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z: return (int64_t)va_arg(*ap, size_t);
	case LEN_J: return va_arg(*ap, intmax_t);
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

/* Writes the digits of v in reverse order into tmp; returns their count. */
static int to_digits(char *tmp, uint64_t v, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void format_int(struct out *o, const struct spec *sp, uint64_t v,
		       bool neg, unsigned int base)
{
	char tmp[24];
	char prefix[2];
	int ndig, nprefix = 0, zeros = 0, pad;

	ndig = to_digits(tmp, v, base, sp->conv == 'X');
	if (sp->prec == 0 && v == 0)
		ndig = 0;	/* C: "%.0d" of zero prints nothing */

	if (neg)
		prefix[nprefix++] = '-';
	else if ((sp->flags & FL_PLUS) && sp->conv != 'u' && base == 10)
		prefix[nprefix++] = '+';
	else if ((sp->flags & FL_SPACE) && sp->conv != 'u' && base == 10)
		prefix[nprefix++] = ' ';
	if ((sp->flags & FL_ALT) && v && base == 16) {
		prefix[nprefix++] = '0';
		prefix[nprefix++] = sp->conv;
	}

	if (sp->prec > ndig)
		zeros = sp->prec - ndig;
	/* "#o" forces a leading zero, but only one. */
	if ((sp->flags & FL_ALT) && base == 8 && zeros == 0 &&
	    (ndig == 0 || tmp[ndig - 1] != '0'))
		zeros = 1;

	pad = sp->width - nprefix - zeros - ndig;
	if ((sp->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO && sp->prec < 0 &&
	    pad > 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & FL_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, prefix, (size_t)nprefix);
	out_repeat(o, '0', zeros);
	while (ndig)
		out_char(o, tmp[--ndig]);
	if (sp->flags & FL_LEFT)
		out_repeat(o, ' ', pad);
}

static void format_str(struct out *o, const struct spec *sp, const char *s)
{
	size_t n = 0;
	int pad;

	if (!s)
		s = "(null)";
	/* Never read past the precision: s need not be NUL-terminated. */
	while ((sp->prec < 0 || n < (size_t)sp->prec) && s[n])
		n++;
	pad = sp->width - (int)(n < FMT_FIELD_MAX ? n : FMT_FIELD_MAX);
	if (!(sp->flags & FL_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (sp->flags & FL_LEFT)
		out_repeat(o, ' ', pad);
}

static void format_ptr(struct out *o, const struct spec *sp, const void *p)
{
	const struct spec hex = { .prec = 16, .conv = 'x' };
	int pad = sp->width - 18;

	if (!(sp->flags & FL_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, "0x", 2);
	format_int(o, &hex, (uint64_t)(uintptr_t)p, false, 16);
	if (sp->flags & FL_LEFT)
		out_repeat(o, ' ', pad);
}

/* Returns false for a conversion we do not know (printed literally). */
static bool format_one(struct out *o, const struct spec *sp, va_list *ap)
{
	int64_t sv;
	char c;

	switch (sp->conv) {
	case 'd':
	case 'i':
		sv = fetch_signed(sp->len, ap);
		format_int(o, sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv,
			   sv < 0, 10);
		return true;
	case 'u':
		format_int(o, sp, fetch_unsigned(sp->len, ap), false, 10);
		return true;
	case 'x':
	case 'X':
		format_int(o, sp, fetch_unsigned(sp->len, ap), false, 16);
		return true;
	case 'o':
		format_int(o, sp, fetch_unsigned(sp->len, ap), false, 8);
		return true;
	case 'c':
		c = (char)va_arg(*ap, int);
		out_repeat(o, ' ', (sp->flags & FL_LEFT) ? 0 : sp->width - 1);
		out_char(o, c);
		out_repeat(o, ' ', (sp->flags & FL_LEFT) ? sp->width - 1 : 0);
		return true;
	case 's':
		format_str(o, sp, va_arg(*ap, const char *));
		return true;
	case 'p':
		format_ptr(o, sp, va_arg(*ap, const void *));
		return true;
	case '%':
		out_char(o, '%');
		return true;
	default:
		return false;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .pos = 0 };
	struct spec sp;
	const char *start;
	va_list args;

	/* A copy, so that helpers can take its address on every ABI. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		start = fmt++;
		parse_spec(&fmt, &sp, &args);
		if (!sp.conv) {
			/* Format ends inside a directive: show what there is. */
			out_mem(&o, start, (size_t)(fmt - start));
			break;
		}
		fmt++;
		if (!format_one(&o, &sp, &args))
			out_mem(&o, start, (size_t)(fmt - start));
	}
	va_end(args);
	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos < INT32_MAX ? (int)o.pos : INT32_MAX;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
