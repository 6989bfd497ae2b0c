/* SPDX-License-Identifier: MIT */
/* Mini-OS: connecting two test domains through an interdomain channel. */
#ifndef MINIOS_TESTS_PEER_H
#define MINIOS_TESTS_PEER_H

#include <minios/events.h>

/*
 * With the command line's peer= and port=: the allocating side (is_a)
 * takes port for the peer and waits until the peer has bound it; the
 * other side binds, retrying on -EAGAIN.  Either gives up after about
 * five seconds.  The handler is installed before any event can arrive.
 */
int peer_connect(bool is_a, evtchn_handler_t fn, void *data,
		 uint32_t *local_port);

#endif /* MINIOS_TESTS_PEER_H */
