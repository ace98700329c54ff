package dev.hmemu.kernel.mm;

import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;

import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.AccessType;
import java.util.Map;
import java.util.TreeMap;

/**
 * User memory for the guest's uaccess tests (hmemu_user_alloc; a stand-in for
 * mmap(MAP_ANONYMOUS) and do_anonymous_page in mm/memory.c).
 *
 * <p>Regions are handed out upwards from 0x08000000, page aligned, with one unmapped guard
 * page between neighbours, and stay below TASK_SIZE (PAGE_OFFSET). Nothing is mapped until
 * touched: the first fault on a page maps a fresh zeroed page (GFP_HIGHUSER: highmem
 * first) with P|RW|U; the CPU sets A and D itself.
 */
final class UserSpace {
    static final long USER_BASE = 0x08000000L;
    private static final long USER_PROT = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER;

    private final KernelPageTables tables;
    private final PageAllocator pages;
    private final TreeMap<Long, Long> regions = new TreeMap<>();
    private long next = USER_BASE;
    private long mapped;

    UserSpace(KernelPageTables tables, PageAllocator pages) {
        this.tables = tables;
        this.pages = pages;
    }

    /** hmemu_user_alloc(len): the start of a new region, or 0 when {@code len} is 0 or does not fit. */
    long userAlloc(long len) {
        if (len <= 0) {
            return 0;
        }
        long size = BootMem.align(len, Layout.PAGE_SIZE);
        if (next + size > Layout.PAGE_OFFSET) {
            return 0;
        }
        long start = next;
        regions.put(start, start + size);
        next = start + size + Layout.PAGE_SIZE;
        return start;
    }

    /** Whether every byte of [va, va + len) lies in regions (len 0 counts as one byte). */
    boolean isUserRegion(long va, long len) {
        long end = va + Math.max(len, 1);
        long p = va;
        while (p < end) {
            Map.Entry<Long, Long> r = regions.floorEntry(p);
            if (r == null || p >= r.getValue()) {
                return false;
            }
            p = r.getValue();
        }
        return true;
    }

    /**
     * handle_mm_fault() for a not-present fault in a region: maps a zeroed page.
     *
     * @return false if {@code va} is not in a region, or is already mapped (a protection
     *     fault, which demand paging does not fix), or memory is exhausted
     */
    boolean handleFault(long va, AccessType access) {
        if (va >= Layout.PAGE_OFFSET || !isUserRegion(va, 1)) {
            return false;
        }
        long ptep = tables.userPtep(va);
        if (!KernelPageTables.pteNone(tables.ptepGet(ptep))) {
            return false;
        }
        long pfn = pages.allocPages(PageAllocator.GFP_HIGHUSER | PageAllocator.__GFP_ZERO, 0);
        if (pfn < 0) {
            return false;
        }
        tables.setPte(ptep, tables.pfnPte(pfn, USER_PROT));
        mapped++;
        return true;
    }

    /** Pages mapped by faults so far. */
    long pagesMapped() {
        return mapped;
    }
}
