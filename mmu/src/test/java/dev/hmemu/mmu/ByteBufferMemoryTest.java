package dev.hmemu.mmu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ByteBufferMemoryTest {
    private static final int CHUNK = 4096;

    private final ByteBuffer[] chunks = {
        ByteBuffer.allocateDirect(CHUNK), ByteBuffer.allocateDirect(CHUNK), ByteBuffer.allocate(CHUNK)
    };
    private final ByteBufferMemory mem = new ByteBufferMemory(chunks);

    @Test
    void sizeIsChunkCountTimesChunkSize() {
        assertEquals(3L * CHUNK, mem.size());
        assertEquals(CHUNK, mem.chunkSize());
    }

    @Test
    void valuesAreLittleEndianEvenOverBigEndianBuffers() {
        mem.writeLong(0x10, 0x0102_0304_0506_0708L);
        assertEquals(0x08, mem.readByte(0x10));
        assertEquals(0x08, chunks[0].get(0x10));
        assertEquals(ByteOrder.BIG_ENDIAN, chunks[0].order());
        assertEquals(0x0506_0708, mem.readInt(0x10));
    }

    @Test
    void unalignedValuesStraddlingAChunkBoundaryRoundTrip() {
        for (int back = 1; back < 8; back++) {
            long pa = CHUNK - back;
            mem.writeLong(pa, 0x8877_6655_4433_2211L);
            assertEquals(0x8877_6655_4433_2211L, mem.readLong(pa), "long at -" + back);
            mem.writeInt(2L * CHUNK - back, 0xDEAD_BEEF);
            if (back < 4) {
                assertEquals(0xDEAD_BEEF, mem.readInt(2L * CHUNK - back), "int at -" + back);
            }
        }
        mem.writeInt(CHUNK + 1, 0x1234_5678);
        assertEquals(0x1234_5678, mem.readInt(CHUNK + 1));
    }

    @Test
    void bulkReadWriteSpanAllChunks() {
        byte[] src = new byte[3 * CHUNK - 10];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i ^ (i >>> 8));
        }
        mem.write(5, src, 0, src.length);
        byte[] dst = new byte[src.length + 4];
        mem.read(5, dst, 2, src.length);
        byte[] expected = new byte[dst.length];
        System.arraycopy(src, 0, expected, 2, src.length);
        assertArrayEquals(expected, dst);
        assertEquals(src[CHUNK - 5] & 0xFF, chunks[1].get(0) & 0xFF);
    }

    @Test
    void fillCrossesChunks() {
        mem.fill(CHUNK - 3, CHUNK + 6, (byte) 0x5A);
        assertEquals(0, mem.readByte(CHUNK - 4));
        assertEquals(0x5A, mem.readByte(CHUNK - 3));
        assertEquals(0x5A, mem.readByte(2L * CHUNK + 2));
        assertEquals(0, mem.readByte(2L * CHUNK + 3));
    }

    @Test
    void callersBufferPositionDoesNotMatter() {
        chunks[1].position(100).limit(200);
        mem.writeInt(CHUNK + 300, 42);
        assertEquals(42, mem.readInt(CHUNK + 300));
        assertEquals(100, chunks[1].position());
    }

    @Test
    void outOfRangeAccessThrows() {
        assertThrows(PhysicalAddressException.class, () -> mem.readLong(3L * CHUNK - 4));
        assertThrows(PhysicalAddressException.class, () -> mem.write(3L * CHUNK, new byte[1], 0, 1));
        assertThrows(PhysicalAddressException.class, () -> mem.readByte(-1));
    }

    @Test
    void chunksMustBeEqualPowersOfTwo() {
        assertThrows(IllegalArgumentException.class,
                () -> new ByteBufferMemory(new ByteBuffer[] {ByteBuffer.allocate(4096), ByteBuffer.allocate(2048)}));
        assertThrows(IllegalArgumentException.class,
                () -> new ByteBufferMemory(new ByteBuffer[] {ByteBuffer.allocate(3000)}));
        assertThrows(IllegalArgumentException.class, () -> new ByteBufferMemory(new ByteBuffer[0]));
    }
}
