// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 guest-physical layout: KVM_DEV_ARM_VGIC_GRP_ADDR (DIST, REDIST,
 * REDIST_REGION), placing each vCPU's redistributor in the regions,
 * GICR_TYPER.Last, and mapping the frames on the MMIO bus once the GIC
 * is initialized (KVM registers them by the first KVM_RUN; a software
 * model has no such hook, so CTRL_INIT or a later ADDR write does it).
 */
#include <errno.h>
#include <stdlib.h>

#include "gic/gicv3_int.h"

#define RDIST_INDEX_MASK	0xfffULL
#define RDIST_FLAGS_SHIFT	12
#define RDIST_FLAGS_MASK	0xfULL
#define RDIST_BASE_MASK		0x000fffffffff0000ULL
#define RDIST_COUNT_SHIFT	52

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static uint64_t rdreg_size(struct gicv3 *g, const struct gicv3_rdreg *r)
{
	uint64_t n = r->count;

	/* The legacy region grows with the vCPUs: at least one frame. */
	if (!n)
		n = gicv3_vcpu_count(g) > 0 ? (uint64_t)gicv3_vcpu_count(g) : 1;
	return n * GICV3_REDIST_SIZE;
}

/* Alignment, wrap-around (-EINVAL) and the IPA limit (-E2BIG). */
static int check_range(struct gicv3 *g, uint64_t base, uint64_t size)
{
	unsigned int bits = devhost_ipa_bits(g->host);
	uint64_t limit = bits >= 64 ? ~0ULL : 1ULL << bits;

	if (base & (GICV3_ALIGN - 1))
		return -EINVAL;
	if (base + size < base)
		return -EINVAL;
	if (base >= limit || size > limit - base)
		return -E2BIG;
	return 0;
}

/* Overlap with the distributor or another region: -EINVAL. */
static int check_overlap(struct gicv3 *g, uint64_t base, uint64_t size,
			 bool is_dist)
{
	if (!is_dist && g->dist_base != GICV3_ADDR_UNDEF &&
	    overlaps(base, size, g->dist_base, GICV3_DIST_SIZE))
		return -EINVAL;
	for (unsigned int i = 0; i < g->nr_rdregs; i++)
		if (overlaps(base, size, g->rdregs[i].base,
			     rdreg_size(g, &g->rdregs[i])))
			return -EINVAL;
	return 0;
}

static int map_dist(struct gicv3 *g)
{
	int ret;

	if (g->dist_base == GICV3_ADDR_UNDEF || g->dist_mapped)
		return 0;
	ret = devhost_map_mmio(g->host, g->dist_base, GICV3_DIST_SIZE,
			       gicv3_dist_mmio, g, "gicv3-dist");
	if (!ret)
		g->dist_mapped = true;
	return ret;
}

/* Regions fill in index order, vCPUs in index order (as KVM). */
static void place(struct gicv3 *g, struct gicv3_vcpu *v)
{
	for (unsigned int i = 0; i < g->nr_rdregs; i++) {
		struct gicv3_rdreg *r = &g->rdregs[i];

		if (r->count && r->used >= r->count)
			continue;
		v->rdreg = (int)i;
		v->rdslot = r->used++;
		v->rd_base = r->base + v->rdslot * GICV3_REDIST_SIZE;
		return;
	}
}

static int map_redists(struct gicv3 *g)
{
	for (int i = 0; i < g->nr_vcpus; i++) {
		struct gicv3_vcpu *v = &g->vcpus[i];
		int ret;

		if (v->rdreg < 0)
			place(g, v);
		if (v->rdreg < 0 || v->rd_mapped)
			continue;
		ret = devhost_map_mmio(g->host, v->rd_base, GICV3_REDIST_SIZE,
				       gicv3_redist_mmio, &v->io,
				       "gicv3-redist");
		if (ret)
			return ret;
		v->rd_mapped = true;
	}
	return 0;
}

int gicv3_map_all(struct gicv3 *g)
{
	int ret = map_dist(g);

	return ret ? ret : map_redists(g);
}

/* The distributor and redistributor frames (not the CPU window). */
void gicv3_unmap_frames(struct gicv3 *g)
{
	if (g->dist_mapped)
		devhost_unmap_mmio(g->host, g->dist_base);
	g->dist_mapped = false;
	for (int i = 0; g->vcpus && i < g->nr_vcpus; i++) {
		if (g->vcpus[i].rd_mapped)
			devhost_unmap_mmio(g->host, g->vcpus[i].rd_base);
		g->vcpus[i].rd_mapped = false;
	}
}

void gicv3_unmap_all(struct gicv3 *g)
{
	gicv3_unmap_frames(g);
	if (g->window_mapped)
		devhost_unmap_mmio(g->host, g->window_base);
	g->window_mapped = false;
}

