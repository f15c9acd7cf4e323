/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the software GICv3 (KVM_DEV_TYPE_ARM_VGIC_V3): the state
 * every gicv3_*.c file shares.  One mutex per instance guards all of it;
 * functions named *_locked, and every register handler, expect it held.
 */
#ifndef KVMKIT_GICV3_INT_H
#define KVMKIT_GICV3_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/device.h"

#define GIC_NR_SGIS		16
#define GIC_NR_PRIVATE		32
#define GIC_MAX_INTID_SPI	1020	/* 1020..1023 are special INTIDs */
#define GIC_SPURIOUS		1023
#define GICV3_MAX_IRQS		1024	/* NR_IRQS upper bound (doc) */
#define GICV3_DEFAULT_IRQS	256	/* KVM's default when NR_IRQS unset */

#define GICV3_ADDR_UNDEF	(~0ULL)
#define GICV3_DIST_SIZE		0x10000ULL
#define GICV3_REDIST_SIZE	0x20000ULL	/* RD_base + SGI_base */
#define GICV3_SGI_BASE		0x10000u
#define GICV3_ALIGN		0x10000ULL

/* Priorities: 5 bits like KVM (VGIC_PRI_BITS), so 32 levels. */
#define GICV3_PRI_BITS		5
#define GICV3_PRI_MASK		0xf8
#define GICV3_BPR0_MIN		(7 - GICV3_PRI_BITS)
#define GICV3_BPR1_MIN		(GICV3_BPR0_MIN + 1)

/* GICD_TYPER.IDbits + 1 with and without an ITS (KVM's values). */
#define GICV3_ID_BITS_ITS	16
#define GICV3_ID_BITS_SPIS	10
#define GICV3_LPI_BASE		8192u
#define GICV3_NR_LPIS		((1u << GICV3_ID_BITS_ITS) - GICV3_LPI_BASE)
#define GICV3_PENDTAB_SKIP	1024u	/* first kB of a pending table */

/* GICD_IIDR: KVM's product ID and ARM's implementer code. */
#define GICV3_PRODUCT_KVM	0x4b
#define GICV3_IMPLEMENTER_ARM	0x43b
#define GICV3_IIDR_REV_SHIFT	12
#define GICV3_IIDR_REV_MASK	(0xfu << GICV3_IIDR_REV_SHIFT)
#define GICV3_REV_2		2	/* guest-configurable groups */
#define GICV3_REV_3		3	/* + GICR_CTLR.{IR,CES} */
#define GICV3_REV_LATEST	GICV3_REV_3

/* GICR_CTLR */
#define GICR_CTLR_ENABLE_LPIS	(1u << 0)
#define GICR_CTLR_CES		(1u << 1)
#define GICR_CTLR_IR		(1u << 2)

/* GICD_CTLR (single security state, affinity routing always on) */
#define GICD_CTLR_ENABLE_G1	(1u << 1)
#define GICD_CTLR_ARE		(1u << 4)
#define GICD_CTLR_DS		(1u << 6)

/* STATUSR: RRD, WRD, RWOD, WROD; the rest is reserved. */
#define GICV3_STATUSR_MASK	0xfu

/* GICR_WAKER */
#define GICR_WAKER_PSLEEP	(1u << 1)
#define GICR_WAKER_CASLEEP	(1u << 2)

struct gicv3;

/* One SGI, PPI or SPI. */
struct gicv3_irq {
	uint8_t priority;
	uint8_t enabled : 1;
	uint8_t group : 1;	/* 1: Group 1 (IRQ), 0: Group 0 (FIQ) */
	uint8_t edge : 1;	/* ICFGR: 1 edge, 0 level */
	uint8_t latch : 1;	/* pending latch (ISPENDR / edge) */
	uint8_t level : 1;	/* input line level */
	uint8_t active : 1;
	int16_t target;		/* SPIs: routed vCPU, -1 for none */
	uint32_t route;		/* SPIs: IROUTER Aff2.Aff1.Aff0 */
};

