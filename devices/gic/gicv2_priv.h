/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the software GICv2, shared by its files (and its unit
 * tests): the state, the register descriptor tables and the interrupt
 * state machine.  Every function here expects gic->lock held unless it
 * says otherwise.
 */
#ifndef KVMKIT_GICV2_PRIV_H
#define KVMKIT_GICV2_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gic/gicv2.h"
#include "kvmkit/device.h"

#define GICV2_MAX_CPUS 8
#define GICV2_NR_SGIS 16
#define GICV2_NR_PRIVATE 32
#define GICV2_MAX_IRQS 1024
#define GICV2_MAX_SPI 1019		/* 1020..1023 are special IDs */
#define GICV2_DEFAULT_NR_IRQS 256	/* KVM's when NR_IRQS was never set */

#define GICV2_SPURIOUS 1023
#define GICV2_SPURIOUS_GRP1 1022	/* group 1 read through IAR, AckCtl=0 */
#define GICV2_ADDR_UNDEF (~0ULL)	/* KVM's VGIC_ADDR_UNDEF */

/* 5 priority bits (32 levels), as KVM implements: low 3 bits RAZ/WI. */
#define GICV2_PRI_BITS 5
#define GICV2_PRI_MASK 0xf8
#define GICV2_IDLE_PRIORITY 0xff
#define GICV2_MIN_BPR (7 - GICV2_PRI_BITS)	/* 2 */
#define GICV2_MIN_ABPR (GICV2_MIN_BPR + 1)	/* 3 */

/* GICD_IIDR: ProductID 0x4b ('K'), Revision, Implementer ARM (0x43b). */
#define GICV2_IIDR_PRODUCT_KVM 0x4b
#define GICV2_IIDR_IMPLEMENTER_ARM 0x43b
#define GICV2_IIDR_REV_SHIFT 12
#define GICV2_IIDR_REV_MASK (0xfu << GICV2_IIDR_REV_SHIFT)
#define GICV2_IIDR_REV_DEFAULT 3	/* KVM's latest (2: groups configurable) */
#define GICV2_IIDR(rev) \
	((uint32_t)GICV2_IIDR_PRODUCT_KVM << 24 | \
	 (uint32_t)(rev) << GICV2_IIDR_REV_SHIFT | GICV2_IIDR_IMPLEMENTER_ARM)
/* GICC_IIDR: ProductID 0x4b, Architecture version 2, Implementer ARM. */
#define GICV2_CPU_IIDR \
	((uint32_t)GICV2_IIDR_PRODUCT_KVM << 20 | 2u << 16 | \
	 GICV2_IIDR_IMPLEMENTER_ARM)

/* GICC_CTLR bits of a GICv2 without the security extensions (GICV_CTLR). */
#define GICC_CTLR_ENABLE_GRP0 (1u << 0)
#define GICC_CTLR_ENABLE_GRP1 (1u << 1)
#define GICC_CTLR_ACKCTL (1u << 2)
#define GICC_CTLR_FIQEN (1u << 3)
#define GICC_CTLR_CBPR (1u << 4)
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_CTLR_MASK \
	(GICC_CTLR_ENABLE_GRP0 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACKCTL | \
	 GICC_CTLR_FIQEN | GICC_CTLR_CBPR | GICC_CTLR_EOIMODE)

struct gicv2_irq {
	uint8_t priority;	/* GICD_IPRIORITYR byte, low 3 bits zero */
	uint8_t targets;	/* SPIs: GICD_ITARGETSR byte */
	uint8_t sources;	/* SGIs: CPUs that requested it (SPENDSGIR) */
	bool group1;		/* GICD_IGROUPR bit */
	bool enabled;
	bool edge;		/* GICD_ICFGR: edge-triggered */
	bool latch;		/* pending latch (edge, ISPENDR, SGIs) */
	bool line;		/* input line level (set_irq) */
	bool active;
};

struct gicv2_cpu {
	struct gicv2_irq priv[GICV2_NR_PRIVATE];	/* banked SGIs, PPIs */
	uint32_t ctlr;		/* GICC_CTLR & GICC_CTLR_MASK */
	uint8_t pmr;		/* GICC_PMR, low 3 bits zero */
	uint8_t bpr;		/* GICC_BPR, >= GICV2_MIN_BPR */
	uint8_t abpr;		/* GICC_ABPR, >= GICV2_MIN_ABPR */
	/* Combined active priorities: bit n = preemption level n active. */
	uint32_t apr;
	int line[2];		/* level last driven on CPU_LINE_IRQ/_FIQ */
};

struct gicv2 {
	pthread_mutex_t lock;
	struct device *dev;
	struct devhost *host;
	uint64_t dist_base;	/* GICV2_ADDR_UNDEF until set */
	uint64_t cpu_base;
	unsigned int nr_irqs;	/* 0 until NR_IRQS is set or state frozen */
	int nr_cpus;		/* vCPUs, frozen when the state is built */
	bool ready;		/* state built (lazily, as KVM's vgic_init) */
	bool mapped;		/* CTRL_INIT done, both frames mapped */
	bool enabled;		/* GICD_CTLR.Enable */
	bool groups_user_writable;	/* GICD_IIDR written by userspace */
	unsigned int iidr_rev;
	struct gicv2_cpu cpu[GICV2_MAX_CPUS];
	struct gicv2_irq *spis;	/* nr_irqs - 32 of them */
};

