// SPDX-License-Identifier: GPL-2.0
/*
 * The ITS register map as a table of descriptors.  Guest MMIO and the
 * KVM_DEV_ARM_VGIC_GRP_ITS_REGS attribute go through the same table; a
 * descriptor's uwrite handler gives the attribute interface its
 * documented different semantics (GITS_IIDR sets the ABI revision,
 * GITS_CREADR is writable for restore).
 *
 * 64-bit registers take 32- or 64-bit guest accesses; a 32-bit write
 * merges into the current value before the handler sees it.  Anything
 * else (unknown offset, wrong width, misaligned, the translation frame)
 * is RAZ/WI for the guest, as KVM.
 */
#include <errno.h>
#include <string.h>

#include "kvmkit/bus.h"
#include "gic/its.h"

#define ACC_32 1U
#define ACC_64 2U

struct its_reg {
	uint32_t offset;
	uint32_t len;		/* bytes the descriptor covers */
	unsigned int acc;	/* allowed guest access widths */
	uint64_t (*read)(struct its *its, uint32_t off);
	void (*write)(struct its *its, uint32_t off, uint64_t val);
	/* Attribute write, where it differs from a guest write. */
	int (*uwrite)(struct its *its, uint32_t off, uint64_t val);
};

static void its_write_wi(struct its *its, uint32_t off, uint64_t val)
{
}

static uint64_t its_read_ctlr(struct its *its, uint32_t off)
{
	uint64_t v = its->enabled ? GITS_CTLR_ENABLE : 0;

	if (its->creadr == its->cwriter)
		v |= GITS_CTLR_QUIESCENT;
	return v;
}

static void its_write_ctlr(struct its *its, uint32_t off, uint64_t val)
{
	bool enable = val & GITS_CTLR_ENABLE;

	/* Enabling with a table or the queue invalid is UNPREDICTABLE: KVM
	 * ignores the write. */
	if (!its->enabled && enable &&
	    (!(its->baser_dev & GITS_BASER_VALID) ||
	     !(its->baser_coll & GITS_BASER_VALID) ||
	     !(its->cbaser & GITS_CBASER_VALID)))
		return;
	its->enabled = enable;
	its_process_commands(its);
}

static uint64_t its_read_iidr(struct its *its, uint32_t off)
{
	return ((uint64_t)its->abi_rev << GITS_IIDR_REV_SHIFT &
		GITS_IIDR_REV_MASK) | GITS_IIDR_KVM;
}

/* The ABI revision commits the table entry sizes into GITS_BASER<n>. */
void its_set_abi(struct its *its, uint32_t rev)
{
	uint64_t esz = (uint64_t)(ITS_ESZ - 1) << GITS_BASER_ESZ_SHIFT;

	its->abi_rev = rev;
	its->baser_dev = (its->baser_dev & ~GITS_BASER_ESZ_MASK) | esz;
	its->baser_coll = (its->baser_coll & ~GITS_BASER_ESZ_MASK) | esz;
}

static int its_uwrite_iidr(struct its *its, uint32_t off, uint64_t val)
{
	uint32_t rev = (uint32_t)((val & GITS_IIDR_REV_MASK) >>
				  GITS_IIDR_REV_SHIFT);

	if (rev >= ITS_NR_ABIS)
		return -EINVAL;
	its_set_abi(its, rev);
	return 0;
}

static uint64_t its_read_typer(struct its *its, uint32_t off)
{
	return GITS_TYPER_VALUE;
}

static uint64_t sanitise(uint64_t reg, uint64_t mask, int shift,
			 uint64_t (*fn)(uint64_t))
{
	return (reg & ~mask) | (fn((reg & mask) >> shift) << shift & mask);
}

/* KVM avoids outer shareable, inner non-cacheable, odd outer modes. */
static uint64_t share_fix(uint64_t f)
{
	return f == GIC_SHARE_OUTER ? GIC_SHARE_INNER : f;
}

static uint64_t inner_fix(uint64_t f)
{
	return f == GIC_CACHE_NCNB || f == GIC_CACHE_NC ? GIC_CACHE_RAWB : f;
}

static uint64_t outer_fix(uint64_t f)
{
	return f == GIC_CACHE_SAME_AS_INNER || f == GIC_CACHE_NC ?
		       f : GIC_CACHE_SAME_AS_INNER;
}

