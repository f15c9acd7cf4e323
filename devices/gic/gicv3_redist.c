// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 redistributor of one vCPU: RD_base (control, LPI tables)
 * and SGI_base (SGI/PPI state) frames, 64 KiB each, in one table.
 */
#include <errno.h>

#include "gic/gicv3_int.h"

#define GICR_CTLR	0x0000
#define GICR_IIDR	0x0004
#define GICR_TYPER	0x0008
#define GICR_STATUSR	0x0010
#define GICR_WAKER	0x0014
#define GICR_PROPBASER	0x0070
#define GICR_PENDBASER	0x0078
#define GICR_INVLPIR	0x00a0
#define GICR_INVALLR	0x00b0
#define GICR_SYNCR	0x00c0
#define GICR_IDREGS	0xffd0
#define SGI(off)	(GICV3_SGI_BASE + (off))

#define GICR_TYPER_PLPIS	(1ULL << 0)
#define GICR_TYPER_LAST		(1ULL << 4)
#define GICR_PENDBASER_PTZ	(1ULL << 62)

/* Shareability [11:10], InnerCache [9:7], OuterCache [58:56]. */
#define BASER_SHARE_SHIFT	10
#define BASER_INNER_SHIFT	7
#define BASER_OUTER_SHIFT	56
#define BASER_SHARE_INNER	1ULL
#define BASER_SHARE_OUTER	2ULL
#define BASER_CACHE_NC		1ULL
#define BASER_CACHE_RAWB	3ULL

#define PROPBASER_RES0 (0x1fULL << 59 | 0xfULL << 52 | 0x3ULL << 5)
#define PENDBASER_RES0                                                   \
	(1ULL << 63 | 0x7ULL << 59 | 0xfULL << 52 | 0xfULL << 12 | 0x7fULL)

static uint64_t field(uint64_t reg, unsigned int shift, uint64_t mask)
{
	return reg >> shift & mask;
}

static uint64_t set_field(uint64_t reg, unsigned int shift, uint64_t mask,
			  uint64_t v)
{
	return (reg & ~(mask << shift)) | (v & mask) << shift;
}

/*
 * Tame the memory attributes the way KVM does so a value reads back
 * the same from both backends: no outer shareable, no inner
 * non-cacheable, outer either non-cacheable or same-as-inner.
 */
static uint64_t sanitise_baser(uint64_t reg, uint64_t res0)
{
	uint64_t share = field(reg, BASER_SHARE_SHIFT, 3);
	uint64_t inner = field(reg, BASER_INNER_SHIFT, 7);
	uint64_t outer = field(reg, BASER_OUTER_SHIFT, 7);

	if (share == BASER_SHARE_OUTER)
		share = BASER_SHARE_INNER;
	if (inner <= BASER_CACHE_NC)
		inner = BASER_CACHE_RAWB;
	if (outer > BASER_CACHE_NC)
		outer = 0;
	reg = set_field(reg, BASER_SHARE_SHIFT, 3, share);
	reg = set_field(reg, BASER_INNER_SHIFT, 7, inner);
	reg = set_field(reg, BASER_OUTER_SHIFT, 7, outer);
	return reg & ~res0;
}

uint64_t gicv3_pendbaser_reset(void)
{
	return BASER_CACHE_RAWB << BASER_INNER_SHIFT |
	       BASER_SHARE_INNER << BASER_SHARE_SHIFT;
}

uint64_t gicv3_propbaser_reset(void)
{
	return gicv3_pendbaser_reset();
}

static struct gicv3_vcpu *vcpu_of(const struct gicv3_access *a)
{
	return &a->g->vcpus[a->vcpu];
}

static uint64_t read_ctlr(const struct gicv3_access *a)
{
	uint64_t v = vcpu_of(a)->ctlr;

	if (a->g->rev >= GICV3_REV_3)
		v |= GICR_CTLR_IR | GICR_CTLR_CES;
	return v;
}

/* EnableLPIs only does something when the VM has an ITS (as KVM). */
static void write_ctlr(const struct gicv3_access *a, uint64_t val)
{
	struct gicv3_vcpu *v = vcpu_of(a);
	bool enable = val & GICR_CTLR_ENABLE_LPIS;

	if (!gicv3_has_its(a->g))
		return;
	if (enable && !v->ctlr) {
		v->ctlr = GICR_CTLR_ENABLE_LPIS;
		gicv3_lpi_enable(a->g, a->vcpu);
	} else if (!enable && v->ctlr) {
		gicv3_lpi_disable(a->g, a->vcpu);
		v->ctlr = 0;
	}
}

