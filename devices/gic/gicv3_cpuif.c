// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 CPU interface of one vCPU: priority mask, binary points,
 * active priorities (preemption), acknowledge, priority drop,
 * deactivation and SGI generation.  Called with the GIC locked from the
 * sysreg table (attributes, trapped ICC_* accesses) and the MMIO window.
 */
#include "gic/gicv3_int.h"

#define SGI1R_TARGETS(v)	((uint32_t)(v) & 0xffff)
#define SGI1R_AFF1(v)		((uint32_t)((v) >> 16) & 0xff)
#define SGI1R_INTID(v)		((uint32_t)((v) >> 24) & 0xf)
#define SGI1R_AFF2(v)		((uint32_t)((v) >> 32) & 0xff)
#define SGI1R_IRM(v)		((uint32_t)((v) >> 40) & 1)
#define SGI1R_RS(v)		((uint32_t)((v) >> 44) & 0xf)
#define SGI1R_AFF3(v)		((uint32_t)((v) >> 48) & 0xff)

void gicv3_cpuif_reset(struct gicv3_cpuif *c)
{
	/* Binary points reset to their minimum, everything else to 0. */
	*c = (struct gicv3_cpuif){ .bpr0 = GICV3_BPR0_MIN,
				   .bpr1 = GICV3_BPR1_MIN,
				   .pri_bits = GICV3_PRI_BITS };
}

/* Highest APnR index for the priority bits: 5 -> 0, 6 -> 1, 7 -> 3. */
unsigned int gicv3_cpuif_max_apr(const struct gicv3_cpuif *c)
{
	switch (c->pri_bits) {
	case 7:
		return 3;
	case 6:
		return 1;
	}
	return 0;
}

/*
 * The group-priority part of @prio.  BPR1 counts one less than BPR0
 * (group priority is [7:BPR1]); with CBPR Group 1 uses BPR0 as is.
 */
static uint8_t group_priority(const struct gicv3_cpuif *c, uint8_t prio,
			      int group)
{
	unsigned int shift = c->bpr0 + 1;

	if (group && !c->cbpr)
		shift = c->bpr1;
	return prio & (0xffu << shift) & 0xff;
}

/* Active-priority bit of a group priority: one per implemented level. */
static unsigned int apr_bit(uint8_t gprio)
{
	return gprio >> (8 - GICV3_PRI_BITS);
}

/* Lowest set active-priority bit over both groups, or -1. */
static int highest_active(const struct gicv3_cpuif *c, int *group)
{
	for (unsigned int w = 0; w < 4; w++) {
		for (unsigned int b = 0; b < 32; b++) {
			if (c->ap0r[w] >> b & 1) {
				*group = 0;
				return (int)(w * 32 + b);
			}
			if (c->ap1r[w] >> b & 1) {
				*group = 1;
				return (int)(w * 32 + b);
			}
		}
	}
	return -1;
}

/* ICC_RPR: the priority of the highest active level, 0xff when idle. */
uint8_t gicv3_cpuif_rpr(const struct gicv3_cpuif *c)
{
	int group;
	int bit = highest_active(c, &group);

	if (bit < 0)
		return 0xff;
	return (uint8_t)((unsigned int)bit << (8 - GICV3_PRI_BITS));
}

/* Above the priority mask and preempting what is running? */
bool gicv3_cpuif_can_signal(const struct gicv3_cpuif *c,
			    const struct gicv3_hppi *h)
{
	return h->priority < c->pmr &&
	       group_priority(c, h->priority, h->group) < gicv3_cpuif_rpr(c);
}

static bool is_lpi(uint32_t intid)
{
	return intid >= GICV3_LPI_BASE;
}

/*
 * ICC_IAR0/1: take the highest-priority pending interrupt if it is of
 * @group and may be signalled; pending -> active (LPIs just stop being
 * pending) and its group priority becomes active.  1023 otherwise.
 */
