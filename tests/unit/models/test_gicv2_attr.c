// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv2: the attribute groups of arm-vgic.txt, every documented
 * error code, has_attr, and the attribute-only encodings (GICD_IIDR
 * write-back, GICD_IGROUPR before IIDR, GICC_PMR as VMPriMask, the
 * combined APR view).
 */
#include "test_gicv2_helpers.h"

#define ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define NR_IRQS KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define CTRL KVM_DEV_ARM_VGIC_GRP_CTRL
#define A_DIST KVM_VGIC_V2_ADDR_TYPE_DIST
#define A_CPU KVM_VGIC_V2_ADDR_TYPE_CPU
#define INIT KVM_DEV_ARM_VGIC_CTRL_INIT

static void test_create(void **state)
{
	struct fake_host *fh = fake_host_new(T_RAM_BASE, 0x1000, 9);
	struct device *dev = NULL;

	assert_int_equal(gicv2_soft_model.type, KVM_DEV_TYPE_ARM_VGIC_V2);
	assert_int_equal(gicv2_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &dev), -ENODEV);
	/* At most 8 vCPUs for a GICv2. */
	assert_int_equal(gicv2_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V2,
						 &dev), -E2BIG);
	fh->nr_vcpus = 8;
	fh->have_run = true;
	assert_int_equal(gicv2_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V2,
						 &dev), -EBUSY);
	fh->have_run = false;
	assert_int_equal(gicv2_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V2,
						 &dev), 0);
	assert_string_equal(dev->name, "arm-vgic-v2");
	assert_int_equal(dev->backend, DEV_BACKEND_SOFT);
	device_destroy(dev);
	fake_host_free(fh);
}

static void test_has_attr(void **state)
{
	struct gt *t = gt_new(2);

	assert_int_equal(device_has(t->dev, ADDR, A_DIST), 0);
	assert_int_equal(device_has(t->dev, ADDR, A_CPU), 0);
	assert_int_equal(device_has(t->dev, ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST),
			 -ENXIO);
	assert_int_equal(device_has(t->dev, NR_IRQS, 0), 0);
	assert_int_equal(device_has(t->dev, CTRL, INIT), 0);
	assert_int_equal(device_has(t->dev, CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
			 -ENXIO);
	assert_int_equal(device_has(t->dev, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
				    0), -ENXIO);
	assert_int_equal(device_has(t->dev, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO,
				    0), -ENXIO);
	assert_int_equal(device_has(t->dev, 99, 0), -ENXIO);

	/* Distributor registers. */
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(0, GICD_CTLR)), 0);
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(1, GICD_IIDR)), 0);
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(0, GICD_SGIR)), 0);
	assert_int_equal(device_has(t->dev, DIST_REGS,
				    REG(0, GICD_SPENDSGIR + 12)), 0);
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(0, 0x00c)), -ENXIO);
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(0, 0x102)), -ENXIO);
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(0, 0xffc)), -ENXIO);
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(0, 0x7fffffff)),
			 -ENXIO);
	/* INTIDs beyond the default 256 do not exist. */
	assert_int_equal(device_has(t->dev, DIST_REGS,
				    REG(0, GICD_ISENABLER + 28)), 0);
	assert_int_equal(device_has(t->dev, DIST_REGS,
				    REG(0, GICD_ISENABLER + 32)), -ENXIO);
	assert_int_equal(device_has(t->dev, DIST_REGS,
				    REG(0, GICD_IPRIORITYR + 252)), 0);
	assert_int_equal(device_has(t->dev, DIST_REGS,
				    REG(0, GICD_IPRIORITYR + 256)), -ENXIO);
	/* vcpu_index must name a vCPU. */
	assert_int_equal(device_has(t->dev, DIST_REGS, REG(2, GICD_CTLR)),
			 -EINVAL);
	assert_int_equal(device_has(t->dev, CPU_REGS, REG(255, GICC_CTLR)),
			 -EINVAL);

	/* CPU interface: only the VMCR/APR/IIDR state is reachable. */
	static const uint32_t cpu_ok[] = { GICC_CTLR, GICC_PMR, GICC_BPR,
					   GICC_ABPR, GICC_APR0,
					   GICC_APR0 + 4, GICC_APR0 + 8,
					   GICC_APR0 + 12, GICC_IIDR };
	static const uint32_t cpu_no[] = { GICC_IAR, GICC_EOIR, GICC_RPR,
					   GICC_HPPIR, GICC_AIAR, GICC_AEOIR,
					   GICC_AHPPIR, GICC_NSAPR0, GICC_DIR,
					   0x2c, 0x02, 0x2000 };

	for (size_t i = 0; i < sizeof(cpu_ok) / sizeof(cpu_ok[0]); i++)
		assert_int_equal(device_has(t->dev, CPU_REGS,
					    REG(1, cpu_ok[i])), 0);
	for (size_t i = 0; i < sizeof(cpu_no) / sizeof(cpu_no[0]); i++)
		assert_int_equal(device_has(t->dev, CPU_REGS,
					    REG(0, cpu_no[i])), -ENXIO);
	gt_free(t);
}

