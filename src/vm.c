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

static int set_region(struct vm *vm, struct mem_slot *slot, bool log)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot->id,
		.flags = log ? KVM_MEM_LOG_DIRTY_PAGES : 0,
		.guest_phys_addr = slot->gpa,
		.memory_size = slot->size,
		.userspace_addr = (uint64_t)(uintptr_t)slot->hva,
	};

	return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ?
		       -errno : 0;
}

int vm_add_ram(struct vm *vm, uint64_t gpa, uint64_t size)
{
	bool private_map = vm->ram_file_fd >= 0;
	int fd = private_map ? vm->ram_file_fd : vm->mem_fd;
	struct mem_slot *slot;
	uint64_t off = 0;
	void *hva;
	int err;

	if (vm->nr_slots >= VM_MAX_SLOTS)
		return -ENOSPC;
	for (int i = 0; i < vm->nr_slots; i++)
		off += vm->slots[i].size;
	/* A snapshot's memory file has its size already (checked). */
	if (!private_map && ftruncate(fd, (off_t)(off + size)) < 0)
		return -errno;
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   (private_map ? MAP_PRIVATE : MAP_SHARED) | MAP_NORESERVE,
		   fd, (off_t)off);
	if (hva == MAP_FAILED)
		return -errno;
	madvise(hva, size, MADV_MERGEABLE);
	slot = &vm->slots[vm->nr_slots];
	*slot = (struct mem_slot){ .gpa = gpa, .size = size, .hva = hva,
				   .file_offset = off, .id = (uint32_t)vm->nr_slots,
				   .fd = fd, .private_map = private_map };
	err = set_region(vm, slot, false);
	if (err) {
		munmap(hva, size);
		return err;
	}
	vm->nr_slots++;
	vm->mem_size += size;
	return 0;
}

static size_t bitmap_bytes(const struct mem_slot *s)
{
	return ((s->size >> 12) + 63) / 64 * 8;
}

int vm_set_dirty_log(struct vm *vm, bool on)
{
	int err = 0;

	/*
	 * The VMM's bitmaps stay allocated until vm_destroy: a device
	 * model in a vCPU thread may still be marking one as logging ends.
	 */
	for (int i = 0; i < vm->nr_slots && on; i++) {
		struct mem_slot *s = &vm->slots[i];

		if (!s->vmm_dirty)
			s->vmm_dirty = calloc(1, bitmap_bytes(s));
		if (!s->vmm_dirty)
			return -ENOMEM;
		memset(s->vmm_dirty, 0, bitmap_bytes(s));
	}
	__atomic_store_n(&vm->dirty_log, on, __ATOMIC_SEQ_CST);
	for (int i = 0; i < vm->nr_slots && !err; i++)
		err = set_region(vm, &vm->slots[i], on);
	if (err && on)
		vm_set_dirty_log(vm, false);
	return err;
}

int vm_get_dirty_log(struct vm *vm, int slot, unsigned long *bitmap)
{
	struct mem_slot *s = &vm->slots[slot];
	struct kvm_dirty_log log = { .slot = s->id, .dirty_bitmap = bitmap };
	size_t words = bitmap_bytes(s) / sizeof(unsigned long);

	if (!vm->dirty_log)
		return -EINVAL;
	if (ioctl(vm->vm_fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return -errno;
	for (size_t i = 0; s->vmm_dirty && i < words; i++)
		bitmap[i] |= __atomic_exchange_n(&s->vmm_dirty[i], 0,
						 __ATOMIC_SEQ_CST);
	return 0;
}

/* KVM does not log what user space writes: remember it ourselves. */
static void mark_vmm_dirty(struct vm *vm, uint64_t gpa, size_t len)
{
	const int bits = (int)(8 * sizeof(unsigned long));

	for (int i = 0; i < vm->nr_slots && len; i++) {
		struct mem_slot *s = &vm->slots[i];
		uint64_t first, last;

		if (!s->vmm_dirty || gpa < s->gpa || gpa - s->gpa >= s->size)
			continue;
		first = (gpa - s->gpa) >> 12;
		last = (gpa - s->gpa + len - 1) >> 12;
		for (uint64_t p = first; p <= last; p++)
			__atomic_fetch_or(&s->vmm_dirty[p / bits],
					  1UL << (p % bits), __ATOMIC_SEQ_CST);
	}
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
	/* After the copy: a snapshot round that misses it sees the bit. */
	if (len && __atomic_load_n(&vm->dirty_log, __ATOMIC_SEQ_CST))
		mark_vmm_dirty(vm, gpa, len);
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
	vm->ram_file_fd = -1;
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
	for (int i = 0; i < vm->nr_slots; i++) {
		munmap(vm->slots[i].hva, vm->slots[i].size);
		free(vm->slots[i].vmm_dirty);
	}
	vm->nr_slots = 0;
	bus_destroy(vm->mmio);
	bus_destroy(vm->pio);
	vm->mmio = vm->pio = NULL;
	if (vm->mem_fd >= 0)
		close(vm->mem_fd);
	if (vm->ram_file_fd >= 0)
		close(vm->ram_file_fd);
	if (vm->stop_efd >= 0)
		close(vm->stop_efd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	free(vm->arch);
	vm->arch = NULL;
}
