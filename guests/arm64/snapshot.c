// SPDX-License-Identifier: GPL-2.0
/*
 * A guest to snapshot (tests/tcg/arm64-snapshot.sh): every vCPU takes
 * its virtual timer every 10 ms, and with a GICv3 ITS vCPU 0 has
 * kvmkit's msi-test device send MSIs that become LPIs on vCPU 0 (DeviceID
 * 1, EventID 0 -> LPI 8192, collection 0) and on vCPU 1 (EventID 1 ->
 * LPI 8193, collection 1) every 20 ms, checking each arrives.  Then it
 * waits for console input, so a test can snapshot it meanwhile and type
 * into the restored VM:
 *
 *   'p'  prints "snapshot: status ..." (timer ticks and LPIs per vCPU);
 *   'q'  checks that, from now, the timers still tick on every vCPU and
 *        new MSIs still arrive as LPIs (the ITS tables, the collections'
 *        targets and the redistributors' LPI tables survived), and that
 *        vCPUs never started are still off, prints "snapshot:
 *        after-restore checks passed" and powers off; exit 1 with a
 *        message when something is missing.
 *
 * `-p up=N` starts only the first N vCPUs (default: all of them).
 */
#include "guest.h"
#include "gic.h"
#include "its.h"

#define VTIMER_PPI 27
#define CNTV_CTL_ENABLE 1U

#define UART_RBR 0
#define UART_LSR 5
#define UART_LSR_DR 1U

#define ID_BITS 16
#define DEVID 1

static uint8_t prop_table[65536] __attribute__((aligned(65536)));
static uint8_t pend_tables[2][65536] __attribute__((aligned(65536)));
static uint8_t dev_table[65536] __attribute__((aligned(65536)));
static uint8_t coll_table[65536] __attribute__((aligned(65536)));
static uint8_t itt[4096] __attribute__((aligned(4096)));
static uint64_t cmdq[512] __attribute__((aligned(65536)));

static volatile uint64_t tick_count[MAX_CPUS], lpi_count[2];
static volatile uint64_t other_irqs;
static volatile int cpus_up;
static int ncpus, nup, with_its;

void irq_handler(int cpu, uint32_t intid, uint32_t raw)
{
	if (intid == VTIMER_PPI) {
		tick_count[cpu]++;
		write_sysreg(cntv_tval_el0, tick_hz() / 100);
		isb();
	} else if (intid >= GIC_LPI_BASE && intid < GIC_LPI_BASE + 2 &&
		   cpu == (int)(intid - GIC_LPI_BASE)) {
		lpi_count[cpu]++;
	} else {
		other_irqs++;
	}
}

static void start_timer(int cpu)
{
	gic_enable_irq(cpu, VTIMER_PPI, 0xa0);
	write_sysreg(cntv_tval_el0, tick_hz() / 100);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

/* This vCPU's redistributor: the shared properties, its own pending. */
static void setup_lpis(int cpu)
{
	gic_redist_enable_lpis(cpu, prop_table, ID_BITS, pend_tables[cpu]);
}

static int setup_its(void)
{
	prop_table[0] = 0xa0 | 2 | 1;	/* LPI 8192: priority, RES1, on */
	prop_table[1] = 0xa0 | 2 | 1;	/* LPI 8193 */
	dsb_sy();
	if (its_enable(dev_table, coll_table, cmdq))
		return -1;
	/* MAPD (2 EventID bits), MAPC 0 -> vCPU 0, 1 -> vCPU 1, MAPTIs. */
	its_cmd(0x08 | (uint64_t)DEVID << 32, 1, BASER_VALID | guest_addr(itt), 0);
	its_cmd(0x09, 0, BASER_VALID | 0, 0);
	its_cmd(0x09, 0, BASER_VALID | 1ULL << 16 | 1, 0);
	its_cmd(0x0a | (uint64_t)DEVID << 32, 0 | (uint64_t)GIC_LPI_BASE << 32, 0, 0);
	its_cmd(0x0a | (uint64_t)DEVID << 32, 1 | (uint64_t)(GIC_LPI_BASE + 1) << 32,
	    1, 0);
	its_cmd(0x05, 0, 0, 0);
	its_cmd(0x05, 0, 1ULL << 16, 0);
	return its_run_cmds();
}

/* msi-test writes @event to GITS_TRANSLATER as DEVID: 1 delivered. */
static uint32_t send_msi(uint32_t event)
{
	uint64_t doorbell = plat.its + GITS_TRANSLATER;

	mmio_write32(MSI_TEST + MSI_TEST_DEVID, DEVID);
	mmio_write32(MSI_TEST + MSI_TEST_ADDR, (uint32_t)doorbell);
	mmio_write32(MSI_TEST + MSI_TEST_ADDR + 4, (uint32_t)(doorbell >> 32));
	mmio_write32(MSI_TEST + MSI_TEST_DATA, event);
	return mmio_read32(MSI_TEST + MSI_TEST_STATUS);
}

/* One MSI to each vCPU's LPI; 0 when both arrived within a second. */
static int msi_round(void)
{
	uint64_t before[2] = { lpi_count[0], lpi_count[1] };
	uint64_t limit = ticks() + tick_hz();
	int n = nup > 1 ? 2 : 1;

	for (int i = 0; i < n; i++) {
		uint32_t st = send_msi((uint32_t)i);

		if (st != 1) {
			printf("snapshot: MSI event %d: msi-test status %u\n", i,
			       st);
			return -1;
		}
	}
	for (int i = 0; i < n; i++) {
		while (lpi_count[i] == before[i] && ticks() < limit)
			wfi();
		if (lpi_count[i] == before[i]) {
			printf("snapshot: MSI event %d: no LPI %d on vCPU %d\n",
			       i, GIC_LPI_BASE + i, i);
			return -1;
		}
	}
	return 0;
}

void secondary_main(int cpu)
{
	gic_init_cpu(cpu);
	start_timer(cpu);
	irq_enable();
	__atomic_add_fetch(&cpus_up, 1, __ATOMIC_SEQ_CST);
	for (;;)
		wfi();
}

static void print_status(const char *what)
{
	printf("snapshot: %s: ticks", what);
	for (int i = 0; i < nup; i++)
		printf(" %lu", (unsigned long)tick_count[i]);
	printf(", LPIs %lu %lu, other %lu\n", (unsigned long)lpi_count[0],
	       (unsigned long)lpi_count[1], (unsigned long)other_irqs);
}

static bool has_up_arg(const char *s)
{
	return s[0] == 'u' && s[1] == 'p' && s[2] == '=';
}

static int console_char(void)
{
	if (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_DR))
		return -1;
	return mmio_read8(UART_BASE + UART_RBR);
}

