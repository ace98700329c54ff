// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: mem_page_bounds. memcpy_from_page() past the end of the page
 * (FIXED: the range stays inside it).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>

static char buf[256];

static noinline void read_tail(struct page *p)
{
#ifdef FIXED
	memcpy_from_page(buf, p, 4096 - 200, 200);
#else
	memcpy_from_page(buf, p, 4000, 200);
#endif
}

int main(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);

	read_tail(p);
	__free_page(p);
	return 0;
}
