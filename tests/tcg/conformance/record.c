// SPDX-License-Identifier: GPL-2.0
/*
 * Recording every result of the script, and comparing the kernel's
 * record with the model's.  A difference fails its area unless it is
 * one of the kept differences named in known_diffs[] (each one explained
 * in docs/conformance.md under the same name).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "conf.h"
#include "known.h"

static struct rec *rec_new(struct record *rec)
{
	struct rec *r;

	if (rec->n == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 1024;
		rec->r = realloc(rec->r, rec->cap * sizeof(*rec->r));
		if (!rec->r) {
			perror("conformance: realloc");
			exit(1);
		}
	}
	r = &rec->r[rec->n++];
	memset(r, 0, sizeof(*r));
	snprintf(r->area, sizeof(r->area), "%s", rec->area);
	return r;
}

void rec_area(struct record *rec, const char *area)
{
	snprintf(rec->area, sizeof(rec->area), "%s", area);
}

void rec_val(struct record *rec, int rc, uint64_t val, const char *fmt, ...)
{
	struct rec *r = rec_new(rec);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->op, sizeof(r->op), fmt, ap);
	va_end(ap);
	r->rc = rc;
	r->val = rc ? 0 : val;
}

void rec_blob(struct record *rec, int rc, const void *bytes, size_t len,
	      const char *fmt, ...)
{
	struct rec *r = rec_new(rec);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->op, sizeof(r->op), fmt, ap);
	va_end(ap);
	r->rc = rc;
	r->bytes = malloc(len ? len : 1);
	if (!r->bytes) {
		perror("conformance: malloc");
		exit(1);
	}
	memcpy(r->bytes, bytes, len);
	r->len = len;
}

void rec_free(struct record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->r[i].bytes);
	free(rec->r);
	memset(rec, 0, sizeof(*rec));
}

/* ---- recorded operations ------------------------------------------------ */

