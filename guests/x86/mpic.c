// SPDX-License-Identifier: GPL-2.0
/*
 * FSL MPIC on the testbench (--irqchip=mpic): external sources (edge and
 * level) routed to each vCPU, priorities and CTPR, IPIs between vCPUs,
 * global timers (expired through port 0x524), MSIs through MSIIR,
 * critical and machine-check routing, and the spurious vector.
 *
 * The INT line arrives as vector 0x20; the handler acknowledges on its
 * CPU's own page (IACK), logs the MPIC vector and EOIs.  Interrupts are
 * only enabled while waiting, so every expected interrupt is taken in a
 * known place.
 */
#include "mpic.h"

#define MAX_CPUS 32
#define MAX_LOG 16
#define STORM 64		/* interrupts per area that mean a stuck line */

#define SPURIOUS 0x00ff		/* SPVR once programmed */

/* Source pins (external, 0..15) and their MPIC vectors. */
#define PIN_EDGE 3
#define PIN_LEVEL 4
#define PIN_LOW 5
#define PIN_HIGH 6
#define PIN_CRIT 7
#define PIN_MCHK 8
#define VEC_EDGE 0x1003		/* 16-bit vectors come back whole */
#define VEC_LEVEL 0x1004
#define VEC_LOW 0x51
#define VEC_HIGH 0x52
#define VEC_CRIT 0x57		/* never IACKed: critical has no IACK */
#define VEC_MCHK 0x58
#define VEC_IPI(n) (0x60 + (n))
#define VEC_TMR(n) (0x70 + (n))
#define VEC_MSI 0x80
#define MSI_SRS 2		/* MSIR 2: source 226 */

static volatile int log_n[MAX_CPUS];
static volatile uint32_t log_vec[MAX_CPUS][MAX_LOG];
static volatile int spurious_n[MAX_CPUS];
static volatile int level_takes[MAX_CPUS];
static volatile uint32_t msisr_seen[MAX_CPUS], msir_seen[MAX_CPUS];
static volatile int crit_n[MAX_CPUS], mchk_n[MAX_CPUS];
static volatile uint32_t crit_iack[MAX_CPUS];
static volatile int failures;
static bool v42;		/* v4.2 (ILR) rather than v2.0 (IDR[CI]) */

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("FAIL %s:%d: ", __func__, __LINE__);       \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
			atomic_inc(&failures);                            \
		}                                                         \
	} while (0)

static uint32_t cpu_reg(int cpu, uint32_t reg)
{
	return MPIC_CPU(cpu) + reg;
}

static int this_cpu(void)
{
	return (int)mpic_read(MPIC_WHOAMI) & (MAX_CPUS - 1);
}

/* ---- interrupt handlers ------------------------------------------------- */

/* A line that never drops would livelock the guest: stop with a reason. */
static void storm(int cpu, const char *what, int n, uint32_t v)
{
	if (n < STORM)
		return;
	printf("FAIL: cpu %d: interrupt storm (%d %s interrupts, last %x)\n",
	       cpu, n, what, v);
	guest_exit(1);
}

static void mpic_int(int vector)
{
	int cpu = this_cpu();
	uint32_t v = mpic_read(cpu_reg(cpu, MPIC_IACK));

	if (v == SPURIOUS) {
		storm(cpu, "spurious", ++spurious_n[cpu], v);
		return;
	}
	storm(cpu, "INT", log_n[cpu], v);
	/* A level source fires again after EOI while its line is high. */
	if (v == VEC_LEVEL && ++level_takes[cpu] >= 2)
		irq_line(PIN_LEVEL, 0);
	if (v == VEC_MSI) {
		msisr_seen[cpu] = mpic_read(MPIC_MSISR);
		msir_seen[cpu] |= mpic_read(MPIC_MSIR(MSI_SRS));
	}
	if (log_n[cpu] < MAX_LOG)
		log_vec[cpu][log_n[cpu]] = v;
	log_n[cpu]++;
	mpic_write(cpu_reg(cpu, MPIC_EOI), 0);
}

