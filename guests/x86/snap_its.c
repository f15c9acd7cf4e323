// SPDX-License-Identifier: GPL-2.0
/*
 * A guest to snapshot with --irqchip=gicv3-its on 2 vCPUs
 * (tests/integration/snapshot-its-mpic.sh): LPIs mapped through the
 * ITS's tables in guest RAM, MSIs sent all the time through the
 * testbench's MSI generator, and most of the time one LPI pending.
 *
 * Set-up: LPI property and pending tables, the device and collection
 * tables, the command queue; MAPD device 1, MAPC collection n to vCPU n,
 * MAPTI event e to LPI 8192 + e on collection e % 2.
 *
 * Round i sends event i % 4.  To vCPU 0 (even events) the MSI is sent
 * with interrupts off, so its LPI stays pending while the round's line
 * is printed and the delay runs (the window a snapshot usually hits);
 * then it must arrive, once.  vCPU 1 (odd events) takes its LPI as it
 * comes; vCPU 0 checks it arrived there, once.  A restore that lost the
 * ITS tables drops every later MSI; one that lost the pending LPI, or
 * delivered it twice, is caught too: a FAIL line and exit status 1.
 *
 * Command line: ROUNDS DELAY STATUS; exits STATUS after ROUNDS good
 * rounds ("its: ROUNDS MSIs translated, nothing lost or repeated").
 */
#include "check.h"
#include "gicv3.h"

#define ITS TB_ITS
#define DOORBELL (TB_ITS + GITS_TRANSLATER)
#define DEV 1
#define DEV_BITS 4
#define NR_EVENTS 4
#define LPI_ID_BITS 14
#define NR_LPIS ((1u << LPI_ID_BITS) - GIC_LPI_BASE)
#define MAX_LOG 8
#define WAIT_SPINS 100000L	/* ~0.6 s when it fails: PAUSE exits */
#define QUIET_SPINS 2000L	/* how long "nothing else came" waits */

static uint8_t prop_table[NR_LPIS] __attribute__((aligned(4096)));
static uint8_t pend_tables[2][0x10000] __attribute__((aligned(0x10000)));
static uint64_t dev_table[0x10000 / 8] __attribute__((aligned(0x10000)));
static uint64_t coll_table[0x10000 / 8] __attribute__((aligned(0x10000)));
static uint64_t cmdq[4096 / 8] __attribute__((aligned(0x10000)));
static uint64_t itt[1 << DEV_BITS] __attribute__((aligned(256)));
static uint32_t cmd_wr;

static struct {
	volatile int n;
	volatile uint32_t id[MAX_LOG];
} logs[2];

static void gic_irq(int vector)
{
	int cpu = this_vcpu();
	uint32_t id = (uint32_t)icc_read(ICC_IAR1);
	int n = logs[cpu].n;

	if (id == GIC_SPURIOUS)
		return;
	if (n < MAX_LOG)
		logs[cpu].id[n] = id;
	__atomic_store_n(&logs[cpu].n, n + 1, __ATOMIC_SEQ_CST);
	icc_write(ICC_EOIR1, id);
}

/* Interrupts on for a bounded spin until vCPU @cpu logged @n LPIs. */
static bool wait_log(int cpu, int n, long spins)
{
	bool ok = false;

	irq_enable();
	for (long i = 0; i < spins && !ok; i++) {
		ok = atomic_read(&logs[cpu].n) >= n;
		cpu_relax();
	}
	irq_disable();
	return ok || atomic_read(&logs[cpu].n) >= n;
}

static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2)
{
	uint64_t *c = &cmdq[cmd_wr / 8];

	c[0] = d0;
	c[1] = d1;
	c[2] = d2;
	c[3] = 0;
	cmd_wr = (cmd_wr + 32) % sizeof(cmdq);
}

