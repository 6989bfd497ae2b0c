// SPDX-License-Identifier: MIT
/*
 * Header check: every ring operation, instantiated out of line, so that
 * the compiler generates code for each in the mode this file is built in
 * (freestanding C without libc, C++).  The Makefile then checks that the
 * freestanding object needs no symbol but memcpy.
 */
#include <pvkit/ring_core.h>

#ifdef __cplusplus
extern "C" {
#endif

int hdrcheck_setup(void *mem, uint64_t len);
int hdrcheck_attach(struct pvkit_ring *r, void *mem, uint64_t len);
int hdrcheck_producer(struct pvkit_ring *r, const void *src, uint32_t n);
int hdrcheck_consumer(struct pvkit_ring *r, void *dst, uint32_t n);

int hdrcheck_setup(void *mem, uint64_t len)
{
	return pvkit_ring_setup(mem, len, 4, 64, 0);
}

int hdrcheck_attach(struct pvkit_ring *r, void *mem, uint64_t len)
{
	return pvkit_ring_attach(r, mem, len, 4, 64, 0);
}

int hdrcheck_producer(struct pvkit_ring *r, const void *src, uint32_t n)
{
	int ret = pvkit_ring_prod_put(r, src, n);

	if (ret < 0)
		return ret;
	if (pvkit_ring_prod_space(r, 1) > 0)
		pvkit_ring_prod_advance(r, 0);
	(void)pvkit_ring_prod_slot(r, 0);
	pvkit_ring_prod_publish(r);
	ret += pvkit_ring_prod_publish_notify(r);
	return ret + pvkit_ring_prod_arm(r, 1);
}

int hdrcheck_consumer(struct pvkit_ring *r, void *dst, uint32_t n)
{
	int ret = pvkit_ring_cons_get(r, dst, n);

	if (ret < 0)
		return ret;
	ret += pvkit_ring_cons_avail(r);
	ret += pvkit_ring_cons_notify(r);
	return ret + pvkit_ring_cons_arm(r);
}

#ifdef __cplusplus
}
#endif
