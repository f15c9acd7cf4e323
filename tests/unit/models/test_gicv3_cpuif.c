// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv3 CPU interface: CPU_SYSREGS encodings and errors,
 * acknowledge / EOI / deactivate, priority mask, preemption through the
 * active priorities and binary points, Group 0 as FIQ, SGIs between
 * vCPUs by affinity, PPIs, and the MMIO window.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_host.h"
#include "kvmkit/abi/arm.h"
#include "kvmkit/models.h"
#include "gic/gicv3.h"

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x10000ULL
#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define WINDOW		0x08200000ULL
#define RD_SIZE		0x20000ULL
#define SGI_BASE	0x10000ULL
#define NCPUS		4

#define GRP_SYSREGS	KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define MPIDR(aff)	((uint64_t)(aff) << 32)

/* Encodings written out from the doc's Op0/Op1/CRn/CRm/Op2 layout. */
#define E_PMR		0xc230	/* 3,0,4,6,0 */
#define E_BPR0		0xc643	/* 3,0,12,8,3 */
#define E_AP0R0		0xc644	/* 3,0,12,8,4 */
#define E_AP1R0		0xc648	/* 3,0,12,9,0 */
#define E_BPR1		0xc663	/* 3,0,12,12,3 */
#define E_CTLR		0xc664	/* 3,0,12,12,4 */
#define E_SRE		0xc665	/* 3,0,12,12,5 */
#define E_IGRPEN0	0xc666	/* 3,0,12,12,6 */
#define E_IGRPEN1	0xc667	/* 3,0,12,12,7 */

static struct fake_host *fh;
static struct device *gic;
static const uint64_t *mpidrs;

static uint64_t test_mpidr(struct devhost *h, int cpu)
{
	return 1ULL << 31 | mpidrs[cpu];
}

static int set64(uint32_t group, uint64_t attr, uint64_t v)
{
	return device_set(gic, group, attr, &v);
}

static int make_gic(const uint64_t *affs)
{
	uint32_t nr = 128;

	fh = fake_host_new(RAM_BASE, RAM_SIZE, NCPUS);
	mpidrs = affs;
	if (affs)
		fh->host.vcpu_mpidr = test_mpidr;
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &gic), 0);
	fake_host_add_device(fh, gic);
	assert_int_equal(set64(KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, DIST), 0);
	assert_int_equal(set64(KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST), 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr),
			 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	return 0;
}

static int setup(void **state)
{
	return make_gic(NULL);
}

static const uint64_t sgi_affs[NCPUS] = { 0x0, 0x1, 0x100, 0x112 };

static int setup_affinity(void **state)
{
	return make_gic(sgi_affs);
}

static int teardown(void **state)
{
	device_destroy(gic);
	fake_host_free(fh);
	return 0;
}

static uint64_t sr_get(uint64_t aff, uint32_t instr)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(device_get(gic, GRP_SYSREGS, MPIDR(aff) | instr, &v),
			 0);
	return v;
}

static int sr_set(uint64_t aff, uint32_t instr, uint64_t v)
{
	return device_set(gic, GRP_SYSREGS, MPIDR(aff) | instr, &v);
}

static uint64_t guest_rd(int cpu, uint32_t instr)
{
	uint64_t v = 0;

	assert_int_equal(gicv3_cpuif_sysreg(gic, cpu, instr, &v, false), 0);
	return v;
}

static void guest_wr(int cpu, uint32_t instr, uint64_t v)
{
	assert_int_equal(gicv3_cpuif_sysreg(gic, cpu, instr, &v, true), 0);
}

static void dwrite(uint32_t off, uint32_t v)
{
	fake_mmio_write32(fh, 0, DIST + off, v);
}

static uint32_t dread(uint32_t off)
{
	return fake_mmio_read32(fh, 0, DIST + off);
}

/* SPI @intid: enabled, priority @prio, routed to vCPU 0 (reset). */
static void spi(uint32_t intid, uint8_t prio)
{
	fake_mmio_access(fh, 0, DIST + 0x400 + intid, &prio, 1, true);
	dwrite(0x100 + intid / 32 * 4, 1u << (intid % 32));
}