/* Undo the last region after its frames failed to map. */
static void drop_last_region(struct gicv3 *g)
{
	int last = (int)g->nr_rdregs - 1;

	for (int i = 0; g->vcpus && i < g->nr_vcpus; i++) {
		struct gicv3_vcpu *v = &g->vcpus[i];

		if (v->rdreg != last)
			continue;
		if (v->rd_mapped)
			devhost_unmap_mmio(g->host, v->rd_base);
		v->rd_mapped = false;
		v->rdreg = -1;
	}
	g->nr_rdregs--;
	if (!g->nr_rdregs)
		g->rd_legacy = false;
}

static int add_region(struct gicv3 *g, uint32_t index, uint64_t base,
		      uint32_t count)
{
	struct gicv3_rdreg r = { .base = base, .count = count, .index = index };
	struct gicv3_rdreg *n;
	int ret;

	/* REDIST and REDIST_REGION do not mix (doc), in either order. */
	if (g->nr_rdregs) {
		if (g->rd_legacy != !count)
			return -EINVAL;
		if (!count)
			return -EEXIST;
	}
	/* Regions come in index order from 0; a used index is no "next". */
	if (index != g->nr_rdregs)
		return -EINVAL;
	ret = check_range(g, base, rdreg_size(g, &r));
	if (!ret)
		ret = check_overlap(g, base, rdreg_size(g, &r), false);
	if (ret)
		return ret;
	n = realloc(g->rdregs, (g->nr_rdregs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	g->rdregs = n;
	g->rdregs[g->nr_rdregs++] = r;
	g->rd_legacy = !count;
	if (!g->initialized)
		return 0;
	ret = map_redists(g);
	if (ret)
		drop_last_region(g);
	return ret;
}

static int set_dist(struct gicv3 *g, uint64_t base)
{
	int ret;

	if (g->dist_base != GICV3_ADDR_UNDEF)
		return -EEXIST;
	ret = check_range(g, base, GICV3_DIST_SIZE);
	if (!ret)
		ret = check_overlap(g, base, GICV3_DIST_SIZE, true);
	if (ret)
		return ret;
	g->dist_base = base;
	if (!g->initialized)
		return 0;
	ret = map_dist(g);
	if (ret)
		g->dist_base = GICV3_ADDR_UNDEF;
	return ret;
}

int gicv3_addr_set(struct gicv3 *g, uint64_t type, uint64_t val)
{
	uint32_t count;

	switch (type) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		return set_dist(g, val);
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		return add_region(g, 0, val, 0);
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		count = (uint32_t)(val >> RDIST_COUNT_SHIFT);
		if (!count || (val >> RDIST_FLAGS_SHIFT & RDIST_FLAGS_MASK))
			return -EINVAL;
		return add_region(g, (uint32_t)(val & RDIST_INDEX_MASK),
				  val & RDIST_BASE_MASK, count);
	}
	return -ENXIO;
}

/* @val: in, for REDIST_REGION, the index to look up; out, the value. */
int gicv3_addr_get(struct gicv3 *g, uint64_t type, uint64_t *val)
{
	uint64_t index = *val & RDIST_INDEX_MASK;

	switch (type) {
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		*val = g->dist_base;
		return 0;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		*val = g->nr_rdregs ? g->rdregs[0].base : GICV3_ADDR_UNDEF;
		return 0;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION:
		for (unsigned int i = 0; i < g->nr_rdregs; i++) {
			const struct gicv3_rdreg *r = &g->rdregs[i];

			if (r->index != index)
				continue;
			*val = index | r->base |
			       (uint64_t)r->count << RDIST_COUNT_SHIFT;
			return 0;
		}
		return -ENOENT;
	}
	return -ENXIO;
}

/*
 * GICR_TYPER.Last: the last redistributor placed in its region, unless
 * the region is full and another populated region follows contiguously
 * (then the pair reads as one).
 */
bool gicv3_redist_is_last(struct gicv3 *g, int vcpu)
{
	const struct gicv3_vcpu *v = &g->vcpus[vcpu];
	const struct gicv3_rdreg *r;
	uint64_t end;

	if (v->rdreg < 0)
		return false;
	r = &g->rdregs[v->rdreg];
	if (v->rdslot + 1 < r->used)
		return false;
	if (!r->count || v->rdslot != r->count - 1)
		return true;
	end = r->base + (uint64_t)r->count * GICV3_REDIST_SIZE;
	for (unsigned int i = 0; i < g->nr_rdregs; i++)
		if (g->rdregs[i].base == end && g->rdregs[i].used)
			return false;
	return true;
}
