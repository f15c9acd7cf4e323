/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FSL MPIC register offsets for testbench guests (docs/devices/mpic.md),
 * from the window at TB_MPIC.  All registers are 32-bit.
 */
#ifndef GUEST_MPIC_H
#define GUEST_MPIC_H

#include "guest.h"

#define MPIC_BRR1 0x0000
#define MPIC_FRR 0x1000
#define MPIC_GCR 0x1020
#define MPIC_IPIVPR(n) (0x10a0 + 0x10 * (n))
#define MPIC_SPVR 0x10e0
#define MPIC_GTCCR(n) (0x1100 + 0x40 * (n))
#define MPIC_GTBCR(n) (0x1110 + 0x40 * (n))
#define MPIC_GTVPR(n) (0x1120 + 0x40 * (n))
#define MPIC_GTDR(n) (0x1130 + 0x40 * (n))
#define MPIC_MSIR(n) (0x1600 + 0x10 * (n))
#define MPIC_MSISR 0x1720
#define MPIC_MSIIR 0x1740
#define MPIC_IVPR(n) (0x10000 + 0x20 * (n))
#define MPIC_IDR(n) (0x10010 + 0x20 * (n))
#define MPIC_ILR(n) (0x10018 + 0x20 * (n))	/* v4.2 */

/* Per-CPU registers: CPU c's page, or the current-CPU alias at 0. */
#define MPIC_CPU(c) (0x20000 + 0x1000 * (c))
#define MPIC_IPIDR(n) (0x40 + 0x10 * (n))
#define MPIC_CTPR 0x80
#define MPIC_WHOAMI 0x90
#define MPIC_IACK 0xa0
#define MPIC_EOI 0xb0

#define MPIC_IVPR_MASK 0x80000000u
#define MPIC_IVPR_ACTIVITY 0x40000000u
#define MPIC_IVPR_SENSE 0x00400000u	/* 1: level */
#define MPIC_IVPR_PRIO(p) ((uint32_t)(p) << 16)
#define MPIC_IDR_CI0 0x40000000u	/* v2.0: critical to CPU n at CI0 >> n */
#define MPIC_ILR_CINT 1
#define MPIC_ILR_MCP 2
#define MPIC_TBCR_CI 0x80000000u
#define MPIC_TCCR_TOG 0x80000000u
#define MPIC_MSI(srs, ibs) ((uint32_t)(srs) << 29 | (uint32_t)(ibs) << 24)
#define MPIC_MSI_SRC0 224		/* MSIR n raises source 224 + n */

static inline uint32_t mpic_read(uint32_t off)
{
	return mmio_read32(TB_MPIC + off);
}

static inline void mpic_write(uint32_t off, uint32_t v)
{
	mmio_write32(TB_MPIC + off, v);
}

#endif
