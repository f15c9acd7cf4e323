// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark guest: "pio N" or "mmio N" does N writes to the testbench's
 * null port or MMIO page, each one a VM exit; "nop" exits at once (for
 * start-up time).
 */
#include "guest.h"

int main(int cpu, int ncpus)
{
	char mode[8] = "pio";
	unsigned long n = cmdline_ulong(1, 1000000);

	if (cpu)
		return 0;
	cmdline_word(0, mode, sizeof(mode));
	if (streq(mode, "pio")) {
		for (unsigned long i = 0; i < n; i++)
			outl(TB_PORT_BENCH, (uint32_t)i);
	} else if (streq(mode, "mmio")) {
		for (unsigned long i = 0; i < n; i++)
			mmio_write32(TB_MMIO_BENCH, (uint32_t)i);
	} else if (!streq(mode, "nop")) {
		printf("bench: unknown mode '%s'\n", mode);
		return 1;
	}
	return 0;
}
