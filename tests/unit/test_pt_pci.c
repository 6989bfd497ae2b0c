// SPDX-License-Identifier: GPL-2.0
/*
 * A passed-through function as its guest sees it: the config-space
 * filter (hypervisor/passthrough/pt_pci.c) and the MSI-X trap
 * (pt_msix.c) against a fake machine function whose config space and
 * BARs are plain arrays.  Two functions: an edu-like one (1 MiB BAR,
 * small and port BARs hidden, MSI not maskable, the MSI-X table in the
 * middle of a trapped page) and an nvme-like one (64-bit BAR, maskable
 * MSI, 64 MSI-X entries).  Both carry a vendor-specific capability the
 * guest must never see.  Every write reaching the real function is
 * logged, so a hostile guest's writes can be checked against what the
 * filter may pass on.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <asm/msi.h>
#include <hv/domain.h>
#include <hv/emul/pci_host.h>
#include <hv/emul_bus.h>
#include <hv/iommu.h>
#include <hv/percpu.h>
#include <hv/platform.h>
#include <hv/printk.h>
#include <hv/vcpu_ops.h>
#include "pt.h"
#include "ktap.h"

#define CFG_SIZE	PCI_CFG_EXP_SIZE
#define RID		0x0310
#define APIC_ID		7
#define PAGE		0x1000ull
#define NO_MAP		(~0ull)

/* What the fake IOMMU's remapping gives entry index: easy to recognise. */
#define HW_ADDR(i)	(0x100000000ull | 0xfee00000u | (uint64_t)(i) << 4)
#define HW_DATA(i)	(0x5a00u | (i))
#define MSI_IRTE	(IOMMU_IRQS_MAX - 1)

void (*fake_lock_hook)(spinlock_t *l, bool taking);

/* ---- the machine function ---- */

enum variant { EDU, NVME, NVME_BAD_BIR };

struct fake_fn {
	struct pci_dev dev;
	uint8_t cfg[CFG_SIZE];
	uint8_t *bar[PCI_NR_BARS];	/* a memory BAR's registers */
	/* Where the capabilities sit, for the checks. */
	unsigned int pm, msi, vndr, vndr_len, msix, exp;
	unsigned int table_off, nr_entries, pba_off;
};

static struct fake_fn fn;

struct cfg_write {
	unsigned int reg, size;
	uint32_t val;
};

#define WLOG_MAX	256
static struct cfg_write wlog[WLOG_MAX];
static unsigned int nr_wlog;

static void put8(unsigned int reg, uint8_t v) { fn.cfg[reg] = v; }
static void put16(unsigned int reg, uint16_t v) { memcpy(fn.cfg + reg, &v, 2); }
static void put32(unsigned int reg, uint32_t v) { memcpy(fn.cfg + reg, &v, 4); }

static uint32_t real32(unsigned int reg)
{
	uint32_t v;

	memcpy(&v, fn.cfg + reg, 4);
	return v;
}

static uint16_t real16(unsigned int reg)
{
	uint16_t v;

	memcpy(&v, fn.cfg + reg, 2);
	return v;
}

static bool cfg_ok(const struct pci_dev *dev, unsigned int reg,
		   unsigned int size)
{
	if (dev == &fn.dev && reg + size <= CFG_SIZE && !(reg & (size - 1)))
		return true;
	ktap_fail_at(__FILE__, __LINE__, "config access outside the function");
	ktap_diag("  reg 0x%x size %u", reg, size);
	return false;
}

uint8_t pci_read8(const struct pci_dev *dev, unsigned int reg)
{
	return cfg_ok(dev, reg, 1) ? fn.cfg[reg] : 0xff;
}

uint16_t pci_read16(const struct pci_dev *dev, unsigned int reg)
{
	return cfg_ok(dev, reg, 2) ? real16(reg) : 0xffff;
}

uint32_t pci_read32(const struct pci_dev *dev, unsigned int reg)
{
	return cfg_ok(dev, reg, 4) ? real32(reg) : ~0u;
}

static void log_write(unsigned int reg, unsigned int size, uint32_t v)
{
	if (nr_wlog == WLOG_MAX) {
		ktap_fail_at(__FILE__, __LINE__, "real write log full");
		return;
	}
	wlog[nr_wlog++] = (struct cfg_write){ reg, size, v };
}

void pci_write16(const struct pci_dev *dev, unsigned int reg, uint16_t v)
{
	if (!cfg_ok(dev, reg, 2))
		return;
	log_write(reg, 2, v);
	put16(reg, v);
}

void pci_write32(const struct pci_dev *dev, unsigned int reg, uint32_t v)
{
	if (!cfg_ok(dev, reg, 4))
		return;
	log_write(reg, 4, v);
	put32(reg, v);
}