/* Critical and machine check: nothing to acknowledge, drop the line. */
static void mpic_crit(int vector)
{
	int cpu = this_cpu();

	crit_iack[cpu] = mpic_read(cpu_reg(cpu, MPIC_IACK));
	storm(cpu, "critical", ++crit_n[cpu], crit_iack[cpu]);
	irq_line(PIN_CRIT, 0);
}

static void mpic_mchk(int vector)
{
	int cpu = this_cpu();

	storm(cpu, "machine-check", ++mchk_n[cpu], 0);
	irq_line(PIN_MCHK, 0);
}

/* ---- helpers ------------------------------------------------------------ */

static void reset_log(int cpu)
{
	log_n[cpu] = 0;
	level_takes[cpu] = 0;
	msisr_seen[cpu] = 0;
	msir_seen[cpu] = 0;
	crit_n[cpu] = 0;
	mchk_n[cpu] = 0;
}

/*
 * Open the interrupt window briefly: the MMIO read exits, so a raised
 * line is injected before cli.  Used to take (or prove the absence of)
 * an interrupt this CPU caused itself.
 */
static void settle(void)
{
	irq_enable();
	(void)mpic_read(MPIC_WHOAMI);
	(void)mpic_read(MPIC_WHOAMI);
	irq_disable();
}

/* Sleep until @n interrupts are logged (another CPU may send them). */
static void wait_log(int cpu, int n)
{
	while (atomic_read(&log_n[cpu]) < n)
		wait_for_irq();
}

static void wait_count(volatile int *count, int n)
{
	while (atomic_read(count) < n)
		wait_for_irq();
}

static void pulse(int pin)
{
	irq_line(pin, 1);
	irq_line(pin, 0);
}

static bool active(uint32_t ivpr_off)
{
	return mpic_read(ivpr_off) & MPIC_IVPR_ACTIVITY;
}

/* After an area: no CPU but those in @targets took anything. */
static void check_quiet(int cpu, uint32_t targets, const char *area)
{
	settle();
	if (!(targets & (1u << cpu)))
		CHECK(log_n[cpu] == 0, "%s: cpu %d took %d, first %x", area,
		      cpu, log_n[cpu], log_vec[cpu][0]);
}

/* Area bookkeeping (CPU 0 prints once everybody is done). */
static int area_failures;

static void area_begin(int cpu)
{
	smp_barrier();
	if (cpu == 0)
		area_failures = atomic_read(&failures);
	smp_barrier();
}

static void area_end(int cpu, const char *what)
{
	smp_barrier();
	if (cpu == 0 && atomic_read(&failures) == area_failures)
		printf("mpic: %s\n", what);
}

/* ---- identification, CTPR reset, spurious vector ------------------------ */

static void test_ident(int cpu, int ncpus)
{
	area_begin(cpu);
	if (cpu == 0) {
		uint32_t brr1 = mpic_read(MPIC_BRR1);
		uint32_t frr = mpic_read(MPIC_FRR);

		v42 = brr1 == 0x00400402;
		CHECK(v42 || brr1 == 0x00400200, "BRR1 %x", brr1);
		CHECK(((frr >> 8) & 0x1f) == (uint32_t)ncpus - 1, "FRR %x",
		      frr);
		CHECK(mpic_read(MPIC_SPVR) == 0xffff, "SPVR reset %x",
		      mpic_read(MPIC_SPVR));
		/* Nothing pending, CTPR 0: the spurious vector. */
		mpic_write(cpu_reg(0, MPIC_CTPR), 0);
		CHECK(mpic_read(cpu_reg(0, MPIC_IACK)) == 0xffff,
		      "IACK with SPVR at reset");
		mpic_write(MPIC_SPVR, 0xabcd0000u | SPURIOUS);
		CHECK(mpic_read(MPIC_SPVR) == SPURIOUS, "SPVR %x",
		      mpic_read(MPIC_SPVR));
	}
	smp_barrier();
	CHECK(this_cpu() == cpu, "WHOAMI %d on cpu %d", this_cpu(), cpu);
	if (cpu != 0)
		CHECK(mpic_read(cpu_reg(cpu, MPIC_CTPR)) == 15,
		      "cpu %d CTPR reset %u", cpu,
		      mpic_read(cpu_reg(cpu, MPIC_CTPR)));
	mpic_write(cpu_reg(cpu, MPIC_CTPR), 0);
	CHECK(mpic_read(MPIC_CTPR) == 0, "cpu %d CTPR alias %u", cpu,
	      mpic_read(MPIC_CTPR));
	CHECK(mpic_read(cpu_reg(cpu, MPIC_IACK)) == SPURIOUS,
	      "cpu %d: IACK with nothing pending", cpu);
	/* EOI with nothing in service is ignored. */
	mpic_write(cpu_reg(cpu, MPIC_EOI), 0);
	area_end(cpu, "identification, CTPR and spurious vector ok");
}

