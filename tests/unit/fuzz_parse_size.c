// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: parse_u64() and parse_size() against a reference
 * written differently (128-bit arithmetic, no early exits).
 */
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include "lib_host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int digit(uint8_t c, unsigned int base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v >= 0 && (unsigned int)v < base ? v : -1;
}

static int ref_u64(const uint8_t *s, size_t len, unsigned __int128 *out)
{
	unsigned __int128 v = 0;
	unsigned int base = 10;
	bool big = false;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -PVKIT_EINVAL;
	for (; i < len; i++) {
		if (digit(s[i], base) < 0)
			return -PVKIT_EINVAL;
		v = v * base + (unsigned int)digit(s[i], base);
		if (v > UINT64_MAX) {
			big = true;
			v = UINT64_MAX;	/* keep it from wrapping */
		}
	}
	*out = v;
	return big ? -PVKIT_ERANGE : 0;
}

static void check(int got, uint64_t gv, int want, unsigned __int128 wv)
{
	if (got != want || (!got && gv != wv))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned __int128 want_v = 0;
	uint64_t v = 0;
	unsigned int shift = 0;
	size_t len = size;
	int want, got;
	char *copy = malloc(size ? size : 1);

	/* An exact-size copy: no terminator, overreads trip ASan. */
	memcpy(copy, data, size);
	want = ref_u64(data, size, &want_v);
	got = parse_u64(copy, size, &v);
	check(got, v, want, want_v);

	if (size) {
		switch (data[size - 1]) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		}
	}
	if (shift)
		len--;
	want = ref_u64(data, len, &want_v);
	if (!want && (want_v << shift) > UINT64_MAX)
		want = -PVKIT_ERANGE;
	got = parse_size(copy, size, &v);
	check(got, v, want, want_v << shift);
	free(copy);
	return 0;
}
