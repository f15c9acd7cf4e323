// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS's attribute stream for snapshots (include/kvmkit/attr_stream.h,
 * docs/snapshot-format.md).  Only the attribute ABI is used, so the same
 * code saves the kernel's ITS and the software model, and a stream from
 * either restores into the other.
 *
 * Save (arm-vgic-its.txt; vCPUs paused): KVM_DEV_ARM_ITS_SAVE_TABLES
 * first, which writes the device, collection and ITT tables into guest
 * RAM (the snapshot copies RAM after every device is saved), then the
 * registers.  The records are written in the documented restore order:
 *
 *   ADDR  GITS_IIDR  GITS_CBASER  GITS_CREADR  GITS_CWRITER
 *   GITS_BASER0..7  RESTORE_TABLES (a control record)  GITS_CTLR
 *
 * Restore does not trust the stream's order: it checks every record
 * (known attribute, 8-byte value, no duplicates, the required ones
 * present) and then applies them in the order above, whatever order
 * they came in.  The base address is normally set by the machine
 * already; it is only set when still undefined, and a different one is
 * refused (-EEXIST, as the ABI answers a second address).
 */
#include <errno.h>
#include <string.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/attr_stream.h"

#define ITS_ADDR_UNDEF_VAL (~0ULL)

/* GITS_ registers, by offset, in restore order (GITS_CTLR is last). */
enum its_slot {
	SLOT_ADDR,
	SLOT_IIDR,
	SLOT_CBASER,
	SLOT_CREADR,
	SLOT_CWRITER,
	SLOT_BASER0,
	SLOT_BASER7 = SLOT_BASER0 + 7,
	SLOT_TABLES,		/* KVM_DEV_ARM_ITS_RESTORE_TABLES */
	SLOT_CTLR,
	NR_SLOTS,
};

struct its_rec_desc {
	uint32_t group;
	uint64_t attr;
	bool required;		/* a stream without it is malformed */
};

static const struct its_rec_desc its_recs[NR_SLOTS] = {
	[SLOT_ADDR] = { KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE,
			false },
	[SLOT_IIDR] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0004, true },
	[SLOT_CBASER] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0080, true },
	[SLOT_CREADR] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0090, true },
	[SLOT_CWRITER] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0088, true },
	[SLOT_BASER0 + 0] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0100, true },
	[SLOT_BASER0 + 1] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0108, true },
	[SLOT_BASER0 + 2] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0110, false },
	[SLOT_BASER0 + 3] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0118, false },
	[SLOT_BASER0 + 4] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0120, false },
	[SLOT_BASER0 + 5] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0128, false },
	[SLOT_BASER0 + 6] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0130, false },
	[SLOT_BASER0 + 7] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0138, false },
	[SLOT_TABLES] = { KVM_DEV_ARM_VGIC_GRP_CTRL,
			  KVM_DEV_ARM_ITS_RESTORE_TABLES, true },
	[SLOT_CTLR] = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x0000, true },
};

static int its_slot_of(uint32_t group, uint64_t attr)
{
	for (int i = 0; i < NR_SLOTS; i++)
		if (its_recs[i].group == group && its_recs[i].attr == attr)
			return i;
	return -1;
}

static int its_save_stream(struct device *dev, struct attr_stream *s)
{
	int ret = device_set(dev, KVM_DEV_ARM_VGIC_GRP_CTRL,
			     KVM_DEV_ARM_ITS_SAVE_TABLES, NULL);

	if (ret)
		return ret;
	for (int i = 0; i < NR_SLOTS && !ret; i++) {
		const struct its_rec_desc *d = &its_recs[i];

		if (i == SLOT_TABLES) {
			ret = attr_stream_put(s, d->group, d->attr, NULL, 0);
			continue;
		}
		/* GITS_BASER2..7 are RAZ/WI in KVM; skip any a device lacks. */
		if (!d->required && device_has(dev, d->group, d->attr))
			continue;
		ret = attr_stream_save(s, dev, d->group, d->attr, 8);
	}
	return ret ?: s->err;
}

/* The base address: keep the machine's, set it if it has none. */
static int its_restore_addr(struct device *dev, uint64_t addr)
{
	uint64_t cur = ITS_ADDR_UNDEF_VAL;

	if (!device_get(dev, KVM_DEV_ARM_VGIC_GRP_ADDR,
			KVM_VGIC_ITS_ADDR_TYPE, &cur) && cur == addr)
		return 0;
	if (cur != ITS_ADDR_UNDEF_VAL)
		return -EEXIST;
	return device_set(dev, KVM_DEV_ARM_VGIC_GRP_ADDR,
			  KVM_VGIC_ITS_ADDR_TYPE, &addr);
}

/* -EBADMSG: malformed, an unknown or repeated record, or one missing. */
static int its_parse(struct attr_stream *s, uint64_t val[NR_SLOTS],
		     bool seen[NR_SLOTS])
{
	struct attr_rec rec;
	int ret, slot;

	attr_stream_rewind(s);
	while ((ret = attr_stream_next(s, &rec)) > 0) {
		slot = its_slot_of(rec.group, rec.attr);
		if (slot < 0 || seen[slot] ||
		    rec.len != (slot == SLOT_TABLES ? 0 : 8))
			return -EBADMSG;
		seen[slot] = true;
		if (rec.len)
			memcpy(&val[slot], rec.val, 8);
	}
	if (ret < 0)
		return ret;
	for (int i = 0; i < NR_SLOTS; i++)
		if (its_recs[i].required && !seen[i])
			return -EBADMSG;
	return 0;
}

static int its_restore_stream(struct device *dev, struct attr_stream *s)
{
	uint64_t val[NR_SLOTS] = { 0 };
	bool seen[NR_SLOTS] = { false };
	int ret = its_parse(s, val, seen);

	for (int i = 0; i < NR_SLOTS && !ret; i++) {
		const struct its_rec_desc *d = &its_recs[i];

		if (!seen[i])
			continue;
		if (i == SLOT_ADDR)
			ret = its_restore_addr(dev, val[i]);
		else if (i == SLOT_TABLES)
			ret = device_set(dev, d->group, d->attr, NULL);
		else
			ret = device_set(dev, d->group, d->attr, &val[i]);
	}
	return ret;
}

const struct attr_stream_ops its_stream_ops = {
	.types = { KVM_DEV_TYPE_ARM_VGIC_ITS },
	.save_stream = its_save_stream,
	.restore_stream = its_restore_stream,
};
