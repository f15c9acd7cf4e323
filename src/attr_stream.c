// SPDX-License-Identifier: GPL-2.0
/*
 * Device attribute streams (include/kvmkit/attr_stream.h): the encoded
 * (group, attr, value) records a snapshot keeps per device, and the
 * registry of per-type save/restore functions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvmkit/attr_stream.h"

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

void attr_stream_init(struct attr_stream *s)
{
	memset(s, 0, sizeof(*s));
}

void attr_stream_free(struct attr_stream *s)
{
	if (s->cap)
		free(s->buf);
	attr_stream_init(s);
}

static int reserve(struct attr_stream *s, size_t more)
{
	size_t cap = s->cap ? s->cap : 256;
	uint8_t *buf;

	if (s->len + more <= s->cap)
		return 0;
	while (cap < s->len + more)
		cap *= 2;
	buf = realloc(s->buf, cap);
	if (!buf)
		return -ENOMEM;
	s->buf = buf;
	s->cap = cap;
	return 0;
}

int attr_stream_put(struct attr_stream *s, uint32_t group, uint64_t attr,
		    const void *val, uint32_t len)
{
	size_t size = ATTR_STREAM_REC_HDR + pad8(len);
	uint8_t *p;

	if (s->err)
		return s->err;
	if (len > ATTR_STREAM_MAX_VALUE)
		return s->err = -E2BIG;
	if (len && !val)
		return s->err = -EINVAL;
	if (!s->cap && s->len)
		return s->err = -EROFS;	/* a reader's view */
	if (reserve(s, size))
		return s->err = -ENOMEM;
	p = s->buf + s->len;
	put_le32(p, group);
	put_le32(p + 4, len);
	put_le64(p + 8, attr);
	if (len)
		memcpy(p + ATTR_STREAM_REC_HDR, val, len);
	memset(p + ATTR_STREAM_REC_HDR + len, 0, pad8(len) - len);
	s->len += size;
	s->count++;
	return 0;
}

int attr_stream_save(struct attr_stream *s, struct device *dev,
		     uint32_t group, uint64_t attr, uint32_t len)
{
	/* Room past @len: a device that writes more must not overrun. */
	uint8_t small[64] = { 0 };
	uint8_t *val = len <= sizeof(small) - 8 ? small :
						  calloc(1, (size_t)len + 8);
	int ret;

	if (!val)
		return s->err = -ENOMEM;
	ret = device_get(dev, group, attr, val);
	if (!ret)
		ret = attr_stream_put(s, group, attr, val, len);
	if (val != small)
		free(val);
	return ret;
}

void attr_stream_open(struct attr_stream *s, const void *buf, size_t len)
{
	attr_stream_init(s);
	s->buf = (uint8_t *)buf;
	s->len = len;
}

void attr_stream_rewind(struct attr_stream *s)
{
	s->pos = 0;
	s->count = 0;
}

int attr_stream_next(struct attr_stream *s, struct attr_rec *rec)
{
	const uint8_t *p = s->buf + s->pos;
	size_t left = s->len - s->pos;
	uint32_t len;

	if (!left)
		return 0;
	if (left < ATTR_STREAM_REC_HDR)
		return -EBADMSG;
	len = get_le32(p + 4);
	if (len > ATTR_STREAM_MAX_VALUE ||
	    pad8(len) > left - ATTR_STREAM_REC_HDR)
		return -EBADMSG;
	for (size_t i = len; i < pad8(len); i++)
		if (p[ATTR_STREAM_REC_HDR + i])
			return -EBADMSG;
	rec->group = get_le32(p);
	rec->len = len;
	rec->attr = get_le64(p + 8);
	rec->val = len ? p + ATTR_STREAM_REC_HDR : NULL;
	s->pos += ATTR_STREAM_REC_HDR + pad8(len);
	s->count++;
	return 1;
}

int attr_stream_validate(const void *buf, size_t len)
{
	struct attr_stream s;
	struct attr_rec rec;
	int ret;

	attr_stream_open(&s, buf, len);
	while ((ret = attr_stream_next(&s, &rec)) > 0)
		;
	return ret < 0 ? ret : (int)s.count;
}

int attr_stream_replay(struct attr_stream *s, struct device *dev,
		       struct attr_rec *failed)
{
	struct attr_rec rec;
	uint8_t small[64];
	int ret;

	attr_stream_rewind(s);
	while ((ret = attr_stream_next(s, &rec)) > 0) {
		uint8_t *val = NULL;

		if (rec.len) {
			val = rec.len <= sizeof(small) - 8 ?
				      small : calloc(1, (size_t)rec.len + 8);
			if (!val)
				return -ENOMEM;
			if (val == small)
				memset(small, 0, sizeof(small));
			memcpy(val, rec.val, rec.len);
		}
		ret = device_set(dev, rec.group, rec.attr, val);
		if (val && val != small)
			free(val);
		if (ret) {
			if (failed)
				*failed = rec;
			return ret;
		}
	}
	return ret;
}

/* ---- registry ------------------------------------------------------------ */

/* Weak: a type whose code does not define its ops yet has none. */
#pragma weak gicv2_stream_ops
#pragma weak gicv3_stream_ops
#pragma weak its_stream_ops
#pragma weak mpic_stream_ops
#pragma weak xics_stream_ops
#pragma weak flic_stream_ops

const struct attr_stream_ops *attr_stream_ops_find(uint32_t type)
{
	const struct attr_stream_ops *const all[] = {
		&gicv2_stream_ops, &gicv3_stream_ops, &its_stream_ops,
		&mpic_stream_ops,  &xics_stream_ops,  &flic_stream_ops,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const struct attr_stream_ops *ops = all[i];

		if (!ops)
			continue;
		for (size_t t = 0; t < 4 && ops->types[t]; t++)
			if (ops->types[t] == type)
				return ops;
	}
	return NULL;
}
