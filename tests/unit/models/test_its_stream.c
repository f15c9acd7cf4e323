// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS's attribute stream (devices/gic/its_stream.c): a programmed
 * software ITS saved into a stream, its RAM copied after the save (as a
 * snapshot does), restored into a fresh ITS: every readable register,
 * every table byte in guest RAM and every translation are the same.
 * The stream's record order is the documented restore order; restore
 * applies that order whatever the stream's; malformed streams give
 * -EBADMSG (or the device's own documented error), never a crash.
 */
#include "kvmkit/attr_stream.h"
#include "test_its_common.h"

#define ITT_A (ITT_BASE)
#define ITT_B (ITT_BASE + 0x100)

/* Every register offset the attribute interface reads. */
static const uint64_t all_regs[] = {
	R_CTLR, R_IIDR, R_TYPER, R_CBASER, R_CWRITER, R_CREADR,
	0x100, 0x108, 0x110, 0x118, 0x120, 0x128, 0x130, 0x138,
	0xffd0, 0xffe0, 0xffe4, 0xffe8, 0xfff0, 0xfff4, 0xfff8, 0xfffc,
};
#define NR_ALL (sizeof(all_regs) / sizeof(all_regs[0]))

/*
 * Device 1 (4 bits): 0 -> 8192/c0, 3 -> 8195/c1; device 7 (2 bits):
 * 1 -> 9000/c1; c0 -> vCPU 2, c1 -> vCPU 3.  Then the ITS is disabled
 * with an INT for device 1 event 3 queued but not run.
 */
static void program(struct its_fx *fx)
{
	fx_enable(fx);
	cmd_mapd(fx, 1, 4, ITT_A, true);
	cmd_mapd(fx, 7, 2, ITT_B, true);
	cmd_mapc(fx, 0, 2, true);
	cmd_mapc(fx, 1, 3, true);
	cmd_mapti(fx, 1, 0, 8192, 0);
	cmd_mapti(fx, 1, 3, 8195, 1);
	cmd_mapti(fx, 7, 1, 9000, 1);
}

static void save(struct its_fx *fx, struct attr_stream *s)
{
	attr_stream_init(s);
	assert_int_equal(its_stream_ops.save_stream(fx->its, s), 0);
	assert_int_equal(s->err, 0);
}

/* A fresh host, fake GIC and ITS; RAM copied from @from; base set or not. */
static struct its_fx *fresh(struct its_fx *from, uint64_t base)
{
	struct its_fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->fh = fake_host_new(RAM_BASE, RAM_SIZE, NR_CPUS);
	fx->gic = fake_gic_new();
	fake_host_add_device(fx->fh, &fx->gic->dev);
	memcpy(fake_ram(fx->fh, RAM_BASE), fake_ram(from->fh, RAM_BASE),
	       RAM_SIZE);
	fx->its = its_new(fx->fh);
	fx->base = base ? base : ITS_BASE;
	fx->cmdq = CMDQ;
	if (base)
		assert_int_equal(its_set_base(fx->its, base), 0);
	return fx;
}

static int restore(struct its_fx *fx, const struct attr_stream *saved)
{
	struct attr_stream s;

	attr_stream_open(&s, saved->buf, saved->len);
	return its_stream_ops.restore_stream(fx->its, &s);
}

static void assert_same_regs(struct its_fx *a, struct its_fx *b)
{
	for (size_t i = 0; i < NR_ALL; i++) {
		uint64_t va = its_rreg(a->its, all_regs[i]);
		uint64_t vb = its_rreg(b->its, all_regs[i]);

		if (va != vb)
			fail_msg("register %#llx: %#llx != %#llx",
				 (unsigned long long)all_regs[i],
				 (unsigned long long)vb, (unsigned long long)va);
	}
}

static void test_record_order(void **state)
{
	static const struct { uint32_t group; uint64_t attr; uint32_t len; }
	want[] = {
		{ KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_ITS_ADDR_TYPE, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_IIDR, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_CBASER, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_CREADR, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_CWRITER, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x100, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x108, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x110, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x118, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x120, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x128, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x130, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x138, 8 },
		{ KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_ITS_RESTORE_TABLES, 0 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_CTLR, 8 },
	};
	struct its_fx *fx = fx_new();
	struct attr_stream s;
	struct attr_rec rec;
	uint64_t v;

	program(fx);
	save(fx, &s);
	attr_stream_rewind(&s);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(attr_stream_next(&s, &rec), 1);
		assert_int_equal(rec.group, want[i].group);
		assert_int_equal(rec.attr, want[i].attr);
		assert_int_equal(rec.len, want[i].len);
	}
	assert_int_equal(attr_stream_next(&s, &rec), 0);
	/* Values are host-order u64s, as the ABI reads them. */
	attr_stream_rewind(&s);
	assert_int_equal(attr_stream_next(&s, &rec), 1);
	memcpy(&v, rec.val, 8);
	assert_int_equal(v, ITS_BASE);
	attr_stream_free(&s);
	fx_free(fx);
}

