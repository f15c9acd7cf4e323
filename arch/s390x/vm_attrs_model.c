// SPDX-License-Identifier: GPL-2.0
/*
 * The s390 VM fd's attribute interface (vm.txt) in software: the device
 * shell, its group table, and the MEM_CTRL, CRYPTO and MIGRATION groups.
 * TOD and CPU_MODEL live in tod_model.c and cpu_model_model.c.  Unknown
 * groups and attributes answer -ENXIO, as the kernel's VM ioctls do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "kvmkit/models.h"
#include "s390_vm_priv.h"

#define MSA3_FACILITY 76

/* The software machine's highest addressable memory + 1 (sclp.hamax). */
#define MACHINE_MEM_LIMIT S390_LIMIT_8P

static const struct device_ops s390_vm_ops;

static struct s390_vm *s390_vm_of(struct device *dev)
{
	return dev && dev->ops == &s390_vm_ops ? dev->priv : NULL;
}

/* ---- KVM_S390_VM_MEM_CTRL ---------------------------------------------- */

/* Round a size up to what the DAT tables of that depth can address. */
static uint64_t round_mem_limit(uint64_t limit)
{
	uint64_t last = limit == KVM_S390_NO_MEM_LIMIT ? limit : limit - 1;

	if (last < S390_LIMIT_2G)
		return S390_LIMIT_2G;
	if (last < S390_LIMIT_4T)
		return S390_LIMIT_4T;
	if (last < S390_LIMIT_8P)
		return S390_LIMIT_8P;
	return KVM_S390_NO_MEM_LIMIT;
}

static int set_mem_limit(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	uint64_t limit;
	int ret;

	ret = attr_copy_from(a, &limit, sizeof(limit));
	if (ret)
		return ret;
	if (vm->mem_limit != KVM_S390_NO_MEM_LIMIT && limit > vm->mem_limit)
		return -E2BIG;
	if (!limit)
		return -EINVAL;
	if (s390_vm_has_vcpus(vm))
		return -EBUSY;
	vm->mem_limit = round_mem_limit(limit);
	return 0;
}

static int mem_ctrl_set(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	switch (a->attr) {
	case KVM_S390_VM_MEM_ENABLE_CMMA:
		if (s390_vm_has_vcpus(vm))
			return -EBUSY;
		vm->cmma = true;
		return 0;
	case KVM_S390_VM_MEM_CLR_CMMA:
		/* The model keeps no per-page usage state to reset. */
		return vm->cmma ? 0 : -EINVAL;
	case KVM_S390_VM_MEM_LIMIT_SIZE:
		return set_mem_limit(vm, a);
	default:
		return -ENXIO;
	}
}

static int mem_ctrl_get(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	if (a->attr != KVM_S390_VM_MEM_LIMIT_SIZE)
		return -ENXIO;
	return attr_copy_to(a, &vm->mem_limit, sizeof(vm->mem_limit));
}

static int mem_ctrl_has(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	return a->attr <= KVM_S390_VM_MEM_LIMIT_SIZE ? 0 : -ENXIO;
}

/* ---- KVM_S390_VM_CRYPTO ------------------------------------------------ */

static void random_fill(uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom(buf + done, len - done, 0);

		if (n <= 0)
			break;
		done += n;
	}
	/* No entropy source: still a fresh, non-constant mask. */
	if (done < len) {
		uint64_t x = (uint64_t)time(NULL) ^ (uintptr_t)buf;

		for (; done < len; done++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[done] = (uint8_t)x;
		}
	}
}

/*
 * Key wrapping needs MSA extension 3 in the guest's CPU model.  APIE
 * (newer than vm.txt) needs AP instructions, which the software machine
 * lacks: -EOPNOTSUPP, as the kernel answers on such a host.
 */
static int crypto_set(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	switch (a->attr) {
	case KVM_S390_VM_CRYPTO_ENABLE_AES_KW:
	case KVM_S390_VM_CRYPTO_ENABLE_DEA_KW:
	case KVM_S390_VM_CRYPTO_DISABLE_AES_KW:
	case KVM_S390_VM_CRYPTO_DISABLE_DEA_KW:
		if (!s390_vm_facility(vm, MSA3_FACILITY))
			return -EINVAL;
		break;
	case KVM_S390_VM_CRYPTO_ENABLE_APIE:
	case KVM_S390_VM_CRYPTO_DISABLE_APIE:
		return -EOPNOTSUPP;
	default:
		return -ENXIO;
	}
	switch (a->attr) {
	case KVM_S390_VM_CRYPTO_ENABLE_AES_KW:
		random_fill(vm->aes_mask, sizeof(vm->aes_mask));
		vm->aes_kw = true;
		break;
	case KVM_S390_VM_CRYPTO_ENABLE_DEA_KW:
		random_fill(vm->dea_mask, sizeof(vm->dea_mask));
		vm->dea_kw = true;
		break;
	case KVM_S390_VM_CRYPTO_DISABLE_AES_KW:
		vm->aes_kw = false;
		memset(vm->aes_mask, 0, sizeof(vm->aes_mask));
		break;
	default:
		vm->dea_kw = false;
		memset(vm->dea_mask, 0, sizeof(vm->dea_mask));
		break;
	}
	return 0;
}

static int crypto_has(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	return a->attr <= KVM_S390_VM_CRYPTO_DISABLE_DEA_KW ? 0 : -ENXIO;
}

