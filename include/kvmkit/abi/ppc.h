/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The powerpc KVM device-attribute constants (arch/powerpc/include/uapi/
 * asm/kvm.h), available on every host so the software MPIC model builds
 * and is tested everywhere.  Guarded: on powerpc the kernel header wins.
 */
#ifndef KVMKIT_ABI_PPC_H
#define KVMKIT_ABI_PPC_H

#ifndef KVM_DEV_MPIC_GRP_MISC
#define KVM_DEV_MPIC_GRP_MISC 1
#define KVM_DEV_MPIC_BASE_ADDR 0	/* 64-bit */
#define KVM_DEV_MPIC_GRP_REGISTER 2	/* 32-bit */
#define KVM_DEV_MPIC_GRP_IRQ_ACTIVE 3	/* 32-bit */
#endif

#endif
