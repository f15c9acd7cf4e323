/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtual machine: the KVM fds, guest memory, buses, devices and vCPU
 * threads.  Set-up and tear-down run in explicit, ordered stages
 * (vm_create, arch machine set-up, vm_start, vm_wait, vm_destroy).
 */
#ifndef KVMKIT_VM_H
#define KVMKIT_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "kvmkit/bus.h"
#include "kvmkit/config.h"
#include "kvmkit/device.h"

#define VM_MAX_SLOTS 8
#define VM_MAX_DEVICES 16

/* kvmkit's own exit statuses (a guest's test-exit value passes through). */
#define EXIT_SETUP_ERROR 1
#define EXIT_USAGE 2
#define EXIT_GUEST_CRASH 3

struct mem_slot {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
	uint64_t file_offset;	/* offset in the VM's memfd or ram_file_fd */
	uint32_t id;
	int fd;			/* the file it maps */
	bool private_map;	/* MAP_PRIVATE of a snapshot's memory file */
	/* While dirty logging: pages the VMM wrote (KVM can't see those). */
	unsigned long *vmm_dirty;
};

enum vm_state { VM_RUNNING, VM_PAUSED, VM_STOPPING };

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	bool started;		/* the thread was created (vm_join joins it) */
	bool live;		/* ... and has not returned (vm->lock) */
	/* Lines driven by interrupt-controller models (enum cpu_line). */
	int lines[CPU_LINE_NR];
	bool halted;		/* waiting in user space for an interrupt */
	uint64_t exits;
	void *arch;
};

struct vm {
	struct vm_config cfg;
	char name[80];
	int kvm_fd;
	int vm_fd;
	int run_size;

	int mem_fd;
	/*
	 * Restore: guest RAM is this snapshot memory file, mapped
	 * MAP_PRIVATE (pages load on first touch, writes stay private),
	 * and the machine loads no images.  -1 when booting.
	 */
	int ram_file_fd;
	bool restoring;
	bool dirty_log;		/* KVM_MEM_LOG_DIRTY_PAGES on every slot */
	uint64_t mem_size;
	struct mem_slot slots[VM_MAX_SLOTS];
	int nr_slots;

	struct bus *mmio;
	struct bus *pio;
	struct devhost devhost;
	struct device *devices[VM_MAX_DEVICES];
	int nr_devices;

	struct vcpu *vcpus;
	int nr_vcpus;

	/* State shared with vCPU threads; protected by lock. */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum vm_state state;
	int nr_parked;		/* vCPUs acknowledging a pause */
	int nr_exited;		/* vCPU threads that have returned */
	bool any_ran;
	int exit_status;
	int stop_efd;		/* eventfd: readable once the VM stops */

	const struct arch_machine *machine;
	void *arch;
	/*
	 * Console input: the machine reads what stdin has for its console
	 * device; returns false once stdin is finished.
	 */
	bool (*console_in)(struct vm *vm);
};

/* Open /dev/kvm, check capabilities, create the VM and its memory. */
int vm_create(struct vm *vm, const struct vm_config *cfg);
/* Create the vCPUs (fds and kvm_run mappings, no threads yet). */
int vm_create_vcpus(struct vm *vm);
/* The machine's finalize (irqchip init), after all vCPUs exist. */
int vm_finalize(struct vm *vm);
/* Start one thread per vCPU (after vm_finalize). */
int vm_start(struct vm *vm);
/* Stop every vCPU and record @status as kvmkit's exit status (first wins). */
void vm_request_stop(struct vm *vm, int status);
/* Park every vCPU outside KVM_RUN / let them go again. */
int vm_pause(struct vm *vm);
int vm_resume(struct vm *vm);
/* Join all vCPU threads; returns the exit status. */
int vm_join(struct vm *vm);
void vm_destroy(struct vm *vm);

/* Add a memslot of @size bytes at @gpa backed by the VM's memfd. */
int vm_add_ram(struct vm *vm, uint64_t gpa, uint64_t size);
/*
 * Live snapshots: turn KVM's dirty log on or off for every RAM slot, and
 * fetch-and-clear slot @slot's bitmap (one bit per 4 KiB page, ORed with
 * the pages the VMM itself wrote through vm_write).
 */
int vm_set_dirty_log(struct vm *vm, bool on);
int vm_get_dirty_log(struct vm *vm, int slot, unsigned long *bitmap);
/* Host pointer for [gpa, gpa + len) if it lies in one RAM slot, else NULL. */
void *vm_gpa_to_hva(struct vm *vm, uint64_t gpa, uint64_t len);
/* Bounds-checked copies to and from guest RAM: -EFAULT outside it. */
int vm_read(struct vm *vm, uint64_t gpa, void *buf, size_t len);
int vm_write(struct vm *vm, uint64_t gpa, const void *buf, size_t len);

/* Keep @dev for lookup and tear-down. */
int vm_add_device(struct vm *vm, struct device *dev);

/* Drive a vCPU line (from a device model); wakes or kicks the vCPU. */
void vcpu_set_line(struct vcpu *vcpu, int line, int level);
/* Force the vCPU out of KVM_RUN (immediate_exit + signal). */
void vcpu_kick(struct vcpu *vcpu);

/* Name of a KVM_EXIT_* reason for messages. */
const char *kvm_exit_name(uint32_t reason);

#endif
