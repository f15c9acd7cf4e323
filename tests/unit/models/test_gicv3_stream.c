// SPDX-License-Identifier: GPL-2.0
/*
 * gicv3_stream_ops (devices/gic/gicv3_stream.c), the attribute stream a
 * snapshot stores for a GICv3: A (test_gicv3_state.h) saved into a
 * stream, which runs SAVE_PENDING_TABLES itself; B set up as the machine
 * does before restoring (ADDR, NR_IRQS, CTRL_INIT), given A's RAM, then
 * the stream.  Every register, line, LPI and pending-table byte must
 * match, and B must acknowledge what A does.  Also: the record order
 * the documentation asks for, an interrupt active with others pending
 * (SPI, SGI, LPIs from the pending table) taken in order after the
 * restore, APnR counts following ICC_CTLR_EL1.PRIbits, malformed
 * streams.
 */
#include <stdio.h>

#include "kvmkit/attr_stream.h"
#include "test_gicv3_state.h"

static struct attr_stream saved;

static void stream_save(struct device *gic, struct attr_stream *s)
{
	attr_stream_init(s);
	assert_int_equal(gicv3_stream_ops.save_stream(gic, s), 0);
	assert_int_equal(s->err, 0);
}

static int stream_restore(struct device *gic, const struct attr_stream *s)
{
	struct attr_stream r;

	attr_stream_open(&r, s->buf, s->len);
	return gicv3_stream_ops.restore_stream(gic, &r);
}

static int stream_setup(void **state)
{
	attr_stream_init(&saved);
	return setup(state);
}

static int stream_teardown(void **state)
{
	attr_stream_free(&saved);
	return teardown(state);
}

/* The index of the first record matching, or -1. */
static int find_rec(const struct attr_stream *s, uint32_t group,
		    uint32_t off_lo, uint32_t off_hi, bool last)
{
	struct attr_stream r;
	struct attr_rec rec;
	int found = -1;

	attr_stream_open(&r, s->buf, s->len);
	while (attr_stream_next(&r, &rec) > 0) {
		uint32_t off = (uint32_t)rec.attr;

		if (rec.group == group && off >= off_lo && off < off_hi) {
			found = (int)r.count - 1;
			if (!last)
				break;
		}
	}
	return found;
}

static void test_stream_round_trip(void **state)
{
	uint8_t *ram;

	program_a();
	stream_save(a.gic, &saved);
	check_saved_tables();		/* SAVE_PENDING_TABLES ran */
	dump(&da, a.gic);
	ram = malloc(RAM_SIZE);
	assert_non_null(ram);
	memcpy(ram, a.fh->ram, RAM_SIZE);

	vm_create(&b);
	memcpy(b.fh->ram, ram, RAM_SIZE);
	assert_int_equal(stream_restore(b.gic, &saved), 0);
	check_restored(ram);
	printf("stream: %d records, %zu bytes\n",
	       attr_stream_validate(saved.buf, saved.len), saved.len);
	free(ram);
}

/* The documented order, as the records come. */
static void test_stream_order(void **state)
{
	int first_pend;

	program_a();
	stream_save(a.gic, &saved);
	assert_int_equal(find_rec(&saved, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, 1,
				  false), 0);
	assert_int_equal(find_rec(&saved, GRP_DIST, 0x8, 0xc, false), 1);
	/* line levels, ICFGR, IROUTER before any pending latch */
	first_pend = find_rec(&saved, GRP_DIST, 0x200, 0x280, false);
	assert_true(first_pend > 0);
	assert_true(find_rec(&saved, GRP_REDIST, SGI_BASE + 0x200,
			     SGI_BASE + 0x280, false) > first_pend);
	assert_true(find_rec(&saved, GRP_LEVEL, 0, 1024, true) < first_pend);
	assert_true(find_rec(&saved, GRP_DIST, 0xc00, 0xd00, true) <
		    first_pend);
	assert_true(find_rec(&saved, GRP_DIST, 0x6000, 0x8000, true) <
		    first_pend);
	assert_true(find_rec(&saved, GRP_LEVEL, 0, 1024, false) >= 0);
	assert_true(find_rec(&saved, GRP_DIST, 0x6100, 0x8000, false) >= 0);
	/* EnableLPIs after every PROPBASER/PENDBASER */
	assert_true(find_rec(&saved, GRP_REDIST, 0, 4, false) >
		    find_rec(&saved, GRP_REDIST, 0x70, 0x80, true));
	/* ICC_CTLR before the APnR; 5 priority bits: AP0R0/AP1R0 only */
	assert_true(find_rec(&saved, GRP_SYSREGS, ICC_CTLR_EL1,
			     ICC_CTLR_EL1 + 1, false) <
		    find_rec(&saved, GRP_SYSREGS, ICC_AP0R0_EL1,
			     ICC_AP0R0_EL1 + 1, false));
	assert_int_equal(find_rec(&saved, GRP_SYSREGS, ICC_AP0R0_EL1 + 1,
				  ICC_AP0R0_EL1 + 4, false), -1);
	assert_int_equal(find_rec(&saved, GRP_SYSREGS, ICC_AP1R0_EL1 + 1,
				  ICC_AP1R0_EL1 + 4, false), -1);
	/* every vCPU's CPU interface */
	for (int c = 0; c < NCPUS; c++) {
		struct attr_stream r;
		struct attr_rec rec;
		int n = 0;

		attr_stream_open(&r, saved.buf, saved.len);
		while (attr_stream_next(&r, &rec) > 0)
			n += rec.group == GRP_SYSREGS &&
			     rec.attr == (MPIDR(c) | ICC_PMR_EL1);
		assert_int_equal(n, 1);
	}
}

