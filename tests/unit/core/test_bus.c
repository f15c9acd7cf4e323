// SPDX-License-Identifier: GPL-2.0
/*
 * The MMIO/PIO bus (src/bus.c): registration order and overlap rules,
 * lookups at range edges, dispatch, the little-endian data helpers, a
 * randomised comparison against a brute-force lookup, and lock-free
 * readers running while a writer changes the table.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kvmkit/bus.h"

/* Records the last access; returns what the test asks for. */
struct rec {
	int calls;
	int cpu;
	uint64_t offset;
	uint32_t len;
	bool is_write;
	uint8_t data[8];
	int ret;
};

static int rec_access(void *opaque, int cpu, uint64_t offset, void *data,
		      uint32_t len, bool is_write)
{
	struct rec *r = opaque;

	r->calls++;
	r->cpu = cpu;
	r->offset = offset;
	r->len = len;
	r->is_write = is_write;
	if (is_write)
		memcpy(r->data, data, len < 8 ? len : 8);
	else
		memset(data, 0xa5, len);
	return r->ret;
}

static int nop_access(void *opaque, int cpu, uint64_t offset, void *data,
		      uint32_t len, bool is_write)
{
	return 0;
}

/* Register a do-nothing range. */
static int reg(struct bus *bus, uint64_t base, uint64_t len, const char *name)
{
	return bus_register(bus, base, len, nop_access, NULL, name);
}

static int bus_setup(void **state)
{
	*state = bus_create("test");
	return *state ? 0 : -1;
}

static int bus_teardown(void **state)
{
	bus_destroy(*state);
	return 0;
}

static void assert_found(struct bus *bus, uint64_t addr, uint32_t len,
			 uint64_t base)
{
	const struct bus_range *r = bus_find(bus, addr, len);

	assert_non_null(r);
	assert_int_equal(r->base, base);
}

/* ---- registration --------------------------------------------------- */

static void test_create_empty(void **state)
{
	struct bus *bus = *state;

	assert_int_equal(bus_count(bus), 0);
	assert_null(bus_find(bus, 0, 1));
	assert_null(bus_find(bus, UINT64_MAX, 1));
	assert_int_equal(bus_access(bus, 0, 0x1000, (uint8_t[4]){ 0 }, 4,
				    false), -ENOENT);
	assert_int_equal(bus_unregister(bus, 0), -ENOENT);
	bus_destroy(NULL);	/* a no-op, like free(NULL) */
}

static void test_register_sorted(void **state)
{
	static const uint64_t bases[] = { 0x5000, 0x1000, 0x9000, 0x3000,
					  0x7000, 0x0 };
	struct bus *bus = *state;

	/* Registered out of order, found in any order. */
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		assert_int_equal(bus_register(bus, bases[i], 0x1000, nop_access,
					      (void *)(uintptr_t)bases[i],
					      "r"), 0);
		assert_int_equal(bus_count(bus), i + 1);
	}
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		const struct bus_range *r = bus_find(bus, bases[i] + 0x800, 4);

		assert_non_null(r);
		assert_int_equal(r->base, bases[i]);
		assert_int_equal(r->len, 0x1000);
		assert_ptr_equal(r->opaque, (void *)(uintptr_t)bases[i]);
		assert_ptr_equal(r->fn, nop_access);
		assert_string_equal(r->name, "r");
	}
	/* The holes between them stay empty. */
	for (uint64_t a = 0x2000; a < 0xa000; a += 0x2000)
		assert_null(bus_find(bus, a, 1));
	assert_null(bus_find(bus, 0xa000, 1));
}

