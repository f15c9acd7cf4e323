// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: creation, the attribute groups and their errors,
 * ID and reset values of both versions, the register map and its holes,
 * register write masks and guest access sizes.
 */
#include "test_mpic.h"

static const uint32_t types[] = { KVM_DEV_TYPE_FSL_MPIC_20,
				  KVM_DEV_TYPE_FSL_MPIC_42 };

static int raw_get(struct mpic_t *t, uint32_t group, uint64_t attr,
		   uint64_t addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr,
				     .addr = addr };

	return device_get_attr(t->dev, &a);
}

static int raw_set(struct mpic_t *t, uint32_t group, uint64_t attr,
		   uint64_t addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr,
				     .addr = addr };

	return device_set_attr(t->dev, &a);
}

/* ---- creation ------------------------------------------------------------ */

static void test_create_one_per_vm(void **state)
{
	for (int i = 0; i < 2; i++) {
		struct mpic_t *t = mpic_t_new(types[i], 2);
		struct device *dev = NULL;

		/* A second MPIC of either type: KVM's -EINVAL. */
		for (int j = 0; j < 2; j++)
			assert_int_equal(mpic_model(types[j])->create(
				&t->fh->host, types[j], &dev), -EINVAL);
		assert_null(dev);
		mpic_t_free(t);
	}
}

