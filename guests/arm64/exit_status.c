// SPDX-License-Identifier: GPL-2.0
/*
 * Exits with the number in the command line (-p N) through the test-exit
 * device, or 7 without one; "off" powers off instead (status 0).  With
 * several vCPUs the last one to start does the exit.
 */
#include "guest.h"

static volatile int started;

static int status(void)
{
	const char *a = plat.bootargs;

	if (!a || !*a)
		return 7;
	return (int)strtol10(a, NULL);
}

void secondary_main(int cpu)
{
	if (__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST) ==
	    plat.ncpus - 1) {
		printf("vCPU %d: exiting with status %d\n", cpu, status());
		exit(status());
	}
}

int main(void)
{
	if (plat.bootargs && !strcmp(plat.bootargs, "off")) {
		puts("powering off\n");
		return 0;
	}
	if (plat.ncpus == 1) {
		printf("exiting with status %d\n", status());
		return status();
	}
	for (int i = 1; i < plat.ncpus; i++)
		cpu_on(i);
	for (;;)
		wfi();
}
