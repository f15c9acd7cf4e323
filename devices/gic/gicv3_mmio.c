// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 register tables: lookup, access-size checks, guest (MMIO) and
 * attribute (uaccess) dispatch, and the per-IRQ handlers the
 * distributor and redistributor tables share.
 */
#include <errno.h>
#include <string.h>

#include "kvmkit/bus.h"
#include "gic/gicv3_int.h"

static unsigned int access_flag(unsigned int len)
{
	switch (len) {
	case 1:
		return GICV3_ACC_8;
	case 4:
		return GICV3_ACC_32;
	case 8:
		return GICV3_ACC_64;
	}
	return 0;
}

/*
 * The register holding @offset if an access of @len bytes is allowed
 * there: aligned, of a size the register takes, and (per-IRQ registers)
 * for an interrupt this GIC has.
 */
static const struct gicv3_reg *find_reg(struct gicv3 *g,
					const struct gicv3_reg *tab,
					unsigned int n, uint32_t offset,
					unsigned int len, uint32_t *intid)
{
	const struct gicv3_reg *r = NULL;

	for (unsigned int i = 0; i < n; i++) {
		if (offset >= tab[i].offset &&
		    offset - tab[i].offset < tab[i].len) {
			r = &tab[i];
			break;
		}
	}
	if (!r || !(r->access & access_flag(len)) || (offset & (len - 1)))
		return NULL;
	*intid = 0;
	if (r->bpi) {
		*intid = (offset - r->offset) * 8 / r->bpi;
		if (*intid >= gicv3_nr_irqs(g))
			return NULL;
	}
	return r;
}

/* The SGI/PPI slice of a distributor per-IRQ register: RAZ/WI. */
static bool raz_wi(const struct gicv3_reg *r, uint32_t intid)
{
	return (r->flags & GICV3_REG_SPI_ONLY) && intid < GIC_NR_PRIVATE;
}

int gicv3_mmio_dispatch(struct gicv3 *g, const struct gicv3_reg *tab,
			unsigned int n, int vcpu, uint32_t offset, void *data,
			uint32_t len, bool is_write)
{
	struct gicv3_access a = { .g = g, .vcpu = vcpu, .offset = offset,
				  .len = len };
	const struct gicv3_reg *r;

	r = find_reg(g, tab, n, offset, len, &a.intid);
	/* Unknown or badly sized accesses are RAZ/WI, as on KVM. */
	if (!r || raz_wi(r, a.intid)) {
		if (!is_write)
			memset(data, 0, len);
		return 0;
	}
	if (is_write) {
		r->write(&a, bus_get_le(data, len));
		gicv3_update(g);
	} else {
		bus_put_le(data, len, r->read(&a));
	}
	return 0;
}

int gicv3_uaccess(struct gicv3 *g, const struct gicv3_reg *tab,
		  unsigned int n, int vcpu, uint32_t offset, uint32_t *val,
		  bool is_write)
{
	struct gicv3_access a = { .g = g, .vcpu = vcpu, .offset = offset,
				  .len = 4 };
	const struct gicv3_reg *r;
	int ret = 0;

	r = find_reg(g, tab, n, offset, 4, &a.intid);
	if (!r)
		return -ENXIO;
	if (raz_wi(r, a.intid)) {
		if (!is_write)
			*val = 0;
		return 0;
	}
	if (!is_write) {
		*val = (uint32_t)(r->uread ? r->uread(&a) : r->read(&a));
		return 0;
	}
	if (r->uwrite)
		ret = r->uwrite(&a, *val);
	else
		r->write(&a, *val);
	gicv3_update(g);
	return ret;
}

bool gicv3_reg_exists(struct gicv3 *g, const struct gicv3_reg *tab,
		      unsigned int n, uint32_t offset)
{
	uint32_t intid;

	return find_reg(g, tab, n, offset, 4, &intid) != NULL;
}

uint64_t gicv3_update64(uint64_t reg, uint32_t offset, unsigned int len,
			uint64_t val)
{
	unsigned int shift = (offset & 4) * 8;

	if (len == 8)
		return val;
	reg &= ~(0xffffffffULL << shift);
	return reg | (val & 0xffffffffULL) << shift;
}

