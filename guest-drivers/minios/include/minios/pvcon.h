/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS PV console frontend (pvkit/io/console.h).  The console
 * hypercall stays the early console and printk()'s path; a program that
 * wants the PV console finds it, connects and writes through it.
 *
 * One thread drives a struct pvcon; the event handler only takes input
 * and counts events, with interrupts off.
 */
#ifndef MINIOS_PVCON_H
#define MINIOS_PVCON_H

#include <minios/os.h>
#include <pvkit/io/device.h>
#include <pvkit/io/console.h>
#include <pvkit/ring_core.h>

#define PVCON_INPUT_BUF		256
/* A write or flush that sees no progress for this long gives up. */
#define PVCON_STALL_NS		(5 * 1000000000ull)

struct pvcon {
	struct pvkit_dev_info info;	/* as found */
	struct pvkit_console_config config;
	uint32_t order;
	uint32_t port;
	unsigned int ring_pages;	/* per ring */
	void *req_mem, *rsp_mem;
	struct pvkit_ring req, rsp;
	uint64_t features;		/* accepted */
	bool connected;
	int error;			/* why output stopped, or 0 */
	int input_error;		/* why input stopped, or 0 */
	char in_buf[PVCON_INPUT_BUF];
	size_t in_len;
	/* Counters, never reset while the struct lives. */
	volatile uint64_t events;	/* notifications from the backend */
	uint64_t notifies;		/* EVTCHN_SENDs to the backend */
	uint64_t full_waits;		/* blocks for ring space */
	uint64_t chunks_out, chunks_in;
	uint64_t bad_chunks;		/* input chunks refused */
};

/* Finds the console: 0 or pvdev_find()'s error.  Zeroes *c first. */
int pvcon_find(struct pvcon *c);
/* The largest order whose ring fits one page, within the device's range. */
uint32_t pvcon_default_order(const struct pvcon *c);
/*
 * Allocates both rings and a port, and connects with the given order
 * and features.  On error nothing stays allocated.
 */
int pvcon_connect(struct pvcon *c, uint32_t order, uint64_t features);
/*
 * Writes all of buf, waiting for ring space as needed.  0, or -EAGAIN
 * after PVCON_STALL_NS without progress, -ERANGE once the backend broke
 * the ring or the device is not CONNECTED any more.
 */
int pvcon_write(struct pvcon *c, const char *buf, size_t len);
/* Waits until the backend has taken everything written; as above. */
int pvcon_flush(struct pvcon *c);
/* Copies input that arrived (validated) into buf; returns the bytes. */
size_t pvcon_read(struct pvcon *c, char *buf, size_t len);
/* DEV_INFO's state of the console, or a negative error. */
int pvcon_state(const struct pvcon *c);
/*
 * DISCONNECT only: the port stays allocated (UNBOUND again) and the
 * rings stay in memory.  pvcon_release() then frees them; it frees
 * nothing while the device may still use them.
 */
int pvcon_stop(struct pvcon *c);
void pvcon_release(struct pvcon *c);
/* Both of the above. */
int pvcon_disconnect(struct pvcon *c);

#endif /* MINIOS_PVCON_H */
