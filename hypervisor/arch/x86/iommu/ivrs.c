// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI IVRS parser: see asm/ivrs.h.  Firmware bytes are trusted for
 * nothing: every length is checked against the bytes that are there
 * before anything behind it is read, and anything malformed refuses
 * the whole table (one log line), so a half-understood table never
 * turns the IOMMU on.
 */
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/ivrs.h>
#include <hv/printk.h>

#define IVRS_HDR_LEN		48	/* ACPI header, IVinfo, reserved */
#define IVHD_LEN_10		24
#define IVHD_LEN_11		40	/* also 0x40 */

/* Device entry types. */
#define DE_PAD			0x00
#define DE_ALL			0x01
#define DE_SELECT		0x02
#define DE_RANGE_START		0x03
#define DE_RANGE_END		0x04
#define DE_ALIAS_SELECT		0x42
#define DE_ALIAS_RANGE		0x43
#define DE_EXT_SELECT		0x46
#define DE_EXT_RANGE		0x47
#define DE_SPECIAL		0x48
#define DE_ACPI_HID		0xf0
#define DE_HID_FIXED		22	/* before the UID */

struct range {
	bool open;
	bool alias;
	uint16_t start, as;
};

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int bad(const char *why, uint32_t off)
{
	pr_warn("iommu: IVRS refused: %s at offset %u", why, off);
	return -PVKIT_EINVAL;
}

static void cover(struct ivrs_info *info, uint32_t first, uint32_t last)
{
	for (uint32_t rid = first; rid <= last; rid++) {
		uint8_t bit = (uint8_t)(1u << (rid & 7));

		if (info->covered[rid >> 3] & bit)
			continue;
		info->covered[rid >> 3] |= bit;
		info->nr_covered++;
		if (rid > info->max_rid)
			info->max_rid = (uint16_t)rid;
	}
}

static int alias_add(struct ivrs_info *info, uint16_t first, uint16_t last,
		     uint16_t as, uint32_t off)
{
	struct ivrs_alias *a;

	if (info->nr_alias == IVRS_ALIAS_MAX)
		return bad("too many alias entries", off);
	a = &info->alias[info->nr_alias++];
	a->first = first;
	a->last = last;
	a->as = as;
	cover(info, as, as);
	return 0;
}

static int special_add(struct ivrs_info *info, const uint8_t *e, uint32_t off)
{
	struct ivrs_special *s;

	if (e[7] != IVRS_SPECIAL_IOAPIC && e[7] != IVRS_SPECIAL_HPET)
		return 0;	/* an ACPI HID "variety" of a later spec */
	if (info->nr_special == IVRS_SPECIAL_MAX)
		return bad("too many special entries", off);
	s = &info->special[info->nr_special++];
	s->variety = e[7];
	s->handle = e[4];
	s->rid = le16(e + 5);
	cover(info, s->rid, s->rid);
	return 0;
}

static int range_start(struct range *r, const uint8_t *e, bool alias,
		       uint32_t off)
{
	if (r->open)
		return bad("range start inside a range", off);
	r->open = true;
	r->alias = alias;
	r->start = le16(e + 1);
	r->as = alias ? le16(e + 5) : 0;
	return 0;
}

static int range_end(struct ivrs_info *info, struct range *r,
		     const uint8_t *e, uint32_t off)
{
	uint16_t end = le16(e + 1);

	if (!r->open)
		return bad("range end without a start", off);
	if (end < r->start)
		return bad("range ending before its start", off);
	r->open = false;
	cover(info, r->start, end);
	return r->alias ? alias_add(info, r->start, end, r->as, off) : 0;
}

/* Bytes the entry at e takes; 0 when it does not fit in the n left. */
static uint32_t entry_len(const uint8_t *e, uint32_t n)
{
	uint32_t len;

	if (e[0] < 0x40)
		len = 4;
	else if (e[0] < 0x80)
		len = 8;
	else if (e[0] == DE_ACPI_HID && n >= DE_HID_FIXED)
		len = DE_HID_FIXED + e[DE_HID_FIXED - 1];
	else
		return 0;
	return len <= n ? len : 0;
}

