// SPDX-License-Identifier: GPL-2.0
/*
 * The checks every storage kind relies on, done once here: a range past
 * the capacity or a transfer whose segments do not add up never reaches
 * a kind's ops.
 */
#include <stddef.h>
#include <pvkit/errno.h>
#include <hv/storage.h>

bool storage_range_ok(const struct storage *s, uint64_t sector, uint64_t nr)
{
	uint64_t cap = s->ops->capacity(s);

	return nr <= cap && sector <= cap - nr;
}

static bool segs_match(const struct storage_req *r)
{
	uint64_t bytes = 0;

	for (unsigned int i = 0; i < r->nr_segs; i++) {
		if (!r->segs[i].len || r->segs[i].len % STORAGE_SECTOR)
			return false;
		bytes += r->segs[i].len;
	}
	return r->nr_segs && bytes == (uint64_t)r->nr_sectors * STORAGE_SECTOR;
}

void storage_submit(struct storage *s, struct storage_req *r)
{
	switch (r->op) {
	case STORAGE_READ:
	case STORAGE_WRITE:
		if (!segs_match(r) ||
		    !storage_range_ok(s, r->sector, r->nr_sectors))
			break;
		if (r->op == STORAGE_READ)
			s->ops->read(s, r);
		else
			s->ops->write(s, r);
		return;
	case STORAGE_FLUSH:
		s->ops->flush(s, r);
		return;
	case STORAGE_DISCARD:
	case STORAGE_WRITE_ZEROES:
		if (!(s->caps & (r->op == STORAGE_DISCARD ? STORAGE_CAP_DISCARD :
						       STORAGE_CAP_ZEROES)) ||
		    !r->nr_sectors ||
		    !storage_range_ok(s, r->sector, r->nr_sectors))
			break;
		s->ops->discard(s, r);
		return;
	}
	r->done(r, -PVKIT_EINVAL);
}

void storage_drain(struct storage *s)
{
	if (s && s->ops->drain)
		s->ops->drain(s);
}

void storage_bind(struct storage *s, struct pcpu *pc)
{
	if (s && s->ops->bind)
		s->ops->bind(s, pc);
}

void storage_plug(struct storage *s)
{
	if (s && s->ops->plug)
		s->ops->plug(s);
}

void storage_unplug(struct storage *s)
{
	if (s && s->ops->unplug)
		s->ops->unplug(s);
}

void storage_log(const struct storage *s)
{
	if (s && s->ops->log)
		s->ops->log(s);
}

/*
 * The pair is read by the kind's work on another pCPU: the release
 * store publishes arg with fn.
 */
void storage_on_resize(struct storage *s, storage_resized_fn fn, void *arg)
{
	s->resized_arg = arg;
	__atomic_store_n(&s->resized, fn, __ATOMIC_RELEASE);
}

void storage_resized(struct storage *s)
{
	storage_resized_fn fn = __atomic_load_n(&s->resized, __ATOMIC_ACQUIRE);

	if (fn)
		fn(s, s->resized_arg);
}

void storage_destroy(struct storage *s)
{
	if (!s)
		return;
	storage_on_resize(s, NULL, NULL);
	storage_drain(s);
	s->ops->destroy(s);
}