/* ---- external sources: edge and level, to each CPU ---------------------- */

static void test_external(int cpu, int ncpus)
{
	area_begin(cpu);
	if (cpu == 0) {
		mpic_write(MPIC_IVPR(PIN_EDGE), MPIC_IVPR_PRIO(5) | VEC_EDGE);
		mpic_write(MPIC_IVPR(PIN_LEVEL),
			   MPIC_IVPR_SENSE | MPIC_IVPR_PRIO(5) | VEC_LEVEL);
		CHECK(mpic_read(MPIC_IVPR(PIN_EDGE)) ==
		      (MPIC_IVPR_PRIO(5) | VEC_EDGE), "edge IVPR %x",
		      mpic_read(MPIC_IVPR(PIN_EDGE)));
		CHECK(mpic_read(MPIC_IVPR(PIN_LEVEL)) & MPIC_IVPR_SENSE,
		      "level IVPR %x", mpic_read(MPIC_IVPR(PIN_LEVEL)));
	}
	for (int t = 0; t < ncpus; t++) {
		reset_log(cpu);
		smp_barrier();
		if (cpu == 0) {
			mpic_write(MPIC_IDR(PIN_EDGE), 1u << t);
			mpic_write(MPIC_IDR(PIN_LEVEL), 1u << t);
			CHECK(mpic_read(MPIC_IDR(PIN_EDGE)) == 1u << t,
			      "IDR %x", mpic_read(MPIC_IDR(PIN_EDGE)));
			pulse(PIN_EDGE);
			irq_line(PIN_LEVEL, 1);
		}
		if (cpu == t) {
			/* Same priority: the lower source number first. */
			wait_log(cpu, 3);
			settle();
			CHECK(log_n[cpu] == 3 && log_vec[cpu][0] == VEC_EDGE &&
			      log_vec[cpu][1] == VEC_LEVEL &&
			      log_vec[cpu][2] == VEC_LEVEL,
			      "cpu %d took %d: %x %x %x", cpu, log_n[cpu],
			      log_vec[cpu][0], log_vec[cpu][1],
			      log_vec[cpu][2]);
			CHECK(!active(MPIC_IVPR(PIN_EDGE)) &&
			      !active(MPIC_IVPR(PIN_LEVEL)),
			      "still active after IACK/line low");
		}
		smp_barrier();
		check_quiet(cpu, 1u << t, "external");
	}
	area_end(cpu, "external edge and level sources ok on every vCPU");
}

/* ---- priorities and CTPR (CPU 0) ---------------------------------------- */

static void expect_log(int n, uint32_t a, uint32_t b, const char *what)
{
	CHECK(log_n[0] == n && (n < 1 || log_vec[0][0] == a) &&
	      (n < 2 || log_vec[0][1] == b),
	      "%s: took %d: %x %x", what, log_n[0], log_vec[0][0],
	      log_vec[0][1]);
}

