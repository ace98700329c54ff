package dev.hmemu.kernel.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.mmu.PagingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutTest {
    private static final long GIB = 1L << 30;

    private static Layout pae(int cpus, long mem) {
        return Layout.compute(KernelConfig.defaults(), mem, cpus, PagingMode.PAE);
    }

    @Test
    void kmapLocalSlotAddressesMatchReferenceExampleB() {
        Layout l = pae(8, 2 * GIB);
        assertEquals(68, l.fixKmapBegin());
        assertEquals(195, l.fixKmapEnd());
        assertEquals(0xfffbb000L, l.kmapLocalSlotAddr(0, 0));
        assertEquals(0xfffba000L, l.kmapLocalSlotAddr(0, 1));
        assertEquals(0xfffac000L, l.kmapLocalSlotAddr(0, 15));
        assertEquals(0xfffab000L, l.kmapLocalSlotAddr(1, 0));
        assertEquals(0xfff3c000L, l.fixToVirt(l.fixKmapEnd()));
        assertEquals(0xfffbb000L, l.fixToVirt(l.fixKmapBegin()));
    }

    @Test
    void debugKmapLocalPutsFixKmapEndAt331() {
        KernelConfig cfg = KernelConfig.defaults().withDebugKmapLocal(true);
        Layout l = Layout.compute(cfg, 2 * GIB, 8, PagingMode.PAE);
        assertEquals(33, l.kmMaxIdx());
        assertEquals(331, l.fixKmapEnd());
        assertEquals(l.fixToVirt(68 + 33 * 3), l.kmapLocalSlotAddr(3, 0));
    }

    @Test
    void fixToVirtAndVirtToFixAreInverse() {
        Layout l = pae(4, GIB);
        for (int idx : new int[] {0, 1, 68, 131, 1024}) {
            assertEquals(idx, l.virtToFix(l.fixToVirt(idx)));
            assertEquals(idx, l.virtToFix(l.fixToVirt(idx) + 0xabc));
        }
    }

    @Test
    void eightCpuPaeLayoutMatchesReferenceExampleA() {
        Layout l = pae(8, 2 * GIB);
        assertEquals(0xffa00000L, l.cpuEntryAreaBase());
        assertEquals(0x139000L, l.cpuEntryAreaMapSize(), "1252 kB of cpu_entry_area");
        assertEquals(0xff800000L, l.ldtBaseAddr());
        assertEquals(0xff600000L, l.pkmapBase());
        assertEquals(0xff800000L, l.pkmapAddr(l.lastPkmap()));
        assertEquals(0xff5fe000L, l.vmallocEnd());
        assertEquals(0x375fe000L, l.maxmem());
        assertEquals(0x375feL, l.maxLowPfn());
        assertEquals(0xf75fe000L, l.highMemory());
        assertEquals(0xf7dfe000L, l.vmallocStart());
        assertEquals(120L << 20, l.vmallocEnd() - l.vmallocStart());
    }

    @Test
    void btmapSlotsSitInOnePteTable() {
        for (int cpus : new int[] {1, 2, 4, 8, 16}) {
            for (PagingMode mode : PagingMode.values()) {
                Layout l = Layout.compute(KernelConfig.defaults(), GIB, cpus, mode);
                int per = l.ptrsPerPte();
                assertEquals(l.fixBtmapEnd() / per, l.fixBtmapBegin() / per, cpus + " CPUs " + mode);
                assertTrue(l.fixBtmapEnd() >= l.endOfPermanentFixedAddresses());
                assertEquals(l.fixBtmapBegin() + 2, l.endOfFixedAddresses());
            }
        }
        Layout l = pae(8, GIB);
        assertEquals(512, l.fixBtmapEnd(), "196 would straddle a 512-entry table");
        assertEquals(0xffbfe000L, l.fixaddrTotStart());
    }

    @Test
    void pkmapWindowIsOnePmdAndOnePteTable() {
        for (PagingMode mode : PagingMode.values()) {
            for (int cpus : new int[] {1, 3, 16}) {
                Layout l = Layout.compute(KernelConfig.defaults(), GIB, cpus, mode);
                assertEquals(0, l.pkmapBase() % l.pmdSize());
                assertEquals(l.pmdSize(), (long) l.lastPkmap() * Layout.PAGE_SIZE);
                assertEquals(l.lastPkmap(), l.ptrsPerPte());
                assertTrue(l.pkmapAddr(l.lastPkmap()) <= l.ldtBaseAddr());
                assertTrue(l.ldtEndAddr() <= l.cpuEntryAreaBase());
                assertTrue(l.cpuEntryAreaBase() + l.cpuEntryAreaMapSize() <= l.fixaddrTotStart());
                assertEquals(7, l.pkmapNr(l.pkmapAddr(7) + 0x123));
            }
        }
    }

    @Test
    void legacyPagingHasLastPkmap1024AndFourMibPmds() {
        Layout l = Layout.compute(KernelConfig.defaults(), GIB, 1, PagingMode.LEGACY);
        assertEquals(1024, l.lastPkmap());
        assertEquals(4L << 20, l.pmdSize());
        assertEquals(0xff400000L, l.pkmapBase());
        assertEquals(0xff3fe000L, l.vmallocEnd());
        assertEquals(0x373fe000L, l.maxmem());
        assertEquals(597, l.endOfFixedAddresses());
    }

    @Test
    void smallMemoryIsAllLowmem() {
        Layout l = pae(1, 512L << 20);
        assertEquals(l.maxPfn(), l.maxLowPfn());
        assertEquals(0, l.zoneEndPfn(Layout.Zone.HIGHMEM) - l.zoneStartPfn(Layout.Zone.HIGHMEM));
        assertEquals(0xC0000000L + (512L << 20), l.highMemory());
    }

    @Test
    void lowmemLimitSetsMaxLowPfn() {
        Layout l = Layout.compute(KernelConfig.defaults().withLowmemLimit(256L << 20), 2 * GIB, 2, PagingMode.PAE);
        assertEquals((256L << 20) >> 12, l.maxLowPfn());
        assertEquals(Layout.Zone.HIGHMEM, l.zoneOf(l.maxLowPfn()));
        assertEquals(Layout.Zone.NORMAL, l.zoneOf(l.maxLowPfn() - 1));
        assertEquals(Layout.Zone.DMA, l.zoneOf(4095));
        assertEquals(Layout.Zone.NORMAL, l.zoneOf(4096));
    }

    @Test
    void lowmemLimitAboveMaxmemIsRefused() {
        KernelConfig cfg = KernelConfig.defaults().withLowmemLimit(900L << 20);
        assertThrows(IllegalArgumentException.class, () -> Layout.compute(cfg, 2 * GIB, 8, PagingMode.PAE));
    }

    @Test
    void describePrintsTheOldLayoutLines() {
        List<String> lines = pae(8, 2 * GIB).describe();
        String text = String.join("\n", lines);
        assertTrue(text.contains("virtual kernel memory layout:"), text);
        assertTrue(text.contains("    pkmap   : 0xff600000 - 0xff800000   (2048 kB)"), text);
        assertTrue(text.contains("    vmalloc : 0xf7dfe000 - 0xff5fe000   ( 120 MB)"), text);
        assertTrue(text.contains("    lowmem  : 0xc0000000 - 0xf75fe000   ( 885 MB)"), text);
        assertTrue(text.contains("  cpu_entry : 0xffa00000 - 0xffb39000   (1252 kB)"), text);
        assertTrue(text.contains("FIX_KMAP_BEGIN 68 -> 0xfffbb000  FIX_KMAP_END 195 -> 0xfff3c000"), text);
        assertTrue(text.contains("LAST_PKMAP 512"), text);
        assertTrue(text.contains("KM_MAX_IDX 16"), text);
        assertTrue(text.contains("HIGHMEM"), text);
        assertTrue(text.contains("MB LOWMEM available."), text);
    }
}
