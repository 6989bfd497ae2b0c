// SPDX-License-Identifier: GPL-2.0
/*
 * A page fault on the shadow tables: the guest's own walk decides, as
 * the CPU's would have, and its answer is cached as one leaf.  Nothing
 * the guest's tables say can map more than the domain's map (p2m) has.
 */
#include <stdint.h>
#include <asm/processor.h>
#include <asm/shadow.h>

static uint64_t cache_bits(uint8_t cache)
{
	return (cache & 1 ? VTLB_PWT : 0) | (cache & 2 ? VTLB_PCD : 0) |
	       (cache & 4 ? VTLB_PAT : 0);
}

/*
 * Writable only once dirty.  A supervisor write the guest's walk allowed
 * to a read-only page is CR0.WP clear: the CPU keeps WP set, so that
 * page is writable for the supervisor only until a user access refills it.
 */
static uint64_t rights(const struct guest_leaf *g, unsigned int access,
		       const struct guest_paging *pg)
{
	uint64_t bits = VTLB_P | (g->user ? VTLB_US : 0);

	if (g->writable && g->dirty)
		bits |= VTLB_RW;
	else if ((access & X86_PF_WRITE) && !(access & X86_PF_USER))
		bits = (bits | VTLB_RW) & ~VTLB_US;
	if (g->nx && (pg->efer & EFER_NXE))
		bits |= VTLB_XD;
	return bits;
}

int shadow_fault(struct domain *d, struct vtlb *t,
		 const struct guest_paging *pg, shadow_p2m_fn p2m,
		 uint64_t va, uint32_t err, struct x86_pf *pf, uint64_t *gpa)
{
	unsigned int access = err & (X86_PF_WRITE | X86_PF_USER |
				     X86_PF_INSTR);
	struct guest_leaf g;
	uint64_t hpa, leaf;
	int rc;

	rc = guest_translate_leaf(d, pg, va, access, &g, pf);
	if (rc == GUEST_WALK_PF)
		return SHADOW_GUEST_PF;
	if (rc != GUEST_WALK_OK)
		return SHADOW_BAD;
	switch (p2m(d, g.gpa & ~0xfffull, &hpa)) {
	case SHADOW_P2M_RAM:
		leaf = hpa | cache_bits(g.cache);
		break;
	case SHADOW_P2M_DEVICE:
		leaf = hpa | VTLB_PCD | VTLB_PWT;
		break;
	default:
		*gpa = g.gpa;
		return SHADOW_MMIO;
	}
	vtlb_set(t, va, leaf | rights(&g, access, pg), g.shift, g.global);
	return SHADOW_FIXED;
}
