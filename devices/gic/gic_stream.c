// SPDX-License-Identifier: GPL-2.0
/*
 * The GIC attribute streams' shared part (gic_stream.h): the save tables'
 * walker and the checked restore.  Records hold what device_set must be
 * given, in the order it must be given: the stream is the documented
 * restore sequence itself (arm-vgic.txt, arm-vgic-v3.txt), clear-twin
 * writes included, so the same bytes restore into either backend.
 */
#include <errno.h>
#include <string.h>

#include "gic/gic_stream.h"

#define GIC_NR_IRQS_UNSET 64	/* both backends read less until it is set */

int gic_save_nr_irqs(struct gic_save *g)
{
	uint32_t nr = 0;
	int ret = device_get(g->dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr);

	if (ret)
		return ret;
	g->nr_irqs = nr;
	return attr_stream_put(g->s, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr,
			       sizeof(nr));
}

int gic_save_word(struct gic_save *g, uint32_t group, uint64_t attr,
		  bool clear, uint64_t clear_attr, uint32_t drop)
{
	const uint32_t ones = 0xffffffff;
	uint32_t val = 0;
	int ret = device_has(g->dev, group, attr);

	if (ret)
		return ret == -ENXIO ? 0 : ret;
	if (clear && !device_has(g->dev, group, clear_attr)) {
		ret = attr_stream_put(g->s, group, clear_attr, &ones,
				      sizeof(ones));
		if (ret)
			return ret;
	}
	ret = device_get(g->dev, group, attr, &val);
	if (ret)
		return ret;
	val &= ~drop;
	return attr_stream_put(g->s, group, attr, &val, sizeof(val));
}

int gic_save_reg(struct gic_save *g, uint32_t group, uint64_t attr,
		 uint32_t len)
{
	int ret = device_has(g->dev, group, attr);

	if (ret)
		return ret == -ENXIO ? 0 : ret;
	return attr_stream_save(g->s, g->dev, group, attr, len);
}

/* The words of @st for one vCPU (@vcpu: the attr's bits 63:32). */
static int save_range(struct gic_save *g, const struct gic_step *st,
		      uint64_t vcpu, uint32_t first, uint32_t count)
{
	uint32_t start = first * st->bits / 8;
	int ret = 0;

	for (uint32_t w = 0; w < count * st->bits / 32 && !ret; w++) {
		uint32_t lo = st->off + start + 4 * w;

		/* LEVEL_INFO's attr names the first INTID of the word. */
		if (st->group == KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO)
			lo = first + 32 * w;
		ret = gic_save_word(g, st->group, vcpu | lo, st->clear != 0,
				    vcpu | (st->clear + start + 4 * w),
				    first == 0 && w == 0 ? st->drop : 0);
	}
	return ret;
}

static int save_step(struct gic_save *g, const struct gic_step *st)
{
	uint32_t first = 0, count = 0;
	int ret = 0;

	switch (st->span) {
	case GIC_SPAN_ONE:
		return gic_save_word(g, st->group, g->vcpu[0] | st->off,
				     st->clear != 0, g->vcpu[0] | st->clear, 0);
	case GIC_SPAN_EACH:
		for (int i = 0; i < g->nr_vcpus && !ret; i++)
			ret = gic_save_word(g, st->group, g->vcpu[i] | st->off,
					    st->clear != 0,
					    g->vcpu[i] | st->clear, 0);
		return ret;
	case GIC_SPAN_SGIS:
		count = 16;
		break;
	case GIC_SPAN_PRIVATE:
		count = 32;
		break;
	case GIC_SPAN_SPIS:
		/* NR_IRQS bounds the shared arrays: past it there's nothing. */
		first = 32;
		count = g->nr_irqs > 32 ? g->nr_irqs - 32 : 0;
		return save_range(g, st, g->vcpu[0], first, count);
	default:
		return -EINVAL;
	}
	for (int i = 0; i < g->nr_vcpus && !ret; i++)
		ret = save_range(g, st, g->vcpu[i], first, count);
	return ret;
}