static void test_stream_reset(void **state)
{
	stream_save(a.gic, &saved);
	dump(&da, a.gic);
	vm_create(&b);
	assert_int_equal(stream_restore(b.gic, &saved), 0);
	dump(&db, b.gic);
	compare(&da, &db);
}

/*
 * vCPU 0 is in the handler of SPI 40; SPI 41, SGI 3 from vCPU 1, and
 * LPIs 8200 (pending in the model) and 8300 (only a bit in the pending
 * table when LPIs were enabled) wait, in that priority order.
 */
static void program_busy(struct vm *vm)
{
	const struct gicv3_lpi_ops *ops = gicv3_lpi_ops_of(vm->gic);
	uint8_t *prop = fake_ram(vm->fh, PROP);
	uint8_t *pend = fake_ram(vm->fh, PEND(0));
	uint64_t v;

	fake_mmio_write32(vm->fh, 0, DIST, 2);
	fake_mmio_write32(vm->fh, 0, DIST + 0x104, 3u << 8);
	fake_mmio_access(vm->fh, 0, DIST + 0x400 + 40, &(uint8_t){ 0x80 }, 1,
			 true);
	fake_mmio_access(vm->fh, 0, DIST + 0x400 + 41, &(uint8_t){ 0xa0 }, 1,
			 true);
	fake_mmio_access(vm->fh, 0, rd(0) + SGI_BASE + 0x400 + 3,
			 &(uint8_t){ 0xc0 }, 1, true);
	for (int c = 0; c < 2; c++) {
		v = 0xff;
		assert_int_equal(gicv3_cpuif_sysreg(vm->gic, c, ICC_PMR_EL1,
						    &v, true), 0);
		v = 1;
		assert_int_equal(gicv3_cpuif_sysreg(vm->gic, c,
						    ICC_IGRPEN1_EL1, &v, true),
				 0);
	}
	memset(prop, 0xe1, 0x1000);	/* priority 0xe0, enabled */
	pend[(8300 / 8)] |= 1u << (8300 % 8);
	fake_mmio_write64(vm->fh, 0, rd(0) + 0x70, PROP | BASER_ATTRS | 15);
	fake_mmio_write64(vm->fh, 0, rd(0) + 0x78, PEND(0) | BASER_ATTRS);
	fake_mmio_write32(vm->fh, 0, rd(0), 1);
	assert_int_equal(ops->set_pending(vm->gic, 0, 8200), 0);
	fake_mmio_write32(vm->fh, 0, DIST + 0x204, 1u << 8);	/* SPI 40 */
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 40);
	fake_mmio_write32(vm->fh, 0, DIST + 0x204, 1u << 9);	/* SPI 41 */
	v = 3ULL << 24 | 1;		/* SGI 3 to Aff0 0 */
	assert_int_equal(gicv3_cpuif_sysreg(vm->gic, 1, ICC_SGI1R_EL1, &v,
					    true), 0);
}

