// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv2, distributor side as the guest sees it: interrupt
 * inputs, level vs edge, SGI generation and its target filters, 1-N
 * SPIs, banked private registers, read-only fields, and hostile
 * accesses (bad sizes, offsets, vCPUs, INTIDs).
 */
#include "test_gicv2_helpers.h"

#define IRQ CPU_LINE_IRQ
#define FIQ CPU_LINE_FIQ

static void test_spi_flow(void **state)
{
	struct gt *t = gt_ready(2, 64);

	gt_cpu_on(t, 0);
	gt_cpu_on(t, 1);
	gt_spi(t, 40, 0x80, 0x2);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_SPI(40), 1), 0);
	assert_int_equal(gt_line(t, 1, IRQ), 1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gt_line(t, 1, FIQ), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 1u << 8);
	assert_int_equal(gc_read(t, 1, GICC_HPPIR), 40);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 1023);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);

	assert_int_equal(gc_read(t, 1, GICC_IAR), 40);
	assert_int_equal(gt_line(t, 1, IRQ), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 1u << 8);
	assert_int_equal(gc_read(t, 1, GICC_RPR), 0x80);
	assert_int_equal(gc_read(t, 1, GICC_IAR), 1023);
	gc_write(t, 1, GICC_EOIR, 40);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	assert_int_equal(gc_read(t, 1, GICC_RPR), 0xff);
	gt_free(t);
}

static void test_level_vs_edge(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gt_cpu_on(t, 0);
	gt_spi(t, 33, 0x10, 1);
	gt_spi(t, 34, 0x20, 1);
	gd_write(t, 0, GICD_ICFGR + 8, 0x2u << 4);	/* 33 level, 34 edge */
	assert_int_equal(gd_read(t, 0, GICD_ICFGR + 8), 0x2u << 4);

	/* Level: pending follows the line; EOI with the line high re-fires. */
	device_set_irq(t->dev, 33, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 33);
	/* Active and pending: not presented again. */
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0x2);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0x2);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gc_write(t, 0, GICC_EOIR, 33);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 33);
	device_set_irq(t->dev, 33, 0);
	gc_write(t, 0, GICC_EOIR, 33);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0);
	/* ICPENDR cannot clear a level interrupt whose line is high. */
	device_set_irq(t->dev, 33, 1);
	gd_write(t, 0, GICD_ICPENDR + 4, 0x2);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0x2);
	device_set_irq(t->dev, 33, 0);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0);
	/* ... but ISPENDR latches it. */
	gd_write(t, 0, GICD_ISPENDR + 4, 0x2);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 33);
	gc_write(t, 0, GICC_EOIR, 33);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0);

	/* Edge: the rising edge latches; holding the line does nothing. */
	device_set_irq(t->dev, 34, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 34);
	gc_write(t, 0, GICC_EOIR, 34);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	device_set_irq(t->dev, 34, 1);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0);
	device_set_irq(t->dev, 34, 0);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0);
	device_set_irq(t->dev, 34, 1);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0x4);
	/* An edge that arrives while active stays pending for later. */
	assert_int_equal(gc_read(t, 0, GICC_IAR), 34);
	device_set_irq(t->dev, 34, 0);
	device_set_irq(t->dev, 34, 1);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR + 4), 0x4);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gc_write(t, 0, GICC_EOIR, 34);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	gd_write(t, 0, GICD_ICPENDR + 4, 0x4);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gt_free(t);
}

static void test_ppi(void **state)
{
	struct gt *t = gt_ready(2, 64);

	gt_cpu_on(t, 0);
	gt_cpu_on(t, 1);
	/* PPI 27 on vCPU 1 only; the enable is banked. */
	gd_write(t, 1, GICD_ISENABLER, 1u << 27);
	assert_int_equal(gd_read(t, 0, GICD_ISENABLER), 0xffff);
	assert_int_equal(gicv2_set_ppi(t->dev, 1, 27, 1), 0);
	assert_int_equal(gt_line(t, 1, IRQ), 1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 1u << 27);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR), 0);
	/* Level-sensitive: dropping the line removes it. */
	assert_int_equal(gicv2_set_ppi(t->dev, 1, 27, 0), 0);
	assert_int_equal(gt_line(t, 1, IRQ), 0);
	/* Disabled on vCPU 0: pending but not signalled. */
	assert_int_equal(gicv2_set_ppi(t->dev, 0, 27, 1), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISPENDR), 1u << 27);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gd_write(t, 0, GICD_ISENABLER, 1u << 27);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* The raw KVM_IRQ_LINE encoding works as well. */
	assert_int_equal(device_set_irq(t->dev, 2u << 24 | 1u << 16 | 27, 1),
			 0);
	assert_int_equal(gt_line(t, 1, IRQ), 1);
	gt_free(t);
}

