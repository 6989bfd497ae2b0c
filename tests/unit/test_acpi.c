// SPDX-License-Identifier: GPL-2.0
/*
 * acpi_build(): argument checks, then the tables parsed back field by
 * field (RSDP, RSDT/XSDT, FADT, FACS, MADT, MCFG, HPET), the DSDT's AML walked
 * by a small independent parser (every PkgLength, every object, \_S5_,
 * the host bridge's _CRS), and finally Debian's iasl disassembling each
 * table and compiling the result again, with no error and no warning.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pvkit/errno.h>
#include <hv/acpi_build.h>
#include <hv/emul/hpet.h>
#include <hv/platform.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define GPA		PLATFORM_ACPI_BASE
#define BUF_LEN		PLATFORM_ACPI_SIZE

static uint8_t buf[BUF_LEN];
static int built;

static uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* The table at gpa, checked for bounds, signature and checksum. */
static const uint8_t *table_at(uint64_t gpa, const char *sig)
{
	const uint8_t *t;
	uint32_t len;

	if (gpa < GPA || gpa + 36 > GPA + (uint64_t)built) {
		ktap_diag("%s at 0x%llx: outside the tables", sig,
			  (unsigned long long)gpa);
		return NULL;
	}
	t = buf + (gpa - GPA);
	len = (uint32_t)le(t + 4, 4);
	EXPECT(memcmp(t, sig, 4) == 0);
	EXPECT(len >= 36 && gpa + len <= GPA + (uint64_t)built);
	if (gpa + len > GPA + (uint64_t)built)
		return NULL;
	EXPECT_EQ(sum(t, len), 0);
	EXPECT(memcmp(t + 10, "PVKIT ", 6) == 0);
	return t;
}

static int build(unsigned int vcpus, bool com1)
{
	struct acpi_build_cfg cfg = { .vcpus = vcpus, .com1 = com1 };
	uint64_t rsdp = 0;

	memset(buf, 0xaa, sizeof(buf));
	built = acpi_build(buf, GPA, sizeof(buf), &cfg, &rsdp);
	EXPECT(built > 0);
	EXPECT_EQ(rsdp, GPA);
	if (built > 0)
		EXPECT_EQ(buf[built], 0xaa);	/* nothing past the end */
	return built;
}

static const uint8_t *xsdt_entry(const char *sig)
{
	const uint8_t *r = buf, *x, *t;
	uint32_t n;

	x = table_at(le(r + 24, 8), "XSDT");
	if (!x)
		return NULL;
	n = ((uint32_t)le(x + 4, 4) - 36) / 8;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t gpa = le(x + 36 + 8 * i, 8);

		if (gpa >= GPA && gpa + 4 <= GPA + (uint64_t)built &&
		    !memcmp(buf + (gpa - GPA), sig, 4)) {
			t = table_at(gpa, sig);
			return t;
		}
	}
	ktap_diag("no %s in the XSDT", sig);
	return NULL;
}

static void test_bad_args(void)
{
	struct acpi_build_cfg cfg = { .vcpus = 1 };
	uint64_t rsdp = 0;
	int need;

	EXPECT_EQ(acpi_build(NULL, GPA, BUF_LEN, &cfg, &rsdp), -PVKIT_EINVAL);
	EXPECT_EQ(acpi_build(buf, GPA, BUF_LEN, NULL, &rsdp), -PVKIT_EINVAL);
	EXPECT_EQ(acpi_build(buf, GPA, BUF_LEN, &cfg, NULL), -PVKIT_EINVAL);
	EXPECT_EQ(acpi_build(buf, GPA + 16, BUF_LEN, &cfg, &rsdp), -PVKIT_EINVAL);
	EXPECT_EQ(acpi_build(buf, 1ull << 32, BUF_LEN, &cfg, &rsdp),
		  -PVKIT_EINVAL);
	EXPECT_EQ(acpi_build(buf, (1ull << 32) - 4096, 8192, &cfg, &rsdp),
		  -PVKIT_EINVAL);
	cfg.vcpus = 0;
	EXPECT_EQ(acpi_build(buf, GPA, BUF_LEN, &cfg, &rsdp), -PVKIT_EINVAL);
	cfg.vcpus = PLATFORM_MAX_VCPUS + 1;
	EXPECT_EQ(acpi_build(buf, GPA, BUF_LEN, &cfg, &rsdp), -PVKIT_EINVAL);
	/* Too small: refused before a single byte is written. */
	cfg.vcpus = 4;
	need = acpi_build(buf, GPA, BUF_LEN, &cfg, &rsdp);
	EXPECT(need > 0);
	memset(buf, 0xaa, sizeof(buf));
	EXPECT_EQ(acpi_build(buf, GPA, (size_t)need - 1, &cfg, &rsdp),
		  -PVKIT_ENOSPC);
	EXPECT_EQ(buf[0], 0xaa);
	EXPECT_EQ(acpi_build(buf, GPA, (size_t)need, &cfg, &rsdp), need);
	EXPECT_EQ(acpi_build(buf, 0xfffff000ull - 0x4000, 0x4000, &cfg, &rsdp),
		  need);
	EXPECT_EQ(rsdp, 0xfffff000ull - 0x4000);
}

