// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 machine "lkvm": kvmtool's memory map and boot protocol, an
 * 8250 console, the GIC of --irqchip, and two kvmkit test devices
 * (test-exit, msi-test; docs/arm64.md).  Set-up runs in the core's
 * stages: setup (RAM, images, devices, GIC), vcpu_setup (VCPU_INIT),
 * finalize (GIC init, vCPU attributes, device tree, boot registers).
 * A restore skips the images, device tree and boot registers: RAM and
 * the vCPUs' registers come from the snapshot (snapshot.c,
 * snapshot_machine.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/log.h"
#include "arm64.h"

/* msi-test registers (docs/arm64.md). */
#define MSI_TEST_DEVID 0x00	/* u32: the requester's DeviceID */
#define MSI_TEST_STATUS 0x04	/* u32 RO: last result, see below */
#define MSI_TEST_ADDR 0x08	/* u64: doorbell (GITS_TRANSLATER) */
#define MSI_TEST_DATA 0x10	/* u32 WO: write = send MSI with this data */
#define MSI_STATUS_DELIVERED 1
#define MSI_STATUS_BLOCKED 2	/* the ITS tables dropped it */
#define MSI_STATUS_ERROR 3	/* KVM refused (bad doorbell, no ITS) */

uint64_t arm64_vcpu_mpidr(struct devhost *h, int cpu);

static int test_exit(void *opaque, int cpu, uint64_t offset, void *data,
		     uint32_t len, bool is_write)
{
	struct vm *vm = opaque;
	int status;

	if (!is_write) {
		memset(data, 0, len);
		return 0;
	}
	status = (int)(bus_get_le(data, len) & 0xff);
	pr_info("vCPU %d: test-exit with status %d", cpu, status);
	vm_request_stop(vm, status);
	return 0;
}

/* A device that sends an MSI: the write to its doorbell carries DEVID. */
static int msi_test(void *opaque, int cpu, uint64_t offset, void *data,
		    uint32_t len, bool is_write)
{
	struct vm *vm = opaque;
	struct arm64_machine *m = ARM64(vm);
	uint64_t v = bus_get_le(data, len);
	int ret;

	pthread_mutex_lock(&m->msi_lock);
	if (!is_write) {
		switch (offset) {
		case MSI_TEST_DEVID: v = m->msi_devid; break;
		case MSI_TEST_STATUS: v = m->msi_status; break;
		case MSI_TEST_ADDR: v = m->msi_addr; break;
		case MSI_TEST_ADDR + 4: v = m->msi_addr >> 32; break;
		default: v = 0; break;
		}
		bus_put_le(data, len, v);
	} else if (offset == MSI_TEST_DEVID) {
		m->msi_devid = (uint32_t)v;
	} else if (offset == MSI_TEST_ADDR) {
		m->msi_addr = len == 8 ? v : (m->msi_addr & ~0xffffffffULL) | v;
	} else if (offset == MSI_TEST_ADDR + 4) {
		m->msi_addr = (m->msi_addr & 0xffffffffULL) | v << 32;
	} else if (offset == MSI_TEST_DATA) {
		ret = arm64_signal_msi(vm, m->msi_addr, (uint32_t)v,
				       m->msi_devid);
		m->msi_status = ret > 0 ? MSI_STATUS_DELIVERED :
				ret == 0 ? MSI_STATUS_BLOCKED : MSI_STATUS_ERROR;
		pr_debug("msi-test: devid %u data %u to 0x%llx: %d",
			 m->msi_devid, (uint32_t)v,
			 (unsigned long long)m->msi_addr, ret);
	}
	pthread_mutex_unlock(&m->msi_lock);
	return 0;
}

static void uart_irq(void *opaque, int level)
{
	arm64_set_spi(opaque, ARM64_UART_INTID, level);
}

/* stdin to the UART; bytes that don't fit wait in the pipe. */
static bool lkvm_console_in(struct vm *vm)
{
	struct uart_8250 *u = &ARM64(vm)->uart;
	uint8_t buf[UART_RX_FIFO];
	unsigned int room = uart_8250_rx_room(u);
	ssize_t n;

	if (!room) {
		usleep(1000);
		return true;
	}
	n = read(STDIN_FILENO, buf, room);
	if (n <= 0)
		return false;
	uart_8250_receive(u, buf, (unsigned int)n);
	return true;
}

static int register_devices(struct vm *vm, struct arm64_machine *m)
{
	int ret;

	uart_8250_init(&m->uart, STDOUT_FILENO);
	m->uart.set_irq = uart_irq;
	m->uart.irq_opaque = vm;
	pthread_mutex_init(&m->msi_lock, NULL);
	ret = bus_register(vm->mmio, ARM64_UART_BASE, ARM64_UART_REG_SIZE,
			   uart_8250_access, &m->uart, "uart");
	ret = ret ?: bus_register(vm->mmio, ARM64_TEST_EXIT,
				  ARM64_KVMKIT_DEV_SIZE, test_exit, vm,
				  "test-exit");
	ret = ret ?: bus_register(vm->mmio, ARM64_MSI_TEST,
				  ARM64_KVMKIT_DEV_SIZE, msi_test, vm,
				  "msi-test");
	if (ret)
		pr_err("cannot register the arm64 devices: %s", strerror(-ret));
	return ret;
}

