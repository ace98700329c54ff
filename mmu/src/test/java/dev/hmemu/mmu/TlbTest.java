package dev.hmemu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TlbTest {
    /** 4 sets x 2 ways for 4 KiB pages; 2 sets x 2 ways for large pages. */
    private final Tlb tlb = new Tlb(new TlbConfig(8, 2, 4, 2));
    private final AtomicInteger drops = new AtomicInteger();

    TlbTest() {
        tlb.setDropListener(drops::incrementAndGet);
    }

    private static TlbEntry page(long linear, long phys, boolean global) {
        return new TlbEntry(linear, phys, 4096, true, false, true, global, false);
    }

    @Test
    void lookupFindsTheInsertedEntryAndCountsHitsAndMisses() {
        tlb.insert(page(0xC000_0000L, 0x1000, false));
        TlbEntry e = tlb.lookup(0xC000_0ABCL);
        assertNotNull(e);
        assertEquals(0x1ABC, e.translate(0xC000_0ABCL));
        assertNull(tlb.lookup(0xC000_1000L));
        TlbStatsSnapshot s = tlb.stats().snapshot();
        assertEquals(1, s.hits());
        assertEquals(1, s.misses());
        assertEquals(1, tlb.size());
    }

    @Test
    void oldestEntryOfAFullSetIsEvictedEvenIfItWasJustHit() {
        // 0x0000, 0x4000 and 0x8000 all index set 0.
        tlb.insert(page(0x0000, 0xA000, false));
        tlb.insert(page(0x4000, 0xB000, false));
        tlb.lookup(0x0000); // a hit does not reorder: how often the engine asks must not matter
        tlb.insert(page(0x8000, 0xC000, false));
        assertNull(tlb.lookup(0x0000));
        assertNotNull(tlb.lookup(0x4000));
        assertNotNull(tlb.lookup(0x8000));
        assertEquals(1, tlb.stats().snapshot().evictions());
        assertEquals(0, tlb.stats().snapshot().entriesInvalidated());
        assertEquals(1, drops.get());
        assertEquals(2, tlb.size());
    }

    @Test
    void evictionOrderIsInsertionOrderWithoutLookups() {
        tlb.insert(page(0x0000, 0xA000, false));
        tlb.insert(page(0x4000, 0xB000, false));
        tlb.insert(page(0x8000, 0xC000, false));
        tlb.insert(page(0xC000, 0xD000, false));
        assertNull(tlb.lookup(0x0000));
        assertNull(tlb.lookup(0x4000));
        assertEquals(2, tlb.stats().snapshot().evictions());
    }

    @Test
    void reinsertingThePageReplacesItInPlaceWithoutEviction() {
        tlb.insert(page(0x0000, 0xA000, false));
        tlb.insert(page(0x4000, 0xB000, false));
        tlb.insert(page(0x0000, 0xE000, false));
        assertEquals(0xE000, tlb.lookup(0x0000).physPage());
        assertEquals(2, tlb.size());
        assertEquals(0, tlb.stats().snapshot().evictions());
        assertEquals(0, drops.get());
    }

    @Test
    void invlpgDropsTheCoveringEntryEvenIfGlobal() {
        tlb.insert(page(0xC000_0000L, 0xA000, true));
        tlb.insert(page(0xC000_1000L, 0xB000, true));
        tlb.invlpg(0xC000_0FFFL);
        assertNull(tlb.lookup(0xC000_0000L));
        assertNotNull(tlb.lookup(0xC000_1000L));
        TlbStatsSnapshot s = tlb.stats().snapshot();
        assertEquals(1, s.invlpgFlushes());
        assertEquals(1, s.entriesInvalidated());
        assertEquals(1, drops.get());
    }

    @Test
    void invlpgDropsALargePageCoveringTheAddress() {
        tlb.insert(new TlbEntry(0xC040_0000L, 0x20_0000L, 2L << 20, true, false, true, false, false));
        tlb.insert(new TlbEntry(0xC080_0000L, 0x40_0000L, 4L << 20, true, false, true, false, false));
        assertEquals(0x3F_FFFFL, tlb.lookup(0xC05F_FFFFL).translate(0xC05F_FFFFL));
        assertEquals(0x7F_FFFFL, tlb.lookup(0xC0BF_FFFFL).translate(0xC0BF_FFFFL));
        tlb.invlpg(0xC050_0000L);
        assertNull(tlb.lookup(0xC040_0000L));
        assertNotNull(tlb.lookup(0xC080_0000L));
    }

    @Test
    void flushNonGlobalKeepsGlobalEntries() {
        tlb.insert(page(0x1000, 0xA000, true));
        tlb.insert(page(0x2000, 0xB000, false));
        tlb.flushNonGlobal();
        assertNotNull(tlb.lookup(0x1000));
        assertNull(tlb.lookup(0x2000));
        assertEquals(1, tlb.stats().snapshot().nonGlobalFlushes());
        assertEquals(1, tlb.stats().snapshot().entriesInvalidated());
        assertEquals(1, drops.get());
    }

    @Test
    void flushAllDropsGlobalEntriesToo() {
        tlb.insert(page(0x1000, 0xA000, true));
        tlb.insert(new TlbEntry(0x40_0000L, 0x40_0000L, 4L << 20, true, false, true, true, false));
        tlb.flushAll();
        assertEquals(0, tlb.size());
        assertEquals(1, tlb.stats().snapshot().fullFlushes());
        assertEquals(2, tlb.stats().snapshot().entriesInvalidated());
    }

    @Test
    void dropListenerStaysQuietWhenNothingIsDropped() {
        tlb.flushAll();
        tlb.flushNonGlobal();
        tlb.invlpg(0x1000);
        assertEquals(0, drops.get());
    }

    @Test
    void entriesListsTheValidEntries() {
        tlb.insert(page(0x1000, 0xA000, true));
        assertEquals(java.util.List.of(page(0x1000, 0xA000, true)), tlb.entries());
    }

    @Test
    void entriesMustBeAlignedPages() {
        assertThrows(IllegalArgumentException.class, () -> page(0x1001, 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> new TlbEntry(0x1000, 0x1000, 8192, true, true, true, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> new TlbEntry(0x10_0000L, 0, 2L << 20, true, true, true, false, false));
    }

    @Test
    void configNeedsAPowerOfTwoNumberOfSets() {
        TlbConfig d = TlbConfig.defaults();
        assertEquals(new TlbConfig(1536, 12, 32, 4), d);
        assertEquals(128, d.sets4k());
        assertEquals(8, d.setsLarge());
        assertThrows(IllegalArgumentException.class, () -> new TlbConfig(100, 12, 32, 4));
        assertThrows(IllegalArgumentException.class, () -> new TlbConfig(36, 12, 32, 4));
        assertThrows(IllegalArgumentException.class, () -> new TlbConfig(64, 4, 0, 4));
    }

    @Test
    void statsResetAndDifference() {
        tlb.lookup(0);
        TlbStatsSnapshot before = tlb.stats().snapshot();
        tlb.lookup(0);
        tlb.lookup(0);
        assertEquals(2, tlb.stats().snapshot().minus(before).misses());
        tlb.stats().reset();
        assertEquals(new TlbStatsSnapshot(0, 0, 0, 0, 0, 0, 0, 0), tlb.stats().snapshot());
    }
}
