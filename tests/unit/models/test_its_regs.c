// SPDX-License-Identifier: GPL-2.0
/*
 * ITS model: creation, the attribute groups and their errors, and every
 * register through both guest MMIO and KVM_DEV_ARM_VGIC_GRP_ITS_REGS.
 */
#include "test_its_common.h"

#define BAD_PTR ((void *)16)	/* unmapped: attr copies give -EFAULT */

static void test_create(void **state)
{
	struct fake_host *fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *its = NULL;

	assert_int_equal(its_soft_model.type, KVM_DEV_TYPE_ARM_VGIC_ITS);
	assert_int_equal(its_soft_model.create(&fh->host,
					       KVM_DEV_TYPE_ARM_VGIC_V3, &its),
			 -ENODEV);
	assert_null(its);
	its = its_new(fh);
	assert_int_equal(its->type, KVM_DEV_TYPE_ARM_VGIC_ITS);
	assert_int_equal(its->backend, DEV_BACKEND_SOFT);
	/* No lines, MSIs only. */
	assert_int_equal(device_set_irq(its, 0, 1), -ENXIO);
	device_destroy(its);
	fake_host_free(fh);
}

static void test_has_attr(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;
	const uint32_t REGS = KVM_DEV_ARM_VGIC_GRP_ITS_REGS;

	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_ITS_ADDR_TYPE), 0);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST), -ENXIO);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT), 0);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_ITS_CTRL_RESET), 0);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_ITS_RESTORE_TABLES), 0);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
			 -ENXIO);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_CTRL, 99),
			 -ENXIO);

	static const uint64_t good[] = { 0x0,	0x4,	0x8,	0x80,	0x88,
					 0x90,	0x100,	0x108,	0x110,	0x138,
					 0xffd0, 0xffd4, 0xffe8, 0xfffc };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(device_has(its, REGS, good[i]), 0);
	/* 64-bit registers: whole only. */
	assert_int_equal(device_has(its, REGS, 0xc), -EINVAL);
	assert_int_equal(device_has(its, REGS, 0x84), -EINVAL);
	assert_int_equal(device_has(its, REGS, 0x104), -EINVAL);
	assert_int_equal(device_has(its, REGS, 0x2), -EINVAL);
	assert_int_equal(device_has(its, REGS, 0xffd2), -EINVAL);
	/* Aligned but no register there. */
	assert_int_equal(device_has(its, REGS, 0x10), -ENXIO);
	assert_int_equal(device_has(its, REGS, 0x98), -ENXIO);
	assert_int_equal(device_has(its, REGS, 0x140), -ENXIO);
	assert_int_equal(device_has(its, REGS, 0xffc8), -ENXIO);
	assert_int_equal(device_has(its, REGS, TRANSLATER), -ENXIO);
	assert_int_equal(device_has(its, REGS, 1ULL << 40), -ENXIO);
	assert_int_equal(device_has(its, KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0),
			 -ENXIO);
	assert_int_equal(device_has(its, 1000, 0), -ENXIO);
	fx_free(fx);
}