unsigned int pci_find_cap(const struct pci_dev *dev, uint8_t id,
			  unsigned int from)
{
	unsigned int pos;

	if (!(pci_read16(dev, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read8(dev, from ? from + 1 : PCI_CAPABILITY_LIST);
	for (unsigned int n = 0; n < 48; n++) {
		pos &= 0xfc;
		if (pos < 0x40)
			return 0;
		if (pci_read8(dev, pos) == id)
			return pos;
		pos = pci_read8(dev, pos + 1);
	}
	return 0;
}

volatile void *pci_bar_map(const struct pci_dev *dev, unsigned int bar,
			   uint64_t off, uint64_t len)
{
	const struct pci_bar *b;

	EXPECT(dev == &fn.dev);
	if (bar >= PCI_NR_BARS)
		return NULL;
	b = &fn.dev.bar[bar];
	if (!fn.bar[bar] || !len || off > b->size || len > b->size - off)
		return NULL;
	return fn.bar[bar] + off;
}

static void fake_bar(unsigned int i, uint64_t hpa, uint64_t size,
		     uint32_t flags)
{
	struct pci_bar *b = &fn.dev.bar[i];

	b->base = hpa;
	b->size = size;
	b->io = flags & PCI_BAR_IO;
	put32(PCI_BAR0 + 4 * i, (uint32_t)hpa | flags);
	if (flags & PCI_BAR_MEM64)
		put32(PCI_BAR0 + 4 * i + 4, (uint32_t)(hpa >> 32));
	if (b->io)
		return;
	fn.bar[i] = malloc(size);
	for (uint64_t k = 0; k < size; k++)
		fn.bar[i][k] = (uint8_t)(0x80 + k * 7);
}

static void cap(unsigned int pos, uint8_t id, unsigned int next)
{
	put8(pos, id);
	put8(pos + 1, (uint8_t)next);
}

/* Bytes the filter must hide or leave alone: recognisable, nonzero. */
static void fill(unsigned int from, unsigned int to, uint8_t seed)
{
	for (unsigned int r = from; r < to; r++)
		fn.cfg[r] = (uint8_t)(seed + r);
}

static void fake_msix(unsigned int pos, unsigned int next, unsigned int n,
		      uint32_t table, uint32_t pba)
{
	cap(pos, PCI_CAP_ID_MSIX, next);
	put16(pos + PCI_MSIX_FLAGS, (uint16_t)(n - 1));
	put32(pos + PCI_MSIX_TABLE, table);
	put32(pos + 8, pba);
	fn.msix = pos;
	fn.nr_entries = n;
	fn.table_off = table & ~7u;
	fn.pba_off = pba & ~7u;
}

static void fake_exp(unsigned int pos)
{
	fill(pos, pos + 0x3c, 0x31);
	cap(pos, PCI_CAP_ID_EXP, 0);
	put16(pos + 2, 0x0002);			/* v2, endpoint */
	put32(pos + PCI_EXP_DEVCAP, 0x10008fc0);	/* FLR */
	put16(pos + PCI_EXP_DEVCTL, 0x2810);
	put16(pos + PCI_EXP_DEVSTA, 0);
	fn.exp = pos;
}

static void fake_edu(void)
{
	put32(PCI_VENDOR_ID, 0x11e81234);
	put32(PCI_CLASS_REVISION, 0x00ff0010);
	/* BIST capable, multi-function. */
	put32(PCI_CACHE_LINE_SIZE, 0x40802010);
	fake_bar(0, 0xfea00000, 1u << 20, PCI_BAR_MEM32);
	fake_bar(1, 0xfeb00000, 256, PCI_BAR_MEM32);	/* below a page */
	fake_bar(2, 0xc000, 32, PCI_BAR_IO);
	put32(0x28, 0x12345678);			/* CardBus CIS */
	put32(PCI_SUBSYSTEM_VENDOR_ID, 0x11001af4);
	put32(PCI_ROM_ADDRESS, 0xfeb40001);
	put32(0x38, 0xa5a5a5a5);
	put32(PCI_INTERRUPT_LINE, 0x0000010b);	/* pin INTA */

	fill(0x40, 0x100, 0x11);
	cap(0x40, PCI_CAP_ID_PM, 0x48);
	put32(0x42, 0x0003);
	put32(0x44, 0x00000008);
	fn.pm = 0x40;
	cap(0x48, PCI_CAP_ID_VNDR, 0x60);
	put8(0x4a, 0x10);
	fn.vndr = 0x48;
	fn.vndr_len = 0x10;
	/* 64-bit, two vectors capable, not maskable. */
	cap(0x60, PCI_CAP_ID_MSI, 0x78);
	put16(0x62, PCI_MSI_FLAGS_64BIT | 1u << 1);
	put32(0x64, 0);
	put32(0x68, 0);
	put32(0x6c, 0);
	fn.msi = 0x60;
	/* The table in the middle of a page of BAR 0, the PBA on the next. */
	fake_msix(0x78, 0x90, 8, 0x3400, 0x4000);
	fake_exp(0x90);
}

static void fake_nvme(enum variant v)
{
	put32(PCI_VENDOR_ID, 0x00101b36);
	put32(PCI_CLASS_REVISION, 0x01080210);
	put32(PCI_CACHE_LINE_SIZE, 0x00000010);
	fake_bar(0, 0x380000000ull, 16 * 1024, PCI_BAR_MEM64);
	fake_bar(2, 0xfd000000, 8 * 1024, PCI_BAR_MEM32 | PCI_BAR_PREFETCH);
	fake_bar(4, 0xfebf1000, 256, PCI_BAR_MEM64);	/* below a page */
	put32(PCI_SUBSYSTEM_VENDOR_ID, 0x11001af4);
	put32(PCI_INTERRUPT_LINE, 0x0000010e);

	fill(0x40, 0x100, 0x57);
	cap(0x40, PCI_CAP_ID_PM, 0x50);
	put32(0x42, 0x0003);
	put32(0x44, 0x00000000);
	fn.pm = 0x40;
	/* 64-bit, maskable, 32 vectors capable. */
	cap(0x50, PCI_CAP_ID_MSI, 0x68);
	put16(0x52, PCI_MSI_FLAGS_64BIT | PCI_MSI_FLAGS_MASKBIT | 5u << 1);
	for (unsigned int r = 0x54; r < 0x68; r += 4)
		put32(r, 0);
	fn.msi = 0x50;
	cap(0x68, PCI_CAP_ID_VNDR, 0x70);
	put8(0x6a, 0x08);
	fn.vndr = 0x68;
	fn.vndr_len = 0x08;
	fake_msix(0x70, 0x80, 64, 0x2000 | (v == NVME_BAD_BIR ? 7 : 0), 0x2400);
	fake_exp(0x80);
}

static void fake_build(enum variant v)
{
	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		free(fn.bar[i]);
	memset(&fn, 0, sizeof(fn));
	fn.dev.bus = RID >> 8;
	fn.dev.devfn = RID & 0xff;
	put16(PCI_STATUS, PCI_STATUS_CAP_LIST | 0x0200);
	put8(PCI_CAPABILITY_LIST, 0x40);
	if (v == EDU)
		fake_edu();
	else
		fake_nvme(v);
	fn.dev.vendor = real16(PCI_VENDOR_ID);
	fn.dev.device = real16(PCI_DEVICE_ID);
	/* Extended config space: AER, then bytes that must never show. */
	fill(0x100, CFG_SIZE, 0x73);
	put32(0x100, 0x14820001);
}

/* ---- the domain and the hypervisor around it ---- */

static struct domain dom;

struct mapping {
	uint64_t gpa, hpa, len;
};

#define MAPS_MAX	16
static struct mapping maps[MAPS_MAX];
static unsigned int nr_maps, map_calls;
static bool maps_may_overlap;

static int fake_map_mmio(struct domain *d, uint64_t gpa, uint64_t hpa,
			 uint64_t len, bool map)
{
	EXPECT(d == &dom);
	EXPECT_EQ(gpa & (PAGE - 1), 0);
	EXPECT_EQ(len & (PAGE - 1), 0);
	EXPECT_NE(len, 0);
	if (!map) {
		for (unsigned int i = 0; i < nr_maps; i++) {
			struct mapping *m = &maps[i];

			if (m->gpa + m->len <= gpa || m->gpa >= gpa + len)
				continue;
			/* Unmapped whole or not at all. */
			EXPECT(m->gpa >= gpa && m->gpa + m->len <= gpa + len);
			*m = maps[--nr_maps];
			i--;
		}
		return 0;
	}
	map_calls++;
	EXPECT_EQ(hpa & (PAGE - 1), 0);
	/* A hostile guest may make its BARs overlap; the others do not. */
	for (unsigned int i = 0; i < nr_maps && !maps_may_overlap; i++)
		EXPECT(maps[i].gpa + maps[i].len <= gpa ||
		       maps[i].gpa >= gpa + len);
	if (nr_maps == MAPS_MAX) {
		ktap_fail_at(__FILE__, __LINE__, "too many mappings");
		return -1;
	}
	maps[nr_maps++] = (struct mapping){ gpa, hpa, len };
	return 0;
}

/* The host address guest address gpa reaches without an exit, or NO_MAP. */
static uint64_t mapped_at(uint64_t gpa)
{
	for (unsigned int i = 0; i < nr_maps; i++)
		if (gpa >= maps[i].gpa && gpa - maps[i].gpa < maps[i].len)
			return maps[i].hpa + (gpa - maps[i].gpa);
	return NO_MAP;
}

static const struct vcpu_ops fake_vcpu_ops = {
	.name = "fake",
	.domain_map_mmio = fake_map_mmio,
};
const struct vcpu_ops *vcpu_ops = &fake_vcpu_ops;

struct irq_map_call {
	uint16_t rid;
	unsigned int index;
	uint8_t vector;
	uint32_t apic_id;
};

#define IRQ_CALLS_MAX	256
static struct irq_map_call irq_calls[IRQ_CALLS_MAX];
static unsigned int nr_irq_calls;

static int fake_irq_map(uint16_t rid, unsigned int index, uint8_t vector,
			uint32_t apic_id, uint64_t *addr, uint32_t *data)
{
	EXPECT(index < IOMMU_IRQS_MAX);
	if (nr_irq_calls < IRQ_CALLS_MAX)
		irq_calls[nr_irq_calls++] = (struct irq_map_call){
			rid, index, vector, apic_id };
	*addr = HW_ADDR(index);
	*data = HW_DATA(index);
	return 0;
}

static const struct iommu_ops fake_iommu = {
	.name = "fake",
	.irq_map = fake_irq_map,
	.intremap = true,
};
const struct iommu_ops *iommu = &fake_iommu;

static struct pcpu cpu0 = { .apic_id = APIC_ID };
struct pcpu *pcpus[CONFIG_NR_CPUS] = { &cpu0 };

struct handler {
	msi_handler_t fn;
	void *arg;
};

#define FIRST_VECTOR	0x30
static struct handler handlers[256];
static unsigned int next_vector = FIRST_VECTOR;

uint8_t msi_vector_alloc(msi_handler_t f, void *arg)
{
	if (next_vector > 0xef)
		return 0;
	handlers[next_vector] = (struct handler){ f, arg };
	return (uint8_t)next_vector++;
}

/* The function raised the hypervisor's vector v. */
static void fire(uint8_t v)
{
	EXPECT(handlers[v].fn);
	if (handlers[v].fn)
		handlers[v].fn(handlers[v].arg);
}

static struct emul_device *trap_dev;
static uint64_t trap_base, trap_len;

int emul_bus_attach(struct domain *d, struct emul_device *dev)
{
	EXPECT(d == &dom);
	EXPECT(!trap_dev);
	trap_dev = dev;
	return 0;
}

int emul_bus_map(struct domain *d, struct emul_device *dev, bool mmio,
		 uint64_t base, uint64_t len)
{
	EXPECT(d == &dom && dev == trap_dev && mmio);
	trap_base = base;
	trap_len = len;
	return 0;
}

int emul_bus_move(struct domain *d, struct emul_device *dev, uint64_t from,
		  uint64_t to, uint64_t len)
{
	EXPECT(d == &dom && dev == trap_dev);
	EXPECT_EQ(from, trap_base);	/* the bus knows only its range */
	trap_base = to;
	trap_len = len;
	return 0;
}

struct sent {
	uint64_t addr;
	uint32_t data;
};

static struct sent sent[64];
static unsigned int nr_sent;

static void fake_send_msi(struct domain *d, uint64_t addr, uint32_t data)
{
	EXPECT(d == &dom);
	if (nr_sent < ARRAY_SIZE(sent))
		sent[nr_sent++] = (struct sent){ addr, data };
}

static unsigned int warn_lines;

void printk(int level, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (level > LOG_WARN)
		return;
	warn_lines++;
	ktap_diag("printk: %s", line);
}

void *kzalloc(size_t size) { return calloc(1, size); }
void exit_attribute(struct domain *d, int src) { (void)d; (void)src; }

/* ---- the function, assigned as assign.c does it ---- */

static struct pt_dev pt;
static uint16_t real_cmd0;	/* Command as assign.c leaves it */

static void bars_place(void)
{
	uint64_t next = PLATFORM_PCI_MMIO_BASE;

	for (unsigned int i = 0; i < PCI_NR_BARS; i++) {
		const struct pci_bar *hb = &fn.dev.bar[i];
		struct pt_bar *b = &pt.bar[i];

		if (!hb->size || hb->io || hb->size < PAGE)
			continue;
		b->hpa = hb->base;
		b->size = hb->size;
		b->flags = real32(PCI_BAR0 + 4 * i) &
			   (PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
		b->home = (next + b->size - 1) & ~(b->size - 1);
		b->gpa = b->home;
		next = b->home + b->size;
		if (b->flags & PCI_BAR_MEM64)
			i++;
	}
}

static void teardown(void)
{
	free(pt.msix.e);
	memset(&pt, 0, sizeof(pt));
}

static void reset_logs(void)
{
	nr_wlog = 0;
	nr_sent = 0;
	nr_irq_calls = 0;
	warn_lines = 0;
	map_calls = 0;
}

static int setup_variant(enum variant v)
{
	uint16_t ctrl;
	int ret;

	teardown();
	fake_build(v);
	memset(&dom, 0, sizeof(dom));
	dom.id = 1;
	strcpy(dom.name, "guest");
	dom.state = DOMAIN_RUNNING;
	dom.bus.send_msi = fake_send_msi;
	nr_maps = 0;
	trap_dev = NULL;
	trap_base = trap_len = 0;

	pt.hw = &fn.dev;
	pt.rid = RID;
	pt.dom = &dom;
	spin_lock_init(&pt.lock);
	pt.exp_cap = (uint8_t)pci_find_cap(&fn.dev, PCI_CAP_ID_EXP, 0);
	pt.pm_cap = (uint8_t)pci_find_cap(&fn.dev, PCI_CAP_ID_PM, 0);
	pt.msi.cap = (uint8_t)pci_find_cap(&fn.dev, PCI_CAP_ID_MSI, 0);
	ctrl = real16(pt.msi.cap + PCI_MSI_FLAGS);
	pt.msi.is64 = ctrl & PCI_MSI_FLAGS_64BIT;
	pt.msi.maskable = ctrl & PCI_MSI_FLAGS_MASKBIT;
	bars_place();
	ret = pt_msix_init(&pt);
	if (ret)
		return ret;
	/* assign.c's quiesce(): decoding on, bus mastering off. */
	real_cmd0 = PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE;
	put16(PCI_COMMAND, real_cmd0);
	ret = pt_pci_irq_init(&pt);
	if (ret)
		return ret;
	pt_pci_reset(&pt);
	reset_logs();
	return 0;
}

static void setup(enum variant v)
{
	EXPECT_EQ(setup_variant(v), 0);
	EXPECT(pt.msi.cap && pt.msix.cap && pt.pm_cap && pt.exp_cap);
}

/* ---- the guest's accesses ---- */

static uint32_t gr(unsigned int reg, unsigned int size)
{
	return pt_pci_cfg_ops.cfg_read(&pt, reg, size);
}

static void gw(unsigned int reg, unsigned int size, uint32_t v)
{
	pt_pci_cfg_ops.cfg_write(&pt, reg, size, v);
}

/* An access at offset off of the trapped pages, as the bus sends it. */
static uint64_t trap_rw(uint64_t off, unsigned int size, bool write,
			uint64_t v)
{
	struct io_access io = { .addr = trap_base + off, .val = v,
				.size = (uint8_t)size, .write = write };

	EXPECT_NE(trap_len, 0);
	EXPECT(trap_dev && trap_dev->ops && trap_dev->ops->mmio);
	if (!trap_dev || !trap_dev->ops->mmio)
		return 0;
	EXPECT_EQ(trap_dev->ops->mmio(trap_dev, &io), 0);
	return io.val;
}

/* The trapped pages' offset of MSI-X table entry i's register reg. */
static uint64_t entry_off(unsigned int i, unsigned int reg)
{
	return fn.table_off - pt.msix.trap_off + 16ull * i + reg;
}

static void entry_write(unsigned int i, unsigned int reg, uint32_t v)
{
	trap_rw(entry_off(i, reg), 4, true, v);
}

static uint32_t entry_read(unsigned int i, unsigned int reg)
{
	return (uint32_t)trap_rw(entry_off(i, reg), 4, false, 0);
}

/* The real table's entry i, register reg. */
static uint32_t hw_entry(unsigned int i, unsigned int reg)
{
	uint32_t v;

	memcpy(&v, fn.bar[0] + fn.table_off + 16 * i + reg, 4);
	return v;
}

static unsigned int msi_data_reg(void)
{
	return fn.msi + (pt.msi.is64 ? 0x0c : 0x08);
}

/* ---- 1: the header and capability list ---- */

static void check_cap_walk(void)
{
	unsigned int seen[256] = { 0 }, ptr, n = 0;

	EXPECT(gr(PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	for (ptr = gr(PCI_CAPABILITY_LIST, 1); ptr && n < 48; n++) {
		uint8_t id = (uint8_t)gr(ptr, 1);

		EXPECT(ptr >= 0x40 && ptr < 0x100 && !(ptr & 3));
		EXPECT_NE(ptr, fn.vndr);
		EXPECT_NE(id, PCI_CAP_ID_VNDR);
		seen[id]++;
		ptr = gr(ptr + 1, 1);
	}
	EXPECT_EQ(ptr, 0);
	EXPECT_EQ(n, 4);
	EXPECT_EQ(seen[PCI_CAP_ID_PM], 1);
	EXPECT_EQ(seen[PCI_CAP_ID_MSI], 1);
	EXPECT_EQ(seen[PCI_CAP_ID_MSIX], 1);
	EXPECT_EQ(seen[PCI_CAP_ID_EXP], 1);
}

/* Whether config byte r belongs to a capability the guest sees. */
static bool shown_byte(unsigned int r)
{
	unsigned int msi_len = pt.msi.maskable ? 24 : 16;

	return (r >= fn.pm && r < fn.pm + 8) ||
	       (r >= fn.msi && r < fn.msi + msi_len) ||
	       (r >= fn.msix && r < fn.msix + 12) ||
	       (r >= fn.exp && r < fn.exp + 0x3c);
}

static void check_header(enum variant v)
{
	EXPECT_EQ(gr(PCI_VENDOR_ID, 4), real32(PCI_VENDOR_ID));
	EXPECT_EQ(gr(PCI_VENDOR_ID, 2), real16(PCI_VENDOR_ID));
	EXPECT_EQ(gr(PCI_DEVICE_ID, 2), real16(PCI_DEVICE_ID));
	EXPECT_EQ(gr(PCI_CLASS_REVISION, 4), real32(PCI_CLASS_REVISION));
	EXPECT_EQ(gr(PCI_SUBSYSTEM_VENDOR_ID, 4),
		  real32(PCI_SUBSYSTEM_VENDOR_ID));
	EXPECT_EQ(gr(PCI_COMMAND, 2), 0);
	EXPECT_EQ(gr(PCI_HEADER_TYPE, 1), 0);
	EXPECT_EQ(gr(PCI_HEADER_TYPE + 1, 1), 0);	/* BIST */
	EXPECT_EQ(gr(PCI_CACHE_LINE_SIZE, 1), fn.cfg[PCI_CACHE_LINE_SIZE]);
	EXPECT_EQ(gr(0x28, 4), 0);			/* CardBus CIS */
	EXPECT_EQ(gr(PCI_ROM_ADDRESS, 4), 0);
	gw(PCI_ROM_ADDRESS, 4, ~0u);
	EXPECT_EQ(gr(PCI_ROM_ADDRESS, 4), 0);
	EXPECT_EQ(gr(0x38, 4), 0);
	EXPECT_EQ(gr(PCI_INTERRUPT_PIN, 1), 0);
	EXPECT_EQ(gr(PCI_INTERRUPT_LINE, 1), 0);
	gw(PCI_INTERRUPT_LINE, 1, 0x0a);
	EXPECT_EQ(gr(PCI_INTERRUPT_LINE, 1), 0x0a);
	EXPECT_EQ(gr(PCI_INTERRUPT_PIN, 1), 0);
	EXPECT_EQ(fn.cfg[PCI_INTERRUPT_LINE], v == EDU ? 0x0b : 0x0e);
	check_cap_walk();
	for (unsigned int r = fn.vndr; r < fn.vndr + fn.vndr_len; r++)
		EXPECT_EQ(gr(r, 1), 0);
	for (unsigned int r = 0x40; r < PCI_CFG_SIZE; r++)
		if (!shown_byte(r))
			EXPECT_EQ(gr(r, 1), 0);
	/* PM and PCI Express read as the function has them. */
	EXPECT_EQ(gr(fn.pm + 4, 4), real32(fn.pm + 4));
	EXPECT_EQ(gr(fn.exp + PCI_EXP_DEVCAP, 4),
		  real32(fn.exp + PCI_EXP_DEVCAP));
	EXPECT_EQ(gr(fn.exp + 0x38, 4), real32(fn.exp + 0x38));
	/* One vector, whatever the function could do. */
	EXPECT_EQ(gr(fn.msi + PCI_MSI_FLAGS, 2),
		  PCI_MSI_FLAGS_64BIT | (v == EDU ? 0 : PCI_MSI_FLAGS_MASKBIT));
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_FLAGS, 2), fn.nr_entries - 1);
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_TABLE, 4),
		  real32(fn.msix + PCI_MSIX_TABLE));
	for (unsigned int r = PCI_CFG_SIZE; r < CFG_SIZE; r += 4) {
		EXPECT_EQ(gr(r, 4), 0);
		EXPECT_EQ(gr(r + 1, 1), 0);
		EXPECT_EQ(gr(r + 2, 2), 0);
	}
	EXPECT_EQ(nr_wlog, 0);
}

/* Sizing BAR i: all-ones in, size and flags out; then back home. */
static void check_bar_size(unsigned int i, uint32_t want, bool is64)
{
	unsigned int reg = PCI_BAR0 + 4 * i;
	uint32_t lo = gr(reg, 4), hi = is64 ? gr(reg + 4, 4) : 0;

	gw(reg, 4, ~0u);
	EXPECT_EQ(gr(reg, 4), want);
	if (is64) {
		gw(reg + 4, 4, ~0u);
		EXPECT_EQ(gr(reg + 4, 4), ~0u);
		EXPECT_EQ(gr(reg, 4), want);
	}
	gw(reg, 4, lo);
	if (is64)
		gw(reg + 4, 4, hi);
	EXPECT_EQ(gr(reg, 4), lo);
	EXPECT_EQ(pt.bar[i].gpa, pt.bar[i].home);
}

static void test_header_edu(void)
{
	setup(EDU);
	check_header(EDU);
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE);
	check_bar_size(0, 0xfff00000u, false);
	for (unsigned int i = 1; i < PCI_NR_BARS; i++) {
		EXPECT_EQ(gr(PCI_BAR0 + 4 * i, 4), 0);
		gw(PCI_BAR0 + 4 * i, 4, ~0u);
		EXPECT_EQ(gr(PCI_BAR0 + 4 * i, 4), 0);
	}
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE);
	EXPECT_EQ(nr_wlog, 0);
	teardown();
}

