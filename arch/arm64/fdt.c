// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's device tree, built with libfdt's sequential writer: the
 * nodes kvmtool gives an arm64 guest (cpus with their MPIDRs, memory,
 * psci, timer, pmu, the GIC and its ITS, the 8250, chosen) plus nodes for
 * kvmkit's two test devices.  Written to guest RAM and, on request, to
 * the --dump-dtb file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvmkit/log.h"
#include "arm64.h"

#define PHANDLE_GIC 1
#define PHANDLE_ITS 2

/* The GIC binding's three interrupt cells. */
#define FDT_IRQ_SPI 0
#define FDT_IRQ_PPI 1
#define FDT_IRQ_EDGE_RISING 1
#define FDT_IRQ_LEVEL_HIGH 4
#define FDT_IRQ_LEVEL_LOW 8
#define FDT_PPI_CPU_SHIFT 8

/* PSCI 0.2 function IDs, for the v0.1-style properties kvmtool adds. */
#define PSCI_FN64_CPU_SUSPEND 0xc4000001U
#define PSCI_FN_CPU_OFF 0x84000002U
#define PSCI_FN64_CPU_ON 0xc4000003U
#define PSCI_FN64_MIGRATE 0xc4000005U

#define MPIDR_HWID_MASK 0xff00ffffffULL

/* Every libfdt call goes through this: the first error sticks. */
struct fdt_writer {
	void *fdt;
	int err;
	const char *what;
};

#define FDT(w, call)                                                     \
	do {                                                             \
		if (!(w)->err) {                                         \
			int _r = (call);                                 \
			if (_r < 0) {                                    \
				(w)->err = _r;                           \
				(w)->what = #call;                       \
			}                                                \
		}                                                        \
	} while (0)

static void prop_reg(struct fdt_writer *w, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	FDT(w, fdt_property(w->fdt, "reg", reg, sizeof(reg)));
}

static void prop_irqs(struct fdt_writer *w, const uint32_t *cells, int n)
{
	fdt32_t v[12];

	for (int i = 0; i < n && i < 12; i++)
		v[i] = cpu_to_fdt32(cells[i]);
	FDT(w, fdt_property(w->fdt, "interrupts", v, (int)sizeof(v[0]) * n));
}

/* GICv2 PPIs name their CPUs in a mask; GICv3 has no such field. */
static uint32_t ppi_cpu_mask(struct vm *vm)
{
	if (ARM64(vm)->chip != ARM64_GICV2)
		return 0;
	return (((1U << vm->nr_vcpus) - 1) << FDT_PPI_CPU_SHIFT) & 0xff00;
}

static void node_cpus(struct fdt_writer *w, struct vm *vm)
{
	char name[32];

	FDT(w, fdt_begin_node(w->fdt, "cpus"));
	FDT(w, fdt_property_cell(w->fdt, "#address-cells", 2));
	FDT(w, fdt_property_cell(w->fdt, "#size-cells", 0));
	for (int i = 0; i < vm->nr_vcpus; i++) {
		uint64_t hwid = ARM64_VCPU(&vm->vcpus[i])->mpidr &
				MPIDR_HWID_MASK;

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)hwid);
		FDT(w, fdt_begin_node(w->fdt, name));
		FDT(w, fdt_property_string(w->fdt, "device_type", "cpu"));
		FDT(w, fdt_property_string(w->fdt, "compatible", "arm,arm-v8"));
		if (vm->nr_vcpus > 1)
			FDT(w, fdt_property_string(w->fdt, "enable-method", "psci"));
		FDT(w, fdt_property_u64(w->fdt, "reg", hwid));
		FDT(w, fdt_end_node(w->fdt));
	}
	FDT(w, fdt_end_node(w->fdt));
}

static void node_psci(struct fdt_writer *w)
{
	static const char compat[] = "arm,psci-0.2\0arm,psci";

	FDT(w, fdt_begin_node(w->fdt, "psci"));
	FDT(w, fdt_property(w->fdt, "compatible", compat, sizeof(compat)));
	FDT(w, fdt_property_string(w->fdt, "method", "hvc"));
	FDT(w, fdt_property_cell(w->fdt, "cpu_suspend", PSCI_FN64_CPU_SUSPEND));
	FDT(w, fdt_property_cell(w->fdt, "cpu_off", PSCI_FN_CPU_OFF));
	FDT(w, fdt_property_cell(w->fdt, "cpu_on", PSCI_FN64_CPU_ON));
	FDT(w, fdt_property_cell(w->fdt, "migrate", PSCI_FN64_MIGRATE));
	FDT(w, fdt_end_node(w->fdt));
}