static void test_addr(void **state)
{
	struct gt *t = gt_new(1);
	uint64_t v = 0;

	/* Unset addresses read as KVM's VGIC_ADDR_UNDEF. */
	assert_int_equal(gt_get(t, ADDR, A_DIST, &v), 0);
	assert_true(v == ~0ULL);
	assert_int_equal(gt_get(t, ADDR, 7, &v), -ENXIO);
	assert_int_equal(gt_set(t, ADDR, 7, 0x1000), -ENXIO);

	assert_int_equal(gt_set(t, ADDR, A_DIST, 0x8000800), -EINVAL);
	assert_int_equal(gt_set(t, ADDR, A_DIST, ~0ULL), -EINVAL);
	assert_int_equal(gt_set(t, ADDR, A_DIST, 0xfffffffffffff000ULL),
			 -EINVAL);
	/* The fake host has a 40-bit IPA space. */
	assert_int_equal(gt_set(t, ADDR, A_DIST, 1ULL << 40), -E2BIG);
	assert_int_equal(gt_set(t, ADDR, A_DIST, 1ULL << 50), -E2BIG);
	/* The 8 KiB CPU frame must fit too; the 4 KiB dist frame does. */
	assert_int_equal(gt_set(t, ADDR, A_CPU, (1ULL << 40) - 0x1000),
			 -E2BIG);
	assert_int_equal(gt_set(t, ADDR, A_DIST, (1ULL << 40) - 0x1000), 0);
	assert_int_equal(gt_set(t, ADDR, A_DIST, T_DIST), -EEXIST);
	assert_int_equal(gt_get(t, ADDR, A_DIST, &v), 0);
	assert_true(v == (1ULL << 40) - 0x1000);

	assert_int_equal(gt_set(t, ADDR, A_CPU, (1ULL << 40) - 0x2000), 0);
	assert_int_equal(gt_set(t, ADDR, A_CPU, T_CPU), -EEXIST);
	assert_int_equal(gt_get(t, ADDR, A_CPU, &v), 0);
	assert_true(v == (1ULL << 40) - 0x2000);
	gt_free(t);
}