static void test_create_wrong_type(void **state)
{
	struct fake_host *fh = fake_host_new(0, 0x1000, 1);
	struct device *dev = NULL;

	assert_int_equal(mpic20_soft_model.create(&fh->host,
						   KVM_DEV_TYPE_XICS, &dev),
			 -ENODEV);
	assert_null(dev);
	assert_int_equal(mpic20_soft_model.type, KVM_DEV_TYPE_FSL_MPIC_20);
	assert_int_equal(mpic42_soft_model.type, KVM_DEV_TYPE_FSL_MPIC_42);
	/* Created unmapped: BASE_ADDR resets to 0 and nothing is on the bus. */
	assert_int_equal(mpic42_soft_model.create(&fh->host,
						   KVM_DEV_TYPE_FSL_MPIC_42,
						   &dev), 0);
	{
		uint64_t base = 1;

		assert_int_equal(device_get(dev, KVM_DEV_MPIC_GRP_MISC,
					    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
		assert_int_equal(base, 0);
		assert_int_equal(bus_count(fh->mmio), 0);
	}
	assert_non_null(mpic_iface_of(dev));
	device_destroy(dev);
	fake_host_free(fh);
}

/* ---- ID registers -------------------------------------------------------- */

static void test_id_registers(void **state)
{
	struct mpic_t *t20 = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	struct mpic_t *t42 = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 4);

	/* FRR: NIRQ-1 (80 / 196), NCPU-1, VID 2. */
	assert_int_equal(reg_get(t20, MPIC_FRR), 0x004f0102);
	assert_int_equal(reg_get(t42, MPIC_FRR), 0x00c30302);
	assert_int_equal(reg_get(t20, MPIC_BRR1), 0x00400200);
	assert_int_equal(reg_get(t42, MPIC_BRR1), 0x00400402);
	assert_int_equal(reg_get(t20, MPIC_VIR), 0);
	assert_int_equal(reg_get(t42, MPIC_VIR), 0);
	/* Read-only: writes are ignored. */
	reg_set(t20, MPIC_FRR, 0);
	reg_set(t20, MPIC_BRR1, 0);
	reg_set(t20, MPIC_VIR, 0x1234);
	assert_int_equal(reg_get(t20, MPIC_FRR), 0x004f0102);
	assert_int_equal(reg_get(t20, MPIC_BRR1), 0x00400200);
	assert_int_equal(reg_get(t20, MPIC_VIR), 0);
	/* The same through guest MMIO, and byte by byte. */
	assert_int_equal(g_read(t42, 0, MPIC_FRR), 0x00c30302);
	{
		uint8_t b[4];

		for (int i = 0; i < 4; i++)
			assert_int_equal(fake_mmio_access(t42->fh, 0,
				MPIC_TEST_BASE + MPIC_FRR + i, &b[i], 1,
				false), 0);
		assert_int_equal(b[0], 0x02);
		assert_int_equal(b[1], 0x03);
		assert_int_equal(b[2], 0xc3);
		assert_int_equal(b[3], 0x00);
	}
	mpic_t_free(t20);
	mpic_t_free(t42);
}

/* ---- reset values -------------------------------------------------------- */

static void check_reset_values(struct mpic_t *t)
{
	bool v42 = t->type == KVM_DEV_TYPE_FSL_MPIC_42;

	assert_int_equal(reg_get(t, MPIC_GCR), 0);
	assert_int_equal(reg_get(t, MPIC_SPVR), 0xffff);
	assert_int_equal(reg_get(t, MPIC_TFRR), 0);
	assert_int_equal(reg_get(t, MPIC_PIR), 0);
	for (int n = 0; n < MPIC_NR_IPI; n++)
		assert_int_equal(reg_get(t, MPIC_IPIVPR(n)), 0x80000000);
	for (int n = 0; n < MPIC_NR_TMR; n++) {
		assert_int_equal(reg_get(t, MPIC_GTCCR(n)), 0);
		assert_int_equal(reg_get(t, MPIC_GTBCR(n)), 0x80000000);
		assert_int_equal(reg_get(t, MPIC_GTVPR(n)), 0x80000000);
		assert_int_equal(reg_get(t, MPIC_GTDR(n)), 1);
	}
	for (int n = 0; n < MPIC_NR_SRC; n++) {
		/* Internal sources (16..) are level, active-high. */
		assert_int_equal(reg_get(t, MPIC_IVPR(n)),
				 n < 16 ? 0x80000000 : 0x80800000);
		assert_int_equal(reg_get(t, MPIC_IDR(n)), 1);
		assert_int_equal(reg_get(t, MPIC_ILR(n)),
				 v42 ? 0 : 0xffffffff);
		assert_int_equal(active_get(t, n), 0);
	}
	for (int c = 0; c < MPIC_NR_CPU; c++) {
		assert_int_equal(reg_get(t, MPIC_CPU(c) + MPIC_CTPR), 15);
		assert_int_equal(reg_get(t, MPIC_CPU(c) + MPIC_WHOAMI), c);
		assert_int_equal(reg_get(t, MPIC_CPU(c) + MPIC_EOI), 0);
		assert_int_equal(reg_get(t, MPIC_CPU(c) + MPIC_IACK), 0xffff);
	}
	for (int n = 0; n < MPIC_NR_MSIR; n++)
		assert_int_equal(reg_get(t, MPIC_MSIR(n)), 0);
	assert_int_equal(reg_get(t, MPIC_MSISR), 0);
}

static void test_reset_values(void **state)
{
	for (int i = 0; i < 2; i++) {
		struct mpic_t *t = mpic_t_new(types[i], 2);

		check_reset_values(t);
		mpic_t_free(t);
	}
}

static void test_gcr_mode_and_reset(void **state)
{
	for (int i = 0; i < 2; i++) {
		struct mpic_t *t = mpic_t_new(types[i], 2);
		uint32_t mode = types[i] == KVM_DEV_TYPE_FSL_MPIC_20 ?
				0x20000000 : 0x60000000;

		/* Only the version's mode bits stick. */
		reg_set(t, MPIC_GCR, 0x7fffffff);
		assert_int_equal(reg_get(t, MPIC_GCR), mode);

		/* Program a bit of everything, then GCR[RST]. */
		reg_set(t, MPIC_SPVR, 0x1234);
		reg_set(t, MPIC_TFRR, 1000000);
		reg_set(t, MPIC_IPIVPR(1), ivpr(3, 0x31, false));
		reg_set(t, MPIC_GTBCR(2), 500);
		reg_set(t, MPIC_GTVPR(2), ivpr(3, 0x22, false));
		reg_set(t, MPIC_GTDR(2), 2);
		for (int n = 0; n < MPIC_NR_SRC; n++) {
			reg_set(t, MPIC_IVPR(n), ivpr(n % 16, n, true));
			reg_set(t, MPIC_IDR(n), 3);
			reg_set(t, MPIC_ILR(n), 1);
		}
		reg_set(t, MPIC_CPU(0) + MPIC_CTPR, 0);
		reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
		active_set(t, 3, 1);
		active_set(t, 20, 1);
		reg_set(t, MPIC_CPU(0) + MPIC_IPIDR(1), 3);
		assert_true(line(t, 0, CPU_LINE_IRQ) || line(t, 0, CPU_LINE_CRIT));
		/* Put everything CPU 0 can take in service. */
		for (int k = 0; k < 8; k++)
			if (reg_get(t, MPIC_CPU(0) + MPIC_IACK) == 0x1234)
				break;

		reg_set(t, MPIC_GCR, MPIC_GCR_RESET | mode);
		/* Level 20's line is still high but it is masked again. */
		assert_int_equal(reg_get(t, MPIC_IVPR(20)), 0x80800000);
		assert_int_equal(active_get(t, 20), 1);
		active_set(t, 20, 0);
		check_reset_values(t);
		for (int c = 0; c < 2; c++)
			for (int l = 0; l < CPU_LINE_NR; l++)
				assert_int_equal(line(t, c, l), 0);
		/* The in-service stack was dropped: 20 is taken again. */
		active_set(t, 20, 1);
		reg_set(t, MPIC_IVPR(20), ivpr(4, 20, true));
		reg_set(t, MPIC_CPU(0) + MPIC_CTPR, 0);
		assert_int_equal(line(t, 0, CPU_LINE_IRQ), 1);
		assert_int_equal(reg_get(t, MPIC_CPU(0) + MPIC_IACK), 20);
		mpic_t_free(t);
	}
}

/* ---- write masks --------------------------------------------------------- */

static void test_register_write_masks(void **state)
{
	struct mpic_t *t20 = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	struct mpic_t *t42 = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	/* IVPR: A (bit 30) and MODE (bit 29) are read-only. */
	reg_set(t20, MPIC_IVPR(0), 0xffffffff);
	assert_int_equal(reg_get(t20, MPIC_IVPR(0)), 0x80cfffff);
	/* Internal sources: no sense bit (always level). */
	reg_set(t20, MPIC_IVPR(16), 0xffffffff);
	assert_int_equal(reg_get(t20, MPIC_IVPR(16)), 0x808fffff);
	reg_set(t20, MPIC_IVPR(16), 0);
	assert_int_equal(reg_get(t20, MPIC_IVPR(16)), 0);
	/* IPIs and timers: neither sense nor polarity. */
	reg_set(t20, MPIC_IPIVPR(3), 0xffffffff);
	assert_int_equal(reg_get(t20, MPIC_IPIVPR(3)), 0x800fffff);
	reg_set(t20, MPIC_GTVPR(1), 0xffffffff);
	assert_int_equal(reg_get(t20, MPIC_GTVPR(1)), 0x800fffff);
	/* SPVR: a 16-bit vector. */
	reg_set(t20, MPIC_SPVR, 0x12345678);
	assert_int_equal(reg_get(t20, MPIC_SPVR), 0x5678);
	/* TFRR and GTBCR keep every bit; GTCCR is read-only. */
	reg_set(t20, MPIC_TFRR, 0xfedcba98);
	assert_int_equal(reg_get(t20, MPIC_TFRR), 0xfedcba98);
	reg_set(t20, MPIC_GTBCR(3), 0x7fffffff);
	assert_int_equal(reg_get(t20, MPIC_GTBCR(3)), 0x7fffffff);
	reg_set(t20, MPIC_GTCCR(3), 0x1234);
	assert_int_equal(reg_get(t20, MPIC_GTCCR(3)), 0);

	/* v2.0 IDR with 2 CPUs: EP, CI0, CI1, P1, P0. */
	reg_set(t20, MPIC_IDR(5), 0xffffffff);
	assert_int_equal(reg_get(t20, MPIC_IDR(5)), 0xe0000003);
	reg_set(t20, MPIC_GTDR(0), 0xffffffff);
	assert_int_equal(reg_get(t20, MPIC_GTDR(0)), 0xe0000003);
	/* v4.2 IDR: the P bits only. */
	reg_set(t42, MPIC_IDR(5), 0xffffffff);
	assert_int_equal(reg_get(t42, MPIC_IDR(5)), 3);

	/* v4.2 ILR: INT, CINT, MCP; reserved encodings are ignored. */
	reg_set(t42, MPIC_ILR(7), 2);
	assert_int_equal(reg_get(t42, MPIC_ILR(7)), 2);
	reg_set(t42, MPIC_ILR(7), 0x101);
	assert_int_equal(reg_get(t42, MPIC_ILR(7)), 1);
	reg_set(t42, MPIC_ILR(7), 3);
	assert_int_equal(reg_get(t42, MPIC_ILR(7)), 1);
	/* v2.0 has no ILR. */
	reg_set(t20, MPIC_ILR(7), 1);
	assert_int_equal(reg_get(t20, MPIC_ILR(7)), 0xffffffff);

	/* CTPR: 4 bits; WHOAMI, EOI and IACK reads; IPIDR is write-only. */
	reg_set(t20, MPIC_CPU(1) + MPIC_CTPR, 0xffffff07);
	assert_int_equal(reg_get(t20, MPIC_CPU(1) + MPIC_CTPR), 7);
	reg_set(t20, MPIC_CPU(1) + MPIC_WHOAMI, 5);
	assert_int_equal(reg_get(t20, MPIC_CPU(1) + MPIC_WHOAMI), 1);
	assert_int_equal(reg_get(t20, MPIC_CPU(1) + MPIC_IPIDR(0)),
			 0xffffffff);
	mpic_t_free(t20);
	mpic_t_free(t42);
}

/* ---- MISC / BASE_ADDR ---------------------------------------------------- */

static int noop_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		     uint32_t len, bool is_write)
{
	return 0;
}

