// SPDX-License-Identifier: GPL-2.0
/*
 * lib/ on the host: string functions against the C library, vsnprintf
 * against the host's snprintf over a generated table of formats, and the
 * number parsers' edge cases.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include "ktap.h"
#include "lib_host.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_random(uint8_t *p, size_t n, unsigned int seed)
{
	srand(seed);
	while (n--)
		*p++ = (uint8_t)rand();
}

static void test_memcpy_memset(void)
{
	uint8_t src[300], dst[300], ref[300];
	size_t off, n;

	fill_random(src, sizeof(src), 1);
	for (off = 0; off < 8; off++) {
		for (n = 0; n < 260; n += 37) {
			memset(dst, 0x5a, sizeof(dst));
			memset(ref, 0x5a, sizeof(ref));
			EXPECT(pvkit_memcpy(dst + off, src + 3, n) == dst + off);
			memcpy(ref + off, src + 3, n);
			EXPECT_MEMEQ(dst, ref, sizeof(dst));

			EXPECT(pvkit_memset(dst + off, 0x1c3, n) == dst + off);
			memset(ref + off, 0xc3, n);
			EXPECT_MEMEQ(dst, ref, sizeof(dst));
		}
	}
}

static void test_memmove(void)
{
	uint8_t a[256], b[256];
	size_t from, to, n;

	for (from = 0; from < 64; from += 7) {
		for (to = 0; to < 64; to += 5) {
			n = 100 + from;
			fill_random(a, sizeof(a), (unsigned int)(from * 64 + to));
			memcpy(b, a, sizeof(a));
			EXPECT(pvkit_memmove(a + to, a + from, n) == a + to);
			memmove(b + to, b + from, n);
			EXPECT_MEMEQ(a, b, sizeof(a));
		}
	}
}

static void test_memcmp_memchr(void)
{
	static const char *const pairs[][2] = {
		{ "", "" }, { "abc", "abc" }, { "abc", "abd" },
		{ "abd", "abc" }, { "\x80", "\x7f" }, { "\x01", "\xff" },
	};
	const char *s = "hello, world";
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(pairs); i++) {
		n = strlen(pairs[i][0]);
		EXPECT_EQ(sign(pvkit_memcmp(pairs[i][0], pairs[i][1], n)),
			  sign(memcmp(pairs[i][0], pairs[i][1], n)));
	}
	EXPECT(pvkit_memchr(s, 'o', 12) == s + 4);
	EXPECT(pvkit_memchr(s, 'o', 4) == NULL);
	EXPECT(pvkit_memchr(s, 'z', 12) == NULL);
	EXPECT(pvkit_memchr(s, 0x100 + 'w', 12) == s + 7);
}

static void test_strings(void)
{
	static const char *const strs[] = {
		"", "a", "ab", "abc", "abd", "abcd", "b", "\xff", "\x7f",
	};
	const char *s = "path/to/file";
	size_t i, j, n;

	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		EXPECT_EQ(pvkit_strlen(strs[i]), strlen(strs[i]));
		for (n = 0; n < 4; n++)
			EXPECT_EQ(pvkit_strnlen(strs[i], n), strnlen(strs[i], n));
		for (j = 0; j < ARRAY_SIZE(strs); j++) {
			EXPECT_EQ(sign(pvkit_strcmp(strs[i], strs[j])),
				  sign(strcmp(strs[i], strs[j])));
			for (n = 0; n < 5; n++)
				EXPECT_EQ(sign(pvkit_strncmp(strs[i], strs[j], n)),
					  sign(strncmp(strs[i], strs[j], n)));
		}
	}
	EXPECT(pvkit_strchr(s, '/') == s + 4);
	EXPECT(pvkit_strrchr(s, '/') == s + 7);
	EXPECT(pvkit_strchr(s, 'x') == NULL);
	EXPECT(pvkit_strrchr(s, 'x') == NULL);
	EXPECT(pvkit_strchr(s, '\0') == s + 12);
	EXPECT(pvkit_strrchr(s, '\0') == s + 12);
}

static void test_strlcpy(void)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(pvkit_strlcpy(buf, "hello", sizeof(buf)), 5);
	EXPECT_STREQ(buf, "hello");
	EXPECT_EQ(pvkit_strlcpy(buf, "hello, world", sizeof(buf)), 12);
	EXPECT_STREQ(buf, "hello, ");
	EXPECT_EQ(pvkit_strlcpy(buf, "1234567", sizeof(buf)), 7);
	EXPECT_STREQ(buf, "1234567");
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(pvkit_strlcpy(buf, "abc", 0), 3);
	EXPECT_EQ(buf[0], 'x');
	EXPECT_EQ(pvkit_strlcpy(buf, "abc", 1), 3);
	EXPECT_EQ(buf[0], '\0');
}

static void test_str_escape(void)
{
	static const char in[] = "a\x1b[2J\\b\t\x7f\xff";
	char buf[64];

	EXPECT_EQ(str_escape(buf, sizeof(buf), in, sizeof(in) - 1), 20);
	EXPECT_STREQ(buf, "a\\x1b[2J\\\\b\t\\x7f\\xff");
	/* Bytes past a NUL are still escaped: the length is the caller's. */
	EXPECT_EQ(str_escape(buf, sizeof(buf), "x\0y", 3), 6);
	EXPECT_STREQ(buf, "x\\x00y");
	/* An escape that does not fit is left out, never cut. */
	EXPECT_EQ(str_escape(buf, 5, "ab\x1b", 3), 2);
	EXPECT_STREQ(buf, "ab");
	EXPECT_EQ(str_escape(buf, 7, "ab\x1b", 3), 6);
	EXPECT_STREQ(buf, "ab\\x1b");
	EXPECT_EQ(str_escape(buf, 2, "\\", 1), 0);
	EXPECT_STREQ(buf, "");
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(str_escape(buf, 0, "abc", 3), 0);
	EXPECT_EQ(buf[0], 'x');
	for (unsigned int c = 0; c < 256; c++)
		EXPECT_EQ(char_is_safe((char)c),
			  c == '\t' || (c >= 0x20 && c < 0x7f));
}