static uint64_t read_iidr(const struct gicv3_access *a)
{
	return (uint64_t)GICV3_PRODUCT_KVM << 24 | GICV3_IMPLEMENTER_ARM;
}

static uint64_t read_typer(const struct gicv3_access *a)
{
	uint64_t v = (uint64_t)gicv3_mpidr_to_aff(vcpu_of(a)->mpidr) << 32;

	v |= (uint64_t)(a->vcpu & 0xffff) << 8;
	if (gicv3_has_its(a->g))
		v |= GICR_TYPER_PLPIS;
	if (gicv3_redist_is_last(a->g, a->vcpu))
		v |= GICR_TYPER_LAST;
	return gicv3_extract64(v, a->offset, a->len);
}

static uint64_t read_statusr(const struct gicv3_access *a)
{
	return vcpu_of(a)->statusr;
}

static void write_statusr(const struct gicv3_access *a, uint64_t val)
{
	vcpu_of(a)->statusr &= ~(uint32_t)val;
}

/* The attribute interface sets the non-reserved bits (doc). */
static int uwrite_statusr(const struct gicv3_access *a, uint64_t val)
{
	vcpu_of(a)->statusr = val & GICV3_STATUSR_MASK;
	return 0;
}

/* ChildrenAsleep follows ProcessorSleep at once: nothing to quiesce. */
static uint64_t read_waker(const struct gicv3_access *a)
{
	uint32_t ps = vcpu_of(a)->waker & GICR_WAKER_PSLEEP;

	return ps | (ps ? GICR_WAKER_CASLEEP : 0);
}

static void write_waker(const struct gicv3_access *a, uint64_t val)
{
	vcpu_of(a)->waker = val & GICR_WAKER_PSLEEP;
}

static uint64_t read_propbaser(const struct gicv3_access *a)
{
	return gicv3_extract64(a->g->propbaser, a->offset, a->len);
}

/* Writing a table base with LPIs enabled is UNPREDICTABLE: ignore it. */
static void write_propbaser(const struct gicv3_access *a, uint64_t val)
{
	struct gicv3 *g = a->g;

	if (vcpu_of(a)->ctlr & GICR_CTLR_ENABLE_LPIS)
		return;
	g->propbaser = gicv3_update64(g->propbaser, a->offset, a->len, val);
	g->propbaser = sanitise_baser(g->propbaser, PROPBASER_RES0);
	gicv3_lpi_invalidate_all_locked(g);
}

static uint64_t read_pendbaser(const struct gicv3_access *a)
{
	return gicv3_extract64(vcpu_of(a)->pendbaser & ~GICR_PENDBASER_PTZ,
			       a->offset, a->len);
}

static void write_pendbaser(const struct gicv3_access *a, uint64_t val)
{
	struct gicv3_vcpu *v = vcpu_of(a);

	if (v->ctlr & GICR_CTLR_ENABLE_LPIS)
		return;
	v->pendbaser = gicv3_update64(v->pendbaser, a->offset, a->len, val);
	v->pendbaser = sanitise_baser(v->pendbaser, PENDBASER_RES0);
}

/* The upper word would name a vPE, which a GICv3 has not. */
static void write_invlpir(const struct gicv3_access *a, uint64_t val)
{
	if ((a->offset & 4) || !(vcpu_of(a)->ctlr & GICR_CTLR_ENABLE_LPIS))
		return;
	gicv3_lpi_invalidate_locked(a->g, (uint32_t)val);
}

static void write_invallr(const struct gicv3_access *a, uint64_t val)
{
	if ((a->offset & 4) || !(vcpu_of(a)->ctlr & GICR_CTLR_ENABLE_LPIS))
		return;
	gicv3_lpi_invalidate_all_locked(a->g);
}

#define REG(off, l, acc, rd, wr)                                       \
	{ .offset = (off), .len = (l), .access = (acc), .read = (rd),  \
	  .write = (wr) }
#define PRIV(off, l, bits, acc, rd, wr, urd, uwr)                        \
	{ .offset = (off), .len = (l), .bpi = (bits), .access = (acc),   \
	  .read = (rd), .write = (wr), .uread = (urd), .uwrite = (uwr) }