static void setup_lpis(void)
{
	uint64_t prop = (uintptr_t)prop_table | (LPI_ID_BITS - 1) |
			1ULL << 10 | 7ULL << 7;

	for (uint32_t e = 0; e < NR_EVENTS; e++)
		prop_table[e] = LPI_PROP(0x80, true);
	mmio_write32(TB_GIC_DIST + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	mmio_write64(gicr_base(0) + GICR_PROPBASER, prop);
}

static void setup_cpu(int cpu)
{
	uintptr_t rd = gicr_base(cpu);

	mmio_write32(rd + GICR_WAKER, 0);
	mmio_write64(rd + GICR_PENDBASER, (uintptr_t)pend_tables[cpu] |
						  1ULL << 10 | 7ULL << 7);
	mmio_write32(rd + GICR_CTLR, GICR_CTLR_ENABLE_LPIS);
	icc_write(ICC_PMR, 0xf0);
	icc_write(ICC_IGRPEN1, 1);
}

static void setup_baser(int n, void *table)
{
	mmio_write64(ITS + GITS_BASER(n), (uintptr_t)table | GITS_BASER_VALID |
						   GITS_BASER_PAGE_64K |
						   1ULL << 10 | 7ULL << 59);
}

static bool setup_its(void)
{
	setup_baser(0, dev_table);
	setup_baser(1, coll_table);
	mmio_write64(ITS + GITS_CBASER, (uintptr_t)cmdq | GITS_CBASER_VALID |
						1ULL << 10 | 7ULL << 59);
	its_cmd(ITS_CMD_MAPD | (uint64_t)DEV << 32, DEV_BITS - 1,
		((uintptr_t)itt & ~0xffULL) | 1ULL << 63);
	for (uint32_t t = 0; t < 2; t++) {
		uint64_t typer = mmio_read64(gicr_base((int)t) + GICR_TYPER);

		its_cmd(ITS_CMD_MAPC, 0,
			t | (uint64_t)GICR_TYPER_PROCNUM(typer) << 16 |
				1ULL << 63);
	}
	for (uint32_t e = 0; e < NR_EVENTS; e++)
		its_cmd(ITS_CMD_MAPTI | (uint64_t)DEV << 32,
			e | (uint64_t)(GIC_LPI_BASE + e) << 32, e % 2);
	its_cmd(ITS_CMD_SYNC, 0, 0);
	mmio_write64(ITS + GITS_CWRITER, cmd_wr);
	mmio_write32(ITS + GITS_CTLR, GITS_CTLR_ENABLED);
	CHECK(mmio_read64(ITS + GITS_CREADR) == cmd_wr,
	      "GITS_CREADR 0x%lx, GITS_CWRITER 0x%x",
	      (unsigned long)mmio_read64(ITS + GITS_CREADR), cmd_wr);
	return check_failures == 0;
}

static bool round_ok(unsigned long i, unsigned long delay)
{
	uint32_t ev = (uint32_t)(i % NR_EVENTS), lpi = GIC_LPI_BASE + ev;
	int cpu = (int)(ev % 2);

	logs[0].n = 0;
	logs[1].n = 0;
	msi_send(DEV, DOORBELL, ev);
	printf("its %lu: event %u -> lpi %u on vcpu %d\n", i, ev, lpi, cpu);
	for (volatile unsigned long d = 0; d < delay; d++)
		;
	if (!wait_log(cpu, 1, WAIT_SPINS) || logs[cpu].id[0] != lpi) {
		CHECK(0, "round %lu: vCPU %d took %d LPI(s) [%u], wanted %u", i,
		      cpu, logs[cpu].n, logs[cpu].id[0], lpi);
		return false;
	}
	wait_log(cpu, 2, QUIET_SPINS);
	if (atomic_read(&logs[cpu].n) != 1 || logs[!cpu].n) {
		CHECK(0, "round %lu: %d LPI(s) on vCPU %d [%u], %d on the other",
		      i, logs[cpu].n, cpu, logs[cpu].id[1], logs[!cpu].n);
		return false;
	}
	return true;
}

int main(int cpu, int ncpus)
{
	unsigned long rounds = cmdline_ulong(0, 100);
	unsigned long delay = cmdline_ulong(1, 10000);
	unsigned long status = cmdline_ulong(2, 0);

	set_irq_handler(TB_VECTOR_IRQ, gic_irq);
	if (ncpus != 2) {
		if (cpu == 0)
			printf("its: run on 2 vCPUs (-c 2)\n");
		return 2;
	}
	if (cpu == 0)
		setup_lpis();
	smp_barrier();
	setup_cpu(cpu);
	smp_barrier();
	if (cpu == 1) {
		for (;;)	/* takes its LPIs; vCPU 0's return ends the VM */
			wait_for_irq();
	}
	if (!setup_its())
		return 1;
	for (unsigned long i = 0; i < rounds; i++)
		if (!round_ok(i, delay))
			return 1;
	printf("its: %lu MSIs translated, nothing lost or repeated\n", rounds);
	return (int)status;
}
