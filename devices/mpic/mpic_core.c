// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: interrupt delivery.
 *
 * A source is "active" while it is pending and not masked (IVPR[A]).  An
 * active source is asserted at the CPUs of its destination, on one
 * output: INT sources set their bit in each CPU's raised queue (even
 * below CTPR, so lowering CTPR later delivers them), critical and
 * machine-check sources their bit in that output's set.  Each source
 * remembers where it is asserted (routed/routed_out) so a change of
 * IDR, ILR, mask or pending state withdraws it exactly from there.
 *
 * The output lines are then a function of the state, recomputed per CPU:
 *   INT   = best raised priority > CTPR and > best in-service priority
 *   CRIT  = any critical source asserted at the CPU
 *   MCHK  = any machine-check source asserted at the CPU
 */
#include <string.h>

#include "mpic/mpic_priv.h"

static const int out_line[MPIC_NR_OUT] = {
	[MPIC_OUT_INT] = CPU_LINE_IRQ,
	[MPIC_OUT_CINT] = CPU_LINE_CRIT,
	[MPIC_OUT_MCP] = CPU_LINE_MCHECK,
};

static void q_set(uint64_t *q, unsigned int n)
{
	q[n / 64] |= 1ull << (n % 64);
}

static void q_clear(uint64_t *q, unsigned int n)
{
	q[n / 64] &= ~(1ull << (n % 64));
}

static bool q_empty(const uint64_t *q)
{
	for (unsigned int w = 0; w < MPIC_QWORDS; w++)
		if (q[w])
			return false;
	return true;
}

static int src_prio(const struct mpic_src *s)
{
	return (s->ivpr & MPIC_IVPR_PRIO_MASK) >> MPIC_IVPR_PRIO_SHIFT;
}

/* Highest-priority IRQ in @q, the lowest number on a tie; -1 if none. */
static int q_best(const struct mpic *m, const uint64_t *q, int *prio)
{
	int best = -1, best_prio = -1;

	for (unsigned int w = 0; w < MPIC_QWORDS; w++) {
		for (uint64_t bits = q[w]; bits; bits &= bits - 1) {
			unsigned int n = w * 64 + __builtin_ctzll(bits);
			int p = src_prio(&m->src[n]);

			if (p > best_prio) {
				best = n;
				best_prio = p;
			}
		}
	}
	*prio = best_prio;
	return best;
}

/* CPUs the MPIC serves: the VM's vCPUs, at most 32. */
unsigned int mpic_nb_cpus(struct mpic *m)
{
	int n = devhost_nr_vcpus(m->host);

	if (n < 0)
		return 0;
	return n > MPIC_NR_CPU ? MPIC_NR_CPU : (unsigned int)n;
}

uint32_t mpic_cpu_mask(struct mpic *m)
{
	unsigned int nb = mpic_nb_cpus(m);

	return nb >= 32 ? 0xffffffffu : (1u << nb) - 1;
}

/*
 * v2.0 IDR: CPU n's critical bit is CI0 >> n, above the P bits.  Only
 * CPUs whose CI bit does not collide with a P bit have one (all of them
 * up to 15 CPUs, KVM's layout).
 */
static unsigned int nb_crit_cpus(unsigned int nb)
{
	if (nb >= 31)
		return 0;
	return nb < 31 - nb ? nb : 31 - nb;
}

static uint32_t crit_mask(unsigned int nb)
{
	uint32_t mask = 0;

	for (unsigned int i = 0; i < nb_crit_cpus(nb); i++)
		mask |= MPIC_IDR_CI0 >> i;
	return mask;
}

static uint32_t crit_cpus(uint32_t idr, unsigned int nb)
{
	uint32_t cpus = 0;

	for (unsigned int i = 0; i < nb_crit_cpus(nb); i++)
		if (idr & (MPIC_IDR_CI0 >> i))
			cpus |= 1u << i;
	return cpus;
}

static bool is_ipi(unsigned int irq)
{
	return irq >= MPIC_IRQ_IPI0 && irq < MPIC_IRQ_IPI0 + MPIC_NR_IPI;
}

/* Where an active source is delivered. */
static uint32_t src_dest(struct mpic *m, unsigned int irq)
{
	const struct mpic_src *s = &m->src[irq];

	if (is_ipi(irq))
		return s->ipi_cpus & mpic_cpu_mask(m);
	if (m->ver->idr_crit && s->output == MPIC_OUT_CINT)
		return crit_cpus(s->idr, mpic_nb_cpus(m));
	return s->idr & mpic_cpu_mask(m);
}

