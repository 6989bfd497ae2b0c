// SPDX-License-Identifier: GPL-2.0
#include <lib/string.h>
#include <pvkit/errno.h>
#include <hv/domain.h>
#include <hv/guest_mem.h>

bool guest_range_ok(const struct domain *d, uint64_t gpa, uint64_t len)
{
	/* Written so that no sum can wrap around 2^64. */
	return len <= d->mem_bytes && gpa <= d->mem_bytes - len;
}

int copy_from_guest(const struct domain *d, void *dst, uint64_t gpa,
		    size_t len)
{
	if (!guest_range_ok(d, gpa, len))
		return -PVKIT_EFAULT;
	memcpy(dst, d->mem + gpa, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gpa, const void *src,
		  size_t len)
{
	if (!guest_range_ok(d, gpa, len))
		return -PVKIT_EFAULT;
	memcpy(d->mem + gpa, src, len);
	return 0;
}

/*
 * ORs bits into the aligned 4- or 8-byte word at gpa in one locked
 * operation, so that a guest vCPU changing the word meanwhile loses
 * nothing: how the CPU sets accessed and dirty bits.
 */
int guest_set_bits(struct domain *d, uint64_t gpa, unsigned int size,
		   uint64_t bits)
{
	if ((size != 4 && size != 8) || (gpa & (size - 1)) ||
	    !guest_range_ok(d, gpa, size))
		return -PVKIT_EFAULT;
	if (size == 8)
		__atomic_fetch_or((uint64_t *)(void *)(d->mem + gpa), bits,
				  __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_or((uint32_t *)(void *)(d->mem + gpa),
				  (uint32_t)bits, __ATOMIC_SEQ_CST);
	return 0;
}
