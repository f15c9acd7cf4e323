// SPDX-License-Identifier: GPL-2.0
#include "check.h"

volatile int check_failures;

void check_fail(const char *fn, int line, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("FAIL %s:%d (vCPU %d): %s\n", fn, line, this_vcpu(), msg);
	atomic_inc(&check_failures);
}

void check_passed(const char *name, int before, const char *what)
{
	if (atomic_read(&check_failures) == before)
		printf("%s: %s\n", name, what);
}

bool spin_until(volatile int *p, int v, long spins)
{
	bool ok = false;

	irq_enable();
	for (long i = 0; i < spins && !ok; i++) {
		ok = atomic_read(p) >= v;
		cpu_relax();
	}
	irq_disable();
	return ok || atomic_read(p) >= v;
}
