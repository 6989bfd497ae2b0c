// SPDX-License-Identifier: GPL-2.0
/*
 * ivrs_parse() (hypervisor/arch/x86/iommu/ivrs.c) on the tables QEMU 7.2
 * gives q35 with -device amd-iommu (as dumped, and as its
 * hw/i386/acpi-build.c builds them, root-port ranges included), on
 * ranges and aliases, the choice between IVHD types,
 * and malformed tables (truncated, bad lengths, bad checksum, broken
 * ranges), each of which must be refused with exactly one log line and
 * no read outside the bytes given (ASan: every table is parsed from an
 * exact-size copy).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pvkit/errno.h>
#include <asm/ivrs.h>
#include <hv/printk.h>
#include "ktap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define QEMU_BASE	0xfed80000ull

static unsigned int lines;
static char last_line[256];
static struct ivrs_info info;

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	lines++;
	va_start(ap, fmt);
	vsnprintf(last_line, sizeof(last_line), fmt, ap);
	va_end(ap);
	ktap_diag("log: %s", last_line);
}

/* A table under construction. */
struct tb {
	uint8_t b[1024];
	uint32_t n;
	uint32_t block;		/* offset of the open block */
};

static void put(struct tb *t, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		t->b[t->n++] = (uint8_t)(v >> (8 * i));
}

static void tb_init(struct tb *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, "IVRS", 4);
	t->b[8] = 2;		/* revision */
	memcpy(t->b + 10, "PVKIT ", 6);
	t->n = 36;
	put(t, 40u << 8, 4);	/* IVinfo: PAsize 40 */
	put(t, 0, 8);
}

static void tb_ivhd(struct tb *t, uint8_t type, uint16_t rid, uint64_t base,
		    uint64_t efr)
{
	t->block = t->n;
	put(t, type, 1);
	put(t, 0xd1, 1);	/* flags, as QEMU */
	put(t, 0, 2);		/* length, patched by tb_end */
	put(t, rid, 2);
	put(t, 0x40, 2);	/* capability offset */
	put(t, base, 8);
	put(t, 0, 2);		/* segment */
	put(t, 0, 2);		/* IOMMU info */
	put(t, 0x44, 4);	/* feature reporting / attributes */
	if (type != 0x10) {
		put(t, efr, 8);
		put(t, 0, 8);
	}
}

static void tb_e4(struct tb *t, uint8_t type, uint16_t rid)
{
	put(t, type, 1);
	put(t, rid, 2);
	put(t, 0, 1);
}

static void tb_e8(struct tb *t, uint8_t type, uint16_t rid, uint8_t b4,
		  uint16_t w5, uint8_t b7)
{
	tb_e4(t, type, rid);
	put(t, b4, 1);
	put(t, w5, 2);
	put(t, b7, 1);
}

/* Closes the open block and the table, checksum included. */
static uint32_t tb_end(struct tb *t)
{
	uint32_t blen = t->n - t->block;
	uint8_t s = 0;

	t->b[t->block + 2] = (uint8_t)blen;
	t->b[t->block + 3] = (uint8_t)(blen >> 8);
	t->b[4] = (uint8_t)t->n;
	t->b[5] = (uint8_t)(t->n >> 8);
	t->b[9] = 0;
	for (uint32_t i = 0; i < t->n; i++)
		s += t->b[i];
	t->b[9] = (uint8_t)-s;
	return t->n;
}

/* Parses len bytes of t from an exact-size copy; counts the log lines. */
static int parse(const struct tb *t, uint32_t len, unsigned int *logged)
{
	uint8_t *copy = malloc(len ? len : 1);
	unsigned int before = lines;
	int ret;

	memcpy(copy, t->b, len);
	ret = ivrs_parse(copy, len, &info);
	free(copy);
	*logged = lines - before;
	return ret;
}

static void expect_refused(const struct tb *t, uint32_t len)
{
	unsigned int logged;

	EXPECT_EQ(parse(t, len, &logged), -PVKIT_EINVAL);
	EXPECT_EQ(logged, 1);
}

/* QEMU 7.2's table for q35 with amd-iommu,intremap=on: type 0x10, a
 * Select per function of bus 0, a range per PCIe root port's leaf bus
 * and the southbridge IOAPIC (00:14.0) as a special entry. */
static uint32_t qemu_table(struct tb *t, bool intremap)
{
	static const uint16_t fns[] = { 0x00, 0x08, 0x10, 0x18, 0x20, 0xf8,
					0xfa, 0xfb };

	tb_init(t);
	tb_ivhd(t, 0x10, 0x20, QEMU_BASE, 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(fns); i++)
		tb_e4(t, 0x02, fns[i]);
	tb_e4(t, 0x03, 0x0100);
	tb_e4(t, 0x04, 0x01ff);
	if (intremap)
		tb_e8(t, 0x48, 0, 0, 0x00a0, 1);
	return tb_end(t);
}

