// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for a hardware-virtualized domain, written straight into
 * guest memory.  Layout (64-byte aligned start):
 *
 *	RSDP | FACS | DSDT | FADT | MADT | MCFG | HPET | RSDT | XSDT
 *
 * Every table goes through one writer that only counts when it has no
 * buffer: acpi_build() runs it dry first, so a buffer that is too small
 * is refused before a byte of guest memory changes.  Fields are stored
 * byte by byte in little-endian order; nothing depends on host struct
 * layout or alignment.
 *
 * The DSDT is AML assembled here: \_S5_ for poweroff, \_SB.PCI0 (the
 * host bridge, its windows and INTx routing), \_SB.MRES (ECAM and the PM ports, so
 * the OS keeps its hands off them), optionally \_SB.COM1, and one
 * processor device per vCPU matching the MADT's UIDs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/acpi_build.h>
#include <hv/emul/hpet.h>
#include <hv/platform.h>

#define ACPI_OEM_ID		"PVKIT "
#define ACPI_OEM_TABLE_ID	"PVKITPC "
#define ACPI_CREATOR_ID		"PVKT"
#define ACPI_HDR_LEN		36

#define RSDP_LEN		36
#define FACS_LEN		64
#define FADT_LEN		276
#define MCFG_LEN		60

/* FADT flags and IA-PC boot architecture flags we set. */
#define FADT_F_WBINVD		(1u << 0)
#define FADT_F_PROC_C1		(1u << 2)
#define FADT_F_SLP_BUTTON	(1u << 5)	/* no sleep button */
#define FADT_F_FIX_RTC		(1u << 6)	/* no RTC wake status */
#define FADT_F_TMR_VAL_EXT	(1u << 8)	/* 32-bit PM timer */
#define FADT_F_RESET_REG_SUP	(1u << 10)
#define FADT_BOOT_LEGACY_DEVICES (1u << 0)
#define FADT_BOOT_VGA_NOT_PRESENT (1u << 2)

#define GAS_SYSTEM_MEMORY	0
#define GAS_SYSTEM_IO		1
#define GAS_ACCESS_BYTE		1
#define GAS_ACCESS_WORD		2
#define GAS_ACCESS_DWORD	3

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_NMI		4
#define MADT_PCAT_COMPAT	(1u << 0)
/* MPS INTI flags: polarity in bits 1:0, trigger mode in bits 3:2. */
#define MPS_INTI_HIGH		0x1
#define MPS_INTI_LEVEL		0xc

/* AML opcodes and prefixes (ACPI 6, section 20). */
#define AML_ZERO		0x00
#define AML_ONE			0x01
#define AML_NAME		0x08
#define AML_BYTE		0x0a
#define AML_WORD		0x0b
#define AML_DWORD		0x0c
#define AML_STRING		0x0d
#define AML_QWORD		0x0e
#define AML_SCOPE		0x10
#define AML_BUFFER		0x11
#define AML_PACKAGE		0x12
#define AML_EXT			0x5b
#define AML_EXT_DEVICE		0x82
#define AML_ROOT		0x5c
#define AML_DUAL_NAME		0x2e
#define AML_MULTI_NAME		0x2f

/* Resource descriptors (ACPI 6, section 6.4). */
#define RES_IRQ_NOFLAGS		0x22
#define RES_IO			0x47
#define RES_END			0x79
#define RES_MEM32_FIXED		0x86
#define RES_DWORD_ADDR		0x87
#define RES_WORD_ADDR		0x88
#define RES_TYPE_MEM		0
#define RES_TYPE_IO		1
#define RES_TYPE_BUS		2
/* General flags: min and max fixed, positive decode, producer. */
#define RES_MIF_MAF		0x0c
#define RES_IO_ENTIRE_RANGE	0x03
#define RES_MEM_RW		0x01

/* A writer over the output; with no buffer it only counts. */
struct out {
	uint8_t *buf;
	size_t pos;
	uint64_t gpa;		/* guest-physical address of buf[0] */
};

