/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The software GICv2 (KVM_DEV_TYPE_ARM_VGIC_V2): what the rest of kvmkit
 * needs besides the attribute interface.
 *
 * Interrupt inputs go through device_set_irq(dev, irq, level), with @irq
 * encoded as KVM_IRQ_LINE encodes it on arm64, so the same number works
 * for the kernel's GIC and for this model:
 *
 *   bits 31..28  vcpu2_index (high bits of the vCPU index, PPIs only)
 *   bits 27..24  irq_type: 1 = SPI, 2 = PPI
 *   bits 23..16  vcpu_index (PPIs only)
 *   bits 15..0   irq_id: INTID (SPIs 32..NR_IRQS-1, PPIs 16..31)
 *
 * A bare INTID (irq_type 0, which KVM reserves for a user-space irqchip)
 * is taken as an SPI.  Level-sensitive inputs follow @level; an
 * edge-triggered input becomes pending on a rising edge (0 -> 1).
 */
#ifndef KVMKIT_GICV2_H
#define KVMKIT_GICV2_H

#include <errno.h>
#include <stdint.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/device.h"

/* arm64 uapi: KVM_IRQ_LINE's irq field.  The arm64 header wins. */
#ifndef KVM_ARM_IRQ_TYPE_SHIFT
#define KVM_ARM_IRQ_VCPU2_SHIFT 28
#define KVM_ARM_IRQ_VCPU2_MASK 0xf
#define KVM_ARM_IRQ_TYPE_SHIFT 24
#define KVM_ARM_IRQ_TYPE_MASK 0xf
#define KVM_ARM_IRQ_VCPU_SHIFT 16
#define KVM_ARM_IRQ_VCPU_MASK 0xff
#define KVM_ARM_IRQ_NUM_SHIFT 0
#define KVM_ARM_IRQ_NUM_MASK 0xffff
#define KVM_ARM_IRQ_TYPE_CPU 0
#define KVM_ARM_IRQ_TYPE_SPI 1
#define KVM_ARM_IRQ_TYPE_PPI 2
#endif

/* The irq argument of device_set_irq for an SPI / a PPI of one vCPU. */
#define GICV2_IRQ_SPI(intid) \
	((uint32_t)KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | \
	 ((uint32_t)(intid) & KVM_ARM_IRQ_NUM_MASK))
#define GICV2_IRQ_PPI(cpu, intid) \
	((uint32_t)KVM_ARM_IRQ_TYPE_PPI << KVM_ARM_IRQ_TYPE_SHIFT | \
	 (((uint32_t)(cpu) >> 8 & KVM_ARM_IRQ_VCPU2_MASK) \
	  << KVM_ARM_IRQ_VCPU2_SHIFT) | \
	 (((uint32_t)(cpu) & KVM_ARM_IRQ_VCPU_MASK) << KVM_ARM_IRQ_VCPU_SHIFT) | \
	 ((uint32_t)(intid) & KVM_ARM_IRQ_NUM_MASK))

/* Guest-physical sizes of the two register frames. */
#define GICV2_DIST_SIZE 0x1000
#define GICV2_CPU_SIZE 0x2000	/* 8 KiB: GICC_DIR at 0x1000 */

/*
 * Drive PPI @intid (16..31) of vCPU @cpu to @level.  Works on either
 * backend's struct device that implements set_irq; -EINVAL for a bad
 * vCPU or INTID, -ENXIO for a device without interrupt inputs.
 */
static inline int gicv2_set_ppi(struct device *dev, int cpu, uint32_t intid,
				int level)
{
	if (cpu < 0 || intid < 16 || intid > 31)
		return -EINVAL;
	return device_set_irq(dev, GICV2_IRQ_PPI(cpu, intid), level);
}

#endif