static void test_nr_irqs(void **state)
{
	struct gt *t = gt_new(1);
	uint64_t v = 0;

	/* KVM reports nr_spis + 32: 32 before anything sized the GIC. */
	assert_int_equal(gt_get(t, NR_IRQS, 0, &v), 0);
	assert_int_equal(v, 32);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 32), -EINVAL);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 63), -EINVAL);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 80), -EINVAL);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 1056), -EINVAL);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 0), -EINVAL);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 96), 0);
	assert_int_equal(gt_get(t, NR_IRQS, 0, &v), 0);
	assert_int_equal(v, 96);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 128), -EBUSY);
	gt_free(t);

	/* Register access builds the GIC with the default 256: then busy. */
	t = gt_new(1);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_TYPER) & 0x1f, 7);
	assert_int_equal(gt_get(t, NR_IRQS, 0, &v), 0);
	assert_int_equal(v, 256);
	assert_int_equal(gt_set(t, NR_IRQS, 0, 64), -EBUSY);
	gt_free(t);

	/* The documented range ends at 1024 (ITLinesNumber 31). */
	t = gt_ready(1, 1024);
	assert_int_equal(gd_read(t, 0, GICD_TYPER), 31);
	/* 1020..1023 stay special IDs, never interrupts. */
	assert_int_equal(device_set_irq(t->dev, 1019, 1), 0);
	assert_int_equal(device_set_irq(t->dev, 1020, 1), -EINVAL);
	gt_free(t);

	t = gt_ready(1, 64);
	assert_int_equal(gd_read(t, 0, GICD_TYPER), 1);
	gt_free(t);
}

static void test_ctrl_init(void **state)
{
	struct gt *t = gt_new(0);
	uint64_t v;

	assert_int_equal(gt_set(t, CTRL, INIT, 0), -ENODEV);
	t->fh->nr_vcpus = 3;
	/* As KVM: no addresses needed; the frames map once both are set. */
	assert_int_equal(gt_set(t, CTRL, INIT, 0), 0);
	assert_int_equal(gt_set(t, ADDR, A_DIST, T_DIST), 0);
	assert_int_equal(gt_set(t, CTRL, INIT, 0), 0);
	assert_int_equal(bus_count(t->fh->mmio), 0);
	/* Overlapping frames are not a valid configuration. */
	assert_int_equal(gt_set(t, ADDR, A_CPU, T_DIST - 0x1000), -EINVAL);
	gt_free(t);

	t = gt_new(3);
	assert_int_equal(gt_set(t, CTRL, INIT, 0), 0);
	assert_int_equal(gt_set(t, ADDR, A_CPU, T_DIST + 0x10000), 0);
	assert_int_equal(gt_set(t, ADDR, A_DIST, T_DIST), 0);
	assert_int_equal(bus_count(t->fh->mmio), 2);
	assert_int_equal(gd_read(t, 0, GICD_IIDR), IIDR_KVM_V2);
	gt_free(t);

	t = gt_new(3);
	assert_int_equal(gt_set(t, CTRL, 1, 0), -ENXIO);
	assert_int_equal(gt_get(t, CTRL, INIT, &v), -ENXIO);
	/* Nothing answers on the bus before CTRL_INIT. */
	assert_int_equal(bus_count(t->fh->mmio), 0);
	gt_init(t, 0);
	assert_int_equal(bus_count(t->fh->mmio), 2);
	assert_int_equal(gd_read(t, 2, GICD_TYPER), 7 | 2 << 5);
	assert_int_equal(gd_read(t, 0, GICD_IIDR), IIDR_KVM_V2);
	assert_int_equal(gc_read(t, 1, GICC_IIDR), CPU_IIDR_KVM);
	/* The CPU frame is 8 KiB. */
	assert_non_null(bus_find(t->fh->mmio, T_CPU + 0x1ffc, 4));
	assert_null(bus_find(t->fh->mmio, T_CPU + 0x2000, 4));
	/* Initialising again is a no-op. */
	assert_int_equal(gt_set(t, CTRL, INIT, 0), 0);
	assert_int_equal(bus_count(t->fh->mmio), 2);
	assert_int_equal(gt_set(t, ADDR, A_CPU, 0x9000000), -EEXIST);
	/* vCPUs created after initialisation have no interface. */
	t->fh->nr_vcpus = 4;
	assert_int_equal(gt_get(t, DIST_REGS, REG(3, GICD_CTLR), &v), -EINVAL);
	assert_int_equal(gd_read(t, 3, GICD_TYPER), 0);
	gt_free(t);
	/* Destroy unmapped both frames (checked by ASan/bus on free). */
}

