package dev.hmemu.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The free-block index against the obvious definition: the lowest naturally aligned run of free pages. */
class FreeBlocksTest {
    private static final int ORDERS = PageAllocator.MAX_ORDER;

    /** The definition the allocator always followed: scan for the lowest aligned all-free run. */
    private static long reference(BitSet free, int order, long start, long end) {
        long n = 1L << order;
        for (long p = (start + n - 1) & -n; p + n <= end; p += n) {
            if (free.nextClearBit((int) p) >= p + n) {
                return p;
            }
        }
        return -1;
    }

    private static FreeBlocks boot(long pages, BitSet free) {
        FreeBlocks fb = new FreeBlocks(pages, ORDERS);
        for (int p = free.nextSetBit(0); p >= 0; p = free.nextSetBit(free.nextClearBit(p))) {
            fb.addFreeRange(p, free.nextClearBit(p)); // each run of free pages at once, as at boot
        }
        fb.finishInit();
        return fb;
    }

    @Test
    void randomAllocationsAndFreesPickTheSameBlocksAsTheLowestRunScan() {
        long pages = 50_000; // not a power of two: the last blocks are partial
        long[][] zones = {{0, 4096}, {4096, 30_001}, {30_001, pages}};
        BitSet free = new BitSet();
        free.set(300, (int) pages); // pages below 300 reserved
        free.clear(7000, 7003); // holes, like reserved boot pages
        FreeBlocks fb = boot(pages, free);
        Random rnd = new Random(42);
        List<long[]> held = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (held.isEmpty() || rnd.nextInt(100) < 60) {
                int order = rnd.nextInt(100) < 80 ? 0 : rnd.nextInt(ORDERS);
                long[] z = zones[rnd.nextInt(zones.length)];
                long want = reference(free, order, z[0], z[1]);
                long got = fb.lowest(order, z[0], z[1]);
                assertEquals(want, got, "step " + step + " order " + order);
                if (got >= 0) {
                    fb.take(got, order);
                    free.clear((int) got, (int) (got + (1L << order)));
                    held.add(new long[] {got, order});
                }
            } else {
                long[] b = held.remove(rnd.nextInt(held.size()));
                fb.release(b[0], (int) b[1]);
                free.set((int) b[0], (int) (b[0] + (1L << b[1])));
            }
        }
        for (int order = 0; order < ORDERS; order++) {
            assertEquals(reference(free, order, 0, pages), fb.lowest(order, 0, pages), "order " + order);
        }
    }

    @Test
    void fragmentationBlocksLargeOrdersUntilBuddiesAreFreedAgain() {
        long pages = 1024;
        BitSet free = new BitSet();
        free.set(0, (int) pages);
        FreeBlocks fb = boot(pages, free);
        for (long p = 0; p < pages; p++) {
            assertEquals(p, fb.lowest(0, 0, pages));
            fb.take(p, 0);
        }
        for (long p = 0; p < pages; p += 2) {
            fb.release(p, 0); // every other page free: 512 free pages, no free pair
        }
        assertEquals(-1, fb.lowest(1, 0, pages), "no two adjacent free pages");
        assertEquals(0, fb.lowest(0, 0, pages));
        fb.release(5, 0);
        assertEquals(4, fb.lowest(1, 0, pages), "4 and 5 are buddies again");
        assertEquals(-1, fb.lowest(2, 0, pages));
        fb.release(7, 0);
        assertEquals(4, fb.lowest(2, 0, pages), "4..7 merge into an order-2 block");
        for (long p = 1; p < pages; p += 2) {
            if (p != 5 && p != 7) {
                fb.release(p, 0);
            }
        }
        assertEquals(0, fb.lowest(ORDERS - 1, 0, pages), "everything merged back into one order-10 block");
    }

    @Test
    void exhaustionReturnsMinusOneAndFreeingRestoresEveryOrder() {
        long pages = 4096 + 13;
        BitSet free = new BitSet();
        free.set(1, (int) pages);
        FreeBlocks fb = boot(pages, free);
        List<Long> taken = new ArrayList<>();
        for (long p = fb.lowest(0, 0, pages); p >= 0; p = fb.lowest(0, 0, pages)) {
            fb.take(p, 0);
            taken.add(p);
        }
        assertEquals(pages - 1, taken.size());
        for (int order = 0; order < ORDERS; order++) {
            assertEquals(-1, fb.lowest(order, 0, pages));
        }
        for (int i = taken.size() - 1; i >= 0; i--) {
            fb.release(taken.get(i), 0);
        }
        assertEquals(1024, fb.lowest(ORDERS - 1, 0, pages), "page 0 stays reserved, so the first order-10 block is at 1024");
        assertEquals(3072, fb.lowest(ORDERS - 1, 3072, pages));
        assertEquals(-1, fb.lowest(ORDERS - 1, 3073, pages), "the partial tail 4096..4108 holds no order-10 block");
        assertTrue(fb.isFree(pages - 1));
    }

    /**
     * The largest memory hmemu boots (16 GiB, 4 Mi pages) answers like the scan. How long a
     * call takes at 2G and at 16G is a benchmark figure ({@code hmemu bench}:
     * alloc_16g_over_2g), not a test.
     */
    @Test
    void sixteenGibOfPagesAnswersLikeTheLowestRunScan() {
        long pages = 1L << 22;
        BitSet free = new BitSet();
        free.set(256, (int) pages);
        FreeBlocks fb = boot(pages, free);
        Random rnd = new Random(5);
        for (int step = 0; step < 2_000; step++) {
            int order = rnd.nextInt(ORDERS);
            long start = (long) (rnd.nextDouble() * pages);
            long want = reference(free, order, start, pages);
            long got = fb.lowest(order, start, pages);
            assertEquals(want, got, "step " + step + " order " + order + " from " + start);
            if (got >= 0 && rnd.nextBoolean()) {
                fb.take(got, order);
                free.clear((int) got, (int) (got + (1L << order)));
            }
        }
    }
}
