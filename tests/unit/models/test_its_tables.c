// SPDX-License-Identifier: GPL-2.0
/*
 * ITS model: KVM_DEV_ARM_ITS_SAVE_TABLES / RESTORE_TABLES in ABI REV0.
 * The exact DTE/ITE/CTE bytes a save writes, restores from hand-built
 * tables (flat and two-level, "next" links, every documented error), and
 * save -> restore round trips into fresh instances in the documented
 * order, reproducing every register and table byte.
 */
#include "test_its_common.h"

#define ITT_A (ITT_BASE)
#define ITT_B (ITT_BASE + 0x100)
#define ITT_C (ITT_BASE + 0x200)
/* A 4-page (32768 DTE) device table clear of the other tables. */
#define BIG_DEV_TBL (RAM_BASE + 0x100000)
#define DTE(next, itt, nbits) \
	(V63 | (uint64_t)(next) << 49 | ((itt) >> 8) << 5 | ((nbits) - 1))
#define ITE(next, intid, icid) \
	((uint64_t)(next) << 48 | (uint64_t)(intid) << 16 | (icid))
#define CTE(rd, icid) (V63 | (uint64_t)(rd) << 16 | (icid))

static const uint64_t regs[] = { R_CTLR,   R_IIDR,   R_TYPER,  R_CBASER,
				 R_CWRITER, R_CREADR, 0x100,	0x108,
				 0x110,	   0x118,    0x120,    0x128,
				 0x130,	   0x138 };
#define NR_REGS (sizeof(regs) / sizeof(regs[0]))

static void save(struct its_fx *fx)
{
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
}

static int restore(struct its_fx *fx)
{
	return its_ctrl(fx->its, KVM_DEV_ARM_ITS_RESTORE_TABLES);
}

/* A fresh ITS whose tables are valid but which is still disabled, as
 * the restore sequence has it before RESTORE_TABLES. */
static struct its_fx *fx_tables(uint64_t baser0, uint64_t baser1)
{
	struct its_fx *fx = fx_new();

	assert_int_equal(its_wreg(fx->its, R_IIDR, 0x4b00043b), 0);
	assert_int_equal(its_wreg(fx->its, R_CBASER, CBASER(CMDQ)), 0);
	assert_int_equal(its_wreg(fx->its, R_BASER0, baser0), 0);
	assert_int_equal(its_wreg(fx->its, R_BASER1, baser1), 0);
	return fx;
}

static void enable(struct its_fx *fx)
{
	assert_int_equal(its_wreg(fx->its, R_CTLR, 1), 0);
	assert_int_equal(its_rreg(fx->its, R_CTLR), 0x80000001);
}

/*
 * Device 1 (4 bits, ITT_A): 0 -> 8192/c0, 3 -> 8195/c1, 5 -> 8300/c0
 * Device 7 (2 bits, ITT_B): 1 -> 9000/c1
 * Device 20000 (1 bit, ITT_C): 0 -> 9001/c5 (c5 unmapped, made by MAPTI)
 * c0 -> vCPU 2, c1 -> vCPU 0.  Device table: 4 pages (32768 DTEs).
 */
static void build_state(struct its_fx *fx)
{
	mmio_w64(fx, R_BASER0, BASER_DEV(BIG_DEV_TBL) | 3);
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(fx->cmdq));
	mmio_w32(fx, R_CTLR, 1);
	cmd_mapd(fx, 1, 4, ITT_A, true);
	cmd_mapd(fx, 7, 2, ITT_B, true);
	cmd_mapd(fx, 20000, 1, ITT_C, true);
	cmd_mapc(fx, 1, 0, true);
	cmd_mapc(fx, 0, 2, true);
	cmd_mapti(fx, 1, 5, 8300, 0);
	cmd_mapti(fx, 1, 0, 8192, 0);
	cmd_mapti(fx, 1, 3, 8195, 1);
	cmd_mapti(fx, 7, 1, 9000, 1);
	cmd_mapti(fx, 20000, 0, 9001, 5);
}