static void ack_sequence(struct vm *vm)
{
	static const uint32_t order[] = { 41, 3, 8200, 8300 };
	uint64_t rpr;

	assert_int_equal(vm->fh->lines[0][CPU_LINE_IRQ], 0);
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 1023);
	assert_int_equal(gicv3_cpuif_sysreg(vm->gic, 0, ICC_RPR_EL1, &rpr,
					    false), 0);
	assert_int_equal(rpr, 0x80);
	assert_int_equal(gicv3_cpuif_eoi(vm->gic, 0, 1, 40), 0);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		assert_int_equal(vm->fh->lines[0][CPU_LINE_IRQ], 1);
		assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), order[i]);
		assert_int_equal(gicv3_cpuif_eoi(vm->gic, 0, 1, order[i]), 0);
	}
	assert_int_equal(gicv3_cpuif_ack(vm->gic, 0, 1), 1023);
	assert_int_equal(vm->fh->lines[0][CPU_LINE_IRQ], 0);
}

static void test_stream_active_then_pending(void **state)
{
	program_busy(&a);
	stream_save(a.gic, &saved);
	/* the pending table now holds both LPIs, the first kB untouched */
	assert_int_equal(((uint8_t *)fake_ram(a.fh, PEND(0)))[8200 / 8],
			 1u << (8200 % 8));
	assert_int_equal(((uint8_t *)fake_ram(a.fh, PEND(0)))[8300 / 8],
			 1u << (8300 % 8));
	vm_create(&b);
	memcpy(b.fh->ram, a.fh->ram, RAM_SIZE);
	assert_int_equal(stream_restore(b.gic, &saved), 0);
	ack_sequence(&b);
	ack_sequence(&a);
}

/* ---- APnR counts follow ICC_CTLR_EL1.PRIbits --------------------------- */

/* A backend with 6 priority bits: the model behind, AP0R1/AP1R1 added. */
static int six_get(struct device *dev, const struct kvm_device_attr *attr)
{
	struct device *inner = dev->priv;
	uint32_t instr = attr->attr & KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK;
	uint64_t *val = (uint64_t *)(uintptr_t)attr->addr;
	int ret;

	if (attr->group == GRP_SYSREGS &&
	    (instr == ICC_AP0R0_EL1 + 1 || instr == ICC_AP1R0_EL1 + 1)) {
		*val = 0x80000001;
		return 0;
	}
	ret = device_get_attr(inner, attr);
	if (!ret && attr->group == GRP_SYSREGS && instr == ICC_CTLR_EL1)
		*val = (*val & ~0x700ULL) | 5u << 8;
	return ret;
}

static int six_has(struct device *dev, const struct kvm_device_attr *attr)
{
	return device_has_attr(dev->priv, attr);
}

static void test_stream_apr_count(void **state)
{
	static const struct device_ops six_ops = {
		.get_attr = six_get, .has_attr = six_has,
	};
	struct device six = { .type = KVM_DEV_TYPE_ARM_VGIC_V3,
			      .backend = DEV_BACKEND_SOFT, .ops = &six_ops,
			      .priv = a.gic };
	struct attr_stream r;
	struct attr_rec rec;
	int ap[2][4] = { { 0 } };
	uint64_t v;

	stream_save(&six, &saved);
	attr_stream_open(&r, saved.buf, saved.len);
	while (attr_stream_next(&r, &rec) > 0) {
		uint32_t instr = (uint32_t)rec.attr;

		if (rec.group != GRP_SYSREGS)
			continue;
		assert_int_equal(rec.len, 8);
		if (instr >= ICC_AP0R0_EL1 && instr < ICC_AP0R0_EL1 + 4)
			ap[0][instr - ICC_AP0R0_EL1]++;
		if (instr >= ICC_AP1R0_EL1 && instr < ICC_AP1R0_EL1 + 4)
			ap[1][instr - ICC_AP1R0_EL1]++;
	}
	for (int g = 0; g < 2; g++) {
		assert_int_equal(ap[g][0], NCPUS);
		assert_int_equal(ap[g][1], NCPUS);
		assert_int_equal(ap[g][2], 0);
		assert_int_equal(ap[g][3], 0);
	}
	/* The model has 5 bits: its ICC_CTLR refuses 6 (-EINVAL, as KVM). */
	vm_create(&b);
	assert_int_equal(stream_restore(b.gic, &saved), -EINVAL);
	assert_int_equal(device_get(b.gic, GRP_SYSREGS, ICC_PMR_EL1, &v), 0);
	assert_int_equal(v, 0);
}

/* ---- malformed streams ------------------------------------------------- */

