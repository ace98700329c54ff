package dev.hmemu.emulator.engine.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hmemu.mmu.PhysicalMemory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guest memory kept for the next machine must read as zeros, like fresh memory. */
class NativeHostMemoryTest {
    private static final long MEM = 16L << 20;

    private static void assertAllZero(PhysicalMemory m, long size) {
        for (long pa = 0; pa < size; pa += 8) {
            if (m.readLong(pa) != 0) {
                throw new AssertionError(String.format("byte at %#x of reused memory is not zero", pa));
            }
        }
    }

    @Test
    void reusedMemoryReadsAsZeros() {
        NativeHostMemory a = NativeHostMemory.allocate(MEM);
        long host = a.hostAddress();
        PhysicalMemory m = a.physical();
        m.writeByte(0, 0x5a);
        m.writeLong((5L << 20) + 123, -1L);
        m.writeInt((8L << 20) - 2, 0x01020304); // across a page boundary
        m.writeByte(MEM - 1, 0x77);
        assertEquals(0, m.readByte(9L << 20)); // only read: the zero page
        a.close();
        NativeHostMemory b = NativeHostMemory.allocate(MEM);
        try {
            assertEquals(host, b.hostAddress(), "the mapping just closed is the one reused");
            assertAllZero(b.physical(), MEM);
            b.physical().writeLong(4096, 42); // and it is writable again
            assertEquals(42, b.physical().readLong(4096));
        } finally {
            b.close();
        }
    }

    @Test
    void atMostAFewMappingsWait() {
        List<NativeHostMemory> open = new ArrayList<>();
        for (int i = 0; i < NativeHostMemory.MAX_IDLE + 2; i++) {
            open.add(NativeHostMemory.allocate(MEM));
        }
        long distinct = open.stream().mapToLong(NativeHostMemory::hostAddress).distinct().count();
        assertEquals(open.size(), distinct, "machines open at once never share memory");
        open.forEach(NativeHostMemory::close);
        assertEquals(NativeHostMemory.MAX_IDLE, NativeHostMemory.idle());
    }

    @Test
    void aMappingOfAnotherSizeIsNotReused() {
        NativeHostMemory small = NativeHostMemory.allocate(MEM);
        long host = small.hostAddress();
        small.close();
        NativeHostMemory big = NativeHostMemory.allocate(NativeHostMemory.CHUNK + MEM);
        try {
            assertNotEquals(host, big.hostAddress());
            assertTrue(big.size() > NativeHostMemory.CHUNK);
            assertAllZero(big.physical(), MEM);
        } finally {
            big.close();
        }
    }
}
