// SPDX-License-Identifier: GPL-2.0
/*
 * s390 VM attribute model: KVM_S390_VM_CPU_MODEL (machine and processor
 * data, features, subfunctions, -EBUSY once a vCPU exists) and the
 * layouts of the VM attribute structs.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "../../../arch/s390x/s390_vm.h"
#include "fake_host.h"
#include "kvmkit/models.h"

#define MACHINE_CPUID 0x0001234585610000ULL
#define MACHINE_IBC 0x00310051u

struct ctx {
	struct fake_host *fh;
	struct device *vm;
	struct kvm_s390_vm_cpu_machine mach;
	struct kvm_s390_vm_cpu_processor proc;
	struct kvm_s390_vm_cpu_subfunc sf;
};

static void *bad_ptr(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	c->fh = fake_host_new(0, 0x10000, 0);
	assert_int_equal(s390_vm_soft_model.create(&c->fh->host,
						   KVMKIT_DEV_TYPE_S390_VM,
						   &c->vm), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	device_destroy(c->vm);
	fake_host_free(c->fh);
	free(c);
	return 0;
}

static int cm_get(struct device *vm, uint64_t attr, void *val)
{
	return device_get(vm, KVM_S390_VM_CPU_MODEL, attr, val);
}

static int cm_set(struct device *vm, uint64_t attr, const void *val)
{
	return device_set(vm, KVM_S390_VM_CPU_MODEL, attr, val);
}

/* ---- MACHINE ------------------------------------------------------------- */

static void test_machine(void **state)
{
	struct ctx *c = *state;
	static const unsigned int offered[] = { 2, 7, 17, 28, 57, 72, 76, 77,
						129, 139, 146, 150, 151, 155 };

	memset(&c->mach, 0xee, sizeof(c->mach));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE, &c->mach), 0);
	assert_int_equal(c->mach.cpuid, MACHINE_CPUID);
	assert_int_equal(c->mach.ibc, MACHINE_IBC);
	for (int i = 0; i < 4; i++)
		assert_int_equal(c->mach.pad[i], 0);
	for (size_t i = 0; i < sizeof(offered) / sizeof(offered[0]); i++) {
		assert_true(s390_bit_test(c->mach.fac_list, offered[i]));
		assert_true(s390_bit_test(c->mach.fac_mask, offered[i]));
	}
	assert_false(s390_bit_test(c->mach.fac_list, 5));
	assert_false(s390_bit_test(c->mach.fac_list, 201));
	/* MSB-0 in the word's value: facility 0 is the top bit of word 0. */
	assert_int_equal(c->mach.fac_list[0] >> 63, 1);
	assert_memory_equal(c->mach.fac_mask, c->mach.fac_list,
			    sizeof(c->mach.fac_list));
	for (int i = 3; i < 256; i++)
		assert_int_equal(c->mach.fac_list[i], 0);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE, bad_ptr()),
			 -EFAULT);
	/* Read-only. */
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_MACHINE, &c->mach),
			 -ENXIO);
}

/* ---- PROCESSOR ----------------------------------------------------------- */

static void test_processor_defaults(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE, &c->mach), 0);
	memset(&c->proc, 0xee, sizeof(c->proc));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	/* The machine's CPU id with version 0xff, its unblocked IBC. */
	assert_int_equal(c->proc.cpuid, 0xff00000000000000ULL | MACHINE_CPUID);
	assert_int_equal(c->proc.ibc, MACHINE_IBC & 0xfff);
	for (int i = 0; i < 6; i++)
		assert_int_equal(c->proc.pad[i], 0);
	assert_memory_equal(c->proc.fac_list, c->mach.fac_list,
			    sizeof(c->proc.fac_list));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, bad_ptr()),
			 -EFAULT);
}

static uint16_t set_ibc(struct ctx *c, uint16_t ibc)
{
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	c->proc.ibc = ibc;
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	return c->proc.ibc;
}

