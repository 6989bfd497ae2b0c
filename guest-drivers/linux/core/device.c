// SPDX-License-Identifier: GPL-2.0
/*
 * What drivers call on a PV device: its configuration and state,
 * connecting with ring and port set-up, disconnecting, notifying.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "hypercall.h"
#include "pvkit_core.h"

long pvkit_dev_info(u32 index, struct pvkit_dev_info *out)
{
	struct pvkit_dev_info *info;
	long rc;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	info->index = index;
	rc = pvkit_hc_ptr(PVKIT_HC_DEV_INFO, info);
	if (!rc)
		*out = *info;
	kfree(info);
	return rc;
}

int pvkit_dev_state(struct pvkit_device *dev)
{
	struct pvkit_dev_info info;
	long rc = pvkit_dev_info(dev->index, &info);

	return rc ? rc : info.state;
}
EXPORT_SYMBOL_GPL(pvkit_dev_state);

int pvkit_dev_config(struct pvkit_device *dev, void *buf, size_t len)
{
	void *bounce;
	long rc;

	len = min_t(size_t, len, dev->config_len);
	if (!len)
		return 0;
	bounce = kzalloc(len, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	rc = pvkit_hc3(PVKIT_HC_DEV_CONFIG, dev->index, virt_to_phys(bounce),
		       len);
	/* Never more than was asked for, whatever the hypervisor says. */
	if (rc > (long)len)
		rc = -EIO;
	if (rc > 0)
		memcpy(buf, bounce, rc);
	kfree(bounce);
	return rc;
}
EXPORT_SYMBOL_GPL(pvkit_dev_config);

int pvkit_queue_notify(struct pvkit_queue *q)
{
	atomic64_inc(&q->dev->notifications);
	return pvkit_hc1(PVKIT_HC_EVTCHN_SEND, q->port);
}
EXPORT_SYMBOL_GPL(pvkit_queue_notify);

static void *ring_alloc(size_t bytes)
{
	void *mem = alloc_pages_exact(bytes, GFP_KERNEL | __GFP_ZERO);

	if (mem)
		atomic_long_add(bytes >> PAGE_SHIFT, &pvkit_ring_pages);
	return mem;
}

static void ring_free(void *mem, size_t bytes)
{
	if (!mem)
		return;
	free_pages_exact(mem, bytes);
	atomic_long_sub(bytes >> PAGE_SHIFT, &pvkit_ring_pages);
}

static void queue_teardown(struct pvkit_queue *q)
{
	pvkit_port_close(q);
	ring_free(q->req_mem, q->req_bytes);
	ring_free(q->rsp_mem, q->rsp_bytes);
	q->req_mem = NULL;
	q->rsp_mem = NULL;
}

/* Both rings set up and attached at index 0, and a port. */
static int queue_setup(struct pvkit_queue *q,
		       const struct pvkit_connect_params *p)
{
	u32 n = 1u << p->order;
	int rc;

	q->req_bytes = PAGE_ALIGN(PVKIT_RING_BYTES(n, p->req_slot));
	q->rsp_bytes = PAGE_ALIGN(PVKIT_RING_BYTES(n, p->rsp_slot));
	q->req_mem = ring_alloc(q->req_bytes);
	q->rsp_mem = ring_alloc(q->rsp_bytes);
	rc = -ENOMEM;
	if (!q->req_mem || !q->rsp_mem)
		goto fail;
	rc = -EINVAL;
	if (pvkit_ring_setup(q->req_mem, q->req_bytes, p->order, p->req_slot,
			     0) ||
	    pvkit_ring_setup(q->rsp_mem, q->rsp_bytes, p->order, p->rsp_slot,
			     0) ||
	    pvkit_ring_attach(&q->req, q->req_mem, q->req_bytes, p->order,
			      p->req_slot, 0) ||
	    pvkit_ring_attach(&q->rsp, q->rsp_mem, q->rsp_bytes, p->order,
			      p->rsp_slot, 0))
		goto fail;
	rc = pvkit_port_open(q);
	if (rc)
		goto fail;
	return 0;

fail:
	queue_teardown(q);
	return rc;
}

