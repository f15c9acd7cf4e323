// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv3 device: creation, CTRL_INIT, the device-attribute
 * groups of arm-vgic-v3.txt (ADDR, DIST_REGS, REDIST_REGS, CPU_SYSREGS,
 * NR_IRQS, CTRL, LEVEL_INFO) with their errno values, and the direct
 * entry points of gicv3.h.
 */
#include <errno.h>
#include <stdlib.h>

#include "kvmkit/models.h"
#include "gic/gicv3.h"
#include "gic/gicv3_int.h"
#include "gic/gicv3_lpi.h"

static const struct device_ops gicv3_ops;

struct gicv3 *gicv3_of(struct device *dev)
{
	if (!dev || dev->type != KVM_DEV_TYPE_ARM_VGIC_V3 ||
	    dev->ops != &gicv3_ops)
		return NULL;
	return dev->priv;
}

/* vCPUs as frozen by CTRL_INIT, or as the VMM has them before it. */
int gicv3_vcpu_count(struct gicv3 *g)
{
	int n;

	if (g->initialized)
		return g->nr_vcpus;
	n = devhost_nr_vcpus(g->host);
	return n > 0 ? n : 0;
}

uint64_t gicv3_vcpu_mpidr(struct gicv3 *g, int vcpu)
{
	if (g->initialized)
		return g->vcpus[vcpu].mpidr;
	return devhost_vcpu_mpidr(g->host, vcpu);
}

static void free_state(struct gicv3 *g)
{
	gicv3_lpi_free(g);
	free(g->vcpus);
	free(g->spis);
	g->vcpus = NULL;
	g->spis = NULL;
	g->lpi_cfg = NULL;
	g->lpi_cfg_valid = NULL;
	g->nr_vcpus = 0;
}

/*
 * KVM_DEV_ARM_VGIC_CTRL_INIT: freeze the vCPU count and NR_IRQS
 * (default 256), build the reset state, map the frames whose addresses
 * are known.  Idempotent, as in KVM.
 */
static int init_locked(struct gicv3 *g)
{
	int n = devhost_nr_vcpus(g->host);
	uint32_t old_spis = g->nr_spis;
	int ret;

	if (g->initialized)
		return 0;
	if (n < 0)
		n = 0;
	if (!g->nr_spis)
		g->nr_spis = GICV3_DEFAULT_IRQS - GIC_NR_PRIVATE;
	g->vcpus = calloc(n ? (size_t)n : 1, sizeof(*g->vcpus));
	g->spis = calloc(g->nr_spis, sizeof(*g->spis));
	g->nr_vcpus = n;
	ret = g->vcpus && g->spis ? gicv3_lpi_alloc(g) : -ENOMEM;
	if (ret)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct gicv3_vcpu *v = &g->vcpus[i];

		v->mpidr = devhost_vcpu_mpidr(g->host, i);
		v->rdreg = -1;
		v->io = (struct gicv3_redist_io){ .gic = g, .vcpu = i };
		v->pendbaser = gicv3_pendbaser_reset();
		gicv3_cpuif_reset(&v->cpuif);
	}
	/* KVM gives PROPBASER its reset value when an ITS is created. */
	g->propbaser = gicv3_has_its(g) ? gicv3_propbaser_reset() : 0;
	g->initialized = true;
	gicv3_irq_reset(g);
	ret = gicv3_map_all(g);
	if (ret) {
		g->initialized = false;
		gicv3_unmap_frames(g);
		for (unsigned int i = 0; i < g->nr_rdregs; i++)
			g->rdregs[i].used = 0;	/* placement starts over */
		goto fail;
	}
	gicv3_update(g);
	return 0;
fail:
	free_state(g);
	g->nr_spis = old_spis;
	return ret;
}

/* The mpidr field of an attribute (Aff3.Aff2.Aff1.Aff0) as a vCPU. */
static int attr_vcpu(struct gicv3 *g, const struct kvm_device_attr *attr)
{
	int v;

	if (attr->group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS)
		return gicv3_vcpu_count(g) > 0 ? 0 : -EINVAL;
	v = gicv3_vcpu_by_aff(g, (uint32_t)(attr->attr >>
					     KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT));
	return v < 0 ? -EINVAL : v;
}

