// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_DEV_ARM_ITS_SAVE_TABLES / RESTORE_TABLES in ITS table ABI REV0
 * (arm-vgic-its.txt): 8-byte little-endian entries in the tables the
 * guest provisioned.
 *
 *   DTE  V[63] | next[62:49] | ITT_addr[51:8] in [48:5] | Size-1[4:0]
 *        at the device's slot of GITS_BASER0 (flat or two-level)
 *   ITE  next[63:48] | pINTID[47:16] | ICID[15:0]   (pINTID 0: invalid)
 *        at ITT_addr + EventID * 8
 *   CTE  V[63] | RDBase[51:16] | ICID[15:0], packed from the start of
 *        GITS_BASER1's table, ended by an invalid entry if not full
 *
 * "next" is the ID distance to the following valid entry (0: last),
 * capped at 2^14-1 (DTE) and 2^16-1 (ITE).  Restore follows those links,
 * stepping one entry at a time over invalid ones.  Runs with the lock
 * held and no vCPU running.
 */
#include <errno.h>

#include "gic/its.h"

/* ---- save ----------------------------------------------------------- */

static uint64_t next_field(int64_t from, int64_t to, uint64_t cap)
{
	if (to < 0)
		return 0;	/* the last entry */
	return (uint64_t)(to - from) < cap ? (uint64_t)(to - from) : cap;
}

static uint64_t dte_encode(uint64_t next, const struct its_device *d)
{
	return ITS_DTE_VALID | next << ITS_DTE_NEXT_SHIFT |
	       (d->itt_addr >> 8) << ITS_DTE_ITT_SHIFT | (d->nbits - 1);
}

static uint64_t ite_encode(uint64_t next, const struct its_ite *ite)
{
	return next << ITS_ITE_NEXT_SHIFT |
	       (uint64_t)ite->intid << ITS_ITE_PINTID_SHIFT | ite->icid;
}

static uint64_t cte_encode(const struct its_coll *c)
{
	return ITS_CTE_VALID | (uint64_t)c->target << ITS_CTE_RDBASE_SHIFT |
	       c->id;
}

static int its_save_itt(struct its *its, struct its_device *d)
{
	struct its_ite *ite;
	int ret;

	its_idmap_for_each(&d->ites, ev, ite) {
		int64_t next_ev = -1;
		uint64_t val = 0;

		its_idmap_next(&d->ites, (uint64_t)ev + 1, &next_ev);
		/*
		 * Orphaned by MAPC V=0, an ITE translates nothing and names
		 * no collection a restore could find: saved as an invalid
		 * entry, which KVM's chain still points at (its restore steps
		 * over it).
		 */
		if (ite->has_coll)
			val = ite_encode(next_field(ev, next_ev,
						    ITS_ITE_MAX_NEXT), ite);
		ret = its_write_entry(its, d->itt_addr + (uint64_t)ev * ITS_ESZ,
				      val);
		if (ret)
			return ret;
	}
	return 0;
}

/* Each device's ITT, then its DTE (KVM's order). */
static int its_save_device_table(struct its *its)
{
	struct its_device *d;
	uint64_t dte;
	int ret;

	if (!(its->baser_dev & GITS_BASER_VALID))
		return 0;
	its_idmap_for_each(&its->devices, devid, d) {
		int64_t next_id = -1;	/* stays -1 for the last device */

		its_idmap_next(&its->devices, (uint64_t)devid + 1, &next_id);
		if (!its_check_id(its, its->baser_dev, d->id, &dte))
			return -EINVAL;
		ret = its_save_itt(its, d);
		if (ret)
			return ret;
		ret = its_write_entry(its, dte,
				      dte_encode(next_field(devid, next_id,
							    ITS_DTE_MAX_NEXT),
						 d));
		if (ret)
			return ret;
	}
	return 0;
}

