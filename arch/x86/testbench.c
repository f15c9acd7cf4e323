// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 testbench machine: RAM from 0, identity-mapped page tables,
 * 64-bit entry on every vCPU, an 8250 console, a test-exit port and,
 * optionally, a software interrupt controller delivered as vectors.
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvmkit/arch.h"
#include "kvmkit/loader.h"
#include "kvmkit/log.h"
#include "serial/uart_8250.h"
#include "state.h"
#include "testbench.h"

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_PWT 0x8ULL
#define PTE_PCD 0x10ULL
#define PTE_PS 0x80ULL

struct testbench_state {
	struct testbench tb;
	struct uart_8250 uart;
};

#define TB(vm) ((struct testbench_state *)(vm)->arch)

static int exit_port(void *opaque, int cpu, uint64_t offset, void *data,
		     uint32_t len, bool is_write)
{
	struct vm *vm = opaque;

	if (!is_write) {
		memset(data, 0, len);
		return 0;
	}
	vm_request_stop(vm, (int)(bus_get_le(data, len) & 0xff));
	return 0;
}

static int null_device(void *opaque, int cpu, uint64_t offset, void *data,
		       uint32_t len, bool is_write)
{
	if (!is_write)
		memset(data, 0, len);
	return 0;
}

static int build_page_tables(struct vm *vm)
{
	uint64_t pml4 = TB_PDPT | PTE_P | PTE_RW;
	uint64_t pdpt[4], pd[4 * 512];
	static const uint64_t gdt[3] = {
		0,
		0x00af9b000000ffffULL,	/* 0x08: 64-bit code */
		0x00cf93000000ffffULL,	/* 0x10: data */
	};

	for (int i = 0; i < 4; i++)
		pdpt[i] = (TB_PD + i * 0x1000ULL) | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < 4 * 512; i++) {
		uint64_t addr = i << 21;

		pd[i] = addr | PTE_P | PTE_RW | PTE_PS;
		/* Device space is uncached. */
		if (addr >= TB_MMIO_BASE)
			pd[i] |= PTE_PCD | PTE_PWT;
	}
	if (vm_write(vm, TB_PML4, &pml4, sizeof(pml4)) ||
	    vm_write(vm, TB_PDPT, pdpt, sizeof(pdpt)) ||
	    vm_write(vm, TB_PD, pd, sizeof(pd)) ||
	    vm_write(vm, TB_GDT, gdt, sizeof(gdt)))
		return -EFAULT;
	return 0;
}

static int load_kernel(struct vm *vm, struct testbench *tb)
{
	const char *path = vm->cfg.kernel;
	struct load_info info;
	size_t len;
	void *buf;
	int ret;

	ret = load_file(path, vm->mem_size, &buf, &len);
	if (ret)
		return ret;
	if (is_elf(buf, len))
		ret = elf_load(&vm->devhost, path, buf, len, EM_X86_64, &info);
	else
		ret = flat_load(&vm->devhost, path, buf, len, TB_LOAD_ADDR, &info);
	free(buf);
	if (ret)
		return ret;
	if (info.low < TB_LOAD_ADDR) {
		pr_err("%s: loads at 0x%llx, below the testbench's 1 MiB load area",
		       path, (unsigned long long)info.low);
		return -EINVAL;
	}
	tb->entry = info.entry;
	return 0;
}

static int register_devices(struct vm *vm, struct testbench_state *s)
{
	int ret;

	uart_8250_init(&s->uart, STDOUT_FILENO);
	ret = bus_register(vm->pio, TB_PORT_UART, 8, uart_8250_access,
			   &s->uart, "uart");
	ret = ret ?: bus_register(vm->pio, TB_PORT_EXIT, 4, exit_port, vm,
				  "test-exit");
	ret = ret ?: bus_register(vm->pio, TB_PORT_BENCH, 4, null_device, NULL,
				  "bench-pio");
	ret = ret ?: bus_register(vm->mmio, TB_MMIO_BENCH, 0x1000, null_device,
				  NULL, "bench-mmio");
	return ret;
}