static int params_check(struct pvkit_device *dev,
			const struct pvkit_connect_params *p)
{
	if (!p->nr_queues || p->nr_queues > dev->max_queues)
		return -EINVAL;
	if (p->order < dev->min_order || p->order > dev->max_order)
		return -EINVAL;
	if (p->features & ~dev->features)
		return -EINVAL;
	return 0;
}

static void queues_free(struct pvkit_queue *queues, unsigned int n)
{
	while (n--)
		queue_teardown(&queues[n]);
	kfree(queues);
}

int pvkit_dev_connect(struct pvkit_device *dev,
		      const struct pvkit_connect_params *p)
{
	struct pvkit_dev_connect *req;
	struct pvkit_queue *queues;
	unsigned int i = 0;
	long rc;

	rc = params_check(dev, p);
	if (rc)
		return rc;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	queues = kcalloc(p->nr_queues, sizeof(*queues), GFP_KERNEL);
	rc = -ENOMEM;
	if (!req || !queues)
		goto out;
	mutex_lock(&dev->lock);
	rc = -EBUSY;
	if (dev->connected)
		goto unlock;
	for (i = 0; i < p->nr_queues; i++) {
		struct pvkit_queue *q = &queues[i];

		q->dev = dev;
		q->index = i;
		rc = queue_setup(q, p);
		if (rc)
			goto unlock;
		req->queue[i].req_gpa = virt_to_phys(q->req_mem);
		req->queue[i].rsp_gpa = virt_to_phys(q->rsp_mem);
		req->queue[i].order = p->order;
		req->queue[i].port = q->port;
	}
	req->index = dev->index;
	req->nr_queues = p->nr_queues;
	req->features = p->features;
	rc = pvkit_hc_ptr(PVKIT_HC_DEV_CONNECT, req);
	if (rc)
		goto unlock;
	dev->queues = queues;
	dev->nr_queues = p->nr_queues;
	dev->accepted = p->features;
	dev->connected = true;
	queues = NULL;
unlock:
	mutex_unlock(&dev->lock);
out:
	if (queues)
		queues_free(queues, i);
	kfree(req);
	return rc;
}
EXPORT_SYMBOL_GPL(pvkit_dev_connect);

void pvkit_dev_disconnect(struct pvkit_device *dev)
{
	long rc;

	mutex_lock(&dev->lock);
	if (!dev->connected)
		goto unlock;
	rc = pvkit_hc1(PVKIT_HC_DEV_DISCONNECT, dev->index);
	if (rc) {
		/*
		 * The backend may still use the rings: leaking them is
		 * better than handing their pages to someone else.
		 */
		dev_err(&dev->dev, "disconnect failed (%ld): rings kept\n", rc);
		goto unlock;
	}
	queues_free(dev->queues, dev->nr_queues);
	dev->queues = NULL;
	dev->nr_queues = 0;
	dev->accepted = 0;
	dev->connected = false;
unlock:
	mutex_unlock(&dev->lock);
}
EXPORT_SYMBOL_GPL(pvkit_dev_disconnect);

void pvkit_dev_fail_work(struct work_struct *work)
{
	struct pvkit_device *dev = container_of(work, struct pvkit_device,
						fail_work);

	device_release_driver(&dev->dev);
	put_device(&dev->dev);
}

void pvkit_dev_fail(struct pvkit_device *dev, const char *why)
{
	if (atomic_cmpxchg(&dev->failing, 0, 1))
		return;
	dev_err(&dev->dev, "backend broke the protocol: %s; disconnecting\n",
		why);
	get_device(&dev->dev);
	if (!schedule_work(&dev->fail_work))
		put_device(&dev->dev);
}
EXPORT_SYMBOL_GPL(pvkit_dev_fail);