static void test_size_bound(void)
{
	int small, big;

	small = build(1, false);
	big = build(PLATFORM_MAX_VCPUS, true);
	ktap_diag("tables: %d bytes for 1 vCPU, %d for %u vCPUs", small, big,
		  PLATFORM_MAX_VCPUS);
	EXPECT(big <= (int)ACPI_BUILD_MAX_SIZE);
	EXPECT(small < big);
}

static void test_rsdp(void)
{
	const uint8_t *r = buf, *rsdt, *xsdt;
	static const char *const sigs[] = { "FACP", "APIC", "MCFG", "HPET" };

	build(2, true);
	EXPECT(memcmp(r, "RSD PTR ", 8) == 0);
	EXPECT_EQ(sum(r, 20), 0);
	EXPECT_EQ(sum(r, 36), 0);
	EXPECT_EQ(r[15], 2);
	EXPECT_EQ(le(r + 20, 4), 36);
	rsdt = table_at(le(r + 16, 4), "RSDT");
	xsdt = table_at(le(r + 24, 8), "XSDT");
	if (!rsdt || !xsdt)
		return;
	EXPECT_EQ(le(rsdt + 4, 4), 36 + 4 * ARRAY_SIZE(sigs));
	EXPECT_EQ(le(xsdt + 4, 4), 36 + 8 * ARRAY_SIZE(sigs));
	for (unsigned int i = 0; i < ARRAY_SIZE(sigs); i++) {
		EXPECT_EQ(le(rsdt + 36 + 4 * i, 4), le(xsdt + 36 + 8 * i, 8));
		table_at(le(xsdt + 36 + 8 * i, 8), sigs[i]);
	}
}