int gic_save_steps(struct gic_save *g, const struct gic_step *steps,
		   size_t n)
{
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++)
		ret = save_step(g, &steps[i]);
	return ret ?: g->s->err;
}

/* ---- restore ------------------------------------------------------------ */

/* Framing, groups, lengths, NR_IRQS first and GICD_IIDR second. */
static int check_shape(struct attr_stream *s, const uint8_t *lens,
		       uint32_t *nr_irqs)
{
	struct attr_rec rec;
	int ret;

	attr_stream_rewind(s);
	while ((ret = attr_stream_next(s, &rec)) > 0) {
		bool is_nr = rec.group == KVM_DEV_ARM_VGIC_GRP_NR_IRQS;

		if (rec.group >= GIC_STREAM_NR_GROUPS || !lens[rec.group] ||
		    rec.len != lens[rec.group] || is_nr != (s->count == 1))
			return -EBADMSG;
		if (is_nr)
			memcpy(nr_irqs, rec.val, sizeof(*nr_irqs));
		if (s->count == 2 &&
		    (rec.group != KVM_DEV_ARM_VGIC_GRP_DIST_REGS ||
		     (rec.attr & KVM_DEV_ARM_VGIC_OFFSET_MASK) != GIC_OFF_IIDR))
			return -EBADMSG;
	}
	if (ret < 0)
		return ret;
	return s->count < 2 ? -EBADMSG : 0;
}

/* The machine set NR_IRQS already: it must be the stream's. */
static int match_nr_irqs(struct device *dev, uint32_t nr_irqs)
{
	uint32_t cur = 0;
	int ret = device_get(dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &cur);

	if (ret)
		return ret;
	if (cur == nr_irqs)
		return 0;
	if (cur >= GIC_NR_IRQS_UNSET)
		return -EBUSY;
	return device_set(dev, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
}

/* A record the device lacks that may be skipped (has_attr -ENXIO). */
static bool skipped(struct device *dev, const struct gic_stream_fmt *fmt,
		    const struct attr_rec *rec)
{
	return fmt->optional && fmt->optional(rec->group, rec->attr) &&
	       device_has(dev, rec->group, rec->attr) == -ENXIO;
}

/* has_attr of every register record, before anything is written. */
static int check_regs(struct device *dev, struct attr_stream *s,
		      const struct gic_stream_fmt *fmt)
{
	struct attr_rec rec;
	int ret;

	attr_stream_rewind(s);
	attr_stream_next(s, &rec);	/* NR_IRQS */
	while ((ret = attr_stream_next(s, &rec)) > 0) {
		ret = device_has(dev, rec.group, rec.attr);
		if (ret && !skipped(dev, fmt, &rec))
			return ret;
	}
	return ret;
}

static int apply(struct device *dev, struct attr_stream *s,
		 const struct gic_stream_fmt *fmt)
{
	struct attr_rec rec;
	uint64_t val;
	int ret;

	attr_stream_rewind(s);
	attr_stream_next(s, &rec);	/* NR_IRQS */
	while ((ret = attr_stream_next(s, &rec)) > 0) {
		if (skipped(dev, fmt, &rec))
			continue;
		val = 0;
		memcpy(&val, rec.val, rec.len);
		ret = device_set(dev, rec.group, rec.attr, &val);
		if (ret == -EINVAL && fmt->refused) {
			/* the value as the stream's architecture stores it */
			if (rec.len == 4) {
				uint32_t v32;

				memcpy(&v32, rec.val, 4);
				val = v32;
			}
			ret = fmt->refused(dev, rec.group, rec.attr, val);
		}
		if (ret)
			return ret;
	}
	return ret;
}

int gic_stream_restore(struct device *dev, struct attr_stream *s,
		       const struct gic_stream_fmt *fmt)
{
	uint32_t nr_irqs = 0;
	int ret = check_shape(s, fmt->lens, &nr_irqs);

	if (ret)
		return ret;
	attr_stream_rewind(s);
	attr_stream_next(s, &(struct attr_rec){ 0 });
	ret = match_nr_irqs(dev, nr_irqs);
	return ret ?: check_regs(dev, s, fmt) ?: apply(dev, s, fmt);
}
