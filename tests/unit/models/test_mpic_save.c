// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: save/restore through the attribute ABI only, with
 * mpic_stream_ops (devices/mpic/mpic_stream.c), in the order
 * docs/devices/mpic.md documents.  An instance is programmed, saved
 * into an attribute stream, restored into a fresh instance, and every
 * register, input and output line, the in-service state and the IACK
 * order compared; malformed streams are refused.
 */
#include <string.h>

#include "kvmkit/attr_stream.h"
#include "test_mpic.h"

/* Save with the stream ops (vCPUs "paused": nothing runs here). */
static void mpic_save(struct mpic_t *t, struct attr_stream *s)
{
	attr_stream_init(s);
	assert_int_equal(mpic_stream_ops.save_stream(t->dev, s), 0);
	assert_int_equal(s->err, 0);
}

static int mpic_restore(struct mpic_t *t, const struct attr_stream *saved)
{
	struct attr_stream s;

	attr_stream_open(&s, saved->buf, saved->len);
	return mpic_stream_ops.restore_stream(t->dev, &s);
}

/* A fresh, unmapped instance of @type on another host. */
static struct mpic_t *mpic_t_fresh(uint32_t type, int cpus)
{
	struct mpic_t *b = calloc(1, sizeof(*b));

	assert_non_null(b);
	b->type = type;
	b->fh = fake_host_new(0, 0x10000, cpus);
	assert_int_equal(mpic_model(type)->create(&b->fh->host, type, &b->dev),
			 0);
	fake_host_add_device(b->fh, b->dev);
	return b;
}

/* Every register that reading does not change. */
static void compare_registers(struct mpic_t *a, struct mpic_t *b)
{
	static const uint64_t globals[] = {
		MPIC_BRR1, MPIC_FRR, MPIC_GCR, MPIC_VIR, MPIC_PIR, MPIC_SPVR,
		MPIC_TFRR, MPIC_MSISR,
	};

	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++)
		assert_int_equal(reg_get(a, globals[i]), reg_get(b, globals[i]));
	for (int n = 0; n < MPIC_NR_IPI; n++)
		assert_int_equal(reg_get(a, MPIC_IPIVPR(n)),
				 reg_get(b, MPIC_IPIVPR(n)));
	for (int n = 0; n < MPIC_NR_TMR; n++) {
		assert_int_equal(reg_get(a, MPIC_GTCCR(n)),
				 reg_get(b, MPIC_GTCCR(n)));
		assert_int_equal(reg_get(a, MPIC_GTBCR(n)),
				 reg_get(b, MPIC_GTBCR(n)));
		assert_int_equal(reg_get(a, MPIC_GTVPR(n)),
				 reg_get(b, MPIC_GTVPR(n)));
		assert_int_equal(reg_get(a, MPIC_GTDR(n)),
				 reg_get(b, MPIC_GTDR(n)));
	}
	for (int n = 0; n < MPIC_NR_SRC; n++) {
		assert_int_equal(reg_get(a, MPIC_IVPR(n)),
				 reg_get(b, MPIC_IVPR(n)));
		assert_int_equal(reg_get(a, MPIC_IDR(n)),
				 reg_get(b, MPIC_IDR(n)));
		assert_int_equal(reg_get(a, MPIC_ILR(n)),
				 reg_get(b, MPIC_ILR(n)));
		assert_int_equal(active_get(a, n), active_get(b, n));
	}
	for (int c = 0; c < MPIC_NR_CPU; c++) {
		assert_int_equal(reg_get(a, MPIC_CPU(c) + MPIC_CTPR),
				 reg_get(b, MPIC_CPU(c) + MPIC_CTPR));
		assert_int_equal(reg_get(a, MPIC_CPU(c) + MPIC_WHOAMI),
				 reg_get(b, MPIC_CPU(c) + MPIC_WHOAMI));
	}
}

static void compare_lines(struct mpic_t *a, struct mpic_t *b, int cpus)
{
	for (int c = 0; c < cpus; c++)
		for (int l = 0; l < CPU_LINE_NR; l++)
			assert_int_equal(line(a, c, l), line(b, c, l));
}