static void test_register_adjacent(void **state)
{
	struct bus *bus = *state;

	/* Touching ranges do not overlap: [0x1000,0x2000) [0x2000,0x3000). */
	assert_int_equal(reg(bus, 0x2000, 0x1000, "b"), 0);
	assert_int_equal(reg(bus, 0x1000, 0x1000, "a"), 0);
	assert_int_equal(reg(bus, 0x3000, 0x1000, "c"), 0);
	assert_int_equal(bus_count(bus), 3);
	assert_found(bus, 0x1fff, 1, 0x1000);
	assert_found(bus, 0x2000, 1, 0x2000);
	assert_found(bus, 0x2fff, 1, 0x2000);
	assert_found(bus, 0x3000, 1, 0x3000);
	/* An access spanning two adjacent ranges belongs to neither. */
	assert_null(bus_find(bus, 0x1ffe, 4));
	assert_null(bus_find(bus, 0x2ffc, 8));
}

static void test_register_overlap(void **state)
{
	static const struct {
		uint64_t base, len;
		const char *what;
	} cases[] = {
		{ 0x1000, 0x1000, "identical" },
		{ 0x0800, 0x1000, "overlaps the left end" },
		{ 0x0fff, 0x0002, "one byte over the left end" },
		{ 0x1800, 0x1000, "overlaps the right end" },
		{ 0x1fff, 0x0010, "starts on the last byte" },
		{ 0x1400, 0x0100, "contained" },
		{ 0x1000, 0x0001, "first byte" },
		{ 0x1fff, 0x0001, "last byte" },
		{ 0x0000, 0x10000, "containing" },
		{ 0x0fff, 0x1002, "containing by one byte each side" },
		{ 0x0000, UINT64_MAX, "everything" },
	};
	struct bus *bus = *state;
	struct rec rec = { 0 };

	assert_int_equal(bus_register(bus, 0x1000, 0x1000, rec_access, &rec,
				      "dev"), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = bus_register(bus, cases[i].base, cases[i].len,
				       nop_access, NULL, cases[i].what);

		if (ret != -EEXIST)
			fail_msg("%s: got %d, want -EEXIST", cases[i].what,
				 ret);
	}
	/* Nothing changed. */
	assert_int_equal(bus_count(bus), 1);
	assert_found(bus, 0x1000, 1, 0x1000);
	assert_ptr_equal(bus_find(bus, 0x1000, 1)->opaque, &rec);
	/* Just outside on either side is fine. */
	assert_int_equal(reg(bus, 0x0fff, 1, "l"), 0);
	assert_int_equal(reg(bus, 0x2000, 1, "r"), 0);
	assert_int_equal(bus_count(bus), 3);
}

static void test_register_overlap_between(void **state)
{
	struct bus *bus = *state;

	/* With neighbours on both sides, each one is checked. */
	assert_int_equal(reg(bus, 0x1000, 0x100, "a"), 0);
	assert_int_equal(reg(bus, 0x3000, 0x100, "c"), 0);
	assert_int_equal(reg(bus, 0x5000, 0x100, "e"), 0);
	assert_int_equal(reg(bus, 0x10ff, 0x100, "x"), -EEXIST);
	assert_int_equal(reg(bus, 0x2000, 0x1001, "x"), -EEXIST);
	assert_int_equal(reg(bus, 0x2000, 0x4000, "x"), -EEXIST);
	assert_int_equal(reg(bus, 0x1100, 0x1f00, "b"), 0);
	assert_int_equal(bus_count(bus), 4);
}

static void test_register_invalid(void **state)
{
	struct bus *bus = *state;

	assert_int_equal(reg(bus, 0x1000, 0, "x"), -EINVAL);
	assert_int_equal(bus_register(bus, 0x1000, 8, NULL, NULL, "x"),
			 -EINVAL);
	/* Wrapping past the top of the address space. */
	assert_int_equal(reg(bus, UINT64_MAX, 2, "x"), -EINVAL);
	assert_int_equal(reg(bus, UINT64_MAX - 0xf, 0x11, "x"), -EINVAL);
	assert_int_equal(reg(bus, 2, UINT64_MAX, "x"), -EINVAL);
	assert_int_equal(reg(bus, UINT64_MAX, UINT64_MAX, "x"), -EINVAL);
	assert_int_equal(bus_count(bus), 0);
	/* [1, 2^64) is the largest range starting at 1: it does not wrap. */
	assert_int_equal(reg(bus, 1, UINT64_MAX, "x"), 0);
	assert_found(bus, UINT64_MAX, 1, 1);
	assert_null(bus_find(bus, 0, 1));
}

