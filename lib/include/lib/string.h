/* SPDX-License-Identifier: MIT */
/*
 * String and memory functions for freestanding code.  They carry the
 * standard names on purpose: gcc emits calls to memcpy, memmove, memset and
 * memcmp even with -ffreestanding, and these definitions satisfy them.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stdbool.h>
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * Copies at most size - 1 bytes of src and NUL-terminates dst when size > 0.
 * Returns strlen(src): a result >= size means the copy was truncated.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

/* A tab or printable ASCII: a byte that cannot drive a terminal. */
static inline bool char_is_safe(char c)
{
	return c == '\t' || (c >= 0x20 && c < 0x7f);
}

/*
 * Copies len bytes of src to dst for a terminal: a byte char_is_safe()
 * refuses becomes \xNN and a backslash \\, so the result holds no control
 * character and still tells the bytes apart.  An escape is never split;
 * dst is NUL-terminated when size > 0.  Returns the length written.
 */
size_t str_escape(char *restrict dst, size_t size, const char *restrict src,
		  size_t len);

#endif /* LIB_STRING_H */
