package dev.hmemu.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A TLB's mirror always holds exactly the TLB's entries, slot by slot. */
class TlbMirrorTest {
    /** Keeps what the TLB reports, per bank and slot. */
    static final class RecordingMirror implements TlbMirror {
        final TlbEntry[][] slots;
        Boolean wp;

        RecordingMirror(TlbConfig c) {
            slots = new TlbEntry[][] {new TlbEntry[c.entries4k()], new TlbEntry[c.entriesLarge()]};
        }

        @Override
        public void store(int bank, int slot, long linearPage, long physPage, long pageSize, int flags) {
            slots[bank][slot] = new TlbEntry(linearPage, physPage, pageSize, (flags & F_WRITABLE) != 0,
                    (flags & F_USER) != 0, (flags & F_EXECUTABLE) != 0, (flags & F_GLOBAL) != 0, (flags & F_DIRTY) != 0);
        }

        @Override
        public void invalidate(int bank, int slot) {
            slots[bank][slot] = null;
        }

        @Override
        public void writeProtect(boolean on) {
            wp = on;
        }

        Set<TlbEntry> entries() {
            Set<TlbEntry> s = new HashSet<>();
            for (TlbEntry[] bank : slots) {
                for (TlbEntry e : bank) {
                    if (e != null) {
                        s.add(e);
                    }
                }
            }
            return s;
        }
    }

    @Test
    void mirrorFollowsInsertsEvictionsInvlpgAndFlushes() {
        TlbConfig cfg = new TlbConfig(64, 4, 8, 4);
        Tlb tlb = new Tlb(cfg);
        tlb.insert(new TlbEntry(0x1000, 0x5000, 4096, true, false, true, true, true));
        RecordingMirror m = new RecordingMirror(cfg);
        tlb.setMirror(m);
        assertEquals(new HashSet<>(tlb.entries()), m.entries(), "the mirror starts with the current contents");
        Random rnd = new Random(7);
        for (int i = 0; i < 5000; i++) {
            int op = rnd.nextInt(100);
            if (op < 70) {
                boolean large = rnd.nextInt(10) == 0;
                long size = large ? PteBits.PMD_SIZE : 4096;
                long lin = (rnd.nextInt(large ? 64 : 4096) * size) & 0xFFFF_FFFFL;
                tlb.insert(new TlbEntry(lin, rnd.nextInt(1 << 12) * size, size, rnd.nextBoolean(), false,
                        rnd.nextBoolean(), rnd.nextInt(4) == 0, rnd.nextBoolean()));
            } else if (op < 90) {
                tlb.invlpg(rnd.nextInt(4096) * 4096L);
            } else if (op < 97) {
                tlb.flushNonGlobal();
            } else {
                tlb.flushAll();
            }
            assertEquals(new HashSet<>(tlb.entries()), m.entries(), "after operation " + i);
        }
    }

    /** A small TLB with a recording mirror and a count of drop-listener runs. */
    private record Mirrored(Tlb tlb, RecordingMirror mirror, int[] drops) {
        static Mirrored create() {
            TlbConfig cfg = new TlbConfig(64, 4, 8, 4);
            Tlb tlb = new Tlb(cfg);
            RecordingMirror m = new RecordingMirror(cfg);
            tlb.setMirror(m);
            int[] drops = {0};
            tlb.setDropListener(() -> drops[0]++);
            return new Mirrored(tlb, m, drops);
        }
    }

    @Test
    void unmirrorKeepsTheEntryButTakesItOutOfTheMirrorUntilItIsReplaced() {
        Mirrored t = Mirrored.create();
        Tlb tlb = t.tlb();
        RecordingMirror m = t.mirror();
        int[] drops = t.drops();
        TlbEntry a = new TlbEntry(0xffbfe000L, 0x5000, 4096, true, false, false, true, true);
        TlbEntry b = new TlbEntry(0x2000, 0x6000, 4096, true, false, true, false, true);
        tlb.insert(a);
        tlb.insert(b);
        var before = tlb.stats().snapshot();
        assertTrue(tlb.unmirror(0xffbfe123L));
        assertEquals(a, tlb.peek(0xffbfe000L), "the TLB keeps serving the entry");
        assertEquals(java.util.Set.of(b), m.entries(), "only the mirror lost it");
        assertEquals(1, drops[0], "the engine's own cache is told to refill");
        assertEquals(before, tlb.stats().snapshot(), "nothing is counted");
        assertFalse(tlb.unmirror(0x7000), "no entry: nothing to do");
        assertEquals(1, drops[0]);
        tlb.insert(a);
        assertEquals(new HashSet<>(tlb.entries()), m.entries(), "a new insert puts it back");
    }

    @Test
    void aTrackedWindowAnswersUnmirrorOfPagesNeverCachedWithoutLookingAndTheRestAsBefore() {
        Mirrored t = Mirrored.create();
        Tlb tlb = t.tlb();
        RecordingMirror m = t.mirror();
        int[] drops = t.drops();
        tlb.trackPages(0xffa00000L, 0xffa40000L); // 64 pages
        TlbEntry slot = new TlbEntry(0xffa3f000L, 0x5000, 4096, true, false, false, true, true);
        tlb.insert(slot);
        assertFalse(tlb.unmirror(0xffa3e000L), "a page of the window this TLB never cached");
        assertTrue(tlb.unmirror(0xffa3f800L), "the cached one");
        assertEquals(java.util.Set.of(), m.entries());
        assertEquals(1, drops[0]);

        // evicted or flushed since: still looked up (and not found), so nothing changes
        tlb.flushAll();
        assertFalse(tlb.unmirror(0xffa3f000L));
        assertEquals(2, drops[0], "only the flush");

        // a large page covering the window marks every page of it
        tlb.insert(new TlbEntry(0xffa00000L, 0x400000, 2L << 20, true, false, false, true, true));
        assertTrue(tlb.unmirror(0xffa01000L));
        assertTrue(tlb.unmirror(0xffa3e000L), "the large entry covers it too");
        assertTrue(tlb.unmirror(0xffa40000L), "outside the window: looked up as usual (the large entry)");
        assertFalse(tlb.unmirror(0xffc00000L), "outside the window: looked up as usual, not there");
        assertThrows(IllegalArgumentException.class, () -> tlb.trackPages(0x1000, 0x1000));
    }

    @Test
    void mmuReportsWriteProtect() {
        Mmu mmu = new Mmu(new SparseMemory(1L << 24), PagingMode.PAE, TlbConfig.defaults(), 36);
        RecordingMirror m = new RecordingMirror(TlbConfig.defaults());
        mmu.setTlbMirror(m);
        assertFalse(m.wp);
        mmu.writeCr0(mmu.cr().cr0() | (1L << 16));
        assertTrue(m.wp);
        mmu.writeCr0(mmu.cr().cr0() & ~(1L << 16));
        assertFalse(m.wp);
    }
}
