// SPDX-License-Identifier: GPL-2.0
/*
 * s390x: kvmkit cross-builds here so that the FLIC and VM-attribute code
 * runs on a real s390 host, but it has no s390 machine to boot guests
 * with: no machine on the development hosts has SIE (QEMU's emulator
 * lacks it), so one could not be tested.  `kvmkit run` says so.
 */
#include <stdio.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"

static int s390_setup(struct vm *vm)
{
	pr_err("kvmkit has no s390x machine to boot guests with (see docs/devices/s390-vm.md)");
	return -1;
}

static const struct arch_machine s390_none = {
	.name = "none",
	.desc = "no guest machine on s390x",
	.setup = s390_setup,
};

const struct arch_machine *const arch_machines[] = { &s390_none, NULL };

void arch_dump_regs(struct vcpu *vcpu)
{
	fprintf(stderr, "  (no register dump on s390x)\n");
}
