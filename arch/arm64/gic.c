// SPDX-License-Identifier: GPL-2.0
/*
 * --irqchip on arm64: the GIC at kvmtool's addresses, through the device
 * framework in the documented order (arm-vgic*.txt, vcpu.txt):
 *
 *   setup:    create, GRP_ADDR (dist, cpu or redist, its), GRP_NR_IRQS
 *   finalize: (vCPUs exist) GRP_CTRL CTRL_INIT on the GIC then the ITS,
 *             timer PPIs on the vCPUs, PMU IRQ then PMU INIT
 *
 * When the kernel has no GIC to give (or --irqchip-backend=soft), the
 * software GICv2 runs the guest: its frames are MMIO exits on our bus,
 * its IRQ/FIQ outputs become KVM_IRQ_LINE (KVM_ARM_IRQ_TYPE_CPU), and the
 * timer and PMU levels KVM reports in kvm_run (KVM_CAP_ARM_USER_IRQ) are
 * fed into its PPIs.  A software GICv3 cannot: KVM keeps the guest's
 * ICC_* system-register accesses to itself (UNDEF without a vGICv3).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "kvmkit/models.h"
#include "gic/gicv2.h"
#include "arm64.h"

static const char *const chip_names[] = {
	[ARM64_GICV2] = "gicv2",
	[ARM64_GICV3] = "gicv3",
	[ARM64_GICV3_ITS] = "gicv3-its",
};

const char *arm64_irqchip_name(enum arm64_irqchip chip)
{
	return chip_names[chip];
}

static bool kernel_has(struct vm *vm, uint32_t type)
{
	struct kvm_create_device cd = { .type = type,
					.flags = KVM_CREATE_DEVICE_TEST };

	return ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &cd) == 0;
}

static int set_addr(struct device *dev, uint64_t type, uint64_t addr)
{
	int ret = device_set(dev, KVM_DEV_ARM_VGIC_GRP_ADDR, type, &addr);

	if (ret)
		pr_err("%s: setting address 0x%llx: %s", dev->name,
		       (unsigned long long)addr, strerror(-ret));
	return ret;
}

static int keep(struct vm *vm, struct device *dev)
{
	int ret = vm_add_device(vm, dev);

	if (ret)
		device_destroy(dev);
	return ret;
}

static int set_nr_irqs(struct device *gic)
{
	uint32_t nr = ARM64_GIC_NR_IRQS;
	int ret = device_set(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr);

	if (ret)
		pr_err("%s: NR_IRQS %u: %s", gic->name, nr, strerror(-ret));
	return ret;
}

/*
 * The software GICv2 can run the guest only if KVM reports the timer
 * and PMU levels to user space, and (as KVM's GICv2) for 8 vCPUs at most.
 */
static int soft_gicv2_usable(struct vm *vm)
{
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_USER_IRQ) <= 0) {
		pr_err("the software GICv2 needs KVM_CAP_ARM_USER_IRQ (timer levels in kvm_run), which this kernel lacks");
		return -ENOTSUP;
	}
	if (vm->cfg.nr_cpus > 8) {
		pr_err("the software GICv2 serves at most 8 vCPUs (asked for %d)",
		       vm->cfg.nr_cpus);
		return -E2BIG;
	}
	return 0;
}

/* The framework's choice: kernel, soft, or kernel else soft (a notice). */
static int create_gicv2(struct vm *vm, struct arm64_machine *m,
			enum backend_choice backend)
{
	int ret;

	if (backend != BACKEND_KERNEL &&
	    (backend == BACKEND_SOFT ||
	     !kernel_has(vm, KVM_DEV_TYPE_ARM_VGIC_V2))) {
		ret = soft_gicv2_usable(vm);
		if (ret)
			return ret;
	}
	ret = device_create(vm->vm_fd, &vm->devhost, KVM_DEV_TYPE_ARM_VGIC_V2,
			    backend, &m->gic);
	if (ret) {
		pr_err("--irqchip=gicv2: cannot create arm-vgic-v2: %s",
		       strerror(-ret));
		return ret;
	}
	m->chip = ARM64_GICV2;
	m->soft_gic = m->gic->backend == DEV_BACKEND_SOFT;
	return keep(vm, m->gic);
}

