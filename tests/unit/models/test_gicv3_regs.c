// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv3: distributor and redistributor registers through guest
 * MMIO and through DIST_REGS / REDIST_REGS, with the attribute quirks
 * of the doc (ISPENDR latch, ICPENDR RAZ/WI, STATUSR, IIDR), routing,
 * and LEVEL_INFO.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "kvmkit/abi/arm.h"
#include "kvmkit/models.h"
#include "gic/gicv3.h"

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x10000ULL
#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define RD_SIZE		0x20000ULL
#define SGI_BASE	0x10000ULL
#define NCPUS		4

#define GRP_DIST	KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_REDIST	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_LEVEL	KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define MPIDR(aff)	((uint64_t)(aff) << 32)

static struct fake_host *fh;
static struct device *gic;
static struct device its_dummy = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };

static int set64(uint32_t group, uint64_t attr, uint64_t v)
{
	return device_set(gic, group, attr, &v);
}

static int setup(void **state)
{
	uint32_t nr = 128;

	fh = fake_host_new(RAM_BASE, RAM_SIZE, NCPUS);
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

static int teardown(void **state)
{
	device_destroy(gic);
	fake_host_free(fh);
	return 0;
}

static uint32_t dget(uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(device_get(gic, GRP_DIST, off, &v), 0);
	return v;
}

static int dset(uint32_t off, uint32_t v)
{
	return device_set(gic, GRP_DIST, off, &v);
}

static uint32_t rget(int cpu, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(device_get(gic, GRP_REDIST, MPIDR(cpu) | off, &v), 0);
	return v;
}

static int rset(int cpu, uint32_t off, uint32_t v)
{
	return device_set(gic, GRP_REDIST, MPIDR(cpu) | off, &v);
}

static uint32_t dread(uint32_t off)
{
	return fake_mmio_read32(fh, 0, DIST + off);
}

static void dwrite(uint32_t off, uint32_t v)
{
	fake_mmio_write32(fh, 0, DIST + off, v);
}

static uint64_t rd(int cpu)
{
	return REDIST + cpu * RD_SIZE;
}

static void sysreg_set(int cpu, uint32_t instr, uint64_t v)
{
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
				    MPIDR(cpu) | instr, &v), 0);
}

/* Distributor on, CPU interface of @cpu open to every priority. */
static void open_cpu(int cpu)
{
	dwrite(0x0, 2);
	sysreg_set(cpu, ICC_PMR_EL1, 0xff);
	sysreg_set(cpu, ICC_IGRPEN1_EL1, 1);
}

static int irq_line(int cpu)
{
	return fh->lines[cpu][CPU_LINE_IRQ];
}

static void test_gicd_ctlr_typer(void **state)
{
	/* ARE and DS always set; EnableGrp0 RAZ/WI; EnableGrp1 sticks */
	assert_int_equal(dread(0x0), 0x50);
	dwrite(0x0, 3);
	assert_int_equal(dread(0x0), 0x52);
	assert_int_equal(dset(0x0, 0), 0);
	assert_int_equal(dget(0x0), 0x50);
	/* 128 interrupts, 10 ID bits, no LPIs without an ITS */
	assert_int_equal(dread(0x4), 3 | 9 << 19);
	fake_host_add_device(fh, &its_dummy);
	assert_int_equal(dget(0x4), 3 | 15 << 19 | 1 << 17);
	/* writes to TYPER are ignored */
	assert_int_equal(dset(0x4, 0), 0);
	assert_int_equal(dget(0x4), 3 | 15 << 19 | 1 << 17);
	/* TYPER2 reads 0; only 0 may be written back */
	assert_int_equal(dget(0xc), 0);
	assert_int_equal(dset(0xc, 0), 0);
	assert_int_equal(dset(0xc, 1), -EINVAL);
	/* the ID registers */
	assert_int_equal(dget(0xffe8), 0x3b);
	assert_int_equal(dget(0xffd0), 0);
}