static void test_fadt(void)
{
	const uint8_t *f, *facs, *dsdt;

	build(2, true);
	f = xsdt_entry("FACP");
	if (!f)
		return;
	EXPECT_EQ(le(f + 4, 4), 276);
	EXPECT_EQ(f[8], 6);
	/* FACS: 64-byte aligned, 32-bit pointer only. */
	EXPECT_EQ(le(f + 36, 4) % 64, 0);
	EXPECT_EQ(le(f + 132, 8), 0);
	facs = buf + (le(f + 36, 4) - GPA);
	EXPECT(memcmp(facs, "FACS", 4) == 0);
	EXPECT_EQ(le(facs + 4, 4), 64);
	EXPECT_EQ(facs[32], 2);
	/* DSDT in both fields. */
	EXPECT_EQ(le(f + 40, 4), le(f + 140, 8));
	dsdt = table_at(le(f + 140, 8), "DSDT");
	EXPECT(dsdt != NULL);
	EXPECT_EQ(le(f + 46, 2), PLATFORM_SCI_IRQ);
	EXPECT_EQ(le(f + 48, 4), 0);		/* SMI_CMD: already ACPI */
	EXPECT_EQ(le(f + 56, 4), PLATFORM_PM1A_EVT_PORT);
	EXPECT_EQ(le(f + 60, 4), 0);
	EXPECT_EQ(le(f + 64, 4), PLATFORM_PM1A_CNT_PORT);
	EXPECT_EQ(le(f + 76, 4), PLATFORM_PM_TMR_PORT);
	EXPECT_EQ(le(f + 80, 4), 0);		/* no GPE block */
	EXPECT_EQ(f[88], 4);
	EXPECT_EQ(f[89], 2);
	EXPECT_EQ(f[91], 4);
	EXPECT_EQ(f[108], PLATFORM_RTC_CENTURY_INDEX);
	/* Legacy devices, no 8042, no VGA. */
	EXPECT_EQ(le(f + 109, 2), 0x5);
	/* TMR_VAL_EXT, RESET_REG_SUP; not HW_REDUCED; fixed power button. */
	EXPECT(le(f + 112, 4) & (1u << 8));
	EXPECT(le(f + 112, 4) & (1u << 10));
	EXPECT_EQ(le(f + 112, 4) & (1u << 20), 0);
	EXPECT_EQ(le(f + 112, 4) & (1u << 4), 0);
	/* Reset register: I/O, 8 bits, the value acpi_pm.c reboots on. */
	EXPECT_EQ(f[116], 1);
	EXPECT_EQ(f[117], 8);
	EXPECT_EQ(le(f + 120, 8), PLATFORM_RESET_PORT);
	EXPECT_EQ(f[128], PLATFORM_RESET_VALUE);
	/* X_ blocks agree with the 32-bit ones, widths in bits. */
	EXPECT_EQ(f[148], 1);
	EXPECT_EQ(f[149], 32);
	EXPECT_EQ(le(f + 152, 8), PLATFORM_PM1A_EVT_PORT);
	EXPECT_EQ(f[173], 16);
	EXPECT_EQ(le(f + 176, 8), PLATFORM_PM1A_CNT_PORT);
	EXPECT_EQ(f[209], 32);
	EXPECT_EQ(le(f + 212, 8), PLATFORM_PM_TMR_PORT);
}

static void test_madt(void)
{
	static const unsigned int counts[] = { 1, 2, 8, PLATFORM_MAX_VCPUS };

	for (unsigned int c = 0; c < ARRAY_SIZE(counts); c++) {
		unsigned int n = counts[c], lapics = 0, ioapics = 0, isos = 0;
		unsigned int nmis = 0;
		const uint8_t *m, *e, *end;

		build(n, false);
		m = xsdt_entry("APIC");
		if (!m)
			return;
		EXPECT_EQ(le(m + 36, 4), PLATFORM_LAPIC_BASE);
		EXPECT_EQ(le(m + 40, 4), 1);	/* PCAT_COMPAT */
		end = m + le(m + 4, 4);
		for (e = m + 44; e < end; e += e[1]) {
			EXPECT(e[1] >= 2 && e + e[1] <= end);
			if (e[1] < 2 || e + e[1] > end)
				break;
			switch (e[0]) {
			case 0:
				EXPECT_EQ(e[1], 8);
				EXPECT_EQ(e[2], lapics);
				EXPECT_EQ(e[3], lapics);
				EXPECT_EQ(le(e + 4, 4), 1);
				lapics++;
				break;
			case 1:
				EXPECT_EQ(e[1], 12);
				EXPECT_EQ(e[2], PLATFORM_IOAPIC_ID);
				EXPECT_EQ(le(e + 4, 4), PLATFORM_IOAPIC_BASE);
				EXPECT_EQ(le(e + 8, 4), 0);
				ioapics++;
				break;
			case 2:
				EXPECT_EQ(e[1], 10);
				EXPECT_EQ(e[2], 0);
				if (e[3] == PLATFORM_PIT_IRQ) {
					EXPECT_EQ(le(e + 4, 4), PLATFORM_PIT_GSI);
					EXPECT_EQ(le(e + 8, 2), 0);
				} else {
					EXPECT_EQ(e[3], PLATFORM_SCI_IRQ);
					EXPECT_EQ(le(e + 4, 4), PLATFORM_SCI_IRQ);
					EXPECT_EQ(le(e + 8, 2), 0xd);
				}
				isos++;
				break;
			case 4:
				EXPECT_EQ(e[1], 6);
				EXPECT_EQ(e[2], 0xff);
				EXPECT_EQ(e[5], 1);
				nmis++;
				break;
			default:
				ktap_diag("unexpected MADT entry type %u", e[0]);
				EXPECT(0);
			}
		}
		EXPECT(e == end);
		EXPECT_EQ(lapics, n);
		EXPECT_EQ(ioapics, 1);
		EXPECT_EQ(isos, 2);
		EXPECT_EQ(nmis, 1);
	}
}

