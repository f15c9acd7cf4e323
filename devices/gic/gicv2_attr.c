// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv2's attribute groups (arm-vgic.txt): ADDR, DIST_REGS,
 * CPU_REGS, NR_IRQS and CTRL, with the kernel's error codes and their
 * order.  The logic works on plain values (gicv2_*_value); the device
 * ops around it only copy the value from or to attr->addr, at the point
 * where KVM does its get_user/put_user.
 */
#include <errno.h>

#include "gic/gicv2_priv.h"

#define GICV2_ADDR_ALIGN 0x1000

static int gicv2_map_frames(struct gicv2 *gic);

static int gicv2_set_addr(struct gicv2 *gic, uint64_t type, uint64_t addr)
{
	unsigned int bits = devhost_ipa_bits(gic->host);
	uint64_t *slot, size;

	switch (type) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
		slot = &gic->dist_base;
		size = GICV2_DIST_SIZE;
		break;
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		slot = &gic->cpu_base;
		size = GICV2_CPU_SIZE;
		break;
	default:
		return -ENXIO;
	}
	if (*slot != GICV2_ADDR_UNDEF)
		return -EEXIST;
	if (addr & (GICV2_ADDR_ALIGN - 1) || addr + size < addr)
		return -EINVAL;
	if (bits < 64 && (addr >> bits || addr + size > 1ULL << bits))
		return -E2BIG;
	*slot = addr;
	/* After CTRL_INIT the frames map as soon as both are known. */
	return gic->ready ? gicv2_map_frames(gic) : 0;
}

static int gicv2_get_addr(struct gicv2 *gic, uint64_t type, uint64_t *addr)
{
	switch (type) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
		*addr = gic->dist_base;
		return 0;
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		*addr = gic->cpu_base;
		return 0;
	}
	return -ENXIO;
}

/* 64..1024 in steps of 32, once, and not after the state was built. */
static int gicv2_set_nr_irqs(struct gicv2 *gic, uint32_t val)
{
	if (val < GICV2_NR_PRIVATE + 32 || val > GICV2_MAX_IRQS || val % 32)
		return -EINVAL;
	if (gic->ready || gic->nr_irqs)
		return -EBUSY;
	gic->nr_irqs = val;
	return 0;
}

static bool gicv2_frames_overlap(const struct gicv2 *gic)
{
	return gic->dist_base < gic->cpu_base + GICV2_CPU_SIZE &&
	       gic->cpu_base < gic->dist_base + GICV2_DIST_SIZE;
}

/* Map both frames once both addresses are set; 0 while one is missing. */
static int gicv2_map_frames(struct gicv2 *gic)
{
	int ret;

	if (gic->mapped || gic->dist_base == GICV2_ADDR_UNDEF ||
	    gic->cpu_base == GICV2_ADDR_UNDEF)
		return 0;
	if (gicv2_frames_overlap(gic))
		return -EINVAL;
	ret = gicv2_map(gic);
	if (!ret)
		gicv2_update(gic);
	return ret;
}

/*
 * As KVM's vgic_init, CTRL_INIT needs no addresses: KVM checks them at
 * the first KVM_RUN.  The frames map here if both are set, else when
 * the second one is.
 */
static int gicv2_ctrl_init(struct gicv2 *gic)
{
	int ret;

	if (!gic->ready && devhost_nr_vcpus(gic->host) <= 0)
		return -ENODEV;
	ret = gicv2_make_ready(gic);
	return ret ?: gicv2_map_frames(gic);
}

/* vcpu_index of a register attribute: -EINVAL unless a vCPU has it. */
static int gicv2_reg_cpu(struct gicv2 *gic, uint64_t attr, int *cpu)
{
	uint64_t idx = (attr & KVM_DEV_ARM_VGIC_CPUID_MASK) >>
		       KVM_DEV_ARM_VGIC_CPUID_SHIFT;
	int nr = gic->ready ? gic->nr_cpus : devhost_nr_vcpus(gic->host);

	if (nr <= 0 || idx >= (uint64_t)nr)
		return -EINVAL;
	*cpu = (int)idx;
	return 0;
}

static const struct gicv2_regmap *gicv2_map_of(uint32_t group)
{
	return group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS ? &gicv2_dist_map :
							 &gicv2_cpu_map;
}