static void put8(struct out *o, uint8_t v)
{
	if (o->buf)
		o->buf[o->pos] = v;
	o->pos++;
}

static void put_le(struct out *o, uint64_t v, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		put8(o, (uint8_t)(v >> (8 * i)));
}

static void put_bytes(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(o, (uint8_t)s[i]);
}

/* Output is zeroed before the real run, so skipping leaves zeros. */
static void skip(struct out *o, size_t n)
{
	o->pos += n;
}

static void align(struct out *o, size_t a)
{
	while ((o->gpa + o->pos) & (a - 1))
		o->pos++;
}

static void set_le(struct out *o, size_t at, uint64_t v, unsigned int n)
{
	if (!o->buf)
		return;
	for (unsigned int i = 0; i < n; i++)
		o->buf[at + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t gpa_of(const struct out *o, size_t at)
{
	return o->gpa + at;
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return (uint8_t)-sum;
}

/* ---- table headers ---- */

static size_t table_open(struct out *o, const char *sig, uint8_t rev)
{
	size_t start = o->pos;

	put_bytes(o, sig, 4);
	put_le(o, 0, 4);			/* length, patched */
	put8(o, rev);
	put8(o, 0);				/* checksum, patched */
	put_bytes(o, ACPI_OEM_ID, 6);
	put_bytes(o, ACPI_OEM_TABLE_ID, 8);
	put_le(o, 1, 4);			/* OEM revision */
	put_bytes(o, ACPI_CREATOR_ID, 4);
	put_le(o, 1, 4);			/* creator revision */
	return start;
}

static void table_close(struct out *o, size_t start)
{
	size_t len = o->pos - start;

	set_le(o, start + 4, len, 4);
	if (o->buf)
		o->buf[start + 9] = checksum(o->buf + start, len);
}

/* Generic Address Structure for an I/O-port register. */
static void set_gas_io(struct out *o, size_t at, unsigned int bytes,
		       uint8_t access, uint64_t port)
{
	set_le(o, at, GAS_SYSTEM_IO, 1);
	set_le(o, at + 1, bytes * 8, 1);	/* bit width */
	set_le(o, at + 2, 0, 1);		/* bit offset */
	set_le(o, at + 3, access, 1);
	set_le(o, at + 4, port, 8);
}

/* ---- AML ---- */

/*
 * PkgLength counts its own bytes too, and its size depends on the
 * total, so room for the longest form is reserved first and the body is
 * slid back once its length is known.
 */
static size_t pkg_open(struct out *o)
{
	size_t start = o->pos;

	skip(o, 4);
	return start;
}

static void pkg_close(struct out *o, size_t start)
{
	size_t body = o->pos - start - 4;
	size_t total;
	unsigned int n;

	if (body + 1 < 0x40)
		n = 1;
	else if (body + 2 < 0x1000)
		n = 2;
	else if (body + 3 < 0x100000)
		n = 3;
	else
		n = 4;
	total = body + n;
	if (o->buf) {
		memmove(o->buf + start + n, o->buf + start + 4, body);
		memset(o->buf + start + total, 0, 4 - n);
		if (n == 1) {
			o->buf[start] = (uint8_t)total;
		} else {
			o->buf[start] = (uint8_t)(((n - 1) << 6) | (total & 0xf));
			for (unsigned int i = 1; i < n; i++)
				o->buf[start + i] =
					(uint8_t)(total >> (4 + 8 * (i - 1)));
		}
	}
	o->pos = start + total;
}

static void aml_nameseg(struct out *o, const char *s, size_t len)
{
	for (size_t i = 0; i < 4; i++)
		put8(o, i < len ? (uint8_t)s[i] : '_');
}

/* "\\_SB.PCI0", "_HID", "PCI0": segments of up to four characters. */
static void aml_namestring(struct out *o, const char *name)
{
	const char *p;
	unsigned int segs = 1;

	if (*name == '\\') {
		put8(o, AML_ROOT);
		name++;
	}
	for (p = name; *p; p++)
		segs += *p == '.';
	if (segs == 2)
		put8(o, AML_DUAL_NAME);
	else if (segs > 2) {
		put8(o, AML_MULTI_NAME);
		put8(o, (uint8_t)segs);
	}
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);

		aml_nameseg(o, name, len);
		name += len + (dot != NULL);
	}
}

