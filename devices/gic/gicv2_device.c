// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv2 as a kvmkit device: creation, the state built at
 * (lazy) initialisation, the two MMIO frames, interrupt inputs and
 * teardown.  The attribute groups live in gicv2_attr.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gic/gicv2_priv.h"
#include "kvmkit/models.h"

/* Reset state, as KVM's vgic_init leaves a GICv2. */
static void gicv2_reset_cpu(struct gicv2_cpu *c, int cpu)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < GICV2_NR_PRIVATE; i++) {
		struct gicv2_irq *irq = &c->priv[i];

		irq->targets = (uint8_t)(1u << cpu);
		/* SGIs: enabled, edge; PPIs: level (the timer needs it). */
		irq->enabled = i < GICV2_NR_SGIS;
		irq->edge = i < GICV2_NR_SGIS;
	}
	c->bpr = GICV2_MIN_BPR;
	c->abpr = GICV2_MIN_ABPR;
}

int gicv2_make_ready(struct gicv2 *gic)
{
	unsigned int nr_spis;
	int nr_cpus;

	if (gic->ready)
		return 0;
	nr_cpus = devhost_nr_vcpus(gic->host);
	if (nr_cpus <= 0)
		return -ENODEV;
	if (nr_cpus > GICV2_MAX_CPUS)
		return -E2BIG;
	if (!gic->nr_irqs)
		gic->nr_irqs = GICV2_DEFAULT_NR_IRQS;
	nr_spis = gic->nr_irqs - GICV2_NR_PRIVATE;
	gic->spis = calloc(nr_spis, sizeof(*gic->spis));
	if (!gic->spis)
		return -ENOMEM;
	/* SPIs: group 0, priority 0, no target, edge (KVM's defaults). */
	for (unsigned int i = 0; i < nr_spis; i++)
		gic->spis[i].edge = true;
	for (int cpu = 0; cpu < GICV2_MAX_CPUS; cpu++)
		gicv2_reset_cpu(&gic->cpu[cpu], cpu);
	gic->nr_cpus = nr_cpus;
	gic->ready = true;
	return 0;
}

/*
 * One handler per frame.  The bus only hands us offsets inside the
 * frame; anything else (or a frame not yet built) reads as zero.
 */
static int gicv2_frame_access(struct gicv2 *gic, const struct gicv2_regmap *map,
			      uint64_t size, int cpu, uint64_t offset,
			      void *data, uint32_t len, bool is_write)
{
	pthread_mutex_lock(&gic->lock);
	if (offset < size && len <= size - offset) {
		gicv2_regs_guest(gic, map, cpu, (uint32_t)offset, data, len,
				 is_write);
	} else if (!is_write) {
		memset(data, 0, len);
	}
	pthread_mutex_unlock(&gic->lock);
	return 0;
}

static int gicv2_dist_mmio(void *opaque, int cpu, uint64_t offset,
			   void *data, uint32_t len, bool is_write)
{
	return gicv2_frame_access(opaque, &gicv2_dist_map, GICV2_DIST_SIZE,
				  cpu, offset, data, len, is_write);
}

static int gicv2_cpu_mmio(void *opaque, int cpu, uint64_t offset,
			  void *data, uint32_t len, bool is_write)
{
	return gicv2_frame_access(opaque, &gicv2_cpu_map, GICV2_CPU_SIZE,
				  cpu, offset, data, len, is_write);
}

int gicv2_map(struct gicv2 *gic)
{
	int ret;

	ret = devhost_map_mmio(gic->host, gic->dist_base, GICV2_DIST_SIZE,
			       gicv2_dist_mmio, gic, "gicv2-dist");
	if (ret)
		return ret;
	ret = devhost_map_mmio(gic->host, gic->cpu_base, GICV2_CPU_SIZE,
			       gicv2_cpu_mmio, gic, "gicv2-cpu");
	if (ret) {
		devhost_unmap_mmio(gic->host, gic->dist_base);
		return ret;
	}
	gic->mapped = true;
	return 0;
}

void gicv2_unmap(struct gicv2 *gic)
{
	if (!gic->mapped)
		return;
	devhost_unmap_mmio(gic->host, gic->dist_base);
	devhost_unmap_mmio(gic->host, gic->cpu_base);
	gic->mapped = false;
}

