// SPDX-License-Identifier: GPL-2.0
/*
 * Software FLIC: ADAPTER_REGISTER, ADAPTER_MODIFY (mask, map, unmap),
 * AISM, AIRQ_INJECT with suppression, AISM_ALL, and AIS depending on
 * facility 72 of the s390 VM model.
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

#include "fake_host.h"
#include "flic/flic.h"
#include "kvmkit/models.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)
#define RAM_BASE 0
#define RAM_SIZE 0x10000

struct ctx {
	struct fake_host *fh;
	struct device *dev;
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

	c->fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	assert_int_equal(flic_soft_model.create(&c->fh->host,
						KVM_DEV_TYPE_FLIC, &c->dev), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	device_destroy(c->dev);
	for (int i = 0; i < FAKE_MAX_DEVICES; i++)
		if (c->fh->devices[i] && c->fh->devices[i] != c->dev)
			device_destroy(c->fh->devices[i]);
	fake_host_free(c->fh);
	free(c);
	return 0;
}

static int reg(struct device *dev, uint32_t id, uint8_t isc, bool maskable,
	       uint8_t flags)
{
	struct kvm_s390_io_adapter a = { .id = id, .isc = isc,
					 .maskable = maskable, .swap = 1,
					 .flags = flags };

	return device_set(dev, KVM_DEV_FLIC_ADAPTER_REGISTER, 0, &a);
}

static int modify(struct device *dev, uint32_t id, uint8_t type,
		  uint8_t mask, uint64_t addr)
{
	struct kvm_s390_io_adapter_req r = { .id = id, .type = type,
					     .mask = mask, .addr = addr };

	return device_set(dev, KVM_DEV_FLIC_ADAPTER_MODIFY, 0, &r);
}

static int ais_mode(struct device *dev, uint8_t isc, uint16_t mode)
{
	struct kvm_s390_ais_req r = { .isc = isc, .mode = mode };

	return device_set(dev, KVM_DEV_FLIC_AISM, 0, &r);
}

static int airq(struct device *dev, uint64_t id)
{
	return device_set(dev, KVM_DEV_FLIC_AIRQ_INJECT, id, NULL);
}

static struct kvm_s390_ais_all ais_all(struct device *dev)
{
	struct kvm_s390_ais_all a = { 0xee, 0xee };

	assert_int_equal(device_get(dev, KVM_DEV_FLIC_AISM_ALL, sizeof(a), &a),
			 0);
	return a;
}

static size_t get_all(struct device *dev, struct kvm_s390_irq *buf,
		      size_t max)
{
	size_t n;

	for (size_t i = 0; i < max; i++)
		buf[i].type = UINT64_MAX;
	assert_int_equal(device_get(dev, KVM_DEV_FLIC_GET_ALL_IRQS,
				    max * IRQ_SZ, buf), 0);
	for (n = 0; n < max && buf[n].type != UINT64_MAX; n++)
		;
	return n;
}

/* ---- ADAPTER_REGISTER ---------------------------------------------------- */

static void test_register(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ADAPTER_REGISTER, 0,
				    bad_ptr()), -EFAULT);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ADAPTER_REGISTER, 0,
				    NULL), -EFAULT);
	assert_int_equal(reg(c->dev, 64, 3, false, 0), -EINVAL);
	assert_int_equal(reg(c->dev, 0xffffffff, 3, false, 0), -EINVAL);
	assert_int_equal(reg(c->dev, 0, 3, false, 0), 0);
	assert_int_equal(reg(c->dev, 63, 3, false, 0), 0);
	/* Unknown flag bits are ignored. */
	assert_int_equal(reg(c->dev, 5, 3, false, 0xfe), 0);
	/* An id is registered once. */
	assert_int_equal(reg(c->dev, 0, 2, true, 0), -EINVAL);
	assert_int_equal(reg(c->dev, 63, 2, true, 0), -EINVAL);
}

/* ---- ADAPTER_MODIFY ------------------------------------------------------ */

static void test_modify_errors(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ADAPTER_MODIFY, 0,
				    bad_ptr()), -EFAULT);
	/* Unregistered and out-of-range ids. */
	assert_int_equal(modify(c->dev, 1, KVM_S390_IO_ADAPTER_MASK, 1, 0),
			 -EINVAL);
	assert_int_equal(modify(c->dev, 64, KVM_S390_IO_ADAPTER_MASK, 1, 0),
			 -EINVAL);
	assert_int_equal(modify(c->dev, 0xffffffff, KVM_S390_IO_ADAPTER_MAP, 0,
				0x1000), -EINVAL);
	assert_int_equal(reg(c->dev, 1, 3, false, 0), 0);
	/* Unknown operations. */
	assert_int_equal(modify(c->dev, 1, 0, 0, 0x1000), -EINVAL);
	assert_int_equal(modify(c->dev, 1, 4, 0, 0x1000), -EINVAL);
	assert_int_equal(modify(c->dev, 1, 0xff, 0, 0x1000), -EINVAL);
}

