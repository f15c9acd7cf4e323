// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 LPIs: the configuration (property) table shared by all
 * redistributors, each vCPU's pending bits and its pending table in
 * guest RAM, and the struct gicv3_lpi_ops an ITS drives them with.
 *
 * Pending state lives in the model while EnableLPIs is set: the table
 * is read (and the consumed bits cleared, as KVM does) when LPIs are
 * enabled, and written back by KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES.
 * Configuration bytes are cached per LPI until an invalidation (INV,
 * INVALL, GICR_INVLPIR/INVALLR, a PROPBASER write, enabling LPIs).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gic/gicv3_int.h"
#include "gic/gicv3_lpi.h"

#define LPI_WORDS	(GICV3_NR_LPIS / 64)
#define PROP_PA_MASK	0x000ffffffffff000ULL	/* [51:12] */
#define PEND_PA_MASK	0x000fffffffff0000ULL	/* [51:16] */
#define LPI_CFG_ENABLE	0x01
#define CHUNK		1024u

int gicv3_lpi_alloc(struct gicv3 *g)
{
	g->lpi_cfg = calloc(GICV3_NR_LPIS, 1);
	g->lpi_cfg_valid = calloc(LPI_WORDS, sizeof(uint64_t));
	if (!g->lpi_cfg || !g->lpi_cfg_valid)
		return -ENOMEM;
	for (int i = 0; i < g->nr_vcpus; i++) {
		g->vcpus[i].lpi_pending = calloc(LPI_WORDS, sizeof(uint64_t));
		if (!g->vcpus[i].lpi_pending)
			return -ENOMEM;
	}
	return 0;
}

void gicv3_lpi_free(struct gicv3 *g)
{
	for (int i = 0; g->vcpus && i < g->nr_vcpus; i++)
		free(g->vcpus[i].lpi_pending);
	free(g->lpi_cfg);
	free(g->lpi_cfg_valid);
}

/*
 * One past the highest usable LPI: the smaller of GICD_TYPER.IDbits and
 * PROPBASER.IDbits; below 14 bits there are no LPIs at all.
 */
uint32_t gicv3_lpi_limit(struct gicv3 *g)
{
	unsigned int bits = (unsigned int)(g->propbaser & 0x1f) + 1;

	if (bits > gicv3_id_bits(g))
		bits = gicv3_id_bits(g);
	return bits < 14 ? GICV3_LPI_BASE : 1u << bits;
}

static bool lpis_on(struct gicv3 *g, int vcpu)
{
	return g->vcpus[vcpu].ctlr & GICR_CTLR_ENABLE_LPIS;
}

static bool test_bit64(const uint64_t *map, uint32_t n)
{
	return map[n / 64] >> (n % 64) & 1;
}

static void set_pending_bit(struct gicv3_vcpu *v, uint32_t intid)
{
	uint32_t n = intid - GICV3_LPI_BASE;

	if (!test_bit64(v->lpi_pending, n)) {
		v->lpi_pending[n / 64] |= 1ULL << (n % 64);
		v->nr_lpi_pending++;
	}
}

void gicv3_lpi_clear_locked(struct gicv3 *g, int vcpu, uint32_t intid)
{
	struct gicv3_vcpu *v = &g->vcpus[vcpu];
	uint32_t n = intid - GICV3_LPI_BASE;

	if (test_bit64(v->lpi_pending, n)) {
		v->lpi_pending[n / 64] &= ~(1ULL << (n % 64));
		v->nr_lpi_pending--;
	}
}

/* (Re)read one property byte; a table outside RAM reads as disabled. */
static int cfg_load(struct gicv3 *g, uint32_t intid)
{
	uint32_t n = intid - GICV3_LPI_BASE;
	uint64_t addr = (g->propbaser & PROP_PA_MASK) + n;
	uint8_t b = 0;
	int ret = 0;

	if (intid >= gicv3_lpi_limit(g))
		ret = -EINVAL;
	else
		ret = devhost_guest_read(g->host, addr, &b, 1);
	g->lpi_cfg[n] = ret ? 0 : b;
	g->lpi_cfg_valid[n / 64] |= 1ULL << (n % 64);
	return ret;
}

