// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv3 LPIs: PROPBASER/PENDBASER, EnableLPIs, the property
 * and pending tables in guest RAM (bytes checked), delivery, cached
 * configuration and its invalidation, SAVE_PENDING_TABLES with the
 * first kB untouched, hostile table addresses, and struct gicv3_lpi_ops.
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
#include "gic/gicv3_lpi.h"

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x40000ULL
#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define RD_SIZE		0x20000ULL
#define PROP		(RAM_BASE + 0x10000)
#define PEND(cpu)	(RAM_BASE + 0x20000 + (cpu) * 0x10000ULL)
#define NCPUS		2
#define BASER_ATTRS	(3ULL << 7 | 1ULL << 10)	/* RaWb, inner sh. */
#define PTZ		(1ULL << 62)

#define GRP_REDIST	KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define MPIDR(aff)	((uint64_t)(aff) << 32)
#define SAVE		KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES

static struct fake_host *fh;
static struct device *gic;
static const struct gicv3_lpi_ops *ops;
static struct device its_dummy = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };

static int set64(uint32_t group, uint64_t attr, uint64_t v)
{
	return device_set(gic, group, attr, &v);
}

static void make_gic(bool with_its)
{
	fh = fake_host_new(RAM_BASE, RAM_SIZE, NCPUS);
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &gic), 0);
	fake_host_add_device(fh, gic);
	if (with_its)
		fake_host_add_device(fh, &its_dummy);
	assert_int_equal(set64(KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_DIST, DIST), 0);
	assert_int_equal(set64(KVM_DEV_ARM_VGIC_GRP_ADDR,
			       KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST), 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	ops = gicv3_lpi_ops_of(gic);
	assert_non_null(ops);
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

/* Tables programmed by the guest, LPIs on, both CPUs open. */
static int setup(void **state)
{
	make_gic(true);
	fake_mmio_write32(fh, 0, DIST, 2);
	for (int i = 0; i < NCPUS; i++) {
		fake_mmio_write64(fh, i, rd(i) + 0x70, PROP | BASER_ATTRS | 15);
		fake_mmio_write64(fh, i, rd(i) + 0x78, PEND(i) | BASER_ATTRS);
		sysreg_set(i, ICC_PMR_EL1, 0xff);
		sysreg_set(i, ICC_IGRPEN1_EL1, 1);
	}
	return 0;
}

static void enable_lpis(int cpu)
{
	fake_mmio_write32(fh, cpu, rd(cpu) + 0x0, 1);
}

static int setup_enabled(void **state)
{
	setup(state);
	enable_lpis(0);
	enable_lpis(1);
	return 0;
}

static int teardown(void **state)
{
	device_destroy(gic);
	fake_host_free(fh);
	return 0;
}

static uint8_t *prop(uint32_t intid)
{
	return fake_ram(fh, PROP + intid - 8192);
}

static uint8_t *pend(int cpu, uint32_t byte)
{
	return fake_ram(fh, PEND(cpu) + byte);
}

static int irq_line(int cpu)
{
	return fh->lines[cpu][CPU_LINE_IRQ];
}

static uint64_t guest_rd(int cpu, uint32_t instr)
{
	uint64_t v = 0;

	assert_int_equal(gicv3_cpuif_sysreg(gic, cpu, instr, &v, false), 0);
	return v;
}

/* ---- interface ------------------------------------------------------- */

static void test_iface(void **state)
{
	struct device other = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };

	assert_ptr_equal(ops, gic->iface);
	assert_null(gicv3_lpi_ops_of(&other));
	assert_null(gicv3_lpi_ops_of(NULL));
	assert_int_equal(ops->nr_redists(gic), NCPUS);
	assert_int_equal(ops->lpi_id_bits(gic), 16);
	assert_false(ops->lpis_enabled(gic, 0));
	assert_false(ops->lpis_enabled(gic, 5));
	/* GICR_TYPER.PLPIS */
	assert_int_equal(fake_mmio_read32(fh, 0, rd(0) + 0x8) & 1, 1);
}

