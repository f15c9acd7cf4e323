// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot state file (src/snapshot_format.c, snapshot_vminfo.c):
 * the writer's layout, CRC32C, and the reader's rejection, each with its
 * typed one-line error, of a wrong magic, a newer format version, another
 * architecture, a bad CRC, a truncated or oversized file, section or
 * record, overlapping sections, unknown required sections (unknown
 * optional ones are skipped); then the VM section, the options a restore
 * may not change, and the memory file's size.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvmkit/snapshot.h"

#define MIB (1ULL << 20)
#define ARCH "x86_64"

/* ---- helpers ------------------------------------------------------------------ */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* Recompute the trailer after editing, so only the edit is wrong. */
static void recrc(uint8_t *b, size_t len)
{
	put32(b + len - 8, snap_crc32c(0, b, len - 8));
}

static uint8_t *table_entry(uint8_t *b, unsigned int i)
{
	return b + SNAP_HEADER_SIZE + i * SNAP_SECTION_ENTRY_SIZE;
}

static void vm_section(struct snap_writer *w, int cpus, uint64_t mem,
		       const char *memfile)
{
	snap_begin_section(w, SNAP_SEC_VM, 0);
	snap_rec_begin(w, SNAP_VM_CONFIG);
	snap_put_le32(w, (uint32_t)cpus);
	snap_put_le32(w, SNAP_VM_F_NAMED);
	snap_put_le64(w, mem);
	snap_rec_end(w);
	snap_put_rec_str(w, SNAP_VM_MACHINE, "testbench");
	snap_put_rec_str(w, SNAP_VM_IRQCHIP, "");
	snap_put_rec_str(w, SNAP_VM_NAME, "t1");
	snap_rec_begin(w, SNAP_VM_MEMFILE);
	snap_put_le64(w, mem);
	snap_put_bytes(w, memfile, strlen(memfile));
	snap_rec_end(w);
	snap_rec_begin(w, SNAP_VM_SLOT);
	snap_put_le64(w, 0);
	snap_put_le64(w, mem);
	snap_put_le64(w, 0);
	snap_rec_end(w);
	snap_rec_begin(w, SNAP_VM_CONSOLE);
	snap_put_le64(w, 1234);
	snap_rec_end(w);
	/* A newer writer's optional record: skipped. */
	snap_put_rec(w, 0x77 | SNAP_REC_OPTIONAL, "new", 3);
	snap_end_section(w);
}

/*
 * A valid file: sections vcpu 0, vcpu 1, an unknown optional one, vm.
 * Section 0 is the first vCPU.
 */
static uint8_t *valid_file(size_t *len)
{
	struct snap_writer w;
	uint8_t *buf;

	snap_writer_init(&w);
	for (uint32_t i = 0; i < 2; i++) {
		snap_begin_section(&w, SNAP_SEC_VCPU, 0);
		snap_rec_begin(&w, SNAP_VCPU_ID);
		snap_put_le32(&w, i);
		snap_rec_end(&w);
		snap_put_rec(&w, 0x100, "regs....", 8);
		snap_end_section(&w);
	}
	snap_begin_section(&w, 0x4242, SNAP_SEC_F_OPTIONAL);
	snap_put_rec(&w, 1, "future", 6);
	snap_end_section(&w);
	vm_section(&w, 2, 256 * MIB, "memory-1");
	assert_int_equal(snap_writer_finish(&w, ARCH, "v1.0-test", &buf, len), 0);
	snap_writer_free(&w);
	return buf;
}

/* Parse, expecting @code; the message must be one non-empty line. */
static void expect_parse(const uint8_t *b, size_t len, enum snap_err code,
			 const char *needle)
{
	struct snap_error e = { 0 };
	struct snap_file f;
	int ret = snap_parse(b, len, ARCH, &f, &e);

	if (code == SNAP_OK) {
		if (ret)
			fail_msg("unexpected error: %s", e.msg);
		snap_file_free(&f);
		return;
	}
	assert_int_equal(ret, -1);
	if (e.code != code)
		fail_msg("want %s, got %s: %s", snap_err_name(code),
			 snap_err_name(e.code), e.msg);
	assert_true(e.msg[0] != '\0');
	assert_null(strchr(e.msg, '\n'));
	if (needle && !strstr(e.msg, needle))
		fail_msg("'%s' not in '%s'", needle, e.msg);
}

