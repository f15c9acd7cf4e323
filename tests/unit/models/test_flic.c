// SPDX-License-Identifier: GPL-2.0
/*
 * Software FLIC: the interrupt-list groups (ENQUEUE, GET_ALL_IRQS,
 * CLEAR_IRQS, CLEAR_IO_IRQ, APF_*), create, has_attr, unknown groups,
 * the kernel's merging rules and limits, and the uapi struct layouts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "fake_host.h"
#include "flic/flic.h"
#include "kvmkit/models.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)
#define RAM_SIZE 0x10000

struct ctx {
	struct fake_host *fh;
	struct device *dev;
};

/* A page this process cannot read or write: attr_copy_* give -EFAULT. */
static void *bad_ptr(void)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	assert_true(p != MAP_FAILED);
	return p;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	c->fh = fake_host_new(0, RAM_SIZE, 2);
	assert_int_equal(flic_soft_model.create(&c->fh->host,
						KVM_DEV_TYPE_FLIC, &c->dev), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	device_destroy(c->dev);
	fake_host_free(c->fh);
	free(c);
	return 0;
}

static struct kvm_s390_irq io_irq(int isc, uint16_t id, uint16_t nr,
				  uint32_t parm)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_IO(0, 0, 0, nr) };

	irq.u.io.subchannel_id = id;
	irq.u.io.subchannel_nr = nr;
	irq.u.io.io_int_parm = parm;
	irq.u.io.io_int_word = (uint32_t)isc << 27;
	return irq;
}

static struct kvm_s390_irq ext_irq(uint64_t type, uint32_t p, uint64_t p2)
{
	struct kvm_s390_irq irq = { .type = type };

	irq.u.ext.ext_params = p;
	irq.u.ext.ext_params2 = p2;
	return irq;
}

static struct kvm_s390_irq mchk_irq(uint64_t cr14, uint64_t mcic)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_MCHK };

	irq.u.mchk.cr14 = cr14;
	irq.u.mchk.mcic = mcic;
	irq.u.mchk.failing_storage_address = 0x1234;	/* not kept */
	return irq;
}

static int enqueue(struct device *dev, const struct kvm_s390_irq *irqs,
		   size_t n)
{
	return device_set(dev, KVM_DEV_FLIC_ENQUEUE, n * IRQ_SZ, irqs);
}

/* GET_ALL_IRQS into @buf (@max entries); *n = entries written. */
static int get_all(struct device *dev, struct kvm_s390_irq *buf, size_t max,
		   size_t *n)
{
	int ret;

	for (size_t i = 0; i < max; i++) {
		memset(&buf[i], 0xee, IRQ_SZ);
		buf[i].type = UINT64_MAX;
	}
	ret = device_get(dev, KVM_DEV_FLIC_GET_ALL_IRQS, max * IRQ_SZ, buf);
	for (*n = 0; *n < max && buf[*n].type != UINT64_MAX; (*n)++)
		;
	return ret;
}

static size_t pending(struct device *dev)
{
	static struct kvm_s390_irq buf[512];
	size_t n;

	assert_int_equal(get_all(dev, buf, 512, &n), 0);
	return n;
}

/* ---- create, has_attr, unknown groups ------------------------------------ */

static void test_create_one_per_vm(void **state)
{
	struct ctx *c = *state;
	struct device *dev2 = NULL;

	assert_int_equal(c->dev->type, KVM_DEV_TYPE_FLIC);
	assert_int_equal(c->dev->backend, DEV_BACKEND_SOFT);
	assert_int_equal(flic_soft_model.type, KVM_DEV_TYPE_FLIC);
	assert_int_equal(flic_soft_model.create(&c->fh->host,
						KVM_DEV_TYPE_XICS, &dev2),
			 -ENODEV);
	fake_host_add_device(c->fh, c->dev);
	assert_int_equal(flic_soft_model.create(&c->fh->host,
						KVM_DEV_TYPE_FLIC, &dev2),
			 -EINVAL);
	assert_null(dev2);
}

static void test_has_attr(void **state)
{
	struct ctx *c = *state;

	for (uint32_t g = KVM_DEV_FLIC_GET_ALL_IRQS;
	     g <= KVM_DEV_FLIC_AISM_ALL; g++) {
		assert_int_equal(device_has(c->dev, g, 0), 0);
		/* The kernel ignores attr for has_attr. */
		assert_int_equal(device_has(c->dev, g, 0x12345), 0);
	}
	assert_int_equal(device_has(c->dev, 0, 0), -ENXIO);
	assert_int_equal(device_has(c->dev, 12, 0), -ENXIO);
	assert_int_equal(device_has(c->dev, 0xffffffff, 0), -ENXIO);
}

