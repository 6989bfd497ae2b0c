// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD-Vi event log: faults and errors the IOMMU reports, read on
 * its interrupt (the MSI of the IOMMU's own PCI function) from deferred
 * work on the boot CPU, and by poll_faults().  One line per event,
 * rate-limited; every event counted.
 *
 * An entry is taken as written once its event code (never 0) reads
 * non-zero, and zeroed when read: that works with the tail register and
 * without it, which QEMU 7.2 needs (see evt_rewind_check()).
 *
 * QEMU 7.2 also never logs anything at all: its amdvi_log_event() tests
 * the overflow bit as (status | mask), always true, and returns.  The
 * one trace a blocked DMA leaves there is Signaled Target Abort in the
 * IOMMU function's PCI status, so that bit is polled too and reported
 * (one line, one fault counted) when no event explains it.
 */
#include <lib/compiler.h>
#include <lib/string.h>
#include <asm/msi.h>
#include <asm/processor.h>
#include <hv/domain.h>
#include <hv/pci.h>
#include <hv/percpu.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <hv/work.h>
#include "amd_vi.h"

#define EVT_BUDGET		32
#define EVT_LINES_PER_S		10
#define EVT_POLL_NS		250000000ull
#define NS_PER_S		1000000000ull
#define STS_EVT_RUN		(1u << 3)
#define EVT_STOP_SPINS		100000

#define EV_IO_PAGE_FAULT	0x2
#define EV_PAGE_TAB_HW_ERROR	0x4
#define EV_ILLEGAL_COMMAND	0x5
#define EV_COMMAND_HW_ERROR	0x6
#define EV_FLAG_RW		(1u << 5)	/* of the flags, bits 27:16 */

#define VI_CAP_MSI		0x05	/* the IOMMU function's MSI */
#define VI_MSI_CTL		0x02
#define VI_MSI_ENABLE		(1u << 0)
#define VI_MSI_QSIZE		(7u << 4)
#define VI_MSI_64BIT		(1u << 7)
#define VI_MSI_ADDR_LO		0x04
#define VI_MSI_ADDR_HI		0x08
#define VI_MSI_DATA_32		0x08
#define VI_MSI_DATA_64		0x0c
#define VI_PCI_STATUS_STA	(1u << 11)	/* Signaled Target Abort */

static const char *const ev_names[] = {
	[0x1] = "illegal-dev-table-entry",
	[0x2] = "io-page-fault",
	[0x3] = "dev-table-hw-error",
	[0x4] = "page-table-hw-error",
	[0x5] = "illegal-command",
	[0x6] = "command-hw-error",
	[0x7] = "iotlb-inv-timeout",
	[0x8] = "invalid-device-request",
};

static struct work evt_work;
static struct pci_dev *iommu_fn;
static uint64_t window_start;
static unsigned int window_lines, suppressed;
static bool evt_since_poll;

/* Ends the rate limit's window once a second has passed. */
static void window_roll(void)
{
	uint64_t now = now_ns();

	if (now - window_start < NS_PER_S)
		return;
	if (suppressed)
		pr_warn("iommu: %u more fault lines suppressed", suppressed);
	window_start = now;
	window_lines = 0;
	suppressed = 0;
}

static bool line_allowed(void)
{
	window_roll();
	if (window_lines < EVT_LINES_PER_S) {
		window_lines++;
		return true;
	}
	suppressed++;
	return false;
}

/*
 * The DomainID an IO_PAGE_FAULT or PAGE_TAB_HARDWARE_ERROR carries;
 * QEMU 7.2 leaves it 0, so then the device's entry says.
 */
static uint16_t evt_domid(const uint32_t *e, unsigned int code,
			  uint16_t devid)
{
	uint16_t domid = (uint16_t)(e[1] & 0xffff);
	volatile uint64_t *dte;

	if (code != EV_IO_PAGE_FAULT && code != EV_PAGE_TAB_HW_ERROR)
		return 0;
	if (domid || devid >= amd_vi.devtab_entries)
		return domid;
	dte = amd_vi.devtab + 4u * devid;
	if ((dte[0] & (DTE_V | DTE_TV)) != (DTE_V | DTE_TV))
		return 0;
	return (uint16_t)(dte[1] & DTE_DOMID_MASK);
}

/*
 * Device id as the spec has it, bus << 8 | devfn.  QEMU 7.2 puts only
 * the devfn there (bus 0 for all), which is right for bus 0 alone.
 * Its page-fault flags are not the spec's either: the access (1 read,
 * 2 write) sits in the GN and NX bits and RW stays 0, hence the raw
 * flags on the line.
 */
static void evt_report(const uint32_t *e)
{
	unsigned int code = e[1] >> 28, flags = (e[1] >> 16) & 0xfff;
	uint16_t devid = (uint16_t)e[0], domid;
	uint64_t addr = (uint64_t)e[3] << 32 | e[2];
	const char *kind = code < ARRAY_SIZE(ev_names) ? ev_names[code] : NULL;
	const struct domain *d;

	amd_vi.faults++;
	evt_since_poll = true;
	if (!line_allowed())
		return;
	if (!kind) {
		pr_warn("iommu: fault: event code %#x: %08x %08x %08x %08x",
			code, e[0], e[1], e[2], e[3]);
		return;
	}
	if (code == EV_ILLEGAL_COMMAND || code == EV_COMMAND_HW_ERROR) {
		pr_warn("iommu: fault: command at %#llx %s",
			(unsigned long long)addr, kind);
		return;
	}
	domid = evt_domid(e, code, devid);
	d = domid ? domain_by_id((uint16_t)(domid - 1)) : NULL;
	pr_warn("iommu: fault: %02x:%02x.%u domain %d (%s) address %#llx %s%s flags %#x",
		devid >> 8, (devid >> 3) & 31, devid & 7,
		domid ? domid - 1 : -1,
		d ? d->name : domid ? "gone" : "none",
		(unsigned long long)addr, kind,
		code != EV_IO_PAGE_FAULT ? "" :
		flags & EV_FLAG_RW ? " write" : " read", flags);
}

/* Event log off, emptied, back on from offset 0. */
static void evt_restart(void)
{
	uint32_t ctl = amd_vi_read32(MMIO_CONTROL);

	amd_vi_write32(MMIO_CONTROL, ctl & ~CTL_EVT_LOG_EN);
	for (unsigned int n = 0; n < EVT_STOP_SPINS &&
	     (amd_vi_read32(MMIO_STATUS) & STS_EVT_RUN); n++)
		cpu_relax();
	memset((void *)amd_vi.evt, 0, RING_BYTES);
	amd_vi.evt_head = 0;
	amd_vi_write32(MMIO_EVT_HEAD, 0);
	amd_vi_write32(MMIO_EVT_TAIL, 0);
	amd_vi_write32(MMIO_STATUS, STS_EVT_OVERFLOW);
	amd_vi_write32(MMIO_CONTROL, ctl | CTL_EVT_LOG_EN);
}

/*
 * QEMU 7.2 never updates the tail register (it keeps what software
 * wrote, 0), and its own tail never wraps: it overflows once it reaches
 * 1 << EventLen bytes, an entry count taken as a byte offset, so after
 * 16 entries here.  Real hardware has the tail past the entries read.
 * So when the first entries read, from offset 0, leave the tail
 * register at 0, the log is rewound after every read that emptied it.
 */
static void evt_rewind_check(uint32_t from)
{
	if (!amd_vi.evt_seen) {
		amd_vi.evt_seen = true;
		amd_vi.evt_tail_stale = !from && !amd_vi_read32(MMIO_EVT_TAIL);
		if (amd_vi.evt_tail_stale)
			pr_info("iommu: event log tail register not updated, the log is rewound after each read");
	}
	if (amd_vi.evt_tail_stale)
		evt_restart();
}

/* Reports up to budget events; whether more may be waiting. */
static bool evt_drain(unsigned int budget)
{
	uint32_t from, sts;
	unsigned int n = 0;

	spin_lock(&amd_vi.evt_lock);
	from = amd_vi.evt_head;
	sts = amd_vi_read32(MMIO_STATUS);
	/* Cleared before reading, so an event from now on interrupts. */
	amd_vi_write32(MMIO_STATUS, STS_EVT_INT);
	for (; n < budget; n++) {
		volatile uint32_t *slot = amd_vi.evt + amd_vi.evt_head / 4;
		uint32_t e[4];

		if (!(slot[1] >> 28))
			break;
		for (unsigned int i = 0; i < 4; i++) {
			e[i] = slot[i];
			slot[i] = 0;
		}
		amd_vi.evt_head = (amd_vi.evt_head + 16) % RING_BYTES;
		evt_report(e);
	}
	if (n)
		amd_vi_write32(MMIO_EVT_HEAD, amd_vi.evt_head);
	if (sts & STS_EVT_OVERFLOW) {
		pr_warn("iommu: event log overflowed, events were lost");
		evt_restart();
	} else if (n && n < budget) {
		evt_rewind_check(from);
	}
	spin_unlock(&amd_vi.evt_lock);
	return n == budget;
}

static void sta_check(void)
{
	bool sta = iommu_fn &&
		   (pci_read16(iommu_fn, PCI_STATUS) & VI_PCI_STATUS_STA);

	if (!sta)
		return;
	pci_write16(iommu_fn, PCI_STATUS, VI_PCI_STATUS_STA);
	if (evt_since_poll)
		return;
	amd_vi.faults++;
	if (line_allowed())
		pr_warn("iommu: fault: a DMA was blocked, the IOMMU logged no event");
}

/* What a poll does once the log is empty. */
static void poll_end(void)
{
	spin_lock(&amd_vi.evt_lock);
	sta_check();
	evt_since_poll = false;
	window_roll();
	spin_unlock(&amd_vi.evt_lock);
}

static bool evt_work_fn(struct work *w)
{
	bool more = evt_drain(EVT_BUDGET);

	if (!more) {
		poll_end();
		work_queue_at(w, now_ns() + EVT_POLL_NS);
	}
	return more;
}

static void evt_irq(void *arg)
{
	(void)arg;
	work_queue(&evt_work);
}

void amd_vi_poll_faults(void)
{
	for (unsigned int n = 0; n < RING_BYTES / 16 / EVT_BUDGET + 1; n++) {
		if (!evt_drain(EVT_BUDGET))
			break;
	}
	poll_end();
}

uint64_t amd_vi_faults(void)
{
	return amd_vi.faults;
}

static int msi_setup(struct pci_dev *fn)
{
	unsigned int cap = pci_find_cap(fn, VI_CAP_MSI, 0);
	uint16_t flags;
	uint64_t addr;
	uint32_t data;
	uint8_t vec;

	if (!cap)
		return -1;
	vec = msi_vector_alloc(evt_irq, NULL);
	if (!vec)
		return -1;
	msi_message(vec, pcpus[0]->apic_id, &addr, &data);
	flags = pci_read16(fn, cap + VI_MSI_CTL);
	pci_write32(fn, cap + VI_MSI_ADDR_LO, (uint32_t)addr);
	if (flags & VI_MSI_64BIT) {
		pci_write32(fn, cap + VI_MSI_ADDR_HI, (uint32_t)(addr >> 32));
		pci_write16(fn, cap + VI_MSI_DATA_64, (uint16_t)data);
	} else {
		pci_write16(fn, cap + VI_MSI_DATA_32, (uint16_t)data);
	}
	/* One message, enabled. */
	pci_write16(fn, cap + VI_MSI_CTL,
		    (flags & ~VI_MSI_QSIZE) | VI_MSI_ENABLE);
	return 0;
}

void amd_vi_evt_init(void)
{
	struct pci_dev *fn = pci_find_rid(amd_vi.ivrs.iommu_rid);

	work_init(&evt_work, pcpus[0], evt_work_fn);
	if (fn && pci_claim(fn)) {
		iommu_fn = fn;
		pci_enable(fn);
		/* Whatever came before is not a fault of ours. */
		pci_write16(fn, PCI_STATUS, VI_PCI_STATUS_STA);
	}
	if (!iommu_fn || msi_setup(iommu_fn))
		pr_warn("iommu: no interrupt for the event log, it is polled");
	/* The poll also catches what QEMU 7.2 leaves unlogged. */
	work_queue_at(&evt_work, now_ns() + EVT_POLL_NS);
}