static void test_modify_mask(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq out[2];

	assert_int_equal(reg(c->dev, 1, 3, false, 0), 0);
	assert_int_equal(reg(c->dev, 2, 3, true, 0), 0);
	/* Only a maskable adapter can be masked (or unmasked). */
	assert_int_equal(modify(c->dev, 1, KVM_S390_IO_ADAPTER_MASK, 1, 0),
			 -EINVAL);
	assert_int_equal(modify(c->dev, 1, KVM_S390_IO_ADAPTER_MASK, 0, 0),
			 -EINVAL);
	assert_int_equal(modify(c->dev, 2, KVM_S390_IO_ADAPTER_MASK, 1, 0), 0);
	assert_int_equal(modify(c->dev, 2, KVM_S390_IO_ADAPTER_MASK, 1, 0), 0);
	assert_int_equal(modify(c->dev, 2, KVM_S390_IO_ADAPTER_MASK, 0, 0), 0);
	/* AIRQ_INJECT is not gated by the mask (as in the kernel). */
	assert_int_equal(modify(c->dev, 2, KVM_S390_IO_ADAPTER_MASK, 1, 0), 0);
	assert_int_equal(airq(c->dev, 2), 0);
	assert_int_equal(get_all(c->dev, out, 2), 1);
}

static void test_map_unmap(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(reg(c->dev, 7, 2, false, 0), 0);
	/* Address 0 is refused, as the kernel does. */
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0, 0),
			 -EINVAL);
	/* Outside guest RAM. */
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0,
				RAM_BASE + RAM_SIZE), -EFAULT);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0,
				0x8000000000000000ULL), -EFAULT);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0,
				UINT64_MAX), -EFAULT);
	/* The last byte of RAM is fine, so are duplicates. */
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0,
				RAM_BASE + RAM_SIZE - 1), 0);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0, 0x2000),
			 0);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0, 0x2000),
			 0);
	/* Unmap removes one mapping per call. */
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_UNMAP, 0, 0),
			 -EINVAL);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_UNMAP, 0,
				0x3000), -EINVAL);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_UNMAP, 0,
				0x2000), 0);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_UNMAP, 0,
				0x2000), 0);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_UNMAP, 0,
				0x2000), -EINVAL);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_UNMAP, 0,
				RAM_BASE + RAM_SIZE - 1), 0);
	/* Mappings belong to their adapter. */
	assert_int_equal(reg(c->dev, 8, 2, false, 0), 0);
	assert_int_equal(modify(c->dev, 7, KVM_S390_IO_ADAPTER_MAP, 0, 0x4000),
			 0);
	assert_int_equal(modify(c->dev, 8, KVM_S390_IO_ADAPTER_UNMAP, 0,
				0x4000), -EINVAL);
}

static void test_map_limit(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(reg(c->dev, 9, 2, false, 0), 0);
	for (int i = 0; i < 256; i++)
		assert_int_equal(modify(c->dev, 9, KVM_S390_IO_ADAPTER_MAP, 0,
					0x1000 + i * 8), 0);
	assert_int_equal(modify(c->dev, 9, KVM_S390_IO_ADAPTER_MAP, 0, 0x1000),
			 -EINVAL);
	/* Unmapping one makes room again. */
	assert_int_equal(modify(c->dev, 9, KVM_S390_IO_ADAPTER_UNMAP, 0,
				0x1000 + 100 * 8), 0);
	assert_int_equal(modify(c->dev, 9, KVM_S390_IO_ADAPTER_MAP, 0, 0x1000),
			 0);
	assert_int_equal(modify(c->dev, 9, KVM_S390_IO_ADAPTER_MAP, 0, 0x1000),
			 -EINVAL);
}

/* ---- AISM, AIRQ_INJECT, AISM_ALL ----------------------------------------- */

