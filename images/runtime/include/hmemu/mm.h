/* SPDX-License-Identifier: MIT */
/*
 * Pages, GFP flags and slabs (include/linux/mm.h, gfp_types.h, slab.h, page.h).
 *
 * The page array (mem_map) lives in guest lowmem and is owned by the host;
 * pfn = page - mem_map. Lowmem addresses are computed here from the direct
 * map; everything that needs allocator or highmem state is a hypercall.
 */
#ifndef _HMEMU_MM_H
#define _HMEMU_MM_H

#include <hmemu/types.h>
#include <hmemu/kernel.h>
#include <hmemu/hcall.h>
#include <hmemu/core.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_OFFSET	0xC0000000UL
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define TASK_SIZE		PAGE_OFFSET
#define TASK_SIZE_MAX		TASK_SIZE

/* Layout fixed by the host (it reads these offsets): 32 bytes. */
struct page {
	unsigned long flags;
	unsigned long private;
	int _refcount;
	int _mapcount;
	unsigned long index;
	void *mapping;
	unsigned long lru[2];
};
_Static_assert(sizeof(struct page) == 32, "struct page is 32 bytes");

/* GFP bits as in include/linux/gfp_types.h (v6.1). */
#define __GFP_DMA		0x01u
#define __GFP_HIGHMEM		0x02u
#define __GFP_DMA32		0x04u
#define __GFP_MOVABLE		0x08u
#define __GFP_RECLAIMABLE	0x10u
#define __GFP_HIGH		0x20u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_ATOMIC		0x200u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define __GFP_NOWARN		0x2000u
#define __GFP_RETRY_MAYFAIL	0x4000u
#define __GFP_NOFAIL		0x8000u
#define __GFP_NORETRY		0x10000u
#define __GFP_COMP		0x40000u
#define __GFP_HARDWALL		0x100000u
#define __GFP_ACCOUNT		0x400000u

#define GFP_ATOMIC		(__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)	/* 0xa20 */
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)		/* 0xcc0 */
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)			/* 0xc40 */
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)

_Static_assert(GFP_KERNEL == 0xcc0 && GFP_NOFS == 0xc40 && GFP_ATOMIC == 0xa20,
	       "GFP values");

/* mem_map and the lowmem limit come from the boot information. */
static inline struct page *__hm_mem_map(void)
{
	return (struct page *)hmemu_boot_info()->mem_map;
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - __hm_mem_map());
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return __hm_mem_map() + pfn;
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < hmemu_boot_info()->max_pfn;
}

#define __pa(x)			((unsigned long)(x) - PAGE_OFFSET)
#define __va(x)			((void *)((unsigned long)(x) + PAGE_OFFSET))
#define __pa_symbol(x)		__pa(x)
#define virt_to_phys(x)		((phys_addr_t)__pa(x))
#define phys_to_virt(x)		__va(x)
#define PFN_PHYS(pfn)		((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(pa)		((unsigned long)((pa) >> PAGE_SHIFT))
#define page_to_phys(page)	PFN_PHYS(page_to_pfn(page))
#define virt_to_pfn(addr)	(__pa(addr) >> PAGE_SHIFT)

/* Lowmem direct map only: no highmem or pkmap/fixmap addresses. */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}

static inline bool PageHighMem(const struct page *page)
{
	return page_to_pfn(page) >= hmemu_boot_info()->max_low_pfn;
}

static inline void *lowmem_page_address(const struct page *page)
{
	return (void *)(PAGE_OFFSET + (page_to_pfn(page) << PAGE_SHIFT));
}
#define page_to_virt(page)	lowmem_page_address(page)

/*
 * page_address(): the direct-map address for lowmem; for highmem the host's
 * pkmap hash (HC_PAGE_ADDRESS), NULL unless the page holds a kmap() slot.
 */
static inline void *page_address(const struct page *page)
{
	if (!PageHighMem(page))
		return lowmem_page_address(page);
	return (void *)hm_hcall1(HC_PAGE_ADDRESS, page);
}

/* Compound pages are not tracked: every page is its own head. */
static inline unsigned long compound_nr(const struct page *page) { (void)page; return 1; }
static inline size_t page_size(const struct page *page) { (void)page; return PAGE_SIZE; }
#define page_private(page)		((page)->private)
#define set_page_private(page, v)	((page)->private = (v))
static inline int page_ref_count(const struct page *page) { return READ_ONCE(page->_refcount); }
#define page_count(page)		page_ref_count(page)

/* The page allocator (HC_ALLOC_PAGES/HC_FREE_PAGES; the host honours __GFP_ZERO). */
static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return (struct page *)hm_hcall2(HC_ALLOC_PAGES, gfp, order);
}
#define alloc_page(gfp)		alloc_pages(gfp, 0)

static inline void __free_pages(struct page *page, unsigned int order)
{
	hm_hcall2(HC_FREE_PAGES, page, order);
}
#define __free_page(page)	__free_pages((page), 0)

static inline unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)lowmem_page_address(page) : 0;
}
#define __get_free_page(gfp)	__get_free_pages((gfp), 0)
#define get_zeroed_page(gfp)	__get_free_pages((gfp) | __GFP_ZERO, 0)

static inline void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}
#define free_page(addr)		free_pages((addr), 0)

/* Slabs (HC_KMALLOC/HC_KFREE; the host honours __GFP_ZERO). */
static inline void *kmalloc(size_t size, gfp_t gfp)
{
	return (void *)hm_hcall2(HC_KMALLOC, size, gfp);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

static inline void kfree(const void *ptr)
{
	if (ptr)
		hm_hcall1(HC_KFREE, ptr);
}

#endif
