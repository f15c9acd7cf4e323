// SPDX-License-Identifier: GPL-2.0
/*
 * The software GICv2's CPU interface frame (8 KiB, GICC_DIR at 0x1000),
 * banked per vCPU: the view a KVM guest gets from GICV, a GICv2 CPU
 * interface without the security extensions.
 *
 * Through KVM_DEV_ARM_VGIC_GRP_CPU_REGS only GICC_CTLR, GICC_PMR,
 * GICC_BPR, GICC_ABPR, GICC_APR0-3 and GICC_IIDR are reachable (as in
 * KVM); GICC_PMR there is in the GICH_VMCR.VMPriMask format (priority
 * >> 3 in bits 4:0).  GICC_APR0-3 are KVM's combined view: bit X of
 * APR(X / 32) set when preemption level X has an active interrupt; with
 * 5 priority bits only levels 0-31 exist, so APR1-3 are RAZ/WI.
 */
#include "gic/gicv2_priv.h"

#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICC_RPR 0x14
#define GICC_HPPIR 0x18
#define GICC_ABPR 0x1c
#define GICC_AIAR 0x20
#define GICC_AEOIR 0x24
#define GICC_AHPPIR 0x28
#define GICC_APR0 0xd0
#define GICC_NSAPR0 0xe0
#define GICC_IIDR 0xfc
#define GICC_DIR 0x1000

static struct gicv2_cpu *gicv2_cpu_of(const struct gicv2_access *a)
{
	return &a->gic->cpu[a->cpu];
}

static uint32_t gicv2_read_ctlr(const struct gicv2_access *a)
{
	return gicv2_cpu_of(a)->ctlr;
}

static void gicv2_write_ctlr(const struct gicv2_access *a, uint32_t val)
{
	gicv2_cpu_of(a)->ctlr = val & GICC_CTLR_MASK;
}

static uint32_t gicv2_read_pmr(const struct gicv2_access *a)
{
	return gicv2_cpu_of(a)->pmr;
}

static void gicv2_write_pmr(const struct gicv2_access *a, uint32_t val)
{
	gicv2_cpu_of(a)->pmr = val & GICV2_PRI_MASK;
}

/* The attribute ABI's PMR: GICH_VMCR.VMPriMask, priority >> 3. */
static uint32_t gicv2_uread_pmr(const struct gicv2_access *a)
{
	return gicv2_cpu_of(a)->pmr >> (8 - GICV2_PRI_BITS);
}

static int gicv2_uwrite_pmr(const struct gicv2_access *a, uint32_t val)
{
	gicv2_cpu_of(a)->pmr = (val << (8 - GICV2_PRI_BITS)) & GICV2_PRI_MASK;
	return 0;
}

/* Binary points below the minimum for 5 priority bits read back as it. */
static uint8_t gicv2_clamp_bp(uint32_t val, uint8_t min)
{
	val &= 7;
	return val < min ? min : (uint8_t)val;
}

static uint32_t gicv2_read_bpr(const struct gicv2_access *a)
{
	return gicv2_cpu_of(a)->bpr;
}

static void gicv2_write_bpr(const struct gicv2_access *a, uint32_t val)
{
	gicv2_cpu_of(a)->bpr = gicv2_clamp_bp(val, GICV2_MIN_BPR);
}

static uint32_t gicv2_read_abpr(const struct gicv2_access *a)
{
	return gicv2_cpu_of(a)->abpr;
}

static void gicv2_write_abpr(const struct gicv2_access *a, uint32_t val)
{
	gicv2_cpu_of(a)->abpr = gicv2_clamp_bp(val, GICV2_MIN_ABPR);
}

static uint32_t gicv2_read_iar(const struct gicv2_access *a)
{
	return gicv2_cpu_ack(a->gic, a->cpu, a->offset == GICC_AIAR);
}

static void gicv2_write_eoir(const struct gicv2_access *a, uint32_t val)
{
	gicv2_cpu_eoi(a->gic, a->cpu, val);
}

static uint32_t gicv2_read_rpr(const struct gicv2_access *a)
{
	return gicv2_cpu_rpr(gicv2_cpu_of(a));
}

static uint32_t gicv2_read_hppir(const struct gicv2_access *a)
{
	return gicv2_cpu_hppir(a->gic, a->cpu, a->offset == GICC_AHPPIR);
}

static uint32_t gicv2_read_apr(const struct gicv2_access *a)
{
	return a->offset == GICC_APR0 ? gicv2_cpu_of(a)->apr : 0;
}

static void gicv2_write_apr(const struct gicv2_access *a, uint32_t val)
{
	if (a->offset == GICC_APR0)
		gicv2_cpu_of(a)->apr = val;
}

static uint32_t gicv2_read_cpu_iidr(const struct gicv2_access *a)
{
	return GICV2_CPU_IIDR;
}

/* GICC_DIR deactivates only in EOImode 1 (else UNPREDICTABLE: ignored). */
static void gicv2_write_dir(const struct gicv2_access *a, uint32_t val)
{
	if (gicv2_cpu_of(a)->ctlr & GICC_CTLR_EOIMODE)
		gicv2_cpu_deactivate(a->gic, a->cpu, val);
}

#define REG(off, length, rd, wr) \
	{ .offset = (off), .len = (length), .access = GICV2_ACC_32, \
	  .read = (rd), .write = (wr) }
#define GUEST_REG(off, length, rd, wr) \
	{ .offset = (off), .len = (length), .access = GICV2_ACC_32, \
	  .guest_only = true, .read = (rd), .write = (wr) }

static const struct gicv2_reg gicv2_cpu_regs[] = {
	REG(GICC_CTLR, 4, gicv2_read_ctlr, gicv2_write_ctlr),
	{ .offset = GICC_PMR, .len = 4, .access = GICV2_ACC_32,
	  .read = gicv2_read_pmr, .write = gicv2_write_pmr,
	  .uread = gicv2_uread_pmr, .uwrite = gicv2_uwrite_pmr },
	REG(GICC_BPR, 4, gicv2_read_bpr, gicv2_write_bpr),
	GUEST_REG(GICC_IAR, 4, gicv2_read_iar, NULL),
	GUEST_REG(GICC_EOIR, 4, NULL, gicv2_write_eoir),
	GUEST_REG(GICC_RPR, 4, gicv2_read_rpr, NULL),
	GUEST_REG(GICC_HPPIR, 4, gicv2_read_hppir, NULL),
	REG(GICC_ABPR, 4, gicv2_read_abpr, gicv2_write_abpr),
	GUEST_REG(GICC_AIAR, 4, gicv2_read_iar, NULL),
	GUEST_REG(GICC_AEOIR, 4, NULL, gicv2_write_eoir),
	GUEST_REG(GICC_AHPPIR, 4, gicv2_read_hppir, NULL),
	REG(GICC_APR0, 16, gicv2_read_apr, gicv2_write_apr),
	GUEST_REG(GICC_NSAPR0, 16, NULL, NULL),
	REG(GICC_IIDR, 4, gicv2_read_cpu_iidr, NULL),
	GUEST_REG(GICC_DIR, 4, NULL, gicv2_write_dir),
};

const struct gicv2_regmap gicv2_cpu_map = {
	.name = "cpu",
	.regs = gicv2_cpu_regs,
	.nr = sizeof(gicv2_cpu_regs) / sizeof(gicv2_cpu_regs[0]),
};