static uint8_t cfg_get(struct gicv3 *g, uint32_t intid)
{
	uint32_t n = intid - GICV3_LPI_BASE;

	if (!test_bit64(g->lpi_cfg_valid, n))
		cfg_load(g, intid);
	return g->lpi_cfg[n];
}

void gicv3_lpi_invalidate_locked(struct gicv3 *g, uint32_t intid)
{
	if (g->lpi_cfg && intid >= GICV3_LPI_BASE &&
	    intid < GICV3_LPI_BASE + GICV3_NR_LPIS)
		cfg_load(g, intid);
}

void gicv3_lpi_invalidate_all_locked(struct gicv3 *g)
{
	if (g->lpi_cfg_valid)
		memset(g->lpi_cfg_valid, 0, LPI_WORDS * sizeof(uint64_t));
}

bool gicv3_lpi_hppi(struct gicv3 *g, int vcpu, uint32_t *intid,
		    uint8_t *prio)
{
	struct gicv3_vcpu *v = &g->vcpus[vcpu];
	bool found = false;

	if (!lpis_on(g, vcpu) || !v->nr_lpi_pending)
		return false;
	for (uint32_t w = 0; w < LPI_WORDS; w++) {
		uint64_t bits = v->lpi_pending[w];

		while (bits) {
			uint32_t b = (uint32_t)__builtin_ctzll(bits);
			uint32_t id = GICV3_LPI_BASE + w * 64 + b;
			uint8_t cfg = cfg_get(g, id);
			uint8_t p = cfg & GICV3_PRI_MASK;

			bits &= bits - 1;
			if ((cfg & LPI_CFG_ENABLE) && (!found || p < *prio)) {
				found = true;
				*intid = id;
				*prio = p;
			}
		}
	}
	return found;
}

/* Table bytes at or past the first kB for the LPIs now usable. */
static uint32_t pendtab_bytes(struct gicv3 *g)
{
	return gicv3_lpi_limit(g) / 8;
}

static uint8_t pending_byte(const struct gicv3_vcpu *v, uint32_t byte)
{
	uint32_t n = (byte - GICV3_PENDTAB_SKIP) * 8;

	return (uint8_t)(v->lpi_pending[n / 64] >> (n % 64));
}

/*
 * EnableLPIs 0 -> 1: take the pending bits from the table and clear what
 * was consumed.  PTZ is ignored, as KVM does: a restore sets EnableLPIs
 * over a table that holds saved bits whatever PTZ said.  Parts outside
 * guest RAM are skipped: the guest gave a bad table.
 */
void gicv3_lpi_enable(struct gicv3 *g, int vcpu)
{
	struct gicv3_vcpu *v = &g->vcpus[vcpu];
	uint64_t base = v->pendbaser & PEND_PA_MASK;
	uint32_t end = pendtab_bytes(g);
	uint8_t buf[CHUNK];
	static const uint8_t zero[CHUNK];

	gicv3_lpi_invalidate_all_locked(g);
	for (uint32_t off = GICV3_PENDTAB_SKIP; off < end; off += CHUNK) {
		uint32_t len = end - off < CHUNK ? end - off : CHUNK;
		bool any = false;

		if (devhost_guest_read(g->host, base + off, buf, len))
			continue;
		for (uint32_t i = 0; i < len; i++) {
			for (uint32_t b = 0; b < 8; b++) {
				if (buf[i] >> b & 1) {
					set_pending_bit(v, (off + i) * 8 + b);
					any = true;
				}
			}
		}
		if (any)
			devhost_guest_write(g->host, base + off, zero, len);
	}
}

/* EnableLPIs 1 -> 0: pending LPIs are dropped, as KVM does. */
void gicv3_lpi_disable(struct gicv3 *g, int vcpu)
{
	struct gicv3_vcpu *v = &g->vcpus[vcpu];

	memset(v->lpi_pending, 0, LPI_WORDS * sizeof(uint64_t));
	v->nr_lpi_pending = 0;
}

