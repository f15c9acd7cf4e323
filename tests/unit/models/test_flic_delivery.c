// SPDX-License-Identifier: GPL-2.0
/*
 * Software FLIC, vCPU side: flic_dequeue() priorities and the PSW/CR
 * masks, flic_deliverable(), flic_dequeue_io() (TPI/TSCH), the
 * CPU_LINE_IRQ level on vCPU 0, and concurrent enqueue/dequeue.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake_host.h"
#include "flic/flic.h"
#include "kvmkit/models.h"

#define IRQ_SZ sizeof(struct kvm_s390_irq)

struct ctx {
	struct fake_host *fh;
	struct device *dev;
};

/* Everything enabled. */
static const struct flic_cpu_state all_on = {
	.psw_mask = S390_PSW_MASK_IO | S390_PSW_MASK_EXT |
		    S390_PSW_MASK_MCHECK,
	.cr0 = S390_CR0_SERVICE_SIGNAL,
	.cr6 = S390_CR6_ALL_ISCS,
	.cr14 = S390_CR14_CHANNEL_REPORT,
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	c->fh = fake_host_new(0, 0x10000, 2);
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

static struct kvm_s390_irq io_irq(int isc, uint16_t nr, uint32_t parm)
{
	struct kvm_s390_irq irq = { .type = KVM_S390_INT_IO(0, 0, 0, nr) };

	irq.u.io.subchannel_id = 0x0001;
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

static void enqueue1(struct device *dev, struct kvm_s390_irq irq)
{
	assert_int_equal(device_set(dev, KVM_DEV_FLIC_ENQUEUE, IRQ_SZ, &irq),
			 0);
}

static struct kvm_s390_irq take(struct device *dev,
				const struct flic_cpu_state *cpu)
{
	struct kvm_s390_irq out;

	memset(&out, 0xcc, sizeof(out));
	assert_true(flic_deliverable(dev, cpu));
	assert_int_equal(flic_dequeue(dev, cpu, &out), 0);
	return out;
}

static void assert_none(struct device *dev, const struct flic_cpu_state *cpu)
{
	struct kvm_s390_irq out;

	assert_false(flic_deliverable(dev, cpu));
	assert_int_equal(flic_dequeue(dev, cpu, &out), -ENOENT);
}

static void fill_every_kind(struct device *dev)
{
	struct kvm_s390_irq mchk = { .type = KVM_S390_MCHK };

	mchk.u.mchk.cr14 = S390_CR14_CHANNEL_REPORT;
	mchk.u.mchk.mcic = 0x00400f1d40330000ULL;
	enqueue1(dev, io_irq(7, 70, 0x70));
	enqueue1(dev, io_irq(3, 30, 0x30));
	enqueue1(dev, io_irq(0, 1, 0x01));
	enqueue1(dev, io_irq(3, 31, 0x31));
	enqueue1(dev, ext_irq(KVM_S390_INT_VIRTIO, 0x1, 0x100));
	enqueue1(dev, ext_irq(KVM_S390_INT_VIRTIO, 0x2, 0x200));
	enqueue1(dev, ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 0xabc));
	enqueue1(dev, ext_irq(KVM_S390_INT_SERVICE, 0x1000 | 0x1, 0));
	enqueue1(dev, mchk);
}

static void test_priority_order(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq o;

	fill_every_kind(c->dev);
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_MCHK);
	assert_int_equal(o.u.mchk.mcic, 0x00400f1d40330000ULL);
	assert_int_equal(o.u.mchk.cr14, S390_CR14_CHANNEL_REPORT);
	/* The event part of the service signal first, alone. */
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_INT_SERVICE);
	assert_int_equal(o.u.ext.ext_params, 0x3);
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_INT_SERVICE);
	assert_int_equal(o.u.ext.ext_params, 0x1000);
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_INT_PFAULT_DONE);
	assert_int_equal(o.u.ext.ext_params2, 0xabc);
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_INT_VIRTIO);
	assert_int_equal(o.u.ext.ext_params, 1);
	assert_int_equal(o.u.ext.ext_params2, 0x100);
	o = take(c->dev, &all_on);
	assert_int_equal(o.u.ext.ext_params2, 0x200);
	/* I/O: ISC 0 first, FIFO within an ISC. */
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_INT_IO(0, 0, 0, 1));
	assert_int_equal(o.u.io.io_int_parm, 0x01);
	assert_int_equal(take(c->dev, &all_on).u.io.io_int_parm, 0x30);
	assert_int_equal(take(c->dev, &all_on).u.io.io_int_parm, 0x31);
	o = take(c->dev, &all_on);
	assert_int_equal(o.u.io.io_int_parm, 0x70);
	assert_int_equal(o.u.io.subchannel_nr, 70);
	assert_int_equal(o.u.io.io_int_word, 7u << 27);
	assert_none(c->dev, &all_on);
}

