// SPDX-License-Identifier: MIT
/*
 * Simple, obviously correct implementations.  memcpy and memset move
 * aligned 8-byte words through the bulk of a buffer: building a domain
 * zeroes its RAM and copies its kernel, hundreds of megabytes a boot,
 * and byte loops made that the slowest part of starting a Linux guest.
 * The bulk goes eight words per iteration: under QEMU's TCG each loop
 * iteration is a translation block of its own, and one block per word
 * cost more than the stores.  memcpy moves words even when the two
 * buffers are not aligned alike (x86 takes unaligned words at full
 * speed): a network frame sits 12 bytes into a virtio-net buffer and 8
 * into a switch frame, and the byte loop that such copies fell back to
 * was the largest cost of forwarding a frame.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>

/* A word that may alias anything, for the bulk loops. */
typedef uint64_t __attribute__((__may_alias__)) word_t;

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = *s++;
		n--;
	}
	for (; n >= 64; n -= 64, d += 64, s += 64) {
		word_t *dw = (word_t *)d;
		const unaligned_u64 *sw = (const unaligned_u64 *)s;

		dw[0] = sw[0]; dw[1] = sw[1]; dw[2] = sw[2];
		dw[3] = sw[3]; dw[4] = sw[4]; dw[5] = sw[5];
		dw[6] = sw[6]; dw[7] = sw[7];
	}
	for (; n >= 8; n -= 8, d += 8, s += 8)
		*(word_t *)d = *(const unaligned_u64 *)s;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d - (uintptr_t)s >= n) {
		/* dst is below src or the areas do not overlap. */
		while (n--)
			*d++ = *s++;
		return dst;
	}
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	word_t w = 0x0101010101010101ull * (unsigned char)c;

	while (n && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 64; n -= 64, d += 64) {
		word_t *dw = (word_t *)d;

		dw[0] = w; dw[1] = w; dw[2] = w; dw[3] = w;
		dw[4] = w; dw[5] = w; dw[6] = w; dw[7] = w;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(word_t *)d = w;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	if (*p == *q)
		return 0;
	return *p < *q ? -1 : 1;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
		if (!*p)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);
	size_t n;

	if (size) {
		n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* How str_escape() shows byte c: written to out[0..3], returns the length. */
static size_t escape_char(unsigned char c, char *out)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '\\') {
		out[0] = out[1] = '\\';
		return 2;
	}
	if (char_is_safe((char)c)) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 15];
	return 4;
}

size_t str_escape(char *restrict dst, size_t size, const char *restrict src,
		  size_t len)
{
	size_t n = 0, w;
	char esc[4];

	if (!size)
		return 0;
	for (size_t i = 0; i < len; i++) {
		w = escape_char((unsigned char)src[i], esc);
		if (w > size - 1 - n)
			break;
		memcpy(dst + n, esc, w);
		n += w;
	}
	dst[n] = '\0';
	return n;
}
