// SPDX-License-Identifier: GPL-2.0
/*
 * GICv3 on the testbench (--irqchip=gicv3, or gicv3-its): the
 * distributor, redistributor discovery and wake-up, SPI routing by
 * affinity, priorities, preemption, level and edge SPIs driven through
 * the irq-line port, PPIs and SGIs per redistributor, SGIs between
 * vCPUs through ICC_SGI1R, EOImode 1 with ICC_DIR, and a Group 0 SPI
 * as FIQ.  The CPU interface is the MMIO window (docs/devices/gicv3.md);
 * every interrupt arrives through KVM_INTERRUPT (vector 0x20, FIQ 0x21).
 *
 * vCPU 0 runs the single-CPU checks while the others wait in a barrier;
 * the SMP checks have every vCPU log what it takes, then compare.
 */
#include "check.h"
#include "gicv3.h"

#define DIST TB_GIC_DIST
#define MAX_CPUS 32
#define MAX_LOG 16
#define WAIT_SPINS 100000L	/* each ~6 us here; passing waits need < 3000 */
#define FIQ_FLAG (1u << 31)	/* logged IDs taken on the FIQ vector */

#define SPI_LOW 40	/* priority 0xa0 */
#define SPI_HIGH 41	/* 0x80: preempts SPI_LOW */
#define SPI_LEVEL 42	/* 0x90, level, driven through the irq-line port */
#define SPI_EDGE 43	/* 0x90, edge, driven through the irq-line port */
#define SPI_SPLIT 44	/* 0xa0, EOImode 1 */
#define SPI_SPLIT2 45	/* 0xa0: equal to SPI_LOW, never preempts it */
#define SPI_FIQ 46	/* 0x70, Group 0 */
#define SPI_ROUTE 48	/* 0x90, routed to each vCPU in turn */
#define PPI_OWN 20	/* made pending by its own vCPU */
#define PPI_REMOTE 21	/* made pending by the previous vCPU */
#define SGI_NOBODY 0	/* 0x20: sent to an affinity no vCPU has */
#define SGI_LIST 1	/* target list */
#define SGI_BCAST 2	/* IRM = 1 */
#define SGI_MASKED 3	/* disabled in GICR_ICENABLER0 first */
#define SGI_WAKE 15	/* wakes halted vCPUs after a failure; not logged */
#define PRIO_PRIVATE 0x60

struct irq_log {
	volatile int n;
	volatile uint32_t id[MAX_LOG];
	volatile uint8_t rpr[MAX_LOG];	/* ICC_RPR right after the ack */
	volatile int spurious;
};

static struct irq_log logs[MAX_CPUS];
static uint32_t cpu_aff[MAX_CPUS];	/* Aff3.Aff2.Aff1.Aff0 per vCPU */
static void (*volatile irq_hook)(int cpu, uint32_t id);
static volatile int aborted, skip_smp, sgi_sent;
static bool has_its;

/* One line per area, printed only when the area added no failure. */
static void passed(int before, const char *what)
{
	check_passed("gicv3", before, what);
}

static void log_irq(int cpu, uint32_t id)
{
	struct irq_log *l = &logs[cpu];
	int n = l->n;

	if (n < MAX_LOG) {
		l->id[n] = id;
		l->rpr[n] = (uint8_t)icc_read(ICC_RPR);
	}
	/* Nested handlers log after us: publish our slot first. */
	__atomic_store_n(&l->n, n + 1, __ATOMIC_SEQ_CST);
}

static void gic_irq(int vector)
{
	int cpu = this_vcpu();
	uint32_t id = (uint32_t)icc_read(ICC_IAR1);

	if (id == GIC_SPURIOUS) {
		logs[cpu].spurious++;
		return;
	}
	if (id != SGI_WAKE) {
		log_irq(cpu, id);
		if (irq_hook)
			irq_hook(cpu, id);
	}
	icc_write(ICC_EOIR1, id);
}

static void gic_fiq(int vector)
{
	int cpu = this_vcpu();
	uint32_t id = (uint32_t)icc_read(ICC_IAR0);

	if (id == GIC_SPURIOUS) {
		logs[cpu].spurious++;
		return;
	}
	log_irq(cpu, id | FIQ_FLAG);
	icc_write(ICC_EOIR0, id);
}

static void log_reset(int cpu)
{
	logs[cpu].n = 0;
}

/* Sleep until this vCPU has taken @n interrupts (or a check gave up). */
static void wait_own(int cpu, int n)
{
	while (atomic_read(&logs[cpu].n) < n && !atomic_read(&aborted))
		wait_for_irq();
}

/*
 * A remote wait failed: release every vCPU sleeping in wait_own().  The
 * SMP phases after this one are skipped (phase_start()).
 */
static void abort_waiters(void)
{
	__atomic_store_n(&aborted, 1, __ATOMIC_SEQ_CST);
	icc_write(ICC_SGI1R, SGI1R_IRM | SGI1R_INTID(SGI_WAKE));
}

