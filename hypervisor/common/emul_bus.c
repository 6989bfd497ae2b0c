// SPDX-License-Identifier: GPL-2.0
#include <lib/compiler.h>
#include <lib/printf.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <pvkit/hypercall.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/emul_bus.h>
#include <hv/guest_mem.h>
#include <hv/sched.h>
#include <hv/time.h>

static uint64_t env_now_ns(void *ctx)
{
	(void)ctx;
	return now_ns();
}

static void env_set_irq(void *ctx, unsigned int gsi, bool level)
{
	struct domain *d = ctx;

	if (d->bus.set_irq)
		d->bus.set_irq(d, gsi, level);
}

static void env_console_write(void *ctx, const char *buf, size_t len)
{
	console_domain_write(ctx, CONSOLE_SRC_EMUL, buf, len);
}

static void env_shutdown(void *ctx, uint32_t reason)
{
	domain_shutdown(ctx, reason, 0);
}

static void env_exit_status(void *ctx, uint32_t code)
{
	domain_shutdown(ctx, PVKIT_SHUTDOWN_POWEROFF, code);
}

static int env_dma_read(void *ctx, uint64_t gpa, void *buf, uint64_t len)
{
	return copy_from_guest(ctx, buf, gpa, len);
}

static int env_dma_write(void *ctx, uint64_t gpa, const void *buf,
			 uint64_t len)
{
	return copy_to_guest(ctx, gpa, buf, len);
}

static void *env_dma_map(void *ctx, uint64_t gpa, uint64_t len)
{
	struct domain *d = ctx;

	return guest_range_ok(d, gpa, len) ? d->mem + gpa : NULL;
}

static void env_send_msi(void *ctx, uint64_t addr, uint32_t data)
{
	struct domain *d = ctx;

	if (d->bus.send_msi)
		d->bus.send_msi(d, addr, data);
}

static void env_mmio_move(void *ctx, struct emul_device *dev, uint64_t from,
			  uint64_t to, uint64_t len)
{
	emul_bus_move(ctx, dev, from, to, len);
}

void emul_bus_init(struct domain *d)
{
	struct emul_bus *bus = &d->bus;

	memset(bus, 0, sizeof(*bus));
	bus->env.ctx = d;
	bus->env.now_ns = env_now_ns;
	bus->env.set_irq = env_set_irq;
	bus->env.console_write = env_console_write;
	bus->env.shutdown = env_shutdown;
	bus->env.exit_status = env_exit_status;
	bus->env.dma_read = env_dma_read;
	bus->env.dma_write = env_dma_write;
	bus->env.dma_map = env_dma_map;
	bus->env.send_msi = env_send_msi;
	bus->env.mmio_move = env_mmio_move;
}

/* The model's name; "e1000#1" for its second instance in the domain. */
static const char *src_name(const struct emul_bus *bus,
			    const struct emul_device *dev, char *buf,
			    size_t len)
{
	unsigned int same = 0;

	for (unsigned int i = 0; i + 1 < bus->nr_slots; i++)
		same += bus->slots[i].dev->ops == dev->ops;
	if (!same)
		return dev->ops->name;
	snprintf(buf, len, "%s#%u", dev->ops->name, same);
	return buf;
}

int emul_bus_attach(struct domain *d, struct emul_device *dev)
{
	struct emul_bus *bus = &d->bus;
	char name[EXIT_SOURCE_NAME];
	struct emul_slot *s;

	if (bus->nr_slots == EMUL_MAX_DEVICES)
		return -PVKIT_ENOSPC;
	s = &bus->slots[bus->nr_slots++];
	s->dev = dev;
	dev->env = &bus->env;
	spin_lock_init(&s->lock);
	s->exit_src = exit_source(d, src_name(bus, dev, name, sizeof(name)));
	return 0;
}

static struct emul_slot *slot_of(struct emul_bus *bus,
				 const struct emul_device *dev)
{
	for (unsigned int i = 0; i < bus->nr_slots; i++)
		if (bus->slots[i].dev == dev)
			return &bus->slots[i];
	return NULL;
}

int emul_bus_map(struct domain *d, struct emul_device *dev, bool mmio,
		 uint64_t base, uint64_t len)
{
	struct emul_bus *bus = &d->bus;
	struct emul_slot *s = slot_of(bus, dev);
	struct emul_range *r;

	if (!s || bus->nr_ranges == EMUL_MAX_RANGES || !len ||
	    base + len < base)
		return -PVKIT_ENOSPC;
	r = &bus->ranges[bus->nr_ranges++];
	r->base = base;
	r->len = len;
	r->mmio = mmio;
	r->slot = s;
	return 0;
}

