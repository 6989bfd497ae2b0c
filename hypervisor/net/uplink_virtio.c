// SPDX-License-Identifier: GPL-2.0
/*
 * The switch's uplink: QEMU's virtio-net-pci, driven by the hypervisor
 * over the virtio transport shared with virtio-blk, attached to the
 * default switch as one port (see hv/uplink.h).  Whatever the switch
 * floods (broadcasts, unknown destinations) or has learned behind this
 * port goes out to QEMU's netdev; whatever comes in is switched like a
 * frame from a guest.
 *
 * Negotiated: VERSION_1 and MAC (the device's address, logged; frames
 * keep their senders' addresses: the uplink is a bridge port, and QEMU's
 * device is promiscuous from reset on, which only CTRL_RX could change).
 * Not negotiated: checksum offload both ways, TSO/GSO/UFO, mergeable RX
 * buffers, the control queue, multiqueue, MTU (so the device's MTU is
 * 1500 and a longer frame from a guest is dropped and counted), link
 * status, event index, indirect descriptors.  So every virtio_net_hdr
 * the driver sends is zero, and one it receives must ask for no offload:
 * no GSO, no partial checksum (DATA_VALID, which a tap backend may pass
 * on though the spec wants zero flags here, is harmless and ignored).
 *
 * One queue pair, and no copy in the hypervisor: each RX buffer is a
 * switch frame of UL_FRAME_MAX bytes behind a header of its own (two
 * descriptors), handed to the switch as it is and replaced by a new one;
 * each TX frame goes out as two descriptors, one shared zero header and
 * the switch frame itself, whose reference is put when the device hands
 * it back.  The device is distrusted: the transport checks each used
 * entry's id and that its length fits the buffers posted; here a
 * received length must cover the header and an Ethernet header, and the
 * header must ask for no offload.  A bad entry is dropped and counted; a
 * protocol error resets the device and takes the port off the switch.
 * Everything runs in one work item (on the boot pCPU, or the spare one
 * uplink_place() moves it to), queued by the MSI-X interrupt or the
 * switch's kick, UL_BATCH frames per direction per call; without MSI-X
 * the work polls itself.
 */
#include <stdint.h>
#include <lib/compiler.h>
#include <lib/string.h>
#include <pvkit/errno.h>
#include <asm/msi.h>
#include <hv/mm.h>
#include <hv/pci.h>
#include <hv/percpu.h>
#include <hv/sched.h>
#include <hv/printk.h>
#include <hv/time.h>
#include <hv/uplink.h>
#include <hv/virtio.h>
#include <hv/vswitch.h>
#include <hv/work.h>

#define UL_RING			256	/* entries per queue at most */
#define UL_HDR			12	/* virtio_net_hdr under VERSION_1 */
#define UL_ETH_HLEN		14
#define UL_FRAME_MAX		1514	/* the device's MTU is 1500 */
#define UL_BATCH		64
#define UL_POLL_NS		100000ull
#define UL_RXQ			0
#define UL_TXQ			1

#define VNET_F_MAC		(1ull << 5)
#define VNET_CFG_MAC		0
#define VNET_HDR_F_NEEDS_CSUM	1

struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
};

_Static_assert(sizeof(struct vnet_hdr) == UL_HDR, "virtio_net_hdr size");

struct uplink_stats {
	uint64_t rx_frames, rx_bytes, rx_bad, rx_nomem;
	uint64_t tx_frames, tx_bytes, tx_too_big;
	uint64_t irqs;
};

/* An RX buffer: the device writes hdr, then the frame into f. */
struct uplink_rxbuf {
	struct vnet_hdr hdr;
	struct vswitch_frame *f;
};

struct uplink {
	struct virtio_pci vp;
	struct virtqueue rxq, txq;
	struct vswitch_port port;
	struct work work;
	bool polling;			/* no MSI-X: the work polls */
	bool broken;
	struct uplink_rxbuf rx[UL_RING];
	struct uplink_stats st;
};

/* What every TX frame's header says: no offload.  The device only reads it. */
static const struct vnet_hdr tx_hdr;

static struct uplink *the_uplink;

/* Queued from the switch (a sender's context) or the interrupt. */
static void uplink_kick(struct vswitch_port *p)
{
	struct uplink *ul = p->priv;

	work_queue(&ul->work);
}

static void uplink_irq(void *arg)
{
	struct uplink *ul = arg;

	ul->st.irqs++;
	work_queue(&ul->work);
}

