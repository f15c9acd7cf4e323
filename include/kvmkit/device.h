/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One device-attribute ABI, two backends.
 *
 * Every device documented in spec/kvm-devices/ is driven with
 * (group, attr, addr) through struct kvm_device_attr.  A struct device is
 * either the fd from KVM_CREATE_DEVICE (kernel backend) or a C model that
 * implements the same groups, encodings and errno values (software
 * backend).  Callers never care which one they hold.
 *
 * All ops return 0 or a negative errno, for both backends.
 */
#ifndef KVMKIT_DEVICE_H
#define KVMKIT_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvmkit/bus.h"

struct device;
struct devhost;

enum dev_backend { DEV_BACKEND_KERNEL, DEV_BACKEND_SOFT };
enum backend_choice { BACKEND_AUTO, BACKEND_KERNEL, BACKEND_SOFT };

struct device_ops {
	int (*set_attr)(struct device *dev, const struct kvm_device_attr *attr);
	int (*get_attr)(struct device *dev, const struct kvm_device_attr *attr);
	int (*has_attr)(struct device *dev, const struct kvm_device_attr *attr);
	/* Software models: an interrupt input line (SPI, SRC pin, ...). */
	int (*set_irq)(struct device *dev, uint32_t irq, int level);
	/* Software models: an MSI write of @data to @addr from @devid. */
	int (*signal_msi)(struct device *dev, uint64_t addr, uint32_t data,
			  uint32_t devid);
	/* Frees priv and unmaps MMIO; the framework frees the device. */
	void (*destroy)(struct device *dev);
};

struct device {
	char name[32];		/* "vgic-v3", "its@0x8080000", ... */
	uint32_t type;		/* KVM_DEV_TYPE_* */
	enum dev_backend backend;
	int fd;			/* kernel backend, else -1 */
	const struct device_ops *ops;
	void *priv;		/* software model state */
	struct devhost *host;	/* software models: the VMM around them */
	/*
	 * Software models: a model-specific ops table for sibling devices
	 * (the GICv3 gives its ITSes struct gicv3_lpi_ops here).
	 */
	const void *iface;
};

/*
 * Lines a model drives on a vCPU.  The arch maps them to what it has
 * (KVM_IRQ_LINE on arm64, KVM_INTERRUPT on the x86 testbench).
 */
enum cpu_line {
	CPU_LINE_IRQ,		/* GIC IRQ, MPIC INT, s390 external */
	CPU_LINE_FIQ,		/* GIC FIQ */
	CPU_LINE_CRIT,		/* MPIC critical interrupt */
	CPU_LINE_MCHECK,	/* MPIC machine check */
	CPU_LINE_NR,
};

/*
 * What the VMM offers a software model.  Callbacks may be NULL where the
 * VMM lacks the feature (the devhost_* wrappers then return -ENOSYS).
 * A model may call set_cpu_line with its own lock held: the VMM's side
 * never calls back into the model from there.
 */
struct devhost {
	void *opaque;
	/* Guest RAM only: -EFAULT when any byte lies outside it. */
	int (*guest_read)(struct devhost *h, uint64_t gpa, void *buf,
			  size_t len);
	int (*guest_write)(struct devhost *h, uint64_t gpa, const void *buf,
			   size_t len);
	void (*set_cpu_line)(struct devhost *h, int cpu, int line, int level);
	/* vCPUs created so far. */
	int (*nr_vcpus)(struct devhost *h);
	/* True while any vCPU may be inside KVM_RUN (-EBUSY rules). */
	bool (*vcpus_running)(struct devhost *h);
	/* True once any vCPU has run at least once. */
	bool (*vcpus_have_run)(struct devhost *h);
	/* MPIDR_EL1 of a vCPU (affinity routing); NULL: KVM's default. */
	uint64_t (*vcpu_mpidr)(struct devhost *h, int cpu);
	int (*map_mmio)(struct devhost *h, uint64_t base, uint64_t len,
			bus_access_fn fn, void *opaque, const char *name);
	int (*unmap_mmio)(struct devhost *h, uint64_t base);
	/* Another device of the VM (the ITS finds its GICv3 this way). */
	struct device *(*find_device)(struct devhost *h, uint32_t type);
	/* Guest physical address bits (-E2BIG checks); 0 means 48. */
	unsigned int ipa_bits;
};

int devhost_guest_read(struct devhost *h, uint64_t gpa, void *buf, size_t len);
int devhost_guest_write(struct devhost *h, uint64_t gpa, const void *buf,
			size_t len);
void devhost_set_cpu_line(struct devhost *h, int cpu, int line, int level);
int devhost_nr_vcpus(struct devhost *h);
bool devhost_vcpus_running(struct devhost *h);
bool devhost_vcpus_have_run(struct devhost *h);
/* KVM's default MPIDR for vCPU @cpu when the host gives none. */
uint64_t devhost_vcpu_mpidr(struct devhost *h, int cpu);
int devhost_map_mmio(struct devhost *h, uint64_t base, uint64_t len,
		     bus_access_fn fn, void *opaque, const char *name);
int devhost_unmap_mmio(struct devhost *h, uint64_t base);
struct device *devhost_find_device(struct devhost *h, uint32_t type);
unsigned int devhost_ipa_bits(struct devhost *h);

/* A software model as the registry knows it. */
struct soft_model {
	uint32_t type;
	const char *name;
	int (*create)(struct devhost *host, uint32_t type, struct device **out);
};

/* Name of a KVM_DEV_TYPE_* ("arm-vgic-v3"), or "unknown". */
const char *device_type_name(uint32_t type);

/*
 * Create a device of @type.  BACKEND_KERNEL: KVM_CREATE_DEVICE only.
 * BACKEND_SOFT: the software model only.  BACKEND_AUTO: the kernel's,
 * else the model with a one-line notice naming the kernel's errno.
 */
int device_create(int vm_fd, struct devhost *host, uint32_t type,
		  enum backend_choice choice, struct device **out);
int device_kernel_create(int vm_fd, uint32_t type, struct device **out);
int device_soft_create(struct devhost *host, uint32_t type,
		       struct device **out);
/* A kernel object that takes device-attribute ioctls (a vCPU fd). */
int device_wrap_fd(int fd, uint32_t type, const char *name,
		   struct device **out);
void device_destroy(struct device *dev);

/* Allocate a software-backed device shell for a model's create(). */
struct device *device_soft_alloc(struct devhost *host, uint32_t type,
				 const char *name,
				 const struct device_ops *ops, void *priv);

int device_set_attr(struct device *dev, const struct kvm_device_attr *attr);
int device_get_attr(struct device *dev, const struct kvm_device_attr *attr);
int device_has_attr(struct device *dev, const struct kvm_device_attr *attr);
/* Shorthands: @val points at the attribute's value (attr.addr). */
int device_set(struct device *dev, uint32_t group, uint64_t attr,
	       const void *val);
int device_get(struct device *dev, uint32_t group, uint64_t attr, void *val);
int device_has(struct device *dev, uint32_t group, uint64_t attr);
int device_set_irq(struct device *dev, uint32_t irq, int level);
int device_signal_msi(struct device *dev, uint64_t addr, uint32_t data,
		      uint32_t devid);

/*
 * Read or write the value behind attr->addr the way the kernel's
 * get_user/put_user do: -EFAULT for a pointer this process can't access
 * (checked with process_vm_readv/writev, so a bad pointer never crashes).
 */
int attr_copy_from(const struct kvm_device_attr *attr, void *val, size_t len);
int attr_copy_to(const struct kvm_device_attr *attr, const void *val,
		 size_t len);

#endif