static void test_unknown_group_einval(void **state)
{
	struct ctx *c = *state;
	uint64_t buf[16] = { 0 };

	assert_int_equal(device_set(c->dev, 0, 0, buf), -EINVAL);
	assert_int_equal(device_set(c->dev, 12, 0, buf), -EINVAL);
	assert_int_equal(device_get(c->dev, 0, 0, buf), -EINVAL);
	assert_int_equal(device_get(c->dev, 12, 0, buf), -EINVAL);
	/* Known groups in the wrong direction are unknown there too. */
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS, 72,
				    buf), -EINVAL);
	for (uint32_t g = KVM_DEV_FLIC_ENQUEUE; g <= KVM_DEV_FLIC_AIRQ_INJECT;
	     g++)
		assert_int_equal(device_get(c->dev, g, sizeof(buf), buf),
				 -EINVAL);
}

/* ---- ENQUEUE ------------------------------------------------------------- */

static void test_enqueue_sizes(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq irq = io_irq(3, 1, 2, 3);

	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ENQUEUE, IRQ_SZ - 1,
				    &irq), -EINVAL);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ENQUEUE, IRQ_SZ + 8,
				    &irq), -EINVAL);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ENQUEUE,
				    KVM_S390_FLIC_MAX_BUFFER + IRQ_SZ * 8,
				    &irq), -EINVAL);
	/* Nothing to copy: a bad pointer does not matter. */
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_ENQUEUE, 0,
				    bad_ptr()), 0);
	assert_int_equal(pending(c->dev), 0);
	assert_int_equal(enqueue(c->dev, &irq, 1), 0);
	assert_int_equal(pending(c->dev), 1);
}

static void test_enqueue_efault(void **state)
{
	struct ctx *c = *state;
	uint8_t *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t type;

	assert_int_equal(enqueue(c->dev, bad_ptr(), 1), -EFAULT);
	assert_int_equal(enqueue(c->dev, NULL, 1), -EFAULT);
	/* Type readable, payload on the next (inaccessible) page. */
	assert_true(page != MAP_FAILED);
	assert_int_equal(mprotect(page + 4096, 4096, PROT_NONE), 0);
	type = KVM_S390_INT_VIRTIO;
	memcpy(page + 4096 - 8, &type, 8);
	assert_int_equal(enqueue(c->dev, (void *)(page + 4096 - 8), 1),
			 -EFAULT);
	/* An invalid type is refused before its payload is read. */
	type = KVM_S390_PROGRAM_INT;
	memcpy(page + 4096 - 8, &type, 8);
	assert_int_equal(enqueue(c->dev, (void *)(page + 4096 - 8), 1),
			 -EINVAL);
	assert_int_equal(pending(c->dev), 0);
	munmap(page, 8192);
}

static void test_enqueue_invalid_types(void **state)
{
	struct ctx *c = *state;
	static const uint64_t bad[] = {
		KVM_S390_SIGP_STOP, KVM_S390_PROGRAM_INT,
		KVM_S390_SIGP_SET_PREFIX, KVM_S390_RESTART,
		KVM_S390_INT_PFAULT_INIT,	/* a vCPU interrupt */
		KVM_S390_INT_CLOCK_COMP, KVM_S390_INT_CPU_TIMER,
		KVM_S390_INT_EMERGENCY, KVM_S390_INT_EXTERNAL_CALL,
		0xfffe0006u, 0xffffffffu, 1ULL << 32, UINT64_MAX,
	};
	struct kvm_s390_irq lo = io_irq(0, 0, 0, 0), hi = io_irq(7, 0, 0, 0);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kvm_s390_irq irq = ext_irq(bad[i], 0, 0);

		assert_int_equal(enqueue(c->dev, &irq, 1), -EINVAL);
	}
	assert_int_equal(pending(c->dev), 0);
	/* Edges of the I/O range are I/O interrupts. */
	lo.type = KVM_S390_INT_IO_MIN;
	hi.type = KVM_S390_INT_IO_MAX;
	assert_int_equal(enqueue(c->dev, &lo, 1), 0);
	assert_int_equal(enqueue(c->dev, &hi, 1), 0);
	assert_int_equal(pending(c->dev), 2);
}

/* An error stops the batch; entries before it stay injected. */
static void test_enqueue_partial(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq batch[3] = {
		io_irq(1, 0, 1, 0),
		ext_irq(KVM_S390_RESTART, 0, 0),
		io_irq(1, 0, 2, 0),
	};
	struct kvm_s390_irq out[4];
	size_t n;

	assert_int_equal(enqueue(c->dev, batch, 3), -EINVAL);
	assert_int_equal(get_all(c->dev, out, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].u.io.subchannel_nr, 1);
}