static void test_save_bytes(void **state)
{
	struct its_fx *fx = fx_new();
	static const uint8_t dte1[8] = { 0x03, 0x80, 0x00, 0x08,
					 0x00, 0x00, 0x0c, 0x80 };

	build_state(fx);
	/* Stale bytes where the collection table's terminator goes. */
	ram_put64(fx, COLL_TBL + 24, ~0ULL);
	save(fx);

	/* DTEs, sorted by DeviceID, "next" to the following one (capped at
	 * 2^14-1), ITT address bits [51:8] in [48:5], Size = bits - 1. */
	assert_true(ram_get64(fx, BIG_DEV_TBL + 8 * 1) == DTE(6, ITT_A, 4));
	assert_true(ram_get64(fx, BIG_DEV_TBL + 8 * 7) ==
		    DTE(16383, ITT_B, 2));
	assert_true(ram_get64(fx, BIG_DEV_TBL + 8 * 20000) ==
		    DTE(0, ITT_C, 1));
	assert_true(DTE(6, ITT_A, 4) == 0x800c000008008003ULL);
	/* Little-endian in guest RAM whatever the host. */
	assert_memory_equal(fake_ram(fx->fh, BIG_DEV_TBL + 8), dte1, 8);
	assert_true(ram_get64(fx, BIG_DEV_TBL) == 0);
	assert_true(ram_get64(fx, BIG_DEV_TBL + 8 * 2) == 0);

	/* ITEs, at ITT + EventID * 8, "next" to the following EventID. */
	assert_true(ram_get64(fx, ITT_A + 8 * 0) == ITE(3, 8192, 0));
	assert_true(ram_get64(fx, ITT_A + 8 * 3) == ITE(2, 8195, 1));
	assert_true(ram_get64(fx, ITT_A + 8 * 5) == ITE(0, 8300, 0));
	assert_true(ram_get64(fx, ITT_A + 8 * 1) == 0);
	assert_true(ITE(3, 8192, 0) == 0x0003000020000000ULL);
	assert_true(ram_get64(fx, ITT_B + 8 * 1) == ITE(0, 9000, 1));
	assert_true(ram_get64(fx, ITT_B) == 0);
	assert_true(ram_get64(fx, ITT_C) == ITE(0, 9001, 5));

	/* CTEs packed from the start (ICID order here), then one invalid
	 * entry; an unmapped collection has RDBase all ones. */
	assert_true(ram_get64(fx, COLL_TBL + 0) == CTE(2, 0));
	assert_true(ram_get64(fx, COLL_TBL + 8) == CTE(0, 1));
	assert_true(ram_get64(fx, COLL_TBL + 16) == CTE(0xffffffff, 5));
	assert_true(CTE(0xffffffff, 5) == 0x8000ffffffff0005ULL);
	assert_true(ram_get64(fx, COLL_TBL + 24) == 0);
	assert_true(ram_get64(fx, COLL_TBL + 32) == 0);

	/* Saving does not disturb the ITS. */
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	assert_int_equal(msi(fx, 1, 3), 0);
	assert_true(fg_bit(fx->gic, 0, 8195));
	fx_free(fx);
}

static void test_save_next_and_orphans(void **state)
{
	struct its_fx *fx = fx_new_enabled();

	cmd_mapd(fx, 3, 16, ITT_A, true);
	cmd_mapc(fx, 0, 0, true);
	cmd_mapc(fx, 1, 1, true);
	cmd_mapti(fx, 3, 0, 8192, 0);
	cmd_mapti(fx, 3, 2, 8193, 1);
	cmd_mapti(fx, 3, 0xffff, 8194, 0);
	/* Collection 1 unmapped: its ITE is orphaned and saved invalid;
	 * the chain still points at it, as KVM's does. */
	cmd_mapc(fx, 1, 0, false);
	ram_put64(fx, ITT_A + 16, ~0ULL);
	save(fx);
	assert_true(ram_get64(fx, ITT_A) == ITE(2, 8192, 0));
	assert_true(ram_get64(fx, ITT_A + 16) == 0);
	assert_true(ram_get64(fx, ITT_A + 8 * 0xffff) == ITE(0, 8194, 0));
	assert_true(ram_get64(fx, COLL_TBL) == CTE(0, 0));
	assert_true(ram_get64(fx, COLL_TBL + 8) == 0);
	assert_true(ram_get64(fx, DEV_TBL + 8 * 3) == DTE(0, ITT_A, 16));
	/* A full collection table gets no terminator: nothing to check
	 * beyond it; an empty one is just the terminator. */
	cmd_mapc(fx, 0, 0, false);
	ram_put64(fx, COLL_TBL, ~0ULL);
	save(fx);
	assert_true(ram_get64(fx, COLL_TBL) == 0);
	fx_free(fx);
}

