/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A-compatible UART (8250 family): transmit to a file descriptor,
 * receive from bytes the VMM feeds in, an optional interrupt line.
 */
#ifndef KVMKIT_UART_8250_H
#define KVMKIT_UART_8250_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define UART_RX_FIFO 64

struct uart_8250 {
	pthread_mutex_t lock;
	int out_fd;
	uint8_t ier, iir, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	uint8_t rx[UART_RX_FIFO];
	unsigned int rx_head, rx_count;
	bool thr_irq;		/* THRE interrupt pending until IIR is read */
	uint64_t tx_bytes;	/* bytes sent to out_fd (not loopback) */
	int irq_level;
	/* Interrupt output (NULL: polled only). */
	void (*set_irq)(void *opaque, int level);
	void *irq_opaque;
};

void uart_8250_init(struct uart_8250 *u, int out_fd);
/* Bus handler: registers at offsets 0..7 (PIO or MMIO with stride 1). */
int uart_8250_access(void *opaque, int cpu, uint64_t offset, void *data,
		     uint32_t len, bool is_write);
/* Feed received bytes; returns how many fitted in the FIFO. */
unsigned int uart_8250_receive(struct uart_8250 *u, const uint8_t *buf,
			       unsigned int len);
/* Room left in the receive FIFO. */
unsigned int uart_8250_rx_room(struct uart_8250 *u);

/* The guest-visible state, for snapshots. */
struct uart_8250_state {
	uint8_t ier, iir, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	uint8_t rx[UART_RX_FIFO];
	unsigned int rx_head, rx_count;
	bool thr_irq;
	uint64_t tx_bytes;
};

void uart_8250_get_state(struct uart_8250 *u, struct uart_8250_state *st);
/* -EINVAL for a FIFO position or count out of range. */
int uart_8250_set_state(struct uart_8250 *u, const struct uart_8250_state *st);

#endif
