// SPDX-License-Identifier: GPL-2.0
/*
 * The software s390 FLIC: KVM_DEV_TYPE_FLIC's attribute groups
 * (s390_flic.txt) with the kernel's encodings and errno values.  Unknown
 * groups give -EINVAL on set/get (as the doc notes) and -ENXIO on has.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flic/flic_priv.h"
#include "kvmkit/models.h"

static const struct device_ops flic_ops;

struct flic *flic_of(struct device *dev)
{
	if (!dev || dev->ops != &flic_ops)
		return NULL;
	return dev->priv;
}

/* ---- the interrupt-list groups ----------------------------------------- */

/* Read one kvm_s390_irq the way the kernel does: type, then its payload. */
static int read_user_irq(uint64_t addr, struct kvm_s390_irq *irq)
{
	struct kvm_device_attr a = { .addr = addr };
	size_t off = offsetof(struct kvm_s390_irq, u), len;
	int ret;

	memset(irq, 0, sizeof(*irq));
	ret = attr_copy_from(&a, &irq->type, sizeof(irq->type));
	if (ret)
		return ret;
	switch (irq->type) {
	case KVM_S390_INT_PFAULT_INIT:
	case KVM_S390_INT_PFAULT_DONE:
	case KVM_S390_INT_VIRTIO:
	case KVM_S390_INT_SERVICE:
		len = sizeof(irq->u.ext);
		break;
	case KVM_S390_MCHK:
		len = sizeof(irq->u.mchk);
		break;
	default:
		if (irq->type > KVM_S390_INT_IO_MAX)
			return -EINVAL;
		len = sizeof(irq->u.io);
		break;
	}
	a.addr = addr + off;
	return attr_copy_from(&a, &irq->u, len);
}

/*
 * attr->attr bytes of kvm_s390_irq at attr->addr, injected one by one;
 * an error stops the loop and leaves the earlier ones injected.
 */
