// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: kmap_to_page_deprecated. The struct page is recovered from a
 * kmap() address (FIXED: the page that was mapped is kept).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>

static noinline void release(struct page *p, void *addr)
{
#ifdef FIXED
	(void)addr;
	kunmap(p);
#else
	(void)p;
	kunmap(kmap_to_page(addr));
#endif
}

int main(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);
	char *v = kmap(p);

	v[0] = 1;
	release(p, v);
	__free_page(p);
	return 0;
}
