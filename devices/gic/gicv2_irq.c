// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv2's interrupt state machine: pending/active state,
 * which interrupt each CPU interface presents, acknowledge, priority drop
 * and deactivation, and the IRQ/FIQ lines driven on each vCPU.
 *
 * Pending is the latch (edge, ISPENDR, SGIs) or, for level-sensitive
 * interrupts, the input line.  An interrupt is presented to a CPU when
 * the distributor and the interrupt are enabled, it is pending and not
 * active, it targets that CPU (SPIs: 1-N, the first CPU to acknowledge
 * takes it) and the CPU interface enables its group.  It is signalled
 * when its priority is above GICC_PMR and its group priority above the
 * running priority (preemption); group 0 goes to FIQ when GICC_CTLR.FIQEn
 * is set, everything else to IRQ.
 */
#include "gic/gicv2_priv.h"

struct gicv2_irq *gicv2_irq(struct gicv2 *gic, int cpu, uint32_t intid)
{
	if (intid < GICV2_NR_PRIVATE) {
		if (cpu < 0 || cpu >= gic->nr_cpus)
			return NULL;
		return &gic->cpu[cpu].priv[intid];
	}
	/* 1020..1023 are special IDs even when NR_IRQS is 1024. */
	if (intid >= gic->nr_irqs || intid > GICV2_MAX_SPI)
		return NULL;
	return &gic->spis[intid - GICV2_NR_PRIVATE];
}

bool gicv2_irq_pending(const struct gicv2_irq *irq)
{
	return irq->latch || (!irq->edge && irq->line);
}

void gicv2_irq_set_line(struct gicv2 *gic, int cpu, uint32_t intid,
			bool level)
{
	struct gicv2_irq *irq = gicv2_irq(gic, cpu, intid);

	if (!irq)
		return;
	if (irq->edge && level && !irq->line)
		irq->latch = true;
	irq->line = level;
	gicv2_update(gic);
}

void gicv2_sgi_raise(struct gicv2 *gic, int target, int source, uint32_t sgi)
{
	struct gicv2_irq *irq = &gic->cpu[target].priv[sgi];

	irq->sources |= 1u << source;
	irq->latch = true;
}

/*
 * Group priority mask: GICC_BPR n keeps priority bits [7:n+1]; group 1
 * with CBPR clear uses GICC_ABPR, where n keeps bits [7:n].
 */
static uint8_t gicv2_group_mask(const struct gicv2_cpu *c, bool group1)
{
	unsigned int shift;

	if (group1 && !(c->ctlr & GICC_CTLR_CBPR))
		shift = c->abpr;
	else
		shift = c->bpr + 1u;
	return (uint8_t)(0xffu << shift);
}

/* Preemption level (APR bit) of @irq on @c: its group priority / 8. */
static unsigned int gicv2_preempt_level(const struct gicv2_cpu *c,
					const struct gicv2_irq *irq)
{
	return (irq->priority & gicv2_group_mask(c, irq->group1)) >>
	       (8 - GICV2_PRI_BITS);
}

uint8_t gicv2_cpu_rpr(const struct gicv2_cpu *c)
{
	if (!c->apr)
		return GICV2_IDLE_PRIORITY;
	return (uint8_t)(__builtin_ctz(c->apr) << (8 - GICV2_PRI_BITS));
}

struct gicv2_pick {
	struct gicv2_irq *irq;
	uint32_t intid;
	unsigned int src;	/* SGIs: requesting CPU presented */
};

static bool gicv2_presentable(struct gicv2 *gic, int cpu,
			      const struct gicv2_irq *irq, uint32_t intid)
{
	uint32_t grp_en = irq->group1 ? GICC_CTLR_ENABLE_GRP1 :
					GICC_CTLR_ENABLE_GRP0;

	if (!gic->enabled || !irq->enabled || irq->active ||
	    !gicv2_irq_pending(irq))
		return false;
	if (intid >= GICV2_NR_PRIVATE && !(irq->targets & (1u << cpu)))
		return false;
	return gic->cpu[cpu].ctlr & grp_en;
}