static void test_iidr_revision(void **state)
{
	uint32_t iidr = dget(0x8);

	assert_int_equal(iidr, 0x4b << 24 | 3 << 12 | 0x43b);
	assert_int_equal(dread(0x8), iidr);
	/* the read value writes back */
	assert_int_equal(dset(0x8, iidr), 0);
	/* rev 3: GICR_CTLR shows IR and CES */
	assert_int_equal(rget(0, 0x0), 0x6);
	/* revision 2 is still emulated */
	assert_int_equal(dset(0x8, (iidr & ~0xf000u) | 2 << 12), 0);
	assert_int_equal(dget(0x8), (iidr & ~0xf000u) | 2 << 12);
	assert_int_equal(rget(0, 0x0), 0);
	/* unknown revisions, other fields changed */
	assert_int_equal(dset(0x8, (iidr & ~0xf000u) | 1 << 12), -EINVAL);
	assert_int_equal(dset(0x8, (iidr & ~0xf000u) | 4 << 12), -EINVAL);
	assert_int_equal(dset(0x8, iidr ^ 1), -EINVAL);
	assert_int_equal(dset(0x8, iidr ^ 1 << 24), -EINVAL);
	assert_int_equal(dget(0x8), (iidr & ~0xf000u) | 2 << 12);
	/* a guest write is ignored */
	dwrite(0x8, iidr);
	assert_int_equal(dget(0x8), (iidr & ~0xf000u) | 2 << 12);
	/* GICR_IIDR: product and implementer, no revision */
	assert_int_equal(rget(1, 0x4), 0x4b << 24 | 0x43b);
}

static void test_statusr(void **state)
{
	/* the attribute sets the non-reserved bits ... */
	assert_int_equal(dset(0x10, 0xffffffff), 0);
	assert_int_equal(dget(0x10), 0xf);
	assert_int_equal(dread(0x10), 0xf);
	assert_int_equal(dset(0x10, 0x5), 0);
	assert_int_equal(dget(0x10), 0x5);
	/* ... a guest write clears the bits it sets */
	dwrite(0x10, 0x1);
	assert_int_equal(dget(0x10), 0x4);
	assert_int_equal(rset(2, 0x10, 0xa), 0);
	assert_int_equal(rget(2, 0x10), 0xa);
	assert_int_equal(rget(1, 0x10), 0);
	fake_mmio_write32(fh, 2, rd(2) + 0x10, 0x8);
	assert_int_equal(fake_mmio_read32(fh, 2, rd(2) + 0x10), 0x2);
}

static void test_dist_private_raz_wi(void **state)
{
	/* SGI/PPI slices of distributor registers are RAZ/WI */
	assert_int_equal(dget(0x100), 0);
	assert_int_equal(dread(0x100), 0);
	dwrite(0x180, 0xffffffff);
	assert_int_equal(dset(0x180, 0xffff), 0);
	assert_int_equal(rget(0, SGI_BASE + 0x100), 0xffff);
	assert_int_equal(dset(0x400, 0xffffffff), 0);
	assert_int_equal(rget(0, SGI_BASE + 0x400), 0);
	assert_int_equal(dget(0x6000), 0);
}

static void test_enable_group_priority(void **state)
{
	/* SPI 40: word 1, bit 8 */
	assert_int_equal(dget(0x104), 0);
	dwrite(0x104, 1 << 8);
	assert_int_equal(dget(0x104), 1 << 8);
	assert_int_equal(dread(0x184), 1 << 8);
	assert_int_equal(dset(0x104, 1 << 9), 0);	/* set-only */
	assert_int_equal(dread(0x104), 3 << 8);
	assert_int_equal(dset(0x184, 1 << 8), 0);	/* clear-only */
	assert_int_equal(dget(0x104), 1 << 9);
	/* groups: all Group 1 at reset, writable */
	assert_int_equal(dget(0x84), 0xffffffff);
	dwrite(0x84, 0xfffffeff);
	assert_int_equal(dget(0x84), 0xfffffeff);
	/* priorities: byte access, 5 bits kept */
	fake_mmio_access(fh, 0, DIST + 0x400 + 40, (uint8_t[1]){ 0xff }, 1,
			 true);
	assert_int_equal(dread(0x400 + 40), 0xf8);
	assert_int_equal(dset(0x400 + 44, 0x11223344), 0);
	assert_int_equal(dget(0x400 + 44), 0x10203040);
	/* beyond NR_IRQS (128): RAZ/WI for the guest */
	dwrite(0x110, 0xffffffff);
	assert_int_equal(dread(0x110), 0);
}

