// SPDX-License-Identifier: GPL-2.0
/*
 * s390 VM attribute model (vm.txt): MEM_CTRL, TOD, CRYPTO, MIGRATION,
 * has_attr and unknown groups.  CPU_MODEL is in test_s390_vm_cpu_model.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <cmocka.h>

#include "../../../arch/s390x/s390_vm.h"
#include "fake_host.h"
#include "kvmkit/models.h"

/* TOD units per second (bit 51 is one microsecond). */
#define TOD_PER_SEC (4096ULL * 1000000)
#define SLACK (120 * TOD_PER_SEC)	/* qemu-user and sanitizers are slow */

struct ctx {
	struct fake_host *fh;
	struct device *vm;
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

static struct s390_vm_soft_state soft(struct device *vm)
{
	struct s390_vm_soft_state s;

	assert_int_equal(s390_vm_soft_state(vm, &s), 0);
	return s;
}

static void set_facility(struct device *vm, unsigned int nr, bool on)
{
	struct kvm_s390_vm_cpu_processor *p = malloc(sizeof(*p));

	assert_int_equal(device_get(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, p), 0);
	if (on)
		s390_bit_set(p->fac_list, nr);
	else
		s390_bit_clear(p->fac_list, nr);
	assert_int_equal(device_set(vm, KVM_S390_VM_CPU_MODEL,
				    KVM_S390_VM_CPU_PROCESSOR, p), 0);
	free(p);
}

static int set_with_flags(struct device *vm, uint32_t group, uint64_t attr,
			  void *val, uint32_t flags, bool get)
{
	struct kvm_device_attr a = { .flags = flags, .group = group,
				     .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	return get ? device_get_attr(vm, &a) : device_set_attr(vm, &a);
}

/* ---- device, has_attr, unknown groups ------------------------------------ */

static void test_create(void **state)
{
	struct ctx *c = *state;
	struct device *d = NULL;
	struct s390_vm_soft_state s;

	assert_int_equal(c->vm->type, KVMKIT_DEV_TYPE_S390_VM);
	assert_int_equal(s390_vm_soft_model.type, KVMKIT_DEV_TYPE_S390_VM);
	assert_int_equal(s390_vm_soft_model.create(&c->fh->host,
						   KVM_DEV_TYPE_FLIC, &d),
			 -ENODEV);
	assert_int_equal(flic_soft_model.create(&c->fh->host,
						KVM_DEV_TYPE_FLIC, &d), 0);
	assert_int_equal(s390_vm_soft_state(d, &s), -EINVAL);
	assert_int_equal(s390_vm_soft_state(NULL, &s), -EINVAL);
	device_destroy(d);
	s = soft(c->vm);
	assert_false(s.cmma);
	assert_false(s.migration);
	assert_false(s.aes_kw);
	assert_false(s.dea_kw);
	assert_int_equal(s.mem_limit, S390_LIMIT_8P);
}

static void test_has_attr(void **state)
{
	struct ctx *c = *state;
	static const struct {
		uint32_t group;
		uint64_t attr;
		int ret;
	} t[] = {
		{ KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_ENABLE_CMMA, 0 },
		{ KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_CLR_CMMA, 0 },
		{ KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, 0 },
		{ KVM_S390_VM_MEM_CTRL, 3, -ENXIO },
		{ KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW, 0 },
		{ KVM_S390_VM_TOD, KVM_S390_VM_TOD_HIGH, 0 },
		{ KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT, 0 },
		{ KVM_S390_VM_TOD, 3, -ENXIO },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_ENABLE_AES_KW, 0 },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_ENABLE_DEA_KW, 0 },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_DISABLE_AES_KW, 0 },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_DISABLE_DEA_KW, 0 },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_ENABLE_APIE, -ENXIO },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_DISABLE_APIE, -ENXIO },
		{ KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, 0 },
		{ KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE_SUBFUNC, 0 },
		{ KVM_S390_VM_CPU_MODEL, 6, -ENXIO },
		{ KVM_S390_VM_MIGRATION, KVM_S390_VM_MIGRATION_STOP, 0 },
		{ KVM_S390_VM_MIGRATION, KVM_S390_VM_MIGRATION_STATUS, 0 },
		{ KVM_S390_VM_MIGRATION, 99, 0 },
		{ 5, 0, -ENXIO },	/* CPU_TOPOLOGY: newer than vm.txt */
		{ 0xffffffff, 0, -ENXIO },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		assert_int_equal(device_has(c->vm, t[i].group, t[i].attr),
				 t[i].ret);
}

