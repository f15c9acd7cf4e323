// SPDX-License-Identifier: GPL-2.0
/* Exits with the status given as its first command-line word (default 7). */
#include "guest.h"

int main(int cpu, int ncpus)
{
	unsigned long status;

	if (cpu)
		return 0;
	status = cmdline_ulong(0, 7);
	printf("exiting with status %lu\n", status);
	return (int)status;
}