static void node_timer_pmu(struct fdt_writer *w, struct vm *vm)
{
	static const char compat[] = "arm,armv8-timer\0arm,armv7-timer";
	uint32_t lvl = ppi_cpu_mask(vm) | FDT_IRQ_LEVEL_LOW;
	/* Secure, non-secure physical, virtual, hypervisor: INTID - 16. */
	const uint32_t timer[12] = {
		FDT_IRQ_PPI, ARM64_PPI_STIMER - 16, lvl,
		FDT_IRQ_PPI, ARM64_PPI_PTIMER - 16, lvl,
		FDT_IRQ_PPI, ARM64_PPI_VTIMER - 16, lvl,
		FDT_IRQ_PPI, ARM64_PPI_HTIMER - 16, lvl,
	};
	const uint32_t pmu[3] = { FDT_IRQ_PPI, ARM64_PPI_PMU - 16,
				  ppi_cpu_mask(vm) | FDT_IRQ_LEVEL_HIGH };

	FDT(w, fdt_begin_node(w->fdt, "timer"));
	FDT(w, fdt_property(w->fdt, "compatible", compat, sizeof(compat)));
	prop_irqs(w, timer, 12);
	FDT(w, fdt_property(w->fdt, "always-on", NULL, 0));
	FDT(w, fdt_end_node(w->fdt));
	if (!ARM64(vm)->pmu)
		return;
	FDT(w, fdt_begin_node(w->fdt, "pmu"));
	FDT(w, fdt_property_string(w->fdt, "compatible", "arm,armv8-pmuv3"));
	prop_irqs(w, pmu, 3);
	FDT(w, fdt_end_node(w->fdt));
}

static void node_gic(struct fdt_writer *w, struct vm *vm)
{
	struct arm64_machine *m = ARM64(vm);
	fdt64_t reg[4] = { cpu_to_fdt64(ARM64_GIC_DIST_BASE),
			   cpu_to_fdt64(ARM64_GIC_DIST_SIZE) };
	const char *compat;
	char name[32];

	if (m->chip == ARM64_GICV2) {
		compat = "arm,cortex-a15-gic";
		reg[2] = cpu_to_fdt64(ARM64_GIC_CPUI_BASE);
		reg[3] = cpu_to_fdt64(ARM64_GIC_CPUI_SIZE);
	} else {
		compat = "arm,gic-v3";
		reg[2] = cpu_to_fdt64(m->redist_base);
		reg[3] = cpu_to_fdt64(m->redist_size);
	}
	snprintf(name, sizeof(name), "intc@%llx",
		 (unsigned long long)ARM64_GIC_DIST_BASE);
	FDT(w, fdt_begin_node(w->fdt, name));
	FDT(w, fdt_property_string(w->fdt, "compatible", compat));
	FDT(w, fdt_property_cell(w->fdt, "#interrupt-cells", 3));
	FDT(w, fdt_property(w->fdt, "interrupt-controller", NULL, 0));
	FDT(w, fdt_property(w->fdt, "reg", reg, sizeof(reg)));
	FDT(w, fdt_property_cell(w->fdt, "phandle", PHANDLE_GIC));
	FDT(w, fdt_property_cell(w->fdt, "#address-cells", 2));
	FDT(w, fdt_property_cell(w->fdt, "#size-cells", 2));
	if (m->chip == ARM64_GICV3_ITS) {
		FDT(w, fdt_property(w->fdt, "ranges", NULL, 0));
		snprintf(name, sizeof(name), "msic@%llx",
			 (unsigned long long)m->its_base);
		FDT(w, fdt_begin_node(w->fdt, name));
		FDT(w, fdt_property_string(w->fdt, "compatible", "arm,gic-v3-its"));
		FDT(w, fdt_property(w->fdt, "msi-controller", NULL, 0));
		FDT(w, fdt_property_cell(w->fdt, "#msi-cells", 1));
		FDT(w, fdt_property_cell(w->fdt, "phandle", PHANDLE_ITS));
		prop_reg(w, m->its_base, ARM64_ITS_SIZE);
		FDT(w, fdt_end_node(w->fdt));
	}
	FDT(w, fdt_end_node(w->fdt));
}

static void node_uart(struct fdt_writer *w, const char *path)
{
	const uint32_t irq[3] = { FDT_IRQ_SPI, ARM64_UART_INTID - 32,
				  FDT_IRQ_LEVEL_HIGH };

	FDT(w, fdt_begin_node(w->fdt, path + 1));
	FDT(w, fdt_property_string(w->fdt, "compatible", "ns16550a"));
	prop_reg(w, ARM64_UART_BASE, ARM64_UART_REG_SIZE);
	prop_irqs(w, irq, 3);
	FDT(w, fdt_property_cell(w->fdt, "clock-frequency", ARM64_UART_CLOCK));
	FDT(w, fdt_end_node(w->fdt));
}