static void test_addr(void **state)
{
	struct fake_host *fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *its = its_new(fh);
	const uint32_t ADDR = KVM_DEV_ARM_VGIC_GRP_ADDR;
	uint64_t v = 0;

	/* Unset reads back as KVM's VGIC_ADDR_UNDEF. */
	assert_int_equal(device_get(its, ADDR, KVM_VGIC_ITS_ADDR_TYPE, &v), 0);
	assert_true(v == ~0ULL);
	/* Wrong attribute: -ENODEV (the doc's), both ways. */
	assert_int_equal(its_set(its, ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST,
				 ITS_BASE), -ENODEV);
	assert_int_equal(device_get(its, ADDR, 5, &v), -ENODEV);
	/* Bad user pointers. */
	assert_int_equal(device_set(its, ADDR, KVM_VGIC_ITS_ADDR_TYPE, NULL),
			 -EFAULT);
	assert_int_equal(device_set(its, ADDR, KVM_VGIC_ITS_ADDR_TYPE,
				    BAD_PTR), -EFAULT);
	assert_int_equal(device_get(its, ADDR, KVM_VGIC_ITS_ADDR_TYPE,
				    BAD_PTR), -EFAULT);
	/* 64 KiB alignment. */
	assert_int_equal(its_set_base(its, ITS_BASE + 0x1000), -EINVAL);
	assert_int_equal(its_set_base(its, ITS_BASE + 8), -EINVAL);
	/* The 128 KiB frame must fit the 40-bit IPA space. */
	assert_int_equal(its_set_base(its, 1ULL << 40), -E2BIG);
	assert_int_equal(its_set_base(its, (1ULL << 40) - 0x10000), -E2BIG);
	assert_int_equal(its_set_base(its, 1ULL << 52), -E2BIG);
	/* Wrapping around the address space. */
	assert_int_equal(its_set_base(its, 0xffffffffffff0000ULL), -EINVAL);
	/* None of that configured anything. */
	assert_int_equal(device_get(its, ADDR, KVM_VGIC_ITS_ADDR_TYPE, &v), 0);
	assert_true(v == ~0ULL);

	assert_int_equal(its_set_base(its, (1ULL << 40) - 0x20000), 0);
	assert_int_equal(device_get(its, ADDR, KVM_VGIC_ITS_ADDR_TYPE, &v), 0);
	assert_true(v == (1ULL << 40) - 0x20000);
	assert_string_equal(its->name, "its@0xfffffe0000");
	/* Once set, -EEXIST, even for the same value. */
	assert_int_equal(its_set_base(its, ITS_BASE), -EEXIST);
	assert_int_equal(its_set_base(its, (1ULL << 40) - 0x20000), -EEXIST);
	/* The whole 128 KiB is mapped. */
	assert_int_equal(fake_mmio_read32(fh, 0, (1ULL << 40) - 0x20000 +
						       R_PIDR2), 0x3b);
	uint32_t w = 0;
	assert_int_equal(fake_mmio_access(fh, 0, (1ULL << 40) - 4, &w, 4,
					  false), 0);
	device_destroy(its);
	/* Destroy unmaps it. */
	assert_int_equal(fake_mmio_access(fh, 0, (1ULL << 40) - 4, &w, 4,
					  false), -ENOENT);
	fake_host_free(fh);
}

static void test_addr_overlap(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its2 = its_new(fx->fh);

	/* Frames may not overlap: the second ITS's frame is refused. */
	assert_int_equal(its_set_base(its2, ITS_BASE + 0x10000), -EEXIST);
	assert_int_equal(its_set_base(its2, ITS_BASE), -EEXIST);
	assert_int_equal(its_set_base(its2, ITS_BASE + 0x20000), 0);
	assert_int_equal(fake_mmio_read32(fx->fh, 0, ITS_BASE + 0x20000 +
							     R_IIDR),
			 0x4b00043b);
	device_destroy(its2);
	fx_free(fx);
}

static void test_reset_values(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	assert_int_equal(its_rreg(its, R_CTLR), 0x80000000);	/* Quiescent */
	assert_int_equal(its_rreg(its, R_IIDR), 0x4b00043b);
	/* PLPIS, ITT entry 8 bytes, IDbits 16, Devbits 16, PTA 0, CIL 0. */
	assert_true(its_rreg(its, R_TYPER) == 0x1ef71);
	assert_true(its_rreg(its, R_CBASER) == 0);
	assert_true(its_rreg(its, R_CWRITER) == 0);
	assert_true(its_rreg(its, R_CREADR) == 0);
	assert_true(its_rreg(its, R_BASER0) == BASER_DEV_RESET);
	assert_true(its_rreg(its, R_BASER1) == BASER_COLL_RESET);
	for (uint64_t off = 0x110; off < 0x140; off += 8)
		assert_true(its_rreg(its, off) == 0);
	assert_int_equal(its_rreg(its, 0xffd0), 0x40);	/* PIDR4 */
	assert_int_equal(its_rreg(its, 0xffd4), 0);
	assert_int_equal(its_rreg(its, 0xffe0), 0x92);	/* PIDR0 */
	assert_int_equal(its_rreg(its, 0xffe4), 0xb4);	/* PIDR1 */
	assert_int_equal(its_rreg(its, 0xffe8), 0x3b);	/* PIDR2: GICv3 */
	assert_int_equal(its_rreg(its, 0xffec), 0);
	assert_int_equal(its_rreg(its, 0xfff0), 0x0d);
	assert_int_equal(its_rreg(its, 0xfff4), 0xf0);
	assert_int_equal(its_rreg(its, 0xfff8), 0x05);
	assert_int_equal(its_rreg(its, 0xfffc), 0xb1);
	/* The same through guest MMIO. */
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	assert_int_equal(mmio_r32(fx, R_IIDR), 0x4b00043b);
	assert_true(mmio_r64(fx, R_TYPER) == 0x1ef71);
	assert_int_equal(mmio_r32(fx, R_TYPER), 0x1ef71);
	assert_int_equal(mmio_r32(fx, R_TYPER + 4), 0);
	assert_true(mmio_r64(fx, R_BASER0) == BASER_DEV_RESET);
	assert_int_equal(mmio_r32(fx, R_BASER1 + 4), 0x1c070000);
	assert_int_equal(mmio_r32(fx, R_BASER1), 0x600);
	assert_int_equal(mmio_r32(fx, R_PIDR2), 0x3b);
	fx_free(fx);
}