static void test_roundtrip(void **state)
{
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s;

	program(a);
	mmio_w32(a, R_CTLR, 0);
	cmd_dev_ev(a, CMD_INT, 1, 3);
	assert_false(fg_bit(a->gic, 3, 8195));
	mmio_w32(a, R_CTLR, 1);
	/* The enable ran it: queue one more while disabled, left for later. */
	assert_true(fg_bit(a->gic, 3, 8195));
	fg_setbit(a->gic, 3, 8195, false);
	mmio_w32(a, R_CTLR, 0);
	cmd_dev_ev(a, CMD_INT, 7, 1);
	mmio_w32(a, R_CTLR, 1);
	fg_setbit(a->gic, 3, 9000, false);
	/* An enabled ITS with an empty queue is what a snapshot sees. */
	save(a, &s);
	b = fresh(a, ITS_BASE);
	assert_int_equal(restore(b, &s), 0);
	assert_same_regs(a, b);
	assert_int_equal(its_rreg(b->its, R_CTLR), 0x80000001);
	/* The same table bytes: save b's into its RAM and compare. */
	assert_int_equal(its_ctrl(b->its, KVM_DEV_ARM_ITS_SAVE_TABLES), 0);
	assert_memory_equal(fake_ram(b->fh, RAM_BASE), fake_ram(a->fh, RAM_BASE),
			    RAM_SIZE);
	/* The same translations: same LPI, same vCPU. */
	assert_int_equal(msi(b, 1, 0), 0);
	assert_int_equal(msi(b, 1, 3), 0);
	assert_int_equal(msi(b, 7, 1), 0);
	assert_true(fg_bit(b->gic, 2, 8192));
	assert_true(fg_bit(b->gic, 3, 8195));
	assert_true(fg_bit(b->gic, 3, 9000));
	assert_false(fg_bit(b->gic, 0, 8192));
	/* An unmapped event stays dropped. */
	assert_int_equal(msi(b, 1, 1), 0);
	assert_false(fg_bit(b->gic, 2, 8193));
	/* Commands keep working after restore: MOVI c0 -> vCPU 1. */
	cmd_mapc(b, 2, 1, true);
	cmd_movi(b, 1, 0, 2);
	fg_setbit(b->gic, 2, 8192, false);
	assert_int_equal(msi(b, 1, 0), 0);
	assert_true(fg_bit(b->gic, 1, 8192));
	attr_stream_free(&s);
	fx_free(b);
	fx_free(a);
}

/* A command queued while the ITS is off runs after restore, once. */
static void test_queued_command(void **state)
{
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s;

	program(a);
	mmio_w32(a, R_CTLR, 0);
	cmd_dev_ev(a, CMD_INT, 1, 0);
	assert_int_equal(mmio_r64(a, R_CWRITER), mmio_r64(a, R_CREADR) + 32);
	save(a, &s);
	b = fresh(a, ITS_BASE);
	assert_int_equal(restore(b, &s), 0);
	assert_same_regs(a, b);
	assert_int_equal(its_rreg(b->its, R_CTLR), 0);
	assert_false(fg_bit(b->gic, 2, 8192));
	mmio_w32(b, R_CTLR, 1);
	assert_true(fg_bit(b->gic, 2, 8192));
	assert_int_equal(mmio_r64(b, R_CREADR), mmio_r64(b, R_CWRITER));
	attr_stream_free(&s);
	fx_free(b);
	fx_free(a);
}