static int its_save_coll_table(struct its *its)
{
	uint64_t gpa = GITS_BASER_ADDR(its->baser_coll);
	uint64_t size = GITS_BASER_NR_PAGES(its->baser_coll) * ITS_L2_SIZE;
	uint64_t filled = 0;
	struct its_coll *c;
	int ret;

	if (!(its->baser_coll & GITS_BASER_VALID))
		return 0;
	its_idmap_for_each(&its->colls, icid, c) {
		/* The table shrank under its collections (BASER1 rewritten). */
		if (filled >= size)
			return -EINVAL;
		ret = its_write_entry(its, gpa + filled, cte_encode(c));
		if (ret)
			return ret;
		filled += ITS_ESZ;
	}
	return filled < size ? its_write_entry(its, gpa + filled, 0) : 0;
}

int its_save_tables(struct its *its)
{
	int ret = its_save_device_table(its);

	return ret ? ret : its_save_coll_table(its);
}

/* ---- restore -------------------------------------------------------- */

/*
 * Entry handlers return < 0 on error, 0 for the last entry, or how many
 * IDs ahead the next entry to read is.
 */
typedef int64_t (*its_entry_fn)(struct its *its, uint32_t id, uint64_t val,
				void *arg);

/*
 * Walk @size bytes of 8-byte entries at @gpa whose first has ID @id.
 * Returns < 0 on error, 0 when an entry said it was the last, 1 when
 * the walk left the table (or the ID space the ITS supports).
 */
static int its_scan(struct its *its, uint64_t gpa, uint64_t size, uint32_t id,
		    uint32_t id_limit, its_entry_fn fn, void *arg)
{
	uint64_t val;
	int64_t step;
	int ret;

	while (size >= ITS_ESZ && id < id_limit) {
		ret = its_read_entry(its, gpa, &val);
		if (ret)
			return ret;
		step = fn(its, id, val, arg);
		if (step <= 0)
			return (int)step;
		if ((uint64_t)step * ITS_ESZ >= size)
			break;
		id += (uint32_t)step;
		gpa += (uint64_t)step * ITS_ESZ;
		size -= (uint64_t)step * ITS_ESZ;
	}
	return 1;
}

static int64_t its_restore_ite(struct its *its, uint32_t event, uint64_t val,
			       void *arg)
{
	struct its_device *d = arg;
	uint32_t intid = (uint32_t)((val & ITS_ITE_PINTID_MASK) >>
				    ITS_ITE_PINTID_SHIFT);
	uint32_t icid = (uint32_t)(val & ITS_ITE_ICID_MASK);
	uint32_t next = (uint32_t)(val >> ITS_ITE_NEXT_SHIFT);
	struct its_gic g = its_gic(its);
	int ret;

	if (!intid)
		return 1;	/* invalid: look at the next slot */
	if (intid < GIC_LPI_BASE)
		return -EINVAL;
	if (g.ops && g.ops->lpi_id_bits && g.ops->lpi_id_bits(g.dev) < 32 &&
	    intid >= 1U << g.ops->lpi_id_bits(g.dev))
		return -EINVAL;
	if ((uint64_t)event + next >= 1ULL << d->nbits)
		return -EINVAL;
	if (!its_find_coll(its, icid))
		return -EINVAL;
	if (!its_check_event_id(its, d, event))
		return -EINVAL;
	ret = its_ite_add(d, event, intid, icid);
	if (ret)
		return ret;
	ret = its_lpi_created(its, icid, intid);
	if (ret)
		return ret;
	return next;
}

