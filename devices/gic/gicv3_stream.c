// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3's attribute stream for snapshots (KVM_DEV_TYPE_ARM_VGIC_V3,
 * arm-vgic-v3.txt; docs/devices/gicv3.md "Save and restore").  Through
 * the attribute ABI only, so the kernel's GIC and the software model
 * save the same records and restore each other's.
 *
 * Save (vCPUs paused): when any redistributor has EnableLPIs set,
 * SAVE_PENDING_TABLES first (LPI pending bits into the tables in guest
 * RAM, which the snapshot copies after every device is saved, and before
 * the ITS's SAVE_TABLES: the GIC is created first).  Then the records,
 * in the order restore writes them:
 *
 *   NR_IRQS                    a check: the machine has set it already
 *   GICD_IIDR                  before any other register
 *   GICD_CTLR, TYPER2, STATUSR
 *   LEVEL_INFO                 PPI lines of every vCPU, SPI lines
 *   GICD_ICFGR                 line levels and configuration before the
 *   GICD_IROUTER               pending latch; routing before it too
 *   GICD_IGROUPR, IPRIORITYR
 *   GICD_ISENABLER             each word after all-ones to ICENABLER
 *   GICD_ISPENDR               the latch (ICPENDR is RAZ/WI here)
 *   GICD_ISACTIVER             after all-ones to ICACTIVER
 *   GICR_STATUSR, WAKER, PROPBASER, PENDBASER of every vCPU
 *   GICR_IGROUPR0, IPRIORITYR0-7, ICFGR0-1, ISENABLER0, ISPENDR0,
 *   ISACTIVER0 of every vCPU
 *   GICR_CTLR of every vCPU    EnableLPIs once the tables are in place
 *   ICC_SRE, ICC_CTLR, PMR, BPR0, BPR1, AP0R0.., AP1R0.., IGRPEN0/1
 *                              per vCPU; ICC_CTLR first, since its
 *                              PRIbits say how many APnR exist
 *
 * vCPUs are addressed by affinity.  They are found with has_attr on
 * KVM's reset MPIDRs (vCPU n: Aff0 n % 16, Aff1 n / 16 % 256, Aff2
 * n / 4096), which is what kvmkit's vCPUs keep; each one's GICR_TYPER
 * must name it (Processor_Number n, that affinity), else the save fails
 * with -EOPNOTSUPP rather than miss a vCPU.
 *
 * Across backends (tests/tcg/arm64-gic-stream.sh): STATUSR records are
 * skipped on a GIC without the register (KVM has no GICR_STATUSR), and
 * an ICC_CTLR the GIC refuses (another host's IDbits/SEIS/A3V) is
 * written as its own value with the saved CBPR and EOImode.
 */
#include <errno.h>
#include <stdlib.h>

#include "gic/gic_stream.h"
#include "gic/gicv3.h"

#define DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define REDIST KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define SYSREGS KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define LEVEL KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define SGI_BASE 0x10000u

enum {
	GICD_CTLR = 0x0000, GICD_TYPER2 = 0x000c, GICD_STATUSR = 0x0010,
	GICD_IGROUPR = 0x0080, GICD_ISENABLER = 0x0100,
	GICD_ICENABLER = 0x0180, GICD_ISPENDR = 0x0200,
	GICD_ISACTIVER = 0x0300, GICD_ICACTIVER = 0x0380,
	GICD_IPRIORITYR = 0x0400, GICD_ICFGR = 0x0c00, GICD_IROUTER = 0x6000,
	GICR_CTLR = 0x0000, GICR_TYPER = 0x0008, GICR_STATUSR = 0x0010,
	GICR_WAKER = 0x0014, GICR_PROPBASER = 0x0070,
	GICR_PENDBASER = 0x0078,
};

#define GICR_CTLR_ENABLE_LPIS 1u
#define ICC_CTLR_PRIBITS(v) (((v) >> 8) & 7)
#define ICC_CTLR_GUEST_BITS 3ULL	/* CBPR, EOImode */

static const struct gic_step gicv3_steps[] = {
	{ DIST, GIC_OFF_IIDR, 0, GIC_SPAN_ONE, 0, 0 },
	{ DIST, GICD_CTLR, 0, GIC_SPAN_ONE, 0, 0 },
	{ DIST, GICD_TYPER2, 0, GIC_SPAN_ONE, 0, 0 },
	{ DIST, GICD_STATUSR, 0, GIC_SPAN_ONE, 0, 0 },
	/* lines and configuration, then routing, before any pending state */
	{ LEVEL, 0, 1, GIC_SPAN_PRIVATE, 0, 0 },
	{ LEVEL, 0, 1, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_ICFGR, 2, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_IROUTER, 64, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_IGROUPR, 1, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_IPRIORITYR, 8, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_ISENABLER, 1, GIC_SPAN_SPIS, GICD_ICENABLER, 0 },
	{ DIST, GICD_ISPENDR, 1, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_ISACTIVER, 1, GIC_SPAN_SPIS, GICD_ICACTIVER, 0 },
	/* redistributors: the LPI tables' addresses, then the private IRQs */
	{ REDIST, GICR_STATUSR, 0, GIC_SPAN_EACH, 0, 0 },
	{ REDIST, GICR_WAKER, 0, GIC_SPAN_EACH, 0, 0 },
	{ REDIST, GICR_PROPBASER, 0, GIC_SPAN_EACH, 0, 0 },
	{ REDIST, GICR_PROPBASER + 4, 0, GIC_SPAN_EACH, 0, 0 },
	{ REDIST, GICR_PENDBASER, 0, GIC_SPAN_EACH, 0, 0 },
	{ REDIST, GICR_PENDBASER + 4, 0, GIC_SPAN_EACH, 0, 0 },
	{ REDIST, SGI_BASE + GICD_IGROUPR, 1, GIC_SPAN_PRIVATE, 0, 0 },
	{ REDIST, SGI_BASE + GICD_IPRIORITYR, 8, GIC_SPAN_PRIVATE, 0, 0 },
	{ REDIST, SGI_BASE + GICD_ICFGR, 2, GIC_SPAN_PRIVATE, 0, 0 },
	{ REDIST, SGI_BASE + GICD_ISENABLER, 1, GIC_SPAN_PRIVATE,
	  SGI_BASE + GICD_ICENABLER, 0 },
	{ REDIST, SGI_BASE + GICD_ISPENDR, 1, GIC_SPAN_PRIVATE, 0, 0 },
	{ REDIST, SGI_BASE + GICD_ISACTIVER, 1, GIC_SPAN_PRIVATE,
	  SGI_BASE + GICD_ICACTIVER, 0 },
	/* EnableLPIs reads the pending table: after PROPBASER/PENDBASER */
	{ REDIST, GICR_CTLR, 0, GIC_SPAN_EACH, 0, 0 },
};

/* KVM's reset MPIDR of vCPU @n, as the attr's bits 63:32. */
static uint64_t default_affinity(int n)
{
	uint64_t aff = (uint64_t)(n & 0xf) | (uint64_t)((n >> 4) & 0xff) << 8 |
		       (uint64_t)((n >> 12) & 0xff) << 16;

	return aff << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT;
}

static int gicv3_find_vcpus(struct gic_save *g)
{
	uint32_t lo, hi;
	int n, ret;

	for (n = 0; n < GIC_STREAM_MAX_VCPUS; n++) {
		uint64_t v = default_affinity(n);

		ret = device_has(g->dev, REDIST, v | GICR_TYPER);
		if (ret == -EINVAL)
			break;
		ret = ret ?: device_get(g->dev, REDIST, v | GICR_TYPER, &lo) ?:
		      device_get(g->dev, REDIST, v | (GICR_TYPER + 4), &hi);
		if (ret)
			return ret;
		if ((lo >> 8 & 0xffff) != (uint32_t)n ||
		    hi != v >> KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT)
			return -EOPNOTSUPP;
		g->vcpu[n] = v;
	}
	g->nr_vcpus = n;
	return n ? 0 : -ENODEV;
}

/* SAVE_PENDING_TABLES when any vCPU has its LPIs on. */
static int save_lpi_pending(struct gic_save *g)
{
	bool lpis = false;
	uint32_t ctlr;
	int ret;

	for (int i = 0; i < g->nr_vcpus && !lpis; i++) {
		ret = device_has(g->dev, REDIST, g->vcpu[i] | GICR_CTLR) ?:
		      device_get(g->dev, REDIST, g->vcpu[i] | GICR_CTLR, &ctlr);
		if (ret)
			return ret;
		lpis = ctlr & GICR_CTLR_ENABLE_LPIS;
	}
	if (!lpis)
		return 0;
	return device_set(g->dev, KVM_DEV_ARM_VGIC_GRP_CTRL,
			  KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, NULL);
}

/* APnR registers per group for ICC_CTLR_EL1.PRIbits (priority bits - 1). */
static unsigned int nr_apr(uint64_t icc_ctlr)
{
	unsigned int bits = ICC_CTLR_PRIBITS(icc_ctlr) + 1;

	return bits <= 5 ? 1 : bits == 6 ? 2 : 4;
}

static int save_cpu_sysregs(struct gic_save *g, uint64_t vcpu)
{
	static const uint32_t tail[] = {
		ICC_PMR_EL1, ICC_BPR0_EL1, ICC_BPR1_EL1,
	};
	uint64_t ctlr = 0;
	unsigned int n;
	int ret;

	ret = gic_save_reg(g, SYSREGS, vcpu | ICC_SRE_EL1, 8) ?:
	      device_get(g->dev, SYSREGS, vcpu | ICC_CTLR_EL1, &ctlr) ?:
	      attr_stream_put(g->s, SYSREGS, vcpu | ICC_CTLR_EL1, &ctlr, 8);
	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]) && !ret; i++)
		ret = gic_save_reg(g, SYSREGS, vcpu | tail[i], 8);
	n = nr_apr(ctlr);
	for (unsigned int i = 0; i < n && !ret; i++)
		ret = gic_save_reg(g, SYSREGS, vcpu | (ICC_AP0R0_EL1 + i), 8);
	for (unsigned int i = 0; i < n && !ret; i++)
		ret = gic_save_reg(g, SYSREGS, vcpu | (ICC_AP1R0_EL1 + i), 8);
	return ret ?: gic_save_reg(g, SYSREGS, vcpu | ICC_IGRPEN0_EL1, 8) ?:
		      gic_save_reg(g, SYSREGS, vcpu | ICC_IGRPEN1_EL1, 8);
}