static void test_unknown_group(void **state)
{
	struct ctx *c = *state;
	uint64_t v = 0;

	assert_int_equal(device_set(c->vm, 5, 0, &v), -ENXIO);
	assert_int_equal(device_get(c->vm, 5, 0, &v), -ENXIO);
	assert_int_equal(device_set(c->vm, 100, 0, &v), -ENXIO);
	assert_int_equal(device_get(c->vm, 100, 0, &v), -ENXIO);
	/* CRYPTO is write-only. */
	assert_int_equal(device_get(c->vm, KVM_S390_VM_CRYPTO,
				    KVM_S390_VM_CRYPTO_ENABLE_AES_KW, &v),
			 -ENXIO);
}

/* ---- MEM_CTRL ------------------------------------------------------------ */

static void test_cmma(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_CLR_CMMA, NULL), -EINVAL);
	c->fh->nr_vcpus = 1;
	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_ENABLE_CMMA, NULL), -EBUSY);
	assert_false(soft(c->vm).cmma);
	c->fh->nr_vcpus = 0;
	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_ENABLE_CMMA, NULL), 0);
	assert_true(soft(c->vm).cmma);
	/* Clearing the page states is fine with vCPUs around. */
	c->fh->nr_vcpus = 2;
	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_CLR_CMMA, NULL), 0);
	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL, 3, NULL),
			 -ENXIO);
	assert_int_equal(device_get(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_ENABLE_CMMA, NULL), -ENXIO);
}

static uint64_t get_limit(struct device *vm)
{
	uint64_t v = 0;

	assert_int_equal(device_get(vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_LIMIT_SIZE, &v), 0);
	return v;
}

static int set_limit(struct device *vm, uint64_t v)
{
	return device_set(vm, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE,
			  &v);
}

static void test_limit_rounding(void **state)
{
	struct ctx *c = *state;
	static const struct {
		uint64_t set, want;
	} t[] = {
		{ S390_LIMIT_8P, S390_LIMIT_8P },
		{ S390_LIMIT_4T + 1, S390_LIMIT_8P },
		{ S390_LIMIT_4T, S390_LIMIT_4T },
		{ 3ULL << 30, S390_LIMIT_4T },
		{ S390_LIMIT_2G + 1, S390_LIMIT_4T },
		{ S390_LIMIT_2G, S390_LIMIT_2G },
		{ 256ULL << 20, S390_LIMIT_2G },
		{ 1, S390_LIMIT_2G },
	};

	assert_int_equal(get_limit(c->vm), S390_LIMIT_8P);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(set_limit(c->vm, t[i].set), 0);
		assert_int_equal(get_limit(c->vm), t[i].want);
	}
	assert_int_equal(soft(c->vm).mem_limit, S390_LIMIT_2G);
}

