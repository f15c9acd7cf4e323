// SPDX-License-Identifier: GPL-2.0
/*
 * A guest to snapshot with --irqchip=gicv2 or gicv3 (tests/integration/
 * snapshot-irqchip.sh; the GIC is told apart by GICD_PIDR2): most of
 * its time an SPI is active and another SPI and an SGI wait behind it.
 *
 * Round i on vCPU 0: pulse edge SPI 40 (priority 0x80); the handler
 * acknowledges it and leaves it active.  Pulse edge SPI 41 (0xa0) and
 * have SGI 5 (0xc0) sent to vCPU 0: by vCPU 1 when there is one (woken
 * by SGI 9, 0x20), else by itself.  Both must be pending.  Print the
 * round's line, then spin with interrupts enabled (the window a snapshot
 * usually hits): nothing may arrive.  EOI 40: then 41, then SGI 5 (from
 * the right vCPU on GICv2) must come, each once.
 *
 * vCPU 1 keeps SGI 7 (0x40) active and SGI 8 (0x60, from vCPU 0) pending
 * the whole run; at the end it must still find them so, EOI 7 and take
 * 8.  A state restored without an active interrupt lets what waits
 * behind it in early; one without a pending interrupt never delivers
 * it; either prints a FAIL line and the guest exits 1.
 *
 * Command line: ROUNDS DELAY STATUS; exits STATUS after ROUNDS good
 * rounds ("gicvN: ROUNDS rounds, nothing lost or repeated").
 */
#include "check.h"
#include "gicv3.h"

#define DIST TB_GIC_DIST
#define CPUIF TB_GICV2_CPU
#define SPI_ACTIVE 40	/* 0x80: acknowledged, left active */
#define SPI_WAIT 41	/* 0xa0: waits behind it */
#define SGI_WAIT 5	/* 0xc0: waits behind both */
#define SGI_HELD 7	/* 0x40: vCPU 1 keeps it active */
#define SGI_LATE 8	/* 0x60: pending on vCPU 1 until the end */
#define SGI_WAKE 9	/* 0x20: vCPU 0 asks vCPU 1 to send SGI_WAIT */
#define MAX_LOG 8
#define WAIT_SPINS 100000L	/* ~0.6 s when it fails: PAUSE exits */
#define QUIET_SPINS 200L	/* how long "nothing else came" waits */

struct irq_log {
	volatile int n;
	volatile uint32_t iar[MAX_LOG];
};

static bool v3;
static int ncpu;
static struct irq_log logs[2];
static volatile int finish, vcpu1_done;

/* ---- the two CPU interfaces --------------------------------------------- */

static uint32_t gic_ack(void)
{
	return v3 ? (uint32_t)icc_read(ICC_IAR1) : mmio_read32(CPUIF + GICC_IAR);
}

static void gic_eoi(uint32_t iar)
{
	if (v3)
		icc_write(ICC_EOIR1, iar);
	else
		mmio_write32(CPUIF + GICC_EOIR, iar);
}

static uint32_t gic_rpr(void)
{
	return v3 ? (uint32_t)icc_read(ICC_RPR) & 0xff :
		    mmio_read32(CPUIF + GICC_RPR);
}

/* What IAR reads for an SGI from @src: GICv2 adds the source vCPU. */
static uint32_t sgi_iar(uint32_t id, int src)
{
	return v3 ? id : (uint32_t)src << 10 | id;
}

static void send_sgi(uint32_t id, int target)
{
	if (v3)
		icc_write(ICC_SGI1R, SGI1R_INTID(id) | SGI1R_TARGETS(1u << target));
	else
		mmio_write32(DIST + GICD_SGIR, 1u << (16 + target) | id);
}

/* Banked SGI/PPI registers of the calling vCPU (@cpu). */
static uintptr_t private_regs(int cpu)
{
	return v3 ? gicr_base(cpu) + GICR_SGI_BASE : DIST;
}

static bool sgi_pending(int cpu, uint32_t id)
{
	return mmio_read32(private_regs(cpu) + GICD_ISPENDR) & 1u << id;
}

static void set_private_prio(int cpu, uint32_t id, uint8_t prio)
{
	mmio_write8(private_regs(cpu) + GICD_IPRIORITYR + id, prio);
}

static bool spi_pending(uint32_t id)
{
	return mmio_read32(DIST + GICD_ISPENDR + id / 32 * 4) & 1u << id % 32;
}

static bool spi_active(uint32_t id)
{
	return mmio_read32(DIST + GICD_ISACTIVER + id / 32 * 4) & 1u << id % 32;
}

/* ---- interrupts ----------------------------------------------------------- */

static void log_irq(int cpu, uint32_t iar)
{
	struct irq_log *l = &logs[cpu];
	int n = l->n;

	if (n < MAX_LOG)
		l->iar[n] = iar;
	__atomic_store_n(&l->n, n + 1, __ATOMIC_SEQ_CST);
}