static void test_header_nvme(void)
{
	setup(NVME);
	check_header(NVME);
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE | PCI_BAR_MEM64);
	EXPECT_EQ(gr(PCI_BAR0 + 4, 4), 0);
	EXPECT_EQ(gr(PCI_BAR0 + 8, 4),
		  (PLATFORM_PCI_MMIO_BASE + 0x4000) | PCI_BAR_PREFETCH);
	/* 64-bit: both halves sized; prefetchable 8 KiB. */
	check_bar_size(0, 0xffffc000u | PCI_BAR_MEM64, true);
	check_bar_size(2, 0xffffe000u | PCI_BAR_PREFETCH, false);
	/* The hidden 64-bit BAR and its upper half. */
	for (unsigned int i = 3; i < PCI_NR_BARS; i++) {
		gw(PCI_BAR0 + 4 * i, 4, ~0u);
		EXPECT_EQ(gr(PCI_BAR0 + 4 * i, 4), 0);
	}
	/* Byte-wide BAR writes merge into what the guest sees. */
	gw(PCI_BAR0 + 3, 1, 0xd0);
	EXPECT_EQ(gr(PCI_BAR0, 4), 0xd0000000u | PCI_BAR_MEM64);
	EXPECT_EQ(pt.bar[0].gpa, 0xd0000000u);
	EXPECT_EQ(nr_wlog, 0);
	teardown();
}

