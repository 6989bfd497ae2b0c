/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Storage: what a virtual disk (the PV block backend, later an emulated
 * disk) reads and writes, behind one ops table.  Every operation is
 * asynchronous: it calls the request's done() exactly once, possibly
 * before it returns (RAM does), possibly later from another context (a
 * disk driver will).  Buffers are hypervisor pointers the caller
 * checked; ranges are checked again by storage_submit() against the
 * capacity, so a kind never sees one past its end.  The segment array
 * is read only during the submit call; the buffers it names stay the
 * storage's until done() (a device may write them directly).
 */
#ifndef HV_STORAGE_H
#define HV_STORAGE_H

#include <stdbool.h>
#include <stdint.h>

#define STORAGE_SECTOR		512u

enum storage_op {
	STORAGE_READ,
	STORAGE_WRITE,
	STORAGE_FLUSH,
	STORAGE_DISCARD,
	STORAGE_WRITE_ZEROES,
};

/* What a storage can do (storage.caps). */
#define STORAGE_CAP_DISCARD	(1u << 0)
#define STORAGE_CAP_ZEROES	(1u << 1)
#define STORAGE_CAP_WRITEBACK	(1u << 2)	/* writes stable after flush */

struct storage_seg {
	void *buf;
	uint32_t len;			/* a multiple of STORAGE_SECTOR */
};

struct storage_req {
	enum storage_op op;
	bool fua;
	uint64_t sector;
	uint32_t nr_sectors;		/* the segments' total for READ/WRITE */
	unsigned int nr_segs;
	const struct storage_seg *segs;
	/* 0 or -PVKIT_EIO; called once per submitted request. */
	void (*done)(struct storage_req *r, int status);
};

struct pcpu;
struct storage;

struct storage_ops {
	void (*read)(struct storage *s, struct storage_req *r);
	void (*write)(struct storage *s, struct storage_req *r);
	void (*flush)(struct storage *s, struct storage_req *r);
	/* DISCARD and WRITE_ZEROES, by r->op. */
	void (*discard)(struct storage *s, struct storage_req *r);
	uint64_t (*capacity)(const struct storage *s);	/* in sectors */
	/* Optional: returns once every submitted request has completed. */
	void (*drain)(struct storage *s);
	/*
	 * Optional: completions are handled on pc from now on (a device's
	 * interrupts and the kind's work), none in flight when called.
	 */
	void (*bind)(struct storage *s, struct pcpu *pc);
	/*
	 * Optional: between plug and unplug the kind may hold requests it
	 * was given (a device's doorbell) and sends them at the unplug.
	 */
	void (*plug)(struct storage *s);
	void (*unplug)(struct storage *s);
	/* Optional: one line of the kind's counters. */
	void (*log)(const struct storage *s);
	void (*destroy)(struct storage *s);
};

/*
 * Told that the capacity changed (the device under the storage was
 * resized), after ops->capacity() returns the new one.  Called from the
 * kind's deferred work with none of its locks held; it may take the
 * user's locks (which rank above the storage's).
 */
typedef void (*storage_resized_fn)(struct storage *s, void *arg);

struct storage {
	const struct storage_ops *ops;
	uint32_t caps;			/* STORAGE_CAP_* */
	unsigned int max_segs;		/* per request; 0: no limit of its own */
	void *priv;
	/* The user's, set by storage_on_resize(); a kind only calls it. */
	storage_resized_fn resized;
	void *resized_arg;
};

/* Checks r against s, then runs it; r->done() is called either way. */
void storage_submit(struct storage *s, struct storage_req *r);
/* Whether sector .. sector + nr lies inside s (overflow included). */
bool storage_range_ok(const struct storage *s, uint64_t sector, uint64_t nr);
/* Waits for every request submitted to s (a disk disconnects). */
void storage_drain(struct storage *s);
void storage_log(const struct storage *s);
/*
 * Where s's user runs (the disk's backend pCPU): a kind with a device
 * handles its completions there, so that they interrupt no vCPU when
 * that pCPU runs none.  Called with nothing in flight on s.
 */
void storage_bind(struct storage *s, struct pcpu *pc);
/*
 * Around a batch of submits from one user: a device is told of the
 * batch once, at the unplug, rather than of each request.  Every plug
 * needs its unplug; a kind may complete requests before either.
 */
void storage_plug(struct storage *s);
void storage_unplug(struct storage *s);
/*
 * Whom to tell when s is resized (NULL: nobody), set before the first
 * request.  A kind whose capacity is fixed (RAM) never calls it.
 */
void storage_on_resize(struct storage *s, storage_resized_fn fn, void *arg);
/* For a kind: the capacity changed, tell the user.  No lock of s held. */
void storage_resized(struct storage *s);
/* Drains s, then frees it (or hands a device back). */
void storage_destroy(struct storage *s);

/*
 * A RAM disk of bytes (whole pages) that starts with image_len bytes of
 * image (a boot module; none if NULL) and reads zero after them; NULL
 * when out of memory.  image_len <= bytes.  Its size is fixed: nothing
 * outside the hypervisor could ask for another.
 */
struct storage *storage_ram_create(uint64_t bytes, const void *image,
				   uint64_t image_len);

/*
 * Virtio-blk devices of the machine, driven by the hypervisor: found at
 * boot by storage_virtio_probe(), numbered vblk0, vblk1, ... in PCI scan
 * order.  A device's capacity follows its configuration changes (the
 * host resized the image).  storage_virtio_get() hands vblkN to one disk; NULL (with one
 * log line naming who) when there is no such device or a disk has it.
 */
void storage_virtio_probe(void);
struct storage *storage_virtio_get(unsigned int index, const char *who);

#endif
