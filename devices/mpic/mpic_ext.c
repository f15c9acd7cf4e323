// SPDX-License-Identifier: GPL-2.0
/*
 * Software FSL MPIC: KVMKIT_DEV_MPIC_GRP_STATE, a kvmkit extension of
 * the attribute ABI (mpic.h) for what KVM's MPIC groups cannot reach and
 * a snapshot must keep: each CPU's in-service stack and the IPIs
 * pending at it, each global timer's pending edge and GTCCR[TOG].
 * Written last on restore, after the registers and IRQ_ACTIVE, so the
 * output lines are recomputed from the final state.
 */
#include <errno.h>
#include <string.h>

#include "mpic/mpic_priv.h"

#define TMR_PENDING 0x1ull

static bool is_cpu_attr(uint64_t attr)
{
	return attr < MPIC_NR_CPU;
}

static bool is_timer_attr(uint64_t attr)
{
	return attr >= KVMKIT_MPIC_STATE_TIMER(0) &&
	       attr < KVMKIT_MPIC_STATE_TIMER(MPIC_NR_TMR);
}

int mpic_state_has(uint64_t attr)
{
	return is_cpu_attr(attr) || is_timer_attr(attr) ? 0 : -ENXIO;
}

size_t mpic_state_size(uint64_t attr)
{
	return is_cpu_attr(attr) ? KVMKIT_MPIC_CPU_STATE_WORDS * 8 : 8;
}

/* @val: KVMKIT_MPIC_CPU_STATE_WORDS or 1 u64s, host order. */
int mpic_state_get(struct mpic *m, uint64_t attr, uint64_t *val)
{
	if (is_cpu_attr(attr)) {
		const struct mpic_cpu *c = &m->cpu[attr];

		memset(val, 0, KVMKIT_MPIC_CPU_STATE_WORDS * 8);
		memcpy(val, c->servicing, sizeof(c->servicing));
		for (unsigned int i = 0; i < MPIC_NR_IPI; i++)
			if (m->src[MPIC_IRQ_IPI0 + i].ipi_cpus & (1u << attr))
				val[MPIC_QWORDS] |= 1ull << i;
		return 0;
	}
	if (is_timer_attr(attr)) {
		unsigned int t = (unsigned int)attr - KVMKIT_MPIC_STATE_TIMER(0);

		val[0] = (m->src[MPIC_IRQ_TMR0 + t].pending ? TMR_PENDING : 0) |
			 (m->tmr[t].tccr & MPIC_TCCR_TOG);
		return 0;
	}
	return -ENXIO;
}

static int set_cpu(struct mpic *m, unsigned int cpu, const uint64_t *val)
{
	uint64_t top = MPIC_NR_IRQ % 64 ? ~0ull << (MPIC_NR_IRQ % 64) : 0;

	if ((val[MPIC_QWORDS - 1] & top) ||
	    (val[MPIC_QWORDS] & ~((1ull << MPIC_NR_IPI) - 1)))
		return -EINVAL;
	for (unsigned int w = MPIC_QWORDS + 1; w < KVMKIT_MPIC_CPU_STATE_WORDS;
	     w++)
		if (val[w])
			return -EINVAL;
	memcpy(m->cpu[cpu].servicing, val, sizeof(m->cpu[cpu].servicing));
	for (unsigned int i = 0; i < MPIC_NR_IPI; i++) {
		struct mpic_src *s = &m->src[MPIC_IRQ_IPI0 + i];

		if (val[MPIC_QWORDS] & (1ull << i))
			s->ipi_cpus |= (1u << cpu) & mpic_cpu_mask(m);
		else
			s->ipi_cpus &= ~(1u << cpu);
		s->pending = s->ipi_cpus != 0;
		mpic_src_update(m, MPIC_IRQ_IPI0 + i);
	}
	mpic_cpu_refresh(m, cpu);
	return 0;
}

int mpic_state_set(struct mpic *m, uint64_t attr, const uint64_t *val)
{
	if (is_cpu_attr(attr))
		return set_cpu(m, (unsigned int)attr, val);
	if (is_timer_attr(attr)) {
		unsigned int t = (unsigned int)attr - KVMKIT_MPIC_STATE_TIMER(0);
		struct mpic_src *s = &m->src[MPIC_IRQ_TMR0 + t];

		if (val[0] & ~(TMR_PENDING | MPIC_TCCR_TOG))
			return -EINVAL;
		m->tmr[t].tccr = (m->tmr[t].tccr & ~MPIC_TCCR_TOG) |
				 (uint32_t)(val[0] & MPIC_TCCR_TOG);
		s->pending = val[0] & TMR_PENDING;
		mpic_src_update(m, MPIC_IRQ_TMR0 + t);
		return 0;
	}
	return -ENXIO;
}
