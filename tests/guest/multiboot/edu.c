// SPDX-License-Identifier: GPL-2.0
/*
 * A Multiboot test kernel for PCI passthrough (tests/suites/
 * 49-multiboot-passthrough), driving QEMU's "edu" device (1234:11e8).
 *
 * The subject (the default role) finds edu by scanning bus 0, reads and
 * sizes BAR0, turns on memory decoding and bus mastering itself, then
 * checks the registers (id, liveness, factorial), MSI (raised through
 * 0x60, acknowledged through 0x64: once, on its vector), DMA between
 * its RAM and edu's 4 KiB buffer (completion by MSI), and isolation:
 * DMA at the end of its RAM, 2 MiB past it and every 16 MiB up to 4 GiB
 * outside it must not reach anything (what is read back from there is
 * the buffer's own pattern or zeros, never what was written there),
 * and DMA writes of MSI data words to 0xfee00000 naming another
 * remapping entry must deliver nothing.  Each DMA outside its RAM gets
 * a "# dma-out ADDR read|write" line for the host to match with the
 * hypervisor's fault lines.  With "noiso" on the command line (straight
 * on QEMU without an IOMMU, where nothing would confine it) those cases
 * are skipped; with "nomsiiso" (an IOMMU that does not remap
 * interrupts) only the MSI-window ones, and with "nosweep" the sweep
 * to 4 GiB (25 s of DMA, for runs that test something else).
 *
 * The bystander ("bystander wait=SECONDS") fills its RAM above its image
 * with a value per address and checks all of it again and again until
 * the deadline: a stray DMA of the subject's must not land there.
 *
 * "crash" dies with a DMA in flight (see crash()).
 *
 * Paging is off: physical addresses are pointers.  KTAP on COM1, then
 * the number of failed cases through isa-debug-exit.
 */
#include "edu.h"

#define DEBUG_EXIT	0xf4
#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_BAR_SIZE	(1u << 20)
#define MIB		(1u << 20)

#define EDU_ID		0x00
#define EDU_LIVE	0x04
#define EDU_FACT	0x08
#define EDU_STATUS	0x20
#define EDU_IRQ_STATUS	0x24
#define EDU_IRQ_RAISE	0x60
#define EDU_IRQ_ACK	0x64
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98

#define ID_VALUE	0x010000edu	/* version 1.0, then 0xed */
#define STATUS_BUSY	0x01
#define DMA_RUN		0x1
#define DMA_TO_RAM	0x2		/* else from RAM into the buffer */
#define DMA_IRQ		0x4
#define IRQ_DMA		0x100		/* edu's irq status bit for DMA */
#define IRQ_TEST	0x10000		/* a bit edu never sets itself */
#define EDU_BUF		0x40000u
/*
 * 4 KiB less a word: QEMU 7.2's edu wants a DMA to end before the
 * buffer's last byte, and stops QEMU (hw_error) otherwise.
 */
#define EDU_BUF_SIZE	4092u

#define VECTOR		0x50
#define DMA_WAIT_MS	3000		/* a DMA takes 100 ms of QEMU's time */
#define IRQ_WAIT_MS	1000
#define QUIET_MS	200
#define SLICE		252u		/* bytes read back per address */
#define SLICES		16u
#define SWEEP_STEP	(16 * MIB)
#define MAX_OUT		(4096 / 16 + 2)
#define NR_SUBJECT	26
#define NR_BYSTANDER	3

#define CMD_MEMORY	(1u << 1)
#define CMD_MASTER	(1u << 2)

static uint32_t mmio, ram_end, out_pattern[2];
static uint8_t devfn;
static bool noiso, nomsiiso, nosweep;

/* Where "crash" leaves a DMA in flight: zero in whoever runs after it. */
static uint8_t crash_target[EDU_BUF_SIZE];
static uint32_t src[1024] __attribute__((aligned(4096)));
static uint32_t dst[1024] __attribute__((aligned(4096)));
static uint32_t wpat[1024] __attribute__((aligned(4096)));

/* ---- edu's registers ---- */

/* edu's DMA reads and writes src and dst behind the compiler. */
static void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

