// SPDX-License-Identifier: GPL-2.0
/*
 * The MPIC's attribute stream for snapshots (include/kvmkit/attr_stream.h,
 * docs/devices/mpic.md "Save and restore"), through the attribute ABI
 * only.  Records, in the order restore replays them:
 *
 *  1. MISC/BASE_ADDR (the machine set the same one: a no-op then);
 *  2. GCR, SPVR, TFRR, IPIVPR0-3;
 *  3. per timer: GTBCR, GTVPR, GTDR (GTCCR is read-only);
 *  4. per source 0..255: IDR, ILR (v4.2), IVPR: routing before a
 *     possible unmask, and IVPR's sense decides what step 6 means;
 *  5. per vCPU (FRR[NCPU] + 1 of them): CTPR in its per-CPU page;
 *  6. IRQ_ACTIVE 0..255: level lines and edge latches;
 *  7. the MSIRs: reading one clears it, so each bit read is recorded as
 *     an MSIIR write and written back into the running MPIC at once;
 *  8. where the device has KVMKIT_DEV_MPIC_GRP_STATE (mpic.h): each
 *     timer's pending edge and TOG, then each vCPU's in-service stack
 *     and pending IPIs, last, so the output lines follow the final state.
 *
 * Restore checks every record first (a known attribute, the value size
 * its group has) and refuses the stream with -EBADMSG before touching
 * the device; then it replays the records in order.
 */
#include <errno.h>
#include <string.h>

#include "kvmkit/abi/ppc.h"
#include "kvmkit/attr_stream.h"
#include "mpic/mpic.h"

#define FRR_NCPU_SHIFT 8
#define FRR_NCPU_MASK 0x1f00u

static int save_reg(struct attr_stream *s, struct device *dev, uint64_t off)
{
	return attr_stream_save(s, dev, KVM_DEV_MPIC_GRP_REGISTER, off, 4);
}

static int read_reg(struct device *dev, uint64_t off, uint32_t *val)
{
	return device_get(dev, KVM_DEV_MPIC_GRP_REGISTER, off, val);
}

static int save_config(struct device *dev, struct attr_stream *s,
		       unsigned int cpus)
{
	static const uint64_t globals[] = { MPIC_GCR, MPIC_SPVR, MPIC_TFRR };
	bool v42 = dev->type == KVM_DEV_TYPE_FSL_MPIC_42;
	int ret = attr_stream_save(s, dev, KVM_DEV_MPIC_GRP_MISC,
				   KVM_DEV_MPIC_BASE_ADDR, 8);

	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++)
		ret = ret ?: save_reg(s, dev, globals[i]);
	for (int n = 0; n < MPIC_NR_IPI; n++)
		ret = ret ?: save_reg(s, dev, MPIC_IPIVPR(n));
	for (int n = 0; n < MPIC_NR_TMR; n++)
		ret = ret ?: save_reg(s, dev, MPIC_GTBCR(n)) ?:
			     save_reg(s, dev, MPIC_GTVPR(n)) ?:
			     save_reg(s, dev, MPIC_GTDR(n));
	for (int n = 0; n < MPIC_NR_SRC && !ret; n++) {
		ret = save_reg(s, dev, MPIC_IDR(n));
		if (v42)
			ret = ret ?: save_reg(s, dev, MPIC_ILR(n));
		ret = ret ?: save_reg(s, dev, MPIC_IVPR(n));
	}
	for (unsigned int c = 0; c < cpus; c++)
		ret = ret ?: save_reg(s, dev, MPIC_CPU(c) + MPIC_CTPR);
	return ret;
}

/* Step 7: MSIR bits as MSIIR writes, put back at once. */
static int save_msis(struct device *dev, struct attr_stream *s)
{
	uint32_t msisr, bits;
	int ret = read_reg(dev, MPIC_MSISR, &msisr);

	for (unsigned int srs = 0; srs < MPIC_NR_MSIR && !ret; srs++) {
		if (!(msisr & (1u << srs)))
			continue;
		ret = read_reg(dev, MPIC_MSIR(srs), &bits);
		for (unsigned int ibs = 0; ibs < 32 && !ret; ibs++) {
			uint32_t msiir = srs << MPIC_MSIIR_SRS_SHIFT |
					 ibs << MPIC_MSIIR_IBS_SHIFT;

			if (!(bits & (1u << ibs)))
				continue;
			ret = device_set(dev, KVM_DEV_MPIC_GRP_REGISTER,
					 MPIC_MSIIR, &msiir) ?:
			      attr_stream_put(s, KVM_DEV_MPIC_GRP_REGISTER,
					      MPIC_MSIIR, &msiir, 4);
		}
	}
	return ret;
}