static void test_pending_latch_level(void **state)
{
	/* SPIs are edge at reset, as in KVM: make SPI 40 level */
	assert_int_equal(dget(0xc08), 0xaaaaaaaa);
	dwrite(0xc08, 0);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(dread(0x204) >> 8 & 1, 1);	/* guest: line */
	assert_int_equal(dget(0x204) >> 8 & 1, 0);	/* attr: latch */
	assert_int_equal(dget(0x284), 0);		/* ICPENDR: RAZ */
	/* a guest ISPENDR write latches */
	dwrite(0x204, 1 << 8);
	assert_int_equal(dget(0x204) >> 8 & 1, 1);
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	assert_int_equal(dread(0x204) >> 8 & 1, 1);	/* still latched */
	/* ICPENDR through the attribute interface is ignored */
	assert_int_equal(dset(0x284, 1 << 8), 0);
	assert_int_equal(dget(0x204) >> 8 & 1, 1);
	/* a guest ICPENDR clears the latch only */
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	dwrite(0x284, 1 << 8);
	assert_int_equal(dget(0x204) >> 8 & 1, 0);
	assert_int_equal(dread(0x284) >> 8 & 1, 1);	/* line still high */
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	assert_int_equal(dread(0x204) >> 8 & 1, 0);
	/* the attribute ISPENDR sets and clears the latch */
	assert_int_equal(dset(0x204, 1 << 8 | 1 << 9), 0);
	assert_int_equal(dread(0x204), 3 << 8);
	assert_int_equal(dset(0x204, 1 << 9), 0);
	assert_int_equal(dread(0x204), 1 << 9);
}

static void test_pending_latch_edge(void **state)
{
	dwrite(0xc08, 2 << 16);		/* SPI 40 edge */
	assert_int_equal(dget(0xc08), 2 << 16);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	/* the edge is latched: both views agree */
	assert_int_equal(dread(0x204) >> 8 & 1, 1);
	assert_int_equal(dget(0x204) >> 8 & 1, 1);
	/* an edge line is not a level: LEVEL_INFO reports nothing */
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	{
		uint32_t v = 0;

		assert_int_equal(device_get(gic, GRP_LEVEL, 32, &v), 0);
		assert_int_equal(v, 0);
	}
	dwrite(0x284, 1 << 8);
	assert_int_equal(dread(0x204) >> 8 & 1, 0);
}

static void test_activation_clears_latch(void **state)
{
	open_cpu(0);
	dwrite(0xc08, 0);			/* SPI 40 level */
	dwrite(0x104, 1 << 8);			/* enable SPI 40 */
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	dwrite(0x204, 1 << 8);			/* and latch it */
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(gicv3_cpuif_ack(gic, 0, 1), 40);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(dget(0x304) >> 8 & 1, 1);	/* active */
	assert_int_equal(dget(0x204) >> 8 & 1, 0);	/* latch gone */
	assert_int_equal(dread(0x204) >> 8 & 1, 1);	/* line holds it */
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	assert_int_equal(dread(0x204) >> 8 & 1, 0);
	assert_int_equal(gicv3_cpuif_eoi(gic, 0, 1, 40), 0);
	assert_int_equal(dget(0x304) >> 8 & 1, 0);
}