static void test_without_its(void **state)
{
	make_gic(false);
	fake_mmio_write64(fh, 0, rd(0) + 0x70, PROP | BASER_ATTRS | 15);
	assert_int_equal(ops->lpi_id_bits(gic), 10);
	assert_int_equal(fake_mmio_read32(fh, 0, rd(0) + 0x8) & 1, 0);
	enable_lpis(0);		/* ignored, as KVM without an ITS */
	assert_int_equal(fake_mmio_read32(fh, 0, rd(0)), 0x6);
	assert_false(ops->lpis_enabled(gic, 0));
	assert_int_equal(ops->set_pending(gic, 0, 8192), -EINVAL);
	teardown(state);
}

static void test_baser_sanitise(void **state)
{
	uint32_t lo, hi;

	teardown(state);
	make_gic(true);
	/* reset: RaWb, inner shareable */
	assert_int_equal(fake_mmio_read64(fh, 0, rd(0) + 0x70), 0x580);
	assert_int_equal(fake_mmio_read64(fh, 1, rd(1) + 0x78), 0x580);
	/* outer shareable -> inner, inner nC -> RaWb, outer WaWb -> 0 */
	fake_mmio_write64(fh, 0, rd(0) + 0x70,
			  PROP | 2ULL << 10 | 1ULL << 7 | 5ULL << 56 |
			  0x1fULL << 59 | 3ULL << 5 | 13);
	assert_int_equal(fake_mmio_read64(fh, 0, rd(0) + 0x70),
			 PROP | 1ULL << 10 | 3ULL << 7 | 13);
	/* PROPBASER is one register for all redistributors, as KVM */
	assert_int_equal(fake_mmio_read64(fh, 1, rd(1) + 0x70),
			 PROP | 1ULL << 10 | 3ULL << 7 | 13);
	/* PENDBASER: PTZ is write-only, RES0 dropped, outer nC kept */
	fake_mmio_write64(fh, 1, rd(1) + 0x78,
			  PEND(1) | PTZ | 1ULL << 56 | 1ULL << 63 | 0xf000 |
			  0x7f | BASER_ATTRS);
	assert_int_equal(fake_mmio_read64(fh, 1, rd(1) + 0x78),
			 PEND(1) | 1ULL << 56 | BASER_ATTRS);
	/* 32-bit halves through the attribute interface */
	lo = (uint32_t)(PEND(0) | BASER_ATTRS);
	hi = 1u << 24;		/* outer cache nC in the upper half */
	assert_int_equal(device_set(gic, GRP_REDIST, MPIDR(0) | 0x78, &lo), 0);
	assert_int_equal(device_set(gic, GRP_REDIST, MPIDR(0) | 0x7c, &hi), 0);
	assert_int_equal(fake_mmio_read64(fh, 0, rd(0) + 0x78),
			 PEND(0) | BASER_ATTRS | 1ULL << 56);
	assert_int_equal(device_get(gic, GRP_REDIST, MPIDR(0) | 0x7c, &hi), 0);
	assert_int_equal(hi, 1u << 24);
}

static void test_enable_lpis(void **state)
{
	assert_int_equal(ops->set_pending(gic, 0, 8192), -EBUSY);
	enable_lpis(0);
	assert_true(ops->lpis_enabled(gic, 0));
	assert_false(ops->lpis_enabled(gic, 1));
	assert_int_equal(fake_mmio_read32(fh, 0, rd(0)), 0x7);
	/* table bases are frozen while LPIs are on */
	fake_mmio_write64(fh, 0, rd(0) + 0x78, 0x10000 | BASER_ATTRS);
	fake_mmio_write64(fh, 0, rd(0) + 0x70, 0x10000 | BASER_ATTRS);
	assert_int_equal(fake_mmio_read64(fh, 0, rd(0) + 0x78),
			 PEND(0) | BASER_ATTRS);
	assert_int_equal(fake_mmio_read64(fh, 0, rd(0) + 0x70),
			 PROP | BASER_ATTRS | 15);
	/* ... through vCPU 1's frame too until it enables LPIs */
	fake_mmio_write64(fh, 1, rd(1) + 0x70, PROP | BASER_ATTRS | 14);
	assert_int_equal(fake_mmio_read64(fh, 0, rd(0) + 0x70),
			 PROP | BASER_ATTRS | 14);
}

