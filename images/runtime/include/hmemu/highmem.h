/* SPDX-License-Identifier: MIT */
/*
 * Highmem mappings (include/linux/highmem.h, highmem-internal.h).
 *
 * kmap/kunmap, kmap_local_page/kunmap_local and kmap_atomic/kunmap_atomic are
 * single hypercalls: the host implements them whole (might_sleep, the lowmem
 * shortcut, pkmap slots, the per-task kmap_local stack, preempt and pagefault
 * accounting). The helpers below are guest code with upstream's structure:
 * one kmap_local_page per page, the work done with guest memcpy/memset,
 * unmapped in LIFO order.
 */
#ifndef _HMEMU_HIGHMEM_H
#define _HMEMU_HIGHMEM_H

#include <hmemu/types.h>
#include <hmemu/kernel.h>
#include <hmemu/hcall.h>
#include <hmemu/bug.h>
#include <hmemu/string.h>
#include <hmemu/mm.h>

/* --- persistent kmaps ---------------------------------------------------- */

/* May sleep until a pkmap slot is free. Lowmem: page_address(page). */
static inline void *kmap(struct page *page)
{
	return (void *)hm_hcall1(HC_KMAP, page);
}

static inline void kunmap(struct page *page)
{
	hm_hcall1(HC_KUNMAP, page);
}

/* Frees every unused (count 1) pkmap slot now, flushing the TLBs. */
static inline void kmap_flush_unused(void)
{
	hm_hcall0(HC_KMAP_FLUSH_UNUSED);
}

static inline struct page *kmap_to_page(void *addr)
{
	return (struct page *)hm_hcall1(HC_KMAP_TO_PAGE, addr);
}

/* --- local and atomic kmaps ---------------------------------------------- */

/* A CPU-local, task-local mapping; preemption stays enabled, migration off. */
static inline void *kmap_local_page(struct page *page)
{
	return (void *)hm_hcall1(HC_KMAP_LOCAL_PAGE, page);
}

static inline void *kmap_local_pfn(unsigned long pfn)
{
	return kmap_local_page(pfn_to_page(pfn));
}

static inline void kunmap_local_indexed(const void *vaddr)
{
	hm_hcall1(HC_KUNMAP_LOCAL, vaddr);
}

/* Takes the mapped address. Passing the struct page is a build error. */
#define kunmap_local(__addr) do { \
	_Static_assert(!__same_type((__addr), struct page *), \
		       "kunmap_local() takes the address from kmap_local_page(), not the page"); \
	kunmap_local_indexed((const void *)(__addr)); \
} while (0)

/* preempt_disable + pagefault_disable + kmap_local_page, even for lowmem. */
static inline void *kmap_atomic(struct page *page)
{
	return (void *)hm_hcall1(HC_KMAP_ATOMIC, page);
}

static inline void *kmap_atomic_pfn(unsigned long pfn)
{
	return kmap_atomic(pfn_to_page(pfn));
}

static inline void __kunmap_atomic(const void *addr)
{
	hm_hcall1(HC_KUNMAP_ATOMIC, addr);
}

#define kunmap_atomic(__addr) do { \
	_Static_assert(!__same_type((__addr), struct page *), \
		       "kunmap_atomic() takes the address from kmap_atomic(), not the page"); \
	__kunmap_atomic((const void *)(__addr)); \
} while (0)

/* --- helpers -------------------------------------------------------------- */

/* x86 caches are coherent. */
static inline void flush_dcache_page(struct page *page) { (void)page; }
static inline void flush_kernel_vmap_range(void *vaddr, int size) { (void)vaddr; (void)size; }
static inline void invalidate_kernel_vmap_range(void *vaddr, int size) { (void)vaddr; (void)size; }

static inline void clear_page(void *page) { memset(page, 0, PAGE_SIZE); }
static inline void copy_page(void *to, void *from) { memcpy(to, from, PAGE_SIZE); }

static inline void clear_highpage(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	clear_page(kaddr);
	kunmap_local(kaddr);
}

static inline void copy_highpage(struct page *to, struct page *from)
{
	char *vfrom, *vto;

	vfrom = kmap_local_page(from);
	vto = kmap_local_page(to);
	copy_page(vto, vfrom);
	kunmap_local(vto);
	kunmap_local(vfrom);
}

static inline void memcpy_page(struct page *dst_page, size_t dst_off,
			       struct page *src_page, size_t src_off, size_t len)
{
	char *dst = kmap_local_page(dst_page);
	char *src = kmap_local_page(src_page);

	__HM_BUG_ON_AT("include/linux/highmem.h", 371, dst_off + len > PAGE_SIZE || src_off + len > PAGE_SIZE);
	memcpy(dst + dst_off, src + src_off, len);
	kunmap_local(src);
	kunmap_local(dst);
}

static inline void memmove_page(struct page *dst_page, size_t dst_off,
				struct page *src_page, size_t src_off, size_t len)
{
	char *dst = kmap_local_page(dst_page);
	char *src = kmap_local_page(src_page);

	VM_BUG_ON(dst_off + len > PAGE_SIZE || src_off + len > PAGE_SIZE);
	memmove(dst + dst_off, src + src_off, len);
	kunmap_local(src);
	kunmap_local(dst);
}

static inline void memset_page(struct page *page, size_t offset, int val, size_t len)
{
	char *addr = kmap_local_page(page);

	__HM_BUG_ON_AT("include/linux/highmem.h", 382, offset + len > PAGE_SIZE);
	memset(addr + offset, val, len);
	kunmap_local(addr);
}

static inline void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len)
{
	char *from = kmap_local_page(page);

	__HM_BUG_ON_AT("include/linux/highmem.h", 392, offset + len > PAGE_SIZE);
	memcpy(to, from + offset, len);
	kunmap_local(from);
}

static inline void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len)
{
	char *to = kmap_local_page(page);

	__HM_BUG_ON_AT("include/linux/highmem.h", 402, offset + len > PAGE_SIZE);
	memcpy(to + offset, from, len);
	flush_dcache_page(page);
	kunmap_local(to);
}

static inline void memzero_page(struct page *page, size_t offset, size_t len)
{
	char *addr = kmap_local_page(page);

	__HM_BUG_ON_AT("include/linux/highmem.h", 412, offset + len > PAGE_SIZE);
	memset(addr + offset, 0, len);
	flush_dcache_page(page);
	kunmap_local(addr);
}

/* CONFIG_HIGHMEM: out of line (runtime/highmem.c), mapping only touched pages. */
void zero_user_segments(struct page *page, unsigned int start1, unsigned int end1,
			unsigned int start2, unsigned int end2);

static inline void zero_user_segment(struct page *page, unsigned int start, unsigned int end)
{
	zero_user_segments(page, start, end, 0, 0);
}

static inline void zero_user(struct page *page, unsigned int start, unsigned int size)
{
	zero_user_segments(page, start, start + size, 0, 0);
}

#endif