static void with_extra(const struct attr_stream *in, unsigned int keep,
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

/* Nothing written: GICD_CTLR and vCPU 0's PMR are at reset. */
static void assert_untouched(struct device *gic)
{
	uint32_t ctlr;
	uint64_t pmr;

	assert_int_equal(device_get(gic, GRP_DIST, 0, &ctlr), 0);
	assert_int_equal(ctlr & 3, 0);
	assert_int_equal(device_get(gic, GRP_SYSREGS, ICC_PMR_EL1, &pmr), 0);
	assert_int_equal(pmr, 0);
}

static void test_stream_malformed(void **state)
{
	static const uint64_t one = 1;
	static const uint32_t nr = NR_IRQS + 32;
	const struct {
		const char *what;
		unsigned int keep;
		struct attr_rec extra;
		int err;
	} cases[] = {
		{ "unknown register", ~0u,
		  { GRP_DIST, 0x5000, 4, (const uint8_t *)&one }, -ENXIO },
		{ "IROUTER past NR_IRQS", ~0u,
		  { GRP_DIST, 0x6000 + 8 * NR_IRQS, 4, (const uint8_t *)&one },
		  -ENXIO },
		{ "unknown system register", ~0u,
		  { GRP_SYSREGS, ICC_IAR1_EL1, 8, (const uint8_t *)&one },
		  -ENXIO },
		{ "redistributor of a missing vCPU", ~0u,
		  { GRP_REDIST, MPIDR(9) | 0x14, 4, (const uint8_t *)&one },
		  -EINVAL },
		{ "short system register", ~0u,
		  { GRP_SYSREGS, ICC_PMR_EL1, 4, (const uint8_t *)&one },
		  -EBADMSG },
		{ "short register", ~0u,
		  { GRP_REDIST, 0x14, 3, (const uint8_t *)&one }, -EBADMSG },
		{ "CPU_REGS (GICv2 only)", ~0u,
		  { KVM_DEV_ARM_VGIC_GRP_CPU_REGS, 0, 4,
		    (const uint8_t *)&one }, -EBADMSG },
		{ "SAVE_PENDING_TABLES record", ~0u,
		  { KVM_DEV_ARM_VGIC_GRP_CTRL,
		    KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES, 0, NULL }, -EBADMSG },
		{ "IIDR not first", 1,
		  { GRP_DIST, 0, 4, (const uint8_t *)&one }, -EBADMSG },
		{ "empty", 0, { 0 }, -EBADMSG },
	};
	struct attr_stream bad;

	program_a();
	stream_save(a.gic, &saved);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vm_create(&b);
		with_extra(&saved, cases[i].keep,
			   cases[i].extra.group ? &cases[i].extra : NULL, &bad);
		print_message("%s\n", cases[i].what);
		assert_int_equal(stream_restore(b.gic, &bad), cases[i].err);
		assert_untouched(b.gic);
		attr_stream_free(&bad);
		vm_destroy(&b);
		b.gic = NULL;
	}
	/* NR_IRQS of the stream differs from the machine's: -EBUSY. */
	vm_create(&b);
	memcpy(saved.buf + ATTR_STREAM_REC_HDR, &nr, 4);
	assert_int_equal(stream_restore(b.gic, &saved), -EBUSY);
	assert_untouched(b.gic);
	/* A cut inside the last record (24 or 16+8 bytes). */
	for (size_t cut = 1; cut < 24; cut++) {
		struct attr_stream r;

		attr_stream_open(&r, saved.buf, saved.len - cut);
		assert_int_equal(gicv3_stream_ops.restore_stream(b.gic, &r),
				 -EBADMSG);
	}
	assert_untouched(b.gic);
}

/* Random damage: an error or success, never a crash (ASan build). */
static void test_stream_fuzz(void **state)
{
	uint32_t seed = 777;
	unsigned int refused = 0;

	program_a();
	stream_save(a.gic, &saved);
	for (int i = 0; i < 200; i++) {
		uint8_t *copy = malloc(saved.len);
		struct attr_stream r;

		assert_non_null(copy);
		memcpy(copy, saved.buf, saved.len);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245 + 12345;
			copy[(seed >> 8) % saved.len] ^=
				(uint8_t)(1u << (seed % 8));
		}
		vm_create(&b);
		attr_stream_open(&r, copy, saved.len);
		refused += gicv3_stream_ops.restore_stream(b.gic, &r) != 0;
		vm_destroy(&b);
		b.gic = NULL;
		free(copy);
	}
	printf("fuzz: %u of 200 damaged streams refused\n", refused);
}

/* ---- what differs between backends ------------------------------------- */

