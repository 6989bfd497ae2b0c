/* SPDX-License-Identifier: MIT */
/*
 * Mini-OS: finding PV devices (pvkit/io/device.h).  What DEV_INFO says
 * is checked here once, so frontends may rely on it.
 */
#ifndef MINIOS_PVDEV_H
#define MINIOS_PVDEV_H

#include <minios/os.h>
#include <pvkit/io/device.h>

/* DEV_INFO of device index: 0 or the call's error. */
int pvdev_info(uint32_t index, struct pvkit_dev_info *info);
/*
 * The first device of dev_class: 0, -ENOSYS without PVKIT_FEAT_DEVICES,
 * -ENOENT if there is none, -ERANGE if the description is malformed.
 */
int pvdev_find(uint16_t dev_class, struct pvkit_dev_info *info);
/* Whole pages a ring of 2^order slots of slot_size bytes occupies. */
unsigned int pvdev_ring_pages(uint32_t order, uint32_t slot_size);

#endif /* MINIOS_PVDEV_H */