void gicv2_free(struct gicv2 *gic)
{
	gicv2_unmap(gic);
	pthread_mutex_destroy(&gic->lock);
	free(gic->spis);
	free(gic);
}

/*
 * An input line, KVM_IRQ_LINE-encoded (see gicv2.h).  Like KVM, the
 * first injection builds the state with the default NR_IRQS if nothing
 * else did.
 */
static int gicv2_dev_set_irq(struct device *dev, uint32_t irq, int level)
{
	struct gicv2 *gic = gicv2_of(dev);
	uint32_t type = irq >> KVM_ARM_IRQ_TYPE_SHIFT & KVM_ARM_IRQ_TYPE_MASK;
	uint32_t vcpu = (irq >> KVM_ARM_IRQ_VCPU2_SHIFT &
			 KVM_ARM_IRQ_VCPU2_MASK) << 8 |
			(irq >> KVM_ARM_IRQ_VCPU_SHIFT & KVM_ARM_IRQ_VCPU_MASK);
	uint32_t intid = irq >> KVM_ARM_IRQ_NUM_SHIFT & KVM_ARM_IRQ_NUM_MASK;
	int ret;

	pthread_mutex_lock(&gic->lock);
	ret = gicv2_make_ready(gic);
	if (ret)
		goto out;
	ret = -EINVAL;
	switch (type) {
	case KVM_ARM_IRQ_TYPE_CPU:
		/* A bare INTID: an SPI, with nothing in the upper bits. */
		if (irq > KVM_ARM_IRQ_NUM_MASK)
			break;
		/* fall through */
	case KVM_ARM_IRQ_TYPE_SPI:
		if (intid < GICV2_NR_PRIVATE || !gicv2_irq(gic, 0, intid))
			break;
		gicv2_irq_set_line(gic, 0, intid, level);
		ret = 0;
		break;
	case KVM_ARM_IRQ_TYPE_PPI:
		if (vcpu >= (uint32_t)gic->nr_cpus || intid < GICV2_NR_SGIS ||
		    intid >= GICV2_NR_PRIVATE)
			break;
		gicv2_irq_set_line(gic, (int)vcpu, intid, level);
		ret = 0;
		break;
	}
out:
	pthread_mutex_unlock(&gic->lock);
	return ret;
}

static void gicv2_dev_destroy(struct device *dev)
{
	gicv2_free(gicv2_of(dev));
	dev->priv = NULL;
}

static const struct device_ops gicv2_ops = {
	.set_attr = gicv2_dev_set_attr,
	.get_attr = gicv2_dev_get_attr,
	.has_attr = gicv2_dev_has_attr,
	.set_irq = gicv2_dev_set_irq,
	.destroy = gicv2_dev_destroy,
};

/* As kvm_vgic_create: not once a vCPU ran, not with more than 8 vCPUs. */
static int gicv2_create(struct devhost *host, uint32_t type,
			struct device **out)
{
	struct gicv2 *gic;
	struct device *dev;

	if (type != KVM_DEV_TYPE_ARM_VGIC_V2)
		return -ENODEV;
	if (devhost_vcpus_have_run(host))
		return -EBUSY;
	if (devhost_nr_vcpus(host) > GICV2_MAX_CPUS)
		return -E2BIG;
	gic = calloc(1, sizeof(*gic));
	if (!gic)
		return -ENOMEM;
	pthread_mutex_init(&gic->lock, NULL);
	gic->host = host;
	gic->dist_base = GICV2_ADDR_UNDEF;
	gic->cpu_base = GICV2_ADDR_UNDEF;
	gic->iidr_rev = GICV2_IIDR_REV_DEFAULT;
	dev = device_soft_alloc(host, type, "arm-vgic-v2", &gicv2_ops, gic);
	if (!dev) {
		gicv2_free(gic);
		return -ENOMEM;
	}
	gic->dev = dev;
	*out = dev;
	return 0;
}

const struct soft_model gicv2_soft_model = {
	.type = KVM_DEV_TYPE_ARM_VGIC_V2,
	.name = "arm-vgic-v2",
	.create = gicv2_create,
};
