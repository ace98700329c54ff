// SPDX-License-Identifier: MIT
/*
 * vmap/vmalloc with v6.1's lazy freeing (mm/vmalloc.c). The busy, free and
 * purge lists are sorted by address; free and purge ranges merge with their
 * neighbours. See <linux/vmalloc.h>.
 */
#include <hmemu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>
#include <linux/bitops.h>

#define VMALLOC_C	"mm/vmalloc.c"
#ifndef ULONG_MAX
#define ULONG_MAX	(~0UL)
#endif

struct vmap_area {
	unsigned long va_start;
	unsigned long va_end;
	struct list_head list;		/* address sorted */
	struct vm_struct *vm;
};

unsigned long __hm_vmalloc_start, __hm_vmalloc_end;

static DEFINE_SPINLOCK(vmap_area_lock);
static LIST_HEAD(vmap_area_list);		/* busy */
static DEFINE_SPINLOCK(free_vmap_area_lock);
static LIST_HEAD(free_vmap_area_list);
static DEFINE_SPINLOCK(purge_vmap_area_lock);
static LIST_HEAD(purge_vmap_area_list);
static DEFINE_MUTEX(vmap_purge_lock);
static atomic_t vmap_lazy_nr = ATOMIC_INIT(0);
static void drain_vmap_area_work(struct work_struct *work);
static DECLARE_WORK(drain_vmap_work, drain_vmap_area_work);

void __hm_vmalloc_info(void)
{
	unsigned long info[2];
	struct vmap_area *va;

	hm_hcall1(HC_VMALLOC_INFO, info);
	spin_lock(&free_vmap_area_lock);
	if (!__hm_vmalloc_start) {
		va = kzalloc(sizeof(*va), GFP_ATOMIC);
		BUG_ON(!va);
		va->va_start = info[0];
		va->va_end = info[1];
		list_add(&va->list, &free_vmap_area_list);
		__hm_vmalloc_end = info[1];
		WRITE_ONCE(__hm_vmalloc_start, info[0]);
	}
	spin_unlock(&free_vmap_area_lock);
}

unsigned long lazy_max_pages(void)
{
	unsigned int log = fls(num_online_cpus());

	return log * (32UL * 1024 * 1024 / PAGE_SIZE);
}

unsigned long hmemu_vmap_lazy_nr(void)
{
	return atomic_read(&vmap_lazy_nr);
}

/* Inserts va into an address-sorted list, merging with touching neighbours (merge_or_add_vmap_area). */
static struct vmap_area *merge_or_add_vmap_area(struct vmap_area *va, struct list_head *head)
{
	struct vmap_area *pos, *prev = NULL, *next = NULL;

	list_for_each_entry(pos, head, list) {
		if (pos->va_start >= va->va_end) {
			next = pos;
			break;
		}
		prev = pos;
	}
	if (next && next->va_start == va->va_end) {
		next->va_start = va->va_start;
		kfree(va);
		va = next;
		if (prev && prev->va_end == va->va_start) {
			prev->va_end = va->va_end;
			list_del(&va->list);
			kfree(va);
			va = prev;
		}
		return va;
	}
	if (prev && prev->va_end == va->va_start) {
		prev->va_end = va->va_end;
		kfree(va);
		return prev;
	}
	list_add_tail(&va->list, next ? &next->list : head);
	return va;
}

static void insert_sorted(struct vmap_area *va, struct list_head *head)
{
	struct vmap_area *pos;

	list_for_each_entry(pos, head, list)
		if (pos->va_start > va->va_start)
			break;
	list_add_tail(&va->list, &pos->list);
}

/* The lowest free range that fits (the augmented tree's first fit); 0 if none. */
static unsigned long find_and_clip(unsigned long size, unsigned long align)
{
	struct vmap_area *va;
	unsigned long start;

	list_for_each_entry(va, &free_vmap_area_list, list) {
		start = ALIGN(va->va_start, align);
		if (start < va->va_start || start + size > va->va_end || start + size < start)
			continue;
		if (start > va->va_start) {
			struct vmap_area *lo = kzalloc(sizeof(*lo), GFP_ATOMIC);

			if (!lo)
				return 0;
			lo->va_start = va->va_start;
			lo->va_end = start;
			list_add_tail(&lo->list, &va->list);
		}
		va->va_start = start + size;
		if (va->va_start == va->va_end) {
			list_del(&va->list);
			kfree(va);
		}
		return start;
	}
	return 0;
}

