// SPDX-License-Identifier: GPL-2.0
/*
 * The EL1 virtual timer on every vCPU: its interrupt (PPI 27, as the DTB
 * says) through the GIC, TICKS times at 10 ms each, with the counter
 * checking that the interrupts came no earlier than programmed.
 */
#include "guest.h"
#include "gic.h"

#define VTIMER_PPI 27
#define TICKS 5
#define CNTV_CTL_ENABLE 1U
#define CNTV_CTL_IMASK 2U

static volatile int count[MAX_CPUS];
static volatile uint64_t early[MAX_CPUS], deadline_of[MAX_CPUS];
static volatile int done;
static volatile uint64_t late[MAX_CPUS];	/* summed IRQ latency, ticks */

static void arm_timer(int cpu)
{
	uint64_t interval = tick_hz() / 100;

	deadline_of[cpu] = ticks() + interval;
	write_sysreg(cntv_tval_el0, interval);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void irq_handler(int cpu, uint32_t intid, uint32_t raw)
{
	if (intid != VTIMER_PPI) {
		printf("vCPU %d: unexpected interrupt %u\n", cpu, intid);
		return;
	}
	uint64_t now = ticks();

	if (now < deadline_of[cpu])
		early[cpu]++;
	else
		late[cpu] += now - deadline_of[cpu];
	if (++count[cpu] < TICKS) {
		arm_timer(cpu);
	} else {
		/* Masked, the level drops: no more interrupts. */
		write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
		isb();
	}
}

static void run(int cpu)
{
	uint64_t start = ticks(), limit = start + 10 * tick_hz();

	gic_init_cpu(cpu);
	gic_enable_irq(cpu, VTIMER_PPI, 0xa0);
	arm_timer(cpu);
	irq_enable();
	while (count[cpu] < TICKS && ticks() < limit)
		wfi();
	irq_disable();
	printf("vCPU %d: %d timer interrupts on PPI %d in %lu ms%s\n", cpu,
	       count[cpu], VTIMER_PPI,
	       (unsigned long)((ticks() - start) * 1000 / tick_hz()),
	       early[cpu] ? " (some early!)" : "");
	printf("vCPU %d: mean latency %lu us\n", cpu, (unsigned long)(
	       late[cpu] * 1000000 / tick_hz() / (count[cpu] ? count[cpu] : 1)));
	__atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
}

void secondary_main(int cpu)
{
	run(cpu);
}

int main(void)
{
	uint64_t limit;
	int ok = 1;

	gic_init();
	for (int i = 1; i < plat.ncpus; i++)
		cpu_on(i);
	run(0);
	limit = ticks() + 20 * tick_hz();
	while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < plat.ncpus &&
	       ticks() < limit)
		cpu_relax();
	for (int i = 0; i < plat.ncpus; i++)
		if (count[i] != TICKS || early[i])
			ok = 0;
	if (!ok) {
		puts("timer: FAILED\n");
		return 1;
	}
	printf("timer: all %d vCPU(s) took %d interrupts\n", plat.ncpus, TICKS);
	return 0;
}
