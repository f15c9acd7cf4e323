// SPDX-License-Identifier: GPL-2.0
/*
 * ITS bookkeeping: the devices, collections and ITEs the commands and
 * the table restore build, the table-address checks (KVM's
 * vgic_its_check_id semantics) and guest-RAM entry access.  Everything
 * here runs with the ITS lock held.
 */
#include <errno.h>
#include <stdlib.h>

#include "kvmkit/bus.h"
#include "gic/its.h"

struct its_gic its_gic(struct its *its)
{
	struct its_gic g;

	g.dev = devhost_find_device(its->host, KVM_DEV_TYPE_ARM_VGIC_V3);
	g.ops = gicv3_lpi_ops_of(g.dev);
	return g;
}

/* Redistributors are what MAPC/MOVALL target; without a GIC, vCPUs. */
int its_nr_cpus(struct its *its)
{
	struct its_gic g = its_gic(its);

	if (g.ops && g.ops->nr_redists)
		return g.ops->nr_redists(g.dev);
	return devhost_nr_vcpus(its->host);
}

/* Table entries are little-endian in guest RAM whatever the host is. */
int its_read_entry(struct its *its, uint64_t gpa, uint64_t *val)
{
	uint8_t b[8];
	int ret = devhost_guest_read(its->host, gpa, b, sizeof(b));

	if (ret)
		return ret < 0 ? ret : -EFAULT;
	*val = bus_get_le(b, sizeof(b));
	return 0;
}

int its_write_entry(struct its *its, uint64_t gpa, uint64_t val)
{
	uint8_t b[8];
	int ret;

	bus_put_le(b, sizeof(b), val);
	ret = devhost_guest_write(its->host, gpa, b, sizeof(b));
	return ret ? (ret < 0 ? ret : -EFAULT) : 0;
}

/* KVM asks whether the page is guest memory; an entry read answers. */
bool its_gpa_ok(struct its *its, uint64_t gpa)
{
	uint64_t val;

	return its_read_entry(its, gpa, &val) == 0;
}

/*
 * Can @id live in the table described by @baser?  Range check against
 * the ITS's ID width and the table size, the level-1 entry for an
 * indirect table, and the entry address must be guest RAM.  *@eaddr gets
 * the entry's address.
 */
bool its_check_id(struct its *its, uint64_t baser, uint32_t id,
		  uint64_t *eaddr)
{
	uint64_t size = GITS_BASER_NR_PAGES(baser) * ITS_L2_SIZE;
	uint64_t base = GITS_BASER_ADDR(baser);
	uint64_t esz = GITS_BASER_ESZ(baser);
	uint64_t per_page = ITS_L2_SIZE / esz;
	uint64_t addr, l1e;

	switch (GITS_BASER_TYPE(baser)) {
	case GITS_BASER_TYPE_DEVICE:
		if (id >= 1U << ITS_DEV_BITS)
			return false;
		break;
	case GITS_BASER_TYPE_COLLECTION:
		if (id >= 1U << ITS_COLL_BITS)
			return false;
		break;
	default:
		return false;
	}

	if (!(baser & GITS_BASER_INDIRECT)) {
		if (id >= size / esz)
			return false;
		addr = base + id * esz;
	} else {
		if (id / per_page >= size / sizeof(uint64_t))
			return false;
		if (its_read_entry(its, base + id / per_page * sizeof(uint64_t),
				   &l1e))
			return false;
		if (!(l1e & ITS_L1E_VALID))
			return false;
		addr = ITS_L1E_ADDR(l1e) + id % per_page * esz;
	}
	if (eaddr)
		*eaddr = addr;
	return its_gpa_ok(its, addr);
}

/* EventID within the device's ITT size, and its ITE slot in guest RAM. */
bool its_check_event_id(struct its *its, const struct its_device *d,
			uint32_t event)
{
	if (event >= 1ULL << d->nbits)
		return false;
	return its_gpa_ok(its, d->itt_addr + (uint64_t)event * ITS_ESZ);
}

struct its_device *its_find_device(struct its *its, uint32_t devid)
{
	return its_idmap_get(&its->devices, devid);
}

struct its_ite *its_find_ite(struct its *its, uint32_t devid, uint32_t event,
			     struct its_device **dev)
{
	struct its_device *d = its_find_device(its, devid);

