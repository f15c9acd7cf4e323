// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv3: creation, KVM_DEV_ARM_VGIC_GRP_ADDR (DIST, REDIST,
 * REDIST_REGION and their errors), NR_IRQS, CTRL, has_attr, the
 * generic errors of the register groups, and the MMIO layout.
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
#define RD_SIZE		0x20000ULL
#define UNDEF		(~0ULL)
#define BAD_PTR		((void *)(uintptr_t)8)

#define GRP_ADDR	KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_DIST	KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_REDIST	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define GRP_SYSREGS	KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define GRP_NR_IRQS	KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define GRP_CTRL	KVM_DEV_ARM_VGIC_GRP_CTRL
#define GRP_LEVEL	KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define A_DIST		KVM_VGIC_V3_ADDR_TYPE_DIST
#define A_REDIST	KVM_VGIC_V3_ADDR_TYPE_REDIST
#define A_REGION	KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION

static struct fake_host *fh;
static struct device *gic;

static int setup(void **state)
{
	fh = fake_host_new(RAM_BASE, RAM_SIZE, 4);
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &gic), 0);
	fake_host_add_device(fh, gic);
	return 0;
}

static int teardown(void **state)
{
	device_destroy(gic);
	fake_host_free(fh);
	return 0;
}

static int set64(uint32_t group, uint64_t attr, uint64_t v)
{
	return device_set(gic, group, attr, &v);
}

static uint64_t get64(uint32_t group, uint64_t attr, int *ret)
{
	uint64_t v = 0;

	*ret = device_get(gic, group, attr, &v);
	return v;
}

static uint64_t region(uint64_t count, uint64_t base, uint64_t index)
{
	return count << 52 | base | index;
}

static int init_gic(void)
{
	return device_set(gic, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

/* ---- creation ------------------------------------------------------- */

static void test_create_rules(void **state)
{
	struct device *d;

	assert_string_equal(gicv3_soft_model.name, "arm-vgic-v3");
	assert_int_equal(gicv3_soft_model.type, KVM_DEV_TYPE_ARM_VGIC_V3);
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V2, &d),
			 -ENODEV);
	/* only one GIC per VM */
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3, &d),
			 -EEXIST);
}

static void test_create_after_run(void **state)
{
	struct fake_host *h = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *d;

	h->have_run = true;
	assert_int_equal(gicv3_soft_model.create(&h->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3, &d),
			 -EBUSY);
	fake_host_free(h);
}

/* ---- KVM_DEV_ARM_VGIC_GRP_ADDR ---------------------------------------- */

static void test_addr_dist(void **state)
{
	int ret;

	assert_int_equal(get64(GRP_ADDR, A_DIST, &ret), UNDEF);
	assert_int_equal(ret, 0);
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST + 0x1000), -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_DIST, 1ULL << 40), -E2BIG);
	assert_int_equal(set64(GRP_ADDR, A_DIST, (1ULL << 40) - 0x10000),
			 0);
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST), -EEXIST);
	assert_int_equal(get64(GRP_ADDR, A_DIST, &ret),
			 (1ULL << 40) - 0x10000);
	assert_int_equal(device_set(gic, GRP_ADDR, A_DIST, BAD_PTR), -EFAULT);
	assert_int_equal(device_get(gic, GRP_ADDR, A_DIST, BAD_PTR), -EFAULT);
	assert_int_equal(device_set(gic, GRP_ADDR, A_DIST, NULL), -EFAULT);
}

static void test_addr_dist_wraps(void **state)
{
	assert_int_equal(set64(GRP_ADDR, A_DIST, ~0ULL << 16), -EINVAL);
}