static void test_top_of_address_space(void **state)
{
	struct bus *bus = *state;

	/* A range may end on the last address. */
	assert_int_equal(reg(bus, UINT64_MAX - 0xf, 0x10, "top"), 0);
	assert_int_equal(reg(bus, 0, UINT64_MAX - 0xf, "rest"), 0);
	assert_found(bus, UINT64_MAX, 1, UINT64_MAX - 0xf);
	assert_found(bus, UINT64_MAX - 7, 8, UINT64_MAX - 0xf);
	assert_found(bus, UINT64_MAX - 0xf, 0x10, UINT64_MAX - 0xf);
	/* Running off the end never wraps around to address 0. */
	assert_null(bus_find(bus, UINT64_MAX, 2));
	assert_null(bus_find(bus, UINT64_MAX - 3, 8));
	assert_found(bus, 0, 1, 0);
	assert_found(bus, UINT64_MAX - 0x10, 1, 0);
	assert_null(bus_find(bus, UINT64_MAX - 0x10, 2));
	assert_int_equal(bus_unregister(bus, UINT64_MAX - 0xf), 0);
	assert_int_equal(reg(bus, UINT64_MAX, 1, "last"), 0);
	assert_found(bus, UINT64_MAX, 1, UINT64_MAX);
	assert_null(bus_find(bus, UINT64_MAX - 1, 1));
}

/* ---- unregistration ----------------------------------------------------- */

static void test_unregister(void **state)
{
	struct bus *bus = *state;

	assert_int_equal(reg(bus, 0x1000, 0x1000, "a"), 0);
	assert_int_equal(reg(bus, 0x3000, 0x1000, "b"), 0);
	assert_int_equal(reg(bus, 0x5000, 0x1000, "c"), 0);

	/* Only the exact base names a range. */
	assert_int_equal(bus_unregister(bus, 0x1001), -ENOENT);
	assert_int_equal(bus_unregister(bus, 0x0fff), -ENOENT);
	assert_int_equal(bus_unregister(bus, 0x2000), -ENOENT);
	assert_int_equal(bus_unregister(bus, 0x5fff), -ENOENT);
	assert_int_equal(bus_unregister(bus, 0x7000), -ENOENT);
	assert_int_equal(bus_unregister(bus, 0), -ENOENT);
	assert_int_equal(bus_count(bus), 3);

	assert_int_equal(bus_unregister(bus, 0x3000), 0);
	assert_int_equal(bus_count(bus), 2);
	assert_null(bus_find(bus, 0x3000, 1));
	assert_found(bus, 0x1000, 1, 0x1000);
	assert_found(bus, 0x5000, 1, 0x5000);
	assert_int_equal(bus_unregister(bus, 0x3000), -ENOENT);

	/* The hole can be refilled, even by a bigger range. */
	assert_int_equal(reg(bus, 0x2000, 0x3000, "d"), 0);
	assert_found(bus, 0x4fff, 1, 0x2000);

	assert_int_equal(bus_unregister(bus, 0x1000), 0);
	assert_int_equal(bus_unregister(bus, 0x5000), 0);
	assert_int_equal(bus_unregister(bus, 0x2000), 0);
	assert_int_equal(bus_count(bus), 0);
	assert_null(bus_find(bus, 0x2000, 1));
	assert_int_equal(bus_unregister(bus, 0x2000), -ENOENT);
}

/* ---- lookups ----------------------------------------------------------- */