static int gicv3_save_stream(struct device *dev, struct attr_stream *s)
{
	struct gic_save *g = calloc(1, sizeof(*g));
	int ret;

	if (!g)
		return -ENOMEM;
	g->dev = dev;
	g->s = s;
	ret = gicv3_find_vcpus(g) ?: save_lpi_pending(g) ?:
	      gic_save_nr_irqs(g) ?:
	      gic_save_steps(g, gicv3_steps,
			     sizeof(gicv3_steps) / sizeof(gicv3_steps[0]));
	for (int i = 0; i < g->nr_vcpus && !ret; i++)
		ret = save_cpu_sysregs(g, g->vcpu[i]);
	free(g);
	return ret ?: s->err;
}

/* Error reporting only; KVM reads GICD_STATUSR as ones, has no GICR's. */
static bool gicv3_optional(uint32_t group, uint64_t attr)
{
	uint32_t off = (uint32_t)(attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);

	return (group == DIST && off == GICD_STATUSR) ||
	       (group == REDIST && off == GICR_STATUSR);
}

/*
 * ICC_CTLR_EL1's PRIbits, IDbits, SEIS and A3V describe the CPU
 * interface, and KVM takes only its host's SEIS and A3V: a value from
 * the other backend is refused.  Keep the device's own, with the saved
 * CBPR and EOImode, if it has at least the saved priority bits (the
 * saved APnR need them).
 */