static void test_priority(int cpu)
{
	uint32_t iack = cpu_reg(0, MPIC_IACK), eoi = cpu_reg(0, MPIC_EOI);
	uint32_t ctpr = cpu_reg(0, MPIC_CTPR);

	area_begin(cpu);
	if (cpu != 0)
		goto out;
	mpic_write(MPIC_IDR(PIN_LOW), 1);
	mpic_write(MPIC_IDR(PIN_HIGH), 1);
	mpic_write(MPIC_IVPR(PIN_LOW), MPIC_IVPR_PRIO(3) | VEC_LOW);
	mpic_write(MPIC_IVPR(PIN_HIGH), MPIC_IVPR_PRIO(9) | VEC_HIGH);

	/* Polled: higher first; in service, the lower one waits. */
	pulse(PIN_LOW);
	pulse(PIN_HIGH);
	CHECK(active(MPIC_IVPR(PIN_LOW)) && active(MPIC_IVPR(PIN_HIGH)),
	      "pending sources not active");
	CHECK(mpic_read(iack) == VEC_HIGH, "first IACK");
	CHECK(mpic_read(iack) == SPURIOUS, "IACK below in-service priority");
	mpic_write(eoi, 0);
	CHECK(mpic_read(iack) == VEC_LOW, "IACK after EOI");
	mpic_write(eoi, 0);
	CHECK(mpic_read(iack) == SPURIOUS, "IACK with nothing left");

	/* Through the INT line: the same order. */
	reset_log(0);
	pulse(PIN_LOW);
	pulse(PIN_HIGH);
	settle();
	expect_log(2, VEC_HIGH, VEC_LOW, "delivery order");

	/* CTPR equal to a priority masks it; a higher source passes. */
	reset_log(0);
	mpic_write(ctpr, 3);
	CHECK(mpic_read(ctpr) == 3, "CTPR %u", mpic_read(ctpr));
	pulse(PIN_LOW);
	settle();
	expect_log(0, 0, 0, "CTPR 3 masks priority 3");
	CHECK(active(MPIC_IVPR(PIN_LOW)), "masked by CTPR but not pending");
	CHECK(mpic_read(iack) == SPURIOUS, "IACK below CTPR");
	mpic_write(ctpr, 6);
	pulse(PIN_HIGH);
	settle();
	expect_log(1, VEC_HIGH, 0, "CTPR 6 passes priority 9");
	mpic_write(ctpr, 0);
	settle();
	expect_log(2, VEC_HIGH, VEC_LOW, "lowering CTPR delivers");

	/* Priority 0 never interrupts; raising it delivers the latch. */
	reset_log(0);
	mpic_write(MPIC_IVPR(PIN_LOW), MPIC_IVPR_PRIO(0) | VEC_LOW);
	pulse(PIN_LOW);
	settle();
	expect_log(0, 0, 0, "priority 0");
	CHECK(mpic_read(iack) == SPURIOUS, "IACK of priority 0");
	mpic_write(MPIC_IVPR(PIN_LOW), MPIC_IVPR_PRIO(3) | VEC_LOW);
	settle();
	expect_log(1, VEC_LOW, 0, "priority raised");

	/* IVPR[MSK]: an edge is latched while masked, taken on unmask. */
	reset_log(0);
	mpic_write(MPIC_IVPR(PIN_LOW),
		   MPIC_IVPR_MASK | MPIC_IVPR_PRIO(3) | VEC_LOW);
	pulse(PIN_LOW);
	settle();
	expect_log(0, 0, 0, "masked source");
	CHECK(!active(MPIC_IVPR(PIN_LOW)), "masked source active");
	mpic_write(MPIC_IVPR(PIN_LOW), MPIC_IVPR_PRIO(3) | VEC_LOW);
	settle();
	expect_log(1, VEC_LOW, 0, "unmasked latch");
out:
	area_end(cpu, "priorities, CTPR masking and IVPR[MSK] ok");
}