/* ---- delivery -------------------------------------------------------- */

static void test_lpi_delivery(void **state)
{
	*prop(8192) = 0xa1;		/* priority 0xa0, enabled */
	*prop(8193) = 0x11;		/* priority 0x10, enabled */
	*prop(8194) = 0x10;		/* disabled */
	assert_int_equal(ops->set_pending(gic, 0, 8194), 0);
	assert_int_equal(irq_line(0), 0);
	assert_true(ops->is_pending(gic, 0, 8194));
	assert_int_equal(ops->set_pending(gic, 0, 8192), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(irq_line(1), 0);
	assert_int_equal(guest_rd(0, ICC_HPPIR1_EL1), 8192);
	assert_int_equal(ops->set_pending(gic, 0, 8193), 0);
	assert_int_equal(guest_rd(0, ICC_HPPIR1_EL1), 8193);
	/* an SPI in between */
	fake_mmio_access(fh, 0, DIST + 0x400 + 40, (uint8_t[1]){ 0x80 }, 1,
			 true);
	fake_mmio_write32(fh, 0, DIST + 0x104, 1 << 8);
	assert_int_equal(device_set_irq(gic, 40, 1), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 8193);
	assert_false(ops->is_pending(gic, 0, 8193));
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0x10);
	assert_int_equal(gicv3_cpuif_eoi(gic, 0, 1, 8193), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 40);
	assert_int_equal(gicv3_cpuif_eoi(gic, 0, 1, 40), 0);
	assert_int_equal(device_set_irq(gic, 40, 0), 0);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 8192);
	/* LPIs have no active state: an EOI only drops priority */
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xa0);
	assert_int_equal(gicv3_cpuif_eoi(gic, 0, 1, 8192), 0);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xff);
	assert_int_equal(irq_line(0), 0);
}

static void test_lpi_ranges(void **state)
{
	assert_int_equal(ops->set_pending(gic, 0, 8191), -EINVAL);
	assert_int_equal(ops->set_pending(gic, 0, 65536), -EINVAL);
	assert_int_equal(ops->set_pending(gic, 2, 8192), -EINVAL);
	assert_int_equal(ops->set_pending(gic, -1, 8192), -EINVAL);
	assert_int_equal(ops->set_pending(gic, 1, 65535), 0);
	assert_int_equal(ops->clear_pending(gic, 0, 100), -EINVAL);
	assert_int_equal(ops->clear_pending(gic, 3, 8192), -EINVAL);
	assert_false(ops->is_pending(gic, 9, 8192));
	assert_false(ops->is_pending(gic, 0, 70000));
	assert_int_equal(ops->move(gic, 8192, 0, 2), -EINVAL);
	assert_int_equal(ops->move(gic, 20, 0, 1), -EINVAL);
	assert_int_equal(ops->move_all(gic, -1, 0), -EINVAL);
	assert_int_equal(ops->invalidate(gic, 8000), -EINVAL);
	assert_int_equal(ops->invalidate_all(gic, 2), -EINVAL);
	assert_int_equal(ops->nr_redists(NULL), -EINVAL);
	assert_int_equal(ops->set_pending(NULL, 0, 8192), -EINVAL);
}