static void test_mmio_widths(void **state)
{
	struct its_fx *fx = fx_new();
	uint8_t b[8];

	/* 32-bit-only registers: a 64-bit access is RAZ/WI. */
	assert_true(mmio_r64(fx, R_CTLR) == 0);
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CTLR, 1);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	assert_true(mmio_r64(fx, 0xffe8) == 0);
	/* Byte and halfword accesses: RAZ/WI. */
	memset(b, 0xff, sizeof(b));
	assert_int_equal(fake_mmio_access(fx->fh, 0, ITS_BASE + R_PIDR2, b, 1,
					  false), 0);
	assert_int_equal(b[0], 0);
	assert_int_equal(fake_mmio_access(fx->fh, 0, ITS_BASE + R_IIDR, b, 2,
					  false), 0);
	assert_int_equal(b[0] | b[1], 0);
	b[0] = 1;
	assert_int_equal(fake_mmio_access(fx->fh, 0, ITS_BASE + R_CTLR, b, 1,
					  true), 0);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	/* Misaligned 64-bit access. */
	assert_true(mmio_r64(fx, R_TYPER + 4) == 0);
	/* Holes read as zero, writes go nowhere. */
	assert_int_equal(mmio_r32(fx, 0x10), 0);
	assert_int_equal(mmio_r32(fx, 0x98), 0);
	assert_int_equal(mmio_r32(fx, 0x8000), 0);
	mmio_w32(fx, 0x10, 0xffffffff);
	/* Read-only registers ignore guest writes. */
	mmio_w32(fx, R_IIDR, 0);
	mmio_w64(fx, R_TYPER, 0);
	mmio_w32(fx, R_PIDR2, 0);
	assert_int_equal(mmio_r32(fx, R_IIDR), 0x4b00043b);
	assert_true(mmio_r64(fx, R_TYPER) == 0x1ef71);
	assert_int_equal(mmio_r32(fx, R_PIDR2), 0x3b);
	/* The translation frame reads as zero. */
	assert_int_equal(mmio_r32(fx, TRANSLATER), 0);
	assert_int_equal(mmio_r32(fx, 0x10000), 0);
	assert_int_equal(mmio_r32(fx, 0x1fffc), 0);
	fx_free(fx);
}

static void test_baser(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	/* RO fields (type, entry size) and the page size are forced, the
	 * collection table is never indirect, attributes are sanitised:
	 * inner 7 kept, outer 7 -> SameAsInner, share 3 kept. */
	mmio_w64(fx, R_BASER0, ~0ULL);
	assert_true(mmio_r64(fx, R_BASER0) == 0xf907fffffffffeffULL);
	mmio_w64(fx, R_BASER1, ~0ULL);
	assert_true(mmio_r64(fx, R_BASER1) == 0xbc07fffffffffeffULL);
	/* Outer shareable -> inner; inner nC/nCnB -> RaWb; outer nC kept;
	 * a 4K page size request -> 64K; type/esz zeros restored. */
	mmio_w64(fx, R_BASER0, 2ULL << 10 | 1ULL << 59 | 1ULL << 53);
	assert_true(mmio_r64(fx, R_BASER0) ==
		    (1ULL << 10 | 3ULL << 59 | 1ULL << 53 | 2ULL << 8 |
		     7ULL << 48 | 1ULL << 56));
	mmio_w64(fx, R_BASER0, 0);
	assert_true(mmio_r64(fx, R_BASER0) ==
		    (2ULL << 8 | 7ULL << 48 | 1ULL << 56 | 3ULL << 59));
	/* 32-bit halves merge. */
	mmio_w64(fx, R_BASER0, BASER_DEV_RESET);
	mmio_w32(fx, R_BASER0, (uint32_t)(BASER_DEV_RESET | DEV_TBL | 3));
	assert_true(mmio_r64(fx, R_BASER0) == (BASER_DEV_RESET | DEV_TBL | 3));
	mmio_w32(fx, R_BASER0 + 4, (uint32_t)(BASER_DEV(0) >> 32));
	assert_true(mmio_r64(fx, R_BASER0) == BASER_DEV(DEV_TBL | 3));
	/* 52-bit PA bits [51:48] live in [15:12] and survive. */
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL) | 0xa000);
	assert_true(its_rreg(its, R_BASER1) == (BASER_COLL(COLL_TBL) | 0xa000));
	/* BASER2..7 hold nothing. */
	mmio_w64(fx, 0x110, ~0ULL);
	mmio_w32(fx, 0x138, ~0U);
	assert_true(mmio_r64(fx, 0x110) == 0);
	assert_true(mmio_r64(fx, 0x138) == 0);
	assert_int_equal(its_wreg(its, 0x118, ~0ULL), 0);
	assert_true(its_rreg(its, 0x118) == 0);
	/* Attribute writes behave as guest writes. */
	assert_int_equal(its_wreg(its, R_BASER0, ~0ULL), 0);
	assert_true(its_rreg(its, R_BASER0) == 0xf907fffffffffeffULL);
	/* Read-only while the ITS is enabled. */
	fx_enable(fx);
	mmio_w64(fx, R_BASER0, BASER_DEV(0x1230000));
	mmio_w64(fx, R_BASER1, 0);
	assert_true(mmio_r64(fx, R_BASER0) == BASER_DEV(DEV_TBL));
	assert_true(mmio_r64(fx, R_BASER1) == BASER_COLL(COLL_TBL));
	fx_free(fx);
}

