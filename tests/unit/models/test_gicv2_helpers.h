/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared set-up for the software GICv2 unit tests: a fake host, the
 * device, attribute shorthands and guest MMIO shorthands.
 * Attribute values always go through device_set/device_get, the copy
 * from/to attr->addr included.
 */
#ifndef TEST_GICV2_HELPERS_H
#define TEST_GICV2_HELPERS_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_host.h"
#include "gic/gicv2.h"
#include "gic/gicv2_priv.h"
#include "kvmkit/abi/arm.h"
#include "kvmkit/models.h"

#define T_RAM_BASE 0x80000000ULL
#define T_DIST 0x08000000ULL
#define T_CPU 0x08010000ULL

#define DIST_REGS KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define CPU_REGS KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define REG(cpu, off) ((uint64_t)(cpu) << KVM_DEV_ARM_VGIC_CPUID_SHIFT | (off))

struct gt {
	struct fake_host *fh;
	struct device *dev;
	struct gicv2 *gic;
};

static inline struct gt *gt_new(int nr_vcpus)
{
	struct gt *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->fh = fake_host_new(T_RAM_BASE, 0x1000, nr_vcpus);
	assert_int_equal(gicv2_soft_model.create(&t->fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V2,
						 &t->dev), 0);
	t->gic = gicv2_of(t->dev);
	fake_host_add_device(t->fh, t->dev);
	return t;
}

static inline void gt_free(struct gt *t)
{
	device_destroy(t->dev);
	fake_host_free(t->fh);
	free(t);
}

static inline int gt_set(struct gt *t, uint32_t group, uint64_t attr,
			 uint64_t val)
{
	uint32_t v32 = (uint32_t)val;

	if (group == KVM_DEV_ARM_VGIC_GRP_ADDR)
		return device_set(t->dev, group, attr, &val);
	return device_set(t->dev, group, attr, &v32);
}

static inline int gt_get(struct gt *t, uint32_t group, uint64_t attr,
			 uint64_t *val)
{
	uint32_t v32 = 0;
	int ret;

	if (group == KVM_DEV_ARM_VGIC_GRP_ADDR)
		return device_get(t->dev, group, attr, val);
	ret = device_get(t->dev, group, attr, &v32);
	if (!ret)
		*val = v32;
	return ret;
}

/* Value of a register attribute that must be readable. */
static inline uint32_t gt_reg(struct gt *t, uint32_t group, int cpu,
			      uint32_t off)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(gt_get(t, group, REG(cpu, off), &v), 0);
	return (uint32_t)v;
}

static inline void gt_set_reg(struct gt *t, uint32_t group, int cpu,
			      uint32_t off, uint32_t val)
{
	assert_int_equal(gt_set(t, group, REG(cpu, off), val), 0);
}

/* Addresses, optional NR_IRQS, CTRL_INIT. */
static inline void gt_init(struct gt *t, uint32_t nr_irqs)
{
	assert_int_equal(gt_set(t, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_DIST, T_DIST), 0);
	assert_int_equal(gt_set(t, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_CPU, T_CPU), 0);
	if (nr_irqs)
		assert_int_equal(gt_set(t, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0,
					nr_irqs), 0);
	assert_int_equal(gt_set(t, KVM_DEV_ARM_VGIC_GRP_CTRL,
				KVM_DEV_ARM_VGIC_CTRL_INIT, 0), 0);
}

static inline struct gt *gt_ready(int nr_vcpus, uint32_t nr_irqs)
{
	struct gt *t = gt_new(nr_vcpus);

	gt_init(t, nr_irqs);
	return t;
}

/* Guest accesses from vCPU @cpu. */
static inline uint32_t gd_read(struct gt *t, int cpu, uint32_t off)
{
	return fake_mmio_read32(t->fh, cpu, T_DIST + off);
}

static inline void gd_write(struct gt *t, int cpu, uint32_t off, uint32_t v)
{
	fake_mmio_write32(t->fh, cpu, T_DIST + off, v);
}

static inline uint32_t gc_read(struct gt *t, int cpu, uint32_t off)
{
	return fake_mmio_read32(t->fh, cpu, T_CPU + off);
}

static inline void gc_write(struct gt *t, int cpu, uint32_t off, uint32_t v)
{
	fake_mmio_write32(t->fh, cpu, T_CPU + off, v);
}

static inline uint8_t gd_read8(struct gt *t, int cpu, uint32_t off)
{
	uint8_t b = 0xee;

	assert_int_equal(fake_mmio_access(t->fh, cpu, T_DIST + off, &b, 1,
					  false), 0);
	return b;
}

static inline void gd_write8(struct gt *t, int cpu, uint32_t off, uint8_t v)
{
	assert_int_equal(fake_mmio_access(t->fh, cpu, T_DIST + off, &v, 1,
					  true), 0);
}

static inline int gt_line(struct gt *t, int cpu, int line)
{
	return t->fh->lines[cpu][line];
}

/* Register offsets the tests use. */
enum {
	GICD_CTLR = 0x000, GICD_TYPER = 0x004, GICD_IIDR = 0x008,
	GICD_IGROUPR = 0x080, GICD_ISENABLER = 0x100, GICD_ICENABLER = 0x180,
	GICD_ISPENDR = 0x200, GICD_ICPENDR = 0x280, GICD_ISACTIVER = 0x300,
	GICD_ICACTIVER = 0x380, GICD_IPRIORITYR = 0x400,
	GICD_ITARGETSR = 0x800, GICD_ICFGR = 0xc00, GICD_SGIR = 0xf00,
	GICD_CPENDSGIR = 0xf10, GICD_SPENDSGIR = 0xf20,
	GICC_CTLR = 0x00, GICC_PMR = 0x04, GICC_BPR = 0x08, GICC_IAR = 0x0c,
	GICC_EOIR = 0x10, GICC_RPR = 0x14, GICC_HPPIR = 0x18,
	GICC_ABPR = 0x1c, GICC_AIAR = 0x20, GICC_AEOIR = 0x24,
	GICC_AHPPIR = 0x28, GICC_APR0 = 0xd0, GICC_NSAPR0 = 0xe0,
	GICC_IIDR = 0xfc, GICC_DIR = 0x1000,
};

#define IIDR_KVM_V2 0x4b00343bu	/* revision 3, as KVM */
#define CPU_IIDR_KVM 0x04b2043bu

/* Set up SPI @intid: priority, target CPU mask, enabled. */
static inline void gt_spi(struct gt *t, uint32_t intid, uint8_t prio,
			  uint8_t targets)
{
	gd_write8(t, 0, GICD_IPRIORITYR + intid, prio);
	gd_write8(t, 0, GICD_ITARGETSR + intid, targets);
	gd_write(t, 0, GICD_ISENABLER + intid / 32 * 4, 1u << (intid % 32));
}

/* Distributor on, CPU interface of @cpu on for both groups, PMR open. */
static inline void gt_cpu_on(struct gt *t, int cpu)
{
	gd_write(t, 0, GICD_CTLR, 1);
	gc_write(t, cpu, GICC_CTLR, 3);
	gc_write(t, cpu, GICC_PMR, 0xff);
}

#endif