static void test_lpi_propbaser_idbits(void **state)
{
	/* PROPBASER.IDbits = 13: 14 bits, LPIs up to 16383 */
	for (int i = 0; i < NCPUS; i++)
		fake_mmio_write64(fh, i, rd(i) + 0x70, PROP | BASER_ATTRS | 13);
	enable_lpis(0);
	assert_int_equal(ops->set_pending(gic, 0, 16383), 0);
	assert_int_equal(ops->set_pending(gic, 0, 16384), -EINVAL);
	/* fewer than 14 bits: no LPIs at all */
	fake_mmio_write64(fh, 1, rd(1) + 0x70, PROP | BASER_ATTRS | 12);
	enable_lpis(1);
	assert_int_equal(ops->set_pending(gic, 1, 8192), -EINVAL);
}

static void test_lpi_move_clear(void **state)
{
	*prop(8200) = 0x81;
	assert_int_equal(ops->set_pending(gic, 0, 8200), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(ops->move(gic, 8200, 0, 1), 0);
	assert_false(ops->is_pending(gic, 0, 8200));
	assert_true(ops->is_pending(gic, 1, 8200));
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(irq_line(1), 1);
	assert_int_equal(ops->set_pending(gic, 1, 8300), 0);
	assert_int_equal(ops->move_all(gic, 1, 0), 0);
	assert_true(ops->is_pending(gic, 0, 8200));
	assert_true(ops->is_pending(gic, 0, 8300));
	assert_false(ops->is_pending(gic, 1, 8300));
	assert_int_equal(irq_line(1), 0);
	assert_int_equal(ops->clear_pending(gic, 0, 8200), 0);
	assert_int_equal(ops->clear_pending(gic, 0, 8300), 0);
	assert_int_equal(irq_line(0), 0);
	/* moving to a vCPU with LPIs off drops it */
	fake_mmio_write32(fh, 1, rd(1), 0);
	assert_int_equal(ops->set_pending(gic, 0, 8200), 0);
	assert_int_equal(ops->move(gic, 8200, 0, 1), 0);
	assert_false(ops->is_pending(gic, 0, 8200));
	assert_false(ops->is_pending(gic, 1, 8200));
}

static void test_lpi_config_cache(void **state)
{
	*prop(8192) = 0x80;			/* disabled */
	assert_int_equal(ops->set_pending(gic, 0, 8192), 0);
	assert_int_equal(irq_line(0), 0);
	*prop(8192) = 0x81;			/* cached: no effect yet */
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(ops->invalidate(gic, 8192), 0);	/* INV */
	assert_int_equal(irq_line(0), 1);
	*prop(8192) = 0x80;
	assert_int_equal(ops->invalidate_all(gic, 0), 0);	/* INVALL */
	assert_int_equal(irq_line(0), 0);
	/* GICR_INVLPIR: upper word ignored, lower word the INTID */
	*prop(8192) = 0x81;
	fake_mmio_write32(fh, 0, rd(0) + 0xa4, 8192);
	assert_int_equal(irq_line(0), 0);
	fake_mmio_write64(fh, 0, rd(0) + 0xa0, 8192);
	assert_int_equal(irq_line(0), 1);
	/* GICR_INVALLR */
	*prop(8192) = 0x80;
	fake_mmio_write64(fh, 0, rd(0) + 0xb0, 0);
	assert_int_equal(irq_line(0), 0);
	/* priority changes need an invalidation too (0xf8 is masked) */
	*prop(8192) = 0xf9;
	assert_int_equal(ops->invalidate(gic, 8192), 0);
	assert_int_equal(irq_line(0), 0);
	*prop(8192) = 0xf5;
	assert_int_equal(ops->invalidate(gic, 8192), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 8192);
	assert_int_equal(guest_rd(0, ICC_RPR_EL1), 0xf0);
}

static void test_lpis_disable_drops(void **state)
{
	*prop(8192) = 0x81;
	assert_int_equal(ops->set_pending(gic, 1, 8192), 0);
	assert_int_equal(irq_line(1), 1);
	fake_mmio_write32(fh, 1, rd(1), 0);
	assert_false(ops->lpis_enabled(gic, 1));
	assert_false(ops->is_pending(gic, 1, 8192));
	assert_int_equal(irq_line(1), 0);
	assert_int_equal(fake_mmio_read32(fh, 1, rd(1)), 0x6);
}

/* ---- pending tables ---------------------------------------------------- */

static void test_pending_table_read(void **state)
{
	memset(pend(0, 0), 0xff, 1024);		/* not LPIs: ignored */
	*pend(0, 1024) = 0x05;			/* 8192, 8194 */
	*pend(0, 2000) = 0x80;			/* 16007 */
	*pend(0, 8191) = 0x80;			/* 65535 */
	*pend(1, 1025) = 0x01;			/* read despite PTZ (KVM) */
	fake_mmio_write64(fh, 1, rd(1) + 0x78, PEND(1) | BASER_ATTRS | PTZ);
	enable_lpis(0);
	enable_lpis(1);
	assert_true(ops->is_pending(gic, 0, 8192));
	assert_false(ops->is_pending(gic, 0, 8193));
	assert_true(ops->is_pending(gic, 0, 8194));
	assert_true(ops->is_pending(gic, 0, 16007));
	assert_true(ops->is_pending(gic, 0, 65535));
	assert_true(ops->is_pending(gic, 1, 8200));
	/* consumed bits are cleared, the first kB stays */
	assert_int_equal(*pend(0, 1024), 0);
	assert_int_equal(*pend(0, 2000), 0);
	assert_int_equal(*pend(0, 1023), 0xff);
	assert_int_equal(*pend(1, 1025), 0);	/* consumed too */
	/* delivered once configured and invalidated */
	*prop(16007) = 0x41;
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(ops->invalidate(gic, 16007), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(guest_rd(0, ICC_IAR1_EL1), 16007);
}

static void test_save_pending_tables(void **state)
{
	memset(pend(0, 0), 0xaa, 1024);
	memset(pend(1, 0), 0x55, 1024);
	*pend(0, 5000) = 0x3c;			/* stale: overwritten */
	assert_int_equal(ops->set_pending(gic, 0, 8192), 0);
	assert_int_equal(ops->set_pending(gic, 0, 8192 + 9), 0);
	assert_int_equal(ops->set_pending(gic, 1, 65535), 0);
	assert_int_equal(ops->set_pending(gic, 1, 20000), 0);
	fh->running = true;
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, SAVE,
				    NULL), -EBUSY);
	fh->running = false;
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, SAVE,
				    NULL), 0);
	for (int i = 0; i < 1024; i++) {
		assert_int_equal(*pend(0, i), 0xaa);
		assert_int_equal(*pend(1, i), 0x55);
	}
	assert_int_equal(*pend(0, 1024), 0x01);
	assert_int_equal(*pend(0, 1025), 0x02);
	assert_int_equal(*pend(0, 5000), 0);
	assert_int_equal(*pend(1, 8191), 0x80);
	assert_int_equal(*pend(1, 20000 / 8), 1 << (20000 % 8));
	for (int i = 1026; i < 8192; i++)
		assert_int_equal(*pend(0, i), 0);
	/* the model keeps its state */
	assert_true(ops->is_pending(gic, 1, 65535));
}