static void aml_int(struct out *o, uint64_t v)
{
	if (v == 0) {
		put8(o, AML_ZERO);
	} else if (v == 1) {
		put8(o, AML_ONE);
	} else if (v <= 0xff) {
		put8(o, AML_BYTE);
		put8(o, (uint8_t)v);
	} else if (v <= 0xffff) {
		put8(o, AML_WORD);
		put_le(o, v, 2);
	} else if (v <= 0xffffffff) {
		put8(o, AML_DWORD);
		put_le(o, v, 4);
	} else {
		put8(o, AML_QWORD);
		put_le(o, v, 8);
	}
}

static void aml_string(struct out *o, const char *s)
{
	put8(o, AML_STRING);
	put_bytes(o, s, strlen(s) + 1);
}

/* "PNP0A08": three letters in five bits each, then four hex digits. */
static void aml_eisaid(struct out *o, const char *id)
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t d[4];

	for (unsigned int i = 0; i < 4; i++)
		d[i] = (uint8_t)(strchr(hex, id[3 + i]) - hex);
	put8(o, AML_DWORD);
	put8(o, (uint8_t)(((id[0] - 0x40) << 2) | ((id[1] - 0x40) >> 3)));
	put8(o, (uint8_t)((((id[1] - 0x40) & 7) << 5) | (id[2] - 0x40)));
	put8(o, (uint8_t)((d[0] << 4) | d[1]));
	put8(o, (uint8_t)((d[2] << 4) | d[3]));
}

static void aml_name_int(struct out *o, const char *name, uint64_t v)
{
	put8(o, AML_NAME);
	aml_namestring(o, name);
	aml_int(o, v);
}

static void aml_name_eisaid(struct out *o, const char *name, const char *id)
{
	put8(o, AML_NAME);
	aml_namestring(o, name);
	aml_eisaid(o, id);
}

static size_t aml_device_open(struct out *o, const char *name)
{
	size_t pkg;

	put8(o, AML_EXT);
	put8(o, AML_EXT_DEVICE);
	pkg = pkg_open(o);
	aml_namestring(o, name);
	return pkg;
}

static size_t aml_scope_open(struct out *o, const char *name)
{
	size_t pkg;

	put8(o, AML_SCOPE);
	pkg = pkg_open(o);
	aml_namestring(o, name);
	return pkg;
}

/*
 * Name (name, ResourceTemplate () { ... }): a Buffer whose size is
 * patched in by res_close(), which also appends the end tag.
 */
struct res_tmpl {
	size_t pkg;
	size_t size_at;
};

static struct res_tmpl res_open(struct out *o, const char *name)
{
	struct res_tmpl r;

	put8(o, AML_NAME);
	aml_namestring(o, name);
	put8(o, AML_BUFFER);
	r.pkg = pkg_open(o);
	put8(o, AML_WORD);
	r.size_at = o->pos;
	put_le(o, 0, 2);
	return r;
}

static void res_close(struct out *o, struct res_tmpl r)
{
	put8(o, RES_END);
	put8(o, 0);		/* zero: "checksum not computed" */
	set_le(o, r.size_at, o->pos - (r.size_at + 2), 2);
	pkg_close(o, r.pkg);
}

static void res_io(struct out *o, uint16_t base, uint8_t len)
{
	put8(o, RES_IO);
	put8(o, 1);			/* 16-bit decode */
	put_le(o, base, 2);		/* minimum */
	put_le(o, base, 2);		/* maximum */
	put8(o, 1);			/* alignment */
	put8(o, len);
}

static void res_irq(struct out *o, unsigned int irq)
{
	put8(o, RES_IRQ_NOFLAGS);
	put_le(o, 1u << irq, 2);
}

static void res_mem32_fixed(struct out *o, uint32_t base, uint32_t len)
{
	put8(o, RES_MEM32_FIXED);
	put_le(o, 9, 2);
	put8(o, RES_MEM_RW);
	put_le(o, base, 4);
	put_le(o, len, 4);
}

