/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM's address-space buses: one for MMIO, one for port I/O.  Devices
 * register ranges with an access handler; vCPU exits are dispatched by a
 * binary search over an immutable sorted array, so lookups take no lock.
 */
#ifndef KVMKIT_BUS_H
#define KVMKIT_BUS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Handle one guest access.  @offset is relative to the registered base,
 * @cpu is the accessing vCPU's index (or -1 for accesses from the VMM).
 * Returns 0 or a negative errno; an error is logged by the caller and a
 * failed read returns zeroes to the guest.
 */
typedef int (*bus_access_fn)(void *opaque, int cpu, uint64_t offset,
			     void *data, uint32_t len, bool is_write);

struct bus_range {
	uint64_t base;
	uint64_t len;
	bus_access_fn fn;
	void *opaque;
	const char *name;
};

struct bus;

struct bus *bus_create(const char *name);
void bus_destroy(struct bus *bus);

/* -EINVAL for an empty or wrapping range, -EEXIST when it overlaps. */
int bus_register(struct bus *bus, uint64_t base, uint64_t len,
		 bus_access_fn fn, void *opaque, const char *name);
/* -ENOENT when no range starts at @base. */
int bus_unregister(struct bus *bus, uint64_t base);

/* The range holding [addr, addr + len), or NULL. */
const struct bus_range *bus_find(struct bus *bus, uint64_t addr, uint32_t len);

/* Dispatch one access; -ENOENT when no device claims it. */
int bus_access(struct bus *bus, int cpu, uint64_t addr, void *data,
	       uint32_t len, bool is_write);

/* Number of registered ranges (for tests and `--debug` dumps). */
unsigned int bus_count(struct bus *bus);

/*
 * Access data is the bytes of the guest's load or store, as in kvm_run:
 * little-endian on every guest kvmkit runs.  Models decode it with these,
 * never with a host-order cast, so they also work on a big-endian host.
 */
static inline uint64_t bus_get_le(const void *data, uint32_t len)
{
	const uint8_t *b = data;
	uint64_t v = 0;

	for (uint32_t i = len; i-- > 0;)
		v = v << 8 | b[i];
	return v;
}

static inline void bus_put_le(void *data, uint32_t len, uint64_t v)
{
	uint8_t *b = data;

	for (uint32_t i = 0; i < len; i++, v >>= 8)
		b[i] = (uint8_t)v;
}

#endif
