// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv2, CPU interface as the guest sees it: priority mask,
 * preemption through the running priority and binary points, the active
 * priorities (APR) and RPR, EOImode and GICC_DIR, interrupt groups with
 * AckCtl, the aliased registers and FIQ signalling.
 */
#include <pthread.h>

#include "test_gicv2_helpers.h"

#define IRQ CPU_LINE_IRQ
#define FIQ CPU_LINE_FIQ

static void test_pmr(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gd_write(t, 0, GICD_CTLR, 1);
	gc_write(t, 0, GICC_CTLR, 1);
	gt_spi(t, 40, 0x80, 1);
	device_set_irq(t->dev, 40, 1);
	/* PMR resets to 0: everything masked, but HPPIR still sees it. */
	assert_int_equal(gc_read(t, 0, GICC_PMR), 0);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 40);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	/* Priority must be strictly higher (lower value) than the mask. */
	gc_write(t, 0, GICC_PMR, 0x80);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gc_write(t, 0, GICC_PMR, 0x88);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	gc_write(t, 0, GICC_PMR, 0x87);	/* reads back 0x80 */
	assert_int_equal(gc_read(t, 0, GICC_PMR), 0x80);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	/* Raising the interrupt's priority unmasks it. */
	gd_write8(t, 0, GICD_IPRIORITYR + 40, 0x78);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* CPU interface disabled: not signalled. */
	gc_write(t, 0, GICC_CTLR, 0);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 1023);
	gt_free(t);
}

static void test_preemption_and_apr(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gt_cpu_on(t, 0);
	gt_spi(t, 40, 0xa0, 1);
	gt_spi(t, 41, 0x40, 1);
	gt_spi(t, 42, 0xb0, 1);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xff);

	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xa0);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 1u << 20);
	assert_int_equal(gc_read(t, 0, GICC_APR0), 1u << 20);

	/* Lower priority: pending, not signalled, IAR spurious. */
	device_set_irq(t->dev, 42, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 42);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	/* Higher priority preempts. */
	device_set_irq(t->dev, 41, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 41);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0x40);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0),
			 1u << 20 | 1u << 8);
	assert_int_equal(gt_line(t, 0, IRQ), 0);

	/* EOI drops the highest active priority first. */
	gc_write(t, 0, GICC_EOIR, 41);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xa0);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 1u << 20);
	/* A spurious EOI changes nothing. */
	gc_write(t, 0, GICC_EOIR, 1023);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xa0);
	gc_write(t, 0, GICC_EOIR, 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xff);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 0);
	/* Now the low-priority one is signalled. */
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 42);
	gc_write(t, 0, GICC_EOIR, 42);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gt_free(t);
}

static void test_binary_point(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gt_cpu_on(t, 0);
	gt_spi(t, 40, 0xa0, 1);
	gt_spi(t, 41, 0x90, 1);
	/* BPR 5: group priority bits [7:6]; 0xa0 and 0x90 share 0x80. */
	gc_write(t, 0, GICC_BPR, 5);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0x80);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 1u << 16);
	device_set_irq(t->dev, 41, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	gc_write(t, 0, GICC_EOIR, 40);
	/* BPR 2: all 5 bits; 0x90 preempts 0xa0. */
	gc_write(t, 0, GICC_BPR, 0);	/* clamped to 2 */
	assert_int_equal(gc_read(t, 0, GICC_BPR), 2);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 41);
	gc_write(t, 0, GICC_EOIR, 41);
	device_set_irq(t->dev, 40, 0);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	device_set_irq(t->dev, 41, 0);
	device_set_irq(t->dev, 41, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 41);
	gc_write(t, 0, GICC_EOIR, 41);
	gc_write(t, 0, GICC_EOIR, 40);
	/* BPR 7: no preemption at all (group priority 0). */
	gc_write(t, 0, GICC_BPR, 7);
	device_set_irq(t->dev, 40, 0);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 1);
	gt_spi(t, 42, 0x00, 1);
	device_set_irq(t->dev, 42, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	gt_free(t);
}

