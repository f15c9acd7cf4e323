// SPDX-License-Identifier: GPL-2.0
/*
 * Faults on purpose (-p MODE): "undef" runs an undefined instruction (the
 * guest's own handler reports it and exits 99); "nisv" loads a register
 * pair from the UART, an access KVM cannot decode for user space (kvmkit
 * must stop with a clear message and status 3).
 */
#include "guest.h"

int main(void)
{
	const char *mode = plat.bootargs ? plat.bootargs : "";

	if (!strcmp(mode, "undef")) {
		puts("crash: undefined instruction\n");
		__asm__ volatile("udf #0");
	} else if (!strcmp(mode, "nisv")) {
		uint64_t a, b;

		puts("crash: LDP from MMIO\n");
		__asm__ volatile("ldp %0, %1, [%2]"
				 : "=r"(a), "=r"(b)
				 : "r"(UART_BASE + 0x100)
				 : "memory");
		printf("crash: LDP returned 0x%lx 0x%lx\n", (unsigned long)a,
		       (unsigned long)b);
	} else {
		printf("crash: unknown mode '%s'\n", mode);
	}
	return 1;
}
