package dev.hmemu.mmu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Physical memory over a row of equally sized {@link ByteBuffer} chunks, typically 1 GiB
 * direct buffers wrapping natively mapped guest RAM (the same memory the CPU engine uses).
 *
 * <p>Chunk {@code i} holds physical addresses {@code [i*chunkSize, (i+1)*chunkSize)}. The
 * buffers are duplicated (position 0, limit = capacity, little-endian), so the caller's
 * buffers keep their own position and order; only absolute get/put is used.
 */
public final class ByteBufferMemory implements PhysicalMemory {
    private static final int FILL_BLOCK = 64 * 1024;

    private final ByteBuffer[] chunks;
    private final int chunkSize;
    private final int shift;
    private final int mask;
    private final long size;

    /**
     * @param chunks at least one buffer; all of the same power-of-two capacity
     * @throws IllegalArgumentException if the chunks are empty, unequal or not a power of two
     */
    public ByteBufferMemory(ByteBuffer[] chunks) {
        if (chunks == null || chunks.length == 0) {
            throw new IllegalArgumentException("need at least one chunk");
        }
        int cap = chunks[0].capacity();
        if (Integer.bitCount(cap) != 1) {
            throw new IllegalArgumentException("chunk capacity 0x" + Integer.toHexString(cap)
                    + " is not a power of two");
        }
        this.chunks = new ByteBuffer[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            if (chunks[i].capacity() != cap) {
                throw new IllegalArgumentException("chunk " + i + " has capacity 0x"
                        + Integer.toHexString(chunks[i].capacity()) + ", expected 0x" + Integer.toHexString(cap));
            }
            ByteBuffer dup = chunks[i].duplicate();
            dup.clear();
            this.chunks[i] = dup.order(ByteOrder.LITTLE_ENDIAN);
        }
        this.chunkSize = cap;
        this.shift = Integer.numberOfTrailingZeros(cap);
        this.mask = cap - 1;
        this.size = (long) cap * chunks.length;
    }

    /** Capacity of each chunk in bytes. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int readByte(long pa) {
        PhysicalAddressException.check(pa, 1, size);
        return chunks[(int) (pa >>> shift)].get((int) pa & mask) & 0xFF;
    }

    @Override
    public int readInt(long pa) {
        PhysicalAddressException.check(pa, 4, size);
        int off = (int) pa & mask;
        if (off <= chunkSize - 4) {
            return chunks[(int) (pa >>> shift)].getInt(off);
        }
        return (int) readSpanning(pa, 4);
    }

    @Override
    public long readLong(long pa) {
        PhysicalAddressException.check(pa, 8, size);
        int off = (int) pa & mask;
        if (off <= chunkSize - 8) {
            return chunks[(int) (pa >>> shift)].getLong(off);
        }
        return readSpanning(pa, 8);
    }

    @Override
    public void writeByte(long pa, int v) {
        PhysicalAddressException.check(pa, 1, size);
        chunks[(int) (pa >>> shift)].put((int) pa & mask, (byte) v);
    }

    @Override
    public void writeInt(long pa, int v) {
        PhysicalAddressException.check(pa, 4, size);
        int off = (int) pa & mask;
        if (off <= chunkSize - 4) {
            chunks[(int) (pa >>> shift)].putInt(off, v);
        } else {
            writeSpanning(pa, v, 4);
        }
    }

    @Override
    public void writeLong(long pa, long v) {
        PhysicalAddressException.check(pa, 8, size);
        int off = (int) pa & mask;
        if (off <= chunkSize - 8) {
            chunks[(int) (pa >>> shift)].putLong(off, v);
        } else {
            writeSpanning(pa, v, 8);
        }
    }

    @Override
    public void read(long pa, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        PhysicalAddressException.check(pa, len, size);
        while (len > 0) {
            int inChunk = (int) pa & mask;
            int n = Math.min(len, chunkSize - inChunk);
            chunks[(int) (pa >>> shift)].get(inChunk, dst, off, n);
            pa += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void write(long pa, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        PhysicalAddressException.check(pa, len, size);
        while (len > 0) {
            int inChunk = (int) pa & mask;
            int n = Math.min(len, chunkSize - inChunk);
            chunks[(int) (pa >>> shift)].put(inChunk, src, off, n);
            pa += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void fill(long pa, long len, byte value) {
        PhysicalAddressException.check(pa, len, size);
        byte[] block = new byte[(int) Math.min(len, FILL_BLOCK)];
        if (value != 0) {
            Arrays.fill(block, value);
        }
        while (len > 0) {
            int n = (int) Math.min(len, block.length);
            write(pa, block, 0, n);
            pa += n;
            len -= n;
        }
    }

    /** Little-endian read of {@code n} bytes that may straddle two chunks. */
    private long readSpanning(long pa, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            long a = pa + i;
            v = (v << 8) | (chunks[(int) (a >>> shift)].get((int) a & mask) & 0xFF);
        }
        return v;
    }

    /** Little-endian write of {@code n} bytes that may straddle two chunks. */
    private void writeSpanning(long pa, long v, int n) {
        for (int i = 0; i < n; i++) {
            long a = pa + i;
            chunks[(int) (a >>> shift)].put((int) a & mask, (byte) (v >>> (8 * i)));
        }
    }

    @Override
    public String toString() {
        return "ByteBufferMemory[size=0x" + Long.toHexString(size) + ", chunks=" + chunks.length
                + " x 0x" + Integer.toHexString(chunkSize) + "]";
    }
}