/* After 'q': the timers and MSIs work from here on. */
static int final_checks(void)
{
	uint64_t before[MAX_CPUS], limit = ticks() + tick_hz() / 2;

	for (int i = 0; i < nup; i++)
		before[i] = tick_count[i];
	while (ticks() < limit)
		wfi();
	for (int i = nup; i < ncpus; i++) {
		/* AFFINITY_INFO: 1 = OFF. */
		if (psci_call(PSCI_AFFINITY_INFO, plat.mpidr[i], 0, 0) != 1) {
			printf("snapshot: vCPU %d, never started, is not off\n",
			       i);
			return 1;
		}
	}
	for (int i = 0; i < nup; i++) {
		if (tick_count[i] == before[i]) {
			printf("snapshot: vCPU %d's timer stopped at %lu ticks\n",
			       i, (unsigned long)before[i]);
			return 1;
		}
	}
	for (int r = 0; with_its && r < 5; r++)
		if (msi_round())
			return 1;
	print_status("final");
	puts("snapshot: after-restore checks passed\n");
	return 0;
}

int main(void)
{
	uint64_t next_msi, limit;
	int c;

	ncpus = plat.ncpus < MAX_CPUS ? plat.ncpus : MAX_CPUS;
	nup = ncpus;
	if (plat.bootargs && has_up_arg(plat.bootargs)) {
		long n = strtol10(plat.bootargs + 3, NULL);

		if (n >= 1 && n < ncpus)
			nup = (int)n;
	}
	with_its = plat.gic_version == 3 && plat.its;
	gic_init();
	gic_init_cpu(0);
	if (with_its) {
		/*
		 * Both redistributors' tables before MAPTI: KVM reads the
		 * target's pending table when it maps an LPI.
		 */
		for (int i = 0; i < nup && i < 2; i++)
			setup_lpis(i);
		if (setup_its()) {
			puts("snapshot: ITS set-up failed\n");
			return 1;
		}
	}
	start_timer(0);
	irq_enable();
	for (int i = 1; i < nup; i++)
		cpu_on(i);
	limit = ticks() + 5 * tick_hz();
	while (cpus_up < nup - 1 && ticks() < limit)
		cpu_relax();
	if (cpus_up < nup - 1) {
		printf("snapshot: %d of %d secondaries came up\n", cpus_up,
		       nup - 1);
		return 1;
	}
	if (with_its && msi_round())
		return 1;
	printf("snapshot: ready, %d vCPU(s) of %d, GICv%d%s\n", nup, ncpus,
	       plat.gic_version, with_its ? " + ITS" : "");
	next_msi = ticks();
	for (;;) {
		c = console_char();
		if (c == 'p')
			print_status("status");
		else if (c == 'q')
			return final_checks();
		if (with_its && ticks() >= next_msi) {
			if (msi_round())
				return 1;
			next_msi = ticks() + tick_hz() / 50;
		}
		wfi();
	}
}
