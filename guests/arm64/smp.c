// SPDX-License-Identifier: GPL-2.0
/*
 * SMP bring-up through PSCI: the boot vCPU starts every other vCPU named
 * in the DTB with CPU_ON, each checks in with its MPIDR and turns itself
 * off again (CPU_OFF); AFFINITY_INFO must then report it off.
 */
#include "guest.h"

static volatile int checked_in[MAX_CPUS];

void secondary_main(int cpu)
{
	printf("vCPU %d of %d: hello (MPIDR 0x%lx)\n", cpu, plat.ncpus,
	       (unsigned long)read_sysreg(mpidr_el1));
	__atomic_store_n(&checked_in[cpu], 1, __ATOMIC_RELEASE);
}

int main(void)
{
	uint64_t deadline;
	int n = 1;

	checked_in[0] = 1;
	for (int i = 1; i < plat.ncpus; i++) {
		int ret = cpu_on(i);

		if (ret) {
			printf("smp: CPU_ON of vCPU %d failed: %d\n", i, ret);
			return 1;
		}
	}
	/*
	 * 32 vCPUs share the QEMU host's 2 emulated CPUs: bring-up can take
	 * many seconds on a loaded machine.  The manifest's timeout (60 s)
	 * stays the bound for a hang.
	 */
	deadline = ticks() + 45 * tick_hz();
	while (n < plat.ncpus && ticks() < deadline) {
		n = 0;
		for (int i = 0; i < plat.ncpus; i++)
			n += __atomic_load_n(&checked_in[i], __ATOMIC_ACQUIRE);
		cpu_relax();
	}
	if (n != plat.ncpus) {
		printf("smp: only %d of %d vCPUs checked in\n", n, plat.ncpus);
		return 1;
	}
	/* Wait until each is off again: AFFINITY_INFO 1 = OFF. */
	for (int i = 1; i < plat.ncpus; i++)
		while (psci_call(PSCI_AFFINITY_INFO, plat.mpidr[i], 0, 0) != 1 &&
		       ticks() < deadline)
			cpu_relax();
	printf("all %d vCPU(s) checked in\n", n);
	return 0;
}