static int entry(struct ivrs_info *info, struct range *r, const uint8_t *e,
		 uint32_t off)
{
	uint16_t rid = le16(e + 1);

	switch (e[0]) {
	case DE_ALL:
		cover(info, 0, 0xffff);
		return 0;
	case DE_SELECT:
	case DE_EXT_SELECT:
	case DE_ACPI_HID:
		cover(info, rid, rid);
		return 0;
	case DE_ALIAS_SELECT:
		cover(info, rid, rid);
		return alias_add(info, rid, rid, le16(e + 5), off);
	case DE_RANGE_START:
	case DE_EXT_RANGE:
	case DE_ALIAS_RANGE:
		return range_start(r, e, e[0] == DE_ALIAS_RANGE, off);
	case DE_RANGE_END:
		return range_end(info, r, e, off);
	case DE_SPECIAL:
		return special_add(info, e, off);
	default:
		return 0;	/* padding, or reserved: its size is known */
	}
}

static int ivhd_entries(struct ivrs_info *info, const uint8_t *b,
			uint32_t len, uint32_t hdr, uint32_t boff)
{
	struct range r = { 0 };
	uint32_t off = hdr;

	while (off < len) {
		uint32_t n = entry_len(b + off, len - off);
		int ret;

		if (!n && b[off] >= 0x80)
			return bad("unknown or truncated variable-length entry",
				   boff + off);
		if (!n)
			return bad("truncated device entry", boff + off);
		ret = entry(info, &r, b + off, boff + off);
		if (ret)
			return ret;
		off += n;
	}
	return r.open ? bad("range not closed", boff + off) : 0;
}

static int ivhd_parse(struct ivrs_info *info, const uint8_t *b, uint32_t boff)
{
	uint32_t len = le16(b + 2);
	uint32_t hdr = b[0] == 0x10 ? IVHD_LEN_10 : IVHD_LEN_11;

	if (len < hdr)
		return bad("IVHD shorter than its header", boff);
	info->type = b[0];
	info->flags = b[1];
	info->iommu_rid = le16(b + 4);
	info->cap_off = le16(b + 6);
	info->base = le64(b + 8);
	info->segment = le16(b + 16);
	info->iommu_info = le16(b + 18);
	info->attrs = le32(b + 20);
	info->has_efr = b[0] != 0x10;
	info->efr = info->has_efr ? le64(b + 24) : 0;
	/* The register window is 16 KiB, 16 KiB aligned. */
	if (!info->base || (info->base & 0x3fff))
		return bad("IOMMU base address not 16 KiB aligned", boff + 8);
	return ivhd_entries(info, b, len, hdr, boff);
}

static int type_rank(uint8_t type)
{
	switch (type) {
	case 0x10:
		return 1;
	case 0x11:
		return 2;
	case 0x40:
		return 3;
	default:
		return 0;
	}
}

static uint8_t sum(const uint8_t *p, uint32_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

int ivrs_parse(const void *table, size_t size, struct ivrs_info *info)
{
	const uint8_t *t = table;
	uint32_t len, best = 0;
	int best_rank = 0;

	memset(info, 0, sizeof(*info));
	if (size < IVRS_HDR_LEN)
		return bad("table shorter than its header", 0);
	len = le32(t + 4);
	if (memcmp(t, "IVRS", 4))
		return bad("signature is not IVRS", 0);
	if (len < IVRS_HDR_LEN || len > size)
		return bad("table length outside the bytes given", 4);
	if (sum(t, len))
		return bad("checksum mismatch", 9);
	info->ivinfo = le32(t + 36);
	for (uint32_t off = IVRS_HDR_LEN; off < len;) {
		uint32_t blen;

		if (len - off < 4)
			return bad("truncated block header", off);
		blen = le16(t + off + 2);
		if (blen < 4 || blen > len - off)
			return bad("block length outside the table", off + 2);
		if (type_rank(t[off]) > best_rank) {
			best_rank = type_rank(t[off]);
			best = off;
		}
		off += blen;
	}
	if (!best_rank)
		return bad("no IVHD block", IVRS_HDR_LEN);
	return ivhd_parse(info, t + best, best);
}

uint16_t ivrs_alias_of(const struct ivrs_info *info, uint16_t rid)
{
	for (unsigned int i = 0; i < info->nr_alias; i++) {
		const struct ivrs_alias *a = &info->alias[i];

		if (rid >= a->first && rid <= a->last)
			return a->as;
	}
	return rid;
}

bool ivrs_has_ioapic(const struct ivrs_info *info)
{
	for (unsigned int i = 0; i < info->nr_special; i++) {
		if (info->special[i].variety == IVRS_SPECIAL_IOAPIC)
			return true;
	}
	return false;
}