/* ---- GET_ALL_IRQS -------------------------------------------------------- */

static void test_get_all_order_and_payloads(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq in[] = {
		mchk_irq(S390_CR14_CHANNEL_REPORT | 0x1, 0x00400f1d40330000ULL),
		ext_irq(KVM_S390_INT_SERVICE, 0x00ab0000, 0x99),
		ext_irq(KVM_S390_INT_VIRTIO, 0x11, 0x2222),
		ext_irq(KVM_S390_INT_PFAULT_DONE, 0x33, 0x4444),
		io_irq(7, 0x0001, 0x70, 0xa7),
		io_irq(2, 0x0001, 0x20, 0xa2),
		io_irq(0, 0x0001, 0x01, 0xa0),
		io_irq(2, 0x0001, 0x21, 0xa3),
	};
	struct kvm_s390_irq out[16], want;
	size_t n;

	assert_int_equal(enqueue(c->dev, in, 8), 0);
	assert_int_equal(get_all(c->dev, out, 16, &n), 0);
	assert_int_equal(n, 8);
	/* ISC 0, ISC 2 (FIFO), ISC 7, pfault done, virtio, service, mchk. */
	assert_memory_equal(&out[0], &in[6], IRQ_SZ);
	assert_memory_equal(&out[1], &in[5], IRQ_SZ);
	assert_memory_equal(&out[2], &in[7], IRQ_SZ);
	assert_memory_equal(&out[3], &in[4], IRQ_SZ);
	assert_memory_equal(&out[4], &in[3], IRQ_SZ);
	assert_memory_equal(&out[5], &in[2], IRQ_SZ);
	/* Service: only ext_params is kept. */
	want = ext_irq(KVM_S390_INT_SERVICE, 0x00ab0000, 0);
	assert_memory_equal(&out[6], &want, IRQ_SZ);
	/* Machine check: cr14 keeps the channel-report subclass only. */
	memset(&want, 0, IRQ_SZ);
	want.type = KVM_S390_MCHK;
	want.u.mchk.cr14 = S390_CR14_CHANNEL_REPORT;
	want.u.mchk.mcic = 0x00400f1d40330000ULL;
	assert_memory_equal(&out[7], &want, IRQ_SZ);
	/* Reading does not consume. */
	assert_int_equal(pending(c->dev), 8);
}

static void test_get_all_sizes(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq in[3] = { io_irq(1, 0, 1, 0), io_irq(1, 0, 2, 0),
				      io_irq(1, 0, 3, 0) };
	struct kvm_s390_irq out[3];
	size_t n;

	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS, 0, out),
			 -EINVAL);
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS,
				    KVM_S390_FLIC_MAX_BUFFER + 1, out),
			 -EINVAL);
	/* Exactly the maximum is fine (and nothing is pending). */
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS,
				    KVM_S390_FLIC_MAX_BUFFER, out), 0);
	/* Nothing pending, nothing copied: a bad buffer is fine. */
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS, 72,
				    bad_ptr()), 0);
	assert_int_equal(enqueue(c->dev, in, 3), 0);
	/* Too small: -ENOMEM, nothing written, all stay pending. */
	assert_int_equal(get_all(c->dev, out, 2, &n), -ENOMEM);
	assert_int_equal(n, 0);
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS,
				    3 * IRQ_SZ - 1, out), -ENOMEM);
	assert_int_equal(get_all(c->dev, out, 3, &n), 0);
	assert_int_equal(n, 3);
	/* Not a multiple of the entry size: the remainder is unused. */
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS,
				    3 * IRQ_SZ + 5, out), 0);
	assert_int_equal(device_get(c->dev, KVM_DEV_FLIC_GET_ALL_IRQS,
				    3 * IRQ_SZ, bad_ptr()), -EFAULT);
	assert_int_equal(pending(c->dev), 3);
}

/* ---- merging rules ------------------------------------------------------- */