/* ---- format --------------------------------------------------------------------- */

static void test_crc32c_vectors(void **state)
{
	static const uint8_t zeros[32];

	assert_int_equal(snap_crc32c(0, "123456789", 9), 0xe3069283);
	assert_int_equal(snap_crc32c(0, zeros, sizeof(zeros)), 0x8a9136aa);
	assert_int_equal(snap_crc32c(0, NULL, 0), 0);
	/* Incremental equals one shot. */
	assert_int_equal(snap_crc32c(snap_crc32c(0, "1234", 4), "56789", 5),
			 0xe3069283);
}

static void test_layout(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	assert_memory_equal(b, SNAP_MAGIC, 8);
	assert_int_equal(b[8], SNAP_FORMAT_VERSION);
	assert_int_equal(b[12], SNAP_HEADER_SIZE);
	assert_string_equal((char *)b + 16, ARCH);
	assert_string_equal((char *)b + 32, "v1.0-test");
	assert_int_equal(b[80], 4);			/* sections */
	assert_int_equal(get64(b + 88), len);		/* file size */
	assert_int_equal(len % 8, 0);
	/* Sections follow the table, 8-byte aligned, in order. */
	assert_int_equal(get64(table_entry(b, 0) + 8),
			 SNAP_HEADER_SIZE + 4 * SNAP_SECTION_ENTRY_SIZE);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(get64(table_entry(b, i) + 8) % 8, 0);
	assert_int_equal(snap_crc32c(0, b, len - 8), b[len - 8] |
			 b[len - 7] << 8 | b[len - 6] << 16 |
			 (uint32_t)b[len - 5] << 24);
	free(b);
}

static void test_parse_valid(void **state)
{
	struct snap_error e = { 0 };
	const struct snap_section *s;
	struct snap_cursor c, v;
	struct snap_file f;
	uint32_t tag;
	size_t len;
	uint8_t *b = valid_file(&len);

	assert_int_equal(snap_parse(b, len, ARCH, &f, &e), 0);
	assert_int_equal(f.format, SNAP_FORMAT_VERSION);
	assert_string_equal(f.arch, ARCH);
	assert_string_equal(f.version, "v1.0-test");
	/* The unknown optional section is not indexed. */
	assert_int_equal(f.nr_secs, 3);
	assert_non_null(snap_find_section(&f, SNAP_SEC_VCPU, 1));
	assert_null(snap_find_section(&f, SNAP_SEC_VCPU, 2));
	assert_null(snap_find_section(&f, 0x4242, 0));
	s = snap_find_section(&f, SNAP_SEC_VCPU, 1);
	snap_cursor_init(&c, s->data, s->len);
	assert_int_equal(snap_next_rec(&c, &tag, &v), 1);
	assert_int_equal(tag, SNAP_VCPU_ID);
	assert_int_equal(snap_get_le32(&v), 1);
	assert_true(snap_cursor_done(&v));
	assert_int_equal(snap_next_rec(&c, &tag, &v), 1);
	assert_int_equal(tag, 0x100);
	assert_int_equal(v.len, 8);
	assert_int_equal(snap_next_rec(&c, &tag, &v), 0);
	snap_file_free(&f);
	/* Any architecture when asked for none. */
	assert_int_equal(snap_parse(b, len, NULL, &f, &e), 0);
	snap_file_free(&f);
	free(b);
}

static void test_reject_magic(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	b[0] ^= 0x20;
	recrc(b, len);
	expect_parse(b, len, SNAP_E_MAGIC, "magic");
	expect_parse(b, 4, SNAP_E_MAGIC, NULL);
	expect_parse((const uint8_t *)"", 0, SNAP_E_MAGIC, NULL);
	free(b);
}

static void test_reject_newer_version(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	put32(b + 8, SNAP_FORMAT_VERSION + 1);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_VERSION, "newer");
	/* Even when the rest would not parse: the version is read first. */
	put32(b + 12, 4096);
	expect_parse(b, len, SNAP_E_VERSION, NULL);
	put32(b + 8, 0);
	put32(b + 12, SNAP_HEADER_SIZE);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, NULL);
	free(b);
}