/* ---- 2: BAR mapping ---- */

static void check_table_bar(uint64_t gpa, uint64_t hpa, uint64_t size,
			    uint64_t hole, uint64_t hole_len)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		bool in_hole = off >= hole && off < hole + hole_len;

		EXPECT_EQ(mapped_at(gpa + off), in_hole ? NO_MAP : hpa + off);
	}
	EXPECT_EQ(trap_base, gpa + hole);
	EXPECT_EQ(trap_len, hole_len);
}

static void test_bar_map_nvme(void)
{
	const uint64_t home = PLATFORM_PCI_MMIO_BASE, hpa = 0x380000000ull;

	setup(NVME);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	EXPECT_EQ(pt.msix.trap_off, 0x2000);
	EXPECT_EQ(pt.msix.trap_len, PAGE);

	gw(PCI_COMMAND, 2, PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_maps, 3);
	check_table_bar(home, hpa, 0x4000, 0x2000, PAGE);
	EXPECT_EQ(mapped_at(home + 0x4000), 0xfd000000);
	EXPECT_EQ(mapped_at(home + 0x5fff), 0xfd001fff);
	EXPECT_EQ(mapped_at(home + 0x6000), NO_MAP);

	/* Moved while decoding: away from the old range, at the new. */
	gw(PCI_BAR0, 4, 0xd0000000);
	check_table_bar(0xd0000000, hpa, 0x4000, 0x2000, PAGE);
	for (uint64_t off = 0; off < 0x4000; off += PAGE)
		EXPECT_EQ(mapped_at(home + off), NO_MAP);
	EXPECT_EQ(nr_maps, 3);

	/* Outside the guest's PCI window: below, above, past 4 GiB. */
	gw(PCI_BAR0, 4, 0x80000000);
	EXPECT_EQ(mapped_at(0x80000000), NO_MAP);
	EXPECT_EQ(mapped_at(0xd0000000), NO_MAP);
	EXPECT_EQ(nr_maps, 1);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_BAR0, 4, 0xfec00000);
	EXPECT_EQ(nr_maps, 1);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_BAR0, 4, 0xd0000000);
	EXPECT_EQ(nr_maps, 3);
	gw(PCI_BAR0 + 4, 4, 1);
	EXPECT_EQ(nr_maps, 1);
	EXPECT_EQ(mapped_at(0x1d0000000ull), NO_MAP);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_BAR0 + 4, 4, 0);
	check_table_bar(0xd0000000, hpa, 0x4000, 0x2000, PAGE);
	/* The last place in the window that fits, and just past it. */
	gw(PCI_BAR0 + 8, 4, 0xfebfe000);
	EXPECT_EQ(mapped_at(0xfebfffff), 0xfd001fff);
	EXPECT_EQ(nr_maps, 3);
	gw(PCI_BAR0 + 8, 4, 0xfec00000);
	EXPECT_EQ(mapped_at(0xfec00000), NO_MAP);
	EXPECT_EQ(nr_maps, 2);

	gw(PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	/* Moved while not decoding: nothing mapped, nothing trapped. */
	gw(PCI_BAR0, 4, 0xe0000000);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	check_table_bar(0xe0000000, hpa, 0x4000, 0x2000, PAGE);
	/* Bus mastering on the real function followed the guest's. */
	EXPECT_EQ(real16(PCI_COMMAND), real_cmd0);
	teardown();
}

