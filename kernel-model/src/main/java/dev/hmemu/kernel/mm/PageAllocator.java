package dev.hmemu.kernel.mm;

import dev.hmemu.kernel.layout.Layout.Zone;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.PhysicalMemory;
import java.util.List;
import java.util.TreeSet;

/**
 * The page allocator (mm/page_alloc.c), deterministic: within a zone the lowest free,
 * naturally aligned run of 2^order pages is taken (what a buddy allocator that always
 * splits the lowest block hands out from a fresh boot). The free blocks of each order are
 * indexed ({@link FreeBlocks}), so an allocation or a free costs the same whatever the
 * size of memory.
 *
 * <p>Zonelists: __GFP_DMA allows only ZONE_DMA; __GFP_HIGHMEM tries HIGHMEM, NORMAL, DMA;
 * otherwise NORMAL, DMA. Orders 0..MAX_ORDER-1 (10).
 *
 * <p>Invariants: a pfn is free in {@code free} iff its page is free and its struct page has
 * refcount 0; each allocated block's head pfn has its order + 1 in {@code headOrder} (0
 * elsewhere); {@code nrFree[zone]} counts the zone's free pages.
 */
final class PageAllocator {
    /** MAX_ORDER (v6.1 meaning: orders 0 .. MAX_ORDER-1). */
    static final int MAX_ORDER = 11;
    static final int __GFP_DMA = 0x01;
    static final int __GFP_HIGHMEM = 0x02;
    static final int __GFP_ZERO = 0x100;
    /** GFP_KERNEL. */
    static final int GFP_KERNEL = 0xcc0;
    /** GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM). */
    static final int GFP_HIGHUSER = 0x100cc0 | __GFP_HIGHMEM;

    private final Layout layout;
    private final MemMap memMap;
    private final PhysicalMemory phys;
    private final FreeBlocks free;
    private final byte[] headOrder;
    private final long[] nrFree = new long[Zone.values().length];

    PageAllocator(Layout layout, MemMap memMap, PhysicalMemory phys) {
        this.layout = layout;
        this.memMap = memMap;
        this.phys = phys;
        this.free = new FreeBlocks(layout.maxPfn(), MAX_ORDER);
        this.headOrder = new byte[(int) layout.maxPfn()];
    }

    /**
     * memblock_free_all(): pages [0, maxPfn) become free except those in a {@code reserved}
     * range, which are in use (refcount 1, PG_reserved); initialises every struct page, those
     * of free highmem when first used ({@link MemMap#deferHighmemPages}). The work is done per run of
     * pages of one zone and reservation, not per page.
     */
    void init(List<PfnRange> reserved) {
        long max = layout.maxPfn();
        // every page between two neighbouring cuts has the same zone and reservation
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, max));
        for (Zone z : Zone.values()) {
            cuts.add(Math.min(max, layout.zoneEndPfn(z)));
        }
        for (PfnRange r : reserved) {
            cuts.add(Math.min(max, r.start()));
            cuts.add(Math.min(max, r.end()));
        }
        long from = 0;
        for (long to : cuts.tailSet(1L)) {
            if (to <= from) {
                continue;
            }
            Zone zone = layout.zoneOf(from);
            long first = from;
            boolean r = reserved.stream().anyMatch(range -> range.contains(first));
            if (!r && zone == Zone.HIGHMEM) {
                memMap.deferHighmemPages(from, to);
            } else {
                memMap.initPages(from, to, zone, r);
            }
            if (!r) {
                free.addFreeRange(from, to);
                nrFree[zone.ordinal()] += to - from;
            }
            from = to;
        }
        free.finishInit();
    }

    /**
     * __alloc_pages(): {@code 2^order} contiguous pages, refcount 1 each on the head
     * (prep_new_page), zeroed for __GFP_ZERO.
     *
     * @return the head pfn, or -1 when no zone of the zonelist has such a run
     */
    long allocPages(int gfp, int order) {
        if (order < 0 || order >= MAX_ORDER) {
            return -1;
        }
        for (Zone z : zonelist(gfp)) {
            long pfn = free.lowest(order, layout.zoneStartPfn(z), layout.zoneEndPfn(z));
            if (pfn >= 0) {
                take(pfn, order, (gfp & __GFP_ZERO) != 0);
                return pfn;
            }
        }
        return -1;
    }

    /**
     * __free_pages(): drops one reference of the block at {@code pfn}; frees it when that
     * was the last.
     *
     * @return null, or the bad_page() reason when the free is wrong (then nothing changes)
     */
    String freePages(long pfn, int order) {
        if (memMap.testFlag(pfn, MemMap.PG_RESERVED)) {
            return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set (PG_reserved)";
        }
        int ref = memMap.refcount(pfn);
        if (ref <= 0) {
            return "VM_BUG_ON_PAGE(page_ref_count(page) == 0): page freed twice or never allocated";
        }
        int was = orderOf(pfn);
        if (was < 0) {
            return "not the first page of an allocated block";
        }
        if (was != order) {
            return String.format("freed with order %d but allocated with order %d", order, was);
        }
        memMap.setRefcount(pfn, ref - 1);
        if (ref - 1 == 0) {
            release(pfn, order);
        }
        return null;
    }

    /** Order of the allocated block headed by {@code pfn}, or -1. */
    int orderOf(long pfn) {
        return pfn < 0 || pfn >= headOrder.length ? -1 : headOrder[(int) pfn] - 1;
    }

    /** Free pages in {@code z}. */
    long nrFree(Zone z) {
        return nrFree[z.ordinal()];
    }

    private static Zone[] zonelist(int gfp) {
        if ((gfp & __GFP_DMA) != 0) {
            return new Zone[] {Zone.DMA};
        }
        if ((gfp & __GFP_HIGHMEM) != 0) {
            return new Zone[] {Zone.HIGHMEM, Zone.NORMAL, Zone.DMA};
        }
        return new Zone[] {Zone.NORMAL, Zone.DMA};
    }

    private void take(long pfn, int order, boolean zero) {
        long n = 1L << order;
        free.take(pfn, order);
        headOrder[(int) pfn] = (byte) (order + 1);
        nrFree[layout.zoneOf(pfn).ordinal()] -= n;
        for (long p = pfn; p < pfn + n; p++) {
            memMap.prepNewPage(p);
            if (p != pfn) {
                memMap.setRefcount(p, 0); // tail pages of a non-compound block
            }
        }
        if (zero) {
            phys.fill(pfn << Layout.PAGE_SHIFT, n << Layout.PAGE_SHIFT, (byte) 0);
        }
    }

    private void release(long pfn, int order) {
        headOrder[(int) pfn] = 0;
        free.release(pfn, order);
        nrFree[layout.zoneOf(pfn).ordinal()] += 1L << order;
    }
}
