// SPDX-License-Identifier: GPL-2.0
/* Prints what the device tree says, then powers off through PSCI. */
#include "guest.h"

int main(void)
{
	uint64_t ver = psci_call(PSCI_VERSION, 0, 0, 0);

	printf("Hello from the kvmkit arm64 guest: %d vCPU(s), %luM of RAM at 0x%lx\n",
	       plat.ncpus, (unsigned long)(plat.ram_size >> 20),
	       (unsigned long)plat.ram_base);
	printf("bootargs: '%s'\n", plat.bootargs ? plat.bootargs : "");
	printf("GICv%d: distributor at 0x%lx\n", plat.gic_version,
	       (unsigned long)plat.gicd);
	if (plat.its)
		printf("ITS at 0x%lx\n", (unsigned long)plat.its);
	printf("PSCI %lu.%lu, counter at %lu Hz, EL%lu\n",
	       (unsigned long)(ver >> 16), (unsigned long)(ver & 0xffff),
	       (unsigned long)tick_hz(),
	       (unsigned long)(read_sysreg(CurrentEL) >> 2));
	return 0;
}