static void test_bar_map_edu(void)
{
	setup(EDU);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EXPECT_EQ(nr_maps, 2);
	check_table_bar(PLATFORM_PCI_MMIO_BASE, 0xfea00000, 1u << 20, 0x3000,
			PAGE);
	/* The hidden BARs are mapped nowhere. */
	for (unsigned int i = 0; i < nr_maps; i++)
		EXPECT(maps[i].hpa >= 0xfea00000 &&
		       maps[i].hpa + maps[i].len <= 0xfeb00000);
	gw(PCI_COMMAND, 2, 0);
	EXPECT_EQ(nr_maps, 0);
	teardown();
}

/* ---- 3: a hostile guest's config writes ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Whether config byte r of the real function may change at all. */
static bool real_writable(unsigned int r)
{
	unsigned int m = fn.msi, x = fn.msix;

	if (r == PCI_COMMAND || r == PCI_COMMAND + 1)
		return true;
	if (r >= m + PCI_MSI_FLAGS && r < m + 0x10)
		return true;		/* control, address, data */
	if (pt.msi.maskable && r >= m + 0x10 && r < m + 0x14)
		return true;		/* mask */
	return r == x + PCI_MSIX_FLAGS || r == x + PCI_MSIX_FLAGS + 1;
}

static uint16_t msi_ctrl0, msix_ctrl0;
static unsigned int msi_addr_writes;

/* Every real write a guest config write caused is one the filter may make. */
static void check_real_writes(void)
{
	unsigned int m = fn.msi;

	for (unsigned int k = 0; k < nr_wlog; k++) {
		const struct cfg_write *w = &wlog[k];
		bool ok;

		if (w->reg == PCI_COMMAND && w->size == 2)
			ok = (w->val & ~PCI_COMMAND_MASTER) == real_cmd0;
		else if (w->reg == m + PCI_MSI_FLAGS && w->size == 2)
			ok = (w->val & ~PCI_MSI_FLAGS_ENABLE) == msi_ctrl0;
		else if (w->reg == m + PCI_MSI_ADDRESS_LO && w->size == 4)
			ok = w->val == (uint32_t)HW_ADDR(MSI_IRTE) &&
			     ++msi_addr_writes;
		else if (w->reg == m + PCI_MSI_ADDRESS_HI && w->size == 4)
			ok = w->val == HW_ADDR(MSI_IRTE) >> 32;
		else if (w->reg == msi_data_reg() && w->size == 2)
			ok = w->val == HW_DATA(MSI_IRTE);
		else if (pt.msi.maskable && w->reg == msi_data_reg() + 4 &&
			 w->size == 4)
			ok = w->val <= 1;
		else if (w->reg == fn.msix + PCI_MSIX_FLAGS && w->size == 2)
			ok = (w->val & ~PCI_MSIX_FLAGS_ENABLE) == msix_ctrl0;
		else
			ok = false;
		if (!ok) {
			ktap_fail_at(__FILE__, __LINE__,
				     "real write not allowed");
			ktap_diag("  reg 0x%x size %u val 0x%x", w->reg,
				  w->size, w->val);
		}
	}
	nr_wlog = 0;
}

/* Everything the guest has mapped is a BAR of its function, in its window. */
static void check_maps(void)
{
	for (unsigned int i = 0; i < nr_maps; i++) {
		const struct mapping *m = &maps[i];
		uint64_t trap = fn.dev.bar[0].base + pt.msix.trap_off;
		bool in_bar = false;

		EXPECT(m->gpa >= PLATFORM_PCI_MMIO_BASE &&
		       m->gpa + m->len - 1 <= PLATFORM_PCI_MMIO_END);
		for (unsigned int k = 0; k < PCI_NR_BARS; k++) {
			const struct pt_bar *b = &pt.bar[k];

			in_bar |= b->size && m->hpa >= b->hpa &&
				  m->hpa + m->len <= b->hpa + b->size;
		}
		EXPECT(in_bar);
		/* The MSI-X table's pages are never the guest's. */
		EXPECT(m->hpa + m->len <= trap ||
		       m->hpa >= trap + pt.msix.trap_len);
	}
}

