// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: the 256 KiB register map as tables.
 *
 * The map is a list of regions (KVM's: global, timers, MSI, summary,
 * sources, per-CPU).  An offset in no region is -ENXIO; an offset in a
 * region with no register there reads the region's filler and ignores
 * writes, as KVM does.  Each region holds register descriptors: offset
 * of the first instance, instance count and stride, read and write
 * handlers.  The per-CPU region is banked: page n is CPU n's copy.
 *
 * The attribute interface (KVM_DEV_MPIC_GRP_REGISTER) has the guest's
 * semantics, so guest and attribute accesses share these handlers; only
 * the accessing CPU differs (none for attributes).
 */
#include <errno.h>

#include "mpic/mpic_priv.h"

struct mpic_reg {
	uint32_t offset;	/* first instance (CPU 0's page if banked) */
	uint16_t count;
	uint16_t stride;
	uint32_t (*read)(struct mpic *m, unsigned int n, int cpu);
	int (*write)(struct mpic *m, unsigned int n, int cpu, uint32_t val);
};

struct mpic_region {
	uint32_t start;
	uint32_t size;
	uint32_t page;		/* banked per CPU: size of each CPU's page */
	uint32_t filler;	/* read of an offset with no register */
	bool reads_16;		/* reads not 16-byte aligned fail (KVM's MSI) */
	const struct mpic_reg *regs;
	unsigned int nr_regs;
};

#define REG(off, rd, wr) { (off), 1, 0, (rd), (wr) }
#define REGS(off, n, step, rd, wr) { (off), (n), (step), (rd), (wr) }

/* ---- global -------------------------------------------------------------- */

static uint32_t brr1_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->ver->brr1;
}

static uint32_t frr_read(struct mpic *m, unsigned int n, int cpu)
{
	unsigned int nb = mpic_nb_cpus(m);

	/* NIRQ and NCPU are "number - 1"; VID 2 is OpenPIC 1.2. */
	return (m->ver->nirq - 1) << 16 | (nb ? nb - 1 : 0) << 8 | 2;
}

static uint32_t gcr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->gcr;
}

static int gcr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	if (val & MPIC_GCR_RESET) {
		mpic_reset(m);
		return 0;
	}
	m->gcr = (m->gcr & ~m->ver->mode_mask) | (val & m->ver->mode_mask);
	return 0;
}

static uint32_t zero_read(struct mpic *m, unsigned int n, int cpu)
{
	return 0;
}

/* PIR resets cores: KVM leaves that to user space with -ENXIO. */
static int pir_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	return -ENXIO;
}

static uint32_t ipivpr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->src[MPIC_IRQ_IPI0 + n].ivpr;
}

static int ipivpr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	mpic_write_ivpr(m, MPIC_IRQ_IPI0 + n, val);
	return 0;
}

static uint32_t spvr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->spvr;
}

static int spvr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	m->spvr = val & MPIC_IVPR_VECTOR_MASK;
	return 0;
}

/* ---- per-CPU (banked pages and the current-CPU alias) -------------------- */

static bool cpu_ok(int cpu)
{
	return cpu >= 0 && cpu < MPIC_NR_CPU;
}

static int ipidr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	if (cpu_ok(cpu))
		mpic_ipi_send(m, n, val);
	return 0;
}

static uint32_t ctpr_read(struct mpic *m, unsigned int n, int cpu)
{
	return cpu_ok(cpu) ? m->cpu[cpu].ctpr : 0xffffffffu;
}

static int ctpr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	if (cpu_ok(cpu)) {
		m->cpu[cpu].ctpr = val & 0xf;
		mpic_cpu_refresh(m, cpu);
	}
	return 0;
}

static uint32_t whoami_read(struct mpic *m, unsigned int n, int cpu)
{
	return cpu_ok(cpu) ? (uint32_t)cpu : 0xffffffffu;
}

static uint32_t iack_read(struct mpic *m, unsigned int n, int cpu)
{
	return cpu_ok(cpu) ? mpic_iack(m, cpu) : 0xffffffffu;
}

static uint32_t eoi_read(struct mpic *m, unsigned int n, int cpu)
{
	return cpu_ok(cpu) ? 0 : 0xffffffffu;
}

