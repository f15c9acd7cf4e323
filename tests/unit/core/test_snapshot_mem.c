// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM into a snapshot's memory file (src/snapshot_mem.c), without
 * KVM: slots backed by a memfd (as a booted VM's) and by a private
 * mapping of an earlier memory file (as a restored VM's).  Only pages
 * with non-zero data are written, each at its slot's file offset, and
 * everything else stays a hole.
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
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "kvmkit/vm.h"
#include "kvmkit/snapshot_mem.h"

#define PG 4096UL
#define NPAGES 64UL

static int tmpfile_fd(void)
{
	char path[] = "/tmp/kvmkit-memtest-XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	return fd;
}

/* Is page @p of @fd inside a data extent? */
static bool has_data(int fd, unsigned long p)
{
	off_t d = lseek(fd, (off_t)(p * PG), SEEK_DATA);

	return d >= 0 && (unsigned long)d < (p + 1) * PG;
}

static void read_page(int fd, unsigned long p, uint8_t *buf)
{
	assert_int_equal(pread(fd, buf, PG, (off_t)(p * PG)), (ssize_t)PG);
}

static void add_slot(struct vm *vm, uint64_t gpa, uint64_t size, int fd,
		     uint64_t off, bool private_map)
{
	struct mem_slot *s = &vm->slots[vm->nr_slots];
	void *hva = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 private_map ? MAP_PRIVATE : MAP_SHARED, fd, (off_t)off);

	assert_true(hva != MAP_FAILED);
	*s = (struct mem_slot){ .gpa = gpa, .size = size, .hva = hva,
				.file_offset = off, .id = (uint32_t)vm->nr_slots,
				.fd = fd, .private_map = private_map };
	vm->nr_slots++;
	vm->mem_size += size;
}

static void drop_slots(struct vm *vm)
{
	for (int i = 0; i < vm->nr_slots; i++)
		munmap(vm->slots[i].hva, vm->slots[i].size);
}

static void test_memfd_sparse(void **state)
{
	static struct vm vm;
	int memfd = memfd_create("test-ram", 0), out = tmpfile_fd();
	struct snap_mem m;
	uint8_t buf[PG];
	uint8_t *ram;

	memset(&vm, 0, sizeof(vm));
	assert_true(memfd >= 0);
	assert_int_equal(ftruncate(memfd, NPAGES * PG), 0);
	add_slot(&vm, 0, NPAGES * PG, memfd, 0, false);
	ram = vm.slots[0].hva;
	ram[3 * PG + 7] = 0x33;
	memset(ram + 10 * PG, 0xaa, 3 * PG);
	ram[40 * PG + PG - 1] = 0x40;
	memset(ram + 20 * PG, 0, PG);	/* touched, but zero: skipped */
	assert_int_equal(ftruncate(out, NPAGES * PG), 0);

	assert_int_equal(snap_mem_open(&m, &vm, out), 0);
	assert_int_equal(snap_mem_copy_all(&m), 0);
	assert_int_equal(m.written, 5 * PG);
	snap_mem_close(&m);

	for (unsigned long p = 0; p < NPAGES; p++) {
		bool want = p == 3 || (p >= 10 && p <= 12) || p == 40;

		if (has_data(out, p) != want)
			fail_msg("page %lu: data %d, want %d", p, has_data(out, p),
				 want);
		read_page(out, p, buf);
		assert_memory_equal(buf, ram + p * PG, PG);
	}
	drop_slots(&vm);
	close(memfd);
	close(out);
}

static void test_private_mapping_of_a_memory_file(void **state)
{
	static struct vm vm;
	int old = tmpfile_fd(), out = tmpfile_fd();
	uint8_t buf[PG], page[PG];
	volatile uint8_t sink;
	struct snap_mem m;
	uint8_t *ram;

	/* The earlier snapshot: data in pages 0-7, holes after. */
	memset(&vm, 0, sizeof(vm));
	assert_int_equal(ftruncate(old, NPAGES * PG), 0);
	for (unsigned long p = 0; p < 8; p++) {
		memset(page, (int)(p + 1), PG);
		assert_int_equal(pwrite(old, page, PG, (off_t)(p * PG)),
				 (ssize_t)PG);
	}
	add_slot(&vm, 0, NPAGES * PG, old, 0, true);
	ram = vm.slots[0].hva;
	ram[2 * PG] = 0xee;		/* copy-on-write of a data page */
	ram[30 * PG + 5] = 0x30;	/* a page written into a hole */
	sink = ram[50 * PG];		/* read only: zero, skipped */
	(void)sink;
	assert_int_equal(ftruncate(out, NPAGES * PG), 0);

	assert_int_equal(snap_mem_open(&m, &vm, out), 0);
	assert_true(m.pagemap_fd >= 0);
	assert_int_equal(snap_mem_copy_all(&m), 0);
	assert_int_equal(m.written, 9 * PG);
	snap_mem_close(&m);

	for (unsigned long p = 0; p < NPAGES; p++) {
		bool want = p < 8 || p == 30;

		if (has_data(out, p) != want)
			fail_msg("page %lu: data %d, want %d", p, has_data(out, p),
				 want);
		read_page(out, p, buf);
		assert_memory_equal(buf, ram + p * PG, PG);
	}
	/* The private writes never reached the earlier file. */
	read_page(old, 2, buf);
	assert_int_equal(buf[0], 3);
	assert_false(has_data(old, 30));
	drop_slots(&vm);
	close(old);
	close(out);
}

static void test_slots_at_their_file_offsets(void **state)
{
	static struct vm vm;
	int memfd = memfd_create("test-ram", 0), out = tmpfile_fd();
	struct snap_mem m;
	uint8_t buf[PG];

	memset(&vm, 0, sizeof(vm));
	assert_int_equal(ftruncate(memfd, 2 * NPAGES * PG), 0);
	add_slot(&vm, 0, NPAGES * PG, memfd, 0, false);
	add_slot(&vm, 1ULL << 32, NPAGES * PG, memfd, NPAGES * PG, false);
	vm.slots[0].hva[PG] = 1;
	vm.slots[1].hva[PG] = 2;
	assert_int_equal(ftruncate(out, 2 * NPAGES * PG), 0);
	assert_int_equal(snap_mem_open(&m, &vm, out), 0);
	assert_int_equal(m.pagemap_fd, -1);	/* no private slots */
	assert_int_equal(snap_mem_copy_all(&m), 0);
	snap_mem_close(&m);
	read_page(out, 1, buf);
	assert_int_equal(buf[0], 1);
	read_page(out, NPAGES + 1, buf);
	assert_int_equal(buf[0], 2);
	assert_int_equal(m.written, 2 * PG);
	drop_slots(&vm);
	close(memfd);
	close(out);
}

static void test_stash_then_flush(void **state)
{
	static struct vm vm;
	int memfd = memfd_create("test-ram", 0), out = tmpfile_fd();
	struct snap_mem m;
	uint8_t buf[PG];

	memset(&vm, 0, sizeof(vm));
	assert_int_equal(ftruncate(memfd, NPAGES * PG), 0);
	add_slot(&vm, 0, NPAGES * PG, memfd, 0, false);
	vm.slots[0].hva[5 * PG] = 5;
	vm.slots[0].hva[6 * PG] = 6;
	vm.slots[0].hva[60 * PG] = 60;
	assert_int_equal(ftruncate(out, NPAGES * PG), 0);
	assert_int_equal(snap_mem_open(&m, &vm, out), 0);
	m.stashing = true;
	assert_int_equal(snap_mem_copy_all(&m), 0);
	/* Nothing reached the file yet; the guest may change RAM now. */
	assert_false(has_data(out, 5));
	assert_int_equal(m.nr_chunks, 2);
	vm.slots[0].hva[5 * PG] = 55;
	assert_int_equal(snap_mem_flush(&m), 0);
	assert_false(m.stashing);
	assert_int_equal(m.written, 3 * PG);
	read_page(out, 5, buf);
	assert_int_equal(buf[0], 5);	/* as it was when stashed */
	read_page(out, 60, buf);
	assert_int_equal(buf[0], 60);
	assert_true(has_data(out, 6));
	snap_mem_close(&m);
	drop_slots(&vm);
	close(memfd);
	close(out);
}

static void test_write_error(void **state)
{
	static struct vm vm;
	int memfd = memfd_create("test-ram", 0);
	int ro = open("/dev/null", O_RDONLY);
	struct snap_mem m;

	memset(&vm, 0, sizeof(vm));
	assert_int_equal(ftruncate(memfd, NPAGES * PG), 0);
	add_slot(&vm, 0, NPAGES * PG, memfd, 0, false);
	vm.slots[0].hva[0] = 1;
	assert_int_equal(snap_mem_open(&m, &vm, ro), 0);
	assert_int_equal(snap_mem_copy_all(&m), -EBADF);
	snap_mem_close(&m);
	drop_slots(&vm);
	close(memfd);
	close(ro);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memfd_sparse),
		cmocka_unit_test(test_private_mapping_of_a_memory_file),
		cmocka_unit_test(test_slots_at_their_file_offsets),
		cmocka_unit_test(test_stash_then_flush),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