static int flic_enqueue(struct flic *f, const struct kvm_device_attr *attr)
{
	const uint64_t sz = sizeof(struct kvm_s390_irq);
	uint64_t len = attr->attr;
	uint64_t addr = attr->addr;

	if (len % sz || len > KVM_S390_FLIC_MAX_BUFFER)
		return -EINVAL;
	for (; len >= sz; len -= sz, addr += sz) {
		struct kvm_s390_irq irq;
		int ret = read_user_irq(addr, &irq);

		if (ret)
			return ret;
		pthread_mutex_lock(&f->lock);
		ret = flic_inject(f, &irq);
		flic_update_line(f);
		pthread_mutex_unlock(&f->lock);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Copy every pending interrupt out; they stay pending.  -ENOMEM asks
 * for a bigger buffer and copies nothing.  The kernel's ioctl returns
 * the count; the device interface returns 0 (see flic_save for how the
 * count is found with either backend).
 */
static int flic_get_all(struct flic *f, const struct kvm_device_attr *attr)
{
	struct kvm_s390_irq *buf = NULL;
	size_t n;
	int ret = 0;

	if (attr->attr == 0 || attr->attr > KVM_S390_FLIC_MAX_BUFFER)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	n = flic_count(f);
	if (n > attr->attr / sizeof(*buf))
		ret = -ENOMEM;
	else if (n && !(buf = malloc(n * sizeof(*buf))))
		ret = -ENOBUFS;
	else if (n)
		flic_collect(f, buf);
	pthread_mutex_unlock(&f->lock);
	if (!ret && n)
		ret = attr_copy_to(attr, buf, n * sizeof(*buf));
	free(buf);
	return ret;
}

static int flic_clear_irqs(struct flic *f, const struct kvm_device_attr *attr)
{
	pthread_mutex_lock(&f->lock);
	flic_clear(f);
	flic_update_line(f);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

/* attr->addr points to a 32-bit schid (attr->attr == 4); 0 is invalid. */
static int flic_clear_io_irq(struct flic *f,
			     const struct kvm_device_attr *attr)
{
	uint32_t schid;
	int ret;

	if (attr->flags || attr->attr != sizeof(schid))
		return -EINVAL;
	ret = attr_copy_from(attr, &schid, sizeof(schid));
	if (ret)
		return ret;
	if (!schid)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	flic_take_io(f, S390_CR6_ALL_ISCS, schid, NULL);
	flic_update_line(f);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

/*
 * Async page faults: kvmkit never completes a guest fault asynchronously,
 * so there is nothing in flight to wait for; the flag is kept for the
 * arch code (pfault handshake) and for the save order.
 */
static int flic_apf_enable(struct flic *f, const struct kvm_device_attr *attr)
{
	pthread_mutex_lock(&f->lock);
	f->apf_enabled = true;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int flic_apf_disable_wait(struct flic *f,
				 const struct kvm_device_attr *attr)
{
	pthread_mutex_lock(&f->lock);
	f->apf_enabled = false;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

/* ---- group table -------------------------------------------------------- */

struct flic_group {
	uint32_t group;
	int (*set)(struct flic *f, const struct kvm_device_attr *attr);
	int (*get)(struct flic *f, const struct kvm_device_attr *attr);
};

static const struct flic_group flic_groups[] = {
	{ KVM_DEV_FLIC_GET_ALL_IRQS, NULL, flic_get_all },
	{ KVM_DEV_FLIC_ENQUEUE, flic_enqueue, NULL },
	{ KVM_DEV_FLIC_CLEAR_IRQS, flic_clear_irqs, NULL },
	{ KVM_DEV_FLIC_APF_ENABLE, flic_apf_enable, NULL },
	{ KVM_DEV_FLIC_APF_DISABLE_WAIT, flic_apf_disable_wait, NULL },
	{ KVM_DEV_FLIC_ADAPTER_REGISTER, flic_adapter_register, NULL },
	{ KVM_DEV_FLIC_ADAPTER_MODIFY, flic_adapter_modify, NULL },
	{ KVM_DEV_FLIC_CLEAR_IO_IRQ, flic_clear_io_irq, NULL },
	{ KVM_DEV_FLIC_AISM, flic_ais_set_mode, NULL },
	{ KVM_DEV_FLIC_AIRQ_INJECT, flic_airq_inject, NULL },
	{ KVM_DEV_FLIC_AISM_ALL, flic_ais_set_all, flic_ais_get_all },
	{ KVMKIT_DEV_FLIC_ADAPTER_STATE, NULL, flic_adapter_state },
};

static const struct flic_group *find_group(uint32_t group)
{
	for (size_t i = 0; i < sizeof(flic_groups) / sizeof(flic_groups[0]);
	     i++)
		if (flic_groups[i].group == group)
			return &flic_groups[i];
	return NULL;
}

static int flic_set_attr(struct device *dev,
			 const struct kvm_device_attr *attr)
{
	const struct flic_group *g = find_group(attr->group);

	if (!g || !g->set)
		return -EINVAL;
	return g->set(dev->priv, attr);
}

static int flic_get_attr(struct device *dev,
			 const struct kvm_device_attr *attr)
{
	const struct flic_group *g = find_group(attr->group);

	if (!g || !g->get)
		return -EINVAL;
	return g->get(dev->priv, attr);
}

/* As the kernel: every known group is "present", whatever attr says. */
static int flic_has_attr(struct device *dev,
			 const struct kvm_device_attr *attr)
{
	return find_group(attr->group) ? 0 : -ENXIO;
}

static void flic_destroy(struct device *dev)
{
	struct flic *f = dev->priv;

	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	flic_clear(f);
	flic_update_line(f);
	pthread_mutex_unlock(&f->lock);
	flic_adapters_free(f);
	pthread_mutex_destroy(&f->lock);
	free(f);
	dev->priv = NULL;
}

static const struct device_ops flic_ops = {
	.set_attr = flic_set_attr,
	.get_attr = flic_get_attr,
	.has_attr = flic_has_attr,
	.destroy = flic_destroy,
};

/* Only one FLIC per VM: the kernel's create fails with -EINVAL. */
static int flic_create(struct devhost *host, uint32_t type,
		       struct device **out)
{
	struct device *dev;
	struct flic *f;

	if (type != KVM_DEV_TYPE_FLIC)
		return -ENODEV;
	if (devhost_find_device(host, KVM_DEV_TYPE_FLIC))
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	pthread_mutex_init(&f->lock, NULL);
	f->host = host;
	flic_lists_init(f);
	dev = device_soft_alloc(host, type, "s390-flic", &flic_ops, f);
	if (!dev) {
		pthread_mutex_destroy(&f->lock);
		free(f);
		return -ENOMEM;
	}
	*out = dev;
	return 0;
}

const struct soft_model flic_soft_model = {
	.type = KVM_DEV_TYPE_FLIC,
	.name = "s390-flic",
	.create = flic_create,
};
