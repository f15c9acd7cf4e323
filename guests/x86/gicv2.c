// SPDX-License-Identifier: GPL-2.0
/*
 * GICv2 on the testbench (--irqchip=gicv2): SPIs taken in priority
 * order, SGIs between vCPUs with target lists and filters (source CPU in
 * GICC_IAR), preemption by a higher-priority interrupt, and the
 * active/pending state machine seen through the distributor.
 */
#include "gic.h"

#define DIST TB_GIC_DIST
#define CPU TB_GICV2_CPU
#define SPI_LOW 40	/* priority 0xa0 */
#define SPI_HIGH 41	/* priority 0x80: wins */
#define MAX_LOG 32

static volatile int log_n[8];
static volatile uint32_t log_iar[8][MAX_LOG];
static volatile int nested_done;
static int failures;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("FAIL %s:%d: ", __func__, __LINE__);       \
			printf(__VA_ARGS__);                              \
			printf("\n");                                     \
			failures++;                                       \
		}                                                         \
	} while (0)

static void gic_irq(int vector)
{
	int cpu = this_vcpu();
	uint32_t iar = mmio_read32(CPU + GICC_IAR);
	uint32_t id = iar & 0x3ff;

	if (id == GIC_SPURIOUS)
		return;
	if (log_n[cpu] < MAX_LOG)
		log_iar[cpu][log_n[cpu]++] = iar;
	if (id == SPI_LOW && cpu == 0 && !nested_done) {
		/* Active at 0xa0: a pending 0x80 interrupt must preempt us. */
		CHECK(mmio_read32(CPU + GICC_RPR) == 0xa0, "RPR %x",
		      mmio_read32(CPU + GICC_RPR));
		gic_set_bit(DIST, GICD_ISPENDR, SPI_HIGH);
		irq_enable();
		while (!nested_done)
			cpu_relax();
		irq_disable();
	}
	if (id == SPI_HIGH)
		nested_done = 1;
	mmio_write32(CPU + GICC_EOIR, iar);
}

static void wait_log(int cpu, int n)
{
	while (atomic_read((volatile int *)&log_n[cpu]) < n)
		wait_for_irq();
}

static void test_priority_order(void)
{
	irq_disable();
	nested_done = 1;	/* no preemption test in this one */
	gic_set_bit(DIST, GICD_ISPENDR, SPI_LOW);
	gic_set_bit(DIST, GICD_ISPENDR, SPI_HIGH);
	CHECK((mmio_read32(CPU + GICC_HPPIR) & 0x3ff) == SPI_HIGH, "HPPIR %x",
	      mmio_read32(CPU + GICC_HPPIR));
	log_n[0] = 0;
	wait_log(0, 2);
	CHECK(log_iar[0][0] == SPI_HIGH && log_iar[0][1] == SPI_LOW,
	      "order %u then %u", log_iar[0][0], log_iar[0][1]);
	printf("gicv2: SPIs %d and %d taken in priority order\n", SPI_HIGH,
	       SPI_LOW);
}

static void test_preemption(void)
{
	log_n[0] = 0;
	nested_done = 0;
	gic_set_bit(DIST, GICD_ISPENDR, SPI_LOW);
	wait_log(0, 2);
	while (!nested_done)
		wait_for_irq();
	CHECK(log_iar[0][0] == SPI_LOW && log_iar[0][1] == SPI_HIGH,
	      "preemption order %u then %u", log_iar[0][0], log_iar[0][1]);
	CHECK(!(mmio_read32(DIST + GICD_ISACTIVER + 4) & (3u << 8)),
	      "SPIs still active after EOI");
	printf("gicv2: SPI %d preempted SPI %d\n", SPI_HIGH, SPI_LOW);
}

static volatile int sgi_phase;

static void test_sgis(int cpu, int ncpus)
{
	if (cpu == 0) {
		/* SGI 5 to CPU 1 by target list (bit 16 + n is CPU n). */
		mmio_write32(DIST + GICD_SGIR, (1u << (16 + 1)) | 5);
		while (atomic_read(&sgi_phase) < 1)
			cpu_relax();
		/* Then CPU 1 sends SGI 6 to everyone else (filter 1). */
		wait_log(0, 1);
		CHECK(log_iar[0][0] == ((1u << 10) | 6), "cpu0 got %x",
		      log_iar[0][0]);
		atomic_inc(&sgi_phase);
		printf("gicv2: SGIs delivered with source CPUs\n");
	} else if (cpu == 1) {
		wait_log(1, 1);
		CHECK(log_iar[1][0] == ((0u << 10) | 5), "cpu1 got %x",
		      log_iar[1][0]);
		atomic_inc(&sgi_phase);
		mmio_write32(DIST + GICD_SGIR, (1u << 24) | 6);
	} else {
		wait_log(cpu, 1);
		CHECK(log_iar[cpu][0] == ((1u << 10) | 6), "cpu%d got %x", cpu,
		      log_iar[cpu][0]);
	}
}

int main(int cpu, int ncpus)
{
	set_irq_handler(TB_VECTOR_IRQ, gic_irq);
	if (cpu == 0) {
		uint32_t typer = mmio_read32(DIST + GICD_TYPER);

		CHECK(((typer >> 5) & 7) + 1 == (uint32_t)ncpus,
		      "TYPER.CPUNumber %u", (typer >> 5) & 7);
		for (int irq = SPI_LOW; irq <= SPI_HIGH; irq++) {
			gic_set_byte(DIST, GICD_ITARGETSR, irq, 1);
			gic_set_bit(DIST, GICD_ISENABLER, irq);
		}
		gic_set_byte(DIST, GICD_IPRIORITYR, SPI_LOW, 0xa0);
		gic_set_byte(DIST, GICD_IPRIORITYR, SPI_HIGH, 0x80);
		mmio_write32(DIST + GICD_CTLR, 1);
	}
	/* Banked per CPU: SGIs enabled, priority mask open, interface on. */
	mmio_write32(DIST + GICD_ISENABLER, 0xffff);
	mmio_write32(CPU + GICC_PMR, 0xf0);
	mmio_write32(CPU + GICC_CTLR, 1);
	/* Banked GICD_ITARGETSR0 reads back this CPU's own bit. */
	CHECK(mmio_read8(DIST + GICD_ITARGETSR) == 1u << cpu,
	      "ITARGETSR0 0x%x on cpu %d", mmio_read8(DIST + GICD_ITARGETSR), cpu);
	smp_barrier();

	if (cpu == 0) {
		test_priority_order();
		test_preemption();
	}
	log_n[cpu] = 0;
	smp_barrier();
	if (ncpus >= 2)
		test_sgis(cpu, ncpus);
	smp_barrier();
	if (cpu == 0) {
		if (failures)
			printf("gicv2: %d check(s) failed\n", failures);
		else
			printf("gicv2: all checks passed on %d vCPU(s)\n", ncpus);
	}
	return failures ? 1 : 0;
}
