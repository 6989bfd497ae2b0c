// SPDX-License-Identifier: GPL-2.0
/*
 * acpi_build(): argument checks, then the tables parsed back field by
 * field (RSDP, RSDT/XSDT, FADT, FACS, MADT, MCFG, HPET), the DSDT's AML walked
 * by a small independent parser (every PkgLength, every object, \_S5_,
 * the host bridge's _CRS), and finally Debian's iasl disassembling each
 * table and compiling the result again, with no error and no warning.
 * The AML parser and the _CRS resource parser are in acpi_aml.c.
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
#include "acpi_aml.h"

#define GPA		PLATFORM_ACPI_BASE
#define BUF_LEN		PLATFORM_ACPI_SIZE

static uint8_t buf[BUF_LEN];
static int built;

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

/* ---- the DSDT, read back by acpi_aml.c ---- */

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