/* ---- vsnprintf against the host ---- */

static unsigned int fmt_mismatches, fmt_compared;

static void host_vs_pvkit(const char *fmt, ...)
{
	char a[512], b[512];
	va_list ap, aq;
	int ra, rb;

	va_start(ap, fmt);
	va_copy(aq, ap);
	fmt_compared++;
	ra = pvkit_vsnprintf(a, sizeof(a), fmt, ap);
	rb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (ra == rb && !strcmp(a, b))
		return;
	if (fmt_mismatches++ < 10)
		ktap_diag("format \"%s\": pvkit %d \"%s\", host %d \"%s\"",
			  fmt, ra, a, rb, b);
}

static const char *const int_flags[] = {
	"", "-", "0", "+", " ", "-0", "+0", "- ", "-+", "0 ",
};
static const char *const uint_flags[] = { "", "-", "0", "-0" };
static const char *const hex_flags[] = { "", "-", "0", "#", "#0", "-#" };
static const char *const widths[] = { "", "1", "2", "7", "24", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".5", ".30", ".*" };
static const char *const lens[] = { "hh", "h", "", "l", "ll", "z", "j", "t" };
static const int star_args[] = { 0, 5, -5, 30 };

static const int64_t int_values[] = {
	0, 1, -1, 7, -42, 127, -128, 255, 32767, -32768, 65535, 2147483647,
	-2147483647 - 1, 4294967295ll, 1234567890123ll, INT64_MAX, INT64_MIN,
};

