package dev.hmemu.mmu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Heap-backed physical memory for tests and pure-Java use: 64 KiB pages allocated on the
 * first write. Untouched memory reads as zero and costs nothing, so a 64 GiB machine with
 * a few page tables fits in a few megabytes. Filling a whole page with zero frees it.
 */
public final class SparseMemory implements PhysicalMemory {
    /** Largest supported size: 64 GiB. */
    public static final long MAX_SIZE = 64L << 30;

    private static final int PAGE_SHIFT = 16;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long size;
    private final byte[][] pages;

    /** @param size bytes of memory, 1 .. {@link #MAX_SIZE} */
    public SparseMemory(long size) {
        if (size <= 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size 0x" + Long.toHexString(size) + " not in 1..0x"
                    + Long.toHexString(MAX_SIZE));
        }
        this.size = size;
        this.pages = new byte[(int) ((size + PAGE_MASK) >>> PAGE_SHIFT)][];
    }

    @Override
    public long size() {
        return size;
    }

    /** Number of 64 KiB pages currently backed by heap arrays. */
    public int allocatedPages() {
        int n = 0;
        for (byte[] p : pages) {
            if (p != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public int readByte(long pa) {
        PhysicalAddressException.check(pa, 1, size);
        byte[] p = pages[(int) (pa >>> PAGE_SHIFT)];
        return p == null ? 0 : p[(int) pa & PAGE_MASK] & 0xFF;
    }

    @Override
    public int readInt(long pa) {
        PhysicalAddressException.check(pa, 4, size);
        int off = (int) pa & PAGE_MASK;
        if (off <= PAGE_SIZE - 4) {
            byte[] p = pages[(int) (pa >>> PAGE_SHIFT)];
            return p == null ? 0 : (int) INT.get(p, off);
        }
        return (int) readSpanning(pa, 4);
    }

    @Override
    public long readLong(long pa) {
        PhysicalAddressException.check(pa, 8, size);
        int off = (int) pa & PAGE_MASK;
        if (off <= PAGE_SIZE - 8) {
            byte[] p = pages[(int) (pa >>> PAGE_SHIFT)];
            return p == null ? 0 : (long) LONG.get(p, off);
        }
        return readSpanning(pa, 8);
    }

    @Override
    public void writeByte(long pa, int v) {
        PhysicalAddressException.check(pa, 1, size);
        page(pa)[(int) pa & PAGE_MASK] = (byte) v;
    }

    @Override
    public void writeInt(long pa, int v) {
        PhysicalAddressException.check(pa, 4, size);
        int off = (int) pa & PAGE_MASK;
        if (off <= PAGE_SIZE - 4) {
            INT.set(page(pa), off, v);
        } else {
            writeSpanning(pa, v, 4);
        }
    }

    @Override
    public void writeLong(long pa, long v) {
        PhysicalAddressException.check(pa, 8, size);
        int off = (int) pa & PAGE_MASK;
        if (off <= PAGE_SIZE - 8) {
            LONG.set(page(pa), off, v);
        } else {
            writeSpanning(pa, v, 8);
        }
    }

    @Override
    public void read(long pa, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        PhysicalAddressException.check(pa, len, size);
        while (len > 0) {
            int inPage = (int) pa & PAGE_MASK;
            int n = Math.min(len, PAGE_SIZE - inPage);
            byte[] p = pages[(int) (pa >>> PAGE_SHIFT)];
            if (p == null) {
                Arrays.fill(dst, off, off + n, (byte) 0);
            } else {
                System.arraycopy(p, inPage, dst, off, n);
            }
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
            int inPage = (int) pa & PAGE_MASK;
            int n = Math.min(len, PAGE_SIZE - inPage);
            System.arraycopy(src, off, page(pa), inPage, n);
            pa += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void fill(long pa, long len, byte value) {
        PhysicalAddressException.check(pa, len, size);
        while (len > 0) {
            int inPage = (int) pa & PAGE_MASK;
            int n = (int) Math.min(len, PAGE_SIZE - inPage);
            int index = (int) (pa >>> PAGE_SHIFT);
            if (value == 0 && n == PAGE_SIZE) {
                pages[index] = null;
            } else if (value != 0 || pages[index] != null) {
                Arrays.fill(page(pa), inPage, inPage + n, value);
            }
            pa += n;
            len -= n;
        }
    }

    /** The page holding {@code pa}, allocated if it is still untouched. */
    private byte[] page(long pa) {
        int index = (int) (pa >>> PAGE_SHIFT);
        byte[] p = pages[index];
        if (p == null) {
            p = new byte[PAGE_SIZE];
            pages[index] = p;
        }
        return p;
    }

    private long readSpanning(long pa, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | readByte(pa + i);
        }
        return v;
    }

    private void writeSpanning(long pa, long v, int n) {
        for (int i = 0; i < n; i++) {
            writeByte(pa + i, (int) (v >>> (8 * i)));
        }
    }

    @Override
    public String toString() {
        return "SparseMemory[size=0x" + Long.toHexString(size) + ", allocatedPages=" + allocatedPages() + "]";
    }
}
