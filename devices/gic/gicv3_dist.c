// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 distributor frame (64 KiB): its register table and the
 * handlers only it has (CTLR/TYPER/IIDR/TYPER2, STATUSR, IROUTER).
 */
#include <errno.h>

#include "gic/gicv3_int.h"

#define GICD_CTLR	0x0000
#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008
#define GICD_TYPER2	0x000c
#define GICD_STATUSR	0x0010
#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ISPENDR	0x0200
#define GICD_ICPENDR	0x0280
#define GICD_ISACTIVER	0x0300
#define GICD_ICACTIVER	0x0380
#define GICD_IPRIORITYR	0x0400
#define GICD_ITARGETSR	0x0800
#define GICD_ICFGR	0x0c00
#define GICD_IGRPMODR	0x0d00
#define GICD_IROUTER	0x6000
#define GICD_IDREGS	0xffd0

#define GICD_TYPER_LPIS		(1u << 17)
#define GICD_TYPER_IDBITS_SHIFT	19

bool gicv3_has_its(struct gicv3 *g)
{
	return devhost_find_device(g->host, KVM_DEV_TYPE_ARM_VGIC_ITS) != NULL;
}

/* GICD_TYPER.IDbits + 1: 16 with an ITS (LPIs), 10 without, as KVM. */
unsigned int gicv3_id_bits(struct gicv3 *g)
{
	return gicv3_has_its(g) ? GICV3_ID_BITS_ITS : GICV3_ID_BITS_SPIS;
}

uint32_t gicv3_iidr(struct gicv3 *g)
{
	return (uint32_t)GICV3_PRODUCT_KVM << 24 |
	       g->rev << GICV3_IIDR_REV_SHIFT | GICV3_IMPLEMENTER_ARM;
}

static uint64_t read_misc(const struct gicv3_access *a)
{
	struct gicv3 *g = a->g;
	uint32_t v = 0;

	switch (a->offset & 0xc) {
	case GICD_CTLR:
		v = GICD_CTLR_ARE | GICD_CTLR_DS;
		if (g->enabled)
			v |= GICD_CTLR_ENABLE_G1;
		break;
	case GICD_TYPER:
		v = (gicv3_nr_irqs(g) >> 5) - 1;
		v |= (gicv3_id_bits(g) - 1) << GICD_TYPER_IDBITS_SHIFT;
		if (gicv3_has_its(g))
			v |= GICD_TYPER_LPIS;
		break;
	case GICD_IIDR:
		v = gicv3_iidr(g);
		break;
	case GICD_TYPER2:
		break;
	}
	return v;
}

static void write_misc(const struct gicv3_access *a, uint64_t val)
{
	/* Only GICD_CTLR.EnableGrp1 is writable; it gates both groups. */
	if ((a->offset & 0xc) == GICD_CTLR)
		a->g->enabled = val & GICD_CTLR_ENABLE_G1;
}

static int uwrite_misc(const struct gicv3_access *a, uint64_t val)
{
	struct gicv3 *g = a->g;
	uint32_t rev;

	switch (a->offset & 0xc) {
	case GICD_TYPER2:
		return val == read_misc(a) ? 0 : -EINVAL;
	case GICD_IIDR:
		/* Only the revision may differ, and only to one we emulate. */
		if ((val ^ gicv3_iidr(g)) & ~(uint64_t)GICV3_IIDR_REV_MASK)
			return -EINVAL;
		rev = (val & GICV3_IIDR_REV_MASK) >> GICV3_IIDR_REV_SHIFT;
		if (rev != GICV3_REV_2 && rev != GICV3_REV_3)
			return -EINVAL;
		g->rev = rev;
		return 0;
	}
	write_misc(a, val);
	return 0;
}

static uint64_t read_statusr(const struct gicv3_access *a)
{
	return a->g->statusr;
}

/* Architecturally write-one-to-clear ... */
static void write_statusr(const struct gicv3_access *a, uint64_t val)
{
	a->g->statusr &= ~(uint32_t)val;
}

/* ... but the attribute interface sets the non-reserved bits (doc). */
static int uwrite_statusr(const struct gicv3_access *a, uint64_t val)
{
	a->g->statusr = val & GICV3_STATUSR_MASK;
	return 0;
}

/* Aff2.Aff1.Aff0 only; the upper word (Aff3, IRM) is RAZ/WI, as KVM. */
static uint64_t read_irouter(const struct gicv3_access *a)
{
	struct gicv3_irq *irq = gicv3_get_irq(a->g, -1, a->intid);

	if (!irq || (a->offset & 4))
		return 0;
	return gicv3_extract64(irq->route, a->offset, a->len);
}