static void test_addr_redist_legacy(void **state)
{
	int ret;

	assert_int_equal(get64(GRP_ADDR, A_REDIST, &ret), UNDEF);
	assert_int_equal(set64(GRP_ADDR, A_REDIST, REDIST + 0x100), -EINVAL);
	/* 4 vCPUs x 128 KiB must fit below 1 TiB */
	assert_int_equal(set64(GRP_ADDR, A_REDIST, (1ULL << 40) - RD_SIZE),
			 -E2BIG);
	assert_int_equal(set64(GRP_ADDR, A_REDIST, REDIST), 0);
	assert_int_equal(get64(GRP_ADDR, A_REDIST, &ret), REDIST);
	assert_int_equal(set64(GRP_ADDR, A_REDIST, REDIST), -EEXIST);
	/* mixing with REDIST_REGION */
	assert_int_equal(set64(GRP_ADDR, A_REGION,
			       region(1, 0x20000000, 1)), -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_REGION,
			       region(1, 0x20000000, 0)), -EINVAL);
	/* the legacy region reads back as region 0 with count 0 */
	assert_int_equal(get64(GRP_ADDR, A_REGION, &ret), REDIST);
	assert_int_equal(ret, 0);
	/* the distributor may not overlap it */
	assert_int_equal(set64(GRP_ADDR, A_DIST, REDIST + 3 * RD_SIZE),
			 -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_DIST, REDIST + 4 * RD_SIZE), 0);
}

static void test_addr_region(void **state)
{
	uint64_t v;
	int ret;

	assert_int_equal(set64(GRP_ADDR, A_REGION, region(0, REDIST, 0)),
			 -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_REGION,
			       region(2, REDIST, 0) | 1 << 12), -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(2, REDIST, 1)),
			 -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_REGION,
			       region(2, (1ULL << 40) - RD_SIZE, 0)), -E2BIG);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(2, REDIST, 0)), 0);
	/* index 0 again, or a gap: not the next index */
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(2, 0x20000000, 0)),
			 -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(2, 0x20000000, 2)),
			 -EINVAL);
	/* overlapping region 0 */
	assert_int_equal(set64(GRP_ADDR, A_REGION,
			       region(2, REDIST + RD_SIZE, 1)), -EINVAL);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(3, 0x20000000, 1)),
			 0);
	/* legacy REDIST after regions */
	assert_int_equal(set64(GRP_ADDR, A_REDIST, 0x30000000), -EINVAL);
	/* REDIST reads the first region's base */
	assert_int_equal(get64(GRP_ADDR, A_REDIST, &ret), REDIST);
	v = 1;
	assert_int_equal(device_get(gic, GRP_ADDR, A_REGION, &v), 0);
	assert_int_equal(v, region(3, 0x20000000, 1));
	v = 0;
	assert_int_equal(device_get(gic, GRP_ADDR, A_REGION, &v), 0);
	assert_int_equal(v, region(2, REDIST, 0));
	v = 7;
	assert_int_equal(device_get(gic, GRP_ADDR, A_REGION, &v), -ENOENT);
	assert_int_equal(device_get(gic, GRP_ADDR, A_REGION, BAD_PTR),
			 -EFAULT);
	assert_int_equal(device_set(gic, GRP_ADDR, A_REGION, BAD_PTR),
			 -EFAULT);
	/* the distributor may not overlap a region */
	assert_int_equal(set64(GRP_ADDR, A_DIST, 0x20000000 + 2 * RD_SIZE),
			 -EINVAL);
}

static void test_addr_unknown(void **state)
{
	static const uint64_t bad[] = { KVM_VGIC_V2_ADDR_TYPE_DIST,
					KVM_VGIC_V2_ADDR_TYPE_CPU,
					KVM_VGIC_ITS_ADDR_TYPE, 6, 99 };
	int ret;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(set64(GRP_ADDR, bad[i], DIST), -ENXIO);
		get64(GRP_ADDR, bad[i], &ret);
		assert_int_equal(ret, -ENXIO);
		assert_int_equal(device_has(gic, GRP_ADDR, bad[i]), -ENXIO);
	}
	assert_int_equal(device_has(gic, GRP_ADDR, A_DIST), 0);
	assert_int_equal(device_has(gic, GRP_ADDR, A_REDIST), 0);
	assert_int_equal(device_has(gic, GRP_ADDR, A_REGION), 0);
}

/* ---- MMIO layout ----------------------------------------------------- */

static uint32_t rd_typer_lo(int cpu, uint64_t base)
{
	return fake_mmio_read32(fh, cpu, base + 0x8);
}

