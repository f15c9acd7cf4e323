// SPDX-License-Identifier: GPL-2.0
/*
 * ppc64: kvmkit cross-builds here so that its device models (XICS, MPIC)
 * run on a POWER host, but it has no ppc64 machine to boot guests
 * with yet: the pseries machine (hypercalls, XICS wiring, a device
 * tree) is future work.  `kvmkit run` says so.
 */
#include <stdio.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"

static int ppc64_setup(struct vm *vm)
{
	pr_err("kvmkit has no ppc64 machine to boot guests with yet");
	return -1;
}

static const struct arch_machine ppc64_none = {
	.name = "none",
	.desc = "no guest machine on ppc64",
	.setup = ppc64_setup,
};

const struct arch_machine *const arch_machines[] = { &ppc64_none, NULL };

void arch_dump_regs(struct vcpu *vcpu)
{
	fprintf(stderr, "  (no register dump on ppc64)\n");
}
