// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv2's distributor frame (4 KiB): the register table and
 * its handlers.  Values and quirks follow KVM's emulated GICv2: a single
 * GICD_CTLR enable bit, 5 priority bits, SGIs fixed edge-triggered and
 * enabled-by-reset, PPIs fixed level-sensitive, ITARGETSR0-7 read-only,
 * GICD_ISPENDR0/ICPENDR0 SGI bits WI for the guest (SPENDSGIR/CPENDSGIR
 * carry SGI sources).
 */
#include <errno.h>

#include "gic/gicv2_priv.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_CPENDSGIR 0xf10
#define GICD_SPENDSGIR 0xf20

#define GICD_CTLR_ENABLE (1u << 0)

/* ---- per-IRQ bit helpers ------------------------------------------------ */

typedef bool (*gicv2_bit_get)(const struct gicv2_irq *irq);
typedef void (*gicv2_bit_set)(const struct gicv2_access *a,
			      struct gicv2_irq *irq, uint32_t intid);

static uint32_t gicv2_read_bits(const struct gicv2_access *a, gicv2_bit_get get)
{
	uint32_t val = 0;

	for (unsigned int i = 0; i < a->len * 8; i++) {
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, a->intid + i);

		if (irq && get(irq))
			val |= 1u << i;
	}
	return val;
}

/* Apply @fn to every IRQ whose bit is set in @val. */
static void gicv2_write_bits(const struct gicv2_access *a, uint32_t val,
			     gicv2_bit_set fn)
{
	for (unsigned int i = 0; i < a->len * 8; i++) {
		struct gicv2_irq *irq;

		if (!(val & (1u << i)))
			continue;
		irq = gicv2_irq(a->gic, a->cpu, a->intid + i);
		if (irq)
			fn(a, irq, a->intid + i);
	}
}

/* ---- GICD_CTLR, GICD_TYPER, GICD_IIDR ----------------------------------- */

static uint32_t gicv2_read_misc(const struct gicv2_access *a)
{
	struct gicv2 *gic = a->gic;

	switch (a->offset) {
	case GICD_CTLR:
		return gic->enabled ? GICD_CTLR_ENABLE : 0;
	case GICD_TYPER:
		/* ITLinesNumber, CPUNumber; no security extensions. */
		return (gic->nr_irqs / 32 - 1) | (uint32_t)(gic->nr_cpus - 1) << 5;
	case GICD_IIDR:
		return GICV2_IIDR(gic->iidr_rev);
	}
	return 0;
}

static void gicv2_write_misc(const struct gicv2_access *a, uint32_t val)
{
	if (a->offset == GICD_CTLR)
		a->gic->enabled = val & GICD_CTLR_ENABLE;
}

/*
 * Userspace writes back the GICD_IIDR it read: only the revision may
 * differ (2, or 3 from a newer kernel: the same GICv2 behaviour), and
 * writing it opts in to restoring GICD_IGROUPR.
 */
static int gicv2_uwrite_misc(const struct gicv2_access *a, uint32_t val)
{
	struct gicv2 *gic = a->gic;
	unsigned int rev = (val & GICV2_IIDR_REV_MASK) >> GICV2_IIDR_REV_SHIFT;

	if (a->offset != GICD_IIDR) {
		gicv2_write_misc(a, val);
		return 0;
	}
	if ((val ^ GICV2_IIDR(0)) & ~GICV2_IIDR_REV_MASK)
		return -EINVAL;
	if (rev != 2 && rev != 3)
		return -EINVAL;
	gic->iidr_rev = rev;
	gic->groups_user_writable = true;
	return 0;
}

/* ---- GICD_IGROUPR -------------------------------------------------------- */

static bool gicv2_get_group(const struct gicv2_irq *irq)
{
	return irq->group1;
}

static uint32_t gicv2_read_group(const struct gicv2_access *a)
{
	return gicv2_read_bits(a, gicv2_get_group);
}

/* Every bit is written, not only the set ones. */
static void gicv2_write_group(const struct gicv2_access *a, uint32_t val)
{
	for (unsigned int i = 0; i < a->len * 8; i++) {
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, a->intid + i);

		if (irq)
			irq->group1 = val & (1u << i);
	}
}

/* Old userspace saved IGROUPR as all-zero: ignore until IIDR is written. */
static int gicv2_uwrite_group(const struct gicv2_access *a, uint32_t val)
{
	if (a->gic->groups_user_writable)
		gicv2_write_group(a, val);
	return 0;
}

/* ---- GICD_I[SC]ENABLER --------------------------------------------------- */

static bool gicv2_get_enabled(const struct gicv2_irq *irq)
{
	return irq->enabled;
}

static void gicv2_set_enable(const struct gicv2_access *a,
			     struct gicv2_irq *irq, uint32_t intid)
{
	irq->enabled = true;
}

static void gicv2_clear_enable(const struct gicv2_access *a,
			       struct gicv2_irq *irq, uint32_t intid)
{
	irq->enabled = false;
}

static uint32_t gicv2_read_enable(const struct gicv2_access *a)
{
	return gicv2_read_bits(a, gicv2_get_enabled);
}

