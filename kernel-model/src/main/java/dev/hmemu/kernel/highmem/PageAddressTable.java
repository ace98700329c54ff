package dev.hmemu.kernel.highmem;

import java.util.ArrayList;
import java.util.List;

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
    private final List<List<Integer>> htable = new ArrayList<>();
    private final long pkmapBase;

    PageAddressTable(int lastPkmap, long pkmapBase) {
        this.mapPage = new long[lastPkmap];
        this.mapVirtual = new long[lastPkmap];
        this.pkmapBase = pkmapBase;
        for (int i = 0; i < 1 << PA_HASH_ORDER; i++) {
            htable.add(new ArrayList<>());
        }
    }

    /** hash_ptr(page, PA_HASH_ORDER) on 32-bit: hash_32(). */
    static int pageSlot(long page) {
        return (int) (((page * GOLDEN_RATIO_32) & 0xFFFFFFFFL) >>> (32 - PA_HASH_ORDER));
    }

    /** page_address() for a highmem page: its pkmap address, or 0 (NULL). */
    long get(long page) {
        for (int nr : htable.get(pageSlot(page))) {
            if (mapPage[nr] == page) {
                return mapVirtual[nr];
            }
        }
        return 0;
    }

    /** set_page_address(page, virtual): add the slot's entry, or remove the page's (virtual 0). */
    void set(long page, long virtual) {
        List<Integer> bucket = htable.get(pageSlot(page));
        if (virtual != 0) {
            int nr = (int) ((virtual - pkmapBase) >>> 12);
            mapPage[nr] = page;
            mapVirtual[nr] = virtual;
            bucket.add(nr);
            return;
        }
        for (int i = 0; i < bucket.size(); i++) {
            int nr = bucket.get(i);
            if (mapPage[nr] == page) {
                bucket.remove(i);
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
        int n = 0;
        for (List<Integer> b : htable) {
            n += b.size();
        }
        return n;
    }
}