static void test_service_merging(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq s1 = ext_irq(KVM_S390_INT_SERVICE, 0x1000, 0);
	struct kvm_s390_irq s2 = ext_irq(KVM_S390_INT_SERVICE, 0x2001, 0);
	struct kvm_s390_irq ev = ext_irq(KVM_S390_INT_SERVICE, 0x2, 0);
	struct kvm_s390_irq out[4];
	size_t n;

	assert_int_equal(enqueue(c->dev, &s1, 1), 0);
	/* A second SCCB is dropped, its event bits are kept. */
	assert_int_equal(enqueue(c->dev, &s2, 1), 0);
	assert_int_equal(enqueue(c->dev, &ev, 1), 0);
	assert_int_equal(get_all(c->dev, out, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].type, KVM_S390_INT_SERVICE);
	assert_int_equal(out[0].u.ext.ext_params, 0x1003);
}

static void test_mchk_merging(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq m[2] = { mchk_irq(0xffffffffffffffffULL, 0x1),
				     mchk_irq(0, 0x8000000000000000ULL) };
	struct kvm_s390_irq out[4];
	size_t n;

	assert_int_equal(enqueue(c->dev, m, 2), 0);
	assert_int_equal(get_all(c->dev, out, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].u.mchk.cr14, S390_CR14_CHANNEL_REPORT);
	assert_int_equal(out[0].u.mchk.mcic, 0x8000000000000001ULL);
	assert_int_equal(out[0].u.mchk.failing_storage_address, 0);
}

/* ---- limits (-EBUSY) ----------------------------------------------------- */

static void fill_limit(struct device *dev, struct kvm_s390_irq proto,
		       size_t limit)
{
	struct kvm_s390_irq *buf = malloc((limit + 1) * IRQ_SZ);

	for (size_t i = 0; i <= limit; i++)
		buf[i] = proto;
	assert_int_equal(enqueue(dev, buf, limit), 0);
	assert_int_equal(enqueue(dev, &buf[limit], 1), -EBUSY);
	free(buf);
}

static void test_limit_virtio(void **state)
{
	struct ctx *c = *state;

	fill_limit(c->dev, ext_irq(KVM_S390_INT_VIRTIO, 1, 2), 87381);
}

static void test_limit_pfault(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq io = io_irq(0, 0, 1, 0);

	fill_limit(c->dev, ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 7), 64 * 255);
	/* Other kinds are counted separately. */
	assert_int_equal(enqueue(c->dev, &io, 1), 0);
}

static void test_limit_io(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq v = ext_irq(KVM_S390_INT_VIRTIO, 1, 2);
	struct kvm_s390_irq other = io_irq(0, 0, 2, 0);

	/* The limit spans all eight ISC lists. */
	fill_limit(c->dev, io_irq(5, 0, 1, 0), KVM_S390_MAX_FLOAT_IRQS);
	assert_int_equal(enqueue(c->dev, &other, 1), -EBUSY);
	assert_int_equal(enqueue(c->dev, &v, 1), 0);
	/* Clearing frees the room. */
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL),
			 0);
	assert_int_equal(enqueue(c->dev, &other, 1), 0);
}

/* ---- CLEAR_IRQS, CLEAR_IO_IRQ, APF --------------------------------------- */

static void test_clear_irqs(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq in[4] = {
		io_irq(3, 0, 1, 0), ext_irq(KVM_S390_INT_SERVICE, 0x100, 0),
		mchk_irq(S390_CR14_CHANNEL_REPORT, 1),
		ext_irq(KVM_S390_INT_VIRTIO, 0, 0),
	};

	assert_int_equal(enqueue(c->dev, in, 4), 0);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 1);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IRQS, 0, NULL),
			 0);
	assert_int_equal(pending(c->dev), 0);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
	/* The service slot takes a new SCCB after a clear. */
	assert_int_equal(enqueue(c->dev, &in[1], 1), 0);
	assert_int_equal(pending(c->dev), 1);
}

static void test_clear_io_irq(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq in[4] = {
		io_irq(2, 0x0001, 0x0005, 1), io_irq(6, 0x0001, 0x0005, 2),
		io_irq(6, 0x0001, 0x0006, 3), io_irq(1, 0x0002, 0x0005, 4),
	};
	struct kvm_s390_irq out[4];
	uint32_t schid = 0x00010005;
	uint32_t zero = 0;
	struct kvm_device_attr a = { .group = KVM_DEV_FLIC_CLEAR_IO_IRQ,
				     .attr = 4, .flags = 1,
				     .addr = (uintptr_t)&schid };
	size_t n;

	assert_int_equal(enqueue(c->dev, in, 4), 0);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 8,
				    &schid), -EINVAL);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 0,
				    &schid), -EINVAL);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 4,
				    &zero), -EINVAL);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 4,
				    bad_ptr()), -EFAULT);
	assert_int_equal(device_set_attr(c->dev, &a), -EINVAL);
	assert_int_equal(pending(c->dev), 4);
	/* One (the highest-priority ISC's) per call. */
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 4,
				    &schid), 0);
	assert_int_equal(get_all(c->dev, out, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].u.io.io_int_parm, 4);
	assert_int_equal(out[1].u.io.io_int_parm, 2);
	assert_int_equal(out[2].u.io.io_int_parm, 3);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 4,
				    &schid), 0);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 4,
				    &schid), 0);
	assert_int_equal(get_all(c->dev, out, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].u.io.io_int_parm, 4);
	assert_int_equal(out[1].u.io.io_int_parm, 3);
}