static uint32_t rd(uint32_t off)
{
	uint32_t v;

	barrier();
	v = *(volatile uint32_t *)(mmio + off);
	barrier();
	return v;
}

static void wr(uint32_t off, uint32_t v)
{
	barrier();
	*(volatile uint32_t *)(mmio + off) = v;
	barrier();
}

static void skip(const char *name, const char *why)
{
	ktap_tests++;
	puts("ok ");
	putu(ktap_tests);
	putc(' ');
	puts(name);
	puts(" # SKIP ");
	puts(why);
	putc('\n');
}

/* The number after key= on the command line, or def. */
static uint32_t arg(const char *cmd, const char *key, uint32_t def)
{
	char prev = ' ';

	for (; cmd && *cmd; prev = *cmd++) {
		const char *a = cmd, *k = key;
		uint32_t v = 0;

		while (*k && *a == *k)
			a++, k++;
		if (*k || prev != ' ' || *a < '0' || *a > '9')
			continue;
		while (*a >= '0' && *a <= '9')
			v = v * 10 + (uint32_t)(*a++ - '0');
		return v;
	}
	return def;
}

static bool wait_irq(uint32_t vec, uint32_t before, uint32_t ms)
{
	uint64_t end = deadline_ms(ms);

	while (irq_count[vec] == before)
		if (past(end))
			return false;
	return true;
}

/*
 * One DMA of len bytes; with DMA_IRQ in cmd its completion must also
 * come as exactly one MSI on VECTOR, and is acknowledged.  False if the
 * run bit stayed set past the deadline or the MSI did not come.
 */
static bool dma(uint32_t from, uint32_t to, uint32_t len, uint32_t cmd)
{
	uint32_t before = irq_count[VECTOR];
	uint64_t end = deadline_ms(DMA_WAIT_MS);

	wr(EDU_DMA_SRC, from);
	wr(EDU_DMA_DST, to);
	wr(EDU_DMA_CNT, len);
	wr(EDU_DMA_CMD, cmd | DMA_RUN);
	while (rd(EDU_DMA_CMD) & DMA_RUN)
		if (past(end)) {
			diag("DMA still running after ms ", DMA_WAIT_MS);
			return false;
		}
	if (!(cmd & DMA_IRQ))
		return true;
	if (!wait_irq(VECTOR, before, IRQ_WAIT_MS) ||
	    !(rd(EDU_IRQ_STATUS) & IRQ_DMA)) {
		diag("no DMA completion MSI, irq status ", rd(EDU_IRQ_STATUS));
		return false;
	}
	wr(EDU_IRQ_ACK, IRQ_DMA);
	return irq_count[VECTOR] == before + 1;
}

static bool to_buf(const void *p, uint32_t off, uint32_t len)
{
	return dma((uint32_t)p, EDU_BUF + off, len, 0);
}

static bool from_buf(uint32_t off, void *p, uint32_t len)
{
	return dma(EDU_BUF + off, (uint32_t)p, len, DMA_TO_RAM);
}

static bool zero(const uint8_t *p, uint32_t len)
{
	barrier();
	for (uint32_t i = 0; i < len; i++)
		if (p[i]) {
			diag("a non-zero byte at ", (uint32_t)(p + i));
			return false;
		}
	return true;
}

/* ---- finding and enabling edu ---- */

static bool find_edu(void)
{
	int at = pci_find(EDU_VENDOR, EDU_DEVICE);

	if (at < 0)
		return false;
	devfn = (uint8_t)at;
	puts("# edu at 00:");
	putc("0123456789abcdef"[devfn >> 7]);
	putc("0123456789abcdef"[(devfn >> 3) & 0xf]);
	putc('.');
	putc('0' + (devfn & 7));
	putc('\n');
	return true;
}

static bool bar0_ok(void)
{
	uint32_t bar = cfg_read32(devfn, 0x10), size = pci_bar0_size(devfn);

	mmio = bar & ~0xfu;
	puts("# bar0 ");
	puthex(bar);
	puts(", size ");
	puthex(size);
	putc('\n');
	/* Memory, 32-bit, placed: edu's BAR0 is all three. */
	return !(bar & 0x7) && mmio && size == EDU_BAR_SIZE &&
	       !(mmio & (size - 1));
}

