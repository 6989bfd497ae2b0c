/* SPDX-License-Identifier: MIT */
/*
 * pvkit public ABI: error codes.
 *
 * Every hypercall returns a signed 64-bit value in RAX: zero or a positive
 * result on success, the negation of one of these codes on failure.  The
 * numbers match Linux's asm-generic errno values so that a Linux module can
 * hand them on unchanged, but this closed set is all the hypervisor ever
 * returns.  A guest seeing any other negative value has found a bug.
 */
#ifndef PVKIT_ERRNO_H
#define PVKIT_ERRNO_H

#define PVKIT_EPERM	1	/* operation not allowed for this caller */
#define PVKIT_ENOENT	2	/* no such object (port, domain, ...) */
#define PVKIT_ESRCH	3	/* no such domain or vCPU */
#define PVKIT_EAGAIN	11	/* try again: peer not ready yet */
#define PVKIT_ENOMEM	12	/* the hypervisor is out of memory */
#define PVKIT_EFAULT	14	/* a guest address is outside guest RAM */
#define PVKIT_EBUSY	16	/* object in use */
#define PVKIT_EEXIST	17	/* object exists already */
#define PVKIT_EINVAL	22	/* malformed argument or nonzero padding */
#define PVKIT_ENOSPC	28	/* no free slot (event channel ports, ...) */
#define PVKIT_ERANGE	34	/* value out of its documented range */
#define PVKIT_ENOSYS	38	/* no such hypercall */
#define PVKIT_E2BIG	7	/* length above the documented maximum */
/* Storage completions only (a device error); no hypercall returns it. */
#define PVKIT_EIO	5

#endif /* PVKIT_ERRNO_H */