static void test_set_irq_errors(void **state)
{
	struct gt *t = gt_new(2);

	assert_int_equal(gt_set(t, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 64), 0);
	/* Injection builds the state, as KVM's lazy init. */
	assert_int_equal(device_set_irq(t->dev, 63, 1), 0);
	assert_true(t->gic->ready);
	assert_int_equal(device_set_irq(t->dev, 64, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, 31, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, 0, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_SPI(64), 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_SPI(16), 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_SPI(63), 0), 0);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_PPI(2, 20), 1),
			 -EINVAL);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_PPI(256, 20), 1),
			 -EINVAL);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_PPI(0, 15), 1),
			 -EINVAL);
	assert_int_equal(device_set_irq(t->dev, GICV2_IRQ_PPI(0, 32), 1),
			 -EINVAL);
	assert_int_equal(gicv2_set_ppi(t->dev, -1, 20, 1), -EINVAL);
	assert_int_equal(gicv2_set_ppi(t->dev, 0, 40, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, 3u << 24 | 40, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, 1u << 16 | 40, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, 0xffffffff, 1), -EINVAL);
	gt_free(t);

	/* No vCPU: nothing to build the GIC for. */
	t = gt_new(0);
	assert_int_equal(device_set_irq(t->dev, 40, 1), -ENODEV);
	gt_free(t);
}

static void test_sgi_filters(void **state)
{
	struct gt *t = gt_ready(4, 64);

	for (int c = 0; c < 4; c++)
		gt_cpu_on(t, c);
	/* Filter 0: the target list (masked to existing vCPUs). */
	gd_write(t, 0, GICD_SGIR, 0u << 24 | 0xf6u << 16 | 5);
	for (int c = 0; c < 4; c++) {
		uint32_t want = (c == 1 || c == 2) ? 1u << 8 : 0;

		assert_int_equal(gd_read(t, c, GICD_SPENDSGIR + 4), want);
		assert_int_equal(gt_line(t, c, IRQ), want ? 1 : 0);
	}
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 1u << 5);
	assert_int_equal(gc_read(t, 2, GICC_HPPIR), 5);
	assert_int_equal(gc_read(t, 2, GICC_IAR), 5);
	gc_write(t, 2, GICC_EOIR, 5);
	assert_int_equal(gd_read(t, 2, GICD_SPENDSGIR + 4), 0);

	/* Filter 1: everyone but the requester. */
	gd_write(t, 3, GICD_SGIR, 1u << 24 | 0x01u << 16 | 9);
	for (int c = 0; c < 4; c++)
		assert_int_equal(gd_read8(t, c, GICD_SPENDSGIR + 9),
				 c == 3 ? 0 : 1u << 3);
	/* Filter 2: the requester only. */
	gd_write(t, 2, GICD_SGIR, 2u << 24 | 0xffu << 16 | 14);
	for (int c = 0; c < 4; c++)
		assert_int_equal(gd_read8(t, c, GICD_SPENDSGIR + 14),
				 c == 2 ? 1u << 2 : 0);
	/* Filter 3: reserved, nothing happens. */
	gd_write(t, 0, GICD_SGIR, 3u << 24 | 0xffu << 16 | 1);
	for (int c = 0; c < 4; c++)
		assert_int_equal(gd_read8(t, c, GICD_SPENDSGIR + 1), 0);
	/* SGIR reads as zero. */
	assert_int_equal(gd_read(t, 0, GICD_SGIR), 0);
	gt_free(t);
}