/* Calls host_vs_pvkit with v passed as the type len says. */
static void run_int(const char *fmt, const char *len, bool is_signed,
		    int star_w, int star_p, bool has_w, bool has_p, int64_t v)
{
	long long sv = v;
	unsigned long long uv = (unsigned long long)v;

#define CALL(val) do {							\
	if (has_w && has_p)						\
		host_vs_pvkit(fmt, star_w, star_p, val);		\
	else if (has_w)							\
		host_vs_pvkit(fmt, star_w, val);			\
	else if (has_p)							\
		host_vs_pvkit(fmt, star_p, val);			\
	else								\
		host_vs_pvkit(fmt, val);				\
} while (0)

	if (!strcmp(len, "l") || !strcmp(len, "ll") || !strcmp(len, "j") ||
	    !strcmp(len, "z") || !strcmp(len, "t")) {
		if (is_signed)
			CALL(sv);
		else
			CALL(uv);
	} else {
		if (is_signed)
			CALL((int)sv);
		else
			CALL((unsigned int)uv);
	}
#undef CALL
}

static void table_for(char conv, const char *const *flags, size_t nflags,
		      bool is_signed)
{
	char fmt[64];
	size_t f, w, p, l, v, s;

	for (f = 0; f < nflags; f++)
	for (w = 0; w < ARRAY_SIZE(widths); w++)
	for (p = 0; p < ARRAY_SIZE(precs); p++)
	for (l = 0; l < ARRAY_SIZE(lens); l++) {
		snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags[f],
			 widths[w], precs[p], lens[l], conv);
		for (v = 0; v < ARRAY_SIZE(int_values); v++)
			for (s = 0; s < ARRAY_SIZE(star_args); s++)
				run_int(fmt, lens[l], is_signed, star_args[s],
					star_args[(s + 1) % 4],
					widths[w][0] == '*',
					!strcmp(precs[p], ".*"), int_values[v]);
	}
}

static void test_vsnprintf_ints(void)
{
	fmt_mismatches = 0;
	fmt_compared = 0;
	table_for('d', int_flags, ARRAY_SIZE(int_flags), true);
	table_for('i', int_flags, ARRAY_SIZE(int_flags), true);
	table_for('u', uint_flags, ARRAY_SIZE(uint_flags), false);
	table_for('x', hex_flags, ARRAY_SIZE(hex_flags), false);
	table_for('X', hex_flags, ARRAY_SIZE(hex_flags), false);
	table_for('o', hex_flags, ARRAY_SIZE(hex_flags), false);
	ktap_diag("%u integer formats compared with the host", fmt_compared);
	EXPECT_EQ(fmt_mismatches, 0);
}

static void test_vsnprintf_str_char(void)
{
	static const char *const strs[] = { "", "a", "hello", "a longer string" };
	static const char *const sflags[] = { "", "-" };
	char fmt[64];
	size_t f, w, p, i;
	int c;

	fmt_mismatches = 0;
	for (f = 0; f < ARRAY_SIZE(sflags); f++)
	for (w = 0; w < ARRAY_SIZE(widths); w++)
	for (p = 0; p < ARRAY_SIZE(precs); p++)
	for (i = 0; i < ARRAY_SIZE(strs); i++) {
		snprintf(fmt, sizeof(fmt), "<%%%s%s%ss>", sflags[f],
			 widths[w], precs[p]);
		if (widths[w][0] == '*' && !strcmp(precs[p], ".*"))
			host_vs_pvkit(fmt, -7, 3, strs[i]);
		else if (widths[w][0] == '*')
			host_vs_pvkit(fmt, 9, strs[i]);
		else if (!strcmp(precs[p], ".*"))
			host_vs_pvkit(fmt, 2, strs[i]);
		else
			host_vs_pvkit(fmt, strs[i]);
	}
	for (f = 0; f < ARRAY_SIZE(sflags); f++)
	for (w = 0; w < ARRAY_SIZE(widths) - 1; w++)
	for (c = 1; c < 256; c += 17) {
		snprintf(fmt, sizeof(fmt), "<%%%s%sc>", sflags[f], widths[w]);
		host_vs_pvkit(fmt, c);
	}
	host_vs_pvkit("100%% %s%%%c", "sure", 'x');
	host_vs_pvkit("%s=%d, %s=%#x; %5.2s|%-3c|%lld", "a", 1, "b", 255,
		      "xyz", 'q', -9ll);
	EXPECT_EQ(fmt_mismatches, 0);
}