static void gic_irq(int vector)
{
	int cpu = this_vcpu();
	uint32_t iar = gic_ack();
	uint32_t id = iar & 0x3ff;

	if (id == GIC_SPURIOUS || cpu > 1)
		return;
	if (id == SGI_WAKE) {
		/* vCPU 1: the round's SGI for vCPU 0, unless it is over. */
		if (!finish)
			send_sgi(SGI_WAIT, 0);
		gic_eoi(iar);
		return;
	}
	log_irq(cpu, iar);
	/* These stay active until their vCPU's main loop EOIs them. */
	if (id != SPI_ACTIVE && id != SGI_HELD)
		gic_eoi(iar);
}

/* IF set for a bounded spin until vCPU @cpu logged @n interrupts. */
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

static bool wait_pending(int cpu, uint32_t sgi, uint32_t spi)
{
	for (long i = 0; i < WAIT_SPINS; i++) {
		if (sgi_pending(cpu, sgi) && spi_pending(spi))
			return true;
		cpu_relax();
	}
	return false;
}

static void pulse(uint32_t spi)
{
	irq_line(spi, 1);
	irq_line(spi, 0);
}

/* ---- set-up --------------------------------------------------------------- */

static void dist_setup(void)
{
	uint32_t cfg = mmio_read32(DIST + GICD_ICFGR + 8);

	/* 40 and 41 edge-triggered (bit 1 of their 2-bit fields) */
	mmio_write32(DIST + GICD_ICFGR + 8, cfg | 2u << 16 | 2u << 18);
	gic_set_byte(DIST, GICD_IPRIORITYR, SPI_ACTIVE, 0x80);
	gic_set_byte(DIST, GICD_IPRIORITYR, SPI_WAIT, 0xa0);
	if (v3) {
		mmio_write64(DIST + GICD_IROUTER + 8 * SPI_ACTIVE, 0);
		mmio_write64(DIST + GICD_IROUTER + 8 * SPI_WAIT, 0);
		mmio_write32(DIST + GICD_CTLR, GICD_CTLR_ENABLE_G1);
	} else {
		gic_set_byte(DIST, GICD_ITARGETSR, SPI_ACTIVE, 1);
		gic_set_byte(DIST, GICD_ITARGETSR, SPI_WAIT, 1);
		mmio_write32(DIST + GICD_CTLR, 1);
	}
	gic_set_bit(DIST, GICD_ISENABLER, SPI_ACTIVE);
	gic_set_bit(DIST, GICD_ISENABLER, SPI_WAIT);
}

static void cpu_setup(int cpu)
{
	if (v3) {
		mmio_write32(gicr_base(cpu) + GICR_WAKER, 0);
		icc_write(ICC_PMR, 0xff);
		icc_write(ICC_IGRPEN1, 1);
	} else {
		mmio_write32(CPUIF + GICC_PMR, 0xff);
		mmio_write32(CPUIF + GICC_CTLR, 1);
	}
	set_private_prio(cpu, SGI_WAIT, 0xc0);
	set_private_prio(cpu, SGI_HELD, 0x40);
	set_private_prio(cpu, SGI_LATE, 0x60);
	set_private_prio(cpu, SGI_WAKE, 0x20);
}

/* ---- vCPU 0: the rounds --------------------------------------------------- */

