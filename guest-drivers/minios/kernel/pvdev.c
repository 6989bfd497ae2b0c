// SPDX-License-Identifier: MIT
/*
 * Mini-OS PV device discovery: DEV_INFO from index 0 up until -ENOENT.
 * The hypervisor is trusted no more than it trusts us: a description
 * outside the ABI's ranges is refused rather than used.
 */
#include <lib/string.h>
#include <minios/hypercall.h>
#include <minios/pvdev.h>
#include <pvkit/ring.h>

int pvdev_info(uint32_t index, struct pvkit_dev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->index = index;
	return (int)hc_dev_info(info);
}

static bool pvdev_sane(const struct pvkit_dev_info *info, uint32_t index)
{
	return info->index == index && info->max_queues >= 1 &&
	       info->max_queues <= PVKIT_DEV_MAX_QUEUES &&
	       info->min_order <= info->max_order &&
	       info->max_order <= PVKIT_DEV_MAX_ORDER &&
	       info->state <= PVKIT_DEV_STATE_BROKEN;
}

int pvdev_find(uint16_t dev_class, struct pvkit_dev_info *info)
{
	int64_t feat = hc_features(0);
	uint32_t i;
	int rc;

	if (feat < 0 || !(feat & PVKIT_FEAT_DEVICES))
		return -PVKIT_ENOSYS;
	/* At most PVKIT_DEV_MAX devices: index PVKIT_DEV_MAX must fail. */
	for (i = 0; i <= PVKIT_DEV_MAX; i++) {
		rc = pvdev_info(i, info);
		if (rc)
			return rc;
		if (!pvdev_sane(info, i))
			return -PVKIT_ERANGE;
		if (info->dev_class == dev_class)
			return 0;
	}
	return -PVKIT_ERANGE;
}

unsigned int pvdev_ring_pages(uint32_t order, uint32_t slot_size)
{
	uint64_t bytes = PVKIT_RING_BYTES(1ull << order, slot_size);

	return (unsigned int)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
}
