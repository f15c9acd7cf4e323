// SPDX-License-Identifier: GPL-2.0
/*
 * The device framework: kernel backend (KVM_CREATE_DEVICE fds), the
 * software-model registry, backend selection and the devhost wrappers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kvmkit/device.h"
#include "kvmkit/log.h"
#include "kvmkit/models.h"

static const struct {
	uint32_t type;
	const char *name;
} type_names[] = {
	{ KVM_DEV_TYPE_FSL_MPIC_20, "fsl-mpic-20" },
	{ KVM_DEV_TYPE_FSL_MPIC_42, "fsl-mpic-42" },
	{ KVM_DEV_TYPE_XICS, "xics" },
	{ KVM_DEV_TYPE_VFIO, "vfio" },
	{ KVM_DEV_TYPE_ARM_VGIC_V2, "arm-vgic-v2" },
	{ KVM_DEV_TYPE_FLIC, "s390-flic" },
	{ KVM_DEV_TYPE_ARM_VGIC_V3, "arm-vgic-v3" },
	{ KVM_DEV_TYPE_ARM_VGIC_ITS, "arm-vgic-its" },
	{ KVM_DEV_TYPE_XIVE, "xive" },
	{ KVMKIT_DEV_TYPE_S390_VM, "s390-vm" },
	{ KVMKIT_DEV_TYPE_VCPU, "vcpu" },
};

const char *device_type_name(uint32_t type)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == type)
			return type_names[i].name;
	return "unknown";
}

/* ---- kernel backend ---------------------------------------------------- */

static int kernel_ioctl(struct device *dev, unsigned long req,
			const struct kvm_device_attr *attr)
{
	struct kvm_device_attr a = *attr;

	if (ioctl(dev->fd, req, &a) < 0)
		return -errno;
	return 0;
}

static int kernel_set_attr(struct device *dev,
			   const struct kvm_device_attr *attr)
{
	return kernel_ioctl(dev, KVM_SET_DEVICE_ATTR, attr);
}

static int kernel_get_attr(struct device *dev,
			   const struct kvm_device_attr *attr)
{
	return kernel_ioctl(dev, KVM_GET_DEVICE_ATTR, attr);
}

static int kernel_has_attr(struct device *dev,
			   const struct kvm_device_attr *attr)
{
	return kernel_ioctl(dev, KVM_HAS_DEVICE_ATTR, attr);
}

static const struct device_ops kernel_ops = {
	.set_attr = kernel_set_attr,
	.get_attr = kernel_get_attr,
	.has_attr = kernel_has_attr,
};

static struct device *device_alloc(uint32_t type, const char *name)
{
	struct device *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return NULL;
	dev->type = type;
	dev->fd = -1;
	snprintf(dev->name, sizeof(dev->name), "%s",
		 name ? name : device_type_name(type));
	return dev;
}

int device_kernel_create(int vm_fd, uint32_t type, struct device **out)
{
	struct kvm_create_device cd = { .type = type,
					.flags = KVM_CREATE_DEVICE_TEST };
	struct device *dev;

	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return -errno;
	cd.flags = 0;
	if (ioctl(vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return -errno;
	dev = device_alloc(type, NULL);
	if (!dev) {
		close(cd.fd);
		return -ENOMEM;
	}
	dev->backend = DEV_BACKEND_KERNEL;
	dev->fd = cd.fd;
	dev->ops = &kernel_ops;
	*out = dev;
	return 0;
}

int device_wrap_fd(int fd, uint32_t type, const char *name,
		   struct device **out)
{
	struct device *dev = device_alloc(type, name);

	if (!dev)
		return -ENOMEM;
	dev->backend = DEV_BACKEND_KERNEL;
	dev->fd = fd;
	dev->ops = &kernel_ops;
	*out = dev;
	return 0;
}

/* ---- software backend -------------------------------------------------- */

struct device *device_soft_alloc(struct devhost *host, uint32_t type,
				 const char *name,
				 const struct device_ops *ops, void *priv)
{
	struct device *dev = device_alloc(type, name);

	if (!dev)
		return NULL;
	dev->backend = DEV_BACKEND_SOFT;
	dev->ops = ops;
	dev->priv = priv;
	dev->host = host;
	return dev;
}

int device_soft_create(struct devhost *host, uint32_t type,
		       struct device **out)
{
	const struct soft_model *m = soft_model_find(type);

	if (!m)
		return -ENODEV;
	return m->create(host, type, out);
}

int device_create(int vm_fd, struct devhost *host, uint32_t type,
		  enum backend_choice choice, struct device **out)
{
	int ret;

	if (choice == BACKEND_SOFT)
		return device_soft_create(host, type, out);
	ret = device_kernel_create(vm_fd, type, out);
	if (ret == 0 || choice == BACKEND_KERNEL)
		return ret;
	pr_warn("%s: kernel device unavailable (%s), using the software model",
		device_type_name(type), strerror(-ret));
	return device_soft_create(host, type, out);
}

void device_destroy(struct device *dev)
{
	if (!dev)
		return;
	if (dev->backend == DEV_BACKEND_SOFT && dev->ops->destroy)
		dev->ops->destroy(dev);
	if (dev->backend == DEV_BACKEND_KERNEL && dev->type != KVMKIT_DEV_TYPE_VCPU &&
	    dev->type != KVMKIT_DEV_TYPE_S390_VM && dev->fd >= 0)
		close(dev->fd);
	free(dev);
}

/* ---- attribute access --------------------------------------------------- */

int device_set_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	return dev->ops->set_attr ? dev->ops->set_attr(dev, attr) : -ENXIO;
}

int device_get_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	return dev->ops->get_attr ? dev->ops->get_attr(dev, attr) : -ENXIO;
}

