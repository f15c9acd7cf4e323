// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM into a snapshot's memory file.  The file is created at the
 * RAM's full size and only non-zero pages are written, so never-touched
 * memory stays a hole: a 1 GiB guest that used 2 MiB costs 2 MiB.
 *
 * Finding the pages worth reading without touching every one:
 *  - RAM in the VM's memfd: its data extents (lseek SEEK_DATA/SEEK_HOLE;
 *    shmem counts swapped-out pages as data, so nothing is missed);
 *  - RAM restored from a snapshot (MAP_PRIVATE of its memory file): the
 *    file's data extents, plus, in its holes, the pages /proc/self/pagemap
 *    shows present or swapped (the guest wrote or read them since).
 * Pages found are still compared with zero before they are written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvmkit/log.h"
#include "kvmkit/snapshot_mem.h"

#define PAGE 4096ULL
#define RUN_MAX 256		/* pages per write */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAPPED (1ULL << 62)

static const uint8_t zero_page[PAGE];

/* Copy to the stash; false when it is full (write through instead). */
static bool stash(struct snap_mem *m, const uint8_t *src, size_t len,
		  uint64_t off)
{
	if (m->stash_len + len > SNAP_STASH_MAX)
		return false;
	if (m->stash_len + len > m->stash_cap) {
		size_t cap = m->stash_cap ? m->stash_cap : (1U << 20);
		uint8_t *buf;

		while (cap < m->stash_len + len)
			cap *= 2;
		buf = realloc(m->stash, cap);
		if (!buf)
			return false;
		m->stash = buf;
		m->stash_cap = cap;
	}
	if (m->nr_chunks == m->cap_chunks) {
		size_t cap = m->cap_chunks ? m->cap_chunks * 2 : 256;
		struct snap_stash_chunk *c = realloc(m->chunks, cap * sizeof(*c));

		if (!c)
			return false;
		m->chunks = c;
		m->cap_chunks = cap;
	}
	memcpy(m->stash + m->stash_len, src, len);
	m->chunks[m->nr_chunks++] = (struct snap_stash_chunk){ off, len };
	m->stash_len += len;
	m->written += len;
	return true;
}

