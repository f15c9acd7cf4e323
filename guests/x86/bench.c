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
	/* The same three-instruction loops as the bare KVM loop in kvmbench. */
	if (!n) {
	} else if (streq(mode, "pio")) {
		__asm__ volatile("1: outl %%eax, %%dx; dec %%ecx; jnz 1b"
				 : "+c"(n) : "d"(TB_PORT_BENCH), "a"(0));
	} else if (streq(mode, "mmio")) {
		__asm__ volatile("1: movl %%eax, (%%rdx); dec %%ecx; jnz 1b"
				 : "+c"(n) : "d"(TB_MMIO_BENCH), "a"(0) : "memory");
	} else if (!streq(mode, "nop")) {
		printf("bench: unknown mode '%s'\n", mode);
		return 1;
	}
	return 0;
}
