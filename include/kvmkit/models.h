/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry of software device models.  Each model defines one
 * `const struct soft_model` per KVM_DEV_TYPE_* it serves and lists it in
 * src/models.c.
 */
#ifndef KVMKIT_MODELS_H
#define KVMKIT_MODELS_H

#include "kvmkit/device.h"

/*
 * Pseudo device types for attribute interfaces that live on other kernel
 * objects: a vCPU fd (vcpu.txt) and the s390 VM fd (vm.txt).
 */
#define KVMKIT_DEV_TYPE_VCPU 0x10000
#define KVMKIT_DEV_TYPE_S390_VM 0x10001

extern const struct soft_model gicv2_soft_model;
extern const struct soft_model gicv3_soft_model;
extern const struct soft_model its_soft_model;
extern const struct soft_model mpic20_soft_model;
extern const struct soft_model mpic42_soft_model;
extern const struct soft_model flic_soft_model;
extern const struct soft_model s390_vm_soft_model;

const struct soft_model *soft_model_find(uint32_t type);

#endif