/* WordBusNumber / WordIO: a producer range [min, max], fixed ends. */
static void res_word(struct out *o, uint8_t type, uint8_t tflags,
		     uint16_t min, uint16_t max)
{
	put8(o, RES_WORD_ADDR);
	put_le(o, 13, 2);
	put8(o, type);
	put8(o, RES_MIF_MAF);
	put8(o, tflags);
	put_le(o, 0, 2);			/* granularity */
	put_le(o, min, 2);
	put_le(o, max, 2);
	put_le(o, 0, 2);			/* translation */
	put_le(o, (uint32_t)max - min + 1, 2);
}

static void res_dword_mem(struct out *o, uint32_t min, uint32_t max)
{
	put8(o, RES_DWORD_ADDR);
	put_le(o, 23, 2);
	put8(o, RES_TYPE_MEM);
	put8(o, RES_MIF_MAF);
	put8(o, RES_MEM_RW);			/* non-cacheable */
	put_le(o, 0, 4);			/* granularity */
	put_le(o, min, 4);
	put_le(o, max, 4);
	put_le(o, 0, 4);			/* translation */
	put_le(o, max - min + 1, 4);
}

/*
 * _PRT: every INTx pin of devices 1-31 straight to an IOAPIC GSI
 * (source 0), so no interrupt link devices are needed.
 */
static void dsdt_prt(struct out *o)
{
	size_t outer, entry;

	put8(o, AML_NAME);
	aml_namestring(o, "_PRT");
	put8(o, AML_PACKAGE);
	outer = pkg_open(o);
	put8(o, 31 * 4);
	for (unsigned int dev = 1; dev < 32; dev++) {
		for (unsigned int pin = 0; pin < 4; pin++) {
			put8(o, AML_PACKAGE);
			entry = pkg_open(o);
			put8(o, 4);
			aml_int(o, (uint64_t)dev << 16 | 0xffff);
			aml_int(o, pin);
			aml_int(o, 0);		/* source: a GSI, no link */
			aml_int(o, PLATFORM_PCI_INTX_GSI(dev, pin));
			pkg_close(o, entry);
		}
	}
	pkg_close(o, outer);
}

static void dsdt_pci0(struct out *o)
{
	size_t dev = aml_device_open(o, "PCI0");
	struct res_tmpl r;

	aml_name_eisaid(o, "_HID", "PNP0A08");
	aml_name_eisaid(o, "_CID", "PNP0A03");
	aml_name_int(o, "_SEG", PLATFORM_PCI_SEGMENT);
	aml_name_int(o, "_BBN", PLATFORM_ECAM_BUS_START);
	aml_name_int(o, "_UID", 0);
	r = res_open(o, "_CRS");
	res_word(o, RES_TYPE_BUS, 0, PLATFORM_ECAM_BUS_START,
		 PLATFORM_ECAM_BUS_END);
	res_io(o, PLATFORM_PCI_CONF_ADDR_PORT, PLATFORM_PCI_CONF_PORTS);
	res_word(o, RES_TYPE_IO, RES_IO_ENTIRE_RANGE, 0x0000,
		 PLATFORM_PCI_CONF_ADDR_PORT - 1);
	res_word(o, RES_TYPE_IO, RES_IO_ENTIRE_RANGE,
		 PLATFORM_PCI_CONF_ADDR_PORT + PLATFORM_PCI_CONF_PORTS, 0xffff);
	res_dword_mem(o, (uint32_t)PLATFORM_PCI_MMIO_BASE,
		      (uint32_t)PLATFORM_PCI_MMIO_END);
	res_close(o, r);
	dsdt_prt(o);
	pkg_close(o, dev);
}