static void drive(struct mpic *m, unsigned int cpu, int out, bool level)
{
	struct mpic_cpu *c = &m->cpu[cpu];

	if (c->line[out] == level)
		return;
	/* A vCPU not created yet gets the level on a later refresh. */
	if ((int)cpu >= devhost_nr_vcpus(m->host))
		return;
	c->line[out] = level;
	devhost_set_cpu_line(m->host, cpu, out_line[out], level);
}

void mpic_cpu_refresh(struct mpic *m, unsigned int cpu)
{
	struct mpic_cpu *c = &m->cpu[cpu];
	int raised, servicing;

	q_best(m, c->raised[MPIC_OUT_INT], &raised);
	q_best(m, c->servicing, &servicing);
	drive(m, cpu, MPIC_OUT_INT,
	      raised > (int)c->ctpr && raised > servicing);
	drive(m, cpu, MPIC_OUT_CINT, !q_empty(c->raised[MPIC_OUT_CINT]));
	drive(m, cpu, MPIC_OUT_MCP, !q_empty(c->raised[MPIC_OUT_MCP]));
}

static void refresh_cpus(struct mpic *m, uint32_t cpus)
{
	for (unsigned int i = 0; cpus; i++, cpus >>= 1)
		if (cpus & 1)
			mpic_cpu_refresh(m, i);
}

static void refresh_all(struct mpic *m)
{
	for (unsigned int i = 0; i < MPIC_NR_CPU; i++)
		mpic_cpu_refresh(m, i);
}

/* Re-evaluate source @irq after its pending, mask or routing changed. */
void mpic_src_update(struct mpic *m, unsigned int irq)
{
	struct mpic_src *s = &m->src[irq];
	bool active = s->pending &&
		      (!(s->ivpr & MPIC_IVPR_MASK) || s->nomask);
	uint32_t old = s->routed, now = active ? src_dest(m, irq) : 0;

	if (active)
		s->ivpr |= MPIC_IVPR_ACTIVITY;
	else
		s->ivpr &= ~MPIC_IVPR_ACTIVITY;

	for (unsigned int i = 0; i < MPIC_NR_CPU; i++) {
		if (old & (1u << i))
			q_clear(m->cpu[i].raised[s->routed_out], irq);
		if (now & (1u << i))
			q_set(m->cpu[i].raised[s->output], irq);
	}
	s->routed = now;
	s->routed_out = s->output;
	refresh_cpus(m, old | now);
}

/*
 * An input line: 1 is active, 0 inactive, whatever the sense.  On an
 * edge source every 1 is an activating edge and 0 is ignored.  Edge
 * sources routed to critical or machine check give a one-shot pulse
 * (nothing acknowledges those outputs), as KVM's model does.
 */
void mpic_set_irq(struct mpic *m, unsigned int irq, bool level)
{
	struct mpic_src *s = &m->src[irq];

	s->line = level;
	if (s->level) {
		s->pending = level;
		mpic_src_update(m, irq);
		return;
	}
	if (level) {
		s->pending = true;
		mpic_src_update(m, irq);
	}
	if (s->output != MPIC_OUT_INT) {
		s->pending = false;
		mpic_src_update(m, irq);
	}
}

/* IPIDR: each CPU in @cpus takes IPI @ipi once. */
void mpic_ipi_send(struct mpic *m, unsigned int ipi, uint32_t cpus)
{
	unsigned int irq = MPIC_IRQ_IPI0 + ipi;
	struct mpic_src *s = &m->src[irq];

	s->ipi_cpus |= cpus & mpic_cpu_mask(m);
	s->pending = s->ipi_cpus != 0;
	mpic_src_update(m, irq);
}

/*
 * IACK: the best raised interrupt above CTPR and above what is in
 * service enters service; its vector is returned, or SPVR if none.
 * Edge sources stop pending; an IPI stops pending at this CPU only.
 */
uint32_t mpic_iack(struct mpic *m, unsigned int cpu)
{
	struct mpic_cpu *c = &m->cpu[cpu];
	int prio, servicing;
	int irq = q_best(m, c->raised[MPIC_OUT_INT], &prio);
	struct mpic_src *s;
	uint32_t vector;

	q_best(m, c->servicing, &servicing);
	if (irq < 0 || prio <= (int)c->ctpr || prio <= servicing) {
		mpic_cpu_refresh(m, cpu);
		return m->spvr;
	}
	s = &m->src[irq];
	vector = s->ivpr & MPIC_IVPR_VECTOR_MASK;
	q_set(c->servicing, irq);
	if (is_ipi(irq)) {
		s->ipi_cpus &= ~(1u << cpu);
		s->pending = s->ipi_cpus != 0;
		mpic_src_update(m, irq);
	} else if (!s->level) {
		s->pending = false;
		mpic_src_update(m, irq);
	}
	mpic_cpu_refresh(m, cpu);
	return vector;
}