/*
 * Every vCPU waits for its @want[cpu] interrupts: vCPU 0 by polling
 * everyone's log with a bound (and releasing the others if one never
 * gets there), the others asleep.
 */
static void await_all(int cpu, int ncpus, const int *want)
{
	if (cpu != 0) {
		wait_own(cpu, want[cpu]);
		return;
	}
	for (int t = 0; t < ncpus && !aborted; t++) {
		if (!spin_until(&logs[t].n, want[t], WAIT_SPINS)) {
			CHECK(0, "vCPU %d took %d interrupt(s), wanted %d", t,
			      logs[t].n, want[t]);
			abort_waiters();
		}
	}
}

/* All vCPUs meet; true on all alike when an earlier phase gave up. */
static bool phase_start(int cpu)
{
	if (cpu == 0)
		skip_smp = atomic_read(&aborted);
	smp_barrier();
	/* Read before the phase's next barrier, which vCPU 0 cannot pass. */
	return skip_smp;
}

static bool log_is(int cpu, const uint32_t *want, int n)
{
	if (logs[cpu].n != n)
		return false;
	for (int i = 0; i < n; i++)
		if (logs[cpu].id[i] != want[i])
			return false;
	return true;
}

static void check_log(int cpu, const uint32_t *want, int n, const char *what)
{
	struct irq_log *l = &logs[cpu];

	CHECK(log_is(cpu, want, n),
	      "%s: vCPU %d took %d interrupt(s) [%u %u %u %u], wanted %d [%u %u %u %u]",
	      what, cpu, l->n, l->id[0], l->id[1], l->id[2], l->id[3], n,
	      n > 0 ? want[0] : 0, n > 1 ? want[1] : 0, n > 2 ? want[2] : 0,
	      n > 3 ? want[3] : 0);
}

static bool dist_bit(uint32_t reg, int irq)
{
	return mmio_read32(DIST + reg + (irq / 32) * 4) >> (irq % 32) & 1;
}

static bool redist_bit(int cpu, uint32_t reg, int irq)
{
	return mmio_read32(gicr_base(cpu) + reg) >> irq & 1;
}

/* KVM's default MPIDR: 16 vCPUs per Aff0 range, then Aff1, Aff2. */
static uint32_t expected_aff(int cpu)
{
	return (uint32_t)(cpu & 0xf) | (uint32_t)((cpu >> 4) & 0xff) << 8 |
	       (uint32_t)((cpu >> 12) & 0xff) << 16;
}

static uint64_t irouter_of(uint32_t aff)
{
	return (aff & 0xffffff) | (uint64_t)(aff >> 24) << 32;
}

/*
 * ICC_SGI1R for the vCPUs in @cpus (bit n = vCPU n): one write per
 * Aff3.Aff2.Aff1 and range selector, with Aff0 % 16 in the target list.
 */
static void send_sgi(uint32_t intid, uint32_t cpus)
{
	while (cpus) {
		int first = __builtin_ctz(cpus);
		uint32_t upper = cpu_aff[first] >> 8;
		uint32_t rs = (cpu_aff[first] & 0xff) / 16;
		uint64_t list = 0;

		for (int t = first; t < nr_cpus; t++) {
			if (!(cpus >> t & 1) || cpu_aff[t] >> 8 != upper ||
			    (cpu_aff[t] & 0xff) / 16 != rs)
				continue;
			list |= 1u << (cpu_aff[t] & 0xf);
			cpus &= ~(1u << t);
		}
		icc_write(ICC_SGI1R, SGI1R_INTID(intid) | SGI1R_TARGETS(list) |
				     SGI1R_AFF1(upper) | SGI1R_AFF2(upper >> 8) |
				     SGI1R_AFF3(upper >> 16) | SGI1R_RS(rs));
	}
}

static void spi_setup(int irq, uint8_t prio)
{
	gic_set_byte(DIST, GICD_IPRIORITYR, irq, prio);
	gic_set_bit(DIST, GICD_ISENABLER, irq);
}

/* ---- distributor and redistributors ------------------------------------ */