/* The ICC_* state of one vCPU. */
struct gicv3_cpuif {
	uint8_t pmr;
	uint8_t bpr0, bpr1;
	bool cbpr, eoimode;
	bool igrpen0, igrpen1;
	uint8_t pri_bits;	/* ICC_CTLR.PRIbits + 1 as last set */
	uint8_t id_bits;	/* ICC_CTLR.IDbits as last set */
	uint32_t ap0r[4], ap1r[4];
};

/* The MMIO opaque of one redistributor frame pair. */
struct gicv3_redist_io {
	struct gicv3 *gic;
	int vcpu;
};

struct gicv3_vcpu {
	struct gicv3_irq priv[GIC_NR_PRIVATE];
	struct gicv3_cpuif cpuif;
	uint64_t mpidr;		/* MPIDR_EL1 as read at CTRL_INIT */
	/* redistributor */
	uint32_t ctlr;		/* GICR_CTLR.EnableLPIs */
	uint32_t statusr;
	uint32_t waker;
	uint64_t pendbaser;
	uint64_t *lpi_pending;	/* bitmap of LPI - 8192 */
	unsigned int nr_lpi_pending;
	/* placement: region index in gic->rdregs, slot in it, -1 unplaced */
	int rdreg;
	uint32_t rdslot;
	uint64_t rd_base;
	bool rd_mapped;
	struct gicv3_redist_io io;
	/* CPU_LINE_IRQ / CPU_LINE_FIQ as last driven */
	bool line_irq, line_fiq;
};

/* A redistributor region (count 0: the legacy REDIST single region). */
struct gicv3_rdreg {
	uint64_t base;
	uint32_t count;
	uint32_t index;
	uint32_t used;		/* redistributors placed in it */
};

struct gicv3 {
	pthread_mutex_t lock;
	struct device *dev;
	struct devhost *host;

	bool initialized;
	uint32_t nr_spis;	/* 0 until NR_IRQS or CTRL_INIT */
	int nr_vcpus;		/* frozen at CTRL_INIT */
	struct gicv3_vcpu *vcpus;
	struct gicv3_irq *spis;

	/* distributor */
	bool enabled;		/* GICD_CTLR.EnableGrp1 (gates everything) */
	uint32_t statusr;
	uint32_t rev;		/* GICD_IIDR.Revision */
	uint64_t propbaser;	/* shared by all redistributors, as in KVM */

	/* LPI configuration cache: property byte per LPI */
	uint8_t *lpi_cfg;
	uint64_t *lpi_cfg_valid;

	/* guest physical layout */
	uint64_t dist_base;
	bool dist_mapped;
	struct gicv3_rdreg *rdregs;
	unsigned int nr_rdregs;
	bool rd_legacy;		/* set through KVM_VGIC_V3_ADDR_TYPE_REDIST */
	uint64_t window_base;	/* CPU-interface MMIO window */
	bool window_mapped;
};

/* A register access as the handlers see it. */
struct gicv3_access {
	struct gicv3 *g;
	int vcpu;		/* redistributor's vCPU (-1: distributor) */
	uint32_t offset;	/* from the frame base */
	uint32_t intid;		/* first INTID covered (per-IRQ registers) */
	unsigned int len;	/* bytes */
};

typedef uint64_t (*gicv3_read_fn)(const struct gicv3_access *a);
typedef void (*gicv3_write_fn)(const struct gicv3_access *a, uint64_t val);
typedef int (*gicv3_uwrite_fn)(const struct gicv3_access *a, uint64_t val);

/* Access sizes a register accepts. */
#define GICV3_ACC_8	(1u << 0)
#define GICV3_ACC_32	(1u << 2)
#define GICV3_ACC_64	(1u << 3)

/* Per-IRQ distributor register whose SGI/PPI part is RAZ/WI. */
#define GICV3_REG_SPI_ONLY	(1u << 0)

/*
 * One register (or array of per-IRQ registers).  uread/uwrite are the
 * attribute-interface handlers where the doc gives it other semantics;
 * NULL means the guest handler serves both.
 */
