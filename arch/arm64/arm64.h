/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 machine: kvmtool's guest memory map (so guests built for lkvm
 * run unchanged), vCPU state, boot protocol, device tree and irqchip.
 * docs/arm64.md describes the map; guests/arm64/lib/ mirrors it.
 *
 *   0          64K  16M        31M   32M    48M            1G     2G
 *   +----------+----+----------+-----+------+-------+------+-------+----
 *   | PCI I/O  |    | UART RTC | kvm | flash| virtio| GIC  |  PCI  | RAM
 *   | (unused) |    | PVTIME   | kit |      |  MMIO |      | (AXI) |
 *   +----------+----+----------+-----+------+-------+------+-------+----
 */
#ifndef KVMKIT_ARM64_H
#define KVMKIT_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include "kvmkit/snapshot.h"
#include "kvmkit/vm.h"
#include "serial/uart_8250.h"

#define ARM64_MMIO_AREA 0x01000000ULL
#define ARM64_UART_BASE ARM64_MMIO_AREA		/* ttyS0, as kvmtool */
#define ARM64_UART_REG_SIZE 8
#define ARM64_UART_SIZE 0x1000
#define ARM64_UART_INTID 32			/* SPI 0, as kvmtool */
#define ARM64_UART_CLOCK 1843200

/* kvmkit's own devices, in space kvmtool leaves unused (docs/arm64.md). */
#define ARM64_TEST_EXIT 0x01f00000ULL	/* write: exit with value & 0xff */
#define ARM64_MSI_TEST 0x01f01000ULL	/* an MSI-capable test device */
#define ARM64_KVMKIT_DEV_SIZE 0x1000

#define ARM64_AXI_AREA 0x40000000ULL
#define ARM64_GIC_DIST_SIZE 0x10000ULL
#define ARM64_GIC_DIST_BASE (ARM64_AXI_AREA - ARM64_GIC_DIST_SIZE)
#define ARM64_GIC_CPUI_SIZE 0x20000ULL
#define ARM64_GIC_CPUI_BASE (ARM64_GIC_DIST_BASE - ARM64_GIC_CPUI_SIZE)
/* GICv3: one 128 KiB redistributor per vCPU below the distributor. */
#define ARM64_GIC_REDIST_SIZE 0x20000ULL
#define ARM64_ITS_SIZE 0x20000ULL	/* just below the redistributors */
#define ARM64_GIC_NR_IRQS 128		/* SGIs, PPIs and SPIs 32..127 */

#define ARM64_RAM_BASE 0x80000000ULL
#define ARM64_IPA_BITS 40		/* KVM_CREATE_VM type 0 */
#define ARM64_RAM_MAX ((1ULL << ARM64_IPA_BITS) - ARM64_RAM_BASE)

/* Interrupt IDs (INTIDs) of the per-CPU devices. */
#define ARM64_PPI_PMU 23
#define ARM64_PPI_VTIMER 27
#define ARM64_PPI_PTIMER 30
#define ARM64_PPI_HTIMER 26
#define ARM64_PPI_STIMER 29

/* Boot-time placement, as kvmtool's arm64 loader. */
#define ARM64_FDT_MAX_SIZE 0x10000ULL
#define ARM64_FDT_ALIGN 0x200000ULL
#define ARM64_LOWMEM_LIMIT 0x10000000ULL	/* DTB, initrd: first 256M */

enum arm64_irqchip {
	ARM64_GICV2,
	ARM64_GICV3,
	ARM64_GICV3_ITS,
};

struct arm64_vcpu {
	uint64_t mpidr;			/* MPIDR_EL1 as KVM reports it */
	uint32_t features;		/* KVM_ARM_VCPU_INIT features[0] */
	struct device *attrs;		/* the vCPU fd's attributes (vcpu.txt) */
	uint64_t irq_level_seen;	/* device_irq_level fed to the GIC */
	int line_sent[2];		/* IRQ, FIQ as last given to KVM */
	int tfd;			/* software GIC: timer wake-up */
	uint64_t armed_cval;		/* the deadline tfd is armed for, or 0 */
};

struct arm64_boot {
	uint64_t entry;
	uint64_t dtb;
	uint64_t initrd_start, initrd_end;	/* end 0: no initrd */
	bool linux_image;
	char cmdline[2048];
};

struct arm64_machine {
	enum arm64_irqchip chip;
	struct device *gic;
	struct device *its;		/* gicv3-its only */
	bool soft_gic;			/* user-space GICv2: KVM_ARM_IRQ_TYPE_CPU */
	bool pmu;
	uint64_t redist_base, redist_size;
	uint64_t its_base;
	struct arm64_boot boot;
	struct uart_8250 uart;
	uint32_t msi_devid, msi_status;
	uint64_t msi_addr;
	pthread_mutex_t msi_lock;
	/* Software GIC: the thread that wakes vCPUs whose timer fired. */
	pthread_t waker;
	bool waker_running;
	int waker_stop;
	uint64_t hz;
};

#define ARM64(vm) ((struct arm64_machine *)(vm)->arch)
#define ARM64_VCPU(v) ((struct arm64_vcpu *)(v)->arch)

/* cpu.c */
int arm64_vcpu_init(struct vcpu *vcpu);
int arm64_set_boot_regs(struct vcpu *vcpu, uint64_t pc, uint64_t x0);
int arm64_get_reg(struct vcpu *vcpu, uint64_t id, uint64_t *val);

/* snapshot.c: vCPU registers, mp_state, events. */
int arm64_save_vcpu(struct vcpu *vcpu, struct snap_writer *w);
int arm64_restore_vcpu(struct vcpu *vcpu, const struct snap_section *sec,
		       struct snap_error *e);

/* snapshot_machine.c: the UART and msi-test. */
int arm64_save_machine(struct vm *vm, struct snap_save *ss);
int arm64_restore_machine(struct vm *vm, const struct snap_file *f,
			  struct snap_error *e);

/* vtimer_wake.c: software GIC only. */
int arm64_vtimer_waker_start(struct vm *vm);
void arm64_vtimer_waker_stop(struct vm *vm);
void arm64_vtimer_waker_arm(struct vcpu *vcpu);

/* boot.c: the kernel (Image, ELF or flat), initrd and DTB placement. */
int arm64_load_images(struct vm *vm, struct arm64_boot *boot);

/* fdt.c: build the device tree and copy it to boot->dtb. */
int arm64_write_fdt(struct vm *vm);

/* gic.c */
int arm64_irqchip_setup(struct vm *vm);
int arm64_irqchip_finalize(struct vm *vm);
const char *arm64_irqchip_name(enum arm64_irqchip chip);
/* An SPI input (the UART's) at @intid, to whichever GIC runs. */
void arm64_set_spi(struct vm *vm, uint32_t intid, int level);
/* user-space GIC: timer/PMU levels in, IRQ/FIQ lines out. */
void arm64_soft_gic_sync(struct vcpu *vcpu);
/* Deliver an MSI from @devid; >0 delivered, 0 blocked, -errno. */
int arm64_signal_msi(struct vm *vm, uint64_t addr, uint32_t data,
		     uint32_t devid);

#endif
