// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the lkvm machine's own devices, those outside the
 * attribute ABI (docs/snapshot-format.md, machine-device sections): the
 * 8250 console (the record the testbench uses too) and msi-test's
 * DeviceID, last status and doorbell.  The GIC and ITS go through the
 * attribute ABI and are saved by the core; test-exit has no state; the
 * kernel, initrd and device tree are in guest RAM.
 */

#include "kvmkit/log.h"
#include "serial/uart_8250_snap.h"
#include "arm64.h"

#define UART_NAME "uart@0x1000000"
#define REC_UART (SNAP_REC_ARCH)		/* uart_8250_snap.h */
#define MSI_TEST_NAME "msi-test@0x1f01000"
#define REC_MSI_TEST (SNAP_REC_ARCH + 1)	/* le32 devid, le32 status, le64 addr */

static void save_uart(struct vm *vm, struct snap_save *ss)
{
	struct snap_writer *w = ss->w;

	snap_mdev_begin(w, UART_NAME);
	ss->console_bytes = uart_8250_snap_put(&ARM64(vm)->uart, w, REC_UART);
	snap_end_section(w);
}

static void save_msi_test(struct vm *vm, struct snap_writer *w)
{
	struct arm64_machine *m = ARM64(vm);

	pthread_mutex_lock(&m->msi_lock);
	snap_mdev_begin(w, MSI_TEST_NAME);
	snap_rec_begin(w, REC_MSI_TEST);
	snap_put_le32(w, m->msi_devid);
	snap_put_le32(w, m->msi_status);
	snap_put_le64(w, m->msi_addr);
	snap_rec_end(w);
	snap_end_section(w);
	pthread_mutex_unlock(&m->msi_lock);
}

int arm64_save_machine(struct vm *vm, struct snap_save *ss)
{
	save_uart(vm, ss);
	save_msi_test(vm, ss->w);
	return ss->w->err;
}

static int restore_uart(struct vm *vm, struct snap_cursor *v,
			struct snap_error *e)
{
	return uart_8250_snap_get(&ARM64(vm)->uart, v, e);
}

static int restore_msi_test(struct vm *vm, struct snap_cursor *v,
			    struct snap_error *e)
{
	struct arm64_machine *m = ARM64(vm);
	uint32_t devid, status;
	uint64_t addr;

	devid = snap_get_le32(v);
	status = snap_get_le32(v);
	addr = snap_get_le64(v);
	if (!snap_cursor_done(v))
		return snap_fail(e, SNAP_E_FORMAT, "msi-test record of %zu bytes",
				 v->len);
	pthread_mutex_lock(&m->msi_lock);
	m->msi_devid = devid;
	m->msi_status = status;
	m->msi_addr = addr;
	pthread_mutex_unlock(&m->msi_lock);
	return 0;
}

static const struct snap_mdev machine_devs[] = {
	{ UART_NAME, REC_UART, restore_uart },
	{ MSI_TEST_NAME, REC_MSI_TEST, restore_msi_test },
};

#define NR_MACHINE_DEVS (sizeof(machine_devs) / sizeof(machine_devs[0]))

int arm64_restore_machine(struct vm *vm, const struct snap_file *f,
			  struct snap_error *e)
{
	unsigned int seen;

	if (snap_mdev_restore_all(vm, f, "lkvm", machine_devs,
				  NR_MACHINE_DEVS, &seen, e))
		return -1;
	for (size_t i = 0; i < NR_MACHINE_DEVS; i++)
		if (!(seen & 1U << i))
			return snap_fail(e, SNAP_E_FORMAT,
					 "no %s state in the snapshot",
					 machine_devs[i].name);
	return 0;
}
