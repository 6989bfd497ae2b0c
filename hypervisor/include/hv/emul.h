/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Emulated devices.  A device model is one file with one
 * struct emul_device_ops; it sees guest accesses as struct io_access and
 * reaches its domain only through struct emul_env, so the same file
 * compiles into the hypervisor and into a host unit test with a fake env.
 * No SVM or VMX type ever appears in a device model.
 *
 * Models allocate nothing: the caller embeds the model's state struct
 * (declared in the model's header) and hands it to the model's init
 * function.  The bus serialises calls into one device; a model never
 * calls back into the bus, and env callbacks must not call into the
 * model that invoked them.
 */
#ifndef HV_EMUL_H
#define HV_EMUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emul_device;

/* One guest access: a port (PIO) or a guest-physical address (MMIO). */
struct io_access {
	uint64_t addr;		/* port or GPA of the first byte */
	uint64_t val;		/* IN for writes, OUT for reads */
	uint8_t size;		/* 1, 2, 4 or 8 */
	bool write;
};

/* What a device model may ask of the domain it lives in. */
struct emul_env {
	void *ctx;
	/* Guest time: nanoseconds, monotonic. */
	uint64_t (*now_ns)(void *ctx);
	/* Drive an interrupt line (ISA IRQ n is GSI n). */
	void (*set_irq)(void *ctx, unsigned int gsi, bool level);
	/* Bytes the guest wrote to a console-like device. */
	void (*console_write)(void *ctx, const char *buf, size_t len);
	/* Power button and reset, reason as PVKIT_SHUTDOWN_*. */
	void (*shutdown)(void *ctx, uint32_t reason);
	/* Power off with an exit status the guest chose (a test's result). */
	void (*exit_status)(void *ctx, uint32_t code);
	/*
	 * DMA: copy to or from guest RAM.  The whole range is checked
	 * against the domain's memory first; -PVKIT_EFAULT moves nothing.
	 */
	int (*dma_read)(void *ctx, uint64_t gpa, void *buf, uint64_t len);
	int (*dma_write)(void *ctx, uint64_t gpa, const void *buf,
			 uint64_t len);
	/*
	 * Zero-copy DMA: the hypervisor's pointer to guest RAM [gpa,
	 * gpa + len), checked as dma_read checks it; NULL when any byte
	 * of it is not RAM.  Guest RAM never moves, so the pointer stays
	 * good for as long as a device holds it.
	 */
	void *(*dma_map)(void *ctx, uint64_t gpa, uint64_t len);
	/* A message-signalled interrupt (MSI or MSI-X) as the device wrote it. */
	void (*send_msi)(void *ctx, uint64_t addr, uint32_t data);
	/*
	 * Moves the device's MMIO range that starts at from (a BAR the guest
	 * reprogrammed) to start at to; len 0 stops it decoding.  The range
	 * keeps its place on the bus, so this never fails for a range the
	 * device was given at attach time.
	 */
	void (*mmio_move)(void *ctx, struct emul_device *dev, uint64_t from,
			  uint64_t to, uint64_t len);
};

struct emul_device_ops {
	const char *name;
	/* 0 = handled.  Any other value stops the domain as unhandled. */
	int (*pio)(struct emul_device *dev, struct io_access *io);
	int (*mmio)(struct emul_device *dev, struct io_access *io);
	/*
	 * Time-driven work (timers, FIFO drains).  Called at least every
	 * scheduler tick and as soon as possible after next_deadline().
	 */
	void (*poll)(struct emul_device *dev, uint64_t now_ns);
	/* Earliest time poll() must run, or UINT64_MAX. */
	uint64_t (*next_deadline)(struct emul_device *dev);
	/* Bytes arriving for a console-like device (UART receive). */
	void (*input)(struct emul_device *dev, const char *buf, size_t len);
	/* How many bytes input() takes now without losing any. */
	size_t (*input_room)(struct emul_device *dev);
};

struct emul_device {
	const struct emul_device_ops *ops;
	const struct emul_env *env;
	void *priv;			/* the model's own state */
};

#endif
