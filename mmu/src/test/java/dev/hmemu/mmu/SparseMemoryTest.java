package dev.hmemu.mmu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparseMemoryTest {
    private final SparseMemory mem = new SparseMemory(64L << 30);

    @Test
    void untouchedMemoryReadsAsZeroWithoutAllocating() {
        assertEquals(0, mem.readLong(0xF_0000_0000L));
        assertEquals(0, mem.readInt(0x1234));
        byte[] buf = {1, 2, 3};
        mem.read(0x5000, buf, 0, 3);
        assertArrayEquals(new byte[3], buf);
        assertEquals(0, mem.allocatedPages());
    }

    @Test
    void valuesAreLittleEndian() {
        mem.writeLong(0xF_0000_0000L, 0x0102_0304_0506_0708L);
        assertEquals(0x08, mem.readByte(0xF_0000_0000L));
        assertEquals(0x0506_0708, mem.readInt(0xF_0000_0000L));
        assertEquals(0x0102_0304, mem.readInt(0xF_0000_0004L));
        mem.writeByte(0xF_0000_0007L, 0xFF);
        assertEquals(0xFF, mem.readByte(0xF_0000_0007L));
        assertEquals(0xFF02_0304_0506_0708L, mem.readLong(0xF_0000_0000L));
    }

    @Test
    void accessesStraddlingA64KiBPageWork() {
        mem.writeLong(0xFFFD, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, mem.readLong(0xFFFD));
        assertEquals(0x3344_5566, mem.readInt(0xFFFF));
        mem.writeInt(0x1_FFFE, 0xCAFE_BABE);
        assertEquals(0xCAFE_BABE, mem.readInt(0x1_FFFE));
        assertEquals(2, mem.allocatedPages() - 1);
    }

    @Test
    void bulkReadWriteAndFillCrossPages() {
        byte[] src = new byte[200_000];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 7);
        }
        mem.write(0x7_FFF0, src, 0, src.length);
        byte[] dst = new byte[src.length];
        mem.read(0x7_FFF0, dst, 0, dst.length);
        assertArrayEquals(src, dst);
        mem.fill(0x8_0000, 0x2_0000, (byte) 0xAB);
        assertEquals(0xABAB_ABAB, mem.readInt(0x9_FFFC));
        assertEquals(0xAB, mem.readByte(0x8_0000));
    }

    @Test
    void fillingWholePagesWithZeroFreesThem() {
        mem.writeByte(0x30_0000, 1);
        mem.fill(0x30_0000, 0x1_0000, (byte) 0);
        assertEquals(0, mem.allocatedPages());
    }

    @Test
    void outOfRangeAccessThrowsWithHexAddress() {
        SparseMemory small = new SparseMemory(0x1_0000);
        PhysicalAddressException e = assertThrows(PhysicalAddressException.class, () -> small.readInt(0xFFFE));
        assertEquals(0xFFFE, e.address());
        assertTrue(e.getMessage().contains("0xfffe"), e.getMessage());
        assertThrows(PhysicalAddressException.class, () -> small.writeByte(-1, 0));
        assertThrows(PhysicalAddressException.class, () -> small.fill(0x8000, 0x8001, (byte) 0));
        assertThrows(PhysicalAddressException.class, () -> small.read(0xFFFF, new byte[2], 0, 2));
    }

    @Test
    void sizeAbove64GiBIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SparseMemory((64L << 30) + 1));
    }
}
