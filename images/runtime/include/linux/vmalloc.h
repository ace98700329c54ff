/* SPDX-License-Identifier: MIT */
/*
 * Virtually contiguous mappings in the vmalloc area (include/linux/vmalloc.h,
 * mm/vmalloc.c; v6.1).
 *
 * vmap()/vmalloc() take the lowest free range of [VMALLOC_START, VMALLOC_END)
 * that fits the size plus one guard page. vunmap()/vfree() clear the PTEs
 * without a TLB flush and put the range on the lazy-purge list: it is not
 * reused until a purge. Once the lazily freed pages exceed lazy_max_pages()
 * (fls(num_online_cpus()) * 32 MiB of pages) the drain work runs
 * __purge_vmap_area_lazy(), which flushes the union of all lazy ranges with one
 * flush_tlb_kernel_range(): page by page (INVLPG through an IPI on every CPU)
 * up to tlb_single_page_flush_ceiling (33) pages, a full flush on every CPU
 * above. vm_unmap_aliases() purges at once; an allocation that does not fit
 * purges and retries. runtime/lib/vmalloc.c; the PTEs and the flush are the
 * host's (HC_VMAP_PAGES_RANGE, HC_VUNMAP_RANGE_NOFLUSH, HC_FLUSH_TLB_KERNEL_RANGE).
 */
#ifndef _HMEMU_LINUX_VMALLOC_H
#define _HMEMU_LINUX_VMALLOC_H

#include <hmemu.h>

#define VM_IOREMAP		0x00000001
#define VM_ALLOC		0x00000002
#define VM_MAP			0x00000004
#define VM_USERMAP		0x00000008
#define VM_DMA_COHERENT		0x00000010
#define VM_UNINITIALIZED	0x00000020
#define VM_NO_GUARD		0x00000040
#define VM_KASAN		0x00000080
#define VM_FLUSH_RESET_PERMS	0x00000100
#define VM_MAP_PUT_PAGES	0x00000200

typedef struct { unsigned long long pgprot; } pgprot_t;
#define __pgprot(x)		((pgprot_t) { (x) })
#define pgprot_val(x)		((x).pgprot)
/* __PAGE_KERNEL with PAE: present, RW, accessed, dirty, global, NX (the host uses its own PAGE_KERNEL). */
#define PAGE_KERNEL		__pgprot(0x8000000000000163ULL)

struct vm_struct {
	struct vm_struct *next;
	void *addr;
	unsigned long size;	/* including the guard page */
	unsigned long flags;
	struct page **pages;
	unsigned int nr_pages;
	phys_addr_t phys_addr;
	const void *caller;
	struct page **__hm_map;		/* vmap(): a copy of the pages, for vmalloc_to_page() */
	unsigned int __hm_nr_map;
};

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *__vmalloc(unsigned long size, gfp_t gfp_mask);
void *vmalloc_array(size_t n, size_t size);
void *vcalloc(size_t n, size_t size);
void vfree(const void *addr);
void vm_unmap_aliases(void);
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
struct vm_struct *find_vm_area(const void *addr);

/* The host's vmalloc area, fetched once (HC_VMALLOC_INFO). */
extern unsigned long __hm_vmalloc_start, __hm_vmalloc_end;
void __hm_vmalloc_info(void);
static inline unsigned long __hm_vmalloc_bound(bool end)
{
	if (unlikely(!__hm_vmalloc_start))
		__hm_vmalloc_info();
	return end ? __hm_vmalloc_end : __hm_vmalloc_start;
}
#define VMALLOC_START	__hm_vmalloc_bound(false)
#define VMALLOC_END	__hm_vmalloc_bound(true)

static inline bool is_vmalloc_addr(const void *x)
{
	unsigned long addr = (unsigned long)x;

	return addr >= VMALLOC_START && addr < VMALLOC_END;
}

/* lazy_max_pages() (mm/vmalloc.c): fls(num_online_cpus()) * (32 MiB / PAGE_SIZE). */
unsigned long lazy_max_pages(void);
/* The pages freed lazily and not purged yet (vmap_lazy_nr), for tests. */
unsigned long hmemu_vmap_lazy_nr(void);

/* asm/tlbflush.h */
static inline void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	hm_hcall2(HC_FLUSH_TLB_KERNEL_RANGE, start, end);
}

#endif