uint32_t gicv3_cpuif_ack_locked(struct gicv3 *g, int vcpu, int group)
{
	struct gicv3_cpuif *c = &g->vcpus[vcpu].cpuif;
	struct gicv3_hppi h;
	unsigned int bit;

	gicv3_hppi(g, vcpu, &h);
	if (h.intid == GIC_SPURIOUS || h.group != group ||
	    !gicv3_cpuif_can_signal(c, &h))
		return GIC_SPURIOUS;
	if (is_lpi(h.intid)) {
		gicv3_lpi_clear_locked(g, vcpu, h.intid);
	} else {
		struct gicv3_irq *irq = gicv3_get_irq(g, vcpu, h.intid);

		/* Activation clears the latch; a level line stays. */
		irq->latch = 0;
		irq->active = 1;
	}
	bit = apr_bit(group_priority(c, h.priority, h.group));
	if (group)
		c->ap1r[bit / 32] |= 1u << (bit % 32);
	else
		c->ap0r[bit / 32] |= 1u << (bit % 32);
	gicv3_update(g);
	return h.intid;
}

/* ICC_HPPIR0/1: what IAR would consider, ignoring PMR and preemption. */
uint32_t gicv3_cpuif_hppir_locked(struct gicv3 *g, int vcpu, int group)
{
	struct gicv3_hppi h;

	gicv3_hppi(g, vcpu, &h);
	if (h.intid == GIC_SPURIOUS || h.group != group)
		return GIC_SPURIOUS;
	return h.intid;
}

void gicv3_cpuif_dir_locked(struct gicv3 *g, int vcpu, uint32_t intid)
{
	struct gicv3_irq *irq;

	if (is_lpi(intid))	/* LPIs have no active state */
		return;
	irq = gicv3_get_irq(g, vcpu, intid);
	if (irq)
		irq->active = 0;
	gicv3_update(g);
}

/*
 * ICC_EOIR0/1: drop the running priority (the highest active level,
 * which must belong to @group, else the write is ignored as QEMU
 * does), then deactivate unless EOImode splits that off to ICC_DIR.
 */
void gicv3_cpuif_eoi_locked(struct gicv3 *g, int vcpu, int group,
			    uint32_t intid)
{
	struct gicv3_cpuif *c = &g->vcpus[vcpu].cpuif;
	int act_group;
	int bit;

	if (intid >= GIC_MAX_INTID_SPI && intid <= GIC_SPURIOUS)
		return;
	bit = highest_active(c, &act_group);
	if (bit < 0 || act_group != group)
		return;
	if (group)
		c->ap1r[bit / 32] &= ~(1u << (bit % 32));
	else
		c->ap0r[bit / 32] &= ~(1u << (bit % 32));
	if (!c->eoimode)
		gicv3_cpuif_dir_locked(g, vcpu, intid);
	gicv3_update(g);
}

static bool sgi_targets(struct gicv3 *g, int t, uint64_t val)
{
	uint32_t aff = gicv3_mpidr_to_aff(gicv3_vcpu_mpidr(g, t));
	uint32_t upper = SGI1R_AFF3(val) << 16 | SGI1R_AFF2(val) << 8 |
			 SGI1R_AFF1(val);
	uint32_t aff0 = aff & 0xff;

	if (aff >> 8 != upper || aff0 / 16 != SGI1R_RS(val))
		return false;
	return SGI1R_TARGETS(val) >> (aff0 % 16) & 1;
}

/*
 * ICC_SGI1R/ASGI1R/SGI0R from @vcpu: a target list at Aff3.Aff2.Aff1
 * (Aff0 = RS * 16 + bit), or with IRM every vCPU but the sender.
 * As in KVM, SGI1R may set an SGI of either group, the others only
 * Group 0 ones.
 */
void gicv3_cpuif_sgi_locked(struct gicv3 *g, int vcpu, uint64_t val,
			    bool group1)
{
	uint32_t sgi = SGI1R_INTID(val);

	for (int t = 0; t < g->nr_vcpus; t++) {
		struct gicv3_irq *irq = &g->vcpus[t].priv[sgi];

		if (SGI1R_IRM(val) ? t == vcpu : !sgi_targets(g, t, val))
			continue;
		if (!irq->group || group1)
			irq->latch = 1;
	}
	gicv3_update(g);
}