static void check_distributor(void)
{
	int f = atomic_read(&check_failures);
	uint32_t typer = mmio_read32(DIST + GICD_TYPER);
	uint32_t iidr = mmio_read32(DIST + GICD_IIDR);
	uint32_t nr_irqs = ((typer & 0x1f) + 1) * 32;
	uint32_t ctlr;

	has_its = typer & GICD_TYPER_LPIS;
	CHECK(nr_irqs >= 64, "GICD_TYPER 0x%x: only %u INTIDs", typer, nr_irqs);
	CHECK(GICD_TYPER_IDBITS(typer) == (has_its ? 15u : 9u),
	      "GICD_TYPER.IDbits %u (LPIs %d)", GICD_TYPER_IDBITS(typer),
	      has_its);
	CHECK(iidr == 0x4b00343b, "GICD_IIDR 0x%x", iidr);
	CHECK((mmio_read32(DIST + GICD_PIDR2) >> 4 & 0xf) == 3,
	      "GICD_PIDR2 0x%x", mmio_read32(DIST + GICD_PIDR2));
	CHECK(mmio_read32(DIST + GICD_TYPER2) == 0, "GICD_TYPER2");
	ctlr = mmio_read32(DIST + GICD_CTLR);
	CHECK(ctlr == (GICD_CTLR_ARE | GICD_CTLR_DS), "GICD_CTLR 0x%x", ctlr);
	mmio_write32(DIST + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	ctlr = mmio_read32(DIST + GICD_CTLR);
	CHECK(ctlr == (GICD_CTLR_ARE | GICD_CTLR_DS | GICD_CTLR_ENABLE_G1),
	      "GICD_CTLR 0x%x after enabling", ctlr);
	/* SPIs reset edge (KVM's), disabled, Group 1, routed to Aff 0. */
	CHECK(mmio_read32(DIST + GICD_ICFGR + 8) == 0xaaaaaaaa, "GICD_ICFGR2");
	CHECK(!dist_bit(GICD_ISENABLER, SPI_LOW), "SPI enabled at reset");
	CHECK(dist_bit(GICD_IGROUPR, SPI_LOW), "SPI not Group 1 at reset");
	CHECK(mmio_read64(DIST + GICD_IROUTER + 8 * SPI_LOW) == 0,
	      "GICD_IROUTER not 0 at reset");
	/* The tests below want level SPIs unless they make one edge. */
	for (uint32_t n = 2; n < nr_irqs / 16; n++)
		mmio_write32(DIST + GICD_ICFGR + 4 * n, 0);
	if (atomic_read(&check_failures) == f)
		printf("gicv3: GICD_TYPER 0x%x (%u INTIDs, IDbits %u%s), GICD_IIDR 0x%x, ARE and DS set\n",
		       typer, nr_irqs, GICD_TYPER_IDBITS(typer) + 1,
		       has_its ? ", LPIs" : "", iidr);
}

/* Walk the frames as firmware does, until GICR_TYPER.Last. */
static void discover_redistributors(int ncpus)
{
	int f = atomic_read(&check_failures);
	int n = 0;

	for (;;) {
		uintptr_t rd = gicr_base(n);
		uint64_t typer = mmio_read64(rd + GICR_TYPER);
		uint32_t lo = mmio_read32(rd + GICR_TYPER);
		uint32_t hi = mmio_read32(rd + GICR_TYPER + 4);

		CHECK(typer == ((uint64_t)hi << 32 | lo),
		      "frame %d: GICR_TYPER 64-bit 0x%lx vs 32-bit 0x%x%08x", n,
		      (unsigned long)typer, hi, lo);
		CHECK(GICR_TYPER_PROCNUM(typer) == (uint32_t)n,
		      "frame %d: Processor_Number %u", n,
		      GICR_TYPER_PROCNUM(typer));
		CHECK(GICR_TYPER_AFF(typer) == expected_aff(n),
		      "frame %d: affinity 0x%x", n, GICR_TYPER_AFF(typer));
		CHECK(!(typer & GICR_TYPER_PLPIS) == !has_its,
		      "frame %d: PLPIS %d", n, (int)(typer & 1));
		CHECK(mmio_read32(rd + GICR_IIDR) == 0x4b00043b,
		      "frame %d: GICR_IIDR 0x%x", n, mmio_read32(rd + GICR_IIDR));
		CHECK((mmio_read32(rd + GICR_PIDR2) >> 4 & 0xf) == 3,
		      "frame %d: GICR_PIDR2", n);
		if (n < MAX_CPUS)
			cpu_aff[n] = GICR_TYPER_AFF(typer);
		n++;
		if ((typer & GICR_TYPER_LAST) || n >= 64)
			break;
	}
	CHECK(n == ncpus, "%d redistributor(s) before Last, %d vCPU(s)", n,
	      ncpus);
	if (atomic_read(&check_failures) == f)
		printf("gicv3: %d redistributor(s) found, GICR_TYPER.Last on the last, processor numbers and affinities match\n",
		       n);
}

/* Per vCPU: wake the redistributor, set up the CPU interface. */
static void cpu_setup(int cpu)
{
	uintptr_t rd = gicr_base(cpu);
	uint64_t ctlr;

	/* The wake-up handshake: ChildrenAsleep follows ProcessorSleep. */
	mmio_write32(rd + GICR_WAKER, GICR_WAKER_PSLEEP);
	CHECK(mmio_read32(rd + GICR_WAKER) ==
	      (GICR_WAKER_PSLEEP | GICR_WAKER_CASLEEP), "GICR_WAKER asleep 0x%x",
	      mmio_read32(rd + GICR_WAKER));
	mmio_write32(rd + GICR_WAKER, 0);
	for (int i = 0; i < 100 && (mmio_read32(rd + GICR_WAKER) &
				    GICR_WAKER_CASLEEP); i++)
		cpu_relax();
	CHECK(mmio_read32(rd + GICR_WAKER) == 0, "GICR_WAKER awake 0x%x",
	      mmio_read32(rd + GICR_WAKER));

	CHECK(icc_read(ICC_SRE) == 7, "ICC_SRE 0x%lx",
	      (unsigned long)icc_read(ICC_SRE));
	ctlr = icc_read(ICC_CTLR);
	CHECK(ICC_CTLR_PRIBITS(ctlr) == 4 && ICC_CTLR_IDBITS(ctlr) == 0 &&
	      !(ctlr & ICC_CTLR_EOIMODE), "ICC_CTLR 0x%lx", (unsigned long)ctlr);
	CHECK(icc_read(ICC_RPR) == 0xff, "ICC_RPR idle 0x%lx",
	      (unsigned long)icc_read(ICC_RPR));
	icc_write(ICC_PMR, 0xff);
	CHECK(icc_read(ICC_PMR) == 0xf8, "ICC_PMR keeps 5 bits: 0x%lx",
	      (unsigned long)icc_read(ICC_PMR));
	icc_write(ICC_PMR, 0xf0);
	icc_write(ICC_IGRPEN1, 1);
	CHECK(icc_read(ICC_IGRPEN1) == 1, "ICC_IGRPEN1");

	/* SGIs/PPIs of this redistributor: priorities, PPIs 20 and 21 on. */
	for (int i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_IPRIORITYR0 + i, PRIO_PRIVATE * 0x01010101u);
	mmio_write8(rd + GICR_IPRIORITYR0 + SGI_NOBODY, 0x20);
	CHECK(mmio_read32(rd + GICR_ISENABLER0) == 0xffff,
	      "GICR_ISENABLER0 at reset 0x%x", mmio_read32(rd + GICR_ISENABLER0));
	mmio_write32(rd + GICR_ISENABLER0, 1u << PPI_OWN | 1u << PPI_REMOTE);
	CHECK(mmio_read32(rd + GICR_ICFGR0) == 0xaaaaaaaa &&
	      mmio_read32(rd + GICR_ICFGR0 + 4) == 0,
	      "GICR_ICFGR0/1 0x%x 0x%x (SGIs edge, PPIs level)",
	      mmio_read32(rd + GICR_ICFGR0), mmio_read32(rd + GICR_ICFGR0 + 4));
}

/* ---- vCPU 0 alone: priorities, preemption, level/edge, EOImode, FIQ ---- */

static void order_hook(int cpu, uint32_t id)
{
	if (id != SPI_HIGH)
		return;
	/* SPI_LOW is pending but below the running priority. */
	CHECK(icc_read(ICC_HPPIR1) == SPI_LOW, "HPPIR1 %lu in SPI_HIGH",
	      (unsigned long)icc_read(ICC_HPPIR1));
	CHECK(icc_read(ICC_IAR1) == GIC_SPURIOUS, "IAR1 gave a lower priority");
}

static void test_priority_order(void)
{
	static const uint32_t want[] = { SPI_HIGH, SPI_LOW };
	int f = atomic_read(&check_failures);

	log_reset(0);
	irq_hook = order_hook;
	/* Interrupts are off: nothing is taken until spin_until(). */
	icc_write(ICC_PMR, 0xa0);	/* masks SPI_LOW (0xa0) */
	gic_set_bit(DIST, GICD_ISPENDR, SPI_LOW);
	CHECK(icc_read(ICC_HPPIR1) == SPI_LOW, "HPPIR1 %lu",
	      (unsigned long)icc_read(ICC_HPPIR1));
	CHECK(icc_read(ICC_IAR1) == GIC_SPURIOUS, "IAR1 ignored ICC_PMR");
	CHECK(dist_bit(GICD_ISPENDR, SPI_LOW) &&
	      !dist_bit(GICD_ISACTIVER, SPI_LOW), "SPI_LOW not just pending");
	icc_write(ICC_PMR, 0xf0);
	gic_set_bit(DIST, GICD_ISPENDR, SPI_HIGH);
	CHECK(icc_read(ICC_HPPIR1) == SPI_HIGH, "HPPIR1 %lu",
	      (unsigned long)icc_read(ICC_HPPIR1));
	spin_until(&logs[0].n, 2, WAIT_SPINS);
	irq_hook = NULL;
	check_log(0, want, 2, "priority order");
	CHECK(logs[0].rpr[0] == 0x80 && logs[0].rpr[1] == 0xa0,
	      "ICC_RPR 0x%x then 0x%x", logs[0].rpr[0], logs[0].rpr[1]);
	passed(f, "two pending SPIs taken in priority order (ICC_PMR masked the lower one until raised)");
}

static volatile int preempt_armed;

static void preempt_hook(int cpu, uint32_t id)
{
	uint64_t ap1r = icc_read(ICC_AP1R0);

	if (id == SPI_HIGH)
		CHECK(ap1r == (1u << (0xa0 >> 3) | 1u << (0x80 >> 3)),
		      "ICC_AP1R0 0x%lx in SPI_HIGH", (unsigned long)ap1r);
	if (id != SPI_LOW || !preempt_armed)
		return;
	preempt_armed = 0;
	CHECK(icc_read(ICC_RPR) == 0xa0, "ICC_RPR 0x%lx in SPI_LOW",
	      (unsigned long)icc_read(ICC_RPR));
	CHECK(ap1r == 1u << (0xa0 >> 3), "ICC_AP1R0 0x%lx in SPI_LOW",
	      (unsigned long)ap1r);
	/* Equal group priority does not preempt; higher does. */
	gic_set_bit(DIST, GICD_ISPENDR, SPI_SPLIT2);
	CHECK(icc_read(ICC_IAR1) == GIC_SPURIOUS, "equal priority preempted");
	gic_set_bit(DIST, GICD_ISPENDR, SPI_HIGH);
	CHECK(spin_until(&logs[0].n, 2, WAIT_SPINS), "SPI_HIGH did not preempt");
	CHECK(icc_read(ICC_RPR) == 0xa0, "ICC_RPR 0x%lx after SPI_HIGH",
	      (unsigned long)icc_read(ICC_RPR));
}

static void test_preemption(void)
{
	static const uint32_t want[] = { SPI_LOW, SPI_HIGH, SPI_SPLIT2 };
	int f = atomic_read(&check_failures);

	log_reset(0);
	preempt_armed = 1;
	irq_hook = preempt_hook;
	gic_set_bit(DIST, GICD_ISPENDR, SPI_LOW);
	spin_until(&logs[0].n, 3, WAIT_SPINS);
	irq_hook = NULL;
	check_log(0, want, 3, "preemption");
	CHECK(logs[0].rpr[1] == 0x80, "ICC_RPR 0x%x in the nested handler",
	      logs[0].rpr[1]);
	CHECK(icc_read(ICC_RPR) == 0xff && icc_read(ICC_AP1R0) == 0,
	      "ICC_RPR 0x%lx ICC_AP1R0 0x%lx after both EOIs",
	      (unsigned long)icc_read(ICC_RPR),
	      (unsigned long)icc_read(ICC_AP1R0));
	CHECK(!(mmio_read32(DIST + GICD_ISACTIVER + 4) & 0x3f << 8),
	      "SPIs still active after EOI");
	passed(f, "SPI 41 (0x80) preempted SPI 40 (0xa0) in its handler (ICC_RPR 0xa0 -> 0x80), an equal priority did not");
}

static volatile int level_taken;

static void level_hook(int cpu, uint32_t id)
{
	if (id != SPI_LEVEL)
		return;
	/* Active, and pending again at once: the line is still high. */
	CHECK(dist_bit(GICD_ISACTIVER, SPI_LEVEL) &&
	      dist_bit(GICD_ISPENDR, SPI_LEVEL),
	      "SPI_LEVEL not active and pending in handler %d", level_taken);
	/* First time leave the line high: it must re-assert after EOI. */
	if (level_taken++ == 0)
		return;
	irq_line(SPI_LEVEL, 0);
	CHECK(!dist_bit(GICD_ISPENDR, SPI_LEVEL), "pending after the line fell");
}

static void test_level_spi(void)
{
	static const uint32_t want[] = { SPI_LEVEL, SPI_LEVEL };
	int f = atomic_read(&check_failures);

	log_reset(0);
	irq_line(SPI_LEVEL, 1);
	CHECK(dist_bit(GICD_ISPENDR, SPI_LEVEL), "line high, not pending");
	CHECK(icc_read(ICC_HPPIR1) == SPI_LEVEL, "HPPIR1 %lu",
	      (unsigned long)icc_read(ICC_HPPIR1));
	irq_line(SPI_LEVEL, 0);
	CHECK(!dist_bit(GICD_ISPENDR, SPI_LEVEL), "line low, still pending");
	CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS, "HPPIR1 with the line low");
	irq_line(SPI_LEVEL, 1);
	gic_set_bit(DIST, GICD_ICPENDR, SPI_LEVEL);
	CHECK(dist_bit(GICD_ISPENDR, SPI_LEVEL),
	      "GICD_ICPENDR cleared a level SPI whose line is high");
	level_taken = 0;
	irq_hook = level_hook;
	spin_until(&logs[0].n, 2, WAIT_SPINS);
	irq_hook = NULL;
	check_log(0, want, 2, "level SPI");
	CHECK(!dist_bit(GICD_ISPENDR, SPI_LEVEL) &&
	      !dist_bit(GICD_ISACTIVER, SPI_LEVEL) &&
	      icc_read(ICC_HPPIR1) == GIC_SPURIOUS,
	      "SPI_LEVEL pending or active after the line dropped");
	passed(f, "level SPI 42 via the irq-line port: pending while high, re-taken after EOI, quiet once dropped");
}

