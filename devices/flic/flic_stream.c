// SPDX-License-Identifier: GPL-2.0
/*
 * The FLIC's attribute stream for snapshots (include/kvmkit/attr_stream.h,
 * s390_flic.txt).  Save uses flic_save() (APF_DISABLE_WAIT, GET_ALL_IRQS
 * growing the buffer on -ENOMEM, AISM_ALL when AIS is present) and, where
 * the FLIC can report them (KVMKIT_DEV_FLIC_ADAPTER_STATE, flic.h), the
 * adapters.  The records are set operations any FLIC takes, in the order
 * restore replays them:
 *
 *   CLEAR_IRQS                      (a control record: start empty)
 *   per adapter: ADAPTER_REGISTER, ADAPTER_MODIFY MAP per mapping (in
 *                order), ADAPTER_MODIFY MASK when masked
 *   ENQUEUE (attr = value bytes)    the pending list, in GET_ALL order,
 *                                   in chunks of at most the ABI's buffer
 *   AISM_ALL                        when the FLIC has AIS
 *
 * Restore checks every record first (one of those groups, the value
 * size it needs, a MODIFY that is MAP or MASK) and refuses the stream
 * with -EBADMSG before touching the device, then replays it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvmkit/attr_stream.h"
#include "flic/flic.h"

#define IRQ_SIZE sizeof(struct kvm_s390_irq)
/* Whole interrupts per ENQUEUE record: the ABI's and the stream's limit. */
#define CHUNK_BYTES                                                     \
	((KVM_S390_FLIC_MAX_BUFFER < ATTR_STREAM_MAX_VALUE ?            \
		  KVM_S390_FLIC_MAX_BUFFER : ATTR_STREAM_MAX_VALUE) /    \
	 IRQ_SIZE * IRQ_SIZE)

static int put_modify(struct attr_stream *s, uint32_t id, uint8_t type,
		      uint8_t mask, uint64_t addr)
{
	struct kvm_s390_io_adapter_req req = {
		.id = id, .type = type, .mask = mask, .addr = addr,
	};

	return attr_stream_put(s, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &req,
			       sizeof(req));
}

static int save_adapters(struct device *dev, struct attr_stream *s)
{
	struct kvmkit_flic_adapter_state *st;
	int ret = 0;

	if (device_has(dev, KVMKIT_DEV_FLIC_ADAPTER_STATE, 0))
		return 0;	/* the kernel's FLIC: not readable */
	st = malloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	for (uint32_t id = 0; id < KVMKIT_FLIC_MAX_ADAPTERS && !ret; id++) {
		ret = device_get(dev, KVMKIT_DEV_FLIC_ADAPTER_STATE, id, st);
		if (ret == -ENOENT) {
			ret = 0;
			continue;
		}
		if (!ret && st->nr_maps > KVMKIT_FLIC_MAX_MAPS)
			ret = -EINVAL;
		if (ret)
			break;
		ret = attr_stream_put(s, KVM_DEV_FLIC_ADAPTER_REGISTER, 0,
				      &st->io, sizeof(st->io));
		for (uint32_t m = 0; m < st->nr_maps && !ret; m++)
			ret = put_modify(s, id, KVM_S390_IO_ADAPTER_MAP, 0,
					 st->maps[m]);
		if (!ret && st->masked)
			ret = put_modify(s, id, KVM_S390_IO_ADAPTER_MASK, 1, 0);
	}
	free(st);
	return ret;
}

static int flic_save_stream(struct device *dev, struct attr_stream *s)
{
	struct flic_state st;
	int ret = flic_save(dev, &st);

	if (ret)
		return ret;
	ret = attr_stream_put(s, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL, 0) ?:
	      save_adapters(dev, s);
	for (size_t done = 0; done < st.nr_irqs && !ret;) {
		size_t bytes = (st.nr_irqs - done) * IRQ_SIZE;

		if (bytes > CHUNK_BYTES)
			bytes = CHUNK_BYTES;
		ret = attr_stream_put(s, KVM_DEV_FLIC_ENQUEUE, bytes,
				      &st.irqs[done], (uint32_t)bytes);
		done += bytes / IRQ_SIZE;
	}
	if (!ret && st.has_ais)
		ret = attr_stream_put(s, KVM_DEV_FLIC_AISM_ALL, sizeof(st.ais),
				      &st.ais, sizeof(st.ais));
	flic_state_free(&st);
	return ret ?: s->err;
}

static bool rec_ok(const struct attr_rec *r)
{
	struct kvm_s390_io_adapter_req req;

	switch (r->group) {
	case KVM_DEV_FLIC_CLEAR_IRQS:
		return r->len == 0;
	case KVM_DEV_FLIC_ADAPTER_REGISTER:
		return r->len == sizeof(struct kvm_s390_io_adapter);
	case KVM_DEV_FLIC_ADAPTER_MODIFY:
		if (r->len != sizeof(req))
			return false;
		memcpy(&req, r->val, sizeof(req));
		return req.type == KVM_S390_IO_ADAPTER_MAP ||
		       req.type == KVM_S390_IO_ADAPTER_MASK;
	case KVM_DEV_FLIC_ENQUEUE:
		return r->len && r->attr == r->len && r->len % IRQ_SIZE == 0 &&
		       r->len <= KVM_S390_FLIC_MAX_BUFFER;
	case KVM_DEV_FLIC_AISM_ALL:
		return r->len == sizeof(struct kvm_s390_ais_all);
	}
	return false;
}

static int flic_restore_stream(struct device *dev, struct attr_stream *s)
{
	struct attr_rec rec;
	int ret;

	attr_stream_rewind(s);
	while ((ret = attr_stream_next(s, &rec)) > 0)
		if (!rec_ok(&rec))
			return -EBADMSG;
	if (ret < 0)
		return ret;
	return attr_stream_replay(s, dev, NULL);
}

const struct attr_stream_ops flic_stream_ops = {
	.types = { KVM_DEV_TYPE_FLIC },
	.save_stream = flic_save_stream,
	.restore_stream = flic_restore_stream,
};