static void hostile_write(unsigned int reg, unsigned int size)
{
	uint32_t v = rnd();

	if (size < 4)
		v &= (1u << (8 * size)) - 1;
	gw(reg, size, v);
	check_real_writes();
	check_maps();
}

static void hostile(enum variant v)
{
	static uint8_t cfg0[CFG_SIZE];
	uint8_t *bar0;
	uint64_t bar0_len;
	unsigned int bad = 0;

	setup(v);
	memcpy(cfg0, fn.cfg, CFG_SIZE);
	bar0_len = fn.dev.bar[0].size;
	bar0 = malloc(bar0_len);
	memcpy(bar0, fn.bar[0], bar0_len);
	msi_ctrl0 = real16(fn.msi + PCI_MSI_FLAGS) & ~PCI_MSI_FLAGS_QSIZE;
	msix_ctrl0 = real16(fn.msix + PCI_MSIX_FLAGS);
	msi_addr_writes = 0;

	maps_may_overlap = true;
	for (unsigned int size = 1; size <= 4; size *= 2)
		for (unsigned int reg = 0; reg < CFG_SIZE; reg += size)
			hostile_write(reg, size);
	/* Then from a function the guest has set going. */
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	check_real_writes();
	for (unsigned int n = 0; n < 8000; n++) {
		unsigned int size = 1u << (rnd() % 3);
		/* Most at the header, its BARs and the shown capabilities. */
		unsigned int reg = rnd() % (n % 4 == 0 ? CFG_SIZE :
					    n % 4 == 1 ? 0x28 : 0xc0);

		hostile_write(reg & ~(size - 1), size);
	}
	maps_may_overlap = false;

	for (unsigned int r = 0; r < CFG_SIZE; r++) {
		if (real_writable(r) || fn.cfg[r] == cfg0[r])
			continue;
		if (!bad++)
			ktap_diag("  real config byte 0x%x: 0x%02x, was 0x%02x",
				  r, fn.cfg[r], cfg0[r]);
	}
	EXPECT_EQ(bad, 0);
	EXPECT_MEMEQ(fn.cfg + PCI_BAR0, cfg0 + PCI_BAR0, 24);
	EXPECT_MEMEQ(fn.cfg + PCI_ROM_ADDRESS, cfg0 + PCI_ROM_ADDRESS, 4);
	EXPECT_EQ(fn.cfg[PCI_HEADER_TYPE], cfg0[PCI_HEADER_TYPE]);
	EXPECT_MEMEQ(fn.cfg + fn.vndr, cfg0 + fn.vndr, fn.vndr_len);
	EXPECT_MEMEQ(fn.cfg + fn.pm, cfg0 + fn.pm, 8);
	EXPECT_MEMEQ(fn.cfg + fn.exp, cfg0 + fn.exp, 0x3c);
	EXPECT_EQ(real16(PCI_COMMAND) & PCI_COMMAND_IO, 0);
	EXPECT_EQ(real16(PCI_COMMAND) & ~PCI_COMMAND_MASTER, real_cmd0);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_MASKALL, 0);

	/*
	 * The guest never wrote the table: no real entry got a message,
	 * each only its mask bit; the rest of the BAR is as it was.
	 */
	bad = 0;
	for (uint64_t off = 0; off < bar0_len; off++) {
		uint64_t t = off - fn.table_off;
		bool ctrl = off >= fn.table_off && t < 16ull * fn.nr_entries &&
			    t % 16 >= 12;

		if (ctrl && t % 16 == 12)
			EXPECT_EQ(fn.bar[0][off], PCI_MSIX_ENTRY_CTRL_MASK);
		else if (!ctrl && fn.bar[0][off] != bar0[off])
			bad++;
		else if (ctrl && fn.bar[0][off])
			bad++;
	}
	EXPECT_EQ(bad, 0);
	EXPECT(pt.cfg_refused > 1000);
	/* The writes did reach the paths that write the real function. */
	EXPECT(msi_addr_writes > 0);
	EXPECT(map_calls > 0);
	ktap_diag("%s: %llu config writes refused, %u BAR mappings",
		  v == EDU ? "edu" : "nvme",
		  (unsigned long long)pt.cfg_refused, map_calls);
	free(bar0);
	teardown();
}

static void test_hostile_cfg_edu(void)
{
	hostile(EDU);
}

static void test_hostile_cfg_nvme(void)
{
	hostile(NVME);
}

/* ---- 4: MSI ---- */

static void check_msi_live(uint16_t want_data)
{
	EXPECT(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE);
	EXPECT_EQ(real32(fn.msi + PCI_MSI_ADDRESS_LO),
		  (uint32_t)HW_ADDR(MSI_IRTE));
	EXPECT_EQ(real32(fn.msi + PCI_MSI_ADDRESS_HI), HW_ADDR(MSI_IRTE) >> 32);
	EXPECT_EQ(real16(msi_data_reg()), HW_DATA(MSI_IRTE));
	nr_sent = 0;
	fire(pt.msi.vector);
	EXPECT_EQ(nr_sent, 1);
	EXPECT_EQ(sent[0].addr, 0x00000002fee01000ull);
	EXPECT_EQ(sent[0].data, want_data);
}

static void check_msi_dropped(void)
{
	uint64_t dropped = pt.dropped;

	nr_sent = 0;
	fire(pt.msi.vector);
	EXPECT_EQ(nr_sent, 0);
	EXPECT_EQ(pt.dropped, dropped + 1);
}