/* Distributor on; the CPU interface at affinity @aff takes Group 1. */
static void open_cpu(uint64_t aff)
{
	dwrite(0x0, 2);
	assert_int_equal(sr_set(aff, E_PMR, 0xff), 0);
	assert_int_equal(sr_set(aff, E_IGRPEN1, 1), 0);
}

static int irq_line(int cpu)
{
	return fh->lines[cpu][CPU_LINE_IRQ];
}

static int fiq_line(int cpu)
{
	return fh->lines[cpu][CPU_LINE_FIQ];
}

/* ---- CPU_SYSREGS -------------------------------------------------------- */

static void test_sysreg_encodings(void **state)
{
	assert_int_equal(ICC_PMR_EL1, E_PMR);
	assert_int_equal(ICC_BPR0_EL1, E_BPR0);
	assert_int_equal(ICC_AP0R0_EL1, E_AP0R0);
	assert_int_equal(ICC_AP1R0_EL1, E_AP1R0);
	assert_int_equal(ICC_BPR1_EL1, E_BPR1);
	assert_int_equal(ICC_CTLR_EL1, E_CTLR);
	assert_int_equal(ICC_SRE_EL1, E_SRE);
	assert_int_equal(ICC_IGRPEN0_EL1, E_IGRPEN0);
	assert_int_equal(ICC_IGRPEN1_EL1, E_IGRPEN1);
	/* reset values */
	assert_int_equal(sr_get(1, E_PMR), 0);
	assert_int_equal(sr_get(1, E_BPR0), 2);
	assert_int_equal(sr_get(1, E_BPR1), 3);
	assert_int_equal(sr_get(1, E_AP0R0), 0);
	assert_int_equal(sr_get(1, E_AP1R0), 0);
	assert_int_equal(sr_get(1, E_CTLR), 4 << 8);	/* PRIbits 5 */
	assert_int_equal(sr_get(1, E_SRE), 7);
	assert_int_equal(sr_get(1, E_IGRPEN0), 0);
	assert_int_equal(sr_get(1, E_IGRPEN1), 0);
	/* set/get per vCPU */
	assert_int_equal(sr_set(1, E_PMR, 0xff), 0);
	assert_int_equal(sr_get(1, E_PMR), 0xf8);
	assert_int_equal(sr_get(0, E_PMR), 0);
	assert_int_equal(sr_set(2, E_BPR0, 0), 0);	/* clamped */
	assert_int_equal(sr_get(2, E_BPR0), 2);
	assert_int_equal(sr_set(2, E_BPR0, 5), 0);
	assert_int_equal(sr_get(2, E_BPR0), 5);
	assert_int_equal(sr_set(2, E_BPR1, 1), 0);
	assert_int_equal(sr_get(2, E_BPR1), 3);
	assert_int_equal(sr_set(2, E_BPR1, 6), 0);
	assert_int_equal(sr_get(2, E_BPR1), 6);
	assert_int_equal(sr_set(3, E_AP0R0, 0x1ffffffffULL), 0);
	assert_int_equal(sr_get(3, E_AP0R0), 0xffffffff);
	assert_int_equal(sr_set(3, E_AP1R0, 0x10000), 0);
	assert_int_equal(sr_get(3, E_AP1R0), 0x10000);
	assert_int_equal(sr_set(3, E_IGRPEN0, 3), 0);
	assert_int_equal(sr_get(3, E_IGRPEN0), 1);
	assert_int_equal(sr_set(3, E_IGRPEN1, 1), 0);
	assert_int_equal(sr_get(3, E_IGRPEN1), 1);
	assert_int_equal(sr_set(3, E_SRE, 7), 0);
	/* CBPR and EOImode; BPR1 then mirrors BPR0 + 1 */
	assert_int_equal(sr_set(2, E_CTLR, 4 << 8 | 3), 0);
	assert_int_equal(sr_get(2, E_CTLR), 4 << 8 | 3);
	assert_int_equal(sr_get(2, E_BPR1), 6);
	assert_int_equal(sr_set(2, E_BPR0, 7), 0);
	assert_int_equal(sr_get(2, E_BPR1), 7);
	assert_int_equal(sr_set(2, E_BPR1, 4), 0);	/* ignored */
	assert_int_equal(sr_set(2, E_CTLR, 4 << 8), 0);
	assert_int_equal(sr_get(2, E_BPR1), 6);
	/* fewer priority bits may be restored */
	assert_int_equal(sr_set(0, E_CTLR, 3 << 8), 0);
	assert_int_equal(sr_get(0, E_CTLR), 3 << 8);
	/* the reserved bits 31:16 of attr are ignored, as in KVM */
	assert_int_equal(sr_get(1, 1 << 16 | E_PMR), 0xf8);
}

