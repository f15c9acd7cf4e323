// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS command queue: 32-byte commands read from the ring at
 * GITS_CBASER between GITS_CREADR and GITS_CWRITER, dispatched through a
 * table indexed by command number.  A command with bad arguments is
 * dropped (KVM returns the architectural error code internally and
 * carries on); so is a command slot that is not guest RAM.  Runs with
 * the ITS lock held.
 */
#include <errno.h>

#include "kvmkit/bus.h"
#include "kvmkit/log.h"
#include "gic/its.h"

enum its_cmd_nr {
	GITS_CMD_MOVI = 0x01,
	GITS_CMD_INT = 0x03,
	GITS_CMD_CLEAR = 0x04,
	GITS_CMD_SYNC = 0x05,
	GITS_CMD_MAPD = 0x08,
	GITS_CMD_MAPC = 0x09,
	GITS_CMD_MAPTI = 0x0a,
	GITS_CMD_MAPI = 0x0b,
	GITS_CMD_INV = 0x0c,
	GITS_CMD_INVALL = 0x0d,
	GITS_CMD_MOVALL = 0x0e,
	GITS_CMD_DISCARD = 0x0f,
};

/* Architectural command errors (GICv3 spec), only logged. */
enum its_cmd_err {
	E_ITS_MOVI_UNMAPPED_INTERRUPT = 0x010107,
	E_ITS_MOVI_UNMAPPED_COLLECTION = 0x010109,
	E_ITS_INT_UNMAPPED_INTERRUPT = 0x010307,
	E_ITS_CLEAR_UNMAPPED_INTERRUPT = 0x010507,
	E_ITS_MAPD_DEVICE_OOR = 0x010801,
	E_ITS_MAPD_ITTSIZE_OOR = 0x010802,
	E_ITS_MAPC_PROCNUM_OOR = 0x010902,
	E_ITS_MAPC_COLLECTION_OOR = 0x010903,
	E_ITS_MAPTI_UNMAPPED_DEVICE = 0x010a04,
	E_ITS_MAPTI_ID_OOR = 0x010a05,
	E_ITS_MAPTI_PHYSICALID_OOR = 0x010a06,
	E_ITS_INV_UNMAPPED_INTERRUPT = 0x010c07,
	E_ITS_INVALL_UNMAPPED_COLLECTION = 0x010d09,
	E_ITS_MOVALL_PROCNUM_OOR = 0x010e01,
	E_ITS_DISCARD_UNMAPPED_INTERRUPT = 0x010f07,
};

static uint64_t field(const uint64_t *cmd, int word, int shift, int bits)
{
	return (cmd[word] >> shift) & ((1ULL << bits) - 1);
}

#define cmd_nr(c) ((uint32_t)field(c, 0, 0, 8))
#define cmd_devid(c) ((uint32_t)field(c, 0, 32, 32))
#define cmd_size(c) ((uint32_t)field(c, 1, 0, 5) + 1)
#define cmd_event(c) ((uint32_t)field(c, 1, 0, 32))
#define cmd_pintid(c) ((uint32_t)field(c, 1, 32, 32))
#define cmd_icid(c) ((uint32_t)field(c, 2, 0, 16))
#define cmd_itt(c) (field(c, 2, 8, 44) << 8)
#define cmd_rdbase(c) ((uint32_t)field(c, 2, 16, 32))
#define cmd_rdbase2(c) ((uint32_t)field(c, 3, 16, 32))
#define cmd_valid(c) (field(c, 2, 63, 1) != 0)

/* LPI INTIDs the GIC accepts: [8192, 1 << IDbits). */
static uint64_t its_lpi_limit(struct its_gic g)
{
	unsigned int bits = ITS_EVENT_BITS;

	if (g.ops && g.ops->lpi_id_bits)
		bits = g.ops->lpi_id_bits(g.dev);
	return bits >= 32 ? 1ULL << 32 : 1ULL << bits;
}

