// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: the device.  KVM_DEV_TYPE_FSL_MPIC_20 and _42 with
 * the groups, attributes and errno values of KVM's MPIC
 * (spec/kvm-devices/mpic.txt, arch/powerpc/kvm/mpic.c): MISC/BASE_ADDR,
 * REGISTER (as the guest, from no CPU), IRQ_ACTIVE; guest MMIO; SRC
 * pins through set_irq; MSIs through MSIIR.
 */
#include <errno.h>
#include <stdlib.h>

#include "kvmkit/abi/ppc.h"
#include "kvmkit/models.h"
#include "mpic/mpic_priv.h"

static const struct mpic_version mpic_versions[] = {
	{
		.type = KVM_DEV_TYPE_FSL_MPIC_20,
		.brr1 = 0x00400200,
		.nirq = 80,
		.mode_mask = MPIC_GCR_MODE_MIXED,
		.idr_crit = true,
	},
	{
		.type = KVM_DEV_TYPE_FSL_MPIC_42,
		.brr1 = 0x00400402,
		.nirq = 196,
		.mode_mask = MPIC_GCR_MODE_PROXY,
		.has_ilr = true,
	},
};

/* ---- guest MMIO ---------------------------------------------------------- */

/*
 * 32-bit accesses; byte reads also work (as on hardware), returning
 * byte (offset & 3) of the little-endian register.  Errors as KVM's:
 * -EINVAL for a bad read, -EOPNOTSUPP for a bad write, -ENXIO outside
 * the registers or for a PIR write.
 */
static int mpic_mmio(void *opaque, int cpu, uint64_t off, void *data,
		     uint32_t len, bool is_write)
{
	struct mpic *m = opaque;
	uint32_t val = 0;
	int ret;

	if (is_write) {
		if (len != 4 || (off & 3))
			return -EOPNOTSUPP;
		pthread_mutex_lock(&m->lock);
		ret = mpic_reg_write(m, off, cpu, bus_get_le(data, 4));
		pthread_mutex_unlock(&m->lock);
		return ret;
	}
	if ((len != 4 && len != 1) || (off & (len - 1)))
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	ret = mpic_reg_read(m, off & ~3ull, cpu, &val);
	pthread_mutex_unlock(&m->lock);
	if (ret)
		return ret;
	bus_put_le(data, len, val >> (8 * (off & 3)));
	return 0;
}

/* ---- attributes ---------------------------------------------------------- */

/*
 * Move the register window: map the new one first (the old one, if
 * any, is another aligned 256 KiB block, so they cannot overlap) and
 * keep the old one if that fails.
 */
static int mpic_set_base(struct mpic *m, const struct kvm_device_attr *attr)
{
	uint64_t base;
	int ret = 0;

	if (attr_copy_from(attr, &base, sizeof(base)))
		return -EFAULT;
	if (base & (MPIC_REG_SIZE - 1))
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (base == m->base)
		goto out;
	if (base) {
		ret = devhost_map_mmio(m->host, base, MPIC_REG_SIZE, mpic_mmio,
				       m, "mpic");
		if (ret)
			goto out;
	}
	if (m->base)
		devhost_unmap_mmio(m->host, m->base);
	m->base = base;
out:
	pthread_mutex_unlock(&m->lock);
	return ret;
}

static int mpic_get_base(struct mpic *m, const struct kvm_device_attr *attr)
{
	uint64_t base;

	pthread_mutex_lock(&m->lock);
	base = m->base;
	pthread_mutex_unlock(&m->lock);
	return attr_copy_to(attr, &base, sizeof(base)) ? -EFAULT : 0;
}

