// SPDX-License-Identifier: GPL-2.0
/*
 * A VM for one backend: KVM_CREATE_VM, guest RAM in a memfd slot, vCPUs
 * made with KVM_ARM_VCPU_INIT (never run), and the struct devhost the
 * software models need: guest RAM, an MMIO bus for their frames, the
 * vCPUs' real MPIDRs and the VM's other devices.  Both backends get the
 * same VM, so only the device differs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "conf.h"

#define ENV(h) ((struct env *)(h)->opaque)

static bool in_ram(uint64_t gpa, size_t len)
{
	return gpa >= CONF_RAM_BASE && len <= CONF_RAM_SIZE &&
	       gpa - CONF_RAM_BASE <= CONF_RAM_SIZE - len;
}

static int h_read(struct devhost *h, uint64_t gpa, void *buf, size_t len)
{
	if (!in_ram(gpa, len))
		return -EFAULT;
	memcpy(buf, ENV(h)->ram + (gpa - CONF_RAM_BASE), len);
	return 0;
}

static int h_write(struct devhost *h, uint64_t gpa, const void *buf,
		   size_t len)
{
	if (!in_ram(gpa, len))
		return -EFAULT;
	memcpy(ENV(h)->ram + (gpa - CONF_RAM_BASE), buf, len);
	return 0;
}

/* No vCPU runs here: the models' output lines go nowhere. */
static void h_line(struct devhost *h, int cpu, int line, int level)
{
}

static int h_nr_vcpus(struct devhost *h)
{
	return ENV(h)->nr_vcpus;
}

static bool h_no(struct devhost *h)
{
	return false;
}

static uint64_t h_mpidr(struct devhost *h, int cpu)
{
	return ENV(h)->mpidr[cpu];
}

static int h_map(struct devhost *h, uint64_t base, uint64_t len,
		 bus_access_fn fn, void *opaque, const char *name)
{
	return bus_register(ENV(h)->mmio, base, len, fn, opaque, name);
}

static int h_unmap(struct devhost *h, uint64_t base)
{
	return bus_unregister(ENV(h)->mmio, base);
}

static struct device *h_find(struct devhost *h, uint32_t type)
{
	struct env *e = ENV(h);

	for (int i = 0; i < e->nr_devs; i++)
		if (e->devs[i]->type == type)
			return e->devs[i];
	return NULL;
}

bool kernel_has_device(uint32_t type)
{
	struct kvm_create_device cd = { .type = type,
					.flags = KVM_CREATE_DEVICE_TEST };
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm;
	bool ok;

	if (kvm < 0)
		return false;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ok = vm >= 0 && ioctl(vm, KVM_CREATE_DEVICE, &cd) == 0;
	if (vm >= 0)
		close(vm);
	close(kvm);
	return ok;
}

static int vcpu_create(struct env *e, int id,
		       const struct kvm_vcpu_init *init)
{
	uint64_t mpidr = 0;
	struct kvm_one_reg reg = { .id = ARM64_SYS_REG(3, 0, 0, 0, 5),
				   .addr = (uint64_t)(uintptr_t)&mpidr };
	int fd = ioctl(e->vm_fd, KVM_CREATE_VCPU, id);

	if (fd < 0)
		return -errno;
	e->vcpu_fd[id] = fd;
	if (ioctl(fd, KVM_ARM_VCPU_INIT, init) < 0 ||
	    ioctl(fd, KVM_GET_ONE_REG, &reg) < 0)
		return -errno;
	e->mpidr[id] = mpidr;
	return 0;
}

int env_open(struct env *e, enum backend_choice backend, int nr_vcpus)
{
	struct kvm_userspace_memory_region region = {
		.guest_phys_addr = CONF_RAM_BASE,
		.memory_size = CONF_RAM_SIZE,
	};
	struct kvm_vcpu_init init;
	void *ram;
	int ret;

	memset(e, 0, sizeof(*e));
	e->backend = backend;
	e->kvm_fd = e->vm_fd = e->mem_fd = -1;
	for (int i = 0; i < CONF_MAX_VCPUS; i++)
		e->vcpu_fd[i] = -1;
	e->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (e->kvm_fd < 0)
		return -errno;
	e->vm_fd = ioctl(e->kvm_fd, KVM_CREATE_VM, 0);
	e->mem_fd = memfd_create("conformance-ram", MFD_CLOEXEC);
	if (e->vm_fd < 0 || e->mem_fd < 0 ||
	    ftruncate(e->mem_fd, (off_t)CONF_RAM_SIZE) < 0)
		return -errno;
	ram = mmap(NULL, CONF_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   e->mem_fd, 0);
	if (ram == MAP_FAILED)
		return -errno;
	e->ram = ram;
	region.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (ioctl(e->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return -errno;
	if (ioctl(e->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return -errno;
	for (int i = 0; i < nr_vcpus; i++) {
		ret = vcpu_create(e, i, &init);
		if (ret)
			return ret;
		e->nr_vcpus++;
	}
	e->mmio = bus_create("conformance-mmio");
	if (!e->mmio)
		return -ENOMEM;
	e->host = (struct devhost){
		.opaque = e,
		.guest_read = h_read,
		.guest_write = h_write,
		.set_cpu_line = h_line,
		.nr_vcpus = h_nr_vcpus,
		.vcpus_running = h_no,
		.vcpus_have_run = h_no,
		.vcpu_mpidr = h_mpidr,
		.map_mmio = h_map,
		.unmap_mmio = h_unmap,
		.find_device = h_find,
		/* KVM's default IPA size without KVM_VM_TYPE_ARM_IPA_SIZE. */
		.ipa_bits = 40,
	};
	return 0;
}

void env_close(struct env *e)
{
	for (int i = e->nr_devs - 1; i >= 0; i--)
		device_destroy(e->devs[i]);
	e->nr_devs = 0;
	if (e->mmio)
		bus_destroy(e->mmio);
	for (int i = 0; i < CONF_MAX_VCPUS; i++)
		if (e->vcpu_fd[i] >= 0)
			close(e->vcpu_fd[i]);
	if (e->ram)
		munmap(e->ram, CONF_RAM_SIZE);
	if (e->mem_fd >= 0)
		close(e->mem_fd);
	if (e->vm_fd >= 0)
		close(e->vm_fd);
	if (e->kvm_fd >= 0)
		close(e->kvm_fd);
	memset(e, 0, sizeof(*e));
}

int env_device(struct env *e, uint32_t type, struct device **out)
{
	enum backend_choice b = e->backend;
	int ret;

	if (e->nr_devs >= CONF_MAX_DEVS)
		return -ENOSPC;
	ret = device_create(e->vm_fd, &e->host, type, b, out);
	if (!ret)
		e->devs[e->nr_devs++] = *out;
	return ret;
}

void *env_ram(struct env *e, uint64_t gpa)
{
	return e->ram + (gpa - CONF_RAM_BASE);
}

int env_msi(struct env *e, struct device *its, uint64_t addr, uint32_t data,
	    uint32_t devid)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
		.flags = KVM_MSI_VALID_DEVID,
		.devid = devid,
	};
	int ret;

	if (its->backend == DEV_BACKEND_SOFT)
		return device_signal_msi(its, addr, data, devid);
	/* > 0 delivered, 0 blocked by the guest's tables: both accepted. */
	ret = ioctl(e->vm_fd, KVM_SIGNAL_MSI, &msi);
	return ret < 0 ? -errno : 0;
}