/* Group 1 uses GICC_ABPR ([7:n]) unless CBPR makes GICC_BPR common. */
static void test_abpr_cbpr(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gt_cpu_on(t, 0);
	gc_write(t, 0, GICC_CTLR, 0x7);	/* both groups, AckCtl */
	gd_write(t, 0, GICD_IGROUPR + 4, 1u << 8);
	gt_spi(t, 40, 0xa0, 1);
	gc_write(t, 0, GICC_ABPR, 6);		/* [7:6] */
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0x80);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 1u << 16);
	gc_write(t, 0, GICC_EOIR, 40);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 0);

	gc_write(t, 0, GICC_CTLR, 0x7 | 0x10);	/* CBPR: BPR (2) rules */
	device_set_irq(t->dev, 40, 0);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xa0);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 1u << 20);
	gc_write(t, 0, GICC_EOIR, 40);
	/* ABPR clamps to 3, the minimum for 5 priority bits. */
	gc_write(t, 0, GICC_ABPR, 0);
	assert_int_equal(gc_read(t, 0, GICC_ABPR), 3);
	gt_free(t);
}

static void test_eoimode_dir(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gt_cpu_on(t, 0);
	gt_spi(t, 40, 0x40, 1);
	/* EOImode 0: GICC_DIR is ignored. */
	gd_write(t, 0, GICD_ISACTIVER + 4, 1u << 8);
	gc_write(t, 0, GICC_DIR, 40);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 1u << 8);
	gd_write(t, 0, GICD_ICACTIVER + 4, 1u << 8);

	gc_write(t, 0, GICC_CTLR, 0x203);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	/* EOI only drops the priority; the interrupt stays active. */
	gc_write(t, 0, GICC_EOIR, 40);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xff);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 1u << 8);
	device_set_irq(t->dev, 40, 0);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	/* GICC_DIR deactivates; the new edge is then signalled. */
	gc_write(t, 0, GICC_DIR, 40);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* Hostile IDs through DIR and EOIR do nothing. */
	gc_write(t, 0, GICC_DIR, 0x3ff);
	gc_write(t, 0, GICC_DIR, 900);
	gc_write(t, 0, GICC_EOIR, 900);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	gt_free(t);
}

static void test_groups_ackctl(void **state)
{
	struct gt *t = gt_ready(1, 64);

	gd_write(t, 0, GICD_CTLR, 1);
	gc_write(t, 0, GICC_PMR, 0xf8);
	gd_write(t, 0, GICD_IGROUPR + 4, 1u << 8);	/* 40: group 1 */
	assert_int_equal(gd_read(t, 0, GICD_IGROUPR + 4), 1u << 8);
	gt_spi(t, 40, 0x40, 1);
	gt_spi(t, 41, 0x80, 1);				/* group 0 */
	device_set_irq(t->dev, 40, 1);

	/* Group 1 disabled at the CPU interface: nothing. */
	gc_write(t, 0, GICC_CTLR, 0x1);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 1023);
	gc_write(t, 0, GICC_CTLR, 0x3);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	/* AckCtl 0: IAR and HPPIR give 1022 for group 1, no state change. */
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 1022);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1022);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	/* The aliases serve group 1. */
	assert_int_equal(gc_read(t, 0, GICC_AHPPIR), 40);
	assert_int_equal(gc_read(t, 0, GICC_AIAR), 40);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 1u << 8);
	gc_write(t, 0, GICC_AEOIR, 40);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	/* With AckCtl, IAR acknowledges group 1 too. */
	gc_write(t, 0, GICC_CTLR, 0x7);
	device_set_irq(t->dev, 40, 0);
	device_set_irq(t->dev, 40, 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	gc_write(t, 0, GICC_EOIR, 40);

	/* Group 0 through the aliases: spurious. */
	gc_write(t, 0, GICC_CTLR, 0x1);
	device_set_irq(t->dev, 41, 1);
	assert_int_equal(gc_read(t, 0, GICC_AHPPIR), 1023);
	assert_int_equal(gc_read(t, 0, GICC_AIAR), 1023);
	assert_int_equal(gc_read(t, 0, GICC_HPPIR), 41);
	assert_int_equal(gt_line(t, 0, IRQ), 1);
	assert_int_equal(gt_line(t, 0, FIQ), 0);
	/* FIQEn: group 0 goes to FIQ instead of IRQ. */
	gc_write(t, 0, GICC_CTLR, 0x9);
	assert_int_equal(gt_line(t, 0, IRQ), 0);
	assert_int_equal(gt_line(t, 0, FIQ), 1);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 41);
	assert_int_equal(gt_line(t, 0, FIQ), 0);
	gc_write(t, 0, GICC_EOIR, 41);
	gt_free(t);
}