static void test_processor_set(void **state)
{
	struct ctx *c = *state;

	/* cpuid and facilities are taken as given, even unknown ones. */
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	c->proc.cpuid = 0x1122334455667788ULL;
	memset(c->proc.fac_list, 0, sizeof(c->proc.fac_list));
	s390_bit_set(c->proc.fac_list, 0);
	s390_bit_set(c->proc.fac_list, 201);
	s390_bit_set(c->proc.fac_list, 2047);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	memset(&c->proc, 0, sizeof(c->proc));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	assert_int_equal(c->proc.cpuid, 0x1122334455667788ULL);
	assert_int_equal(c->proc.fac_list[0], 1ULL << 63);
	assert_true(s390_bit_test(c->proc.fac_list, 201));
	assert_int_equal(c->proc.fac_list[31], 1);
	/* IBC is clamped to [lowest, unblocked]; 0 keeps the current. */
	assert_int_equal(set_ibc(c, 0x040), 0x040);
	assert_int_equal(set_ibc(c, 0), 0x040);
	assert_int_equal(set_ibc(c, 0x0fff), 0x051);
	assert_int_equal(set_ibc(c, 0x001), 0x031);
	assert_int_equal(set_ibc(c, 0x031), 0x031);
	assert_int_equal(set_ibc(c, 0x051), 0x051);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR, bad_ptr()),
			 -EFAULT);
}

static void test_processor_busy(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	c->fh->nr_vcpus = 1;
	c->proc.cpuid = 1;
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc),
			 -EBUSY);
	/* -EBUSY is checked before the buffer is read. */
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR, bad_ptr()),
			 -EBUSY);
	/* Reading is always fine. */
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR, &c->proc), 0);
	assert_int_not_equal(c->proc.cpuid, 1);
}

/* ---- features ------------------------------------------------------------ */

static void test_features(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_cpu_feat f;

	memset(&f, 0xee, sizeof(f));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE_FEAT, &f), 0);
	/* ESOP only: no SIE features (no nested virtualization). */
	assert_int_equal(f.feat[0], 1ULL << 63);
	for (int i = 1; i < 16; i++)
		assert_int_equal(f.feat[i], 0);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_MACHINE_FEAT, &f),
			 -ENXIO);
	memset(&f, 0xee, sizeof(f));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f), 0);
	for (int i = 0; i < 16; i++)
		assert_int_equal(f.feat[i], 0);
	memset(&f, 0, sizeof(f));
	s390_bit_set(f.feat, KVM_S390_VM_CPU_FEAT_ESOP);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f), 0);
	memset(&f, 0, sizeof(f));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f), 0);
	assert_int_equal(f.feat[0], 1ULL << 63);
	/* Features that are not available cannot be enabled. */
	s390_bit_set(f.feat, KVM_S390_VM_CPU_FEAT_SIEF2);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f),
			 -EINVAL);
	memset(&f, 0, sizeof(f));
	s390_bit_set(f.feat, KVM_S390_VM_CPU_FEAT_NR_BITS - 1);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f),
			 -EINVAL);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f), 0);
	assert_int_equal(f.feat[0], 1ULL << 63);
	assert_int_equal(f.feat[15], 0);
	/* Clearing is fine. */
	memset(&f, 0, sizeof(f));
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f), 0);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT,
				bad_ptr()), -EFAULT);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT,
				bad_ptr()), -EFAULT);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE_FEAT,
				bad_ptr()), -EFAULT);
}

/* The kernel reads and checks the bitmap before the vCPU check. */
static void test_features_busy(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_cpu_feat f = { { 0 } };

	c->fh->nr_vcpus = 2;
	s390_bit_set(f.feat, KVM_S390_VM_CPU_FEAT_ESOP);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f),
			 -EBUSY);
	s390_bit_set(f.feat, KVM_S390_VM_CPU_FEAT_KSS);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT, &f),
			 -EINVAL);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_FEAT,
				bad_ptr()), -EFAULT);
}

/* ---- subfunctions -------------------------------------------------------- */

static void test_machine_subfunc(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_cpu_subfunc *sf = &c->sf;

	memset(sf, 0xee, sizeof(*sf));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE_SUBFUNC, sf),
			 0);
	/* Query blocks: function code n is byte n / 8, bit 0x80 >> n % 8. */
	assert_int_equal(sf->plo[0], 0xff);
	assert_int_equal(sf->plo[1], 0xff);
	assert_int_equal(sf->plo[2], 0x00);
	assert_int_equal(sf->ptff[0], 0xf0);
	assert_int_equal(sf->km[0], 0xf0);
	assert_int_equal(sf->km[2], 0x38);	/* AES-128/192/256: 18-20 */
	assert_int_equal(sf->km[6], 0x28);	/* XTS-AES: 50, 52 */
	assert_int_equal(sf->kimd[8], 0x40);	/* GHASH: 65 */
	assert_int_equal(sf->ppno[14], 0x80 | 0x20);	/* 112, 114 */
	assert_int_equal(sf->kma[0], 0x80);
	assert_int_equal(sf->kdsa[0], 0xf0);
	assert_int_equal(sf->kdsa[1], 0x70);
	assert_int_equal(sf->sortl[0], 0xe0);
	assert_int_equal(sf->dfltcc[0], 0xe8);
	for (size_t i = 0; i < sizeof(sf->reserved); i++)
		assert_int_equal(sf->reserved[i], 0);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_MACHINE_SUBFUNC, sf),
			 -ENXIO);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_MACHINE_SUBFUNC,
				bad_ptr()), -EFAULT);
}

