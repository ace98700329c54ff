// SPDX-License-Identifier: MIT
/*
 * The pkmap allocation cursor wrapping.
 *
 * With PAE there are LAST_PKMAP = 512 pkmap slots. The cursor starts at 0 and
 * is advanced before use, so the first 511 fresh kmap()s take slots 1..511 at
 * consecutive addresses. kunmap() leaves each slot at count 1: still mapped,
 * page_address() still answers. The 512th fresh kmap() wraps the cursor to 0,
 * which runs flush_all_zero_pkmaps(): every count-1 slot is cleared (their
 * pages lose their address) and all CPUs flush their TLBs; the new page then
 * gets slot 0, one page below slot 1.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu.h>

#define LAST_PKMAP_MAX	1024	/* legacy paging; PAE has 512 */
#define LAST_PKMAP	((int)hmemu_last_pkmap())
#define NR_FRESH	(LAST_PKMAP - 1)

static struct page *pages[LAST_PKMAP_MAX];
static unsigned long addrs[LAST_PKMAP_MAX];
static unsigned int failures;

#define check(cond, fmt, ...) do { \
	if (!(cond)) { \
		if (failures++ < 8) \
			pr_err("pkmap_wrap: FAIL: " fmt "\n", ##__VA_ARGS__); \
	} \
} while (0)

int main(void)
{
	unsigned int i, still_mapped = 0;
	u32 *p;

	for (i = 0; i < LAST_PKMAP; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i] || !PageHighMem(pages[i])) {
			pr_err("pkmap_wrap: no highmem page %u\n", i);
			return 1;
		}
	}

	pr_info("pkmap_wrap: %d fresh kmap()+kunmap() of distinct highmem pages\n", NR_FRESH);
	for (i = 0; i < NR_FRESH; i++) {
		p = kmap(pages[i]);
		addrs[i] = (unsigned long)p;
		p[0] = i;
		kunmap(pages[i]);
		if (i > 0)
			check(addrs[i] == addrs[i - 1] + PAGE_SIZE,
			      "kmap %u at %08lx, not next to %08lx", i, addrs[i], addrs[i - 1]);
	}
	pr_info("pkmap_wrap: slots 1..%d at %08lx..%08lx\n", NR_FRESH, addrs[0], addrs[NR_FRESH - 1]);
	for (i = 0; i < NR_FRESH; i++)
		check((unsigned long)page_address(pages[i]) == addrs[i],
		      "page %u lost its address before the wrap (count-1 slots keep it)", i);

	hmemu_mark("before_wrap");
	p = kmap(pages[NR_FRESH]);
	hmemu_mark("after_wrap");

	addrs[NR_FRESH] = (unsigned long)p;
	pr_info("pkmap_wrap: kmap %d (the wrap) at %08lx\n", LAST_PKMAP, addrs[NR_FRESH]);
	check(addrs[NR_FRESH] == addrs[0] - PAGE_SIZE,
	      "the wrapping kmap got %08lx, not slot 0 at %08lx", addrs[NR_FRESH],
	      addrs[0] - PAGE_SIZE);
	check((unsigned long)page_address(pages[NR_FRESH]) == addrs[NR_FRESH],
	      "page_address of the new mapping");
	for (i = 0; i < NR_FRESH; i++)
		still_mapped += page_address(pages[i]) != NULL;
	pr_info("pkmap_wrap: after the wrap %u of %d unused slots still have a page\n",
		still_mapped, NR_FRESH);
	check(still_mapped == 0, "flush_all_zero_pkmaps left %u count-1 slots", still_mapped);
	kunmap(pages[NR_FRESH]);

	/* the data went to the pages, not to the slots */
	for (i = 0; i < NR_FRESH; i += 51) {
		p = kmap_local_page(pages[i]);
		check(p[0] == i, "page %u holds %u", i, p[0]);
		kunmap_local(p);
	}

	for (i = 0; i < LAST_PKMAP; i++)
		__free_page(pages[i]);
	pr_info("pkmap_wrap: %s\n", failures ? "FAIL" : "OK");
	return failures ? 1 : 0;
}
