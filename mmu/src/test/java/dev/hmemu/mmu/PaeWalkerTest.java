package dev.hmemu.mmu;

import static dev.hmemu.mmu.AccessType.FETCH;
import static dev.hmemu.mmu.AccessType.READ;
import static dev.hmemu.mmu.AccessType.WRITE;
import static dev.hmemu.mmu.PteBits._PAGE_ACCESSED;
import static dev.hmemu.mmu.PteBits._PAGE_DIRTY;
import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_NX;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PaeWalkerTest {
    private static final long KVA = 0xC000_1000L;   // PDPTE 3
    private static final long UVA = 0x0804_8000L;   // PDPTE 0
    private static final long FRAME = 0x1_2345_6000L; // above 4 GiB

    private final PaeTables t = new PaeTables();
    private final PaeWalker walker = new PaeWalker(t.mem, 36);

    private WalkResult.Mapped mapped(WalkResult r) {
        return assertInstanceOf(WalkResult.Mapped.class, r, () -> "expected a mapping, got " + r);
    }

    private WalkResult.Fault fault(WalkResult r) {
        return assertInstanceOf(WalkResult.Fault.class, r, () -> "expected a fault, got " + r);
    }

    @Test
    void presentPteTranslatesToFramePlusOffset() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL);
        WalkResult.Mapped m = mapped(walker.walk(t.registers(true), KVA + 0x123, READ, false, true));
        assertEquals(FRAME + 0x123, m.physical());
        assertEquals(FRAME, m.pageBase());
        assertEquals(4096, m.pageSize());
        assertEquals(1, m.level());
        assertTrue(m.writable());
        assertFalse(m.user());
        assertTrue(m.executable());
        assertTrue(m.global());
        assertEquals(KVA + 0x123, m.linear());
    }

    @Test
    void notPresentPdpteFaultsAtLevel3WithErrorCode0() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), UVA, READ, false, true));
        assertEquals(3, f.level());
        assertEquals(0, f.errorCode());
        assertTrue(f.notPresent());
        assertEquals(UVA, f.linear());
    }

    @Test
    void notPresentPdeFaultsAtLevel2() {
        t.pdeAddr(KVA);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, WRITE, false, true));
        assertEquals(2, f.level());
        assertEquals(PageFaultCode.WRITE, f.errorCode());
    }

    @Test
    void notPresentPteFaultsAtLevel1WithUserAndWriteBits() {
        t.setPte(UVA, 0);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), UVA, WRITE, true, true));
        assertEquals(1, f.level());
        assertEquals(PageFaultCode.WRITE | PageFaultCode.USER, f.errorCode());
    }

    @Test
    void supervisorWriteToReadOnlyPageFaultsWithWpSet() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, WRITE, false, true));
        assertEquals(0x3, f.errorCode());
        assertEquals(1, f.level());
    }

    @Test
    void supervisorWriteToReadOnlyPageSucceedsWithWpClear() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        ControlRegisters cr = t.registers(true);
        cr.setCr0(cr.cr0() & ~ControlRegisters.CR0_WP);
        WalkResult.Mapped m = mapped(walker.walk(cr, KVA, WRITE, false, true));
        assertFalse(m.writable());
        assertTrue(m.dirty());
    }

    @Test
    void supervisorWriteThroughReadOnlyPdeFaultsAtLevel2() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_USER, _PAGE_PRESENT | _PAGE_RW);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, WRITE, false, true));
        assertEquals(0x3, f.errorCode());
        assertEquals(2, f.level());
    }

    @Test
    void userWriteToReadOnlyPageFaultsEvenWithWpClear() {
        t.map4k(UVA, FRAME, _PAGE_PRESENT | _PAGE_USER);
        ControlRegisters cr = t.registers(true);
        cr.setCr0(cr.cr0() & ~ControlRegisters.CR0_WP);
        WalkResult.Fault f = fault(walker.walk(cr, UVA, WRITE, true, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.WRITE | PageFaultCode.USER, f.errorCode());
    }

    @Test
    void userReadOfSupervisorPageFaultsWithErrorCode5() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_RW);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, READ, true, true));
        assertEquals(0x5, f.errorCode());
        assertEquals(1, f.level());
    }

    @Test
    void userAccessFaultsWhenOnlyThePdeIsSupervisor() {
        t.map4k(UVA, FRAME, _PAGE_PRESENT | _PAGE_RW, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), UVA, READ, true, true));
        assertEquals(0x5, f.errorCode());
        assertEquals(2, f.level());
    }

    @Test
    void supervisorMayReadAndWriteUserPages() {
        t.map4k(UVA, FRAME, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER);
        ControlRegisters cr = t.registers(true);
        assertTrue(mapped(walker.walk(cr, UVA, WRITE, false, true)).user());
        mapped(walker.walk(cr, UVA, FETCH, false, true));
    }

    @Test
    void fetchFromNxPageWithNxeFaultsWithErrorCode0x11() {
        t.map4k(KVA, FRAME, PteBits.__PAGE_KERNEL);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, FETCH, false, true));
        assertEquals(0x11, f.errorCode());
        assertEquals("supervisor instruction fetch in kernel mode\nerror_code(0x0011) - permissions violation",
                f.describe());
    }

    @Test
    void nxPageStillAllowsReadsAndWrites() {
        t.map4k(KVA, FRAME, PteBits.__PAGE_KERNEL);
        ControlRegisters cr = t.registers(true);
        assertFalse(mapped(walker.walk(cr, KVA, READ, false, true)).executable());
        mapped(walker.walk(cr, KVA, WRITE, false, true));
    }

    @Test
    void nxOnThePdeAloneForbidsFetch() {
        t.map4k(KVA, FRAME, PaeTables.TABLE | _PAGE_NX, _PAGE_PRESENT);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, FETCH, false, true));
        assertEquals(0x11, f.errorCode());
        assertEquals(2, f.level());
    }

    @Test
    void fetchFromExecutablePageSucceedsAndNotPresentFetchReportsInstrBit() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        ControlRegisters cr = t.registers(true);
        assertTrue(mapped(walker.walk(cr, KVA, FETCH, false, true)).executable());
        assertEquals(0x10, fault(walker.walk(cr, KVA + 0x1000, FETCH, false, true)).errorCode());
    }

    @Test
    void bit63WithoutNxeIsAReservedBitFault() {
        t.map4k(KVA, FRAME, PteBits.__PAGE_KERNEL);
        WalkResult.Fault f = fault(walker.walk(t.registers(false), KVA, READ, false, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.RSVD, f.errorCode());
        assertEquals(1, f.level());
        assertEquals("reserved bit violation", PageFaultCode.reason(f.errorCode()));
    }

    @Test
    void fetchWithoutNxeDoesNotReportInstrBit() {
        t.map4k(KVA, FRAME, PaeTables.TABLE, _PAGE_PRESENT);
        ControlRegisters cr = t.registers(false);
        assertTrue(mapped(walker.walk(cr, KVA, FETCH, false, true)).executable());
        assertEquals(0, fault(walker.walk(cr, KVA + 0x1000, FETCH, false, true)).errorCode());
    }

    @Test
    void pteFrameBitsAboveMaxPhysAddrAreReserved() {
        t.map4k(KVA, 1L << 36, _PAGE_PRESENT | _PAGE_RW);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, WRITE, true, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.RSVD | PageFaultCode.WRITE | PageFaultCode.USER,
                f.errorCode());
        assertEquals(1, f.level());
    }

    @Test
    void pdeBitsAboveMaxPhysAddrAreReserved() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        t.setPde(KVA, t.pde(KVA) | (1L << 40));
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, READ, false, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.RSVD, f.errorCode());
        assertEquals(2, f.level());
    }

    @Test
    void wideMaxPhysAddrAcceptsFramesAbove64GiB() {
        t.map4k(KVA, 1L << 40, _PAGE_PRESENT);
        WalkResult.Mapped m = mapped(new PaeWalker(t.mem, 52).walk(t.registers(true), KVA, READ, false, false));
        assertEquals(1L << 40, m.physical());
    }

    @Test
    void reservedBitsOfANotPresentEntryAreIgnored() {
        t.setPte(KVA, 0x7FF0_0000_0000_0000L);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), KVA, READ, false, true));
        assertEquals(0, f.errorCode());
    }

    @Test
    void twoMiBPageTranslatesOffsetInside() {
        t.map2m(0xC040_0000L, 0x3_0020_0000L, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL);
        WalkResult.Mapped m = mapped(walker.walk(t.registers(true), 0xC05F_F123L, READ, false, true));
        assertEquals(0x3_003F_F123L, m.physical());
        assertEquals(0x3_0020_0000L, m.pageBase());
        assertEquals(2L << 20, m.pageSize());
        assertEquals(2, m.level());
        assertTrue(m.global());
    }

    @Test
    void twoMiBPdeWithBits20To13SetIsAReservedBitFault() {
        t.map2m(0xC040_0000L, 0x0020_0000L | 0x2000, _PAGE_PRESENT);
        WalkResult.Fault f = fault(walker.walk(t.registers(true), 0xC040_0000L, READ, false, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.RSVD, f.errorCode());
        assertEquals(2, f.level());
    }

    @Test
    void twoMiBPdePatBit12IsNotReserved() {
        t.map2m(0xC040_0000L, 0x0020_0000L | PteBits._PAGE_PAT_LARGE, _PAGE_PRESENT);
        assertEquals(0x0020_0000L, mapped(walker.walk(t.registers(true), 0xC040_0000L, READ, false, true)).pageBase());
    }

    @Test
    void twoMiBPageGetsAccessedAndDirtyOnThePde() {
        t.map2m(0xC040_0000L, 0x0020_0000L, _PAGE_PRESENT | _PAGE_RW);
        ControlRegisters cr = t.registers(true);
        walker.walk(cr, 0xC040_0008L, READ, false, true);
        assertEquals(_PAGE_ACCESSED, t.pde(0xC040_0000L) & (_PAGE_ACCESSED | _PAGE_DIRTY));
        assertTrue(mapped(walker.walk(cr, 0xC040_0008L, WRITE, false, true)).dirty());
        assertEquals(_PAGE_ACCESSED | _PAGE_DIRTY, t.pde(0xC040_0000L) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void readSetsAccessedOnPdeAndPteButNotDirty() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_RW);
        WalkResult.Mapped m = mapped(walker.walk(t.registers(true), KVA, READ, false, true));
        assertFalse(m.dirty());
        assertEquals(_PAGE_ACCESSED, t.pde(KVA) & (_PAGE_ACCESSED | _PAGE_DIRTY));
        assertEquals(_PAGE_ACCESSED, t.pte(KVA) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void writeSetsDirtyOnlyOnTheLeaf() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_RW);
        WalkResult.Mapped m = mapped(walker.walk(t.registers(true), KVA, WRITE, false, true));
        assertTrue(m.dirty());
        assertEquals(_PAGE_ACCESSED, t.pde(KVA) & (_PAGE_ACCESSED | _PAGE_DIRTY));
        assertEquals(_PAGE_ACCESSED | _PAGE_DIRTY, t.pte(KVA) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void accessedDirtyUpdateKeepsTheHighHalfOfTheEntry() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_RW | _PAGE_NX);
        walker.walk(t.registers(true), KVA, WRITE, false, true);
        assertEquals(FRAME | _PAGE_PRESENT | _PAGE_RW | _PAGE_NX | _PAGE_ACCESSED | _PAGE_DIRTY, t.pte(KVA));
    }

    @Test
    void walkWithoutUpdateLeavesAccessedAndDirtyClear() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT | _PAGE_RW);
        long pde = t.pde(KVA);
        WalkResult.Mapped m = mapped(walker.walk(t.registers(true), KVA, WRITE, false, false));
        assertFalse(m.dirty());
        assertEquals(pde, t.pde(KVA));
        assertEquals(FRAME | _PAGE_PRESENT | _PAGE_RW, t.pte(KVA));
    }

    @Test
    void faultingWalkSetsNoAccessedBits() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        long pde = t.pde(KVA);
        fault(walker.walk(t.registers(true), KVA, WRITE, false, true));
        assertEquals(pde, t.pde(KVA));
        assertEquals(FRAME | _PAGE_PRESENT, t.pte(KVA));
    }

    @Test
    void topLevelComesFromPdpteRegistersNotMemory() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        ControlRegisters cr = t.registers(true);
        t.setPdpte(KVA, 0);
        mapped(walker.walk(cr, KVA, READ, false, true));
        cr.loadPdptes(t.mem, 36);
        assertEquals(3, fault(walker.walk(cr, KVA, READ, false, true)).level());
    }

    @Test
    void linearAddressAbove32BitsIsTruncated() {
        t.map4k(KVA, FRAME, _PAGE_PRESENT);
        assertEquals(FRAME + 4, mapped(walker.walk(t.registers(true), (1L << 32) | (KVA + 4), READ, false, true))
                .physical());
    }
}