static void test_find_boundaries(void **state)
{
	struct bus *bus = *state;

	assert_int_equal(reg(bus, 0x1000, 0x100, "a"), 0);

	/* First and last byte, for every access size. */
	for (uint32_t len = 1; len <= 8; len *= 2) {
		assert_found(bus, 0x1000, len, 0x1000);
		assert_found(bus, 0x1100 - len, len, 0x1000);
		/* Straddling either end: not found. */
		assert_null(bus_find(bus, 0x1100 - len + 1, len));
		assert_null(bus_find(bus, 0x1000 - 1, len));
		assert_null(bus_find(bus, 0x1100, len));
		assert_null(bus_find(bus, 0x1000 - len, len));
	}
	/* The whole range in one access, and one byte more. */
	assert_found(bus, 0x1000, 0x100, 0x1000);
	assert_null(bus_find(bus, 0x1000, 0x101));
	assert_null(bus_find(bus, 0x1000, UINT32_MAX));
	assert_null(bus_find(bus, 0x0, 1));
	assert_null(bus_find(bus, UINT64_MAX, 1));
}

static void test_access_dispatch(void **state)
{
	struct bus *bus = *state;
	struct rec a = { 0 }, b = { .ret = -EIO };
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	assert_int_equal(bus_register(bus, 0xd0000000, 0x1000, rec_access, &a,
				      "a"), 0);
	assert_int_equal(bus_register(bus, 0xd0001000, 0x10, rec_access, &b,
				      "b"), 0);

	/* A write: the handler sees the offset, cpu, length and bytes. */
	assert_int_equal(bus_access(bus, 3, 0xd0000ff8, data, 8, true), 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.cpu, 3);
	assert_int_equal(a.offset, 0xff8);
	assert_int_equal(a.len, 8);
	assert_true(a.is_write);
	assert_memory_equal(a.data, data, 8);

	/* A read from the VMM (cpu -1): the handler fills the buffer. */
	memset(data, 0, sizeof(data));
	assert_int_equal(bus_access(bus, -1, 0xd0000000, data, 2, false), 0);
	assert_int_equal(a.calls, 2);
	assert_int_equal(a.cpu, -1);
	assert_int_equal(a.offset, 0);
	assert_false(a.is_write);
	assert_int_equal(data[0], 0xa5);
	assert_int_equal(data[1], 0xa5);
	assert_int_equal(data[2], 0);

	/* The handler's error comes back unchanged. */
	assert_int_equal(bus_access(bus, 0, 0xd000100c, data, 4, false), -EIO);
	assert_int_equal(b.calls, 1);
	assert_int_equal(b.offset, 0xc);

	/* Unclaimed, or straddling two ranges: -ENOENT, no handler runs. */
	memset(data, 0x11, sizeof(data));
	assert_int_equal(bus_access(bus, 0, 0xd0000ffc, data, 8, 0), -ENOENT);
	assert_int_equal(bus_access(bus, 0, 0xd000100e, data, 4, 1), -ENOENT);
	assert_int_equal(bus_access(bus, 0, 0xd0001010, data, 1, 1), -ENOENT);
	assert_int_equal(bus_access(bus, 0, 0xcfffffff, data, 1, 0), -ENOENT);
	assert_int_equal(a.calls, 2);
	assert_int_equal(b.calls, 1);
	assert_int_equal(data[0], 0x11);
}

/* ---- data helpers ------------------------------------------------------ */