static void test_processor_subfunc(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_cpu_subfunc *in = malloc(sizeof(*in));

	/* No read before the first write. */
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC,
				&c->sf), -EINVAL);
	/* A failed write is no write. */
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC,
				bad_ptr()), -EFAULT);
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC,
				&c->sf), -EINVAL);
	/* Any blocks are taken as given (kdsa and the newer ones too). */
	for (size_t i = 0; i < sizeof(*in); i++)
		((uint8_t *)in)[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC, in),
			 0);
	memset(&c->sf, 0, sizeof(c->sf));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC,
				&c->sf), 0);
	assert_memory_equal(&c->sf, in, sizeof(*in));
	assert_int_equal(c->sf.kdsa[0], (uint8_t)(240 * 7 + 1));
	assert_int_equal(cm_get(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC,
				bad_ptr()), -EFAULT);
	/* Frozen once a vCPU exists (checked before the copy). */
	c->fh->nr_vcpus = 1;
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC, in),
			 -EBUSY);
	assert_int_equal(cm_set(c->vm, KVM_S390_VM_CPU_PROCESSOR_SUBFUNC,
				bad_ptr()), -EBUSY);
	free(in);
}

static void test_unknown_attr(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(cm_get(c->vm, 6, &c->sf), -ENXIO);
	assert_int_equal(cm_set(c->vm, 6, &c->sf), -ENXIO);
	assert_int_equal(cm_get(c->vm, 0xffffffffffffULL, &c->sf), -ENXIO);
	for (uint64_t a = 0; a <= KVM_S390_VM_CPU_MACHINE_SUBFUNC; a++)
		assert_int_equal(device_has(c->vm, KVM_S390_VM_CPU_MODEL, a),
				 0);
	assert_int_equal(device_has(c->vm, KVM_S390_VM_CPU_MODEL, 6), -ENXIO);
}

/* ---- layouts ------------------------------------------------------------- */

static void test_struct_layouts(void **state)
{
	assert_int_equal(sizeof(struct kvm_s390_vm_tod_clock), 16);
	assert_int_equal(offsetof(struct kvm_s390_vm_tod_clock, tod), 8);
	assert_int_equal(sizeof(struct kvm_s390_vm_cpu_processor), 2064);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_processor, ibc), 8);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_processor, fac_list),
			 16);
	assert_int_equal(sizeof(struct kvm_s390_vm_cpu_machine), 4112);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_machine, ibc), 8);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_machine, fac_mask), 16);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_machine, fac_list),
			 2064);
	assert_int_equal(sizeof(struct kvm_s390_vm_cpu_feat), 128);
	assert_int_equal(sizeof(struct kvm_s390_vm_cpu_subfunc), 2048);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, ptff), 32);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, kmac), 48);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, pckmo), 128);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, ppno), 208);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, kma), 224);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, kdsa), 240);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, sortl), 256);
	assert_int_equal(offsetof(struct kvm_s390_vm_cpu_subfunc, dfltcc), 288);
	/* Group and attribute numbers as the uapi has them. */
	assert_int_equal(KVM_S390_VM_MEM_CTRL, 0);
	assert_int_equal(KVM_S390_VM_TOD, 1);
	assert_int_equal(KVM_S390_VM_CRYPTO, 2);
	assert_int_equal(KVM_S390_VM_CPU_MODEL, 3);
	assert_int_equal(KVM_S390_VM_MIGRATION, 4);
	assert_int_equal(KVM_S390_VM_TOD_EXT, 2);
	assert_int_equal(KVM_S390_VM_CPU_MACHINE_SUBFUNC, 5);
	assert_int_equal(KVM_S390_VM_MIGRATION_STATUS, 2);
	assert_true(KVM_S390_NO_MEM_LIMIT == UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_machine),
		T(test_processor_defaults),
		T(test_processor_set),
		T(test_processor_busy),
		T(test_features),
		T(test_features_busy),
		T(test_machine_subfunc),
		T(test_processor_subfunc),
		T(test_unknown_attr),
		cmocka_unit_test(test_struct_layouts),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