/* Motherboard resources: what no PCI BAR may be placed over. */
static void dsdt_mres(struct out *o)
{
	size_t dev = aml_device_open(o, "MRES");
	struct res_tmpl r;

	aml_name_eisaid(o, "_HID", "PNP0C02");
	aml_name_int(o, "_UID", 0);
	r = res_open(o, "_CRS");
	res_mem32_fixed(o, (uint32_t)PLATFORM_ECAM_BASE,
			(uint32_t)PLATFORM_ECAM_SIZE);
	res_io(o, PLATFORM_PM_BASE, PLATFORM_PM_PORTS);
	res_close(o, r);
	pkg_close(o, dev);
}

static void dsdt_com1(struct out *o)
{
	size_t dev = aml_device_open(o, "COM1");
	struct res_tmpl r;

	aml_name_eisaid(o, "_HID", "PNP0501");
	aml_name_int(o, "_UID", 1);
	r = res_open(o, "_CRS");
	res_io(o, PLATFORM_COM1_PORT, 8);
	res_irq(o, PLATFORM_COM1_IRQ);
	res_close(o, r);
	pkg_close(o, dev);
}

/* Processor devices C000..C0FE; _UID matches the MADT's processor UID. */
static void dsdt_cpu(struct out *o, unsigned int n)
{
	static const char hex[] = "0123456789ABCDEF";
	char name[5] = { 'C', hex[(n >> 8) & 15], hex[(n >> 4) & 15],
			 hex[n & 15], 0 };
	size_t dev = aml_device_open(o, name);

	put8(o, AML_NAME);
	aml_namestring(o, "_HID");
	aml_string(o, "ACPI0007");
	aml_name_int(o, "_UID", n);
	pkg_close(o, dev);
}

static size_t dsdt_build(struct out *o, const struct acpi_build_cfg *cfg)
{
	size_t t = table_open(o, "DSDT", 2);	/* 2: 64-bit integers */
	size_t pkg, scope;

	/* \_S5_: SLP_TYPa, SLP_TYPb (no PM1b block), two reserved. */
	put8(o, AML_NAME);
	aml_namestring(o, "\\_S5_");
	put8(o, AML_PACKAGE);
	pkg = pkg_open(o);
	put8(o, 4);
	aml_int(o, PLATFORM_SLP_TYP_S5);
	aml_int(o, 0);
	aml_int(o, 0);
	aml_int(o, 0);
	pkg_close(o, pkg);

	scope = aml_scope_open(o, "\\_SB");
	dsdt_pci0(o);
	dsdt_mres(o);
	if (cfg->com1)
		dsdt_com1(o);
	for (unsigned int i = 0; i < cfg->vcpus; i++)
		dsdt_cpu(o, i);
	pkg_close(o, scope);
	table_close(o, t);
	return t;
}

/* ---- fixed tables ---- */

static size_t facs_build(struct out *o)
{
	size_t t;

	align(o, 64);
	t = o->pos;
	put_bytes(o, "FACS", 4);
	put_le(o, FACS_LEN, 4);
	skip(o, 24);		/* signature, waking vectors, lock, flags */
	put8(o, 2);		/* version */
	skip(o, FACS_LEN - 33);
	return t;
}

static void fadt_ports(struct out *o, size_t t)
{
	set_le(o, t + 56, PLATFORM_PM1A_EVT_PORT, 4);
	set_le(o, t + 64, PLATFORM_PM1A_CNT_PORT, 4);
	set_le(o, t + 76, PLATFORM_PM_TMR_PORT, 4);
	set_le(o, t + 88, PLATFORM_PM1_EVT_LEN, 1);
	set_le(o, t + 89, PLATFORM_PM1_CNT_LEN, 1);
	set_le(o, t + 91, PLATFORM_PM_TMR_LEN, 1);
	/* The same blocks as 64-bit generic addresses. */
	set_gas_io(o, t + 148, PLATFORM_PM1_EVT_LEN, GAS_ACCESS_WORD,
		   PLATFORM_PM1A_EVT_PORT);
	set_gas_io(o, t + 172, PLATFORM_PM1_CNT_LEN, GAS_ACCESS_WORD,
		   PLATFORM_PM1A_CNT_PORT);
	set_gas_io(o, t + 208, PLATFORM_PM_TMR_LEN, GAS_ACCESS_DWORD,
		   PLATFORM_PM_TMR_PORT);
	set_gas_io(o, t + 116, 1, GAS_ACCESS_BYTE, PLATFORM_RESET_PORT);
	set_le(o, t + 128, PLATFORM_RESET_VALUE, 1);
}