static void test_base_addr(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	uint64_t base = 0, b2 = 0xfe040000, bad = 0xfe020000;
	uint32_t val;

	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(base, MPIC_TEST_BASE);
	assert_int_equal(g_read(t, 0, MPIC_BRR1), 0x00400402);

	/* Naturally aligned to 256 KiB or -EINVAL, mapping unchanged. */
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &bad), -EINVAL);
	bad = MPIC_TEST_BASE + 4;
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &bad), -EINVAL);
	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(base, MPIC_TEST_BASE);

	/* Setting the same base again is a no-op. */
	base = MPIC_TEST_BASE;
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(bus_count(t->fh->mmio), 1);

	/* Remapping moves the window. */
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &b2), 0);
	assert_int_equal(bus_count(t->fh->mmio), 1);
	assert_int_equal(fake_mmio_access(t->fh, 0, MPIC_TEST_BASE, &val, 4,
					  false), -ENOENT);
	assert_int_equal(fake_mmio_read32(t->fh, 0, b2 + MPIC_BRR1),
			 0x00400402);
	assert_int_equal(fake_mmio_access(t->fh, 0, b2 + MPIC_REG_SIZE - 4,
					  &val, 4, false), -ENXIO);

	/* A window the host can't map: its errno, old mapping kept. */
	assert_int_equal(bus_register(t->fh->mmio, 0xfe080000, 0x1000,
				      noop_mmio, NULL, "other"), 0);
	base = 0xfe080000;
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), -EEXIST);
	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(base, b2);
	assert_int_equal(fake_mmio_read32(t->fh, 0, b2 + MPIC_BRR1),
			 0x00400402);

	/* Zero unmaps. */
	base = 0;
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(bus_count(t->fh->mmio), 1);	/* "other" */
	assert_int_equal(fake_mmio_access(t->fh, 0, b2, &val, 4, false),
			 -ENOENT);
	base = 1;
	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(base, 0);
	/* The registers still work through the attribute interface. */
	assert_int_equal(reg_get(t, MPIC_BRR1), 0x00400402);

	/* A bad pointer: -EFAULT, nothing changed. */
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_MISC,
				 KVM_DEV_MPIC_BASE_ADDR, 0), -EFAULT);
	assert_int_equal(raw_get(t, KVM_DEV_MPIC_GRP_MISC,
				 KVM_DEV_MPIC_BASE_ADDR, 0), -EFAULT);
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_MISC,
				 KVM_DEV_MPIC_BASE_ADDR, 8), -EFAULT);
	mpic_t_free(t);
}