/*
 * KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES: every vCPU with LPIs enabled
 * gets its pending bits written from byte 1024 on; the first kB (the
 * SGI/PPI/SPI range) is never touched.  Unchanged chunks are not
 * rewritten; unreadable ones without a pending bit are skipped.
 */
int gicv3_save_pending_tables(struct gicv3 *g)
{
	uint32_t end = pendtab_bytes(g);
	uint8_t buf[CHUNK], want[CHUNK];

	for (int i = 0; i < g->nr_vcpus; i++) {
		struct gicv3_vcpu *v = &g->vcpus[i];
		uint64_t base = v->pendbaser & PEND_PA_MASK;

		if (!lpis_on(g, i))
			continue;
		for (uint32_t off = GICV3_PENDTAB_SKIP; off < end;
		     off += CHUNK) {
			uint32_t len = end - off < CHUNK ? end - off : CHUNK;

			bool any = false;

			for (uint32_t k = 0; k < len; k++) {
				want[k] = pending_byte(v, off + k);
				any |= want[k] != 0;
			}
			/*
			 * KVM only touches the bytes of LPIs that exist; an
			 * unreadable chunk matters only if it has bits to
			 * write (LPIs mapped there read their byte at MAPTI).
			 */
			if (devhost_guest_read(g->host, base + off, buf, len)) {
				if (any)
					return -EFAULT;
				continue;
			}
			if (!memcmp(buf, want, len))
				continue;
			if (devhost_guest_write(g->host, base + off, want, len))
				return -EFAULT;
		}
	}
	return 0;
}

/* ---- struct gicv3_lpi_ops ------------------------------------------- */

static bool vcpu_ok(struct gicv3 *g, int vcpu)
{
	return g->initialized && vcpu >= 0 && vcpu < g->nr_vcpus;
}

static bool lpi_ok(struct gicv3 *g, uint32_t intid)
{
	return intid >= GICV3_LPI_BASE && intid < gicv3_lpi_limit(g);
}

static int op_nr_redists(struct device *gic)
{
	struct gicv3 *g = gicv3_of(gic);
	int n;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	n = gicv3_vcpu_count(g);
	gicv3_unlock(g);
	return n;
}

static unsigned int op_lpi_id_bits(struct device *gic)
{
	struct gicv3 *g = gicv3_of(gic);

	return g ? gicv3_id_bits(g) : 0;
}

static bool op_lpis_enabled(struct device *gic, int vcpu)
{
	struct gicv3 *g = gicv3_of(gic);
	bool on;

	if (!g)
		return false;
	gicv3_lock(g);
	on = vcpu_ok(g, vcpu) && lpis_on(g, vcpu);
	gicv3_unlock(g);
	return on;
}

/*
 * -EINVAL: no such vCPU or an INTID outside the LPI range the property
 * table covers; -EBUSY: the target has LPIs disabled (the LPI is
 * dropped, as KVM refuses the MSI).
 */
static int op_set_pending(struct device *gic, int vcpu, uint32_t intid)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret = 0;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!vcpu_ok(g, vcpu) || !lpi_ok(g, intid)) {
		ret = -EINVAL;
	} else if (!lpis_on(g, vcpu)) {
		ret = -EBUSY;
	} else {
		set_pending_bit(&g->vcpus[vcpu], intid);
		gicv3_update(g);
	}
	gicv3_unlock(g);
	return ret;
}

/*
 * KVM reads an LPI's bit in the target's pending table when it creates
 * the LPI (MAPTI, MAPI, a restored ITE), consumes it, and drops the
 * command if that byte is not guest RAM.  With LPIs off the bit stays
 * for EnableLPIs to read.
 */
static int op_sync_pending(struct device *gic, int vcpu, uint32_t intid)
{
	struct gicv3 *g = gicv3_of(gic);
	uint64_t gpa;
	uint8_t byte, bit = (uint8_t)(1u << (intid % 8));
	int ret = 0;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!vcpu_ok(g, vcpu) || !lpi_ok(g, intid)) {
		ret = -EINVAL;
		goto out;
	}
	gpa = (g->vcpus[vcpu].pendbaser & PEND_PA_MASK) + intid / 8;
	if (devhost_guest_read(g->host, gpa, &byte, 1)) {
		ret = -EFAULT;
		goto out;
	}
	if (!(byte & bit) || !lpis_on(g, vcpu))
		goto out;
	byte &= (uint8_t)~bit;
	devhost_guest_write(g->host, gpa, &byte, 1);
	set_pending_bit(&g->vcpus[vcpu], intid);
	gicv3_update(g);