static void test_regs_errors(void **state)
{
	struct gt *t = gt_new(2);
	uint64_t v;

	assert_int_equal(gt_get(t, DIST_REGS, REG(2, GICD_CTLR), &v), -EINVAL);
	assert_int_equal(gt_set(t, DIST_REGS, REG(2, GICD_CTLR), 1), -EINVAL);
	assert_int_equal(gt_get(t, CPU_REGS, REG(9, GICC_CTLR), &v), -EINVAL);
	assert_int_equal(gt_set(t, CPU_REGS, REG(200, GICC_PMR), 1), -EINVAL);

	t->fh->running = true;
	assert_int_equal(gt_get(t, DIST_REGS, REG(0, GICD_CTLR), &v), -EBUSY);
	assert_int_equal(gt_set(t, DIST_REGS, REG(0, GICD_CTLR), 1), -EBUSY);
	assert_int_equal(gt_get(t, CPU_REGS, REG(1, GICC_PMR), &v), -EBUSY);
	assert_int_equal(gt_set(t, CPU_REGS, REG(1, GICC_PMR), 1), -EBUSY);
	t->fh->running = false;

	assert_int_equal(gt_get(t, DIST_REGS, REG(0, 0x00c), &v), -ENXIO);
	assert_int_equal(gt_get(t, DIST_REGS, REG(0, 0x101), &v), -ENXIO);
	assert_int_equal(gt_set(t, DIST_REGS, REG(0, 0x1000), 0), -ENXIO);
	assert_int_equal(gt_get(t, DIST_REGS, REG(0, GICD_ICFGR + 64), &v),
			 -ENXIO);
	assert_int_equal(gt_get(t, CPU_REGS, REG(0, GICC_IAR), &v), -ENXIO);
	assert_int_equal(gt_set(t, CPU_REGS, REG(0, GICC_EOIR), 0), -ENXIO);
	assert_int_equal(gt_set(t, CPU_REGS, REG(0, GICC_DIR), 0), -ENXIO);
	assert_int_equal(gt_get(t, CPU_REGS, REG(0, GICC_HPPIR), &v), -ENXIO);
	assert_int_equal(gt_get(t, CPU_REGS, REG(0, GICC_RPR), &v), -ENXIO);
	/* Reserved bits 63..40 of attr are ignored. */
	assert_int_equal(gt_get(t, DIST_REGS, 1ULL << 45 | GICD_IIDR, &v), 0);
	assert_int_equal(v, IIDR_KVM_V2);
	gt_free(t);
}

static void test_efault(void **state)
{
	struct gt *t = gt_new(1);
	struct kvm_device_attr a = { .addr = 0 };
	uint32_t v32 = 64;

	a.group = ADDR;
	a.attr = A_DIST;
	assert_int_equal(device_set_attr(t->dev, &a), -EFAULT);
	assert_int_equal(device_get_attr(t->dev, &a), -EFAULT);
	a.addr = 8;	/* unmapped page */
	assert_int_equal(device_set_attr(t->dev, &a), -EFAULT);
	/* Copy first, as KVM: a bad pointer wins over a bad attr. */
	a.attr = 9;
	assert_int_equal(device_set_attr(t->dev, &a), -EFAULT);
	a.group = NR_IRQS;
	assert_int_equal(device_set_attr(t->dev, &a), -EFAULT);
	assert_int_equal(device_get_attr(t->dev, &a), -EFAULT);
	a.group = DIST_REGS;
	a.attr = REG(0, GICD_CTLR);
	assert_int_equal(device_set_attr(t->dev, &a), -EFAULT);
	/* A failed set built nothing: NR_IRQS is still settable. */
	assert_false(t->gic->ready);
	assert_int_equal(device_set(t->dev, NR_IRQS, 0, &v32), 0);
	/* A get builds the state (as vgic_init) before the copy fails. */
	assert_int_equal(device_get_attr(t->dev, &a), -EFAULT);
	assert_true(t->gic->ready);
	/* ... but vcpu_index is checked before the value is read. */
	a.attr = REG(5, GICD_CTLR);
	assert_int_equal(device_set_attr(t->dev, &a), -EINVAL);
	a.group = CPU_REGS;
	a.attr = REG(0, GICC_PMR);
	assert_int_equal(device_set_attr(t->dev, &a), -EFAULT);
	assert_int_equal(device_get_attr(t->dev, &a), -EFAULT);
	gt_free(t);
}