int emul_bus_move(struct domain *d, struct emul_device *dev, uint64_t from,
		  uint64_t to, uint64_t len)
{
	struct emul_bus *bus = &d->bus;

	if (to + len < to)
		len = 0;
	for (unsigned int i = 0; i < bus->nr_ranges; i++) {
		struct emul_range *r = &bus->ranges[i];

		if (!r->mmio || r->slot->dev != dev || r->base != from)
			continue;
		/* One range never moves twice at once: BAR writes pass the
		 * PCI host's lock. */
		__atomic_store_n(&r->seq, r->seq + 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&r->base, to, __ATOMIC_SEQ_CST);
		__atomic_store_n(&r->len, len, __ATOMIC_SEQ_CST);
		__atomic_store_n(&r->seq, r->seq + 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	return -PVKIT_ENOENT;
}

void emul_bus_set_gone(struct domain *d, struct emul_device *dev, bool gone)
{
	__atomic_store_n(&slot_of(&d->bus, dev)->gone, gone, __ATOMIC_SEQ_CST);
}

void emul_bus_plug_all(struct domain *d)
{
	for (unsigned int i = 0; i < d->bus.nr_slots; i++)
		__atomic_store_n(&d->bus.slots[i].gone, false,
				 __ATOMIC_SEQ_CST);
}

static bool slot_gone(const struct emul_slot *s)
{
	return __atomic_load_n(&s->gone, __ATOMIC_ACQUIRE);
}

void emul_bus_lock_dev(struct domain *d, struct emul_device *dev)
{
	spin_lock(&slot_of(&d->bus, dev)->lock);
}

void emul_bus_unlock_dev(struct domain *d, struct emul_device *dev)
{
	spin_unlock(&slot_of(&d->bus, dev)->lock);
}

/* base and len of one move, never a mix of two. */
static void range_load(const struct emul_range *r, uint64_t *base,
		       uint64_t *len)
{
	uint32_t seq;

	do {
		seq = __atomic_load_n(&r->seq, __ATOMIC_ACQUIRE);
		*base = __atomic_load_n(&r->base, __ATOMIC_ACQUIRE);
		*len = __atomic_load_n(&r->len, __ATOMIC_ACQUIRE);
	} while ((seq & 1) || __atomic_load_n(&r->seq, __ATOMIC_ACQUIRE) != seq);
}

/* The range that claims addr, as loaded; a hit with no slot if none. */
static struct emul_slot *lookup(struct emul_bus *bus, bool mmio,
				uint64_t addr, struct emul_mmio_hit *hit)
{
	for (unsigned int i = 0; i < bus->nr_ranges; i++) {
		const struct emul_range *r = &bus->ranges[i];
		uint64_t base, len;

		if (r->mmio != mmio)
			continue;
		range_load(r, &base, &len);
		if (addr - base < len) {
			*hit = (struct emul_mmio_hit){ r->slot, base, len };
			return r->slot;
		}
	}
	*hit = (struct emul_mmio_hit){ NULL, 0, 0 };
	return NULL;
}

static int call(struct domain *d, struct emul_slot *s, bool mmio,
		struct io_access *io)
{
	int (*fn)(struct emul_device *, struct io_access *) =
		mmio ? s->dev->ops->mmio : s->dev->ops->pio;
	int ret;

	if (!fn)
		return -PVKIT_ENOENT;
	exit_attribute(d, s->exit_src);
	spin_lock(&s->lock);
	if (slot_gone(s)) {
		/*
		 * Unplugged: its ranges stay claimed (an MMIO access
		 * nothing claims stops the domain) but answer as a hole.
		 */
		spin_unlock(&s->lock);
		if (!io->write)
			io->val = ~0ull >> (64 - 8 * io->size);
		return 0;
	}
	ret = fn(s->dev, io);
	if (io->write && s->dev->ops->next_deadline)
		sched_deadline_moved(s->dev->ops->next_deadline(s->dev));
	spin_unlock(&s->lock);
	return ret;
}

void emul_bus_lock_all(struct domain *d)
{
	for (unsigned int i = 0; i < d->bus.nr_slots; i++)
		spin_lock(&d->bus.slots[i].lock);
}

void emul_bus_unlock_all(struct domain *d)
{
	for (unsigned int i = d->bus.nr_slots; i-- > 0;)
		spin_unlock(&d->bus.slots[i].lock);
}

int emul_pio(struct domain *d, struct io_access *io)
{
	struct emul_mmio_hit hit;
	struct emul_slot *s = lookup(&d->bus, false, io->addr, &hit);

	if (!s) {
		if (!io->write)
			io->val = ~0ull >> (64 - 8 * io->size);
		return 0;
	}
	return call(d, s, false, io);
}

bool emul_mmio_find(struct domain *d, uint64_t gpa, struct emul_mmio_hit *hit)
{
	return lookup(&d->bus, true, gpa, hit) != NULL;
}

int emul_mmio(struct domain *d, const struct emul_mmio_hit *hit,
	      struct io_access *io)
{
	struct emul_mmio_hit again;
	struct emul_slot *s = hit->slot;

	if (!s || io->addr - hit->base >= hit->len)
		s = lookup(&d->bus, true, io->addr, &again);
	return s ? call(d, s, true, io) : -PVKIT_ENOENT;
}

void emul_poll(struct domain *d, uint64_t now)
{
	for (unsigned int i = 0; i < d->bus.nr_slots; i++) {
		struct emul_slot *s = &d->bus.slots[i];

		if (!s->dev->ops->poll || slot_gone(s))
			continue;
		spin_lock(&s->lock);
		s->dev->ops->poll(s->dev, now);
		spin_unlock(&s->lock);
	}
}

uint64_t emul_next_deadline(struct domain *d)
{
	uint64_t next = UINT64_MAX;

	for (unsigned int i = 0; i < d->bus.nr_slots; i++) {
		struct emul_slot *s = &d->bus.slots[i];
		uint64_t t;

		if (!s->dev->ops->next_deadline || slot_gone(s))
			continue;
		spin_lock(&s->lock);
		t = s->dev->ops->next_deadline(s->dev);
		spin_unlock(&s->lock);
		next = MIN(next, t);
	}
	return next;
}

size_t emul_console_input(struct domain *d, const char *buf, size_t len)
{
	struct emul_device *dev = d->bus.console;
	struct emul_slot *s;

	if (!dev || !dev->ops->input)
		return 0;
	s = slot_of(&d->bus, dev);
	if (!s)
		return 0;
	spin_lock(&s->lock);
	if (dev->ops->input_room)
		len = MIN(len, dev->ops->input_room(dev));
	if (len)
		dev->ops->input(dev, buf, len);
	spin_unlock(&s->lock);
	return len;
}