static int gicv2_regs_access(struct gicv2 *gic, uint32_t group, uint64_t attr,
			     uint32_t *val, bool is_write)
{
	uint32_t offset = (uint32_t)(attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	int cpu, ret;

	ret = gicv2_reg_cpu(gic, attr, &cpu);
	if (ret)
		return ret;
	if (devhost_vcpus_running(gic->host))
		return -EBUSY;
	/* Register access builds the state, as KVM's vgic_init here. */
	ret = gicv2_make_ready(gic);
	if (ret)
		return ret;
	if (cpu >= gic->nr_cpus)
		return -EINVAL;
	return gicv2_regs_user(gic, gicv2_map_of(group), cpu, offset, val,
			       is_write);
}

int gicv2_set_value(struct gicv2 *gic, uint32_t group, uint64_t attr,
		    uint64_t val)
{
	uint32_t v32 = (uint32_t)val;
	int ret;

	pthread_mutex_lock(&gic->lock);
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		ret = gicv2_set_addr(gic, attr, val);
		break;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		ret = gicv2_set_nr_irqs(gic, v32);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		ret = attr == KVM_DEV_ARM_VGIC_CTRL_INIT ? gicv2_ctrl_init(gic) :
							   -ENXIO;
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		ret = gicv2_regs_access(gic, group, attr, &v32, true);
		break;
	default:
		ret = -ENXIO;
	}
	pthread_mutex_unlock(&gic->lock);
	return ret;
}

int gicv2_get_value(struct gicv2 *gic, uint32_t group, uint64_t attr,
		    uint64_t *val)
{
	uint32_t v32 = 0;
	int ret;

	pthread_mutex_lock(&gic->lock);
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		ret = gicv2_get_addr(gic, attr, val);
		break;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		/* KVM reports nr_spis + 32: 32 before anything sized it. */
		*val = gic->nr_irqs ? gic->nr_irqs : GICV2_NR_PRIVATE;
		ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		ret = gicv2_regs_access(gic, group, attr, &v32, false);
		if (!ret)
			*val = v32;
		break;
	default:
		ret = -ENXIO;
	}
	pthread_mutex_unlock(&gic->lock);
	return ret;
}

int gicv2_has_value(struct gicv2 *gic, uint32_t group, uint64_t attr)
{
	uint32_t offset = (uint32_t)(attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	int cpu, ret = -ENXIO;

	pthread_mutex_lock(&gic->lock);
	switch (group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr == KVM_VGIC_V2_ADDR_TYPE_DIST ||
		    attr == KVM_VGIC_V2_ADDR_TYPE_CPU)
			ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr == KVM_DEV_ARM_VGIC_CTRL_INIT)
			ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		ret = gicv2_reg_cpu(gic, attr, &cpu);
		if (!ret && !gicv2_regs_user_has(gic, gicv2_map_of(group),
						 offset))
			ret = -ENXIO;
		break;
	}
	pthread_mutex_unlock(&gic->lock);
	return ret;
}

/* ---- device ops: the copy from/to attr->addr around the values -------- */

static int gicv2_reg_cpu_locked(struct gicv2 *gic, uint64_t attr)
{
	int cpu, ret;

	pthread_mutex_lock(&gic->lock);
	ret = gicv2_reg_cpu(gic, attr, &cpu);
	pthread_mutex_unlock(&gic->lock);
	return ret;
}

int gicv2_dev_set_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	struct gicv2 *gic = gicv2_of(dev);
	uint64_t v64;
	uint32_t v32;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		ret = attr_copy_from(attr, &v64, sizeof(v64));
		return ret ? ret : gicv2_set_value(gic, attr->group,
						   attr->attr, v64);
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		/* KVM checks vcpu_index before it reads the value. */
		ret = gicv2_reg_cpu_locked(gic, attr->attr);
		if (ret)
			return ret;
		/* fall through */
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		ret = attr_copy_from(attr, &v32, sizeof(v32));
		return ret ? ret : gicv2_set_value(gic, attr->group,
						   attr->attr, v32);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return gicv2_set_value(gic, attr->group, attr->attr, 0);
	}
	return -ENXIO;
}

int gicv2_dev_get_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	struct gicv2 *gic = gicv2_of(dev);
	uint64_t v64 = 0;
	uint32_t v32;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		ret = gicv2_get_value(gic, attr->group, attr->attr, &v64);
		return ret ? ret : attr_copy_to(attr, &v64, sizeof(v64));
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		ret = gicv2_get_value(gic, attr->group, attr->attr, &v64);
		v32 = (uint32_t)v64;
		return ret ? ret : attr_copy_to(attr, &v32, sizeof(v32));
	}
	return -ENXIO;
}

int gicv2_dev_has_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	return gicv2_has_value(gicv2_of(dev), attr->group, attr->attr);
}
