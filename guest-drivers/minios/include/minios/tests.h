/* SPDX-License-Identifier: MIT */
/* Mini-OS: the programs the command line chooses between. */
#ifndef MINIOS_TESTS_H
#define MINIOS_TESTS_H

#include <minios/os.h>

void __noreturn test_abi(void);
void __noreturn test_pingpong(void);
void __noreturn test_bench(void);
void __noreturn test_crash(void);
void __noreturn test_watch(void);
void __noreturn test_pvcon(void);
void __noreturn test_pvhostile(void);
void __noreturn test_pvblk(void);
void __noreturn test_pvblkhostile(void);
void __noreturn test_pvblkpersist(void);
void __noreturn test_pvblkcrash(void);
void __noreturn test_pvnet(void);
void __noreturn test_pvnethostile(void);
void __noreturn test_pvblkresize(void);
void __noreturn test_cpu(void);
void __noreturn test_flood(void);
void __noreturn demo(void);

#endif /* MINIOS_TESTS_H */