static int rx_post(struct uplink *ul, struct uplink_rxbuf *b)
{
	struct virtq_desc d[2] = {
		{ .addr = virt_to_phys(&b->hdr), .len = UL_HDR,
		  .flags = VIRTQ_DESC_F_WRITE },
		{ .addr = virt_to_phys(b->f->data), .len = UL_FRAME_MAX,
		  .flags = VIRTQ_DESC_F_WRITE },
	};

	return virtqueue_add(&ul->rxq, d, 2, b);
}

/*
 * A used RX buffer's frame into the switch, a new frame in its place; or
 * dropped and counted, the buffer keeping its frame.
 */
static void rx_frame(struct uplink *ul, struct uplink_rxbuf *b, uint32_t len)
{
	struct vswitch_frame *f = b->f, *next;
	struct vnet_hdr h;

	memcpy(&h, &b->hdr, sizeof(h));
	if (len < UL_HDR + UL_ETH_HLEN || (h.flags & VNET_HDR_F_NEEDS_CSUM) ||
	    h.gso_type) {
		ul->st.rx_bad++;
		return;
	}
	next = vswitch_frame_alloc(UL_FRAME_MAX);
	if (!next) {
		ul->st.rx_nomem++;
		return;
	}
	b->f = next;
	f->len = len - UL_HDR;
	ul->st.rx_frames++;
	ul->st.rx_bytes += f->len;
	vswitch_send(&ul->port, f);
}

/* Received frames into the switch: 1 more left, 0 done, <0 broken. */
static int rx_work(struct uplink *ul)
{
	unsigned int n = 0;
	uint32_t len;
	void *token;
	int got = 0;

	while (n < UL_BATCH &&
	       (got = virtqueue_get(&ul->rxq, &token, &len)) > 0) {
		n++;
		rx_frame(ul, token, len);
		/* The entry just returned made room: only a broken ring fails. */
		if (rx_post(ul, token))
			return -PVKIT_EIO;
	}
	if (n)
		virtqueue_kick(&ul->rxq);
	if (got < 0)
		return got;
	return n == UL_BATCH;
}

/* Frames the device is done sending, their references put; <0 broken. */
static int tx_reap(struct uplink *ul)
{
	uint32_t len;
	void *token;
	int got;

	/* At most the ring's worth: the transport checks against in-flight. */
	while ((got = virtqueue_get(&ul->txq, &token, &len)) > 0)
		vswitch_frame_put(token);
	return got;
}

/* Frames queued at the port onto the TX ring: 1 more left, <0 broken. */
static int tx_work(struct uplink *ul)
{
	struct vswitch_frame *f;
	unsigned int n = 0, sent = 0;
	struct virtq_desc d[2];
	int ret = 0;

	/* A frame is taken only while the ring has its two descriptors. */
	while (n < UL_BATCH && ul->txq.nr_free >= 2 &&
	       (f = vswitch_pop(&ul->port))) {
		n++;
		if (f->len > UL_FRAME_MAX) {
			ul->st.tx_too_big++;
			vswitch_frame_put(f);
			continue;
		}
		d[0] = (struct virtq_desc){ .addr = virt_to_phys(&tx_hdr),
					    .len = UL_HDR };
		d[1] = (struct virtq_desc){ .addr = virt_to_phys(f->data),
					    .len = f->len };
		/* Its reference is the ring's now; only a broken ring fails. */
		ret = virtqueue_add(&ul->txq, d, 2, f);
		if (ret) {
			vswitch_frame_put(f);
			break;
		}
		ul->st.tx_frames++;
		ul->st.tx_bytes += f->len;
		sent++;
	}
	if (sent)
		virtqueue_kick(&ul->txq);
	if (ret)
		return -PVKIT_EIO;
	return n == UL_BATCH;
}

/* The device broke the protocol: no more DMA, and off the switch. */
static void uplink_break(struct uplink *ul)
{
	pr_err("uplink: device error: uplink down until reboot");
	ul->broken = true;
	virtio_reset(&ul->vp);
	vswitch_detach(&ul->port);
}

static bool uplink_work(struct work *w)
{
	struct uplink *ul = container_of(w, struct uplink, work);
	int rx, tx;

	if (ul->broken)
		return false;
	rx = rx_work(ul);
	tx = rx < 0 ? rx : tx_reap(ul);
	if (tx >= 0)
		tx = tx_work(ul);
	if (rx < 0 || tx < 0) {
		uplink_break(ul);
		return false;
	}
	if (!rx && !tx && ul->polling)
		work_queue_at(&ul->work, now_ns() + UL_POLL_NS);
	return rx || tx;
}

/* An RX buffer for every two descriptors, each on the ring. */
static int bufs_init(struct uplink *ul)
{
	for (unsigned int i = 0; i < ul->rxq.size / 2; i++) {
		struct uplink_rxbuf *b = &ul->rx[i];

		b->f = vswitch_frame_alloc(UL_FRAME_MAX);
		if (!b->f || rx_post(ul, b))
			return -1;
	}
	return 0;
}

