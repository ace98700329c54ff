// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: sleep_in_atomic. kmap() (which may sleep) inside kmap_atomic()
 * (FIXED: the outer mapping is kmap_local_page(), which does not disable
 * preemption).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>

static noinline void copy_one(struct page *dst, struct page *src)
{
#ifdef FIXED
	char *s = kmap_local_page(src);
#else
	char *s = kmap_atomic(src);
#endif
	char *d = kmap(dst);

	d[0] = s[0];
	kunmap(dst);
#ifdef FIXED
	kunmap_local(s);
#else
	kunmap_atomic(s);
#endif
}

int main(void)
{
	struct page *a = alloc_page(GFP_HIGHUSER);
	struct page *b = alloc_page(GFP_HIGHUSER);

	copy_one(a, b);
	__free_page(a);
	__free_page(b);
	return 0;
}
