// SPDX-License-Identifier: GPL-2.0
/*
 * The 8250's snapshot record (devices/serial/uart_8250_snap.c), shared
 * by the testbench and lkvm machines: its 92-byte little-endian layout,
 * a round trip through a fresh UART (registers, receive FIFO, bytes
 * sent, the interrupt line raised again), and the one-line errors for a
 * record of the wrong size or a FIFO position out of range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "serial/uart_8250_snap.h"

#define TAG 0x100
#define UART_IER 1
#define UART_LCR 3
#define UART_SCR 7

static int irq_level;

static void set_irq(void *opaque, int level)
{
	irq_level = level;
}

static void uart_write(struct uart_8250 *u, uint64_t off, uint8_t v)
{
	assert_int_equal(uart_8250_access(u, 0, off, &v, 1, true), 0);
}

/* A UART with some state: LCR, scratch, RX interrupt on, 3 bytes in. */
static void busy_uart(struct uart_8250 *u)
{
	uart_8250_init(u, -1);
	u->set_irq = set_irq;
	uart_write(u, UART_LCR, 0x03);
	uart_write(u, UART_SCR, 0x5a);
	uart_write(u, UART_IER, 0x01);
	assert_int_equal(uart_8250_receive(u, (const uint8_t *)"abc", 3), 3);
}

/* The record's value bytes, from a writer holding one section. */
static const uint8_t *record(struct snap_writer *w, struct snap_cursor *v)
{
	struct snap_cursor c;
	uint32_t tag;

	snap_cursor_init(&c, w->buf, w->len);
	assert_int_equal(snap_next_rec(&c, &tag, v), 1);
	assert_int_equal(tag, TAG);
	return v->p;
}

static void test_layout_and_round_trip(void **state)
{
	struct uart_8250 a, b;
	struct uart_8250_state sa, sb;
	struct snap_writer w;
	struct snap_cursor v;
	struct snap_error e = { 0 };
	const uint8_t *p;

	busy_uart(&a);
	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_MACHINE_DEV, 0);
	assert_int_equal(uart_8250_snap_put(&a, &w, TAG), 0);
	snap_end_section(&w);
	assert_int_equal(w.err, 0);
	p = record(&w, &v);
	assert_int_equal(v.len, UART_8250_REC_SIZE);
	assert_int_equal(p[1] & 0x0f, 0x04);	/* IIR: RX data available */
	assert_int_equal(p[2], 0x03);		/* LCR */
	assert_int_equal(p[6], 0x5a);		/* SCR */
	assert_int_equal(p[16], 3);		/* FIFO count, little-endian */
	assert_memory_equal(p + 28, "abc", 3);

	irq_level = 0;
	uart_8250_init(&b, -1);
	b.set_irq = set_irq;
	assert_int_equal(uart_8250_snap_get(&b, &v, &e), 0);
	assert_int_equal(e.code, SNAP_OK);
	uart_8250_get_state(&a, &sa);
	uart_8250_get_state(&b, &sb);
	assert_memory_equal(&sa.rx, &sb.rx, sizeof(sa.rx));
	assert_int_equal(sb.rx_count, 3);
	assert_int_equal(sb.lcr, sa.lcr);
	assert_int_equal(sb.scr, sa.scr);
	assert_int_equal(sb.ier, sa.ier);
	assert_int_equal(irq_level, 1);	/* the line comes back up */
	snap_writer_free(&w);
}

static void test_bad_records(void **state)
{
	struct uart_8250 a;
	struct snap_writer w;
	struct snap_cursor v;
	struct snap_error e = { 0 };
	uint8_t bad[UART_8250_REC_SIZE];

	busy_uart(&a);
	snap_writer_init(&w);
	snap_begin_section(&w, SNAP_SEC_MACHINE_DEV, 0);
	uart_8250_snap_put(&a, &w, TAG);
	snap_end_section(&w);
	memcpy(bad, record(&w, &v), sizeof(bad));

	snap_cursor_init(&v, bad, sizeof(bad) - 4);
	assert_int_equal(uart_8250_snap_get(&a, &v, &e), -1);
	assert_int_equal(e.code, SNAP_E_FORMAT);
	assert_non_null(strstr(e.msg, "UART record of 88 bytes"));

	memset(&e, 0, sizeof(e));
	bad[12] = 64;	/* FIFO head past the end */
	snap_cursor_init(&v, bad, sizeof(bad));
	assert_int_equal(uart_8250_snap_get(&a, &v, &e), -1);
	assert_int_equal(e.code, SNAP_E_FORMAT);
	assert_non_null(strstr(e.msg, "out of range"));
	snap_writer_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_and_round_trip),
		cmocka_unit_test(test_bad_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
