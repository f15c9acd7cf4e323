// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_S390_VM_CPU_MODEL of the s390 VM model, and the software "machine"
 * it describes: a z15-like host (see docs/devices/s390-vm.md).  The
 * MACHINE attributes say what the host offers; the PROCESSOR ones are
 * what the guest CPUs get, writable until the first vCPU exists.
 */
#include <errno.h>
#include <string.h>

#include "s390_vm_priv.h"

/* CPUID: version 0x00, serial 0x012345, machine type 0x8561 (z15). */
#define MACHINE_CPUID 0x0001234585610000ULL
/* KVM guests see version 0xff. */
#define GUEST_CPUID_VERSION 0xff00000000000000ULL
/* sclp.ibc: lowest IBC (z13 GA1) << 16 | unblocked IBC (z15 GA1). */
#define MACHINE_IBC 0x00310051u
#define IBC_LOWEST(ibc) ((ibc) >> 16 & 0xfff)
#define IBC_UNBLOCKED(ibc) ((ibc) & 0xfff)

/* STFLE facilities the machine offers (and KVM allows: mask == list). */
static const uint16_t machine_facilities[] = {
	0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 14, 16,
	17,	/* message-security assist (MSA) */
	18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
	28,	/* TOD-clock steering: PTFF */
	30, 31, 32, 33, 34, 35, 36, 37, 38, 40, 41, 42, 43, 44, 45, 47,
	48, 49, 50, 51, 52, 53,
	57,	/* MSA extension 5: PPNO */
	58, 61,
	72,	/* adapter-interruption suppression (FLIC AIS) */
	73, 74, 75,
	76,	/* MSA extension 3: PCKMO, key wrapping (CRYPTO group) */
	77,	/* MSA extension 4: KMCTR, KMF, KMO, PCC */
	78, 80, 81, 129, 130, 131, 133, 134, 135, 138,
	139,	/* multiple-epoch: TOD clock epoch index (TOD_EXT) */
	146,	/* MSA extension 8: KMA */
	148,
	150,	/* enhanced-sort: SORTL */
	151,	/* deflate-conversion: DFLTCC */
	152,
	155,	/* MSA extension 9: KDSA */
};

/* CPU features available: no SIE for a guest (no nested virtualization). */
static const uint16_t machine_features[] = {
	KVM_S390_VM_CPU_FEAT_ESOP,
};

/* Query blocks: function codes installed, MSB-0 bits in a byte array. */
struct subfunc_block {
	size_t offset;
	size_t size;
	uint8_t codes[16];
	unsigned int nr;
};

#define BLOCK(field, ...)                                                  \
	{ offsetof(struct kvm_s390_vm_cpu_subfunc, field),                 \
	  sizeof(((struct kvm_s390_vm_cpu_subfunc *)0)->field),            \
	  { __VA_ARGS__ },                                                 \
	  sizeof((uint8_t[]){ __VA_ARGS__ }) }