int device_has_attr(struct device *dev, const struct kvm_device_attr *attr)
{
	return dev->ops->has_attr ? dev->ops->has_attr(dev, attr) : -ENXIO;
}

int device_set(struct device *dev, uint32_t group, uint64_t attr,
	       const void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	return device_set_attr(dev, &a);
}

int device_get(struct device *dev, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = { .group = group, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	return device_get_attr(dev, &a);
}

int device_has(struct device *dev, uint32_t group, uint64_t attr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr };

	return device_has_attr(dev, &a);
}

int device_set_irq(struct device *dev, uint32_t irq, int level)
{
	return dev->ops->set_irq ? dev->ops->set_irq(dev, irq, level) : -ENXIO;
}

int device_signal_msi(struct device *dev, uint64_t addr, uint32_t data,
		      uint32_t devid)
{
	if (!dev->ops->signal_msi)
		return -ENXIO;
	return dev->ops->signal_msi(dev, addr, data, devid);
}

/*
 * Where process_vm_readv/writev are missing (qemu-user, which runs the
 * big-endian unit tests) move the bytes through a pipe: read and write
 * also fail with EFAULT on a bad pointer instead of faulting.
 */
static int pipe_copy(void *dst, const void *src, size_t len)
{
	int fd[2], ret = 0;

	if (pipe(fd))
		return -EFAULT;
	while (len) {
		ssize_t w = write(fd[1], src, len < 4096 ? len : 4096);

		if (w <= 0 || read(fd[0], dst, w) != w) {
			ret = -EFAULT;
			break;
		}
		src = (const char *)src + w;
		dst = (char *)dst + w;
		len -= w;
	}
	close(fd[0]);
	close(fd[1]);
	return ret;
}

int attr_copy_from(const struct kvm_device_attr *attr, void *val, size_t len)
{
	struct iovec local = { val, len };
	struct iovec remote = { (void *)(uintptr_t)attr->addr, len };
	ssize_t n;

	if (!attr->addr)
		return -EFAULT;
	n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && errno == ENOSYS)
		return pipe_copy(val, remote.iov_base, len);
	if (n != (ssize_t)len)
		return -EFAULT;
	return 0;
}

int attr_copy_to(const struct kvm_device_attr *attr, const void *val,
		 size_t len)
{
	struct iovec local = { (void *)val, len };
	struct iovec remote = { (void *)(uintptr_t)attr->addr, len };
	ssize_t n;

	if (!attr->addr)
		return -EFAULT;
	n = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n < 0 && errno == ENOSYS)
		return pipe_copy(remote.iov_base, val, len);
	if (n != (ssize_t)len)
		return -EFAULT;
	return 0;
}

/* ---- devhost wrappers --------------------------------------------------- */

int devhost_guest_read(struct devhost *h, uint64_t gpa, void *buf, size_t len)
{
	return h && h->guest_read ? h->guest_read(h, gpa, buf, len) : -ENOSYS;
}

int devhost_guest_write(struct devhost *h, uint64_t gpa, const void *buf,
			size_t len)
{
	return h && h->guest_write ? h->guest_write(h, gpa, buf, len) : -ENOSYS;
}

void devhost_set_cpu_line(struct devhost *h, int cpu, int line, int level)
{
	if (h && h->set_cpu_line)
		h->set_cpu_line(h, cpu, line, level);
}

int devhost_nr_vcpus(struct devhost *h)
{
	return h && h->nr_vcpus ? h->nr_vcpus(h) : 0;
}

bool devhost_vcpus_running(struct devhost *h)
{
	return h && h->vcpus_running ? h->vcpus_running(h) : false;
}

bool devhost_vcpus_have_run(struct devhost *h)
{
	return h && h->vcpus_have_run ? h->vcpus_have_run(h) : false;
}

uint64_t devhost_vcpu_mpidr(struct devhost *h, int cpu)
{
	uint64_t id = (uint64_t)cpu;

	if (h && h->vcpu_mpidr)
		return h->vcpu_mpidr(h, cpu);
	/* KVM's reset value: Aff0 holds 16 CPUs, then Aff1, Aff2. */
	return (1ULL << 31) | (id & 0x0f) | ((id >> 4) & 0xff) << 8 |
	       ((id >> 12) & 0xff) << 16;
}

int devhost_map_mmio(struct devhost *h, uint64_t base, uint64_t len,
		     bus_access_fn fn, void *opaque, const char *name)
{
	if (!h || !h->map_mmio)
		return -ENOSYS;
	return h->map_mmio(h, base, len, fn, opaque, name);
}

int devhost_unmap_mmio(struct devhost *h, uint64_t base)
{
	return h && h->unmap_mmio ? h->unmap_mmio(h, base) : -ENOSYS;
}

struct device *devhost_find_device(struct devhost *h, uint32_t type)
{
	return h && h->find_device ? h->find_device(h, type) : NULL;
}

unsigned int devhost_ipa_bits(struct devhost *h)
{
	return h && h->ipa_bits ? h->ipa_bits : 48;
}
