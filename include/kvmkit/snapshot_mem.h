/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing guest RAM into a snapshot's memory file (src/snapshot_mem.c):
 * all of it, sparse, or only the pages KVM's dirty log names.  The file
 * has the RAM's size; each slot sits at its memfd offset.
 */
#ifndef KVMKIT_SNAPSHOT_MEM_H
#define KVMKIT_SNAPSHOT_MEM_H

#include <stdint.h>

#include "kvmkit/vm.h"

struct snap_mem {
	struct vm *vm;
	int fd;			/* the memory file */
	uint64_t written;	/* bytes written so far */
	unsigned long *bitmap;	/* dirty-log scratch, for the largest slot */
	int pagemap_fd;		/* /proc/self/pagemap, or -1 */
	/*
	 * While stashing, writes are copied to memory instead (up to
	 * SNAP_STASH_MAX bytes, then written through), so the last dirty
	 * round under pause never waits on the page cache's writeback
	 * throttling; snap_mem_flush writes them out after the resume.
	 */
	bool stashing;
	uint8_t *stash;
	size_t stash_len, stash_cap;
	struct snap_stash_chunk {
		uint64_t off;
		size_t len;
	} *chunks;
	size_t nr_chunks, cap_chunks;
};

#define SNAP_STASH_MAX (64U << 20)

int snap_mem_open(struct snap_mem *m, struct vm *vm, int fd);
void snap_mem_close(struct snap_mem *m);
/*
 * Write every page that may hold data and is not all zero: the memfd's
 * data extents (SEEK_DATA/SEEK_HOLE), or for a restored VM the memory
 * file's data extents plus the pages it wrote itself (pagemap).
 */
int snap_mem_copy_all(struct snap_mem *m);
/* Fetch and clear the dirty log, write those pages; returns their count. */
int64_t snap_mem_copy_dirty(struct snap_mem *m);
/* Stop stashing and write what was stashed. */
int snap_mem_flush(struct snap_mem *m);

#endif