static void test_iidr_and_igroupr(void **state)
{
	struct gt *t = gt_ready(2, 64);

	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_IIDR), IIDR_KVM_V2);
	/* Until GICD_IIDR is written back, IGROUPR writes are ignored. */
	gt_set_reg(t, DIST_REGS, 0, GICD_IGROUPR + 4, 0xffff0000);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_IGROUPR + 4), 0);
	/* The guest can always program groups (revision 2). */
	gd_write(t, 1, GICD_IGROUPR + 4, 0x00000003);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_IGROUPR + 4), 3);
	gd_write(t, 1, GICD_IGROUPR + 4, 0);

	/* Only the revision may differ, and only 2 or 3. */
	assert_int_equal(gt_set(t, DIST_REGS, REG(0, GICD_IIDR), 0x4b00143b),
			 -EINVAL);
	assert_int_equal(gt_set(t, DIST_REGS, REG(0, GICD_IIDR), 0x4b00443b),
			 -EINVAL);
	assert_int_equal(gt_set(t, DIST_REGS, REG(0, GICD_IIDR), 0x4c00243b),
			 -EINVAL);
	assert_int_equal(gt_set(t, DIST_REGS, REG(0, GICD_IIDR), 0x4b00243a),
			 -EINVAL);
	gt_set_reg(t, DIST_REGS, 0, GICD_IGROUPR, 0xffffffff);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_IGROUPR), 0);

	gt_set_reg(t, DIST_REGS, 1, GICD_IIDR, IIDR_KVM_V2);
	gt_set_reg(t, DIST_REGS, 0, GICD_IGROUPR + 4, 0xffff0000);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_IGROUPR + 4),
			 0xffff0000);
	/* IGROUPR0 is banked: vCPU 1's stays clear. */
	gt_set_reg(t, DIST_REGS, 0, GICD_IGROUPR, 0x80000001);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_IGROUPR), 0x80000001);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_IGROUPR), 0);
	assert_int_equal(gd_read(t, 0, GICD_IGROUPR), 0x80000001);

	/* A newer kernel's revision 3 is accepted and reported back. */
	gt_set_reg(t, DIST_REGS, 0, GICD_IIDR, 0x4b00343b);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_IIDR), 0x4b00343b);
	assert_int_equal(gd_read(t, 1, GICD_IIDR), 0x4b00343b);
	/* The guest cannot write it. */
	gd_write(t, 0, GICD_IIDR, 0);
	assert_int_equal(gd_read(t, 0, GICD_IIDR), 0x4b00343b);
	gt_free(t);
}