/* REGISTER: like KVM, a misaligned offset is -ENXIO (no register). */
static int mpic_access_reg(struct mpic *m, uint64_t off, uint32_t *val,
			   bool is_write)
{
	int ret;

	if (off & 3)
		return -ENXIO;
	pthread_mutex_lock(&m->lock);
	/* The attribute interface is no vCPU: the alias page is inert. */
	if (is_write)
		ret = mpic_reg_write(m, off, -1, *val);
	else
		ret = mpic_reg_read(m, off, -1, val);
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* The kvmkit extension group: checks, then the copy, as KVM's order. */
static int mpic_state_access(struct mpic *m, const struct kvm_device_attr *attr,
			     bool is_write)
{
	uint64_t val[KVMKIT_MPIC_CPU_STATE_WORDS] = { 0 };
	size_t size = mpic_state_size(attr->attr);
	int ret = mpic_state_has(attr->attr);

	if (ret)
		return ret;
	if (is_write && attr_copy_from(attr, val, size))
		return -EFAULT;
	pthread_mutex_lock(&m->lock);
	ret = is_write ? mpic_state_set(m, attr->attr, val) :
			 mpic_state_get(m, attr->attr, val);
	pthread_mutex_unlock(&m->lock);
	if (!ret && !is_write && attr_copy_to(attr, val, size))
		return -EFAULT;
	return ret;
}

static int mpic_set_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	struct mpic *m = dev->priv;
	uint32_t val;

	switch (attr->group) {
	case KVM_DEV_MPIC_GRP_MISC:
		if (attr->attr == KVM_DEV_MPIC_BASE_ADDR)
			return mpic_set_base(m, attr);
		break;
	case KVM_DEV_MPIC_GRP_REGISTER:
		if (attr_copy_from(attr, &val, sizeof(val)))
			return -EFAULT;
		return mpic_access_reg(m, attr->attr, &val, true);
	case KVM_DEV_MPIC_GRP_IRQ_ACTIVE:
		if (attr->attr >= MPIC_NR_SRC)
			return -EINVAL;
		if (attr_copy_from(attr, &val, sizeof(val)))
			return -EFAULT;
		if (val > 1)
			return -EINVAL;
		pthread_mutex_lock(&m->lock);
		mpic_set_irq(m, attr->attr, val);
		pthread_mutex_unlock(&m->lock);
		return 0;
	case KVMKIT_DEV_MPIC_GRP_STATE:
		return mpic_state_access(m, attr, true);
	}
	return -ENXIO;
}

static int mpic_get_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	struct mpic *m = dev->priv;
	uint32_t val;
	int ret;

	switch (attr->group) {
	case KVM_DEV_MPIC_GRP_MISC:
		if (attr->attr == KVM_DEV_MPIC_BASE_ADDR)
			return mpic_get_base(m, attr);
		break;
	case KVM_DEV_MPIC_GRP_REGISTER:
		ret = mpic_access_reg(m, attr->attr, &val, false);
		if (ret)
			return ret;
		return attr_copy_to(attr, &val, sizeof(val)) ? -EFAULT : 0;
	case KVM_DEV_MPIC_GRP_IRQ_ACTIVE:
		if (attr->attr >= MPIC_NR_SRC)
			return -EINVAL;
		pthread_mutex_lock(&m->lock);
		val = m->src[attr->attr].pending;
		pthread_mutex_unlock(&m->lock);
		return attr_copy_to(attr, &val, sizeof(val)) ? -EFAULT : 0;
	case KVMKIT_DEV_MPIC_GRP_STATE:
		return mpic_state_access(m, attr, false);
	}
	return -ENXIO;
}

/* As KVM: every REGISTER offset "exists"; errors come on access. */
static int mpic_has_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	switch (attr->group) {
	case KVM_DEV_MPIC_GRP_MISC:
		return attr->attr == KVM_DEV_MPIC_BASE_ADDR ? 0 : -ENXIO;
	case KVM_DEV_MPIC_GRP_REGISTER:
		return 0;
	case KVM_DEV_MPIC_GRP_IRQ_ACTIVE:
		return attr->attr < MPIC_NR_SRC ? 0 : -ENXIO;
	case KVMKIT_DEV_MPIC_GRP_STATE:
		return mpic_state_has(attr->attr);
	}
	return -ENXIO;
}

