// SPDX-License-Identifier: GPL-2.0
/* VM creation, guest memory and the device host the models see. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "kvmkit/vm.h"

static const struct {
	int cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
	{ KVM_CAP_DEVICE_CTRL, "KVM_CAP_DEVICE_CTRL" },
};

static int open_kvm(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		pr_err("/dev/kvm does not exist: this host has no KVM (load kvm-intel/kvm-amd, or enable virtualization)");
	else if (errno == EACCES || errno == EPERM)
		pr_err("no permission to open /dev/kvm: add yourself to its group (ls -l /dev/kvm) or run as root");
	else
		pr_err("cannot open /dev/kvm: %s", strerror(errno));
	return -1;
}

static int check_kvm(int kvm_fd)
{
	int api = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);

	if (api != KVM_API_VERSION) {
		pr_err("KVM API version %d, kvmkit needs %d", api, KVM_API_VERSION);
		return -1;
	}
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0) {
			pr_err("KVM lacks the capability %s", required_caps[i].name);
			return -1;
		}
	}
	return 0;
}

/* ---- guest memory ------------------------------------------------------ */

int vm_add_ram(struct vm *vm, uint64_t gpa, uint64_t size)
{
	struct kvm_userspace_memory_region region;
	struct mem_slot *slot;
	uint64_t off = 0;
	void *hva;

	if (vm->nr_slots >= VM_MAX_SLOTS)
		return -ENOSPC;
	for (int i = 0; i < vm->nr_slots; i++)
		off += vm->slots[i].size;
	if (ftruncate(vm->mem_fd, (off_t)(off + size)) < 0)
		return -errno;
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
		   vm->mem_fd, (off_t)off);
	if (hva == MAP_FAILED)
		return -errno;
	madvise(hva, size, MADV_MERGEABLE);
	slot = &vm->slots[vm->nr_slots];
	*slot = (struct mem_slot){ .gpa = gpa, .size = size, .hva = hva,
				   .file_offset = off, .id = (uint32_t)vm->nr_slots };
	region = (struct kvm_userspace_memory_region){
		.slot = slot->id,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)hva,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		int err = -errno;

		munmap(hva, size);
		return err;
	}
	vm->nr_slots++;
	vm->mem_size += size;
	return 0;
}

void *vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len)
{
	for (int i = 0; i < vm->nr_slots; i++) {
		struct mem_slot *s = &vm->slots[i];

		if (gpa >= s->gpa && gpa - s->gpa < s->size &&
		    len <= s->size - (gpa - s->gpa))
			return s->hva + (gpa - s->gpa);
	}
	return NULL;
}

