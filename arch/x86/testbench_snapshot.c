// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the testbench machine's own state: the VM's kvmclock, the
 * console UART (registers, receive FIFO, bytes sent so far) and, with
 * --irqchip=gicv3-its, the MSI generator's DeviceID and doorbell.  The
 * interrupt controller, when there is one, goes through the attribute
 * ABI and is saved by the core; the page tables, GDT and command line
 * are in guest RAM.
 */
#include <errno.h>

#include "kvmkit/log.h"
#include "serial/uart_8250_snap.h"
#include "state.h"
#include "testbench.h"

#define UART_NAME "uart@0x3f8"
#define TB_REC_UART (SNAP_REC_ARCH)	/* uart_8250_snap.h */
#define MSI_GEN_NAME "msi-gen@0xd0001000"
#define TB_REC_MSI_GEN (SNAP_REC_ARCH + 1)	/* le32 devid, le32 0, le64 addr */

static void save_uart(struct uart_8250 *u, struct snap_save *ss)
{
	struct snap_writer *w = ss->w;

	snap_mdev_begin(w, UART_NAME);
	ss->console_bytes = uart_8250_snap_put(u, w, TB_REC_UART);
	snap_end_section(w);
}

static void save_msi_gen(struct vm *vm, struct snap_writer *w)
{
	uint32_t devid;
	uint64_t addr;

	if (!testbench_msi_gen_get(testbench_of(vm), &devid, &addr))
		return;
	snap_mdev_begin(w, MSI_GEN_NAME);
	snap_rec_begin(w, TB_REC_MSI_GEN);
	snap_put_le32(w, devid);
	snap_put_le32(w, 0);
	snap_put_le64(w, addr);
	snap_rec_end(w);
	snap_end_section(w);
}

int testbench_save(struct vm *vm, struct snap_save *ss)
{
	int ret = x86_save_vm(vm, ss->w);

	if (ret)
		return ret;
	save_uart(testbench_uart(vm), ss);
	save_msi_gen(vm, ss->w);
	return ss->w->err;
}

static int restore_uart(struct vm *vm, struct snap_cursor *v,
			struct snap_error *e)
{
	return uart_8250_snap_get(testbench_uart(vm), v, e);
}

static int restore_msi_gen(struct vm *vm, struct snap_cursor *v,
			   struct snap_error *e)
{
	uint32_t devid;
	uint64_t addr;

	devid = snap_get_le32(v);
	snap_get_le32(v);
	addr = snap_get_le64(v);
	if (!snap_cursor_done(v))
		return snap_fail(e, SNAP_E_FORMAT,
				 "MSI generator record of %zu bytes", v->len);
	if (testbench_msi_gen_set(testbench_of(vm), devid, addr))
		return snap_fail(e, SNAP_E_CONFIG,
				 "the snapshot has an MSI generator; this VM has none");
	return 0;
}

static const struct snap_mdev machine_devs[] = {
	{ UART_NAME, TB_REC_UART, restore_uart },
	{ MSI_GEN_NAME, TB_REC_MSI_GEN, restore_msi_gen },
};

int testbench_restore(struct vm *vm, const struct snap_file *f,
		      struct snap_error *e)
{
	unsigned int seen;
	uint32_t devid;
	uint64_t addr;

	if (x86_restore_vm(vm, f, e))
		return -1;
	if (snap_mdev_restore_all(vm, f, "testbench", machine_devs,
				  sizeof(machine_devs) / sizeof(machine_devs[0]),
				  &seen, e))
		return -1;
	if (!(seen & 1))
		return snap_fail(e, SNAP_E_FORMAT, "no UART state in the snapshot");
	if (!(seen & 2) && testbench_msi_gen_get(testbench_of(vm), &devid, &addr))
		return snap_fail(e, SNAP_E_FORMAT,
				 "no MSI generator state in the snapshot");
	return 0;
}