/* Step 8, where the device offers the extension group. */
static int save_ext(struct device *dev, struct attr_stream *s,
		    unsigned int cpus)
{
	int ret = 0;

	if (device_has(dev, KVMKIT_DEV_MPIC_GRP_STATE, 0))
		return 0;
	for (int t = 0; t < MPIC_NR_TMR && !ret; t++)
		ret = attr_stream_save(s, dev, KVMKIT_DEV_MPIC_GRP_STATE,
				       KVMKIT_MPIC_STATE_TIMER(t), 8);
	for (unsigned int c = 0; c < cpus && !ret; c++)
		ret = attr_stream_save(s, dev, KVMKIT_DEV_MPIC_GRP_STATE, c,
				       KVMKIT_MPIC_CPU_STATE_WORDS * 8);
	return ret;
}

static int mpic_save_stream(struct device *dev, struct attr_stream *s)
{
	uint32_t frr;
	unsigned int cpus;
	int ret = read_reg(dev, MPIC_FRR, &frr);

	if (ret)
		return ret;
	cpus = ((frr & FRR_NCPU_MASK) >> FRR_NCPU_SHIFT) + 1;
	ret = save_config(dev, s, cpus);
	for (int n = 0; n < MPIC_NR_SRC && !ret; n++)
		ret = attr_stream_save(s, dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE,
				       (uint64_t)n, 4);
	ret = ret ?: save_msis(dev, s) ?: save_ext(dev, s, cpus);
	return ret ?: s->err;
}

/* REGISTER offsets a stream may write: the ones save records. */
static bool reg_ok(uint64_t off)
{
	if (off == MPIC_GCR || off == MPIC_SPVR || off == MPIC_TFRR ||
	    off == MPIC_MSIIR)
		return true;
	if (off >= MPIC_IPIVPR(0) && off < MPIC_IPIVPR(MPIC_NR_IPI))
		return (off - MPIC_IPIVPR(0)) % 0x10 == 0;
	if (off >= MPIC_GTCCR(0) && off < MPIC_GTCCR(MPIC_NR_TMR))
		return (off & 0x3f) != 0 && (off & 0xf) == 0;
	if (off >= MPIC_IVPR(0) && off < MPIC_IVPR(MPIC_NR_SRC))
		return (off & 0x1f) == 0 || (off & 0x1f) == 0x10 ||
		       (off & 0x1f) == 0x18;
	if (off >= MPIC_CPU(0) && off < MPIC_CPU(MPIC_NR_CPU))
		return (off & 0xfff) == MPIC_CTPR;
	return false;
}

/* The value size of a record the stream may hold, 0 if none. */
static uint32_t rec_size(const struct attr_rec *r)
{
	switch (r->group) {
	case KVM_DEV_MPIC_GRP_MISC:
		return r->attr == KVM_DEV_MPIC_BASE_ADDR ? 8 : 0;
	case KVM_DEV_MPIC_GRP_REGISTER:
		return reg_ok(r->attr) ? 4 : 0;
	case KVM_DEV_MPIC_GRP_IRQ_ACTIVE:
		return r->attr < MPIC_NR_SRC ? 4 : 0;
	case KVMKIT_DEV_MPIC_GRP_STATE:
		if (r->attr < MPIC_NR_CPU)
			return KVMKIT_MPIC_CPU_STATE_WORDS * 8;
		return r->attr >= KVMKIT_MPIC_STATE_TIMER(0) &&
			       r->attr < KVMKIT_MPIC_STATE_TIMER(MPIC_NR_TMR) ?
			       8 : 0;
	}
	return 0;
}

static int mpic_restore_stream(struct device *dev, struct attr_stream *s)
{
	struct attr_rec rec;
	int ret;

	attr_stream_rewind(s);
	while ((ret = attr_stream_next(s, &rec)) > 0) {
		uint32_t size = rec_size(&rec);

		if (!size || rec.len != size)
			return -EBADMSG;
	}
	if (ret < 0)
		return ret;
	return attr_stream_replay(s, dev, NULL);
}

const struct attr_stream_ops mpic_stream_ops = {
	.types = { KVM_DEV_TYPE_FSL_MPIC_20, KVM_DEV_TYPE_FSL_MPIC_42 },
	.save_stream = mpic_save_stream,
	.restore_stream = mpic_restore_stream,
};
