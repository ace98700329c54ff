/* SPDX-License-Identifier: MIT */
/*
 * Folios (include/linux/mm_types.h, page-flags.h, mm.h, gfp.h, highmem*.h
 * parts; v6.1). A folio overlays its head struct page. folio_alloc() makes a
 * compound page as upstream's prep_compound_page() does: PG_head in the head's
 * flags, compound_head (head | 1) in each tail page and the order in the first
 * tail (both in the lru words, which the host does not use). page_folio()
 * follows the tail link only while the head is still a live compound head
 * covering the page. v6.1 has no memcpy_from_folio() (it came in v6.5).
 */
#ifndef _HMEMU_LINUX_MM_TYPES_H
#define _HMEMU_LINUX_MM_TYPES_H

#include <hmemu.h>

#ifndef _HMEMU_LIST_TYPES
#define _HMEMU_LIST_TYPES
struct list_head {
	struct list_head *next, *prev;
};
struct hlist_head {
	struct hlist_node *first;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
#endif

struct folio {
	union {
		struct {
			unsigned long flags;
			unsigned long private;
			atomic_t _refcount;
			atomic_t _mapcount;
			pgoff_t index;
			void *mapping;
			struct list_head lru;
		};
		struct page page;
	};
};
_Static_assert(sizeof(struct folio) == sizeof(struct page), "folio overlays its head page");

#define PG_head		16

static inline bool PageHead(const struct page *page) { return (page->flags >> PG_head) & 1; }

static inline unsigned int __hm_compound_order(const struct page *head)
{
	return (unsigned int)(head[1].lru[1] & 0xff);
}

static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->lru[0]);

	if (unlikely(head & 1)) {
		const struct page *h = (const struct page *)(head - 1);

		if (h < page && PageHead(h) &&
		    (unsigned long)(page - h) < (1UL << __hm_compound_order(h)))
			return (struct page *)h;
	}
	return (struct page *)page;
}

static inline bool PageTail(const struct page *page) { return compound_head(page) != page; }
static inline bool PageCompound(const struct page *page) { return PageHead(page) || PageTail(page); }

#define page_folio(p)		((struct folio *)compound_head(p))
#define folio_page(folio, n)	(&(folio)->page + (n))
#define nth_page(page, n)	((page) + (n))

static inline unsigned int folio_order(const struct folio *folio)
{
	return PageHead(&folio->page) ? __hm_compound_order(&folio->page) : 0;
}
static inline long folio_nr_pages(const struct folio *folio) { return 1L << folio_order(folio); }
static inline size_t folio_size(const struct folio *folio) { return PAGE_SIZE << folio_order(folio); }
static inline unsigned int folio_shift(const struct folio *folio) { return PAGE_SHIFT + folio_order(folio); }
static inline bool folio_test_large(const struct folio *folio) { return PageHead(&folio->page); }
static inline unsigned long folio_pfn(const struct folio *folio) { return page_to_pfn(&folio->page); }
static inline bool folio_test_highmem(const struct folio *folio) { return PageHighMem(&folio->page); }
static inline int folio_ref_count(const struct folio *folio) { return page_ref_count(&folio->page); }
static inline void *folio_address(const struct folio *folio) { return page_address(&folio->page); }
static inline struct folio *virt_to_folio(const void *x) { return page_folio(virt_to_page(x)); }
#define offset_in_folio(folio, p)	((unsigned long)(p) & (folio_size(folio) - 1))

/* prep_compound_page() for order > 0 (the host allocates the block, order-0 pages each). */
static inline struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp | __GFP_COMP, order);
	unsigned long i;

	if (!page)
		return NULL;
	if (order) {
		page->flags |= 1UL << PG_head;
		page[1].lru[1] = order;
		for (i = 1; i < (1UL << order); i++)
			WRITE_ONCE(page[i].lru[0], (unsigned long)page | 1);
	}
	return (struct folio *)page;
}

static inline void folio_get(struct folio *folio) { atomic_inc(&folio->_refcount); }

/* The last reference frees the folio (undoing the compound markers first). */
static inline void folio_put(struct folio *folio)
{
	unsigned int order;
	unsigned long i;

	if (!atomic_dec_and_test(&folio->_refcount))
		return;
	order = folio_order(folio);
	if (order) {
		for (i = 1; i < (1UL << order); i++)
			WRITE_ONCE(folio_page(folio, i)->lru[0], 0);
		folio_page(folio, 1)->lru[1] = 0;
		folio->page.flags &= ~(1UL << PG_head);
	}
	atomic_inc(&folio->_refcount);	/* __free_pages() drops the last reference itself */
	__free_pages(&folio->page, order);
}

/* kmap_local_folio(): the page holding byte offset, mapped with kmap_local_page(). */
static inline void *kmap_local_folio(struct folio *folio, size_t offset)
{
	struct page *page = folio_page(folio, offset / PAGE_SIZE);

	return kmap_local_page(page) + offset % PAGE_SIZE;
}

static inline void folio_zero_segments(struct folio *folio, size_t start1, size_t xend1,
				       size_t start2, size_t xend2)
{
	zero_user_segments(&folio->page, start1, xend1, start2, xend2);
}
static inline void folio_zero_segment(struct folio *folio, size_t start, size_t xend)
{
	zero_user_segments(&folio->page, start, xend, 0, 0);
}
static inline void folio_zero_range(struct folio *folio, size_t start, size_t length)
{
	zero_user_segments(&folio->page, start, start + length, 0, 0);
}
static inline void flush_dcache_folio(struct folio *folio) { (void)folio; }

#endif