static volatile int edge_taken;

static void edge_pulse(void)
{
	irq_line(SPI_EDGE, 1);
	irq_line(SPI_EDGE, 0);
}

static void edge_hook(int cpu, uint32_t id)
{
	if (id != SPI_EDGE || edge_taken++)
		return;
	CHECK(dist_bit(GICD_ISACTIVER, SPI_EDGE) &&
	      !dist_bit(GICD_ISPENDR, SPI_EDGE), "edge SPI after ack");
	edge_pulse();	/* active and pending: taken again after EOI */
	CHECK(dist_bit(GICD_ISPENDR, SPI_EDGE), "edge while active lost");
}

static void test_edge_spi(void)
{
	static const uint32_t want[] = { SPI_EDGE, SPI_EDGE };
	uint32_t icfgr = GICD_ICFGR + (SPI_EDGE / 16) * 4;
	uint32_t bit = 1u << ((SPI_EDGE % 16) * 2 + 1);
	int f = atomic_read(&check_failures);

	mmio_write32(DIST + icfgr, mmio_read32(DIST + icfgr) | bit);
	CHECK(mmio_read32(DIST + icfgr) & bit, "GICD_ICFGR edge bit");
	log_reset(0);
	edge_pulse();
	CHECK(dist_bit(GICD_ISPENDR, SPI_EDGE), "edge not latched");
	edge_pulse();	/* a second edge before the ack merges */
	edge_taken = 0;
	irq_hook = edge_hook;
	spin_until(&logs[0].n, 2, WAIT_SPINS);
	irq_hook = NULL;
	check_log(0, want, 2, "edge SPI");
	CHECK(!dist_bit(GICD_ISPENDR, SPI_EDGE) &&
	      !dist_bit(GICD_ISACTIVER, SPI_EDGE), "edge SPI left pending");
	passed(f, "edge SPI 43 via the irq-line port: latched after the line fell, two edges merged, an edge while active re-taken");
}

