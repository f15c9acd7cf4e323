// SPDX-License-Identifier: GPL-2.0
/*
 * The 8250's state as a snapshot record, in the layout
 * docs/snapshot-format.md gives (machine-device sections).  Used by the
 * x86 testbench and the arm64 lkvm machine alike.
 */
#include "serial/uart_8250_snap.h"

uint64_t uart_8250_snap_put(struct uart_8250 *u, struct snap_writer *w,
			    uint32_t tag)
{
	struct uart_8250_state st;

	uart_8250_get_state(u, &st);
	snap_rec_begin(w, tag);
	snap_put_bytes(w, (const uint8_t[12]){ st.ier, st.iir, st.lcr, st.mcr,
					       st.lsr, st.msr, st.scr, st.dll,
					       st.dlm, st.fcr, st.thr_irq },
		       12);
	snap_put_le32(w, st.rx_head);
	snap_put_le32(w, st.rx_count);
	snap_put_le64(w, st.tx_bytes);
	snap_put_bytes(w, st.rx, sizeof(st.rx));
	snap_rec_end(w);
	return st.tx_bytes;
}

int uart_8250_snap_get(struct uart_8250 *u, struct snap_cursor *v,
		       struct snap_error *e)
{
	struct uart_8250_state st;
	uint8_t r[12];

	if (v->len != UART_8250_REC_SIZE)
		return snap_fail(e, SNAP_E_FORMAT,
				 "UART record of %zu bytes (want %d)", v->len,
				 UART_8250_REC_SIZE);
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
