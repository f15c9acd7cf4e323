/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The software GICv3 beyond the device-attribute ABI: what the VMM and
 * the arch code call directly.  See docs/devices/gicv3.md.
 *
 * Every function takes the GIC's lock itself and returns 0 or -errno:
 * -EINVAL when @gic is not a software GICv3 or an argument is out of
 * range, -EBUSY before KVM_DEV_ARM_VGIC_CTRL_INIT.
 */
#ifndef KVMKIT_GICV3_H
#define KVMKIT_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/device.h"

/*
 * SPIs arrive through device_set_irq(gic, intid, level), @intid being
 * the INTID (32 .. NR_IRQS - 1) as with KVM_IRQ_LINE.  PPIs (16..31) of
 * one vCPU (timers, PMU) through this.  Edge-configured inputs latch
 * pending on every assertion; level inputs follow @level.
 */
int gicv3_set_ppi(struct device *gic, int cpu, uint32_t intid, int level);

/*
 * ICC_* system-register encoding (Op0<<14 | Op1<<11 | CRn<<7 | CRm<<3 |
 * Op2), the same as in KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS.
 */
#define GICV3_SYSREG(op0, op1, crn, crm, op2)                   \
	((uint32_t)((op0) << 14 | (op1) << 11 | (crn) << 7 | \
		    (crm) << 3 | (op2)))

#define ICC_PMR_EL1	GICV3_SYSREG(3, 0, 4, 6, 0)
#define ICC_IAR0_EL1	GICV3_SYSREG(3, 0, 12, 8, 0)
#define ICC_EOIR0_EL1	GICV3_SYSREG(3, 0, 12, 8, 1)
#define ICC_HPPIR0_EL1	GICV3_SYSREG(3, 0, 12, 8, 2)
#define ICC_BPR0_EL1	GICV3_SYSREG(3, 0, 12, 8, 3)
#define ICC_AP0R0_EL1	GICV3_SYSREG(3, 0, 12, 8, 4)	/* ..AP0R3: +1 */
#define ICC_AP1R0_EL1	GICV3_SYSREG(3, 0, 12, 9, 0)	/* ..AP1R3: +1 */
#define ICC_DIR_EL1	GICV3_SYSREG(3, 0, 12, 11, 1)
#define ICC_RPR_EL1	GICV3_SYSREG(3, 0, 12, 11, 3)
#define ICC_SGI1R_EL1	GICV3_SYSREG(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1	GICV3_SYSREG(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1	GICV3_SYSREG(3, 0, 12, 11, 7)
#define ICC_IAR1_EL1	GICV3_SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1_EL1	GICV3_SYSREG(3, 0, 12, 12, 1)
#define ICC_HPPIR1_EL1	GICV3_SYSREG(3, 0, 12, 12, 2)
#define ICC_BPR1_EL1	GICV3_SYSREG(3, 0, 12, 12, 3)
#define ICC_CTLR_EL1	GICV3_SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE_EL1	GICV3_SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN0_EL1	GICV3_SYSREG(3, 0, 12, 12, 6)
#define ICC_IGRPEN1_EL1	GICV3_SYSREG(3, 0, 12, 12, 7)

/*
 * A guest access to an ICC_* register from vCPU @cpu, with the
 * architectural side effects (IAR acknowledges, EOIR drops priority,
 * SGI1R generates SGIs, ...): what an arm64 VMM with a user-space GIC
 * calls for a trapped MSR/MRS.  -ENXIO for an encoding that is no
 * ICC_* register or is write-only/read-only in the other direction.
 */
int gicv3_cpuif_sysreg(struct device *gic, int cpu, uint32_t instr,
		       uint64_t *val, bool is_write);

/* Shorthands for the common CPU-interface operations. */
uint32_t gicv3_cpuif_ack(struct device *gic, int cpu, int group);
int gicv3_cpuif_eoi(struct device *gic, int cpu, int group, uint32_t intid);
int gicv3_cpuif_deactivate(struct device *gic, int cpu, uint32_t intid);
int gicv3_cpuif_send_sgi(struct device *gic, int cpu, uint64_t sgi1r);

/*
 * Map the CPU interface as one 64 KiB MMIO page at @base for guests
 * without system registers (the x86 testbench).  Accesses are routed
 * to the CPU interface of the accessing vCPU.  Layout (8-byte slots,
 * 32- or 64-bit accesses; see docs/devices/gicv3.md):
 */
#define GICV3_WIN_SIZE		0x10000ULL
#define GICV3_WIN_IAR1		0x00	/* RO: acknowledge Group 1 */
#define GICV3_WIN_EOIR1		0x08	/* WO */
#define GICV3_WIN_DIR		0x10	/* WO */
#define GICV3_WIN_PMR		0x18
#define GICV3_WIN_BPR1		0x20
#define GICV3_WIN_CTLR		0x28
#define GICV3_WIN_IGRPEN1	0x30
#define GICV3_WIN_SGI1R		0x38	/* WO, 64-bit */
#define GICV3_WIN_HPPIR1	0x40	/* RO */
#define GICV3_WIN_RPR		0x48	/* RO */
#define GICV3_WIN_IAR0		0x50	/* RO */
#define GICV3_WIN_EOIR0		0x58	/* WO */
#define GICV3_WIN_HPPIR0	0x60	/* RO */
#define GICV3_WIN_BPR0		0x68
#define GICV3_WIN_IGRPEN0	0x70
#define GICV3_WIN_SGI0R		0x78	/* WO, 64-bit */
#define GICV3_WIN_ASGI1R	0x80	/* WO, 64-bit */
#define GICV3_WIN_AP0R0		0x88
#define GICV3_WIN_AP1R0		0x90
#define GICV3_WIN_SRE		0x98	/* RO in effect */
int gicv3_cpuif_map_window(struct device *gic, uint64_t base);

#endif
