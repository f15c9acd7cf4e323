// SPDX-License-Identifier: GPL-2.0
/*
 * The ICC_* system registers as a table: which ones the attribute
 * interface (KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS) exposes, which ones a
 * guest may read or write, and one handler each.  "user" accesses are
 * the attribute interface: they validate values (-EINVAL) where a guest
 * write would just be masked.
 */
#include <errno.h>

#include "gic/gicv3.h"
#include "gic/gicv3_int.h"

#define ICC_CTLR_CBPR		(1ULL << 0)
#define ICC_CTLR_EOIMODE	(1ULL << 1)
#define ICC_CTLR_PRIBITS_SHIFT	8
#define ICC_CTLR_IDBITS_SHIFT	11
#define ICC_CTLR_SEIS		(1ULL << 14)
#define ICC_CTLR_A3V		(1ULL << 15)
#define ICC_SRE_SRE		(1ULL << 0)
#define ICC_SRE_DFB		(1ULL << 1)
#define ICC_SRE_DIB		(1ULL << 2)

#define SR_USER		(1u << 0)	/* in the attribute interface */
#define SR_GUEST_RD	(1u << 1)
#define SR_GUEST_WR	(1u << 2)
#define SR_RW		(SR_USER | SR_GUEST_RD | SR_GUEST_WR)

struct sysreg_ctx {
	struct gicv3 *g;
	int vcpu;
	uint32_t instr;
	bool user;
};

typedef int (*sysreg_fn)(const struct sysreg_ctx *s, uint64_t *val,
			 bool is_write);

struct sysreg_desc {
	uint32_t instr;
	unsigned int flags;
	sysreg_fn fn;
};

static struct gicv3_cpuif *cpuif(const struct sysreg_ctx *s)
{
	return &s->g->vcpus[s->vcpu].cpuif;
}

static int sr_pmr(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	if (is_write)
		cpuif(s)->pmr = *val & GICV3_PRI_MASK;
	else
		*val = cpuif(s)->pmr;
	return 0;
}

static uint8_t clamp_bpr(uint64_t v, uint8_t min)
{
	v &= 7;
	return v < min ? min : (uint8_t)v;
}

static int sr_bpr0(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	if (is_write)
		cpuif(s)->bpr0 = clamp_bpr(*val, GICV3_BPR0_MIN);
	else
		*val = cpuif(s)->bpr0;
	return 0;
}

/* With CBPR, BPR1 reads BPR0 + 1 (saturating) and ignores writes. */
static int sr_bpr1(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	struct gicv3_cpuif *c = cpuif(s);

	if (c->cbpr) {
		if (!is_write)
			*val = c->bpr0 + 1 > 7 ? 7 : c->bpr0 + 1;
		return 0;
	}
	if (is_write)
		c->bpr1 = clamp_bpr(*val, GICV3_BPR1_MIN);
	else
		*val = c->bpr1;
	return 0;
}

/* APnR beyond what the priority bits need: -EINVAL (attr), RAZ/WI. */
static int access_apr(const struct sysreg_ctx *s, uint32_t *ap,
		      uint64_t *val, bool is_write)
{
	unsigned int idx = s->instr & 3;

	if (idx > gicv3_cpuif_max_apr(cpuif(s))) {
		if (!is_write)
			*val = 0;
		return s->user ? -EINVAL : 0;
	}
	if (is_write)
		ap[idx] = (uint32_t)*val;
	else
		*val = ap[idx];
	return 0;
}

static int sr_ap0r(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	return access_apr(s, cpuif(s)->ap0r, val, is_write);
}

static int sr_ap1r(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	return access_apr(s, cpuif(s)->ap1r, val, is_write);
}

/*
 * ICC_CTLR: the guest may change CBPR and EOImode.  A restore may also
 * narrow PRIbits/IDbits but never widen them again (as KVM, which keeps
 * the narrowed value as the limit), and must match SEIS and A3V (both 0
 * here), as KVM checks against the host.
 */
static int sr_ctlr(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	struct gicv3_cpuif *c = cpuif(s);
	uint64_t v = *val;

	if (!is_write) {
		*val = (c->cbpr ? ICC_CTLR_CBPR : 0) |
		       (c->eoimode ? ICC_CTLR_EOIMODE : 0) |
		       (uint64_t)(c->pri_bits - 1) << ICC_CTLR_PRIBITS_SHIFT |
		       (uint64_t)c->id_bits << ICC_CTLR_IDBITS_SHIFT;
		return 0;
	}
	if (s->user) {
		unsigned int pri = ((v >> ICC_CTLR_PRIBITS_SHIFT) & 7) + 1;
		unsigned int id = (v >> ICC_CTLR_IDBITS_SHIFT) & 7;

		if (pri > c->pri_bits || id > c->id_bits ||
		    (v & (ICC_CTLR_SEIS | ICC_CTLR_A3V)))
			return -EINVAL;
		c->pri_bits = (uint8_t)pri;
		c->id_bits = (uint8_t)id;
	}
	c->cbpr = v & ICC_CTLR_CBPR;
	c->eoimode = v & ICC_CTLR_EOIMODE;
	return 0;
}

/* System registers only, no bypass: SRE, DFB, DIB read as one. */
static int sr_sre(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	if (!is_write) {
		*val = ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB;
		return 0;
	}
	return s->user && !(*val & ICC_SRE_SRE) ? -EINVAL : 0;
}

static int sr_igrpen0(const struct sysreg_ctx *s, uint64_t *val,
		      bool is_write)
{
	if (is_write)
		cpuif(s)->igrpen0 = *val & 1;
	else
		*val = cpuif(s)->igrpen0;
	return 0;
}

