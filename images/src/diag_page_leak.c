// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/* Diagnostics: page_leak. A page from alloc_page() is never freed (FIXED: it is). */
#include <linux/gfp.h>

static noinline struct page *get_buffer(void)
{
	return alloc_page(GFP_KERNEL);
}

int main(void)
{
	struct page *p = get_buffer();

	if (!p)
		return 1;
#ifdef FIXED
	__free_page(p);
#endif
	return 0;
}
