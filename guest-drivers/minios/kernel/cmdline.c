// SPDX-License-Identifier: MIT
/*
 * Mini-OS command line: space-separated words, "key=value" or bare.
 * The text is copied out of the start info area once at boot.
 */
#include <lib/string.h>
#include <lib/parse.h>
#include <minios/cmdline.h>

#define CMDLINE_MAX	512
#define VALUE_MAX	128

static char cmdline[CMDLINE_MAX];
static char value[VALUE_MAX];

void cmdline_init(const char *src, uint64_t len)
{
	if (len >= sizeof(cmdline))
		len = sizeof(cmdline) - 1;
	memcpy(cmdline, src, len);
	cmdline[len] = '\0';
}

const char *cmdline_raw(void)
{
	return cmdline;
}

/* Finds key in the word list; returns the word's value and its length. */
static const char *find_value(const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *word = p;
		size_t wlen;

		while (*p && *p != ' ')
			p++;
		wlen = (size_t)(p - word);
		while (*p == ' ')
			p++;
		if (wlen < klen || strncmp(word, key, klen))
			continue;
		if (wlen == klen) {
			*vlen = 0;
			return word + wlen;
		}
		if (word[klen] == '=') {
			*vlen = wlen - klen - 1;
			return word + klen + 1;
		}
	}
	return NULL;
}

/* The returned string lives until the next call. */
const char *cmdline_get(const char *key)
{
	size_t vlen;
	const char *v = find_value(key, &vlen);

	if (!v)
		return NULL;
	if (vlen >= sizeof(value))
		vlen = sizeof(value) - 1;
	memcpy(value, v, vlen);
	value[vlen] = '\0';
	return value;
}

uint64_t cmdline_get_u64(const char *key, uint64_t def)
{
	size_t vlen;
	const char *v = find_value(key, &vlen);
	uint64_t out;

	if (!v || parse_u64(v, vlen, &out))
		return def;
	return out;
}
