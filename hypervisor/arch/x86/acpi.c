// SPDX-License-Identifier: GPL-2.0
/*
 * Just enough ACPI to find the CPUs (RSDP -> XSDT/RSDT -> MADT), the
 * PCI configuration space (the MCFG's ECAM window) and, for the drivers
 * that parse their own, other tables by signature (the IVRS).  Firmware
 * tables are checked (signature, length, checksum) before use: a bad table
 * means "one CPU", not a crash.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <asm/acpi.h>
#include <hv/printk.h>

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t xchecksum;
	uint8_t reserved[3];
} __packed;

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev;
	uint32_t creator;
	uint32_t creator_rev;
} __packed;

#define MADT_LAPIC		0
#define MADT_X2APIC		9
#define TABLE_MAX_LEN		(1u << 20)

static int checksum_ok(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (uint32_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

static const struct rsdp *rsdp_scan(uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a + sizeof(struct rsdp) <= end; a += 16) {
		const struct rsdp *r = (const void *)(uintptr_t)a;

		if (!memcmp(r->sig, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct rsdp *rsdp_find(void)
{
	uintptr_t bda_ebda = 0x40e;
	uint64_t ebda;
	const struct rsdp *r = NULL;

	/* Hide the low constant address from the compiler's bounds checks. */
	asm("" : "+r"(bda_ebda));
	ebda = (uint64_t)*(const volatile uint16_t *)bda_ebda << 4;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		r = rsdp_scan(ebda, ebda + 1024);
	return r ? r : rsdp_scan(0xe0000, 0x100000);
}

static const struct sdt_header *table_check(uint64_t pa, const char *sig)
{
	const struct sdt_header *h = (const void *)(uintptr_t)pa;

	if (!pa || pa >= (1ull << 32))
		return NULL;
	if (memcmp(h->sig, sig, 4) || h->length < sizeof(*h) ||
	    h->length > TABLE_MAX_LEN || !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct sdt_header *table_find(const struct rsdp *r,
					    const char *sig)
{
	const struct sdt_header *root;
	unsigned int esize = 4;

	root = r->revision >= 2 ? table_check(r->xsdt, "XSDT") : NULL;
	if (root)
		esize = 8;
	else
		root = table_check(r->rsdt, "RSDT");
	if (!root)
		return NULL;
	for (uint32_t off = sizeof(*root); off + esize <= root->length;
	     off += esize) {
		const uint8_t *e = (const uint8_t *)root + off;
		uint64_t pa = 0;
		const struct sdt_header *t;

		memcpy(&pa, e, esize);
		t = table_check(pa, sig);
		if (t)
			return t;
	}
	return NULL;
}

int acpi_find_cpus(uint32_t *ids, unsigned int max)
{
	const struct rsdp *r = rsdp_find();
	const struct sdt_header *madt = r ? table_find(r, "APIC") : NULL;
	unsigned int n = 0;
	uint32_t off = sizeof(struct sdt_header) + 8; /* lapic addr, flags */

	if (!madt) {
		pr_warn("acpi: no usable MADT, running on the boot CPU only");
		return 0;
	}
	while (off + 2 <= madt->length) {
		const uint8_t *e = (const uint8_t *)madt + off;
		uint32_t flags, id;

		if (e[1] < 2 || off + e[1] > madt->length)
			break;
		if (e[0] == MADT_LAPIC && e[1] >= 8) {
			id = e[3];
			memcpy(&flags, e + 4, 4);
		} else if (e[0] == MADT_X2APIC && e[1] >= 16) {
			memcpy(&id, e + 4, 4);
			memcpy(&flags, e + 8, 4);
		} else {
			off += e[1];
			continue;
		}
		off += e[1];
		if (!(flags & 1))
			continue;
		if (n == max) {
			pr_warn("acpi: more than %u CPUs, the rest stay parked",
				max);
			break;
		}
		ids[n++] = id;
	}
	return n;
}

/* The MCFG's first entry for PCI segment 0. */
int acpi_find_ecam(uint64_t *base, uint8_t *bus_start, uint8_t *bus_end)
{
	const struct rsdp *r = rsdp_find();
	const struct sdt_header *mcfg = r ? table_find(r, "MCFG") : NULL;
	uint32_t off = sizeof(struct sdt_header) + 8;	/* reserved */

	for (; mcfg && off + 16 <= mcfg->length; off += 16) {
		const uint8_t *e = (const uint8_t *)mcfg + off;
		uint16_t seg;

		memcpy(&seg, e + 8, 2);
		if (seg || e[11] < e[10])
			continue;
		memcpy(base, e, 8);
		*bus_start = e[10];
		*bus_end = e[11];
		return 0;
	}
	return -1;
}

const void *acpi_find_table(const char *sig, uint32_t *len)
{
	const struct rsdp *r = rsdp_find();
	const struct sdt_header *t = r ? table_find(r, sig) : NULL;

	if (t)
		*len = t->length;
	return t;
}
