package dev.hmemu.kernel.mm;

/**
 * Which naturally aligned blocks of free pages exist, per order: at order {@code k} bit
 * {@code b} is set iff pages {@code [b << k, (b + 1) << k)} are all free (the blocks a
 * buddy allocator could hand out). Allocating or freeing a block of order {@code o}
 * touches {@code 2^(o+1)} bits below it and one bit per order above it; finding the
 * lowest free block of an order is a {@link LevelBitmap} search. So the cost per call
 * does not depend on the amount of memory.
 */
final class FreeBlocks {
    private final LevelBitmap[] byOrder;
    private final long pages;

    /** No free page yet; call {@link #addFreeRange} for each run of free pages, then {@link #finishInit}. */
    FreeBlocks(long pages, int orders) {
        this.pages = pages;
        this.byOrder = new LevelBitmap[orders];
        for (int k = 0; k < orders; k++) {
            byOrder[k] = new LevelBitmap(Math.max(1, pages >>> k));
        }
    }

    /** At boot: pages {@code [from, to)} are free. */
    void addFreeRange(long from, long to) {
        byOrder[0].setRange(from, to);
    }

    /**
     * At boot, after the last {@link #addFreeRange}: fills the higher orders (a block of
     * order k is free iff both halves, blocks of order k-1, are).
     */
    void finishInit() {
        for (int k = 1; k < byOrder.length; k++) {
            byOrder[k].setPairsOf(byOrder[k - 1]);
        }
    }

    boolean isFree(long pfn) {
        return byOrder[0].get(pfn);
    }

    /**
     * The lowest free block of order {@code order} inside {@code [start, end)}, as its
     * first pfn, or -1.
     */
    long lowest(int order, long start, long end) {
        long n = 1L << order;
        long first = (start + n - 1) >>> order;
        long b = byOrder[order].nextSetBit(first);
        if (b < 0 || ((b + 1) << order) > end) {
            return -1;
        }
        return b << order;
    }

    /** Pages {@code [pfn, pfn + 2^order)}, all free, become used. */
    void take(long pfn, int order) {
        for (int k = 0; k < byOrder.length; k++) {
            if (k <= order) {
                long from = pfn >>> k;
                long to = (pfn + (1L << order)) >>> k;
                for (long b = from; b < to; b++) {
                    byOrder[k].clear(b);
                }
            } else if ((pfn >>> k) < byOrder[k].size()) {
                byOrder[k].clear(pfn >>> k); // no longer entirely free
            }
        }
    }

    /** Pages {@code [pfn, pfn + 2^order)}, all used, become free; merges upwards like buddies. */
    void release(long pfn, int order) {
        for (int k = 0; k <= order && k < byOrder.length; k++) {
            long from = pfn >>> k;
            long to = (pfn + (1L << order)) >>> k;
            for (long b = from; b < to; b++) {
                byOrder[k].set(b);
            }
        }
        long b = pfn >>> order;
        for (int k = order + 1; k < byOrder.length; k++) {
            long buddy = b ^ 1;
            if (!byOrder[k - 1].get(buddy)) {
                return;
            }
            b >>>= 1;
            if (b >= byOrder[k].size()) {
                return;
            }
            byOrder[k].set(b);
        }
    }

    long pages() {
        return pages;
    }
}
