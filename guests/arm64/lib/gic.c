// SPDX-License-Identifier: GPL-2.0
/* GICv2 and GICv3 for the arm64 guests (see gic.h). */
#include "guest.h"
#include "gic.h"

#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define __rd(r) read_sysreg(r)
#define rd(r) __rd(r)
#define __wr(r, v) write_sysreg(r, v)
#define wr(r, v) __wr(r, v)

static bool v3(void)
{
	return plat.gic_version == 3;
}

static void dist_wait(void)
{
	if (v3())
		while (mmio_read32(plat.gicd + GICD_CTLR) & GICD_CTLR_RWP)
			cpu_relax();
}

void gic_init(void)
{
	uint32_t nr = ((mmio_read32(plat.gicd + GICD_TYPER) & 0x1f) + 1) * 32;

	mmio_write32(plat.gicd + GICD_CTLR, 0);
	dist_wait();
	for (uint32_t i = 32; i < nr; i += 32) {
		mmio_write32(plat.gicd + GICD_ICENABLER + i / 8, ~0U);
		if (v3())
			mmio_write32(plat.gicd + GICD_IGROUPR + i / 8, ~0U);
	}
	dist_wait();
	/* v3: ARE (RAO in KVM) | EnableGrp1; v2: EnableGrp0 | EnableGrp1. */
	mmio_write32(plat.gicd + GICD_CTLR, v3() ? (1U << 4) | 2U : 3U);
	dist_wait();
}

uintptr_t gic_redist(int cpu)
{
	uint64_t aff = plat.mpidr[cpu];
	uint32_t want = (uint32_t)((aff & 0xffffff) | (aff >> 32 & 0xff) << 24);

	for (uint64_t off = 0; off < plat.gicr_size; off += GICR_STRIDE) {
		uint64_t typer = mmio_read64(plat.gicr + off + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == want)
			return plat.gicr + off;
		if (typer & (1U << 4))	/* Last */
			break;
	}
	printf("gic: no redistributor for vCPU %d\n", cpu);
	exit(97);
}

void gic_init_cpu(int cpu)
{
	uintptr_t rd;

	if (!v3()) {
		mmio_write32(plat.gicc + GICC_PMR, 0xf0);
		mmio_write32(plat.gicc + GICC_BPR, 0);
		mmio_write32(plat.gicc + GICC_CTLR, 1);
		return;
	}
	rd = gic_redist(cpu);
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~2U);
	while (mmio_read32(rd + GICR_WAKER) & 4U)
		cpu_relax();
	mmio_write32(rd + GICR_SGI + GICD_IGROUPR, ~0U);
	mmio_write32(rd + GICR_SGI + GICD_ICENABLER, ~0U);
	wr(ICC_SRE_EL1, rd(ICC_SRE_EL1) | 1);
	isb();
	wr(ICC_PMR_EL1, 0xf0);
	wr(ICC_BPR1_EL1, 0);
	wr(ICC_IGRPEN1_EL1, 1);
	isb();
}

void gic_enable_irq(int cpu, uint32_t intid, uint8_t prio)
{
	uintptr_t base = plat.gicd;

	if (v3() && intid < 32)
		base = gic_redist(cpu) + GICR_SGI;
	mmio_write8(base + GICD_IPRIORITYR + intid, prio);
	if (intid >= 32) {
		if (v3())
			mmio_write64(plat.gicd + GICD_IROUTER + 8 * intid,
				     plat.mpidr[cpu] & 0xff00ffffffULL);
		else
			mmio_write8(plat.gicd + GICD_ITARGETSR + intid,
				    (uint8_t)(1U << cpu));
	}
	mmio_write32(base + GICD_ISENABLER + intid / 32 * 4,
		     1U << (intid % 32));
	dist_wait();
}

uint32_t gic_ack(void)
{
	uint32_t raw;

	if (v3())
		raw = (uint32_t)rd(ICC_IAR1_EL1);
	else
		raw = mmio_read32(plat.gicc + GICC_IAR);
	__asm__ volatile("dsb sy" ::: "memory");
	return raw;
}

void gic_eoi(uint32_t raw)
{
	if (v3()) {
		wr(ICC_EOIR1_EL1, raw);
		isb();
	} else {
		mmio_write32(plat.gicc + GICC_EOIR, raw);
	}
}

uint32_t gic_intid(uint32_t raw)
{
	return v3() ? raw & 0xffffff : raw & 0x3ff;
}

int gic_sgi_source(uint32_t raw)
{
	return v3() ? -1 : (int)(raw >> 10 & 7);
}

void gic_send_sgi(int target, uint32_t intid)
{
	uint64_t m = plat.mpidr[target];

	dsb_sy();
	if (!v3()) {
		/* KVM's GICv2 CPU interface numbers are the vCPU indexes. */
		mmio_write32(plat.gicd + GICD_SGIR,
			     (1U << (16 + target)) | (intid & 0xf));
		return;
	}
	wr(ICC_SGI1R_EL1, (m >> 32 & 0xff) << 48 | (m >> 16 & 0xff) << 32 |
			  (uint64_t)(intid & 0xf) << 24 |
			  (m >> 8 & 0xff) << 16 | 1ULL << (m & 0xf));
	isb();
}