/*
 * Not device_create(): its fallback would be the software GICv3, which
 * cannot run an arm64 guest (above).  The fallback is the software GICv2.
 */
static int create_gicv3(struct vm *vm, struct arm64_machine *m, bool its)
{
	const char *name = its ? "gicv3-its" : "gicv3";
	int ret;

	if (vm->cfg.irqchip_backend == BACKEND_SOFT) {
		pr_err("--irqchip=%s: no software GICv3 on arm64 (KVM does not pass ICC_* system-register accesses to user space); use --irqchip=gicv2",
		       name);
		return -ENOTSUP;
	}
	ret = device_kernel_create(vm->vm_fd, KVM_DEV_TYPE_ARM_VGIC_V3, &m->gic);
	if (!ret) {
		ret = keep(vm, m->gic);
		if (ret)
			return ret;
		if (its) {
			ret = device_kernel_create(vm->vm_fd,
						   KVM_DEV_TYPE_ARM_VGIC_ITS,
						   &m->its);
			if (ret) {
				pr_err("--irqchip=gicv3-its: cannot create arm-vgic-its: %s",
				       strerror(-ret));
				return ret;
			}
			ret = keep(vm, m->its);
		}
		m->chip = its ? ARM64_GICV3_ITS : ARM64_GICV3;
		return ret;
	}
	if (vm->cfg.irqchip_backend == BACKEND_KERNEL) {
		pr_err("--irqchip=%s: cannot create arm-vgic-v3: %s", name,
		       strerror(-ret));
		return ret;
	}
	pr_warn("arm-vgic-v3: kernel device unavailable (%s), using the software GICv2",
		strerror(-ret));
	return create_gicv2(vm, m, BACKEND_SOFT);
}

/* auto: the best the kernel offers, as kvmtool: gicv3-its > gicv3 > gicv2. */
static int create_auto(struct vm *vm, struct arm64_machine *m)
{
	if (vm->cfg.irqchip_backend != BACKEND_SOFT) {
		if (kernel_has(vm, KVM_DEV_TYPE_ARM_VGIC_V3))
			return create_gicv3(vm, m, kernel_has(vm,
						KVM_DEV_TYPE_ARM_VGIC_ITS));
		if (kernel_has(vm, KVM_DEV_TYPE_ARM_VGIC_V2) ||
		    vm->cfg.irqchip_backend == BACKEND_KERNEL)
			return create_gicv2(vm, m, vm->cfg.irqchip_backend);
		pr_warn("no in-kernel GIC, using the software GICv2");
	}
	return create_gicv2(vm, m, BACKEND_SOFT);
}

static int place(struct vm *vm, struct arm64_machine *m)
{
	int ret;

	if (m->chip == ARM64_GICV2) {
		ret = set_addr(m->gic, KVM_VGIC_V2_ADDR_TYPE_DIST,
			       ARM64_GIC_DIST_BASE) ?:
		      set_addr(m->gic, KVM_VGIC_V2_ADDR_TYPE_CPU,
			       ARM64_GIC_CPUI_BASE);
		return ret ?: set_nr_irqs(m->gic);
	}
	m->redist_size = (uint64_t)vm->cfg.nr_cpus * ARM64_GIC_REDIST_SIZE;
	m->redist_base = ARM64_GIC_DIST_BASE - m->redist_size;
	ret = set_addr(m->gic, KVM_VGIC_V3_ADDR_TYPE_REDIST, m->redist_base) ?:
	      set_addr(m->gic, KVM_VGIC_V3_ADDR_TYPE_DIST, ARM64_GIC_DIST_BASE) ?:
	      set_nr_irqs(m->gic);
	if (ret || !m->its)
		return ret;
	m->its_base = m->redist_base - ARM64_ITS_SIZE;
	return set_addr(m->its, KVM_VGIC_ITS_ADDR_TYPE, m->its_base);
}

