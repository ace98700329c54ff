// SPDX-License-Identifier: MIT
/*
 * zero_user_segments() for CONFIG_HIGHMEM (mm/highmem.c's shape): walk the
 * page's subpages, map only those a range touches, zero, unmap, flush.
 * Empty ranges (start >= end) count as nothing to do.
 */
#include <hmemu.h>

void zero_user_segments(struct page *page, unsigned int start1, unsigned int end1,
			unsigned int start2, unsigned int end2)
{
	unsigned long i;

	__HM_BUG_ON_AT("mm/highmem.c", 396, end1 > page_size(page) || end2 > page_size(page));

	if (start1 >= end1)
		start1 = end1 = 0;
	if (start2 >= end2)
		start2 = end2 = 0;

	for (i = 0; i < compound_nr(page); i++) {
		struct page *sub = page + i;
		char *kaddr = NULL;
		unsigned int this_end;

		if (start1 >= PAGE_SIZE) {
			start1 -= PAGE_SIZE;
			end1 -= PAGE_SIZE;
		} else {
			this_end = min_t(unsigned int, end1, PAGE_SIZE);
			if (end1 > start1) {
				kaddr = kmap_local_page(sub);
				memset(kaddr + start1, 0, this_end - start1);
			}
			end1 -= this_end;
			start1 = 0;
		}

		if (start2 >= PAGE_SIZE) {
			start2 -= PAGE_SIZE;
			end2 -= PAGE_SIZE;
		} else {
			this_end = min_t(unsigned int, end2, PAGE_SIZE);
			if (end2 > start2) {
				if (!kaddr)
					kaddr = kmap_local_page(sub);
				memset(kaddr + start2, 0, this_end - start2);
			}
			end2 -= this_end;
			start2 = 0;
		}

		if (kaddr) {
			kunmap_local(kaddr);
			flush_dcache_page(sub);
		}

		if (!end1 && !end2)
			break;
	}

	__HM_BUG_ON_AT("mm/highmem.c", 444, (start1 | start2 | end1 | end2) != 0);
}