static void test_eoimode(void)
{
	static const uint32_t want[] = { SPI_SPLIT, SPI_SPLIT2, SPI_SPLIT };
	int f = atomic_read(&check_failures);

	icc_write(ICC_CTLR, ICC_CTLR_EOIMODE);
	CHECK(icc_read(ICC_CTLR) == (0x400 | ICC_CTLR_EOIMODE),
	      "ICC_CTLR 0x%lx", (unsigned long)icc_read(ICC_CTLR));
	log_reset(0);
	gic_set_bit(DIST, GICD_ISPENDR, SPI_SPLIT);
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	/* EOIR only dropped the priority: still active. */
	CHECK(icc_read(ICC_RPR) == 0xff, "ICC_RPR 0x%lx after EOIR",
	      (unsigned long)icc_read(ICC_RPR));
	CHECK(dist_bit(GICD_ISACTIVER, SPI_SPLIT), "EOIR deactivated");
	gic_set_bit(DIST, GICD_ISPENDR, SPI_SPLIT);
	CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS,
	      "an active interrupt is pending again");
	/* Another interrupt at the same priority is taken meanwhile. */
	gic_set_bit(DIST, GICD_ISPENDR, SPI_SPLIT2);
	spin_until(&logs[0].n, 2, WAIT_SPINS);
	CHECK(logs[0].n == 2, "%d interrupt(s) before ICC_DIR", logs[0].n);
	icc_write(ICC_DIR, SPI_SPLIT);
	spin_until(&logs[0].n, 3, WAIT_SPINS);
	check_log(0, want, 3, "EOImode 1");
	icc_write(ICC_DIR, SPI_SPLIT2);
	icc_write(ICC_DIR, SPI_SPLIT);
	CHECK(!dist_bit(GICD_ISACTIVER, SPI_SPLIT) &&
	      !dist_bit(GICD_ISACTIVER, SPI_SPLIT2), "ICC_DIR did not deactivate");
	icc_write(ICC_CTLR, 0);
	CHECK(icc_read(ICC_CTLR) == 0x400, "ICC_CTLR back 0x%lx",
	      (unsigned long)icc_read(ICC_CTLR));
	passed(f, "EOImode 1: EOIR dropped the priority, SPI 44 stayed active until ICC_DIR");
}