static void write_irouter(const struct gicv3_access *a, uint64_t val)
{
	struct gicv3_irq *irq = gicv3_get_irq(a->g, -1, a->intid);

	if (!irq || (a->offset & 4))
		return;
	irq->route = val & 0xffffff;
	gicv3_spi_retarget(a->g, irq);
}

#define PER_IRQ(off, bits, acc, rd, wr, urd, uwr)                          \
	{ .offset = (off), .len = (bits) * GICV3_MAX_IRQS / 8, .bpi = (bits), \
	  .access = (acc), .flags = GICV3_REG_SPI_ONLY, .read = (rd),       \
	  .write = (wr), .uread = (urd), .uwrite = (uwr) }

static const struct gicv3_reg dist_regs[] = {
	{ .offset = GICD_CTLR, .len = 16, .access = GICV3_ACC_32,
	  .read = read_misc, .write = write_misc, .uwrite = uwrite_misc },
	{ .offset = GICD_STATUSR, .len = 4, .access = GICV3_ACC_32,
	  .read = read_statusr, .write = write_statusr,
	  .uwrite = uwrite_statusr },
	PER_IRQ(GICD_IGROUPR, 1, GICV3_ACC_32, gicv3_read_group,
		gicv3_write_group, NULL, NULL),
	PER_IRQ(GICD_ISENABLER, 1, GICV3_ACC_32, gicv3_read_enable,
		gicv3_write_senable, NULL, NULL),
	PER_IRQ(GICD_ICENABLER, 1, GICV3_ACC_32, gicv3_read_enable,
		gicv3_write_cenable, NULL, NULL),
	PER_IRQ(GICD_ISPENDR, 1, GICV3_ACC_32, gicv3_read_pending,
		gicv3_write_spending, gicv3_uread_pending,
		gicv3_uwrite_pending),
	PER_IRQ(GICD_ICPENDR, 1, GICV3_ACC_32, gicv3_read_pending,
		gicv3_write_cpending, gicv3_read_raz, gicv3_uwrite_wi),
	PER_IRQ(GICD_ISACTIVER, 1, GICV3_ACC_32, gicv3_read_active,
		gicv3_write_sactive, NULL, NULL),
	PER_IRQ(GICD_ICACTIVER, 1, GICV3_ACC_32, gicv3_read_active,
		gicv3_write_cactive, NULL, NULL),
	PER_IRQ(GICD_IPRIORITYR, 8, GICV3_ACC_8 | GICV3_ACC_32,
		gicv3_read_priority, gicv3_write_priority, NULL, NULL),
	/* Affinity routing: ITARGETSR and IGRPMODR are RAZ/WI. */
	PER_IRQ(GICD_ITARGETSR, 8, GICV3_ACC_8 | GICV3_ACC_32,
		gicv3_read_raz, gicv3_write_wi, NULL, NULL),
	PER_IRQ(GICD_ICFGR, 2, GICV3_ACC_32, gicv3_read_config,
		gicv3_write_config, NULL, NULL),
	PER_IRQ(GICD_IGRPMODR, 1, GICV3_ACC_32, gicv3_read_raz,
		gicv3_write_wi, NULL, NULL),
	PER_IRQ(GICD_IROUTER, 64, GICV3_ACC_32 | GICV3_ACC_64,
		read_irouter, write_irouter, NULL, NULL),
	{ .offset = GICD_IDREGS, .len = 48, .access = GICV3_ACC_32,
	  .read = gicv3_read_idregs, .write = gicv3_write_wi },
};

#define NR_DIST_REGS (sizeof(dist_regs) / sizeof(dist_regs[0]))

int gicv3_dist_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		    uint32_t len, bool is_write)
{
	struct gicv3 *g = opaque;
	int ret;

	if (offset >= GICV3_DIST_SIZE)
		return -EINVAL;
	gicv3_lock(g);
	ret = gicv3_mmio_dispatch(g, dist_regs, NR_DIST_REGS, -1,
				  (uint32_t)offset, data, len, is_write);
	gicv3_unlock(g);
	return ret;
}

int gicv3_dist_uaccess(struct gicv3 *g, uint32_t offset, uint32_t *val,
		       bool is_write)
{
	return gicv3_uaccess(g, dist_regs, NR_DIST_REGS, -1, offset, val,
			     is_write);
}

bool gicv3_dist_has_reg(struct gicv3 *g, uint32_t offset)
{
	return gicv3_reg_exists(g, dist_regs, NR_DIST_REGS, offset);
}
