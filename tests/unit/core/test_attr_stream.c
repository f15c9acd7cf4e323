// SPDX-License-Identifier: GPL-2.0
/*
 * Device attribute streams (src/attr_stream.c): the record encoding
 * (little-endian fields, 8-byte padding), the reader's rejection of
 * malformed bytes, saving through device_get and replaying in order
 * through device_set against a recording software device.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kvmkit/attr_stream.h"

/* ---- a device that records what it is asked ------------------------------ */

#define MAX_CALLS 16

struct recorder {
	int calls;
	uint32_t group[MAX_CALLS];
	uint64_t attr[MAX_CALLS];
	uint64_t addr[MAX_CALLS];
	uint8_t val[MAX_CALLS][16];	/* first bytes behind addr */
	int fail_at;			/* call index that fails, or -1 */
	uint64_t get_value;		/* what get_attr returns */
};

static int rec_set(struct device *dev, const struct kvm_device_attr *a)
{
	struct recorder *r = dev->priv;
	int i = r->calls++;

	assert_true(i < MAX_CALLS);
	r->group[i] = a->group;
	r->attr[i] = a->attr;
	r->addr[i] = a->addr;
	/* Read 16 bytes, more than any record here: must not overrun. */
	if (a->addr)
		assert_int_equal(attr_copy_from(a, r->val[i], 16), 0);
	return i == r->fail_at ? -EINVAL : 0;
}

static int rec_get(struct device *dev, const struct kvm_device_attr *a)
{
	struct recorder *r = dev->priv;

	if (a->group == 99)
		return -ENXIO;
	/* Writes 8 bytes whatever was asked for: the saver has room. */
	return attr_copy_to(a, &r->get_value, sizeof(r->get_value));
}

static const struct device_ops rec_ops = {
	.set_attr = rec_set,
	.get_attr = rec_get,
};

static struct device *rec_device(struct recorder *r)
{
	struct device *dev;

	memset(r, 0, sizeof(*r));
	r->fail_at = -1;
	dev = device_soft_alloc(NULL, 0x1234, "rec", &rec_ops, r);
	assert_non_null(dev);
	return dev;
}

static void free_rec_device(struct device *dev)
{
	device_destroy(dev);
}

/* ---- tests ------------------------------------------------------------------- */

static void test_encoding_is_little_endian_and_padded(void **state)
{
	static const uint8_t want[] = {
		0x04, 0x03, 0x02, 0x01,		/* group */
		0x05, 0x00, 0x00, 0x00,		/* len */
		0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x07, 0x06, /* attr */
		'h', 'e', 'l', 'l', 'o', 0, 0, 0,	/* value, padding */
	};
	struct attr_stream s;

	attr_stream_init(&s);
	assert_int_equal(attr_stream_put(&s, 0x01020304, 0x060708090a0b0c0dULL,
					 "hello", 5), 0);
	assert_int_equal(s.len, sizeof(want));
	assert_memory_equal(s.buf, want, sizeof(want));
	assert_int_equal(s.count, 1);
	attr_stream_free(&s);
}

static void test_round_trip(void **state)
{
	static const uint32_t lens[] = { 0, 1, 4, 7, 8, 13, 300 };
	uint8_t val[300];
	struct attr_stream s, r;
	struct attr_rec rec;

	for (size_t i = 0; i < sizeof(val); i++)
		val[i] = (uint8_t)(i * 7 + 1);
	attr_stream_init(&s);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		assert_int_equal(attr_stream_put(&s, (uint32_t)i, 0x100 + i,
						 lens[i] ? val : NULL, lens[i]),
				 0);
	assert_int_equal(s.len % 8, 0);
	assert_int_equal(attr_stream_validate(s.buf, s.len), 7);

	attr_stream_open(&r, s.buf, s.len);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		assert_int_equal(attr_stream_next(&r, &rec), 1);
		assert_int_equal(rec.group, i);
		assert_int_equal(rec.attr, 0x100 + i);
		assert_int_equal(rec.len, lens[i]);
		if (lens[i])
			assert_memory_equal(rec.val, val, lens[i]);
		else
			assert_null(rec.val);
	}
	assert_int_equal(attr_stream_next(&r, &rec), 0);
	assert_int_equal(r.count, 7);
	attr_stream_rewind(&r);
	assert_int_equal(attr_stream_next(&r, &rec), 1);
	assert_int_equal(rec.group, 0);
	attr_stream_free(&s);
}

static void test_empty_stream(void **state)
{
	struct attr_stream r;
	struct attr_rec rec;

	attr_stream_open(&r, NULL, 0);
	assert_int_equal(attr_stream_next(&r, &rec), 0);
	assert_int_equal(attr_stream_validate(NULL, 0), 0);
}

static void test_writer_errors_stick(void **state)
{
	struct attr_stream s;
	uint8_t b = 0;

	attr_stream_init(&s);
	assert_int_equal(attr_stream_put(&s, 1, 1, NULL, 4), -EINVAL);
	assert_int_equal(attr_stream_put(&s, 1, 1, &b, 1), -EINVAL);
	assert_int_equal(s.count, 0);
	attr_stream_free(&s);

	attr_stream_init(&s);
	assert_int_equal(attr_stream_put(&s, 1, 1, &b,
					 ATTR_STREAM_MAX_VALUE + 1), -E2BIG);
	assert_int_equal(s.err, -E2BIG);
	attr_stream_free(&s);

	/* A reader's view can't be written to. */
	attr_stream_open(&s, &b, 1);
	assert_int_equal(attr_stream_put(&s, 1, 1, &b, 1), -EROFS);
}