static void test_limit_errors(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_LIMIT_SIZE, bad_ptr()),
			 -EFAULT);
	assert_int_equal(device_get(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_LIMIT_SIZE, bad_ptr()),
			 -EFAULT);
	assert_int_equal(set_limit(c->vm, 0), -EINVAL);
	/* Bigger than the machine, or "no limit" once there is one. */
	assert_int_equal(set_limit(c->vm, S390_LIMIT_8P + 1), -E2BIG);
	assert_int_equal(set_limit(c->vm, KVM_S390_NO_MEM_LIMIT), -E2BIG);
	assert_int_equal(set_limit(c->vm, 3ULL << 30), 0);
	assert_int_equal(set_limit(c->vm, S390_LIMIT_4T + 1), -E2BIG);
	/* After the first vCPU: -EBUSY, but size errors come first. */
	c->fh->nr_vcpus = 1;
	assert_int_equal(set_limit(c->vm, S390_LIMIT_2G), -EBUSY);
	assert_int_equal(set_limit(c->vm, 0), -EINVAL);
	assert_int_equal(set_limit(c->vm, S390_LIMIT_8P), -E2BIG);
	assert_int_equal(get_limit(c->vm), S390_LIMIT_4T);
}

/* ---- TOD ----------------------------------------------------------------- */

static uint64_t tod_low(struct device *vm)
{
	uint64_t v;

	assert_int_equal(device_get(vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW,
				    &v), 0);
	return v;
}

static struct kvm_s390_vm_tod_clock tod_ext(struct device *vm)
{
	struct kvm_s390_vm_tod_clock t;

	memset(&t, 0xee, sizeof(t));
	assert_int_equal(device_get(vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT,
				    &t), 0);
	return t;
}

static void assert_tod_near(uint64_t got, uint64_t set)
{
	assert_true(got - set < SLACK);	/* running forward, mod 2^64 */
}

/* Unset, the guest TOD is the host's: TOD units since 1900. */
static void test_tod_follows_host(void **state)
{
	struct ctx *c = *state;
	uint64_t want = ((uint64_t)time(NULL) + 2208988800ULL) * TOD_PER_SEC;
	uint64_t t1 = tod_low(c->vm), t2;

	assert_true(t1 + SLACK > want && t1 < want + SLACK);
	t2 = tod_low(c->vm);
	assert_true(t2 >= t1);
	assert_int_equal(tod_ext(c->vm).epoch_idx, 0);
}

static void test_tod_low_high(void **state)
{
	struct ctx *c = *state;
	uint64_t x = 0x1234567800000000ULL;
	uint8_t high = 0xaa;

	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW,
				    &x), 0);
	assert_tod_near(tod_low(c->vm), x);
	/* The guest clock keeps epoch index 0 after a LOW write. */
	assert_int_equal(tod_ext(c->vm).epoch_idx, 0);
	assert_tod_near(tod_ext(c->vm).tod, x);
	assert_int_equal(device_get(c->vm, KVM_S390_VM_TOD,
				    KVM_S390_VM_TOD_HIGH, &high), 0);
	assert_int_equal(high, 0);
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD,
				    KVM_S390_VM_TOD_HIGH, &high), 0);
	high = 1;
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD,
				    KVM_S390_VM_TOD_HIGH, &high), -EINVAL);
	/* Even with the multiple-epoch facility: TOD_EXT supersedes it. */
	high = 0x80;
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD,
				    KVM_S390_VM_TOD_HIGH, &high), -EINVAL);
}

static void test_tod_ext(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_tod_clock t = { .epoch_idx = 3, .tod = 0x42 };
	struct kvm_s390_vm_tod_clock g;

	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT,
				    &t), 0);
	g = tod_ext(c->vm);
	assert_int_equal(g.epoch_idx, 3);
	assert_tod_near(g.tod, 0x42);
	assert_tod_near(tod_low(c->vm), 0x42);
	/* Carry into the epoch index when bits 0-63 wrap. */
	t = (struct kvm_s390_vm_tod_clock){ .epoch_idx = 0xfe,
					    .tod = UINT64_MAX - 10 };
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT,
				    &t), 0);
	g = tod_ext(c->vm);
	assert_true(g.epoch_idx == 0xfe || g.epoch_idx == 0xff);
	if (g.epoch_idx == 0xff)
		assert_true(g.tod < SLACK);
	/* Index 0 again. */
	t = (struct kvm_s390_vm_tod_clock){ .epoch_idx = 0, .tod = 1ULL << 62 };
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT,
				    &t), 0);
	g = tod_ext(c->vm);
	assert_int_equal(g.epoch_idx, 0);
	assert_tod_near(g.tod, 1ULL << 62);
}

