// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv2 save/restore through the attribute interface: program
 * an instance (partly as a guest, partly through attributes), dump every
 * register has_attr admits for every vCPU, replay the dump into a fresh
 * instance in the documented order, and compare every register, the
 * vCPU lines and what the guest then acknowledges.
 *
 * Restore order (docs/devices/gicv2.md): GICD_IIDR first; then every
 * other register, set/clear pairs as "clear all, set saved" (enables
 * before the rest, pending and active last, after GICD_ICFGR); SGI
 * pending state through GICD_SPENDSGIR (sources), not ISPENDR0.
 *
 * The same round trip through gicv2_stream_ops (devices/gic/
 * gicv2_stream.c), the attribute stream snapshots store, into an
 * instance set up as the machine does before restoring (ADDR, NR_IRQS,
 * CTRL_INIT); the exact order of acknowledges after a restore with an
 * interrupt active and others pending; malformed streams.
 */
#include <stdio.h>

#include "kvmkit/attr_stream.h"
#include "test_gicv2_helpers.h"

#define NR_CPUS 3
#define NR_IRQS 128
#define MAX_RECS 4096

struct rec {
	uint32_t group;
	uint64_t attr;
	uint32_t val;
};

struct dump {
	size_t n;
	struct rec r[MAX_RECS];
};