static void test_group0_fiq(void)
{
	static const uint32_t want[] = { SPI_FIQ | FIQ_FLAG };
	int f = atomic_read(&check_failures);
	uint32_t igroupr = GICD_IGROUPR + (SPI_FIQ / 32) * 4;

	mmio_write32(DIST + igroupr, mmio_read32(DIST + igroupr) &
				     ~(1u << (SPI_FIQ % 32)));
	log_reset(0);
	gic_set_bit(DIST, GICD_ISPENDR, SPI_FIQ);
	CHECK(icc_read(ICC_HPPIR1) == GIC_SPURIOUS &&
	      icc_read(ICC_HPPIR0) == GIC_SPURIOUS,
	      "Group 0 seen with ICC_IGRPEN0 clear");
	icc_write(ICC_IGRPEN0, 1);
	CHECK(icc_read(ICC_HPPIR0) == SPI_FIQ && icc_read(ICC_HPPIR1) ==
	      GIC_SPURIOUS, "HPPIR0 %lu", (unsigned long)icc_read(ICC_HPPIR0));
	spin_until(&logs[0].n, 1, WAIT_SPINS);
	check_log(0, want, 1, "Group 0");
	CHECK(icc_read(ICC_AP0R0) == 0 && icc_read(ICC_RPR) == 0xff,
	      "Group 0 priority not dropped");
	icc_write(ICC_IGRPEN0, 0);
	passed(f, "Group 0 SPI 46 taken as FIQ (vector 0x21) through ICC_IAR0/EOIR0");
}