/* ---- IPIs --------------------------------------------------------------- */

static void test_ipi(int cpu, int ncpus)
{
	int to = (cpu + 1) % ncpus;
	uint32_t all = ncpus >= 32 ? 0xffffffffu : (1u << ncpus) - 1;

	area_begin(cpu);
	if (cpu == 0) {
		mpic_write(MPIC_IPIVPR(0), MPIC_IVPR_PRIO(7) | VEC_IPI(0));
		mpic_write(MPIC_IPIVPR(1), MPIC_IVPR_PRIO(8) | VEC_IPI(1));
		CHECK(mpic_read(MPIC_IPIVPR(1)) ==
		      (MPIC_IVPR_PRIO(8) | VEC_IPI(1)), "IPIVPR1 %x",
		      mpic_read(MPIC_IPIVPR(1)));
	}
	reset_log(cpu);
	smp_barrier();
	/* Each CPU to the next, through its own page. */
	mpic_write(cpu_reg(cpu, MPIC_IPIDR(0)), 1u << to);
	wait_log(cpu, 1);
	CHECK(log_vec[cpu][0] == VEC_IPI(0), "cpu %d: IPI 0 gave %x", cpu,
	      log_vec[cpu][0]);
	smp_barrier();
	/* A multicast through the current-CPU alias: each takes it once. */
	if (cpu == ncpus - 1)
		mpic_write(MPIC_IPIDR(1), all);
	wait_log(cpu, 2);
	CHECK(log_vec[cpu][1] == VEC_IPI(1), "cpu %d: IPI 1 gave %x", cpu,
	      log_vec[cpu][1]);
	smp_barrier();
	settle();
	CHECK(log_n[cpu] == 2, "cpu %d took %d IPIs", cpu, log_n[cpu]);
	area_end(cpu, "IPIs between vCPUs ok");
}

/* ---- global timers ------------------------------------------------------ */

static void test_timers(int cpu, int ncpus)
{
	int mine = 0;

	area_begin(cpu);
	reset_log(cpu);
	if (cpu == 0) {
		/* At reset GTBCR[CI] inhibits it: an expiry does nothing. */
		mpic_write(MPIC_GTVPR(0), MPIC_IVPR_PRIO(4) | VEC_TMR(0));
		mpic_write(MPIC_GTDR(0), 1);
		outl(TB_PORT_MPIC_TIMER, 0);
		settle();
		expect_log(0, 0, 0, "inhibited timer");
		CHECK(mpic_read(MPIC_GTCCR(0)) == 0, "GTCCR0 %x",
		      mpic_read(MPIC_GTCCR(0)));
		for (int n = 0; n < 4; n++) {
			mpic_write(MPIC_GTVPR(n),
				   MPIC_IVPR_PRIO(4 + n) | VEC_TMR(n));
			mpic_write(MPIC_GTDR(n), 1u << (n % ncpus));
			mpic_write(MPIC_GTBCR(n), 0x1000);
		}
		CHECK(mpic_read(MPIC_GTDR(3)) == 1u << (3 % ncpus), "GTDR3 %x",
		      mpic_read(MPIC_GTDR(3)));
	}
	smp_barrier();
	if (cpu == 0)
		for (int n = 0; n < 4; n++)
			outl(TB_PORT_MPIC_TIMER, n);
	for (int n = 0; n < 4; n++)
		mine += n % ncpus == cpu;
	wait_log(cpu, mine);
	settle();
	CHECK(log_n[cpu] == mine, "cpu %d took %d timer interrupts, not %d",
	      cpu, log_n[cpu], mine);
	for (int i = 0; i < mine && i < log_n[cpu]; i++) {
		uint32_t n = log_vec[cpu][i] - VEC_TMR(0);

		CHECK(n < 4 && (int)n % ncpus == cpu, "cpu %d: vector %x", cpu,
		      log_vec[cpu][i]);
	}
	/* One CPU had all four pending at once: highest priority first. */
	if (ncpus == 1)
		CHECK(log_vec[0][0] == VEC_TMR(3) &&
		      log_vec[0][3] == VEC_TMR(0), "timer order %x..%x",
		      log_vec[0][0], log_vec[0][3]);
	smp_barrier();
	if (cpu == 0) {
		for (int n = 0; n < 4; n++)
			CHECK(mpic_read(MPIC_GTCCR(n)) & MPIC_TCCR_TOG,
			      "GTCCR%d[TOG] not toggled", n);
		/* A second expiry toggles back and fires again. */
		reset_log(0);
		outl(TB_PORT_MPIC_TIMER, 0);
		settle();
		expect_log(1, VEC_TMR(0), 0, "second expiry");
		CHECK(!(mpic_read(MPIC_GTCCR(0)) & MPIC_TCCR_TOG),
		      "GTCCR0[TOG] after two expiries");
	}
	area_end(cpu, "global timer interrupts ok");
}

