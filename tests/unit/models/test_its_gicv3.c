// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS against the real software GICv3: an MSI is translated into an
 * LPI made pending in the redistributor, the vCPU's IRQ line rises on
 * the fake host, and the guest acknowledges and EOIs it through the CPU
 * interface.  Also INV with the property table, MOVI/MAPC moving the
 * pending LPI between vCPUs, DISCARD, EnableLPIs off, and an ITS
 * save/restore into a fresh VM that delivers again, by hand and with
 * the snapshot streams of both devices (an LPI pending across them).
 */
#include <pthread.h>

#include "kvmkit/attr_stream.h"
#include "test_its_common.h"
#include "gic/gicv3.h"

#define DIST_BASE 0x08000000ULL
#define REDIST_BASE 0x080a0000ULL	/* after the ITS frame */
#define PROP_TBL (RAM_BASE + 0x200000)	/* 64K LPIs' property bytes */
#define PEND_TBL(cpu) (RAM_BASE + 0x300000 + (uint64_t)(cpu) * 0x10000)
#define GICR_CTLR 0x0
#define GICR_PROPBASER 0x70
#define GICR_PENDBASER 0x78
#define LPI_PRIO 0xa0
#define NR_VCPUS 2

struct vm {
	struct fake_host *fh;
	struct device *gic;
	struct its_fx its;	/* .gic unused: the real one is @gic */
};

static void prop_set(struct vm *vm, uint32_t intid, uint8_t val)
{
	*(uint8_t *)fake_ram(vm->fh, PROP_TBL + intid - 8192) = val;
}

static uint64_t rd(int cpu)
{
	return REDIST_BASE + (uint64_t)cpu * 0x20000;
}

static void cpuif_write(struct vm *vm, int cpu, uint32_t instr, uint64_t v)
{
	assert_int_equal(gicv3_cpuif_sysreg(vm->gic, cpu, instr, &v, true), 0);
}

/* GIC, ITS, redistributors with LPIs on, CPU interfaces open. */
static struct vm *vm_new(void)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	uint64_t a;

	assert_non_null(vm);
	vm->fh = fake_host_new(RAM_BASE, RAM_SIZE, NR_VCPUS);
	assert_int_equal(gicv3_soft_model.create(&vm->fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &vm->gic), 0);
	fake_host_add_device(vm->fh, vm->gic);
	vm->its.fh = vm->fh;
	vm->its.its = its_new(vm->fh);
	fake_host_add_device(vm->fh, vm->its.its);
	vm->its.base = ITS_BASE;
	vm->its.cmdq = CMDQ;
	assert_int_equal(its_set_base(vm->its.its, ITS_BASE), 0);

	a = DIST_BASE;
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST, &a), 0);
	a = REDIST_BASE;
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST, &a), 0);
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	/* GICD_CTLR: ARE, EnableGrp1. */
	fake_mmio_write32(vm->fh, 0, DIST_BASE, 0x12);
	for (int cpu = 0; cpu < NR_VCPUS; cpu++) {
		/* IDbits 15: 16-bit INTIDs. */
		fake_mmio_write64(vm->fh, cpu, rd(cpu) + GICR_PROPBASER,
				  PROP_TBL | 15);
		fake_mmio_write64(vm->fh, cpu, rd(cpu) + GICR_PENDBASER,
				  PEND_TBL(cpu));
		fake_mmio_write32(vm->fh, cpu, rd(cpu) + GICR_CTLR, 1);
		assert_int_equal(fake_mmio_read32(vm->fh, cpu,
						  rd(cpu) + GICR_CTLR) & 1, 1);
		cpuif_write(vm, cpu, ICC_PMR_EL1, 0xff);
		cpuif_write(vm, cpu, ICC_IGRPEN1_EL1, 1);
	}
	return vm;
}

static void vm_free(struct vm *vm)
{
	device_destroy(vm->its.its);
	device_destroy(vm->gic);
	fake_host_free(vm->fh);
	free(vm);
}