static void test_mmio_mapped_at_init(void **state)
{
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST), 0);
	assert_int_equal(set64(GRP_ADDR, A_REDIST, REDIST), 0);
	assert_int_equal(bus_count(fh->mmio), 0);
	assert_int_equal(init_gic(), 0);
	assert_int_equal(init_gic(), 0);	/* idempotent */
	assert_int_equal(bus_count(fh->mmio), 5);
	/* PIDR2 says GICv3 in both frames */
	assert_int_equal(fake_mmio_read32(fh, 0, DIST + 0xffe8), 0x3b);
	for (int i = 0; i < 4; i++) {
		uint64_t rd = REDIST + i * RD_SIZE;

		assert_int_equal(fake_mmio_read32(fh, 0, rd + 0xffe8), 0x3b);
		/* processor number, Last only on the final one */
		assert_int_equal(rd_typer_lo(0, rd) >> 8, i);
		assert_int_equal(rd_typer_lo(0, rd) >> 4 & 1, i == 3);
	}
	/* nothing past the last redistributor */
	assert_int_equal(fake_mmio_access(fh, 0, REDIST + 4 * RD_SIZE,
					  (uint8_t[4]){ 0 }, 4, false),
			 -ENOENT);
	device_destroy(gic);
	fh->devices[0] = NULL;
	assert_int_equal(bus_count(fh->mmio), 0);
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &gic), 0);
}

static void test_mmio_regions_last(void **state)
{
	/* region 0: one frame; region 1 right after it: three */
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(1, REDIST, 0)), 0);
	assert_int_equal(init_gic(), 0);
	/* only vCPU 0 has a redistributor so far: it is the last */
	assert_int_equal(rd_typer_lo(0, REDIST) >> 4 & 1, 1);
	assert_int_equal(bus_count(fh->mmio), 1);
	/* an address set after CTRL_INIT maps at once */
	assert_int_equal(set64(GRP_ADDR, A_REGION,
			       region(3, REDIST + RD_SIZE, 1)), 0);
	assert_int_equal(bus_count(fh->mmio), 4);
	/* contiguous populated regions read as one: Last moves on */
	assert_int_equal(rd_typer_lo(0, REDIST) >> 4 & 1, 0);
	assert_int_equal(rd_typer_lo(0, REDIST + 3 * RD_SIZE) >> 8, 3);
	assert_int_equal(rd_typer_lo(0, REDIST + 3 * RD_SIZE) >> 4 & 1, 1);
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST), 0);
	assert_int_equal(fake_mmio_read32(fh, 0, DIST + 0xffe8), 0x3b);
}

static void test_mmio_regions_gap(void **state)
{
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(2, REDIST, 0)), 0);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(4, 0x20000000, 1)),
			 0);
	assert_int_equal(init_gic(), 0);
	/* region 0 is full and region 1 is elsewhere: both end a run */
	assert_int_equal(rd_typer_lo(0, REDIST) >> 4 & 1, 0);
	assert_int_equal(rd_typer_lo(0, REDIST + RD_SIZE) >> 4 & 1, 1);
	assert_int_equal(rd_typer_lo(0, 0x20000000) >> 8, 2);
	assert_int_equal(rd_typer_lo(0, 0x20000000) >> 4 & 1, 0);
	assert_int_equal(rd_typer_lo(0, 0x20000000 + RD_SIZE) >> 4 & 1, 1);
	/* slots 2, 3 of region 1 hold no vCPU */
	assert_int_equal(fake_mmio_access(fh, 0, 0x20000000 + 2 * RD_SIZE,
					  (uint8_t[4]){ 0 }, 4, false),
			 -ENOENT);
}

static int dummy_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		      uint32_t len, bool is_write)
{
	return 0;
}

