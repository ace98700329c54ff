package dev.hmemu.mmu;

import static dev.hmemu.mmu.AccessType.FETCH;
import static dev.hmemu.mmu.AccessType.READ;
import static dev.hmemu.mmu.AccessType.WRITE;
import static dev.hmemu.mmu.PteBits._PAGE_ACCESSED;
import static dev.hmemu.mmu.PteBits._PAGE_DIRTY;
import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MmuTest {
    private static final long KVA = 0xC000_5000L;
    private static final long OLD = 0x0123_4000L;
    private static final long NEW = 0x0567_8000L;
    private static final long KERNEL = _PAGE_PRESENT | _PAGE_RW;

    private final PaeTables t = new PaeTables();

    private static WalkResult.Mapped mapped(WalkResult r) {
        return assertInstanceOf(WalkResult.Mapped.class, r, () -> "expected a mapping, got " + r);
    }

    private static WalkResult.Fault fault(WalkResult r) {
        return assertInstanceOf(WalkResult.Fault.class, r, () -> "expected a fault, got " + r);
    }

    private static long phys(Mmu mmu, long linear) {
        return mapped(mmu.translate(linear, READ, false)).physical();
    }

    @Test
    void pagingOffTranslatesIdentically() {
        Mmu mmu = new Mmu(t.mem, PagingMode.PAE, TlbConfig.defaults(), 36);
        WalkResult.Mapped m = mapped(mmu.translate(0xC000_1234L, WRITE, true));
        assertEquals(0xC000_1234L, m.physical());
        assertEquals(0, m.level());
        assertEquals(0xC000_1234L, mapped(mmu.debugTranslate(0xC000_1234L)).physical());
        assertEquals(0, mmu.tlb().stats().snapshot().misses());
        assertTrue(mmu.cr().pae());
    }

    @Test
    void staleEntryServesTheOldFrameAfterThePteChangesUntilInvlpg() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        assertEquals(OLD, phys(mmu, KVA));
        t.setPte(KVA, NEW | KERNEL);
        assertEquals(OLD, phys(mmu, KVA));
        assertEquals(NEW, mapped(mmu.debugTranslate(KVA)).physical());
        mmu.invlpg(KVA);
        assertEquals(NEW, phys(mmu, KVA));
    }

    @Test
    void staleEntryKeepsServingAPageThatWasUnmapped() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        t.setPte(KVA, 0);
        assertEquals(OLD, phys(mmu, KVA));
        mmu.invlpg(KVA);
        assertEquals(1, fault(mmu.translate(KVA, READ, false)).level());
    }

    @Test
    void nonGlobalEntriesAreDroppedByCr3Reload() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        t.setPte(KVA, NEW | KERNEL);
        TlbStatsSnapshot before = mmu.tlb().stats().snapshot();
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(0, mmu.tlb().size());
        assertEquals(NEW, phys(mmu, KVA));
        TlbStatsSnapshot d = mmu.tlb().stats().snapshot().minus(before);
        assertEquals(1, d.nonGlobalFlushes());
        assertEquals(1, d.entriesInvalidated());
    }

    @Test
    void globalEntrySurvivesCr3ReloadWithPge() {
        t.map4k(KVA, OLD, KERNEL | _PAGE_GLOBAL);
        Mmu mmu = t.mmu();
        assertTrue(mapped(mmu.translate(KVA, READ, false)).global());
        t.setPte(KVA, NEW | KERNEL | _PAGE_GLOBAL);
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(OLD, phys(mmu, KVA));
    }

    @Test
    void globalBitIsNotCachedAsGlobalWithoutPge() {
        t.map4k(KVA, OLD, KERNEL | _PAGE_GLOBAL);
        Mmu mmu = t.mmu();
        mmu.writeCr4(ControlRegisters.CR4_PAE);
        phys(mmu, KVA);
        t.setPte(KVA, NEW | KERNEL | _PAGE_GLOBAL);
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(NEW, phys(mmu, KVA));
    }

    @Test
    void togglingPgeDropsGlobalEntries() {
        t.map4k(KVA, OLD, KERNEL | _PAGE_GLOBAL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        t.setPte(KVA, NEW | KERNEL | _PAGE_GLOBAL);
        long cr4 = mmu.cr().cr4();
        mmu.writeCr4(cr4 & ~ControlRegisters.CR4_PGE);
        mmu.writeCr4(cr4);
        assertEquals(NEW, phys(mmu, KVA));
        assertTrue(mmu.tlb().stats().snapshot().fullFlushes() >= 2);
    }

    @Test
    void cr4WriteThatKeepsPagingBitsDoesNotFlush() {
        t.map4k(KVA, OLD, KERNEL | _PAGE_GLOBAL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        mmu.writeCr4(mmu.cr().cr4() | (1L << 9)); // OSFXSR
        assertEquals(1, mmu.tlb().size());
    }

    @Test
    void flushAllDropsGlobalEntries() {
        t.map4k(KVA, OLD, KERNEL | _PAGE_GLOBAL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        t.setPte(KVA, NEW | KERNEL | _PAGE_GLOBAL);
        mmu.flushAll();
        assertEquals(0, mmu.tlb().size());
        assertEquals(NEW, phys(mmu, KVA));
    }

    @Test
    void statsCountHitsMissesAndWalks() {
        t.map4k(KVA, OLD, KERNEL);
        t.map4k(KVA + 0x1000, NEW, KERNEL);
        Mmu mmu = t.mmu();
        TlbStatsSnapshot before = mmu.tlb().stats().snapshot();
        phys(mmu, KVA);
        phys(mmu, KVA + 8);
        phys(mmu, KVA + 0x1000);
        phys(mmu, KVA + 0x1008);
        phys(mmu, KVA + 0x10);
        fault(mmu.translate(KVA + 0x2000, READ, false));
        TlbStatsSnapshot d = mmu.tlb().stats().snapshot().minus(before);
        assertEquals(3, d.hits());
        assertEquals(3, d.misses());
        assertEquals(3, d.walks());
        assertEquals(2, mmu.tlb().size());
    }

    @Test
    void writeThroughACleanCachedEntryRewalksAndSetsDirty() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        assertFalse(mapped(mmu.translate(KVA, READ, false)).dirty());
        assertEquals(0, t.pte(KVA) & _PAGE_DIRTY);
        long walks = mmu.tlb().stats().snapshot().walks();
        assertTrue(mapped(mmu.translate(KVA, WRITE, false)).dirty());
        assertEquals(_PAGE_DIRTY, t.pte(KVA) & _PAGE_DIRTY);
        assertEquals(walks + 1, mmu.tlb().stats().snapshot().walks());
        assertTrue(mmu.tlb().lookup(KVA).dirty());
        mapped(mmu.translate(KVA, WRITE, false));
        assertEquals(walks + 1, mmu.tlb().stats().snapshot().walks());
        assertEquals(1, mmu.tlb().size());
    }

    @Test
    void permissionFailureOnACachedEntryRewalksToThePreciseFault() {
        t.map4k(KVA, OLD, _PAGE_PRESENT);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        long walks = mmu.tlb().stats().snapshot().walks();
        WalkResult.Fault f = fault(mmu.translate(KVA, WRITE, false));
        assertEquals(0x3, f.errorCode());
        assertEquals(1, f.level());
        assertEquals(walks + 1, mmu.tlb().stats().snapshot().walks());
        assertEquals(0, mmu.tlb().size());
    }

    @Test
    void relaxedPteIsPickedUpWhenTheCachedEntryForbidsTheAccess() {
        t.map4k(KVA, OLD, _PAGE_PRESENT);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        t.setPte(KVA, OLD | KERNEL);
        assertTrue(mapped(mmu.translate(KVA, WRITE, false)).writable());
        assertTrue(mmu.tlb().lookup(KVA).writable());
    }

    @Test
    void cachedEntryHonoursUserAndNxChecks() {
        t.map4k(KVA, OLD, PteBits.__PAGE_KERNEL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        assertEquals(0x5, fault(mmu.translate(KVA, READ, true)).errorCode());
        phys(mmu, KVA);
        assertEquals(0x11, fault(mmu.translate(KVA, FETCH, false)).errorCode());
    }

    @Test
    void clearingWpLetsSupervisorWriteThroughACachedReadOnlyEntry() {
        t.map4k(KVA, OLD, _PAGE_PRESENT | _PAGE_DIRTY);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        mmu.writeCr0(mmu.cr().cr0() & ~ControlRegisters.CR0_WP);
        assertEquals(OLD, mapped(mmu.translate(KVA, WRITE, false)).physical());
        assertEquals(0x7, fault(mmu.translate(KVA, WRITE, true)).errorCode());
    }

    @Test
    void debugTranslateChangesNeitherTlbNorAccessedDirty() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        long pde = t.pde(KVA);
        TlbStatsSnapshot before = mmu.tlb().stats().snapshot();
        assertEquals(OLD + 4, mapped(mmu.debugTranslate(KVA + 4)).physical());
        assertEquals(pde, t.pde(KVA));
        assertEquals(OLD | KERNEL, t.pte(KVA));
        assertEquals(0, mmu.tlb().size());
        assertEquals(before, mmu.tlb().stats().snapshot());
    }

    @Test
    void translateSetsAccessedOnPdeAndPte() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        assertEquals(_PAGE_ACCESSED, t.pde(KVA) & _PAGE_ACCESSED);
        assertEquals(_PAGE_ACCESSED, t.pte(KVA) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void twoMiBPageIsCachedOnceForTheWholePage() {
        t.map2m(0xC040_0000L, 0x0060_0000L, KERNEL | _PAGE_GLOBAL);
        Mmu mmu = t.mmu();
        assertEquals(0x0060_0010L, phys(mmu, 0xC040_0010L));
        assertEquals(0x007F_FFF0L, phys(mmu, 0xC05F_FFF0L));
        assertEquals(1, mmu.tlb().stats().snapshot().walks());
        assertEquals(2L << 20, mmu.tlb().lookup(0xC050_0000L).pageSize());
        assertTrue(mapped(mmu.translate(0xC040_0000L, WRITE, false)).dirty());
        assertEquals(_PAGE_ACCESSED | _PAGE_DIRTY, t.pde(0xC040_0000L) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void pdptChangeInMemoryHasNoEffectUntilCr3Reload() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        long oldPdpte = t.pdpte(KVA);
        // a second page directory for the top GiB, in a different table area
        long pd = 0x80_0000L;
        long pt = 0x80_1000L;
        t.mem.writeLong(pd + 8 * ((KVA >>> 21) & 0x1FF), pt | KERNEL);
        t.mem.writeLong(pt + 8 * ((KVA >>> 12) & 0x1FF), NEW | KERNEL);
        t.setPdpte(KVA, pd | _PAGE_PRESENT);
        assertEquals(OLD, mapped(mmu.debugTranslate(KVA)).physical());
        mmu.flushAll();
        assertEquals(OLD, phys(mmu, KVA));
        assertEquals(oldPdpte, mmu.cr().pdpte(3));
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(NEW, phys(mmu, KVA));
        assertEquals(pd | _PAGE_PRESENT, mmu.cr().pdpte(3));
    }

    @Test
    void cr3LoadWithAReservedPdpteBitRaisesGpAndChangesNothing() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        phys(mmu, KVA);
        long[] pdptes = mmu.cr().pdptes();
        long badPdpt = 0x9000;
        t.mem.writeLong(badPdpt + 24, 0x5000 | _PAGE_PRESENT | _PAGE_RW);
        assertThrows(GeneralProtectionException.class, () -> mmu.loadCr3(badPdpt));
        assertEquals(PaeTables.PDPT, mmu.cr().cr3());
        assertEquals(java.util.Arrays.toString(pdptes), java.util.Arrays.toString(mmu.cr().pdptes()));
        assertEquals(1, mmu.tlb().size());
    }

    @Test
    void enablingPagingLoadsThePdptes() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = new Mmu(t.mem, PagingMode.PAE, TlbConfig.defaults(), 36);
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(0, mmu.cr().pdpte(3));
        mmu.writeCr0(ControlRegisters.CR0_PG | ControlRegisters.CR0_PE);
        assertEquals(t.pdpte(KVA), mmu.cr().pdpte(3));
        assertEquals(OLD, phys(mmu, KVA));
    }

    @Test
    void enablingPagingWithAReservedPdpteBitRaisesGpAndLeavesPagingOff() {
        t.setPdpte(KVA, 0x5000 | _PAGE_PRESENT | _PAGE_USER);
        Mmu mmu = new Mmu(t.mem, PagingMode.PAE, TlbConfig.defaults(), 36);
        mmu.loadCr3(PaeTables.PDPT);
        assertThrows(GeneralProtectionException.class, () -> mmu.writeCr0(ControlRegisters.CR0_PG));
        assertFalse(mmu.cr().pg());
    }

    @Test
    void dropListenerFiresWhenCr3ReloadDropsEntries() {
        t.map4k(KVA, OLD, KERNEL);
        Mmu mmu = t.mmu();
        AtomicInteger drops = new AtomicInteger();
        mmu.tlb().setDropListener(drops::incrementAndGet);
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(0, drops.get());
        phys(mmu, KVA);
        mmu.loadCr3(PaeTables.PDPT);
        assertEquals(1, drops.get());
    }

    @Test
    void userProcessPagesTranslateForUserAccesses() {
        t.map4k(0x0804_8000L, OLD, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER);
        Mmu mmu = t.mmu();
        WalkResult.Mapped m = mapped(mmu.translate(0x0804_8010L, WRITE, true));
        assertEquals(OLD + 0x10, m.physical());
        assertTrue(m.user());
        assertTrue(mapped(mmu.translate(0x0804_8010L, READ, true)).dirty());
    }
}