static void test_qemu_table(void)
{
	struct tb t;
	unsigned int logged;
	uint32_t len = qemu_table(&t, true);

	EXPECT_EQ(parse(&t, len, &logged), 0);
	EXPECT_EQ(logged, 0);
	EXPECT_EQ(info.type, 0x10);
	EXPECT_EQ(info.base, QEMU_BASE);
	EXPECT_EQ(info.iommu_rid, 0x20);
	EXPECT_EQ(info.cap_off, 0x40);
	EXPECT_EQ(info.segment, 0);
	EXPECT_EQ(info.ivinfo, 40u << 8);
	EXPECT(!info.has_efr);
	EXPECT_EQ(info.nr_covered, 8 + 256 + 1);
	EXPECT_EQ(info.max_rid, 0x01ff);
	EXPECT(ivrs_covers(&info, 0x0000));
	EXPECT(ivrs_covers(&info, 0x0020));
	EXPECT(ivrs_covers(&info, 0x00fb));
	EXPECT(ivrs_covers(&info, 0x00a0));
	EXPECT(ivrs_covers(&info, 0x0100));
	EXPECT(ivrs_covers(&info, 0x0180));
	EXPECT(!ivrs_covers(&info, 0x0028));
	EXPECT(!ivrs_covers(&info, 0x0200));
	EXPECT(!ivrs_covers(&info, 0xffff));
	EXPECT(ivrs_has_ioapic(&info));
	EXPECT_EQ(info.nr_special, 1);
	EXPECT_EQ(info.special[0].rid, 0x00a0);
	EXPECT_EQ(ivrs_alias_of(&info, 0x0100), 0x0100);
}

static void test_qemu_table_no_intremap(void)
{
	struct tb t;
	unsigned int logged;
	uint32_t len = qemu_table(&t, false);

	EXPECT_EQ(parse(&t, len, &logged), 0);
	EXPECT(!ivrs_has_ioapic(&info));
	EXPECT(!ivrs_covers(&info, 0x00a0));
}

static void test_all_entry(void)
{
	struct tb t;
	unsigned int logged;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x10, QEMU_BASE, 0);
	tb_e4(&t, 0x01, 0);
	len = tb_end(&t);
	EXPECT_EQ(parse(&t, len, &logged), 0);
	EXPECT_EQ(info.nr_covered, 65536);
	EXPECT_EQ(info.max_rid, 0xffff);
	EXPECT(ivrs_covers(&info, 0xffff));
}

static void test_alias_and_extended(void)
{
	struct tb t;
	unsigned int logged;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x11, 0x02, 0xfeb80000ull, 0x1234);
	tb_e8(&t, 0x43, 0x0300, 0, 0x0018, 0);	/* bus 3 behind 00:03.0 */
	tb_e4(&t, 0x04, 0x03ff);
	tb_e8(&t, 0x42, 0x0400, 0, 0x0020, 0);
	tb_e8(&t, 0x46, 0x0500, 0, 0, 0);
	tb_e8(&t, 0x47, 0x0600, 0, 0, 0);
	tb_e4(&t, 0x04, 0x0607);
	tb_e4(&t, 0x00, 0);			/* padding */
	tb_e8(&t, 0x48, 0, 3, 0x00a8, 2);	/* HPET 3 */
	len = tb_end(&t);
	EXPECT_EQ(parse(&t, len, &logged), 0);
	EXPECT_EQ(logged, 0);
	EXPECT_EQ(info.type, 0x11);
	EXPECT(info.has_efr);
	EXPECT_EQ(info.efr, 0x1234);
	EXPECT_EQ(ivrs_alias_of(&info, 0x0342), 0x0018);
	EXPECT_EQ(ivrs_alias_of(&info, 0x0400), 0x0020);
	EXPECT_EQ(ivrs_alias_of(&info, 0x0401), 0x0401);
	EXPECT(ivrs_covers(&info, 0x0018));
	EXPECT(ivrs_covers(&info, 0x0020));
	EXPECT(ivrs_covers(&info, 0x0500));
	EXPECT(ivrs_covers(&info, 0x0607));
	EXPECT(!ivrs_covers(&info, 0x0608));
	EXPECT(ivrs_covers(&info, 0x00a8));
	EXPECT(!ivrs_has_ioapic(&info));
	EXPECT_EQ(info.special[0].variety, IVRS_SPECIAL_HPET);
	EXPECT_EQ(info.special[0].handle, 3);
	EXPECT_EQ(info.nr_covered, 2 + 256 + 1 + 1 + 8 + 1);
}

