/* SPDX-License-Identifier: MIT */
#ifndef MINIOS_MM_H
#define MINIOS_MM_H

#include <minios/os.h>

void mm_init(uint64_t free_gpa, uint64_t mem_bytes);
/* One zeroed 4 KiB page, or NULL when guest RAM is used up. */
void *alloc_page(void);
void free_page(void *page);
/* count contiguous zeroed pages (see mm.c), freed with free_pages(). */
void *alloc_pages(unsigned int count);
void free_pages(void *pages, unsigned int count);
uint64_t mm_free_pages(void);

/*
 * Maps a user-accessible page at va in the current page tables (which the
 * guest owns after boot); the identity map of [0, 4 GiB) stays supervisor
 * only.  va must be outside [0, 512 GiB).
 */
int map_user_page(uint64_t va, void *page);

#endif /* MINIOS_MM_H */
