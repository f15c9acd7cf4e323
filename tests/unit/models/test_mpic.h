/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the software MPIC tests. */
#ifndef TEST_MPIC_H
#define TEST_MPIC_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_host.h"
#include "kvmkit/abi/ppc.h"
#include "kvmkit/models.h"
#include "mpic/mpic.h"

/*
 * attr_copy_from/to (src/device.c) check attr->addr with
 * process_vm_readv/writev, which qemu-user (the big-endian run) lacks:
 * every attribute access would be -EFAULT there.  Each MPIC test binary
 * includes this header once and so interposes both calls: the real
 * syscall, and on ENOSYS the same check through a pipe (write and read
 * fail with EFAULT on a bad pointer, natively and under qemu-user).
 * The whole attribute path, -EFAULT cases included, then runs on both.
 */
static ssize_t pipe_copy(void *dst, const void *src, size_t len)
{
	int p[2], err;
	ssize_t n;

	if (pipe(p))
		return -1;
	n = write(p[1], src, len);
	if (n == (ssize_t)len)
		n = read(p[0], dst, len);
	err = n == (ssize_t)len ? 0 : n < 0 ? errno : EFAULT;
	close(p[0]);
	close(p[1]);
	if (err) {
		errno = err;
		return -1;
	}
	return n;
}

ssize_t process_vm_readv(pid_t pid, const struct iovec *local,
			 unsigned long liovcnt, const struct iovec *remote,
			 unsigned long riovcnt, unsigned long flags)
{
	long n = syscall(SYS_process_vm_readv, pid, local, liovcnt, remote,
			 riovcnt, flags);

	if (n >= 0 || errno != ENOSYS || liovcnt != 1 || riovcnt != 1 ||
	    local->iov_len != remote->iov_len)
		return n;
	return pipe_copy(local->iov_base, remote->iov_base, local->iov_len);
}

ssize_t process_vm_writev(pid_t pid, const struct iovec *local,
			  unsigned long liovcnt, const struct iovec *remote,
			  unsigned long riovcnt, unsigned long flags)
{
	long n = syscall(SYS_process_vm_writev, pid, local, liovcnt, remote,
			 riovcnt, flags);

	if (n >= 0 || errno != ENOSYS || liovcnt != 1 || riovcnt != 1 ||
	    local->iov_len != remote->iov_len)
		return n;
	return pipe_copy(remote->iov_base, local->iov_base, local->iov_len);
}

#define MPIC_TEST_BASE 0xfe000000ull	/* 256 KiB aligned */
#define MPIC_TEST_CPUS 2

struct mpic_t {
	struct fake_host *fh;
	struct device *dev;
	uint32_t type;
};

static inline const struct soft_model *mpic_model(uint32_t type)
{
	return type == KVM_DEV_TYPE_FSL_MPIC_20 ? &mpic20_soft_model :
						  &mpic42_soft_model;
}

/* A fresh host with @cpus vCPUs and an MPIC of @type mapped at BASE. */
static inline struct mpic_t *mpic_t_new(uint32_t type, int cpus)
{
	struct mpic_t *t = calloc(1, sizeof(*t));
	uint64_t base = MPIC_TEST_BASE;

	assert_non_null(t);
	t->type = type;
	t->fh = fake_host_new(0, 0x10000, cpus);
	assert_int_equal(mpic_model(type)->create(&t->fh->host, type, &t->dev),
			 0);
	fake_host_add_device(t->fh, t->dev);
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_MISC,
				    KVM_DEV_MPIC_BASE_ADDR, &base), 0);
	return t;
}

static inline void mpic_t_free(struct mpic_t *t)
{
	device_destroy(t->dev);
	fake_host_free(t->fh);
	free(t);
}

/* GRP_REGISTER accesses that must succeed. */
static inline uint32_t reg_get(struct mpic_t *t, uint64_t off)
{
	uint32_t val = 0xdeadbeef;

	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_REGISTER, off,
				    &val), 0);
	return val;
}

static inline void reg_set(struct mpic_t *t, uint64_t off, uint32_t val)
{
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_REGISTER, off,
				    &val), 0);
}

static inline uint32_t active_get(struct mpic_t *t, unsigned int irq)
{
	uint32_t val = 0xdeadbeef;

	assert_int_equal(device_get(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, irq,
				    &val), 0);
	return val;
}

static inline void active_set(struct mpic_t *t, unsigned int irq,
			      uint32_t val)
{
	assert_int_equal(device_set(t->dev, KVM_DEV_MPIC_GRP_IRQ_ACTIVE, irq,
				    &val), 0);
}

/* Guest accesses from vCPU @cpu. */
static inline uint32_t g_read(struct mpic_t *t, int cpu, uint64_t off)
{
	return fake_mmio_read32(t->fh, cpu, MPIC_TEST_BASE + off);
}

static inline void g_write(struct mpic_t *t, int cpu, uint64_t off,
			   uint32_t val)
{
	fake_mmio_write32(t->fh, cpu, MPIC_TEST_BASE + off, val);
}

static inline int line(struct mpic_t *t, int cpu, int which)
{
	return t->fh->lines[cpu][which];
}

/* IVPR value: unmasked, @prio, @vector (edge/level from @level). */
static inline uint32_t ivpr(unsigned int prio, uint32_t vector, bool level)
{
	return prio << MPIC_IVPR_PRIO_SHIFT | vector |
	       (level ? MPIC_IVPR_SENSE : 0);
}

#endif