/* A 0x10 and a 0x40 block for one IOMMU: the richer 0x40 one is used. */
static void test_highest_type_wins(void)
{
	struct tb t;
	unsigned int logged;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x02, 0x0008);
	tb_end(&t);
	tb_ivhd(&t, 0x40, 0x02, QEMU_BASE, 0xabcd);
	tb_e4(&t, 0x02, 0x0010);
	tb_e8(&t, 0x48, 0, 4, 0x00a0, 1);
	put(&t, 0xf0, 1);			/* ACPI HID device */
	put(&t, 0x00f0, 2);
	put(&t, 0, 1);
	put(&t, 0, 8);				/* HID */
	put(&t, 0, 8);				/* CID */
	put(&t, 2, 1);				/* UID format */
	put(&t, 3, 1);				/* UID length */
	put(&t, 0x313233, 3);
	len = tb_end(&t);
	EXPECT_EQ(parse(&t, len, &logged), 0);
	EXPECT_EQ(logged, 0);
	EXPECT_EQ(info.type, 0x40);
	EXPECT_EQ(info.efr, 0xabcd);
	EXPECT(!ivrs_covers(&info, 0x0008));
	EXPECT(ivrs_covers(&info, 0x0010));
	EXPECT(ivrs_covers(&info, 0x00f0));
	EXPECT(ivrs_has_ioapic(&info));
}

/* The tables QEMU 7.2 (Debian 7.2.22) gives q35 with -device amd-iommu,
 * dumped from a boot: intremap=on, then intremap=off. */
static const uint8_t qemu_ivrs_on[] = {
	0x49, 0x56, 0x52, 0x53, 0x6c, 0x00, 0x00, 0x00,
	0x01, 0x19, 0x42, 0x4f, 0x43, 0x48, 0x53, 0x20,
	0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
	0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0xd1, 0x3c, 0x00, 0x18, 0x00, 0x40, 0x00,
	0x00, 0x00, 0xd8, 0xfe, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00,
	0x02, 0x10, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00,
	0x02, 0xf8, 0x00, 0x00, 0x02, 0xfa, 0x00, 0x00,
	0x02, 0xfb, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00,
	0x00, 0xa0, 0x00, 0x01,
};

static const uint8_t qemu_ivrs_off[] = {
	0x49, 0x56, 0x52, 0x53, 0x64, 0x00, 0x00, 0x00,
	0x01, 0x12, 0x42, 0x4f, 0x43, 0x48, 0x53, 0x20,
	0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20,
	0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0xd1, 0x34, 0x00, 0x18, 0x00, 0x40, 0x00,
	0x00, 0x00, 0xd8, 0xfe, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x44, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00,
	0x02, 0x10, 0x00, 0x00, 0x02, 0x18, 0x00, 0x00,
	0x02, 0xf8, 0x00, 0x00, 0x02, 0xfa, 0x00, 0x00,
	0x02, 0xfb, 0x00, 0x00,
};

static void test_qemu_dumped_tables(void)
{
	struct tb t;
	unsigned int logged;

	memcpy(t.b, qemu_ivrs_on, sizeof(qemu_ivrs_on));
	EXPECT_EQ(parse(&t, sizeof(qemu_ivrs_on), &logged), 0);
	EXPECT_EQ(logged, 0);
	EXPECT_EQ(info.type, 0x10);
	EXPECT_EQ(info.base, QEMU_BASE);
	EXPECT_EQ(info.iommu_rid, 0x0018);
	EXPECT_EQ(info.cap_off, 0x40);
	EXPECT_EQ(info.nr_covered, 8);
	EXPECT_EQ(info.max_rid, 0x00fb);
	EXPECT(ivrs_covers(&info, 0x0018));
	EXPECT(ivrs_covers(&info, 0x00fa));
	EXPECT(!ivrs_covers(&info, 0x00f9));
	EXPECT(ivrs_has_ioapic(&info));

	memcpy(t.b, qemu_ivrs_off, sizeof(qemu_ivrs_off));
	EXPECT_EQ(parse(&t, sizeof(qemu_ivrs_off), &logged), 0);
	EXPECT_EQ(logged, 0);
	EXPECT_EQ(info.nr_covered, 7);
	EXPECT(!ivrs_has_ioapic(&info));
}

/* Every prefix of a good table is refused, quietly but for one line. */
static void test_truncated(void)
{
	struct tb t;
	uint32_t len = qemu_table(&t, true);

	for (uint32_t n = 0; n < len; n++)
		expect_refused(&t, n);
}