static void gicv2_write_senable(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_set_enable);
}

static void gicv2_write_cenable(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_clear_enable);
}

/* ---- GICD_I[SC]PENDR ----------------------------------------------------- */

static uint32_t gicv2_read_pending(const struct gicv2_access *a)
{
	return gicv2_read_bits(a, gicv2_irq_pending);
}

/* Guest: SGI bits are WI (their sources live in GICD_[SC]PENDSGIR). */
static void gicv2_set_pending(const struct gicv2_access *a,
			      struct gicv2_irq *irq, uint32_t intid)
{
	if (intid >= GICV2_NR_SGIS)
		irq->latch = true;
}

static void gicv2_clear_pending(const struct gicv2_access *a,
				struct gicv2_irq *irq, uint32_t intid)
{
	if (intid >= GICV2_NR_SGIS)
		irq->latch = false;
}

/*
 * Userspace sets and clears the latch only.  An SGI's source cannot be
 * expressed here: a set names the vCPU itself as source, a clear drops
 * every source (KVM does the same).
 */
static void gicv2_uset_pending(const struct gicv2_access *a,
			       struct gicv2_irq *irq, uint32_t intid)
{
	irq->latch = true;
	if (intid < GICV2_NR_SGIS)
		irq->sources |= 1u << a->cpu;
}

static void gicv2_uclear_pending(const struct gicv2_access *a,
				 struct gicv2_irq *irq, uint32_t intid)
{
	irq->latch = false;
	if (intid < GICV2_NR_SGIS)
		irq->sources = 0;
}

static void gicv2_write_spending(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_set_pending);
}

static void gicv2_write_cpending(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_clear_pending);
}

static int gicv2_uwrite_spending(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_uset_pending);
	return 0;
}

static int gicv2_uwrite_cpending(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_uclear_pending);
	return 0;
}

/* ---- GICD_I[SC]ACTIVER --------------------------------------------------- */

static bool gicv2_get_active(const struct gicv2_irq *irq)
{
	return irq->active;
}

static void gicv2_set_active(const struct gicv2_access *a,
			     struct gicv2_irq *irq, uint32_t intid)
{
	irq->active = true;
}

static void gicv2_clear_active(const struct gicv2_access *a,
			       struct gicv2_irq *irq, uint32_t intid)
{
	irq->active = false;
}

static uint32_t gicv2_read_active(const struct gicv2_access *a)
{
	return gicv2_read_bits(a, gicv2_get_active);
}

static void gicv2_write_sactive(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_set_active);
}

static void gicv2_write_cactive(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_bits(a, val, gicv2_clear_active);
}

/* ---- byte-per-IRQ: GICD_IPRIORITYR, GICD_ITARGETSR ----------------------- */

static uint32_t gicv2_read_priority(const struct gicv2_access *a)
{
	uint32_t val = 0;

	for (unsigned int i = 0; i < a->len; i++) {
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, a->intid + i);

		if (irq)
			val |= (uint32_t)irq->priority << (8 * i);
	}
	return val;
}

static void gicv2_write_priority(const struct gicv2_access *a, uint32_t val)
{
	for (unsigned int i = 0; i < a->len; i++) {
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, a->intid + i);

		if (irq)
			irq->priority = (val >> (8 * i)) & GICV2_PRI_MASK;
	}
}

/* ITARGETSR0-7 read as the accessing CPU's own bit. */
static uint32_t gicv2_read_target(const struct gicv2_access *a)
{
	uint32_t val = 0;

	for (unsigned int i = 0; i < a->len; i++) {
		uint32_t intid = a->intid + i;
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, intid);
		uint32_t t;

		if (!irq)
			continue;
		t = intid < GICV2_NR_PRIVATE ? 1u << a->cpu : irq->targets;
		val |= t << (8 * i);
	}
	return val;
}

static void gicv2_write_target(const struct gicv2_access *a, uint32_t val)
{
	uint8_t cpu_mask = (uint8_t)((1u << a->gic->nr_cpus) - 1);

	for (unsigned int i = 0; i < a->len; i++) {
		uint32_t intid = a->intid + i;
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, intid);

		if (irq && intid >= GICV2_NR_PRIVATE)
			irq->targets = (val >> (8 * i)) & cpu_mask;
	}
}

/* ---- GICD_ICFGR: 2 bits per IRQ, bit 1 = edge; SGIs/PPIs read-only ------- */

static uint32_t gicv2_read_config(const struct gicv2_access *a)
{
	uint32_t val = 0;

	for (unsigned int i = 0; i < 16; i++) {
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, a->intid + i);

		if (irq && irq->edge)
			val |= 2u << (2 * i);
	}
	return val;
}

static void gicv2_write_config(const struct gicv2_access *a, uint32_t val)
{
	for (unsigned int i = 0; i < 16; i++) {
		uint32_t intid = a->intid + i;
		struct gicv2_irq *irq = gicv2_irq(a->gic, a->cpu, intid);

		if (irq && intid >= GICV2_NR_PRIVATE)
			irq->edge = val & (2u << (2 * i));
	}
}

