package dev.hmemu.kernel.mm;

import dev.hmemu.kernel.base.GuestAccessException;
import dev.hmemu.kernel.layout.Layout;
import dev.hmemu.mmu.PhysicalMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * mem_map: the array of {@code struct page} in guest lowmem (FLATMEM, mm/mm_init.c), one
 * 32-byte entry per page frame: flags@0, private@4, _refcount@8, _mapcount@12, index@16,
 * mapping@20, lru@24 (the guest's struct page in hmemu/mm.h).
 *
 * <p>page->flags carries the zone number in its top bits (ZONES_PGSHIFT = 30: 32-bit
 * FLATMEM without NUMA keeps nothing else above it) and the page flags below; only
 * PG_slab and PG_reserved are used. Bit numbers follow enum pageflags of ~v6.1 [R].
 *
 * <p>Deferred initialisation (hmemu's own choice: a 32-bit v6.1 kernel's memmap_init()
 * writes every struct page at boot). The struct pages of free highmem are initialised a
 * block of {@link #DEFER_BLOCK_PAGES} at a time, when the host first touches one of them
 * (the allocator handing out a page, a free, a report). So a run's boot and the guest
 * memory it touches do not grow with --mem: 16 GiB has 128 MiB of mem_map, of which a run
 * usually needs a few MiB. Until then such a struct page reads 0 to the guest (and to gdb)
 * where Linux has the zone bits and _mapcount -1. What the guest writes there meanwhile is
 * kept: initialising a block adds the zone bits and -1 to what its entries hold, which
 * for memory nobody wrote is exactly what Linux writes.
 */
final class MemMap {
    static final int STRUCT_PAGE_SIZE = 32;
    static final int OFF_FLAGS = 0;
    static final int OFF_PRIVATE = 4;
    static final int OFF_REFCOUNT = 8;
    static final int OFF_MAPCOUNT = 12;
    static final int OFF_INDEX = 16;
    static final int OFF_MAPPING = 20;
    /** PG_slab. */
    static final int PG_SLAB = 9;
    /** PG_reserved. */
    static final int PG_RESERVED = 12;
    /** ZONES_PGSHIFT. */
    static final int ZONES_PGSHIFT = 30;
    /** struct pages initialised per bulk write at boot (64 KiB). */
    private static final int INIT_CHUNK_PAGES = 2048;
    /** Pages whose struct pages are initialised together when deferred (MAX_ORDER_NR_PAGES). */
    static final int DEFER_BLOCK_PAGES = 1024;
    private static final int DEFER_BLOCK_SHIFT = 10;

    private final PhysicalMemory phys;
    private final long pa;
    private final long va;
    private final long maxPfn;
    /** One bit per block of DEFER_BLOCK_PAGES of free highmem: set while its struct pages are unwritten. */
    private final BitSet deferred = new BitSet();

    /** @param pa physical address of mem_map[0] (lowmem, so its direct-map address is mem_map) */
    MemMap(PhysicalMemory phys, long pa, long maxPfn) {
        this.phys = phys;
        this.pa = pa;
        this.va = Layout.va(pa);
        this.maxPfn = maxPfn;
    }

    /** Bytes of mem_map for {@code maxPfn} pages. */
    static long bytesFor(long maxPfn) {
        return maxPfn * STRUCT_PAGE_SIZE;
    }

    /** mem_map as a guest pointer. */
    long memMap() {
        return va;
    }

    /** pfn_to_page(). */
    long pfnToPage(long pfn) {
        if (pfn < 0 || pfn >= maxPfn) {
            throw new IllegalArgumentException("pfn " + Long.toHexString(pfn) + " beyond max_pfn");
        }
        return va + pfn * STRUCT_PAGE_SIZE;
    }

    /** page_to_pfn(), refusing pointers that are not a struct page of mem_map. */
    long pageToPfn(long page) {
        page &= 0xFFFFFFFFL;
        long off = page - va;
        if (off < 0 || off >= maxPfn * STRUCT_PAGE_SIZE) {
            throw new GuestAccessException(page, String.format(
                    "struct page pointer outside mem_map [%08x, %08x)", va, va + maxPfn * STRUCT_PAGE_SIZE));
        }
        if (off % STRUCT_PAGE_SIZE != 0) {
            throw new GuestAccessException(page, "struct page pointer not aligned to sizeof(struct page) = 32");
        }
        return off / STRUCT_PAGE_SIZE;
    }

    /**
     * Initialises pages {@code [from, to)} of one zone (__init_single_page): each struct page
     * zeroed whole, then its zone bits, refcount and _mapcount -1 set. All of them are alike,
     * so one chunk of them is made once and written over the range a chunk at a time.
     */
    void initPages(long from, long to, Layout.Zone zone, boolean reserved) {
        int flags = (zone.ordinal() << ZONES_PGSHIFT) | (reserved ? 1 << PG_RESERVED : 0);
        int refcount = reserved ? 1 : 0;
        int chunkPages = (int) Math.min(INIT_CHUNK_PAGES, Math.max(0, to - from));
        ByteBuffer chunk = ByteBuffer.allocate(chunkPages * STRUCT_PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < chunk.capacity(); i += STRUCT_PAGE_SIZE) {
            chunk.putInt(i + OFF_FLAGS, flags);
            chunk.putInt(i + OFF_REFCOUNT, refcount);
            chunk.putInt(i + OFF_MAPCOUNT, -1);
        }
        byte[] bytes = chunk.array();
        for (long pfn = from; pfn < to; pfn += chunkPages) {
            int n = (int) Math.min(chunkPages, to - pfn);
            phys.write(pa + pfn * STRUCT_PAGE_SIZE, bytes, 0, n * STRUCT_PAGE_SIZE);
        }
    }

    /**
     * Like {@link #initPages} for free highmem pages, but leaves the whole blocks of
     * {@code [from, to)} to be written on first use; the pages at either end that do not fill
     * a block are written now.
     */
    void deferHighmemPages(long from, long to) {
        Layout.Zone zone = Layout.Zone.HIGHMEM;
        long first = (from + DEFER_BLOCK_PAGES - 1) >>> DEFER_BLOCK_SHIFT;
        long last = to >>> DEFER_BLOCK_SHIFT; // exclusive
        if (first >= last) {
            initPages(from, to, zone, false);
            return;
        }
        initPages(from, first << DEFER_BLOCK_SHIFT, zone, false);
        initPages(last << DEFER_BLOCK_SHIFT, to, zone, false);
        deferred.set((int) first, (int) last);
    }

    /** Blocks whose struct pages are still unwritten. */
    long deferredBlocks() {
        return deferred.cardinality();
    }

    /** Initialises the struct pages of {@code pfn}'s block if they are still deferred. */
    private void ensure(long pfn) {
        int b = (int) (pfn >>> DEFER_BLOCK_SHIFT);
        if (deferred.get(b)) {
            deferred.clear(b);
            initDeferredBlock((long) b << DEFER_BLOCK_SHIFT);
        }
    }

    /**
     * __init_single_page() for a deferred block, on top of what its entries hold: the zone
     * bits are set and _mapcount gets its -1 added, the rest stays. Unwritten entries (all
     * zero: fresh guest memory) come out as {@link #initPages} writes them; an entry the
     * guest wrote to (a flag set, a count raised) comes out as if the guest had done that
     * after Linux's initialisation.
     */
    private void initDeferredBlock(long from) {
        int len = DEFER_BLOCK_PAGES * STRUCT_PAGE_SIZE;
        long at = pa + from * STRUCT_PAGE_SIZE;
        byte[] bytes = new byte[len];
        phys.read(at, bytes, 0, len);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int zoneBits = Layout.Zone.HIGHMEM.ordinal() << ZONES_PGSHIFT;
        for (int i = 0; i < len; i += STRUCT_PAGE_SIZE) {
            b.putInt(i + OFF_FLAGS, b.getInt(i + OFF_FLAGS) | zoneBits);
            b.putInt(i + OFF_MAPCOUNT, b.getInt(i + OFF_MAPCOUNT) - 1);
        }
        phys.write(at, bytes, 0, len);
    }

    int flags(long pfn) {
        ensure(pfn);
        return phys.readInt(pa + pfn * STRUCT_PAGE_SIZE + OFF_FLAGS);
    }

    void setFlag(long pfn, int bit, boolean on) {
        int f = flags(pfn);
        f = on ? f | (1 << bit) : f & ~(1 << bit);
        phys.writeInt(pa + pfn * STRUCT_PAGE_SIZE + OFF_FLAGS, f);
    }

    boolean testFlag(long pfn, int bit) {
        return (flags(pfn) & (1 << bit)) != 0;
    }

    /** page_ref_count(). */
    int refcount(long pfn) {
        ensure(pfn);
        return phys.readInt(pa + pfn * STRUCT_PAGE_SIZE + OFF_REFCOUNT);
    }

    /** set_page_count(). */
    void setRefcount(long pfn, int v) {
        ensure(pfn);
        phys.writeInt(pa + pfn * STRUCT_PAGE_SIZE + OFF_REFCOUNT, v);
    }

    /** _mapcount as stored (-1 = not mapped into user space). */
    int mapcount(long pfn) {
        ensure(pfn);
        return phys.readInt(pa + pfn * STRUCT_PAGE_SIZE + OFF_MAPCOUNT);
    }

    /**
     * Resets the fields a freshly allocated page starts with (prep_new_page): refcount 1,
     * private/index/mapping 0, _mapcount -1, page flags cleared but the zone kept.
     */
    void prepNewPage(long pfn) {
        ensure(pfn);
        long p = pa + pfn * STRUCT_PAGE_SIZE;
        int zoneBits = phys.readInt(p + OFF_FLAGS) & (3 << ZONES_PGSHIFT);
        phys.writeInt(p + OFF_FLAGS, zoneBits);
        phys.writeInt(p + OFF_PRIVATE, 0);
        phys.writeInt(p + OFF_REFCOUNT, 1);
        phys.writeInt(p + OFF_MAPCOUNT, -1);
        phys.writeInt(p + OFF_INDEX, 0);
        phys.writeInt(p + OFF_MAPPING, 0);
    }
}