static void test_tod_ext_without_facility_139(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_vm_tod_clock t = { .epoch_idx = 1, .tod = 5 };

	set_facility(c->vm, 139, false);
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT,
				    &t), -EINVAL);
	t.epoch_idx = 0;
	t.tod = 0x8000000000000000ULL;
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, KVM_S390_VM_TOD_EXT,
				    &t), 0);
	assert_int_equal(tod_ext(c->vm).epoch_idx, 0);
	assert_tod_near(tod_ext(c->vm).tod, t.tod);
}

static void test_tod_errors(void **state)
{
	struct ctx *c = *state;
	uint64_t v = 0;

	for (uint64_t a = KVM_S390_VM_TOD_LOW; a <= KVM_S390_VM_TOD_EXT; a++) {
		assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, a,
					    bad_ptr()), -EFAULT);
		assert_int_equal(device_get(c->vm, KVM_S390_VM_TOD, a,
					    bad_ptr()), -EFAULT);
		assert_int_equal(set_with_flags(c->vm, KVM_S390_VM_TOD, a, &v,
						1, false), -EINVAL);
		assert_int_equal(set_with_flags(c->vm, KVM_S390_VM_TOD, a, &v,
						1, true), -EINVAL);
	}
	assert_int_equal(device_set(c->vm, KVM_S390_VM_TOD, 3, &v), -ENXIO);
	assert_int_equal(device_get(c->vm, KVM_S390_VM_TOD, 3, &v), -ENXIO);
}

/* ---- CRYPTO -------------------------------------------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int crypto(struct device *vm, uint64_t attr)
{
	return device_set(vm, KVM_S390_VM_CRYPTO, attr, NULL);
}

static void test_crypto_key_wrapping(void **state)
{
	struct ctx *c = *state;
	struct s390_vm_soft_state s1, s2;

	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_ENABLE_AES_KW), 0);
	s1 = soft(c->vm);
	assert_true(s1.aes_kw);
	assert_false(s1.dea_kw);
	assert_false(all_zero(s1.aes_wrapping_key_mask, 32));
	assert_true(all_zero(s1.dea_wrapping_key_mask, 24));
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_ENABLE_DEA_KW), 0);
	s1 = soft(c->vm);
	assert_true(s1.dea_kw);
	assert_false(all_zero(s1.dea_wrapping_key_mask, 24));
	/* Enabling again generates a new key. */
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_ENABLE_AES_KW), 0);
	s2 = soft(c->vm);
	assert_memory_not_equal(s1.aes_wrapping_key_mask,
				s2.aes_wrapping_key_mask, 32);
	assert_memory_equal(s1.dea_wrapping_key_mask,
			    s2.dea_wrapping_key_mask, 24);
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_DISABLE_AES_KW), 0);
	s2 = soft(c->vm);
	assert_false(s2.aes_kw);
	assert_true(all_zero(s2.aes_wrapping_key_mask, 32));
	assert_true(s2.dea_kw);
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_DISABLE_DEA_KW), 0);
	s2 = soft(c->vm);
	assert_false(s2.dea_kw);
	assert_true(all_zero(s2.dea_wrapping_key_mask, 24));
	/* Disabling twice is fine; so are vCPUs. */
	c->fh->nr_vcpus = 4;
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_DISABLE_DEA_KW), 0);
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_ENABLE_DEA_KW), 0);
}

