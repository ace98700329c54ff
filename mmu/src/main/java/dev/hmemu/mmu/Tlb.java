package dev.hmemu.mmu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A set-associative TLB with per-set FIFO replacement (see TlbBank): one array for 4 KiB pages and one
 * for large pages (2 MiB / 4 MiB, indexed by linear bits above 22 so both sizes share it).
 *
 * <p>Entries are snapshots: after a page-table entry changes, the cached translation keeps
 * serving the old values until it is invalidated ({@link #invlpg}, a flush) or evicted,
 * as on hardware. Whenever a valid entry is dropped for any reason (eviction, INVLPG,
 * flush, fault invalidation) the drop listener runs once for that operation, so a
 * consumer caching translations downstream (the CPU engine's own TLB) can flush too.
 */
public final class Tlb {
    /** Handle bit marking a slot of the large-page bank in {@link #probe} results. */
    static final int LARGE = 1 << 30;

    private final TlbConfig config;
    private final TlbBank small;
    private final TlbBank large;
    private final TlbStats stats = new TlbStats();
    private Runnable dropListener = () -> { };
    private TlbMirror mirror;
    /** The window {@link #trackPages} set, [watchLo, watchHi); empty by default. */
    private long watchLo = 1;
    private long watchHi;
    /** One bit per page of the window: set once an entry covering that page was inserted. */
    private final BitSet everCached = new BitSet();

    /**
     * An empty TLB.
     *
     * @param config geometry, e.g. {@link TlbConfig#defaults()}
     */
    public Tlb(TlbConfig config) {
        this.config = config;
        this.small = new TlbBank(config.entries4k(), config.ways4k(), PteBits.PAGE_SHIFT);
        this.large = new TlbBank(config.entriesLarge(), config.waysLarge(), PteBits.LEGACY_PGDIR_SHIFT);
    }

    /** The geometry. */
    public TlbConfig config() {
        return config;
    }

    /** The counters of this TLB. */
    public TlbStats stats() {
        return stats;
    }

    /** Sets the callback run after any operation that dropped at least one valid entry. */
    public void setDropListener(Runnable listener) {
        this.dropListener = listener == null ? () -> { } : listener;
    }

    /**
     * Keeps {@code m} a copy of this TLB from now on (null: none). The copy starts with the
     * current contents of both banks; CR0.WP is reported by the {@link Mmu}.
     */
    public void setMirror(TlbMirror m) {
        this.mirror = m;
        small.setMirror(m, TlbMirror.SMALL);
        large.setMirror(m, TlbMirror.LARGE);
    }

    /** The mirror, or null. */
    TlbMirror mirror() {
        return mirror;
    }

    /** Number of valid entries. */
    public int size() {
        return small.validCount() + large.validCount();
    }

    /**
     * The entry translating {@code linear}, or null; counts a hit or a miss. A hit changes
     * nothing else: replacement is FIFO per set (the oldest entry of a full set goes).
     */
    public TlbEntry lookup(long linear) {
        int h = probe(linear);
        return h < 0 ? null : entry(h);
    }

    /** The entry translating {@code linear}, or null, without counting anything (for tools). */
    public TlbEntry peek(long linear) {
        linear &= 0xFFFF_FFFFL;
        int s = small.find(linear);
        if (s >= 0) {
            return small.entry(s);
        }
        s = large.find(linear);
        return s >= 0 ? large.entry(s) : null;
    }

    /**
     * Caches a translation, replacing the entry for the same page if there is one, else
     * using a free way, else evicting the set's oldest entry (counted).
     */
    public void insert(TlbEntry e) {
        int f = (e.writable() ? TlbBank.F_WRITABLE : 0) | (e.user() ? TlbBank.F_USER : 0)
                | (e.executable() ? TlbBank.F_EXECUTABLE : 0) | (e.global() ? TlbBank.F_GLOBAL : 0)
                | (e.dirty() ? TlbBank.F_DIRTY : 0);
        insert(e.linearPage(), e.physPage(), e.pageSize(), f);
    }

    /** INVLPG: drops the entries (global ones too) covering {@code linear}. */
    public void invlpg(long linear) {
        stats.recordInvlpg();
        dropPage(linear);
    }

    /**
     * Keeps the entries covering {@code linear} (nothing is dropped or counted) but takes
     * them out of the {@linkplain #setMirror mirror}, so every later refill through them is
     * answered here, by {@link #lookup}/the Mmu, until they are replaced or dropped. The
     * drop listener runs when there was such an entry, so a downstream cache (the engine's
     * TLB) refills too. For a checker that must see each use of an entry whose page-table
     * entry has since changed (hmemu's stale-TLB diagnostics).
     *
     * @return whether this TLB held an entry for {@code linear}
     */
    public boolean unmirror(long linear) {
        linear &= 0xFFFF_FFFFL;
        if (linear >= watchLo && linear < watchHi && !everCached.get(pageInWindow(linear))) {
            return false; // never cached here: nothing to look up
        }
        int held = small.unmirrorCovering(linear) + large.unmirrorCovering(linear);
        if (held > 0) {
            dropListener.run();
        }
        return held > 0;
    }

    /**
     * Remembers, for each 4 KiB page of {@code [lo, hi)}, whether this TLB ever cached an
     * entry covering it, so that {@link #unmirror} of a page it never cached answers at
     * once. For a window that other CPUs' code writes the page tables of often (the
     * kmap_local slots, one CPU's each): every write asks every CPU's TLB.
     */
    public void trackPages(long lo, long hi) {
        lo &= -PteBits.PAGE_SIZE;
        long pages = (hi - lo + PteBits.PAGE_SIZE - 1) >>> PteBits.PAGE_SHIFT;
        if (pages <= 0 || pages > 1 << 20) {
            throw new IllegalArgumentException(String.format("page window %#x-%#x", lo, hi));
        }
        watchLo = lo;
        watchHi = lo + (pages << PteBits.PAGE_SHIFT);
        everCached.clear();
    }

    private int pageInWindow(long linear) {
        return (int) ((linear - watchLo) >>> PteBits.PAGE_SHIFT);
    }

    /** Marks the window's pages that {@code [linearPage, linearPage + pageSize)} covers. */
    private void cached(long linearPage, long pageSize) {
        long from = Math.max(linearPage, watchLo);
        long to = Math.min(linearPage + pageSize, watchHi);
        everCached.set(pageInWindow(from), pageInWindow(to - 1) + 1);
    }

    /** CR3 reload: drops every non-global entry. */
    public void flushNonGlobal() {
        stats.recordNonGlobalFlush();
        dropped(small.dropAll(true) + large.dropAll(true));
    }

    /** Drops every entry, global ones included (CR4.PGE toggle, paging mode change). */
    public void flushAll() {
        stats.recordFullFlush();
        dropped(small.dropAll(false) + large.dropAll(false));
    }

    /** A copy of the valid entries, 4 KiB array first, in slot order (for debugging). */
    public List<TlbEntry> entries() {
        List<TlbEntry> out = new ArrayList<>(size());
        for (int s = 0; s < small.capacity(); s++) {
            if (small.linearPage(s) != TlbBank.INVALID) {
                out.add(small.entry(s));
            }
        }
        for (int s = 0; s < large.capacity(); s++) {
            if (large.linearPage(s) != TlbBank.INVALID) {
                out.add(large.entry(s));
            }
        }
        return out;
    }

    // ---- allocation-free interface for the Mmu ----

    /** Handle of the entry for {@code linear} ({@link #LARGE} set for large pages) or -1; counts hit/miss. */
    int probe(long linear) {
        linear &= 0xFFFF_FFFFL;
        int s = small.find(linear);
        if (s >= 0) {
            stats.recordHit();
            return s;
        }
        s = large.find(linear);
        if (s >= 0) {
            stats.recordHit();
            return s | LARGE;
        }
        stats.recordMiss();
        return -1;
    }

    long physPage(int handle) {
        return (handle & LARGE) != 0 ? large.physPage(handle & ~LARGE) : small.physPage(handle);
    }

    long pageSize(int handle) {
        return (handle & LARGE) != 0 ? large.pageSize(handle & ~LARGE) : small.pageSize(handle);
    }

    int flags(int handle) {
        return (handle & LARGE) != 0 ? large.flags(handle & ~LARGE) : small.flags(handle);
    }

    TlbEntry entry(int handle) {
        return (handle & LARGE) != 0 ? large.entry(handle & ~LARGE) : small.entry(handle);
    }

    void insert(long linearPage, long physPage, long pageSize, int entryFlags) {
        if (linearPage < watchHi && linearPage + pageSize > watchLo) {
            cached(linearPage, pageSize);
        }
        TlbBank bank = pageSize == PteBits.PAGE_SIZE ? small : large;
        if (bank.insert(linearPage, physPage, pageSize, entryFlags) == TlbBank.EVICTED) {
            stats.recordEviction();
            dropListener.run();
        }
    }

    /** Drops the entries covering {@code linear} without counting an INVLPG (fault invalidation). */
    void dropPage(long linear) {
        linear &= 0xFFFF_FFFFL;
        dropped(small.dropCovering(linear) + large.dropCovering(linear));
    }

    private void dropped(int entries) {
        if (entries > 0) {
            stats.recordInvalidated(entries);
            dropListener.run();
        }
    }

    @Override
    public String toString() {
        return "Tlb[" + config + ", size=" + size() + ", " + stats.snapshot() + "]";
    }
}
