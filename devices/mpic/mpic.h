/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The software Freescale MPIC (KVM_DEV_TYPE_FSL_MPIC_20 and _42): its
 * guest-visible register map, offsets from KVM_DEV_MPIC_BASE_ADDR, and
 * the model-specific interface the VMM reaches through dev->iface.
 *
 * Guest MMIO data is little-endian (bus_get_le): a 32-bit load of a
 * register returns its value, a byte load byte (offset & 3) of it.
 */
#ifndef KVMKIT_MPIC_H
#define KVMKIT_MPIC_H

#include <stdint.h>

#include "kvmkit/device.h"

#define MPIC_REG_SIZE 0x40000		/* 256 KiB, naturally aligned */

#define MPIC_NR_SRC 256			/* SRC pins, IRQ_ACTIVE attrs */
#define MPIC_NR_CPU 32
#define MPIC_NR_IPI 4
#define MPIC_NR_TMR 4
#define MPIC_NR_MSIR 8
#define MPIC_MSI_SRC0 224		/* MSIR n raises SRC 224 + n */

/* Global registers. */
#define MPIC_BRR1 0x0000
#define MPIC_FRR 0x1000
#define MPIC_GCR 0x1020
#define MPIC_VIR 0x1080
#define MPIC_PIR 0x1090
#define MPIC_IPIVPR(n) (0x10a0 + 0x10 * (n))
#define MPIC_SPVR 0x10e0
#define MPIC_TFRR 0x10f0
#define MPIC_GTCCR(n) (0x1100 + 0x40 * (n))
#define MPIC_GTBCR(n) (0x1110 + 0x40 * (n))
#define MPIC_GTVPR(n) (0x1120 + 0x40 * (n))
#define MPIC_GTDR(n) (0x1130 + 0x40 * (n))
#define MPIC_MSIR(n) (0x1600 + 0x10 * (n))
#define MPIC_MSISR 0x1720
#define MPIC_MSIIR 0x1740

/* Interrupt sources: IRQ n's registers. */
#define MPIC_IVPR(n) (0x10000 + 0x20 * (n))
#define MPIC_IDR(n) (0x10010 + 0x20 * (n))
#define MPIC_ILR(n) (0x10018 + 0x20 * (n))	/* v4.2 only */

/*
 * Per-CPU registers: at MPIC_CPU(cpu) + reg for any CPU, and at the
 * "current CPU" alias 0x0000 + reg for the accessing vCPU.
 */
#define MPIC_CPU(cpu) (0x20000 + 0x1000 * (cpu))
#define MPIC_IPIDR(n) (0x40 + 0x10 * (n))
#define MPIC_CTPR 0x80
#define MPIC_WHOAMI 0x90
#define MPIC_IACK 0xa0
#define MPIC_EOI 0xb0

/* Register fields. */
#define MPIC_GCR_RESET 0x80000000u
#define MPIC_GCR_MODE_MIXED 0x20000000u
#define MPIC_GCR_MODE_PROXY 0x60000000u
#define MPIC_IVPR_MASK 0x80000000u
#define MPIC_IVPR_ACTIVITY 0x40000000u
#define MPIC_IVPR_POLARITY 0x00800000u
#define MPIC_IVPR_SENSE 0x00400000u	/* 1: level */
#define MPIC_IVPR_PRIO_SHIFT 16
#define MPIC_IVPR_PRIO_MASK 0x000f0000u
#define MPIC_IVPR_VECTOR_MASK 0x0000ffffu
#define MPIC_IDR_EP 0x80000000u		/* v2.0 */
#define MPIC_IDR_CI0 0x40000000u	/* v2.0: critical to CPU n at CI0 >> n */
#define MPIC_ILR_INT 0
#define MPIC_ILR_CINT 1
#define MPIC_ILR_MCP 2
#define MPIC_TBCR_CI 0x80000000u	/* count inhibit */
#define MPIC_TCCR_TOG 0x80000000u
#define MPIC_MSIIR_SRS_SHIFT 29
#define MPIC_MSIIR_IBS_SHIFT 24

/*
 * KVMKIT_DEV_MPIC_GRP_STATE: a kvmkit extension of the attribute ABI
 * (KVM's MPIC has no such group; docs/devices/mpic.md) holding the
 * state snapshots need that REGISTER and IRQ_ACTIVE cannot reach.
 * Values are host-order u64s:
 *   attr CPU c (0..31): 6 words; words 0-4 the in-service set, bit n of
 *     word n / 64 for internal IRQ n (SRC 0-255, IPIs 256-259, timers
 *     260-263); word 5 bits 0-3 the IPIs pending at CPU c; the rest 0.
 *   attr KVMKIT_MPIC_STATE_TIMER(t): bit 0 timer t's interrupt pending,
 *     bit 31 GTCCR[TOG].
 * Unknown attr: -ENXIO; reserved bits set: -EINVAL.
 */
#define KVMKIT_DEV_MPIC_GRP_STATE 0x4b4b0001
#define KVMKIT_MPIC_STATE_TIMER(t) (0x100 + (t))
#define KVMKIT_MPIC_CPU_STATE_WORDS 6

/*
 * What the software MPIC offers the VMM beyond the attribute ABI
 * (dev->iface of an MPIC created by the soft model).
 *
 * Global timers do not count, as in KVM's MPIC (registers only).
 * timer_expire() is "timer @timer reached zero": it toggles GTCCR[TOG]
 * and raises the timer's interrupt.  -EINVAL for a bad timer, -EBUSY
 * while GTBCR[CI] inhibits counting.  The VMM may call it from a host
 * timer at the guest's GTBCR/TFRR period, or on a test command.
 */
struct mpic_iface {
	int (*timer_expire)(struct device *dev, unsigned int timer);
};

static inline const struct mpic_iface *mpic_iface_of(struct device *dev)
{
	return dev->iface;
}

#endif