/* ---- KVM_S390_VM_MIGRATION ---------------------------------------------- */

/*
 * s390 guest memory always starts at absolute 0 (the lowcore): no byte
 * there means no memory defined.  With CMMA in use, starting migration
 * marks every page's CMMA state dirty for KVM_S390_GET_CMMA_BITS.
 */
static int migration_start(struct s390_vm *vm)
{
	uint8_t probe;

	if (vm->migration)
		return 0;
	if (devhost_guest_read(vm->host, 0, &probe, 1))
		return -EINVAL;
	vm->migration = true;
	vm->cmma_dirty = vm->cmma;
	return 0;
}

static int migration_set(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	switch (a->attr) {
	case KVM_S390_VM_MIGRATION_START:
		return migration_start(vm);
	case KVM_S390_VM_MIGRATION_STOP:
		vm->migration = false;
		vm->cmma_dirty = false;
		return 0;
	default:
		return -ENXIO;
	}
}

static int migration_get(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	uint64_t status = vm->migration;

	if (a->attr != KVM_S390_VM_MIGRATION_STATUS)
		return -ENXIO;
	return attr_copy_to(a, &status, sizeof(status));
}

/* As the kernel: the whole group answers present. */
static int migration_has(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	return 0;
}

/* ---- group table -------------------------------------------------------- */

static const struct s390_vm_group mem_ctrl_group = {
	KVM_S390_VM_MEM_CTRL, mem_ctrl_set, mem_ctrl_get, mem_ctrl_has,
};
static const struct s390_vm_group crypto_group = {
	KVM_S390_VM_CRYPTO, crypto_set, NULL, crypto_has,
};
static const struct s390_vm_group migration_group = {
	KVM_S390_VM_MIGRATION, migration_set, migration_get, migration_has,
};

static const struct s390_vm_group *const s390_vm_groups[] = {
	&mem_ctrl_group, &s390_vm_tod_group, &crypto_group,
	&s390_vm_cpu_model_group, &migration_group,
};

static const struct s390_vm_group *find_group(uint32_t group)
{
	for (size_t i = 0; i < sizeof(s390_vm_groups) / sizeof(s390_vm_groups[0]);
	     i++)
		if (s390_vm_groups[i]->group == group)
			return s390_vm_groups[i];
	return NULL;
}

enum vm_op { VM_SET, VM_GET, VM_HAS };

static int s390_vm_call(struct device *dev, const struct kvm_device_attr *a,
			enum vm_op op)
{
	const struct s390_vm_group *g = find_group(a->group);
	struct s390_vm *vm = dev->priv;
	int (*fn)(struct s390_vm *, const struct kvm_device_attr *);
	int ret;

	if (!g)
		return -ENXIO;
	fn = op == VM_SET ? g->set : op == VM_GET ? g->get : g->has;
	if (!fn)
		return -ENXIO;
	pthread_mutex_lock(&vm->lock);
	ret = fn(vm, a);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

static int s390_vm_set_attr(struct device *dev,
			    const struct kvm_device_attr *a)
{
	return s390_vm_call(dev, a, VM_SET);
}

static int s390_vm_get_attr(struct device *dev,
			    const struct kvm_device_attr *a)
{
	return s390_vm_call(dev, a, VM_GET);
}

static int s390_vm_has_attr(struct device *dev,
			    const struct kvm_device_attr *a)
{
	return s390_vm_call(dev, a, VM_HAS);
}

int s390_vm_soft_state(struct device *dev, struct s390_vm_soft_state *out)
{
	struct s390_vm *vm = s390_vm_of(dev);

	if (!vm || !out)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	out->cmma = vm->cmma;
	out->migration = vm->migration;
	out->cmma_dirty = vm->cmma_dirty;
	out->mem_limit = vm->mem_limit;
	out->aes_kw = vm->aes_kw;
	out->dea_kw = vm->dea_kw;
	memcpy(out->aes_wrapping_key_mask, vm->aes_mask, sizeof(vm->aes_mask));
	memcpy(out->dea_wrapping_key_mask, vm->dea_mask, sizeof(vm->dea_mask));
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

static void s390_vm_destroy(struct device *dev)
{
	struct s390_vm *vm = dev->priv;

	if (!vm)
		return;
	pthread_mutex_destroy(&vm->lock);
	free(vm);
	dev->priv = NULL;
}

static const struct device_ops s390_vm_ops = {
	.set_attr = s390_vm_set_attr,
	.get_attr = s390_vm_get_attr,
	.has_attr = s390_vm_has_attr,
	.destroy = s390_vm_destroy,
};

static int s390_vm_create(struct devhost *host, uint32_t type,
			  struct device **out)
{
	struct device *dev;
	struct s390_vm *vm;

	if (type != KVMKIT_DEV_TYPE_S390_VM)
		return -ENODEV;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	pthread_mutex_init(&vm->lock, NULL);
	vm->host = host;
	vm->mem_limit = MACHINE_MEM_LIMIT;
	s390_cpu_model_init(vm);
	dev = device_soft_alloc(host, type, "s390-vm", &s390_vm_ops, vm);
	if (!dev) {
		pthread_mutex_destroy(&vm->lock);
		free(vm);
		return -ENOMEM;
	}
	*out = dev;
	return 0;
}

const struct soft_model s390_vm_soft_model = {
	.type = KVMKIT_DEV_TYPE_S390_VM,
	.name = "s390-vm",
	.create = s390_vm_create,
};
