/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device attribute streams: a device's state as an ordered list of
 * (group, attr, value bytes) records, the unit a snapshot stores for each
 * device (docs/snapshot-format.md, section "device attribute stream").
 *
 * A device type's save_stream reads its state with device_get (in the
 * order its documentation asks for: GICD_IIDR first, ITS tables saved
 * before registers, ...) and appends records.  Restore replays the
 * records in order with device_set, unless the type has its own
 * restore_stream.  Both go through the attribute ABI only, so a stream
 * saved from the kernel's device restores into the software model and
 * the other way round.
 *
 * Encoding (all little-endian), each record 8-byte aligned:
 *   le32 group, le32 len, le64 attr, len value bytes, zero padding.
 * A record with len 0 is a control operation (device_set with no value,
 * e.g. KVM_DEV_ARM_ITS_RESTORE_TABLES).  Value bytes are what the
 * attribute ABI reads or writes in memory on the snapshot's
 * architecture.
 */
#ifndef KVMKIT_ATTR_STREAM_H
#define KVMKIT_ATTR_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "kvmkit/device.h"

#define ATTR_STREAM_REC_HDR 16
/* Largest value one record may carry (FLIC's GET_ALL_IRQS buffers). */
#define ATTR_STREAM_MAX_VALUE (32U << 20)

struct attr_stream {
	uint8_t *buf;		/* encoded records */
	size_t len;		/* bytes used */
	size_t cap;		/* bytes allocated; 0 for a read-only view */
	size_t pos;		/* reader: offset of the next record */
	uint32_t count;		/* records written / read so far */
	int err;		/* first error of the writer (sticky) */
};

struct attr_rec {
	uint32_t group;
	uint64_t attr;
	uint32_t len;
	const uint8_t *val;	/* points into the stream; NULL when len is 0 */
};

/* ---- writer -------------------------------------------------------------- */

void attr_stream_init(struct attr_stream *s);
void attr_stream_free(struct attr_stream *s);
/*
 * Append one record.  Returns 0, -ENOMEM, or -E2BIG for a value over
 * ATTR_STREAM_MAX_VALUE; an error sticks in s->err.
 */
int attr_stream_put(struct attr_stream *s, uint32_t group, uint64_t attr,
		    const void *val, uint32_t len);
/* device_get (group, attr) into a @len-byte value and append it. */
int attr_stream_save(struct attr_stream *s, struct device *dev,
		     uint32_t group, uint64_t attr, uint32_t len);

/* ---- reader -------------------------------------------------------------- */

/* A read-only view of @len encoded bytes (not copied, not freed). */
void attr_stream_open(struct attr_stream *s, const void *buf, size_t len);
/* Restart reading at the first record. */
void attr_stream_rewind(struct attr_stream *s);
/*
 * The next record: 1 when @rec is filled, 0 at the end, -EBADMSG when the
 * bytes are not a well-formed stream (truncated header or value, value
 * over ATTR_STREAM_MAX_VALUE, non-zero padding).
 */
int attr_stream_next(struct attr_stream *s, struct attr_rec *rec);
/* Check the whole stream; returns the record count or -EBADMSG. */
int attr_stream_validate(const void *buf, size_t len);

/*
 * device_set every record in order.  Each value is copied into a zeroed
 * buffer of at least 8 bytes first, so a short record never lets the
 * device read past it.  Returns 0 or the first error; *failed (may be
 * NULL) gets the failing record.
 */
int attr_stream_replay(struct attr_stream *s, struct device *dev,
		       struct attr_rec *failed);

/* ---- per device type ----------------------------------------------------- */

struct attr_stream_ops {
	uint32_t types[4];	/* the KVM_DEV_TYPE_*s it serves, 0-ended */
	/* Append @dev's state; the VM's vCPUs are paused. */
	int (*save_stream)(struct device *dev, struct attr_stream *s);
	/* NULL: attr_stream_replay.  Called before any vCPU runs. */
	int (*restore_stream)(struct device *dev, struct attr_stream *s);
};

/*
 * Device code defines the one for its type under these names; a name
 * nobody defines yet stays NULL (weak), and snapshots of a VM holding
 * such a device are refused with a one-line reason.
 */
extern const struct attr_stream_ops gicv2_stream_ops;
extern const struct attr_stream_ops gicv3_stream_ops;
extern const struct attr_stream_ops its_stream_ops;
extern const struct attr_stream_ops mpic_stream_ops;
extern const struct attr_stream_ops xics_stream_ops;
extern const struct attr_stream_ops flic_stream_ops;

/* The stream ops of @type, or NULL. */
const struct attr_stream_ops *attr_stream_ops_find(uint32_t type);

#endif
