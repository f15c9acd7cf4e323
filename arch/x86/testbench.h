/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 testbench machine: a bare-metal guest entered in 64-bit mode.
 * Its memory map is part of the guest ABI (docs/testbench.md); the guest
 * library in guests/x86/lib/ mirrors these numbers.
 */
#ifndef KVMKIT_X86_TESTBENCH_H
#define KVMKIT_X86_TESTBENCH_H

#include <stdint.h>

#include "kvmkit/snapshot.h"
#include "kvmkit/vm.h"

#define TB_GDT 0x1000ULL
#define TB_PML4 0x2000ULL
#define TB_PDPT 0x3000ULL
#define TB_PD 0x4000ULL		/* four pages: 0-4 GiB in 2 MiB pages */
#define TB_CMDLINE 0x9000ULL	/* NUL-terminated --params, one page */
#define TB_STACKS 0x10000ULL	/* 16 KiB per vCPU */
#define TB_STACK_SIZE 0x4000ULL
#define TB_LOAD_ADDR 0x100000ULL	/* flat images; ELFs say where */
#define TB_RAM_MAX (3ULL << 30)	/* RAM ends below the MMIO hole */
#define TB_MMIO_BASE 0xc0000000ULL

#define TB_SEL_CODE 0x08
#define TB_SEL_DATA 0x10

/* Port I/O */
#define TB_PORT_UART 0x3f8
#define TB_PORT_EXIT 0x501	/* write: kvmkit exits with (value & 0xff) */
#define TB_PORT_BENCH 0x510	/* 4 bytes that do nothing, for benchmarks */
#define TB_PORT_IRQ_LINE 0x520	/* write: irq (bits 0-23), level (bit 31) */
#define TB_PORT_MPIC_TIMER 0x524	/* write n: MPIC global timer n expires */

/* MMIO */
#define TB_MMIO_BENCH 0xd0000000ULL	/* 4 KiB that do nothing */
#define TB_MMIO_MSI_GEN 0xd0001000ULL	/* MSI source (--irqchip=gicv3-its) */
#define TB_GIC_DIST 0xf8000000ULL
#define TB_GICV2_CPU 0xf8010000ULL
#define TB_ITS 0xf8040000ULL
#define TB_GICV3_REDIST 0xf8100000ULL	/* 128 KiB per vCPU */
#define TB_GICV3_CPUIF 0xf8600000ULL	/* CPU-interface window */
#define TB_MPIC 0xf9000000ULL

/* Vectors the interrupt-controller lines are delivered on. */
#define TB_VECTOR_IRQ 0x20
#define TB_VECTOR_FIQ 0x21
#define TB_VECTOR_CRIT 0x22
#define TB_VECTOR_MCHECK 0x23

struct testbench {
	struct kvm_cpuid2 *cpuid;
	uint64_t entry;
	bool has_irqchip;
	struct device *irqchip;
	struct msi_gen *msi_gen;
};

int testbench_irqchip_setup(struct vm *vm, struct testbench *tb);
int testbench_irqchip_finalize(struct vm *vm, struct testbench *tb);
/* Snapshots: the MSI generator's registers; false / -ENODEV without one. */
bool testbench_msi_gen_get(struct testbench *tb, uint32_t *devid,
			   uint64_t *addr);
int testbench_msi_gen_set(struct testbench *tb, uint32_t devid, uint64_t addr);
/* Snapshots of the testbench (testbench_snapshot.c). */
struct uart_8250 *testbench_uart(struct vm *vm);
struct testbench *testbench_of(struct vm *vm);
int testbench_save(struct vm *vm, struct snap_save *ss);
int testbench_restore(struct vm *vm, const struct snap_file *f,
		      struct snap_error *e);
int x86_vcpu_setup_longmode(struct vcpu *vcpu, struct kvm_cpuid2 *cpuid,
			    uint64_t entry);

#endif
