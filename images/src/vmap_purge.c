// SPDX-License-Identifier: MIT
/*
 * vmap()/vunmap() and vmalloc()/vfree() with v6.1's lazy purge, one phase per
 * rule (run it on 1, 2 or 4 CPUs; n = online CPUs):
 *  below_threshold  100 vmap/vunmap of 16 pages: 1700 lazy pages, under
 *                   lazy_max_pages(): no flush, no IPI
 *  unmap_aliases    vm_unmap_aliases(): one purge of the 1700-page union, over
 *                   the 33-page ceiling: a full flush on every CPU (n-1 IPIs)
 *  small_purge      vmap of 4 pages, vunmap, vm_unmap_aliases(): a 5-page range
 *                   (4 + guard), flushed page by page on every CPU (5n INVLPGs)
 *  fill             vmap/vunmap up to, not past, lazy_max_pages(): no flush
 *  cross            one more vunmap passes it: the drain work purges the union
 *                   once with a full flush (n-1 IPIs); nothing stays lazy
 *  vmalloc          vmalloc of 64 KiB (highmem pages), vmalloc_to_page, vfree
 */
#include <linux/highmem.h>
#include <linux/vmalloc.h>
#include <linux/delay.h>

#define NPAGES	16

static int bad;

#define CHECK(cond) do { \
	if (!(cond)) { \
		pr_err("vmap_purge: check failed at line %d: %s\n", __LINE__, #cond); \
		bad++; \
	} \
} while (0)

static struct page *pages[NPAGES];

static void vmap_cycle(unsigned int n, u32 stamp)
{
	u32 *va = vmap(pages, n, VM_MAP, PAGE_KERNEL);

	if (!va) {
		bad++;
		return;
	}
	va[0] = stamp;				/* page 0 */
	va[(n - 1) * PAGE_SIZE / 4] = stamp;	/* the last page */
	vunmap(va);
}

int main(void)
{
	unsigned long lazy_max = lazy_max_pages(), per = NPAGES + 1, k, fill;
	unsigned long first, second;
	u32 *p, *v;
	int i;

	for (i = 0; i < NPAGES; i++)
		pages[i] = alloc_page(GFP_HIGHUSER);
	pr_info("vmap_purge: %u CPUs, lazy_max_pages %lu, vmalloc area %08lx-%08lx\n",
		num_online_cpus(), lazy_max, VMALLOC_START, VMALLOC_END);

	/* the area is handed out from its bottom, one guard page after each */
	v = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	first = (unsigned long)v;
	CHECK(first == VMALLOC_START && is_vmalloc_addr(v) && vmalloc_to_page(v + 1024) == pages[1]);
	v[0] = 0x1234;
	p = kmap_local_page(pages[0]);
	CHECK(p[0] == 0x1234);
	kunmap_local(p);
	vunmap(v);
	v = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	second = (unsigned long)v;
	CHECK(second == first + 3 * PAGE_SIZE);	/* the lazily freed range is not reused */
	vunmap(v);
	vm_unmap_aliases();
	CHECK(hmemu_vmap_lazy_nr() == 0);

	hmemu_mark("below_threshold");
	for (k = 0; k < 100; k++)
		vmap_cycle(NPAGES, k);
	CHECK(hmemu_vmap_lazy_nr() == 100 * per);

	hmemu_mark("unmap_aliases");
	vm_unmap_aliases();
	CHECK(hmemu_vmap_lazy_nr() == 0);

	hmemu_mark("small_purge");
	vmap_cycle(4, 7);
	vm_unmap_aliases();

	/* fill: the most vunmaps that stay at or under lazy_max_pages() */
	fill = lazy_max / per;
	hmemu_mark("fill");
	for (k = 0; k < fill; k++)
		vmap_cycle(NPAGES, k);
	CHECK(hmemu_vmap_lazy_nr() == fill * per && hmemu_vmap_lazy_nr() <= lazy_max);

	hmemu_mark("cross");
	vmap_cycle(NPAGES, 0xc055);		/* lazy pages > lazy_max_pages(): schedule_work */
	msleep(4);				/* the drain work runs meanwhile */
	CHECK(hmemu_vmap_lazy_nr() == 0);

	hmemu_mark("vmalloc");
	v = vmalloc(64 * 1024);
	CHECK(v != NULL && is_vmalloc_addr(v) && PageHighMem(vmalloc_to_page(v)));
	if (v) {
		for (i = 0; i < 16384; i++)
			v[i] = i;
		p = kmap_local_page(vmalloc_to_page(v + 5 * 1024));
		CHECK(p[7] == 5 * 1024 + 7);
		kunmap_local(p);
	}
	vfree(v);
	hmemu_mark("end");
	vm_unmap_aliases();

	for (i = 0; i < NPAGES; i++)
		__free_page(pages[i]);
	pr_info("vmap_purge: fill %lu vunmaps of %lu pages: %s\n", fill, per, bad ? "FAIL" : "OK");
	return bad;
}