static void test_sysreg_errors(void **state)
{
	static const uint32_t guest_only[] = {
		ICC_IAR0_EL1, ICC_IAR1_EL1, ICC_EOIR0_EL1, ICC_EOIR1_EL1,
		ICC_HPPIR0_EL1, ICC_HPPIR1_EL1, ICC_DIR_EL1, ICC_RPR_EL1,
		ICC_SGI1R_EL1, ICC_ASGI1R_EL1, ICC_SGI0R_EL1,
		0xc231, 0xc000, 0xffff,
	};
	uint64_t v = 0;

	for (size_t i = 0; i < sizeof(guest_only) / sizeof(guest_only[0]);
	     i++) {
		assert_int_equal(device_get(gic, GRP_SYSREGS, guest_only[i],
					    &v), -ENXIO);
		assert_int_equal(device_set(gic, GRP_SYSREGS, guest_only[i],
					    &v), -ENXIO);
		assert_int_equal(device_has(gic, GRP_SYSREGS, guest_only[i]),
				 -ENXIO);
	}
	/* values the hardware cannot take: -EINVAL */
	assert_int_equal(sr_set(0, E_SRE, 6), -EINVAL);
	assert_int_equal(sr_set(0, E_CTLR, 5 << 8), -EINVAL);	/* 6 bits */
	assert_int_equal(sr_set(0, E_CTLR, 4 << 8 | 1 << 11), -EINVAL);
	assert_int_equal(sr_set(0, E_CTLR, 4 << 8 | 1 << 14), -EINVAL);
	assert_int_equal(sr_set(0, E_CTLR, 4 << 8 | 1 << 15), -EINVAL);
	assert_int_equal(sr_get(0, E_CTLR), 4 << 8);
	/* with 5 priority bits only AP0R0/AP1R0 exist */
	for (int n = 1; n < 4; n++) {
		assert_int_equal(sr_set(0, E_AP0R0 + n, 0), -EINVAL);
		assert_int_equal(device_get(gic, GRP_SYSREGS, E_AP1R0 + n, &v),
				 -EINVAL);
		assert_int_equal(device_has(gic, GRP_SYSREGS, E_AP1R0 + n), 0);
	}
	/* an mpidr naming no vCPU */
	assert_int_equal(sr_set(4, E_PMR, 0), -EINVAL);
}

/* ---- acknowledge, EOI, preemption ---------------------------------------- */

static void test_ack_eoi_level(void **state)
{
	spi(40, 0x80);
	dwrite(0xc08, 0);			/* SPIs 32..47 level */
	open_cpu(0);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(guest_rd(0, ICC_HPPIR1_EL1), 1023);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_HPPIR1_EL1), 40);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 40);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0x80);
	assert_int_equal(sr_get(0, E_AP1R0), 1 << 16);
	assert_int_equal(dread(0x304), 1 << 8);
	/* nothing else pending: spurious */
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 1023);
	guest_wr(0, ICC_EOIR1_EL1, 40);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xff);
	assert_int_equal(dread(0x304), 0);
	/* the line is still high: pending again */
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 40);
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	guest_wr(0, ICC_EOIR1_EL1, 40);
	assert_int_equal(irq_line(0), 0);
	/* EOI of a spurious INTID does nothing */
	guest_wr(0, ICC_EOIR1_EL1, 1023);
}

