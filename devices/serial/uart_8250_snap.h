/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The 8250's snapshot record (docs/snapshot-format.md, machine-device
 * sections): one layout shared by every machine with an 8250 console.
 */
#ifndef KVMKIT_UART_8250_SNAP_H
#define KVMKIT_UART_8250_SNAP_H

#include <stdint.h>

#include "kvmkit/snapshot.h"
#include "serial/uart_8250.h"

/*
 * IER IIR LCR MCR LSR MSR SCR DLL DLM FCR, THR-interrupt pending, 0
 * (one byte each), le32 FIFO head, le32 FIFO count, le64 bytes sent,
 * 64 bytes of receive FIFO.
 */
#define UART_8250_REC_SIZE 92

/* Append @u's state as record @tag; returns the bytes sent so far. */
uint64_t uart_8250_snap_put(struct uart_8250 *u, struct snap_writer *w,
			    uint32_t tag);
/* Load @u from a record's value; a one-line error in @e on bad input. */
int uart_8250_snap_get(struct uart_8250 *u, struct snap_cursor *v,
		       struct snap_error *e);

#endif
