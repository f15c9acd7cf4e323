/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the software GICv3 offers its ITSes.  LPI state lives in the
 * redistributors (one pending bit per LPI per vCPU, configuration read
 * from the PROPBASER table in guest RAM); an ITS only translates
 * (DeviceID, EventID) into (LPI, target vCPU) and calls these.
 *
 * The GICv3 software device sets dev->iface to its struct gicv3_lpi_ops;
 * an ITS finds the device with devhost_find_device(host,
 * KVM_DEV_TYPE_ARM_VGIC_V3) and calls through gicv3_lpi_ops_of().  Target
 * vCPUs are vCPU indexes: the ITS has GITS_TYPER.PTA == 0, so RDbase in
 * MAPC/MOVALL is the redistributor's processor number.  Every op takes
 * the GIC's lock itself and returns 0 or -errno.
 */
#ifndef KVMKIT_GICV3_LPI_H
#define KVMKIT_GICV3_LPI_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/device.h"

#define GIC_LPI_BASE 8192

struct gicv3_lpi_ops {
	/* Number of vCPUs (redistributors) the GIC has. */
	int (*nr_redists)(struct device *gic);
	/* GICD_TYPER.IDbits + 1: LPI INTIDs must be below 1 << this. */
	unsigned int (*lpi_id_bits)(struct device *gic);
	/* GICR_CTLR.EnableLPIs of @vcpu. */
	bool (*lpis_enabled)(struct device *gic, int vcpu);
	/*
	 * A new mapping of LPI @intid to @vcpu (MAPTI, MAPI, restore):
	 * take its bit from @vcpu's pending table (consumed, when LPIs
	 * are on), as KVM does when it creates the LPI; -EFAULT if that
	 * byte is not guest RAM (the ITS then drops the mapping).
	 */
	int (*sync_pending)(struct device *gic, int vcpu, uint32_t intid);
	/* Make LPI @intid pending on @vcpu (INT, MSI translation). */
	int (*set_pending)(struct device *gic, int vcpu, uint32_t intid);
	/* Clear its pending state (CLEAR, DISCARD). */
	int (*clear_pending)(struct device *gic, int vcpu, uint32_t intid);
	/* Is it pending on @vcpu? (ITS save, tests) */
	bool (*is_pending)(struct device *gic, int vcpu, uint32_t intid);
	/* Move pending state from one vCPU to another (MOVI). */
	int (*move)(struct device *gic, uint32_t intid, int from, int to);
	/* Move every pending LPI of @from to @to (MOVALL). */
	int (*move_all)(struct device *gic, int from, int to);
	/* Re-read LPI configuration from the property table (INV). */
	int (*invalidate)(struct device *gic, uint32_t intid);
	/* Re-read all LPI configuration (INVALL). */
	int (*invalidate_all)(struct device *gic, int vcpu);
};

static inline const struct gicv3_lpi_ops *gicv3_lpi_ops_of(struct device *gic)
{
	return gic && gic->type == KVM_DEV_TYPE_ARM_VGIC_V3 ? gic->iface : NULL;
}

#endif
