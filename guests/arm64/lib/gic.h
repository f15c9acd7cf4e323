/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2 / GICv3 driver for the arm64 guests: whichever the DTB names.
 * Everything is group 1 on GICv3 (system-register CPU interface) and
 * group 0 on GICv2 (KVM's GICv2 keeps IGROUPR read-only), both as IRQ.
 */
#ifndef GUEST_GIC_H
#define GUEST_GIC_H

#include <stdint.h>

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1U << 31)

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10

#define GICR_CTLR 0x00
#define GICR_TYPER 0x08
#define GICR_WAKER 0x14
#define GICR_PROPBASER 0x70
#define GICR_PENDBASER 0x78
#define GICR_STRIDE 0x20000
#define GICR_SGI 0x10000	/* SGI_base frame */
#define GICR_CTLR_ENABLE_LPIS 1U

#define GIC_LPI_BASE 8192

void gic_init(void);		/* the distributor: boot vCPU, once */
void gic_init_cpu(int cpu);	/* this vCPU's CPU interface (+ redist) */
void gic_enable_irq(int cpu, uint32_t intid, uint8_t prio);
uint32_t gic_ack(void);
void gic_eoi(uint32_t raw);
void gic_send_sgi(int target, uint32_t intid);
uintptr_t gic_redist(int cpu);	/* RD_base of vCPU @cpu (GICv3) */

static inline int gic_spurious(uint32_t intid)
{
	return intid >= 1020 && intid <= 1023;
}

/* INTID of an acknowledge value, and (GICv2 SGIs) the sender. */
uint32_t gic_intid(uint32_t raw);
int gic_sgi_source(uint32_t raw);

#endif