static int eoi_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	if (cpu_ok(cpu))
		mpic_eoi(m, cpu);
	return 0;
}

#define CPU_REGS(base)                                                     \
	REGS((base) + MPIC_IPIDR(0), MPIC_NR_IPI, 0x10, NULL, ipidr_write), \
	REG((base) + MPIC_CTPR, ctpr_read, ctpr_write),                     \
	REG((base) + MPIC_WHOAMI, whoami_read, NULL),                       \
	REG((base) + MPIC_IACK, iack_read, NULL),                           \
	REG((base) + MPIC_EOI, eoi_read, eoi_write)

static const struct mpic_reg global_regs[] = {
	REG(MPIC_BRR1, brr1_read, NULL),
	CPU_REGS(0),
	REG(MPIC_FRR, frr_read, NULL),
	REG(MPIC_GCR, gcr_read, gcr_write),
	REG(MPIC_VIR, zero_read, NULL),
	REG(MPIC_PIR, zero_read, pir_write),
	REGS(MPIC_IPIVPR(0), MPIC_NR_IPI, 0x10, ipivpr_read, ipivpr_write),
	REG(MPIC_SPVR, spvr_read, spvr_write),
};

static const struct mpic_reg cpu_regs[] = {
	CPU_REGS(MPIC_CPU(0)),
};

/* ---- global timers: registers only, they do not count -------------------- */

static uint32_t tfrr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->tfrr;
}

static int tfrr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	m->tfrr = val;
	return 0;
}

static uint32_t gtccr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->tmr[n].tccr;
}

static uint32_t gtbcr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->tmr[n].tbcr;
}

static int gtbcr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	/* Re-enabling counting (CI 1 -> 0) restarts with TOG clear. */
	if ((m->tmr[n].tbcr & MPIC_TBCR_CI) && !(val & MPIC_TBCR_CI))
		m->tmr[n].tccr &= ~MPIC_TCCR_TOG;
	m->tmr[n].tbcr = val;
	return 0;
}

static uint32_t gtvpr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->src[MPIC_IRQ_TMR0 + n].ivpr;
}

static int gtvpr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	mpic_write_ivpr(m, MPIC_IRQ_TMR0 + n, val);
	return 0;
}

static uint32_t gtdr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->src[MPIC_IRQ_TMR0 + n].idr;
}

static int gtdr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	mpic_write_idr(m, MPIC_IRQ_TMR0 + n, val);
	return 0;
}

static const struct mpic_reg timer_regs[] = {
	REG(MPIC_TFRR, tfrr_read, tfrr_write),
	REGS(MPIC_GTCCR(0), MPIC_NR_TMR, 0x40, gtccr_read, NULL),
	REGS(MPIC_GTBCR(0), MPIC_NR_TMR, 0x40, gtbcr_read, gtbcr_write),
	REGS(MPIC_GTVPR(0), MPIC_NR_TMR, 0x40, gtvpr_read, gtvpr_write),
	REGS(MPIC_GTDR(0), MPIC_NR_TMR, 0x40, gtdr_read, gtdr_write),
};

/* ---- shared message interrupts ------------------------------------------- */

/* Reading an MSIR clears it and drops its source's line. */
static uint32_t msir_read(struct mpic *m, unsigned int n, int cpu)
{
	uint32_t val = m->msir[n];

	m->msir[n] = 0;
	mpic_set_irq(m, MPIC_MSI_SRC0 + n, false);
	return val;
}

static uint32_t msisr_read(struct mpic *m, unsigned int n, int cpu)
{
	uint32_t val = 0;

	for (unsigned int i = 0; i < MPIC_NR_MSIR; i++)
		if (m->msir[i])
			val |= 1u << i;
	return val;
}

/* MSIIR: SRS (bits 31:29) picks the MSIR, IBS (28:24) the bit in it. */
static int msiir_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	unsigned int srs = val >> MPIC_MSIIR_SRS_SHIFT;
	unsigned int ibs = (val >> MPIC_MSIIR_IBS_SHIFT) & 0x1f;

	m->msir[srs] |= 1u << ibs;
	mpic_set_irq(m, MPIC_MSI_SRC0 + srs, true);
	return 0;
}