static void test_crypto_errors(void **state)
{
	struct ctx *c = *state;

	/* APIE (newer than vm.txt): no AP instructions on this machine. */
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_ENABLE_APIE),
			 -EOPNOTSUPP);
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_DISABLE_APIE),
			 -EOPNOTSUPP);
	assert_int_equal(crypto(c->vm, 6), -ENXIO);
	/* Key wrapping needs MSA extension 3 (facility 76). */
	set_facility(c->vm, 76, false);
	for (uint64_t a = 0; a <= KVM_S390_VM_CRYPTO_DISABLE_DEA_KW; a++)
		assert_int_equal(crypto(c->vm, a), -EINVAL);
	assert_false(soft(c->vm).aes_kw);
	set_facility(c->vm, 76, true);
	assert_int_equal(crypto(c->vm, KVM_S390_VM_CRYPTO_ENABLE_AES_KW), 0);
}

/* ---- MIGRATION ----------------------------------------------------------- */

static uint64_t mig_status(struct device *vm)
{
	uint64_t v = 0xeeeeeeeeeeeeeeeeULL;

	assert_int_equal(device_get(vm, KVM_S390_VM_MIGRATION,
				    KVM_S390_VM_MIGRATION_STATUS, &v), 0);
	return v;
}

static int mig(struct device *vm, uint64_t attr)
{
	return device_set(vm, KVM_S390_VM_MIGRATION, attr, NULL);
}

static void test_migration(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(mig_status(c->vm), 0);
	/* Stopping when not active has no effect. */
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_STOP), 0);
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_START), 0);
	assert_int_equal(mig_status(c->vm), 1);
	assert_false(soft(c->vm).cmma_dirty);
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_START), 0);
	assert_int_equal(mig_status(c->vm), 1);
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_STOP), 0);
	assert_int_equal(mig_status(c->vm), 0);
	/* With CMMA, every page's CMMA state starts dirty. */
	assert_int_equal(device_set(c->vm, KVM_S390_VM_MEM_CTRL,
				    KVM_S390_VM_MEM_ENABLE_CMMA, NULL), 0);
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_START), 0);
	assert_true(soft(c->vm).migration);
	assert_true(soft(c->vm).cmma_dirty);
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_STOP), 0);
	assert_false(soft(c->vm).cmma_dirty);
}

static void test_migration_errors(void **state)
{
	struct ctx *c = *state;
	struct fake_host *nomem = fake_host_new(0x100000, 0x1000, 0);
	struct device *vm;
	uint64_t v;

	assert_int_equal(device_get(c->vm, KVM_S390_VM_MIGRATION,
				    KVM_S390_VM_MIGRATION_STATUS, bad_ptr()),
			 -EFAULT);
	assert_int_equal(device_get(c->vm, KVM_S390_VM_MIGRATION,
				    KVM_S390_VM_MIGRATION_START, &v), -ENXIO);
	assert_int_equal(mig(c->vm, KVM_S390_VM_MIGRATION_STATUS), -ENXIO);
	assert_int_equal(mig(c->vm, 3), -ENXIO);
	/* No guest memory at absolute 0: no memory defined. */
	assert_int_equal(s390_vm_soft_model.create(&nomem->host,
						   KVMKIT_DEV_TYPE_S390_VM,
						   &vm), 0);
	assert_int_equal(mig(vm, KVM_S390_VM_MIGRATION_START), -EINVAL);
	assert_int_equal(mig_status(vm), 0);
	assert_int_equal(mig(vm, KVM_S390_VM_MIGRATION_STOP), 0);
	device_destroy(vm);
	fake_host_free(nomem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_create),
		T(test_has_attr),
		T(test_unknown_group),
		T(test_cmma),
		T(test_limit_rounding),
		T(test_limit_errors),
		T(test_tod_follows_host),
		T(test_tod_low_high),
		T(test_tod_ext),
		T(test_tod_ext_without_facility_139),
		T(test_tod_errors),
		T(test_crypto_key_wrapping),
		T(test_crypto_errors),
		T(test_migration),
		T(test_migration_errors),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
