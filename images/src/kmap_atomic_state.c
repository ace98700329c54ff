// SPDX-License-Identifier: MIT
/*
 * kmap_atomic() = preempt_disable() + pagefault_disable() + kmap_local_page(),
 * and that holds for lowmem pages too; kunmap_atomic() undoes all three.
 * kmap_local_page() changes neither preempt_count() nor pagefault_disabled().
 */
#include <linux/highmem.h>
#include <linux/preempt.h>
#include <linux/uaccess.h>
#include <linux/printk.h>
#include <hmemu.h>

static unsigned int failures;

#define check(cond, fmt, ...) do { \
	bool __ok = (cond); \
	pr_info("kmap_atomic_state: %s: " fmt "\n", __ok ? "ok  " : "FAIL", ##__VA_ARGS__); \
	if (!__ok) \
		failures++; \
} while (0)

static void one_page(const char *what, struct page *page)
{
	int pc0 = preempt_count();
	bool pf0 = pagefault_disabled(), atomic0 = in_atomic();
	void *v;
	int pc;

	pr_info("kmap_atomic_state: %s page (pfn %lu): preempt_count %d, pagefault_disabled %d, in_atomic %d\n",
		what, page_to_pfn(page), pc0, pf0, atomic0);

	v = kmap_atomic(page);
	pc = preempt_count();
	check(pc == pc0 + 1, "%s: kmap_atomic: preempt_count %d -> %d", what, pc0, pc);
	check(pagefault_disabled(), "%s: kmap_atomic: pagefault_disabled() is 1", what);
	check(in_atomic(), "%s: kmap_atomic: in_atomic() is true", what);
	if (!PageHighMem(page) && !(hmemu_boot_info()->flags & HM_BOOT_FORCE_MAP))
		check(v == page_address(page), "%s: kmap_atomic returns page_address", what);
	*(volatile u32 *)v = 0xa70111c;
	kunmap_atomic(v);
	check(preempt_count() == pc0, "%s: kunmap_atomic: preempt_count back to %d", what, pc0);
	check(pagefault_disabled() == pf0, "%s: kunmap_atomic: pagefault_disabled back to %d",
	      what, pf0);
	check(in_atomic() == atomic0, "%s: kunmap_atomic: in_atomic back to %d", what, atomic0);

	v = kmap_local_page(page);
	check(preempt_count() == pc0 && pagefault_disabled() == pf0,
	      "%s: kmap_local_page leaves preempt_count and pagefault_disabled alone", what);
	check(*(volatile u32 *)v == 0xa70111c, "%s: kmap_local_page sees the value written", what);
	kunmap_local(v);
}

int main(void)
{
	struct page *low = alloc_page(GFP_KERNEL);
	struct page *high = alloc_page(GFP_HIGHUSER);

	if (!low || !high || PageHighMem(low) || !PageHighMem(high)) {
		pr_err("kmap_atomic_state: cannot allocate a lowmem and a highmem page\n");
		return 1;
	}
	one_page("lowmem", low);
	one_page("highmem", high);
	__free_page(low);
	__free_page(high);

	pr_info("kmap_atomic_state: %s (%u failures)\n", failures ? "FAIL" : "OK", failures);
	return failures ? 1 : 0;
}