static int level_info_access(struct gicv3 *g, int vcpu, uint64_t attr,
			     uint32_t *val, bool is_write)
{
	uint64_t info = (attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
			KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT;
	uint32_t intid = attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK;

	if (info != VGIC_LEVEL_INFO_LINE_LEVEL || intid % 32)
		return -EINVAL;
	if (is_write)
		gicv3_level_info_write(g, vcpu, intid, *val);
	else
		*val = gicv3_level_info_read(g, vcpu, intid);
	return 0;
}

/*
 * The register groups.  Errors in KVM's order: mpidr (-EINVAL), user
 * pointer (-EFAULT), running vCPUs or no CTRL_INIT yet (-EBUSY), then
 * the register itself (-ENXIO unknown, -EINVAL bad value).
 */
static int regs_access(struct gicv3 *g, const struct kvm_device_attr *attr,
		       bool is_write)
{
	bool sysreg = attr->group == KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
	size_t size = sysreg ? sizeof(uint64_t) : sizeof(uint32_t);
	uint32_t offset = (uint32_t)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	int vcpu, ret;

	gicv3_lock(g);
	vcpu = attr_vcpu(g, attr);
	ret = vcpu < 0 ? vcpu : 0;
	if (!ret && is_write)
		ret = attr_copy_from(attr, sysreg ? (void *)&v64 : &v32, size);
	if (!ret && (devhost_vcpus_running(g->host) || !g->initialized))
		ret = -EBUSY;
	if (ret)
		goto out;
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		ret = gicv3_dist_uaccess(g, offset, &v32, is_write);
		break;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		ret = gicv3_redist_uaccess(g, vcpu, offset, &v32, is_write);
		break;
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		ret = gicv3_sysreg_uaccess(g, vcpu,
					   attr->attr &
					   KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK,
					   &v64, is_write);
		break;
	default:
		ret = level_info_access(g, vcpu, attr->attr, &v32, is_write);
		break;
	}
out:
	gicv3_unlock(g);
	if (!ret && !is_write)
		ret = attr_copy_to(attr, sysreg ? (void *)&v64 : &v32, size);
	return ret;
}

static int set_nr_irqs(struct gicv3 *g, const struct kvm_device_attr *attr)
{
	uint32_t val;
	int ret = attr_copy_from(attr, &val, sizeof(val));

	if (ret)
		return ret;
	/* 64..1024 in steps of 32 (at least 32 SPIs) */
	if (val < GIC_NR_PRIVATE + 32 || val > GICV3_MAX_IRQS || val % 32)
		return -EINVAL;
	gicv3_lock(g);
	if (g->initialized || g->nr_spis)
		ret = -EBUSY;
	else
		g->nr_spis = val - GIC_NR_PRIVATE;
	gicv3_unlock(g);
	return ret;
}

static int save_pending(struct gicv3 *g)
{
	int ret;

	gicv3_lock(g);
	if (devhost_vcpus_running(g->host))
		ret = -EBUSY;
	else if (!g->initialized)
		ret = -ENXIO;
	else if (!g->nr_vcpus)
		ret = -ENODEV;
	else
		ret = gicv3_save_pending_tables(g);
	gicv3_unlock(g);
	return ret;
}

static int gicv3_set_attr(struct device *dev,
			  const struct kvm_device_attr *attr)
{
	struct gicv3 *g = dev->priv;
	uint64_t val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		ret = attr_copy_from(attr, &val, sizeof(val));
		if (ret)
			return ret;
		gicv3_lock(g);
		ret = gicv3_addr_set(g, attr->attr, val);
		gicv3_unlock(g);
		return ret;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return set_nr_irqs(g, attr);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr->attr == KVM_DEV_ARM_VGIC_CTRL_INIT) {
			gicv3_lock(g);
			ret = init_locked(g);
			gicv3_unlock(g);
			return ret;
		}
		if (attr->attr == KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)
			return save_pending(g);
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return regs_access(g, attr, true);
	}
	return -ENXIO;
}

static int gicv3_get_attr(struct device *dev,
			  const struct kvm_device_attr *attr)
{
	struct gicv3 *g = dev->priv;
	uint64_t val = 0;
	uint32_t nr;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		/* Reading a region needs its index from the caller. */
		if (attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION) {
			ret = attr_copy_from(attr, &val, sizeof(val));
			if (ret)
				return ret;
		}
		gicv3_lock(g);
		ret = gicv3_addr_get(g, attr->attr, &val);
		gicv3_unlock(g);
		return ret ? ret : attr_copy_to(attr, &val, sizeof(val));
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		gicv3_lock(g);
		nr = gicv3_nr_irqs(g);
		gicv3_unlock(g);
		return attr_copy_to(attr, &nr, sizeof(nr));
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		return regs_access(g, attr, false);
	}
	return -ENXIO;
}

static int has_regs(struct gicv3 *g, const struct kvm_device_attr *attr)
{
	uint32_t offset = (uint32_t)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	int vcpu = attr_vcpu(g, attr);

	if (vcpu < 0)
		return vcpu;
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
		return gicv3_dist_has_reg(g, offset) ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
		return gicv3_redist_has_reg(g, offset) ? 0 : -ENXIO;
	}
	return gicv3_sysreg_known(attr->attr &
				  KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK) ?
		       0 : -ENXIO;
}

static int gicv3_has_attr(struct device *dev,
			  const struct kvm_device_attr *attr)
{
	struct gicv3 *g = dev->priv;
	int ret = -ENXIO;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (attr->attr == KVM_VGIC_V3_ADDR_TYPE_DIST ||
		    attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST ||
		    attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION)
			ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_REDIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS:
		gicv3_lock(g);
		ret = has_regs(g, attr);
		gicv3_unlock(g);
		break;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO:
		if (((attr->attr & KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK) >>
		     KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT) ==
		    VGIC_LEVEL_INFO_LINE_LEVEL)
			ret = 0;
		break;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr->attr == KVM_DEV_ARM_VGIC_CTRL_INIT ||
		    attr->attr == KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES)
			ret = 0;
		break;
	}
	return ret;
}