static void test_reject_other_arch(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	memset(b + 16, 0, 16);
	memcpy(b + 16, "s390x", 5);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_ARCH, "s390x");
	/* Unprintable bytes in a header string are a format error. */
	b[17] = 0x01;
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, NULL);
	free(b);
}

static void test_reject_bad_crc(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	/* Any flipped byte after the checks that come first. */
	for (size_t i = SNAP_HEADER_SIZE; i < len; i += 13) {
		b[i] ^= 0x40;
		expect_parse(b, len, SNAP_E_CRC, "CRC");
		b[i] ^= 0x40;
	}
	expect_parse(b, len, SNAP_OK, NULL);
	/* The trailer's reserved word must be zero too. */
	b[len - 1] = 1;
	expect_parse(b, len, SNAP_E_CRC, NULL);
	free(b);
}

static void test_reject_truncated_file(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	expect_parse(b, SNAP_HEADER_SIZE - 1, SNAP_E_TRUNCATED, NULL);
	for (size_t cut = SNAP_HEADER_SIZE; cut < len; cut += 40)
		expect_parse(b, cut, SNAP_E_TRUNCATED, "truncated");
	expect_parse(b, len - 1, SNAP_E_TRUNCATED, NULL);
	free(b);
}

static void test_reject_oversized_file(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);

	put64(b + 88, (uint64_t)SNAP_MAX_STATE + 8);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_OVERSIZED, NULL);
	/* Bytes after the declared end. */
	put64(b + 88, len - 8);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, NULL);
	/* Too many sections. */
	put64(b + 88, len);
	put32(b + 80, SNAP_MAX_SECTIONS + 1);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_OVERSIZED, "sections");
	free(b);
}

static void test_reject_truncated_section(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);
	uint8_t *t = table_entry(b, 3);		/* the vm section, last */
	uint64_t off = get64(t + 8), size = get64(t + 16);

	/* One byte past the data, into the CRC trailer. */
	put64(t + 16, len - 8 - off + 1);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_TRUNCATED, "vm");
	/* An offset past the end; a size that wraps. */
	put64(t + 16, size);
	put64(t + 8, len + 64);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_TRUNCATED, NULL);
	put64(t + 8, off);
	put64(t + 16, UINT64_MAX - 7);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_TRUNCATED, NULL);
	/* More table entries than the file holds. */
	put64(t + 16, size);
	put32(b + 80, 4000);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_TRUNCATED, "table");
	free(b);
}

static void test_reject_truncated_record(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);
	uint64_t off = get64(table_entry(b, 0) + 8);

	/* The vCPU section's first record claims more than the section. */
	put32(b + off + 4, 4096);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_TRUNCATED, "record");
	free(b);
}

static void test_reject_oversized_section(void **state)
{
	static uint8_t big[70 << 10];
	struct snap_writer w;
	size_t len;
	uint8_t *b;

	/* A vm section over its 64 KiB limit, correctly framed. */
	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VM, 0);
	snap_put_rec(&w, 0x55 | SNAP_REC_OPTIONAL, big, sizeof(big));
	snap_end_section(&w);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), 0);
	snap_writer_free(&w);
	expect_parse(b, len, SNAP_E_OVERSIZED, "limit");
	free(b);
}

static void test_reject_overlap_and_alignment(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);
	uint8_t *t1 = table_entry(b, 1);
	uint64_t off0 = get64(table_entry(b, 0) + 8);

	put64(t1 + 8, off0);		/* section 1 on top of section 0 */
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, "overlaps");
	free(b);
	b = valid_file(&len);
	put64(table_entry(b, 0) + 8, off0 - 8);	/* into the table */
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, NULL);
	put64(table_entry(b, 0) + 8, off0 + 4);	/* unaligned */
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, NULL);
	free(b);
}