/* Translate (DeviceID, EventID) and make the LPI pending: INT and MSIs. */
int its_trigger(struct its *its, uint32_t devid, uint32_t event)
{
	struct its_ite *ite;
	struct its_coll *c;
	struct its_gic g;

	if (!its->enabled)
		return -EBUSY;
	ite = its_find_ite(its, devid, event, NULL);
	c = ite ? its_ite_coll(its, ite) : NULL;
	if (!c || (int64_t)c->target >= its_nr_cpus(its))
		return E_ITS_INT_UNMAPPED_INTERRUPT;
	g = its_gic(its);
	if (!g.ops)
		return -ENODEV;
	/* KVM refuses while the target redistributor has LPIs off. */
	if (!g.ops->lpis_enabled(g.dev, (int)c->target))
		return -EBUSY;
	return g.ops->set_pending(g.dev, (int)c->target, ite->intid);
}

static int its_cmd_mapd(struct its *its, const uint64_t *cmd)
{
	uint32_t devid = cmd_devid(cmd), nbits = cmd_size(cmd);
	struct its_device *d;
	uint64_t dte;

	if (!its_check_id(its, its->baser_dev, devid, &dte))
		return E_ITS_MAPD_DEVICE_OOR;
	if (cmd_valid(cmd) && nbits > ITS_EVENT_BITS)
		return E_ITS_MAPD_ITTSIZE_OOR;
	/* Re-mapping drops the old ITT's translations and LPIs (KVM). */
	d = its_find_device(its, devid);
	if (d)
		its_device_forget(its, d);
	/* Unmapping also clears the saved DTE, so no stale entry is restored. */
	if (!cmd_valid(cmd))
		return its_write_entry(its, dte, 0);
	return its_device_add(its, devid, cmd_itt(cmd), nbits, NULL);
}

/* Move the pending state of every LPI of collection @c to its new target. */
static void its_coll_retarget(struct its *its, struct its_coll *c,
			      uint32_t target)
{
	struct its_gic g = its_gic(its);
	uint32_t old = c->target;
	struct its_device *d;
	struct its_ite *ite;

	c->target = target;
	if (old == ITS_COLL_UNMAPPED || old == target || !g.ops)
		return;
	its_idmap_for_each(&its->devices, devid, d) {
		its_idmap_for_each(&d->ites, event, ite)
			if (ite->has_coll && ite->icid == c->id)
				g.ops->move(g.dev, ite->intid, (int)old,
					    (int)target);
	}
}

static int its_cmd_mapc(struct its *its, const uint64_t *cmd)
{
	uint32_t icid = cmd_icid(cmd), target = cmd_rdbase(cmd);
	struct its_coll *c;

	if (!cmd_valid(cmd)) {
		its_coll_remove(its, icid);
		return 0;
	}
	/* GITS_TYPER.PTA == 0: RDbase is the vCPU (processor) number. */
	if ((int64_t)target >= its_nr_cpus(its))
		return E_ITS_MAPC_PROCNUM_OOR;
	c = its_find_coll(its, icid);
	if (c) {
		its_coll_retarget(its, c, target);
		return 0;
	}
	if (!its_check_id(its, its->baser_coll, icid, NULL))
		return E_ITS_MAPC_COLLECTION_OOR;
	return its_coll_add(its, icid, target, NULL);
}

/*
 * What KVM does when it creates an LPI for a new ITE: read its
 * configuration, then (if the collection has a target) its pending bit.
 */
int its_lpi_created(struct its *its, uint32_t icid, uint32_t intid)
{
	struct its_gic g = its_gic(its);
	struct its_coll *c = its_find_coll(its, icid);
	int ret = 0;

	if (g.ops && g.ops->invalidate)
		ret = g.ops->invalidate(g.dev, intid);
	if (!ret && g.ops && g.ops->sync_pending && c &&
	    c->target != ITS_COLL_UNMAPPED)
		ret = g.ops->sync_pending(g.dev, (int)c->target, intid);
	return ret;
}