static void test_vsnprintf_truncation(void)
{
	char buf[16];
	size_t size;
	int r;

	for (size = 0; size <= 12; size++) {
		memset(buf, '#', sizeof(buf));
		r = pvkit_snprintf(buf, size, "%s-%d", "abcdef", 1234);
		EXPECT_EQ(r, 11);
		if (size)
			EXPECT_EQ(strnlen(buf, sizeof(buf)),
				  size - 1 < 11 ? size - 1 : 11);
		if (size)
			EXPECT(!strncmp(buf, "abcdef-1234", size - 1));
		EXPECT_EQ(buf[size], '#');
	}
	EXPECT_EQ(pvkit_snprintf(NULL, 0, "%d %s", 123456, "xy"), 9);
	EXPECT_EQ(pvkit_snprintf(buf, 1, "%20d", 5), 20);
	EXPECT_EQ(buf[0], '\0');
}

static void test_vsnprintf_special(void)
{
	char buf[128];
	const char *volatile null = NULL;
	int r;

	pvkit_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	EXPECT_STREQ(buf, "0x0000000000001234");
	pvkit_snprintf(buf, sizeof(buf), "%p", NULL);
	EXPECT_STREQ(buf, "0x0000000000000000");
	pvkit_snprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX);
	EXPECT_STREQ(buf, "0xffffffffffffffff");
	pvkit_snprintf(buf, sizeof(buf), "[%20p][%-20p]", (void *)1, (void *)2);
	EXPECT_STREQ(buf, "[  0x0000000000000001][0x0000000000000002  ]");
	pvkit_snprintf(buf, sizeof(buf), "%s|%.3s", null, null);
	EXPECT_STREQ(buf, "(null)|(nu");

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	r = pvkit_snprintf(buf, sizeof(buf), "a%qb%5.2wc%", 1);
	EXPECT_STREQ(buf, "a%qb%5.2wc%");
	EXPECT_EQ(r, 11);
	pvkit_snprintf(buf, sizeof(buf), "%ll");
	EXPECT_STREQ(buf, "%ll");
	pvkit_snprintf(buf, sizeof(buf), "x%-08.3");
	EXPECT_STREQ(buf, "x%-08.3");
	pvkit_snprintf(buf, sizeof(buf), "%d %Q %d", 1, 2);
	EXPECT_STREQ(buf, "1 %Q 2");
#pragma GCC diagnostic pop
	/* A precision bounds the read: the array has no terminator. */
	{
		const char unterminated[3] = { 'a', 'b', 'c' };

		pvkit_snprintf(buf, sizeof(buf), "%.3s", unterminated);
		EXPECT_STREQ(buf, "abc");
	}
	r = pvkit_snprintf(buf, sizeof(buf), "%*d", 1 << 30, 1);
	EXPECT(r > 0);
}

/* ---- number parsing ---- */

struct parse_case {
	const char *s;
	int ret;
	uint64_t val;
};

static const struct parse_case u64_cases[] = {
	{ "0", 0, 0 },
	{ "1", 0, 1 },
	{ "007", 0, 7 },
	{ "4096", 0, 4096 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -PVKIT_ERANGE, 0 },
	{ "99999999999999999999", -PVKIT_ERANGE, 0 },
	{ "184467440737095516150", -PVKIT_ERANGE, 0 },
	{ "0x0", 0, 0 },
	{ "0x1000", 0, 0x1000 },
	{ "0XaBcDeF", 0, 0xabcdef },
	{ "0xffffffffffffffff", 0, UINT64_MAX },
	{ "0x00000000000000000000ff", 0, 0xff },
	{ "0x10000000000000000", -PVKIT_ERANGE, 0 },
	{ "", -PVKIT_EINVAL, 0 },
	{ "0x", -PVKIT_EINVAL, 0 },
	{ "x10", -PVKIT_EINVAL, 0 },
	{ "-1", -PVKIT_EINVAL, 0 },
	{ "+1", -PVKIT_EINVAL, 0 },
	{ " 1", -PVKIT_EINVAL, 0 },
	{ "1 ", -PVKIT_EINVAL, 0 },
	{ "12a", -PVKIT_EINVAL, 0 },
	{ "0xg", -PVKIT_EINVAL, 0 },
	{ "0x1g", -PVKIT_EINVAL, 0 },
	{ "ff", -PVKIT_EINVAL, 0 },
	{ "99999999999999999999x", -PVKIT_EINVAL, 0 },
};

