// Passes: the leak is what the test is about, and it declares it.
#include <hmemu/test.h>
#include <linux/highmem.h>
#include <linux/gfp.h>

HMEMU_EXPECT_FINDING(kmap_leak);
HMEMU_EXPECT_FINDING(page_leak);

int main(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	char *p = kmap(page);

	p[0] = 1;
	return 0;	/* no kunmap(), no __free_page() */
}