/* ---- SGIs: GICD_SGIR, GICD_CPENDSGIR, GICD_SPENDSGIR -------------------- */

static void gicv2_write_sgir(const struct gicv2_access *a, uint32_t val)
{
	struct gicv2 *gic = a->gic;
	uint32_t all = (1u << gic->nr_cpus) - 1;
	uint32_t targets = val >> 16 & 0xff;

	switch (val >> 24 & 3) {
	case 0:			/* the CPU target list */
		break;
	case 1:			/* all but the requester */
		targets = all & ~(1u << a->cpu);
		break;
	case 2:			/* the requester only */
		targets = 1u << a->cpu;
		break;
	default:		/* reserved */
		return;
	}
	targets &= all;
	for (int t = 0; t < gic->nr_cpus; t++)
		if (targets & (1u << t))
			gicv2_sgi_raise(gic, t, a->cpu, val & 0xf);
}

static uint32_t gicv2_read_sgipend(const struct gicv2_access *a)
{
	uint32_t sgi = a->offset & 0xf;
	uint32_t val = 0;

	for (unsigned int i = 0; i < a->len; i++)
		val |= (uint32_t)a->gic->cpu[a->cpu].priv[sgi + i].sources
		       << (8 * i);
	return val;
}

static void gicv2_write_sgipend(const struct gicv2_access *a, uint32_t val,
				bool set)
{
	uint32_t sgi = a->offset & 0xf;

	for (unsigned int i = 0; i < a->len; i++) {
		struct gicv2_irq *irq = &a->gic->cpu[a->cpu].priv[sgi + i];
		uint8_t bits = val >> (8 * i);

		if (set)
			irq->sources |= bits;
		else
			irq->sources &= ~bits;
		irq->latch = irq->sources != 0;
	}
}

static void gicv2_write_sgipendc(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_sgipend(a, val, false);
}

static void gicv2_write_sgipends(const struct gicv2_access *a, uint32_t val)
{
	gicv2_write_sgipend(a, val, true);
}

/* ---- the table ------------------------------------------------------- */

#define PER_IRQ(off, bits, acc, rd, wr, urd, uwr) \
	{ .offset = (off), .len = GICV2_MAX_IRQS * (bits) / 8, \
	  .bits_per_irq = (bits), .access = (acc), .read = (rd), \
	  .write = (wr), .uread = (urd), .uwrite = (uwr) }
#define FIXED(off, length, acc, rd, wr, uwr) \
	{ .offset = (off), .len = (length), .access = (acc), .read = (rd), \
	  .write = (wr), .uwrite = (uwr) }

#define A32 GICV2_ACC_32
#define A8_32 (GICV2_ACC_8 | GICV2_ACC_32)

static const struct gicv2_reg gicv2_dist_regs[] = {
	FIXED(GICD_CTLR, 12, A32, gicv2_read_misc, gicv2_write_misc,
	      gicv2_uwrite_misc),
	PER_IRQ(GICD_IGROUPR, 1, A32, gicv2_read_group, gicv2_write_group,
		NULL, gicv2_uwrite_group),
	PER_IRQ(GICD_ISENABLER, 1, A32, gicv2_read_enable, gicv2_write_senable,
		NULL, NULL),
	PER_IRQ(GICD_ICENABLER, 1, A32, gicv2_read_enable, gicv2_write_cenable,
		NULL, NULL),
	PER_IRQ(GICD_ISPENDR, 1, A32, gicv2_read_pending, gicv2_write_spending,
		NULL, gicv2_uwrite_spending),
	PER_IRQ(GICD_ICPENDR, 1, A32, gicv2_read_pending, gicv2_write_cpending,
		NULL, gicv2_uwrite_cpending),
	PER_IRQ(GICD_ISACTIVER, 1, A32, gicv2_read_active, gicv2_write_sactive,
		NULL, NULL),
	PER_IRQ(GICD_ICACTIVER, 1, A32, gicv2_read_active, gicv2_write_cactive,
		NULL, NULL),
	PER_IRQ(GICD_IPRIORITYR, 8, A8_32, gicv2_read_priority,
		gicv2_write_priority, NULL, NULL),
	PER_IRQ(GICD_ITARGETSR, 8, A8_32, gicv2_read_target,
		gicv2_write_target, NULL, NULL),
	PER_IRQ(GICD_ICFGR, 2, A32, gicv2_read_config, gicv2_write_config,
		NULL, NULL),
	FIXED(GICD_SGIR, 4, A32, NULL, gicv2_write_sgir, NULL),
	FIXED(GICD_CPENDSGIR, 16, A8_32, gicv2_read_sgipend,
	      gicv2_write_sgipendc, NULL),
	FIXED(GICD_SPENDSGIR, 16, A8_32, gicv2_read_sgipend,
	      gicv2_write_sgipends, NULL),
};

const struct gicv2_regmap gicv2_dist_map = {
	.name = "dist",
	.regs = gicv2_dist_regs,
	.nr = sizeof(gicv2_dist_regs) / sizeof(gicv2_dist_regs[0]),
};