/* ---- register descriptor tables (gicv2_regs.c) -------------------------- */

/* One access, as a handler sees it. */
struct gicv2_access {
	struct gicv2 *gic;
	int cpu;		/* accessing vCPU (vcpu_index for attributes) */
	uint32_t offset;	/* from the frame base */
	uint32_t intid;		/* first INTID, per-IRQ registers */
	unsigned int len;	/* bytes: 1 or 4 */
};

#define GICV2_ACC_8 (1u << 0)
#define GICV2_ACC_32 (1u << 2)

struct gicv2_reg {
	uint32_t offset;
	uint32_t len;		/* bytes the descriptor covers */
	uint8_t bits_per_irq;	/* 0: not indexed by INTID */
	uint8_t access;		/* GICV2_ACC_*: sizes the guest may use */
	bool guest_only;	/* not reachable through attributes */
	/* Guest view; NULL read is RAZ, NULL write is WI. */
	uint32_t (*read)(const struct gicv2_access *a);
	void (*write)(const struct gicv2_access *a, uint32_t val);
	/* Attribute view where it differs from the guest's; else NULL. */
	uint32_t (*uread)(const struct gicv2_access *a);
	int (*uwrite)(const struct gicv2_access *a, uint32_t val);
};

struct gicv2_regmap {
	const char *name;
	const struct gicv2_reg *regs;	/* sorted by offset */
	size_t nr;
};

extern const struct gicv2_regmap gicv2_dist_map;
extern const struct gicv2_regmap gicv2_cpu_map;

/* Guest access: unknown or badly sized accesses are RAZ/WI. */
void gicv2_regs_guest(struct gicv2 *gic, const struct gicv2_regmap *map,
		      int cpu, uint32_t offset, void *data, uint32_t len,
		      bool is_write);
/* Attribute access (32 bits): -ENXIO where no register answers. */
int gicv2_regs_user(struct gicv2 *gic, const struct gicv2_regmap *map,
		    int cpu, uint32_t offset, uint32_t *val, bool is_write);
/* Whether an attribute access at @offset would find a register. */
bool gicv2_regs_user_has(struct gicv2 *gic, const struct gicv2_regmap *map,
			 uint32_t offset);

/* ---- interrupt state machine (gicv2_irq.c) ------------------------------ */

/* INTID @intid as vCPU @cpu sees it (its bank for 0..31); NULL: none. */
struct gicv2_irq *gicv2_irq(struct gicv2 *gic, int cpu, uint32_t intid);
bool gicv2_irq_pending(const struct gicv2_irq *irq);
/* Drive input @intid (PPI of @cpu, or SPI) to @level. */
void gicv2_irq_set_line(struct gicv2 *gic, int cpu, uint32_t intid,
			bool level);
/* Make SGI @sgi pending on @target, requested by @source. */
void gicv2_sgi_raise(struct gicv2 *gic, int target, int source,
		     uint32_t sgi);

/* GICC_IAR/AIAR (@alias), GICC_HPPIR/AHPPIR, GICC_RPR. */
uint32_t gicv2_cpu_ack(struct gicv2 *gic, int cpu, bool alias);
uint32_t gicv2_cpu_hppir(struct gicv2 *gic, int cpu, bool alias);
uint8_t gicv2_cpu_rpr(const struct gicv2_cpu *c);
/* GICC_EOIR/AEOIR write: priority drop, and deactivation unless EOImode. */
void gicv2_cpu_eoi(struct gicv2 *gic, int cpu, uint32_t val);
/* GICC_DIR write: deactivation. */
void gicv2_cpu_deactivate(struct gicv2 *gic, int cpu, uint32_t val);

/* Re-evaluate and drive every vCPU's IRQ/FIQ lines. */
void gicv2_update(struct gicv2 *gic);

/* ---- state and attributes (gicv2_device.c, gicv2_attr.c) --------------- */

/* Build the IRQ state once (KVM's vgic_init): freezes NR_IRQS, vCPUs. */
int gicv2_make_ready(struct gicv2 *gic);
/* Map both frames (CTRL_INIT). */
int gicv2_map(struct gicv2 *gic);
void gicv2_unmap(struct gicv2 *gic);
void gicv2_free(struct gicv2 *gic);

/*
 * The attribute ABI on plain values, after the copy from/before the copy
 * to attr->addr (the device ops add exactly that).  Both take the lock.
 */
int gicv2_set_value(struct gicv2 *gic, uint32_t group, uint64_t attr,
		    uint64_t val);
int gicv2_get_value(struct gicv2 *gic, uint32_t group, uint64_t attr,
		    uint64_t *val);
int gicv2_has_value(struct gicv2 *gic, uint32_t group, uint64_t attr);

/* The device ops those wrap (gicv2_attr.c). */
int gicv2_dev_set_attr(struct device *dev, const struct kvm_device_attr *attr);
int gicv2_dev_get_attr(struct device *dev, const struct kvm_device_attr *attr);
int gicv2_dev_has_attr(struct device *dev, const struct kvm_device_attr *attr);

static inline struct gicv2 *gicv2_of(struct device *dev)
{
	return dev->priv;
}

#endif
