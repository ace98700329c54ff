package dev.hmemu.mmu;

import static dev.hmemu.mmu.AccessType.FETCH;
import static dev.hmemu.mmu.AccessType.READ;
import static dev.hmemu.mmu.AccessType.WRITE;
import static dev.hmemu.mmu.PteBits._PAGE_ACCESSED;
import static dev.hmemu.mmu.PteBits._PAGE_DIRTY;
import static dev.hmemu.mmu.PteBits._PAGE_GLOBAL;
import static dev.hmemu.mmu.PteBits._PAGE_PRESENT;
import static dev.hmemu.mmu.PteBits._PAGE_PSE;
import static dev.hmemu.mmu.PteBits._PAGE_RW;
import static dev.hmemu.mmu.PteBits._PAGE_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LegacyWalkerTest {
    private static final long PD = 0x2000;
    private static final long PT = 0x3000;
    private static final long KVA = 0xC012_3000L;

    private final SparseMemory mem = new SparseMemory(1L << 36);
    private final LegacyWalker walker = new LegacyWalker(mem);
    private final ControlRegisters cr = new ControlRegisters();

    LegacyWalkerTest() {
        cr.setCr0(ControlRegisters.CR0_PG | ControlRegisters.CR0_WP);
        cr.setCr3(PD);
        cr.setCr4(ControlRegisters.CR4_PSE);
    }

    private long pdeAddr(long linear) {
        return PD + 4 * (linear >>> 22);
    }

    private long pteAddr(long linear) {
        return PT + 4 * ((linear >>> 12) & 0x3FF);
    }

    private void map4k(long linear, long phys, long pdeFlags, long pteFlags) {
        mem.writeInt(pdeAddr(linear), (int) (PT | pdeFlags));
        mem.writeInt(pteAddr(linear), (int) (phys | pteFlags));
    }

    private WalkResult.Mapped mapped(WalkResult r) {
        return assertInstanceOf(WalkResult.Mapped.class, r, () -> "expected a mapping, got " + r);
    }

    private WalkResult.Fault fault(WalkResult r) {
        return assertInstanceOf(WalkResult.Fault.class, r, () -> "expected a fault, got " + r);
    }

    @Test
    void twoLevelWalkTranslatesWith32BitEntries() {
        map4k(KVA, 0x0765_4000L, _PAGE_PRESENT | _PAGE_RW, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL);
        WalkResult.Mapped m = mapped(walker.walk(cr, KVA + 0xABC, READ, false, true));
        assertEquals(0x0765_4ABCL, m.physical());
        assertEquals(4096, m.pageSize());
        assertEquals(1, m.level());
        assertTrue(m.global());
        assertTrue(m.executable());
    }

    @Test
    void notPresentPdeFaultsAtLevel2AndPteAtLevel1() {
        assertEquals(2, fault(walker.walk(cr, KVA, READ, false, true)).level());
        map4k(KVA, 0x5000, _PAGE_PRESENT, 0);
        WalkResult.Fault f = fault(walker.walk(cr, KVA, WRITE, true, true));
        assertEquals(1, f.level());
        assertEquals(PageFaultCode.WRITE | PageFaultCode.USER, f.errorCode());
    }

    @Test
    void readAndWriteSetAccessedAndLeafDirty() {
        map4k(KVA, 0x5000, _PAGE_PRESENT | _PAGE_RW, _PAGE_PRESENT | _PAGE_RW);
        walker.walk(cr, KVA, WRITE, false, true);
        assertEquals(_PAGE_ACCESSED, mem.readInt(pdeAddr(KVA)) & (_PAGE_ACCESSED | _PAGE_DIRTY));
        assertEquals(_PAGE_ACCESSED | _PAGE_DIRTY, mem.readInt(pteAddr(KVA)) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void protectionRulesMatchPae() {
        map4k(KVA, 0x5000, _PAGE_PRESENT | _PAGE_RW, _PAGE_PRESENT);
        assertEquals(0x3, fault(walker.walk(cr, KVA, WRITE, false, true)).errorCode());
        assertEquals(0x5, fault(walker.walk(cr, KVA, READ, true, true)).errorCode());
        cr.setCr0(ControlRegisters.CR0_PG);
        mapped(walker.walk(cr, KVA, WRITE, false, true));
    }

    @Test
    void fetchIsNeverBlockedByBit63AndNeverReportsInstr() {
        map4k(KVA, 0x5000, _PAGE_PRESENT, _PAGE_PRESENT);
        mapped(walker.walk(cr, KVA, FETCH, false, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.USER, fault(walker.walk(cr, KVA, FETCH, true, true)).errorCode());
    }

    @Test
    void fourMiBPageWithPseTranslatesOffsetInsideAndSetsAccessedDirtyOnPde() {
        mem.writeInt(pdeAddr(0xC040_0000L), (int) (0x0080_0000L | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE | _PAGE_USER));
        WalkResult.Mapped m = mapped(walker.walk(cr, 0xC07F_FFF0L, WRITE, true, true));
        assertEquals(0x00BF_FFF0L, m.physical());
        assertEquals(0x0080_0000L, m.pageBase());
        assertEquals(4L << 20, m.pageSize());
        assertEquals(2, m.level());
        assertTrue(m.dirty());
        assertEquals(_PAGE_ACCESSED | _PAGE_DIRTY, mem.readInt(pdeAddr(0xC040_0000L)) & (_PAGE_ACCESSED | _PAGE_DIRTY));
    }

    @Test
    void fourMiBPagePse36BitsGivePhysicalAddressAbove4GiB() {
        mem.writeInt(pdeAddr(0xC040_0000L), (int) (0x0080_0000L | (0x3L << 13) | _PAGE_PRESENT | _PAGE_PSE));
        assertEquals(0x3_0080_0010L, mapped(walker.walk(cr, 0xC040_0010L, READ, false, false)).physical());
    }

    @Test
    void fourMiBPdeBit21IsAReservedBitFault() {
        mem.writeInt(pdeAddr(0xC040_0000L), (int) (0x0080_0000L | (1L << 21) | _PAGE_PRESENT | _PAGE_PSE));
        WalkResult.Fault f = fault(walker.walk(cr, 0xC040_0000L, READ, false, true));
        assertEquals(PageFaultCode.PROT | PageFaultCode.RSVD, f.errorCode());
    }

    @Test
    void psBitIsIgnoredWithoutCr4Pse() {
        cr.setCr4(0);
        map4k(KVA, 0x5000, _PAGE_PRESENT | _PAGE_PSE, _PAGE_PRESENT);
        WalkResult.Mapped m = mapped(walker.walk(cr, KVA, READ, false, true));
        assertEquals(4096, m.pageSize());
        assertEquals(0x5000, m.pageBase());
    }

    @Test
    void debugWalkChangesNothing() {
        map4k(KVA, 0x5000, _PAGE_PRESENT | _PAGE_RW, _PAGE_PRESENT | _PAGE_RW);
        WalkResult.Mapped m = mapped(walker.walk(cr, KVA, WRITE, false, false));
        assertFalse(m.dirty());
        assertEquals(PT | _PAGE_PRESENT | _PAGE_RW, mem.readInt(pdeAddr(KVA)));
        assertEquals(0x5000 | _PAGE_PRESENT | _PAGE_RW, mem.readInt(pteAddr(KVA)));
    }

    @Test
    void legacyMmuTranslatesThroughTheLegacyWalker() {
        map4k(KVA, 0x5000, _PAGE_PRESENT | _PAGE_RW, _PAGE_PRESENT | _PAGE_RW);
        Mmu mmu = new Mmu(mem, PagingMode.LEGACY, TlbConfig.defaults(), 36);
        mmu.writeCr4(ControlRegisters.CR4_PSE);
        mmu.loadCr3(PD);
        mmu.writeCr0(0x8005_0033L);
        assertEquals(0x5008, assertInstanceOf(WalkResult.Mapped.class,
                mmu.translate(KVA + 8, READ, false)).physical());
        assertEquals(1, mmu.tlb().size());
    }
}