uint64_t gicv3_extract64(uint64_t reg, uint32_t offset, unsigned int len)
{
	reg >>= (offset & 7) * 8;
	return len == 8 ? reg : reg & ((1ULL << (len * 8)) - 1);
}

uint64_t gicv3_read_raz(const struct gicv3_access *a)
{
	return 0;
}

void gicv3_write_wi(const struct gicv3_access *a, uint64_t val)
{
}

int gicv3_uwrite_wi(const struct gicv3_access *a, uint64_t val)
{
	return 0;
}

/* PIDR2 names a GICv3 (ArchRev 3); the other ID registers read 0. */
uint64_t gicv3_read_idregs(const struct gicv3_access *a)
{
	return (a->offset & 0xffff) == 0xffe8 ? 0x3b : 0;
}

/* ---- per-IRQ registers ------------------------------------------------ */

static unsigned int nr_covered(const struct gicv3_access *a, unsigned int bpi)
{
	return a->len * 8 / bpi;
}

static struct gicv3_irq *irq_at(const struct gicv3_access *a, unsigned int i)
{
	return gicv3_get_irq(a->g, a->vcpu, a->intid + i);
}

uint64_t gicv3_read_group(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && irq->group)
			v |= 1ULL << i;
	}
	return v;
}

void gicv3_write_group(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq)
			irq->group = (val >> i) & 1;
	}
}

uint64_t gicv3_read_enable(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && irq->enabled)
			v |= 1ULL << i;
	}
	return v;
}

void gicv3_write_senable(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && (val >> i & 1))
			irq->enabled = 1;
	}
}

void gicv3_write_cenable(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && (val >> i & 1))
			irq->enabled = 0;
	}
}

/* Guest view: the latch ORed with a level input. */
uint64_t gicv3_read_pending(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && gicv3_irq_pending(irq))
			v |= 1ULL << i;
	}
	return v;
}

void gicv3_write_spending(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && (val >> i & 1))
			irq->latch = 1;
	}
}

void gicv3_write_cpending(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && (val >> i & 1))
			irq->latch = 0;
	}
}

/* Attribute view of ISPENDR (doc): the latch alone, read and set. */
uint64_t gicv3_uread_pending(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && irq->latch)
			v |= 1ULL << i;
	}
	return v;
}

int gicv3_uwrite_pending(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq)
			irq->latch = (val >> i) & 1;
	}
	return 0;
}

uint64_t gicv3_read_active(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && irq->active)
			v |= 1ULL << i;
	}
	return v;
}

void gicv3_write_sactive(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && (val >> i & 1))
			irq->active = 1;
	}
}

void gicv3_write_cactive(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 1); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && (val >> i & 1))
			irq->active = 0;
	}
}

uint64_t gicv3_read_priority(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 8); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq)
			v |= (uint64_t)irq->priority << (8 * i);
	}
	return v;
}

void gicv3_write_priority(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 8); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		/* Only the implemented priority bits stick. */
		if (irq)
			irq->priority = (val >> (8 * i)) & GICV3_PRI_MASK;
	}
}

uint64_t gicv3_read_config(const struct gicv3_access *a)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < nr_covered(a, 2); i++) {
		struct gicv3_irq *irq = irq_at(a, i);

		if (irq && irq->edge)
			v |= 2ULL << (2 * i);
	}
	return v;
}

void gicv3_write_config(const struct gicv3_access *a, uint64_t val)
{
	for (unsigned int i = 0; i < nr_covered(a, 2); i++) {
		struct gicv3_irq *irq;

		/*
		 * SGIs are always edge; PPIs stay level as in KVM (the
		 * timers rely on it), so ICFGR0/1 are read-only.
		 */
		if (a->intid + i < GIC_NR_PRIVATE)
			continue;
		irq = irq_at(a, i);
		if (irq)
			irq->edge = (val >> (2 * i + 1)) & 1;
	}
}
