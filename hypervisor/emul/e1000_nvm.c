// SPDX-License-Identifier: GPL-2.0
/*
 * The e1000's management side (e1000_nvm.h): its Microwire EEPROM,
 * read bit by bit through EECD or a word at a time through EERD, and
 * the M88-style PHY behind MDIC, which reports a link that is always
 * up at 1000 Mb/s full duplex.  Writes to the EEPROM are not offered.
 */
#include <lib/string.h>
#include <hv/emul/e1000.h>
#include "e1000_nvm.h"

#define EECD_SK		(1u << 0)
#define EECD_CS		(1u << 1)
#define EECD_DI		(1u << 2)
#define EECD_DO		(1u << 3)
#define EECD_REQ	(1u << 6)
#define EECD_GNT	(1u << 7)
#define EECD_PRES	(1u << 8)
#define EECD_WMASK	(EECD_SK | EECD_CS | EECD_DI | 0x30u | EECD_REQ)
#define EERD_START	(1u << 0)
#define EERD_DONE	(1u << 4)
#define MDIC_OP_WRITE	(1u << 26)
#define MDIC_OP_READ	(2u << 26)
#define MDIC_READY	(1u << 28)
#define MDIC_ERROR	(1u << 30)
#define PHY_ADDR	1

static const uint16_t phy_reset_regs[32] = {
	[0] = 0x1140,	/* autonegotiation, 1000 Mb/s, full duplex */
	[1] = 0x796d,	/* link up, autonegotiation complete */
	[2] = 0x0141,	/* M88E1011 */
	[3] = 0x0c20,
	[4] = 0x0de1,
	[5] = 0x45e1,	/* link partner: everything */
	[6] = 0x000f,
	[9] = 0x0e00,
	[10] = 0x3c00,	/* partner 1000FD, receivers OK */
	[15] = 0x3000,
	[16] = 0x0068,
	[17] = 0xac00,	/* 1000 Mb/s, full duplex, resolved, link */
};

void e1000_phy_reset(struct e1000 *n)
{
	memcpy(n->phy, phy_reset_regs, sizeof(n->phy));
}

void e1000_eeprom_build(struct e1000 *n, const uint8_t mac[6])
{
	uint16_t sum = 0;

	memset(n->eeprom, 0, sizeof(n->eeprom));
	for (unsigned int i = 0; i < 3; i++)
		n->eeprom[i] = (uint16_t)(mac[2 * i] | mac[2 * i + 1] << 8);
	n->eeprom[0x04] = 0xffff;	/* LED settings: the defaults */
	n->eeprom[0x0a] = 0x6403;	/* init control 1: 82540 defaults */
	n->eeprom[0x0b] = 0x001e;	/* subsystem */
	n->eeprom[0x0c] = 0x8086;
	n->eeprom[0x0d] = 0x100e;
	n->eeprom[0x0e] = 0x8086;
	for (unsigned int i = 0; i < E1000_EEPROM_WORDS - 1; i++)
		sum = (uint16_t)(sum + n->eeprom[i]);
	/* The words add up to 0xbaba, which is what the driver checks. */
	n->eeprom[E1000_EEPROM_WORDS - 1] = (uint16_t)(0xbaba - sum);
}

/*
 * Microwire: with CS high, bits are sampled on SK's rising edge: the
 * read opcode 110b, six address bits, then 16 data bits out, MSB first.
 * Writes and erases are not offered (the driver only reads).
 */
void e1000_eecd_write(struct e1000 *n, uint32_t val)
{
	bool rise = (val & EECD_SK) && !(n->eecd & EECD_SK);

	n->eecd = val & EECD_WMASK;
	if (!(val & EECD_CS)) {
		n->ee_bits = 0;
		n->ee_in = 0;
		n->ee_reading = false;
		n->ee_do = false;
		return;
	}
	if (!rise)
		return;
	if (n->ee_reading) {
		unsigned int pos = n->ee_out_pos++ & 15;

		n->ee_do = (n->eeprom[n->ee_addr % E1000_EEPROM_WORDS] >>
			    (15 - pos)) & 1;
		if (pos == 15)
			n->ee_addr++;	/* sequential read */
		return;
	}
	n->ee_in = n->ee_in << 1 | !!(val & EECD_DI);
	if (++n->ee_bits < 9)
		return;
	if ((n->ee_in >> 6 & 7) == 6) {
		n->ee_reading = true;
		n->ee_addr = n->ee_in & 0x3f;
		n->ee_out_pos = 0;
		n->ee_do = false;	/* the dummy bit */
	}
	n->ee_bits = 0;
	n->ee_in = 0;
}

uint32_t e1000_eecd_read(struct e1000 *n)
{
	uint32_t v = n->eecd | EECD_PRES;

	if (v & EECD_REQ)
		v |= EECD_GNT;
	if (n->ee_do)
		v |= EECD_DO;
	return v;
}

void e1000_eerd_write(struct e1000 *n, uint32_t val)
{
	unsigned int addr = (val >> 8) & 0xff;

	if (!(val & EERD_START))
		return;
	n->eerd = addr << 8 | EERD_DONE;
	if (addr < E1000_EEPROM_WORDS)
		n->eerd |= (uint32_t)n->eeprom[addr] << 16;
}

void e1000_mdic_write(struct e1000 *n, uint32_t val)
{
	unsigned int reg = (val >> 16) & 0x1f, addr = (val >> 21) & 0x1f;
	uint32_t op = val & (3u << 26);
	uint16_t data = (uint16_t)val;

	n->mdic = (val & 0x0fffffffu) | MDIC_READY;
	if (addr != PHY_ADDR || (op != MDIC_OP_READ && op != MDIC_OP_WRITE)) {
		n->mdic |= MDIC_ERROR;
		return;
	}
	if (op == MDIC_OP_READ) {
		n->mdic = (n->mdic & ~0xffffu) | n->phy[reg];
		return;
	}
	switch (reg) {
	case 0:	/* reset and restart-autonegotiation complete at once */
		n->phy[0] = data & ~(0x8000 | 0x0200);
		break;
	case 1: case 2: case 3: case 5: case 6: case 10: case 15: case 17:
		break;		/* read-only */
	default:
		n->phy[reg] = data;
	}
}
