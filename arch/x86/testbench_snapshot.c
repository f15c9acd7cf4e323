// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots of the testbench machine's own state: the VM's kvmclock and
 * the console UART (registers, receive FIFO, bytes sent so far).  The
 * interrupt controller, when there is one, goes through the attribute
 * ABI and is saved by the core; the page tables, GDT and command line
 * are in guest RAM.
 */
#include <errno.h>
#include <string.h>

#include "kvmkit/log.h"
#include "serial/uart_8250.h"
#include "state.h"
#include "testbench.h"

#define UART_NAME "uart@0x3f8"
#define TB_REC_UART (SNAP_REC_ARCH)	/* the layout below, 92 bytes */
#define UART_REC_SIZE 92

static void save_uart(struct uart_8250 *u, struct snap_save *ss)
{
	struct snap_writer *w = ss->w;
	struct uart_8250_state st;

	uart_8250_get_state(u, &st);
	ss->console_bytes = st.tx_bytes;
	snap_begin_section(w, SNAP_SEC_MACHINE_DEV, 0);
	snap_put_rec_str(w, SNAP_MDEV_NAME, UART_NAME);
	snap_rec_begin(w, TB_REC_UART);
	/* ier iir lcr mcr lsr msr scr dll dlm fcr thr_irq 0 */
	snap_put_bytes(w, (const uint8_t[12]){ st.ier, st.iir, st.lcr, st.mcr,
					       st.lsr, st.msr, st.scr, st.dll,
					       st.dlm, st.fcr, st.thr_irq },
		       12);
	snap_put_le32(w, st.rx_head);
	snap_put_le32(w, st.rx_count);
	snap_put_le64(w, st.tx_bytes);
	snap_put_bytes(w, st.rx, sizeof(st.rx));
	snap_rec_end(w);
	snap_end_section(w);
}

int testbench_save(struct vm *vm, struct snap_save *ss)
{
	int ret = x86_save_vm(vm, ss->w);

	if (ret)
		return ret;
	save_uart(testbench_uart(vm), ss);
	return ss->w->err;
}

static int restore_uart(struct uart_8250 *u, struct snap_cursor *v,
			struct snap_error *e)
{
	struct uart_8250_state st;
	uint8_t r[12];

	if (v->len != UART_REC_SIZE)
		return snap_fail(e, SNAP_E_FORMAT,
				 "UART record of %zu bytes (want %d)", v->len,
				 UART_REC_SIZE);
	snap_get_bytes(v, r, sizeof(r));
	st = (struct uart_8250_state){
		.ier = r[0], .iir = r[1], .lcr = r[2], .mcr = r[3],
		.lsr = r[4], .msr = r[5], .scr = r[6], .dll = r[7],
		.dlm = r[8], .fcr = r[9], .thr_irq = r[10] != 0,
	};
	st.rx_head = snap_get_le32(v);
	st.rx_count = snap_get_le32(v);
	st.tx_bytes = snap_get_le64(v);
	snap_get_bytes(v, st.rx, sizeof(st.rx));
	if (uart_8250_set_state(u, &st))
		return snap_fail(e, SNAP_E_FORMAT,
				 "UART receive FIFO at %u with %u bytes is out of range",
				 st.rx_head, st.rx_count);
	return 0;
}

static int restore_device(struct vm *vm, const struct snap_section *sec,
			  bool *have_uart, struct snap_error *e)
{
	struct snap_cursor c, v;
	char name[32] = "";
	uint32_t tag;
	int ret;

	snap_cursor_init(&c, sec->data, sec->len);
	while ((ret = snap_next_rec(&c, &tag, &v)) > 0) {
		if (tag == SNAP_MDEV_NAME) {
			if (snap_get_str(&v, name, sizeof(name)) ||
			    strcmp(name, UART_NAME))
				return snap_fail(e, SNAP_E_FORMAT,
						 "the testbench has no device '%s'",
						 name);
		} else if (tag == TB_REC_UART && !strcmp(name, UART_NAME)) {
			if (restore_uart(testbench_uart(vm), &v, e))
				return -1;
			*have_uart = true;
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

int testbench_restore(struct vm *vm, const struct snap_file *f,
		      struct snap_error *e)
{
	const struct snap_section *sec;
	bool have_uart = false;

	if (x86_restore_vm(vm, f, e))
		return -1;
	for (unsigned int i = 0;
	     (sec = snap_find_section(f, SNAP_SEC_MACHINE_DEV, i)); i++)
		if (restore_device(vm, sec, &have_uart, e))
			return -1;
	if (!have_uart)
		return snap_fail(e, SNAP_E_FORMAT, "no UART state in the snapshot");
	return 0;
}
