// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv3 ITS device (arm-vgic-its.txt): creation, the
 * attribute groups and MSI injection.  Groups:
 *
 *   KVM_DEV_ARM_VGIC_GRP_ADDR      KVM_VGIC_ITS_ADDR_TYPE: 128 KiB frame
 *   KVM_DEV_ARM_VGIC_GRP_CTRL      CTRL_INIT, ITS_CTRL_RESET,
 *                                  ITS_SAVE_TABLES, ITS_RESTORE_TABLES
 *   KVM_DEV_ARM_VGIC_GRP_ITS_REGS  GITS_* registers by offset (its_regs.c)
 *
 * Restore order (the doc's): base address, GITS_IIDR, GITS_CBASER, the
 * other registers (GITS_CREADR after GITS_CBASER, which zeroes it),
 * RESTORE_TABLES, GITS_CTLR last.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/models.h"
#include "gic/its.h"

/* Reset values of GITS_BASER<n> (KVM): RaWb, inner shareable, 64K. */
#define ITS_BASER_INIT                                                   \
	(GIC_CACHE_RAWB << GITS_INNER_SHIFT |                            \
	 GIC_CACHE_SAME_AS_INNER << GITS_OUTER_SHIFT |                   \
	 GIC_SHARE_INNER << GITS_SHARE_SHIFT | GITS_BASER_PAGE_64K)

static struct its *its_of(struct device *dev)
{
	return dev->priv;
}

/* -EEXIST, -EINVAL (alignment, wrap), -E2BIG: KVM's vgic_check_iorange. */
static int its_check_base(struct its *its, uint64_t addr)
{
	unsigned int bits = devhost_ipa_bits(its->host);
	uint64_t ipa_size = bits >= 64 ? 0 : 1ULL << bits;

	if (its->base != ITS_ADDR_UNDEF)
		return -EEXIST;
	if (addr & (ITS_FRAME_SIZE - 1))
		return -EINVAL;
	if (addr + ITS_MMIO_SIZE < addr)
		return -EINVAL;
	if (ipa_size && (addr >= ipa_size || addr + ITS_MMIO_SIZE > ipa_size))
		return -E2BIG;
	return 0;
}

static int its_set_addr(struct its *its, const struct kvm_device_attr *attr)
{
	uint64_t addr;
	int ret;

	if (attr->attr != KVM_VGIC_ITS_ADDR_TYPE)
		return -ENODEV;
	ret = attr_copy_from(attr, &addr, sizeof(addr));
	if (ret)
		return ret;
	pthread_mutex_lock(&its->lock);
	ret = its_check_base(its, addr);
	if (!ret)
		ret = devhost_map_mmio(its->host, addr, ITS_MMIO_SIZE, its_mmio,
				       its, "arm-vgic-its");
	if (!ret) {
		its->base = addr;
		snprintf(its->dev->name, sizeof(its->dev->name),
			 "its@%#" PRIx64, addr);
	}
	pthread_mutex_unlock(&its->lock);
	return ret;
}

static int its_get_addr(struct its *its, const struct kvm_device_attr *attr)
{
	uint64_t addr;

	if (attr->attr != KVM_VGIC_ITS_ADDR_TYPE)
		return -ENODEV;
	pthread_mutex_lock(&its->lock);
	addr = its->base;
	pthread_mutex_unlock(&its->lock);
	return attr_copy_to(attr, &addr, sizeof(addr));
}

/* "ITS Reset State": disabled, quiescent, no tables, no cached state. */
static void its_reset(struct its *its)
{
	its->baser_dev &= ~GITS_BASER_VALID;
	its->baser_coll &= ~GITS_BASER_VALID;
	its->cbaser = 0;
	its->creadr = 0;
	its->cwriter = 0;
	its->enabled = false;
	its_forget_devices(its);
	its_free_colls(its);
}

static int its_ctrl(struct its *its, uint64_t attr)
{
	int ret = 0;

	switch (attr) {
	case KVM_DEV_ARM_VGIC_CTRL_INIT:
		return 0;	/* nothing to set up beyond create */
	case KVM_DEV_ARM_ITS_CTRL_RESET:
	case KVM_DEV_ARM_ITS_SAVE_TABLES:
	case KVM_DEV_ARM_ITS_RESTORE_TABLES:
		break;
	default:
		return -ENXIO;
	}
	if (devhost_vcpus_running(its->host))
		return -EBUSY;
	pthread_mutex_lock(&its->lock);
	/*
	 * Without a frame no table register was ever set: nothing to save
	 * or restore, and 0 as from KVM, which needs no address here.
	 */
	if (attr == KVM_DEV_ARM_ITS_CTRL_RESET) {
		its_reset(its);
	} else if (attr == KVM_DEV_ARM_ITS_SAVE_TABLES) {
		ret = its_save_tables(its);
	} else {
		ret = its_restore_tables(its);
	}
	pthread_mutex_unlock(&its->lock);
	return ret;
}

static int its_access_regs(struct its *its, uint64_t offset, uint64_t *val,
			   bool is_write)
{
	int ret = its_regs_has(offset);

	if (ret == -EINVAL)
		return ret;
	if (devhost_vcpus_running(its->host))
		return -EBUSY;
	pthread_mutex_lock(&its->lock);
	if (its->base == ITS_ADDR_UNDEF)
		ret = -ENXIO;
	else if (!ret)
		ret = its_regs_uaccess(its, offset, val, is_write);
	pthread_mutex_unlock(&its->lock);
	return ret;
}

static int its_set_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	struct its *its = its_of(dev);
	uint64_t val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return its_set_addr(its, attr);
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return its_ctrl(its, attr->attr);
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		ret = attr_copy_from(attr, &val, sizeof(val));
		if (ret)
			return ret;
		return its_access_regs(its, attr->attr, &val, true);
	}
	return -ENXIO;
}

