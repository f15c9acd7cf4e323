// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv2's attribute stream for snapshots (KVM_DEV_TYPE_ARM_VGIC_V2,
 * arm-vgic.txt; docs/devices/gicv2.md "Save and restore").  Through the
 * attribute ABI only, so the kernel's GIC and the software model save
 * the same records and restore each other's.
 *
 * Records, in the order restore writes them:
 *
 *   NR_IRQS                   a check: the machine has set it already
 *   GICD_IIDR                 before any other register (makes IGROUPR
 *                             writable from userspace)
 *   GICD_CTLR, IGROUPR, IPRIORITYR, ITARGETSR (SPIs), ICFGR
 *   ISENABLER                 each word after all-ones to ICENABLER
 *   ISPENDR                   after all-ones to ICPENDR; the attribute
 *                             sets the latch only.  SGI bits left out:
 *   GICD_SPENDSGIR            SGI sources (after CPENDSGIR all-ones)
 *   ISACTIVER                 after all-ones to ICACTIVER
 *   GICC_CTLR, PMR, BPR, ABPR, APR0-3 of every vCPU
 *
 * Banked registers (INTIDs 0-31, SGI sources, the CPU interface) are
 * saved for every vCPU; the SPI part once, with vcpu_index 0.  NR_IRQS
 * bounds the SPI arrays and has_attr skips what a backend lacks.
 * Line levels are not part of the GICv2 ABI: a level interrupt pending
 * only by its input line comes back latched (devices re-assert lines).
 */
#include <errno.h>
#include <stdlib.h>

#include "gic/gic_stream.h"

#define DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GICV2_MAX_VCPUS 8

enum {
	GICD_CTLR = 0x000, GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100,
	GICD_ICENABLER = 0x180, GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280,
	GICD_ISACTIVER = 0x300, GICD_ICACTIVER = 0x380,
	GICD_IPRIORITYR = 0x400, GICD_ITARGETSR = 0x800, GICD_ICFGR = 0xc00,
	GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20,
	GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_ABPR = 0x1c,
	GICC_APR0 = 0xd0,
};

static const struct gic_step gicv2_steps[] = {
	{ DIST, GIC_OFF_IIDR, 0, GIC_SPAN_ONE, 0, 0 },
	{ DIST, GICD_CTLR, 0, GIC_SPAN_ONE, 0, 0 },
	{ DIST, GICD_IGROUPR, 1, GIC_SPAN_PRIVATE, 0, 0 },
	{ DIST, GICD_IGROUPR, 1, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_IPRIORITYR, 8, GIC_SPAN_PRIVATE, 0, 0 },
	{ DIST, GICD_IPRIORITYR, 8, GIC_SPAN_SPIS, 0, 0 },
	/* 0-31 read as the reader's own bit and are read-only */
	{ DIST, GICD_ITARGETSR, 8, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_ICFGR, 2, GIC_SPAN_PRIVATE, 0, 0 },
	{ DIST, GICD_ICFGR, 2, GIC_SPAN_SPIS, 0, 0 },
	{ DIST, GICD_ISENABLER, 1, GIC_SPAN_PRIVATE, GICD_ICENABLER, 0 },
	{ DIST, GICD_ISENABLER, 1, GIC_SPAN_SPIS, GICD_ICENABLER, 0 },
	/* pending and active state after the configuration */
	{ DIST, GICD_ISPENDR, 1, GIC_SPAN_PRIVATE, GICD_ICPENDR, 0xffff },
	{ DIST, GICD_ISPENDR, 1, GIC_SPAN_SPIS, GICD_ICPENDR, 0 },
	{ DIST, GICD_SPENDSGIR, 8, GIC_SPAN_SGIS, GICD_CPENDSGIR, 0 },
	{ DIST, GICD_ISACTIVER, 1, GIC_SPAN_PRIVATE, GICD_ICACTIVER, 0 },
	{ DIST, GICD_ISACTIVER, 1, GIC_SPAN_SPIS, GICD_ICACTIVER, 0 },
	{ CPU, GICC_CTLR, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_PMR, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_BPR, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_ABPR, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_APR0 + 0x0, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_APR0 + 0x4, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_APR0 + 0x8, 0, GIC_SPAN_EACH, 0, 0 },
	{ CPU, GICC_APR0 + 0xc, 0, GIC_SPAN_EACH, 0, 0 },
};

/* vCPUs are the vcpu_indexes has_attr admits (-EINVAL past the last). */
static int gicv2_find_vcpus(struct gic_save *g)
{
	int ret;

	for (g->nr_vcpus = 0; g->nr_vcpus < GICV2_MAX_VCPUS; g->nr_vcpus++) {
		uint64_t v = (uint64_t)g->nr_vcpus << KVM_DEV_ARM_VGIC_CPUID_SHIFT;

		ret = device_has(g->dev, DIST, v | GICD_CTLR);
		if (ret == -EINVAL)
			break;
		if (ret)
			return ret;
		g->vcpu[g->nr_vcpus] = v;
	}
	return g->nr_vcpus ? 0 : -ENODEV;
}

static int gicv2_save_stream(struct device *dev, struct attr_stream *s)
{
	struct gic_save *g = calloc(1, sizeof(*g));
	int ret;

	if (!g)
		return -ENOMEM;
	g->dev = dev;
	g->s = s;
	ret = gicv2_find_vcpus(g) ?: gic_save_nr_irqs(g) ?:
	      gic_save_steps(g, gicv2_steps,
			     sizeof(gicv2_steps) / sizeof(gicv2_steps[0]));
	free(g);
	return ret;
}

static int gicv2_restore_stream(struct device *dev, struct attr_stream *s)
{
	static const struct gic_stream_fmt fmt = {
		.lens = {
			[KVM_DEV_ARM_VGIC_GRP_NR_IRQS] = 4,
			[KVM_DEV_ARM_VGIC_GRP_DIST_REGS] = 4,
			[KVM_DEV_ARM_VGIC_GRP_CPU_REGS] = 4,
		},
	};

	return gic_stream_restore(dev, s, &fmt);
}

const struct attr_stream_ops gicv2_stream_ops = {
	.types = { KVM_DEV_TYPE_ARM_VGIC_V2 },
	.save_stream = gicv2_save_stream,
	.restore_stream = gicv2_restore_stream,
};