static void test_pmr_and_enables(void **state)
{
	spi(40, 0x80);
	open_cpu(0);
	assert_int_equal(sr_set(0, E_PMR, 0x80), 0);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(irq_line(0), 0);	/* masked: not below PMR */
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 1023);
	assert_int_equal(guest_rd(0, ICC_HPPIR1_EL1), 40);
	guest_wr(0, ICC_PMR_EL1, 0x88);
	assert_int_equal(irq_line(0), 1);
	/* group enable, distributor enable, interrupt enable */
	guest_wr(0, ICC_IGRPEN1_EL1, 0);
	assert_int_equal(irq_line(0), 0);
	guest_wr(0, ICC_IGRPEN1_EL1, 1);
	dwrite(0x0, 0);
	assert_int_equal(irq_line(0), 0);
	dwrite(0x0, 2);
	assert_int_equal(irq_line(0), 1);
	dwrite(0x184, 1 << 8);
	assert_int_equal(irq_line(0), 0);
}

static void test_preemption(void **state)
{
	open_cpu(0);
	spi(40, 0xa0);
	spi(41, 0x80);
	spi(42, 0xa8);
	dwrite(0xc08, 0x2a << 16);		/* 40..42 edge */
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 40);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xa0);
	/* lower priority does not preempt */
	assert_int_equal(device_set_irq(gic, 42, 1), 0);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 1023);
	/* higher priority does */
	assert_int_equal(device_set_irq(gic, 41, 1), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 41);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0x80);
	assert_int_equal(sr_get(0, E_AP1R0), 1 << 20 | 1 << 16);
	/* nested EOIs unwind the running priority */
	guest_wr(0, ICC_EOIR1_EL1, 41);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xa0);
	assert_int_equal(irq_line(0), 0);
	guest_wr(0, ICC_EOIR1_EL1, 40);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xff);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 42);
	guest_wr(0, ICC_EOIR1_EL1, 42);
}

static void test_binary_point(void **state)
{
	open_cpu(0);
	spi(40, 0xa0);
	spi(41, 0x10);
	spi(42, 0x88);
	dwrite(0xc08, 0x2a << 16);
	/* BPR1 = 7: group priority is bit 7 only */
	guest_wr(0, ICC_BPR1_EL1, 7);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 40);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0x80);
	/* 0x88 is in the same group priority (0x80): no preemption */
	assert_int_equal(device_set_irq(gic, 42, 1), 0);
	assert_int_equal(irq_line(0), 0);
	/* 0x10 is in group priority 0: preempts */
	assert_int_equal(device_set_irq(gic, 41, 1), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 41);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0x00);
	assert_int_equal(sr_get(0, E_AP1R0), 1 << 16 | 1 << 0);
	/* restored active priorities count for preemption too */
	guest_wr(0, ICC_EOIR1_EL1, 41);
	guest_wr(0, ICC_EOIR1_EL1, 40);
	assert_int_equal(irq_line(0), 1);		/* 42 now */
	assert_int_equal(sr_set(0, E_AP1R0, 1 << 0), 0);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0);
}

static void test_eoimode_split(void **state)
{
	open_cpu(0);
	spi(40, 0x80);
	dwrite(0xc08, 2 << 16);
	guest_wr(0, ICC_CTLR_EL1, 2);		/* EOImode */
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 40);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);	/* again */
	guest_wr(0, ICC_EOIR1_EL1, 40);
	/* priority dropped but still active: pending+active waits */
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xff);
	assert_int_equal(dread(0x304), 1 << 8);
	assert_int_equal(irq_line(0), 0);
	guest_wr(0, ICC_DIR_EL1, 40);
	assert_int_equal(dread(0x304), 0);
	assert_int_equal(irq_line(0), 1);
	/* a guest CTLR write cannot change PRIbits */
	guest_wr(0, ICC_CTLR_EL1, 0);
	assert_int_equal(guest_rd(0, ICC_CTLR_EL1), 4 << 8);
}