static void test_sgi_sources(void **state)
{
	struct gt *t = gt_ready(3, 64);

	gt_cpu_on(t, 1);
	/* SGI 3 to vCPU 1 from vCPUs 2 and 0: one instance per source. */
	gd_write(t, 2, GICD_SGIR, 0x02u << 16 | 3);
	gd_write(t, 0, GICD_SGIR, 0x02u << 16 | 3);
	assert_int_equal(gd_read(t, 1, GICD_CPENDSGIR), 0x05u << 24);
	assert_int_equal(gc_read(t, 1, GICC_IAR), 3 | 0 << 10);
	assert_int_equal(gd_read(t, 1, GICD_SPENDSGIR), 0x04u << 24);
	gc_write(t, 1, GICC_EOIR, 3 | 0 << 10);
	assert_int_equal(gc_read(t, 1, GICC_HPPIR), 3 | 2 << 10);
	assert_int_equal(gc_read(t, 1, GICC_IAR), 3 | 2 << 10);
	gc_write(t, 1, GICC_EOIR, 3 | 2 << 10);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 0);
	assert_int_equal(gt_line(t, 1, IRQ), 0);

	/* SPENDSGIR/CPENDSGIR set and clear sources, byte or word wide. */
	gd_write8(t, 1, GICD_SPENDSGIR + 7, 0x06);
	assert_int_equal(gd_read(t, 1, GICD_SPENDSGIR + 4), 0x06u << 24);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 1u << 7);
	assert_int_equal(gt_line(t, 1, IRQ), 1);
	assert_int_equal(gc_read(t, 1, GICC_HPPIR), 7 | 1 << 10);
	gd_write(t, 1, GICD_CPENDSGIR + 4, 0x02u << 24);
	assert_int_equal(gd_read8(t, 1, GICD_CPENDSGIR + 7), 0x04);
	gd_write8(t, 1, GICD_CPENDSGIR + 7, 0xff);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 0);
	assert_int_equal(gt_line(t, 1, IRQ), 0);
	/* Guest ISPENDR0/ICPENDR0 SGI bits are WI. */
	gd_write(t, 1, GICD_ISPENDR, 0xffff);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 0);
	gt_free(t);
}

static void test_spi_one_of_n(void **state)
{
	struct gt *t = gt_ready(2, 64);

	gt_cpu_on(t, 0);
	gt_cpu_on(t, 1);
	gt_spi(t, 50, 0x40, 0x3);
	device_set_irq(t->dev, 50, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gt_line(t, 1, IRQ), 1);
	/* The first CPU to acknowledge takes it. */
	assert_int_equal(gc_read(t, 1, GICC_IAR), 50);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	gc_write(t, 1, GICC_EOIR, 50);
	/* Retargeting moves a pending SPI. */
	gd_write(t, 0, GICD_ISPENDR + 4, 1u << 18);
	gd_write8(t, 0, GICD_ITARGETSR + 50, 0x1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gt_line(t, 1, IRQ), 0);
	/* No target: never signalled. */
	gd_write8(t, 0, GICD_ITARGETSR + 50, 0x0);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 1023);
	gt_free(t);
}