/* ---- MSIs through MSIIR ------------------------------------------------- */

static void test_msi(int cpu, int ncpus)
{
	uint32_t src = MPIC_MSI_SRC0 + MSI_SRS;

	area_begin(cpu);
	if (cpu == 0) {
		mpic_write(MPIC_IVPR(src), MPIC_IVPR_PRIO(6) | VEC_MSI);
		CHECK(mpic_read(MPIC_IVPR(src)) ==
		      (MPIC_IVPR_PRIO(6) | VEC_MSI), "MSI IVPR %x",
		      mpic_read(MPIC_IVPR(src)));
		/* Two messages before the handler runs: one interrupt. */
		reset_log(0);
		mpic_write(MPIC_MSIIR, MPIC_MSI(MSI_SRS, 5));
		mpic_write(MPIC_MSIIR, MPIC_MSI(MSI_SRS, 31));
		CHECK(mpic_read(MPIC_MSISR) == 1u << MSI_SRS, "MSISR %x",
		      mpic_read(MPIC_MSISR));
		settle();
		expect_log(1, VEC_MSI, 0, "coalesced MSIs");
		CHECK(msisr_seen[0] == 1u << MSI_SRS &&
		      msir_seen[0] == (1u << 5 | 1u << 31),
		      "handler saw MSISR %x MSIR %x", msisr_seen[0],
		      msir_seen[0]);
		CHECK(mpic_read(MPIC_MSISR) == 0 && !active(MPIC_IVPR(src)),
		      "MSIR read did not clear");
	}
	/* Each CPU is the target of a message written by the next one. */
	for (int t = 0; t < ncpus; t++) {
		reset_log(cpu);
		smp_barrier();
		if (cpu == 0)
			mpic_write(MPIC_IDR(src), 1u << t);
		smp_barrier();
		if (cpu == (t + 1) % ncpus)
			mpic_write(MPIC_MSIIR,
				   MPIC_MSI(MSI_SRS, (t + 8) % 32));
		if (cpu == t) {
			wait_log(cpu, 1);
			settle();
			CHECK(log_n[cpu] == 1 && log_vec[cpu][0] == VEC_MSI &&
			      msir_seen[cpu] == 1u << ((t + 8) % 32),
			      "cpu %d took %d (%x), MSIR %x", cpu, log_n[cpu],
			      log_vec[cpu][0], msir_seen[cpu]);
		}
		smp_barrier();
		check_quiet(cpu, 1u << t, "msi");
	}
	area_end(cpu, "MSIs through MSIIR ok on every vCPU");
}

/* ---- critical and machine-check outputs --------------------------------- */

