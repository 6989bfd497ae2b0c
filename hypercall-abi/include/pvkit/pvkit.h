/* SPDX-License-Identifier: MIT */
/* pvkit public ABI: everything at once. */
#ifndef PVKIT_PVKIT_H
#define PVKIT_PVKIT_H

#include "types.h"
#include "errno.h"
#include "hypercall.h"
#include "event_channel.h"
#include "shared_info.h"
#include "start_info.h"

#endif /* PVKIT_PVKIT_H */