int arm64_irqchip_setup(struct vm *vm)
{
	struct arm64_machine *m = ARM64(vm);
	const char *chip = vm->cfg.irqchip;
	int ret;

	if (!chip || !strcmp(chip, "auto")) {
		ret = create_auto(vm, m);
	} else if (!strcmp(chip, "gicv2")) {
		ret = create_gicv2(vm, m, vm->cfg.irqchip_backend);
	} else if (!strcmp(chip, "gicv3")) {
		ret = create_gicv3(vm, m, false);
	} else if (!strcmp(chip, "gicv3-its")) {
		ret = create_gicv3(vm, m, true);
	} else {
		pr_err("--irqchip: arm64 offers gicv2, gicv3, gicv3-its or auto, not '%s'",
		       chip);
		return -EINVAL;
	}
	ret = ret ?: place(vm, m);
	if (!ret)
		pr_info("irqchip: %s (%s)", arm64_irqchip_name(m->chip),
			m->soft_gic ? "software" : "in-kernel");
	return ret;
}

static int vcpu_attr(struct vcpu *vcpu, uint32_t group, uint64_t attr,
		     const int *val, const char *what)
{
	int ret = device_set(ARM64_VCPU(vcpu)->attrs, group, attr, val);

	if (ret)
		pr_err("vCPU %d: %s: %s", vcpu->id, what, strerror(-ret));
	return ret;
}

/* vcpu.txt: timer PPIs (in-kernel GIC), then PMU IRQ and PMU INIT. */
static int vcpu_attrs(struct vm *vm, struct arm64_machine *m)
{
	static const int vtimer = ARM64_PPI_VTIMER, ptimer = ARM64_PPI_PTIMER;
	static const int pmu_irq = ARM64_PPI_PMU;
	int ret = 0;

	for (int i = 0; i < vm->nr_vcpus && !ret; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (m->soft_gic)
			continue;
		ret = vcpu_attr(v, KVM_ARM_VCPU_TIMER_CTRL,
				KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &vtimer,
				"timer IRQ (virtual)") ?:
		      vcpu_attr(v, KVM_ARM_VCPU_TIMER_CTRL,
				KVM_ARM_VCPU_TIMER_IRQ_PTIMER, &ptimer,
				"timer IRQ (physical)");
	}
	for (int i = 0; i < vm->nr_vcpus && m->pmu && !ret; i++) {
		struct vcpu *v = &vm->vcpus[i];

		/* A user-space GIC takes the PMU level from kvm_run. */
		if (!m->soft_gic)
			ret = vcpu_attr(v, KVM_ARM_VCPU_PMU_V3_CTRL,
					KVM_ARM_VCPU_PMU_V3_IRQ, &pmu_irq,
					"PMU IRQ");
		ret = ret ?: vcpu_attr(v, KVM_ARM_VCPU_PMU_V3_CTRL,
				       KVM_ARM_VCPU_PMU_V3_INIT, NULL, "PMU INIT");
	}
	return ret;
}

