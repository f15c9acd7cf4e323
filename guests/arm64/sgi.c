// SPDX-License-Identifier: GPL-2.0
/*
 * SGIs between vCPUs: vCPU 0 sends SGI 1 to each other vCPU in turn,
 * which answers with SGI 2 back to vCPU 0.  On GICv2 the acknowledge
 * value must name the sender.
 */
#include "guest.h"
#include "gic.h"

#define SGI_PING 1
#define SGI_PONG 2

static volatile int ready[MAX_CPUS], pinged[MAX_CPUS], pongs, finish;
static volatile int bad_source;

void irq_handler(int cpu, uint32_t intid, uint32_t raw)
{
	int src = gic_sgi_source(raw);

	if (intid == SGI_PING && cpu != 0) {
		if (src >= 0 && src != 0)
			bad_source = 1;
		pinged[cpu]++;
		gic_send_sgi(0, SGI_PONG);
	} else if (intid == SGI_PONG && cpu == 0) {
		pongs++;
		if (src >= 0)
			printf("sgi: pong from vCPU %d\n", src);
	} else {
		printf("vCPU %d: unexpected interrupt %u\n", cpu, intid);
	}
}

void secondary_main(int cpu)
{
	gic_init_cpu(cpu);
	gic_enable_irq(cpu, SGI_PING, 0xa0);
	irq_enable();
	__atomic_store_n(&ready[cpu], 1, __ATOMIC_SEQ_CST);
	while (!finish)
		wfi();
	irq_disable();
}

int main(void)
{
	uint64_t limit;

	if (plat.ncpus < 2) {
		puts("sgi: needs at least 2 vCPUs\n");
		return 1;
	}
	gic_init();
	gic_init_cpu(0);
	gic_enable_irq(0, SGI_PONG, 0xa0);
	for (int i = 1; i < plat.ncpus; i++)
		cpu_on(i);
	limit = ticks() + 20 * tick_hz();
	irq_enable();
	for (int i = 1; i < plat.ncpus; i++) {
		int want = i;

		while (!ready[i] && ticks() < limit)
			cpu_relax();
		gic_send_sgi(i, SGI_PING);
		while (pongs < want && ticks() < limit)
			cpu_relax();
		if (pinged[i] != 1) {
			printf("sgi: vCPU %d got %d pings\n", i, pinged[i]);
			return 1;
		}
		printf("sgi: vCPU %d answered\n", i);
	}
	finish = 1;
	dsb_sy();
	for (int i = 1; i < plat.ncpus; i++)
		gic_send_sgi(i, SGI_PING);
	irq_disable();
	if (pongs < plat.ncpus - 1 || bad_source) {
		printf("sgi: FAILED (%d pongs%s)\n", pongs,
		       bad_source ? ", wrong source" : "");
		return 1;
	}
	printf("sgi: all %d vCPU(s) answered\n", plat.ncpus - 1);
	return 0;
}
