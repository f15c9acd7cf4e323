// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 ITS: the guest sets up LPIs (property and pending tables), the
 * ITS device and collection tables and a command queue in its RAM, maps
 * DeviceID 1 / EventID 5 to LPI 8192 on vCPU 0 (MAPD, MAPC, MAPTI, SYNC),
 * then has kvmkit's msi-test device write EventID 5 to GITS_TRANSLATER as
 * DeviceID 1.  The LPI must arrive; an unmapped EventID must be dropped.
 * With 2+ vCPUs, EventID 7 goes to LPI 8193 in a collection on vCPU 1
 * (its own redistributor tables), then MOVI moves it to vCPU 0.
 * (A CPU's own write to GITS_TRANSLATER carries no DeviceID: KVM ignores
 * it, so the MSI comes from a device, as on real hardware.)
 */
#include "guest.h"
#include "gic.h"
#include "its.h"



#define DEVID 1
#define EVENT 5
#define LPI GIC_LPI_BASE
#define ID_BITS 16

static uint8_t prop_table[65536] __attribute__((aligned(65536)));
static uint8_t pend_table[65536] __attribute__((aligned(65536)));
static uint8_t pend_table1[65536] __attribute__((aligned(65536)));
static uint8_t dev_table[65536] __attribute__((aligned(65536)));
static uint8_t coll_table[65536] __attribute__((aligned(65536)));
static uint8_t itt[4096] __attribute__((aligned(4096)));
/* KVM keeps only bits [51:16] of GITS_CBASER's address: 64 KiB align. */
static uint64_t cmdq[512] __attribute__((aligned(65536)));
static volatile int got_lpi, got_other, got_lpi2[2], cpu1_ready, finish;

void irq_handler(int cpu, uint32_t intid, uint32_t raw)
{
	if (intid == LPI && cpu == 0)
		got_lpi++;
	else if (intid == LPI + 1 && cpu < 2)
		got_lpi2[cpu]++;
	else
		got_other++;
}

/* Every redistributor: the shared property table, its own pending one. */
static void setup_lpis(int cpu, const void *pending)
{
	prop_table[LPI - GIC_LPI_BASE] = 0xa0 | 2 | 1;	/* prio, RES1, on */
	prop_table[LPI + 1 - GIC_LPI_BASE] = 0xa0 | 2 | 1;
	gic_redist_enable_lpis(cpu, prop_table, ID_BITS, pending);
}

static int setup_its(void)
{
	if (its_enable(dev_table, coll_table, cmdq)) {
		puts("its: no device or collection table in GITS_BASER<n>\n");
		return -1;
	}
	return 0;
}

/* The msi-test device writes @event to GITS_TRANSLATER as DEVID. */
static uint32_t send_msi(uint32_t event)
{
	uint64_t doorbell = plat.its + GITS_TRANSLATER;

	mmio_write32(MSI_TEST + MSI_TEST_DEVID, DEVID);
	mmio_write32(MSI_TEST + MSI_TEST_ADDR, (uint32_t)doorbell);
	mmio_write32(MSI_TEST + MSI_TEST_ADDR + 4, (uint32_t)(doorbell >> 32));
	mmio_write32(MSI_TEST + MSI_TEST_DATA, event);
	return mmio_read32(MSI_TEST + MSI_TEST_STATUS);
}

void secondary_main(int cpu)
{
	if (cpu != 1)
		return;
	gic_init_cpu(1);
	setup_lpis(1, pend_table1);
	irq_enable();
	cpu1_ready = 1;
	while (!finish)
		cpu_relax();
	irq_disable();
}

static int wait_lpi2(int cpu)
{
	uint64_t limit = ticks() + 5 * tick_hz();

	while (!got_lpi2[cpu] && ticks() < limit)
		cpu_relax();
	return got_lpi2[cpu];
}

