// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 interrupt state: SGI/PPI/SPI lookup, the pending/active state
 * machine, routing by affinity, line levels, and the choice of the
 * highest-priority pending interrupt that drives each vCPU's IRQ/FIQ.
 */
#include <errno.h>

#include "gic/gicv3_int.h"

uint32_t gicv3_nr_irqs(const struct gicv3 *g)
{
	return GIC_NR_PRIVATE + g->nr_spis;
}

/* SGIs/PPIs are banked per vCPU; NULL for anything this GIC lacks. */
struct gicv3_irq *gicv3_get_irq(struct gicv3 *g, int vcpu, uint32_t intid)
{
	if (intid < GIC_NR_PRIVATE) {
		if (!g->vcpus || vcpu < 0 || vcpu >= g->nr_vcpus)
			return NULL;
		return &g->vcpus[vcpu].priv[intid];
	}
	if (!g->spis || intid >= gicv3_nr_irqs(g) || intid >= GIC_MAX_INTID_SPI)
		return NULL;
	return &g->spis[intid - GIC_NR_PRIVATE];
}

/*
 * Edge: the latch alone.  Level: the latch (set by ISPENDR, cleared by
 * ICPENDR or activation) ORed with the input line.
 */
bool gicv3_irq_pending(const struct gicv3_irq *irq)
{
	return irq->latch || (!irq->edge && irq->level);
}

uint32_t gicv3_mpidr_to_aff(uint64_t mpidr)
{
	return (uint32_t)(mpidr & 0xffffff) | (uint32_t)((mpidr >> 32) & 0xff)
							<< 24;
}

/* vCPU whose affinity (Aff3.Aff2.Aff1.Aff0) is @aff, or -1. */
int gicv3_vcpu_by_aff(struct gicv3 *g, uint32_t aff)
{
	int n = gicv3_vcpu_count(g);

	for (int i = 0; i < n; i++)
		if (gicv3_mpidr_to_aff(gicv3_vcpu_mpidr(g, i)) == aff)
			return i;
	return -1;
}

void gicv3_spi_retarget(struct gicv3 *g, struct gicv3_irq *irq)
{
	irq->target = (int16_t)gicv3_vcpu_by_aff(g, irq->route);
}

/*
 * Reset state as KVM builds it at vgic_init: everything Group 1, SGIs
 * enabled, PPIs level, SGIs and SPIs edge (KVM's zeroed config).
 */
void gicv3_irq_reset(struct gicv3 *g)
{
	for (int v = 0; v < g->nr_vcpus; v++) {
		for (int i = 0; i < GIC_NR_PRIVATE; i++) {
			struct gicv3_irq *irq = &g->vcpus[v].priv[i];

			*irq = (struct gicv3_irq){ .group = 1, .target = v };
			/* SGIs: enabled and edge; PPIs: level */
			if (i < GIC_NR_SGIS) {
				irq->enabled = 1;
				irq->edge = 1;
			}
		}
	}
	for (uint32_t i = 0; i < g->nr_spis; i++) {
		g->spis[i] = (struct gicv3_irq){ .group = 1, .edge = 1 };
		gicv3_spi_retarget(g, &g->spis[i]);
	}
}

/*
 * An input line change.  Edge interrupts latch on every assertion (KVM
 * does not track their line); level ones follow the line.
 */
int gicv3_inject_locked(struct gicv3 *g, int vcpu, uint32_t intid,
			int level)
{
	struct gicv3_irq *irq = gicv3_get_irq(g, vcpu, intid);

	if (!irq)
		return -EINVAL;
	if (irq->edge) {
		if (level)
			irq->latch = 1;
	} else {
		irq->level = !!level;
	}
	gicv3_update(g);
	return 0;
}

/*
 * LEVEL_INFO: SGIs and INTIDs at or above NR_IRQS are RAZ/WI; a read
 * reports the line of level-configured interrupts only (as KVM), a
 * write sets the line whatever the configuration, so it may precede
 * the ICFGR restore.
 */
