/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an architecture provides: its machines, vCPU set-up and the exits
 * only it understands.
 */
#ifndef KVMKIT_ARCH_H
#define KVMKIT_ARCH_H

#include "kvmkit/snapshot.h"
#include "kvmkit/vm.h"

struct arch_machine {
	const char *name;
	const char *desc;
	/* After vm_create: memory layout, devices, irqchip, image loading. */
	int (*setup)(struct vm *vm);
	/* Per vCPU, after its fd exists: registers, CPUID, entry state. */
	int (*vcpu_setup)(struct vcpu *vcpu);
	/* After all vCPUs exist and before any runs (irqchip finalize). */
	int (*finalize)(struct vm *vm);
	/* Before each KVM_RUN: interrupt injection.  Called unlocked. */
	void (*pre_run)(struct vcpu *vcpu);
	/*
	 * Exits the core does not handle.  Returns 0 to continue, 1 when the
	 * vCPU should stop (vm_request_stop already called), -1 unknown.
	 */
	int (*handle_exit)(struct vcpu *vcpu);
	/* Can this halted vCPU ever be woken by an interrupt? */
	bool (*can_wake)(struct vcpu *vcpu);
	void (*teardown)(struct vm *vm);

	/*
	 * Snapshots (src/snapshot.c, docs/snapshot-format.md); NULL: this
	 * machine can't be snapshotted.  Saves run with every vCPU paused.
	 * save_vcpu appends the arch's records (tags from SNAP_REC_ARCH) to
	 * the vCPU's open section; restore_vcpu reads them back, before the
	 * vCPU first runs.  save_machine adds the machine's own sections
	 * (arch VM state, devices outside the attribute ABI such as the
	 * console UART); restore_machine reads them after vm_finalize.
	 * Devices with an attribute interface are saved by the core.
	 */
	int (*save_vcpu)(struct vcpu *vcpu, struct snap_writer *w);
	int (*restore_vcpu)(struct vcpu *vcpu, const struct snap_section *sec,
			    struct snap_error *e);
	int (*save_machine)(struct vm *vm, struct snap_save *ss);
	int (*restore_machine)(struct vm *vm, const struct snap_file *f,
			       struct snap_error *e);
};

/* The arch's machines; the first is the default. */
extern const struct arch_machine *const arch_machines[];
/* Print the registers of @vcpu to stderr (crash dumps). */
void arch_dump_regs(struct vcpu *vcpu);

const struct arch_machine *arch_find_machine(const char *name);

#endif
