// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot state file (docs/snapshot-format.md): the writer that
 * builds it in memory, and the reader that checks every byte of it
 * before anything is restored.  No KVM here, so the unit tests drive
 * it with hand-made and corrupted files.
 *
 *   header     96 bytes: magic, version, header size, arch, kvmkit
 *              version, section count, flags, file size
 *   table      24 bytes per section: type, flags, offset, size
 *   sections   8-byte aligned, each a sequence of records
 *   trailer    le32 CRC32C of everything before it, le32 zero
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kvmkit/snapshot.h"

#define OFF_VERSION 8
#define OFF_HDR_SIZE 12
#define OFF_ARCH 16
#define ARCH_LEN 16
#define OFF_KVMKIT 32
#define KVMKIT_LEN 48
#define OFF_NR_SECS 80
#define OFF_FLAGS 84
#define OFF_FILE_SIZE 88

static void le32_to(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static void le64_to(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64_at(const uint8_t *p)
{
	return (uint64_t)le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* ---- errors and CRC ------------------------------------------------------ */

int snap_fail(struct snap_error *e, enum snap_err code, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->code != SNAP_OK)
		return -1;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	/* One line, whatever a caller passed in. */
	for (char *c = e->msg; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	return -1;
}

const char *snap_err_name(enum snap_err code)
{
	static const char *const names[] = {
		[SNAP_OK] = "ok",
		[SNAP_E_IO] = "io",
		[SNAP_E_MAGIC] = "magic",
		[SNAP_E_VERSION] = "version",
		[SNAP_E_ARCH] = "arch",
		[SNAP_E_CRC] = "crc",
		[SNAP_E_TRUNCATED] = "truncated",
		[SNAP_E_OVERSIZED] = "oversized",
		[SNAP_E_FORMAT] = "format",
		[SNAP_E_MEMFILE] = "memfile",
		[SNAP_E_CONFIG] = "config",
		[SNAP_E_STATE] = "state",
		[SNAP_E_UNSUPPORTED] = "unsupported",
		[SNAP_E_VM] = "vm",
	};

	if ((unsigned int)code < sizeof(names) / sizeof(names[0]))
		return names[code];
	return "unknown";
}

/* CRC-32C (Castagnoli), reflected, as iSCSI and ext4 use it. */
uint32_t snap_crc32c(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	static bool ready;
	const uint8_t *p = buf;

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? c >> 1 ^ 0x82f63b78U : c >> 1;
			table[i] = c;
		}
		__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
	}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ crc >> 8;
	return ~crc;
}

/* ---- writer -------------------------------------------------------------- */

void snap_writer_init(struct snap_writer *w)
{
	memset(w, 0, sizeof(*w));
	w->rec_start = SIZE_MAX;
}

void snap_writer_free(struct snap_writer *w)
{
	free(w->buf);
	free(w->secs);
	snap_writer_init(w);
}

static uint8_t *reserve(struct snap_writer *w, size_t n)
{
	size_t cap = w->cap ? w->cap : 4096;
	uint8_t *buf;

	if (w->err)
		return NULL;
	if (w->len + n > w->cap) {
		while (cap < w->len + n)
			cap *= 2;
		buf = realloc(w->buf, cap);
		if (!buf) {
			w->err = -ENOMEM;
			return NULL;
		}
		w->buf = buf;
		w->cap = cap;
	}
	buf = w->buf + w->len;
	w->len += n;
	return buf;
}

void snap_begin_section(struct snap_writer *w, uint32_t type, uint32_t flags)
{
	struct snap_sec_ent *secs;

	if (w->err)
		return;
	if (w->in_sec || w->nr_secs >= SNAP_MAX_SECTIONS) {
		w->err = -EINVAL;
		return;
	}
	if (w->nr_secs == w->cap_secs) {
		uint32_t cap = w->cap_secs ? w->cap_secs * 2 : 16;

		secs = realloc(w->secs, cap * sizeof(*secs));
		if (!secs) {
			w->err = -ENOMEM;
			return;
		}
		w->secs = secs;
		w->cap_secs = cap;
	}
	w->secs[w->nr_secs] = (struct snap_sec_ent){ .type = type,
						     .flags = flags,
						     .offset = w->len };
	w->in_sec = true;
}

void snap_end_section(struct snap_writer *w)
{
	if (w->err)
		return;
	if (!w->in_sec || w->rec_start != SIZE_MAX) {
		w->err = -EINVAL;
		return;
	}
	w->secs[w->nr_secs].size = w->len - w->secs[w->nr_secs].offset;
	w->nr_secs++;
	w->in_sec = false;
}

void snap_rec_begin(struct snap_writer *w, uint32_t tag)
{
	uint8_t *p;

	if (w->err)
		return;
	if (!w->in_sec || w->rec_start != SIZE_MAX) {
		w->err = -EINVAL;
		return;
	}
	p = reserve(w, 8);
	if (!p)
		return;
	le32_to(p, tag);
	le32_to(p + 4, 0);
	w->rec_start = w->len - 8;
}

void snap_put_bytes(struct snap_writer *w, const void *src, size_t len)
{
	uint8_t *p;

	if (w->err)
		return;
	if (w->rec_start == SIZE_MAX) {
		w->err = -EINVAL;
		return;
	}
	p = reserve(w, len);
	if (p && len)
		memcpy(p, src, len);
}

void snap_put_le32(struct snap_writer *w, uint32_t v)
{
	uint8_t b[4];

	le32_to(b, v);
	snap_put_bytes(w, b, sizeof(b));
}

void snap_put_le64(struct snap_writer *w, uint64_t v)
{
	uint8_t b[8];

	le64_to(b, v);
	snap_put_bytes(w, b, sizeof(b));
}

void snap_rec_end(struct snap_writer *w)
{
	size_t len;
	uint8_t *p;

	if (w->err)
		return;
	if (w->rec_start == SIZE_MAX) {
		w->err = -EINVAL;
		return;
	}
	len = w->len - w->rec_start - 8;
	if (len > UINT32_MAX) {
		w->err = -E2BIG;
		return;
	}
	le32_to(w->buf + w->rec_start + 4, (uint32_t)len);
	w->rec_start = SIZE_MAX;
	p = reserve(w, pad8(len) - len);
	if (p)
		memset(p, 0, pad8(len) - len);
}

void snap_put_rec(struct snap_writer *w, uint32_t tag, const void *val,
		  size_t len)
{
	snap_rec_begin(w, tag);
	snap_put_bytes(w, val, len);
	snap_rec_end(w);
}

void snap_put_rec_str(struct snap_writer *w, uint32_t tag, const char *s)
{
	snap_put_rec(w, tag, s ? s : "", s ? strlen(s) : 0);
}

int snap_writer_finish(struct snap_writer *w, const char *arch,
		       const char *version, uint8_t **out, size_t *outlen)
{
	size_t table = (size_t)w->nr_secs * SNAP_SECTION_ENTRY_SIZE;
	size_t data = SNAP_HEADER_SIZE + table;
	size_t total = data + w->len + SNAP_TRAILER_SIZE;
	uint8_t *f;

	if (!w->err && (w->in_sec || total > SNAP_MAX_STATE))
		w->err = w->in_sec ? -EINVAL : -E2BIG;
	if (w->err)
		return w->err;
	f = calloc(1, total);
	if (!f)
		return -ENOMEM;
	memcpy(f, SNAP_MAGIC, 8);
	le32_to(f + OFF_VERSION, SNAP_FORMAT_VERSION);
	le32_to(f + OFF_HDR_SIZE, SNAP_HEADER_SIZE);
	strncpy((char *)f + OFF_ARCH, arch, ARCH_LEN);
	strncpy((char *)f + OFF_KVMKIT, version ? version : "unknown",
		KVMKIT_LEN - 1);
	le32_to(f + OFF_NR_SECS, w->nr_secs);
	le32_to(f + OFF_FLAGS, 0);
	le64_to(f + OFF_FILE_SIZE, total);
	for (uint32_t i = 0; i < w->nr_secs; i++) {
		uint8_t *t = f + SNAP_HEADER_SIZE + i * SNAP_SECTION_ENTRY_SIZE;

		le32_to(t, w->secs[i].type);
		le32_to(t + 4, w->secs[i].flags);
		le64_to(t + 8, data + w->secs[i].offset);
		le64_to(t + 16, w->secs[i].size);
	}
	if (w->len)
		memcpy(f + data, w->buf, w->len);
	le32_to(f + total - SNAP_TRAILER_SIZE,
		snap_crc32c(0, f, total - SNAP_TRAILER_SIZE));
	*out = f;
	*outlen = total;
	return 0;
}

/* ---- cursors --------------------------------------------------------------- */

void snap_cursor_init(struct snap_cursor *c, const void *p, size_t len)
{
	*c = (struct snap_cursor){ .p = p, .len = len };
}

int snap_next_rec(struct snap_cursor *c, uint32_t *tag,
		  struct snap_cursor *val)
{
	size_t left = c->len - c->pos;
	uint32_t len;

	if (c->bad)
		return -1;
	if (!left)
		return 0;
	if (left < 8)
		return c->bad = true, -1;
	len = le32_at(c->p + c->pos + 4);
	if (pad8(len) > left - 8)
		return c->bad = true, -1;
	*tag = le32_at(c->p + c->pos);
	snap_cursor_init(val, c->p + c->pos + 8, len);
	c->pos += 8 + pad8(len);
	return 1;
}

static const uint8_t *take(struct snap_cursor *c, size_t n)
{
	const uint8_t *p;

	if (c->bad || n > c->len - c->pos) {
		c->bad = true;
		return NULL;
	}
	p = c->p + c->pos;
	c->pos += n;
	return p;
}

uint32_t snap_get_le32(struct snap_cursor *c)
{
	const uint8_t *p = take(c, 4);

	return p ? le32_at(p) : 0;
}

uint64_t snap_get_le64(struct snap_cursor *c)
{
	const uint8_t *p = take(c, 8);

	return p ? le64_at(p) : 0;
}

void snap_get_bytes(struct snap_cursor *c, void *out, size_t len)
{
	const uint8_t *p = take(c, len);

	if (p)
		memcpy(out, p, len);
	else
		memset(out, 0, len);
}

int snap_get_str(struct snap_cursor *c, char *out, size_t size)
{
	size_t n = c->len - c->pos;
	const uint8_t *p;

	out[0] = '\0';
	if (c->bad || n >= size)
		return c->bad = true, -1;
	p = take(c, n);
	if (n && memchr(p, '\0', n))
		return c->bad = true, -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

bool snap_cursor_done(const struct snap_cursor *c)
{
	return !c->bad && c->pos == c->len;
}

/* ---- reader -------------------------------------------------------------- */

static const struct {
	uint32_t type;
	const char *name;
	uint64_t max;
} section_kinds[] = {
	{ SNAP_SEC_VM, "vm", 64 << 10 },
	{ SNAP_SEC_VCPU, "vcpu", 1 << 20 },
	{ SNAP_SEC_ARCH_VM, "arch-vm", 64 << 10 },
	{ SNAP_SEC_DEVICE, "device", 96 << 20 },
	{ SNAP_SEC_MACHINE_DEV, "machine-device", 1 << 20 },
};

static int section_kind(uint32_t type)
{
	for (size_t i = 0; i < sizeof(section_kinds) / sizeof(section_kinds[0]);
	     i++)
		if (section_kinds[i].type == type)
			return (int)i;
	return -1;
}

const char *snap_section_name(uint32_t type)
{
	int k = section_kind(type);

	return k < 0 ? "unknown" : section_kinds[k].name;
}

/* A header string field: NUL-padded, printable. */
static int header_str(const uint8_t *p, size_t n, char *out)
{
	size_t len = strnlen((const char *)p, n);

	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int check_records(const struct snap_section *s, uint32_t idx,
			 struct snap_error *e)
{
	struct snap_cursor c, v;
	uint32_t tag;
	int ret;

	snap_cursor_init(&c, s->data, s->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0)
		;
	if (ret < 0)
		return snap_fail(e, SNAP_E_TRUNCATED,
				 "section %u (%s): a record runs past the section's end (byte %zu of %zu)",
				 idx, snap_section_name(s->type), c.pos, s->len);
	return 0;
}

static int parse_table(const uint8_t *b, size_t len, uint32_t nr,
		       struct snap_file *f, struct snap_error *e)
{
	size_t table_end = SNAP_HEADER_SIZE + (size_t)nr * SNAP_SECTION_ENTRY_SIZE;
	size_t data_end = len - SNAP_TRAILER_SIZE;
	uint64_t prev_end = table_end;

	if (table_end > data_end)
		return snap_fail(e, SNAP_E_TRUNCATED,
				 "the section table (%u entries) runs past the end of the file",
				 nr);
	f->secs = calloc(nr ? nr : 1, sizeof(*f->secs));
	if (!f->secs)
		return snap_fail(e, SNAP_E_IO, "out of memory");
	for (uint32_t i = 0; i < nr; i++) {
		const uint8_t *t = b + SNAP_HEADER_SIZE + i * SNAP_SECTION_ENTRY_SIZE;
		uint32_t type = le32_at(t), flags = le32_at(t + 4);
		uint64_t off = le64_at(t + 8), size = le64_at(t + 16);
		int k = section_kind(type);
		struct snap_section *s;

		if (off < prev_end || off % 8)
			return snap_fail(e, SNAP_E_FORMAT,
					 "section %u (%s) at byte %llu overlaps the table or the previous section, or is unaligned",
					 i, snap_section_name(type),
					 (unsigned long long)off);
		if (off > data_end || size > data_end - off)
			return snap_fail(e, SNAP_E_TRUNCATED,
					 "section %u (%s): %llu bytes at byte %llu run past the end of the data (%zu)",
					 i, snap_section_name(type),
					 (unsigned long long)size,
					 (unsigned long long)off, data_end);
		if (size > (k < 0 ? SNAP_MAX_STATE : section_kinds[k].max))
			return snap_fail(e, SNAP_E_OVERSIZED,
					 "section %u (%s) is %llu bytes, over its limit of %llu",
					 i, snap_section_name(type),
					 (unsigned long long)size,
					 (unsigned long long)(k < 0 ? SNAP_MAX_STATE :
						section_kinds[k].max));
		prev_end = off + size;
		if (k < 0) {
			if (flags & SNAP_SEC_F_OPTIONAL)
				continue;	/* a newer writer's extra */
			return snap_fail(e, SNAP_E_FORMAT,
					 "section %u has unknown required type %u (written by a newer kvmkit?)",
					 i, type);
		}
		s = &f->secs[f->nr_secs++];
		*s = (struct snap_section){ .type = type, .flags = flags,
					    .data = b + off, .len = size };
		if (check_records(s, i, e))
			return -1;
	}
	return 0;
}

int snap_parse(const void *buf, size_t len, const char *arch,
	       struct snap_file *f, struct snap_error *e)
{
	const uint8_t *b = buf;
	uint32_t version, hdr, nr, crc;
	uint64_t size;

	memset(f, 0, sizeof(*f));
	if (len < 8 || memcmp(b, SNAP_MAGIC, 8))
		return snap_fail(e, SNAP_E_MAGIC,
				 "not a kvmkit snapshot state file (bad magic)");
	if (len < SNAP_HEADER_SIZE)
		return snap_fail(e, SNAP_E_TRUNCATED,
				 "state file truncated: %zu bytes, shorter than its header",
				 len);
	version = le32_at(b + OFF_VERSION);
	if (version > SNAP_FORMAT_VERSION)
		return snap_fail(e, SNAP_E_VERSION,
				 "snapshot format version %u is newer than this kvmkit reads (%u)",
				 version, SNAP_FORMAT_VERSION);
	hdr = le32_at(b + OFF_HDR_SIZE);
	if (version == 0 || hdr != SNAP_HEADER_SIZE)
		return snap_fail(e, SNAP_E_FORMAT,
				 "bad header (format version %u, header size %u)",
				 version, hdr);
	f->format = version;
	if (header_str(b + OFF_ARCH, ARCH_LEN, f->arch) ||
	    header_str(b + OFF_KVMKIT, KVMKIT_LEN, f->version))
		return snap_fail(e, SNAP_E_FORMAT,
				 "bad header (unprintable architecture or version)");
	if (arch && strcmp(f->arch, arch))
		return snap_fail(e, SNAP_E_ARCH,
				 "snapshot is of a %s VM; this kvmkit runs %s VMs",
				 f->arch, arch);
	size = le64_at(b + OFF_FILE_SIZE);
	if (size > SNAP_MAX_STATE || len > SNAP_MAX_STATE)
		return snap_fail(e, SNAP_E_OVERSIZED,
				 "state file of %llu bytes is over the %u-byte limit",
				 (unsigned long long)(size > len ? size : len),
				 SNAP_MAX_STATE);
	if (size != len)
		return snap_fail(e, size > len ? SNAP_E_TRUNCATED : SNAP_E_FORMAT,
				 "state file is %zu bytes but its header says %llu%s",
				 len, (unsigned long long)size,
				 size > len ? " (truncated)" : "");
	if (len < SNAP_HEADER_SIZE + SNAP_TRAILER_SIZE)
		return snap_fail(e, SNAP_E_TRUNCATED, "state file has no CRC");
	crc = snap_crc32c(0, b, len - SNAP_TRAILER_SIZE);
	if (crc != le32_at(b + len - SNAP_TRAILER_SIZE) ||
	    le32_at(b + len - 4))
		return snap_fail(e, SNAP_E_CRC,
				 "state file CRC mismatch (stored %08x, computed %08x): the file is corrupt",
				 le32_at(b + len - SNAP_TRAILER_SIZE), crc);
	nr = le32_at(b + OFF_NR_SECS);
	if (nr > SNAP_MAX_SECTIONS)
		return snap_fail(e, SNAP_E_OVERSIZED,
				 "%u sections, over the limit of %u", nr,
				 SNAP_MAX_SECTIONS);
	if (le32_at(b + OFF_FLAGS))
		return snap_fail(e, SNAP_E_FORMAT, "unknown header flags 0x%x",
				 le32_at(b + OFF_FLAGS));
	if (parse_table(b, len, nr, f, e)) {
		snap_file_free(f);
		return -1;
	}
	return 0;
}

void snap_file_free(struct snap_file *f)
{
	free(f->secs);
	f->secs = NULL;
	f->nr_secs = 0;
}

const struct snap_section *snap_find_section(const struct snap_file *f,
					     uint32_t type, unsigned int n)
{
	for (uint32_t i = 0; i < f->nr_secs; i++)
		if (f->secs[i].type == type && n-- == 0)
			return &f->secs[i];
	return NULL;
}
