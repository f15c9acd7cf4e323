// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 vCPUs: KVM_ARM_VCPU_INIT with the features we want, the boot
 * registers through ONE_REG, MPIDR_EL1, and register dumps.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "kvmkit/models.h"
#include "arm64.h"

#define CORE_REG(name)                                                   \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |           \
	 (offsetof(struct kvm_regs, name) / sizeof(uint32_t)))
#define SYSREG_MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)
#define SYSREG_ESR_EL1 ARM64_SYS_REG(3, 0, 5, 2, 0)
#define SYSREG_FAR_EL1 ARM64_SYS_REG(3, 0, 6, 0, 0)
#define SYSREG_ELR_EL1 CORE_REG(elr_el1)
#define SYSREG_VBAR_EL1 ARM64_SYS_REG(3, 0, 12, 0, 0)
#define SYSREG_SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)

/* EL1h with D, A, I and F masked: the state the boot protocol asks for. */
#define PSTATE_BOOT (PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | \
		     PSR_F_BIT)

#define MPIDR_HWID_MASK 0xff00ffffffULL

int arm64_get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &r) < 0 ? -errno : 0;
}

static int set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	return ioctl(vcpu->fd, KVM_SET_ONE_REG, &r) < 0 ? -errno : 0;
}

int arm64_vcpu_init(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct arm64_vcpu *av;
	struct kvm_vcpu_init init;
	char name[16];
	int ret;

	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		pr_err("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
		return -1;
	}
	/* PSCI 0.2+ in the kernel; secondaries wait for CPU_ON. */
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (vcpu->id > 0)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (ARM64(vm)->pmu)
		init.features[0] |= 1U << KVM_ARM_VCPU_PMU_V3;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0) {
		pr_err("vCPU %d: KVM_ARM_VCPU_INIT (target %u): %s", vcpu->id,
		       init.target, strerror(errno));
		return -1;
	}
	av = calloc(1, sizeof(*av));
	if (!av)
		return -1;
	av->tfd = -1;
	av->features = init.features[0];
	vcpu->arch = av;
	ret = arm64_get_reg(vcpu, SYSREG_MPIDR_EL1, &av->mpidr);
	if (ret) {
		pr_err("vCPU %d: reading MPIDR_EL1: %s", vcpu->id, strerror(-ret));
		return -1;
	}
	snprintf(name, sizeof(name), "vcpu%d", vcpu->id);
	ret = device_wrap_fd(vcpu->fd, KVMKIT_DEV_TYPE_VCPU, name, &av->attrs);
	if (ret)
		return -1;
	pr_debug("vCPU %d: target %u, MPIDR 0x%llx", vcpu->id, init.target,
		 (unsigned long long)av->mpidr);
	return 0;
}

/* Entry state of the boot CPU: PC, x0 = DTB, x1-x3 = 0, EL1h masked. */
int arm64_set_boot_regs(struct vcpu *vcpu, uint64_t pc, uint64_t x0)
{
	int ret = set_reg(vcpu, CORE_REG(regs.pstate), PSTATE_BOOT);

	ret = ret ?: set_reg(vcpu, CORE_REG(regs.regs[0]), x0);
	for (int i = 1; i < 4 && !ret; i++)
		ret = set_reg(vcpu, CORE_REG(regs.regs[i]), 0);
	ret = ret ?: set_reg(vcpu, CORE_REG(regs.pc), pc);
	if (ret)
		pr_err("vCPU %d: setting boot registers: %s", vcpu->id,
		       strerror(-ret));
	return ret;
}

void arch_dump_regs(struct vcpu *vcpu)
{
	static const struct {
		const char *name;
		uint64_t id;
	} sys[] = {
		{ "elr_el1", SYSREG_ELR_EL1 },
		{ "esr_el1", SYSREG_ESR_EL1 },
		{ "far_el1", SYSREG_FAR_EL1 },
		{ "vbar_el1", SYSREG_VBAR_EL1 },
		{ "sctlr_el1", SYSREG_SCTLR_EL1 },
		{ "mpidr", SYSREG_MPIDR_EL1 },
	};
	uint64_t pc, sp, pstate, x[31], v;

	if (arm64_get_reg(vcpu, CORE_REG(regs.pc), &pc) ||
	    arm64_get_reg(vcpu, CORE_REG(regs.pstate), &pstate) ||
	    arm64_get_reg(vcpu, CORE_REG(sp_el1), &sp)) {
		fprintf(stderr, "  (registers unavailable: %s)\n",
			strerror(errno));
		return;
	}
	for (int i = 0; i < 31; i++)
		if (arm64_get_reg(vcpu, CORE_REG(regs.regs[i]), &x[i]))
			x[i] = 0;
	fprintf(stderr, "  pc=%016llx pstate=%016llx sp_el1=%016llx\n",
		(unsigned long long)pc, (unsigned long long)pstate,
		(unsigned long long)sp);
	for (int i = 0; i < 31; i += 4) {
		fprintf(stderr, " ");
		for (int j = i; j < i + 4 && j < 31; j++)
			fprintf(stderr, " x%-2d=%016llx", j,
				(unsigned long long)x[j]);
		fprintf(stderr, "\n");
	}
	fprintf(stderr, " ");
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
		if (!arm64_get_reg(vcpu, sys[i].id, &v))
			fprintf(stderr, " %s=%llx", sys[i].name,
				(unsigned long long)v);
	fprintf(stderr, " exits=%llu\n", (unsigned long long)vcpu->exits);
}

/* The devhost's view: affinity fields only, as the GIC wants them. */
uint64_t arm64_vcpu_mpidr(struct devhost *h, int cpu);
uint64_t arm64_vcpu_mpidr(struct devhost *h, int cpu)
{
	struct vm *vm = h->opaque;

	if (cpu < 0 || cpu >= vm->nr_vcpus || !vm->vcpus[cpu].arch)
		return 0;
	return ARM64_VCPU(&vm->vcpus[cpu])->mpidr & MPIDR_HWID_MASK;
}