static void test_aism_errors(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM, 0, bad_ptr()),
			 -EFAULT);
	assert_int_equal(ais_mode(c->dev, 8, KVM_S390_AIS_MODE_ALL), -EINVAL);
	assert_int_equal(ais_mode(c->dev, 255, KVM_S390_AIS_MODE_SINGLE),
			 -EINVAL);
	assert_int_equal(ais_mode(c->dev, 3, 2), -EINVAL);
	assert_int_equal(ais_mode(c->dev, 3, 0xffff), -EINVAL);
	assert_int_equal(ais_all(c->dev).simm, 0);
	assert_int_equal(ais_all(c->dev).nimm, 0);
}

static void test_aism_modes(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_ais_all a;

	assert_int_equal(ais_mode(c->dev, 0, KVM_S390_AIS_MODE_SINGLE), 0);
	assert_int_equal(ais_mode(c->dev, 7, KVM_S390_AIS_MODE_SINGLE), 0);
	a = ais_all(c->dev);
	assert_int_equal(a.simm, 0x81);	/* MSB-0: ISC 0 is 0x80 */
	assert_int_equal(a.nimm, 0);
	assert_int_equal(ais_mode(c->dev, 0, KVM_S390_AIS_MODE_ALL), 0);
	a = ais_all(c->dev);
	assert_int_equal(a.simm, 0x01);
	/* Setting a mode ends NO-interruptions mode of that ISC. */
	a = (struct kvm_s390_ais_all){ .simm = 0x30, .nimm = 0x30 };
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM_ALL, 2, &a), 0);
	assert_int_equal(ais_mode(c->dev, 2, KVM_S390_AIS_MODE_SINGLE), 0);
	assert_int_equal(ais_mode(c->dev, 3, KVM_S390_AIS_MODE_ALL), 0);
	a = ais_all(c->dev);
	assert_int_equal(a.simm, 0x20);
	assert_int_equal(a.nimm, 0x00);
}

static void test_airq_inject(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq out[8];

	assert_int_equal(airq(c->dev, 3), -EINVAL);
	assert_int_equal(airq(c->dev, 64), -EINVAL);
	assert_int_equal(airq(c->dev, 1ULL << 32), -EINVAL);
	assert_int_equal(reg(c->dev, 3, 6, false, 0), 0);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
	assert_int_equal(airq(c->dev, 3), 0);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 1);
	assert_int_equal(get_all(c->dev, out, 8), 1);
	/* I/O with the AI bit, no subchannel, the adapter's ISC. */
	assert_int_equal(out[0].type, KVM_S390_INT_IO(1, 0, 0, 0));
	assert_int_equal(out[0].u.io.subchannel_id, 0);
	assert_int_equal(out[0].u.io.subchannel_nr, 0);
	assert_int_equal(out[0].u.io.io_int_parm, 0);
	assert_int_equal(out[0].u.io.io_int_word, 0x80000000u | 6u << 27);
}

/* Not suppressible: AIS modes do not matter. */
static void test_airq_not_suppressible(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_ais_all a = { .simm = 0xff, .nimm = 0xff };
	struct kvm_s390_irq out[8];

	assert_int_equal(reg(c->dev, 4, 2, false, 0), 0);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM_ALL, 2, &a), 0);
	assert_int_equal(airq(c->dev, 4), 0);
	assert_int_equal(airq(c->dev, 4), 0);
	assert_int_equal(get_all(c->dev, out, 8), 2);
	a = ais_all(c->dev);
	assert_int_equal(a.nimm, 0xff);
}

static void test_airq_suppression(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq out[8];

	assert_int_equal(reg(c->dev, 5, 2, false,
			     KVM_S390_ADAPTER_SUPPRESSIBLE), 0);
	assert_int_equal(reg(c->dev, 6, 4, false,
			     KVM_S390_ADAPTER_SUPPRESSIBLE), 0);
	/* ALL mode: every one goes through. */
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(get_all(c->dev, out, 8), 2);
	/* SINGLE: one, then NO-interruptions mode for that ISC only. */
	assert_int_equal(ais_mode(c->dev, 2, KVM_S390_AIS_MODE_SINGLE), 0);
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(ais_all(c->dev).nimm, 0x20);
	assert_int_equal(airq(c->dev, 5), 0);	/* suppressed: still 0 */
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(get_all(c->dev, out, 8), 3);
	assert_int_equal(airq(c->dev, 6), 0);	/* ISC 4 unaffected */
	assert_int_equal(get_all(c->dev, out, 8), 4);
	/* Setting SINGLE again re-arms one interrupt. */
	assert_int_equal(ais_mode(c->dev, 2, KVM_S390_AIS_MODE_SINGLE), 0);
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(get_all(c->dev, out, 8), 5);
	/* Back to ALL. */
	assert_int_equal(ais_mode(c->dev, 2, KVM_S390_AIS_MODE_ALL), 0);
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(airq(c->dev, 5), 0);
	assert_int_equal(get_all(c->dev, out, 8), 7);
	assert_int_equal(ais_all(c->dev).nimm, 0);
}

