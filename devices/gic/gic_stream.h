/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the GICv2 and GICv3 attribute streams share (gicv2_stream.c,
 * gicv3_stream.c; docs/snapshot-format.md): a table-driven register
 * walker for the save side and the checked replay of the restore side.
 * Only device_get/device_set/device_has are used, so the same code
 * serves the kernel's GIC and the software models.
 */
#ifndef KVMKIT_GIC_STREAM_H
#define KVMKIT_GIC_STREAM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/attr_stream.h"

/* KVM's GICv3 limit; a GICv2 stops at 8. */
#define GIC_STREAM_MAX_VCPUS 512
#define GIC_STREAM_NR_GROUPS 9	/* attribute groups 0..8 */

#define GIC_OFF_IIDR 0x008	/* GICD_IIDR, in both distributors */

/* What one step of a save table covers. */
enum gic_span {
	GIC_SPAN_ONE,		/* one register, once */
	GIC_SPAN_EACH,		/* one register of every vCPU */
	GIC_SPAN_SGIS,		/* INTIDs 0-15 of every vCPU */
	GIC_SPAN_PRIVATE,	/* INTIDs 0-31 of every vCPU */
	GIC_SPAN_SPIS,		/* INTIDs 32..NR_IRQS-1, once */
};

/*
 * One step: a register, or the per-INTID array at @off (the register of
 * INTID 0) walked in 32-bit words.  @clear: the clear twin of a set/clear
 * pair; each word is preceded by a record writing all-ones there, so the
 * set half's saved value is the whole state.  @drop: bits left out of
 * the word that holds INTID 0 (their state travels in another register).
 */
struct gic_step {
	uint32_t group;
	uint32_t off;
	uint8_t bits;		/* bits per INTID; 0: a single register */
	uint8_t span;		/* enum gic_span */
	uint32_t clear;		/* 0: none */
	uint32_t drop;
};

struct gic_save {
	struct device *dev;
	struct attr_stream *s;
	uint32_t nr_irqs;
	int nr_vcpus;
	/*
	 * Per vCPU, the attr's bits 63:32 that address it: vcpu_index << 32
	 * (GICv2) or its affinity Aff3.Aff2.Aff1.Aff0 << 32 (GICv3).
	 */
	uint64_t vcpu[GIC_STREAM_MAX_VCPUS];
};

/* The NR_IRQS record, first in every GIC stream; sets g->nr_irqs. */
int gic_save_nr_irqs(struct gic_save *g);
/*
 * One 32-bit register at @attr into the stream, after an all-ones write
 * to @clear_attr when @clear.  A register the device lacks (has_attr
 * -ENXIO) is skipped: the other backend may have it.
 */
int gic_save_word(struct gic_save *g, uint32_t group, uint64_t attr,
		  bool clear, uint64_t clear_attr, uint32_t drop);
/* One register of any size, no twin (GICv3 system registers: 8 bytes). */
int gic_save_reg(struct gic_save *g, uint32_t group, uint64_t attr,
		 uint32_t len);
/* Every step of @steps, in order; steps over vCPUs go vCPU by vCPU. */
int gic_save_steps(struct gic_save *g, const struct gic_step *steps,
		   size_t n);

/* How a GIC type's stream is checked and applied. */
struct gic_stream_fmt {
	/* Value bytes per attribute group; 0: the group has no records. */
	uint8_t lens[GIC_STREAM_NR_GROUPS];
	/*
	 * Registers one backend has and the other lacks, which hold no
	 * interrupt state (GICv3 STATUSR: KVM has no GICR_STATUSR): a
	 * record for one is skipped on a device whose has_attr says -ENXIO.
	 */
	bool (*optional)(uint32_t group, uint64_t attr);
	/*
	 * A record the device refused with -EINVAL gets this second chance
	 * (NULL: none); returns 0 or the error to report.
	 */
	int (*refused)(struct device *dev, uint32_t group, uint64_t attr,
		       uint64_t val);
};

/*
 * Restore: check the whole stream's shape first (NR_IRQS first, GICD_IIDR
 * second, only the groups @fmt admits and each value exactly its size,
 * else -EBADMSG), then NR_IRQS (a check, below), then that the device
 * has every register (the device's has_attr errno: -ENXIO, or -EINVAL
 * for a vCPU it lacks; optional registers excepted), and only then
 * device_set every record in order.  NR_IRQS is set by the machine
 * before the stream: a stream's value that differs gives -EBUSY (what
 * setting it again would answer); a device without one yet gets it.  On
 * an error the stream's count is the failing record's number.
 */
int gic_stream_restore(struct device *dev, struct attr_stream *s,
		       const struct gic_stream_fmt *fmt);

#endif