static void node_kvmkit(struct fdt_writer *w, struct vm *vm)
{
	/* The ITS has #msi-cells = 1: the DeviceID (DEVID's reset value). */
	const fdt32_t msi_parent[2] = { cpu_to_fdt32(PHANDLE_ITS), 0 };
	char name[40];

	snprintf(name, sizeof(name), "test-exit@%llx",
		 (unsigned long long)ARM64_TEST_EXIT);
	FDT(w, fdt_begin_node(w->fdt, name));
	FDT(w, fdt_property_string(w->fdt, "compatible", "kvmkit,test-exit"));
	prop_reg(w, ARM64_TEST_EXIT, ARM64_KVMKIT_DEV_SIZE);
	FDT(w, fdt_end_node(w->fdt));
	if (ARM64(vm)->chip != ARM64_GICV3_ITS)
		return;
	snprintf(name, sizeof(name), "msi-test@%llx",
		 (unsigned long long)ARM64_MSI_TEST);
	FDT(w, fdt_begin_node(w->fdt, name));
	FDT(w, fdt_property_string(w->fdt, "compatible", "kvmkit,msi-test"));
	prop_reg(w, ARM64_MSI_TEST, ARM64_KVMKIT_DEV_SIZE);
	FDT(w, fdt_property(w->fdt, "msi-parent", msi_parent,
			    sizeof(msi_parent)));
	FDT(w, fdt_end_node(w->fdt));
}

static void node_chosen(struct fdt_writer *w, struct arm64_boot *boot,
			const char *stdout_path)
{
	FDT(w, fdt_begin_node(w->fdt, "chosen"));
	FDT(w, fdt_property_string(w->fdt, "bootargs", boot->cmdline));
	FDT(w, fdt_property_string(w->fdt, "stdout-path", stdout_path));
	if (boot->initrd_end) {
		FDT(w, fdt_property_u64(w->fdt, "linux,initrd-start",
					boot->initrd_start));
		FDT(w, fdt_property_u64(w->fdt, "linux,initrd-end",
					boot->initrd_end));
	}
	FDT(w, fdt_end_node(w->fdt));
}

static int build(struct vm *vm, void *fdt, size_t size)
{
	struct arm64_machine *m = ARM64(vm);
	struct fdt_writer w = { .fdt = fdt };
	char uart[40];

	/* kvmtool's node name, so stdout-path reads the same. */
	snprintf(uart, sizeof(uart), "/U6_16550A@%llx",
		 (unsigned long long)ARM64_UART_BASE);
	FDT(&w, fdt_create(fdt, (int)size));
	FDT(&w, fdt_finish_reservemap(fdt));
	FDT(&w, fdt_begin_node(fdt, ""));
	FDT(&w, fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	FDT(&w, fdt_property_cell(fdt, "#address-cells", 2));
	FDT(&w, fdt_property_cell(fdt, "#size-cells", 2));
	FDT(&w, fdt_property_cell(fdt, "interrupt-parent", PHANDLE_GIC));
	node_chosen(&w, &m->boot, uart);
	FDT(&w, fdt_begin_node(fdt, "memory"));
	FDT(&w, fdt_property_string(fdt, "device_type", "memory"));
	prop_reg(&w, ARM64_RAM_BASE, vm->mem_size);
	FDT(&w, fdt_end_node(fdt));
	node_cpus(&w, vm);
	node_psci(&w);
	node_timer_pmu(&w, vm);
	node_gic(&w, vm);
	node_uart(&w, uart);
	node_kvmkit(&w, vm);
	FDT(&w, fdt_end_node(fdt));
	FDT(&w, fdt_finish(fdt));
	if (w.err) {
		pr_err("device tree: %s failed: %s", w.what, fdt_strerror(w.err));
		return -EINVAL;
	}
	return 0;
}

static int dump(const char *path, const void *fdt)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = fdt_totalsize(fdt);

	if (fd < 0 || write(fd, fdt, len) != (ssize_t)len) {
		pr_err("--dump-dtb %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int arm64_write_fdt(struct vm *vm)
{
	struct arm64_boot *boot = &ARM64(vm)->boot;
	void *fdt = calloc(1, ARM64_FDT_MAX_SIZE);
	int ret;

	if (!fdt)
		return -1;
	ret = build(vm, fdt, ARM64_FDT_MAX_SIZE);
	if (!ret && vm->cfg.dump_dtb)
		ret = dump(vm->cfg.dump_dtb, fdt);
	if (!ret && vm_write(vm, boot->dtb, fdt, fdt_totalsize(fdt))) {
		pr_err("cannot place the device tree at 0x%llx",
		       (unsigned long long)boot->dtb);
		ret = -1;
	}
	free(fdt);
	return ret ? -1 : 0;
}
