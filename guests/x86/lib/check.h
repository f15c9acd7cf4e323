/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks for test guests: a failing CHECK prints one line
 * "FAIL function:line (vCPU n): message" (manifests reject ^FAIL) and
 * counts it, from any vCPU.
 */
#ifndef GUEST_CHECK_H
#define GUEST_CHECK_H

#include "guest.h"

extern volatile int check_failures;

void check_fail(const char *fn, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond, ...)                                              \
	do {                                                          \
		if (!(cond))                                          \
			check_fail(__func__, __LINE__, __VA_ARGS__);  \
	} while (0)

/*
 * Poll with interrupts open until *p >= v, at most @spins times; false
 * when it never gets there.  IF stays set for the whole loop: a window
 * of one instruction after STI (its interrupt shadow) is not reliably
 * seen by every KVM.
 */
bool spin_until(volatile int *p, int v, long spins);

/* "NAME: WHAT", printed only when no check failed since @before. */
void check_passed(const char *name, int before, const char *what);

#endif
