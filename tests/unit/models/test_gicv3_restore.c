// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv3 save/restore round trip through the attribute ABI only:
 * program one instance, SAVE_PENDING_TABLES, dump every readable
 * register of every vCPU (plus CPU sysregs and LEVEL_INFO), replay it
 * into a fresh instance in the documented order (GICD_IIDR first,
 * LEVEL_INFO and ICFGR before ISPENDR, IROUTER before pending, LPI
 * tables before EnableLPIs), and compare registers, output lines and
 * the pending-table bytes in guest RAM.
 */
#include "test_gicv3_state.h"

static void replay(const struct dump *d, struct device *gic)
{
	for (unsigned int i = 0; i < d->n; i++) {
		const struct rec *r = &d->r[i];
		uint32_t v32 = (uint32_t)r->val, ones = 0xffffffff;
		uint64_t v64 = r->val;

		if (r->compare_only)
			continue;
		if (r->clear >= 0)
			assert_int_equal(device_set(gic, r->group,
						    (r->attr & ~0xffffffffULL) |
						    (uint64_t)r->clear, &ones),
					 0);
		assert_int_equal(device_set(gic, r->group, r->attr,
					    r->group == GRP_SYSREGS ?
					    (void *)&v64 : &v32), 0);
	}
}

static void test_round_trip(void **state)
{
	uint8_t *saved;

	program_a();
	/* save: pending tables into guest RAM, then the registers */
	save_tables(&a);
	dump(&da, a.gic);
	check_saved_tables();
	saved = malloc(RAM_SIZE);
	assert_non_null(saved);
	memcpy(saved, a.fh->ram, RAM_SIZE);

	/* restore: guest memory, then the GIC in the documented order */
	vm_create(&b);
	memcpy(b.fh->ram, saved, RAM_SIZE);
	replay(&da, b.gic);
	check_restored(saved);
	free(saved);
}

/* The dump is also faithful for an untouched GIC (reset values). */
static void test_round_trip_reset(void **state)
{
	dump(&da, a.gic);
	vm_create(&b);
	replay(&da, b.gic);
	dump(&db, b.gic);
	compare(&da, &db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_reset, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