static void test_apf(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_APF_ENABLE, 0, NULL),
			 0);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_APF_DISABLE_WAIT, 0,
				    NULL), 0);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_APF_DISABLE_WAIT, 0,
				    NULL), 0);
}

/* ---- the uapi layouts ---------------------------------------------------- */

static void test_struct_layouts(void **state)
{
	assert_int_equal(sizeof(struct kvm_s390_irq), 72);
	assert_int_equal(offsetof(struct kvm_s390_irq, u), 8);
	assert_int_equal(sizeof(struct kvm_s390_io_info), 12);
	assert_int_equal(offsetof(struct kvm_s390_io_info, subchannel_nr), 2);
	assert_int_equal(offsetof(struct kvm_s390_io_info, io_int_parm), 4);
	assert_int_equal(offsetof(struct kvm_s390_io_info, io_int_word), 8);
	assert_int_equal(sizeof(struct kvm_s390_ext_info), 16);
	assert_int_equal(offsetof(struct kvm_s390_ext_info, ext_params2), 8);
	assert_int_equal(sizeof(struct kvm_s390_pgm_info), 40);
	assert_int_equal(offsetof(struct kvm_s390_pgm_info, code), 28);
	assert_int_equal(offsetof(struct kvm_s390_pgm_info, flags), 37);
	assert_int_equal(sizeof(struct kvm_s390_mchk_info), 48);
	assert_int_equal(offsetof(struct kvm_s390_mchk_info, ext_damage_code),
			 24);
	assert_int_equal(offsetof(struct kvm_s390_mchk_info, fixed_logout), 32);
	assert_int_equal(sizeof(struct kvm_s390_prefix_info), 4);
	assert_int_equal(sizeof(struct kvm_s390_extcall_info), 2);
	assert_int_equal(sizeof(struct kvm_s390_emerg_info), 2);
	assert_int_equal(sizeof(struct kvm_s390_stop_info), 4);
	assert_int_equal(sizeof(struct kvm_s390_io_adapter), 8);
	assert_int_equal(offsetof(struct kvm_s390_io_adapter, isc), 4);
	assert_int_equal(offsetof(struct kvm_s390_io_adapter, flags), 7);
	assert_int_equal(sizeof(struct kvm_s390_io_adapter_req), 16);
	assert_int_equal(offsetof(struct kvm_s390_io_adapter_req, type), 4);
	assert_int_equal(offsetof(struct kvm_s390_io_adapter_req, mask), 5);
	assert_int_equal(offsetof(struct kvm_s390_io_adapter_req, addr), 8);
	assert_int_equal(sizeof(struct kvm_s390_ais_req), 4);
	assert_int_equal(offsetof(struct kvm_s390_ais_req, mode), 2);
	assert_int_equal(sizeof(struct kvm_s390_ais_all), 2);
	assert_int_equal(offsetof(struct kvm_s390_ais_all, nimm), 1);
	/* Constants as the uapi has them. */
	assert_int_equal(KVM_DEV_FLIC_GET_ALL_IRQS, 1);
	assert_int_equal(KVM_DEV_FLIC_AISM_ALL, 11);
	assert_int_equal(KVM_S390_INT_IO(1, 0, 0, 0), 0x04000000);
	assert_int_equal(KVM_S390_INT_IO(0, 3, 1, 0x1234), 0x000d1234);
	assert_int_equal(KVM_S390_FLIC_MAX_BUFFER, 0x2000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_create_one_per_vm),
		T(test_has_attr),
		T(test_unknown_group_einval),
		T(test_enqueue_sizes),
		T(test_enqueue_efault),
		T(test_enqueue_invalid_types),
		T(test_enqueue_partial),
		T(test_get_all_order_and_payloads),
		T(test_get_all_sizes),
		T(test_service_merging),
		T(test_mchk_merging),
		T(test_limit_virtio),
		T(test_limit_pfault),
		T(test_limit_io),
		T(test_clear_irqs),
		T(test_clear_io_irq),
		T(test_apf),
		cmocka_unit_test(test_struct_layouts),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