static void test_group0_fiq(void **state)
{
	open_cpu(0);
	spi(40, 0x80);
	dwrite(0x84, ~(1u << 8));		/* SPI 40 in Group 0 */
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(fiq_line(0), 0);	/* IGRPEN0 off */
	guest_wr(0, ICC_IGRPEN0_EL1, 1);
	assert_int_equal(fiq_line(0), 1);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(guest_rd(0, ICC_HPPIR1_EL1), 1023);
	assert_int_equal(guest_rd(0, ICC_HPPIR0_EL1), 40);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 1023);
	assert_int_equal(guest_rd(0, ICC_IAR0_EL1), 40);
	assert_int_equal(fiq_line(0), 0);
	assert_int_equal(sr_get(0, E_AP0R0), 1 << 16);
	/* EOIR1 cannot drop a Group 0 priority */
	guest_wr(0, ICC_EOIR1_EL1, 40);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0x80);
	guest_wr(0, ICC_BPR0_EL1, 3);
	assert_int_equal(guest_rd(0, ICC_BPR0_EL1), 3);
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	guest_wr(0, ICC_EOIR0_EL1, 40);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xff);
	assert_int_equal(dread(0x304), 0);
}

/* ---- SGIs and PPIs ------------------------------------------------------- */

static uint32_t sgi_pending(int cpu)
{
	return fake_mmio_read32(fh, cpu, REDIST + cpu * RD_SIZE + SGI_BASE +
					 0x200) & 0xffff;
}

static uint64_t sgi1r(uint32_t intid, uint32_t aff1, uint32_t rs,
		      uint32_t targets)
{
	return (uint64_t)rs << 44 | (uint64_t)intid << 24 | aff1 << 16 |
	       targets;
}

static void test_sgi_affinity(void **state)
{
	/* the attribute mpidr and GICR_TYPER follow the vCPUs' MPIDRs */
	assert_int_equal(fake_mmio_read64(fh, 0, REDIST + 3 * RD_SIZE + 8) >>
			 32, 0x112);
	assert_int_equal(sr_set(0x112, E_PMR, 0xf0), 0);
	assert_int_equal(sr_set(3, E_PMR, 0), -EINVAL);
	/* Aff1 = 0, bits 0 and 1: vCPUs 0 and 1 */
	guest_wr(0, ICC_SGI1R_EL1, sgi1r(5, 0, 0, 0x3));
	assert_int_equal(sgi_pending(0), 1 << 5);
	assert_int_equal(sgi_pending(1), 1 << 5);
	assert_int_equal(sgi_pending(2), 0);
	/* Aff1 = 1, bit 0: vCPU 2 only */
	assert_int_equal(gicv3_cpuif_send_sgi(gic, 1, sgi1r(6, 1, 0, 0x1)), 0);
	assert_int_equal(sgi_pending(2), 1 << 6);
	assert_int_equal(sgi_pending(3), 0);
	/* Aff1 = 1, RS = 1, bit 2: Aff0 = 0x12, vCPU 3 */
	guest_wr(0, ICC_SGI1R_EL1, sgi1r(7, 1, 1, 1 << 2));
	assert_int_equal(sgi_pending(3), 1 << 7);
	assert_int_equal(sgi_pending(2), 1 << 6);
	/* IRM: everyone but the sender */
	guest_wr(1, ICC_SGI1R_EL1, sgi1r(9, 0, 0, 0) | 1ULL << 40);
	assert_int_equal(sgi_pending(0), 1 << 5 | 1 << 9);
	assert_int_equal(sgi_pending(1), 1 << 5);
	assert_int_equal(sgi_pending(2), 1 << 6 | 1 << 9);
	assert_int_equal(sgi_pending(3), 1 << 7 | 1 << 9);
	/* delivered and acknowledged on the target */
	open_cpu(0x100);
	assert_int_equal(irq_line(2), 1);
	assert_int_equal(gicv3_cpuif_ack(gic, 2, 1), 6);
	assert_int_equal(gicv3_cpuif_eoi(gic, 2, 1, 6), 0);
	assert_int_equal(gicv3_cpuif_ack(gic, 2, 1), 9);
	assert_int_equal(gicv3_cpuif_eoi(gic, 2, 1, 9), 0);
	assert_int_equal(irq_line(2), 0);
}