out:
	gicv3_unlock(g);
	return ret;
}

static int op_clear_pending(struct device *gic, int vcpu, uint32_t intid)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret = 0;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!vcpu_ok(g, vcpu) || intid < GICV3_LPI_BASE ||
	    intid >= GICV3_LPI_BASE + GICV3_NR_LPIS) {
		ret = -EINVAL;
	} else {
		gicv3_lpi_clear_locked(g, vcpu, intid);
		gicv3_update(g);
	}
	gicv3_unlock(g);
	return ret;
}

static bool op_is_pending(struct device *gic, int vcpu, uint32_t intid)
{
	struct gicv3 *g = gicv3_of(gic);
	bool p = false;

	if (!g)
		return false;
	gicv3_lock(g);
	if (vcpu_ok(g, vcpu) && intid >= GICV3_LPI_BASE &&
	    intid < GICV3_LPI_BASE + GICV3_NR_LPIS)
		p = test_bit64(g->vcpus[vcpu].lpi_pending,
			       intid - GICV3_LPI_BASE);
	gicv3_unlock(g);
	return p;
}

/* Pending state follows the LPI unless the target has LPIs off. */
static void move_locked(struct gicv3 *g, uint32_t intid, int from, int to)
{
	if (!test_bit64(g->vcpus[from].lpi_pending, intid - GICV3_LPI_BASE) ||
	    from == to)
		return;
	gicv3_lpi_clear_locked(g, from, intid);
	if (lpis_on(g, to))
		set_pending_bit(&g->vcpus[to], intid);
}

static int op_move(struct device *gic, uint32_t intid, int from, int to)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret = 0;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!vcpu_ok(g, from) || !vcpu_ok(g, to) || intid < GICV3_LPI_BASE ||
	    intid >= GICV3_LPI_BASE + GICV3_NR_LPIS) {
		ret = -EINVAL;
	} else {
		move_locked(g, intid, from, to);
		gicv3_update(g);
	}
	gicv3_unlock(g);
	return ret;
}

static int op_move_all(struct device *gic, int from, int to)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret = 0;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!vcpu_ok(g, from) || !vcpu_ok(g, to)) {
		ret = -EINVAL;
	} else {
		for (uint32_t n = 0; n < GICV3_NR_LPIS; n++)
			move_locked(g, GICV3_LPI_BASE + n, from, to);
		gicv3_update(g);
	}
	gicv3_unlock(g);
	return ret;
}

/* -EFAULT when the property byte lies outside guest RAM. */
static int op_invalidate(struct device *gic, uint32_t intid)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!g->initialized || !lpi_ok(g, intid)) {
		ret = -EINVAL;
	} else {
		ret = cfg_load(g, intid);
		if (ret)
			ret = -EFAULT;
		gicv3_update(g);
	}
	gicv3_unlock(g);
	return ret;
}

static int op_invalidate_all(struct device *gic, int vcpu)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret = 0;

	if (!g)
		return -EINVAL;
	gicv3_lock(g);
	if (!vcpu_ok(g, vcpu)) {
		ret = -EINVAL;
	} else {
		gicv3_lpi_invalidate_all_locked(g);
		gicv3_update(g);
	}
	gicv3_unlock(g);
	return ret;
}

const struct gicv3_lpi_ops gicv3_lpi_ops = {
	.nr_redists = op_nr_redists,
	.lpi_id_bits = op_lpi_id_bits,
	.lpis_enabled = op_lpis_enabled,
	.sync_pending = op_sync_pending,
	.set_pending = op_set_pending,
	.clear_pending = op_clear_pending,
	.is_pending = op_is_pending,
	.move = op_move,
	.move_all = op_move_all,
	.invalidate = op_invalidate,
	.invalidate_all = op_invalidate_all,
};