static const struct gicv3_reg redist_regs[] = {
	/* RD_base */
	REG(GICR_CTLR, 4, GICV3_ACC_32, read_ctlr, write_ctlr),
	REG(GICR_IIDR, 4, GICV3_ACC_32, read_iidr, gicv3_write_wi),
	{ .offset = GICR_TYPER, .len = 8,
	  .access = GICV3_ACC_32 | GICV3_ACC_64, .read = read_typer,
	  .write = gicv3_write_wi, .uwrite = gicv3_uwrite_wi },
	{ .offset = GICR_STATUSR, .len = 4, .access = GICV3_ACC_32,
	  .read = read_statusr, .write = write_statusr,
	  .uwrite = uwrite_statusr },
	REG(GICR_WAKER, 4, GICV3_ACC_32, read_waker, write_waker),
	REG(GICR_PROPBASER, 8, GICV3_ACC_32 | GICV3_ACC_64, read_propbaser,
	    write_propbaser),
	REG(GICR_PENDBASER, 8, GICV3_ACC_32 | GICV3_ACC_64, read_pendbaser,
	    write_pendbaser),
	REG(GICR_INVLPIR, 8, GICV3_ACC_32 | GICV3_ACC_64, gicv3_read_raz,
	    write_invlpir),
	REG(GICR_INVALLR, 8, GICV3_ACC_32 | GICV3_ACC_64, gicv3_read_raz,
	    write_invallr),
	REG(GICR_SYNCR, 4, GICV3_ACC_32, gicv3_read_raz, gicv3_write_wi),
	REG(GICR_IDREGS, 48, GICV3_ACC_32, gicv3_read_idregs,
	    gicv3_write_wi),
	/* SGI_base */
	PRIV(SGI(0x0080), 4, 1, GICV3_ACC_32, gicv3_read_group,
	     gicv3_write_group, NULL, NULL),
	PRIV(SGI(0x0100), 4, 1, GICV3_ACC_32, gicv3_read_enable,
	     gicv3_write_senable, NULL, NULL),
	PRIV(SGI(0x0180), 4, 1, GICV3_ACC_32, gicv3_read_enable,
	     gicv3_write_cenable, NULL, NULL),
	PRIV(SGI(0x0200), 4, 1, GICV3_ACC_32, gicv3_read_pending,
	     gicv3_write_spending, gicv3_uread_pending,
	     gicv3_uwrite_pending),
	PRIV(SGI(0x0280), 4, 1, GICV3_ACC_32, gicv3_read_pending,
	     gicv3_write_cpending, gicv3_read_raz, gicv3_uwrite_wi),
	PRIV(SGI(0x0300), 4, 1, GICV3_ACC_32, gicv3_read_active,
	     gicv3_write_sactive, NULL, NULL),
	PRIV(SGI(0x0380), 4, 1, GICV3_ACC_32, gicv3_read_active,
	     gicv3_write_cactive, NULL, NULL),
	PRIV(SGI(0x0400), 32, 8, GICV3_ACC_8 | GICV3_ACC_32,
	     gicv3_read_priority, gicv3_write_priority, NULL, NULL),
	PRIV(SGI(0x0c00), 8, 2, GICV3_ACC_32, gicv3_read_config,
	     gicv3_write_config, NULL, NULL),
	PRIV(SGI(0x0d00), 4, 1, GICV3_ACC_32, gicv3_read_raz,
	     gicv3_write_wi, NULL, NULL),
	REG(SGI(0x0e00), 4, GICV3_ACC_32, gicv3_read_raz, gicv3_write_wi),
};

#define NR_REDIST_REGS (sizeof(redist_regs) / sizeof(redist_regs[0]))

int gicv3_redist_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		      uint32_t len, bool is_write)
{
	struct gicv3_redist_io *io = opaque;
	struct gicv3 *g = io->gic;
	int ret;

	if (offset >= GICV3_REDIST_SIZE)
		return -EINVAL;
	gicv3_lock(g);
	ret = gicv3_mmio_dispatch(g, redist_regs, NR_REDIST_REGS, io->vcpu,
				  (uint32_t)offset, data, len, is_write);
	gicv3_unlock(g);
	return ret;
}

int gicv3_redist_uaccess(struct gicv3 *g, int vcpu, uint32_t offset,
			 uint32_t *val, bool is_write)
{
	return gicv3_uaccess(g, redist_regs, NR_REDIST_REGS, vcpu, offset, val,
			     is_write);
}

bool gicv3_redist_has_reg(struct gicv3 *g, uint32_t offset)
{
	return gicv3_reg_exists(g, redist_regs, NR_REDIST_REGS, offset);
}