static bool __purge_vmap_area_lazy(unsigned long start, unsigned long end)
{
	struct list_head local_purge_list;
	struct vmap_area *va, *n_va;

	spin_lock(&purge_vmap_area_lock);
	INIT_LIST_HEAD(&local_purge_list);
	list_splice_init(&purge_vmap_area_list, &local_purge_list);
	spin_unlock(&purge_vmap_area_lock);

	if (unlikely(list_empty(&local_purge_list)))
		return false;

	start = min(start, list_first_entry(&local_purge_list, struct vmap_area, list)->va_start);
	end = max(end, list_last_entry(&local_purge_list, struct vmap_area, list)->va_end);

	flush_tlb_kernel_range(start, end);

	spin_lock(&free_vmap_area_lock);
	list_for_each_entry_safe(va, n_va, &local_purge_list, list) {
		unsigned long nr = (va->va_end - va->va_start) >> PAGE_SHIFT;

		list_del(&va->list);
		merge_or_add_vmap_area(va, &free_vmap_area_list);
		atomic_sub(nr, &vmap_lazy_nr);
	}
	spin_unlock(&free_vmap_area_lock);
	return true;
}

static void purge_vmap_area_lazy(void)
{
	mutex_lock(&vmap_purge_lock);
	__purge_vmap_area_lazy(ULONG_MAX, 0);
	mutex_unlock(&vmap_purge_lock);
}

static void drain_vmap_area_work(struct work_struct *work)
{
	unsigned long nr_lazy;

	(void)work;
	do {
		mutex_lock(&vmap_purge_lock);
		__purge_vmap_area_lazy(ULONG_MAX, 0);
		mutex_unlock(&vmap_purge_lock);
		nr_lazy = atomic_read(&vmap_lazy_nr);
	} while (nr_lazy > lazy_max_pages());
}

static struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align)
{
	struct vmap_area *va = kzalloc(sizeof(*va), GFP_KERNEL);
	unsigned long addr;
	bool purged = false;

	if (!va)
		return NULL;
	(void)VMALLOC_START;	/* the free list starts as the whole area */
retry:
	spin_lock(&free_vmap_area_lock);
	addr = find_and_clip(size, align);
	spin_unlock(&free_vmap_area_lock);
	if (!addr) {
		if (!purged) {
			purge_vmap_area_lazy();
			purged = true;
			goto retry;
		}
		pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n", size);
		kfree(va);
		return NULL;
	}
	va->va_start = addr;
	va->va_end = addr + size;
	spin_lock(&vmap_area_lock);
	insert_sorted(va, &vmap_area_list);
	spin_unlock(&vmap_area_lock);
	return va;
}

/* free_vmap_area_noflush(): onto the purge list; past the lazy limit, the drain work runs. */
static void free_vmap_area_noflush(struct vmap_area *va)
{
	unsigned long nr_lazy;

	spin_lock(&vmap_area_lock);
	list_del(&va->list);
	spin_unlock(&vmap_area_lock);

	nr_lazy = atomic_add_return((va->va_end - va->va_start) >> PAGE_SHIFT, &vmap_lazy_nr);

	spin_lock(&purge_vmap_area_lock);
	merge_or_add_vmap_area(va, &purge_vmap_area_list);
	spin_unlock(&purge_vmap_area_lock);

	if (unlikely(nr_lazy > lazy_max_pages()))
		schedule_work(&drain_vmap_work);
}

static struct vmap_area *find_vmap_area(unsigned long addr)
{
	struct vmap_area *va, *found = NULL;

	spin_lock(&vmap_area_lock);
	list_for_each_entry(va, &vmap_area_list, list) {
		if (addr >= va->va_start && addr < va->va_end) {
			found = va;
			break;
		}
	}
	spin_unlock(&vmap_area_lock);
	return found;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va = find_vmap_area((unsigned long)addr);

	return va ? va->vm : NULL;
}

/* get_vm_area_caller(): the area plus one guard page. */
static struct vm_struct *get_vm_area(unsigned long size, unsigned long flags, const void *caller)
{
	struct vm_struct *area = kzalloc(sizeof(*area), GFP_KERNEL);
	struct vmap_area *va;

	if (!area)
		return NULL;
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	va = alloc_vmap_area(size, PAGE_SIZE);
	if (!va) {
		kfree(area);
		return NULL;
	}
	area->addr = (void *)va->va_start;
	area->size = size;
	area->flags = flags;
	area->caller = caller;
	va->vm = area;
	return area;
}