static void test_cbaser(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	/* Address bits [15:12] cleared (64K aligned), attributes sanitised,
	 * other bits kept as written (KVM stores them). */
	mmio_w64(fx, R_CBASER, ~0ULL);
	assert_true(mmio_r64(fx, R_CBASER) == 0xff1fffffffff0fffULL);
	mmio_w64(fx, R_CBASER, V63 | CMDQ | 2ULL << 10 | 2ULL << 53 | 5);
	assert_true(mmio_r64(fx, R_CBASER) == (CBASER(CMDQ) | 1ULL << 10 | 5));
	/* Writing CBASER empties the queue: CREADR = CWRITER = 0. */
	mmio_w64(fx, R_CWRITER, 0x100);
	assert_int_equal(its_wreg(its, R_CREADR, 0x40), 0);
	assert_true(mmio_r64(fx, R_CWRITER) == 0x100);
	assert_true(mmio_r64(fx, R_CREADR) == 0x40);
	mmio_w32(fx, R_CBASER + 4, (uint32_t)(CBASER(CMDQ) >> 32));
	assert_true(mmio_r64(fx, R_CWRITER) == 0);
	assert_true(mmio_r64(fx, R_CREADR) == 0);
	/* Halves merge. */
	assert_true(mmio_r64(fx, R_CBASER) == (CBASER(CMDQ) | 1ULL << 10 | 5));
	mmio_w32(fx, R_CBASER, (uint32_t)CMDQ);
	assert_true(mmio_r64(fx, R_CBASER) == CBASER(CMDQ));
	/* Read-only while enabled. */
	fx_enable(fx);
	mmio_w64(fx, R_CBASER, 0);
	assert_true(mmio_r64(fx, R_CBASER) == CBASER(CMDQ));
	assert_int_equal(its_wreg(its, R_CBASER, 0), 0);
	assert_true(its_rreg(its, R_CBASER) == CBASER(CMDQ));
	fx_free(fx);
}

