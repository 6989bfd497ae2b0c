// SPDX-License-Identifier: MIT
#include <stdbool.h>
#include <lib/parse.h>
#include <pvkit/errno.h>

static int digit_value(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return (unsigned int)v < base ? v : -1;
}

int parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	bool overflow = false;
	int d;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (!len)
		return -PVKIT_EINVAL;
	for (; len; len--, s++) {
		d = digit_value(*s, base);
		if (d < 0)
			return -PVKIT_EINVAL;
		/* Keep scanning after an overflow: junk still wins. */
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			overflow = true;
		v = v * base + (uint64_t)d;
	}
	if (overflow)
		return -PVKIT_ERANGE;
	*out = v;
	return 0;
}

static unsigned int suffix_shift(char c)
{
	switch (c) {
	case 'k': case 'K': return 10;
	case 'm': case 'M': return 20;
	case 'g': case 'G': return 30;
	default: return 0;
	}
}

int parse_size(const char *s, size_t len, uint64_t *out)
{
	unsigned int shift = 0;
	uint64_t v;
	int ret;

	if (len)
		shift = suffix_shift(s[len - 1]);
	if (shift)
		len--;
	ret = parse_u64(s, len, &v);
	if (ret)
		return ret;
	if (shift && v > (UINT64_MAX >> shift))
		return -PVKIT_ERANGE;
	*out = v << shift;
	return 0;
}