static bool level_info_valid(struct gicv3 *g, uint32_t intid)
{
	return intid >= GIC_NR_SGIS && intid < gicv3_nr_irqs(g);
}

uint32_t gicv3_level_info_read(struct gicv3 *g, int vcpu, uint32_t intid)
{
	uint32_t val = 0;

	for (uint32_t i = 0; i < 32; i++) {
		struct gicv3_irq *irq;

		if (!level_info_valid(g, intid + i))
			continue;
		irq = gicv3_get_irq(g, vcpu, intid + i);
		if (irq && !irq->edge && irq->level)
			val |= 1u << i;
	}
	return val;
}

void gicv3_level_info_write(struct gicv3 *g, int vcpu, uint32_t intid,
			    uint32_t val)
{
	for (uint32_t i = 0; i < 32; i++) {
		struct gicv3_irq *irq;

		if (!level_info_valid(g, intid + i))
			continue;
		irq = gicv3_get_irq(g, vcpu, intid + i);
		if (irq)
			irq->level = (val >> i) & 1;
	}
	gicv3_update(g);
}

/* ---- delivery ---------------------------------------------------------- */

static bool candidate(const struct gicv3_irq *irq, const struct gicv3_cpuif *c)
{
	return irq->enabled && !irq->active && gicv3_irq_pending(irq) &&
	       (irq->group ? c->igrpen1 : c->igrpen0);
}

static void consider(struct gicv3_hppi *h, const struct gicv3_irq *irq,
		     uint32_t intid)
{
	/* Strictly higher priority wins: ties go to the lower INTID. */
	if (h->intid == GIC_SPURIOUS || irq->priority < h->priority) {
		h->intid = intid;
		h->priority = irq->priority;
		h->group = irq->group;
	}
}

/*
 * The highest-priority pending interrupt of @vcpu that is enabled, not
 * active, and in an enabled group; PMR and running priority are left to
 * gicv3_cpuif_can_signal.  As in KVM, GICD_CTLR.EnableGrp1 gates all.
 */
void gicv3_hppi(struct gicv3 *g, int vcpu, struct gicv3_hppi *out)
{
	struct gicv3_vcpu *v = &g->vcpus[vcpu];
	uint32_t intid;
	uint8_t prio;

	*out = (struct gicv3_hppi){ .intid = GIC_SPURIOUS, .priority = 0xff,
				    .group = 1 };
	if (!g->enabled)
		return;
	for (uint32_t i = 0; i < GIC_NR_PRIVATE; i++)
		if (candidate(&v->priv[i], &v->cpuif))
			consider(out, &v->priv[i], i);
	for (uint32_t i = 0; i < g->nr_spis; i++) {
		const struct gicv3_irq *irq = &g->spis[i];

		if (irq->target == vcpu && candidate(irq, &v->cpuif) &&
		    i + GIC_NR_PRIVATE < GIC_MAX_INTID_SPI)
			consider(out, irq, i + GIC_NR_PRIVATE);
	}
	if (v->cpuif.igrpen1 && gicv3_lpi_hppi(g, vcpu, &intid, &prio) &&
	    (out->intid == GIC_SPURIOUS || prio < out->priority)) {
		out->intid = intid;
		out->priority = prio;
		out->group = 1;
	}
}

void gicv3_update(struct gicv3 *g)
{
	if (!g->initialized)
		return;
	for (int i = 0; i < g->nr_vcpus; i++) {
		struct gicv3_vcpu *v = &g->vcpus[i];
		struct gicv3_hppi h;
		bool irq = false, fiq = false;

		gicv3_hppi(g, i, &h);
		if (h.intid != GIC_SPURIOUS &&
		    gicv3_cpuif_can_signal(&v->cpuif, &h)) {
			irq = h.group;
			fiq = !h.group;
		}
		if (irq != v->line_irq) {
			v->line_irq = irq;
			devhost_set_cpu_line(g->host, i, CPU_LINE_IRQ, irq);
		}
		if (fiq != v->line_fiq) {
			v->line_fiq = fiq;
			devhost_set_cpu_line(g->host, i, CPU_LINE_FIQ, fiq);
		}
	}
}
