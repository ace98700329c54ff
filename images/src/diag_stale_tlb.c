// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: stale_tlb_access. After an out-of-order kunmap_local() the top
 * slot's PTE is cleared but its TLB entry stays; reading through it again is a
 * stale access (FIXED: in order, and no use after unmap).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <linux/printk.h>

static volatile char sink;

static noinline void use_after(struct page *p1, struct page *p2)
{
	char *a = kmap_local_page(p1);
	char *b = kmap_local_page(p2);

	b[0] = 5;
	a[0] = 6;
#ifdef FIXED
	sink = b[0];
	kunmap_local(b);
	kunmap_local(a);
#else
	kunmap_local(a);
	sink = b[0];
	kunmap_local(b);
#endif
}

int main(void)
{
	struct page *p1 = alloc_page(GFP_HIGHUSER);
	struct page *p2 = alloc_page(GFP_HIGHUSER);

	use_after(p1, p2);
	pr_info("diag_stale_tlb: read %d\n", sink);
	__free_page(p1);
	__free_page(p2);
	return 0;
}