static void test_mmio_conflict(void **state)
{
	/* something else already sits where the distributor goes */
	assert_int_equal(bus_register(fh->mmio, DIST, 0x1000, dummy_mmio,
				      NULL, "x"), 0);
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST), 0);
	assert_int_equal(set64(GRP_ADDR, A_REDIST, REDIST), 0);
	assert_int_equal(init_gic(), -EEXIST);
	assert_int_equal(bus_count(fh->mmio), 1);
	assert_int_equal(bus_unregister(fh->mmio, DIST), 0);
	/* ... then where vCPU 2's redistributor goes */
	assert_int_equal(bus_register(fh->mmio, REDIST + 2 * RD_SIZE, 0x1000,
				      dummy_mmio, NULL, "x"), 0);
	assert_int_equal(init_gic(), -EEXIST);
	/* nothing of ours stays mapped; a retry can succeed */
	assert_int_equal(bus_count(fh->mmio), 1);
	assert_int_equal(bus_unregister(fh->mmio, REDIST + 2 * RD_SIZE), 0);
	assert_int_equal(init_gic(), 0);
	assert_int_equal(bus_count(fh->mmio), 5);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(rd_typer_lo(0, REDIST + i * RD_SIZE) >> 8, i);
		assert_int_equal(rd_typer_lo(0, REDIST + i * RD_SIZE) >> 4 & 1,
				 i == 3);
	}
	/* an address set after CTRL_INIT that cannot be mapped is undone */
	assert_int_equal(bus_register(fh->mmio, 0x20000000, 0x1000, dummy_mmio,
				      NULL, "x"), 0);
	assert_int_equal(gicv3_cpuif_map_window(gic, 0x20000000), -EEXIST);
	assert_int_equal(gicv3_cpuif_map_window(gic, 0x30000000), 0);
	assert_int_equal(bus_count(fh->mmio), 7);
}

static void test_mmio_conflict_after_init(void **state)
{
	uint64_t v = 0;
	int ret;

	assert_int_equal(init_gic(), 0);
	assert_int_equal(bus_register(fh->mmio, DIST, 0x1000, dummy_mmio,
				      NULL, "x"), 0);
	assert_int_equal(bus_register(fh->mmio, REDIST + RD_SIZE, 0x1000,
				      dummy_mmio, NULL, "y"), 0);
	/* the failed address is not kept */
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST), -EEXIST);
	assert_int_equal(get64(GRP_ADDR, A_DIST, &ret), UNDEF);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(4, REDIST, 0)),
			 -EEXIST);
	assert_int_equal(device_get(gic, GRP_ADDR, A_REGION, &v), -ENOENT);
	assert_int_equal(bus_count(fh->mmio), 2);
	/* elsewhere both work, index 0 included */
	assert_int_equal(set64(GRP_ADDR, A_DIST, DIST + 0x10000), 0);
	assert_int_equal(set64(GRP_ADDR, A_REGION, region(4, 0x20000000, 0)),
			 0);
	assert_int_equal(bus_count(fh->mmio), 2 + 1 + 4);
	assert_int_equal(rd_typer_lo(0, 0x20000000 + 3 * RD_SIZE) >> 8, 3);
}

/* ---- NR_IRQS ---------------------------------------------------------- */

static void test_nr_irqs(void **state)
{
	uint32_t v;

	assert_int_equal(device_has(gic, GRP_NR_IRQS, 0), 0);
	assert_int_equal(device_get(gic, GRP_NR_IRQS, 0, &v), 0);
	assert_int_equal(v, 32);	/* no SPIs until set, as KVM */
	v = 32;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EINVAL);
	v = 63;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EINVAL);
	v = 100;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EINVAL);
	v = 1056;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EINVAL);
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, BAD_PTR), -EFAULT);
	assert_int_equal(device_get(gic, GRP_NR_IRQS, 0, BAD_PTR), -EFAULT);
	v = 1024;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), 0);
	v = 64;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EBUSY);
	assert_int_equal(device_get(gic, GRP_NR_IRQS, 0, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(init_gic(), 0);
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EBUSY);
	/* INTIDs 1020..1023 are special even with 1024 interrupts */
	assert_int_equal(device_set_irq(gic, 1019, 1), 0);
	assert_int_equal(device_set_irq(gic, 1020, 1), -EINVAL);
}

static void test_nr_irqs_default(void **state)
{
	uint32_t v;

	assert_int_equal(init_gic(), 0);
	assert_int_equal(device_get(gic, GRP_NR_IRQS, 0, &v), 0);
	assert_int_equal(v, 256);
	v = 128;
	assert_int_equal(device_set(gic, GRP_NR_IRQS, 0, &v), -EBUSY);
	assert_int_equal(device_set_irq(gic, 255, 1), 0);
	assert_int_equal(device_set_irq(gic, 256, 1), -EINVAL);
	assert_int_equal(device_set_irq(gic, 31, 1), -EINVAL);
}

/* ---- CTRL -------------------------------------------------------------- */