/* A restored ITS saves the very same stream (a fixed point). */
static void test_fixed_point(void **state)
{
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s1, s2;

	program(a);
	save(a, &s1);
	b = fresh(a, ITS_BASE);
	assert_int_equal(restore(b, &s1), 0);
	save(b, &s2);
	assert_int_equal(s1.len, s2.len);
	assert_memory_equal(s1.buf, s2.buf, s1.len);
	assert_memory_equal(fake_ram(b->fh, RAM_BASE),
			    fake_ram(a->fh, RAM_BASE), RAM_SIZE);
	attr_stream_free(&s1);
	attr_stream_free(&s2);
	fx_free(b);
	fx_free(a);
}

/* The base: set when undefined, kept when equal, -EEXIST when not. */
static void test_base_address(void **state)
{
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s;
	uint64_t addr = 0;

	program(a);
	save(a, &s);
	b = fresh(a, 0);
	assert_int_equal(restore(b, &s), 0);
	assert_int_equal(device_get(b->its, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_ITS_ADDR_TYPE, &addr), 0);
	assert_int_equal(addr, ITS_BASE);
	assert_int_equal(msi(b, 1, 3), 0);
	assert_true(fg_bit(b->gic, 3, 8195));
	fx_free(b);
	b = fresh(a, ITS_BASE + 0x20000);
	assert_int_equal(restore(b, &s), -EEXIST);
	fx_free(b);
	attr_stream_free(&s);
	fx_free(a);
}

/* Records in another order are applied in the documented one. */
static void test_any_order(void **state)
{
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s, rev;
	struct attr_rec recs[32];
	int n = 0;

	program(a);
	save(a, &s);
	attr_stream_rewind(&s);
	while (n < 32 && attr_stream_next(&s, &recs[n]) > 0)
		n++;
	attr_stream_init(&rev);
	for (int i = n - 1; i >= 0; i--)
		assert_int_equal(attr_stream_put(&rev, recs[i].group,
						 recs[i].attr, recs[i].val,
						 recs[i].len), 0);
	b = fresh(a, ITS_BASE);
	assert_int_equal(restore(b, &rev), 0);
	assert_same_regs(a, b);
	assert_int_equal(msi(b, 7, 1), 0);
	assert_true(fg_bit(b->gic, 3, 9000));
	attr_stream_free(&rev);
	attr_stream_free(&s);
	fx_free(b);
	fx_free(a);
}

/* The stream @s with record @skip dropped and @extra (if any) added. */
static void rebuild(const struct attr_stream *s, int skip,
		    const struct attr_rec *extra, struct attr_stream *out)
{
	struct attr_stream in;
	struct attr_rec rec;
	int i = 0;

	attr_stream_open(&in, s->buf, s->len);
	attr_stream_init(out);
	while (attr_stream_next(&in, &rec) > 0) {
		if (i++ != skip)
			assert_int_equal(attr_stream_put(out, rec.group,
							 rec.attr, rec.val,
							 rec.len), 0);
	}
	if (extra)
		assert_int_equal(attr_stream_put(out, extra->group, extra->attr,
						 extra->val, extra->len), 0);
}

