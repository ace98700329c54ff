package dev.hmemu.mmu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlRegistersTest {
    private final SparseMemory mem = new SparseMemory(1L << 32);
    private final ControlRegisters cr = new ControlRegisters();

    @Test
    void helpersReadTheArchitecturalBits() {
        cr.setCr0(0x8005_0033L);
        cr.setCr4(0xB0);
        cr.setEfer(0x800);
        assertTrue(cr.pg());
        assertTrue(cr.wp());
        assertTrue(cr.pae());
        assertTrue(cr.pge());
        assertTrue(cr.pse());
        assertTrue(cr.nxe());
        cr.setCr0(0x33);
        cr.setCr4(0);
        cr.setEfer(0);
        assertFalse(cr.pg() || cr.wp() || cr.pae() || cr.pge() || cr.pse() || cr.nxe());
    }

    @Test
    void pdptIsRead32ByteAlignedFromCr3IgnoringBits4To0() {
        mem.writeLong(0x2020, 0x5001);
        mem.writeLong(0x2038, 0x8001);
        cr.setCr3(0x203F);
        cr.loadPdptes(mem, 36);
        assertArrayEquals(new long[] {0x5001, 0, 0, 0x8001}, cr.pdptes());
        assertEquals(0x2020, cr.pdptAddress());
    }

    @Test
    void presentPdpteWithReservedBitsRaisesGpAndKeepsOldPdptes() {
        mem.writeLong(0x2000, 0x5001);
        cr.setCr3(0x2000);
        cr.loadPdptes(mem, 36);
        for (long bad : new long[] {0x2, 0x4, 0x20, 0x100, 1L << 36, 1L << 63}) {
            mem.writeLong(0x3000, 0x7001);
            mem.writeLong(0x3008, 0x6001 | bad);
            cr.setCr3(0x3000);
            GeneralProtectionException e = assertThrows(GeneralProtectionException.class,
                    () -> cr.loadPdptes(mem, 36), () -> "bit 0x" + Long.toHexString(bad));
            assertEquals(0, e.errorCode());
            assertEquals(0x5001, cr.pdpte(0));
        }
    }

    @Test
    void notPresentPdpteMayHoldReservedBits() {
        mem.writeLong(0x2000, 0xFFFF_FFFF_FFFF_FFFEL);
        cr.setCr3(0x2000);
        cr.loadPdptes(mem, 36);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, cr.pdpte(0));
    }

    @Test
    void pdpteIgnoredBitsAndCacheBitsAreNotReserved() {
        mem.writeLong(0x2000, 0x5001 | 0x8 | 0x10 | 0xE00);
        cr.setCr3(0x2000);
        cr.loadPdptes(mem, 36);
        assertEquals(0x5E19, cr.pdpte(0));
    }

    @Test
    void wideMaxPhysAddrAllowsHigherPdpteAddresses() {
        mem.writeLong(0x2000, (1L << 40) | 1);
        cr.setCr3(0x2000);
        assertThrows(GeneralProtectionException.class, () -> cr.loadPdptes(mem, 36));
        cr.loadPdptes(mem, 52);
        assertEquals((1L << 40) | 1, cr.pdpte(0));
    }

    @Test
    void toStringPrintsHex() {
        cr.setCr0(0x8005_0033L);
        assertTrue(cr.toString().contains("cr0=0x80050033"), cr.toString());
    }
}