static void test_cpu_regs(void **state)
{
	struct gt *t = gt_ready(2, 64);
	uint64_t v;

	/* GICC_PMR through the attribute: VMPriMask, priority >> 3. */
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_PMR), 0);
	gt_set_reg(t, CPU_REGS, 0, GICC_PMR, 0x1f);
	assert_int_equal(gc_read(t, 0, GICC_PMR), 0xf8);
	assert_int_equal(gc_read(t, 1, GICC_PMR), 0);
	gc_write(t, 1, GICC_PMR, 0xaf);	/* low 3 bits RAZ/WI */
	assert_int_equal(gc_read(t, 1, GICC_PMR), 0xa8);
	assert_int_equal(gt_reg(t, CPU_REGS, 1, GICC_PMR), 0x15);
	gt_set_reg(t, CPU_REGS, 1, GICC_PMR, 0xffffffe3);
	assert_int_equal(gt_reg(t, CPU_REGS, 1, GICC_PMR), 0x03);
	assert_int_equal(gc_read(t, 1, GICC_PMR), 0x18);

	/* GICC_CTLR: EnableGrp0/1, AckCtl, FIQEn, CBPR, EOImode. */
	gt_set_reg(t, CPU_REGS, 1, GICC_CTLR, 0xffffffff);
	assert_int_equal(gt_reg(t, CPU_REGS, 1, GICC_CTLR), 0x21f);
	assert_int_equal(gc_read(t, 1, GICC_CTLR), 0x21f);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_CTLR), 0);

	/* Binary points: reset to the minimum, clamped to it. */
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_BPR), 2);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_ABPR), 3);
	gt_set_reg(t, CPU_REGS, 0, GICC_BPR, 0);
	gt_set_reg(t, CPU_REGS, 0, GICC_ABPR, 1);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_BPR), 2);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_ABPR), 3);
	gt_set_reg(t, CPU_REGS, 0, GICC_BPR, 0xf5);
	gt_set_reg(t, CPU_REGS, 0, GICC_ABPR, 7);
	assert_int_equal(gc_read(t, 0, GICC_BPR), 5);
	assert_int_equal(gc_read(t, 0, GICC_ABPR), 7);

	/* Combined APR view: APR0 holds levels 0-31, APR1-3 RAZ/WI. */
	gt_set_reg(t, CPU_REGS, 1, GICC_APR0, 1u << 20 | 1u << 4);
	assert_int_equal(gt_reg(t, CPU_REGS, 1, GICC_APR0),
			 1u << 20 | 1u << 4);
	assert_int_equal(gc_read(t, 1, GICC_RPR), 4 << 3);
	assert_int_equal(gc_read(t, 1, GICC_APR0), 1u << 20 | 1u << 4);
	for (uint32_t n = 1; n < 4; n++) {
		gt_set_reg(t, CPU_REGS, 1, GICC_APR0 + 4 * n, 0xffffffff);
		assert_int_equal(gt_reg(t, CPU_REGS, 1, GICC_APR0 + 4 * n), 0);
	}
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_APR0), 0);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xff);

	/* GICC_IIDR: read-only. */
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_IIDR), CPU_IIDR_KVM);
	assert_int_equal(gt_set(t, CPU_REGS, REG(0, GICC_IIDR), 0), 0);
	assert_int_equal(gt_get(t, CPU_REGS, REG(0, GICC_IIDR), &v), 0);
	assert_int_equal(v, CPU_IIDR_KVM);
	gt_free(t);
}

