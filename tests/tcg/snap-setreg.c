// SPDX-License-Identifier: GPL-2.0
/*
 * snap-setreg STATE ID VALUE: change one saved arm64 vCPU register in a
 * kvmkit snapshot's state file and fix the file's CRC32C, so a test can
 * hand KVM a value it refuses (tests/tcg/arm64-snapshot.sh).  Every
 * vCPU's copy of register ID (a 64-bit one) becomes VALUE.  Reads the
 * layout of docs/snapshot-format.md; a static program for the QEMU host,
 * which has only busybox.  Exit 0 when at least one copy was changed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 96
#define ENTRY 24
#define SEC_VCPU 2
#define REC_REGS 0x101

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t crc32c(const uint8_t *p, size_t n)
{
	uint32_t crc = ~0U;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0x82f63b78U & -(crc & 1));
	}
	return ~crc;
}

/* The regs record of one vCPU section: set every copy of @id. */
static int patch_regs(uint8_t *p, size_t len, uint64_t id, uint64_t val)
{
	size_t pos = 0;
	int n = 0;

	while (pos + 8 <= len) {
		uint64_t rid = le64(p + pos);
		size_t size = (size_t)1 << (rid >> 52 & 0xf);

		if (rid == id && size == 8) {
			put_le(p + pos + 8, val, 8);
			n++;
		}
		pos += 8 + ((size + 7) & ~(size_t)7);
	}
	return n;
}

static int patch_section(uint8_t *p, size_t len, uint64_t id, uint64_t val)
{
	size_t pos = 0;
	int n = 0;

	while (pos + 8 <= len) {
		uint32_t tag = le32(p + pos), rlen = le32(p + pos + 4);

		if (rlen > len - pos - 8)
			break;
		if (tag == REC_REGS)
			n += patch_regs(p + pos + 8, rlen, id, val);
		pos += 8 + ((rlen + 7) & ~7U);
	}
	return n;
}

int main(int argc, char **argv)
{
	uint8_t *buf;
	long size;
	uint32_t nsec;
	uint64_t id, val;
	int n = 0;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: snap-setreg STATE ID VALUE\n");
		return 2;
	}
	id = strtoull(argv[2], NULL, 0);
	val = strtoull(argv[3], NULL, 0);
	f = fopen(argv[1], "r+b");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < HEADER + 8) {
		perror(argv[1]);
		return 1;
	}
	buf = malloc((size_t)size);
	rewind(f);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size ||
	    memcmp(buf, "KVMKSNAP", 8)) {
		fprintf(stderr, "%s: not a kvmkit state file\n", argv[1]);
		return 1;
	}
	nsec = le32(buf + 80);
	for (uint32_t i = 0; i < nsec && HEADER + (i + 1) * ENTRY <= size; i++) {
		const uint8_t *e = buf + HEADER + i * ENTRY;
		uint64_t off = le64(e + 8), len = le64(e + 16);

		if (le32(e) == SEC_VCPU && off <= (uint64_t)size &&
		    len <= (uint64_t)size - off)
			n += patch_section(buf + off, len, id, val);
	}
	put_le(buf + size - 8, crc32c(buf, (size_t)size - 8), 4);
	rewind(f);
	if (fwrite(buf, 1, (size_t)size, f) != (size_t)size || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	printf("snap-setreg: %d copies of register 0x%016llx set to 0x%llx\n",
	       n, (unsigned long long)id, (unsigned long long)val);
	return n ? 0 : 1;
}