static uint32_t rec_off(const struct rec *r)
{
	return (uint32_t)(r->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
}

static int rec_cpu(const struct rec *r)
{
	return (int)(r->attr >> KVM_DEV_ARM_VGIC_CPUID_SHIFT & 0xff);
}

static void dump_regs(struct gt *t, struct dump *d)
{
	static const struct {
		uint32_t group, size;
	} frames[] = { { DIST_REGS, 0x1000 }, { CPU_REGS, 0x2000 } };

	d->n = 0;
	for (size_t f = 0; f < 2; f++) {
		for (int cpu = 0; cpu < NR_CPUS; cpu++) {
			for (uint32_t off = 0; off < frames[f].size; off += 4) {
				uint64_t attr = REG(cpu, off);
				uint64_t v;

				if (device_has(t->dev, frames[f].group, attr))
					continue;
				assert_int_equal(gt_get(t, frames[f].group,
							attr, &v), 0);
				assert_true(d->n < MAX_RECS);
				d->r[d->n++] = (struct rec){ frames[f].group,
							     attr,
							     (uint32_t)v };
			}
		}
	}
}

static bool in(uint32_t off, uint32_t base, uint32_t len)
{
	return off >= base && off < base + len;
}

/* The pass a register belongs to in the restore order (-1: skip). */
static int restore_pass(const struct rec *r)
{
	uint32_t off = rec_off(r);

	if (r->group == CPU_REGS)
		return 1;
	if (off == GICD_IIDR)
		return 0;
	if (off == GICD_SGIR || in(off, GICD_ICENABLER, 0x80) ||
	    in(off, GICD_ICPENDR, 0x80) || in(off, GICD_ICACTIVER, 0x80) ||
	    in(off, GICD_CPENDSGIR, 0x10))
		return -1;	/* write-only, or the clear half of a pair */
	if (in(off, GICD_ISPENDR, 0x80) || in(off, GICD_ISACTIVER, 0x80) ||
	    in(off, GICD_SPENDSGIR, 0x10))
		return 2;
	return 1;
}

/* Clear-all for a set register: its clear twin, all ones. */
static void clear_twin(struct gt *t, const struct rec *r)
{
	uint32_t off = rec_off(r), twin = 0;

	if (in(off, GICD_ISENABLER, 0x80))
		twin = off + 0x80;
	else if (in(off, GICD_ISPENDR, 0x80))
		twin = off + 0x80;
	else if (in(off, GICD_ISACTIVER, 0x80))
		twin = off + 0x80;
	else if (in(off, GICD_SPENDSGIR, 0x10))
		twin = off - 0x10;
	if (twin)
		gt_set_reg(t, DIST_REGS, rec_cpu(r), twin, 0xffffffff);
}

static void restore_regs(struct gt *t, const struct dump *d, bool iidr)
{
	for (int pass = iidr ? 0 : 1; pass < 3; pass++) {
		for (size_t i = 0; i < d->n; i++) {
			const struct rec *r = &d->r[i];
			uint32_t val = r->val;

			if (restore_pass(r) != pass)
				continue;
			clear_twin(t, r);
			/* SGI pending comes from SPENDSGIR (sources). */
			if (rec_off(r) == GICD_ISPENDR)
				val &= ~0xffffu;
			assert_int_equal(gt_set(t, r->group, r->attr, val), 0);
		}
	}
}

static struct gt *program_source(void)
{
	struct gt *t = gt_ready(NR_CPUS, NR_IRQS);

	/* As the guest. */
	gd_write(t, 0, GICD_CTLR, 1);
	gc_write(t, 0, GICC_CTLR, 0x7);
	gc_write(t, 0, GICC_PMR, 0xf0);
	gc_write(t, 0, GICC_BPR, 3);
	gc_write(t, 1, GICC_CTLR, 0x209);
	gc_write(t, 1, GICC_PMR, 0xa0);
	gc_write(t, 1, GICC_ABPR, 5);
	gc_write(t, 2, GICC_CTLR, 0x13);
	gc_write(t, 2, GICC_PMR, 0x80);
	for (uint32_t i = 32; i < NR_IRQS; i += 4)
		gd_write(t, 0, GICD_IPRIORITYR + i, 0x10203040u + i);
	gd_write(t, 1, GICD_IPRIORITYR + 16, 0x48505860);
	gd_write(t, 2, GICD_IPRIORITYR + 4, 0x08101820);
	gd_write(t, 0, GICD_ITARGETSR + 32, 0x04020107);
	gd_write(t, 0, GICD_ITARGETSR + 100, 0x01010202);
	gd_write(t, 0, GICD_ICFGR + 8, 0xaaaaaa00);	/* 32..35 level */
	gd_write(t, 0, GICD_IGROUPR + 4, 0x0000f00f);
	gd_write(t, 0, GICD_IGROUPR, 0x00ff0000);
	gd_write(t, 0, GICD_ISENABLER + 4, 0xffff00ff);
	gd_write(t, 0, GICD_ISENABLER + 12, 0x00000030);
	gd_write(t, 2, GICD_ICENABLER, 0x0000f000);
	gd_write(t, 1, GICD_ISENABLER, 0x00ff0000);

	/* Inputs: a level SPI held high, edges, a PPI, guest writes. */
	device_set_irq(t->dev, 33, 1);
	device_set_irq(t->dev, 36, 1);
	device_set_irq(t->dev, 101, 1);
	gicv2_set_ppi(t->dev, 1, 20, 1);
	gd_write(t, 0, GICD_ISPENDR + 4, 1u << 30);
	/* SGIs from several sources. */
	gd_write(t, 0, GICD_SGIR, 0x06u << 16 | 2);
	gd_write(t, 2, GICD_SGIR, 0x02u << 16 | 2);
	gd_write(t, 1, GICD_SGIR, 1u << 24 | 13);
	/* Some active state: acknowledged, and set by hand. */
	assert_int_not_equal(gc_read(t, 0, GICC_IAR), 1023);
	assert_int_not_equal(gc_read(t, 1, GICC_IAR), 1023);
	gd_write(t, 0, GICD_ISACTIVER + 8, 1u << 4);

	/* Through attributes. */
	gt_set_reg(t, DIST_REGS, 0, GICD_IIDR, IIDR_KVM_V2);
	gt_set_reg(t, DIST_REGS, 2, GICD_IGROUPR, 0x80000000);
	gt_set_reg(t, CPU_REGS, 2, GICC_APR0, 1u << 3);
	gt_set_reg(t, CPU_REGS, 2, GICC_BPR, 4);
	return t;
}

static struct gt *restore_into_fresh(struct gt *a, const struct dump *d,
				     bool iidr_first)
{
	struct gt *b = gt_new(NR_CPUS);
	uint64_t v;

	assert_int_equal(gt_get(a, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_DIST, &v), 0);
	assert_int_equal(gt_set(b, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_DIST, v), 0);
	assert_int_equal(gt_get(a, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_CPU, &v), 0);
	assert_int_equal(gt_set(b, KVM_DEV_ARM_VGIC_GRP_ADDR,
				KVM_VGIC_V2_ADDR_TYPE_CPU, v), 0);
	assert_int_equal(gt_get(a, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &v), 0);
	assert_int_equal(gt_set(b, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, v), 0);
	restore_regs(b, d, iidr_first);
	assert_int_equal(gt_set(b, KVM_DEV_ARM_VGIC_GRP_CTRL,
				KVM_DEV_ARM_VGIC_CTRL_INIT, 0), 0);
	return b;
}

/*
 * Every register, the lines, then the guest's view: both GICs present
 * the same interrupts in the same order.
 */
static void check_same(struct gt *a, struct gt *b)
{
	static struct dump da, db;
	unsigned int drained = 0;

	dump_regs(a, &da);
	/* 2 frames' worth of registers per vCPU, not a handful. */
	assert_true(da.n > 3 * 100);
	dump_regs(b, &db);
	assert_int_equal(da.n, db.n);
	for (size_t i = 0; i < da.n; i++) {
		assert_int_equal(da.r[i].group, db.r[i].group);
		assert_true(da.r[i].attr == db.r[i].attr);
		if (da.r[i].val != db.r[i].val)
			print_error("group %u cpu %d off 0x%x: %#x != %#x\n",
				    da.r[i].group, rec_cpu(&da.r[i]),
				    rec_off(&da.r[i]), da.r[i].val,
				    db.r[i].val);
		assert_int_equal(da.r[i].val, db.r[i].val);
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		for (int l = 0; l < 2; l++)
			assert_int_equal(gt_line(a, cpu, l), gt_line(b, cpu, l));

	/*
	 * Input lines are the devices' to re-assert after a restore (the
	 * GICv2 ABI has no line-level group); then both GICs must present
	 * the same interrupts in the same order.
	 */
	device_set_irq(b->dev, 33, 1);
	device_set_irq(b->dev, 36, 1);
	device_set_irq(b->dev, 101, 1);
	gicv2_set_ppi(b->dev, 1, 20, 1);
	/*
	 * A level interrupt pending by its line comes back latched (the
	 * attribute ISPENDR write sets the latch, as in KVM): dropping the
	 * line no longer clears it on the restored side until the guest
	 * clears it.
	 */
	device_set_irq(a->dev, 33, 0);
	device_set_irq(b->dev, 33, 0);
	assert_int_equal(gd_read(a, 0, GICD_ISPENDR + 4) & 0x2, 0);
	assert_int_equal(gd_read(b, 0, GICD_ISPENDR + 4) & 0x2, 0x2);
	gd_write(a, 0, GICD_ICPENDR + 4, 0x2);
	gd_write(b, 0, GICD_ICPENDR + 4, 0x2);
	/*
	 * The same guest writes to both: retire what is active and open
	 * both groups, so every pending interrupt (latches, SGI sources,
	 * targets, priorities) must come out of both alike.
	 */
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct gt *g[2] = { a, b };

		for (int i = 0; i < 2; i++) {
			for (uint32_t r = 0; r < NR_IRQS / 32; r++)
				gd_write(g[i], cpu, GICD_ICACTIVER + 4 * r,
					 0xffffffff);
			gc_write(g[i], cpu, GICC_APR0, 0);
			gc_write(g[i], cpu, GICC_CTLR, 0x7);
			gc_write(g[i], cpu, GICC_PMR, 0xff);
		}
	}
	for (int cpu = 0; cpu < NR_CPUS; cpu++) {
		for (int n = 0; n < 40; n++) {
			uint32_t ia = gc_read(a, cpu, GICC_IAR);
			uint32_t ib = gc_read(b, cpu, GICC_IAR);

			assert_int_equal(ia, ib);
			if ((ia & 0x3ff) >= 1022)
				break;
			drained++;
			gc_write(a, cpu, GICC_EOIR, ia);
			gc_write(b, cpu, GICC_EOIR, ib);
		}
		assert_int_equal(gc_read(a, cpu, GICC_RPR),
				 gc_read(b, cpu, GICC_RPR));
	}
	printf("drained %u interrupts\n", drained);
	assert_true(drained >= 8);
}

static void test_round_trip(void **state)
{
	static struct dump da;
	struct gt *a = program_source();
	struct gt *b;

	dump_regs(a, &da);
	b = restore_into_fresh(a, &da, true);
	check_same(a, b);
	gt_free(b);
	gt_free(a);
}

/* Without GICD_IIDR written first, exactly the group bits are lost. */
static void test_restore_without_iidr(void **state)
{
	static struct dump da, db;
	struct gt *a = program_source();
	struct gt *b;
	size_t lost = 0;

	dump_regs(a, &da);
	b = restore_into_fresh(a, &da, false);
	dump_regs(b, &db);
	assert_int_equal(da.n, db.n);
	for (size_t i = 0; i < da.n; i++) {
		const struct rec *r = &da.r[i];
		bool group = r->group == DIST_REGS &&
			     in(rec_off(r), GICD_IGROUPR, 0x80);

		if (group && r->val) {
			assert_int_equal(db.r[i].val, 0);
			lost++;
		} else {
			assert_int_equal(r->val, db.r[i].val);
		}
	}
	assert_true(lost > 0);
	gt_free(b);
	gt_free(a);
}

/* ---- through the attribute stream (gicv2_stream_ops) -------------------- */

static void stream_save(struct gt *t, struct attr_stream *s)
{
	attr_stream_init(s);
	assert_int_equal(gicv2_stream_ops.save_stream(t->dev, s), 0);
	assert_int_equal(s->err, 0);
}

static int stream_restore(struct gt *t, const struct attr_stream *saved)
{
	struct attr_stream s;

	attr_stream_open(&s, saved->buf, saved->len);
	return gicv2_stream_ops.restore_stream(t->dev, &s);
}

/* A fresh GIC as the machine leaves it before the streams: initialised. */
static struct gt *machine_gic(int nr_cpus, uint32_t nr_irqs)
{
	return gt_ready(nr_cpus, nr_irqs);
}

static void test_stream_round_trip(void **state)
{
	struct gt *a = program_source();
	struct gt *b = machine_gic(NR_CPUS, NR_IRQS);
	struct attr_stream s, r;
	struct attr_rec rec;
	uint32_t v;

	stream_save(a, &s);
	assert_true(gicv2_stream_ops.types[0] == KVM_DEV_TYPE_ARM_VGIC_V2);
	/* NR_IRQS, then GICD_IIDR before any other register */
	attr_stream_open(&r, s.buf, s.len);
	assert_int_equal(attr_stream_next(&r, &rec), 1);
	assert_int_equal(rec.group, KVM_DEV_ARM_VGIC_GRP_NR_IRQS);
	memcpy(&v, rec.val, 4);
	assert_int_equal(v, NR_IRQS);
	assert_int_equal(attr_stream_next(&r, &rec), 1);
	assert_int_equal(rec.group, DIST_REGS);
	assert_true(rec.attr == GICD_IIDR);
	printf("stream: %d records, %zu bytes\n",
	       attr_stream_validate(s.buf, s.len), s.len);
	assert_true(attr_stream_validate(s.buf, s.len) > 100);

	assert_int_equal(stream_restore(b, &s), 0);
	check_same(a, b);
	attr_stream_free(&s);
	gt_free(b);
	gt_free(a);
}

/*
 * vCPU 0 is in the handler of SPI 40; SPI 41 (lower priority) and SGI 3
 * from vCPU 1 (lower still) wait.  After the restore: nothing until the
 * EOI of 40, then 41, then SGI 3 with its source, then nothing.
 */
static void ack_sequence(struct gt *t)
{
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0x80);
	gc_write(t, 0, GICC_EOIR, 40);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 41);
	gc_write(t, 0, GICC_EOIR, 41);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1u << 10 | 3);
	gc_write(t, 0, GICC_EOIR, 1u << 10 | 3);
	assert_int_equal(gc_read(t, 0, GICC_IAR), 1023);
	assert_int_equal(gc_read(t, 0, GICC_RPR), 0xff);
}