	if (dev)
		*dev = d;
	return d ? its_idmap_get(&d->ites, event) : NULL;
}

struct its_coll *its_find_coll(struct its *its, uint32_t icid)
{
	return its_idmap_get(&its->colls, icid);
}

struct its_coll *its_ite_coll(struct its *its, const struct its_ite *ite)
{
	struct its_coll *c;

	if (!ite->has_coll)
		return NULL;
	c = its_find_coll(its, ite->icid);
	return c && c->target != ITS_COLL_UNMAPPED ? c : NULL;
}

int its_device_add(struct its *its, uint32_t devid, uint64_t itt_addr,
		   uint32_t nbits, struct its_device **out)
{
	struct its_device *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return -ENOMEM;
	d->id = devid;
	d->nbits = nbits;
	d->itt_addr = itt_addr;
	its_idmap_init(&d->ites, nbits);
	ret = its_idmap_set(&its->devices, devid, d);
	if (ret) {
		free(d);
		return ret;
	}
	if (out)
		*out = d;
	return 0;
}

static void its_device_free(void *p)
{
	struct its_device *d = p;

	its_idmap_clear(&d->ites, free);
	free(d);
}

void its_device_remove(struct its *its, struct its_device *d)
{
	its_idmap_take(&its->devices, d->id);
	its_device_free(d);
}

int its_coll_add(struct its *its, uint32_t icid, uint32_t target,
		 struct its_coll **out)
{
	struct its_coll *c = calloc(1, sizeof(*c));
	int ret;

	if (!c)
		return -ENOMEM;
	c->id = (uint16_t)icid;
	c->target = target;
	ret = its_idmap_set(&its->colls, icid, c);
	if (ret) {
		free(c);
		return ret;
	}
	if (out)
		*out = c;
	return 0;
}

/*
 * Unmapping a collection leaves its ITEs pointing nowhere (KVM drops
 * the ITE's collection pointer): they stay unusable until re-mapped
 * with MAPD, even if the ICID is mapped again.
 */
void its_coll_remove(struct its *its, uint32_t icid)
{
	struct its_coll *c = its_idmap_take(&its->colls, icid);
	struct its_device *d;
	struct its_ite *ite;

	if (!c)
		return;
	its_idmap_for_each(&its->devices, devid, d) {
		its_idmap_for_each(&d->ites, event, ite)
			if (ite->has_coll && ite->icid == icid)
				ite->has_coll = false;
	}
	free(c);
}

int its_ite_add(struct its_device *d, uint32_t event, uint32_t intid,
		uint32_t icid)
{
	struct its_ite *ite = calloc(1, sizeof(*ite));
	int ret;

	if (!ite)
		return -ENOMEM;
	ite->intid = intid;
	ite->icid = (uint16_t)icid;
	ite->has_coll = true;
	ret = its_idmap_set(&d->ites, event, ite);
	if (ret)
		free(ite);
	return ret;
}

void its_ite_remove(struct its_device *d, uint32_t event)
{
	free(its_idmap_take(&d->ites, event));
}

void its_free_devices(struct its *its)
{
	its_idmap_clear(&its->devices, its_device_free);
}

/*
 * KVM frees an unmapped device's LPIs, and their pending state with
 * them: clear it on the target (on every vCPU without a collection).
 */
static void its_device_clear_pending(struct its *its, struct its_device *d)
{
	struct its_gic g = its_gic(its);
	struct its_ite *ite;

	if (!g.ops)
		return;
	its_idmap_for_each(&d->ites, ev, ite) {
		struct its_coll *c = its_ite_coll(its, ite);

		for (int cpu = 0; cpu < its_nr_cpus(its); cpu++)
			if (!c || c->target == (uint32_t)cpu)
				g.ops->clear_pending(g.dev, cpu, ite->intid);
	}
}

void its_device_forget(struct its *its, struct its_device *d)
{
	its_device_clear_pending(its, d);
	its_device_remove(its, d);
}

void its_forget_devices(struct its *its)
{
	struct its_device *d;

	its_idmap_for_each(&its->devices, id, d)
		its_device_clear_pending(its, d);
	its_free_devices(its);
}

void its_free_colls(struct its *its)
{
	struct its_coll *c;

	its_idmap_for_each(&its->colls, icid, c)
		its_coll_remove(its, (uint32_t)icid);
	its_idmap_clear(&its->colls, NULL);
}
