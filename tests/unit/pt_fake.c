// SPDX-License-Identifier: GPL-2.0
/*
 * The world around a passed-through function for test_pt_pci.c and
 * test_pt_msi.c: a fake machine function (edu-like or nvme-like) whose
 * config space and BARs are plain arrays and whose config writes are
 * logged, the domain's MMIO mappings, the IOMMU's interrupt remapping,
 * MSI vectors and the emulated bus, the function assigned as assign.c
 * does it, and the guest's config and trapped-page accesses.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pt_fake.h"

void (*fake_lock_hook)(spinlock_t *l, bool taking);

/* ---- the machine function ---- */

struct fake_fn fn;

struct cfg_write wlog[WLOG_MAX];
unsigned int nr_wlog;

static void put8(unsigned int reg, uint8_t v) { fn.cfg[reg] = v; }
static void put16(unsigned int reg, uint16_t v) { memcpy(fn.cfg + reg, &v, 2); }
static void put32(unsigned int reg, uint32_t v) { memcpy(fn.cfg + reg, &v, 4); }

uint32_t real32(unsigned int reg)
{
	uint32_t v;

	memcpy(&v, fn.cfg + reg, 4);
	return v;
}

uint16_t real16(unsigned int reg)
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

struct mapping maps[MAPS_MAX];
unsigned int nr_maps, map_calls;
bool maps_may_overlap;

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
uint64_t mapped_at(uint64_t gpa)
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

struct irq_map_call irq_calls[IRQ_CALLS_MAX];
unsigned int nr_irq_calls;

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
void fire(uint8_t v)
{
	EXPECT(handlers[v].fn);
	if (handlers[v].fn)
		handlers[v].fn(handlers[v].arg);
}

struct emul_device *trap_dev;
uint64_t trap_base, trap_len;

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

struct sent sent[64];
unsigned int nr_sent;

static void fake_send_msi(struct domain *d, uint64_t addr, uint32_t data)
{
	EXPECT(d == &dom);
	if (nr_sent < ARRAY_SIZE(sent))
		sent[nr_sent++] = (struct sent){ addr, data };
}

unsigned int warn_lines;

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

struct pt_dev pt;
uint16_t real_cmd0;	/* Command as assign.c leaves it */

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

void teardown(void)
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

int setup_variant(enum variant v)
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

void setup(enum variant v)
{
	EXPECT_EQ(setup_variant(v), 0);
	EXPECT(pt.msi.cap && pt.msix.cap && pt.pm_cap && pt.exp_cap);
}

/* ---- the guest's accesses ---- */

uint32_t gr(unsigned int reg, unsigned int size)
{
	return pt_pci_cfg_ops.cfg_read(&pt, reg, size);
}

void gw(unsigned int reg, unsigned int size, uint32_t v)
{
	pt_pci_cfg_ops.cfg_write(&pt, reg, size, v);
}

/* An access at offset off of the trapped pages, as the bus sends it. */
uint64_t trap_rw(uint64_t off, unsigned int size, bool write,
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
uint64_t entry_off(unsigned int i, unsigned int reg)
{
	return fn.table_off - pt.msix.trap_off + 16ull * i + reg;
}

void entry_write(unsigned int i, unsigned int reg, uint32_t v)
{
	trap_rw(entry_off(i, reg), 4, true, v);
}

uint32_t entry_read(unsigned int i, unsigned int reg)
{
	return (uint32_t)trap_rw(entry_off(i, reg), 4, false, 0);
}

/* The real table's entry i, register reg. */
uint32_t hw_entry(unsigned int i, unsigned int reg)
{
	uint32_t v;

	memcpy(&v, fn.bar[0] + fn.table_off + 16 * i + reg, 4);
	return v;
}

unsigned int msi_data_reg(void)
{
	return fn.msi + (pt.msi.is64 ? 0x0c : 0x08);
}

/* ---- checks shared by the cases ---- */

/* A BAR mapped page by page at gpa, but for the trapped hole. */
void check_table_bar(uint64_t gpa, uint64_t hpa, uint64_t size,
		     uint64_t hole, uint64_t hole_len)
{
	for (uint64_t off = 0; off < size; off += PAGE) {
		bool in_hole = off >= hole && off < hole + hole_len;

		EXPECT_EQ(mapped_at(gpa + off), in_hole ? NO_MAP : hpa + off);
	}
	EXPECT_EQ(trap_base, gpa + hole);
	EXPECT_EQ(trap_len, hole_len);
}