static void test_sgi_groups(void **state)
{
	/* SGI 3 of vCPU 1 in Group 0 */
	fake_mmio_write32(fh, 1, REDIST + RD_SIZE + SGI_BASE + 0x80, ~8u);
	/* SGI0R and ASGI1R only raise Group 0 SGIs */
	guest_wr(0, ICC_SGI0R_EL1, sgi1r(2, 0, 0, 0x2));
	guest_wr(0, ICC_ASGI1R_EL1, sgi1r(4, 0, 0, 0x2));
	assert_int_equal(sgi_pending(1), 0);
	guest_wr(0, ICC_SGI0R_EL1, sgi1r(3, 0, 0, 0x2));
	assert_int_equal(sgi_pending(1), 1 << 3);
	/* SGI1R raises either, as KVM */
	guest_wr(0, ICC_SGI1R_EL1, sgi1r(2, 0, 0, 0x2));
	assert_int_equal(sgi_pending(1), 1 << 3 | 1 << 2);
	/* disabled SGIs stay pending but are not signalled */
	open_cpu(1);
	fake_mmio_write32(fh, 1, REDIST + RD_SIZE + SGI_BASE + 0x180, 1 << 2);
	assert_int_equal(irq_line(1), 0);
}

static void test_ppi(void **state)
{
	struct device other = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	open_cpu(1);
	fake_mmio_write32(fh, 1, REDIST + RD_SIZE + SGI_BASE + 0x100, 1 << 27);
	assert_int_equal(gicv3_set_ppi(gic, 1, 27, 1), 0);
	assert_int_equal(irq_line(1), 1);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(gicv3_cpuif_ack(gic, 1, 1), 27);
	assert_int_equal(gicv3_set_ppi(gic, 1, 27, 0), 0);
	assert_int_equal(gicv3_cpuif_eoi(gic, 1, 1, 27), 0);
	assert_int_equal(irq_line(1), 0);
	assert_int_equal(gicv3_set_ppi(gic, 4, 27, 1), -EINVAL);
	assert_int_equal(gicv3_set_ppi(gic, -1, 27, 1), -EINVAL);
	assert_int_equal(gicv3_set_ppi(gic, 0, 15, 1), -EINVAL);
	assert_int_equal(gicv3_set_ppi(gic, 0, 32, 1), -EINVAL);
	assert_int_equal(gicv3_set_ppi(&other, 0, 27, 1), -EINVAL);
	assert_int_equal(gicv3_set_ppi(NULL, 0, 27, 1), -EINVAL);
}

static void test_guest_sysreg_rules(void **state)
{
	uint64_t v = 0;

	/* wrong direction or no such register */
	assert_int_equal(gicv3_cpuif_sysreg(gic, 0, ICC_IAR1_EL1, &v, true),
			 -ENXIO);
	assert_int_equal(gicv3_cpuif_sysreg(gic, 0, ICC_EOIR1_EL1, &v, false),
			 -ENXIO);
	assert_int_equal(gicv3_cpuif_sysreg(gic, 0, ICC_SGI1R_EL1, &v, false),
			 -ENXIO);
	assert_int_equal(gicv3_cpuif_sysreg(gic, 0, 0xc231, &v, false),
			 -ENXIO);
	assert_int_equal(gicv3_cpuif_sysreg(gic, 4, ICC_PMR_EL1, &v, false),
			 -EINVAL);
	/* a guest may not switch SRE off (RAO/WI); AP0R1 is RAZ/WI */
	guest_wr(0, ICC_SRE_EL1, 0);
	assert_int_equal(guest_rd(0, ICC_SRE_EL1), 7);
	guest_wr(0, ICC_AP0R0_EL1 + 1, 0xffff);
	assert_int_equal(guest_rd(0, ICC_AP0R0_EL1 + 1), 0);
	assert_int_equal(gicv3_cpuif_deactivate(gic, 0, 8192), 0);
	assert_int_equal(gicv3_cpuif_ack(gic, 9, 1), 1023);
}

static void test_before_init(void **state)
{
	struct fake_host *h = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *d;
	uint64_t v = 0;

	assert_int_equal(gicv3_soft_model.create(&h->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3, &d),
			 0);
	assert_int_equal(gicv3_cpuif_sysreg(d, 0, ICC_PMR_EL1, &v, false),
			 -EBUSY);
	device_destroy(d);
	fake_host_free(h);
}

/* ---- MMIO window ------------------------------------------------------- */