static void test_dist_regs_attr(void **state)
{
	struct gt *t = gt_ready(2, 64);

	gt_set_reg(t, DIST_REGS, 0, GICD_CTLR, 0xffffffff);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_CTLR), 1);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_TYPER), 1 | 1 << 5);
	/* TYPER is read-only. */
	gt_set_reg(t, DIST_REGS, 0, GICD_TYPER, 0);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_TYPER), 1 | 1 << 5);

	/* Enables: SGIs enabled at reset, banked per vCPU. */
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ISENABLER), 0xffff);
	gt_set_reg(t, DIST_REGS, 1, GICD_ISENABLER, 0x80000000);
	gt_set_reg(t, DIST_REGS, 1, GICD_ICENABLER, 0x1);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ICENABLER), 0x8000fffe);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ISENABLER), 0xffff);

	/* Priorities and targets through the table, 5 priority bits. */
	gt_set_reg(t, DIST_REGS, 0, GICD_IPRIORITYR + 32, 0x0718a0ff);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_IPRIORITYR + 32),
			 0x0018a0f8);
	gt_set_reg(t, DIST_REGS, 0, GICD_ITARGETSR + 32, 0xff030201);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ITARGETSR + 32),
			 0x03030201);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ITARGETSR), 0x02020202);

	/* Config: SPIs edge by default (KVM), writable; private RO. */
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ICFGR), 0xaaaaaaaa);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ICFGR + 4), 0);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ICFGR + 8), 0xaaaaaaaa);
	gt_set_reg(t, DIST_REGS, 0, GICD_ICFGR + 8, 0x0000000a);
	gt_set_reg(t, DIST_REGS, 0, GICD_ICFGR + 4, 0xaaaaaaaa);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ICFGR + 8), 0x0000000a);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ICFGR + 4), 0);

	/* Active state. */
	gt_set_reg(t, DIST_REGS, 0, GICD_ISACTIVER + 4, 0x5);
	gt_set_reg(t, DIST_REGS, 0, GICD_ICACTIVER + 4, 0x1);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ISACTIVER + 4), 0x4);

	/* SGIR through the attribute acts for vcpu_index; RAZ. */
	gt_set_reg(t, DIST_REGS, 1, GICD_SGIR, 2u << 24 | 5);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_SGIR), 0);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_SPENDSGIR + 4),
			 0x2u << 8);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_SPENDSGIR + 4), 0);
	gt_free(t);
}

/*
 * ISPENDR/ICPENDR through the attribute: the latch only; an SGI set
 * that way names the vCPU itself as source, a clear drops all sources.
 */
static void test_pending_uaccess(void **state)
{
	struct gt *t = gt_ready(2, 64);

	/* A level SPI whose line is high reads pending. */
	gt_set_reg(t, DIST_REGS, 0, GICD_ICFGR + 8, 0);
	assert_int_equal(device_set_irq(t->dev, 33, 1), 0);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ISPENDR + 4), 0x2);
	/* Clearing the latch leaves the line's pending state. */
	gt_set_reg(t, DIST_REGS, 0, GICD_ICPENDR + 4, 0x2);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ISPENDR + 4), 0x2);
	gt_set_reg(t, DIST_REGS, 0, GICD_ISPENDR + 4, 0x2);
	assert_int_equal(device_set_irq(t->dev, 33, 0), 0);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ISPENDR + 4), 0x2);
	gt_set_reg(t, DIST_REGS, 0, GICD_ICPENDR + 4, 0x2);
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_ISPENDR + 4), 0);

	/* SGIs: the guest's ISPENDR0 SGI bits are WI, the attribute's not. */
	gd_write(t, 1, GICD_ISPENDR, 0x8);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 0);
	gt_set_reg(t, DIST_REGS, 1, GICD_ISPENDR, 0x8);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ISPENDR), 0x8);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_SPENDSGIR), 0x02u << 24);
	gt_set_reg(t, DIST_REGS, 1, GICD_SPENDSGIR, 0x01u << 24);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_CPENDSGIR), 0x03u << 24);
	gd_write(t, 1, GICD_ICPENDR, 0x8);
	assert_int_equal(gd_read(t, 1, GICD_ISPENDR), 0x8);
	gt_set_reg(t, DIST_REGS, 1, GICD_ICPENDR, 0x8);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_ISPENDR), 0);
	assert_int_equal(gt_reg(t, DIST_REGS, 1, GICD_SPENDSGIR), 0);
	gt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_has_attr),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_nr_irqs),
		cmocka_unit_test(test_ctrl_init),
		cmocka_unit_test(test_regs_errors),
		cmocka_unit_test(test_efault),
		cmocka_unit_test(test_iidr_and_igroupr),
		cmocka_unit_test(test_cpu_regs),
		cmocka_unit_test(test_dist_regs_attr),
		cmocka_unit_test(test_pending_uaccess),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