static void test_mcfg(void)
{
	const uint8_t *m;

	build(1, false);
	m = xsdt_entry("MCFG");
	if (!m)
		return;
	EXPECT_EQ(le(m + 4, 4), 60);
	EXPECT_EQ(le(m + 44, 8), PLATFORM_ECAM_BASE);
	EXPECT_EQ(le(m + 52, 2), PLATFORM_PCI_SEGMENT);
	EXPECT_EQ(m[54], PLATFORM_ECAM_BUS_START);
	EXPECT_EQ(m[55], PLATFORM_ECAM_BUS_END);
}

/* The HPET table: what Linux's acpi_parse_hpet() reads, and the rest. */
static void test_hpet(void)
{
	const uint8_t *h;

	build(1, false);
	h = xsdt_entry("HPET");
	if (!h)
		return;
	EXPECT_EQ(le(h + 4, 4), 56);
	EXPECT_EQ(h[8], 1);
	EXPECT_EQ(le(h + 36, 4), HPET_CAP_ID);
	/* Two more timers than timer 0, 64-bit, legacy capable. */
	EXPECT_EQ((le(h + 36, 4) >> 8) & 0x1f, HPET_NR_TIMERS - 1);
	EXPECT(le(h + 36, 4) & (1u << 13));
	EXPECT(le(h + 36, 4) & (1u << 15));
	EXPECT_EQ(le(h + 36, 4) >> 16, PLATFORM_PCI_VENDOR);
	/* Base address: a GAS in system memory, 64 bits wide. */
	EXPECT_EQ(h[40], 0);
	EXPECT_EQ(h[41], 64);
	EXPECT_EQ(h[42], 0);
	EXPECT_EQ(le(h + 44, 8), PLATFORM_HPET_BASE);
	EXPECT_EQ(le(h + 44, 8) % 1024, 0);
	EXPECT_EQ(h[52], 0);			/* HPET number */
	EXPECT_EQ(le(h + 53, 2), HPET_MIN_TICK);
	/* The minimum tick is the model's interrupt floor, 100 us. */
	EXPECT_EQ(le(h + 53, 2), 10000);
	EXPECT_EQ(h[55], 0);			/* page protection */
	/* Clear of the PCI window, the IOAPIC and the LAPIC. */
	EXPECT(PLATFORM_HPET_BASE > PLATFORM_PCI_MMIO_END);
	EXPECT(PLATFORM_HPET_BASE >= PLATFORM_IOAPIC_BASE + 0x1000);
	EXPECT(PLATFORM_HPET_BASE + PLATFORM_HPET_SIZE <= PLATFORM_LAPIC_BASE);
	/* In both the RSDT and the XSDT: test_rsdp() checks they agree. */
}

/* ---- an AML reader for exactly the subset the builder emits ---- */

#define MAX_OBJS	1024

struct aml_obj {
	char path[64];
	uint8_t kind;		/* 'd' device, 'i' int, 's' string, 'b' buffer,
				 * 'p' package */
	uint64_t ival;
	const uint8_t *data;	/* buffer bytes, package elements */
	size_t len;
	unsigned int count;	/* package elements */
};

static struct aml_obj objs[MAX_OBJS];
static unsigned int nobjs;

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

static int aml_data(const uint8_t **p, const uint8_t *end, struct aml_obj *o);

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

static int aml_data(const uint8_t **p, const uint8_t *end, struct aml_obj *o)
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

static int aml_terms(const uint8_t *p, const uint8_t *end, const char *scope)
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

static const struct aml_obj *aml_find(const char *path)
{
	for (unsigned int i = 0; i < nobjs; i++)
		if (!strcmp(objs[i].path, path))
			return &objs[i];
	return NULL;
}

