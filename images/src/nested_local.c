// SPDX-License-Identifier: MIT
/*
 * Nested kmap_local_page() mappings.
 *
 * Eight highmem pages are mapped one inside the other. Each mapping takes the
 * next slot of this task's kmap_local stack; fixmap indices grow downward in
 * address, so each address is one page below the previous one (two pages
 * with CONFIG_DEBUG_KMAP_LOCAL's guard slots). Data is copied between the
 * live mappings, then they are unmapped in reverse order (LIFO). Finally the
 * highmem.h helpers (memcpy_page, copy_highpage, memcpy_to/from_page,
 * memset_page, memzero_page, zero_user_segments) are checked.
 */
#include <linux/highmem.h>
#include <linux/printk.h>
#include <hmemu.h>

#define DEPTH		8
#define NR_PAGES	(DEPTH + 2)
#define CHUNK		256

static struct page *pages[NR_PAGES];
static char buf[PAGE_SIZE];
static unsigned int failures;

#define check(cond, fmt, ...) do { \
	if (!(cond)) { \
		failures++; \
		pr_err("nested_local: FAIL: " fmt "\n", ##__VA_ARGS__); \
	} \
} while (0)

static bool all_bytes(const char *p, char val, size_t len)
{
	while (len--)
		if (*p++ != val)
			return false;
	return true;
}

static void nested_mappings(void)
{
	struct hm_boot_info *bi = hmemu_boot_info();
	unsigned long stride = (bi->flags & HM_BOOT_DEBUG_KMAP_LOCAL) ? 2 * PAGE_SIZE : PAGE_SIZE;
	char *addr[DEPTH];
	int i, j;

	for (i = 0; i < DEPTH; i++) {
		addr[i] = kmap_local_page(pages[i]);
		pr_info("nested_local: depth %d: page pfn %lu at %px\n",
			i + 1, page_to_pfn(pages[i]), addr[i]);
		check(addr[i] && offset_in_page(addr[i]) == 0, "depth %d: bad address %px",
		      i + 1, addr[i]);
		for (j = 0; j < i; j++)
			check(addr[j] != addr[i], "depth %d reuses the address of depth %d",
			      i + 1, j + 1);
		if (i > 0)
			check((unsigned long)addr[i] == (unsigned long)addr[i - 1] - stride,
			      "depth %d: %px is not %lu bytes below %px", i + 1, addr[i],
			      stride, addr[i - 1]);
		memset(addr[i], 'A' + i, CHUNK);
	}

	/* copy between live mappings: page i's second chunk <- page i-1's first */
	for (i = 1; i < DEPTH; i++)
		memcpy(addr[i] + CHUNK, addr[i - 1], CHUNK);
	for (i = 0; i < DEPTH; i++) {
		check(all_bytes(addr[i], 'A' + i, CHUNK), "page %d lost its own bytes", i);
		if (i > 0)
			check(all_bytes(addr[i] + CHUNK, 'A' + i - 1, CHUNK),
			      "page %d did not receive page %d's bytes", i, i - 1);
	}

	for (i = DEPTH - 1; i >= 0; i--)
		kunmap_local(addr[i]);
	pr_info("nested_local: %d nested mappings, %lu bytes apart, unmapped LIFO\n",
		DEPTH, stride);
}

static void helpers(void)
{
	struct page *dst = pages[DEPTH], *cpy = pages[DEPTH + 1];
	char *a, *b;

	/* memcpy_page: page 3's first chunk ('D') into dst at offset 100 */
	memset_page(dst, 0, 'z', PAGE_SIZE);
	memcpy_page(dst, 100, pages[3], 0, CHUNK);
	memcpy_from_page(buf, dst, 0, PAGE_SIZE);
	check(all_bytes(buf, 'z', 100) && all_bytes(buf + 100, 'D', CHUNK) &&
	      all_bytes(buf + 100 + CHUNK, 'z', PAGE_SIZE - 100 - CHUNK),
	      "memcpy_page/memset_page result");

	/* memmove_page between two pages (two live local mappings) */
	memset_page(cpy, 0, 'y', PAGE_SIZE);
	memmove_page(cpy, 8, dst, 100, CHUNK);
	memcpy_from_page(buf, cpy, 0, 8 + CHUNK + 8);
	check(all_bytes(buf, 'y', 8) && all_bytes(buf + 8, 'D', CHUNK) &&
	      all_bytes(buf + 8 + CHUNK, 'y', 8), "memmove_page result");

	/* copy_highpage: the whole of page 5, compared through two nested mappings */
	copy_highpage(cpy, pages[5]);
	a = kmap_local_page(cpy);
	b = kmap_local_page(pages[5]);
	check(memcmp(a, b, PAGE_SIZE) == 0, "copy_highpage: pages differ");
	kunmap_local(b);
	kunmap_local(a);

	/* memcpy_to_page, memzero_page, zero_user_segments, clear_highpage */
	memset(buf, 'q', CHUNK);
	memcpy_to_page(cpy, PAGE_SIZE - CHUNK, buf, CHUNK);
	memzero_page(cpy, 0, CHUNK);
	zero_user_segments(cpy, CHUNK, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK);
	memcpy_from_page(buf, cpy, 0, PAGE_SIZE);
	check(all_bytes(buf, 0, 2 * CHUNK), "memzero_page/zero_user_segments first range");
	check(all_bytes(buf + 3 * CHUNK, 0, CHUNK), "zero_user_segments second range");
	check(all_bytes(buf + PAGE_SIZE - CHUNK, 'q', CHUNK), "memcpy_to_page result");
	clear_highpage(cpy);
	memcpy_from_page(buf, cpy, 0, PAGE_SIZE);
	check(all_bytes(buf, 0, PAGE_SIZE), "clear_highpage result");
	pr_info("nested_local: highmem.h helpers checked\n");
}

int main(void)
{
	int i;

	for (i = 0; i < NR_PAGES; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		if (!pages[i] || !PageHighMem(pages[i])) {
			pr_err("nested_local: no highmem page %d\n", i);
			return 1;
		}
	}

	nested_mappings();
	helpers();

	for (i = 0; i < NR_PAGES; i++)
		__free_page(pages[i]);

	pr_info("nested_local: %s (%u failures)\n", failures ? "FAIL" : "OK", failures);
	return failures ? 1 : 0;
}