static void test_cwriter_creadr(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	mmio_w64(fx, R_CBASER, CBASER(CMDQ) | 1);	/* 8 KiB queue */
	/* Offset bits [19:5] only; Retry and low bits dropped. */
	mmio_w64(fx, R_CWRITER, 0x1fff);
	assert_true(mmio_r64(fx, R_CWRITER) == 0x1fe0);
	/* Beyond the queue: ignored. */
	mmio_w64(fx, R_CWRITER, 0x2000);
	assert_true(mmio_r64(fx, R_CWRITER) == 0x1fe0);
	mmio_w32(fx, R_CWRITER + 4, 1);
	assert_true(mmio_r64(fx, R_CWRITER) == 0x1fe0);
	mmio_w32(fx, R_CWRITER, 0x40);
	assert_true(mmio_r64(fx, R_CWRITER) == 0x40);
	assert_int_equal(mmio_r32(fx, R_CWRITER + 4), 0);
	/* Not quiescent while commands wait (ITS disabled). */
	assert_int_equal(mmio_r32(fx, R_CTLR), 0);
	/* The guest cannot write CREADR... */
	mmio_w64(fx, R_CREADR, 0x40);
	assert_true(mmio_r64(fx, R_CREADR) == 0);
	/* ...userspace can (restore), within the queue, masked. */
	assert_int_equal(its_wreg(its, R_CREADR, 0x5f), 0);
	assert_true(its_rreg(its, R_CREADR) == 0x40);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	assert_int_equal(its_wreg(its, R_CREADR, 0x2000), -EINVAL);
	assert_true(its_rreg(its, R_CREADR) == 0x40);
	assert_int_equal(its_wreg(its, R_CREADR, 0x1fe0), 0);
	/* CWRITER attribute writes act as the guest's. */
	assert_int_equal(its_wreg(its, R_CWRITER, 0x3000), 0);
	assert_true(its_rreg(its, R_CWRITER) == 0x40);
	assert_int_equal(its_wreg(its, R_CWRITER, 0x1fe0), 0);
	/* CREADR while enabled: -EBUSY. */
	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w32(fx, R_CTLR, 1);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	assert_int_equal(its_wreg(its, R_CREADR, 0), -EBUSY);
	fx_free(fx);
}

static void test_iidr(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	/* Userspace writes back the revision it read: ABI 0 accepted. */
	assert_int_equal(its_wreg(its, R_IIDR, 0x4b00043b), 0);
	assert_int_equal(its_wreg(its, R_IIDR, 0), 0);
	/* Only the Revision field counts; unknown revisions: -EINVAL. */
	assert_int_equal(its_wreg(its, R_IIDR, 0x4b00143b), -EINVAL);
	assert_int_equal(its_wreg(its, R_IIDR, 0xf000), -EINVAL);
	assert_int_equal(its_rreg(its, R_IIDR), 0x4b00043b);
	/* ABI 0's entry size stays committed in the BASERs. */
	assert_true(its_rreg(its, R_BASER0) == BASER_DEV_RESET);
	fx_free(fx);
}

static void test_regs_errors(void **state)
{
	struct fake_host *fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *its = its_new(fh);
	const uint32_t REGS = KVM_DEV_ARM_VGIC_GRP_ITS_REGS;
	uint64_t v = 0;

	/* No frame yet: -ENXIO. */
	assert_int_equal(device_get(its, REGS, R_CTLR, &v), -ENXIO);
	assert_int_equal(its_wreg(its, R_CBASER, 0), -ENXIO);
	assert_int_equal(its_set_base(its, ITS_BASE), 0);
	/* Bad pointers. */
	assert_int_equal(device_set(its, REGS, R_CTLR, NULL), -EFAULT);
	assert_int_equal(device_set(its, REGS, R_CTLR, BAD_PTR), -EFAULT);
	assert_int_equal(device_get(its, REGS, R_CTLR, BAD_PTR), -EFAULT);
	/* Alignment. */
	assert_int_equal(device_get(its, REGS, 0x84, &v), -EINVAL);
	assert_int_equal(its_wreg(its, 0x1, 0), -EINVAL);
	/* Unknown offsets. */
	assert_int_equal(device_get(its, REGS, 0x98, &v), -ENXIO);
	assert_int_equal(device_get(its, REGS, TRANSLATER, &v), -ENXIO);
	assert_int_equal(its_wreg(its, 0x140, 0), -ENXIO);
	/* vCPUs running: -EBUSY (after the alignment check, as KVM). */
	fh->running = true;
	assert_int_equal(device_get(its, REGS, R_CTLR, &v), -EBUSY);
	assert_int_equal(its_wreg(its, R_CBASER, 0), -EBUSY);
	assert_int_equal(device_get(its, REGS, 0x98, &v), -EBUSY);
	assert_int_equal(device_get(its, REGS, 0x84, &v), -EINVAL);
	fh->running = false;
	/* A get writes the whole u64 even for a 32-bit register. */
	v = ~0ULL;
	assert_int_equal(device_get(its, REGS, R_IIDR, &v), 0);
	assert_true(v == 0x4b00043b);
	/* Unknown groups. */
	assert_int_equal(its_set(its, 1000, 0, 0), -ENXIO);
	assert_int_equal(device_get(its, 1000, 0, &v), -ENXIO);
	assert_int_equal(device_get(its, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, &v), -ENXIO);
	device_destroy(its);
	fake_host_free(fh);
}

