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
 */
#include <stdio.h>

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

static void test_round_trip(void **state)
{
	static struct dump da, db;
	struct gt *a = program_source();
	unsigned int drained = 0;
	struct gt *b;

	dump_regs(a, &da);
	/* 2 frames' worth of registers per vCPU, not a handful. */
	assert_true(da.n > 3 * 100);
	b = restore_into_fresh(a, &da, true);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_restore_without_iidr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