static int its_get_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	struct its *its = its_of(dev);
	uint64_t val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return its_get_addr(its, attr);
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		ret = its_access_regs(its, attr->attr, &val, false);
		if (ret)
			return ret;
		return attr_copy_to(attr, &val, sizeof(val));
	}
	return -ENXIO;
}

static int its_has_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return attr->attr == KVM_VGIC_ITS_ADDR_TYPE ? 0 : -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		switch (attr->attr) {
		case KVM_DEV_ARM_VGIC_CTRL_INIT:
		case KVM_DEV_ARM_ITS_CTRL_RESET:
		case KVM_DEV_ARM_ITS_SAVE_TABLES:
		case KVM_DEV_ARM_ITS_RESTORE_TABLES:
			return 0;
		}
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_ITS_REGS:
		return its_regs_has(attr->attr);
	}
	return -ENXIO;
}

/*
 * An MSI: @addr must fall in this ITS's frame (KVM accepts any address
 * of the ITS's MMIO region; GITS_TRANSLATER is the architected one).
 * 0 when delivered or when the guest's tables drop it (KVM_SIGNAL_MSI's
 * "blocked"), -EINVAL not this ITS, -EBUSY ITS disabled or the target's
 * LPIs off, -ENODEV no GICv3.
 */
static int its_signal_msi(struct device *dev, uint64_t addr, uint32_t data,
			  uint32_t devid)
{
	struct its *its = its_of(dev);
	int ret;

	pthread_mutex_lock(&its->lock);
	if (its->base == ITS_ADDR_UNDEF || addr < its->base ||
	    addr - its->base >= ITS_MMIO_SIZE)
		ret = -EINVAL;
	else
		ret = its_trigger(its, devid, data);
	pthread_mutex_unlock(&its->lock);
	return ret > 0 ? 0 : ret;
}

static void its_destroy(struct device *dev)
{
	struct its *its = its_of(dev);

	if (its->base != ITS_ADDR_UNDEF)
		devhost_unmap_mmio(its->host, its->base);
	its_free_devices(its);
	its_free_colls(its);
	pthread_mutex_destroy(&its->lock);
	free(its);
	dev->priv = NULL;
}

static const struct device_ops its_ops = {
	.set_attr = its_set_attr,
	.get_attr = its_get_attr,
	.has_attr = its_has_attr,
	.signal_msi = its_signal_msi,
	.destroy = its_destroy,
};

static int its_create(struct devhost *host, uint32_t type, struct device **out)
{
	struct its *its;

	if (type != KVM_DEV_TYPE_ARM_VGIC_ITS)
		return -ENODEV;
	its = calloc(1, sizeof(*its));
	if (!its)
		return -ENOMEM;
	pthread_mutex_init(&its->lock, NULL);
	its->host = host;
	its->base = ITS_ADDR_UNDEF;
	its->baser_dev = ITS_BASER_INIT |
			 GITS_BASER_TYPE_DEVICE << GITS_BASER_TYPE_SHIFT;
	its->baser_coll = ITS_BASER_INIT |
			  GITS_BASER_TYPE_COLLECTION << GITS_BASER_TYPE_SHIFT;
	its_set_abi(its, ITS_NR_ABIS - 1);
	its_idmap_init(&its->devices, ITS_DEV_BITS);
	its_idmap_init(&its->colls, ITS_COLL_BITS);
	its->dev = device_soft_alloc(host, type, "arm-vgic-its", &its_ops, its);
	if (!its->dev) {
		pthread_mutex_destroy(&its->lock);
		free(its);
		return -ENOMEM;
	}
	*out = its->dev;
	return 0;
}

const struct soft_model its_soft_model = {
	.type = KVM_DEV_TYPE_ARM_VGIC_ITS,
	.name = "arm-vgic-its",
	.create = its_create,
};