static int64_t its_restore_dte(struct its *its, uint32_t devid, uint64_t val,
			       void *arg)
{
	uint32_t next = (uint32_t)((val & ITS_DTE_NEXT_MASK) >>
				   ITS_DTE_NEXT_SHIFT);
	uint32_t nbits = (uint32_t)(val & ITS_DTE_SIZE_MASK) + 1;
	uint64_t itt = ((val & ITS_DTE_ITT_MASK) >> ITS_DTE_ITT_SHIFT) << 8;
	struct its_device *d;
	int ret;

	if (!(val & ITS_DTE_VALID))
		return 1;
	if (!its_check_id(its, its->baser_dev, devid, NULL))
		return -EINVAL;
	/* MAPD never makes an ITT wider than GITS_TYPER.IDbits. */
	if (nbits > ITS_EVENT_BITS)
		return -EINVAL;
	if (its_find_device(its, devid))
		return -EEXIST;
	ret = its_device_add(its, devid, itt, nbits, &d);
	if (ret)
		return ret;
	ret = its_scan(its, itt, (1ULL << nbits) * ITS_ESZ, 0, 1U << nbits,
		       its_restore_ite, d);
	if (ret < 0) {
		its_device_remove(its, d);
		return ret;
	}
	return next;
}

/* A level-1 entry of an indirect device table: walk its 64 KiB page. */
static int64_t its_restore_l1e(struct its *its, uint32_t index, uint64_t val,
			       void *arg)
{
	uint32_t per_page = ITS_L2_SIZE / ITS_ESZ;

	if (!(val & ITS_L1E_VALID))
		return 1;
	return its_scan(its, ITS_L1E_ADDR(val), ITS_L2_SIZE, index * per_page,
			1U << ITS_DEV_BITS, its_restore_dte, NULL);
}

static int its_restore_device_table(struct its *its)
{
	uint64_t baser = its->baser_dev;
	uint64_t size = GITS_BASER_NR_PAGES(baser) * ITS_L2_SIZE;
	uint32_t per_page = ITS_L2_SIZE / ITS_ESZ;
	int ret;

	if (!(baser & GITS_BASER_VALID))
		return 0;
	/* Walks stop at DeviceID 2^16: the ITS has no higher ones. */
	if (baser & GITS_BASER_INDIRECT)
		ret = its_scan(its, GITS_BASER_ADDR(baser), size, 0,
			       (1U << ITS_DEV_BITS) / per_page,
			       its_restore_l1e, NULL);
	else
		ret = its_scan(its, GITS_BASER_ADDR(baser), size, 0,
			       1U << ITS_DEV_BITS, its_restore_dte, NULL);
	if (ret < 0)
		its_free_devices(its);
	return ret < 0 ? ret : 0;
}

static int its_restore_cte(struct its *its, uint64_t val)
{
	uint32_t target = (uint32_t)(val >> ITS_CTE_RDBASE_SHIFT);
	uint32_t icid = (uint32_t)(val & ITS_CTE_ICID_MASK);

	if (target != ITS_COLL_UNMAPPED && (int64_t)target >= its_nr_cpus(its))
		return -EINVAL;
	if (its_find_coll(its, icid))
		return -EEXIST;
	if (!its_check_id(its, its->baser_coll, icid, NULL))
		return -EINVAL;
	return its_coll_add(its, icid, target, NULL);
}

static int its_restore_coll_table(struct its *its)
{
	uint64_t gpa = GITS_BASER_ADDR(its->baser_coll);
	uint64_t size = GITS_BASER_NR_PAGES(its->baser_coll) * ITS_L2_SIZE;
	uint64_t val;
	int ret = 0;

	if (!(its->baser_coll & GITS_BASER_VALID))
		return 0;
	for (uint64_t off = 0; off < size; off += ITS_ESZ) {
		ret = its_read_entry(its, gpa + off, &val);
		if (ret || !(val & ITS_CTE_VALID))
			break;	/* an invalid entry ends the table */
		ret = its_restore_cte(its, val);
		if (ret)
			break;
	}
	if (ret)
		its_free_colls(its);
	return ret;
}

/* Collections first: ITEs name them. */
int its_restore_tables(struct its *its)
{
	int ret = its_restore_coll_table(its);

	if (ret)
		return ret;
	ret = its_restore_device_table(its);
	if (ret)
		its_free_colls(its);
	return ret;
}