static int attr_call(struct device *d, int which, uint32_t grp, uint64_t attr,
		     void *val)
{
	struct kvm_device_attr a = { .group = grp, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	switch (which) {
	case 0:
		return device_set_attr(d, &a);
	case 1:
		return device_get_attr(d, &a);
	default:
		return device_has_attr(d, &a);
	}
}

int c_set(struct ctx *c, struct device *d, uint32_t grp, uint64_t attr,
	  uint64_t val, int width, const char *name)
{
	uint32_t v32 = (uint32_t)val;
	uint64_t v64 = val;
	int ret = attr_call(d, 0, grp, attr, width == 4 ? (void *)&v32 :
							 (void *)&v64);

	rec_val(c->rec, ret, 0, "set %s = 0x%llx", name,
		(unsigned long long)val);
	return ret;
}

int c_set_derived(struct ctx *c, struct device *d, uint32_t grp,
		  uint64_t attr, uint64_t val, int width, const char *name)
{
	uint32_t v32 = (uint32_t)val;
	uint64_t v64 = val;
	int ret = attr_call(d, 0, grp, attr, width == 4 ? (void *)&v32 :
							 (void *)&v64);

	rec_val(c->rec, ret, 0, "set %s = (derived from the get)", name);
	return ret;
}

int c_get(struct ctx *c, struct device *d, uint32_t grp, uint64_t attr,
	  int width, uint64_t *val, const char *name)
{
	/* Pre-filled so a get that writes less than it should shows. */
	uint32_t v32 = 0xdeadbeef;
	uint64_t v64 = 0xdeadbeefdeadbeefULL;
	int ret = attr_call(d, 1, grp, attr, width == 4 ? (void *)&v32 :
							 (void *)&v64);
	uint64_t v = width == 4 ? v32 : v64;

	rec_val(c->rec, ret, v, "get %s", name);
	if (val)
		*val = ret ? 0 : v;
	return ret;
}

int c_has(struct ctx *c, struct device *d, uint32_t grp, uint64_t attr,
	  const char *name)
{
	int ret = attr_call(d, 2, grp, attr, NULL);

	rec_val(c->rec, ret, 0, "has %s", name);
	return ret;
}

/* A page that is mapped nowhere: reserved, then unmapped. */
static void *bad_pointer(void)
{
	static void *bad;

	if (!bad) {
		bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
		if (bad == MAP_FAILED) {
			perror("conformance: mmap");
			exit(1);
		}
		munmap(bad, 4096);
	}
	return bad;
}

int c_set_badptr(struct ctx *c, struct device *d, uint32_t grp,
		 uint64_t attr, const char *name)
{
	int ret = attr_call(d, 0, grp, attr, bad_pointer());

	rec_val(c->rec, ret, 0, "set %s from a bad pointer", name);
	return ret;
}

int c_get_badptr(struct ctx *c, struct device *d, uint32_t grp,
		 uint64_t attr, const char *name)
{
	int ret = attr_call(d, 1, grp, attr, bad_pointer());

	rec_val(c->rec, ret, 0, "get %s into a bad pointer", name);
	return ret;
}

int c_ctrl(struct ctx *c, struct device *d, uint64_t attr, const char *name)
{
	int ret = attr_call(d, 0, KVM_DEV_ARM_VGIC_GRP_CTRL, attr, NULL);

	rec_val(c->rec, ret, 0, "ctrl %s", name);
	return ret;
}

void c_ram(struct ctx *c, uint64_t gpa, size_t len, const char *name)
{
	rec_blob(c->rec, 0, env_ram(c->e, gpa), len, "bytes of %s at 0x%llx",
		 name, (unsigned long long)gpa);
}

/* ---- comparison --------------------------------------------------------- */

static const char *err_name(int rc)
{
	static char buf[24];

	switch (-rc) {
	case 0: return "0";
	case ENXIO: return "-ENXIO";
	case EINVAL: return "-EINVAL";
	case EBUSY: return "-EBUSY";
	case EEXIST: return "-EEXIST";
	case E2BIG: return "-E2BIG";
	case EFAULT: return "-EFAULT";
	case ENODEV: return "-ENODEV";
	case ENOENT: return "-ENOENT";
	case ENOMEM: return "-ENOMEM";
	case EACCES: return "-EACCES";
	case EPERM: return "-EPERM";
	}
	snprintf(buf, sizeof(buf), "%d", rc);
	return buf;
}

static const struct known_diff *known(const struct record *kern,
				      const struct record *soft, size_t i)
{
	const char *area = kern->r[i].area, *op = kern->r[i].op;

	for (size_t n = 0; n < nr_known_diffs; n++) {
		const struct known_diff *k = &known_diffs[n];

		if (!fnmatch(k->area, area, 0) && !fnmatch(k->op, op, 0) &&
		    (!k->match || k->match(kern, soft, i)))
			return k;
	}
	return NULL;
}

/* The next differing 8-byte entry of two blobs from @from, or -1. */
static long next_diff(const struct rec *a, const struct rec *b, size_t from)
{
	for (size_t i = from; i < a->len; i++)
		if (a->bytes[i] != b->bytes[i])
			return (long)(i & ~7UL);
	return -1;
}

static uint64_t le64_at(const uint8_t *p, size_t avail)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8 && i < avail; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void describe(const struct rec *k, const struct rec *s, char *buf,
		     size_t size)
{
	long off;

	if (k->rc != s->rc) {
		snprintf(buf, size, "kernel %s, model %s", err_name(k->rc),
			 err_name(s->rc));
		return;
	}
	if (!k->bytes) {
		snprintf(buf, size, "kernel 0x%llx, model 0x%llx",
			 (unsigned long long)k->val,
			 (unsigned long long)s->val);
		return;
	}
	if (k->len != s->len) {
		snprintf(buf, size, "kernel %zu bytes, model %zu", k->len,
			 s->len);
		return;
	}
	/* Up to three differing entries, as little-endian u64s. */
	off = next_diff(k, s, 0);
	for (int n = 0; n < 3 && off >= 0; n++) {
		size_t rest = k->len - (size_t)off;
		int w = snprintf(buf, size,
				 "%s+0x%lx: kernel %016llx, model %016llx",
				 n ? "; " : "", off,
				 (unsigned long long)le64_at(k->bytes + off, rest),
				 (unsigned long long)le64_at(s->bytes + off, rest));

		if (w < 0 || (size_t)w >= size)
			return;
		buf += w;
		size -= (size_t)w;
		off = next_diff(k, s, (size_t)off + 8);
	}
}

/* CONFORMANCE_ALL: the non-zero entries of both blobs, side by side. */
static void dump_entries(const struct rec *k, const struct rec *s)
{
	size_t len = k->len < s->len ? k->len : s->len;
	int shown = 0;

	for (size_t off = 0; off + 8 <= len && shown < 32; off += 8) {
		uint64_t a = le64_at(k->bytes + off, 8);
		uint64_t b = le64_at(s->bytes + off, 8);

		if (!a && !b)
			continue;
		printf("#     +0x%zx: kernel %016llx model %016llx%s\n", off,
		       (unsigned long long)a, (unsigned long long)b,
		       a == b ? "" : "  <--");
		shown++;
	}
}

static bool same(const struct rec *k, const struct rec *s)
{
	if (k->rc != s->rc)
		return false;
	if (k->bytes || s->bytes)
		return k->len == s->len && !memcmp(k->bytes, s->bytes, k->len);
	return k->val == s->val;
}

/* Differences shown per area; CONFORMANCE_ALL=1 shows every one. */
static size_t max_shown(void)
{
	const char *all = getenv("CONFORMANCE_ALL");

	return all && *all == '1' ? (size_t)-1 : 40;
}

int rec_compare(const struct record *kern, const struct record *soft,
		const char *prefix, int first, int *nr)
{
	size_t i = 0, n = kern->n < soft->n ? kern->n : soft->n;
	int tap = first, failed = 0;
	const size_t shown = max_shown();

	while (i < n) {
		const char *area = kern->r[i].area;
		size_t start = i, ops = 0, bad = 0, kept = 0;
		bool diverged = false;

		for (; i < n && !strcmp(kern->r[i].area, area); i++) {
			const struct rec *k = &kern->r[i], *s = &soft->r[i];
			const struct known_diff *kd;
			char what[240];

			ops++;
			if (strcmp(k->op, s->op) || strcmp(k->area, s->area)) {
				printf("#   script diverged at '%s' / '%s'\n",
				       k->op, s->op);
				diverged = true;
				break;
			}
			if (same(k, s))
				continue;
			describe(k, s, what, sizeof(what));
			kd = known(kern, soft, i);
			if (kd) {
				kept++;
				if (kept <= 3 || shown == (size_t)-1)
					printf("#   kept [%s]: %s: %s\n",
					       kd->name, k->op, what);
				continue;
			}
			bad++;
			if (bad <= shown)
				printf("#   %s: %s\n", k->op, what);
			if (k->bytes && shown == (size_t)-1)
				dump_entries(k, s);
		}
		if (bad > shown)
			printf("#   ... %zu more differences\n", bad - shown);
		if (kept > 3 && shown != (size_t)-1)
			printf("#   ... %zu more kept differences\n", kept - 3);
		printf("%s %d - %s %s: %zu operations, %zu differences%s\n",
		       bad || diverged ? "not ok" : "ok", tap++, prefix,
		       kern->r[start].area, ops, bad,
		       kept ? " (and kept ones, docs/conformance.md)" : "");
		failed += bad || diverged;
		if (diverged)
			break;
	}
	if (kern->n != soft->n) {
		printf("not ok %d - %s: %zu operations recorded with the kernel, %zu with the model\n",
		       tap++, prefix, kern->n, soft->n);
		failed++;
	}
	*nr = tap - first;
	return failed;
}