static void test_unknown_sections(void **state)
{
	size_t len;
	uint8_t *b = valid_file(&len);
	uint8_t *t = table_entry(b, 2);		/* the optional 0x4242 */

	expect_parse(b, len, SNAP_OK, NULL);
	put32(t + 4, 0);			/* now required */
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, "unknown required");
	/* Header flags no reader knows. */
	put32(t + 4, SNAP_SEC_F_OPTIONAL);
	put32(b + 84, 1);
	recrc(b, len);
	expect_parse(b, len, SNAP_E_FORMAT, "flags");
	free(b);
}

static void test_writer_misuse(void **state)
{
	struct snap_writer w;
	uint8_t *b;
	size_t len;

	snap_writer_init(&w);
	snap_put_rec(&w, 1, "x", 1);		/* outside a section */
	assert_int_equal(w.err, -EINVAL);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), -EINVAL);
	snap_writer_free(&w);

	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VM, 0);
	snap_rec_begin(&w, 1);
	snap_end_section(&w);			/* record still open */
	assert_int_equal(w.err, -EINVAL);
	snap_writer_free(&w);

	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VM, 0);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), -EINVAL);
	snap_writer_free(&w);

	/* No sections at all is a valid, empty file. */
	snap_writer_init(&w);
	assert_int_equal(snap_writer_finish(&w, ARCH, NULL, &b, &len), 0);
	assert_int_equal(len, SNAP_HEADER_SIZE + SNAP_TRAILER_SIZE);
	expect_parse(b, len, SNAP_OK, NULL);
	free(b);
	snap_writer_free(&w);
}

static void test_cursor_bounds(void **state)
{
	static const uint8_t data[6] = { 1, 2, 3, 4, 'a', 0 };
	struct snap_cursor c;
	char s[8];

	snap_cursor_init(&c, data, 4);
	assert_int_equal(snap_get_le32(&c), 0x04030201);
	assert_true(snap_cursor_done(&c));
	assert_int_equal(snap_get_le64(&c), 0);	/* past the end */
	assert_true(c.bad);
	assert_false(snap_cursor_done(&c));

	snap_cursor_init(&c, data + 4, 1);
	assert_int_equal(snap_get_str(&c, s, sizeof(s)), 0);
	assert_string_equal(s, "a");
	snap_cursor_init(&c, data + 4, 2);	/* holds a NUL */
	assert_int_equal(snap_get_str(&c, s, sizeof(s)), -1);
	snap_cursor_init(&c, data, 6);		/* too long for 4 */
	assert_int_equal(snap_get_str(&c, s, 4), -1);
}

/* ---- the vm section and restore checks ----------------------------------------- */

static void decode(uint8_t *b, size_t len, struct snap_vm_info *info,
		   enum snap_err code, const char *needle)
{
	struct snap_error e = { 0 };
	struct snap_file f;
	int ret;

	assert_int_equal(snap_parse(b, len, ARCH, &f, &e), 0);
	ret = snap_vm_info_decode(&f, info, &e);
	snap_file_free(&f);
	if (code == SNAP_OK) {
		if (ret)
			fail_msg("unexpected error: %s", e.msg);
		return;
	}
	assert_int_equal(ret, -1);
	if (e.code != code)
		fail_msg("want %s, got %s: %s", snap_err_name(code),
			 snap_err_name(e.code), e.msg);
	if (needle && !strstr(e.msg, needle))
		fail_msg("'%s' not in '%s'", needle, e.msg);
}

static uint8_t *file_with_vm(int cpus, uint64_t mem, const char *memfile,
			     size_t *len)
{
	struct snap_writer w;
	uint8_t *b;

	snap_writer_init(&w);
	vm_section(&w, cpus, mem, memfile);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, len), 0);
	snap_writer_free(&w);
	return b;
}

static void test_vm_info(void **state)
{
	struct snap_vm_info info;
	size_t len;
	uint8_t *b = valid_file(&len);

	decode(b, len, &info, SNAP_OK, NULL);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.mem_size, 256 * MIB);
	assert_int_equal(info.flags, SNAP_VM_F_NAMED);
	assert_string_equal(info.machine, "testbench");
	assert_string_equal(info.irqchip, "");
	assert_string_equal(info.name, "t1");
	assert_string_equal(info.memfile, "memory-1");
	assert_int_equal(info.memfile_size, 256 * MIB);
	assert_int_equal(info.nr_slots, 1);
	assert_int_equal(info.slots[0].size, 256 * MIB);
	assert_int_equal(info.console_bytes, 1234);
	free(b);
}