static void test_io_masks(void **state)
{
	struct ctx *c = *state;
	struct flic_cpu_state cpu = all_on;

	enqueue1(c->dev, io_irq(2, 2, 2));
	enqueue1(c->dev, io_irq(5, 5, 5));
	/* PSW I/O mask off: nothing, whatever CR6 says. */
	cpu.psw_mask &= ~S390_PSW_MASK_IO;
	assert_none(c->dev, &cpu);
	/* CR6 picks the ISCs. */
	cpu = all_on;
	cpu.cr6 = S390_CR6_ISC(5);
	assert_int_equal(take(c->dev, &cpu).u.io.io_int_parm, 5);
	assert_none(c->dev, &cpu);
	cpu.cr6 = S390_CR6_ISC(0) | S390_CR6_ISC(7);
	assert_none(c->dev, &cpu);
	cpu.cr6 = S390_CR6_ISC(2);
	assert_int_equal(take(c->dev, &cpu).u.io.io_int_parm, 2);
	/* I/O is not gated by the external or machine-check masks. */
	enqueue1(c->dev, io_irq(1, 1, 1));
	cpu = (struct flic_cpu_state){ .psw_mask = S390_PSW_MASK_IO,
				       .cr6 = S390_CR6_ISC(1) };
	assert_int_equal(take(c->dev, &cpu).u.io.io_int_parm, 1);
}

static void test_ext_masks(void **state)
{
	struct ctx *c = *state;
	struct flic_cpu_state cpu = all_on;

	enqueue1(c->dev, ext_irq(KVM_S390_INT_SERVICE, 0x2000, 0));
	enqueue1(c->dev, ext_irq(KVM_S390_INT_VIRTIO, 9, 9));
	enqueue1(c->dev, ext_irq(KVM_S390_INT_PFAULT_DONE, 0, 8));
	cpu.psw_mask &= ~S390_PSW_MASK_EXT;
	assert_none(c->dev, &cpu);
	/* Without the service-signal subclass: pfault and virtio only. */
	cpu = all_on;
	cpu.cr0 = 0;
	assert_int_equal(take(c->dev, &cpu).type, KVM_S390_INT_PFAULT_DONE);
	assert_int_equal(take(c->dev, &cpu).type, KVM_S390_INT_VIRTIO);
	assert_none(c->dev, &cpu);
	cpu.cr0 = S390_CR0_SERVICE_SIGNAL;
	cpu.psw_mask = S390_PSW_MASK_EXT;
	assert_int_equal(take(c->dev, &cpu).u.ext.ext_params, 0x2000);
	assert_none(c->dev, &all_on);
}

static void test_mchk_masks(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq m = { .type = KVM_S390_MCHK };
	struct flic_cpu_state cpu = all_on;

	m.u.mchk.cr14 = S390_CR14_CHANNEL_REPORT;
	m.u.mchk.mcic = 7;
	enqueue1(c->dev, m);
	cpu.psw_mask &= ~S390_PSW_MASK_MCHECK;
	assert_none(c->dev, &cpu);
	cpu = all_on;
	cpu.cr14 = ~S390_CR14_CHANNEL_REPORT;
	assert_none(c->dev, &cpu);
	cpu = (struct flic_cpu_state){ .psw_mask = S390_PSW_MASK_MCHECK,
				       .cr14 = S390_CR14_CHANNEL_REPORT };
	assert_int_equal(take(c->dev, &cpu).u.mchk.mcic, 7);
	assert_none(c->dev, &all_on);
	/* A machine check whose cr14 has no floating subclass never fires. */
	m.u.mchk.cr14 = 1ULL << 27;
	enqueue1(c->dev, m);
	cpu.cr14 = ~0ULL;
	assert_none(c->dev, &cpu);
}

/* A service signal with only the event bit: one delivery of parm 3. */
static void test_service_event_only(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq o;

	enqueue1(c->dev, ext_irq(KVM_S390_INT_SERVICE, 0x1, 0));
	o = take(c->dev, &all_on);
	assert_int_equal(o.u.ext.ext_params, 3);
	/* The kernel marks the SCCB part pending too (with params 0). */
	o = take(c->dev, &all_on);
	assert_int_equal(o.type, KVM_S390_INT_SERVICE);
	assert_int_equal(o.u.ext.ext_params, 0);
	assert_none(c->dev, &all_on);
}

