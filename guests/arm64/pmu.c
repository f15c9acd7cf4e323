// SPDX-License-Identifier: GPL-2.0
/*
 * PMUv3 (--pmu): ID_AA64DFR0_EL1 must announce it, and the cycle counter
 * must count.  Without --pmu KVM hides the PMU: exit 1, "no PMUv3".
 */
#include "guest.h"

#define PMCR_E 1UL
#define PMCR_C 4UL
#define PMCNTEN_CYCLES (1UL << 31)

int main(void)
{
	unsigned int ver = (unsigned int)(read_sysreg(id_aa64dfr0_el1) >> 8 & 0xf);
	uint64_t pmcr, c0, c1;
	volatile unsigned int spin = 0;

	if (!ver || ver == 0xf) {
		puts("pmu: no PMUv3\n");
		return 1;
	}
	pmcr = read_sysreg(pmcr_el0);
	write_sysreg(pmcntenset_el0, PMCNTEN_CYCLES);
	write_sysreg(pmcr_el0, pmcr | PMCR_E | PMCR_C);
	isb();
	c0 = read_sysreg(pmccntr_el0);
	for (int i = 0; i < 100000; i++)
		spin++;
	isb();
	c1 = read_sysreg(pmccntr_el0);
	printf("pmu: PMUv3 (PMUVer %u), %u event counters, cycle counter %s\n",
	       ver, (unsigned int)(pmcr >> 11 & 0x1f),
	       c1 > c0 ? "counts" : "STUCK");
	return c1 > c0 ? 0 : 1;
}
