// SPDX-License-Identifier: GPL-2.0
/*
 * ITS model: the command queue and every command with good and hostile
 * arguments, MSI translation through signal_msi, and the queue itself
 * (wrap, enable, addresses outside guest RAM), against a fake GICv3.
 */
#include "test_its_common.h"

/* Device 1 (4 EventID bits, ITT at ITT_BASE), collection 0 -> vCPU 0,
 * event 0 -> LPI 8192. */
static struct its_fx *fx_basic(void)
{
	struct its_fx *fx = fx_new_enabled();

	cmd_mapd(fx, 1, 4, ITT_BASE, true);
	cmd_mapc(fx, 0, 0, true);
	cmd_mapti(fx, 1, 0, 8192, 0);
	fx->gic->nr_calls = 0;
	return fx;
}

static void assert_call(struct its_fx *fx, int i, enum fg_op op, int a, int b,
			uint32_t intid)
{
	assert_true(i < fx->gic->nr_calls);
	assert_int_equal(fx->gic->calls[i].op, op);
	assert_int_equal(fx->gic->calls[i].a, a);
	assert_int_equal(fx->gic->calls[i].b, b);
	assert_int_equal(fx->gic->calls[i].intid, intid);
}

static void test_int_basic(void **state)
{
	struct its_fx *fx = fx_basic();

	/* MAPTI read the LPI's configuration (KVM does on mapping). */
	cmd_dev_ev(fx, CMD_INT, 1, 0);
	assert_int_equal(fx->gic->nr_calls, 1);
	assert_call(fx, 0, FG_SET, 0, 0, 8192);
	assert_true(fg_bit(fx->gic, 0, 8192));
	/* Four commands consumed, queue empty again. */
	assert_true(mmio_r64(fx, R_CREADR) == 0x80);
	assert_true(mmio_r64(fx, R_CWRITER) == 0x80);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	fx_free(fx);
}

static void test_mapti_invalidates(void **state)
{
	struct its_fx *fx = fx_new_enabled();

	cmd_mapd(fx, 1, 4, ITT_BASE, true);
	cmd_mapc(fx, 0, 0, true);
	cmd_mapti(fx, 1, 3, 8195, 0);
	assert_int_equal(fx->gic->nr_calls, 1);
	assert_call(fx, 0, FG_INV, 0, 0, 8195);
	/* If the GIC cannot read the configuration, the mapping is dropped. */
	fx->gic->inv_ret = -EFAULT;
	cmd_mapti(fx, 1, 4, 8196, 0);
	fx->gic->inv_ret = 0;
	fx->gic->nr_calls = 0;
	cmd_dev_ev(fx, CMD_INT, 1, 4);
	assert_int_equal(fx->gic->nr_calls, 0);
	cmd_dev_ev(fx, CMD_INT, 1, 3);
	assert_call(fx, 0, FG_SET, 0, 0, 8195);
	fx_free(fx);
}

static void test_msi(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	assert_int_equal(msi(fx, 1, 0), 0);
	assert_call(fx, 0, FG_SET, 0, 0, 8192);
	/* KVM takes any address of the ITS region as its doorbell. */
	assert_int_equal(device_signal_msi(fx->its, ITS_BASE, 0, 1), 0);
	assert_int_equal(device_signal_msi(fx->its, ITS_BASE + 0x1fffc, 0, 1),
			 0);
	assert_int_equal(g->nr_calls, 3);
	/* Not this ITS. */
	assert_int_equal(device_signal_msi(fx->its, ITS_BASE + 0x20000, 0, 1),
			 -EINVAL);
	assert_int_equal(device_signal_msi(fx->its, ITS_BASE - 4, 0, 1),
			 -EINVAL);
	assert_int_equal(device_signal_msi(fx->its, 0, 0, 1), -EINVAL);
	/* Untranslatable: dropped ("blocked"), nothing pending. */
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_int_equal(msi(fx, 1, 16), 0);
	assert_int_equal(msi(fx, 0x10001, 0), 0);
	assert_int_equal(msi(fx, 0xffffffff, 0xffffffff), 0);
	assert_int_equal(g->nr_calls, 0);
	/* Target's LPIs off: -EBUSY, as KVM. */
	g->lpis_on[0] = false;
	assert_int_equal(msi(fx, 1, 0), -EBUSY);
	g->lpis_on[0] = true;
	/* The target redistributor vanished: dropped. */
	g->nr = 0;
	assert_int_equal(msi(fx, 1, 0), 0);
	g->nr = NR_CPUS;
	assert_int_equal(g->nr_calls, 0);
	/* ITS disabled: -EBUSY. */
	mmio_w32(fx, R_CTLR, 0);
	assert_int_equal(msi(fx, 1, 0), -EBUSY);
	assert_int_equal(g->nr_calls, 0);
	fx_free(fx);
}