static void test_stream_active_then_pending(void **state)
{
	struct gt *a = gt_ready(2, 64);
	struct gt *b = machine_gic(2, 64);
	struct attr_stream s;

	gt_cpu_on(a, 0);
	gt_cpu_on(a, 1);
	gt_spi(a, 40, 0x80, 1);
	gt_spi(a, 41, 0xa0, 1);
	gd_write8(a, 0, GICD_IPRIORITYR + 3, 0xc0);
	device_set_irq(a->dev, 40, 1);
	device_set_irq(a->dev, 40, 0);
	assert_int_equal(gc_read(a, 0, GICC_IAR), 40);
	device_set_irq(a->dev, 41, 1);
	device_set_irq(a->dev, 41, 0);
	gd_write(a, 1, GICD_SGIR, 1u << 16 | 3);	/* to vCPU 0 */
	assert_int_equal(gt_line(a, 0, CPU_LINE_IRQ), 0);

	stream_save(a, &s);
	assert_int_equal(stream_restore(b, &s), 0);
	assert_int_equal(gt_line(b, 0, CPU_LINE_IRQ), 0);
	ack_sequence(b);
	ack_sequence(a);
	attr_stream_free(&s);
	gt_free(b);
	gt_free(a);
}

/* The first @keep records of @in, then @extra (NULL: none). */
static void stream_prefix(const struct attr_stream *in, unsigned int keep,
			  const struct attr_rec *extra, struct attr_stream *out)
{
	struct attr_stream r;
	struct attr_rec rec;

	attr_stream_open(&r, in->buf, in->len);
	attr_stream_init(out);
	while (r.count < keep && attr_stream_next(&r, &rec) > 0)
		assert_int_equal(attr_stream_put(out, rec.group, rec.attr,
						 rec.val, rec.len), 0);
	if (extra)
		assert_int_equal(attr_stream_put(out, extra->group,
						 extra->attr, extra->val,
						 extra->len), 0);
}