static int check_caps(struct vm *vm)
{
	static const struct {
		int cap;
		const char *name;
	} caps[] = {
		{ KVM_CAP_ONE_REG, "KVM_CAP_ONE_REG" },
		{ KVM_CAP_ARM_PSCI_0_2, "KVM_CAP_ARM_PSCI_0_2" },
	};

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, caps[i].cap) <= 0) {
			pr_err("KVM lacks the capability %s", caps[i].name);
			return -1;
		}
	}
	/* Undecodable MMIO accesses come to us (a message), not -ENOSYS. */
	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) > 0) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
			pr_debug("KVM_CAP_ARM_NISV_TO_USER: %s", strerror(errno));
	}
	if (vm->cfg.pmu &&
	    ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3) <= 0) {
		pr_err("--pmu: this KVM has no PMUv3 for guests (KVM_CAP_ARM_PMU_V3)");
		return -1;
	}
	return 0;
}

static int lkvm_setup(struct vm *vm)
{
	struct arm64_machine *m;
	int ret;

	if (vm->cfg.mem_size > ARM64_RAM_MAX || vm->cfg.mem_size & 0xffff) {
		pr_err("--mem: arm64 takes a multiple of 64K up to %lluG (asked for %lluK)",
		       (unsigned long long)(ARM64_RAM_MAX >> 30),
		       (unsigned long long)(vm->cfg.mem_size >> 10));
		return -1;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -1;
	vm->arch = m;
	m->pmu = vm->cfg.pmu;
	m->waker_stop = -1;
	if (check_caps(vm))
		return -1;
	vm->devhost.ipa_bits = ARM64_IPA_BITS;
	vm->devhost.vcpu_mpidr = arm64_vcpu_mpidr;
	ret = vm_add_ram(vm, ARM64_RAM_BASE, vm->cfg.mem_size);
	if (ret) {
		pr_err("cannot map %lluM of guest RAM: %s",
		       (unsigned long long)(vm->cfg.mem_size >> 20), strerror(-ret));
		return -1;
	}
	/* A restore's RAM already holds the kernel, initrd and DTB. */
	if ((!vm->restoring && arm64_load_images(vm, &m->boot)) ||
	    register_devices(vm, m) || arm64_irqchip_setup(vm))
		return -1;
	vm->console_in = lkvm_console_in;
	return 0;
}

static int lkvm_vcpu_setup(struct vcpu *vcpu)
{
	return arm64_vcpu_init(vcpu);
}

static int lkvm_finalize(struct vm *vm)
{
	struct arm64_machine *m = ARM64(vm);

	if (arm64_irqchip_finalize(vm) ||
	    (!vm->restoring && arm64_write_fdt(vm)))
		return -1;
	if (m->soft_gic && arm64_vtimer_waker_start(vm))
		return -1;
	/* Restored registers are set already, before the GIC's init. */
	if (vm->restoring)
		return 0;
	/* Secondaries stay off until the guest's PSCI CPU_ON. */
	return arm64_set_boot_regs(&vm->vcpus[0], m->boot.entry, m->boot.dtb);
}

static void lkvm_pre_run(struct vcpu *vcpu)
{
	if (ARM64(vcpu->vm)->soft_gic) {
		arm64_soft_gic_sync(vcpu);
		arm64_vtimer_waker_arm(vcpu);
	}
}

static int lkvm_handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	if (run->exit_reason != KVM_EXIT_ARM_NISV)
		return -1;
	/* An access KVM cannot decode (no valid syndrome), e.g. LDP to MMIO. */
	pr_err("vCPU %d: MMIO access at 0x%llx without instruction syndrome (esr_iss 0x%llx): use single loads and stores on devices",
	       vcpu->id, (unsigned long long)run->arm_nisv.fault_ipa,
	       (unsigned long long)run->arm_nisv.esr_iss);
	arch_dump_regs(vcpu);
	vm_request_stop(vcpu->vm, EXIT_GUEST_CRASH);
	return 1;
}

/* WFI waits in the kernel: KVM_EXIT_HLT never reaches us on arm64. */
static bool lkvm_can_wake(struct vcpu *vcpu)
{
	return true;
}

static void lkvm_teardown(struct vm *vm)
{
	if (!vm->arch)
		return;
	arm64_vtimer_waker_stop(vm);
	for (int i = 0; i < vm->nr_vcpus; i++) {
		struct arm64_vcpu *av = vm->vcpus[i].arch;

		if (av) {
			device_destroy(av->attrs);
			av->attrs = NULL;
		}
	}
}

static const struct arch_machine lkvm_machine = {
	.name = "lkvm",
	.desc = "kvmtool's arm64 layout: RAM at 2G, 8250 at 0x1000000, GIC below 1G",
	.setup = lkvm_setup,
	.vcpu_setup = lkvm_vcpu_setup,
	.finalize = lkvm_finalize,
	.pre_run = lkvm_pre_run,
	.handle_exit = lkvm_handle_exit,
	.can_wake = lkvm_can_wake,
	.teardown = lkvm_teardown,
	.save_vcpu = arm64_save_vcpu,
	.restore_vcpu = arm64_restore_vcpu,
	.save_machine = arm64_save_machine,
	.restore_machine = arm64_restore_machine,
};

const struct arch_machine *const arch_machines[] = { &lkvm_machine, NULL };