static int sr_igrpen1(const struct sysreg_ctx *s, uint64_t *val,
		      bool is_write)
{
	if (is_write)
		cpuif(s)->igrpen1 = *val & 1;
	else
		*val = cpuif(s)->igrpen1;
	return 0;
}

/* Group of IAR0/EOIR0/HPPIR0 (CRm 8) against the ...1 ones (CRm 12). */
static int sr_group(const struct sysreg_ctx *s)
{
	return ((s->instr >> 3) & 0xf) == 12;
}

static int sr_iar(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	*val = gicv3_cpuif_ack_locked(s->g, s->vcpu, sr_group(s));
	return 0;
}

static int sr_eoir(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	gicv3_cpuif_eoi_locked(s->g, s->vcpu, sr_group(s),
			       (uint32_t)*val & 0xffffff);
	return 0;
}

static int sr_hppir(const struct sysreg_ctx *s, uint64_t *val,
		    bool is_write)
{
	*val = gicv3_cpuif_hppir_locked(s->g, s->vcpu, sr_group(s));
	return 0;
}

static int sr_dir(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	gicv3_cpuif_dir_locked(s->g, s->vcpu, (uint32_t)*val & 0xffffff);
	return 0;
}

static int sr_rpr(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	*val = gicv3_cpuif_rpr(cpuif(s));
	return 0;
}

static int sr_sgi(const struct sysreg_ctx *s, uint64_t *val, bool is_write)
{
	gicv3_cpuif_sgi_locked(s->g, s->vcpu, *val,
			       s->instr == ICC_SGI1R_EL1);
	return 0;
}

static const struct sysreg_desc sysregs[] = {
	{ ICC_PMR_EL1, SR_RW, sr_pmr },
	{ ICC_IAR0_EL1, SR_GUEST_RD, sr_iar },
	{ ICC_EOIR0_EL1, SR_GUEST_WR, sr_eoir },
	{ ICC_HPPIR0_EL1, SR_GUEST_RD, sr_hppir },
	{ ICC_BPR0_EL1, SR_RW, sr_bpr0 },
	{ ICC_AP0R0_EL1 + 0, SR_RW, sr_ap0r },
	{ ICC_AP0R0_EL1 + 1, SR_RW, sr_ap0r },
	{ ICC_AP0R0_EL1 + 2, SR_RW, sr_ap0r },
	{ ICC_AP0R0_EL1 + 3, SR_RW, sr_ap0r },
	{ ICC_AP1R0_EL1 + 0, SR_RW, sr_ap1r },
	{ ICC_AP1R0_EL1 + 1, SR_RW, sr_ap1r },
	{ ICC_AP1R0_EL1 + 2, SR_RW, sr_ap1r },
	{ ICC_AP1R0_EL1 + 3, SR_RW, sr_ap1r },
	{ ICC_DIR_EL1, SR_GUEST_WR, sr_dir },
	{ ICC_RPR_EL1, SR_GUEST_RD, sr_rpr },
	{ ICC_SGI1R_EL1, SR_GUEST_WR, sr_sgi },
	{ ICC_ASGI1R_EL1, SR_GUEST_WR, sr_sgi },
	{ ICC_SGI0R_EL1, SR_GUEST_WR, sr_sgi },
	{ ICC_IAR1_EL1, SR_GUEST_RD, sr_iar },
	{ ICC_EOIR1_EL1, SR_GUEST_WR, sr_eoir },
	{ ICC_HPPIR1_EL1, SR_GUEST_RD, sr_hppir },
	{ ICC_BPR1_EL1, SR_RW, sr_bpr1 },
	{ ICC_CTLR_EL1, SR_RW, sr_ctlr },
	{ ICC_SRE_EL1, SR_RW, sr_sre },
	{ ICC_IGRPEN0_EL1, SR_RW, sr_igrpen0 },
	{ ICC_IGRPEN1_EL1, SR_RW, sr_igrpen1 },
};

static const struct sysreg_desc *find_sysreg(uint32_t instr)
{
	for (size_t i = 0; i < sizeof(sysregs) / sizeof(sysregs[0]); i++)
		if (sysregs[i].instr == instr)
			return &sysregs[i];
	return NULL;
}

bool gicv3_sysreg_known(uint32_t instr)
{
	const struct sysreg_desc *d = find_sysreg(instr);

	return d && (d->flags & SR_USER);
}

/* KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS: -ENXIO outside the exposed set. */
int gicv3_sysreg_uaccess(struct gicv3 *g, int vcpu, uint32_t instr,
			 uint64_t *val, bool is_write)
{
	const struct sysreg_desc *d = find_sysreg(instr);
	struct sysreg_ctx s = { .g = g, .vcpu = vcpu, .instr = instr,
				.user = true };
	int ret;

	if (!d || !(d->flags & SR_USER))
		return -ENXIO;
	ret = d->fn(&s, val, is_write);
	if (is_write)
		gicv3_update(g);
	return ret;
}

/* A guest MRS/MSR: -ENXIO if no such register in that direction. */
int gicv3_sysreg_guest_locked(struct gicv3 *g, int vcpu, uint32_t instr,
			      uint64_t *val, bool is_write)
{
	const struct sysreg_desc *d = find_sysreg(instr);
	struct sysreg_ctx s = { .g = g, .vcpu = vcpu, .instr = instr };
	int ret;

	if (!d || !(d->flags & (is_write ? SR_GUEST_WR : SR_GUEST_RD)))
		return -ENXIO;
	ret = d->fn(&s, val, is_write);
	if (is_write)
		gicv3_update(g);
	return ret;
}