static void msi(enum variant v)
{
	setup(v);
	/* Remapped at setup: the last remapping entry, the boot CPU. */
	EXPECT_NE(pt.msi.vector, 0);
	EXPECT_EQ(pt.msi.hw_addr, HW_ADDR(MSI_IRTE));
	EXPECT_EQ(pt.msi.hw_data, HW_DATA(MSI_IRTE));

	gw(fn.msi + PCI_MSI_ADDRESS_LO, 4, 0xfee01000);
	gw(fn.msi + PCI_MSI_ADDRESS_HI, 4, 2);
	gw(msi_data_reg(), 2, 0x4041);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_ADDRESS_LO, 4), 0xfee01000);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_ADDRESS_HI, 4), 2);
	EXPECT_EQ(gr(msi_data_reg(), 2), 0x4041);
	EXPECT_EQ(real32(fn.msi + PCI_MSI_ADDRESS_LO), 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	check_msi_dropped();		/* not enabled yet */

	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE,
		  PCI_MSI_FLAGS_ENABLE);
	check_msi_live(0x4041);
	EXPECT_EQ(pt.irqs, 1);
	/* A new message while enabled: the function keeps the remapped one. */
	gw(msi_data_reg(), 2, 0x4042);
	check_msi_live(0x4042);

	if (v == NVME) {
		gw(msi_data_reg() + 4, 4, 1);
		EXPECT_EQ(real32(msi_data_reg() + 4), 1);
		EXPECT_EQ(gr(msi_data_reg() + 4, 4), 1);
		check_msi_dropped();
		gw(msi_data_reg() + 4, 4, 0);
		EXPECT_EQ(real32(msi_data_reg() + 4), 0);
		check_msi_live(0x4042);
	}

	gw(fn.msi + PCI_MSI_FLAGS, 2, 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	check_msi_dropped();

	/* The domain ends: quarantined and stopped. */
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT(real16(PCI_COMMAND) & PCI_COMMAND_MASTER);
	check_msi_live(0x4042);
	spin_lock(&pt.lock);
	pt.quarantined = true;
	spin_unlock(&pt.lock);
	pt_pci_stop(&pt);
	EXPECT_EQ(real16(PCI_COMMAND) & PCI_COMMAND_MASTER, 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(nr_maps, 0);
	check_msi_dropped();
	/* Whatever the guest writes after that. */
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT_EQ(real16(PCI_COMMAND) & PCI_COMMAND_MASTER, 0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(nr_maps, 0);
	check_msi_dropped();
	teardown();
}

static void test_msi_edu(void)
{
	msi(EDU);
}

static void test_msi_nvme_maskable(void)
{
	msi(NVME);
}

/* ---- 5: MSI-X through the trapped pages ---- */

static void msix_enable(uint16_t extra)
{
	gw(fn.msix + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | extra);
}

static void program_entry(unsigned int i, uint32_t addr, uint32_t data)
{
	entry_write(i, 0, addr);
	entry_write(i, 4, 0);
	entry_write(i, 8, data);
	entry_write(i, 12, 0);
}

static void check_hw_entry(unsigned int i, bool live)
{
	EXPECT_EQ(hw_entry(i, 0), (uint32_t)HW_ADDR(i));
	EXPECT_EQ(hw_entry(i, 4), HW_ADDR(i) >> 32);
	EXPECT_EQ(hw_entry(i, 8), HW_DATA(i));
	EXPECT_EQ(hw_entry(i, 12), live ? 0 : PCI_MSIX_ENTRY_CTRL_MASK);
}

static void check_sent(uint8_t vector, uint64_t addr, uint32_t data)
{
	nr_sent = 0;
	fire(vector);
	EXPECT_EQ(nr_sent, 1);
	EXPECT_EQ(sent[0].addr, addr);
	EXPECT_EQ(sent[0].data, data);
}

static void check_not_sent(uint8_t vector)
{
	uint64_t dropped = pt.dropped;

	nr_sent = 0;
	fire(vector);
	EXPECT_EQ(nr_sent, 0);
	EXPECT_EQ(pt.dropped, dropped + 1);
}

static void test_msix(void)
{
	struct io_access past;
	uint32_t untouched;
	uint64_t v;

	setup(NVME);
	untouched = hw_entry(2, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	EXPECT_EQ(trap_base, PLATFORM_PCI_MMIO_BASE + 0x2000);
	program_entry(0, 0xfee00000, 0x4051);
	program_entry(1, 0xfee02000, 0x4052);
	EXPECT_EQ(entry_read(0, 0), 0xfee00000);
	EXPECT_EQ(entry_read(1, 8), 0x4052);
	EXPECT_EQ(entry_read(1, 12), 0);
	EXPECT_EQ(entry_read(2, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	/* Not enabled yet: nothing remapped, every real entry masked. */
	EXPECT_EQ(nr_irq_calls, 0);
	EXPECT_EQ(hw_entry(0, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE, 0);

	msix_enable(0);
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_FLAGS, 2),
		  PCI_MSIX_FLAGS_ENABLE | (fn.nr_entries - 1));
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS),
		  PCI_MSIX_FLAGS_ENABLE | (fn.nr_entries - 1));
	check_hw_entry(0, true);
	check_hw_entry(1, true);
	EXPECT_EQ(hw_entry(2, 0), untouched);
	EXPECT_EQ(hw_entry(2, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_EQ(nr_irq_calls, 2);
	for (unsigned int k = 0; k < nr_irq_calls && k < 2; k++) {
		EXPECT_EQ(irq_calls[k].rid, RID);
		EXPECT_EQ(irq_calls[k].index, k);
		EXPECT_EQ(irq_calls[k].vector, pt.msix.e[k].vector);
		EXPECT_EQ(irq_calls[k].apic_id, APIC_ID);
	}
	EXPECT_NE(pt.msix.e[0].vector, pt.msix.e[1].vector);
	check_sent(pt.msix.e[1].vector, 0xfee02000, 0x4052);
	check_sent(pt.msix.e[0].vector, 0xfee00000, 0x4051);

	/* Masking an entry masks the real one; the message stays. */
	entry_write(1, 12, 1);
	check_hw_entry(1, false);
	check_not_sent(pt.msix.e[1].vector);
	entry_write(1, 12, 0);
	check_hw_entry(1, true);
	EXPECT_EQ(nr_irq_calls, 2);	/* remapped once only */

	/* The function mask masks every real entry. */
	msix_enable(PCI_MSIX_FLAGS_MASKALL);
	EXPECT(gr(fn.msix + PCI_MSIX_FLAGS, 2) & PCI_MSIX_FLAGS_MASKALL);
	for (unsigned int i = 0; i < fn.nr_entries; i++)
		EXPECT_EQ(hw_entry(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	check_not_sent(pt.msix.e[1].vector);
	msix_enable(0);
	check_hw_entry(0, true);
	check_hw_entry(1, true);
	check_sent(pt.msix.e[1].vector, 0xfee02000, 0x4052);

	/* Byte and word accesses to the table are ignored. */
	EXPECT_EQ(trap_rw(entry_off(0, 0), 1, false, 0), ~0ull);
	EXPECT_EQ(trap_rw(entry_off(0, 2), 2, false, 0), ~0ull);
	trap_rw(entry_off(0, 8), 1, true, 0x99);
	trap_rw(entry_off(0, 8), 2, true, 0x9999);
	trap_rw(entry_off(0, 12), 1, true, 1);
	EXPECT_EQ(entry_read(0, 8), 0x4051);
	EXPECT_EQ(entry_read(0, 12), 0);
	check_hw_entry(0, true);
	/* So are misaligned dwords and qwords. */
	trap_rw(entry_off(0, 2), 4, true, 0x11111111);
	trap_rw(entry_off(0, 4), 8, true, ~0ull);
	EXPECT_EQ(entry_read(0, 0), 0xfee00000);
	EXPECT_EQ(entry_read(0, 4), 0);

	/* A qword write of the address, and of data and control. */
	trap_rw(entry_off(2, 0), 8, true, 0x12345678fee03000ull);
	EXPECT_EQ(entry_read(2, 0), 0xfee03000);
	EXPECT_EQ(entry_read(2, 4), 0x12345678);
	EXPECT_EQ(trap_rw(entry_off(2, 0), 8, false, 0), 0x12345678fee03000ull);
	trap_rw(entry_off(2, 8), 8, true, 0x4053);
	EXPECT_EQ(entry_read(2, 8), 0x4053);
	EXPECT_EQ(entry_read(2, 12), 0);
	check_hw_entry(2, true);
	check_sent(pt.msix.e[2].vector, 0x12345678fee03000ull, 0x4053);
	/* Reserved control bits read 0. */
	entry_write(3, 12, 0xfffffffe);
	EXPECT_EQ(entry_read(3, 12), 0);
	entry_write(3, 12, 1);

	/* Entry 63's remapping entry is MSI's: refused, warned once. */
	EXPECT_EQ(warn_lines, 0);
	nr_irq_calls = 0;
	program_entry(63, 0xfee04000, 0x4054);
	EXPECT_EQ(hw_entry(63, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_NE(hw_entry(63, 0), (uint32_t)HW_ADDR(63));
	EXPECT_EQ(nr_irq_calls, 0);
	EXPECT_EQ(warn_lines, 1);
	entry_write(63, 12, 1);
	entry_write(63, 12, 0);
	EXPECT_EQ(hw_entry(63, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	EXPECT_EQ(warn_lines, 1);
	EXPECT_EQ(pt.msix.e[63].refused, 2);
	/* ... while 62 still has one. */
	program_entry(62, 0xfee05000, 0x4055);
	check_hw_entry(62, true);
	check_sent(pt.msix.e[62].vector, 0xfee05000, 0x4055);

	/* The PBA and the rest of the trapped page are the function's. */
	v = trap_rw(fn.pba_off - pt.msix.trap_off, 4, false, 0);
	EXPECT_EQ(v, *(uint32_t *)(fn.bar[0] + fn.pba_off));
	EXPECT_EQ(trap_rw(fn.pba_off - pt.msix.trap_off + 1, 1, false, 0),
		  fn.bar[0][fn.pba_off + 1]);
	trap_rw(0x800, 4, true, 0xcafef00d);
	EXPECT_EQ(*(uint32_t *)(fn.bar[0] + pt.msix.trap_off + 0x800),
		  0xcafef00d);
	trap_rw(0xffe, 2, true, 0xbeef);
	EXPECT_EQ(*(uint16_t *)(fn.bar[0] + pt.msix.trap_off + 0xffe), 0xbeef);
	trap_rw(0x808, 8, true, 0x0123456789abcdefull);
	EXPECT_EQ(trap_rw(0x808, 8, false, 0), 0x0123456789abcdefull);
	/* An access past the trapped range is someone else's. */
	past = (struct io_access){ .addr = trap_base + trap_len - 2,
				   .size = 4 };
	EXPECT_NE(trap_dev->ops->mmio(trap_dev, &past), 0);

	/* Disabled: all real entries masked, the function's MSI-X off. */
	gw(fn.msix + PCI_MSIX_FLAGS, 2, 0);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE, 0);
	for (unsigned int i = 0; i < fn.nr_entries; i++)
		EXPECT_EQ(hw_entry(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	check_not_sent(pt.msix.e[0].vector);
	teardown();
}

/*
 * The edu-like table starts in the middle of its page: an access just
 * below it that runs into it must not reach the real table.
 */
static void test_msix_straddle(void)
{
	uint64_t below;
	uint8_t table0[16];

	setup(EDU);
	below = fn.table_off - pt.msix.trap_off;
	EXPECT_NE(below, 0);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	memcpy(table0, fn.bar[0] + fn.table_off, 16);
	trap_rw(below - 4, 8, true, 0xffffffffffffffffull);
	trap_rw(below - 2, 4, true, 0xffffffff);
	trap_rw(below - 1, 2, true, 0xffff);
	EXPECT_MEMEQ(fn.bar[0] + fn.table_off, table0, 16);
	/* A read there does not show the real table either. */
	EXPECT_NE(trap_rw(below - 4, 8, false, 0) >> 32,
		  *(uint32_t *)(fn.bar[0] + fn.table_off));
	/* Just below the table is still the function's. */
	trap_rw(below - 4, 4, true, 0x5a5a5a5a);
	EXPECT_EQ(*(uint32_t *)(fn.bar[0] + fn.table_off - 4), 0x5a5a5a5a);
	teardown();
}

/* A table BAR indicator past the six BARs: the assignment is refused. */
static void test_msix_bad_bir(void)
{
	EXPECT_NE(setup_variant(NVME_BAD_BIR), 0);
	EXPECT_EQ(trap_dev, NULL);
	teardown();
}

/* ---- 6: the guest's reset ---- */

static void test_reset(void)
{
	setup(NVME);
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	gw(PCI_BAR0, 4, 0xd0000000);
	gw(PCI_BAR0 + 8, 4, 0xd0100000);
	gw(PCI_INTERRUPT_LINE, 1, 5);
	gw(fn.msi + PCI_MSI_ADDRESS_LO, 4, 0xfee01000);
	gw(msi_data_reg(), 2, 0x4041);
	gw(fn.msi + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE);
	program_entry(0, 0xfee00000, 0x4051);
	msix_enable(0);
	check_hw_entry(0, true);
	EXPECT_EQ(nr_maps, 3);

	pt_pci_reset(&pt);
	EXPECT_EQ(gr(PCI_COMMAND, 2), 0);
	EXPECT_EQ(gr(PCI_BAR0, 4), PLATFORM_PCI_MMIO_BASE | PCI_BAR_MEM64);
	EXPECT_EQ(gr(PCI_BAR0 + 4, 4), 0);
	EXPECT_EQ(gr(PCI_BAR0 + 8, 4),
		  (PLATFORM_PCI_MMIO_BASE + 0x4000) | PCI_BAR_PREFETCH);
	EXPECT_EQ(gr(PCI_INTERRUPT_LINE, 1), 0);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_FLAGS, 2) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(gr(fn.msi + PCI_MSI_ADDRESS_LO, 4), 0);
	EXPECT_EQ(gr(msi_data_reg(), 2), 0);
	EXPECT_EQ(gr(fn.msix + PCI_MSIX_FLAGS, 2), fn.nr_entries - 1);
	EXPECT_EQ(nr_maps, 0);
	EXPECT_EQ(trap_len, 0);
	EXPECT_EQ(real16(PCI_COMMAND), real_cmd0);
	EXPECT_EQ(real16(fn.msi + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE, 0);
	EXPECT_EQ(real16(fn.msix + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE, 0);
	for (unsigned int i = 0; i < fn.nr_entries; i++)
		EXPECT_EQ(hw_entry(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	check_not_sent(pt.msi.vector);
	check_not_sent(pt.msix.e[0].vector);

	/* Decoding again: at home, the guest's table all masked and empty. */
	gw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	check_table_bar(PLATFORM_PCI_MMIO_BASE, 0x380000000ull, 0x4000, 0x2000,
			PAGE);
	for (unsigned int i = 0; i < fn.nr_entries; i++) {
		EXPECT_EQ(entry_read(i, 0), 0);
		EXPECT_EQ(entry_read(i, 8), 0);
		EXPECT_EQ(entry_read(i, 12), PCI_MSIX_ENTRY_CTRL_MASK);
	}
	/* A reset function forgot its table: entry 0 is remapped again. */
	nr_irq_calls = 0;
	program_entry(0, 0xfee00000, 0x4061);
	msix_enable(0);
	EXPECT_EQ(nr_irq_calls, 1);
	check_hw_entry(0, true);
	check_sent(pt.msix.e[0].vector, 0xfee00000, 0x4061);
	teardown();
}

static const struct ktap_case cases[] = {
	KTAP_CASE(test_header_edu),
	KTAP_CASE(test_header_nvme),
	KTAP_CASE(test_bar_map_nvme),
	KTAP_CASE(test_bar_map_edu),
	KTAP_CASE(test_hostile_cfg_edu),
	KTAP_CASE(test_hostile_cfg_nvme),
	KTAP_CASE(test_msi_edu),
	KTAP_CASE(test_msi_nvme_maskable),
	KTAP_CASE(test_msix),
	KTAP_CASE(test_msix_straddle),
	KTAP_CASE(test_msix_bad_bir),
	KTAP_CASE(test_reset),
};

int main(void)
{
	int ret = ktap_run(cases, ARRAY_SIZE(cases));

	for (unsigned int i = 0; i < PCI_NR_BARS; i++)
		free(fn.bar[i]);
	return ret;
}
