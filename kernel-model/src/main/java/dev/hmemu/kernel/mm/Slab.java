package dev.hmemu.kernel.mm;

import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.PhysicalMemory;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * kmalloc/kfree (mm/slab_common.c, the kmalloc caches of mm/slub.c), deterministic and
 * simple: one cache per size class (8 .. 4096, with 96 and 192 as in kmalloc_info[]),
 * each carving lowmem pages (PG_slab) bump-wise and reusing freed objects last-in
 * first-out; sizes above 4096 are kmalloc_large() page blocks.
 *
 * <p>Invariants: {@code live} holds exactly the objects handed out and not freed; a slab
 * page belongs to one class for good.
 */
final class Slab {
    /** KMALLOC_MAX_CACHE_SIZE on x86 with SLUB (PAGE_SIZE * 2 upstream; one page here). */
    static final int KMALLOC_MAX_CACHE_SIZE = 4096;
    /** ZERO_SIZE_PTR: what kmalloc(0) returns. */
    static final long ZERO_SIZE_PTR = 16;
    private static final int[] SIZES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096};

    private final PageAllocator pages;
    private final MemMap memMap;
    private final PhysicalMemory phys;
    private final long[] cursor = new long[SIZES.length];
    private final long[] limit = new long[SIZES.length];
    private final ArrayDeque<Long>[] freeList;
    private final Map<Long, Integer> objectClass = new HashMap<>();
    private final Map<Long, Integer> largeOrder = new HashMap<>();
    private final Set<Long> live = new HashSet<>();

    @SuppressWarnings("unchecked")
    Slab(PageAllocator pages, MemMap memMap, PhysicalMemory phys) {
        this.pages = pages;
        this.memMap = memMap;
        this.phys = phys;
        this.freeList = new ArrayDeque[SIZES.length];
        for (int i = 0; i < SIZES.length; i++) {
            freeList[i] = new ArrayDeque<>();
        }
    }

    /** kmalloc_index(): the smallest class holding {@code size}, or -1 for kmalloc_large. */
    static int kmallocIndex(long size) {
        for (int i = 0; i < SIZES.length; i++) {
            if (size <= SIZES[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * __kmalloc(): a lowmem object of at least {@code size} bytes; zeroed with
     * __GFP_ZERO. Returns ZERO_SIZE_PTR for 0 and 0 (NULL) when memory is exhausted or
     * {@code size} exceeds the largest block.
     */
    long kmalloc(long size, int gfp) {
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        int idx = kmallocIndex(size);
        long va = idx < 0 ? kmallocLarge(size) : allocObject(idx);
        if (va == 0) {
            return 0;
        }
        live.add(va);
        if ((gfp & PageAllocator.__GFP_ZERO) != 0) {
            long n = idx < 0 ? Layout.PAGE_SIZE << largeOrder.get(va) : SIZES[idx];
            phys.fill(Layout.pa(va), n, (byte) 0);
        }
        return va;
    }

    /**
     * kfree(): NULL and ZERO_SIZE_PTR are ignored.
     *
     * @return null, or why {@code va} cannot be freed (double free or not from kmalloc)
     */
    String kfree(long va) {
        va &= 0xFFFFFFFFL;
        if (va <= ZERO_SIZE_PTR) {
            return null;
        }
        if (!live.remove(va)) {
            return String.format("kfree(%08x): not an allocated kmalloc object (double free or bad pointer)", va);
        }
        Integer order = largeOrder.remove(va);
        if (order != null) {
            String bad = pages.freePages(Layout.pa(va) >>> Layout.PAGE_SHIFT, order);
            if (bad != null) {
                throw new IllegalStateException("kmalloc_large page: " + bad);
            }
            return null;
        }
        freeList[objectClass.get(va)].push(va);
        return null;
    }

    /** Objects handed out and not freed. */
    int liveObjects() {
        return live.size();
    }

    private long allocObject(int idx) {
        Long reuse = freeList[idx].poll();
        if (reuse != null) {
            return reuse;
        }
        if (cursor[idx] == limit[idx]) {
            long pfn = pages.allocPages(PageAllocator.GFP_KERNEL, 0);
            if (pfn < 0) {
                return 0;
            }
            memMap.setFlag(pfn, MemMap.PG_SLAB, true);
            cursor[idx] = Layout.va(pfn << Layout.PAGE_SHIFT);
            limit[idx] = cursor[idx] + Layout.PAGE_SIZE - Layout.PAGE_SIZE % SIZES[idx];
        }
        long va = cursor[idx];
        cursor[idx] += SIZES[idx];
        objectClass.put(va, idx);
        return va;
    }

    /** kmalloc_large(): whole pages of order get_order(size). */
    private long kmallocLarge(long size) {
        int order = 0;
        while ((Layout.PAGE_SIZE << order) < size) {
            order++;
        }
        long pfn = pages.allocPages(PageAllocator.GFP_KERNEL, order);
        if (pfn < 0) {
            return 0;
        }
        long va = Layout.va(pfn << Layout.PAGE_SHIFT);
        largeOrder.put(va, order);
        return va;
    }
}
