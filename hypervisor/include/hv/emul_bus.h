/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain's emulated devices: which device claims which ports and
 * guest-physical ranges, and the env through which devices reach their
 * domain.  Each device is serialised by its own lock.
 */
#ifndef HV_EMUL_BUS_H
#define HV_EMUL_BUS_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/spinlock.h>
#include <hv/emul.h>

#define EMUL_MAX_DEVICES	24
#define EMUL_MAX_RANGES		48

struct domain;

struct emul_slot {
	struct emul_device *dev;
	spinlock_t lock;
	int exit_src;		/* exit_profile.h */
	bool gone;		/* unplugged: its ranges claim nothing */
};

struct emul_range {
	/*
	 * Odd while emul_bus_move() rewrites base and len, so that a
	 * lock-free lookup never pairs one move's base with another's len.
	 */
	uint32_t seq;
	uint64_t base;
	uint64_t len;
	bool mmio;
	struct emul_slot *slot;
};

struct emul_bus {
	unsigned int nr_slots;
	struct emul_slot slots[EMUL_MAX_DEVICES];
	unsigned int nr_ranges;
	struct emul_range ranges[EMUL_MAX_RANGES];
	struct emul_env env;
	struct emul_device *console;	/* gets console input, if set */
	/* Interrupt lines, once the domain has interrupt controllers. */
	void (*set_irq)(struct domain *d, unsigned int gsi, bool level);
	/* Message-signalled interrupts, likewise. */
	void (*send_msi)(struct domain *d, uint64_t addr, uint32_t data);
};

void emul_bus_init(struct domain *d);
/*
 * Attaches a device model's struct emul_device (set up by the model's
 * init function; its env becomes the domain's).  0 or -PVKIT_ENOSPC.
 */
int emul_bus_attach(struct domain *d, struct emul_device *dev);
int emul_bus_map(struct domain *d, struct emul_device *dev, bool mmio,
		 uint64_t base, uint64_t len);
/*
 * Moves dev's MMIO range at from to to, len bytes (0: not decoded).
 * Other vCPUs look ranges up without a lock; a per-range sequence count
 * makes a lookup see the old range or the new one, never a mix (tested
 * by tests/unit/test_emul_bus.c).  0, or -PVKIT_ENOENT when dev has no range at from.
 */
int emul_bus_move(struct domain *d, struct emul_device *dev, uint64_t from,
		  uint64_t to, uint64_t len);
/*
 * Unplugs dev (gone) or plugs it back: while gone its ports and MMIO
 * ranges read all-ones and drop writes, and it is neither polled nor
 * asked for deadlines.  Every call into dev checks the flag under dev's
 * lock, which the caller holds: no call reaches dev once this returns.
 */
void emul_bus_set_gone(struct domain *d, struct emul_device *dev, bool gone);
/* Every device back on the bus (a reset of the whole platform). */
void emul_bus_plug_all(struct domain *d);
/* The lock that serialises calls into dev, for work from outside the bus. */
void emul_bus_lock_dev(struct domain *d, struct emul_device *dev);
void emul_bus_unlock_dev(struct domain *d, struct emul_device *dev);
/* Every device's lock, in slot order (a reset of the whole platform). */
void emul_bus_lock_all(struct domain *d);
void emul_bus_unlock_all(struct domain *d);
/* Port I/O: an unclaimed port reads all-ones and ignores writes. */
int emul_pio(struct domain *d, struct io_access *io);
/*
 * An MMIO range as one lookup found it: an exit looks the faulting
 * address up once, and its accesses inside the range go to that device
 * with no second search.  No slot: no device claimed the address.
 */
struct emul_mmio_hit {
	struct emul_slot *slot;
	uint64_t base;
	uint64_t len;
};

/* Whether a device claims MMIO address gpa; *hit says which. */
bool emul_mmio_find(struct domain *d, uint64_t gpa, struct emul_mmio_hit *hit);
/*
 * MMIO to hit's device when io->addr is inside its range, else to the
 * device claiming io->addr (a string instruction's later element):
 * -PVKIT_ENOENT when none does.
 */
int emul_mmio(struct domain *d, const struct emul_mmio_hit *hit,
	      struct io_access *io);
void emul_poll(struct domain *d, uint64_t now);
uint64_t emul_next_deadline(struct domain *d);
/* Feeds the console device at most what it can take; returns how much. */
size_t emul_console_input(struct domain *d, const char *buf, size_t len);

#endif