static int irq_line(struct vm *vm, int cpu)
{
	return vm->fh->lines[cpu][CPU_LINE_IRQ];
}

/* ITS on, device 1 with EventIDs 0..15, collections 0/1 -> vCPU 0/1. */
static struct vm *vm_its(void)
{
	struct vm *vm = vm_new();

	fx_enable(&vm->its);
	cmd_mapd(&vm->its, 1, 4, ITT_BASE, true);
	cmd_mapc(&vm->its, 0, 0, true);
	cmd_mapc(&vm->its, 1, 1, true);
	return vm;
}

static void test_msi_to_cpu(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	prop_set(vm, 8192, LPI_PRIO | 1);
	cmd_mapti(fx, 1, 0, 8192, 0);
	assert_int_equal(irq_line(vm, 0), 0);
	/* MSI -> LPI 8192 pending on vCPU 0 -> its IRQ line. */
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_true(gicv3_lpi_ops_of(vm->gic)->is_pending(vm->gic, 0, 8192));
	assert_int_equal(irq_line(vm, 0), 1);
	assert_int_equal(irq_line(vm, 1), 0);
	/* The guest acknowledges it: line down, LPI no longer pending. */
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 8192);
	assert_int_equal(irq_line(vm, 0), 0);
	assert_false(gicv3_lpi_ops_of(vm->gic)->is_pending(vm->gic, 0, 8192));
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 1023);
	assert_int_equal(gicv3_cpuif_eoi(vm->gic, 0, 1, 8192), 0);
	/* An INT command does the same. */
	cmd_dev_ev(fx, CMD_INT, 1, 0);
	assert_int_equal(irq_line(vm, 0), 1);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 8192);
	assert_int_equal(gicv3_cpuif_eoi(vm->gic, 0, 1, 8192), 0);
	assert_int_equal(irq_line(vm, 0), 0);
	/* Through the x86 testbench's MMIO window as well. */
	assert_int_equal(gicv3_cpuif_map_window(vm->gic, 0x09000000), 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(irq_line(vm, 0), 1);
	assert_int_equal(fake_mmio_read32(vm->fh, 0, 0x09000000 +
							     GICV3_WIN_IAR1),
			 8192);
	fake_mmio_write32(vm->fh, 0, 0x09000000 + GICV3_WIN_EOIR1, 8192);
	assert_int_equal(irq_line(vm, 0), 0);
	vm_free(vm);
}

static void test_priority_order(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	prop_set(vm, 8192, 0xc0 | 1);
	prop_set(vm, 9000, 0x40 | 1);
	cmd_mapti(fx, 1, 0, 8192, 0);
	cmd_mapti(fx, 1, 1, 9000, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(msi(fx, 1, 1), 0);
	/* Higher priority (lower value) first. */
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 9000);
	assert_int_equal(gicv3_cpuif_eoi(vm->gic, 0, 1, 9000), 0);
	assert_int_equal(irq_line(vm, 0), 1);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 8192);
	assert_int_equal(gicv3_cpuif_eoi(vm->gic, 0, 1, 8192), 0);
	assert_int_equal(irq_line(vm, 0), 0);
	vm_free(vm);
}

static void test_inv(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	/* Disabled in the property table: pending but not signalled. */
	prop_set(vm, 8200, LPI_PRIO);
	cmd_mapti(fx, 1, 2, 8200, 1);
	assert_int_equal(msi(fx, 1, 2), 0);
	assert_true(gicv3_lpi_ops_of(vm->gic)->is_pending(vm->gic, 1, 8200));
	assert_int_equal(irq_line(vm, 1), 0);
	/* The guest enables it; the GIC only sees it after INV. */
	prop_set(vm, 8200, LPI_PRIO | 1);
	cmd_dev_ev(fx, CMD_SYNC, 0, 0);
	cmd_dev_ev(fx, CMD_INV, 1, 2);
	assert_int_equal(irq_line(vm, 1), 1);
	/* INVALL after disabling it again. */
	prop_set(vm, 8200, LPI_PRIO);
	cmd_invall(fx, 1);
	assert_int_equal(irq_line(vm, 1), 0);
	prop_set(vm, 8200, LPI_PRIO | 1);
	cmd_invall(fx, 1);
	assert_int_equal(irq_line(vm, 1), 1);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 1, 1), 8200);
	vm_free(vm);
}