static void test_bad_checksum(void)
{
	struct tb t;
	uint32_t len = qemu_table(&t, true);

	t.b[9]++;
	expect_refused(&t, len);
	EXPECT(strstr(last_line, "checksum") != NULL);
}

static void test_bad_signature(void)
{
	struct tb t;
	uint32_t len = qemu_table(&t, true);

	t.b[0] = 'X';
	expect_refused(&t, len);
}

static void test_bad_block_lengths(void)
{
	static const uint16_t lens[] = { 0, 3, 23, 0xffff };
	struct tb t;

	for (unsigned int i = 0; i < ARRAY_SIZE(lens); i++) {
		uint32_t len = qemu_table(&t, true);
		uint8_t s = 0;

		t.b[48 + 2] = (uint8_t)lens[i];
		t.b[48 + 3] = (uint8_t)(lens[i] >> 8);
		t.b[9] = 0;
		for (uint32_t j = 0; j < len; j++)
			s += t.b[j];
		t.b[9] = (uint8_t)-s;
		expect_refused(&t, len);
	}
}

/* The table's own length larger than the bytes there. */
static void test_table_length_past_end(void)
{
	struct tb t;
	uint32_t len = qemu_table(&t, true);

	expect_refused(&t, len - 1);
	t.b[4] = 40;	/* shorter than the IVRS header */
	t.b[5] = 0;
	expect_refused(&t, len);
}

static void test_entry_cut_by_block(void)
{
	struct tb t;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x02, 0x0008);
	put(&t, 0x48, 1);	/* an 8-byte entry with 4 bytes left */
	put(&t, 0, 3);
	len = tb_end(&t);
	expect_refused(&t, len);
}

static void test_broken_ranges(void)
{
	struct tb t;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x04, 0x0100);	/* end without a start */
	len = tb_end(&t);
	expect_refused(&t, len);

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x03, 0x0200);
	tb_e4(&t, 0x04, 0x0100);	/* ends before it starts */
	len = tb_end(&t);
	expect_refused(&t, len);

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x03, 0x0200);
	tb_e4(&t, 0x03, 0x0300);	/* a start inside a range */
	tb_e4(&t, 0x04, 0x03ff);
	len = tb_end(&t);
	expect_refused(&t, len);

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x03, 0x0200);	/* never closed */
	len = tb_end(&t);
	expect_refused(&t, len);
	EXPECT(strstr(last_line, "not closed") != NULL);
}

static void test_unknown_variable_entry(void)
{
	struct tb t;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE, 0);
	tb_e4(&t, 0x81, 0x0008);
	len = tb_end(&t);
	expect_refused(&t, len);
}

static void test_hid_uid_past_block(void)
{
	struct tb t;
	uint32_t len;

	tb_init(&t);
	tb_ivhd(&t, 0x40, 0x02, QEMU_BASE, 0);
	put(&t, 0xf0, 1);
	put(&t, 0x00f0, 2);
	put(&t, 0, 8);
	put(&t, 0, 8);
	put(&t, 0, 1);
	put(&t, 2, 1);
	put(&t, 200, 1);	/* a UID far past the block */
	len = tb_end(&t);
	expect_refused(&t, len);
}

static void test_no_ivhd_or_bad_base(void)
{
	struct tb t;
	uint32_t len;

	tb_init(&t);
	t.block = t.n;
	put(&t, 0x20, 1);	/* an IVMD block only */
	put(&t, 0, 1);
	put(&t, 0, 2);
	for (unsigned int i = 0; i < 28; i++)
		put(&t, 0, 1);
	len = tb_end(&t);
	expect_refused(&t, len);

	tb_init(&t);
	tb_ivhd(&t, 0x10, 0x02, QEMU_BASE + 0x1000, 0);
	len = tb_end(&t);
	expect_refused(&t, len);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_qemu_table),
	KTAP_CASE(test_qemu_table_no_intremap),
	KTAP_CASE(test_qemu_dumped_tables),
	KTAP_CASE(test_all_entry),
	KTAP_CASE(test_alias_and_extended),
	KTAP_CASE(test_highest_type_wins),
	KTAP_CASE(test_truncated),
	KTAP_CASE(test_bad_checksum),
	KTAP_CASE(test_bad_signature),
	KTAP_CASE(test_bad_block_lengths),
	KTAP_CASE(test_table_length_past_end),
	KTAP_CASE(test_entry_cut_by_block),
	KTAP_CASE(test_broken_ranges),
	KTAP_CASE(test_unknown_variable_entry),
	KTAP_CASE(test_hid_uid_past_block),
	KTAP_CASE(test_no_ivhd_or_bad_base),
};

int main(void)
{
	return ktap_run(cases, ARRAY_SIZE(cases));
}