static const struct parse_case size_cases[] = {
	{ "0", 0, 0 },
	{ "4096", 0, 4096 },
	{ "1k", 0, 1024 },
	{ "1K", 0, 1024 },
	{ "16M", 0, 16ull << 20 },
	{ "16m", 0, 16ull << 20 },
	{ "2G", 0, 2ull << 30 },
	{ "64g", 0, 64ull << 30 },
	{ "0x10M", 0, 16ull << 20 },
	{ "17179869183G", 0, 17179869183ull << 30 },
	{ "17179869184G", -PVKIT_ERANGE, 0 },
	{ "18014398509481983K", 0, 18014398509481983ull << 10 },
	{ "18014398509481984K", -PVKIT_ERANGE, 0 },
	{ "18446744073709551615", 0, UINT64_MAX },
	{ "18446744073709551616", -PVKIT_ERANGE, 0 },
	{ "", -PVKIT_EINVAL, 0 },
	{ "M", -PVKIT_EINVAL, 0 },
	{ "1MB", -PVKIT_EINVAL, 0 },
	{ "1T", -PVKIT_EINVAL, 0 },
	{ "1 M", -PVKIT_EINVAL, 0 },
	{ "1KK", -PVKIT_EINVAL, 0 },
	{ "-1M", -PVKIT_EINVAL, 0 },
	{ "0xM", -PVKIT_EINVAL, 0 },
};

static void check_parse(int (*fn)(const char *, size_t, uint64_t *),
			const struct parse_case *c, size_t n)
{
	uint64_t v;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		v = 0xdeadbeef;
		ret = fn(c[i].s, strlen(c[i].s), &v);
		if (ret != c[i].ret || (!ret && v != c[i].val) ||
		    (ret && v != 0xdeadbeef)) {
			ktap_fail_at(__FILE__, __LINE__, c[i].s);
			ktap_diag("  got %d/%llu, want %d/%llu", ret,
				  (unsigned long long)v, c[i].ret,
				  (unsigned long long)c[i].val);
		}
	}
}

static void test_parse_u64(void)
{
	uint64_t v = 0;

	check_parse(parse_u64, u64_cases, ARRAY_SIZE(u64_cases));
	/* The length bounds the parse: no terminator needed or read. */
	EXPECT_EQ(parse_u64("1234junk", 4, &v), 0);
	EXPECT_EQ(v, 1234);
	EXPECT_EQ(parse_u64("0x", 1, &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(parse_u64("12\0" "3", 4, &v), -PVKIT_EINVAL);
}

static void test_parse_size(void)
{
	uint64_t v = 0;

	check_parse(parse_size, size_cases, ARRAY_SIZE(size_cases));
	EXPECT_EQ(parse_size("2Mxyz", 2, &v), 0);
	EXPECT_EQ(v, 2ull << 20);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_memcpy_memset),
	KTAP_CASE(test_memmove),
	KTAP_CASE(test_memcmp_memchr),
	KTAP_CASE(test_strings),
	KTAP_CASE(test_strlcpy),
	KTAP_CASE(test_str_escape),
	KTAP_CASE(test_vsnprintf_ints),
	KTAP_CASE(test_vsnprintf_str_char),
	KTAP_CASE(test_vsnprintf_truncation),
	KTAP_CASE(test_vsnprintf_special),
	KTAP_CASE(test_parse_u64),
	KTAP_CASE(test_parse_size),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