/* v4.2: ILR picks the output; v2.0: IDR[CIn] routes to critical. */
static void route_crit(int t, int ncpus)
{
	if (v42) {
		/* v4.2 has no CI bits: only P bits (of present CPUs) stick. */
		uint32_t ci = ncpus <= 30 ? MPIC_IDR_CI0 : 0;

		mpic_write(MPIC_ILR(PIN_CRIT), MPIC_ILR_CINT);
		mpic_write(MPIC_IDR(PIN_CRIT), ci | 1u << t);
		CHECK(mpic_read(MPIC_IDR(PIN_CRIT)) == 1u << t, "IDR %x",
		      mpic_read(MPIC_IDR(PIN_CRIT)));
		CHECK(mpic_read(MPIC_ILR(PIN_CRIT)) == MPIC_ILR_CINT,
		      "ILR %x", mpic_read(MPIC_ILR(PIN_CRIT)));
	} else {
		mpic_write(MPIC_IDR(PIN_CRIT), MPIC_IDR_CI0 >> t);
	}
}

static void test_critical(int cpu, int ncpus)
{
	area_begin(cpu);
	if (cpu == 0) {
		mpic_write(MPIC_IVPR(PIN_CRIT),
			   MPIC_IVPR_SENSE | MPIC_IVPR_PRIO(4) | VEC_CRIT);
		mpic_write(MPIC_IVPR(PIN_MCHK),
			   MPIC_IVPR_SENSE | MPIC_IVPR_PRIO(4) | VEC_MCHK);
		if (v42)
			mpic_write(MPIC_ILR(PIN_MCHK), MPIC_ILR_MCP);
	}
	for (int t = 0; t < ncpus; t++) {
		reset_log(cpu);
		smp_barrier();
		if (cpu == 0) {
			route_crit(t, ncpus);
			irq_line(PIN_CRIT, 1);
		}
		if (cpu == t) {
			wait_count(&crit_n[cpu], 1);
			/* Critical sources are not in the INT queue. */
			CHECK(crit_iack[cpu] == SPURIOUS,
			      "cpu %d: IACK in critical handler %x", cpu,
			      crit_iack[cpu]);
		}
		smp_barrier();
		if (v42 && cpu == 0) {
			mpic_write(MPIC_IDR(PIN_MCHK), 1u << t);
			irq_line(PIN_MCHK, 1);
		}
		if (v42 && cpu == t)
			wait_count(&mchk_n[cpu], 1);
		smp_barrier();
		settle();
		CHECK(crit_n[cpu] == (cpu == t) &&
		      mchk_n[cpu] == (v42 && cpu == t),
		      "cpu %d: %d critical, %d machine check (target %d)",
		      cpu, crit_n[cpu], mchk_n[cpu], t);
		check_quiet(cpu, 0, "critical");
	}
	area_end(cpu, v42 ? "critical (ILR 1 -> 0x22) and machine check "
			    "(ILR 2 -> 0x23) ok on every vCPU" :
			    "critical (IDR[CI] -> 0x22) ok on every vCPU");
}

int main(int cpu, int ncpus)
{
	if (ncpus > MAX_CPUS) {
		if (cpu == 0)
			printf("mpic: at most %d vCPUs\n", MAX_CPUS);
		return 1;
	}
	set_irq_handler(TB_VECTOR_IRQ, mpic_int);
	set_irq_handler(TB_VECTOR_CRIT, mpic_crit);
	set_irq_handler(TB_VECTOR_MCHECK, mpic_mchk);

	test_ident(cpu, ncpus);
	test_external(cpu, ncpus);
	test_priority(cpu);
	test_ipi(cpu, ncpus);
	test_timers(cpu, ncpus);
	test_msi(cpu, ncpus);
	test_critical(cpu, ncpus);

	smp_barrier();
	CHECK(spurious_n[cpu] == 0, "cpu %d: %d spurious interrupt(s)", cpu,
	      spurious_n[cpu]);
	smp_barrier();
	if (cpu == 0) {
		if (failures)
			printf("mpic: %d check(s) failed\n", failures);
		else
			printf("mpic: all checks passed on %d vCPU(s)\n",
			       ncpus);
	}
	return failures ? 1 : 0;
}