static bool enable(void)
{
	uint16_t cmd = cfg_read16(devfn, 0x04);

	diag("command register as found ", cmd);
	cfg_write16(devfn, 0x04, cmd | CMD_MEMORY | CMD_MASTER);
	cmd = cfg_read16(devfn, 0x04);
	return (cmd & (CMD_MEMORY | CMD_MASTER)) == (CMD_MEMORY | CMD_MASTER);
}

/* ---- registers, factorial, MSI ---- */

static bool liveness(void)
{
	static const uint32_t v[] = { 0, 0x12345678u, 0xffffffffu, 0xa5a5a5a5u };

	for (unsigned int i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		wr(EDU_LIVE, v[i]);
		if (rd(EDU_LIVE) != ~v[i])
			return false;
	}
	return true;
}

static uint32_t factorial(uint32_t n)
{
	uint64_t end = deadline_ms(IRQ_WAIT_MS);

	wr(EDU_FACT, n);
	while (rd(EDU_STATUS) & STATUS_BUSY)
		if (past(end))
			return 0;
	return rd(EDU_FACT);
}

static bool factorials(void)
{
	wr(EDU_STATUS, 0);		/* no interrupt when it is done */
	return factorial(5) == 120 && factorial(12) == 479001600u &&
	       factorial(0) == 1;
}

static bool msi_setup(void)
{
	bool is64 = false;
	uint32_t addr = LAPIC_BASE | lapic_id() << 12;

	if (!msi_enable(devfn, addr, VECTOR, &is64))
		return false;
	diag("MSI capability, 64-bit: ", is64);
	return is64;
}

/* Raised once, it comes once, on VECTOR only, and stays until the ack. */
static void msi_raise(void)
{
	uint32_t before = irq_count[VECTOR], total = irq_total();
	bool came, once;

	wr(EDU_IRQ_RAISE, IRQ_TEST);
	came = wait_irq(VECTOR, before, IRQ_WAIT_MS);
	delay_ms(QUIET_MS);
	once = irq_count[VECTOR] == before + 1 && irq_total() == total + 1;
	diag("interrupts on the vector ", irq_count[VECTOR] - before);
	result(came && once, "msi_raise_arrives_once_on_its_vector");
	came = rd(EDU_IRQ_STATUS) == IRQ_TEST;
	wr(EDU_IRQ_ACK, IRQ_TEST);
	delay_ms(QUIET_MS);
	result(came && rd(EDU_IRQ_STATUS) == 0 &&
	       irq_count[VECTOR] == before + 1, "msi_ack_clears_irq_status");
}

/* ---- DMA between RAM and the buffer ---- */

static uint32_t pattern(unsigned int kind, uint32_t i)
{
	switch (kind) {
	case 0:
		return 0;
	case 1:
		return 0xffffffffu;
	case 2:
		return 0xa55a5aa5u;
	case 3:
		return i * 0x04040404u + 0x03020100u;	/* bytes 0, 1, 2, ... */
	default:
		return (i + 1) * 2654435761u ^ 0x9e3779b9u;
	}
}

static bool roundtrip(unsigned int kind, bool *by_msi)
{
	bool ok;

	for (uint32_t i = 0; i < EDU_BUF_SIZE / 4; i++) {
		src[i] = pattern(kind, i);
		dst[i] = ~src[i];
	}
	ok = dma((uint32_t)src, EDU_BUF, EDU_BUF_SIZE, DMA_IRQ) &&
	     dma(EDU_BUF, (uint32_t)dst, EDU_BUF_SIZE, DMA_TO_RAM | DMA_IRQ);
	*by_msi &= ok;
	for (uint32_t i = 0; ok && i < EDU_BUF_SIZE / 4; i++)
		if (dst[i] != src[i]) {
			diag("first differing word ", i);
			return false;
		}
	return ok;
}

static void dma_cases(void)
{
	static const char *const names[] = {
		"dma_roundtrip_zeros", "dma_roundtrip_ones",
		"dma_roundtrip_a55a", "dma_roundtrip_byte_ramp",
		"dma_roundtrip_hash",
	};
	bool by_msi = true;

	for (unsigned int k = 0; k < 5; k++)
		result(roundtrip(k, &by_msi), names[k]);
	result(by_msi, "dma_completion_by_one_msi_each");
}