/* ---- groups, attributes and errors --------------------------------------- */

static void test_unknown_group_and_attr(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	uint64_t v = 0;

	for (uint32_t g = 0; g < 8; g++) {
		if (g >= KVM_DEV_MPIC_GRP_MISC && g <= KVM_DEV_MPIC_GRP_IRQ_ACTIVE)
			continue;
		assert_int_equal(device_set(t->dev, g, 0, &v), -ENXIO);
		assert_int_equal(device_get(t->dev, g, 0, &v), -ENXIO);
		assert_int_equal(device_has(t->dev, g, 0), -ENXIO);
	}
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC, 1, &v),
			 -ENXIO);
	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_MISC, 1, &v),
			 -ENXIO);
	mpic_t_free(t);
}

static void test_has_attr(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR), 0);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_MISC, 1), -ENXIO);
	/* As KVM: any REGISTER offset, even one that fails on access. */
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_REGISTER, 0), 0);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_REGISTER, 3), 0);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
				    0x50000), 0);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 0), 0);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 255),
			 0);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 256),
			 -ENXIO);
	assert_int_equal(device_has(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE,
				    1ull << 32), -ENXIO);
	mpic_t_free(t);
}

static void test_register_errors(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	static const uint64_t holes[] = {
		0x1310, 0x1400, 0x15fc, 0x1800, 0x3000, 0x37fc, 0x4000,
		0xfffc, 0x12000, 0x1fffc, 0x3f100, 0x3fffc, 0x40000,
		0x100000000ull, 0xfffffffffffffffcull,
	};
	uint32_t val = 0;

	/* Misaligned: -ENXIO, as KVM (no register there). */
	for (uint64_t off = 1; off < 4; off++) {
		assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
					    MPIC_GCR + off, &val), -ENXIO);
		assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
					    MPIC_GCR + off, &val), -ENXIO);
	}
	/* Outside every register block: -ENXIO. */
	for (size_t i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
					    holes[i], &val), -ENXIO);
		assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
					    holes[i], &val), -ENXIO);
	}
	/* Inside a block with no register: all-ones (0 in MSI/summary). */
	assert_int_equal(reg_get(t, 0x0010), 0xffffffff);
	assert_int_equal(reg_get(t, 0x1004), 0xffffffff);
	assert_int_equal(reg_get(t, 0x1200), 0xffffffff);
	assert_int_equal(reg_get(t, 0x10004), 0xffffffff);
	assert_int_equal(reg_get(t, MPIC_CPU(3) + 0x100), 0xffffffff);
	assert_int_equal(reg_get(t, 0x1700), 0);
	assert_int_equal(reg_get(t, MPIC_MSIIR), 0);
	assert_int_equal(reg_get(t, 0x3800), 0);
	assert_int_equal(reg_get(t, 0x3ffc), 0);
	reg_set(t, 0x3800, 0xffffffff);
	reg_set(t, 0x10004, 0xffffffff);
	/* The MSI block: KVM fails reads that are not 16-byte aligned. */
	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
				    MPIC_MSIR(0) + 4, &val), -ENXIO);
	reg_set(t, MPIC_MSIR(0) + 4, 0);
	/* PIR writes go to user space in KVM: -ENXIO. */
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_REGISTER,
				    MPIC_PIR, &val), -ENXIO);
	/* Bad pointers: -EFAULT; an access error is reported first. */
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_REGISTER, MPIC_GCR, 0),
			 -EFAULT);
	assert_int_equal(raw_get(t, KVM_DEV_MPIC_GRP_REGISTER, MPIC_GCR, 0),
			 -EFAULT);
	assert_int_equal(raw_get(t, KVM_DEV_MPIC_GRP_REGISTER, 0x4000, 0),
			 -ENXIO);
	assert_int_equal(raw_get(t, KVM_DEV_MPIC_GRP_REGISTER, 2, 0), -ENXIO);
	/* ... but a write copies the value before looking at the offset. */
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_REGISTER, 2, 0), -EFAULT);
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_REGISTER, 0x4000, 0),
			 -EFAULT);
	/* The write didn't happen. */
	assert_int_equal(reg_get(t, MPIC_GCR), 0);
	mpic_t_free(t);
}