static void test_move(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	prop_set(vm, 8192, LPI_PRIO | 1);
	cmd_mapti(fx, 1, 0, 8192, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(irq_line(vm, 0), 1);
	/* MOVI to collection 1: the pending LPI follows to vCPU 1. */
	cmd_movi(fx, 1, 0, 1);
	assert_int_equal(irq_line(vm, 0), 0);
	assert_int_equal(irq_line(vm, 1), 1);
	/* MAPC retargeting collection 1 to vCPU 0 brings it back. */
	cmd_mapc(fx, 1, 0, true);
	assert_int_equal(irq_line(vm, 1), 0);
	assert_int_equal(irq_line(vm, 0), 1);
	/* MOVALL moves everything pending on vCPU 0 to vCPU 1. */
	cmd_movall(fx, 0, 1);
	assert_int_equal(irq_line(vm, 0), 0);
	assert_int_equal(irq_line(vm, 1), 1);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 1, 1), 8192);
	vm_free(vm);
}

static void test_discard_clear(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	prop_set(vm, 8192, LPI_PRIO | 1);
	prop_set(vm, 8193, LPI_PRIO | 1);
	cmd_mapti(fx, 1, 0, 8192, 0);
	cmd_mapti(fx, 1, 1, 8193, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	cmd_dev_ev(fx, CMD_CLEAR, 1, 0);
	assert_int_equal(irq_line(vm, 0), 0);
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_int_equal(irq_line(vm, 0), 1);
	cmd_dev_ev(fx, CMD_DISCARD, 1, 1);
	assert_int_equal(irq_line(vm, 0), 0);
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_int_equal(irq_line(vm, 0), 0);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 1023);
	vm_free(vm);
}

static void test_lpis_off(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	prop_set(vm, 8192, LPI_PRIO | 1);
	cmd_mapti(fx, 1, 0, 8192, 1);
	fake_mmio_write32(vm->fh, 1, rd(1) + GICR_CTLR, 0);
	assert_int_equal(msi(fx, 1, 0), -EBUSY);
	cmd_dev_ev(fx, CMD_INT, 1, 0);
	assert_int_equal(irq_line(vm, 1), 0);
	fake_mmio_write32(vm->fh, 1, rd(1) + GICR_CTLR, 1);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(irq_line(vm, 1), 1);
	vm_free(vm);
}

static void test_lpi_range(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;

	/* The GIC's IDbits bound MAPTI: 16 bits with an ITS. */
	assert_int_equal(gicv3_lpi_ops_of(vm->gic)->lpi_id_bits(vm->gic), 16);
	prop_set(vm, 65535, LPI_PRIO | 1);
	cmd_mapti(fx, 1, 0, 65535, 0);
	cmd_mapti(fx, 1, 1, 65536, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 65535);
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_int_equal(irq_line(vm, 0), 0);
	vm_free(vm);
}

