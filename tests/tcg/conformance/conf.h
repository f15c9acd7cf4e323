/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GIC conformance: the same script of attribute operations, ITS commands
 * and MSIs run against the kernel's vGIC (arm64 KVM in the QEMU host) and
 * against kvmkit's software models, every result recorded, the two
 * records compared.  See docs/conformance.md.
 */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvmkit/abi/arm.h"
#include "kvmkit/bus.h"
#include "kvmkit/device.h"

#define CONF_MAX_VCPUS 8
#define CONF_MAX_DEVS 4

/* Guest RAM of every VM, and where the frames go (QEMU virt's layout). */
#define CONF_RAM_BASE 0x40000000ULL
#define CONF_RAM_SIZE (16ULL << 20)
#define CONF_OUTSIDE_RAM 0x80000000ULL	/* below 2^40, no RAM there */

/* A VM of one backend: KVM VM, memfd RAM slot, vCPUs, a device host. */
struct env {
	enum backend_choice backend;
	int kvm_fd;
	int vm_fd;
	int mem_fd;
	uint8_t *ram;
	int nr_vcpus;
	int vcpu_fd[CONF_MAX_VCPUS];
	uint64_t mpidr[CONF_MAX_VCPUS];
	struct devhost host;
	struct bus *mmio;
	struct device *devs[CONF_MAX_DEVS];
	int nr_devs;
};

int env_open(struct env *e, enum backend_choice backend, int nr_vcpus);
void env_close(struct env *e);
/* device_create() with the env's backend; the device is kept and freed. */
int env_device(struct env *e, uint32_t type, struct device **out);
/* Host pointer to guest RAM at @gpa (which must lie in RAM). */
void *env_ram(struct env *e, uint64_t gpa);
/* KVM_SIGNAL_MSI or the model's signal_msi: 0 accepted, or -errno. */
int env_msi(struct env *e, struct device *its, uint64_t addr, uint32_t data,
	    uint32_t devid);
/* Does the kernel offer this device type (KVM_CREATE_DEVICE_TEST)? */
bool kernel_has_device(uint32_t type);

/* One recorded result. */
struct rec {
	char area[24];
	char op[80];
	int rc;
	uint64_t val;		/* gets that succeeded */
	uint8_t *bytes;		/* blobs: guest RAM bytes */
	size_t len;
};

struct record {
	struct rec *r;
	size_t n, cap;
	char area[24];
};

/* The script's context: one backend's env and its record. */
struct ctx {
	struct record *rec;
	struct env *e;
};

void rec_area(struct record *rec, const char *area);
void rec_val(struct record *rec, int rc, uint64_t val, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void rec_blob(struct record *rec, int rc, const void *bytes, size_t len,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void rec_free(struct record *rec);

/*
 * Compare the kernel's record with the model's, print TAP lines from
 * @first (one per area) and return the number of failed areas.  @nr
 * gets the number of TAP lines printed.
 */
int rec_compare(const struct record *kern, const struct record *soft,
		const char *prefix, int first, int *nr);

/*
 * Recorded attribute operations.  @width is the size of the value behind
 * attr.addr (4 or 8).  Each returns the call's result.
 */
int c_set(struct ctx *c, struct device *d, uint32_t grp, uint64_t attr,
	  uint64_t val, int width, const char *name);
/* The same, for a value derived from an earlier get: named "derived". */
int c_set_derived(struct ctx *c, struct device *d, uint32_t grp,
		  uint64_t attr, uint64_t val, int width, const char *name);
int c_get(struct ctx *c, struct device *d, uint32_t grp, uint64_t attr,
	  int width, uint64_t *val, const char *name);
int c_has(struct ctx *c, struct device *d, uint32_t grp, uint64_t attr,
	  const char *name);
/* attr.addr pointing at an unmapped page (-EFAULT expected). */
int c_set_badptr(struct ctx *c, struct device *d, uint32_t grp,
		 uint64_t attr, const char *name);
int c_get_badptr(struct ctx *c, struct device *d, uint32_t grp,
		 uint64_t attr, const char *name);
int c_ctrl(struct ctx *c, struct device *d, uint64_t attr, const char *name);
/* Record guest RAM bytes. */
void c_ram(struct ctx *c, uint64_t gpa, size_t len, const char *name);

/* Open a VM or stop the program (the script cannot go on without it). */
void must_open(struct env *e, enum backend_choice backend, int nr_vcpus);
struct device *must_create(struct env *e, uint32_t type);

/* GICv3 helpers (script_v3.c), also used by the ITS script. */
#define V3_DIST_BASE 0x08000000ULL
#define V3_REDIST_BASE 0x080a0000ULL
#define V3_REDIST2_BASE 0x08100000ULL
#define V3_ITS_BASE 0x08080000ULL
#define V3_NR_IRQS 128
/* KVM's mpidr field of an attr (Aff3..Aff0 in bits 63:32) for a vCPU. */
uint64_t v3_mpidr_attr(struct env *e, int cpu);
int v3_dist_set(struct ctx *c, struct device *gic, uint32_t off,
		uint32_t val);
int v3_dist_get(struct ctx *c, struct device *gic, uint32_t off);
int v3_rd_set(struct ctx *c, struct device *gic, int cpu, uint32_t off,
	      uint32_t val);
int v3_rd_get(struct ctx *c, struct device *gic, int cpu, uint32_t off);
/* A GICv3 with addresses (REDIST_REGION 0 and 1), NR_IRQS. */
struct device *v3_create(struct ctx *c);

/* Scripts: return 0, or -1 when the kernel lacks what they need. */
int script_v3(struct record *rec, enum backend_choice backend);
int script_its(struct record *rec, enum backend_choice backend);
int script_v2(struct record *rec, enum backend_choice backend);

#endif
