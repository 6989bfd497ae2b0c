/* SPDX-License-Identifier: GPL-2.0 */
/* The e1000's EEPROM and PHY (e1000_nvm.c), for e1000.c only. */
#ifndef E1000_NVM_H
#define E1000_NVM_H

#include <stdint.h>

struct e1000;

/* The words of a valid EEPROM for this MAC, checksum included. */
void e1000_eeprom_build(struct e1000 *n, const uint8_t mac[6]);
void e1000_eecd_write(struct e1000 *n, uint32_t val);
uint32_t e1000_eecd_read(struct e1000 *n);
void e1000_eerd_write(struct e1000 *n, uint32_t val);
void e1000_mdic_write(struct e1000 *n, uint32_t val);
/* The PHY's registers after a reset. */
void e1000_phy_reset(struct e1000 *n);

#endif