/* The model behind, without GICR_STATUSR (as KVM) when asked. */
static bool lack_statusr;

static bool lacks(const struct kvm_device_attr *attr)
{
	return lack_statusr && attr->group == GRP_REDIST &&
	       (uint32_t)attr->attr == 0x10;
}

static int kvmlike_set(struct device *dev, const struct kvm_device_attr *attr)
{
	return lacks(attr) ? -ENXIO : device_set_attr(dev->priv, attr);
}

static int kvmlike_get(struct device *dev, const struct kvm_device_attr *attr)
{
	return lacks(attr) ? -ENXIO : device_get_attr(dev->priv, attr);
}

static int kvmlike_has(struct device *dev, const struct kvm_device_attr *attr)
{
	return lacks(attr) ? -ENXIO : device_has_attr(dev->priv, attr);
}

/* Rewrite every system-register record @instr of @s to @val. */
static void poke_sysreg(struct attr_stream *s, uint32_t instr, uint64_t val)
{
	struct attr_stream r;
	struct attr_rec rec;

	attr_stream_open(&r, s->buf, s->len);
	while (attr_stream_next(&r, &rec) > 0)
		if (rec.group == GRP_SYSREGS && (uint16_t)rec.attr == instr)
			memcpy((uint8_t *)rec.val, &val, 8);
}

static void test_stream_across_backends(void **state)
{
	static const struct device_ops kvmlike_ops = {
		.set_attr = kvmlike_set, .get_attr = kvmlike_get,
		.has_attr = kvmlike_has,
	};
	struct device kvmlike = { .type = KVM_DEV_TYPE_ARM_VGIC_V3,
				  .backend = DEV_BACKEND_SOFT,
				  .ops = &kvmlike_ops };
	struct attr_stream bad;
	uint64_t v;
	uint32_t st;

	program_a();
	stream_save(a.gic, &saved);
	/* GICR_STATUSR records are skipped on a GIC without the register */
	vm_create(&b);
	kvmlike.priv = b.gic;
	lack_statusr = true;
	assert_int_equal(stream_restore(&kvmlike, &saved), 0);
	assert_int_equal(device_get(b.gic, GRP_REDIST, MPIDR(1) | 0x10, &st),
			 0);
	assert_int_equal(st, 0);	/* never written */
	assert_int_equal(device_get(b.gic, GRP_SYSREGS,
				    MPIDR(2) | ICC_CTLR_EL1, &v), 0);
	assert_int_equal(v & 3, 2);	/* the rest was restored */
	/* ... but any other register it lacks still fails: -ENXIO */
	with_extra(&saved, ~0u,
		   &(struct attr_rec){ GRP_DIST, 0x5000, 4,
				       (const uint8_t *)"\1\0\0\0" }, &bad);
	vm_destroy(&b);
	vm_create(&b);
	kvmlike.priv = b.gic;
	assert_int_equal(stream_restore(&kvmlike, &bad), -ENXIO);
	attr_stream_free(&bad);
	lack_statusr = false;

	/*
	 * KVM's ICC_CTLR as the QEMU arm64 host shows it (A3V, IDbits 24,
	 * PRIbits 5) with EOImode: the model refuses A3V and IDbits, so it
	 * keeps its own and takes EOImode.
	 */
	poke_sysreg(&saved, ICC_CTLR_EL1, 0x8c00 | 2);
	vm_destroy(&b);
	vm_create(&b);
	assert_int_equal(stream_restore(b.gic, &saved), 0);
	for (int c = 0; c < NCPUS; c++) {
		assert_int_equal(device_get(b.gic, GRP_SYSREGS,
					    MPIDR(c) | ICC_CTLR_EL1, &v), 0);
		assert_int_equal(v, 0x400 | 2);
	}
	/* More priority bits than the model has: still -EINVAL */
	poke_sysreg(&saved, ICC_CTLR_EL1, 0x500);
	vm_destroy(&b);
	vm_create(&b);
	assert_int_equal(stream_restore(b.gic, &saved), -EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, stream_setup, stream_teardown)
	const struct CMUnitTest tests[] = {
		T(test_stream_round_trip),
		T(test_stream_order),
		T(test_stream_reset),
		T(test_stream_active_then_pending),
		T(test_stream_apr_count),
		T(test_stream_across_backends),
		T(test_stream_malformed),
		T(test_stream_fuzz),
	};
#undef T

	assert_true(gicv3_stream_ops.types[0] == KVM_DEV_TYPE_ARM_VGIC_V3);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