/* ---- every vCPU ------------------------------------------------------- */

static void test_spi_routing(int cpu, int ncpus)
{
	static const uint32_t one[] = { SPI_ROUTE }, two[] = { SPI_ROUTE,
							     SPI_ROUTE };
	uintptr_t irouter = DIST + GICD_IROUTER + 8 * SPI_ROUTE;
	int f = atomic_read(&check_failures);

	log_reset(cpu);
	if (phase_start(cpu))
		return;
	if (cpu != 0) {
		wait_own(cpu, 1);
	} else {
		for (int t = 0; t < ncpus && !aborted; t++) {
			mmio_write64(irouter, irouter_of(cpu_aff[t]) |
					      GICD_IROUTER_IRM);
			/* IRM (1 of N) is RAZ/WI, as in KVM. */
			CHECK(mmio_read64(irouter) == irouter_of(cpu_aff[t]),
			      "GICD_IROUTER 0x%lx for vCPU %d",
			      (unsigned long)mmio_read64(irouter), t);
			gic_set_bit(DIST, GICD_ISPENDR, SPI_ROUTE);
			if (!spin_until(&logs[t].n, 1, WAIT_SPINS)) {
				CHECK(0, "SPI %d routed to vCPU %d not taken",
				      SPI_ROUTE, t);
				abort_waiters();
			}
		}
		/* No vCPU has this affinity: the SPI waits, pending. */
		if (aborted)
			goto out;
		mmio_write64(irouter, 0xfe0000);
		gic_set_bit(DIST, GICD_ISPENDR, SPI_ROUTE);
		CHECK(dist_bit(GICD_ISPENDR, SPI_ROUTE) &&
		      icc_read(ICC_HPPIR1) == GIC_SPURIOUS,
		      "SPI routed nowhere not held pending");
		mmio_write64(irouter, irouter_of(cpu_aff[0]));
		spin_until(&logs[0].n, 2, WAIT_SPINS);
	}
out:
	smp_barrier();
	if (cpu == 0)
		check_log(0, two, 2, "routing");
	else
		check_log(cpu, one, 1, "routing");
	smp_barrier();
	if (cpu == 0)
		passed(f, "SPI 48 routed by GICD_IROUTER affinity to each vCPU in turn, held pending while routed to no vCPU");
}

static void test_private(int cpu, int ncpus)
{
	static int want_two[MAX_CPUS];
	int next = (cpu + 1) % ncpus;
	int f = atomic_read(&check_failures);
	bool own = false, remote = false;

	log_reset(cpu);
	want_two[cpu] = 2;
	if (phase_start(cpu))
		return;
	/* Banked per redistributor: everyone's enables, seen from here. */
	for (int t = 0; t < ncpus; t++)
		CHECK(mmio_read32(gicr_base(t) + GICR_ISENABLER0) ==
		      (0xffffu | 1u << PPI_OWN | 1u << PPI_REMOTE),
		      "vCPU %d's GICR_ISENABLER0 0x%x", t,
		      mmio_read32(gicr_base(t) + GICR_ISENABLER0));
	mmio_write32(gicr_base(cpu) + GICR_ISPENDR0, 1u << PPI_OWN);
	CHECK(spin_until(&logs[cpu].n, 1, WAIT_SPINS), "own PPI %d not taken", PPI_OWN);
	mmio_write32(gicr_base(next) + GICR_ISPENDR0, 1u << PPI_REMOTE);
	await_all(cpu, ncpus, want_two);
	for (int i = 0; i < logs[cpu].n && i < MAX_LOG; i++) {
		own |= logs[cpu].id[i] == PPI_OWN;
		remote |= logs[cpu].id[i] == PPI_REMOTE;
	}
	CHECK(logs[cpu].n == 2 && own && remote,
	      "took %d PPI(s): [%u %u], wanted %d and %d", logs[cpu].n,
	      logs[cpu].id[0], logs[cpu].id[1], PPI_OWN, PPI_REMOTE);
	if (cpu == 0) {
		/* A disabled SGI stays pending in its redistributor. */
		uintptr_t rd = gicr_base(0);
		static const uint32_t want[] = { SGI_MASKED };

		log_reset(0);
		mmio_write32(rd + GICR_ICENABLER0, 1u << SGI_MASKED);
		send_sgi(SGI_MASKED, 1);
		CHECK(redist_bit(0, GICR_ISPENDR0, SGI_MASKED) &&
		      !redist_bit(0, GICR_ISENABLER0, SGI_MASKED) &&
		      icc_read(ICC_HPPIR1) == GIC_SPURIOUS,
		      "disabled SGI %d not held pending", SGI_MASKED);
		mmio_write32(rd + GICR_ISENABLER0, 1u << SGI_MASKED);
		spin_until(&logs[0].n, 1, WAIT_SPINS);
		check_log(0, want, 1, "re-enabled SGI");
	}
	smp_barrier();
	if (cpu == 0)
		passed(f, "PPIs 20/21 per redistributor (GICR_ISENABLER0/ISPENDR0, own and neighbour's frame), a disabled SGI held pending");
}