/* Highest-priority interrupt presented to @cpu (lowest INTID on ties). */
static bool gicv2_best(struct gicv2 *gic, int cpu, struct gicv2_pick *p)
{
	p->irq = NULL;
	for (uint32_t intid = 0; intid < gic->nr_irqs; intid++) {
		struct gicv2_irq *irq = gicv2_irq(gic, cpu, intid);

		if (!irq || !gicv2_presentable(gic, cpu, irq, intid))
			continue;
		if (!p->irq || irq->priority < p->irq->priority) {
			p->irq = irq;
			p->intid = intid;
		}
	}
	if (!p->irq)
		return false;
	p->src = 0;
	if (p->intid < GICV2_NR_SGIS && p->irq->sources)
		p->src = __builtin_ctz(p->irq->sources);
	return true;
}

/* Priority above the mask, and able to preempt what is running. */
static bool gicv2_can_signal(const struct gicv2_cpu *c,
			     const struct gicv2_irq *irq)
{
	uint8_t gprio = irq->priority & gicv2_group_mask(c, irq->group1);

	return irq->priority < c->pmr && gprio < gicv2_cpu_rpr(c);
}

static uint32_t gicv2_pick_id(const struct gicv2_pick *p)
{
	if (p->intid < GICV2_NR_SGIS)
		return p->intid | p->src << 10;
	return p->intid;
}

uint32_t gicv2_cpu_hppir(struct gicv2 *gic, int cpu, bool alias)
{
	const struct gicv2_cpu *c = &gic->cpu[cpu];
	struct gicv2_pick p;

	if (!gicv2_best(gic, cpu, &p))
		return GICV2_SPURIOUS;
	if (alias && !p.irq->group1)
		return GICV2_SPURIOUS;
	if (!alias && p.irq->group1 && !(c->ctlr & GICC_CTLR_ACKCTL))
		return GICV2_SPURIOUS_GRP1;
	return gicv2_pick_id(&p);
}

uint32_t gicv2_cpu_ack(struct gicv2 *gic, int cpu, bool alias)
{
	struct gicv2_cpu *c = &gic->cpu[cpu];
	struct gicv2_irq *irq;
	struct gicv2_pick p;

	if (!gicv2_best(gic, cpu, &p) || !gicv2_can_signal(c, p.irq))
		return GICV2_SPURIOUS;
	irq = p.irq;
	if (alias && !irq->group1)
		return GICV2_SPURIOUS;
	if (!alias && irq->group1 && !(c->ctlr & GICC_CTLR_ACKCTL))
		return GICV2_SPURIOUS_GRP1;

	if (p.intid < GICV2_NR_SGIS) {
		irq->sources &= ~(1u << p.src);
		irq->latch = irq->sources != 0;
	} else {
		/* A level input still high keeps it pending (active+pending). */
		irq->latch = false;
	}
	irq->active = true;
	c->apr |= 1u << gicv2_preempt_level(c, irq);
	gicv2_update(gic);
	return gicv2_pick_id(&p);
}

void gicv2_cpu_deactivate(struct gicv2 *gic, int cpu, uint32_t val)
{
	struct gicv2_irq *irq = gicv2_irq(gic, cpu, val & 0x3ff);

	if (irq)
		irq->active = false;
}

void gicv2_cpu_eoi(struct gicv2 *gic, int cpu, uint32_t val)
{
	struct gicv2_cpu *c = &gic->cpu[cpu];
	uint32_t intid = val & 0x3ff;

	/* Spurious and unimplemented IDs: ignored, no priority drop. */
	if (!gicv2_irq(gic, cpu, intid))
		return;
	/* Priority drop: the highest active preemption level. */
	c->apr &= c->apr - 1;
	if (!(c->ctlr & GICC_CTLR_EOIMODE))
		gicv2_cpu_deactivate(gic, cpu, val);
}

void gicv2_update(struct gicv2 *gic)
{
	static const int lines[2] = { CPU_LINE_IRQ, CPU_LINE_FIQ };

	if (!gic->ready)
		return;
	for (int cpu = 0; cpu < gic->nr_cpus; cpu++) {
		struct gicv2_cpu *c = &gic->cpu[cpu];
		int want[2] = { 0, 0 };
		struct gicv2_pick p;

		if (gicv2_best(gic, cpu, &p) && gicv2_can_signal(c, p.irq)) {
			bool fiq = !p.irq->group1 && (c->ctlr & GICC_CTLR_FIQEN);

			want[fiq] = 1;
		}
		for (int i = 0; i < 2; i++) {
			if (c->line[i] == want[i])
				continue;
			c->line[i] = want[i];
			devhost_set_cpu_line(gic->host, cpu, lines[i],
					     want[i]);
		}
	}
}