static void test_vm_info_rejects(void **state)
{
	struct snap_vm_info info;
	struct snap_writer w;
	size_t len;
	uint8_t *b;

	b = file_with_vm(2, 256 * MIB, "../etc/passwd", &len);
	decode(b, len, &info, SNAP_E_FORMAT, "memory file name");
	free(b);
	b = file_with_vm(2, 256 * MIB, "memory-1x", &len);
	decode(b, len, &info, SNAP_E_FORMAT, NULL);
	free(b);
	b = file_with_vm(0, 256 * MIB, "memory-1", &len);
	decode(b, len, &info, SNAP_E_FORMAT, "vCPUs");
	free(b);
	b = file_with_vm(33, 256 * MIB, "memory-1", &len);
	decode(b, len, &info, SNAP_E_FORMAT, NULL);
	free(b);

	/* No vm section; two vm sections; an unknown required record. */
	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VCPU, 0);
	snap_end_section(&w);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), 0);
	snap_writer_free(&w);
	decode(b, len, &info, SNAP_E_FORMAT, "no vm section");
	free(b);

	snap_writer_init(&w);
	vm_section(&w, 1, 16 * MIB, "memory-2");
	vm_section(&w, 1, 16 * MIB, "memory-2");
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), 0);
	snap_writer_free(&w);
	decode(b, len, &info, SNAP_E_FORMAT, "more than one");
	free(b);

	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VM, 0);
	snap_put_rec(&w, 0x66, "?", 1);
	snap_end_section(&w);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), 0);
	snap_writer_free(&w);
	decode(b, len, &info, SNAP_E_FORMAT, "unknown record");
	free(b);

	/* A malformed config record (short). */
	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VM, 0);
	snap_put_rec(&w, SNAP_VM_CONFIG, "abc", 3);
	snap_end_section(&w);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), 0);
	snap_writer_free(&w);
	decode(b, len, &info, SNAP_E_FORMAT, "malformed");
	free(b);
}

static void test_vm_info_slot_outside_file(void **state)
{
	struct snap_vm_info info;
	struct snap_writer w;
	size_t len;
	uint8_t *b;

	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_VM, 0);
	snap_rec_begin(&w, SNAP_VM_CONFIG);
	snap_put_le32(&w, 1);
	snap_put_le32(&w, 0);
	snap_put_le64(&w, 16 * MIB);
	snap_rec_end(&w);
	snap_put_rec_str(&w, SNAP_VM_MACHINE, "testbench");
	snap_rec_begin(&w, SNAP_VM_MEMFILE);
	snap_put_le64(&w, 16 * MIB);
	snap_put_bytes(&w, "memory-1", 8);
	snap_rec_end(&w);
	snap_rec_begin(&w, SNAP_VM_SLOT);
	snap_put_le64(&w, 0);
	snap_put_le64(&w, 16 * MIB);
	snap_put_le64(&w, 4096);	/* ends past the file */
	snap_rec_end(&w);
	snap_end_section(&w);
	assert_int_equal(snap_writer_finish(&w, ARCH, "x", &b, &len), 0);
	snap_writer_free(&w);
	decode(b, len, &info, SNAP_E_FORMAT, "outside");
	free(b);
}

static void check_opts(const struct snap_restore_opts *o, enum snap_err code,
		       const char *needle)
{
	struct snap_vm_info info;
	struct snap_error e = { 0 };
	size_t len;
	uint8_t *b = valid_file(&len);
	int ret;

	decode(b, len, &info, SNAP_OK, NULL);
	free(b);
	ret = snap_check_options(&info, o, &e);
	if (code == SNAP_OK) {
		if (ret)
			fail_msg("unexpected error: %s", e.msg);
		return;
	}
	assert_int_equal(ret, -1);
	assert_int_equal(e.code, code);
	assert_null(strchr(e.msg, '\n'));
	if (needle && !strstr(e.msg, needle))
		fail_msg("'%s' not in '%s'", needle, e.msg);
}