static uint64_t its_sanitise_attrs(uint64_t reg)
{
	reg = sanitise(reg, GITS_SHARE_MASK, GITS_SHARE_SHIFT, share_fix);
	reg = sanitise(reg, GITS_INNER_MASK, GITS_INNER_SHIFT, inner_fix);
	return sanitise(reg, GITS_OUTER_MASK, GITS_OUTER_SHIFT, outer_fix);
}

static uint64_t its_read_cbaser(struct its *its, uint32_t off)
{
	return its->cbaser;
}

static void its_write_cbaser(struct its *its, uint32_t off, uint64_t val)
{
	if (its->enabled)
		return;		/* read-only while enabled */
	/* 64 KiB aligned queue; a new queue starts empty. */
	its->cbaser = its_sanitise_attrs(val) & ~ITS_GENMASK(15, 12);
	its->creadr = 0;
	its->cwriter = 0;
}

static uint64_t its_read_cwriter(struct its *its, uint32_t off)
{
	return its->cwriter;
}

static void its_write_cwriter(struct its *its, uint32_t off, uint64_t val)
{
	uint64_t w = ITS_CMD_OFFSET(val);

	if (w >= GITS_CBASER_QUEUE_SIZE(its->cbaser))
		return;
	its->cwriter = w;
	its_process_commands(its);
}

static uint64_t its_read_creadr(struct its *its, uint32_t off)
{
	return its->creadr;
}

static int its_uwrite_creadr(struct its *its, uint32_t off, uint64_t val)
{
	uint64_t r = ITS_CMD_OFFSET(val);

	if (its->enabled)
		return -EBUSY;
	if (r >= GITS_CBASER_QUEUE_SIZE(its->cbaser))
		return -EINVAL;
	its->creadr = r;
	return 0;
}

static uint64_t *its_baser_reg(struct its *its, uint32_t off)
{
	switch ((off - GITS_BASER) / 8) {
	case 0:
		return &its->baser_dev;
	case 1:
		return &its->baser_coll;
	default:
		return NULL;	/* BASER2..7: no table, RAZ/WI */
	}
}

static uint64_t its_read_baser(struct its *its, uint32_t off)
{
	uint64_t *reg = its_baser_reg(its, off);

	return reg ? *reg : 0;
}

static void its_write_baser(struct its *its, uint32_t off, uint64_t val)
{
	uint64_t *reg = its_baser_reg(its, off);
	bool is_dev = reg == &its->baser_dev;
	uint64_t type = is_dev ? GITS_BASER_TYPE_DEVICE :
				 GITS_BASER_TYPE_COLLECTION;

	if (!reg || its->enabled)
		return;
	val &= ~GITS_BASER_RO_MASK;
	if (!is_dev)
		val &= ~GITS_BASER_INDIRECT;	/* flat collection table */
	val |= (uint64_t)(ITS_ESZ - 1) << GITS_BASER_ESZ_SHIFT;
	val |= type << GITS_BASER_TYPE_SHIFT;
	val = its_sanitise_attrs(val);
	/* Only 64 KiB ITS pages. */
	*reg = (val & ~GITS_BASER_PAGE_SIZE_MASK) | GITS_BASER_PAGE_64K;
	if (*reg & GITS_BASER_VALID)
		return;
	if (is_dev)
		its_forget_devices(its);
	else
		its_free_colls(its);
}

static uint64_t its_read_idregs(struct its *its, uint32_t off)
{
	switch (off) {
	case GITS_PIDR0:
		return 0x92;	/* part number [7:0] */
	case GITS_PIDR1:
		return 0xb4;	/* part number [11:8] */
	case GITS_PIDR2:
		return 0x3b;	/* ArchRev GICv3, JEP106 bits */
	case GITS_PIDR4:
		return 0x40;	/* 64 KiB frame */
	case GITS_CIDR0:
		return 0x0d;
	case GITS_CIDR1:
		return 0xf0;
	case GITS_CIDR2:
		return 0x05;
	case GITS_CIDR3:
		return 0xb1;
	}
	return 0;
}

