/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake VMM for model unit tests: guest RAM in a buffer, a recorded
 * MMIO map (with a dispatcher to play guest accesses) and per-vCPU line
 * levels the model drives.
 */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/bus.h"
#include "kvmkit/device.h"

#define FAKE_MAX_CPUS 16
#define FAKE_MAX_DEVICES 8

struct fake_host {
	struct devhost host;
	uint8_t *ram;
	uint64_t ram_base;
	uint64_t ram_size;
	int nr_vcpus;
	bool running;		/* answer for vcpus_running */
	bool have_run;		/* answer for vcpus_have_run */
	int lines[FAKE_MAX_CPUS][CPU_LINE_NR];
	unsigned int line_changes;
	struct bus *mmio;
	struct device *devices[FAKE_MAX_DEVICES];
};

/* @ram_size bytes of zeroed guest RAM at @ram_base. */
struct fake_host *fake_host_new(uint64_t ram_base, uint64_t ram_size,
				int nr_vcpus);
void fake_host_free(struct fake_host *fh);
/* Make @dev visible to find_device (the ITS looks up its GICv3). */
void fake_host_add_device(struct fake_host *fh, struct device *dev);

/* Guest-style MMIO accesses from vCPU @cpu through the recorded map. */
uint32_t fake_mmio_read32(struct fake_host *fh, int cpu, uint64_t gpa);
void fake_mmio_write32(struct fake_host *fh, int cpu, uint64_t gpa,
		       uint32_t val);
uint64_t fake_mmio_read64(struct fake_host *fh, int cpu, uint64_t gpa);
void fake_mmio_write64(struct fake_host *fh, int cpu, uint64_t gpa,
		       uint64_t val);
/* Returns the bus_access result (-ENOENT: nothing mapped there). */
int fake_mmio_access(struct fake_host *fh, int cpu, uint64_t gpa, void *data,
		     uint32_t len, bool is_write);

/* Pointer into fake guest RAM (NULL outside it). */
void *fake_ram(struct fake_host *fh, uint64_t gpa);

#endif