static void test_malformed(void **state)
{
	static const uint8_t v8[8] = { 0 }, v4[4] = { 0 };
	static const uint64_t bad_iidr = 0x4b00543bULL;	/* Revision 5 */
	const struct attr_rec extras[] = {
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_TYPER, 8, v8 },	/* RO */
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_CTLR, 8, v8 },	/* twice */
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x4242, 8, v8 },
		{ KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_ITS_CTRL_RESET, 0,
		  NULL },
		{ 99, 0, 8, v8 },
		{ KVM_DEV_ARM_VGIC_GRP_ITS_REGS, 0x110, 4, v4 },	/* short */
	};
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s, m;
	struct attr_rec rec;
	int nrec = 0;

	program(a);
	save(a, &s);
	attr_stream_rewind(&s);
	while (attr_stream_next(&s, &rec) > 0)
		nrec++;
	/* Unknown, read-only, repeated or wrong-length records. */
	for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
		rebuild(&s, -1, &extras[i], &m);
		b = fresh(a, ITS_BASE);
		assert_int_equal(restore(b, &m), -EBADMSG);
		/* Nothing was applied. */
		assert_int_equal(its_rreg(b->its, R_CBASER), 0);
		fx_free(b);
		attr_stream_free(&m);
	}
	/* Each required record missing: -EBADMSG; GITS_BASER2..7 (RAZ/WI)
	 * and the address may be left out. */
	for (int i = 0; i < nrec; i++) {
		bool optional = i == 0 || (i >= 7 && i <= 12);

		rebuild(&s, i, NULL, &m);
		b = fresh(a, ITS_BASE);
		if (restore(b, &m) != (optional ? 0 : -EBADMSG))
			fail_msg("record %d left out", i);
		fx_free(b);
		attr_stream_free(&m);
	}
	/* Truncated and bad padding: the reader's -EBADMSG. */
	b = fresh(a, ITS_BASE);
	{
		struct attr_stream t;

		attr_stream_open(&t, s.buf, s.len - 3);
		assert_int_equal(its_stream_ops.restore_stream(b->its, &t),
				 -EBADMSG);
	}
	fx_free(b);
	/* A value the device refuses: its documented error. */
	{
		struct attr_rec r = { KVM_DEV_ARM_VGIC_GRP_ITS_REGS, R_IIDR, 8,
				      (const uint8_t *)&bad_iidr };

		rebuild(&s, 1, &r, &m);
		b = fresh(a, ITS_BASE);
		assert_int_equal(restore(b, &m), -EINVAL);
		fx_free(b);
		attr_stream_free(&m);
	}
	/* Vcpus running: the ABI's -EBUSY, for save and restore. */
	b = fresh(a, ITS_BASE);
	b->fh->running = true;
	assert_int_equal(restore(b, &s), -EBUSY);
	attr_stream_init(&m);
	assert_int_equal(its_stream_ops.save_stream(b->its, &m), -EBUSY);
	attr_stream_free(&m);
	fx_free(b);
	attr_stream_free(&s);
	fx_free(a);
}

/* Random corruption of a valid stream and of RAM: errors, no crash. */
static void test_fuzz(void **state)
{
	struct its_fx *a = fx_new(), *b;
	struct attr_stream s;
	uint8_t *copy;
	unsigned int seed = 12345;

	program(a);
	save(a, &s);
	copy = malloc(s.len);
	assert_non_null(copy);
	for (int round = 0; round < 300; round++) {
		struct attr_stream t;

		memcpy(copy, s.buf, s.len);
		for (int k = 0; k < 1 + round % 4; k++)
			copy[rand_r(&seed) % s.len] ^=
				(uint8_t)(1 + rand_r(&seed) % 255);
		b = fresh(a, ITS_BASE);
		/* Corrupt the tables too, sometimes. */
		if (round % 3 == 0)
			ram_put64(b, DEV_TBL + 8 * (rand_r(&seed) % 16),
				  (uint64_t)rand_r(&seed) << 33 | rand_r(&seed));
		attr_stream_open(&t, copy, s.len);
		(void)its_stream_ops.restore_stream(b->its, &t);
		(void)msi(b, 1, 3);
		fx_free(b);
	}
	free(copy);
	attr_stream_free(&s);
	fx_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_order),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_queued_command),
		cmocka_unit_test(test_fixed_point),
		cmocka_unit_test(test_base_address),
		cmocka_unit_test(test_any_order),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
