// SPDX-License-Identifier: GPL-2.0
/*
 * Counts and prints steadily until stopped (or up to the limit given as
 * the first command-line word; the second sets the delay loop between
 * counts): for pause/resume/stop and snapshots.
 */
#include "guest.h"

int main(int cpu, int ncpus)
{
	unsigned long limit = cmdline_ulong(0, 0);
	unsigned long delay = cmdline_ulong(1, 20000);

	if (cpu)
		return 0;
	for (unsigned long i = 0; !limit || i < limit; i++) {
		printf("count %lu\n", i);
		for (volatile unsigned long d = 0; d < delay; d++)
			;
	}
	printf("counted to %lu\n", limit);
	return 0;
}