static size_t fadt_build(struct out *o, size_t facs, size_t dsdt)
{
	size_t t;

	align(o, 8);
	t = table_open(o, "FACP", 6);
	skip(o, FADT_LEN - ACPI_HDR_LEN);
	/* FACS only in the 32-bit field: X_FIRMWARE_CTRL must then be 0. */
	set_le(o, t + 36, gpa_of(o, facs), 4);
	set_le(o, t + 40, gpa_of(o, dsdt), 4);
	set_le(o, t + 45, 0, 1);		/* PM profile: unspecified */
	set_le(o, t + 46, PLATFORM_SCI_IRQ, 2);
	/* SMI_CMD, ACPI_ENABLE, ACPI_DISABLE zero: always in ACPI mode. */
	fadt_ports(o, t);
	set_le(o, t + 96, 101, 2);		/* P_LVL2_LAT: no C2 */
	set_le(o, t + 98, 1001, 2);		/* P_LVL3_LAT: no C3 */
	set_le(o, t + 108, PLATFORM_RTC_CENTURY_INDEX, 1);
	set_le(o, t + 109, FADT_BOOT_LEGACY_DEVICES |
	       FADT_BOOT_VGA_NOT_PRESENT, 2);	/* and no 8042 */
	set_le(o, t + 112, FADT_F_WBINVD | FADT_F_PROC_C1 | FADT_F_SLP_BUTTON |
	       FADT_F_FIX_RTC | FADT_F_TMR_VAL_EXT | FADT_F_RESET_REG_SUP, 4);
	set_le(o, t + 131, 0, 1);		/* FADT minor version: 6.0 */
	set_le(o, t + 140, gpa_of(o, dsdt), 8);	/* X_DSDT */
	set_le(o, t + 268, 0, 8);		/* hypervisor vendor id */
	table_close(o, t);
	return t;
}

static void madt_iso(struct out *o, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	put8(o, MADT_ISO);
	put8(o, 10);
	put8(o, 0);			/* bus: ISA */
	put8(o, irq);
	put_le(o, gsi, 4);
	put_le(o, flags, 2);
}

static size_t madt_build(struct out *o, const struct acpi_build_cfg *cfg)
{
	size_t t;

	align(o, 8);
	t = table_open(o, "APIC", 5);
	put_le(o, PLATFORM_LAPIC_BASE, 4);
	put_le(o, MADT_PCAT_COMPAT, 4);
	for (unsigned int i = 0; i < cfg->vcpus; i++) {
		put8(o, MADT_LAPIC);
		put8(o, 8);
		put8(o, (uint8_t)i);	/* processor UID */
		put8(o, (uint8_t)i);	/* APIC ID */
		put_le(o, 1, 4);	/* enabled */
	}
	put8(o, MADT_IOAPIC);
	put8(o, 12);
	put8(o, PLATFORM_IOAPIC_ID);
	put8(o, 0);
	put_le(o, PLATFORM_IOAPIC_BASE, 4);
	put_le(o, PLATFORM_IOAPIC_GSI_BASE, 4);
	/* The PIT's IRQ 0 is wired to pin 2, with the bus's polarity. */
	madt_iso(o, PLATFORM_PIT_IRQ, PLATFORM_PIT_GSI, 0);
	madt_iso(o, PLATFORM_SCI_IRQ, PLATFORM_SCI_IRQ,
		 MPS_INTI_HIGH | MPS_INTI_LEVEL);
	/* LINT1 of every local APIC is the NMI input. */
	put8(o, MADT_LAPIC_NMI);
	put8(o, 6);
	put8(o, 0xff);			/* all processors */
	put_le(o, 0, 2);
	put8(o, 1);			/* LINT1 */
	table_close(o, t);
	return t;
}

