// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: save/restore through the attribute ABI only, in the
 * order docs/devices/mpic.md documents.  An instance is programmed, its
 * state read as (group, attr, value) records, written into a fresh
 * instance, and every register, input and output line compared.
 */
#include <string.h>

#include "test_mpic.h"

struct rec {
	uint32_t group;
	uint64_t attr;
	uint64_t val;
};

struct stream {
	struct rec r[2048];
	unsigned int n;
};

static void put(struct stream *s, uint32_t group, uint64_t attr,
		uint64_t val)
{
	assert_true(s->n < sizeof(s->r) / sizeof(s->r[0]));
	s->r[s->n++] = (struct rec){ group, attr, val };
}

static void save_reg(struct stream *s, struct mpic_t *t, uint64_t off)
{
	put(s, KVM_DEV_MPIC_GRP_REGISTER, off, reg_get(t, off));
}

/* The documented save order; the device is quiescent (vCPUs paused). */
static void mpic_save(struct mpic_t *t, int cpus, struct stream *s)
{
	uint64_t base;
	uint32_t msisr;

	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	put(s, KVM_DEV_MPIC_GRP_MISC, KVM_DEV_MPIC_BASE_ADDR, base);
	/* 1. global configuration */
	save_reg(s, t, MPIC_GCR);
	save_reg(s, t, MPIC_SPVR);
	save_reg(s, t, MPIC_TFRR);
	for (int n = 0; n < MPIC_NR_IPI; n++)
		save_reg(s, t, MPIC_IPIVPR(n));
	/* 2. timers (GTCCR is read-only) */
	for (int n = 0; n < MPIC_NR_TMR; n++) {
		save_reg(s, t, MPIC_GTBCR(n));
		save_reg(s, t, MPIC_GTVPR(n));
		save_reg(s, t, MPIC_GTDR(n));
	}
	/* 3. sources: routing before IVPR (which may unmask) */
	for (int n = 0; n < MPIC_NR_SRC; n++) {
		save_reg(s, t, MPIC_IDR(n));
		if (t->type == KVM_DEV_TYPE_FSL_MPIC_42)
			save_reg(s, t, MPIC_ILR(n));
		save_reg(s, t, MPIC_IVPR(n));
	}
	/* 4. per-CPU task priority */
	for (int c = 0; c < cpus; c++)
		save_reg(s, t, MPIC_CPU(c) + MPIC_CTPR);
	/* 5. input lines and edge latches (IVPR's sense decides which) */
	for (int n = 0; n < MPIC_NR_SRC; n++)
		put(s, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, n, active_get(t, n));
	/*
	 * 6. MSIRs: reading one clears it, so each bit read is saved as an
	 * MSIIR write and also written back into the running instance.
	 */
	msisr = reg_get(t, MPIC_MSISR);
	for (unsigned int srs = 0; srs < MPIC_NR_MSIR; srs++) {
		uint32_t bits;

		if (!(msisr & (1u << srs)))
			continue;
		bits = reg_get(t, MPIC_MSIR(srs));
		for (unsigned int ibs = 0; ibs < 32; ibs++) {
			uint32_t msiir = srs << MPIC_MSIIR_SRS_SHIFT |
					 ibs << MPIC_MSIIR_IBS_SHIFT;

			if (!(bits & (1u << ibs)))
				continue;
			reg_set(t, MPIC_MSIIR, msiir);
			put(s, KVM_DEV_MPIC_GRP_REGISTER, MPIC_MSIIR, msiir);
		}
	}
}

static void mpic_restore(struct mpic_t *t, const struct stream *s)
{
	for (unsigned int i = 0; i < s->n; i++) {
		const struct rec *r = &s->r[i];
		uint32_t v32 = r->val;

		if (r->group == KVM_DEV_MPIC_GRP_MISC)
			assert_int_equal(device_set(t->dev, r->group, r->attr,
						    &r->val), 0);
		else
			assert_int_equal(device_set(t->dev, r->group, r->attr,
						    &v32), 0);
	}
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
	struct stream *s = calloc(1, sizeof(*s));
	uint64_t base = 0;

	assert_non_null(s);
	program(a, cpus, seed);
	mpic_save(a, cpus, s);

	/* A fresh instance on another host, created unmapped. */
	b = calloc(1, sizeof(*b));
	assert_non_null(b);
	b->type = type;
	b->fh = fake_host_new(0, 0x10000, cpus);
	assert_int_equal(mpic_model(type)->create(&b->fh->host, type, &b->dev),
			 0);
	fake_host_add_device(b->fh, b->dev);
	mpic_restore(b, s);

	assert_int_equal(device_get(b->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	assert_int_equal(base, MPIC_TEST_BASE);
	compare_registers(a, b);
	compare_lines(a, b, cpus);
	/* Something is actually pending and delivered. */
	assert_int_not_equal(reg_get(a, MPIC_MSISR), 0);
	assert_true(line(a, 0, CPU_LINE_IRQ) || line(a, 1, CPU_LINE_IRQ));

	/* Destructive reads last: the same interrupts in the same order. */
	for (int c = 0; c < cpus; c++) {
		for (int i = 0; i < 64; i++) {
			uint32_t va = g_read(a, c, MPIC_IACK);

			assert_int_equal(g_read(b, c, MPIC_IACK), va);
			compare_lines(a, b, cpus);
			if (va == 0x5a5)
				break;
		}
	}
	for (int n = 0; n < MPIC_NR_MSIR; n++)
		assert_int_equal(reg_get(a, MPIC_MSIR(n)),
				 reg_get(b, MPIC_MSIR(n)));
	compare_registers(a, b);
	compare_lines(a, b, cpus);

	free(s);
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
	struct stream *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	program(a, 2, 5);
	mpic_save(a, 2, s);
	assert_int_equal(reg_get(a, MPIC_MSISR), 0x91);
	assert_int_equal(reg_get(a, MPIC_MSIR(0)), 0x80000008);
	assert_int_equal(reg_get(a, MPIC_MSIR(4)), 1);
	assert_int_equal(reg_get(a, MPIC_MSIR(7)), 1u << 17);
	free(s);
	mpic_t_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_v20),
		cmocka_unit_test(test_round_trip_v42),
		cmocka_unit_test(test_save_is_not_destructive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