static void test_restore_options(void **state)
{
	/* The snapshot: 2 vCPUs, 256M, testbench, no irqchip. */
	check_opts(&(struct snap_restore_opts){ 0 }, SNAP_OK, NULL);
	check_opts(&(struct snap_restore_opts){ .nr_cpus = 2,
						.mem_size = 256 * MIB,
						.machine = "testbench",
						.irqchip = "none" },
		   SNAP_OK, NULL);
	check_opts(&(struct snap_restore_opts){ .nr_cpus = 1 }, SNAP_E_CONFIG,
		   "too few");
	check_opts(&(struct snap_restore_opts){ .nr_cpus = 4 }, SNAP_E_CONFIG,
		   "does not match");
	check_opts(&(struct snap_restore_opts){ .mem_size = 128 * MIB },
		   SNAP_E_CONFIG, "can't hold");
	check_opts(&(struct snap_restore_opts){ .mem_size = 1024 * MIB },
		   SNAP_E_CONFIG, "256M");
	check_opts(&(struct snap_restore_opts){ .machine = "lkvm" },
		   SNAP_E_CONFIG, "testbench");
	check_opts(&(struct snap_restore_opts){ .irqchip = "gicv3" },
		   SNAP_E_CONFIG, "none");
}

static void test_memfile_size(void **state)
{
	char path[] = "/tmp/kvmkit-snaptest-XXXXXX";
	struct snap_vm_info info;
	struct snap_error e = { 0 };
	size_t len;
	uint8_t *b = file_with_vm(1, 16 * MIB, "memory-7", &len);
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	decode(b, len, &info, SNAP_OK, NULL);
	free(b);
	assert_int_equal(ftruncate(fd, 16 * MIB - 4096), 0);
	assert_int_equal(snap_check_memfile(&info, fd, &e), -1);
	assert_int_equal(e.code, SNAP_E_MEMFILE);
	assert_non_null(strstr(e.msg, "memory-7"));
	memset(&e, 0, sizeof(e));
	assert_int_equal(ftruncate(fd, 16 * MIB + 4096), 0);
	assert_int_equal(snap_check_memfile(&info, fd, &e), -1);
	memset(&e, 0, sizeof(e));
	assert_int_equal(ftruncate(fd, 16 * MIB), 0);
	assert_int_equal(snap_check_memfile(&info, fd, &e), 0);
	close(fd);

	/* A directory is not a memory file. */
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(snap_check_memfile(&info, fd, &e), -1);
	assert_int_equal(e.code, SNAP_E_MEMFILE);
	close(fd);
}

static void test_first_error_wins(void **state)
{
	struct snap_error e = { 0 };

	assert_int_equal(snap_fail(&e, SNAP_E_CRC, "first\nline"), -1);
	assert_int_equal(snap_fail(&e, SNAP_E_IO, "second"), -1);
	assert_int_equal(e.code, SNAP_E_CRC);
	assert_string_equal(e.msg, "first line");
	assert_string_equal(snap_err_name(SNAP_E_TRUNCATED), "truncated");
	assert_int_equal(snap_fail(NULL, SNAP_E_IO, "x"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_vectors),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_reject_magic),
		cmocka_unit_test(test_reject_newer_version),
		cmocka_unit_test(test_reject_other_arch),
		cmocka_unit_test(test_reject_bad_crc),
		cmocka_unit_test(test_reject_truncated_file),
		cmocka_unit_test(test_reject_oversized_file),
		cmocka_unit_test(test_reject_truncated_section),
		cmocka_unit_test(test_reject_truncated_record),
		cmocka_unit_test(test_reject_oversized_section),
		cmocka_unit_test(test_reject_overlap_and_alignment),
		cmocka_unit_test(test_unknown_sections),
		cmocka_unit_test(test_writer_misuse),
		cmocka_unit_test(test_cursor_bounds),
		cmocka_unit_test(test_vm_info),
		cmocka_unit_test(test_vm_info_rejects),
		cmocka_unit_test(test_vm_info_slot_outside_file),
		cmocka_unit_test(test_restore_options),
		cmocka_unit_test(test_memfile_size),
		cmocka_unit_test(test_first_error_wins),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
