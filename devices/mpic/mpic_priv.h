/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software FSL MPIC: model state shared by the delivery core
 * (mpic_core.c), the register tables (mpic_regs.c) and the device /
 * attribute glue (mpic_dev.c).  Everything here runs with m->lock held.
 */
#ifndef KVMKIT_MPIC_PRIV_H
#define KVMKIT_MPIC_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvmkit/device.h"
#include "mpic/mpic.h"

/*
 * Internal IRQ numbers: the 256 SRC sources, then the four IPIs and the
 * four global timers (which have no SRC pin, as in KVM's model).
 */
#define MPIC_IRQ_IPI0 MPIC_NR_SRC
#define MPIC_IRQ_TMR0 (MPIC_IRQ_IPI0 + MPIC_NR_IPI)
#define MPIC_NR_IRQ (MPIC_IRQ_TMR0 + MPIC_NR_TMR)
#define MPIC_QWORDS ((MPIC_NR_IRQ + 63) / 64)

/* SRC 0..15 are external (edge or level), 16..255 internal. */
#define MPIC_NR_EXT 16

enum mpic_src_kind {
	MPIC_KIND_EXT,		/* sense and polarity programmable */
	MPIC_KIND_INT,		/* FSL internal: always level */
	MPIC_KIND_SPECIAL,	/* IPI, timer: edge, no sense/polarity */
};

/* Outputs per CPU; the values are the v4.2 ILR encoding. */
enum mpic_output {
	MPIC_OUT_INT = MPIC_ILR_INT,
	MPIC_OUT_CINT = MPIC_ILR_CINT,
	MPIC_OUT_MCP = MPIC_ILR_MCP,
	MPIC_NR_OUT,
};

/* What differs between the two device types. */
struct mpic_version {
	uint32_t type;		/* KVM_DEV_TYPE_FSL_MPIC_* */
	uint32_t brr1;		/* block revision register 1 */
	uint32_t nirq;		/* sources reported in FRR */
	uint32_t mode_mask;	/* writable GCR mode bits */
	bool idr_crit;		/* v2.0: IDR[CIn] route to critical */
	bool has_ilr;		/* v4.2: ILR selects the output */
};

struct mpic_src {
	uint32_t ivpr;
	uint32_t idr;
	uint8_t kind;		/* enum mpic_src_kind */
	uint8_t output;		/* enum mpic_output */
	bool level;		/* level-sensitive */
	bool nomask;		/* v2.0 critical: IVPR[MSK] is ignored */
	bool line;		/* input level last driven (set_irq) */
	bool pending;
	uint32_t ipi_cpus;	/* IPIs: CPUs that have not taken it yet */
	uint32_t routed;	/* CPUs it is asserted at now ... */
	uint8_t routed_out;	/* ... on this output */
};

struct mpic_cpu {
	uint32_t ctpr;
	/* [MPIC_OUT_INT] is the raised queue IACK picks from. */
	uint64_t raised[MPIC_NR_OUT][MPIC_QWORDS];
	uint64_t servicing[MPIC_QWORDS];	/* the in-service stack */
	bool line[MPIC_NR_OUT];			/* level last driven */
};

struct mpic {
	pthread_mutex_t lock;
	struct devhost *host;
	const struct mpic_version *ver;
	uint64_t base;		/* 0: not mapped */

	uint32_t gcr;
	uint32_t spvr;
	uint32_t tfrr;
	struct {
		uint32_t tccr;
		uint32_t tbcr;
	} tmr[MPIC_NR_TMR];
	uint32_t msir[MPIC_NR_MSIR];

	struct mpic_src src[MPIC_NR_IRQ];
	struct mpic_cpu cpu[MPIC_NR_CPU];
};

/* mpic_core.c: delivery. */
unsigned int mpic_nb_cpus(struct mpic *m);
uint32_t mpic_cpu_mask(struct mpic *m);
void mpic_reset(struct mpic *m);
void mpic_src_update(struct mpic *m, unsigned int irq);
void mpic_set_irq(struct mpic *m, unsigned int irq, bool level);
void mpic_ipi_send(struct mpic *m, unsigned int ipi, uint32_t cpus);
uint32_t mpic_iack(struct mpic *m, unsigned int cpu);
void mpic_eoi(struct mpic *m, unsigned int cpu);
void mpic_cpu_refresh(struct mpic *m, unsigned int cpu);
void mpic_write_ivpr(struct mpic *m, unsigned int irq, uint32_t val);
void mpic_write_idr(struct mpic *m, unsigned int irq, uint32_t val);
void mpic_write_ilr(struct mpic *m, unsigned int irq, uint32_t val);

/* mpic_regs.c: the register map.  @off is 4-byte aligned; @cpu is the
 * accessing vCPU for the current-CPU alias, -1 for none. */
int mpic_reg_read(struct mpic *m, uint64_t off, int cpu, uint32_t *val);
int mpic_reg_write(struct mpic *m, uint64_t off, int cpu, uint32_t val);

/* mpic_ext.c: KVMKIT_DEV_MPIC_GRP_STATE (mpic.h). */
int mpic_state_has(uint64_t attr);
size_t mpic_state_size(uint64_t attr);
int mpic_state_get(struct mpic *m, uint64_t attr, uint64_t *val);
int mpic_state_set(struct mpic *m, uint64_t attr, const uint64_t *val);

#endif