static void test_malformed_streams(void **state)
{
	struct attr_stream s;
	uint8_t *b;
	size_t len;

	attr_stream_init(&s);
	assert_int_equal(attr_stream_put(&s, 1, 2, "abcd", 4), 0);
	assert_int_equal(attr_stream_put(&s, 3, 4, "xyz", 3), 0);
	len = s.len;
	b = malloc(len);
	assert_non_null(b);

	/* Truncated anywhere but on a record boundary. */
	for (size_t cut = 1; cut < len; cut++)
		assert_int_equal(attr_stream_validate(s.buf, cut),
				 cut == 24 ? 1 : -EBADMSG);

	/* Non-zero padding. */
	memcpy(b, s.buf, len);
	b[len - 1] = 1;
	assert_int_equal(attr_stream_validate(b, len), -EBADMSG);

	/* A length past the end, and one over the limit. */
	memcpy(b, s.buf, len);
	b[4] = 0xff;
	assert_int_equal(attr_stream_validate(b, len), -EBADMSG);
	memcpy(b, s.buf, len);
	b[4] = 0;
	b[5] = 0;
	b[6] = 0;
	b[7] = 0x80;
	assert_int_equal(attr_stream_validate(b, len), -EBADMSG);
	free(b);
	attr_stream_free(&s);
}

static void test_replay_in_order(void **state)
{
	struct recorder r;
	struct device *dev = rec_device(&r);
	struct attr_stream s;
	uint64_t v64 = 0x1122334455667788ULL;
	uint32_t v32 = 0xdeadbeef;

	attr_stream_init(&s);
	attr_stream_put(&s, 5, 0x10, &v64, 8);
	attr_stream_put(&s, 6, 0x20, &v32, 4);
	attr_stream_put(&s, 7, 0x30, NULL, 0);	/* a control operation */
	assert_int_equal(attr_stream_replay(&s, dev, NULL), 0);
	assert_int_equal(r.calls, 3);
	assert_int_equal(r.group[0], 5);
	assert_int_equal(r.attr[0], 0x10);
	assert_memory_equal(r.val[0], &v64, 8);
	assert_int_equal(r.group[1], 6);
	assert_memory_equal(r.val[1], &v32, 4);
	/* The device read 16 bytes: the tail past the record is zero. */
	assert_int_equal(r.val[1][4] | r.val[1][5] | r.val[1][15], 0);
	assert_int_equal(r.group[2], 7);
	assert_int_equal(r.addr[2], 0);
	attr_stream_free(&s);
	free_rec_device(dev);
}

static void test_replay_stops_at_failure(void **state)
{
	struct recorder r;
	struct device *dev = rec_device(&r);
	struct attr_rec bad = { 0 };
	struct attr_stream s;
	uint32_t v = 1;

	attr_stream_init(&s);
	for (uint32_t i = 0; i < 4; i++)
		attr_stream_put(&s, i, 0x40 + i, &v, 4);
	r.fail_at = 2;
	assert_int_equal(attr_stream_replay(&s, dev, &bad), -EINVAL);
	assert_int_equal(r.calls, 3);
	assert_int_equal(bad.group, 2);
	assert_int_equal(bad.attr, 0x42);
	assert_int_equal(s.count, 3);	/* the failing record's number */
	attr_stream_free(&s);
	free_rec_device(dev);
}

static void test_replay_rejects_malformed(void **state)
{
	struct recorder r;
	struct device *dev = rec_device(&r);
	struct attr_stream s, view;
	uint32_t v = 1;

	attr_stream_init(&s);
	attr_stream_put(&s, 1, 1, &v, 4);
	attr_stream_put(&s, 2, 2, &v, 4);
	/* Cut inside the second record: the first is applied, then -EBADMSG. */
	attr_stream_open(&view, s.buf, s.len - 3);
	assert_int_equal(attr_stream_replay(&view, dev, NULL), -EBADMSG);
	assert_int_equal(r.calls, 1);
	attr_stream_free(&s);
	free_rec_device(dev);
}

static void test_save_through_device_get(void **state)
{
	struct recorder r;
	struct device *dev = rec_device(&r);
	struct attr_stream s, view;
	struct attr_rec rec;

	r.get_value = 0x0102030405060708ULL;
	attr_stream_init(&s);
	assert_int_equal(attr_stream_save(&s, dev, 1, 2, 4), 0);
	assert_int_equal(attr_stream_save(&s, dev, 1, 3, 8), 0);
	/* A failing get adds nothing. */
	assert_int_equal(attr_stream_save(&s, dev, 99, 0, 4), -ENXIO);
	assert_int_equal(s.count, 2);

	attr_stream_open(&view, s.buf, s.len);
	assert_int_equal(attr_stream_next(&view, &rec), 1);
	assert_int_equal(rec.len, 4);
	assert_memory_equal(rec.val, &r.get_value, 4);
	assert_int_equal(attr_stream_next(&view, &rec), 1);
	assert_int_equal(rec.len, 8);
	assert_memory_equal(rec.val, &r.get_value, 8);
	assert_int_equal(attr_stream_next(&view, &rec), 0);

	/* A large value is read into a heap buffer. */
	assert_int_equal(attr_stream_save(&s, dev, 1, 4, 4096), 0);
	attr_stream_free(&s);
	free_rec_device(dev);
}

static void test_registry_unknown_type(void **state)
{
	assert_null(attr_stream_ops_find(0xdead));
	assert_null(attr_stream_ops_find(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding_is_little_endian_and_padded),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_stream),
		cmocka_unit_test(test_writer_errors_stick),
		cmocka_unit_test(test_malformed_streams),
		cmocka_unit_test(test_replay_in_order),
		cmocka_unit_test(test_replay_stops_at_failure),
		cmocka_unit_test(test_replay_rejects_malformed),
		cmocka_unit_test(test_save_through_device_get),
		cmocka_unit_test(test_registry_unknown_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