/* ---- DMA outside its RAM ---- */

static void out_line(uint32_t addr, const char *dir)
{
	puts("# dma-out ");
	puthex(addr);
	putc(' ');
	puts(dir);
	putc('\n');
}

static bool kept(uint32_t word, uint32_t i)
{
	return word == 0 || word == pattern(2, i);
}

/*
 * The buffer, full of pattern 2, takes SLICES reads from outside RAM
 * at once, then comes back whole: each word is still pattern 2 or a
 * faulted read's zero, never the words written out there before.
 */
static bool read_back(const uint32_t *addrs, unsigned int n)
{
	for (uint32_t i = 0; i < EDU_BUF_SIZE / 4; i++)
		src[i] = pattern(2, i);
	if (!to_buf(src, 0, EDU_BUF_SIZE))
		return false;
	for (unsigned int s = 0; s < n; s++) {
		out_line(addrs[s], "read");
		if (!dma(addrs[s], EDU_BUF + s * SLICE, SLICE, 0))
			return false;
	}
	if (!from_buf(0, dst, EDU_BUF_SIZE))
		return false;
	for (uint32_t i = 0; i < EDU_BUF_SIZE / 4; i++)
		if (!kept(dst[i], i)) {
			diag("read back from outside RAM, word ", dst[i]);
			if (i * 4 / SLICE < n)
				diag("at address ",
				     addrs[i * 4 / SLICE] + i * 4 % SLICE);
			return false;
		}
	return true;
}

/* Writes wpat to each address, then reads each back, SLICES at a time. */
static bool dma_outside(const uint32_t *addrs, unsigned int n)
{
	if (!to_buf(wpat, 0, EDU_BUF_SIZE))
		return false;
	for (unsigned int i = 0; i < n; i++) {
		out_line(addrs[i], "write");
		if (!from_buf(0, (void *)addrs[i], EDU_BUF_SIZE))
			return false;
	}
	for (unsigned int i = 0; i < n; i += SLICES)
		if (!read_back(addrs + i, n - i < SLICES ? n - i : SLICES))
			return false;
	return true;
}

/* A page of its own RAM that begins with wpat got a stray write. */
static bool pattern_not_in_ram(void)
{
	for (uint32_t p = MIB; p < ram_end; p += 4096) {
		const volatile uint32_t *w = (const uint32_t *)p;

		/* The pattern's own copies, out_pattern among them. */
		if (p == (uint32_t)wpat || p == (uint32_t)dst ||
		    p == ((uint32_t)out_pattern & ~4095u))
			continue;
		if (w[0] == out_pattern[0] && w[1] == out_pattern[1]) {
			diag("written-out pattern found in RAM at ", p);
			return false;
		}
	}
	return true;
}

static void oob_cases(void)
{
	static uint32_t sweep[MAX_OUT];
	uint32_t at[2] = { ram_end, ram_end + 2 * MIB };
	unsigned int n = 0;

	for (uint32_t i = 0; i < EDU_BUF_SIZE / 4; i++)
		wpat[i] = 0xed00e000u ^ i << 16 ^ i;	/* "edu out" */
	out_pattern[0] = wpat[0];
	out_pattern[1] = wpat[1];
	for (uint64_t a = 0; a < 1ull << 32; a += SWEEP_STEP)
		if (a >= ram_end)
			sweep[n++] = (uint32_t)a;
	diag("sweep addresses outside RAM ", n);
	result(dma_outside(&at[0], 1), "dma_out_at_ram_end");
	result(dma_outside(&at[1], 1), "dma_out_2m_past_ram_end");
	if (nosweep)
		skip("dma_out_every_16m_to_4g", "nosweep");
	else
		result(dma_outside(sweep, n), "dma_out_every_16m_to_4g");
	result(pattern_not_in_ram(), "written_out_pattern_not_in_own_ram");
}

/* ---- MSI by DMA to the interrupt window ---- */

static void msi_line(uint32_t data)
{
	puts("# dma-msi 0xfee00000 data ");
	puthex(data);
	putc('\n');
}