/* SPIs by INTID (32 .. NR_IRQS - 1), as KVM_IRQ_LINE takes them. */
static int gicv3_set_irq(struct device *dev, uint32_t irq, int level)
{
	struct gicv3 *g = dev->priv;
	int ret;

	gicv3_lock(g);
	if (!g->initialized)
		ret = -EBUSY;
	else if (irq < GIC_NR_PRIVATE)
		ret = -EINVAL;
	else
		ret = gicv3_inject_locked(g, -1, irq, level);
	gicv3_unlock(g);
	return ret;
}

static void gicv3_destroy(struct device *dev)
{
	struct gicv3 *g = dev->priv;

	if (!g)
		return;
	gicv3_unmap_all(g);
	free_state(g);
	free(g->rdregs);
	pthread_mutex_destroy(&g->lock);
	free(g);
	dev->priv = NULL;
}

static const struct device_ops gicv3_ops = {
	.set_attr = gicv3_set_attr,
	.get_attr = gicv3_get_attr,
	.has_attr = gicv3_has_attr,
	.set_irq = gicv3_set_irq,
	.destroy = gicv3_destroy,
};

/*
 * One GIC per VM, GICv2 or GICv3 (-EEXIST), and only before any vCPU
 * has run (-EBUSY), as KVM_CREATE_DEVICE has it.
 */
static int gicv3_create(struct devhost *host, uint32_t type,
			struct device **out)
{
	struct gicv3 *g;
	struct device *dev;

	if (type != KVM_DEV_TYPE_ARM_VGIC_V3)
		return -ENODEV;
	if (devhost_find_device(host, KVM_DEV_TYPE_ARM_VGIC_V3) ||
	    devhost_find_device(host, KVM_DEV_TYPE_ARM_VGIC_V2))
		return -EEXIST;
	if (devhost_vcpus_have_run(host))
		return -EBUSY;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	pthread_mutex_init(&g->lock, NULL);
	g->host = host;
	g->dist_base = GICV3_ADDR_UNDEF;
	g->rev = GICV3_REV_LATEST;
	dev = device_soft_alloc(host, type, "vgic-v3", &gicv3_ops, g);
	if (!dev) {
		pthread_mutex_destroy(&g->lock);
		free(g);
		return -ENOMEM;
	}
	dev->iface = &gicv3_lpi_ops;
	g->dev = dev;
	*out = dev;
	return 0;
}

const struct soft_model gicv3_soft_model = {
	.type = KVM_DEV_TYPE_ARM_VGIC_V3,
	.name = "arm-vgic-v3",
	.create = gicv3_create,
};

/* ---- gicv3.h ---------------------------------------------------------- */

int gicv3_set_ppi(struct device *gic, int cpu, uint32_t intid, int level)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!g->initialized)
		ret = -EBUSY;
	else if (cpu < 0 || cpu >= g->nr_vcpus || intid < GIC_NR_SGIS ||
		 intid >= GIC_NR_PRIVATE)
		ret = -EINVAL;
	else
		ret = gicv3_inject_locked(g, cpu, intid, level);
	gicv3_unlock(g);
	return ret;
}

int gicv3_cpuif_sysreg(struct device *gic, int cpu, uint32_t instr,
		       uint64_t *val, bool is_write)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!g->initialized)
		ret = -EBUSY;
	else if (cpu < 0 || cpu >= g->nr_vcpus)
		ret = -EINVAL;
	else
		ret = gicv3_sysreg_guest_locked(g, cpu, instr, val, is_write);
	gicv3_unlock(g);
	return ret;
}

uint32_t gicv3_cpuif_ack(struct device *gic, int cpu, int group)
{
	uint64_t v = GIC_SPURIOUS;

	if (gicv3_cpuif_sysreg(gic, cpu, group ? ICC_IAR1_EL1 : ICC_IAR0_EL1,
			       &v, false))
		return GIC_SPURIOUS;
	return (uint32_t)v;
}

int gicv3_cpuif_eoi(struct device *gic, int cpu, int group, uint32_t intid)
{
	uint64_t v = intid;

	return gicv3_cpuif_sysreg(gic, cpu,
				  group ? ICC_EOIR1_EL1 : ICC_EOIR0_EL1, &v,
				  true);
}

int gicv3_cpuif_deactivate(struct device *gic, int cpu, uint32_t intid)
{
	uint64_t v = intid;

	return gicv3_cpuif_sysreg(gic, cpu, ICC_DIR_EL1, &v, true);
}

int gicv3_cpuif_send_sgi(struct device *gic, int cpu, uint64_t sgi1r)
{
	return gicv3_cpuif_sysreg(gic, cpu, ICC_SGI1R_EL1, &sgi1r, true);
}