/* Nothing was written: GICD_CTLR and GICC_CTLR keep their reset value. */
static void assert_untouched(struct gt *t)
{
	assert_int_equal(gt_reg(t, DIST_REGS, 0, GICD_CTLR), 0);
	assert_int_equal(gt_reg(t, CPU_REGS, 0, GICC_CTLR), 0);
}

static void test_stream_malformed(void **state)
{
	static const uint32_t one = 1, nr96 = 96;
	static const uint8_t two[2] = { 1, 0 };
	const struct {
		const char *what;
		unsigned int keep;	/* records of the good stream kept */
		struct attr_rec extra;
		int err;
	} cases[] = {
		{ "unknown register", 9999,
		  { DIST_REGS, 0xffc, 4, (const uint8_t *)&one }, -ENXIO },
		{ "register past NR_IRQS", 9999,
		  { DIST_REGS, GICD_ISENABLER + 0x7c, 4,
		    (const uint8_t *)&one }, -ENXIO },
		{ "vCPU it lacks", 9999,
		  { CPU_REGS, REG(7, GICC_CTLR), 4, (const uint8_t *)&one },
		  -EINVAL },
		{ "unknown group", 9999,
		  { 42, 0, 4, (const uint8_t *)&one }, -EBADMSG },
		{ "control record", 9999,
		  { KVM_DEV_ARM_VGIC_GRP_CTRL, 0, 0, NULL }, -EBADMSG },
		{ "short record", 9999,
		  { DIST_REGS, GICD_CTLR, 2, two }, -EBADMSG },
		{ "long record", 9999,
		  { CPU_REGS, GICC_PMR, 8, (const uint8_t *)"\x1f\0\0\0\0\0\0" },
		  -EBADMSG },
		{ "NR_IRQS again", 9999,
		  { KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 4,
		    (const uint8_t *)&nr96 }, -EBADMSG },
		{ "IIDR not first", 1,
		  { DIST_REGS, GICD_CTLR, 4, (const uint8_t *)&one }, -EBADMSG },
		{ "no NR_IRQS", 0,
		  { DIST_REGS, GICD_IIDR, 4, (const uint8_t *)&one }, -EBADMSG },
		{ "NR_IRQS only", 1, { 0 }, -EBADMSG },
		{ "empty", 0, { 0 }, -EBADMSG },
	};
	struct gt *a = program_source();
	struct attr_stream s, bad;

	stream_save(a, &s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gt *b = machine_gic(NR_CPUS, NR_IRQS);

		stream_prefix(&s, cases[i].keep,
			      cases[i].extra.len || cases[i].extra.group ?
				      &cases[i].extra : NULL, &bad);
		print_message("%s\n", cases[i].what);
		assert_int_equal(stream_restore(b, &bad), cases[i].err);
		assert_untouched(b);
		attr_stream_free(&bad);
		gt_free(b);
	}
	/*
	 * Cut inside the last record (each is 24 bytes): the framing is
	 * refused.  (A stream cut between records is the snapshot file's
	 * CRC and section length to catch.)
	 */
	for (size_t cut = 1; cut < 24; cut++) {
		struct gt *b = machine_gic(NR_CPUS, NR_IRQS);
		struct attr_stream r;

		attr_stream_open(&r, s.buf, s.len - cut);
		assert_int_equal(gicv2_stream_ops.restore_stream(b->dev, &r),
				 -EBADMSG);
		assert_untouched(b);
		gt_free(b);
	}
	attr_stream_free(&s);
	gt_free(a);
}

