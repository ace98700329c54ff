// Passes: maps a highmem page with kmap_local_page, checks it, frees everything.
#include <linux/highmem.h>
#include <linux/gfp.h>

int main(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	char *p;

	if (!page)
		return 1;
	p = kmap_local_page(page);
	p[0] = 42;
	if (p[0] != 42)
		return 2;
	kunmap_local(p);
	__free_page(page);
	return 0;
}
