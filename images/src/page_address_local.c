// SPDX-License-Identifier: MIT
/*
 * page_address() of highmem and lowmem pages.
 *
 * A highmem page has an address only while it holds a pkmap slot: NULL while
 * unmapped and while mapped only by kmap_local_page(); the kmap() address
 * while kmap()ed, and still after kunmap() (the slot stays at count 1) until
 * the slot is flushed (here by kmap_flush_unused()). A lowmem page's address
 * is its direct-map address, and kmap() of a lowmem page returns just that.
 */
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <hmemu.h>

static unsigned int failures;

#define check(cond, fmt, ...) do { \
	bool __ok = (cond); \
	pr_info("page_address_local: %s: " fmt "\n", __ok ? "ok  " : "FAIL", ##__VA_ARGS__); \
	if (!__ok) \
		failures++; \
} while (0)

static void highmem_page(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	void *local, *k;

	if (!page || !PageHighMem(page)) {
		check(false, "allocate a highmem page");
		return;
	}
	check(page_address(page) == NULL, "fresh highmem page: page_address is NULL");

	local = kmap_local_page(page);
	check(local != NULL, "kmap_local_page -> %px", local);
	check(page_address(page) == NULL, "only kmap_local'd: page_address is still NULL");
	kunmap_local(local);
	check(page_address(page) == NULL, "after kunmap_local: NULL");

	k = kmap(page);
	check(k != NULL && k != local, "kmap -> %px (a pkmap address)", k);
	check(page_address(page) == k, "kmap()ed: page_address is the kmap address");

	local = kmap_local_page(page);
	check(local != k, "kmap_local_page while kmap()ed -> %px, its own slot", local);
	check(page_address(page) == k, "kmap()ed and kmap_local'd: still the kmap address");
	kunmap_local(local);

	kunmap(page);
	check(page_address(page) == k, "after kunmap: still the kmap address (count-1 slot)");
	kmap_flush_unused();
	check(page_address(page) == NULL, "after kmap_flush_unused: NULL");

	__free_page(page);
}

static void lowmem_page(void)
{
	struct hm_boot_info *bi = hmemu_boot_info();
	struct page *page = alloc_page(GFP_KERNEL);
	void *direct, *k, *local;
	char *buf;

	if (!page || PageHighMem(page)) {
		check(false, "allocate a lowmem page");
		return;
	}
	direct = (void *)(PAGE_OFFSET + (page_to_pfn(page) << PAGE_SHIFT));
	check(page_address(page) == direct, "lowmem page: page_address = __va(pfn << 12) = %px",
	      direct);
	check(virt_to_page(direct) == page, "virt_to_page(page_address) is the page");

	k = kmap(page);
	check(k == direct, "kmap of a lowmem page returns page_address (%px)", k);
	kunmap(page);

	local = kmap_local_page(page);
	if (bi->flags & HM_BOOT_FORCE_MAP)
		check(local != direct, "FORCE_MAP: kmap_local_page of lowmem -> fixmap %px", local);
	else
		check(local == direct, "kmap_local_page of lowmem returns page_address");
	kunmap_local(local);

	__free_page(page);

	buf = kmalloc(100, GFP_KERNEL);
	check(buf != NULL, "kmalloc(100) -> %px", buf);
	if (buf) {
		struct page *bp = virt_to_page(buf);

		check(!PageHighMem(bp) &&
		      page_address(bp) == (void *)((unsigned long)buf & PAGE_MASK),
		      "kmalloc memory: page_address(virt_to_page(p)) = p & PAGE_MASK");
		kfree(buf);
	}
}

int main(void)
{
	highmem_page();
	lowmem_page();
	pr_info("page_address_local: %s (%u failures)\n", failures ? "FAIL" : "OK", failures);
	return failures ? 1 : 0;
}