static int write_out(struct snap_mem *m, const uint8_t *src, size_t len,
		     uint64_t off)
{
	if (m->stashing && stash(m, src, len, off))
		return 0;
	while (len) {
		ssize_t n = pwrite(m->fd, src, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		src += n;
		off += (uint64_t)n;
		len -= (size_t)n;
		m->written += (uint64_t)n;
	}
	return 0;
}

/* Pages [first, first + n) of @s, zero pages skipped (or not). */
static int write_pages(struct snap_mem *m, struct mem_slot *s, uint64_t first,
		       uint64_t n, bool skip_zero)
{
	uint64_t run = 0, start = first;
	int ret;

	for (uint64_t p = first; p <= first + n; p++) {
		bool data = p < first + n &&
			    (!skip_zero ||
			     memcmp(s->hva + p * PAGE, zero_page, PAGE));

		if (data && !run)
			start = p;
		if (data)
			run++;
		if (run && (!data || run == RUN_MAX || p + 1 == first + n)) {
			ret = write_out(m, s->hva + start * PAGE, run * PAGE,
					s->file_offset + start * PAGE);
			if (ret)
				return ret;
			run = 0;
		}
	}
	return 0;
}

/* A hole of a restored VM's memory file: pages the VM has since used. */
static int write_hole(struct snap_mem *m, struct mem_slot *s, uint64_t first,
		      uint64_t n)
{
	uint64_t pm[512];

	if (m->pagemap_fd < 0)
		return write_pages(m, s, first, n, true);
	while (n) {
		uint64_t chunk = n < 512 ? n : 512;
		uint64_t vpn = ((uintptr_t)s->hva >> 12) + first;
		ssize_t got = pread(m->pagemap_fd, pm, chunk * 8,
				    (off_t)(vpn * 8));

		if (got != (ssize_t)(chunk * 8))
			return write_pages(m, s, first, n, true);
		for (uint64_t i = 0; i < chunk; i++) {
			int ret;

			if (!(pm[i] & (PM_PRESENT | PM_SWAPPED)))
				continue;
			ret = write_pages(m, s, first + i, 1, true);
			if (ret)
				return ret;
		}
		first += chunk;
		n -= chunk;
	}
	return 0;
}

static int copy_slot(struct snap_mem *m, struct mem_slot *s)
{
	off_t base = (off_t)s->file_offset, end = base + (off_t)s->size;
	off_t pos = base;
	int ret = 0;

	while (pos < end && !ret) {
		off_t data = lseek(s->fd, pos, SEEK_DATA), hole;

		if (data < 0 && errno != ENXIO)	/* no SEEK_DATA: read it all */
			return write_pages(m, s, (uint64_t)(pos - base) / PAGE,
					   (uint64_t)(end - pos) / PAGE, true);
		if (data < 0 || data > end)
			data = end;
		data &= ~(off_t)(PAGE - 1);
		if (data > pos && s->private_map)
			ret = write_hole(m, s, (uint64_t)(pos - base) / PAGE,
					 (uint64_t)(data - pos) / PAGE);
		if (ret || data >= end)
			break;
		if (data < pos)
			data = pos;
		hole = lseek(s->fd, data, SEEK_HOLE);
		if (hole < 0 || hole > end)
			hole = end;
		hole = (hole + (off_t)PAGE - 1) & ~(off_t)(PAGE - 1);
		if (hole <= data)
			hole = data + (off_t)PAGE;
		if (hole > end)
			hole = end;
		ret = write_pages(m, s, (uint64_t)(data - base) / PAGE,
				  (uint64_t)(hole - data) / PAGE, true);
		pos = hole;
	}
	return ret;
}

int snap_mem_open(struct snap_mem *m, struct vm *vm, int fd)
{
	uint64_t largest = 0;

	*m = (struct snap_mem){ .vm = vm, .fd = fd, .pagemap_fd = -1 };
	for (int i = 0; i < vm->nr_slots; i++) {
		if (vm->slots[i].size > largest)
			largest = vm->slots[i].size;
		if (vm->slots[i].private_map && m->pagemap_fd < 0)
			m->pagemap_fd = open("/proc/self/pagemap",
					     O_RDONLY | O_CLOEXEC);
	}
	m->bitmap = calloc(1, ((largest / PAGE) + 63) / 64 * 8 + 8);
	return m->bitmap ? 0 : -ENOMEM;
}

int snap_mem_flush(struct snap_mem *m)
{
	const uint8_t *p = m->stash;
	int ret = 0;

	m->stashing = false;
	m->written -= m->stash_len;	/* counted again as they go out */
	for (size_t i = 0; i < m->nr_chunks && !ret; i++) {
		ret = write_out(m, p, m->chunks[i].len, m->chunks[i].off);
		p += m->chunks[i].len;
	}
	m->nr_chunks = 0;
	m->stash_len = 0;
	return ret;
}

void snap_mem_close(struct snap_mem *m)
{
	free(m->stash);
	free(m->chunks);
	m->stash = NULL;
	m->chunks = NULL;
	free(m->bitmap);
	m->bitmap = NULL;
	if (m->pagemap_fd >= 0)
		close(m->pagemap_fd);
	m->pagemap_fd = -1;
}

int snap_mem_copy_all(struct snap_mem *m)
{
	for (int i = 0; i < m->vm->nr_slots; i++) {
		int ret = copy_slot(m, &m->vm->slots[i]);

		if (ret)
			return ret;
	}
	return 0;
}

int64_t snap_mem_copy_dirty(struct snap_mem *m)
{
	const unsigned int bits = 8 * sizeof(unsigned long);
	int64_t total = 0;

	for (int i = 0; i < m->vm->nr_slots; i++) {
		struct mem_slot *s = &m->vm->slots[i];
		uint64_t pages = s->size / PAGE, p = 0;
		int ret = vm_get_dirty_log(m->vm, i, m->bitmap);

		if (ret)
			return ret;
		/* Runs of dirty pages; zero pages too, they may be new. */
		while (p < pages) {
			uint64_t first;

			if (!m->bitmap[p / bits]) {
				p = (p / bits + 1) * bits;
				continue;
			}
			if (!(m->bitmap[p / bits] >> (p % bits) & 1)) {
				p++;
				continue;
			}
			first = p;
			while (p < pages && m->bitmap[p / bits] >> (p % bits) & 1)
				p++;
			ret = write_pages(m, s, first, p - first, false);
			if (ret)
				return ret;
			total += (int64_t)(p - first);
		}
	}
	return total;
}