struct gicv3_reg {
	uint32_t offset;
	uint32_t len;
	uint8_t bpi;		/* bits per IRQ, 0 for plain registers */
	uint8_t access;
	uint8_t flags;
	gicv3_read_fn read;
	gicv3_write_fn write;
	gicv3_read_fn uread;
	gicv3_uwrite_fn uwrite;
};

/* gicv3_mmio.c: table dispatch and the shared per-IRQ handlers */
int gicv3_mmio_dispatch(struct gicv3 *g, const struct gicv3_reg *tab,
			unsigned int n, int vcpu, uint32_t offset, void *data,
			uint32_t len, bool is_write);
int gicv3_uaccess(struct gicv3 *g, const struct gicv3_reg *tab,
		  unsigned int n, int vcpu, uint32_t offset, uint32_t *val,
		  bool is_write);
bool gicv3_reg_exists(struct gicv3 *g, const struct gicv3_reg *tab,
		      unsigned int n, uint32_t offset);
uint64_t gicv3_read_raz(const struct gicv3_access *a);
void gicv3_write_wi(const struct gicv3_access *a, uint64_t val);
int gicv3_uwrite_wi(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_group(const struct gicv3_access *a);
void gicv3_write_group(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_enable(const struct gicv3_access *a);
void gicv3_write_senable(const struct gicv3_access *a, uint64_t val);
void gicv3_write_cenable(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_pending(const struct gicv3_access *a);
void gicv3_write_spending(const struct gicv3_access *a, uint64_t val);
void gicv3_write_cpending(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_uread_pending(const struct gicv3_access *a);
int gicv3_uwrite_pending(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_active(const struct gicv3_access *a);
void gicv3_write_sactive(const struct gicv3_access *a, uint64_t val);
void gicv3_write_cactive(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_priority(const struct gicv3_access *a);
void gicv3_write_priority(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_config(const struct gicv3_access *a);
void gicv3_write_config(const struct gicv3_access *a, uint64_t val);
uint64_t gicv3_read_idregs(const struct gicv3_access *a);
/* Merge a 32- or 64-bit write into a 64-bit register. */
uint64_t gicv3_update64(uint64_t reg, uint32_t offset, unsigned int len,
			uint64_t val);
uint64_t gicv3_extract64(uint64_t reg, uint32_t offset, unsigned int len);

/* gicv3_dist.c */
int gicv3_dist_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		    uint32_t len, bool is_write);
int gicv3_dist_uaccess(struct gicv3 *g, uint32_t offset, uint32_t *val,
		       bool is_write);
bool gicv3_dist_has_reg(struct gicv3 *g, uint32_t offset);
uint32_t gicv3_iidr(struct gicv3 *g);
bool gicv3_has_its(struct gicv3 *g);
unsigned int gicv3_id_bits(struct gicv3 *g);

/* gicv3_redist.c */
int gicv3_redist_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		      uint32_t len, bool is_write);
int gicv3_redist_uaccess(struct gicv3 *g, int vcpu, uint32_t offset,
			 uint32_t *val, bool is_write);
bool gicv3_redist_has_reg(struct gicv3 *g, uint32_t offset);
uint64_t gicv3_pendbaser_reset(void);
uint64_t gicv3_propbaser_reset(void);

/* gicv3_irq.c */
uint32_t gicv3_nr_irqs(const struct gicv3 *g);
struct gicv3_irq *gicv3_get_irq(struct gicv3 *g, int vcpu, uint32_t intid);
bool gicv3_irq_pending(const struct gicv3_irq *irq);
void gicv3_irq_reset(struct gicv3 *g);
void gicv3_spi_retarget(struct gicv3 *g, struct gicv3_irq *irq);
int gicv3_vcpu_by_aff(struct gicv3 *g, uint32_t aff);
uint32_t gicv3_mpidr_to_aff(uint64_t mpidr);
int gicv3_inject_locked(struct gicv3 *g, int vcpu, uint32_t intid,
			int level);
uint32_t gicv3_level_info_read(struct gicv3 *g, int vcpu, uint32_t intid);
void gicv3_level_info_write(struct gicv3 *g, int vcpu, uint32_t intid,
			    uint32_t val);

/* The interrupt the CPU interface would present, if any. */
struct gicv3_hppi {
	uint32_t intid;		/* GIC_SPURIOUS when none */
	uint8_t priority;
	uint8_t group;
};
void gicv3_hppi(struct gicv3 *g, int vcpu, struct gicv3_hppi *out);
/* Re-evaluate every vCPU's IRQ/FIQ lines; call after any state change. */
void gicv3_update(struct gicv3 *g);

/* gicv3_cpuif.c */
void gicv3_cpuif_reset(struct gicv3_cpuif *c);
uint8_t gicv3_cpuif_rpr(const struct gicv3_cpuif *c);
bool gicv3_cpuif_can_signal(const struct gicv3_cpuif *c,
			    const struct gicv3_hppi *h);
uint32_t gicv3_cpuif_ack_locked(struct gicv3 *g, int vcpu, int group);
uint32_t gicv3_cpuif_hppir_locked(struct gicv3 *g, int vcpu, int group);
void gicv3_cpuif_eoi_locked(struct gicv3 *g, int vcpu, int group,
			    uint32_t intid);
void gicv3_cpuif_dir_locked(struct gicv3 *g, int vcpu, uint32_t intid);
void gicv3_cpuif_sgi_locked(struct gicv3 *g, int vcpu, uint64_t val,
			    bool group1);
unsigned int gicv3_cpuif_max_apr(const struct gicv3_cpuif *c);

/* gicv3_sysreg.c */
int gicv3_sysreg_uaccess(struct gicv3 *g, int vcpu, uint32_t instr,
			 uint64_t *val, bool is_write);
bool gicv3_sysreg_known(uint32_t instr);
int gicv3_sysreg_guest_locked(struct gicv3 *g, int vcpu, uint32_t instr,
			      uint64_t *val, bool is_write);

/* gicv3_lpi.c */
int gicv3_lpi_alloc(struct gicv3 *g);
void gicv3_lpi_free(struct gicv3 *g);
void gicv3_lpi_enable(struct gicv3 *g, int vcpu);
void gicv3_lpi_disable(struct gicv3 *g, int vcpu);
void gicv3_lpi_invalidate_locked(struct gicv3 *g, uint32_t intid);
void gicv3_lpi_invalidate_all_locked(struct gicv3 *g);
/* Highest-priority enabled pending LPI of @vcpu; false if none. */
bool gicv3_lpi_hppi(struct gicv3 *g, int vcpu, uint32_t *intid,
		    uint8_t *prio);
void gicv3_lpi_clear_locked(struct gicv3 *g, int vcpu, uint32_t intid);
int gicv3_save_pending_tables(struct gicv3 *g);
uint32_t gicv3_lpi_limit(struct gicv3 *g);
extern const struct gicv3_lpi_ops gicv3_lpi_ops;

/* gicv3_addr.c */
int gicv3_addr_set(struct gicv3 *g, uint64_t type, uint64_t val);
int gicv3_addr_get(struct gicv3 *g, uint64_t type, uint64_t *val);
int gicv3_map_all(struct gicv3 *g);
void gicv3_unmap_frames(struct gicv3 *g);
void gicv3_unmap_all(struct gicv3 *g);
bool gicv3_redist_is_last(struct gicv3 *g, int vcpu);

/* gicv3_core.c */
int gicv3_vcpu_count(struct gicv3 *g);
uint64_t gicv3_vcpu_mpidr(struct gicv3 *g, int vcpu);
struct gicv3 *gicv3_of(struct device *dev);

static inline void gicv3_lock(struct gicv3 *g)
{
	pthread_mutex_lock(&g->lock);
}

static inline void gicv3_unlock(struct gicv3 *g)
{
	pthread_mutex_unlock(&g->lock);
}

#endif