/* ---- inputs -------------------------------------------------------------- */

/* SRC pin @irq (device-tree numbering: IVPR offset from 0x10000 / 32). */
static int mpic_dev_set_irq(struct device *dev, uint32_t irq, int level)
{
	struct mpic *m = dev->priv;

	if (irq >= MPIC_NR_SRC)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	mpic_set_irq(m, irq, level != 0);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

/* An MSI is an MSIIR write of @data; KVM ignores the address too. */
static int mpic_signal_msi(struct device *dev, uint64_t addr, uint32_t data,
			   uint32_t devid)
{
	struct mpic *m = dev->priv;
	int ret;

	pthread_mutex_lock(&m->lock);
	ret = mpic_reg_write(m, MPIC_MSIIR, -1, data);
	pthread_mutex_unlock(&m->lock);
	return ret;
}

static int mpic_timer_expire(struct device *dev, unsigned int timer)
{
	struct mpic *m = dev->priv;
	int ret = 0;

	if (timer >= MPIC_NR_TMR)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	if (m->tmr[timer].tbcr & MPIC_TBCR_CI) {
		ret = -EBUSY;
	} else {
		m->tmr[timer].tccr ^= MPIC_TCCR_TOG;
		mpic_set_irq(m, MPIC_IRQ_TMR0 + timer, true);
	}
	pthread_mutex_unlock(&m->lock);
	return ret;
}

static const struct mpic_iface mpic_iface = {
	.timer_expire = mpic_timer_expire,
};

/* ---- life cycle ---------------------------------------------------------- */

static void mpic_destroy(struct device *dev)
{
	struct mpic *m = dev->priv;

	if (!m)
		return;
	if (m->base)
		devhost_unmap_mmio(m->host, m->base);
	pthread_mutex_destroy(&m->lock);
	free(m);
	dev->priv = NULL;
}

static const struct device_ops mpic_ops = {
	.set_attr = mpic_set_attr,
	.get_attr = mpic_get_attr,
	.has_attr = mpic_has_attr,
	.set_irq = mpic_dev_set_irq,
	.signal_msi = mpic_signal_msi,
	.destroy = mpic_destroy,
};

static int mpic_create(struct devhost *host, uint32_t type, struct device **out)
{
	const struct mpic_version *ver = NULL;
	struct device *dev;
	struct mpic *m;

	for (size_t i = 0; i < sizeof(mpic_versions) / sizeof(mpic_versions[0]); i++)
		if (mpic_versions[i].type == type)
			ver = &mpic_versions[i];
	if (!ver)
		return -ENODEV;
	/* One MPIC per VM, of either type: KVM's mpic_create says -EINVAL. */
	if (devhost_find_device(host, KVM_DEV_TYPE_FSL_MPIC_20) ||
	    devhost_find_device(host, KVM_DEV_TYPE_FSL_MPIC_42))
		return -EINVAL;

	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->host = host;
	m->ver = ver;
	pthread_mutex_init(&m->lock, NULL);
	for (unsigned int irq = 0; irq < MPIC_NR_IRQ; irq++)
		m->src[irq].kind = irq < MPIC_NR_EXT ? MPIC_KIND_EXT :
				   irq < MPIC_NR_SRC ? MPIC_KIND_INT :
				   MPIC_KIND_SPECIAL;
	mpic_reset(m);

	dev = device_soft_alloc(host, type, NULL, &mpic_ops, m);
	if (!dev) {
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -ENOMEM;
	}
	dev->iface = &mpic_iface;
	*out = dev;
	return 0;
}

const struct soft_model mpic20_soft_model = {
	.type = KVM_DEV_TYPE_FSL_MPIC_20,
	.name = "fsl-mpic-20",
	.create = mpic_create,
};

const struct soft_model mpic42_soft_model = {
	.type = KVM_DEV_TYPE_FSL_MPIC_42,
	.name = "fsl-mpic-42",
	.create = mpic_create,
};
