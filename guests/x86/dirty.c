// SPDX-License-Identifier: GPL-2.0
/*
 * Keeps dirtying memory, for live-snapshot benchmarks and tests: writes
 * one byte per 4 KiB page from 4 MiB up, pass after pass, and prints
 * "pass N" after each.  Each write first checks the page still holds
 * the previous pass's byte, so a page a snapshot lost or restored stale
 * is caught: "dirty: page 0x... holds X, expected Y", exit status 1.
 *
 * Command line: "[MIB [PASSES]]": MIB to dirty (0 or none: all RAM above
 * 4 MiB), PASSES before it exits 0 (0 or none: forever).
 */
#include "guest.h"

#define DIRTY_START (4UL << 20)

static uint8_t mark(unsigned long pass)
{
	return pass ? (uint8_t)pass | 1 : 0;
}

int main(int cpu, int ncpus)
{
	unsigned long mib = cmdline_ulong(0, 0);
	unsigned long passes = cmdline_ulong(1, 0);
	uint64_t end = mib ? DIRTY_START + (mib << 20) : ram_size;

	if (cpu)
		return 0;
	if (end > ram_size || end <= DIRTY_START) {
		printf("dirty: %lu MiB from 4 MiB does not fit in %lu MiB of RAM\n",
		       mib, (unsigned long)(ram_size >> 20));
		return 1;
	}
	for (unsigned long pass = 1; !passes || pass <= passes; pass++) {
		uint8_t old = mark(pass - 1), new = mark(pass);

		for (uint64_t a = DIRTY_START; a < end; a += 4096) {
			volatile uint8_t *p = (volatile uint8_t *)a;

			if (*p != old) {
				printf("dirty: page 0x%lx holds %u, expected %u (pass %lu)\n",
				       (unsigned long)a, *p, old, pass);
				return 1;
			}
			*p = new;
		}
		printf("pass %lu\n", pass);
	}
	return 0;
}