static int walk_dsdt(void)
{
	const uint8_t *f = xsdt_entry("FACP"), *d;

	if (!f)
		return -1;
	d = table_at(le(f + 140, 8), "DSDT");
	if (!d)
		return -1;
	EXPECT_EQ(d[8], 2);
	nobjs = 0;
	return aml_terms(d + 36, d + le(d + 4, 4), "\\");
}

static uint32_t eisaid(const char *id)
{
	uint8_t b[4];
	unsigned int h = (unsigned int)strtoul(id + 3, NULL, 16);

	b[0] = (uint8_t)(((id[0] - 0x40) << 2) | ((id[1] - 0x40) >> 3));
	b[1] = (uint8_t)((((id[1] - 0x40) & 7) << 5) | (id[2] - 0x40));
	b[2] = (uint8_t)(h >> 8);
	b[3] = (uint8_t)h;
	return (uint32_t)le(b, 4);
}

/* Every INTx pin of devices 1-31, in order, to the documented GSI. */
static void check_prt(void)
{
	const struct aml_obj *o = aml_find("\\_SB_.PCI0._PRT");
	const uint8_t *p, *end;

	EXPECT(o && o->kind == 'p' && o->count == 31 * 4);
	if (!o || o->kind != 'p')
		return;
	p = o->data;
	end = p + 4096;
	for (unsigned int dev = 1; dev < 32; dev++) {
		for (unsigned int pin = 0; pin < 4; pin++) {
			struct aml_obj e, f[4];
			const uint8_t *q;

			EXPECT_EQ(aml_data(&p, end, &e), 0);
			EXPECT(e.kind == 'p' && e.count == 4);
			if (e.kind != 'p' || e.count != 4)
				return;
			q = e.data;
			for (unsigned int i = 0; i < 4; i++) {
				EXPECT_EQ(aml_data(&q, p, &f[i]), 0);
				EXPECT_EQ(f[i].kind, 'i');
			}
			EXPECT_EQ(f[0].ival, (uint64_t)dev << 16 | 0xffff);
			EXPECT_EQ(f[1].ival, pin);
			EXPECT_EQ(f[2].ival, 0);
			EXPECT_EQ(f[3].ival, PLATFORM_PCI_INTX_GSI(dev, pin));
			EXPECT(f[3].ival >= 16 && f[3].ival < PLATFORM_IOAPIC_PINS);
		}
	}
}

static void test_dsdt_objects(void)
{
	const struct aml_obj *o;
	char name[32];

	build(3, true);
	EXPECT_EQ(walk_dsdt(), 0);
	o = aml_find("\\_S5_");
	EXPECT(o && o->kind == 'p' && o->count == 4);
	if (o && o->kind == 'p') {
		struct aml_obj el;
		const uint8_t *p = o->data;

		EXPECT_EQ(aml_data(&p, p + 16, &el), 0);
		EXPECT_EQ(el.ival, PLATFORM_SLP_TYP_S5);
	}
	o = aml_find("\\_SB_.PCI0");
	EXPECT(o && o->kind == 'd');
	o = aml_find("\\_SB_.PCI0._HID");
	EXPECT(o && o->kind == 'i' && o->ival == eisaid("PNP0A08"));
	o = aml_find("\\_SB_.PCI0._CID");
	EXPECT(o && o->kind == 'i' && o->ival == eisaid("PNP0A03"));
	o = aml_find("\\_SB_.PCI0._SEG");
	EXPECT(o && o->kind == 'i' && o->ival == PLATFORM_PCI_SEGMENT);
	o = aml_find("\\_SB_.PCI0._BBN");
	EXPECT(o && o->kind == 'i' && o->ival == PLATFORM_ECAM_BUS_START);
	o = aml_find("\\_SB_.MRES._HID");
	EXPECT(o && o->kind == 'i' && o->ival == eisaid("PNP0C02"));
	o = aml_find("\\_SB_.COM1._HID");
	EXPECT(o && o->kind == 'i' && o->ival == eisaid("PNP0501"));
	for (unsigned int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "\\_SB_.C%03X._UID", i);
		o = aml_find(name);
		EXPECT(o && o->kind == 'i' && o->ival == i);
		snprintf(name, sizeof(name), "\\_SB_.C%03X._HID", i);
		o = aml_find(name);
		EXPECT(o && o->kind == 's' && o->len == 8 &&
		       !memcmp(o->data, "ACPI0007", 8));
	}
	EXPECT(aml_find("\\_SB_.C003") == NULL);
	check_prt();

	build(PLATFORM_MAX_VCPUS, false);
	EXPECT_EQ(walk_dsdt(), 0);
	EXPECT(aml_find("\\_SB_.COM1") == NULL);
	o = aml_find("\\_SB_.C0FE._UID");
	EXPECT(o && o->ival == PLATFORM_MAX_VCPUS - 1);
}

