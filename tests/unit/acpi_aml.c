// SPDX-License-Identifier: GPL-2.0
/*
 * An AML reader for exactly the subset acpi_build() emits, independent
 * of the builder: PkgLength, NameString, the integer, string, buffer and
 * package data objects, and the Scope, Device and Name terms, collected
 * as objects by their full path; and a parser of the resource templates
 * that a _CRS buffer holds.  test_acpi.c checks the DSDT with them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "acpi_aml.h"
#include "ktap.h"

static struct aml_obj objs[MAX_OBJS];
unsigned int nobjs;

static int aml_pkglen(const uint8_t **p, const uint8_t *end, const uint8_t **body_end)
{
	const uint8_t *start = *p;
	unsigned int n, len;

	if (*p >= end)
		return -1;
	n = **p >> 6;
	if (*p + 1 + n > end)
		return -1;
	if (!n) {
		len = **p & 0x3f;
	} else {
		if (**p & 0x30)
			return -1;
		len = **p & 0xf;
		for (unsigned int i = 0; i < n; i++)
			len |= (unsigned int)(*p)[1 + i] << (4 + 8 * i);
	}
	/* A longer encoding than needed is legal but not what we write. */
	if ((n == 1 && len < 0x40) || (n == 2 && len < 0x1000) ||
	    (n == 3 && len < 0x100000))
		return -1;
	*p += 1 + n;
	if (start + len > end || len < 1 + n)
		return -1;
	*body_end = start + len;
	return 0;
}

static int aml_name(const uint8_t **p, const uint8_t *end, const char *scope,
		    char *out, size_t outlen)
{
	unsigned int segs = 1;
	char tmp[64];
	size_t at;

	if (*p < end && **p == '\\') {
		strcpy(tmp, "\\");
		(*p)++;
	} else {
		snprintf(tmp, sizeof(tmp), "%s", scope);
	}
	if (*p < end && **p == 0x2e) {
		segs = 2;
		(*p)++;
	} else if (*p < end && **p == 0x2f) {
		if (*p + 1 >= end)
			return -1;
		segs = (*p)[1];
		*p += 2;
	}
	if (*p + 4 * segs > end || segs == 0)
		return -1;
	at = strlen(tmp);
	for (unsigned int s = 0; s < segs; s++) {
		const uint8_t *seg = *p + 4 * s;

		if (!((seg[0] >= 'A' && seg[0] <= 'Z') || seg[0] == '_'))
			return -1;
		for (unsigned int i = 1; i < 4; i++)
			if (!((seg[i] >= 'A' && seg[i] <= 'Z') || seg[i] == '_' ||
			      (seg[i] >= '0' && seg[i] <= '9')))
				return -1;
		if (at + 6 >= sizeof(tmp))
			return -1;
		if (at > 1)
			tmp[at++] = '.';
		memcpy(tmp + at, seg, 4);
		at += 4;
		tmp[at] = 0;
	}
	*p += 4 * segs;
	snprintf(out, outlen, "%s", tmp);
	return 0;
}

int aml_data(const uint8_t **p, const uint8_t *end, struct aml_obj *o);

static int aml_int_obj(const uint8_t **p, const uint8_t *end, struct aml_obj *o)
{
	static const unsigned int width[] = { [0x0a] = 1, [0x0b] = 2,
					      [0x0c] = 4, [0x0e] = 8 };
	uint8_t op = **p;
	unsigned int w;

	o->kind = 'i';
	if (op == 0x00 || op == 0x01) {
		o->ival = op;
		(*p)++;
		return 0;
	}
	if (op == 0xff) {
		o->ival = ~0ull;
		(*p)++;
		return 0;
	}
	if (op >= ARRAY_SIZE(width) || !width[op])
		return -1;
	w = width[op];
	if (*p + 1 + w > end)
		return -1;
	o->ival = le(*p + 1, w);
	*p += 1 + w;
	return 0;
}

static int aml_data_depth(const uint8_t **p, const uint8_t *end,
			  struct aml_obj *o, unsigned int depth);

int aml_data(const uint8_t **p, const uint8_t *end, struct aml_obj *o)
{
	return aml_data_depth(p, end, o, 0);
}

static int aml_data_depth(const uint8_t **p, const uint8_t *end,
			  struct aml_obj *o, unsigned int depth)
{
	const uint8_t *body_end;
	struct aml_obj size;

	if (*p >= end)
		return -1;
	switch (**p) {
	case 0x0d:			/* String */
		(*p)++;
		o->kind = 's';
		o->data = *p;
		while (*p < end && **p)
			(*p)++;
		if (*p >= end)
			return -1;
		o->len = (size_t)(*p - o->data);
		(*p)++;
		return 0;
	case 0x11:			/* Buffer */
		(*p)++;
		if (aml_pkglen(p, end, &body_end) ||
		    aml_int_obj(p, body_end, &size))
			return -1;
		o->kind = 'b';
		o->data = *p;
		o->len = (size_t)(body_end - *p);
		if (size.ival != o->len)
			return -1;
		*p = body_end;
		return 0;
	case 0x12:			/* Package */
		(*p)++;
		if (aml_pkglen(p, end, &body_end) || *p >= body_end)
			return -1;
		o->kind = 'p';
		o->count = *(*p)++;
		o->data = *p;
		for (unsigned int i = 0; i < o->count; i++) {
			struct aml_obj el;

			/* Packages nest one level deep (_PRT), no more. */
			if (aml_data_depth(p, body_end, &el, depth + 1) ||
			    (el.kind == 'p' && depth > 0))
				return -1;
		}
		return *p == body_end ? 0 : -1;
	default:
		return aml_int_obj(p, end, o);
	}
}