static const struct its_reg its_regs[] = {
	{ GITS_CTLR, 4, ACC_32, its_read_ctlr, its_write_ctlr, NULL },
	{ GITS_IIDR, 4, ACC_32, its_read_iidr, its_write_wi, its_uwrite_iidr },
	{ GITS_TYPER, 8, ACC_32 | ACC_64, its_read_typer, its_write_wi, NULL },
	{ GITS_CBASER, 8, ACC_32 | ACC_64, its_read_cbaser, its_write_cbaser,
	  NULL },
	{ GITS_CWRITER, 8, ACC_32 | ACC_64, its_read_cwriter, its_write_cwriter,
	  NULL },
	{ GITS_CREADR, 8, ACC_32 | ACC_64, its_read_creadr, its_write_wi,
	  its_uwrite_creadr },
	{ GITS_BASER, 8 * GITS_BASER_NR, ACC_32 | ACC_64, its_read_baser,
	  its_write_baser, NULL },
	{ GITS_IDREGS_BASE, 0x30, ACC_32, its_read_idregs, its_write_wi, NULL },
};

static const struct its_reg *its_reg_find(uint64_t offset)
{
	for (size_t i = 0; i < sizeof(its_regs) / sizeof(its_regs[0]); i++)
		if (offset >= its_regs[i].offset &&
		    offset - its_regs[i].offset < its_regs[i].len)
			return &its_regs[i];
	return NULL;
}

/* Offset of the register (not the half) a @len access at @offset hits. */
static uint32_t its_reg_base(const struct its_reg *r, uint64_t offset)
{
	return (uint32_t)(r->acc & ACC_64 ? offset & ~7ULL : offset);
}

static uint64_t its_reg_read(struct its *its, const struct its_reg *r,
			     uint64_t offset, uint32_t len)
{
	uint64_t v = r->read(its, its_reg_base(r, offset));

	if (len == 4 && (r->acc & ACC_64))
		v = (uint32_t)(v >> (offset & 4) * 8);
	return v;
}

static int its_reg_write(struct its *its, const struct its_reg *r,
			 uint64_t offset, uint32_t len, uint64_t v, bool user)
{
	uint32_t off = its_reg_base(r, offset);

	if (len == 4 && (r->acc & ACC_64)) {
		unsigned int shift = (offset & 4) * 8;
		uint64_t old = r->read(its, off);

		v = (old & ~(0xffffffffULL << shift)) | (uint64_t)(uint32_t)v
							     << shift;
	}
	if (user && r->uwrite)
		return r->uwrite(its, off, v);
	r->write(its, off, v);
	return 0;
}

int its_mmio(void *opaque, int cpu, uint64_t offset, void *data, uint32_t len,
	     bool is_write)
{
	struct its *its = opaque;
	const struct its_reg *r = NULL;
	bool width_ok = (len == 4 || len == 8);

	/* GITS_TRANSLATER carries no DeviceID from a CPU: MSIs arrive through
	 * signal_msi, the page itself is RAZ/WI as in KVM. */
	if (offset < ITS_FRAME_SIZE)
		r = its_reg_find(offset);
	if (r && width_ok)
		width_ok = (r->acc & (len == 8 ? ACC_64 : ACC_32)) &&
			   !(offset & (len - 1));
	if (!r || !width_ok) {
		if (!is_write)
			memset(data, 0, len);
		return 0;
	}
	pthread_mutex_lock(&its->lock);
	if (is_write)
		its_reg_write(its, r, offset, len, bus_get_le(data, len), false);
	else
		bus_put_le(data, len, its_reg_read(its, r, offset, len));
	pthread_mutex_unlock(&its->lock);
	return 0;
}

/* Userspace accesses 64-bit registers whole: 8-byte aligned offsets. */
int its_regs_has(uint64_t offset)
{
	uint64_t align = offset < GITS_TYPER || offset >= GITS_PIDR4 ? 3 : 7;

	if (offset & align)
		return -EINVAL;
	return its_reg_find(offset) ? 0 : -ENXIO;
}

int its_regs_uaccess(struct its *its, uint64_t offset, uint64_t *val,
		     bool is_write)
{
	const struct its_reg *r = its_reg_find(offset);
	uint32_t len;

	if (!r || offset >= ITS_FRAME_SIZE)
		return -ENXIO;
	len = r->acc & ACC_64 ? 8 : 4;
	if (is_write)
		return its_reg_write(its, r, offset, len, *val, true);
	*val = its_reg_read(its, r, offset, len);
	return 0;
}
