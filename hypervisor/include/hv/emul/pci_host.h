/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated PCI host bridge: configuration space of bus 0 through
 * mechanism #1 (CONFIG_ADDRESS at 0xCF8, CONFIG_DATA at 0xCFC-0xCFF) and
 * through the ECAM window (hv/platform.h), with the bridge itself at
 * 00:00.0 and room for 255 more functions that device models register.
 *
 * A function is a pair of config-space callbacks; struct pci_header is a
 * ready-made type-0 header (IDs, command/status, BARs that size the way
 * the PCI spec says, interrupt line) that a model can use as is or wrap.
 * Absent functions, other buses and malformed accesses read all-ones and
 * ignore writes.  Only bus 0 exists: there are no PCI-PCI bridges.
 *
 * Set up and register with the device bus as
 *	pci_host_init(&host, env);
 *	emul_bus_attach(d, &host.dev);
 *	emul_bus_map(d, &host.dev, false, PLATFORM_PCI_CONF_ADDR_PORT,
 *		     PLATFORM_PCI_CONF_PORTS);
 *	emul_bus_map(d, &host.dev, true, PLATFORM_ECAM_BASE,
 *		     PLATFORM_ECAM_SIZE);
 */
#ifndef HV_EMUL_PCI_HOST_H
#define HV_EMUL_PCI_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <hv/emul.h>

#include <hv/pci_regs.h>

/*
 * Config-space access to one function.  reg < PCI_CFG_EXP_SIZE, size is
 * 1, 2 or 4 and [reg, reg + size) never crosses a dword boundary (the
 * host checks both).  Reads return the bytes in the low bits.
 */
struct pci_function_ops {
	uint32_t (*cfg_read)(void *opaque, unsigned int reg, unsigned int size);
	void (*cfg_write)(void *opaque, unsigned int reg, unsigned int size,
			  uint32_t val);
};

/*
 * A type-0 header as plain bytes with a mask of guest-writable bits and
 * a mask of write-1-to-clear bits per byte.  A model may set read-only
 * fields (interrupt pin, capabilities) in cfg[] directly after init.
 * Bytes 0x100 and up read 0 and ignore writes.
 */
struct pci_header {
	uint8_t cfg[PCI_CFG_SIZE];
	uint8_t wmask[PCI_CFG_SIZE];
	uint8_t w1cmask[PCI_CFG_SIZE];
};

extern const struct pci_function_ops pci_header_ops;	/* opaque: header */

/* class_code: base class, subclass, prog-if (e.g. 0x060000). */
void pci_header_init(struct pci_header *h, uint16_t vendor, uint16_t device,
		     uint32_t class_code, uint8_t revision);
/*
 * Declares BAR n of size bytes (a power of two; at least 4 for I/O, 16
 * for memory; I/O BARs decode 16 bits).  A 64-bit BAR takes n and n + 1.
 * 0, or -PVKIT_EINVAL for a bad combination.
 */
int pci_header_set_bar(struct pci_header *h, unsigned int n, uint64_t size,
		       unsigned int kind);
/* The address the guest programmed into BAR n (flags stripped). */
uint64_t pci_header_bar_addr(const struct pci_header *h, unsigned int n);
/*
 * A memory BAR's range on the bus, where the function decodes it: at
 * *addr, live when *live.  Moves dev's size-byte MMIO range to where
 * BAR n and the Command register now put it, after a config write.
 */
void pci_header_follow_mem_bar(struct pci_header *h, unsigned int n,
			       struct emul_device *dev, uint64_t size,
			       uint64_t *addr, bool *live);
uint32_t pci_header_read(struct pci_header *h, unsigned int reg,
			 unsigned int size);
void pci_header_write(struct pci_header *h, unsigned int reg,
		      unsigned int size, uint32_t val);

struct pci_host_slot {
	const struct pci_function_ops *ops;	/* NULL: absent */
	void *opaque;
};

struct pci_host {
	struct emul_device dev;		/* dev.priv points back here */
	uint32_t conf_addr;		/* CONFIG_ADDRESS as last written */
	struct pci_host_slot fn[PCI_NR_DEVFN];
	struct pci_header bridge;	/* 00:00.0 */
};

extern const struct emul_device_ops pci_host_ops;	/* priv: host */

/* Empties bus 0 and puts the host bridge at 00:00.0. */
void pci_host_init(struct pci_host *h, const struct emul_env *env);
/*
 * Puts a function at devfn of bus 0.  The guest finds functions 1-7 of
 * a device only if function 0 has PCI_HEADER_TYPE_MULTI set.
 * 0, -PVKIT_EINVAL (devfn or ops), -PVKIT_EEXIST (devfn taken).
 */
int pci_host_add_function(struct pci_host *h, unsigned int devfn,
			  const struct pci_function_ops *ops, void *opaque);
/*
 * Takes the function at devfn off bus 0 (a hot unplug): it then reads
 * all-ones as an absent one.  The host bridge stays.  0, -PVKIT_EINVAL
 * (devfn, or the bridge), -PVKIT_ENOENT (nothing there).
 */
int pci_host_remove_function(struct pci_host *h, unsigned int devfn);

#endif /* HV_EMUL_PCI_HOST_H */
