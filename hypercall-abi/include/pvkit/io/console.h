/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: the PV console protocol (PVKIT_DEV_CLASS_CONSOLE).
 *
 * One queue.  Its req ring carries the guest's output, its rsp ring the
 * input typed for the guest; both have slots of struct pvkit_console_chunk.
 * The hypervisor writes the output to the domain's console, line by line
 * with the "(dN) " prefix like the emulated UART and the console
 * hypercall, and it keeps the bytes in order across the three.  Input
 * reaches the ring only while the frontend accepted
 * PVKIT_CONSOLE_F_INPUT; it goes to the domain's other consoles
 * otherwise.
 *
 * Output.  The frontend fills chunks with 1 .. PVKIT_CONSOLE_CHUNK_DATA
 * bytes each, publishes them and notifies when the ring asks for it.  The
 * backend drains the ring in batches outside the guest's exits, within
 * the domain's console rate limit: a frontend that outruns it finds the
 * ring full and waits (arming cons_event) rather than losing bytes.
 * Input.  The backend produces chunks as keys arrive and notifies when the
 * frontend asked for it.  When the rsp ring is full, input waits in the
 * hypervisor (and is dropped once its small buffer is full, as a UART
 * drops it).
 *
 * A chunk with len 0 or above PVKIT_CONSOLE_CHUNK_DATA, or with nonzero
 * padding, is a protocol error: the device goes BROKEN.  A frontend
 * checks chunks from the backend the same way.
 */
#ifndef PVKIT_IO_CONSOLE_H
#define PVKIT_IO_CONSOLE_H

#include "../types.h"

/* Features. */
#define PVKIT_CONSOLE_F_INPUT		(1ull << 0)	/* keyboard input */

#define PVKIT_CONSOLE_CHUNK_DATA	56

struct pvkit_console_chunk {
	uint16_t len;		/* 1 .. PVKIT_CONSOLE_CHUNK_DATA */
	uint16_t pad;		/* zero */
	uint32_t pad2;		/* zero */
	uint8_t data[PVKIT_CONSOLE_CHUNK_DATA];
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_console_chunk, 64);

/* PVKIT_HC_DEV_CONFIG of a console. */
struct pvkit_console_config {
	uint16_t cols;		/* terminal size if known, else 0 */
	uint16_t rows;
	uint32_t pad;
};
PVKIT_ABI_ASSERT_SIZE(struct pvkit_console_config, 8);

#endif /* PVKIT_IO_CONSOLE_H */
