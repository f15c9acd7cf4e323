/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 vCPU and VM state for snapshots (arch/x86/state.c): what KVM holds
 * for a vCPU (registers, FPU/XSAVE, MSRs, events, ...) and for the VM
 * (kvmclock), as snapshot records.
 */
#ifndef KVMKIT_X86_STATE_H
#define KVMKIT_X86_STATE_H

#include "kvmkit/snapshot.h"
#include "kvmkit/vm.h"

/* Records of a vCPU section (SNAP_SEC_VCPU), raw KVM structures. */
enum x86_vcpu_tag {
	X86_REC_CPUID = SNAP_REC_ARCH,	/* le32 nent, kvm_cpuid_entry2[] */
	X86_REC_REGS,			/* struct kvm_regs */
	X86_REC_SREGS,			/* struct kvm_sregs */
	X86_REC_XSAVE,			/* KVM_GET_XSAVE(2) bytes */
	X86_REC_FPU,			/* struct kvm_fpu (no XSAVE) */
	X86_REC_XCRS,			/* struct kvm_xcrs */
	X86_REC_MSRS,			/* {le32 index, le32 0, le64 data}[] */
	X86_REC_EVENTS,			/* struct kvm_vcpu_events */
	X86_REC_DEBUGREGS,		/* struct kvm_debugregs */
	X86_REC_MP_STATE,		/* le32 */
	X86_REC_TSC_KHZ = (SNAP_REC_ARCH + 0x20) | SNAP_REC_OPTIONAL,
};

/* Records of the arch VM section (SNAP_SEC_ARCH_VM). */
enum x86_vm_tag {
	X86_REC_CLOCK = SNAP_REC_ARCH,	/* le64 kvmclock ns, le32 flags */
};

int x86_save_vcpu(struct vcpu *vcpu, struct snap_writer *w);
int x86_restore_vcpu(struct vcpu *vcpu, const struct snap_section *sec,
		     struct snap_error *e);
int x86_save_vm(struct vm *vm, struct snap_writer *w);
int x86_restore_vm(struct vm *vm, const struct snap_file *f,
		   struct snap_error *e);

#endif