/* Resource descriptors of a _CRS: every one well-formed, end tag last. */
struct res_seen {
	unsigned int bus_min, bus_max, io_windows, mem_windows, io_fixed;
	uint32_t mem_min, mem_max;
	uint16_t io_min[4], io_max[4];
	uint32_t fixed_mem_base, fixed_mem_len;
	uint16_t io_base[4];
	uint8_t io_len[4];
	uint16_t irq_mask;
};

static int parse_res(const uint8_t *p, size_t len, struct res_seen *s)
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

static void test_dsdt_resources(void)
{
	const struct aml_obj *o;
	struct res_seen s;

	build(1, true);
	EXPECT_EQ(walk_dsdt(), 0);
	o = aml_find("\\_SB_.PCI0._CRS");
	EXPECT(o && o->kind == 'b');
	if (!o || o->kind != 'b')
		return;
	EXPECT_EQ(parse_res(o->data, o->len, &s), 0);
	EXPECT_EQ(s.bus_min, PLATFORM_ECAM_BUS_START);
	EXPECT_EQ(s.bus_max, PLATFORM_ECAM_BUS_END);
	EXPECT_EQ(s.io_windows, 2);
	EXPECT_EQ(s.io_min[0], 0);
	EXPECT_EQ(s.io_max[0], 0x0cf7);
	EXPECT_EQ(s.io_min[1], 0x0d00);
	EXPECT_EQ(s.io_max[1], 0xffff);
	EXPECT_EQ(s.io_fixed, 1);
	EXPECT_EQ(s.io_base[0], PLATFORM_PCI_CONF_ADDR_PORT);
	EXPECT_EQ(s.io_len[0], 8);
	EXPECT_EQ(s.mem_windows, 1);
	EXPECT_EQ(s.mem_min, PLATFORM_PCI_MMIO_BASE);
	EXPECT_EQ(s.mem_max, PLATFORM_PCI_MMIO_END);
	/* The window must not cover ECAM, the IOAPIC or the LAPIC. */
	EXPECT(PLATFORM_ECAM_BASE + PLATFORM_ECAM_SIZE <= s.mem_min);
	EXPECT(s.mem_max < PLATFORM_IOAPIC_BASE);

	o = aml_find("\\_SB_.MRES._CRS");
	EXPECT(o && o->kind == 'b');
	if (o && o->kind == 'b') {
		EXPECT_EQ(parse_res(o->data, o->len, &s), 0);
		EXPECT_EQ(s.fixed_mem_base, PLATFORM_ECAM_BASE);
		EXPECT_EQ(s.fixed_mem_len, PLATFORM_ECAM_SIZE);
		EXPECT_EQ(s.io_base[0], PLATFORM_PM_BASE);
		EXPECT_EQ(s.io_len[0], PLATFORM_PM_PORTS);
	}
	o = aml_find("\\_SB_.COM1._CRS");
	EXPECT(o && o->kind == 'b');
	if (o && o->kind == 'b') {
		EXPECT_EQ(parse_res(o->data, o->len, &s), 0);
		EXPECT_EQ(s.io_base[0], PLATFORM_COM1_PORT);
		EXPECT_EQ(s.io_len[0], 8);
		EXPECT_EQ(s.irq_mask, 1u << PLATFORM_COM1_IRQ);
	}
}

/* ---- iasl ---- */

