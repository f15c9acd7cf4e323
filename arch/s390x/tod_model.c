// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_S390_VM_TOD of the s390 VM model.  The guest TOD clock runs with
 * the host's: the model keeps the kernel's (epoch index, epoch) offset
 * from a host TOD derived from CLOCK_REALTIME (bit 51 = 1 us, counted
 * from 1900-01-01 00:00 UTC, the epoch index is the 8 bits above bit 0).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "s390_vm_priv.h"

#define MULTIPLE_EPOCH_FACILITY 139
/* Seconds from the TOD epoch (1900) to the Unix epoch (1970). */
#define TOD_UNIX_OFFSET 2208988800ULL

struct tod72 {
	uint8_t ei;
	uint64_t tod;
};

/* Host TOD: nanoseconds since 1900 * 4096 / 1000, as 72 bits. */
static struct tod72 host_tod(void)
{
	struct timespec ts;
	unsigned __int128 ns, tod;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = ((unsigned __int128)(uint64_t)ts.tv_sec + TOD_UNIX_OFFSET) *
		     1000000000u + (uint64_t)ts.tv_nsec;
	tod = ns * 512 / 125;
	return (struct tod72){ .ei = (uint8_t)(tod >> 64), .tod = (uint64_t)tod };
}

/* Guest TOD = host TOD + (epdx:epoch) with carry, as the kernel does. */
static struct tod72 guest_tod(const struct s390_vm *vm)
{
	struct tod72 h = host_tod(), g;

	g.tod = h.tod + vm->epoch;
	g.ei = 0;
	if (s390_vm_facility(vm, MULTIPLE_EPOCH_FACILITY)) {
		g.ei = h.ei + vm->epdx;
		if (g.tod < h.tod)
			g.ei++;
	}
	return g;
}

static void set_guest_tod(struct s390_vm *vm, struct tod72 g)
{
	struct tod72 h = host_tod();

	vm->epoch = g.tod - h.tod;
	vm->epdx = 0;
	if (s390_vm_facility(vm, MULTIPLE_EPOCH_FACILITY)) {
		vm->epdx = g.ei - h.ei;
		if (vm->epoch > g.tod)
			vm->epdx--;
	}
}

static int set_tod_ext(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_tod_clock gtod;
	int ret;

	ret = attr_copy_from(a, &gtod, sizeof(gtod));
	if (ret)
		return ret;
	if (gtod.epoch_idx && !s390_vm_facility(vm, MULTIPLE_EPOCH_FACILITY))
		return -EINVAL;
	set_guest_tod(vm, (struct tod72){ gtod.epoch_idx, gtod.tod });
	return 0;
}

/* The TOD clock extension of the old interface: only 0 is accepted. */
static int set_tod_high(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	uint8_t high;
	int ret;

	ret = attr_copy_from(a, &high, sizeof(high));
	if (ret)
		return ret;
	return high ? -EINVAL : 0;
}

static int set_tod_low(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	uint64_t low;
	int ret;

	ret = attr_copy_from(a, &low, sizeof(low));
	if (ret)
		return ret;
	set_guest_tod(vm, (struct tod72){ 0, low });
	return 0;
}

static int tod_set(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	if (a->flags)
		return -EINVAL;
	switch (a->attr) {
	case KVM_S390_VM_TOD_EXT:
		return set_tod_ext(vm, a);
	case KVM_S390_VM_TOD_HIGH:
		return set_tod_high(vm, a);
	case KVM_S390_VM_TOD_LOW:
		return set_tod_low(vm, a);
	default:
		return -ENXIO;
	}
}

static int tod_get(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_tod_clock gtod;
	struct tod72 g;
	uint8_t high = 0;

	if (a->flags)
		return -EINVAL;
	switch (a->attr) {
	case KVM_S390_VM_TOD_EXT:
		g = guest_tod(vm);
		memset(&gtod, 0, sizeof(gtod));
		gtod.epoch_idx = g.ei;
		gtod.tod = g.tod;
		return attr_copy_to(a, &gtod, sizeof(gtod));
	case KVM_S390_VM_TOD_HIGH:
		return attr_copy_to(a, &high, sizeof(high));
	case KVM_S390_VM_TOD_LOW:
		g = guest_tod(vm);
		return attr_copy_to(a, &g.tod, sizeof(g.tod));
	default:
		return -ENXIO;
	}
}

/* The kernel's has_attr omits TOD_EXT; the model serves it, so says so. */
static int tod_has(struct s390_vm *vm, const struct kvm_device_attr *a)
{
	return a->attr <= KVM_S390_VM_TOD_EXT ? 0 : -ENXIO;
}

const struct s390_vm_group s390_vm_tod_group = {
	.group = KVM_S390_VM_TOD,
	.set = tod_set,
	.get = tod_get,
	.has = tod_has,
};