static const struct mpic_reg msi_regs[] = {
	REGS(MPIC_MSIR(0), MPIC_NR_MSIR, 0x10, msir_read, NULL),
	REG(MPIC_MSISR, msisr_read, NULL),
	REG(MPIC_MSIIR, NULL, msiir_write),
};

/* ---- interrupt sources --------------------------------------------------- */

static uint32_t ivpr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->src[n].ivpr;
}

static int ivpr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	mpic_write_ivpr(m, n, val);
	return 0;
}

static uint32_t idr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->src[n].idr;
}

static int idr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	mpic_write_idr(m, n, val);
	return 0;
}

static uint32_t ilr_read(struct mpic *m, unsigned int n, int cpu)
{
	return m->ver->has_ilr ? m->src[n].output : 0xffffffffu;
}

static int ilr_write(struct mpic *m, unsigned int n, int cpu, uint32_t val)
{
	mpic_write_ilr(m, n, val);
	return 0;
}

static const struct mpic_reg src_regs[] = {
	REGS(MPIC_IVPR(0), MPIC_NR_SRC, 0x20, ivpr_read, ivpr_write),
	REGS(MPIC_IDR(0), MPIC_NR_SRC, 0x20, idr_read, idr_write),
	REGS(MPIC_ILR(0), MPIC_NR_SRC, 0x20, ilr_read, ilr_write),
};

/* ---- the map ------------------------------------------------------------- */

#define TABLE(t) (t), sizeof(t) / sizeof((t)[0])

static const struct mpic_region regions[] = {
	{ 0x0000, 0x10f0, 0, 0xffffffffu, false, TABLE(global_regs) },
	{ 0x10f0, 0x0220, 0, 0xffffffffu, false, TABLE(timer_regs) },
	{ 0x1600, 0x0200, 0, 0, true, TABLE(msi_regs) },
	{ 0x3800, 0x0800, 0, 0, false, NULL, 0 },	/* summary: RAZ/WI */
	{ 0x10000, MPIC_NR_SRC * 0x20, 0, 0xffffffffu, false,
	  TABLE(src_regs) },
	/* 31 full pages and the registers of CPU 31's, as KVM maps. */
	{ MPIC_CPU(0), (MPIC_NR_CPU - 1) * 0x1000 + 0x100, 0x1000,
	  0xffffffffu, false, TABLE(cpu_regs) },
};

/*
 * Find the register at @off (made relative to CPU 0's page for the
 * banked region, with @cpu set to the page's CPU).
 */
static const struct mpic_region *region_find(uint64_t *off, int *cpu)
{
	for (unsigned int i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		const struct mpic_region *r = &regions[i];
		uint64_t rel = *off - r->start;

		if (*off < r->start || rel >= r->size)
			continue;
		if (r->page) {
			*cpu = rel / r->page;
			*off = r->start + rel % r->page;
		}
		return r;
	}
	return NULL;
}

static const struct mpic_reg *reg_find(const struct mpic_region *r,
				       uint64_t off, unsigned int *n)
{
	for (unsigned int i = 0; i < r->nr_regs; i++) {
		const struct mpic_reg *reg = &r->regs[i];
		uint64_t d = off - reg->offset;

		if (off < reg->offset)
			continue;
		if (reg->count == 1 ? d == 0 :
		    d % reg->stride == 0 && d / reg->stride < reg->count) {
			*n = reg->count == 1 ? 0 : d / reg->stride;
			return reg;
		}
	}
	return NULL;
}

int mpic_reg_read(struct mpic *m, uint64_t off, int cpu, uint32_t *val)
{
	const struct mpic_region *r = region_find(&off, &cpu);
	const struct mpic_reg *reg;
	unsigned int n;

	if (!r)
		return -ENXIO;
	if (r->reads_16 && (off & 0xf))
		return -ENXIO;
	reg = reg_find(r, off, &n);
	*val = reg && reg->read ? reg->read(m, n, cpu) : r->filler;
	return 0;
}

int mpic_reg_write(struct mpic *m, uint64_t off, int cpu, uint32_t val)
{
	const struct mpic_region *r = region_find(&off, &cpu);
	const struct mpic_reg *reg;
	unsigned int n;

	if (!r)
		return -ENXIO;
	reg = reg_find(r, off, &n);
	return reg && reg->write ? reg->write(m, n, cpu, val) : 0;
}