static void test_irq_active_errors(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	uint32_t val = 1;

	/* Out of range: -EINVAL, before the pointer is looked at. */
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 256,
				    &val), -EINVAL);
	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 256,
				    &val), -EINVAL);
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 1ull << 32,
				 0), -EINVAL);
	assert_int_equal(raw_get(t, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 300, 0),
			 -EINVAL);
	/* Only 0 and 1. */
	val = 2;
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 20,
				    &val), -EINVAL);
	val = 0xffffffff;
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 20,
				    &val), -EINVAL);
	assert_int_equal(active_get(t, 20), 0);
	/* Bad pointers. */
	assert_int_equal(raw_set(t, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 20, 0),
			 -EFAULT);
	assert_int_equal(raw_get(t, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 20, 0),
			 -EFAULT);
	/* SRC pins beyond 255 don't exist either. */
	assert_int_equal(device_set_irq(t->dev, 256, 1), -EINVAL);
	assert_int_equal(device_set_irq(t->dev, 0xffffffff, 1), -EINVAL);
	mpic_t_free(t);
}

/* ---- guest access rules -------------------------------------------------- */

static void test_guest_access_sizes(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_20, 2);
	uint64_t b = MPIC_TEST_BASE;
	uint8_t buf[8] = { 0 };

	/* Reads: 4 bytes aligned, or 1 byte; else -EINVAL. */
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR, buf, 2,
					  false), -EINVAL);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR, buf, 8,
					  false), -EINVAL);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR + 2, buf, 4,
					  false), -EINVAL);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR + 1, buf, 1,
					  false), 0);
	assert_int_equal(buf[0], 0xff);
	/* Writes: 4 bytes aligned only, else -EOPNOTSUPP. */
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR, buf, 1,
					  true), -EOPNOTSUPP);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR, buf, 8,
					  true), -EOPNOTSUPP);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR + 2, buf, 4,
					  true), -EOPNOTSUPP);
	assert_int_equal(reg_get(t, MPIC_SPVR), 0xffff);
	/* Holes and PIR writes: -ENXIO. */
	assert_int_equal(fake_mmio_access(t->fh, 0, b + 0x4000, buf, 4, false),
			 -ENXIO);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + 0x4000, buf, 4, true),
			 -ENXIO);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_PIR, buf, 4, true),
			 -ENXIO);
	/* Little-endian data: the value's low byte comes first. */
	g_write(t, 0, MPIC_SPVR, 0x1234);
	assert_int_equal(fake_mmio_access(t->fh, 0, b + MPIC_SPVR, buf, 4,
					  false), 0);
	assert_int_equal(buf[0], 0x34);
	assert_int_equal(buf[1], 0x12);
	assert_int_equal(buf[2], 0);
	mpic_t_free(t);
}