int arm64_irqchip_finalize(struct vm *vm)
{
	struct arm64_machine *m = ARM64(vm);
	struct device *devs[2] = { m->gic, m->its };
	int ret;

	for (int i = 0; i < 2 && devs[i]; i++) {
		ret = device_set(devs[i], KVM_DEV_ARM_VGIC_GRP_CTRL,
				 KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
		if (ret) {
			pr_err("%s: CTRL_INIT: %s", devs[i]->name, strerror(-ret));
			return ret;
		}
	}
	return vcpu_attrs(vm, m);
}

void arm64_set_spi(struct vm *vm, uint32_t intid, int level)
{
	struct arm64_machine *m = ARM64(vm);
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | intid,
		.level = (uint32_t)!!level,
	};
	int ret;

	if (!m->gic)
		return;
	if (m->soft_gic)
		ret = device_set_irq(m->gic, GICV2_IRQ_SPI(intid), level);
	else
		ret = ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq) < 0 ? -errno : 0;
	if (ret)
		pr_debug("SPI %u level %d: %s", intid, level, strerror(-ret));
}

static void sync_ppi(struct arm64_machine *m, struct vcpu *vcpu,
		     uint64_t changed, uint64_t level, uint64_t bit,
		     uint32_t intid)
{
	if (changed & bit)
		gicv2_set_ppi(m->gic, vcpu->id, intid, !!(level & bit));
}

static void sync_line(struct vcpu *vcpu, int line, int kvm_line)
{
	struct arm64_vcpu *av = ARM64_VCPU(vcpu);
	int level = __atomic_load_n(&vcpu->lines[line], __ATOMIC_SEQ_CST);
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_CPU << KVM_ARM_IRQ_TYPE_SHIFT |
		       ((uint32_t)vcpu->id & KVM_ARM_IRQ_VCPU_MASK)
			       << KVM_ARM_IRQ_VCPU_SHIFT |
		       (uint32_t)kvm_line,
		.level = (uint32_t)level,
	};

	if (level == av->line_sent[kvm_line])
		return;
	if (ioctl(vcpu->vm->vm_fd, KVM_IRQ_LINE, &irq) < 0) {
		pr_warn("vCPU %d: KVM_IRQ_LINE (CPU line %d): %s", vcpu->id,
			kvm_line, strerror(errno));
		return;
	}
	av->line_sent[kvm_line] = level;
}

/*
 * Before each KVM_RUN of a vCPU with the user-space GIC: KVM updated
 * device_irq_level on its way out (at least one exit per change), so
 * feed the changes into the GIC's PPIs, then hand the GIC's outputs to
 * KVM.  A line raised by another thread kicks this vCPU out first.
 */
void arm64_soft_gic_sync(struct vcpu *vcpu)
{
	struct arm64_machine *m = ARM64(vcpu->vm);
	struct arm64_vcpu *av = ARM64_VCPU(vcpu);
	uint64_t level = vcpu->run->s.regs.device_irq_level;
	uint64_t changed = level ^ av->irq_level_seen;

	if (changed) {
		av->irq_level_seen = level;
		sync_ppi(m, vcpu, changed, level, KVM_ARM_DEV_EL1_VTIMER,
			 ARM64_PPI_VTIMER);
		sync_ppi(m, vcpu, changed, level, KVM_ARM_DEV_EL1_PTIMER,
			 ARM64_PPI_PTIMER);
		sync_ppi(m, vcpu, changed, level, KVM_ARM_DEV_PMU,
			 ARM64_PPI_PMU);
	}
	sync_line(vcpu, CPU_LINE_IRQ, KVM_ARM_IRQ_CPU_IRQ);
	sync_line(vcpu, CPU_LINE_FIQ, KVM_ARM_IRQ_CPU_FIQ);
}

int arm64_signal_msi(struct vm *vm, uint64_t addr, uint32_t data,
		     uint32_t devid)
{
	struct arm64_machine *m = ARM64(vm);
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr,
		.address_hi = (uint32_t)(addr >> 32),
		.data = data,
		.flags = KVM_MSI_VALID_DEVID,
		.devid = devid,
	};
	int ret;

	if (!m->its)
		return -ENODEV;
	if (m->its->backend == DEV_BACKEND_SOFT) {
		ret = device_signal_msi(m->its, addr, data, devid);
		return ret ?: 1;
	}
	ret = ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);
	return ret < 0 ? -errno : ret;
}