static int write_file(const char *dir, const char *name, const uint8_t *p,
		      size_t len)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	n = fwrite(p, 1, len, f);
	return fclose(f) || n != len ? -1 : 0;
}

/* 0 when the log exists and holds none of the words iasl flags with. */
static int log_clean(const char *dir, const char *name)
{
	char cmd[768];

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && ! grep -Eil 'error|warning|incorrect|invalid' %s "
		 ">/dev/null", dir, name);
	return system(cmd);
}

static void iasl_check(const char *dir, const char *name)
{
	char cmd[768];

	/* Disassemble: exit 0, no error or warning, checksum correct. */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && iasl -d %s.dat >%s.dis.log 2>&1", dir, name, name);
	EXPECT_EQ(system(cmd), 0);
	EXPECT_EQ(log_clean(dir, "*.dis.log"), 0);
	EXPECT_EQ(log_clean(dir, "*.dsl"), 0);
	/* And what came out compiles again, cleanly. */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && iasl -p re-%s %s.dsl >%s.asl.log 2>&1 && "
		 "grep -q ' 0 Errors, 0 Warnings' %s.asl.log",
		 dir, name, name, name, name);
	EXPECT_EQ(system(cmd), 0);
	if (ktap_case_failures) {
		snprintf(cmd, sizeof(cmd), "cat '%s'/%s.*.log | sed 's/^/# /'",
			 dir, name);
		fflush(stdout);
		if (system(cmd))
			ktap_diag("could not show the iasl logs");
	}
}

static void iasl_config(unsigned int vcpus, bool com1)
{
	static const char *const sigs[] = { "FACP", "APIC", "MCFG", "HPET" };
	char dir[] = "/tmp/pvkit-acpi.XXXXXX", cmd[600];
	const uint8_t *r = buf, *t, *f;

	build(vcpus, com1);
	if (!mkdtemp(dir)) {
		EXPECT(0);
		return;
	}
	ktap_diag("iasl on the tables for %u vCPUs%s", vcpus,
		  com1 ? " with COM1" : "");
	t = table_at(le(r + 24, 8), "XSDT");
	if (t) {
		EXPECT_EQ(write_file(dir, "xsdt.dat", t, le(t + 4, 4)), 0);
		iasl_check(dir, "xsdt");
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sigs); i++) {
		char name[16];

		t = xsdt_entry(sigs[i]);
		if (!t)
			continue;
		snprintf(name, sizeof(name), "%c%c%c%c.dat", t[0] | 0x20,
			 t[1] | 0x20, t[2] | 0x20, t[3] | 0x20);
		EXPECT_EQ(write_file(dir, name, t, le(t + 4, 4)), 0);
		name[4] = 0;
		iasl_check(dir, name);
	}
	f = xsdt_entry("FACP");
	if (f) {
		t = table_at(le(f + 140, 8), "DSDT");
		if (t) {
			EXPECT_EQ(write_file(dir, "dsdt.dat", t, le(t + 4, 4)), 0);
			iasl_check(dir, "dsdt");
		}
		t = buf + (le(f + 36, 4) - GPA);
		EXPECT_EQ(write_file(dir, "facs.dat", t, 64), 0);
		iasl_check(dir, "facs");
	}
	if (!ktap_case_failures) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		EXPECT_EQ(system(cmd), 0);
	} else {
		ktap_diag("iasl output kept in %s", dir);
	}
}

static void test_iasl(void)
{
	if (system("command -v iasl >/dev/null 2>&1")) {
		ktap_skip("iasl not installed (Debian package acpica-tools)");
		return;
	}
	iasl_config(1, false);
	iasl_config(4, true);
	iasl_config(PLATFORM_MAX_VCPUS, true);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_bad_args),
	KTAP_CASE(test_size_bound),
	KTAP_CASE(test_rsdp),
	KTAP_CASE(test_fadt),
	KTAP_CASE(test_madt),
	KTAP_CASE(test_mcfg),
	KTAP_CASE(test_hpet),
	KTAP_CASE(test_dsdt_objects),
	KTAP_CASE(test_dsdt_resources),
	KTAP_CASE(test_iasl),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