static int gicv3_refused(struct device *dev, uint32_t group, uint64_t attr,
			 uint64_t val)
{
	uint64_t cur = 0;
	int ret;

	if (group != SYSREGS ||
	    (attr & KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK) != ICC_CTLR_EL1)
		return -EINVAL;
	ret = device_get(dev, group, attr, &cur);
	if (ret)
		return ret;
	if (ICC_CTLR_PRIBITS(cur) < ICC_CTLR_PRIBITS(val))
		return -EINVAL;
	cur = (cur & ~ICC_CTLR_GUEST_BITS) | (val & ICC_CTLR_GUEST_BITS);
	return device_set(dev, group, attr, &cur);
}

static int gicv3_restore_stream(struct device *dev, struct attr_stream *s)
{
	static const struct gic_stream_fmt fmt = {
		.lens = {
			[KVM_DEV_ARM_VGIC_GRP_NR_IRQS] = 4,
			[KVM_DEV_ARM_VGIC_GRP_DIST_REGS] = 4,
			[KVM_DEV_ARM_VGIC_GRP_REDIST_REGS] = 4,
			[KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS] = 8,
			[KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO] = 4,
		},
		.optional = gicv3_optional,
		.refused = gicv3_refused,
	};

	return gic_stream_restore(dev, s, &fmt);
}

const struct attr_stream_ops gicv3_stream_ops = {
	.types = { KVM_DEV_TYPE_ARM_VGIC_V3 },
	.save_stream = gicv3_save_stream,
	.restore_stream = gicv3_restore_stream,
};
