/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest image loaders.  They write through a devhost (the VM's, or a
 * fake one in tests), so every byte lands inside guest RAM or the load
 * fails with a one-line message naming the file and the problem.
 */
#ifndef KVMKIT_LOADER_H
#define KVMKIT_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "kvmkit/device.h"

struct load_info {
	uint64_t entry;
	uint64_t low;		/* lowest guest address written */
	uint64_t high;		/* one past the highest */
};

/* Read a whole file (at most @max bytes); -errno, message printed. */
int load_file(const char *path, size_t max, void **buf, size_t *len);

/* Is this an ELF file? */
int is_elf(const void *buf, size_t len);

/*
 * Load the PT_LOAD segments of an ELF64 image for @machine (EM_*) at
 * their physical addresses, zeroing each segment's tail.  -ENOEXEC for a
 * malformed file, -EFAULT for a segment outside guest RAM.
 */
int elf_load(struct devhost *ram, const char *name, const void *buf,
	     size_t len, uint16_t machine, struct load_info *info);

/* Copy a flat binary to @addr; it is entered at @addr. */
int flat_load(struct devhost *ram, const char *name, const void *buf,
	      size_t len, uint64_t addr, struct load_info *info);

#endif