static void free_unmap_vmap_area(struct vmap_area *va)
{
	hm_hcall2(HC_VUNMAP_RANGE_NOFLUSH, va->va_start, va->va_end);
	free_vmap_area_noflush(va);
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	struct vm_struct *area;

	(void)prot;
	__might_sleep(VMALLOC_C, 2907);
	if (WARN_ON_ONCE(flags & VM_NO_GUARD))
		flags &= ~VM_NO_GUARD;
	if (count == 0 || count > hmemu_boot_info()->max_pfn)
		return NULL;
	area = get_vm_area((unsigned long)count << PAGE_SHIFT, flags | VM_MAP, __builtin_return_address(0));
	if (!area)
		return NULL;
	if (hm_hcall3(HC_VMAP_PAGES_RANGE, area->addr, pages, count) < 0) {
		vunmap(area->addr);
		return NULL;
	}
	if (flags & VM_MAP_PUT_PAGES) {
		area->pages = pages;
		area->nr_pages = count;
	} else {
		/* vmalloc_to_page() of a vmap'ed address: our copy of the page list */
		area->__hm_map = kmalloc_array(count, sizeof(struct page *), GFP_KERNEL);
		if (area->__hm_map)
			memcpy(area->__hm_map, pages, count * sizeof(struct page *));
		area->__hm_nr_map = count;
	}
	return area->addr;
}

static void __vunmap(const void *addr, int deallocate_pages)
{
	struct vmap_area *va;
	struct vm_struct *area;
	unsigned int i;

	if (!addr)
		return;
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)\n", addr))
		return;
	va = find_vmap_area((unsigned long)addr);
	if (unlikely(!va || va->va_start != (unsigned long)addr)) {
		WARN(1, KERN_ERR "Trying to vfree() nonexistent vm area (%p)\n", addr);
		return;
	}
	area = va->vm;
	free_unmap_vmap_area(va);
	if (deallocate_pages || (area->flags & VM_MAP_PUT_PAGES)) {
		for (i = 0; i < area->nr_pages; i++)
			__free_page(area->pages[i]);
		kfree(area->pages);
	}
	kfree(area->__hm_map);
	kfree(area);
}

void vunmap(const void *addr)
{
	BUG_ON(in_interrupt());
	__might_sleep(VMALLOC_C, 2879);
	if (addr)
		__vunmap(addr, 0);
}

void vfree(const void *addr)
{
	if (!in_interrupt())
		__might_sleep(VMALLOC_C, 2858);
	if (!addr)
		return;
	__vunmap(addr, 1);
}

void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	struct vm_struct *area;
	unsigned int nr, i;

	size = PAGE_ALIGN(size);
	if (!size || (size >> PAGE_SHIFT) > hmemu_boot_info()->max_pfn)
		return NULL;
	nr = size >> PAGE_SHIFT;
	area = get_vm_area(size, VM_ALLOC, __builtin_return_address(0));
	if (!area)
		return NULL;
	area->pages = kcalloc(nr, sizeof(struct page *), GFP_KERNEL);
	if (!area->pages)
		goto fail;
	if (!(gfp_mask & (GFP_DMA | GFP_DMA32)))
		gfp_mask |= __GFP_HIGHMEM;
	for (i = 0; i < nr; i++) {
		area->pages[i] = alloc_page(gfp_mask);
		if (!area->pages[i])
			goto fail;
		area->nr_pages++;
	}
	if (hm_hcall3(HC_VMAP_PAGES_RANGE, area->addr, area->pages, nr) < 0)
		goto fail;
	return area->addr;
fail:
	pr_warn("vmalloc error: size %lu, failed to allocate pages\n", size);
	__vunmap(area->addr, 1);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL);
}

void *vzalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO);
}

void *vmalloc_array(size_t n, size_t size)
{
	if (size && n > ~0UL / size)
		return NULL;
	return vmalloc(n * size);
}

void *vcalloc(size_t n, size_t size)
{
	if (size && n > ~0UL / size)
		return NULL;
	return vzalloc(n * size);
}

void vm_unmap_aliases(void)
{
	__might_sleep(VMALLOC_C, 2214);
	mutex_lock(&vmap_purge_lock);
	__purge_vmap_area_lazy(ULONG_MAX, 0);
	mutex_unlock(&vmap_purge_lock);
}

struct page *vmalloc_to_page(const void *addr)
{
	struct vmap_area *va = find_vmap_area((unsigned long)addr);
	unsigned long idx;

	if (!va || !va->vm)
		return NULL;
	idx = ((unsigned long)addr - va->va_start) >> PAGE_SHIFT;
	if (va->vm->pages)
		return idx < va->vm->nr_pages ? va->vm->pages[idx] : NULL;
	if (va->vm->__hm_map)
		return idx < va->vm->__hm_nr_map ? va->vm->__hm_map[idx] : NULL;
	return NULL;
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	return page_to_pfn(vmalloc_to_page(addr));
}