static void test_save_indirect(void **state)
{
	struct its_fx *fx = fx_new();

	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL) | 1ULL << 62);
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	mmio_w32(fx, R_CTLR, 1);
	ram_put64(fx, DEV_TBL + 8, V63 | L2_TBL);	/* IDs 8192..16383 */
	cmd_mapc(fx, 0, 1, true);
	cmd_mapd(fx, 8200, 1, ITT_A, true);
	cmd_mapd(fx, 8300, 2, ITT_B, true);
	cmd_mapti(fx, 8200, 1, 8192, 0);
	save(fx);
	assert_true(ram_get64(fx, L2_TBL + 8 * 8) == DTE(100, ITT_A, 1));
	assert_true(ram_get64(fx, L2_TBL + 8 * 108) == DTE(0, ITT_B, 2));
	assert_true(ram_get64(fx, ITT_A + 8) == ITE(0, 8192, 0));
	/* The level-1 entry is the guest's: untouched. */
	assert_true(ram_get64(fx, DEV_TBL + 8) == (V63 | L2_TBL));
	/* The guest withdrew the L2 page: the DTE has no home, -EINVAL. */
	ram_put64(fx, DEV_TBL + 8, L2_TBL);
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES),
			 -EINVAL);
	fx_free(fx);
}

static void test_save_errors(void **state)
{
	struct its_fx *fx = fx_new();

	build_state(fx);
	fx->fh->running = true;
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES),
			 -EBUSY);
	fx->fh->running = false;
	/* Tables moved out of guest RAM under the ITS's state. */
	mmio_w32(fx, R_CTLR, 0);
	mmio_w64(fx, R_BASER1, BASER_COLL(0x10000000));
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES),
			 -EFAULT);
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	/* A device table too small or gone: no slot for the DTE. */
	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES),
			 -EINVAL);
	mmio_w64(fx, R_BASER0, BASER_DEV(0x10000000) | 3);
	assert_int_equal(its_ctrl(fx->its, KVM_DEV_ARM_ITS_SAVE_TABLES),
			 -EINVAL);
	mmio_w64(fx, R_BASER0, BASER_DEV(BIG_DEV_TBL) | 3);
	save(fx);
	assert_true(ram_get64(fx, BIG_DEV_TBL + 8) == DTE(6, ITT_A, 4));
	/* Invalid tables save nothing. */
	memset(fake_ram(fx->fh, BIG_DEV_TBL), 0, 0x10000 * 4);
	mmio_w64(fx, R_BASER1, BASER_COLL_RESET | COLL_TBL);
	mmio_w64(fx, R_BASER0, BASER_DEV_RESET | BIG_DEV_TBL | 3);
	save(fx);
	assert_true(ram_get64(fx, BIG_DEV_TBL + 8) == 0);
	fx_free(fx);
}