static void test_active_regs(void **state)
{
	assert_int_equal(dset(0x304, 1 << 2), 0);
	dwrite(0x304, 1 << 3);
	assert_int_equal(dget(0x304), 3 << 2);
	assert_int_equal(dread(0x384), 3 << 2);
	assert_int_equal(dset(0x384, 1 << 2), 0);
	assert_int_equal(dget(0x304), 1 << 3);
	dwrite(0x384, 1 << 3);
	assert_int_equal(dread(0x304), 0);
	/* SGI/PPI active state lives in the redistributor */
	assert_int_equal(rset(1, SGI_BASE + 0x300, 0x10001), 0);
	assert_int_equal(rget(1, SGI_BASE + 0x380), 0x10001);
	assert_int_equal(rget(0, SGI_BASE + 0x300), 0);
	fake_mmio_write32(fh, 1, rd(1) + SGI_BASE + 0x380, 1);
	assert_int_equal(rget(1, SGI_BASE + 0x300), 0x10000);
}

static void test_icfgr(void **state)
{
	/* SGIs edge, PPIs level, both read-only */
	assert_int_equal(rget(0, SGI_BASE + 0xc00), 0xaaaaaaaa);
	assert_int_equal(rget(0, SGI_BASE + 0xc04), 0);
	assert_int_equal(rset(0, SGI_BASE + 0xc00, 0), 0);
	fake_mmio_write32(fh, 0, rd(0) + SGI_BASE + 0xc04, 0xffffffff);
	assert_int_equal(rget(0, SGI_BASE + 0xc00), 0xaaaaaaaa);
	assert_int_equal(rget(0, SGI_BASE + 0xc04), 0);
	/* SPIs: edge at reset (KVM's), the odd bit of each pair selects edge */
	assert_int_equal(dget(0xc08), 0xaaaaaaaa);
	assert_int_equal(dset(0xc08, 0), 0);
	assert_int_equal(dget(0xc08), 0);
	assert_int_equal(dset(0xc08, 0xffffffff), 0);
	assert_int_equal(dget(0xc08), 0xaaaaaaaa);
	assert_int_equal(dget(0xc00), 0);	/* RAZ in the distributor */
}

static void test_irouter(void **state)
{
	uint64_t r = DIST + 0x6000 + 8 * 40;

	assert_int_equal(fake_mmio_read64(fh, 0, r), 0);
	/* Aff2.Aff1.Aff0 stick; Aff3 and IRM are RAZ/WI */
	fake_mmio_write64(fh, 0, r, 0xff000000ff030201ULL | 1ULL << 31);
	assert_int_equal(fake_mmio_read64(fh, 0, r), 0x030201);
	assert_int_equal(dget(0x6000 + 8 * 40), 0x030201);
	assert_int_equal(dget(0x6000 + 8 * 40 + 4), 0);
	assert_int_equal(dset(0x6000 + 8 * 40 + 4, 0xff), 0);
	assert_int_equal(dset(0x6000 + 8 * 40, 0x1), 0);
	assert_int_equal(fake_mmio_read64(fh, 0, r), 0x1);
	/* delivered to the vCPU it names */
	open_cpu(0);
	open_cpu(1);
	dwrite(0x104, 1 << 8);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(irq_line(1), 1);
	/* to no vCPU: pending but delivered nowhere */
	fake_mmio_write32(fh, 0, r, 0x7);
	assert_int_equal(irq_line(1), 0);
	assert_int_equal(dread(0x204) >> 8 & 1, 1);
	fake_mmio_write32(fh, 0, r, 0x2);
	assert_int_equal(irq_line(2), 0);	/* CPU 2 closed */
	open_cpu(2);
	assert_int_equal(irq_line(2), 1);
	/* the private part reads as zero */
	assert_int_equal(fake_mmio_read64(fh, 0, DIST + 0x6000), 0);
}