static void test_ctrl(void **state)
{
	assert_int_equal(device_has(gic, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT),
			 0);
	assert_int_equal(device_has(gic, GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES), 0);
	assert_int_equal(device_has(gic, GRP_CTRL, KVM_DEV_ARM_ITS_SAVE_TABLES),
			 -ENXIO);
	assert_int_equal(device_set(gic, GRP_CTRL, KVM_DEV_ARM_ITS_CTRL_RESET,
				    NULL), -ENXIO);
	assert_int_equal(device_get(gic, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT,
				    NULL), -ENXIO);
	/* SAVE_PENDING_TABLES: not initialized, then running */
	assert_int_equal(device_set(gic, GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				    NULL), -ENXIO);
	assert_int_equal(device_set_irq(gic, 40, 1), -EBUSY);
	assert_int_equal(gicv3_set_ppi(gic, 0, 20, 1), -EBUSY);
	assert_int_equal(init_gic(), 0);
	fh->running = true;
	assert_int_equal(device_set(gic, GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				    NULL), -EBUSY);
	fh->running = false;
	assert_int_equal(device_set(gic, GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				    NULL), 0);
}

static void test_ctrl_no_vcpu(void **state)
{
	struct fake_host *h = fake_host_new(RAM_BASE, RAM_SIZE, 0);
	struct device *d;
	uint32_t v;

	assert_int_equal(gicv3_soft_model.create(&h->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3, &d),
			 0);
	assert_int_equal(device_set(d, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT,
				    NULL), 0);
	assert_int_equal(device_set(d, GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES,
				    NULL), -ENODEV);
	/* no vCPU 0 to stand for the distributor */
	assert_int_equal(device_get(d, GRP_DIST, 0, &v), -EINVAL);
	assert_int_equal(device_has(d, GRP_DIST, 0), -EINVAL);
	device_destroy(d);
	fake_host_free(h);
}

/* ---- register groups: generic errors ------------------------------------ */

#define MPIDR(aff)	((uint64_t)(aff) << 32)

static void test_regs_errors(void **state)
{
	uint32_t v = 0;
	uint64_t v64 = 0;

	/* before CTRL_INIT: -EBUSY */
	assert_int_equal(device_get(gic, GRP_DIST, 0, &v), -EBUSY);
	assert_int_equal(device_get(gic, GRP_REDIST, MPIDR(1), &v), -EBUSY);
	assert_int_equal(device_get(gic, GRP_SYSREGS,
				    MPIDR(0) | ICC_PMR_EL1, &v64), -EBUSY);
	assert_int_equal(device_get(gic, GRP_LEVEL, MPIDR(0) | 32, &v),
			 -EBUSY);
	/* ... but the mpidr is checked first */
	assert_int_equal(device_get(gic, GRP_REDIST, MPIDR(9), &v), -EINVAL);
	assert_int_equal(init_gic(), 0);
	/* an mpidr that matches no vCPU */
	assert_int_equal(device_get(gic, GRP_REDIST, MPIDR(4), &v), -EINVAL);
	assert_int_equal(device_set(gic, GRP_REDIST, MPIDR(0x100), &v),
			 -EINVAL);
	assert_int_equal(device_get(gic, GRP_SYSREGS,
				    MPIDR(0x10000) | ICC_PMR_EL1, &v64),
			 -EINVAL);
	assert_int_equal(device_set(gic, GRP_LEVEL, MPIDR(5) | 32, &v),
			 -EINVAL);
	/* the distributor ignores the mpidr */
	assert_int_equal(device_get(gic, GRP_DIST, MPIDR(0x1234), &v), 0);
	/* bad user pointers */
	assert_int_equal(device_get(gic, GRP_DIST, 0, BAD_PTR), -EFAULT);
	assert_int_equal(device_set(gic, GRP_DIST, 0, BAD_PTR), -EFAULT);
	assert_int_equal(device_set(gic, GRP_REDIST, MPIDR(2), BAD_PTR),
			 -EFAULT);
	assert_int_equal(device_get(gic, GRP_SYSREGS,
				    MPIDR(0) | ICC_PMR_EL1, BAD_PTR), -EFAULT);
	assert_int_equal(device_set(gic, GRP_LEVEL, MPIDR(0) | 32, BAD_PTR),
			 -EFAULT);
	/* running vCPUs */
	fh->running = true;
	assert_int_equal(device_get(gic, GRP_DIST, 0, &v), -EBUSY);
	assert_int_equal(device_set(gic, GRP_REDIST, MPIDR(3), &v), -EBUSY);
	assert_int_equal(device_set(gic, GRP_SYSREGS,
				    MPIDR(0) | ICC_PMR_EL1, &v64), -EBUSY);
	assert_int_equal(device_get(gic, GRP_LEVEL, MPIDR(0) | 32, &v),
			 -EBUSY);
	fh->running = false;
	/* unknown, misaligned, or beyond NR_IRQS: -ENXIO */
	assert_int_equal(device_get(gic, GRP_DIST, 0x20, &v), -ENXIO);
	assert_int_equal(device_get(gic, GRP_DIST, 0x2, &v), -ENXIO);
	assert_int_equal(device_set(gic, GRP_DIST, 0x100 + 256 / 8, &v),
			 -ENXIO);
	assert_int_equal(device_get(gic, GRP_DIST, 0x10000, &v), -ENXIO);
	assert_int_equal(device_get(gic, GRP_REDIST, 0x20, &v), -ENXIO);
	assert_int_equal(device_get(gic, GRP_REDIST, 0x10084, &v), -ENXIO);
	assert_int_equal(device_get(gic, GRP_REDIST, 0x20000, &v), -ENXIO);
	/* other groups */
	assert_int_equal(device_get(gic, KVM_DEV_ARM_VGIC_GRP_CPU_REGS, 0, &v),
			 -ENXIO);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0, &v),
			 -ENXIO);
	assert_int_equal(device_has(gic, 99, 0), -ENXIO);
}

