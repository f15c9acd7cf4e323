// SPDX-License-Identifier: GPL-2.0
/* The demo guest: greets from every vCPU, then exits 0. */
#include "guest.h"

static volatile int arrived;

int main(int cpu, int ncpus)
{
	if (cpu == 0)
		printf("Hello from the kvmkit testbench guest: %d vCPU(s), %lu MiB of RAM\n",
		       ncpus, (unsigned long)(ram_size >> 20));
	smp_barrier();
	printf("vCPU %d of %d: hello\n", cpu, ncpus);
	atomic_inc(&arrived);
	if (cpu != 0)
		return 0;
	while (atomic_read(&arrived) < ncpus)
		cpu_relax();
	printf("all %d vCPU(s) checked in; goodbye\n", ncpus);
	return 0;
}
