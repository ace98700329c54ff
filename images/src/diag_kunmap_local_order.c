// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: kunmap_local_order. Two nested kmap_local_page() mappings are
 * unmapped first-in first-out (FIXED: last-in first-out).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>

static noinline void copy_pages(struct page *dst, struct page *src)
{
	char *s = kmap_local_page(src);
	char *d = kmap_local_page(dst);

	d[0] = s[0];
#ifdef FIXED
	kunmap_local(d);
	kunmap_local(s);
#else
	kunmap_local(s);
	kunmap_local(d);
#endif
}

int main(void)
{
	struct page *a = alloc_page(GFP_HIGHUSER);
	struct page *b = alloc_page(GFP_HIGHUSER);

	copy_pages(a, b);
	__free_page(a);
	__free_page(b);
	return 0;
}