/* MAPTI, and MAPI where the LPI is the EventID. */
static int its_cmd_mapti(struct its *its, const uint64_t *cmd)
{
	uint32_t event = cmd_event(cmd), icid = cmd_icid(cmd), intid;
	struct its_gic g = its_gic(its);
	struct its_device *d = its_find_device(its, cmd_devid(cmd));
	bool new_coll = false;
	int ret;

	if (!d)
		return E_ITS_MAPTI_UNMAPPED_DEVICE;
	if (!its_check_event_id(its, d, event))
		return E_ITS_MAPTI_ID_OOR;
	intid = cmd_nr(cmd) == GITS_CMD_MAPTI ? cmd_pintid(cmd) : event;
	if (intid < GIC_LPI_BASE || intid >= its_lpi_limit(g))
		return E_ITS_MAPTI_PHYSICALID_OOR;
	/* Mapping a mapped EventID is UNPREDICTABLE: KVM keeps the old. */
	if (its_idmap_get(&d->ites, event))
		return 0;
	if (!its_find_coll(its, icid)) {
		if (!its_check_id(its, its->baser_coll, icid, NULL))
			return E_ITS_MAPC_COLLECTION_OOR;
		/* An ICID not yet mapped by MAPC exists, unmapped (KVM). */
		ret = its_coll_add(its, icid, ITS_COLL_UNMAPPED, NULL);
		if (ret)
			return ret;
		new_coll = true;
	}
	ret = its_ite_add(d, event, intid, icid);
	/*
	 * KVM reads the LPI's configuration when it maps it, and its bit
	 * in the target's pending table (dropping the command if either
	 * is not guest RAM).
	 */
	if (!ret)
		ret = its_lpi_created(its, icid, intid);
	if (ret)
		its_ite_remove(d, event);
	if (ret && new_coll)
		its_coll_remove(its, icid);
	return ret;
}

static int its_cmd_movi(struct its *its, const uint64_t *cmd)
{
	struct its_ite *ite = its_find_ite(its, cmd_devid(cmd), cmd_event(cmd),
					   NULL);
	struct its_coll *from, *to;
	struct its_gic g;

	if (!ite)
		return E_ITS_MOVI_UNMAPPED_INTERRUPT;
	from = its_ite_coll(its, ite);
	to = its_find_coll(its, cmd_icid(cmd));
	if (!from || !to || to->target == ITS_COLL_UNMAPPED)
		return E_ITS_MOVI_UNMAPPED_COLLECTION;
	ite->icid = to->id;
	g = its_gic(its);
	if (g.ops && from->target != to->target)
		return g.ops->move(g.dev, ite->intid, (int)from->target,
				   (int)to->target);
	return 0;
}

static int its_cmd_discard(struct its *its, const uint64_t *cmd)
{
	uint32_t event = cmd_event(cmd);
	struct its_gic g = its_gic(its);
	struct its_device *d;
	struct its_ite *ite = its_find_ite(its, cmd_devid(cmd), event, &d);
	struct its_coll *c = ite ? its_ite_coll(its, ite) : NULL;

	if (!c)
		return E_ITS_DISCARD_UNMAPPED_INTERRUPT;
	if (g.ops)
		g.ops->clear_pending(g.dev, (int)c->target, ite->intid);
	its_ite_remove(d, event);
	/* Clear the ITE in the ITT too, as KVM does, so a restore skips it. */
	return its_write_entry(its, d->itt_addr + (uint64_t)event * ITS_ESZ, 0);
}

static int its_cmd_clear(struct its *its, const uint64_t *cmd)
{
	struct its_ite *ite = its_find_ite(its, cmd_devid(cmd), cmd_event(cmd),
					   NULL);
	struct its_gic g = its_gic(its);
	struct its_coll *c;

	if (!ite)
		return E_ITS_CLEAR_UNMAPPED_INTERRUPT;
	if (!g.ops)
		return 0;
	c = its_ite_coll(its, ite);
	if (c)
		return g.ops->clear_pending(g.dev, (int)c->target, ite->intid);
	/* No target any more: KVM's LPI is one object, clear it anywhere. */
	for (int cpu = 0; cpu < its_nr_cpus(its); cpu++)
		g.ops->clear_pending(g.dev, cpu, ite->intid);
	return 0;
}

static int its_cmd_inv(struct its *its, const uint64_t *cmd)
{
	struct its_ite *ite = its_find_ite(its, cmd_devid(cmd), cmd_event(cmd),
					   NULL);
	struct its_gic g = its_gic(its);

	if (!ite)
		return E_ITS_INV_UNMAPPED_INTERRUPT;
	return g.ops ? g.ops->invalidate(g.dev, ite->intid) : 0;
}