/* Hand-built tables, including "next" links that skip garbage. */
static void put_handbuilt(struct its_fx *fx)
{
	ram_put64(fx, COLL_TBL + 0, CTE(1, 3));
	ram_put64(fx, COLL_TBL + 8, CTE(0xffffffff, 4));
	ram_put64(fx, COLL_TBL + 16, 0);
	ram_put64(fx, COLL_TBL + 24, CTE(2, 6));	/* after the end */
	/* DTE 2 -> (next 3) -> DTE 5 (last); 3 looks valid but is skipped;
	 * 9 lies past the last one. */
	ram_put64(fx, DEV_TBL + 8 * 2, DTE(3, ITT_A, 4));
	ram_put64(fx, DEV_TBL + 8 * 3, DTE(0, ITT_C, 1));
	ram_put64(fx, DEV_TBL + 8 * 5, DTE(0, ITT_B, 1));
	ram_put64(fx, DEV_TBL + 8 * 9, DTE(0, ITT_C, 1));
	/* Device 2: EventID 0 invalid, 1 -> (next 2) -> 3; 2 skipped. */
	ram_put64(fx, ITT_A + 8 * 1, ITE(2, 8200, 3));
	ram_put64(fx, ITT_A + 8 * 2, ITE(0, 8299, 3));
	ram_put64(fx, ITT_A + 8 * 3, ITE(0, 8201, 4));
	ram_put64(fx, ITT_A + 8 * 4, ITE(0, 8298, 3));
	ram_put64(fx, ITT_B, ITE(0, 8300, 3));
	ram_put64(fx, ITT_C, ITE(0, 8400, 3));
}

static void test_restore_handbuilt(void **state)
{
	struct its_fx *fx = fx_tables(BASER_DEV(DEV_TBL), BASER_COLL(COLL_TBL));
	struct fake_gic *g = fx->gic;

	put_handbuilt(fx);
	assert_int_equal(restore(fx), 0);
	/* Each restored LPI had its configuration read. */
	assert_int_equal(g->nr_calls, 3);
	assert_int_equal(g->calls[0].op, FG_INV);
	assert_int_equal(g->calls[0].intid, 8200);
	assert_int_equal(g->calls[1].intid, 8201);
	assert_int_equal(g->calls[2].intid, 8300);
	enable(fx);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 2, 1), 0);
	assert_true(fg_bit(g, 1, 8200));
	assert_int_equal(msi(fx, 5, 0), 0);
	assert_true(fg_bit(g, 1, 8300));
	assert_int_equal(g->nr_calls, 2);
	/* Skipped or absent entries were not restored. */
	assert_int_equal(msi(fx, 2, 0), 0);
	assert_int_equal(msi(fx, 2, 2), 0);
	assert_int_equal(msi(fx, 2, 4), 0);
	assert_int_equal(msi(fx, 3, 0), 0);
	assert_int_equal(msi(fx, 9, 0), 0);
	/* Collection 4 came back unmapped, collection 6 not at all. */
	assert_int_equal(msi(fx, 2, 3), 0);
	assert_int_equal(g->nr_calls, 2);
	cmd_mapc(fx, 4, 3, true);
	assert_int_equal(msi(fx, 2, 3), 0);
	assert_true(fg_bit(g, 3, 8201));
	cmd_mapc(fx, 6, 3, true);	/* new: fine, it did not exist */
	/* Restored state answers commands like command-built state. */
	cmd_dev_ev(fx, CMD_DISCARD, 2, 1);
	assert_true(ram_get64(fx, ITT_A + 8) == 0);
	g->nr_calls = 0;
	assert_int_equal(msi(fx, 2, 1), 0);
	assert_int_equal(g->nr_calls, 0);
	fx_free(fx);
}

static void test_restore_indirect(void **state)
{
	struct its_fx *fx = fx_tables(BASER_DEV(DEV_TBL) | 1ULL << 62 | 1,
				      BASER_COLL(COLL_TBL));

	ram_put64(fx, COLL_TBL, CTE(2, 0));
	/* L1: entry 0 invalid, entry 1 -> L2 (IDs 8192..), entry 3 ->
	 * L2 + 64K (IDs 24576..); the walk goes on across L1 entries until
	 * a DTE says it is the last. */
	ram_put64(fx, DEV_TBL + 8, V63 | L2_TBL);
	ram_put64(fx, DEV_TBL + 24, V63 | (L2_TBL + 0x10000));
	ram_put64(fx, L2_TBL + 8 * 10, DTE(0x3fff, ITT_A, 1));
	ram_put64(fx, L2_TBL + 0x10000 + 8 * 1, DTE(0, ITT_B, 1));
	ram_put64(fx, ITT_A, ITE(0, 8192, 0));
	ram_put64(fx, ITT_B + 8, ITE(0, 8193, 0));
	/* Entry 7 (past the last DTE) is never reached. */
	ram_put64(fx, DEV_TBL + 56, V63 | 0x7fff0000);
	assert_int_equal(restore(fx), 0);
	enable(fx);
	assert_int_equal(msi(fx, 8202, 0), 0);
	assert_int_equal(msi(fx, 24577, 1), 0);
	assert_true(fg_bit(fx->gic, 2, 8192));
	assert_true(fg_bit(fx->gic, 2, 8193));
	fx_free(fx);

	/* A valid L1 entry pointing outside guest RAM: -EFAULT. */
	fx = fx_tables(BASER_DEV(DEV_TBL) | 1ULL << 62, BASER_COLL(COLL_TBL));
	ram_put64(fx, DEV_TBL, V63 | 0x7fff0000);
	assert_int_equal(restore(fx), -EFAULT);
	fx_free(fx);
}

