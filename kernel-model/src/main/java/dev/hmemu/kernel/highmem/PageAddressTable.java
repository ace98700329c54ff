package dev.hmemu.kernel.highmem;

import java.util.Arrays;

/**
 * HASHED_PAGE_VIRTUAL (mm/highmem.c): the page to virtual-address table of highmem pages
 * that hold a pkmap slot. {@code page_address_maps[LAST_PKMAP]} is indexed by PKMAP_NR;
 * {@code page_address_htable[1 << PA_HASH_ORDER]} chains them by hash_ptr(page, 7).
 *
 * <p>Invariant: a page has an entry iff its pkmap slot count is at least 1. Only
 * map_new_virtual (add) and flush_all_zero_pkmaps (remove) call {@link #set}.
 */
final class PageAddressTable {
    /** PA_HASH_ORDER. */
    static final int PA_HASH_ORDER = 7;
    /** GOLDEN_RATIO_32 (include/linux/hash.h). */
    private static final int GOLDEN_RATIO_32 = 0x61C88647;

    /** page_address_maps[]: page and virtual of the map entry of each pkmap slot. */
    private final long[] mapPage;
    private final long[] mapVirtual;
    /** page_address_htable[]: each bucket lists the slots (map entries) chained on it, oldest first. */
    private final int[][] htable = new int[1 << PA_HASH_ORDER][];
    private final int[] chained = new int[1 << PA_HASH_ORDER];
    private final long pkmapBase;

    PageAddressTable(int lastPkmap, long pkmapBase) {
        this.mapPage = new long[lastPkmap];
        this.mapVirtual = new long[lastPkmap];
        this.pkmapBase = pkmapBase;
        Arrays.setAll(htable, i -> new int[4]);
    }

    /** hash_ptr(page, PA_HASH_ORDER) on 32-bit: hash_32(). */
    static int pageSlot(long page) {
        return (int) (((page * GOLDEN_RATIO_32) & 0xFFFFFFFFL) >>> (32 - PA_HASH_ORDER));
    }

    /** page_address() for a highmem page: its pkmap address, or 0 (NULL). */
    long get(long page) {
        int b = pageSlot(page);
        int[] bucket = htable[b];
        for (int i = 0; i < chained[b]; i++) {
            if (mapPage[bucket[i]] == page) {
                return mapVirtual[bucket[i]];
            }
        }
        return 0;
    }

    /** set_page_address(page, virtual): add the slot's entry, or remove the page's (virtual 0). */
    void set(long page, long virtual) {
        int b = pageSlot(page);
        int[] bucket = htable[b];
        if (virtual != 0) {
            int nr = (int) ((virtual - pkmapBase) >>> 12);
            mapPage[nr] = page;
            mapVirtual[nr] = virtual;
            if (chained[b] == bucket.length) {
                bucket = htable[b] = Arrays.copyOf(bucket, bucket.length * 2);
            }
            bucket[chained[b]++] = nr;
            return;
        }
        for (int i = 0; i < chained[b]; i++) {
            int nr = bucket[i];
            if (mapPage[nr] == page) {
                System.arraycopy(bucket, i + 1, bucket, i, chained[b] - i - 1);
                chained[b]--;
                mapPage[nr] = 0;
                mapVirtual[nr] = 0;
                return;
            }
        }
    }

    /** The page whose entry is slot {@code nr}, or 0 when the slot has no entry. */
    long pageOfSlot(int nr) {
        return mapPage[nr];
    }

    /** Entries chained in the buckets. */
    int size() {
        return Arrays.stream(chained).sum();
    }
}