static int its_cmd_invall(struct its *its, const uint64_t *cmd)
{
	struct its_coll *c = its_find_coll(its, cmd_icid(cmd));
	struct its_gic g = its_gic(its);

	if (!c || c->target == ITS_COLL_UNMAPPED)
		return E_ITS_INVALL_UNMAPPED_COLLECTION;
	return g.ops ? g.ops->invalidate_all(g.dev, (int)c->target) : 0;
}

static int its_cmd_int(struct its *its, const uint64_t *cmd)
{
	return its_trigger(its, cmd_devid(cmd), cmd_event(cmd));
}

static int its_cmd_sync(struct its *its, const uint64_t *cmd)
{
	return 0;	/* every command takes effect before the next */
}

/*
 * The pending state moves; translations keep following the collection
 * table (software re-maps the collections around a MOVALL).
 */
static int its_cmd_movall(struct its *its, const uint64_t *cmd)
{
	uint32_t from = cmd_rdbase(cmd), to = cmd_rdbase2(cmd);
	int nr = its_nr_cpus(its);
	struct its_gic g = its_gic(its);

	if ((int64_t)from >= nr || (int64_t)to >= nr)
		return E_ITS_MOVALL_PROCNUM_OOR;
	if (from == to || !g.ops)
		return 0;
	return g.ops->move_all(g.dev, (int)from, (int)to);
}

typedef int (*its_cmd_fn)(struct its *its, const uint64_t *cmd);

static const its_cmd_fn its_cmd_table[256] = {
	[GITS_CMD_MOVI] = its_cmd_movi,
	[GITS_CMD_INT] = its_cmd_int,
	[GITS_CMD_CLEAR] = its_cmd_clear,
	[GITS_CMD_SYNC] = its_cmd_sync,
	[GITS_CMD_MAPD] = its_cmd_mapd,
	[GITS_CMD_MAPC] = its_cmd_mapc,
	[GITS_CMD_MAPTI] = its_cmd_mapti,
	[GITS_CMD_MAPI] = its_cmd_mapti,
	[GITS_CMD_INV] = its_cmd_inv,
	[GITS_CMD_INVALL] = its_cmd_invall,
	[GITS_CMD_MOVALL] = its_cmd_movall,
	[GITS_CMD_DISCARD] = its_cmd_discard,
};

static void its_handle_command(struct its *its, const uint8_t *buf)
{
	uint64_t cmd[4];
	its_cmd_fn fn;
	int ret;

	for (int i = 0; i < 4; i++)
		cmd[i] = bus_get_le(buf + 8 * i, 8);
	fn = its_cmd_table[cmd_nr(cmd)];
	if (!fn) {
		pr_debug("%s: unknown command 0x%02x ignored", its->dev->name,
			 cmd_nr(cmd));
		return;
	}
	ret = fn(its, cmd);
	if (ret)
		pr_debug("%s: command 0x%02x dropped (%#x)", its->dev->name,
			 cmd_nr(cmd), (unsigned int)ret);
}

/*
 * Consume commands until CREADR meets CWRITER.  Both are below the queue
 * size (CWRITER/CREADR writes are checked, a CBASER write zeroes them),
 * so the loop ends within one lap; the bound is belt and braces.
 */
void its_process_commands(struct its *its)
{
	uint64_t qsize = GITS_CBASER_QUEUE_SIZE(its->cbaser);
	uint64_t qbase = GITS_CBASER_ADDR(its->cbaser);
	uint8_t buf[ITS_CMD_SIZE];

	if (!its->enabled)
		return;
	for (uint64_t n = qsize / ITS_CMD_SIZE; n && its->creadr != its->cwriter;
	     n--) {
		/* A slot outside guest RAM is skipped, as KVM does. */
		if (!devhost_guest_read(its->host, qbase + its->creadr, buf,
					sizeof(buf)))
			its_handle_command(its, buf);
		its->creadr += ITS_CMD_SIZE;
		if (its->creadr >= qsize)
			its->creadr = 0;
	}
}