/* EOI: the highest-priority in-service interrupt leaves service. */
void mpic_eoi(struct mpic *m, unsigned int cpu)
{
	struct mpic_cpu *c = &m->cpu[cpu];
	int prio;
	int irq = q_best(m, c->servicing, &prio);

	if (irq < 0)
		return;
	q_clear(c->servicing, irq);
	mpic_cpu_refresh(m, cpu);
}

void mpic_write_ivpr(struct mpic *m, unsigned int irq, uint32_t val)
{
	struct mpic_src *s = &m->src[irq];
	uint32_t mask = MPIC_IVPR_MASK | MPIC_IVPR_PRIO_MASK |
			MPIC_IVPR_SENSE | MPIC_IVPR_POLARITY |
			MPIC_IVPR_VECTOR_MASK;

	/* A (activity) is read-only; MODE stays 0: directed delivery. */
	s->ivpr = (s->ivpr & MPIC_IVPR_ACTIVITY) | (val & mask);
	switch (s->kind) {
	case MPIC_KIND_EXT: {
		bool level = s->ivpr & MPIC_IVPR_SENSE;

		/* Becoming level-sensitive: pending follows the line. */
		if (level && !s->level)
			s->pending = s->line;
		s->level = level;
		break;
	}
	case MPIC_KIND_INT:
		s->ivpr &= ~MPIC_IVPR_SENSE;
		break;
	default:
		s->ivpr &= ~(MPIC_IVPR_SENSE | MPIC_IVPR_POLARITY);
		break;
	}
	mpic_src_update(m, irq);
	/* Its priority also counts where it is in service. */
	refresh_all(m);
}

void mpic_write_idr(struct mpic *m, unsigned int irq, uint32_t val)
{
	struct mpic_src *s = &m->src[irq];
	unsigned int nb = mpic_nb_cpus(m);
	uint32_t normal = mpic_cpu_mask(m);

	if (m->ver->idr_crit) {
		uint32_t crit = crit_mask(nb);

		s->idr = val & (normal | crit | MPIC_IDR_EP);
		/* Critical wins when both kinds of bit are set (as KVM). */
		s->output = (s->idr & crit) ? MPIC_OUT_CINT : MPIC_OUT_INT;
		/* v2.0 critical interrupts ignore IVPR[MSK]. */
		s->nomask = s->output == MPIC_OUT_CINT;
	} else {
		s->idr = val & normal;
	}
	mpic_src_update(m, irq);
}

/* v4.2 ILR: the output; reserved encodings are ignored. */
void mpic_write_ilr(struct mpic *m, unsigned int irq, uint32_t val)
{
	struct mpic_src *s = &m->src[irq];

	if (!m->ver->has_ilr || (val & 0xff) >= MPIC_NR_OUT)
		return;
	s->output = val & 0xff;
	mpic_src_update(m, irq);
}

/*
 * GCR[RST] and creation.  Sources come back masked, routed to CPU 0's
 * INT with edge latches and IPIs dropped; a level source keeps
 * following its input line.  MSIRs keep their bits (their sources stay
 * level-pending until the MSIR is read).
 */
void mpic_reset(struct mpic *m)
{
	m->gcr = 0;
	m->spvr = MPIC_IVPR_VECTOR_MASK;
	m->tfrr = 0;
	for (unsigned int irq = 0; irq < MPIC_NR_IRQ; irq++) {
		struct mpic_src *s = &m->src[irq];

		s->ivpr = MPIC_IVPR_MASK;
		s->idr = 1;
		s->output = MPIC_OUT_INT;
		s->nomask = false;
		s->ipi_cpus = 0;
		s->level = s->kind == MPIC_KIND_INT;
		if (s->kind == MPIC_KIND_INT)
			s->ivpr |= MPIC_IVPR_POLARITY;
		s->pending = s->level && s->line;
		mpic_src_update(m, irq);
	}
	for (unsigned int i = 0; i < MPIC_NR_CPU; i++) {
		struct mpic_cpu *c = &m->cpu[i];

		c->ctpr = 15;
		memset(c->raised, 0, sizeof(c->raised));
		memset(c->servicing, 0, sizeof(c->servicing));
		mpic_cpu_refresh(m, i);
	}
	for (unsigned int i = 0; i < MPIC_NR_TMR; i++) {
		m->tmr[i].tccr = 0;
		m->tmr[i].tbcr = MPIC_TBCR_CI;
	}
}