static void test_get_put_le(void **state)
{
	uint8_t b[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	uint8_t out[9];

	assert_int_equal(bus_get_le(b, 0), 0);
	assert_int_equal(bus_get_le(b, 1), 0x01);
	assert_int_equal(bus_get_le(b, 2), 0x2301);
	assert_int_equal(bus_get_le(b, 3), 0x452301);
	assert_int_equal(bus_get_le(b, 4), 0x67452301);
	assert_int_equal(bus_get_le(b, 8), 0xefcdab8967452301ULL);
	assert_int_equal(bus_get_le(b + 4, 4), 0xefcdab89);

	/* put writes exactly len bytes, least significant first. */
	memset(out, 0xee, sizeof(out));
	bus_put_le(out, 8, 0x1122334455667788ULL);
	assert_memory_equal(out, ((uint8_t[]){ 0x88, 0x77, 0x66, 0x55, 0x44,
					       0x33, 0x22, 0x11, 0xee }), 9);
	memset(out, 0xee, sizeof(out));
	bus_put_le(out, 2, 0x1122334455667788ULL);
	assert_memory_equal(out, ((uint8_t[]){ 0x88, 0x77, 0xee }), 3);
	memset(out, 0xee, sizeof(out));
	bus_put_le(out, 0, 0x12);
	assert_int_equal(out[0], 0xee);
	bus_put_le(out, 1, 0x1ff);
	assert_int_equal(out[0], 0xff);
	assert_int_equal(out[1], 0xee);

	/* Round trips at every size. */
	for (uint32_t len = 1; len <= 8; len++) {
		uint64_t v = 0xfedcba9876543210ULL;
		uint64_t mask = len == 8 ? ~0ULL : (1ULL << (8 * len)) - 1;

		bus_put_le(out, len, v);
		assert_int_equal(bus_get_le(out, len), v & mask);
	}
}

/* ---- many ranges against a brute-force model ---------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64: reproducible across runs and hosts. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct model_range {
	uint64_t base, len;
	bool live;
};

#define NR_RANDOM 1000
#define SPACE (1ULL << 24)

static int model_find(const struct model_range *m, int n, uint64_t addr,
		      uint32_t len)
{
	for (int i = 0; i < n; i++)
		if (m[i].live && addr >= m[i].base &&
		    addr + len <= m[i].base + m[i].len)
			return i;
	return -1;
}

static bool model_overlaps(const struct model_range *m, int n, uint64_t base,
			   uint64_t len)
{
	for (int i = 0; i < n; i++)
		if (m[i].live && base < m[i].base + m[i].len &&
		    m[i].base < base + len)
			return true;
	return false;
}

static void check_lookups(struct bus *bus, const struct model_range *m, int n)
{
	for (int i = 0; i < 20000; i++) {
		uint64_t addr = rng() % (SPACE + 0x100);
		uint32_t len = 1u << (rng() % 4);
		const struct bus_range *r = bus_find(bus, addr, len);
		int want = model_find(m, n, addr, len);

		if (want < 0) {
			assert_null(r);
		} else {
			assert_non_null(r);
			assert_int_equal(r->base, m[want].base);
			assert_int_equal(r->len, m[want].len);
			assert_ptr_equal(r->opaque, &m[want]);
		}
	}
	/* Every live range's first and last byte. */
	for (int i = 0; i < n; i++) {
		if (!m[i].live)
			continue;
		assert_ptr_equal(bus_find(bus, m[i].base, 1)->opaque, &m[i]);
		assert_ptr_equal(bus_find(bus, m[i].base + m[i].len - 1,
					  1)->opaque, &m[i]);
	}
}

static void test_many_random_ranges(void **state)
{
	struct bus *bus = *state;
	struct model_range *m = calloc(NR_RANDOM, sizeof(*m));
	int n = 0, live = 0, tries = 0;

	assert_non_null(m);
	/* Random candidates; the bus must agree with the model on overlap. */
	while (n < NR_RANDOM) {
		uint64_t base = rng() % SPACE;
		uint64_t len = 1 + rng() % 0x2000;
		bool clash = model_overlaps(m, n, base, len);
		int ret;

		assert_true(++tries < 100000);
		m[n] = (struct model_range){ base, len, false };
		ret = bus_register(bus, base, len, nop_access, &m[n], "rand");
		assert_int_equal(ret, clash ? -EEXIST : 0);
		if (!clash) {
			m[n++].live = true;
			live++;
		}
	}
	assert_int_equal(bus_count(bus), live);
	check_lookups(bus, m, n);

	/* Remove half in random order; the rest must still resolve. */
	for (int i = 0; i < NR_RANDOM / 2; i++) {
		int k = (int)(rng() % NR_RANDOM);

		if (!m[k].live) {
			assert_int_equal(bus_unregister(bus, m[k].base),
					 -ENOENT);
			continue;
		}
		assert_int_equal(bus_unregister(bus, m[k].base), 0);
		m[k].live = false;
		live--;
	}
	assert_int_equal(bus_count(bus), live);
	check_lookups(bus, m, n);
	free(m);
}