/* IACK on each CPU of both until spurious: the same vectors in order. */
static void compare_iacks(struct mpic_t *a, struct mpic_t *b, int cpus)
{
	uint32_t spv = reg_get(a, MPIC_SPVR) & 0xffff;

	for (int c = 0; c < cpus; c++) {
		for (int i = 0; i < 64; i++) {
			uint32_t va = g_read(a, c, MPIC_IACK);

			assert_int_equal(g_read(b, c, MPIC_IACK), va);
			compare_lines(a, b, cpus);
			if (va == spv)
				break;
		}
	}
}

static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* A busy, deterministic configuration with pending state of each kind. */
static void program(struct mpic_t *t, int cpus, uint32_t seed)
{
	bool v42 = t->type == KVM_DEV_TYPE_FSL_MPIC_42;

	reg_set(t, MPIC_GCR, 0xffffffff & ~MPIC_GCR_RESET);
	reg_set(t, MPIC_SPVR, 0x5a5);
	reg_set(t, MPIC_TFRR, 66666666);
	for (int n = 0; n < MPIC_NR_IPI; n++)
		reg_set(t, MPIC_IPIVPR(n), lcg(&seed));
	for (int n = 0; n < MPIC_NR_TMR; n++) {
		reg_set(t, MPIC_GTBCR(n), lcg(&seed) | (n & 1 ? MPIC_TBCR_CI : 0));
		reg_set(t, MPIC_GTVPR(n), lcg(&seed));
		reg_set(t, MPIC_GTDR(n), lcg(&seed));
	}
	for (int n = 0; n < MPIC_NR_SRC; n++) {
		uint32_t r = lcg(&seed);

		/* Mostly INT, some critical (v2.0 CI bits / v4.2 ILR). */
		reg_set(t, MPIC_IDR(n), (n % 7 == 0 && !v42) ?
			MPIC_IDR_CI0 >> (n % cpus) : r % (1u << cpus));
		if (v42)
			reg_set(t, MPIC_ILR(n), n % 7 == 0 ? 1 + n % 2 : 0);
		reg_set(t, MPIC_IVPR(n), (n % 5 == 0 ? MPIC_IVPR_MASK : 0) |
			(lcg(&seed) & 0x00cfffff));
	}
	for (int c = 0; c < cpus; c++)
		reg_set(t, MPIC_CPU(c) + MPIC_CTPR, c + 1);
	/* Levels and edges on a third of the sources. */
	for (int n = 0; n < MPIC_NR_SRC; n += 3)
		active_set(t, n, 1);
	/* MSIs in three banks. */
	reg_set(t, MPIC_MSIIR, 0u << 29 | 3u << 24);
	reg_set(t, MPIC_MSIIR, 0u << 29 | 31u << 24);
	reg_set(t, MPIC_MSIIR, 4u << 29 | 0u << 24);
	assert_int_equal(device_signal_msi(t->dev, 0, 7u << 29 | 17u << 24, 0),
			 0);
}