/* A new mapping takes its LPI's bit from the target's table, as KVM. */
static void test_sync_pending(void **state)
{
	uint64_t far = 0x7f00000000ULL;

	*pend(0, 8200 / 8) = 1 << (8200 % 8);
	assert_int_equal(ops->sync_pending(gic, 0, 8200), 0);
	assert_true(ops->is_pending(gic, 0, 8200));
	assert_int_equal(*pend(0, 8200 / 8), 0);		/* consumed */
	assert_int_equal(ops->sync_pending(gic, 0, 8201), 0);
	assert_false(ops->is_pending(gic, 0, 8201));
	assert_int_equal(ops->sync_pending(gic, 2, 8200), -EINVAL);
	assert_int_equal(ops->sync_pending(gic, 0, 100), -EINVAL);
	/* LPIs off on vCPU 1: the bit waits for EnableLPIs */
	fake_mmio_write32(fh, 1, rd(1), 0);
	*pend(1, 8300 / 8) = 1 << (8300 % 8);
	assert_int_equal(ops->sync_pending(gic, 1, 8300), 0);
	assert_int_equal(*pend(1, 8300 / 8), 1 << (8300 % 8));
	/* a table outside RAM: the mapping must be dropped */
	fake_mmio_write64(fh, 1, rd(1) + 0x78, far | BASER_ATTRS);
	assert_int_equal(ops->sync_pending(gic, 1, 8300), -EFAULT);
	/* and saving skips it while nothing is pending there */
	enable_lpis(1);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, SAVE,
				    NULL), 0);
	assert_int_equal(ops->set_pending(gic, 1, 8192), 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, SAVE,
				    NULL), -EFAULT);
}

