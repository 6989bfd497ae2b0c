/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <stdint.h>

/* Measures the TSC against the PIT; call once on the boot CPU. */
void tsc_calibrate(void);
uint64_t tsc_hz(void);
void udelay(uint64_t us);
/* Runs the PIT for ms milliseconds; returns when its count has ended. */
void pit_wait_ms(unsigned int ms, void (*start)(void));
/* Wall clock from the CMOS RTC, seconds since 1970. */
uint64_t rtc_read_seconds(void);

#endif
