// SPDX-License-Identifier: GPL-2.0
/*
 * Misbehaving guests for kvmkit's error paths: "triple" faults with no
 * usable IDT (KVM_EXIT_SHUTDOWN), "halt" halts with interrupts off on
 * every vCPU, "ud" takes an unhandled #UD (the library exits 99).
 */
#include "guest.h"

int main(int cpu, int ncpus)
{
	char mode[16] = "triple";
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	cmdline_word(0, mode, sizeof(mode));
	if (streq(mode, "halt")) {
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	if (cpu)
		return 0;
	if (streq(mode, "ud"))
		__asm__ volatile("ud2");
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	return 0;
}