/* 0 is the query function; 18-20 AES-128/192/256; 1-3 DEA/TDEA. */
static const struct subfunc_block machine_subfuncs[] = {
	BLOCK(plo, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
	BLOCK(ptff, 0, 1, 2, 3),
	BLOCK(kmac, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(kmc, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(km, 0, 1, 2, 3, 18, 19, 20, 50, 52),
	BLOCK(kimd, 0, 1, 2, 3, 65),
	BLOCK(klmd, 0, 1, 2, 3),
	BLOCK(pckmo, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(kmctr, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(kmf, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(kmo, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(pcc, 0, 1, 2, 3, 18, 19, 20),
	BLOCK(ppno, 0, 3, 112, 114),
	BLOCK(kma, 0, 18, 19, 20),
	BLOCK(kdsa, 0, 1, 2, 3, 9, 10, 11),
	BLOCK(sortl, 0, 1, 2),
	BLOCK(dfltcc, 0, 1, 2, 4),
};

static void machine_fac_list(__u64 *fac)
{
	memset(fac, 0, S390_FAC_WORDS * sizeof(*fac));
	for (size_t i = 0; i < sizeof(machine_facilities) / sizeof(uint16_t);
	     i++)
		s390_bit_set(fac, machine_facilities[i]);
}

static void machine_feat(__u64 *feat)
{
	memset(feat, 0, S390_FEAT_WORDS * sizeof(*feat));
	for (size_t i = 0; i < sizeof(machine_features) / sizeof(uint16_t);
	     i++)
		s390_bit_set(feat, machine_features[i]);
}

static void machine_subfunc(struct kvm_s390_vm_cpu_subfunc *sf)
{
	uint8_t *base = (uint8_t *)sf;

	memset(sf, 0, sizeof(*sf));
	for (size_t i = 0; i < sizeof(machine_subfuncs) /
			       sizeof(machine_subfuncs[0]); i++) {
		const struct subfunc_block *b = &machine_subfuncs[i];

		for (unsigned int j = 0; j < b->nr; j++)
			base[b->offset + b->codes[j] / 8] |=
				0x80 >> (b->codes[j] % 8);
	}
}

void s390_cpu_model_init(struct s390_vm *vm)
{
	vm->cpuid = MACHINE_CPUID | GUEST_CPUID_VERSION;
	vm->ibc = IBC_UNBLOCKED(MACHINE_IBC);
	machine_fac_list(vm->fac_list);
	/* As the kernel: no CPU feature until user space enables it. */
	memset(vm->feat, 0, sizeof(vm->feat));
	machine_subfunc(&vm->subfuncs);
	vm->subfuncs_written = false;
}

bool s390_vm_facility(const struct s390_vm *vm, unsigned int nr)
{
	__u64 mask[S390_FAC_WORDS];

	machine_fac_list(mask);
	return nr < S390_FAC_WORDS * 64 && s390_bit_test(mask, nr) &&
	       s390_bit_test(vm->fac_list, nr);
}

/* ---- set ---------------------------------------------------------------- */

/* The kernel neither checks the facilities nor the cpuid; it clamps IBC. */
static int set_processor(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_processor proc;
	uint16_t lowest = IBC_LOWEST(MACHINE_IBC);
	uint16_t unblocked = IBC_UNBLOCKED(MACHINE_IBC);
	int ret;

	if (s390_vm_has_vcpus(vm))
		return -EBUSY;
	ret = attr_copy_from(a, &proc, sizeof(proc));
	if (ret)
		return ret;
	vm->cpuid = proc.cpuid;
	/* IBC 0 keeps the current one; others are clamped to the range. */
	if (lowest && proc.ibc) {
		if (proc.ibc > unblocked)
			vm->ibc = unblocked;
		else if (proc.ibc < lowest)
			vm->ibc = lowest;
		else
			vm->ibc = proc.ibc;
	}
	memcpy(vm->fac_list, proc.fac_list, sizeof(vm->fac_list));
	return 0;
}

static int set_processor_feat(struct s390_vm *vm,
			      const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_feat data;
	__u64 avail[S390_FEAT_WORDS];
	int ret;

	ret = attr_copy_from(a, &data, sizeof(data));
	if (ret)
		return ret;
	machine_feat(avail);
	for (int i = 0; i < S390_FEAT_WORDS; i++)
		if (data.feat[i] & ~avail[i])
			return -EINVAL;
	if (s390_vm_has_vcpus(vm))
		return -EBUSY;
	memcpy(vm->feat, data.feat, sizeof(vm->feat));
	return 0;
}

/* Not checked against the machine's blocks, as in the kernel. */
static int set_processor_subfunc(struct s390_vm *vm,
				 const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_subfunc sf;
	int ret;

	if (s390_vm_has_vcpus(vm))
		return -EBUSY;
	ret = attr_copy_from(a, &sf, sizeof(sf));
	if (ret)
		return ret;
	vm->subfuncs = sf;
	vm->subfuncs_written = true;
	return 0;
}

static int cpu_model_set(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	switch (a->attr) {
	case KVM_S390_VM_CPU_PROCESSOR:
		return set_processor(vm, a);
	case KVM_S390_VM_CPU_PROCESSOR_FEAT:
		return set_processor_feat(vm, a);
	case KVM_S390_VM_CPU_PROCESSOR_SUBFUNC:
		return set_processor_subfunc(vm, a);
	default:
		return -ENXIO;
	}
}

/* ---- get ---------------------------------------------------------------- */

static int get_processor(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_processor proc;

	memset(&proc, 0, sizeof(proc));
	proc.cpuid = vm->cpuid;
	proc.ibc = vm->ibc;
	memcpy(proc.fac_list, vm->fac_list, sizeof(proc.fac_list));
	return attr_copy_to(a, &proc, sizeof(proc));
}

static int get_machine(const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_machine mach;

	memset(&mach, 0, sizeof(mach));
	mach.cpuid = MACHINE_CPUID;
	mach.ibc = MACHINE_IBC;
	machine_fac_list(mach.fac_mask);
	machine_fac_list(mach.fac_list);
	return attr_copy_to(a, &mach, sizeof(mach));
}

static int get_feat(const __u64 *feat, const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_feat data;

	memcpy(data.feat, feat, sizeof(data.feat));
	return attr_copy_to(a, &data, sizeof(data));
}

static int get_machine_feat(const struct kvm_device_attr *a)
{
	__u64 avail[S390_FEAT_WORDS];

	machine_feat(avail);
	return get_feat(avail, a);
}

/* vm.txt: reads fail until user space wrote the blocks once. */
static int get_processor_subfunc(struct s390_vm *vm,
				 const struct kvm_device_attr *a)
{
	if (!vm->subfuncs_written)
		return -EINVAL;
	return attr_copy_to(a, &vm->subfuncs, sizeof(vm->subfuncs));
}

static int get_machine_subfunc(const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_subfunc sf;

	machine_subfunc(&sf);
	return attr_copy_to(a, &sf, sizeof(sf));
}

static int cpu_model_get(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	switch (a->attr) {
	case KVM_S390_VM_CPU_PROCESSOR:
		return get_processor(vm, a);
	case KVM_S390_VM_CPU_MACHINE:
		return get_machine(a);
	case KVM_S390_VM_CPU_PROCESSOR_FEAT:
		return get_feat(vm->feat, a);
	case KVM_S390_VM_CPU_MACHINE_FEAT:
		return get_machine_feat(a);
	case KVM_S390_VM_CPU_PROCESSOR_SUBFUNC:
		return get_processor_subfunc(vm, a);
	case KVM_S390_VM_CPU_MACHINE_SUBFUNC:
		return get_machine_subfunc(a);
	default:
		return -ENXIO;
	}
}

static int cpu_model_has(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	return a->attr <= KVM_S390_VM_CPU_MACHINE_SUBFUNC ? 0 : -ENXIO;
}

const struct s390_vm_group s390_vm_cpu_model_group = {
	.group = KVM_S390_VM_CPU_MODEL,
	.set = cpu_model_set,
	.get = cpu_model_get,
	.has = cpu_model_has,
};