int aml_terms(const uint8_t *p, const uint8_t *end, const char *scope)
{
	while (p < end) {
		const uint8_t *body_end;
		struct aml_obj *o;
		char path[64];

		if (nobjs == MAX_OBJS)
			return -1;
		o = &objs[nobjs];
		memset(o, 0, sizeof(*o));
		switch (*p++) {
		case 0x08:		/* Name */
			if (aml_name(&p, end, scope, o->path, sizeof(o->path)) ||
			    aml_data(&p, end, o))
				return -1;
			nobjs++;
			break;
		case 0x10:		/* Scope */
			if (aml_pkglen(&p, end, &body_end) ||
			    aml_name(&p, body_end, scope, path, sizeof(path)) ||
			    aml_terms(p, body_end, path))
				return -1;
			p = body_end;
			break;
		case 0x5b:		/* Device */
			if (p >= end || *p++ != 0x82 ||
			    aml_pkglen(&p, end, &body_end) ||
			    aml_name(&p, body_end, scope, o->path,
				     sizeof(o->path)))
				return -1;
			o->kind = 'd';
			nobjs++;
			snprintf(path, sizeof(path), "%s", o->path);
			if (aml_terms(p, body_end, path))
				return -1;
			p = body_end;
			break;
		default:
			ktap_diag("AML: unexpected opcode 0x%02x", p[-1]);
			return -1;
		}
	}
	return 0;
}

const struct aml_obj *aml_find(const char *path)
{
	for (unsigned int i = 0; i < nobjs; i++)
		if (!strcmp(objs[i].path, path))
			return &objs[i];
	return NULL;
}

/* An EISA id such as PNP0A08 as _HID holds it. */
uint32_t eisaid(const char *id)
{
	uint8_t b[4];
	unsigned int h = (unsigned int)strtoul(id + 3, NULL, 16);

	b[0] = (uint8_t)(((id[0] - 0x40) << 2) | ((id[1] - 0x40) >> 3));
	b[1] = (uint8_t)((((id[1] - 0x40) & 7) << 5) | (id[2] - 0x40));
	b[2] = (uint8_t)(h >> 8);
	b[3] = (uint8_t)h;
	return (uint32_t)le(b, 4);
}

/* Resource descriptors of a _CRS: every one well-formed, end tag last. */
int parse_res(const uint8_t *p, size_t len, struct res_seen *s)
{
	const uint8_t *end = p + len;

	memset(s, 0, sizeof(*s));
	while (p < end) {
		unsigned int dlen;

		if (*p & 0x80) {
			if (p + 3 > end)
				return -1;
			dlen = (unsigned int)le(p + 1, 2);
			if (p + 3 + dlen > end)
				return -1;
			if (*p == 0x88 && dlen == 13 && p[3] == 2) {
				s->bus_min = (unsigned int)le(p + 8, 2);
				s->bus_max = (unsigned int)le(p + 10, 2);
				if (le(p + 14, 2) != s->bus_max - s->bus_min + 1)
					return -1;
			} else if (*p == 0x88 && dlen == 13 && p[3] == 1 &&
				   s->io_windows < 4) {
				s->io_min[s->io_windows] = (uint16_t)le(p + 8, 2);
				s->io_max[s->io_windows] = (uint16_t)le(p + 10, 2);
				if (le(p + 14, 2) != (uint16_t)(s->io_max[s->io_windows] -
						    s->io_min[s->io_windows] + 1))
					return -1;
				s->io_windows++;
			} else if (*p == 0x87 && dlen == 23 && p[3] == 0) {
				s->mem_min = (uint32_t)le(p + 10, 4);
				s->mem_max = (uint32_t)le(p + 14, 4);
				if (le(p + 22, 4) != s->mem_max - s->mem_min + 1)
					return -1;
				s->mem_windows++;
			} else if (*p == 0x86 && dlen == 9) {
				s->fixed_mem_base = (uint32_t)le(p + 4, 4);
				s->fixed_mem_len = (uint32_t)le(p + 8, 4);
			} else {
				return -1;
			}
			p += 3 + dlen;
			continue;
		}
		dlen = *p & 7;
		if (p + 1 + dlen > end)
			return -1;
		switch (*p >> 3) {
		case 0x4:		/* IRQ */
			if (dlen != 2)
				return -1;
			s->irq_mask = (uint16_t)le(p + 1, 2);
			break;
		case 0x8:		/* I/O port */
			if (dlen != 7 || s->io_fixed >= 4 ||
			    le(p + 2, 2) != le(p + 4, 2))
				return -1;
			s->io_base[s->io_fixed] = (uint16_t)le(p + 2, 2);
			s->io_len[s->io_fixed++] = p[7];
			break;
		case 0xf:		/* end tag: must be last */
			return dlen == 1 && p + 2 == end ? 0 : -1;
		default:
			return -1;
		}
		p += 1 + dlen;
	}
	return -1;
}