static void test_has_attr_regs(void **state)
{
	assert_int_equal(device_has(gic, GRP_DIST, 0x0), 0);
	/* before CTRL_INIT there are no SPIs (NR_IRQS unset) */
	assert_int_equal(device_has(gic, GRP_DIST, 0x6000), 0);
	assert_int_equal(device_has(gic, GRP_DIST, 0x6100), -ENXIO);
	assert_int_equal(device_has(gic, GRP_DIST, 0x2), -ENXIO);
	assert_int_equal(init_gic(), 0);
	assert_int_equal(device_has(gic, GRP_DIST, 0x6100), 0);
	assert_int_equal(device_has(gic, GRP_DIST, 0x6104), 0);
	assert_int_equal(device_has(gic, GRP_DIST, 0x6000 + 8 * 256), -ENXIO);
	assert_int_equal(device_has(gic, GRP_DIST, 0x20), -ENXIO);
	assert_int_equal(device_has(gic, GRP_REDIST, MPIDR(3) | 0x8), 0);
	assert_int_equal(device_has(gic, GRP_REDIST, MPIDR(3) | 0x10200), 0);
	assert_int_equal(device_has(gic, GRP_REDIST, MPIDR(3) | 0x10204),
			 -ENXIO);
	assert_int_equal(device_has(gic, GRP_REDIST, MPIDR(4) | 0x8), -EINVAL);
	assert_int_equal(device_has(gic, GRP_SYSREGS, MPIDR(1) | ICC_PMR_EL1),
			 0);
	assert_int_equal(device_has(gic, GRP_SYSREGS, MPIDR(1) | ICC_IAR1_EL1),
			 -ENXIO);
	assert_int_equal(device_has(gic, GRP_SYSREGS, MPIDR(8) | ICC_PMR_EL1),
			 -EINVAL);
	assert_int_equal(device_has(gic, GRP_LEVEL, MPIDR(0) | 32), 0);
	assert_int_equal(device_has(gic, GRP_LEVEL, MPIDR(0) | 1 << 10 | 32),
			 -ENXIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_create_rules),
		cmocka_unit_test(test_create_after_run),
		T(test_addr_dist),
		T(test_addr_dist_wraps),
		T(test_addr_redist_legacy),
		T(test_addr_region),
		T(test_addr_unknown),
		T(test_mmio_mapped_at_init),
		T(test_mmio_regions_last),
		T(test_mmio_regions_gap),
		T(test_mmio_conflict),
		T(test_mmio_conflict_after_init),
		T(test_nr_irqs),
		T(test_nr_irqs_default),
		T(test_ctrl),
		cmocka_unit_test(test_ctrl_no_vcpu),
		T(test_regs_errors),
		T(test_has_attr_regs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
