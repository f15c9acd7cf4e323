// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the lkvm machine's own devices, those outside the
 * attribute ABI (docs/snapshot-format.md, machine-device sections): the
 * 8250 console (the record the testbench uses too) and msi-test's
 * DeviceID, last status and doorbell.  The GIC and ITS go through the
 * attribute ABI and are saved by the core; test-exit has no state; the
 * kernel, initrd and device tree are in guest RAM.
 */
#include <string.h>

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

	snap_begin_section(w, SNAP_SEC_MACHINE_DEV, 0);
	snap_put_rec_str(w, SNAP_MDEV_NAME, UART_NAME);
	ss->console_bytes = uart_8250_snap_put(&ARM64(vm)->uart, w, REC_UART);
	snap_end_section(w);
}

static void save_msi_test(struct vm *vm, struct snap_writer *w)
{
	struct arm64_machine *m = ARM64(vm);

	pthread_mutex_lock(&m->msi_lock);
	snap_begin_section(w, SNAP_SEC_MACHINE_DEV, 0);
	snap_put_rec_str(w, SNAP_MDEV_NAME, MSI_TEST_NAME);
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

static const struct {
	const char *name;
	uint32_t tag;
	int (*restore)(struct vm *vm, struct snap_cursor *v,
		       struct snap_error *e);
} machine_devs[] = {
	{ UART_NAME, REC_UART, restore_uart },
	{ MSI_TEST_NAME, REC_MSI_TEST, restore_msi_test },
};

#define NR_MACHINE_DEVS (sizeof(machine_devs) / sizeof(machine_devs[0]))

/* One machine-device section; sets bit i of *seen for machine_devs[i]. */
static int restore_device(struct vm *vm, const struct snap_section *sec,
			  unsigned int *seen, struct snap_error *e)
{
	struct snap_cursor c, v;
	char name[32] = "";
	int dev = -1, ret;
	uint32_t tag;

	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0) {
		if (tag == SNAP_MDEV_NAME && dev < 0) {
			if (snap_get_str(&v, name, sizeof(name)))
				name[0] = '\0';
			for (size_t i = 0; i < NR_MACHINE_DEVS; i++)
				if (!strcmp(name, machine_devs[i].name))
					dev = (int)i;
			if (dev < 0 || *seen & 1U << dev)
				return snap_fail(e, SNAP_E_FORMAT,
						 "the lkvm machine has no device '%s', or it is saved twice",
						 name);
			*seen |= 1U << dev;
		} else if (dev >= 0 && tag == machine_devs[dev].tag) {
			if (machine_devs[dev].restore(vm, &v, e))
				return -1;
		} else if (!(tag & SNAP_REC_OPTIONAL)) {
			return snap_fail(e, SNAP_E_FORMAT,
					 "machine device '%s': unknown record 0x%x",
					 name, tag);
		}
	}
	if (ret < 0)
		return snap_fail(e, SNAP_E_TRUNCATED,
				 "machine device '%s': truncated record", name);
	return 0;
}

int arm64_restore_machine(struct vm *vm, const struct snap_file *f,
			  struct snap_error *e)
{
	const struct snap_section *sec;
	unsigned int seen = 0;

	for (unsigned int i = 0;
	     (sec = snap_find_section(f, SNAP_SEC_MACHINE_DEV, i)); i++)
		if (restore_device(vm, sec, &seen, e))
			return -1;
	for (size_t i = 0; i < NR_MACHINE_DEVS; i++)
		if (!(seen & 1U << i))
			return snap_fail(e, SNAP_E_FORMAT,
					 "no %s state in the snapshot",
					 machine_devs[i].name);
	return 0;
}