static void test_window(void **state)
{
	struct device other = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };
	uint8_t b[8] = { 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(gicv3_cpuif_map_window(gic, WINDOW + 0x1000),
			 -EINVAL);
	assert_int_equal(gicv3_cpuif_map_window(&other, WINDOW), -EINVAL);
	assert_int_equal(gicv3_cpuif_map_window(gic, WINDOW), 0);
	assert_int_equal(gicv3_cpuif_map_window(gic, WINDOW), -EEXIST);
	/* per-vCPU state by the accessing CPU */
	dwrite(0x0, 2);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_PMR, 0xf0);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_IGRPEN1, 1);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_PMR),
			 0xf0);
	assert_int_equal(fake_mmio_read32(fh, 0, WINDOW + GICV3_WIN_PMR), 0);
	assert_int_equal(sr_get(1, E_PMR), 0xf0);
	/* SGI 1 from vCPU 0 to vCPU 1, 64-bit write */
	fake_mmio_write64(fh, 0, WINDOW + GICV3_WIN_SGI1R, sgi1r(1, 0, 0, 2));
	assert_int_equal(irq_line(1), 1);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_HPPIR1),
			 1);
	assert_int_equal(fake_mmio_read64(fh, 1, WINDOW + GICV3_WIN_IAR1), 1);
	assert_int_equal(irq_line(1), 0);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_RPR), 0);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_EOIR1, 1);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_RPR),
			 0xff);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_IAR1),
			 1023);
	/* the other slots reach their registers */
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_BPR1, 5);
	assert_int_equal(sr_get(1, E_BPR1), 5);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_BPR0, 4);
	assert_int_equal(sr_get(1, E_BPR0), 4);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_CTLR, 2);
	assert_int_equal(sr_get(1, E_CTLR), 4 << 8 | 2);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_IGRPEN0, 1);
	assert_int_equal(sr_get(1, E_IGRPEN0), 1);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_AP1R0, 4);
	assert_int_equal(sr_get(1, E_AP1R0), 4);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_AP1R0), 4);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_AP0R0, 8);
	assert_int_equal(sr_get(1, E_AP0R0), 8);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_SRE), 7);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_HPPIR0),
			 1023);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_IAR0),
			 1023);
	fake_mmio_write64(fh, 0, WINDOW + GICV3_WIN_SGI0R, sgi1r(1, 0, 0, 2));
	fake_mmio_write64(fh, 0, WINDOW + GICV3_WIN_ASGI1R, sgi1r(1, 0, 0, 2));
	assert_int_equal(sgi_pending(1), 0);	/* SGI 1 is Group 1 */
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_EOIR0, 1);
	fake_mmio_write32(fh, 1, WINDOW + GICV3_WIN_DIR, 1);
	/* RAZ/WI: write-only slot read, odd sizes, gaps, no vCPU */
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_EOIR1), 0);
	assert_int_equal(fake_mmio_access(fh, 1, WINDOW + GICV3_WIN_PMR, b, 2,
					  false), 0);
	assert_int_equal(b[0] | b[1], 0);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + GICV3_WIN_PMR + 4),
			 0);
	assert_int_equal(fake_mmio_read32(fh, 1, WINDOW + 0x100), 0);
	assert_int_equal(fake_mmio_read32(fh, -1, WINDOW + GICV3_WIN_PMR), 0);
	assert_int_equal(fake_mmio_read32(fh, 7, WINDOW + GICV3_WIN_PMR), 0);
	fake_mmio_write32(fh, -1, WINDOW + GICV3_WIN_PMR, 0);
	assert_int_equal(sr_get(1, E_PMR), 0xf0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_sysreg_encodings),
		T(test_sysreg_errors),
		T(test_ack_eoi_level),
		T(test_pmr_and_enables),
		T(test_preemption),
		T(test_binary_point),
		T(test_eoimode_split),
		T(test_group0_fiq),
		cmocka_unit_test_setup_teardown(test_sgi_affinity,
						setup_affinity, teardown),
		T(test_sgi_groups),
		T(test_ppi),
		T(test_guest_sysreg_rules),
		cmocka_unit_test(test_before_init),
		T(test_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