static void test_sgis(int cpu, int ncpus)
{
	/* Target list: vCPU 0 and every odd one; IRM: all but the last. */
	static int counts[MAX_CPUS];
	uint32_t list = 1, want[2];
	int last = ncpus - 1, n = 0;
	int f = atomic_read(&check_failures);

	for (int t = 1; t < ncpus; t++)
		if (t & 1)
			list |= 1u << t;
	if (list >> cpu & 1)
		want[n++] = SGI_LIST;
	if (ncpus > 1 && cpu != last)
		want[n++] = SGI_BCAST;
	counts[cpu] = n;
	log_reset(cpu);
	sgi_sent = 0;
	if (phase_start(cpu))
		return;
	if (cpu == 0) {
		/* Affinity 0.0.0xfe.x exists nowhere: nobody may take it. */
		icc_write(ICC_SGI1R, SGI1R_INTID(SGI_NOBODY) | SGI1R_AFF1(0xfe) |
				     SGI1R_TARGETS(0xffff));
		send_sgi(SGI_LIST, list);
		__atomic_store_n(&sgi_sent, 1, __ATOMIC_SEQ_CST);
		if (ncpus == 1) {
			/* IRM excludes the sender: with one vCPU, nobody. */
			icc_write(ICC_SGI1R, SGI1R_IRM | SGI1R_INTID(SGI_BCAST));
			CHECK(!redist_bit(0, GICR_ISPENDR0, SGI_BCAST),
			      "IRM sent the SGI to its sender");
		}
	}
	if (cpu == last && ncpus > 1) {
		while (!atomic_read(&sgi_sent))
			cpu_relax();
		icc_write(ICC_SGI1R, SGI1R_IRM | SGI1R_INTID(SGI_BCAST));
	}
	await_all(cpu, ncpus, counts);
	smp_barrier();
	check_log(cpu, want, n, "SGIs");
	CHECK(!redist_bit(cpu, GICR_ISPENDR0, SGI_NOBODY),
	      "SGI to a missing affinity is pending here");
	smp_barrier();
	if (cpu == 0)
		passed(f, "SGIs through ICC_SGI1R: target list by affinity, IRM=1 to all but the sender, none for an absent affinity");
}

int main(int cpu, int ncpus)
{
	set_irq_handler(TB_VECTOR_IRQ, gic_irq);
	set_irq_handler(TB_VECTOR_FIQ, gic_fiq);
	if (ncpus > MAX_CPUS) {
		if (cpu == 0)
			printf("gicv3: at most %d vCPUs\n", MAX_CPUS);
		return 2;
	}
	CHECK(this_vcpu() == cpu, "this_vcpu() says %d", this_vcpu());
	if (cpu == 0) {
		check_distributor();
		discover_redistributors(ncpus);
		spi_setup(SPI_LOW, 0xa0);
		spi_setup(SPI_HIGH, 0x80);
		spi_setup(SPI_LEVEL, 0x90);
		spi_setup(SPI_EDGE, 0x90);
		spi_setup(SPI_SPLIT, 0xa0);
		spi_setup(SPI_SPLIT2, 0xa0);
		spi_setup(SPI_FIQ, 0x70);
		spi_setup(SPI_ROUTE, 0x90);
	}
	smp_barrier();
	cpu_setup(cpu);
	smp_barrier();
	if (cpu == 0) {
		printf("gicv3: redistributors woken (GICR_WAKER), CPU interfaces up (ICC_SRE 7, PRIbits 5)\n");
		test_priority_order();
		test_preemption();
		test_level_spi();
		test_edge_spi();
		test_eoimode();
		test_group0_fiq();
	}
	smp_barrier();
	test_spi_routing(cpu, ncpus);
	test_private(cpu, ncpus);
	test_sgis(cpu, ncpus);
	if (logs[cpu].spurious)
		printf("gicv3: vCPU %d read %d spurious INTID(s)\n", cpu,
		       logs[cpu].spurious);
	smp_barrier();
	if (cpu != 0)
		return 0;
	if (check_failures) {
		printf("gicv3: %d check(s) failed on %d vCPU(s)\n", check_failures,
		       ncpus);
		return 1;
	}
	printf("gicv3: all checks passed on %d vCPU(s)\n", ncpus);
	return 0;
}
