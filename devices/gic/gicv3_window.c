// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 CPU interface as one MMIO page, for guests without ICC_*
 * system registers (the x86 testbench): each 8-byte slot is one system
 * register, accessed as the accessing vCPU would with MRS/MSR.
 */
#include <errno.h>
#include <string.h>

#include "kvmkit/bus.h"
#include "gic/gicv3.h"
#include "gic/gicv3_int.h"

static const struct {
	uint32_t offset;
	uint32_t instr;
} window_regs[] = {
	{ GICV3_WIN_IAR1, ICC_IAR1_EL1 },
	{ GICV3_WIN_EOIR1, ICC_EOIR1_EL1 },
	{ GICV3_WIN_DIR, ICC_DIR_EL1 },
	{ GICV3_WIN_PMR, ICC_PMR_EL1 },
	{ GICV3_WIN_BPR1, ICC_BPR1_EL1 },
	{ GICV3_WIN_CTLR, ICC_CTLR_EL1 },
	{ GICV3_WIN_IGRPEN1, ICC_IGRPEN1_EL1 },
	{ GICV3_WIN_SGI1R, ICC_SGI1R_EL1 },
	{ GICV3_WIN_HPPIR1, ICC_HPPIR1_EL1 },
	{ GICV3_WIN_RPR, ICC_RPR_EL1 },
	{ GICV3_WIN_IAR0, ICC_IAR0_EL1 },
	{ GICV3_WIN_EOIR0, ICC_EOIR0_EL1 },
	{ GICV3_WIN_HPPIR0, ICC_HPPIR0_EL1 },
	{ GICV3_WIN_BPR0, ICC_BPR0_EL1 },
	{ GICV3_WIN_IGRPEN0, ICC_IGRPEN0_EL1 },
	{ GICV3_WIN_SGI0R, ICC_SGI0R_EL1 },
	{ GICV3_WIN_ASGI1R, ICC_ASGI1R_EL1 },
	{ GICV3_WIN_AP0R0, ICC_AP0R0_EL1 },
	{ GICV3_WIN_AP1R0, ICC_AP1R0_EL1 },
	{ GICV3_WIN_SRE, ICC_SRE_EL1 },
};

/*
 * 32- or 64-bit accesses at a slot start; anything else, a slot in the
 * wrong direction, or an access from outside a vCPU is RAZ/WI.  A
 * 32-bit write zero-extends (use 64 bits for the SGI registers).
 */
static int window_mmio(void *opaque, int cpu, uint64_t offset, void *data,
		       uint32_t len, bool is_write)
{
	struct gicv3 *g = opaque;
	uint64_t val = 0;

	if (!is_write)
		memset(data, 0, len);
	if ((len != 4 && len != 8) || (offset & 7))
		return 0;
	for (size_t i = 0; i < sizeof(window_regs) / sizeof(window_regs[0]);
	     i++) {
		if (window_regs[i].offset != offset)
			continue;
		gicv3_lock(g);
		if (g->initialized && cpu >= 0 && cpu < g->nr_vcpus) {
			if (is_write)
				val = bus_get_le(data, len);
			if (!gicv3_sysreg_guest_locked(g, cpu,
						       window_regs[i].instr,
						       &val, is_write) &&
			    !is_write)
				bus_put_le(data, len, val);
		}
		gicv3_unlock(g);
		break;
	}
	return 0;
}

int gicv3_cpuif_map_window(struct device *gic, uint64_t base)
{
	struct gicv3 *g = gicv3_of(gic);
	int ret;

	if (!g || (base & (GICV3_WIN_SIZE - 1)))
		return -EINVAL;
	gicv3_lock(g);
	if (g->window_mapped) {
		ret = -EEXIST;
	} else {
		ret = devhost_map_mmio(g->host, base, GICV3_WIN_SIZE,
				       window_mmio, g, "gicv3-cpuif");
		if (!ret) {
			g->window_base = base;
			g->window_mapped = true;
		}
	}
	gicv3_unlock(g);
	return ret;
}
