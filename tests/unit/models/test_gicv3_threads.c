// SPDX-License-Identifier: GPL-2.0
/*
 * Software GICv3 under concurrency: vCPU threads exchanging SGIs and
 * acknowledging through the MMIO window while a device thread toggles
 * SPIs and the VMM reads state through attributes.  Afterwards every
 * interrupt drains and the GIC is quiescent (run it under ASan/TSan).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_host.h"
#include "kvmkit/abi/arm.h"
#include "kvmkit/models.h"
#include "gic/gicv3.h"

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x10000ULL
#define DIST		0x08000000ULL
#define REDIST		0x080a0000ULL
#define WINDOW		0x08200000ULL
#define NCPUS		4
#define ROUNDS		3000
#define W_RPR		(WINDOW + GICV3_WIN_RPR)

static struct fake_host *fh;
static struct device *gic;
static unsigned int acked[NCPUS];

static void *vcpu_thread(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	uint64_t to = 1ULL << ((cpu + 1) % NCPUS);

	for (int i = 0; i < ROUNDS; i++) {
		uint32_t intid;

		fake_mmio_write64(fh, cpu, WINDOW + GICV3_WIN_SGI1R,
				  (uint64_t)(i % 16) << 24 | to);
		intid = fake_mmio_read32(fh, cpu, WINDOW + GICV3_WIN_IAR1);
		if (intid == 1023)
			continue;
		acked[cpu]++;
		fake_mmio_write32(fh, cpu, WINDOW + GICV3_WIN_EOIR1, intid);
	}
	return NULL;
}

static void *device_thread(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		device_set_irq(gic, 32 + i % 64, i & 1);
		gicv3_set_ppi(gic, i % NCPUS, 16 + i % 16, !(i & 2));
	}
	return NULL;
}

/* cmocka asserts only in the main thread: count failures here. */
static int vmm_errors;

static void *vmm_thread(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		uint32_t v;
		uint64_t m = (uint64_t)(i % NCPUS) << 32;

		if (device_get(gic, KVM_DEV_ARM_VGIC_GRP_DIST_REGS,
			       0x200 + 4 * (i % 3), &v) ||
		    device_get(gic, KVM_DEV_ARM_VGIC_GRP_REDIST_REGS,
			       m | 0x10200, &v) ||
		    device_get(gic, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, m | 32,
			       &v))
			vmm_errors++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[NCPUS + 2];
	uint64_t addr = DIST;
	uint32_t nr = 128;

	fh = fake_host_new(RAM_BASE, RAM_SIZE, NCPUS);
	assert_int_equal(gicv3_soft_model.create(&fh->host,
						 KVM_DEV_TYPE_ARM_VGIC_V3,
						 &gic), 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST, &addr), 0);
	addr = REDIST;
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST, &addr), 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr),
			 0);
	assert_int_equal(device_set(gic, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), 0);
	assert_int_equal(gicv3_cpuif_map_window(gic, WINDOW), 0);
	/* everything enabled, SPIs spread over the vCPUs */
	fake_mmio_write32(fh, 0, DIST, 2);
	for (int i = 0; i < 3; i++)
		fake_mmio_write32(fh, 0, DIST + 0x104 + 4 * i, 0xffffffff);
	for (int i = 32; i < 128; i++)
		fake_mmio_write64(fh, 0, DIST + 0x6000 + 8 * i, i % NCPUS);
	for (int c = 0; c < NCPUS; c++) {
		fake_mmio_write32(fh, c, REDIST + c * 0x20000ULL + 0x10100,
				  0xffffffff);
		fake_mmio_write32(fh, c, WINDOW + GICV3_WIN_PMR, 0xff);
		fake_mmio_write32(fh, c, WINDOW + GICV3_WIN_IGRPEN1, 1);
	}

	for (int c = 0; c < NCPUS; c++)
		assert_int_equal(pthread_create(&t[c], NULL, vcpu_thread,
						(void *)(intptr_t)c), 0);
	assert_int_equal(pthread_create(&t[NCPUS], NULL, device_thread, NULL),
			 0);
	assert_int_equal(pthread_create(&t[NCPUS + 1], NULL, vmm_thread,
					NULL), 0);
	for (int i = 0; i < NCPUS + 2; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(vmm_errors, 0);

	/* quiesce: lines low, then drain every vCPU */
	for (uint32_t i = 32; i < 128; i++)
		assert_int_equal(device_set_irq(gic, i, 0), 0);
	for (int c = 0; c < NCPUS; c++) {
		for (uint32_t p = 16; p < 32; p++)
			assert_int_equal(gicv3_set_ppi(gic, c, p, 0), 0);
		for (;;) {
			uint32_t intid = gicv3_cpuif_ack(gic, c, 1);

			if (intid == 1023)
				break;
			acked[c]++;
			assert_int_equal(gicv3_cpuif_eoi(gic, c, 1, intid), 0);
		}
		/* its neighbour's SGIs came in, now or while it ran */
		assert_true(acked[c] > 0);
		assert_int_equal(fake_mmio_read32(fh, c, W_RPR), 0xff);
		assert_int_equal(fh->lines[c][CPU_LINE_IRQ], 0);
		assert_int_equal(fake_mmio_read32(fh, c, REDIST +
						  c * 0x20000ULL + 0x10300), 0);
	}
	for (int i = 0; i < 3; i++)
		assert_int_equal(fake_mmio_read32(fh, 0, DIST + 0x304 + 4 * i),
				 0);
	device_destroy(gic);
	fake_host_free(fh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