static void mac_read(struct uplink *ul)
{
	if (!(ul->vp.features & VNET_F_MAC))
		return;
	for (unsigned int i = 0; i < 6; i++)
		ul->port.mac[i] = virtio_cfg_read8(&ul->vp, VNET_CFG_MAC + i);
}

static int uplink_setup(struct uplink *ul, struct pci_dev *pdev)
{
	struct virtio_pci *vp = &ul->vp;
	uint8_t vec;

	if (virtio_pci_init(vp, pdev) || virtio_negotiate(vp, VNET_F_MAC))
		return -1;
	mac_read(ul);
	vec = msi_vector_alloc(uplink_irq, ul);
	ul->polling = virtio_pci_irq(vp, vec) != 0;
	if (virtqueue_create(vp, &ul->rxq, UL_RXQ, UL_RING) ||
	    virtqueue_create(vp, &ul->txq, UL_TXQ, UL_RING)) {
		virtio_fail(vp);
		return -1;
	}
	/* The queues may have fallen back from their vector. */
	ul->polling |= !vp->msix;
	virtio_driver_ok(vp);
	if (bufs_init(ul)) {
		virtio_fail(vp);
		return -1;
	}
	virtqueue_kick(&ul->rxq);
	return 0;
}

static void uplink_start(struct uplink *ul, struct pci_dev *pdev)
{
	const uint8_t *m = ul->port.mac;

	if (vswitch_attach(vswitch_default(), &ul->port)) {
		pr_warn("uplink: the switch has no free port");
		return;
	}
	pr_info("uplink: virtio-net %02x:%02x.%u, MAC %02x:%02x:%02x:%02x:%02x:%02x, rings %u/%u, %s",
		pdev->bus, pdev->devfn >> 3, pdev->devfn & 7, m[0], m[1], m[2],
		m[3], m[4], m[5], ul->rxq.size, ul->txq.size,
		ul->polling ? "polled" : "MSI-X");
	the_uplink = ul;
	if (ul->polling)
		work_queue_at(&ul->work, now_ns() + UL_POLL_NS);
}

void uplink_virtio_probe(void)
{
	struct pci_dev *pdev = pci_find(VIRTIO_PCI_VENDOR,
					VIRTIO_PCI_MODERN_BASE + VIRTIO_ID_NET,
					0);
	struct uplink *ul;

	if (!pdev) {
		pr_warn("uplink: no virtio-net device (modern, disable-legacy=on)");
		return;
	}
	ul = kzalloc(sizeof(*ul));
	if (!ul || !pci_claim(pdev)) {
		kfree(ul);
		return;
	}
	work_init(&ul->work, pcpus[0], uplink_work);
	ul->port.kick = uplink_kick;
	ul->port.priv = ul;
	if (uplink_setup(ul, pdev)) {
		pr_warn("uplink: %02x:%02x.%u not usable", pdev->bus,
			pdev->devfn >> 3, pdev->devfn & 7);
		return;	/* its memory stays: the device may hold it */
	}
	uplink_start(ul, pdev);
}

void uplink_place(void)
{
	struct uplink *ul = the_uplink;
	struct pcpu *pc = sched_spare_pcpu();

	if (!ul || !pc || pc == ul->work.pc)
		return;
	work_move(&ul->work, pc);
	if (!ul->polling)
		pci_msix_aim(ul->vp.pdev, pc->apic_id);
	pr_info("uplink: work and interrupts on pCPU %u", pc->id);
}

void uplink_log(void)
{
	struct uplink *ul = the_uplink;
	struct vswitch_port_stats ps;

	if (!ul)
		return;
	ps = vswitch_stats(&ul->port);
	pr_info("uplink: rx %llu frames %llu bytes, tx %llu frames %llu bytes, dropped: bad from device %llu, no memory %llu, too big %llu, port queue full %llu; %llu interrupts, %llu work runs%s",
		(unsigned long long)ul->st.rx_frames,
		(unsigned long long)ul->st.rx_bytes,
		(unsigned long long)ul->st.tx_frames,
		(unsigned long long)ul->st.tx_bytes,
		(unsigned long long)ul->st.rx_bad,
		(unsigned long long)ul->st.rx_nomem,
		(unsigned long long)ul->st.tx_too_big,
		(unsigned long long)ps.rx_drops,
		(unsigned long long)ul->st.irqs,
		(unsigned long long)ul->work.runs,
		ul->broken ? ", broken" : "");
}
