// SPDX-License-Identifier: GPL-2.0
/*
 * The hypervisor's own console: a 16550 UART driven by polling.  Output is
 * synchronous so that a panic's last words always reach the wire.
 */
#include <stdint.h>
#include <asm/processor.h>
#include <hv/serial.h>

#define UART_THR	0
#define UART_RBR	0
#define UART_IER	1
#define UART_DLL	0
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LCR_DLAB	0x80

static const uint16_t port = CONFIG_SERIAL_PORT;

void serial_init(void)
{
	outb(port + UART_IER, 0x00);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, 1);	/* 115200 baud */
	outb(port + UART_DLM, 0);
	outb(port + UART_LCR, 0x03);	/* 8N1 */
	outb(port + UART_FCR, 0xc7);	/* FIFOs on and cleared */
	outb(port + UART_MCR, 0x03);	/* DTR, RTS */
}

static void serial_putc(char c)
{
	unsigned int spins = 0;

	/* Bounded: a dead UART must not hang the hypervisor. */
	while (!(inb(port + UART_LSR) & LSR_THRE) && spins++ < 100000)
		cpu_relax();
	outb(port + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

int serial_getc(void)
{
	if (!(inb(port + UART_LSR) & LSR_DR))
		return -1;
	return inb(port + UART_RBR);
}