/* The machine set another NR_IRQS: -EBUSY, as setting it again answers. */
static void test_stream_nr_irqs_differ(void **state)
{
	struct gt *a = program_source();
	struct gt *b = machine_gic(NR_CPUS, NR_IRQS + 32);
	struct gt *c = gt_new(NR_CPUS);
	struct attr_stream s;
	uint64_t v;

	stream_save(a, &s);
	assert_int_equal(stream_restore(b, &s), -EBUSY);
	assert_untouched(b);
	/* A GIC with no NR_IRQS yet takes the stream's. */
	assert_int_equal(stream_restore(c, &s), 0);
	assert_int_equal(gt_get(c, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &v), 0);
	assert_int_equal(v, NR_IRQS);
	attr_stream_free(&s);
	gt_free(c);
	gt_free(b);
	gt_free(a);
}

/* Random damage to a good stream: an error or success, never a crash. */
static void test_stream_fuzz(void **state)
{
	struct gt *a = program_source();
	struct attr_stream s;
	uint32_t seed = 12345;
	unsigned int refused = 0;

	stream_save(a, &s);
	for (int i = 0; i < 300; i++) {
		struct gt *b = machine_gic(NR_CPUS, NR_IRQS);
		uint8_t *copy = malloc(s.len);
		struct attr_stream r;

		assert_non_null(copy);
		memcpy(copy, s.buf, s.len);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % s.len] ^= (uint8_t)(1u << (seed % 8));
		}
		attr_stream_open(&r, copy, s.len);
		refused += gicv2_stream_ops.restore_stream(b->dev, &r) != 0;
		free(copy);
		gt_free(b);
	}
	printf("fuzz: %u of 300 damaged streams refused\n", refused);
	attr_stream_free(&s);
	gt_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_restore_without_iidr),
		cmocka_unit_test(test_stream_round_trip),
		cmocka_unit_test(test_stream_active_then_pending),
		cmocka_unit_test(test_stream_malformed),
		cmocka_unit_test(test_stream_nr_irqs_differ),
		cmocka_unit_test(test_stream_fuzz),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