/* One broken thing per case on top of good tables: the errno, and
 * nothing is left behind (a later good restore works). */
struct bad_case {
	const char *what;
	uint64_t gpa;
	uint64_t val;
	int err;
};

static void test_restore_errors(void **state)
{
	static const struct bad_case cases[] = {
		{ "CTE target past the vCPUs", COLL_TBL, CTE(NR_CPUS, 3),
		  -EINVAL },
		{ "CTE ICID twice", COLL_TBL + 8, CTE(1, 3), -EEXIST },
		{ "CTE ICID past the table", COLL_TBL, CTE(1, 9000), -EINVAL },
		{ "DTE wider than IDbits", DEV_TBL + 16, DTE(3, ITT_A, 17),
		  -EINVAL },
		{ "DTE Size 31", DEV_TBL + 16, DTE(3, ITT_A, 32), -EINVAL },
		{ "ITT outside RAM", DEV_TBL + 16, DTE(3, 0x10000000, 4),
		  -EFAULT },
		{ "ITE pINTID below 8192", ITT_A + 8, ITE(2, 8191, 3),
		  -EINVAL },
		{ "ITE pINTID past IDbits", ITT_A + 8, ITE(2, 1U << 16, 3),
		  -EINVAL },
		{ "ITE next past the ITT", ITT_A + 8, ITE(15, 8200, 3),
		  -EINVAL },
		{ "ITE of an unknown collection", ITT_A + 8, ITE(2, 8200, 9),
		  -EINVAL },
		/* Not errors: a "next" that leaves the table ends the walk. */
		{ "DTE next past the table", DEV_TBL + 40, DTE(0x3fff, ITT_B, 1),
		  0 },
		{ "ITE chain running off the ITT", ITT_A + 24, ITE(12, 8201, 4),
		  0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct its_fx *fx = fx_tables(BASER_DEV(DEV_TBL),
					      BASER_COLL(COLL_TBL));

		put_handbuilt(fx);
		ram_put64(fx, cases[i].gpa, cases[i].val);
		if (restore(fx) != cases[i].err)
			fail_msg("%s: got %d", cases[i].what, restore(fx));
		if (cases[i].err) {
			/* Everything restored so far was dropped. */
			put_handbuilt(fx);
			assert_int_equal(restore(fx), 0);
			enable(fx);
			assert_int_equal(msi(fx, 2, 1), 0);
			assert_true(fg_bit(fx->gic, 1, 8200));
		}
		fx_free(fx);
	}
}

static void test_restore_errors_tables(void **state)
{
	struct its_fx *fx;

	/* Tables outside guest RAM. */
	fx = fx_tables(BASER_DEV(DEV_TBL), BASER_COLL(0x10000000));
	assert_int_equal(restore(fx), -EFAULT);
	fx_free(fx);
	fx = fx_tables(BASER_DEV(0x10000000), BASER_COLL(COLL_TBL));
	assert_int_equal(restore(fx), -EFAULT);
	fx_free(fx);
	/* The GIC cannot read an LPI's configuration. */
	fx = fx_tables(BASER_DEV(DEV_TBL), BASER_COLL(COLL_TBL));
	put_handbuilt(fx);
	fx->gic->inv_ret = -EFAULT;
	assert_int_equal(restore(fx), -EFAULT);
	fx->gic->inv_ret = 0;
	fx->gic->nr_calls = 0;
	/* Restoring on top of restored state: the collections exist, and
	 * as in KVM the failed restore drops them (the ITEs lose them). */
	assert_int_equal(restore(fx), 0);
	assert_int_equal(restore(fx), -EEXIST);
	enable(fx);
	assert_int_equal(msi(fx, 2, 1), 0);
	assert_int_equal(fx->gic->nr_calls, 3);
	fx->fh->running = true;
	assert_int_equal(restore(fx), -EBUSY);
	fx_free(fx);
	/* Invalid tables restore nothing, successfully. */
	fx = fx_tables(BASER_DEV_RESET | DEV_TBL, BASER_COLL_RESET | COLL_TBL);
	put_handbuilt(fx);
	assert_int_equal(restore(fx), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	fx_free(fx);
}

/* Snapshot of what a VMM saves: registers (attribute reads) and RAM. */
struct snap {
	uint64_t reg[NR_REGS];
	uint8_t *ram;
};

static void snap_take(struct its_fx *fx, struct snap *s)
{
	/* Documented save order: tables into RAM, then registers. */
	save(fx);
	for (size_t i = 0; i < NR_REGS; i++)
		s->reg[i] = its_rreg(fx->its, regs[i]);
	s->ram = malloc(RAM_SIZE);
	assert_non_null(s->ram);
	memcpy(s->ram, fake_ram(fx->fh, RAM_BASE), RAM_SIZE);
}

static uint64_t snap_reg(const struct snap *s, uint64_t off)
{
	for (size_t i = 0; i < NR_REGS; i++)
		if (regs[i] == off)
			return s->reg[i];
	fail();
	return 0;
}

/* The documented restore order into a fresh ITS at @base. */
static struct its_fx *snap_restore(const struct snap *s, uint64_t base)
{
	struct its_fx *fx = calloc(1, sizeof(*fx));
	struct device *its;

	fx->fh = fake_host_new(RAM_BASE, RAM_SIZE, NR_CPUS);
	fx->gic = fake_gic_new();
	fake_host_add_device(fx->fh, &fx->gic->dev);
	/* a) guest memory (and vCPUs), b) redistributors (the fake GIC). */
	memcpy(fake_ram(fx->fh, RAM_BASE), s->ram, RAM_SIZE);
	fx->its = its = its_new(fx->fh);
	fx->base = base;
	fx->cmdq = snap_reg(s, R_CBASER) & 0xffffffffff000ULL;
	/* c) base address. */
	assert_int_equal(its_set_base(its, base), 0);
	/* d) GITS_IIDR, GITS_CBASER, the others but CTLR (CREADR after
	 * CBASER), RESTORE_TABLES, GITS_CTLR last. */
	assert_int_equal(its_wreg(its, R_IIDR, snap_reg(s, R_IIDR)), 0);
	assert_int_equal(its_wreg(its, R_CBASER, snap_reg(s, R_CBASER)), 0);
	for (size_t i = 0; i < NR_REGS; i++) {
		if (regs[i] == R_CTLR || regs[i] == R_IIDR ||
		    regs[i] == R_CBASER)
			continue;
		assert_int_equal(its_wreg(its, regs[i], s->reg[i]), 0);
	}
	assert_int_equal(restore(fx), 0);
	assert_int_equal(its_wreg(its, R_CTLR, snap_reg(s, R_CTLR)), 0);
	return fx;
}

static void assert_same(struct its_fx *fx, const struct snap *s)
{
	for (size_t i = 0; i < NR_REGS; i++)
		if (its_rreg(fx->its, regs[i]) != s->reg[i])
			fail_msg("register %#llx: %#llx != %#llx",
				 (unsigned long long)regs[i],
				 (unsigned long long)its_rreg(fx->its, regs[i]),
				 (unsigned long long)s->reg[i]);
	save(fx);
	assert_memory_equal(fake_ram(fx->fh, RAM_BASE), s->ram, RAM_SIZE);
}

static void test_roundtrip(void **state)
{
	struct its_fx *a = fx_new();
	struct its_fx *b;
	struct snap s;

	build_state(a);
	cmd_mapti(a, 1, 15, 8400, 1);
	/* A command queued while the ITS is off, run only after restore. */
	mmio_w32(a, R_CTLR, 0);
	cmd_dev_ev(a, CMD_INT, 1, 15);
	assert_int_equal(mmio_r32(a, R_CTLR), 0);
	assert_false(fg_bit(a->gic, 0, 8400));
	snap_take(a, &s);
	assert_true(snap_reg(&s, R_CWRITER) == snap_reg(&s, R_CREADR) + 32);

	b = snap_restore(&s, ITS_BASE);
	assert_same(b, &s);
	/* Same translations. */
	enable(b);
	assert_true(fg_bit(b->gic, 0, 8400));	/* the queued INT ran */
	assert_int_equal(msi(b, 1, 0), 0);
	assert_int_equal(msi(b, 1, 3), 0);
	assert_int_equal(msi(b, 1, 5), 0);
	assert_int_equal(msi(b, 7, 1), 0);
	assert_int_equal(msi(b, 20000, 0), 0);
	assert_true(fg_bit(b->gic, 2, 8192));
	assert_true(fg_bit(b->gic, 0, 8195));
	assert_true(fg_bit(b->gic, 2, 8300));
	assert_true(fg_bit(b->gic, 0, 9000));
	assert_false(fg_bit(b->gic, 0, 9001));
	/* And again from the restored one: a fixed point. */
	mmio_w32(b, R_CTLR, 0);
	free(s.ram);
	snap_take(b, &s);
	fx_free(b);
	b = snap_restore(&s, ITS_BASE + 0x40000);
	assert_same(b, &s);
	fx_free(b);
	free(s.ram);
	fx_free(a);
}

static void test_roundtrip_indirect(void **state)
{
	struct its_fx *a = fx_new();
	struct its_fx *b;
	struct snap s;

	mmio_w64(a, R_BASER0, BASER_DEV(DEV_TBL) | 1ULL << 62 | 1);
	mmio_w64(a, R_BASER1, BASER_COLL(COLL_TBL) | 1);
	mmio_w64(a, R_CBASER, CBASER(CMDQ) | 1);
	mmio_w32(a, R_CTLR, 1);
	ram_put64(a, DEV_TBL, V63 | L2_TBL);
	ram_put64(a, DEV_TBL + 8 * 7, V63 | (L2_TBL + 0x10000));
	for (uint32_t c = 0; c < 10; c++)
		cmd_mapc(a, 1000 + c * 1000, c % NR_CPUS, true);
	/* ITTs far enough apart that no walk crosses into another. */
	cmd_mapd(a, 0, 8, ITT_A, true);
	cmd_mapd(a, 8000, 14, RAM_BASE + 0x200000, true);
	cmd_mapd(a, 0xffff, 3, ITT_A + 0x1000, true);
	for (uint32_t ev = 0; ev < 256; ev += 5)
		cmd_mapti(a, 0, ev, 8192 + ev, 1000 + (ev % 10) * 1000);
	cmd_mapi(a, 8000, 8300, 2000);
	cmd_mapti(a, 0xffff, 7, 20000, 9000);
	/* Leave the queue mid-ring and the ITS enabled. */
	snap_take(a, &s);
	assert_true(snap_reg(&s, R_CREADR) == 67 * 32);
	assert_int_equal(snap_reg(&s, R_CTLR), 0x80000001);
	b = snap_restore(&s, ITS_BASE);
	assert_same(b, &s);
	assert_int_equal(its_rreg(b->its, R_CTLR), 0x80000001);
	for (uint32_t ev = 0; ev < 256; ev += 5) {
		assert_int_equal(msi(b, 0, ev), 0);
		assert_true(fg_bit(b->gic, (int)((ev % 10) % NR_CPUS),
				   8192 + ev));
	}
	assert_int_equal(msi(b, 8000, 8300), 0);
	assert_true(fg_bit(b->gic, 1, 8300));
	assert_int_equal(msi(b, 0xffff, 7), 0);
	assert_true(fg_bit(b->gic, 8 % NR_CPUS, 20000));
	/* The queue carries on where it stopped. */
	cmd_dev_ev(b, CMD_CLEAR, 0xffff, 7);
	assert_false(fg_bit(b->gic, 8 % NR_CPUS, 20000));
	fx_free(b);
	free(s.ram);
	fx_free(a);
}

static void test_two_its_tables(void **state)
{
	struct its_fx *a = fx_new();
	struct its_fx b2, *b = &b2;
	uint64_t tbl = 0x200000;	/* b's tables: 2 MiB above a's */

	*b = *a;
	b->its = its_new(a->fh);
	b->base = ITS_BASE + 0x20000;
	b->cmdq = CMDQ + tbl;
	assert_int_equal(its_set_base(b->its, b->base), 0);
	build_state(a);
	mmio_w64(b, R_BASER0, BASER_DEV(DEV_TBL + tbl));
	mmio_w64(b, R_BASER1, BASER_COLL(COLL_TBL + tbl));
	mmio_w64(b, R_CBASER, CBASER(b->cmdq));
	mmio_w32(b, R_CTLR, 1);
	cmd_mapd(b, 1, 4, ITT_A + tbl, true);
	cmd_mapc(b, 0, 3, true);
	cmd_mapti(b, 1, 0, 8500, 0);
	/* Each saves its own tables, in its own places. */
	ram_put64(a, COLL_TBL + tbl + 8, ~0ULL);
	save(b);
	assert_true(ram_get64(a, DEV_TBL + tbl + 8) == DTE(0, ITT_A + tbl, 4));
	assert_true(ram_get64(a, ITT_A + tbl) == ITE(0, 8500, 0));
	assert_true(ram_get64(a, COLL_TBL + tbl) == CTE(3, 0));
	assert_true(ram_get64(a, COLL_TBL + tbl + 8) == 0);
	assert_true(ram_get64(a, BIG_DEV_TBL + 8) == 0);	/* a's: unsaved */
	save(a);
	assert_true(ram_get64(a, BIG_DEV_TBL + 8) == DTE(6, ITT_A, 4));
	assert_true(ram_get64(a, ITT_A) == ITE(3, 8192, 0));
	assert_true(ram_get64(a, ITT_A + tbl) == ITE(0, 8500, 0));
	/* Both restore into a fresh VM with both ITSes. */
	{
		struct its_fx *c = fx_tables(BASER_DEV(BIG_DEV_TBL) | 3,
					     BASER_COLL(COLL_TBL));
		struct its_fx d = *c;

		memcpy(fake_ram(c->fh, RAM_BASE), fake_ram(a->fh, RAM_BASE),
		       RAM_SIZE);
		d.its = its_new(c->fh);
		d.base = b->base;
		assert_int_equal(its_set_base(d.its, d.base), 0);
		assert_int_equal(its_wreg(d.its, R_CBASER, CBASER(b->cmdq)), 0);
		assert_int_equal(its_wreg(d.its, R_BASER0,
					  BASER_DEV(DEV_TBL + tbl)), 0);
		assert_int_equal(its_wreg(d.its, R_BASER1,
					  BASER_COLL(COLL_TBL + tbl)), 0);
		assert_int_equal(restore(c), 0);
		assert_int_equal(restore(&d), 0);
		enable(c);
		enable(&d);
		assert_int_equal(msi(c, 1, 0), 0);
		assert_int_equal(msi(&d, 1, 0), 0);
		assert_true(fg_bit(c->gic, 2, 8192));
		assert_true(fg_bit(c->gic, 3, 8500));
		assert_false(fg_bit(c->gic, 3, 8192));
		assert_int_equal(msi(&d, 7, 1), 0);
		assert_false(fg_bit(c->gic, 0, 9000));
		device_destroy(d.its);
		fx_free(c);
	}
	device_destroy(b->its);
	fx_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_bytes),
		cmocka_unit_test(test_save_next_and_orphans),
		cmocka_unit_test(test_save_indirect),
		cmocka_unit_test(test_save_errors),
		cmocka_unit_test(test_restore_handbuilt),
		cmocka_unit_test(test_restore_indirect),
		cmocka_unit_test(test_restore_errors),
		cmocka_unit_test(test_restore_errors_tables),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_roundtrip_indirect),
		cmocka_unit_test(test_two_its_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