static void round_trip(uint32_t type, int cpus, uint32_t seed)
{
	struct mpic_t *a = mpic_t_new(type, cpus);
	struct mpic_t *b;
	struct attr_stream s;
	uint64_t base = 0;

	program(a, cpus, seed);
	mpic_save(a, &s);

	b = mpic_t_fresh(type, cpus);
	assert_int_equal(mpic_restore(b, &s), 0);

	assert_int_equal(device_get(b->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(base, MPIC_TEST_BASE);
	compare_registers(a, b);
	compare_lines(a, b, cpus);
	/* Something is actually pending and delivered. */
	assert_int_not_equal(reg_get(a, MPIC_MSISR), 0);
	assert_true(line(a, 0, CPU_LINE_IRQ) || line(a, 1, CPU_LINE_IRQ));

	/* Destructive reads last: the same interrupts in the same order. */
	compare_iacks(a, b, cpus);
	for (int n = 0; n < MPIC_NR_MSIR; n++)
		assert_int_equal(reg_get(a, MPIC_MSIR(n)),
				 reg_get(b, MPIC_MSIR(n)));
	compare_registers(a, b);
	compare_lines(a, b, cpus);

	attr_stream_free(&s);
	mpic_t_free(a);
	mpic_t_free(b);
}

static void test_round_trip_v20(void **state)
{
	round_trip(KVM_DEV_TYPE_FSL_MPIC_20, 2, 1);
	round_trip(KVM_DEV_TYPE_FSL_MPIC_20, 4, 2);
}

static void test_round_trip_v42(void **state)
{
	round_trip(KVM_DEV_TYPE_FSL_MPIC_42, 2, 3);
	round_trip(KVM_DEV_TYPE_FSL_MPIC_42, 3, 4);
}

/* Saving leaves the running instance as it was (MSIRs written back). */
static void test_save_is_not_destructive(void **state)
{
	struct mpic_t *a = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	struct attr_stream s;

	program(a, 2, 5);
	mpic_save(a, &s);
	assert_int_equal(reg_get(a, MPIC_MSISR), 0x91);
	assert_int_equal(reg_get(a, MPIC_MSIR(0)), 0x80000008);
	assert_int_equal(reg_get(a, MPIC_MSIR(4)), 1);
	assert_int_equal(reg_get(a, MPIC_MSIR(7)), 1u << 17);
	attr_stream_free(&s);
	mpic_t_free(a);
}

/* The records come in the documented order. */
static void test_record_order(void **state)
{
	struct mpic_t *a = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	struct attr_stream s;
	struct attr_rec r;
	uint64_t want_src = MPIC_IDR(0);
	int n = 0, phase = 0;

	program(a, 2, 7);
	mpic_save(a, &s);
	attr_stream_rewind(&s);
	while (attr_stream_next(&s, &r) > 0) {
		/* 0 base, 1 registers, 2 IRQ_ACTIVE, 3 MSIIRs, 4 ext. */
		int p = r.group == KVM_DEV_MPIC_GRP_MISC ? 0 :
			r.group == KVM_DEV_MPIC_GRP_IRQ_ACTIVE ? 2 :
			r.group == KVMKIT_DEV_MPIC_GRP_STATE ? 4 :
			r.attr == MPIC_MSIIR ? 3 : 1;

		assert_true(p >= phase);
		if (n == 0)
			assert_int_equal(p, 0);
		/* Within a source: IDR, then ILR, then IVPR. */
		if (r.group == KVM_DEV_MPIC_GRP_REGISTER &&
		    r.attr >= MPIC_IVPR(0) && r.attr < MPIC_IVPR(256))
		{
			assert_int_equal(r.attr, want_src);
			want_src += (want_src & 0x1f) == 0x10 ? 8 :
				    (want_src & 0x1f) == 0x18 ? -0x18 : 0x30;
		}
		phase = p;
		n++;
	}
	assert_int_equal(phase, 4);
	assert_int_equal(want_src, MPIC_IDR(256));
	/* base, 3 + 4 + 12 globals, 3 * 256 sources, 2 CTPRs, 256 lines,
	 * 4 MSIs, 4 timers, 2 CPUs. */
	assert_int_equal(n, 1 + 19 + 768 + 2 + 256 + 4 + 4 + 2);
	attr_stream_free(&s);
	mpic_t_free(a);
}

/*
 * What only the extension group keeps: on CPU 0 an interrupt in service
 * (prio 8) and a lower one pending behind it (prio 5), on CPU 1 a nested
 * pair in service; an IPI pending at CPU 1 and a timer expiry.
 */
static void in_service_state(struct mpic_t *t)
{
	reg_set(t, MPIC_SPVR, 0xff);
	reg_set(t, MPIC_CPU(0) + MPIC_CTPR, 0);
	reg_set(t, MPIC_CPU(1) + MPIC_CTPR, 0);
	reg_set(t, MPIC_IDR(1), 1);
	reg_set(t, MPIC_IVPR(1), ivpr(8, 0x41, false));
	reg_set(t, MPIC_IDR(2), 1);
	reg_set(t, MPIC_IVPR(2), ivpr(5, 0x42, false));
	reg_set(t, MPIC_IDR(3), 2);
	reg_set(t, MPIC_IVPR(3), ivpr(4, 0x43, true));
	reg_set(t, MPIC_IDR(4), 2);
	reg_set(t, MPIC_IVPR(4), ivpr(9, 0x44, false));
	active_set(t, 1, 1);
	assert_int_equal(g_read(t, 0, MPIC_IACK), 0x41);
	active_set(t, 2, 1);
	active_set(t, 3, 1);
	assert_int_equal(g_read(t, 1, MPIC_IACK), 0x43);
	active_set(t, 4, 1);
	assert_int_equal(g_read(t, 1, MPIC_IACK), 0x44);
	reg_set(t, MPIC_IPIVPR(2), ivpr(3, 0x52, false));
	g_write(t, 0, MPIC_IPIDR(2), 2);
	reg_set(t, MPIC_GTBCR(1), 100);
	reg_set(t, MPIC_GTDR(1), 2);
	reg_set(t, MPIC_GTVPR(1), ivpr(2, 0x61, false));
	assert_int_equal(mpic_iface_of(t->dev)->timer_expire(t->dev, 1), 0);
	/* CPU 0: 0x42 waits behind 0x41; CPU 1: 0x52 and 0x61 behind 0x44. */
	assert_false(line(t, 0, CPU_LINE_IRQ));
	assert_false(line(t, 1, CPU_LINE_IRQ));
}

static void test_in_service(void **state)
{
	struct mpic_t *a = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	struct mpic_t *b = mpic_t_fresh(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	struct attr_stream s;
	uint32_t want0[] = { 0x42, 0xff }, want1[] = { 0x52, 0xff, 0x61, 0xff };

	in_service_state(a);
	mpic_save(a, &s);
	assert_int_equal(mpic_restore(b, &s), 0);
	compare_registers(a, b);
	compare_lines(a, b, 2);
	assert_false(line(b, 0, CPU_LINE_IRQ));
	assert_int_equal(reg_get(b, MPIC_GTCCR(1)), reg_get(a, MPIC_GTCCR(1)));
	assert_int_equal(reg_get(b, MPIC_GTCCR(1)), 0x80000000);
	/* Nothing is taken before the EOI, on either CPU. */
	assert_int_equal(g_read(b, 0, MPIC_IACK), 0xff);
	assert_int_equal(g_read(b, 1, MPIC_IACK), 0xff);
	assert_int_equal(g_read(a, 0, MPIC_IACK), 0xff);
	assert_int_equal(g_read(a, 1, MPIC_IACK), 0xff);
	/* EOI: the pending one comes, once. */
	g_write(a, 0, MPIC_EOI, 0);
	g_write(b, 0, MPIC_EOI, 0);
	compare_lines(a, b, 2);
	assert_true(line(b, 0, CPU_LINE_IRQ));
	for (int i = 0; i < 2; i++) {
		assert_int_equal(g_read(a, 0, MPIC_IACK), want0[i]);
		assert_int_equal(g_read(b, 0, MPIC_IACK), want0[i]);
	}
	/* CPU 1: the nested EOI uncovers 0x43 still in service (level 4),
	 * which holds the IPI (3) and the timer (2) until its own EOI. */
	g_write(a, 1, MPIC_EOI, 0);
	g_write(b, 1, MPIC_EOI, 0);
	assert_int_equal(g_read(a, 1, MPIC_IACK), 0xff);
	assert_int_equal(g_read(b, 1, MPIC_IACK), 0xff);
	active_set(a, 3, 0);
	active_set(b, 3, 0);
	g_write(a, 1, MPIC_EOI, 0);
	g_write(b, 1, MPIC_EOI, 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(g_read(a, 1, MPIC_IACK), want1[i]);
		assert_int_equal(g_read(b, 1, MPIC_IACK), want1[i]);
		compare_lines(a, b, 2);
		if (i == 1) {	/* the IPI's EOI lets the timer through */
			g_write(a, 1, MPIC_EOI, 0);
			g_write(b, 1, MPIC_EOI, 0);
		}
	}
	attr_stream_free(&s);
	mpic_t_free(a);
	mpic_t_free(b);
}

/* A stream with @extra appended to @saved's records. */
static void with_extra(const struct attr_stream *saved,
		       const struct attr_rec *extra, struct attr_stream *out)
{
	struct attr_stream in;
	struct attr_rec r;

	attr_stream_open(&in, saved->buf, saved->len);
	attr_stream_init(out);
	while (attr_stream_next(&in, &r) > 0)
		assert_int_equal(attr_stream_put(out, r.group, r.attr, r.val,
						 r.len), 0);
	assert_int_equal(attr_stream_put(out, extra->group, extra->attr,
					 extra->val, extra->len), 0);
}

static void test_malformed(void **state)
{
	static const uint8_t z[64];
	static const uint32_t two = 2, rst = MPIC_GCR_RESET;
	static const uint64_t bad_bits[KVMKIT_MPIC_CPU_STATE_WORDS] = {
		0, 0, 0, 0, 0, 1ull << 7 };
	const struct attr_rec bad[] = {
		{ KVM_DEV_MPIC_GRP_REGISTER, MPIC_CPU(0) + MPIC_IACK, 4, z },
		{ KVM_DEV_MPIC_GRP_REGISTER, MPIC_CPU(1) + MPIC_EOI, 4, z },
		{ KVM_DEV_MPIC_GRP_REGISTER, MPIC_IPIDR(0), 4, z },
		{ KVM_DEV_MPIC_GRP_REGISTER, MPIC_IVPR(1), 8, z },
		{ KVM_DEV_MPIC_GRP_REGISTER, MPIC_IVPR(1) + 4, 4, z },
		{ KVM_DEV_MPIC_GRP_REGISTER, MPIC_MSIR(0), 4, z },
		{ KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 256, 4, z },
		{ KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 3, 0, NULL },
		{ KVM_DEV_MPIC_GRP_MISC, 1, 8, z },
		{ KVMKIT_DEV_MPIC_GRP_STATE, 32, 48, z },
		{ KVMKIT_DEV_MPIC_GRP_STATE, 0, 40, z },
		{ KVMKIT_DEV_MPIC_GRP_STATE, KVMKIT_MPIC_STATE_TIMER(4), 8, z },
		{ 77, 0, 4, z },
	};
	/* Well-formed records whose values the device refuses. */
	const struct attr_rec refused[] = {
		{ KVM_DEV_MPIC_GRP_IRQ_ACTIVE, 3, 4, (const uint8_t *)&two },
		{ KVMKIT_DEV_MPIC_GRP_STATE, 1, 48, (const uint8_t *)bad_bits },
	};
	const struct attr_rec reset = { KVM_DEV_MPIC_GRP_REGISTER, MPIC_GCR, 4,
					(const uint8_t *)&rst };
	struct mpic_t *a = mpic_t_new(KVM_DEV_TYPE_FSL_MPIC_42, 2), *b;
	struct attr_stream s, m;
	uint8_t *copy;
	unsigned int seed = 99;

	in_service_state(a);
	mpic_save(a, &s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = mpic_t_fresh(KVM_DEV_TYPE_FSL_MPIC_42, 2);
		with_extra(&s, &bad[i], &m);
		assert_int_equal(mpic_restore(b, &m), -EBADMSG);
		/* Refused before anything was written. */
		assert_int_equal(reg_get(b, MPIC_IVPR(1)), 0x80000000);
		attr_stream_free(&m);
		mpic_t_free(b);
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		b = mpic_t_fresh(KVM_DEV_TYPE_FSL_MPIC_42, 2);
		with_extra(&s, &refused[i], &m);
		assert_int_equal(mpic_restore(b, &m), -EINVAL);
		attr_stream_free(&m);
		mpic_t_free(b);
	}
	/* A GCR reset record is a register write like any other. */
	b = mpic_t_fresh(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	with_extra(&s, &reset, &m);
	assert_int_equal(mpic_restore(b, &m), 0);
	assert_int_equal(reg_get(b, MPIC_IVPR(1)), 0x80000000);
	attr_stream_free(&m);
	mpic_t_free(b);
	/* Truncated; then random corruption: an error or a state, no crash. */
	b = mpic_t_fresh(KVM_DEV_TYPE_FSL_MPIC_42, 2);
	attr_stream_open(&m, s.buf, s.len - 5);
	assert_int_equal(mpic_stream_ops.restore_stream(b->dev, &m), -EBADMSG);
	mpic_t_free(b);
	copy = malloc(s.len);
	assert_non_null(copy);
	for (int round = 0; round < 200; round++) {
		memcpy(copy, s.buf, s.len);
		for (int k = 0; k < 1 + round % 3; k++)
			copy[rand_r(&seed) % s.len] ^=
				(uint8_t)(1 + rand_r(&seed) % 255);
		b = mpic_t_fresh(KVM_DEV_TYPE_FSL_MPIC_42, 2);
		attr_stream_open(&m, copy, s.len);
		(void)mpic_stream_ops.restore_stream(b->dev, &m);
		(void)g_read(b, 0, MPIC_IACK);
		mpic_t_free(b);
	}
	free(copy);
	attr_stream_free(&s);
	mpic_t_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_v20),
		cmocka_unit_test(test_round_trip_v42),
		cmocka_unit_test(test_save_is_not_destructive),
		cmocka_unit_test(test_record_order),
		cmocka_unit_test(test_in_service),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