static void test_level_info(void **state)
{
	uint32_t v;

	/* vINTID must be a multiple of 32, info must be LINE_LEVEL */
	assert_int_equal(device_get(gic, GRP_LEVEL, 33, &v), -EINVAL);
	assert_int_equal(device_set(gic, GRP_LEVEL, 16, &v), -EINVAL);
	assert_int_equal(device_get(gic, GRP_LEVEL, 1 << 10 | 32, &v),
			 -EINVAL);
	/* SGIs RAZ/WI, PPIs per vCPU */
	v = 0xffffffff;
	assert_int_equal(device_set(gic, GRP_LEVEL, MPIDR(1) | 0, &v), 0);
	assert_int_equal(device_get(gic, GRP_LEVEL, MPIDR(1) | 0, &v), 0);
	assert_int_equal(v, 0xffff0000);
	assert_int_equal(device_get(gic, GRP_LEVEL, MPIDR(0) | 0, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(gicv3_set_ppi(gic, 0, 27, 1), 0);
	assert_int_equal(device_get(gic, GRP_LEVEL, MPIDR(0) | 0, &v), 0);
	assert_int_equal(v, 1 << 27);
	/* SPIs (made level): the same whatever the mpidr */
	dwrite(0xc18, 0);
	dwrite(0xc1c, 0);
	v = 0x80000001;
	assert_int_equal(device_set(gic, GRP_LEVEL, MPIDR(2) | 96, &v), 0);
	assert_int_equal(device_get(gic, GRP_LEVEL, MPIDR(3) | 96, &v), 0);
	assert_int_equal(v, 0x80000001);
	/* the line shows through ISPENDR, not the latch */
	assert_int_equal(dread(0x20c), 0x80000001);
	assert_int_equal(dget(0x20c), 0);
	/* beyond NR_IRQS: RAZ/WI */
	v = 0xffffffff;
	assert_int_equal(device_set(gic, GRP_LEVEL, 128, &v), 0);
	assert_int_equal(device_get(gic, GRP_LEVEL, 128, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(device_get(gic, GRP_LEVEL, 992, &v), 0);
	assert_int_equal(v, 0);
	/* set_irq moves the same line */
	assert_int_equal(device_set_irq(gic, 96, 0), 0);
	assert_int_equal(device_get(gic, GRP_LEVEL, 96, &v), 0);
	assert_int_equal(v, 0x80000000);
}

static void test_gicr_typer_waker(void **state)
{
	for (int i = 0; i < NCPUS; i++) {
		uint64_t t = fake_mmio_read64(fh, i, rd(i) + 0x8);

		/* affinity, processor number, Last; no LPIs without ITS */
		assert_int_equal(t >> 32, i);
		assert_int_equal(t >> 8 & 0xffff, i);
		assert_int_equal(t >> 4 & 1, i == NCPUS - 1);
		assert_int_equal(t & 1, 0);
		assert_int_equal(rget(i, 0x8), (uint32_t)t);
		assert_int_equal(rget(i, 0xc), i);
	}
	assert_int_equal(rset(1, 0x8, 0), 0);	/* ignored */
	assert_int_equal(rget(1, 0x8), 1 << 8);
	fake_host_add_device(fh, &its_dummy);
	assert_int_equal(rget(1, 0x8), 1 << 8 | 1);
	/* WAKER: ChildrenAsleep follows ProcessorSleep */
	assert_int_equal(rget(0, 0x14), 0);
	fake_mmio_write32(fh, 0, rd(0) + 0x14, 2);
	assert_int_equal(fake_mmio_read32(fh, 0, rd(0) + 0x14), 6);
	assert_int_equal(rset(0, 0x14, 0), 0);
	assert_int_equal(rget(0, 0x14), 0);
	assert_int_equal(rget(0, 0xc0), 0);	/* SYNCR: never busy */
	assert_int_equal(rget(0, 0xffe8), 0x3b);
}

static void test_redist_sgi_frame(void **state)
{
	/* SGIs enabled at reset, banked per vCPU */
	assert_int_equal(rget(2, SGI_BASE + 0x100), 0xffff);
	fake_mmio_write32(fh, 2, rd(2) + SGI_BASE + 0x180, 0x1);
	assert_int_equal(rget(2, SGI_BASE + 0x100), 0xfffe);
	assert_int_equal(rget(3, SGI_BASE + 0x100), 0xffff);
	assert_int_equal(rset(3, SGI_BASE + 0x100, 1 << 20), 0);
	assert_int_equal(rget(3, SGI_BASE + 0x180), 0x10ffff);
	/* group, priority */
	assert_int_equal(rget(3, SGI_BASE + 0x80), 0xffffffff);
	assert_int_equal(rset(3, SGI_BASE + 0x80, 0x7fffffff), 0);
	assert_int_equal(rget(3, SGI_BASE + 0x80), 0x7fffffff);
	fake_mmio_access(fh, 3, rd(3) + SGI_BASE + 0x400 + 27,
			 (uint8_t[1]){ 0xa7 }, 1, true);
	assert_int_equal(rget(3, SGI_BASE + 0x418), 0xa0000000);
	/* ISPENDR0 latch, ICPENDR0 RAZ/WI through attributes */
	assert_int_equal(gicv3_set_ppi(gic, 3, 20, 1), 0);
	assert_int_equal(fake_mmio_read32(fh, 3, rd(3) + SGI_BASE + 0x200),
			 1 << 20);
	assert_int_equal(rget(3, SGI_BASE + 0x200), 0);
	assert_int_equal(rset(3, SGI_BASE + 0x200, 1 << 5), 0);
	assert_int_equal(rget(3, SGI_BASE + 0x200), 1 << 5);
	assert_int_equal(rget(3, SGI_BASE + 0x280), 0);
	assert_int_equal(rset(3, SGI_BASE + 0x280, 0xffffffff), 0);
	assert_int_equal(rget(3, SGI_BASE + 0x200), 1 << 5);
	fake_mmio_write32(fh, 3, rd(3) + SGI_BASE + 0x280, 1 << 5);
	assert_int_equal(rget(3, SGI_BASE + 0x200), 0);
	/* IGRPMODR0 and NSACR: RAZ/WI */
	assert_int_equal(rset(3, SGI_BASE + 0xd00, 0xffffffff), 0);
	assert_int_equal(rget(3, SGI_BASE + 0xd00), 0);
	assert_int_equal(rget(3, SGI_BASE + 0xe00), 0);
}

static void test_mmio_access_sizes(void **state)
{
	uint8_t b[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	/* 16-bit and misaligned accesses: RAZ/WI */
	assert_int_equal(fake_mmio_access(fh, 0, DIST + 0x0, b, 2, true), 0);
	assert_int_equal(dread(0x0), 0x50);
	assert_int_equal(fake_mmio_access(fh, 0, DIST + 0x2, b, 4, false), 0);
	assert_int_equal(b[0] | b[1] | b[2] | b[3], 0);
	/* a 64-bit access to a 32-bit register */
	memset(b, 0xff, sizeof(b));
	assert_int_equal(fake_mmio_access(fh, 0, DIST + 0x100, b, 8, true), 0);
	assert_int_equal(dread(0x104), 0);
	assert_int_equal(fake_mmio_access(fh, 0, DIST + 0x8, b, 8, false), 0);
	assert_int_equal(b[0] | b[7], 0);
	/* nothing at an unknown offset */
	dwrite(0x20, 0xffffffff);
	assert_int_equal(dread(0x20), 0);
	assert_int_equal(fake_mmio_read32(fh, 0, rd(0) + 0x40), 0);
	/* 64-bit GICR_TYPER at once */
	assert_int_equal(fake_mmio_read64(fh, 0, rd(1) + 0x8), 1ULL << 32 |
			 1 << 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_gicd_ctlr_typer),
		T(test_iidr_revision),
		T(test_statusr),
		T(test_dist_private_raz_wi),
		T(test_enable_group_priority),
		T(test_pending_latch_level),
		T(test_pending_latch_edge),
		T(test_activation_clears_latch),
		T(test_active_regs),
		T(test_icfgr),
		T(test_irouter),
		T(test_level_info),
		T(test_gicr_typer_waker),
		T(test_redist_sgi_frame),
		T(test_mmio_access_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