/* ---- readers racing a writer -------------------------------------------- */

#define STABLE_N 64
#define STABLE_STRIDE 0x10000ULL
#define CHURN_OFF 0x8000ULL	/* churn ranges sit between stable ones */

struct race {
	struct bus *bus;
	int stop;
	unsigned long lookups;
	int errors;
	struct rec stable_rec[STABLE_N];
};

static int race_access(void *opaque, int cpu, uint64_t offset, void *data,
		       uint32_t len, bool is_write)
{
	/* opaque encodes the base the range was registered with. */
	bus_put_le(data, len, (uint64_t)(uintptr_t)opaque + offset);
	return 0;
}

static void *race_reader(void *arg)
{
	struct race *rc = arg;
	uint64_t x = (uint64_t)(uintptr_t)&x | 1;
	unsigned long n = 0;
	int errors = 0;

	while (!__atomic_load_n(&rc->stop, __ATOMIC_ACQUIRE)) {
		uint64_t i, addr, v;
		const struct bus_range *r;
		uint8_t data[8];

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		i = x % STABLE_N;
		/* A stable range: always there, always the same. */
		addr = i * STABLE_STRIDE + (x >> 32) % 0x1000;
		if (bus_access(rc->bus, 0, addr & ~7ULL, data, 8, false) ||
		    bus_get_le(data, 8) != (addr & ~7ULL))
			errors++;
		/* A churning range: absent, or present and consistent. */
		addr = i * STABLE_STRIDE + CHURN_OFF + (x >> 40) % 0x100;
		r = bus_find(rc->bus, addr, 1);
		if (r && (r->base != i * STABLE_STRIDE + CHURN_OFF ||
			  r->len != 0x100 ||
			  (uint64_t)(uintptr_t)r->opaque != r->base))
			errors++;
		if (r) {
			r->fn(r->opaque, 0, addr - r->base, data, 8, false);
			v = bus_get_le(data, 8);
			if (v != addr)
				errors++;
		}
		n++;
	}
	__atomic_fetch_add(&rc->lookups, n, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rc->errors, errors, __ATOMIC_RELAXED);
	return NULL;
}

static void test_concurrent_readers(void **state)
{
	struct race rc = { .bus = *state };
	pthread_t readers[3];
	uint64_t base;

	for (uint64_t i = 0; i < STABLE_N; i++) {
		base = i * STABLE_STRIDE;
		assert_int_equal(bus_register(rc.bus, base, 0x1000,
					      race_access,
					      (void *)(uintptr_t)base,
					      "stable"), 0);
	}
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&readers[i], NULL, race_reader,
						&rc), 0);
	/* The writer: register and unregister churn ranges over and over. */
	for (int round = 0; round < 4000; round++) {
		base = (uint64_t)(round % STABLE_N) * STABLE_STRIDE + CHURN_OFF;
		if (round / STABLE_N % 2 == 0)
			assert_int_equal(bus_register(rc.bus, base, 0x100,
						      race_access,
						      (void *)(uintptr_t)base,
						      "churn"), 0);
		else
			assert_int_equal(bus_unregister(rc.bus, base), 0);
	}
	__atomic_store_n(&rc.stop, 1, __ATOMIC_RELEASE);
	for (size_t i = 0; i < 3; i++)
		pthread_join(readers[i], NULL);
	assert_int_equal(rc.errors, 0);
	assert_true(rc.lookups > 0);
	/* 4000 rounds = 62.5 periods of 64: the last half-period registered. */
	assert_int_equal(bus_count(rc.bus), STABLE_N + 4000 % (2 * STABLE_N));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, bus_setup, bus_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_empty),
		T(test_register_sorted),
		T(test_register_adjacent),
		T(test_register_overlap),
		T(test_register_overlap_between),
		T(test_register_invalid),
		T(test_top_of_address_space),
		T(test_unregister),
		T(test_find_boundaries),
		T(test_access_dispatch),
		cmocka_unit_test(test_get_put_le),
		T(test_many_random_ranges),
		T(test_concurrent_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