static void test_save_restore(void **state)
{
	struct vm *a = vm_its();
	struct vm *b;
	uint64_t r[8];
	static const uint64_t offs[] = { R_IIDR,   R_CBASER, R_BASER0,
					 R_BASER1, R_CWRITER, R_CREADR };

	prop_set(a, 8192, LPI_PRIO | 1);
	prop_set(a, 8300, LPI_PRIO | 1);
	cmd_mapti(&a->its, 1, 0, 8192, 0);
	cmd_mapti(&a->its, 1, 7, 8300, 1);
	assert_int_equal(its_ctrl(a->its.its, KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
	for (size_t i = 0; i < 6; i++)
		r[i] = its_rreg(a->its.its, offs[i]);
	r[6] = its_rreg(a->its.its, R_CTLR);

	/* A fresh VM: RAM, then the GIC as its restore leaves it, then the
	 * ITS in the documented order. */
	b = vm_new();
	memcpy(fake_ram(b->fh, RAM_BASE), fake_ram(a->fh, RAM_BASE), RAM_SIZE);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(its_wreg(b->its.its, offs[i], r[i]), 0);
	assert_int_equal(its_ctrl(b->its.its, KVM_DEV_ARM_ITS_RESTORE_TABLES),
			 0);
	assert_int_equal(its_wreg(b->its.its, R_CTLR, r[6]), 0);
	assert_int_equal(its_rreg(b->its.its, R_CTLR), 0x80000001);
	assert_int_equal(msi(&b->its, 1, 7), 0);
	assert_int_equal(irq_line(b, 1), 1);
	assert_int_equal(gicv3_cpuif_ack(b->gic, 1, 1), 8300);
	assert_int_equal(msi(&b->its, 1, 0), 0);
	assert_int_equal(gicv3_cpuif_ack(b->gic, 0, 1), 8192);
	/* Commands carry on in the restored queue. */
	cmd_dev_ev(&b->its, CMD_DISCARD, 1, 0);
	assert_int_equal(msi(&b->its, 1, 0), 0);
	assert_int_equal(irq_line(b, 0), 0);
	vm_free(b);
	vm_free(a);
}

/* What the machine makes before a restore: devices, addresses, INIT. */
static struct vm *vm_bare(void)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	uint64_t a;

	assert_non_null(vm);
	vm->fh = fake_host_new(RAM_BASE, RAM_SIZE, NR_VCPUS);
	assert_int_equal(gicv3_soft_model.create(&vm->fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &vm->gic), 0);
	fake_host_add_device(vm->fh, vm->gic);
	vm->its.fh = vm->fh;
	vm->its.its = its_new(vm->fh);
	fake_host_add_device(vm->fh, vm->its.its);
	vm->its.base = ITS_BASE;
	vm->its.cmdq = CMDQ;
	assert_int_equal(its_set_base(vm->its.its, ITS_BASE), 0);
	a = DIST_BASE;
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST, &a), 0);
	a = REDIST_BASE;
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST, &a), 0);
	assert_int_equal(device_set(vm->gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	return vm;
}

static void stream_save(const struct attr_stream_ops *ops,
			struct device *dev, struct attr_stream *s)
{
	attr_stream_init(s);
	assert_int_equal(ops->save_stream(dev, s), 0);
}

static void stream_restore(const struct attr_stream_ops *ops,
			   struct device *dev, const struct attr_stream *saved)
{
	struct attr_stream s;

	attr_stream_open(&s, saved->buf, saved->len);
	assert_int_equal(ops->restore_stream(dev, &s), 0);
}

/*
 * A snapshot's order: the GICv3's stream (SAVE_PENDING_TABLES), then the
 * ITS's (SAVE_TABLES), then RAM; restore in creation order, GIC first.
 * An LPI pending at vCPU 0 survives, once; new MSIs translate.
 */
static void test_streams(void **state)
{
	struct vm *a = vm_its(), *b;
	struct attr_stream gs, is;

	prop_set(a, 8192, LPI_PRIO | 1);
	prop_set(a, 8300, LPI_PRIO | 1);
	cmd_mapti(&a->its, 1, 0, 8192, 0);
	cmd_mapti(&a->its, 1, 7, 8300, 1);
	assert_int_equal(msi(&a->its, 1, 0), 0);
	assert_int_equal(irq_line(a, 0), 1);
	stream_save(&gicv3_stream_ops, a->gic, &gs);
	stream_save(&its_stream_ops, a->its.its, &is);

	b = vm_bare();
	memcpy(fake_ram(b->fh, RAM_BASE), fake_ram(a->fh, RAM_BASE), RAM_SIZE);
	stream_restore(&gicv3_stream_ops, b->gic, &gs);
	stream_restore(&its_stream_ops, b->its.its, &is);
	assert_int_equal(its_rreg(b->its.its, R_CTLR), 0x80000001);
	assert_int_equal(irq_line(b, 0), 1);
	assert_int_equal(irq_line(b, 1), 0);
	assert_int_equal(gicv3_cpuif_ack(b->gic, 0, 1), 8192);
	assert_int_equal(gicv3_cpuif_eoi(b->gic, 0, 1, 8192), 0);
	assert_int_equal(irq_line(b, 0), 0);
	assert_int_equal(gicv3_cpuif_ack(b->gic, 0, 1), 1023);
	assert_int_equal(msi(&b->its, 1, 7), 0);
	assert_int_equal(irq_line(b, 1), 1);
	assert_int_equal(gicv3_cpuif_ack(b->gic, 1, 1), 8300);
	assert_int_equal(msi(&b->its, 1, 0), 0);
	assert_int_equal(gicv3_cpuif_ack(b->gic, 0, 1), 8192);
	attr_stream_free(&gs);
	attr_stream_free(&is);
	vm_free(b);
	vm_free(a);
}

struct hammer {
	struct vm *vm;
	uint32_t event;
	int errors;
};

static void *hammer_msis(void *arg)
{
	struct hammer *h = arg;

	for (int i = 0; i < 2000; i++) {
		int ret = msi(&h->vm->its, 1, h->event);

		/* -EBUSY only while the target has LPIs off: never here. */
		if (ret)
			h->errors++;
		(void)fake_mmio_read32(h->vm->fh, 1, ITS_BASE + R_CTLR);
	}
	return NULL;
}

/* MSIs from two threads while the "guest" retargets and acknowledges. */
static void test_concurrent(void **state)
{
	struct vm *vm = vm_its();
	struct its_fx *fx = &vm->its;
	struct hammer h[2] = { { vm, 0, 0 }, { vm, 1, 0 } };
	pthread_t t[2];
	int acks = 0;

	prop_set(vm, 8192, LPI_PRIO | 1);
	prop_set(vm, 8193, LPI_PRIO | 1);
	cmd_mapti(fx, 1, 0, 8192, 0);
	cmd_mapti(fx, 1, 1, 8193, 1);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer_msis, &h[i]),
				 0);
	for (int i = 0; i < 300; i++) {
		cmd_movi(fx, 1, 0, i % 2);
		cmd_mapc(fx, 1, (i + 1) % 2, true);
		for (int cpu = 0; cpu < NR_VCPUS; cpu++) {
			uint32_t id = gicv3_cpuif_ack(vm->gic, cpu, 1);

			if (id != 1023) {
				acks++;
				gicv3_cpuif_eoi(vm->gic, cpu, 1, id);
			}
		}
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(h[0].errors + h[1].errors, 0);
	/* Drain: whatever is left pending is delivered exactly once. */
	for (int cpu = 0; cpu < NR_VCPUS; cpu++) {
		uint32_t id;

		while ((id = gicv3_cpuif_ack(vm->gic, cpu, 1)) != 1023) {
			assert_true(id == 8192 || id == 8193);
			gicv3_cpuif_eoi(vm->gic, cpu, 1, id);
			acks++;
		}
		assert_int_equal(irq_line(vm, cpu), 0);
	}
	assert_true(acks > 0);
	assert_true(mmio_r64(fx, R_CREADR) == mmio_r64(fx, R_CWRITER));
	vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msi_to_cpu),
		cmocka_unit_test(test_priority_order),
		cmocka_unit_test(test_inv),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_discard_clear),
		cmocka_unit_test(test_lpis_off),
		cmocka_unit_test(test_lpi_range),
		cmocka_unit_test(test_save_restore),
		cmocka_unit_test(test_streams),
		cmocka_unit_test(test_concurrent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