/* The counts of all vectors but own, and own's: what the write moved. */
static bool dma_msi(uint32_t data, uint32_t own_max)
{
	uint32_t own = irq_count[VECTOR], total = irq_total();
	uint32_t others;

	src[0] = data;
	msi_line(data);
	if (!to_buf(src, 0, 4) || !from_buf(0, (void *)LAPIC_BASE, 4))
		return false;
	delay_ms(QUIET_MS);
	own = irq_count[VECTOR] - own;
	others = irq_total() - total - own;
	if (own || others) {
		diag("interrupts on the own vector ", own);
		diag("interrupts on other vectors ", others);
	}
	if (own)
		wr(EDU_IRQ_ACK, ~0u);
	return !others && own <= own_max;
}

static void msi_dma_cases(void)
{
	/*
	 * 0x60 first: delivered unremapped it is a vector counted here, 5
	 * would be an exception and end the kernel.
	 */
	result(dma_msi(0x0060, 0), "dma_msi_entry_0x60_delivers_nothing");
	result(dma_msi(0x0005, 0), "dma_msi_entry_5_delivers_nothing");
	result(dma_msi(0x0000, 1), "dma_msi_own_entry_only_own_vector");
}

/* Skipped with noiso, in the order oob_cases() and msi_dma_cases() run. */
static const char *const isolation_cases[] = {
	"dma_out_at_ram_end", "dma_out_2m_past_ram_end",
	"dma_out_every_16m_to_4g", "written_out_pattern_not_in_own_ram",
	"dma_msi_entry_0x60_delivers_nothing",
	"dma_msi_entry_5_delivers_nothing",
	"dma_msi_own_entry_only_own_vector",
};

static void subject(void)
{
	bool by_msi = true;

	puts("KTAP version 1\n1..");
	putu(NR_SUBJECT);
	putc('\n');
	if (!find_edu()) {
		result(false, "find_edu_on_bus_0");
		return;
	}
	result(true, "find_edu_on_bus_0");
	result(bar0_ok(), "bar0_1m_memory_placed");
	result(enable(), "memory_and_bus_master_enabled");
	result(rd(EDU_ID) == ID_VALUE, "id_register");
	result(liveness(), "liveness_register_inverts");
	result(factorials(), "factorial");
	result(msi_setup(), "msi_capability_64bit_programmed");
	msi_raise();
	dma_cases();
	if (noiso) {
		for (int i = 0; i < 7; i++)
			skip(isolation_cases[i], "noiso: nothing confines DMA");
	} else {
		oob_cases();
		if (!nomsiiso)
			msi_dma_cases();
		for (int i = 4; nomsiiso && i < 7; i++)
			skip(isolation_cases[i], "nomsiiso: nothing remaps MSI");
	}
	skip("msix_table_direct_write", "edu has MSI only");
	result(roundtrip(4, &by_msi) && by_msi, "dma_works_after");
	diag("interrupts taken on the vector ", irq_count[VECTOR]);
	result(irq_total() == irq_count[VECTOR], "no_interrupt_on_other_vectors");
	result(zero(crash_target, sizeof(crash_target)),
	       "no_dma_left_by_an_earlier_owner");
}

/* ---- the bystander ---- */

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

extern char _end[];

static uint32_t canary(uint32_t a)
{
	return a * 2246822519u ^ 0x5eedc0deu;
}

/* RAM from the page after the image to ram_end, as the map says. */
static uint32_t canary_span(const uint32_t *mbi, uint32_t *from)
{
	uint32_t lo = ((uint32_t)_end + 4095) & ~4095u;
	const uint8_t *p = (const uint8_t *)mbi[12];
	const uint8_t *end = p + mbi[11];

	*from = lo;
	if (!(mbi[0] & 0x40))
		return ram_end > lo ? ram_end - lo : 0;
	for (; p < end; p += ((const struct mb_mmap *)p)->size + 4) {
		const struct mb_mmap *e = (const struct mb_mmap *)p;

		if (e->type == 1 && e->addr <= lo && e->addr + e->len > lo)
			return (uint32_t)(e->addr + e->len - lo);
	}
	return 0;
}

