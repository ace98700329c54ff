// SPDX-License-Identifier: MIT
/* hmemu-build: frame-pointer */
/*
 * Diagnostics: kmap_local_overflow. One more nested kmap_local_page() than the
 * per-task stack holds (FIXED: one fewer).
 */
#include <linux/highmem.h>
#include <linux/gfp.h>
#include <hmemu.h>

#define MAX_NEST 32

static struct page *pages[MAX_NEST];
static char *maps[MAX_NEST];

static noinline void map_all(int n)
{
	int i;

	for (i = 0; i < n; i++)
		maps[i] = kmap_local_page(pages[i]);
	for (i = n - 1; i >= 0; i--)
		kunmap_local(maps[i]);
}

int main(void)
{
	/* 15 positions (16 with DEBUG_KMAP_LOCAL) */
	int depth = (hmemu_boot_info()->flags & HM_BOOT_DEBUG_KMAP_LOCAL) ? 16 : 15;
	int i;

	for (i = 0; i <= depth; i++)
		pages[i] = alloc_page(GFP_HIGHUSER);
#ifdef FIXED
	map_all(depth);
#else
	map_all(depth + 1);
#endif
	for (i = 0; i <= depth; i++)
		__free_page(pages[i]);
	return 0;
}