static void test_cpuif_hostile(void **state)
{
	struct gt *t = gt_ready(2, 64);
	uint8_t b[8];

	gt_cpu_on(t, 0);
	gt_spi(t, 40, 0x40, 1);
	device_set_irq(t->dev, 40, 1);
	/* Reserved, write-only and NSAPR offsets read as zero. */
	static const uint32_t raz[] = { 0x2c, 0x40, 0xcc, GICC_EOIR,
					GICC_AEOIR, GICC_NSAPR0,
					GICC_NSAPR0 + 12, 0xf0, GICC_DIR,
					0x1004, 0x1ffc };

	for (size_t i = 0; i < sizeof(raz) / sizeof(raz[0]); i++)
		assert_int_equal(gc_read(t, 0, raz[i]), 0);
	/* Writes to read-only registers are ignored. */
	gc_write(t, 0, GICC_IAR, 40);
	gc_write(t, 0, GICC_RPR, 0);
	gc_write(t, 0, GICC_HPPIR, 0);
	gc_write(t, 0, GICC_IIDR, 0);
	gc_write(t, 0, GICC_NSAPR0, 0xffffffff);
	assert_int_equal(gc_read(t, 0, GICC_IIDR), CPU_IIDR_KVM);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xff);
	/* Sub-word and misaligned accesses to IAR do not acknowledge. */
	memset(b, 0xaa, sizeof(b));
	assert_int_equal(fake_mmio_access(t->fh, 0, T_CPU + GICC_IAR, b, 1,
					  false), 0);
	assert_int_equal(b[0], 0);
	assert_int_equal(fake_mmio_access(t->fh, 0, T_CPU + GICC_IAR + 2, b,
					  4, false), 0);
	assert_int_equal(fake_mmio_read64(t->fh, 0, T_CPU + GICC_IAR - 4), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	/* Other vCPUs' interfaces are their own; unknown vCPUs see zero. */
	assert_int_equal(gc_read(t, 1, GICC_IAR), 1023);
	assert_int_equal(gc_read(t, 7, GICC_IAR), 0);
	assert_int_equal(gc_read(t, -1, GICC_IAR), 0);
	assert_int_equal(gd_read(t, 0, GICD_ISACTIVER + 4), 0);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 40);
	gt_free(t);
}

struct vcpu_thread {
	struct gt *t;
	int cpu;
	unsigned int acked;
};

/* A vCPU that sends SGIs to its neighbour and handles its own. */
static void *vcpu_loop(void *arg)
{
	struct vcpu_thread *v = arg;

	for (unsigned int i = 0; i < 3000; i++) {
		uint32_t next = (uint32_t)(v->cpu + 1) % 4;
		uint32_t id;

		gd_write(v->t, v->cpu, GICD_SGIR, (1u << next) << 16 | (i & 15));
		id = gc_read(v->t, v->cpu, GICC_IAR);
		if ((id & 0x3ff) >= 1020)
			continue;
		v->acked++;
		gc_write(v->t, v->cpu, GICC_EOIR, id);
	}
	return NULL;
}

/* Concurrent vCPUs: every acknowledge pairs with its EOI, nothing leaks. */
static void test_concurrent_vcpus(void **state)
{
	struct gt *t = gt_ready(4, 64);
	struct vcpu_thread v[4];
	pthread_t th[4];
	unsigned int total = 0;

	for (int c = 0; c < 4; c++)
		gt_cpu_on(t, c);
	for (int c = 0; c < 4; c++) {
		v[c] = (struct vcpu_thread){ .t = t, .cpu = c };
		assert_int_equal(pthread_create(&th[c], NULL, vcpu_loop,
						&v[c]), 0);
	}
	for (int c = 0; c < 4; c++) {
		assert_int_equal(pthread_join(th[c], NULL), 0);
		total += v[c].acked;
	}
	assert_true(total > 0);
	for (int c = 0; c < 4; c++) {
		uint32_t id;

		while (((id = gc_read(t, c, GICC_IAR)) & 0x3ff) < 1020)
			gc_write(t, c, GICC_EOIR, id);
		assert_int_equal(gc_read(t, c, GICC_RPR), 0xff);
		assert_int_equal(gd_read(t, c, GICD_ISACTIVER), 0);
		assert_int_equal(gd_read(t, c, GICD_ISPENDR), 0);
		assert_int_equal(gt_line(t, c, CPU_LINE_IRQ), 0);
	}
	gt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pmr),
		cmocka_unit_test(test_preemption_and_apr),
		cmocka_unit_test(test_binary_point),
		cmocka_unit_test(test_abpr_cbpr),
		cmocka_unit_test(test_eoimode_dir),
		cmocka_unit_test(test_groups_ackctl),
		cmocka_unit_test(test_cpuif_hostile),
		cmocka_unit_test(test_concurrent_vcpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