static bool round_ok(unsigned long i, unsigned long delay)
{
	struct irq_log *l = &logs[0];
	uint32_t want[2] = { SPI_WAIT, sgi_iar(SGI_WAIT, ncpu > 1) };

	l->n = 0;
	pulse(SPI_ACTIVE);
	if (!wait_log(0, 1, WAIT_SPINS) || l->iar[0] != SPI_ACTIVE) {
		CHECK(0, "round %lu: took %d [0x%x], wanted %d", i, l->n,
		      l->iar[0], SPI_ACTIVE);
		return false;
	}
	pulse(SPI_WAIT);
	send_sgi(ncpu > 1 ? SGI_WAKE : SGI_WAIT, ncpu > 1);
	if (!wait_pending(0, SGI_WAIT, SPI_WAIT)) {
		CHECK(0, "round %lu: SPI %d and SGI %d not both pending", i,
		      SPI_WAIT, SGI_WAIT);
		return false;
	}
	printf("round %lu: SPI %d active, SPI %d and SGI %d pending\n", i,
	       SPI_ACTIVE, SPI_WAIT, SGI_WAIT);
	irq_enable();
	for (volatile unsigned long d = 0; d < delay; d++)
		;
	irq_disable();
	if (atomic_read(&l->n) != 1 || gic_rpr() != 0x80) {
		CHECK(0, "round %lu: 0x%x arrived while %d was active (RPR 0x%x)",
		      i, l->iar[1], SPI_ACTIVE, gic_rpr());
		return false;
	}
	/* The distributor's view too: the running priority is not all. */
	if (!spi_active(SPI_ACTIVE) || !spi_pending(SPI_WAIT) ||
	    !sgi_pending(0, SGI_WAIT)) {
		CHECK(0, "round %lu: SPI %d %sactive, SPI %d %spending, SGI %d %spending",
		      i, SPI_ACTIVE, spi_active(SPI_ACTIVE) ? "" : "not ",
		      SPI_WAIT, spi_pending(SPI_WAIT) ? "" : "not ", SGI_WAIT,
		      sgi_pending(0, SGI_WAIT) ? "" : "not ");
		return false;
	}
	gic_eoi(SPI_ACTIVE);
	if (!wait_log(0, 3, WAIT_SPINS) || l->iar[1] != want[0] ||
	    l->iar[2] != want[1]) {
		CHECK(0, "round %lu: after the EOI took %d [0x%x 0x%x], wanted 0x%x 0x%x",
		      i, l->n, l->iar[1], l->iar[2], want[0], want[1]);
		return false;
	}
	/* Exactly once: nothing else after a while with IF set. */
	wait_log(0, 4, QUIET_SPINS);
	if (atomic_read(&l->n) != 3 || gic_rpr() != 0xff) {
		CHECK(0, "round %lu: %d interrupts, a repeat of 0x%x", i, l->n,
		      l->iar[3]);
		return false;
	}
	return true;
}

/* ---- vCPU 1: SGI 7 active, SGI 8 pending, all along ------------------------ */

static void vcpu1(void)
{
	struct irq_log *l = &logs[1];

	if (!wait_log(1, 1, WAIT_SPINS) || l->iar[0] != sgi_iar(SGI_HELD, 0)) {
		CHECK(0, "vCPU 1 took %d [0x%x], wanted SGI %d", l->n, l->iar[0],
		      SGI_HELD);
		return;
	}
	atomic_inc(&vcpu1_done);	/* 1: SGI_HELD active */
	while (!atomic_read(&finish))
		wait_for_irq();
	CHECK(l->n == 1 && gic_rpr() == 0x40 && sgi_pending(1, SGI_LATE),
	      "at the end vCPU 1 has %d interrupts, RPR 0x%x, SGI %d %s", l->n,
	      gic_rpr(), SGI_LATE,
	      sgi_pending(1, SGI_LATE) ? "pending" : "not pending");
	gic_eoi(sgi_iar(SGI_HELD, 0));
	CHECK(wait_log(1, 2, WAIT_SPINS) && l->iar[1] == sgi_iar(SGI_LATE, 0),
	      "after EOI of SGI %d vCPU 1 took [0x%x]", SGI_HELD, l->iar[1]);
	wait_log(1, 3, QUIET_SPINS);
	CHECK(l->n == 2 && gic_rpr() == 0xff, "vCPU 1 took %d interrupts",
	      l->n);
	atomic_inc(&vcpu1_done);	/* 2: checked */
}

static bool wait_vcpu1(int state)
{
	for (long i = 0; i < WAIT_SPINS; i++) {
		if (atomic_read(&vcpu1_done) >= state)
			return true;
		cpu_relax();
	}
	return false;
}

int main(int cpu, int ncpus)
{
	unsigned long rounds = cmdline_ulong(0, 100);
	unsigned long delay = cmdline_ulong(1, 2000000);
	unsigned long status = cmdline_ulong(2, 0);
	const char *name;

	if (cpu > 1)
		return 0;
	set_irq_handler(TB_VECTOR_IRQ, gic_irq);
	if (cpu == 0) {
		v3 = (mmio_read32(DIST + GICD_PIDR2) >> 4 & 0xf) == 3;
		ncpu = ncpus > 1 ? 2 : 1;
		dist_setup();
	}
	smp_barrier();
	cpu_setup(cpu);
	smp_barrier();
	if (cpu == 1) {
		vcpu1();
		return 0;
	}
	name = v3 ? "gicv3" : "gicv2";
	if (ncpu > 1) {
		send_sgi(SGI_HELD, 1);
		if (!wait_vcpu1(1))
			return 1;
		send_sgi(SGI_LATE, 1);
	}
	for (unsigned long i = 0; i < rounds; i++)
		if (!round_ok(i, delay))
			return 1;
	if (ncpu > 1) {
		atomic_inc(&finish);
		send_sgi(SGI_WAKE, 1);
		if (!wait_vcpu1(2)) {
			CHECK(0, "vCPU 1 did not finish its checks");
			return 1;
		}
	}
	if (atomic_read(&check_failures))
		return 1;
	printf("%s: %lu rounds on %d vCPU(s), nothing lost or repeated\n", name,
	       rounds, ncpu);
	return (int)status;
}
