// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: page_address_highmem. page_address() of a highmem page that is
 * only kmap_local'd is NULL; the write through it oopses (FIXED: use the
 * address kmap_local_page() returned).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/mm.h>

static noinline void stamp(struct page *p)
{
	char *v = kmap_local_page(p);
#ifdef FIXED
	char *q = v;
#else
	char *q = page_address(p);
#endif

	q[16] = 1;
	kunmap_local(v);
}

int main(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);

	stamp(p);
	__free_page(p);
	return 0;
}