/* ISCs above 7 have no AIS mode bit: never suppressed. */
static void test_airq_isc_out_of_range(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_ais_all a = { .simm = 0xff, .nimm = 0xff };
	struct kvm_s390_irq out[4];

	assert_int_equal(reg(c->dev, 10, 9, false,
			     KVM_S390_ADAPTER_SUPPRESSIBLE), 0);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM_ALL, 2, &a), 0);
	assert_int_equal(airq(c->dev, 10), 0);
	assert_int_equal(get_all(c->dev, out, 4), 1);
	/* The interruption word is the kernel's: ISC bits wrap into ISC 1. */
	assert_int_equal(out[0].u.io.io_int_word, 0x80000000u | 9u << 27);
}

static void test_aism_all_errors(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_ais_all a = { 1, 2 };
	uint8_t big[4] = { 0xaa, 0xaa, 0xaa, 0xaa };

	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_AISM_ALL, 0, &a),
			 -EINVAL);
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_AISM_ALL, 1, &a),
			 -EINVAL);
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_AISM_ALL, 2,
				    bad_ptr()), -EFAULT);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM_ALL, 2,
				    bad_ptr()), -EFAULT);
	/* A bigger buffer is fine; only two bytes are written. */
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_AISM_ALL, 4, big), 0);
	assert_int_equal(big[0], 0);
	assert_int_equal(big[1], 0);
	assert_int_equal(big[2], 0xaa);
	a = (struct kvm_s390_ais_all){ .simm = 0x5a, .nimm = 0x18 };
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM_ALL, 0, &a), 0);
	a = ais_all(c->dev);
	assert_int_equal(a.simm, 0x5a);
	assert_int_equal(a.nimm, 0x18);
}

/* Without facility 72 in the VM's CPU model there is no AIS. */
static void test_no_ais_without_facility_72(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_cpu_processor *proc = malloc(sizeof(*proc));
	struct kvm_s390_ais_all a = { 0, 0xff };
	struct kvm_s390_irq out[4];
	struct device *vm;

	assert_int_equal(s390_vm_soft_model.create(&c->fh->host,
						   KVMKIT_DEV_TYPE_S390_VM,
						   &vm), 0);
	fake_host_add_device(c->fh, vm);
	/* The CPU model is only writable before the first vCPU. */
	c->fh->nr_vcpus = 0;
	/* The machine offers it: AIS works. */
	assert_int_equal(ais_mode(c->dev, 1, KVM_S390_AIS_MODE_SINGLE), 0);
	assert_int_equal(device_get(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, proc), 0);
	s390_bit_clear(proc->fac_list, 72);
	assert_int_equal(device_set(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, proc), 0);
	assert_int_equal(ais_mode(c->dev, 1, KVM_S390_AIS_MODE_ALL),
			 -EOPNOTSUPP);
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_AISM_ALL, 2, &a),
			 -EOPNOTSUPP);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_AISM_ALL, 2, &a),
			 -EOPNOTSUPP);
	/* The size check comes first, as in the kernel. */
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_AISM_ALL, 1, &a),
			 -EINVAL);
	/* A suppressible adapter is not suppressed without AIS. */
	assert_int_equal(reg(c->dev, 1, 1, false,
			     KVM_S390_ADAPTER_SUPPRESSIBLE), 0);
	assert_int_equal(airq(c->dev, 1), 0);
	assert_int_equal(airq(c->dev, 1), 0);
	assert_int_equal(get_all(c->dev, out, 4), 2);
	/* The group is still "present" (has_attr ignores facilities). */
	assert_int_equal(device_has(c->dev, KVM_DEV_FLIC_AISM, 0), 0);
	/* Back in the model: AIS again, with the mode kept. */
	s390_bit_set(proc->fac_list, 72);
	assert_int_equal(device_set(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, proc), 0);
	a = ais_all(c->dev);
	assert_int_equal(a.simm, 0x40);
	free(proc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_register),
		T(test_modify_errors),
		T(test_modify_mask),
		T(test_map_unmap),
		T(test_map_limit),
		T(test_aism_errors),
		T(test_aism_modes),
		T(test_airq_inject),
		T(test_airq_not_suppressible),
		T(test_airq_suppression),
		T(test_airq_isc_out_of_range),
		T(test_aism_all_errors),
		T(test_no_ais_without_facility_72),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
