/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The s390 VM fd's attribute interface (vm.txt, KVM_S390_VM_*), served
 * in software by s390_vm_soft_model (device type KVMKIT_DEV_TYPE_S390_VM).
 *
 * Everything a VMM needs goes through the attribute interface, so a
 * kernel-backed VM fd (device_wrap_fd) and the model are used the same
 * way.  The model describes a software "machine" (documented in
 * docs/devices/s390-vm.md); kvmkit cross-builds for s390x but cannot run
 * an s390 guest here, so nothing executes on that machine yet.
 *
 * s390_vm_soft_state() exposes the model's state the attribute
 * interface cannot read back (key-wrapping masks, CMMA), for the s390
 * vCPU setup code and for tests.
 */
#ifndef KVMKIT_S390_VM_H
#define KVMKIT_S390_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/abi/s390.h"
#include "kvmkit/device.h"

/* Limits LIMIT_SIZE rounds up to: one per DAT table level. */
#define S390_LIMIT_2G (1ULL << 31)	/* segment table: 2048 MB */
#define S390_LIMIT_4T (1ULL << 42)	/* region-third table: 4096 GB */
#define S390_LIMIT_8P (1ULL << 53)	/* region-second table: 8192 TB */

struct s390_vm_soft_state {
	bool cmma;			/* ENABLE_CMMA done */
	bool migration;			/* migration mode on */
	bool cmma_dirty;		/* START with CMMA: all pages dirty */
	uint64_t mem_limit;		/* bytes, or KVM_S390_NO_MEM_LIMIT */
	bool aes_kw;
	bool dea_kw;
	uint8_t aes_wrapping_key_mask[32];
	uint8_t dea_wrapping_key_mask[24];
};

/* -EINVAL when @vm is not the software s390 VM model. */
int s390_vm_soft_state(struct device *vm, struct s390_vm_soft_state *out);

#endif