static void test_enables(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gt_cpu_on(t, 0);
	gt_spi(t, 45, 0x40, 1);
	device_set_irq(t->dev, 45, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* GICD_CTLR: a single enable bit. */
	gd_write(t, 0, GICD_CTLR, 0xfffffffe);
	assert_int_equal(gd_read(t, 0, GICD_CTLR), 0);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	gd_write(t, 0, GICD_CTLR, 3);
	assert_int_equal(gd_read(t, 0, GICD_CTLR), 1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* The interrupt's own enable. */
	gd_write(t, 0, GICD_ICENABLER + 4, 1u << 13);
	assert_int_equal(gd_read(t, 0, GICD_ISENABLER + 4), 0);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gd_write(t, 0, GICD_ISENABLER + 4, 1u << 13);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* Active state set by the guest blocks it; clearing restores. */
	gd_write(t, 0, GICD_ISACTIVER + 4, 1u << 13);
	assert_int_equal(gd_read(t, 0, GICD_ICACTIVER + 4), 1u << 13);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gd_write(t, 0, GICD_ICACTIVER + 4, 1u << 13);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	gt_free(t);
}

static void test_priority_target_config(void **state)
{
	struct gt *t = gt_ready(3, 96);

	gd_write(t, 0, GICD_IPRIORITYR + 64, 0xffffffff);
	assert_int_equal(gd_read(t, 0, GICD_IPRIORITYR + 64), 0xf8f8f8f8);
	gd_write8(t, 0, GICD_IPRIORITYR + 65, 0x37);
	assert_int_equal(gd_read(t, 0, GICD_IPRIORITYR + 64), 0xf8f830f8);
	assert_int_equal(gd_read8(t, 2, GICD_IPRIORITYR + 65), 0x30);
	/* Private priorities are banked. */
	gd_write8(t, 1, GICD_IPRIORITYR + 3, 0x88);
	assert_int_equal(gd_read(t, 1, GICD_IPRIORITYR), 0x88000000);
	assert_int_equal(gd_read(t, 0, GICD_IPRIORITYR), 0);

	/* ITARGETSR0-7: the reader's own bit, read-only. */
	for (int c = 0; c < 3; c++) {
		uint32_t own = 0x01010101u << c;

		gd_write(t, c, GICD_ITARGETSR + 28, 0);
		assert_int_equal(gd_read(t, c, GICD_ITARGETSR), own);
		assert_int_equal(gd_read(t, c, GICD_ITARGETSR + 28), own);
	}
	/* SPI targets: masked to the vCPUs there are. */
	gd_write(t, 0, GICD_ITARGETSR + 92, 0x80ff0402);
	assert_int_equal(gd_read(t, 0, GICD_ITARGETSR + 92), 0x00070402);
	gd_write8(t, 1, GICD_ITARGETSR + 95, 0x05);
	assert_int_equal(gd_read8(t, 2, GICD_ITARGETSR + 95), 0x05);

	/* ICFGR0 (SGIs) reads edge, ICFGR1 (PPIs) level, both read-only. */
	gd_write(t, 0, GICD_ICFGR, 0);
	gd_write(t, 0, GICD_ICFGR + 4, 0xffffffff);
	assert_int_equal(gd_read(t, 0, GICD_ICFGR), 0xaaaaaaaa);
	assert_int_equal(gd_read(t, 0, GICD_ICFGR + 4), 0);
	/* Only bit 1 of each field is kept. */
	gd_write(t, 0, GICD_ICFGR + 20, 0x5555aaaa);
	assert_int_equal(gd_read(t, 0, GICD_ICFGR + 20), 0x0000aaaa);
	gt_free(t);
}

static void test_hostile_accesses(void **state)
{
	struct gt *t = gt_ready(2, 64);
	uint8_t b[8];

	gt_cpu_on(t, 0);
	gd_write(t, 0, GICD_ISENABLER + 4, 0xffffffff);
	/* Holes and registers beyond NR_IRQS: RAZ/WI. */
	static const uint32_t raz[] = { 0x00c, 0x07c, 0x108, 0x208, 0x440,
					0x840, 0xc10, 0xf04, 0xf30, 0xfe0,
					0xffc };

	for (size_t i = 0; i < sizeof(raz) / sizeof(raz[0]); i++) {
		gd_write(t, 0, raz[i], 0xffffffff);
		assert_int_equal(gd_read(t, 0, raz[i]), 0);
	}
	/* Misaligned and wrong-size accesses: RAZ/WI, no crash. */
	assert_int_equal(gd_read(t, 0, GICD_ISENABLER + 5), 0);
	memset(b, 0xaa, sizeof(b));
	assert_int_equal(fake_mmio_access(t->fh, 0, T_DIST + GICD_TYPER, b, 2,
					  false), 0);
	assert_int_equal(b[0] | b[1], 0);
	assert_int_equal(fake_mmio_read64(t->fh, 0, T_DIST + GICD_TYPER), 0);
	fake_mmio_write64(t->fh, 0, T_DIST + GICD_ICENABLER + 4, ~0ULL);
	assert_int_equal(gd_read(t, 0, GICD_ISENABLER + 4), 0xffffffff);
	/* Byte access to a word-only register. */
	assert_int_equal(gd_read8(t, 0, GICD_ISENABLER + 4), 0);
	gd_write8(t, 0, GICD_ICENABLER + 4, 0xff);
	assert_int_equal(gd_read(t, 0, GICD_ISENABLER + 4), 0xffffffff);
	/* The last word of the frame. */
	assert_int_equal(fake_mmio_access(t->fh, 0, T_DIST + 0xffc, b, 4,
					  true), 0);
	/* A vCPU the GIC does not know (or the VMM, -1). */
	assert_int_equal(gd_read(t, 2, GICD_TYPER), 0);
	assert_int_equal(gd_read(t, -1, GICD_TYPER), 0);
	gd_write(t, 5, GICD_SGIR, 0xffu << 16 | 1);
	gd_write(t, -1, GICD_CTLR, 0);
	assert_int_equal(gd_read(t, 0, GICD_CTLR), 1);
	assert_int_equal(gd_read(t, 0, GICD_SPENDSGIR), 0);
	assert_int_equal(gd_read(t, 1, GICD_SPENDSGIR), 0);
	/* Nothing beyond the frames. */
	assert_int_equal(fake_mmio_access(t->fh, 0, T_DIST + 0x1000, b, 4,
					  false), -ENOENT);
	gt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spi_flow),
		cmocka_unit_test(test_level_vs_edge),
		cmocka_unit_test(test_ppi),
		cmocka_unit_test(test_set_irq_errors),
		cmocka_unit_test(test_sgi_filters),
		cmocka_unit_test(test_sgi_sources),
		cmocka_unit_test(test_spi_one_of_n),
		cmocka_unit_test(test_enables),
		cmocka_unit_test(test_priority_target_config),
		cmocka_unit_test(test_hostile_accesses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
