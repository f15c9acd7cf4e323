// SPDX-License-Identifier: GPL-2.0
#include "guest.h"
#include "gic.h"
#include "its.h"

static uint64_t *queue;
static unsigned int queued;

int its_enable(void *dev_table, void *coll_table, uint64_t *cmdq)
{
	int found = 0;

	for (int n = 0; n < 8; n++) {
		uintptr_t reg = plat.its + GITS_BASER + 8 * n;
		uint64_t r = mmio_read64(reg), table;

		if (BASER_TYPE(r) == TYPE_DEVICE)
			table = guest_addr(dev_table);
		else if (BASER_TYPE(r) == TYPE_COLLECTION)
			table = guest_addr(coll_table);
		else
			continue;
		mmio_write64(reg, BASER_VALID | BASER_TYPE(r) << 56 |
				  (BASER_ESZ(r) - 1) << 48 | CACHE_WB |
				  SHARE_INNER | BASER_PAGE_64K | table);
		found++;
	}
	if (found != 2)
		return -1;
	queue = cmdq;
	queued = 0;
	mmio_write64(plat.its + GITS_CBASER, BASER_VALID | CACHE_WB |
					     SHARE_INNER | guest_addr(cmdq));
	mmio_write64(plat.its + GITS_CWRITER, 0);
	mmio_write32(plat.its + GITS_CTLR, 1);
	return 0;
}

void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
	uint64_t *c = &queue[queued * 4];

	c[0] = d0, c[1] = d1, c[2] = d2, c[3] = d3;
	queued++;
}

int its_run_cmds(void)
{
	uint64_t limit = ticks() + 5 * tick_hz(), want = queued * 32ULL;

	dsb_sy();
	mmio_write64(plat.its + GITS_CWRITER, want);
	while (mmio_read64(plat.its + GITS_CREADR) != want) {
		if (ticks() > limit) {
			printf("its: command queue stuck at 0x%lx\n",
			       (unsigned long)mmio_read64(plat.its + GITS_CREADR));
			return -1;
		}
		cpu_relax();
	}
	return 0;
}

void gic_redist_enable_lpis(int cpu, const void *prop, unsigned int id_bits,
			    const void *pend)
{
	uintptr_t rd = gic_redist(cpu);

	dsb_sy();
	mmio_write64(rd + GICR_PROPBASER, guest_addr(prop) | RD_CACHE_WB |
					  SHARE_INNER | (id_bits - 1));
	mmio_write64(rd + GICR_PENDBASER, guest_addr(pend) | RD_CACHE_WB |
					  SHARE_INNER);
	mmio_write32(rd + GICR_CTLR,
		     mmio_read32(rd + GICR_CTLR) | GICR_CTLR_ENABLE_LPIS);
}