static size_t mcfg_build(struct out *o)
{
	size_t t;

	align(o, 8);
	t = table_open(o, "MCFG", 1);
	skip(o, 8);
	put_le(o, PLATFORM_ECAM_BASE, 8);
	put_le(o, PLATFORM_PCI_SEGMENT, 2);
	put8(o, PLATFORM_ECAM_BUS_START);
	put8(o, PLATFORM_ECAM_BUS_END);
	skip(o, 4);
	table_close(o, t);
	return t;
}

/* The HPET description table (IA-PC HPET 1.0a, section 3.2.4). */
static size_t hpet_table_build(struct out *o)
{
	size_t t;

	align(o, 8);
	t = table_open(o, "HPET", 1);
	put_le(o, HPET_CAP_ID, 4);		/* event timer block ID */
	put8(o, GAS_SYSTEM_MEMORY);
	put8(o, 64);				/* register width */
	put8(o, 0);				/* bit offset */
	put8(o, 0);				/* access size: undefined */
	put_le(o, PLATFORM_HPET_BASE, 8);
	put8(o, 0);				/* HPET number */
	put_le(o, HPET_MIN_TICK, 2);		/* minimum periodic tick */
	put8(o, 0);				/* no page protection */
	table_close(o, t);
	return t;
}

static size_t sdt_build(struct out *o, const char *sig, unsigned int width,
			const size_t *tables, unsigned int n)
{
	size_t t;

	align(o, 8);
	t = table_open(o, sig, 1);
	for (unsigned int i = 0; i < n; i++)
		put_le(o, gpa_of(o, tables[i]), width);
	table_close(o, t);
	return t;
}

static void rsdp_patch(struct out *o, size_t rsdt, size_t xsdt)
{
	set_le(o, 16, gpa_of(o, rsdt), 4);
	set_le(o, 24, gpa_of(o, xsdt), 8);
	if (!o->buf)
		return;
	o->buf[8] = checksum(o->buf, 20);
	o->buf[32] = checksum(o->buf, RSDP_LEN);
}

static void build_all(struct out *o, const struct acpi_build_cfg *cfg)
{
	size_t facs, dsdt, tables[4], rsdt, xsdt;

	put_bytes(o, "RSD PTR ", 8);
	put8(o, 0);				/* checksum, patched */
	put_bytes(o, ACPI_OEM_ID, 6);
	put8(o, 2);				/* revision: ACPI 2.0+ */
	skip(o, 4);				/* RSDT, patched */
	put_le(o, RSDP_LEN, 4);
	skip(o, 8 + 4);				/* XSDT, xchecksum, rsvd */

	facs = facs_build(o);
	dsdt = dsdt_build(o, cfg);
	tables[0] = fadt_build(o, facs, dsdt);
	tables[1] = madt_build(o, cfg);
	tables[2] = mcfg_build(o);
	tables[3] = hpet_table_build(o);
	rsdt = sdt_build(o, "RSDT", 4, tables, ARRAY_SIZE(tables));
	xsdt = sdt_build(o, "XSDT", 8, tables, ARRAY_SIZE(tables));
	rsdp_patch(o, rsdt, xsdt);
}

int acpi_build(void *buf, uint64_t buf_gpa, size_t buf_len,
	       const struct acpi_build_cfg *cfg, uint64_t *rsdp_gpa)
{
	struct out o = { .buf = NULL, .pos = 0, .gpa = buf_gpa };

	if (!buf || !cfg || !rsdp_gpa || !cfg->vcpus ||
	    cfg->vcpus > PLATFORM_MAX_VCPUS || !IS_ALIGNED(buf_gpa, 64) ||
	    buf_gpa >= (1ull << 32) || buf_len > (1ull << 32) - buf_gpa)
		return -PVKIT_EINVAL;

	build_all(&o, cfg);
	if (o.pos > buf_len)
		return -PVKIT_ENOSPC;

	memset(buf, 0, o.pos);
	o.buf = buf;
	o.pos = 0;
	build_all(&o, cfg);
	*rsdp_gpa = buf_gpa;
	return (int)o.pos;
}
