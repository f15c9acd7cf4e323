// SPDX-License-Identifier: GPL-2.0
/* 16550A UART: enough for Linux's 8250 driver and bare-metal consoles. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kvmkit/bus.h"
#include "serial/uart_8250.h"

enum {
	UART_RBR_THR = 0, UART_IER = 1, UART_IIR_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5, UART_MSR = 6, UART_SCR = 7,
};

#define LCR_DLAB 0x80
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define MCR_LOOP 0x10
#define MSR_DEFAULT 0xb0	/* DCD, DSR, CTS */

void uart_8250_init(struct uart_8250 *u, int out_fd)
{
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	u->out_fd = out_fd;
	u->iir = IIR_NO_INT;
	u->lsr = LSR_THRE | LSR_TEMT;
	u->msr = MSR_DEFAULT;
	u->mcr = 0x08;		/* OUT2: PC UARTs gate their IRQ with it */
}

static void update_irq(struct uart_8250 *u)
{
	uint8_t iir = IIR_NO_INT;
	int level;

	if ((u->ier & IER_RDI) && u->rx_count)
		iir = IIR_RDI;
	else if ((u->ier & IER_THRI) && u->thr_irq)
		iir = IIR_THRI;
	u->iir = iir | (u->fcr & 1 ? IIR_FIFO : 0);
	level = iir != IIR_NO_INT;
	if (level != u->irq_level && u->set_irq)
		u->set_irq(u->irq_opaque, level);
	u->irq_level = level;
}

static void transmit(struct uart_8250 *u, uint8_t c)
{
	if (u->mcr & MCR_LOOP) {
		if (u->rx_count < UART_RX_FIFO) {
			u->rx[(u->rx_head + u->rx_count++) % UART_RX_FIFO] = c;
			u->lsr |= LSR_DR;
		}
	} else {
		u->tx_bytes++;
		/* The console is best effort: a closed pipe loses output only. */
		if (u->out_fd >= 0 && write(u->out_fd, &c, 1) < 0)
			u->out_fd = -1;
	}
	/* The byte leaves at once, so THR is empty again. */
	u->thr_irq = true;
}

static uint8_t uart_read(struct uart_8250 *u, unsigned int reg)
{
	uint8_t v = 0;

	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % UART_RX_FIFO;
			if (!--u->rx_count)
				u->lsr &= ~LSR_DR;
		}
		return v;
	case UART_IER:
		return u->lcr & LCR_DLAB ? u->dlm : u->ier;
	case UART_IIR_FCR:
		v = u->iir;
		/* Reading IIR while it reports THRE clears that source. */
		if ((v & 0x0f) == IIR_THRI)
			u->thr_irq = false;
		return v;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return u->lsr;
	case UART_MSR:
		return u->msr;
	default:
		return u->scr;
	}
}

static void uart_write(struct uart_8250 *u, unsigned int reg, uint8_t v)
{
	switch (reg) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB)
			u->dll = v;
		else
			transmit(u, v);
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
		} else {
			/* Enabling THRI with THR empty raises it at once. */
			if ((v & IER_THRI) && !(u->ier & IER_THRI))
				u->thr_irq = true;
			u->ier = v & 0x0f;
		}
		break;
	case UART_IIR_FCR:
		u->fcr = v;
		if (v & 0x02) {		/* clear RX FIFO */
			u->rx_count = 0;
			u->lsr &= ~LSR_DR;
		}
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v & 0x1f;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:
		break;		/* LSR and MSR are read-only */
	}
}

int uart_8250_access(void *opaque, int cpu, uint64_t offset, void *data,
		     uint32_t len, bool is_write)
{
	struct uart_8250 *u = opaque;
	uint8_t *b = data;

	if (offset > UART_SCR)
		return -EINVAL;
	pthread_mutex_lock(&u->lock);
	if (is_write) {
		uart_write(u, (unsigned int)offset, b[0]);
	} else {
		b[0] = uart_read(u, (unsigned int)offset);
		memset(b + 1, 0, len - 1);
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}

unsigned int uart_8250_receive(struct uart_8250 *u, const uint8_t *buf,
			       unsigned int len)
{
	unsigned int n = 0;

	pthread_mutex_lock(&u->lock);
	while (n < len && u->rx_count < UART_RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count++) % UART_RX_FIFO] = buf[n++];
		u->lsr |= LSR_DR;
	}
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}

unsigned int uart_8250_rx_room(struct uart_8250 *u)
{
	unsigned int room;

	pthread_mutex_lock(&u->lock);
	room = UART_RX_FIFO - u->rx_count;
	pthread_mutex_unlock(&u->lock);
	return room;
}

void uart_8250_get_state(struct uart_8250 *u, struct uart_8250_state *st)
{
	pthread_mutex_lock(&u->lock);
	*st = (struct uart_8250_state){
		.ier = u->ier, .iir = u->iir, .lcr = u->lcr, .mcr = u->mcr,
		.lsr = u->lsr, .msr = u->msr, .scr = u->scr, .dll = u->dll,
		.dlm = u->dlm, .fcr = u->fcr, .rx_head = u->rx_head,
		.rx_count = u->rx_count, .thr_irq = u->thr_irq,
		.tx_bytes = u->tx_bytes,
	};
	memcpy(st->rx, u->rx, sizeof(st->rx));
	pthread_mutex_unlock(&u->lock);
}

int uart_8250_set_state(struct uart_8250 *u, const struct uart_8250_state *st)
{
	if (st->rx_head >= UART_RX_FIFO || st->rx_count > UART_RX_FIFO)
		return -EINVAL;
	pthread_mutex_lock(&u->lock);
	u->ier = st->ier & 0x0f;
	u->lcr = st->lcr;
	u->mcr = st->mcr & 0x1f;
	u->lsr = st->lsr;
	u->msr = st->msr;
	u->scr = st->scr;
	u->dll = st->dll;
	u->dlm = st->dlm;
	u->fcr = st->fcr;
	memcpy(u->rx, st->rx, sizeof(u->rx));
	u->rx_head = st->rx_head;
	u->rx_count = st->rx_count;
	u->thr_irq = st->thr_irq;
	u->tx_bytes = st->tx_bytes;
	/* IIR and the output line follow from the rest. */
	update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}
