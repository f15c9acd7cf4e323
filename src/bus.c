// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO/PIO bus.  Readers (vCPU threads) load the current table with one
 * atomic acquire and binary-search it; writers (device set-up, rare)
 * build a new sorted copy under a mutex and publish it.  Old tables are
 * kept until bus_destroy, so a reader never sees freed memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kvmkit/bus.h"

struct bus_table {
	unsigned int nr;
	struct bus_table *older;	/* retired tables, freed at destroy */
	struct bus_range r[];
};

struct bus {
	const char *name;
	pthread_mutex_t lock;
	struct bus_table *table;
};

static struct bus_table *table_alloc(unsigned int nr)
{
	return calloc(1, sizeof(struct bus_table) + nr * sizeof(struct bus_range));
}

struct bus *bus_create(const char *name)
{
	struct bus *bus = calloc(1, sizeof(*bus));

	if (!bus)
		return NULL;
	bus->name = name;
	pthread_mutex_init(&bus->lock, NULL);
	bus->table = table_alloc(0);
	if (!bus->table) {
		free(bus);
		return NULL;
	}
	return bus;
}

void bus_destroy(struct bus *bus)
{
	struct bus_table *t, *older;

	if (!bus)
		return;
	for (t = bus->table; t; t = older) {
		older = t->older;
		free(t);
	}
	pthread_mutex_destroy(&bus->lock);
	free(bus);
}

static void publish(struct bus *bus, struct bus_table *t)
{
	t->older = bus->table;
	__atomic_store_n(&bus->table, t, __ATOMIC_RELEASE);
}

/* Index of the first range whose base is greater than @addr. */
static unsigned int upper_bound(const struct bus_table *t, uint64_t addr)
{
	unsigned int lo = 0, hi = t->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t->r[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int bus_register(struct bus *bus, uint64_t base, uint64_t len,
		 bus_access_fn fn, void *opaque, const char *name)
{
	struct bus_table *old, *t;
	unsigned int pos;

	if (!len || !fn || base + len - 1 < base)
		return -EINVAL;
	pthread_mutex_lock(&bus->lock);
	old = bus->table;
	pos = upper_bound(old, base);
	/* The neighbours on either side must not overlap [base, base+len). */
	if ((pos > 0 && old->r[pos - 1].base + old->r[pos - 1].len - 1 >= base) ||
	    (pos < old->nr && old->r[pos].base <= base + len - 1)) {
		pthread_mutex_unlock(&bus->lock);
		return -EEXIST;
	}
	t = table_alloc(old->nr + 1);
	if (!t) {
		pthread_mutex_unlock(&bus->lock);
		return -ENOMEM;
	}
	t->nr = old->nr + 1;
	memcpy(t->r, old->r, pos * sizeof(t->r[0]));
	t->r[pos] = (struct bus_range){ base, len, fn, opaque, name };
	memcpy(&t->r[pos + 1], &old->r[pos], (old->nr - pos) * sizeof(t->r[0]));
	publish(bus, t);
	pthread_mutex_unlock(&bus->lock);
	return 0;
}

int bus_unregister(struct bus *bus, uint64_t base)
{
	struct bus_table *old, *t;
	unsigned int pos;

	pthread_mutex_lock(&bus->lock);
	old = bus->table;
	pos = upper_bound(old, base);
	if (pos == 0 || old->r[pos - 1].base != base) {
		pthread_mutex_unlock(&bus->lock);
		return -ENOENT;
	}
	pos--;
	t = table_alloc(old->nr - 1);
	if (!t) {
		pthread_mutex_unlock(&bus->lock);
		return -ENOMEM;
	}
	t->nr = old->nr - 1;
	memcpy(t->r, old->r, pos * sizeof(t->r[0]));
	memcpy(&t->r[pos], &old->r[pos + 1], (t->nr - pos) * sizeof(t->r[0]));
	publish(bus, t);
	pthread_mutex_unlock(&bus->lock);
	return 0;
}

const struct bus_range *bus_find(struct bus *bus, uint64_t addr, uint32_t len)
{
	const struct bus_table *t = __atomic_load_n(&bus->table, __ATOMIC_ACQUIRE);
	unsigned int pos = upper_bound(t, addr);
	const struct bus_range *r;

	if (pos == 0)
		return NULL;
	r = &t->r[pos - 1];
	if (addr - r->base >= r->len || len > r->len - (addr - r->base))
		return NULL;
	return r;
}

int bus_access(struct bus *bus, int cpu, uint64_t addr, void *data,
	       uint32_t len, bool is_write)
{
	const struct bus_range *r = bus_find(bus, addr, len);

	if (!r)
		return -ENOENT;
	return r->fn(r->opaque, cpu, addr - r->base, data, len, is_write);
}

unsigned int bus_count(struct bus *bus)
{
	return __atomic_load_n(&bus->table, __ATOMIC_ACQUIRE)->nr;
}