static uint32_t check_canaries(uint32_t from, uint32_t len, uint32_t *bad)
{
	uint32_t wrong = 0;

	for (uint32_t a = from; a < from + len; a += 4)
		if (*(volatile uint32_t *)a != canary(a)) {
			if (!wrong++)
				*bad = a;
		}
	return wrong;
}

static void bystander(const uint32_t *mbi, const char *cmd)
{
	uint32_t secs = arg(cmd, "wait=", 20), from, len, passes = 0;
	uint32_t wrong = 0, bad = 0;
	uint64_t end;

	puts("KTAP version 1\n1..");
	putu(NR_BYSTANDER);
	putc('\n');
	len = canary_span(mbi, &from);
	for (uint32_t a = from; a < from + len; a += 4)
		*(volatile uint32_t *)a = canary(a);
	puts("# canaries from ");
	puthex(from);
	puts(" to ");
	puthex(from + len);
	putc('\n');
	result(len >= MIB, "ram_above_image_filled");
	end = deadline_ms(secs * 1000);
	do {
		wrong += check_canaries(from, len, &bad);
		passes++;
	} while (!past(end) && !wrong);
	diag("passes over all of it ", passes);
	if (wrong) {
		diag("words changed ", wrong);
		diag("the first at ", bad);
	}
	result(!wrong, "canaries_intact");
	result(passes >= 2 && tsc_per_ms, "watched_until_the_deadline");
}

/*
 * "crash": a DMA from edu's buffer into this domain's own RAM is started,
 * then the domain dies (a triple fault) before edu runs it, 100 ms of
 * QEMU's time later.  By then the hypervisor must have quarantined edu
 * (bus mastering off): the bystander's canaries stay whole, and a domain
 * that takes edu over after this one (after=) finds crash_target, at the
 * same address in its own RAM, still zero.  Prints KTAP only if it
 * cannot get that far.
 */
static void crash(void)
{
	static const struct {
		uint16_t limit;
		uint32_t base;
	} __attribute__((packed)) no_idt;

	for (uint32_t i = 0; i < EDU_BUF_SIZE / 4; i++)
		src[i] = 0xc0a5f000u | i;	/* what must land nowhere */
	if (!find_edu() || !bar0_ok() || !enable() ||
	    !to_buf(src, 0, EDU_BUF_SIZE)) {
		puts("KTAP version 1\n1..1\n");
		result(false, "find_and_enable_edu");
		return;
	}
	wr(EDU_DMA_SRC, EDU_BUF);
	wr(EDU_DMA_DST, (uint32_t)crash_target);
	wr(EDU_DMA_CNT, EDU_BUF_SIZE);
	wr(EDU_DMA_CMD, DMA_TO_RAM | DMA_RUN);
	puts("# dma in flight, crashing\n");
	asm volatile("lidt %0\n\tint3" : : "m"(no_idt));
}

/* mbi: the Multiboot information; mem_upper its third word. */
void mbtest_main(uint32_t magic, const uint32_t *mbi, uint32_t cr0)
{
	const char *cmd = (mbi[0] & 4) ? (const char *)mbi[4] : "";

	(void)magic;
	(void)cr0;
	ram_end = MIB + mbi[2] * 1024u;
	ram_end = arg(cmd, "mem=", 0) ? arg(cmd, "mem=", 0) * MIB : ram_end;
	noiso = has_word(cmd, " noiso");
	nomsiiso = has_word(cmd, " nomsiiso");
	nosweep = has_word(cmd, " nosweep");
	irq_setup();
	tsc_calibrate();
	puts("# command line: ");
	puts(cmd);
	puts("\n# RAM end ");
	puthex(ram_end);
	puts(", TSC kHz ");
	putu(tsc_per_ms);
	putc('\n');
	if (has_word(cmd, " bystander"))
		bystander(mbi, cmd);
	else if (has_word(cmd, " crash"))
		crash();
	else
		subject();
	puts("# edu: ");
	putu(ktap_failed);
	puts(" failed\n");
	outb(DEBUG_EXIT, (uint8_t)ktap_failed);
	puts("# still running after the debug-exit write\n");
}