/* EventID 7 -> LPI 8193 on vCPU 1 (collection 1), then MOVI to vCPU 0. */
static int two_cpus(void)
{
	uint64_t limit = ticks() + 5 * tick_hz();
	uint32_t st;

	cpu_on(1);
	while (!cpu1_ready && ticks() < limit)
		cpu_relax();
	its_cmd(0x09, 0, BASER_VALID | 1ULL << 16 | 1, 0);	/* MAPC 1 -> vCPU 1 */
	its_cmd(0x0a | (uint64_t)DEVID << 32, 7 | (uint64_t)(LPI + 1) << 32, 1, 0);
	its_cmd(0x05, 0, 1ULL << 16, 0);
	if (its_run_cmds())
		return 1;
	st = send_msi(7);
	if (st != 1 || !wait_lpi2(1) || got_lpi2[0]) {
		printf("its: LPI %d on vCPU 1: status %u, taken %d/%d\n", LPI + 1,
		       st, got_lpi2[0], got_lpi2[1]);
		return 1;
	}
	printf("its: MSI devid %d event 7 -> LPI %d delivered to vCPU 1\n",
	       DEVID, LPI + 1);
	its_cmd(0x01 | (uint64_t)DEVID << 32, 7, 0, 0);	/* MOVI to collection 0 */
	its_cmd(0x05, 0, 0, 0);
	if (its_run_cmds())
		return 1;
	st = send_msi(7);
	if (st != 1 || !wait_lpi2(0) || got_lpi2[1] != 1) {
		printf("its: after MOVI: status %u, taken %d/%d\n", st,
		       got_lpi2[0], got_lpi2[1]);
		return 1;
	}
	puts("its: MOVI moved event 7 to vCPU 0\n");
	finish = 1;
	return 0;
}

int main(void)
{
	uint64_t limit;
	uint32_t st;

	if (plat.gic_version != 3 || !plat.its) {
		puts("its: the DTB names no GICv3 ITS\n");
		return 1;
	}
	printf("its: ITS at 0x%lx, GITS_TYPER 0x%lx\n", (unsigned long)plat.its,
	       (unsigned long)mmio_read64(plat.its + GITS_TYPER));
	gic_init();
	gic_init_cpu(0);
	setup_lpis(0, pend_table);
	if (setup_its())
		return 1;
	/* MAPD (5 EventID bits), MAPC to vCPU 0 (PTA = 0), MAPTI, SYNC. */
	its_cmd(0x08 | (uint64_t)DEVID << 32, 4, BASER_VALID | guest_addr(itt), 0);
	its_cmd(0x09, 0, BASER_VALID | 0ULL << 16 | 0, 0);
	its_cmd(0x0a | (uint64_t)DEVID << 32, EVENT | (uint64_t)LPI << 32, 0, 0);
	its_cmd(0x05, 0, 0ULL << 16, 0);
	if (its_run_cmds())
		return 1;
	puts("its: MAPD, MAPC, MAPTI, SYNC done\n");
	irq_enable();
	st = send_msi(EVENT);
	limit = ticks() + 5 * tick_hz();
	while (!got_lpi && ticks() < limit)
		cpu_relax();
	if (st != 1 || got_lpi != 1) {
		printf("its: FAILED: msi status %u, LPI taken %d times\n", st,
		       got_lpi);
		return 1;
	}
	printf("its: MSI devid %d event %d -> LPI %d delivered\n", DEVID,
	       EVENT, LPI);
	st = send_msi(EVENT + 1);
	if (st != 2 || got_lpi != 1 || got_other) {
		printf("its: unmapped event: status %u, LPIs %d, other %d\n",
		       st, got_lpi, got_other);
		return 1;
	}
	puts("its: unmapped event dropped\n");
	/* DISCARD, then the same MSI is dropped too. */
	its_cmd(0x0f | (uint64_t)DEVID << 32, EVENT, 0, 0);
	its_cmd(0x05, 0, 0, 0);
	if (its_run_cmds())
		return 1;
	st = send_msi(EVENT);
	if (st != 2 || got_lpi != 1) {
		printf("its: after DISCARD: status %u, LPIs %d\n", st, got_lpi);
		return 1;
	}
	if (plat.ncpus > 1 && two_cpus())
		return 1;
	puts("its: all checks passed\n");
	return 0;
}