/* stdin to the UART; bytes that don't fit wait in the pipe. */
static bool testbench_console_in(struct vm *vm)
{
	struct uart_8250 *u = &TB(vm)->uart;
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

static int testbench_setup(struct vm *vm)
{
	struct testbench_state *s;
	struct kvm_cpuid2 *cpuid;
	const uint32_t nent = 256;
	int ret;

	if (!vm->cfg.kernel && !vm->restoring) {
		pr_err("no kernel: give a guest image with -k or as the last argument");
		return -1;
	}
	if (vm->cfg.mem_size > TB_RAM_MAX) {
		pr_err("the testbench machine takes at most 3G of RAM (asked for %lluM)",
		       (unsigned long long)(vm->cfg.mem_size >> 20));
		return -1;
	}
	if (vm->cfg.mem_size < TB_LOAD_ADDR + 0x100000) {
		pr_err("the testbench machine needs at least 2M of RAM");
		return -1;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	vm->arch = s;
	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL) < 0) {
		pr_err("KVM_SET_TSS_ADDR: %s", strerror(errno));
		return -1;
	}
	ret = vm_add_ram(vm, 0, vm->cfg.mem_size);
	if (ret) {
		pr_err("cannot map %lluM of guest RAM: %s",
		       (unsigned long long)(vm->cfg.mem_size >> 20), strerror(-ret));
		return -1;
	}
	/* A restore's RAM already holds all of this. */
	if (!vm->restoring &&
	    (build_page_tables(vm) || load_kernel(vm, &s->tb)))
		return -1;
	/* At most a page, NUL included: longer params are cut, still ended. */
	if (vm->cfg.params && !vm->restoring &&
	    (vm_write(vm, TB_CMDLINE, vm->cfg.params,
		      strnlen(vm->cfg.params, 4095)) ||
	     vm_write(vm, TB_CMDLINE + strnlen(vm->cfg.params, 4095), "", 1))) {
		pr_err("cannot place the command line");
		return -1;
	}

	cpuid = calloc(1, sizeof(*cpuid) + nent * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return -1;
	cpuid->nent = nent;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) {
		pr_err("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		free(cpuid);
		return -1;
	}
	s->tb.cpuid = cpuid;
	vm->console_in = testbench_console_in;
	if (register_devices(vm, s)) {
		pr_err("cannot register the testbench devices");
		return -1;
	}
	return testbench_irqchip_setup(vm, &s->tb);
}

static int testbench_vcpu_setup(struct vcpu *vcpu)
{
	struct testbench *tb = &TB(vcpu->vm)->tb;

	return x86_vcpu_setup_longmode(vcpu, tb->cpuid, tb->entry);
}

static int testbench_finalize(struct vm *vm)
{
	return testbench_irqchip_finalize(vm, &TB(vm)->tb);
}

/* Deliver the highest asserted line as a vector when the guest can take it. */
static void testbench_pre_run(struct vcpu *vcpu)
{
	static const int order[] = { CPU_LINE_MCHECK, CPU_LINE_CRIT,
				     CPU_LINE_FIQ, CPU_LINE_IRQ };
	static const uint32_t vectors[CPU_LINE_NR] = {
		[CPU_LINE_IRQ] = TB_VECTOR_IRQ, [CPU_LINE_FIQ] = TB_VECTOR_FIQ,
		[CPU_LINE_CRIT] = TB_VECTOR_CRIT,
		[CPU_LINE_MCHECK] = TB_VECTOR_MCHECK,
	};
	struct kvm_run *run = vcpu->run;
	int line = -1;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (__atomic_load_n(&vcpu->lines[order[i]], __ATOMIC_SEQ_CST)) {
			line = order[i];
			break;
		}
	}
	if (line < 0) {
		run->request_interrupt_window = 0;
		return;
	}
	if (run->ready_for_interrupt_injection && run->if_flag) {
		struct kvm_interrupt irq = { .irq = vectors[line] };

		if (ioctl(vcpu->fd, KVM_INTERRUPT, &irq) < 0)
			pr_warn("vCPU %d: KVM_INTERRUPT: %s", vcpu->id,
				strerror(errno));
		run->request_interrupt_window = 0;
	} else {
		run->request_interrupt_window = 1;
	}
}

static bool testbench_can_wake(struct vcpu *vcpu)
{
	return TB(vcpu->vm)->tb.has_irqchip && vcpu->run->if_flag;
}

static void testbench_teardown(struct vm *vm)
{
	if (vm->arch) {
		free(TB(vm)->tb.cpuid);
		free(TB(vm)->tb.msi_gen);
	}
}

struct uart_8250 *testbench_uart(struct vm *vm)
{
	return &TB(vm)->uart;
}

struct testbench *testbench_of(struct vm *vm)
{
	return &TB(vm)->tb;
}

static const struct arch_machine testbench_machine = {
	.name = "testbench",
	.desc = "bare-metal 64-bit guests with a console and a test-exit port",
	.setup = testbench_setup,
	.vcpu_setup = testbench_vcpu_setup,
	.finalize = testbench_finalize,
	.pre_run = testbench_pre_run,
	.can_wake = testbench_can_wake,
	.teardown = testbench_teardown,
	.save_vcpu = x86_save_vcpu,
	.restore_vcpu = x86_restore_vcpu,
	.save_machine = testbench_save,
	.restore_machine = testbench_restore,
};

const struct arch_machine *const arch_machines[] = { &testbench_machine,
						     NULL };