int vm_read(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
	void *p = vm_gpa_to_hva(vm, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

int vm_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len)
{
	void *p = vm_gpa_to_hva(vm, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

/* ---- the devhost the software models see ------------------------------- */

#define HOST_VM(h) ((struct vm *)(h)->opaque)

static int host_read(struct devhost *h, uint64_t gpa, void *buf, size_t len)
{
	return vm_read(HOST_VM(h), gpa, buf, len);
}

static int host_write(struct devhost *h, uint64_t gpa, const void *buf,
		      size_t len)
{
	return vm_write(HOST_VM(h), gpa, buf, len);
}

static void host_set_line(struct devhost *h, int cpu, int line, int level)
{
	struct vm *vm = HOST_VM(h);

	if (cpu >= 0 && cpu < vm->nr_vcpus && line >= 0 && line < CPU_LINE_NR)
		vcpu_set_line(&vm->vcpus[cpu], line, level);
}

static int host_nr_vcpus(struct devhost *h)
{
	return HOST_VM(h)->nr_vcpus;
}

static bool host_running(struct devhost *h)
{
	struct vm *vm = HOST_VM(h);
	bool running;

	pthread_mutex_lock(&vm->lock);
	running = vm->any_ran && vm->state == VM_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	return running;
}

static bool host_have_run(struct devhost *h)
{
	struct vm *vm = HOST_VM(h);
	bool ran;

	pthread_mutex_lock(&vm->lock);
	ran = vm->any_ran;
	pthread_mutex_unlock(&vm->lock);
	return ran;
}

static int host_map(struct devhost *h, uint64_t base, uint64_t len,
		    bus_access_fn fn, void *opaque, const char *name)
{
	return bus_register(HOST_VM(h)->mmio, base, len, fn, opaque, name);
}

static int host_unmap(struct devhost *h, uint64_t base)
{
	return bus_unregister(HOST_VM(h)->mmio, base);
}

static struct device *host_find(struct devhost *h, uint32_t type)
{
	struct vm *vm = HOST_VM(h);

	for (int i = 0; i < vm->nr_devices; i++)
		if (vm->devices[i]->type == type)
			return vm->devices[i];
	return NULL;
}

int vm_add_device(struct vm *vm, struct device *dev)
{
	if (vm->nr_devices >= VM_MAX_DEVICES)
		return -ENOSPC;
	vm->devices[vm->nr_devices++] = dev;
	return 0;
}

/* ---- create / destroy -------------------------------------------------- */

int vm_create(struct vm *vm, const struct vm_config *cfg)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = *cfg;
	vm->kvm_fd = vm->vm_fd = vm->mem_fd = vm->stop_efd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->cond, NULL);
	if (cfg->name)
		snprintf(vm->name, sizeof(vm->name), "%s", cfg->name);
	else
		snprintf(vm->name, sizeof(vm->name), "guest-%d", (int)getpid());

	vm->machine = arch_find_machine(cfg->machine);
	if (!vm->machine) {
		pr_err("unknown machine '%s'", cfg->machine);
		return -1;
	}
	vm->kvm_fd = open_kvm();
	if (vm->kvm_fd < 0)
		return -1;
	if (check_kvm(vm->kvm_fd))
		return -1;
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size <= 0) {
		pr_err("KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
		return -1;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		pr_err("KVM_CREATE_VM failed: %s", strerror(errno));
		return -1;
	}
	vm->mem_fd = memfd_create("kvmkit-ram", MFD_CLOEXEC);
	vm->stop_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	vm->mmio = bus_create("mmio");
	vm->pio = bus_create("pio");
	if (vm->mem_fd < 0 || vm->stop_efd < 0 || !vm->mmio || !vm->pio) {
		pr_err("cannot allocate VM resources: %s", strerror(errno));
		return -1;
	}
	vm->devhost = (struct devhost){
		.opaque = vm,
		.guest_read = host_read,
		.guest_write = host_write,
		.set_cpu_line = host_set_line,
		.nr_vcpus = host_nr_vcpus,
		.vcpus_running = host_running,
		.vcpus_have_run = host_have_run,
		.map_mmio = host_map,
		.unmap_mmio = host_unmap,
		.find_device = host_find,
	};
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->machine && vm->machine->teardown)
		vm->machine->teardown(vm);
	/* Devices first (they may unmap bus ranges), then the buses. */
	for (int i = vm->nr_devices - 1; i >= 0; i--)
		device_destroy(vm->devices[i]);
	vm->nr_devices = 0;
	for (int i = 0; i < vm->nr_vcpus; i++) {
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, (size_t)vm->run_size);
		if (vm->vcpus[i].fd >= 0)
			close(vm->vcpus[i].fd);
		free(vm->vcpus[i].arch);
	}
	free(vm->vcpus);
	vm->vcpus = NULL;
	for (int i = 0; i < vm->nr_slots; i++)
		munmap(vm->slots[i].hva, vm->slots[i].size);
	vm->nr_slots = 0;
	bus_destroy(vm->mmio);
	bus_destroy(vm->pio);
	vm->mmio = vm->pio = NULL;
	if (vm->mem_fd >= 0)
		close(vm->mem_fd);
	if (vm->stop_efd >= 0)
		close(vm->stop_efd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm->arch);
	vm->arch = NULL;
}