static void test_hostile_tables(void **state)
{
	uint64_t far = 0x7f00000000ULL;

	/* property table outside guest RAM: LPIs read as disabled */
	fake_mmio_write64(fh, 0, rd(0) + 0x70, far | BASER_ATTRS | 15);
	fake_mmio_write64(fh, 0, rd(0) + 0x78, far | BASER_ATTRS);
	enable_lpis(0);		/* pending table unreadable: skipped */
	assert_true(ops->lpis_enabled(gic, 0));
	assert_int_equal(ops->set_pending(gic, 0, 8192), 0);
	assert_int_equal(irq_line(0), 0);
	assert_int_equal(ops->invalidate(gic, 8192), -EFAULT);
	assert_int_equal(ops->invalidate_all(gic, 0), 0);
	assert_int_equal(irq_line(0), 0);
	fake_mmio_write64(fh, 0, rd(0) + 0xa0, 8192);
	/* saving into a table outside RAM fails cleanly */
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, SAVE,
				    NULL), -EFAULT);
}

static void test_tables_straddle_ram_end(void **state)
{
	uint64_t edge = RAM_BASE + RAM_SIZE - 0x1000;

	/* property table: the first 4 KiB in RAM, the rest beyond it */
	for (int i = 0; i < NCPUS; i++)
		fake_mmio_write64(fh, i, rd(i) + 0x70, edge | BASER_ATTRS | 15);
	*(uint8_t *)fake_ram(fh, edge) = 0x81;		/* LPI 8192 */
	enable_lpis(0);
	assert_int_equal(ops->set_pending(gic, 0, 8192), 0);
	assert_int_equal(irq_line(0), 1);
	assert_int_equal(ops->clear_pending(gic, 0, 8192), 0);
	assert_int_equal(ops->set_pending(gic, 0, 8192 + 0x1000), 0);
	assert_int_equal(irq_line(0), 0);	/* config beyond RAM */
	assert_int_equal(ops->invalidate(gic, 8192 + 0x1000), -EFAULT);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL, SAVE,
				    NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TE(f) cmocka_unit_test_setup_teardown(f, setup_enabled, teardown)
		T(test_iface),
		cmocka_unit_test(test_without_its),
		T(test_baser_sanitise),
		T(test_enable_lpis),
		TE(test_lpi_delivery),
		TE(test_lpi_ranges),
		T(test_lpi_propbaser_idbits),
		TE(test_lpi_move_clear),
		TE(test_sync_pending),
		TE(test_lpi_config_cache),
		TE(test_lpis_disable_drops),
		T(test_pending_table_read),
		TE(test_save_pending_tables),
		T(test_hostile_tables),
		T(test_tables_straddle_ram_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