static void test_ctlr_enable(void **state)
{
	struct its_fx *fx = fx_new();
	struct device *its = fx->its;

	/* Enabling needs BASER0, BASER1 and CBASER valid; else ignored. */
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	mmio_w32(fx, R_CTLR, 1);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	mmio_w64(fx, R_BASER0, BASER_DEV(DEV_TBL));
	mmio_w64(fx, R_BASER1, BASER_COLL_RESET | COLL_TBL);
	mmio_w32(fx, R_CTLR, 1);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	mmio_w64(fx, R_BASER1, BASER_COLL(COLL_TBL));
	mmio_w64(fx, R_CBASER, CMDQ);
	assert_int_equal(its_wreg(its, R_CTLR, 1), 0);
	assert_int_equal(its_rreg(its, R_CTLR), 0x80000000);
	mmio_w64(fx, R_CBASER, CBASER(CMDQ));
	/* Other CTLR bits are not stored. */
	mmio_w32(fx, R_CTLR, 0xfffffffe);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	mmio_w32(fx, R_CTLR, 1);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000001);
	mmio_w32(fx, R_CTLR, 0);
	assert_int_equal(mmio_r32(fx, R_CTLR), 0x80000000);
	/* Through the attribute too. */
	assert_int_equal(its_wreg(its, R_CTLR, 1), 0);
	assert_int_equal(its_rreg(its, R_CTLR), 0x80000001);
	fx_free(fx);
}

static void test_ctrl(void **state)
{
	struct fake_host *fh = fake_host_new(RAM_BASE, RAM_SIZE, 1);
	struct device *its = its_new(fh);

	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_VGIC_CTRL_INIT), 0);
	/* Unknown control attributes. */
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES),
			 -ENXIO);
	assert_int_equal(its_ctrl(its, 77), -ENXIO);
	/* No frame, so no valid table yet: nothing to do, as in KVM. */
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_RESTORE_TABLES), 0);
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_CTRL_RESET), 0);
	/* vCPUs running. */
	fh->running = true;
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_CTRL_RESET), -EBUSY);
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_SAVE_TABLES), -EBUSY);
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_RESTORE_TABLES), -EBUSY);
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_VGIC_CTRL_INIT), 0);
	fh->running = false;
	assert_int_equal(its_set_base(its, ITS_BASE), 0);
	/* Nothing valid to save or restore: fine. */
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_RESTORE_TABLES), 0);
	device_destroy(its);
	fake_host_free(fh);
}

static void test_ctrl_reset(void **state)
{
	struct its_fx *fx = fx_new_enabled();
	struct device *its = fx->its;

	cmd_mapd(fx, 1, 4, ITT_BASE, true);
	cmd_mapc(fx, 0, 0, true);
	cmd_mapti(fx, 1, 0, 8192, 0);
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_true(fg_bit(fx->gic, 0, 8192));
	assert_true(its_rreg(its, R_CWRITER) == 0x60);

	assert_int_equal(its_ctrl(its, KVM_DEV_ARM_ITS_CTRL_RESET), 0);
	assert_int_equal(its_rreg(its, R_CTLR), 0x80000000);
	assert_true(its_rreg(its, R_CBASER) == 0);
	assert_true(its_rreg(its, R_CREADR) == 0);
	assert_true(its_rreg(its, R_CWRITER) == 0);
	/* Valid cleared, the rest (ABI fields, address) kept. */
	assert_true(its_rreg(its, R_BASER0) == (BASER_DEV_RESET | DEV_TBL));
	assert_true(its_rreg(its, R_BASER1) == (BASER_COLL_RESET | COLL_TBL));
	assert_int_equal(its_rreg(its, R_IIDR), 0x4b00043b);
	/* No translation survives: re-enable and the MSI goes nowhere. */
	fx_enable(fx);
	fx->gic->nr_calls = 0;
	assert_int_equal(msi(fx, 1, 0), 0);
	assert_int_equal(fx->gic->nr_calls, 0);
	fx_free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_has_attr),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_addr_overlap),
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_mmio_widths),
		cmocka_unit_test(test_baser),
		cmocka_unit_test(test_cbaser),
		cmocka_unit_test(test_cwriter_creadr),
		cmocka_unit_test(test_iidr),
		cmocka_unit_test(test_regs_errors),
		cmocka_unit_test(test_ctlr_enable),
		cmocka_unit_test(test_ctrl),
		cmocka_unit_test(test_ctrl_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
