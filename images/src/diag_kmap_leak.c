// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: kmap_leak. map_it() kmap()s a highmem page that is never
 * kunmap()ed (built with -DFIXED, diag_kmap_leak_fixed.c, it is).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>

static noinline char *map_it(struct page *p)
{
	return kmap(p);
}

int main(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);
	char *v = map_it(p);

	v[0] = 1;
#ifdef FIXED
	kunmap(p);
#endif
	__free_page(p);
	return 0;
}