/* The alias page is the accessing vCPU's; the attribute interface has none. */
static void test_current_cpu_alias(void **state)
{
	struct mpic_t *t = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);

	assert_int_equal(g_read(t, 0, MPIC_WHOAMI), 0);
	assert_int_equal(g_read(t, 1, MPIC_WHOAMI), 1);
	g_write(t, 1, MPIC_CTPR, 9);
	assert_int_equal(reg_get(t, MPIC_CPU(1) + MPIC_CTPR), 9);
	assert_int_equal(reg_get(t, MPIC_CPU(0) + MPIC_CTPR), 15);
	assert_int_equal(g_read(t, 1, MPIC_CTPR), 9);
	/* Another CPU's page is reachable from any vCPU. */
	assert_int_equal(g_read(t, 0, MPIC_CPU(1) + MPIC_CTPR), 9);
	assert_int_equal(g_read(t, 0, MPIC_CPU(1) + MPIC_WHOAMI), 1);

	assert_int_equal(reg_get(t, MPIC_WHOAMI), 0xffffffff);
	assert_int_equal(reg_get(t, MPIC_CTPR), 0xffffffff);
	assert_int_equal(reg_get(t, MPIC_IACK), 0xffffffff);
	assert_int_equal(reg_get(t, MPIC_EOI), 0xffffffff);
	reg_set(t, MPIC_CTPR, 2);
	assert_int_equal(reg_get(t, MPIC_CPU(0) + MPIC_CTPR), 15);
	assert_int_equal(reg_get(t, MPIC_CPU(1) + MPIC_CTPR), 9);
	/* A VMM access (cpu -1) and a vCPU beyond 31 see no CPU either. */
	assert_int_equal(g_read(t, -1, MPIC_WHOAMI), 0xffffffff);
	assert_int_equal(g_read(t, 40, MPIC_WHOAMI), 0xffffffff);
	/* Pages of CPUs the VM lacks keep state but drive nothing. */
	reg_set(t, MPIC_CPU(31) + MPIC_CTPR, 0);
	assert_int_equal(reg_get(t, MPIC_CPU(31) + MPIC_CTPR), 0);
	assert_int_equal(reg_get(t, MPIC_CPU(31) + MPIC_WHOAMI), 31);
	mpic_t_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_one_per_vm),
		cmocka_unit_test(test_create_wrong_type),
		cmocka_unit_test(test_id_registers),
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_gcr_mode_and_reset),
		cmocka_unit_test(test_register_write_masks),
		cmocka_unit_test(test_base_addr),
		cmocka_unit_test(test_unknown_group_and_attr),
		cmocka_unit_test(test_has_attr),
		cmocka_unit_test(test_register_errors),
		cmocka_unit_test(test_irq_active_errors),
		cmocka_unit_test(test_guest_access_sizes),
		cmocka_unit_test(test_current_cpu_alias),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