static void test_msi_no_frame(void **state)
{
	struct fake_host *fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *its = its_new(fh);

	assert_int_equal(device_signal_msi(its, ITS_BASE + TRANSLATER, 0, 0),
			 -EINVAL);
	assert_int_equal(device_signal_msi(its, ~0ULL, 0, 0), -EINVAL);
	device_destroy(its);
	fake_host_free(fh);
}

static void test_mapd(void **state)
{
	struct its_fx *fx = fx_basic();

	/* Re-mapping a device drops its translations, and the pending
	 * state of their LPIs, which KVM frees. */
	cmd_mapd(fx, 1, 4, ITT_BASE + 0x100, true);
	assert_true(fg_find(fx->gic, FG_CLEAR) >= 0);
	fx->gic->nr_calls = 0;
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	cmd_mapti(fx, 1, 0, 8192, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(fg_find(fx->gic, FG_SET), 1);
	/* Unmapping clears the device's DTE in the table (KVM). */
	ram_put64(fx, DEV_TBL + 8 * 1, 0x1234);
	ram_put64(fx, DEV_TBL + 8 * 7, 0x5678);
	cmd_mapd(fx, 1, 4, 0, false);
	cmd_mapd(fx, 7, 4, 0, false);	/* never mapped: fine */
	assert_true(ram_get64(fx, DEV_TBL + 8 * 1) == 0);
	assert_true(ram_get64(fx, DEV_TBL + 8 * 7) == 0);
	fx->gic->nr_calls = 0;
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	/* The full 16 EventID bits are fine. */
	cmd_mapd(fx, 2, 16, ITT_BASE, true);
	cmd_mapti(fx, 2, 0xffff, 9000, 0);
	assert_int_equal(msi(fx, 2, 0xffff), 0);
	assert_true(fg_bit(fx->gic, 0, 9000));
	fx_free(fx);
}

static void test_mapd_hostile(void **state)
{
	struct its_fx *fx = fx_new_enabled();

	cmd_mapc(fx, 0, 0, true);
	/* One 64K page holds DeviceIDs 0..8191. */
	cmd_mapd(fx, 8192, 4, ITT_BASE, true);
	cmd_mapti(fx, 8192, 0, 8192, 0);
	/* DeviceIDs past GITS_TYPER.Devbits. */
	cmd_mapd(fx, 0x10000, 4, ITT_BASE, true);
	cmd_mapti(fx, 0x10000, 0, 8192, 0);
	cmd_mapd(fx, 0xffffffff, 4, ITT_BASE, true);
	cmd_mapti(fx, 0xffffffff, 0, 8192, 0);
	/* More EventID bits than GITS_TYPER.IDbits. */
	cmd_mapd(fx, 3, 17, ITT_BASE, true);
	cmd_mapti(fx, 3, 0, 8192, 0);
	cmd_mapd(fx, 3, 32, ITT_BASE, true);
	cmd_mapti(fx, 3, 0, 8192, 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	assert_int_equal(msi(fx, 8192, 0), 0);
	assert_int_equal(msi(fx, 0x10000, 0), 0);
	assert_int_equal(msi(fx, 3, 0), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	/* A device table outside guest RAM maps nothing. */
	mmio_w32(fx, R_CTLR, 0);
	mmio_w64(fx, R_BASER0, BASER_DEV(0x7f0000));
	mmio_w32(fx, R_CTLR, 1);
	cmd_mapd(fx, 4, 4, ITT_BASE, true);
	cmd_mapti(fx, 4, 0, 8192, 0);
	assert_int_equal(msi(fx, 4, 0), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	/* Straddling the end of RAM: the IDs inside it work. */
	mmio_w32(fx, R_CTLR, 0);
	mmio_w64(fx, R_BASER0, BASER_DEV(RAM_BASE + RAM_SIZE - 0x10000) | 1);
	mmio_w32(fx, R_CTLR, 1);
	cmd_mapd(fx, 8191, 4, ITT_BASE, true);
	cmd_mapd(fx, 8192, 4, ITT_BASE, true);
	cmd_mapti(fx, 8191, 0, 8192, 0);
	cmd_mapti(fx, 8192, 0, 8193, 0);
	assert_int_equal(msi(fx, 8191, 0), 0);
	assert_int_equal(msi(fx, 8192, 0), 0);
	assert_true(fg_bit(fx->gic, 0, 8192));
	assert_false(fg_bit(fx->gic, 0, 8193));
	fx_free(fx);
}

static void test_mapc(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	/* Retargeting a collection moves its LPIs' pending state. */
	cmd_dev_ev(fx, CMD_INT, 1, 0);
	cmd_mapti(fx, 1, 1, 8193, 0);
	g->nr_calls = 0;
	cmd_mapc(fx, 0, 2, true);
	assert_int_equal(g->nr_calls, 2);
	assert_call(fx, 0, FG_MOVE, 0, 2, 8192);
	assert_call(fx, 1, FG_MOVE, 0, 2, 8193);
	assert_false(fg_bit(g, 0, 8192));
	assert_true(fg_bit(g, 2, 8192));
	/* Same target again: nothing to move. */
	g->nr_calls = 0;
	cmd_mapc(fx, 0, 2, true);
	assert_int_equal(g->nr_calls, 0);
	/* New translations follow the collection. */
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_call(fx, 0, FG_SET, 2, 0, 8193);
	/* Target past the last redistributor: dropped. */
	g->nr_calls = 0;
	cmd_mapc(fx, 0, NR_CPUS, true);
	cmd_mapc(fx, 0, 0xffffffff, true);
	cmd_mapc(fx, 5, NR_CPUS, true);
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_call(fx, 0, FG_SET, 2, 0, 8193);
	/* An ICID past the collection table (one page: 8192 entries). */
	cmd_mapd(fx, 2, 4, ITT_BASE + 0x100, true);
	cmd_mapc(fx, 8192, 1, true);
	cmd_mapti(fx, 2, 0, 8200, 8192);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_int_equal(g->nr_calls, 0);
	cmd_mapc(fx, 8191, 1, true);
	cmd_mapti(fx, 2, 0, 8200, 8191);
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_true(fg_bit(g, 1, 8200));
	fx_free(fx);
}

static void test_mapc_unmap(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	cmd_mapc(fx, 0, 0, false);
	assert_int_equal(msi(fx, 1, 0), 0);
	cmd_dev_ev(fx, CMD_INT, 1, 0);
	assert_int_equal(g->nr_calls, 0);
	/* The ITE lost its collection for good (KVM): mapping the ICID
	 * again does not revive it, only a new MAPTI after MAPD would. */
	cmd_mapc(fx, 0, 1, true);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(g->nr_calls, 0);
	/* It still occupies its EventID. */
	cmd_mapti(fx, 1, 0, 8300, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(g->nr_calls, 0);
	/* Unmapping an unknown collection is harmless. */
	cmd_mapc(fx, 77, 0, false);
	cmd_mapc(fx, 0xffff, 0xffffffff, false);
	cmd_mapd(fx, 1, 4, ITT_BASE, true);
	cmd_mapti(fx, 1, 0, 8300, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_true(fg_bit(g, 1, 8300));
	fx_free(fx);
}

static void test_mapti(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	/* A mapped EventID keeps its first mapping (UNPREDICTABLE; KVM). */
	cmd_mapti(fx, 1, 0, 9999, 0);
	assert_int_equal(g->nr_calls, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_call(fx, 0, FG_SET, 0, 0, 8192);
	/* MAPI: the LPI is the EventID. */
	cmd_mapd(fx, 5, 14, ITT_BASE + 0x1000, true);
	cmd_mapi(fx, 5, 8200, 0);
	assert_int_equal(msi(fx, 5, 8200), 0);
	assert_true(fg_bit(g, 0, 8200));
	/* An ICID nobody mapped yet: the ITE exists, its collection is
	 * unmapped until MAPC (KVM allocates the collection). */
	cmd_mapti(fx, 1, 2, 8194, 9);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 1, 2), 0);
	assert_int_equal(g->nr_calls, 0);
	cmd_mapc(fx, 9, 3, true);
	assert_int_equal(msi(fx, 1, 2), 0);
	assert_call(fx, 0, FG_SET, 3, 0, 8194);
	fx_free(fx);
}

static void test_mapti_hostile(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	/* Unmapped device. */
	cmd_mapti(fx, 2, 0, 8192, 0);
	/* EventID past the ITT (4 bits). */
	cmd_mapti(fx, 1, 16, 8192, 0);
	cmd_mapti(fx, 1, 0xffffffff, 8192, 0);
	/* LPI out of range: SPIs/PPIs/SGIs, and past GICD_TYPER.IDbits. */
	cmd_mapti(fx, 1, 3, 8191, 0);
	cmd_mapti(fx, 1, 4, 0, 0);
	cmd_mapti(fx, 1, 5, 1U << 16, 0);
	cmd_mapti(fx, 1, 6, 0xffffffff, 0);
	g->id_bits = 14;
	cmd_mapti(fx, 1, 7, 1U << 14, 0);
	cmd_mapi(fx, 1, 8, 0);	/* MAPI: LPI 8 */
	assert_int_equal(g->nr_calls, 0);
	for (uint32_t ev = 3; ev < 9; ev++)
		assert_int_equal(msi(fx, 1, ev), 0);
	assert_int_equal(g->nr_calls, 0);
	cmd_mapti(fx, 1, 7, (1U << 14) - 1, 0);
	assert_int_equal(msi(fx, 1, 7), 0);
	assert_true(fg_bit(g, 0, (1U << 14) - 1));
	/* A GIC claiming absurd IDbits does not overflow the check. */
	g->id_bits = 40;
	cmd_mapti(fx, 1, 9, 0xfffff, 0);
	g->id_bits = 16;
	/* An ITT outside guest RAM: its EventIDs cannot be mapped. */
	cmd_mapd(fx, 3, 4, 0x7fff00, true);
	cmd_mapti(fx, 3, 0, 8192, 0);
	cmd_mapd(fx, 4, 8, RAM_BASE + RAM_SIZE - 8 * 32, true);
	cmd_mapti(fx, 4, 31, 8400, 0);
	cmd_mapti(fx, 4, 32, 8401, 0);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 3, 0), 0);
	assert_int_equal(msi(fx, 4, 31), 0);
	assert_int_equal(msi(fx, 4, 32), 0);
	assert_int_equal(g->nr_calls, 1);
	assert_call(fx, 0, FG_SET, 0, 0, 8400);
	fx_free(fx);
}

static void test_movi(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	cmd_mapc(fx, 1, 3, true);
	cmd_dev_ev(fx, CMD_INT, 1, 0);
	g->nr_calls = 0;
	cmd_movi(fx, 1, 0, 1);
	assert_int_equal(g->nr_calls, 1);
	assert_call(fx, 0, FG_MOVE, 0, 3, 8192);
	assert_false(fg_bit(g, 0, 8192));
	assert_true(fg_bit(g, 3, 8192));
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_call(fx, 1, FG_SET, 3, 0, 8192);
	/* Two collections on one vCPU: no pending state to move. */
	cmd_mapc(fx, 2, 3, true);
	g->nr_calls = 0;
	cmd_movi(fx, 1, 0, 2);
	assert_int_equal(g->nr_calls, 0);
	/* Hostile: unmapped ITE, unknown or unmapped target collection. */
	cmd_movi(fx, 1, 1, 0);
	cmd_movi(fx, 9, 0, 0);
	cmd_movi(fx, 1, 0, 5);
	cmd_mapd(fx, 2, 4, ITT_BASE + 0x100, true);
	cmd_mapti(fx, 2, 0, 8300, 6);	/* collection 6: exists, unmapped */
	g->nr_calls = 0;
	cmd_movi(fx, 1, 0, 6);
	/* ITE whose collection is unmapped. */
	cmd_movi(fx, 2, 0, 0);
	assert_int_equal(g->nr_calls, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_call(fx, 0, FG_SET, 3, 0, 8192);
	fx_free(fx);
}

static void test_discard(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	cmd_dev_ev(fx, CMD_INT, 1, 0);
	ram_put64(fx, ITT_BASE, 0x123456789ULL);
	g->nr_calls = 0;
	cmd_dev_ev(fx, CMD_DISCARD, 1, 0);
	assert_int_equal(g->nr_calls, 1);
	assert_call(fx, 0, FG_CLEAR, 0, 0, 8192);
	assert_false(fg_bit(g, 0, 8192));
	/* The ITE slot is cleared (KVM), the mapping gone. */
	assert_true(ram_get64(fx, ITT_BASE) == 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	/* Twice, or never mapped: nothing. */
	cmd_dev_ev(fx, CMD_DISCARD, 1, 0);
	cmd_dev_ev(fx, CMD_DISCARD, 1, 15);
	cmd_dev_ev(fx, CMD_DISCARD, 77, 0);
	assert_int_equal(g->nr_calls, 1);
	/* An ITE without a mapped collection cannot be discarded (KVM). */
	cmd_mapti(fx, 1, 1, 8193, 4);
	ram_put64(fx, ITT_BASE + 8, 0x99);
	g->nr_calls = 0;
	cmd_dev_ev(fx, CMD_DISCARD, 1, 1);
	assert_int_equal(g->nr_calls, 0);
	assert_true(ram_get64(fx, ITT_BASE + 8) == 0x99);
	cmd_mapc(fx, 4, 1, true);
	assert_int_equal(msi(fx, 1, 1), 0);
	assert_call(fx, 0, FG_SET, 1, 0, 8193);
	/* The EventID can be mapped again after a DISCARD. */
	cmd_mapti(fx, 1, 0, 8210, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_true(fg_bit(g, 0, 8210));
	fx_free(fx);
}

static void test_clear(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	cmd_dev_ev(fx, CMD_INT, 1, 0);
	assert_true(fg_bit(g, 0, 8192));
	g->nr_calls = 0;
	cmd_dev_ev(fx, CMD_CLEAR, 1, 0);
	assert_int_equal(g->nr_calls, 1);
	assert_call(fx, 0, FG_CLEAR, 0, 0, 8192);
	assert_false(fg_bit(g, 0, 8192));
	/* The mapping stays. */
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_true(fg_bit(g, 0, 8192));
	/* Unmapped: nothing. */
	g->nr_calls = 0;
	cmd_dev_ev(fx, CMD_CLEAR, 1, 1);
	cmd_dev_ev(fx, CMD_CLEAR, 2, 0);
	assert_int_equal(g->nr_calls, 0);
	/* No target any more: cleared wherever it is. */
	cmd_mapc(fx, 0, 0, false);
	cmd_dev_ev(fx, CMD_CLEAR, 1, 0);
	assert_int_equal(g->nr_calls, NR_CPUS);
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		assert_call(fx, cpu, FG_CLEAR, cpu, 0, 8192);
	assert_false(fg_bit(g, 0, 8192));
	fx_free(fx);
}

static void test_inv_invall(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	cmd_dev_ev(fx, CMD_INV, 1, 0);
	assert_int_equal(g->nr_calls, 1);
	assert_call(fx, 0, FG_INV, 0, 0, 8192);
	cmd_dev_ev(fx, CMD_INV, 1, 1);
	cmd_dev_ev(fx, CMD_INV, 3, 0);
	assert_int_equal(g->nr_calls, 1);
	cmd_mapc(fx, 3, 2, true);
	cmd_invall(fx, 3);
	assert_int_equal(g->nr_calls, 2);
	assert_call(fx, 1, FG_INVALL, 2, 0, 0);
	/* Unknown or unmapped collection. */
	cmd_invall(fx, 4);
	cmd_mapti(fx, 1, 1, 8193, 5);
	g->nr_calls = 0;
	cmd_invall(fx, 5);
	cmd_invall(fx, 0xffff);
	assert_int_equal(g->nr_calls, 0);
	fx_free(fx);
}

static void test_movall(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	cmd_dev_ev(fx, CMD_INT, 1, 0);
	g->nr_calls = 0;
	cmd_movall(fx, 0, 1);
	assert_int_equal(g->nr_calls, 1);
	assert_call(fx, 0, FG_MOVE_ALL, 0, 1, 0);
	assert_true(fg_bit(g, 1, 8192));
	assert_false(fg_bit(g, 0, 8192));
	/* Same redistributor, or out of range: nothing. */
	cmd_movall(fx, 1, 1);
	cmd_movall(fx, 1, NR_CPUS);
	cmd_movall(fx, NR_CPUS, 0);
	cmd_movall(fx, 0xffffffff, 0);
	assert_int_equal(g->nr_calls, 1);
	/* Translations still follow the collection table. */
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_call(fx, 1, FG_SET, 0, 0, 8192);
	fx_free(fx);
}

static void test_sync_unknown(void **state)
{
	struct its_fx *fx = fx_basic();

	its_cmd(fx, CMD_SYNC, 0, 1ULL << 16, 0);
	its_cmd(fx, 0xff, ~0ULL, ~0ULL, ~0ULL);
	its_cmd(fx, 0x20, ~0ULL, ~0ULL, ~0ULL);	/* VMAPP: no GICv4 */
	its_cmd(fx, 0x00, 0, 0, 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	assert_true(mmio_r64(fx, R_CREADR) == 0xe0);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	fx_free(fx);
}

static void put_cmd(struct its_fx *fx, uint64_t off, uint64_t w0, uint64_t w1,
		    uint64_t w2)
{
	ram_put64(fx, CMDQ + off, w0);
	ram_put64(fx, CMDQ + off + 8, w1);
	ram_put64(fx, CMDQ + off + 16, w2);
	ram_put64(fx, CMDQ + off + 24, 0);
}

static void test_queue_wrap(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	assert_int_equal(its_wreg(its, R_CWRITER, 0xfc0), 0);
	assert_int_equal(its_wreg(its, R_CREADR, 0xfc0), 0);
	mmio_w32(fx, R_CTLR, 1);
	/* Four commands across the end of the 4 KiB ring, one CWRITER. */
	put_cmd(fx, 0xfc0, CMD_MAPD | 1ULL << 32, 3, V63 | ITT_BASE);
	put_cmd(fx, 0xfe0, CMD_MAPC, 0, V63 | 1ULL << 16);
	put_cmd(fx, 0x000, CMD_MAPTI | 1ULL << 32, 8192ULL << 32 | 2, 0);
	put_cmd(fx, 0x020, CMD_INT | 1ULL << 32, 2, 0);
	mmio_w64(fx, R_CWRITER, 0x40);
	assert_true(mmio_r64(fx, R_CREADR) == 0x40);
	assert_true(fg_bit(fx->gic, 1, 8192));
	fx_free(fx);
}

static void test_enable_processes(void **state)
{
	struct its_fx *fx = fx_new();

	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	/* Queued while disabled: nothing runs, not quiescent. */
	put_cmd(fx, 0x00, CMD_MAPD | 1ULL << 32, 3, V63 | ITT_BASE);
	put_cmd(fx, 0x20, CMD_MAPC, 0, V63);
	put_cmd(fx, 0x40, CMD_MAPTI | 1ULL << 32, 8192ULL << 32, 0);
	put_cmd(fx, 0x60, CMD_INT | 1ULL << 32, 0, 0);
	mmio_w64(fx, R_CWRITER, 0x80);
	assert_true(mmio_r64(fx, R_CREADR) == 0);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	/* Enabling runs them. */
	mmio_w32(fx, R_CTLR, 1);
	assert_true(mmio_r64(fx, R_CREADR) == 0x80);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	assert_true(fg_bit(fx->gic, 0, 8192));
	/* Disabling stops processing again. */
	mmio_w32(fx, R_CTLR, 0);
	put_cmd(fx, 0x80, CMD_CLEAR | 1ULL << 32, 0, 0);
	mmio_w64(fx, R_CWRITER, 0xa0);
	assert_true(fg_bit(fx->gic, 0, 8192));
	assert_true(mmio_r64(fx, R_CREADR) == 0x80);
	mmio_w32(fx, R_CTLR, 1);
	assert_false(fg_bit(fx->gic, 0, 8192));
	fx_free(fx);
}

static void test_queue_outside_ram(void **state)
{
	struct its_fx *fx = fx_new();

	/* A queue wholly outside guest RAM: commands are skipped (KVM),
	 * the ITS keeps running and stays consistent. */
	fx->cmdq = 0x10000000;
	fx_enable(fx);
	mmio_w64(fx, R_CWRITER, 0x60);
	assert_true(mmio_r64(fx, R_CREADR) == 0x60);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	mmio_w64(fx, R_CWRITER, 0x0);
	assert_true(mmio_r64(fx, R_CREADR) == 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	/* Straddling the end of RAM: the slots inside it run. */
	mmio_w32(fx, R_CTLR, 0);
	fx->cmdq = RAM_BASE + RAM_SIZE - 0x10000;
	mmio_w64(fx, R_CBASER, CBASER(fx->cmdq) | 0xff);	/* 1 MiB */
	mmio_w32(fx, R_CTLR, 1);
	cmd_mapd(fx, 1, 4, ITT_BASE, true);
	cmd_mapc(fx, 0, 0, true);
	cmd_mapti(fx, 1, 0, 8192, 0);
	assert_int_equal(its_wreg(fx->its, R_CTLR, 0), 0);
	assert_int_equal(its_wreg(fx->its, R_CREADR, 0xfffe0), 0);
	assert_int_equal(its_wreg(fx->its, R_CWRITER, 0xfffe0), 0);
	assert_int_equal(its_wreg(fx->its, R_CTLR, 1), 0);
	mmio_w64(fx, R_CWRITER, 0x60);
	assert_true(mmio_r64(fx, R_CREADR) == 0x60);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_true(fg_bit(fx->gic, 0, 8192));
	fx_free(fx);
}

static void test_indirect_device_table(void **state)
{
	struct its_fx *fx = fx_new();

	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL) | 1ULL << 62);
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	mmio_w32(fx, R_CTLR, 1);
	assert_true(mmio_r64(fx, R_BASER0) ==
		    (BASER_DEV(DEV_TBL) | 1ULL << 62));
	cmd_mapc(fx, 0, 0, true);
	/* Level-1 entry 0 invalid: DeviceIDs 0..8191 have no home. */
	cmd_mapd(fx, 5, 4, ITT_BASE, true);
	cmd_mapti(fx, 5, 0, 8192, 0);
	assert_int_equal(msi(fx, 5, 0), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	/* Provision L2 pages for entries 0 and 7 (DeviceIDs 57344..). */
	ram_put64(fx, DEV_TBL, V63 | L2_TBL);
	ram_put64(fx, DEV_TBL + 8 * 7, V63 | (L2_TBL + 0x10000));
	cmd_mapd(fx, 5, 4, ITT_BASE, true);
	cmd_mapti(fx, 5, 0, 8192, 0);
	cmd_mapd(fx, 0xffff, 4, ITT_BASE + 0x100, true);
	cmd_mapti(fx, 0xffff, 1, 8193, 0);
	cmd_mapd(fx, 8192, 4, ITT_BASE + 0x200, true);	/* L1 entry 1 */
	cmd_mapti(fx, 8192, 0, 8194, 0);
	cmd_mapd(fx, 0x10000, 4, ITT_BASE + 0x300, true);
	assert_int_equal(msi(fx, 5, 0), 0);
	assert_int_equal(msi(fx, 0xffff, 1), 0);
	assert_int_equal(msi(fx, 8192, 0), 0);
	assert_true(fg_bit(fx->gic, 0, 8192));
	assert_true(fg_bit(fx->gic, 0, 8193));
	assert_false(fg_bit(fx->gic, 0, 8194));
	/* An L2 page outside RAM. */
	ram_put64(fx, DEV_TBL + 8 * 2, V63 | 0x7fff0000);
	cmd_mapd(fx, 2 * 8192, 4, ITT_BASE + 0x300, true);
	cmd_mapti(fx, 2 * 8192, 0, 8195, 0);
	assert_int_equal(msi(fx, 2 * 8192, 0), 0);
	assert_false(fg_bit(fx->gic, 0, 8195));
	/* Unmapping clears the level-2 DTE. */
	ram_put64(fx, L2_TBL + 8 * 5, 0xabc);
	cmd_mapd(fx, 5, 4, 0, false);
	assert_true(ram_get64(fx, L2_TBL + 8 * 5) == 0);
	fx_free(fx);
}

static void test_baser_invalid_frees(void **state)
{
	struct its_fx *fx = fx_basic();
	struct fake_gic *g = fx->gic;

	/* Invalidating the collection table forgets the collections. */
	mmio_w32(fx, R_CTLR, 0);
	mmio_w64(fx, R_BASER1, BASER_COLL_RESET | COLL_TBL);
	fx_enable(fx);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(g->nr_calls, 0);
	/* ... and the device table the devices. */
	cmd_mapd(fx, 2, 4, ITT_BASE + 0x100, true);
	cmd_mapc(fx, 0, 0, true);
	cmd_mapti(fx, 2, 0, 8300, 0);
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_true(fg_bit(g, 0, 8300));
	mmio_w32(fx, R_CTLR, 0);
	mmio_w64(fx, R_BASER0, BASER_DEV_RESET | DEV_TBL);
	fx_enable(fx);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_int_equal(g->nr_calls, 0);
	/* Rewriting a valid table keeps the state. */
	cmd_mapd(fx, 2, 4, ITT_BASE + 0x100, true);
	cmd_mapti(fx, 2, 0, 8300, 0);
	mmio_w32(fx, R_CTLR, 0);
	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL) | 3);
	fx_enable(fx);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_int_equal(g->nr_calls, 1);
	fx_free(fx);
}

static void test_no_gic(void **state)
{
	struct its_fx *fx = calloc(1, sizeof(*fx));

	/* An ITS without a GICv3: commands are bookkeeping only, MSIs
	 * have nowhere to go. */
	fx->fh = fake_host_new(RAM_BASE, RAM_SIZE, 2);
	fx->gic = NULL;
	fx->its = its_new(fx->fh);
	fx->base = ITS_BASE;
	fx->cmdq = CMDQ;
	assert_int_equal(its_set_base(fx->its, ITS_BASE), 0);
	fx_enable(fx);
	cmd_mapd(fx, 1, 4, ITT_BASE, true);
	cmd_mapc(fx, 0, 1, true);
	cmd_mapc(fx, 1, 2, true);	/* host has 2 vCPUs: dropped */
	cmd_mapti(fx, 1, 0, 8192, 0);
	cmd_mapti(fx, 1, 1, 8193, 1);
	assert_int_equal(msi(fx, 1, 0), -ENODEV);
	assert_int_equal(msi(fx, 1, 1), 0);
	for (uint8_t nr = 0; nr < 16; nr++)
		its_cmd(fx, nr | 1ULL << 32, 0, 1ULL << 16, 0);
	cmd_movall(fx, 0, 1);
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
	fx_free(fx);
}

static void test_two_its(void **state)
{
	struct its_fx *a = fx_new_enabled();
	struct its_fx b = *a;

	/* A second ITS in the same VM, its own frame and queue. */
	b.its = its_new(a->fh);
	b.base = ITS_BASE + 0x20000;
	b.cmdq = CMDQ + 0x100000;
	assert_int_equal(its_set_base(b.its, b.base), 0);
	mmio_w64(&b, R_BASER0, BASER_DEV(DEV_TBL + 0x80000));
	mmio_w64(&b, R_BASER1, BASER_COLL(COLL_TBL + 0x80000));
	mmio_w64(&b, R_CBASER, CBASER(b.cmdq));
	mmio_w32(&b, R_CTLR, 1);
	cmd_mapd(a, 1, 4, ITT_BASE, true);
	cmd_mapc(a, 0, 0, true);
	cmd_mapti(a, 1, 0, 8192, 0);
	cmd_mapd(&b, 1, 4, ITT_BASE + 0x1000, true);
	cmd_mapc(&b, 0, 3, true);
	cmd_mapti(&b, 1, 0, 8500, 0);
	/* Same DeviceID/EventID, different translations. */
	assert_int_equal(msi(a, 1, 0), 0);
	assert_int_equal(msi(&b, 1, 0), 0);
	assert_true(fg_bit(a->gic, 0, 8192));
	assert_true(fg_bit(a->gic, 3, 8500));
	assert_false(fg_bit(a->gic, 3, 8192));
	/* Each ITS only answers its own doorbell. */
	assert_int_equal(device_signal_msi(a->its, b.base + TRANSLATER, 0, 1),
			 -EINVAL);
	assert_int_equal(device_signal_msi(b.its, a->base + TRANSLATER, 0, 1),
			 -EINVAL);
	/* Disabling one leaves the other. */
	mmio_w32(a, R_CTLR, 0);
	assert_int_equal(msi(a, 1, 0), -EBUSY);
	assert_int_equal(msi(&b, 1, 0), 0);
	assert_true(mmio_r64(&b, R_CBASER) == CBASER(CMDQ + 0x100000));
	assert_true(mmio_r64(a, R_CBASER) == CBASER(CMDQ));
	device_destroy(b.its);
	fx_free(a);
}

/* Deterministic junk: commands and register writes must never crash. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void test_hostile_fuzz(void **state)
{
	struct its_fx *fx = fx_basic();

	/* Mostly small IDs so that commands meet each other's mappings. */
	for (int i = 0; i < 20000; i++) {
		bool sane = rnd() % 8;
		uint64_t nr = rnd() % 17;
		uint64_t w0 = sane ? nr | (rnd() % 4) << 32 : (rnd() & ~0xffULL) | nr;
		uint64_t w1 = sane ? (8192 + rnd() % 16) << 32 | rnd() % 8 : rnd();
		uint64_t w2 = sane ? (rnd() % 4 ? V63 : 0) | ITT_BASE |
					     (rnd() % 5) << 16 | rnd() % 4 :
				     rnd();

		if (nr == CMD_MAPD && sane)
			w1 = rnd() % 4;
		if ((nr == CMD_MAPC || nr == CMD_MOVALL) && sane)
			w2 &= ~ITT_BASE;
		its_cmd(fx, w0, w1, w2, (rnd() % 5) << 16);
		if (i % 16 == 0)
			msi(fx, (uint32_t)(rnd() % 4), (uint32_t)(rnd() % 8));
	}
	assert_true(fg_find(fx->gic, FG_SET) >= 0);
	/* Random guest register writes, then make it sane again. */
	for (int i = 0; i < 4000; i++) {
		uint64_t off = (rnd() % 0x20000) & ~3ULL;

		if (rnd() % 2)
			mmio_w32(fx, off, (uint32_t)rnd());
		else
			mmio_w64(fx, off & ~7ULL, rnd() & ~(V63 >> 1));
	}
	mmio_w32(fx, R_CTLR, 0);
	fx_enable(fx);
	its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_int_basic),
		cmocka_unit_test(test_mapti_invalidates),
		cmocka_unit_test(test_msi),
		cmocka_unit_test(test_msi_no_frame),
		cmocka_unit_test(test_mapd),
		cmocka_unit_test(test_mapd_hostile),
		cmocka_unit_test(test_mapc),
		cmocka_unit_test(test_mapc_unmap),
		cmocka_unit_test(test_mapti),
		cmocka_unit_test(test_mapti_hostile),
		cmocka_unit_test(test_movi),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_inv_invall),
		cmocka_unit_test(test_movall),
		cmocka_unit_test(test_sync_unknown),
		cmocka_unit_test(test_queue_wrap),
		cmocka_unit_test(test_enable_processes),
		cmocka_unit_test(test_queue_outside_ram),
		cmocka_unit_test(test_indirect_device_table),
		cmocka_unit_test(test_baser_invalid_frees),
		cmocka_unit_test(test_no_gic),
		cmocka_unit_test(test_two_its),
		cmocka_unit_test(test_hostile_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