static void test_dequeue_io(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq o;

	enqueue1(c->dev, io_irq(4, 0x40, 1));
	enqueue1(c->dev, io_irq(2, 0x20, 2));
	enqueue1(c->dev, io_irq(2, 0x21, 3));
	assert_int_equal(flic_dequeue_io(c->dev, 0, 0, &o), -ENOENT);
	assert_int_equal(flic_dequeue_io(c->dev, S390_CR6_ISC(1), 0, &o),
			 -ENOENT);
	/* By subchannel, across ISCs. */
	assert_int_equal(flic_dequeue_io(c->dev, S390_CR6_ALL_ISCS,
					 0x00010021, &o), 0);
	assert_int_equal(o.u.io.io_int_parm, 3);
	assert_int_equal(flic_dequeue_io(c->dev, S390_CR6_ALL_ISCS,
					 0x00010021, &o), -ENOENT);
	/* Any subchannel: the highest enabled ISC. */
	assert_int_equal(flic_dequeue_io(c->dev, S390_CR6_ALL_ISCS, 0, &o), 0);
	assert_int_equal(o.u.io.io_int_parm, 2);
	assert_int_equal(flic_dequeue_io(c->dev, S390_CR6_ISC(4), 0, &o), 0);
	assert_int_equal(o.u.io.io_int_parm, 1);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
}

static void test_bad_device(void **state)
{
	struct ctx *c = *state;
	struct kvm_s390_irq o;
	struct device *vm;

	assert_int_equal(s390_vm_soft_model.create(&c->fh->host,
						   KVMKIT_DEV_TYPE_S390_VM,
						   &vm), 0);
	assert_int_equal(flic_dequeue(NULL, &all_on, &o), -EINVAL);
	assert_int_equal(flic_dequeue(vm, &all_on, &o), -EINVAL);
	assert_int_equal(flic_dequeue(c->dev, NULL, &o), -EINVAL);
	assert_int_equal(flic_dequeue(c->dev, &all_on, NULL), -EINVAL);
	assert_int_equal(flic_dequeue_io(vm, S390_CR6_ALL_ISCS, 0, &o),
			 -EINVAL);
	assert_false(flic_deliverable(vm, &all_on));
	device_destroy(vm);
}

/* CPU_LINE_IRQ of vCPU 0 follows "anything pending", masks or not. */
static void test_line(void **state)
{
	struct ctx *c = *state;
	struct flic_cpu_state off = { 0 };
	struct kvm_s390_irq o;
	unsigned int changes = c->fh->line_changes;
	uint32_t schid = 0x00010001;

	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
	enqueue1(c->dev, io_irq(3, 1, 1));
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 1);
	enqueue1(c->dev, ext_irq(KVM_S390_INT_VIRTIO, 0, 0));
	assert_int_equal(c->fh->line_changes, changes + 1);
	assert_int_equal(c->fh->lines[1][CPU_LINE_IRQ], 0);
	assert_int_equal(flic_dequeue(c->dev, &off, &o), -ENOENT);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 1);
	take(c->dev, &all_on);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 1);
	take(c->dev, &all_on);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
	assert_int_equal(c->fh->line_changes, changes + 2);
	/* CLEAR_IO_IRQ of the last one lowers it too. */
	enqueue1(c->dev, io_irq(3, 1, 1));
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 1);
	assert_int_equal(device_set(c->dev, KVM_DEV_FLIC_CLEAR_IO_IRQ, 4,
				    &schid), 0);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
}

/* ---- concurrency: vCPU threads dequeue while the VMM enqueues ------------ */

#define NR_THREADS 4
#define NR_IRQS 4000

struct worker {
	struct device *dev;
	volatile int *done;
	unsigned int got;
	uint64_t parm_sum;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;
	struct kvm_s390_irq o;

	for (;;) {
		if (flic_dequeue(w->dev, &all_on, &o) == 0) {
			w->got++;
			w->parm_sum += o.u.io.io_int_parm;
			continue;
		}
		if (__atomic_load_n(w->done, __ATOMIC_ACQUIRE))
			break;
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	struct ctx *c = *state;
	struct worker w[NR_THREADS];
	pthread_t th[NR_THREADS];
	volatile int done = 0;
	unsigned int total = 0;
	uint64_t sum = 0;

	for (int i = 0; i < NR_THREADS; i++) {
		w[i] = (struct worker){ .dev = c->dev, .done = &done };
		assert_int_equal(pthread_create(&th[i], NULL, worker_fn, &w[i]),
				 0);
	}
	for (int i = 1; i <= NR_IRQS; i++)
		enqueue1(c->dev, io_irq(i % 8, i, i));
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], NULL);
		total += w[i].got;
		sum += w[i].parm_sum;
	}
	assert_int_equal(total, NR_IRQS);
	assert_int_equal(sum, (uint64_t)NR_IRQS * (NR_IRQS + 1) / 2);
	assert_int_equal(c->fh->lines[0][CPU_LINE_IRQ], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_priority_order),
		T(test_io_masks),
		T(test_ext_masks),
		T(test_mchk_masks),
		T(test_service_event_only),
		T(test_dequeue_io),
		T(test_bad_device),
		T(test_line),
		T(test_concurrent),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
