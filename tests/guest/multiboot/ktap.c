// SPDX-License-Identifier: GPL-2.0
/*
 * What every Multiboot test kernel shares: KTAP on COM1.
 * These kernels are freestanding 32-bit images with no libc, so they
 * print KTAP themselves rather than through the Kselftest harness.
 */
#include "mbtest.h"

#define COM1		0x3f8

int ktap_tests, ktap_failed;

void putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, c);
}

void puts(const char *s)
{
	while (*s)
		putc(*s++);
}

void putu(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = '\0';
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts(buf + i);
}

void result(bool ok, const char *name)
{
	ktap_tests++;
	ktap_failed += !ok;
	puts(ok ? "ok " : "not ok ");
	putu(ktap_tests);
	putc(' ');
	puts(name);
	putc('\n');
}

void diag(const char *what, uint32_t v)
{
	puts("# ");
	puts(what);
	putu(v);
	putc('\n');
}

/* Whether the command line (its path first) holds word. */
bool has_word(const char *s, const char *word)
{
	for (; s && *s; s++) {
		const char *a = s, *b = word;

		while (*b && *a == *b)
			a++, b++;
		if (!*b && (!*a || *a == ' '))
			return true;
	}
	return false;
}
