/* SPDX-License-Identifier: GPL-2.0 */
/* GIC register offsets for testbench guests (GICv2 and GICv3 distributor). */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_RPR 0x14
#define GICC_HPPIR 0x18
#define GICC_APR0 0xd0
#define GICC_IIDR 0xfc

#define GIC_SPURIOUS 1023

#include "guest.h"

static inline void gic_set_bit(uintptr_t base, uint32_t reg, int irq)
{
	mmio_write32(base + reg + (irq / 32) * 4, 1u << (irq % 32));
}

static inline void gic_set_byte(uintptr_t base, uint32_t reg, int irq,
				uint8_t v)
{
	mmio_write8(base + reg + irq, v);
}

#endif
