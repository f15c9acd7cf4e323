/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv3 and ITS register offsets for testbench guests: the distributor
 * registers only GICv3 has (the shared ones are in gic.h), the
 * redistributor frames, the CPU-interface MMIO window
 * (docs/devices/gicv3.md) and the ITS (docs/devices/its.md).
 */
#ifndef GUEST_GICV3_H
#define GUEST_GICV3_H

#include "gic.h"

/* Distributor (GICv3 only). */
#define GICD_TYPER2 0x000c
#define GICD_STATUSR 0x0010
#define GICD_IGRPMODR 0x0d00
#define GICD_PIDR2 0xffe8
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_TYPER_LPIS (1u << 17)
#define GICD_TYPER_IDBITS(t) (((t) >> 19) & 0x1f)
#define GICD_IROUTER_IRM (1ULL << 31)

/* Redistributors: RD_base then SGI_base, 128 KiB per vCPU. */
#define GICR_STRIDE 0x20000UL
#define GICR_SGI_BASE 0x10000UL
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_STATUSR 0x0010
#define GICR_WAKER 0x0014
#define GICR_PROPBASER 0x0070
#define GICR_PENDBASER 0x0078
#define GICR_INVLPIR 0x00a0
#define GICR_INVALLR 0x00b0
#define GICR_SYNCR 0x00c0
#define GICR_PIDR2 0xffe8
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)
#define GICR_ISPENDR0 (GICR_SGI_BASE + 0x0200)
#define GICR_ICPENDR0 (GICR_SGI_BASE + 0x0280)
#define GICR_ISACTIVER0 (GICR_SGI_BASE + 0x0300)
#define GICR_ICACTIVER0 (GICR_SGI_BASE + 0x0380)
#define GICR_IPRIORITYR0 (GICR_SGI_BASE + 0x0400)
#define GICR_ICFGR0 (GICR_SGI_BASE + 0x0c00)

#define GICR_CTLR_ENABLE_LPIS (1u << 0)
#define GICR_CTLR_CES (1u << 1)
#define GICR_CTLR_IR (1u << 2)
#define GICR_TYPER_PLPIS (1ULL << 0)
#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_TYPER_PROCNUM(t) ((uint32_t)((t) >> 8) & 0xffff)
#define GICR_TYPER_AFF(t) ((uint32_t)((t) >> 32))
#define GICR_WAKER_PSLEEP (1u << 1)
#define GICR_WAKER_CASLEEP (1u << 2)
#define GICR_PENDBASER_PTZ (1ULL << 62)

/* The CPU-interface window: one ICC_* register per 8-byte slot. */
#define ICC_IAR1 0x00
#define ICC_EOIR1 0x08
#define ICC_DIR 0x10
#define ICC_PMR 0x18
#define ICC_BPR1 0x20
#define ICC_CTLR 0x28
#define ICC_IGRPEN1 0x30
#define ICC_SGI1R 0x38	/* 64-bit writes */
#define ICC_HPPIR1 0x40
#define ICC_RPR 0x48
#define ICC_IAR0 0x50
#define ICC_EOIR0 0x58
#define ICC_HPPIR0 0x60
#define ICC_BPR0 0x68
#define ICC_IGRPEN0 0x70
#define ICC_SGI0R 0x78
#define ICC_ASGI1R 0x80
#define ICC_AP0R0 0x88
#define ICC_AP1R0 0x90
#define ICC_SRE 0x98

#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_PRIBITS(c) (((c) >> 8) & 7)
#define ICC_CTLR_IDBITS(c) (((c) >> 11) & 7)

/* ICC_SGI1R fields. */
#define SGI1R_TARGETS(list) ((uint64_t)(list) & 0xffff)
#define SGI1R_AFF1(a) ((uint64_t)((a) & 0xff) << 16)
#define SGI1R_INTID(id) ((uint64_t)((id) & 0xf) << 24)
#define SGI1R_AFF2(a) ((uint64_t)((a) & 0xff) << 32)
#define SGI1R_IRM (1ULL << 40)
#define SGI1R_RS(rs) ((uint64_t)((rs) & 0xf) << 44)
#define SGI1R_AFF3(a) ((uint64_t)((a) & 0xff) << 48)

/* ITS control frame, then GITS_TRANSLATER's frame. */
#define GITS_CTLR 0x0000
#define GITS_IIDR 0x0004
#define GITS_TYPER 0x0008
#define GITS_CBASER 0x0080
#define GITS_CWRITER 0x0088
#define GITS_CREADR 0x0090
#define GITS_BASER(n) (0x0100 + 8 * (n))
#define GITS_PIDR2 0xffe8
#define GITS_TRANSLATER 0x10040

#define GITS_CTLR_ENABLED (1u << 0)
#define GITS_CTLR_QUIESCENT (1u << 31)
#define GITS_CBASER_VALID (1ULL << 63)
#define GITS_BASER_VALID (1ULL << 63)
#define GITS_BASER_INDIRECT (1ULL << 62)
#define GITS_BASER_TYPE(b) (((b) >> 56) & 7)
#define GITS_BASER_ESZ(b) ((((b) >> 48) & 0x1f) + 1)
#define GITS_BASER_PAGE_64K (2ULL << 8)
#define GITS_BASER_TYPE_DEVICE 1
#define GITS_BASER_TYPE_COLLECTION 4

/* ITS commands (32 bytes: four little-endian double words). */
#define ITS_CMD_MOVI 0x01
#define ITS_CMD_INT 0x03
#define ITS_CMD_CLEAR 0x04
#define ITS_CMD_SYNC 0x05
#define ITS_CMD_MAPD 0x08
#define ITS_CMD_MAPC 0x09
#define ITS_CMD_MAPTI 0x0a
#define ITS_CMD_MAPI 0x0b
#define ITS_CMD_INV 0x0c
#define ITS_CMD_INVALL 0x0d
#define ITS_CMD_MOVALL 0x0e
#define ITS_CMD_DISCARD 0x0f

/* LPIs and their property bytes. */
#define GIC_LPI_BASE 8192
#define LPI_PROP_ENABLE 0x01
#define LPI_PROP(prio, en) ((uint8_t)(((prio) & 0xfc) | ((en) ? 1 : 0)))

static inline uintptr_t gicr_base(int cpu)
{
	return TB_GICV3_REDIST + (uintptr_t)cpu * GICR_STRIDE;
}

/* CPU-interface window accesses: always whole 64-bit slots. */
static inline uint64_t icc_read(uint32_t reg)
{
	return mmio_read64(TB_GICV3_CPUIF + reg);
}

static inline void icc_write(uint32_t reg, uint64_t v)
{
	mmio_write64(TB_GICV3_CPUIF + reg, v);
}

#endif
