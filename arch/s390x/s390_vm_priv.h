/* SPDX-License-Identifier: GPL-2.0 */
/* Inside the s390 VM attribute model: state shared by its *_model.c. */
#ifndef KVMKIT_S390_VM_PRIV_H
#define KVMKIT_S390_VM_PRIV_H

#include <pthread.h>

#include "s390_vm.h"

#define S390_FAC_WORDS 256
#define S390_FEAT_WORDS (KVM_S390_VM_CPU_FEAT_NR_BITS / 64)

struct s390_vm {
	pthread_mutex_t lock;
	struct devhost *host;

	/* KVM_S390_VM_MEM_CTRL */
	bool cmma;
	uint64_t mem_limit;

	/* KVM_S390_VM_TOD: guest TOD = host TOD + (epdx:epoch), 72 bits. */
	uint64_t epoch;
	uint8_t epdx;

	/* KVM_S390_VM_CPU_MODEL: what the guest CPUs get. */
	uint64_t cpuid;
	uint16_t ibc;
	__u64 fac_list[S390_FAC_WORDS];
	__u64 feat[S390_FEAT_WORDS];
	struct kvm_s390_vm_cpu_subfunc subfuncs;
	bool subfuncs_written;

	/* KVM_S390_VM_CRYPTO */
	bool aes_kw;
	bool dea_kw;
	uint8_t aes_mask[32];
	uint8_t dea_mask[24];

	/* KVM_S390_VM_MIGRATION */
	bool migration;
	bool cmma_dirty;
};

/* One attribute group: NULL handlers answer -ENXIO. */
struct s390_vm_group {
	uint32_t group;
	int (*set)(struct s390_vm *vm, const struct kvm_device_attr *attr);
	int (*get)(struct s390_vm *vm, const struct kvm_device_attr *attr);
	int (*has)(struct s390_vm *vm, const struct kvm_device_attr *attr);
};

/* cpu_model_model.c: the software machine and the CPU_MODEL group. */
extern const struct s390_vm_group s390_vm_cpu_model_group;
void s390_cpu_model_init(struct s390_vm *vm);
/* test_kvm_facility(): in the machine's mask and the guest's list. */
bool s390_vm_facility(const struct s390_vm *vm, unsigned int nr);

/* tod_model.c */
extern const struct s390_vm_group s390_vm_tod_group;

/* A vCPU exists: CPU model and memory setup are frozen (-EBUSY). */
static inline bool s390_vm_has_vcpus(const struct s390_vm *vm)
{
	return devhost_nr_vcpus(vm->host) > 0;
}

#endif
