// SPDX-License-Identifier: GPL-2.0
/*
 * Table-driven register decoding for the software GICv2: one lookup for
 * both frames and both callers.  The guest's accesses and the attribute
 * interface's accesses find the same descriptor; the attribute side uses
 * the descriptor's user-access handlers where the ABI gives a register
 * different semantics (GICD_ISPENDR, GICD_IGROUPR, GICD_IIDR, GICC_PMR).
 */
#include <errno.h>
#include <string.h>

#include "gic/gicv2_priv.h"
#include "kvmkit/bus.h"

static const struct gicv2_reg *gicv2_find_reg(const struct gicv2_regmap *map,
					      uint32_t offset)
{
	size_t lo = 0, hi = map->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gicv2_reg *r = &map->regs[mid];

		if (offset < r->offset)
			hi = mid;
		else if (offset - r->offset >= r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

static unsigned int gicv2_size_flag(unsigned int len)
{
	switch (len) {
	case 1:
		return GICV2_ACC_8;
	case 4:
		return GICV2_ACC_32;
	default:
		return 0;
	}
}

/*
 * The descriptor for an access of @len bytes at @offset, or NULL when
 * the access is misaligned, of a size the register does not take, or
 * names INTIDs beyond the @nr_irqs the GIC has.
 */
static const struct gicv2_reg *gicv2_lookup(const struct gicv2_regmap *map,
					    uint32_t offset, unsigned int len,
					    unsigned int nr_irqs,
					    uint32_t *intid)
{
	const struct gicv2_reg *r = gicv2_find_reg(map, offset);
	unsigned int flag = gicv2_size_flag(len);

	if (!r || !flag || !(r->access & flag) || (offset & (len - 1)))
		return NULL;
	*intid = 0;
	if (r->bits_per_irq) {
		*intid = (offset - r->offset) * 8 / r->bits_per_irq;
		if (*intid >= nr_irqs)
			return NULL;
	}
	return r;
}

void gicv2_regs_guest(struct gicv2 *gic, const struct gicv2_regmap *map,
		      int cpu, uint32_t offset, void *data, uint32_t len,
		      bool is_write)
{
	struct gicv2_access a = { .gic = gic, .cpu = cpu, .offset = offset,
				  .len = len };
	const struct gicv2_reg *r = NULL;

	/* A vCPU the GIC was not sized for has no CPU interface. */
	if (cpu >= 0 && cpu < gic->nr_cpus && gic->ready)
		r = gicv2_lookup(map, offset, len, gic->nr_irqs, &a.intid);

	if (!is_write) {
		uint32_t val = r && r->read ? r->read(&a) : 0;

		memset(data, 0, len);
		bus_put_le(data, len < 4 ? len : 4, val);
		return;
	}
	if (r && r->write) {
		r->write(&a, (uint32_t)bus_get_le(data, len));
		gicv2_update(gic);
	}
}

int gicv2_regs_user(struct gicv2 *gic, const struct gicv2_regmap *map,
		    int cpu, uint32_t offset, uint32_t *val, bool is_write)
{
	struct gicv2_access a = { .gic = gic, .cpu = cpu, .offset = offset,
				  .len = 4 };
	const struct gicv2_reg *r;
	int ret = 0;

	r = gicv2_lookup(map, offset, 4, gic->nr_irqs, &a.intid);
	if (!r || r->guest_only)
		return -ENXIO;

	if (!is_write) {
		if (r->uread)
			*val = r->uread(&a);
		else
			*val = r->read ? r->read(&a) : 0;
		return 0;
	}
	if (r->uwrite)
		ret = r->uwrite(&a, *val);
	else if (r->write)
		r->write(&a, *val);
	gicv2_update(gic);
	return ret;
}

bool gicv2_regs_user_has(struct gicv2 *gic, const struct gicv2_regmap *map,
			 uint32_t offset)
{
	unsigned int nr_irqs = gic->nr_irqs ? gic->nr_irqs :
					      GICV2_DEFAULT_NR_IRQS;
	const struct gicv2_reg *r;
	uint32_t intid;

	r = gicv2_lookup(map, offset, 4, nr_irqs, &intid);
	return r && !r->guest_only;
}
