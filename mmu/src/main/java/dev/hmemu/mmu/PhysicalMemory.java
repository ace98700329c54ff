package dev.hmemu.mmu;

/**
 * Guest physical memory, addressed by byte from 0 to {@link #size()} - 1.
 *
 * <p>Multi-byte values are little-endian, as on x86. Every method checks its whole range
 * first and throws {@link PhysicalAddressException} without touching memory if any byte
 * lies outside {@code [0, size())}. Bulk methods may cross internal chunk or page
 * boundaries; 4- and 8-byte accesses work at any alignment, though callers normally keep
 * them naturally aligned.
 *
 * <p>Implementations are not synchronised: a machine touches memory from one thread.
 */
public interface PhysicalMemory {

    /** Size in bytes. */
    long size();

    /** Reads one byte, returned unsigned (0..255). */
    int readByte(long pa);

    /** Reads a little-endian 32-bit value. */
    int readInt(long pa);

    /** Reads a little-endian 64-bit value. */
    long readLong(long pa);

    /** Writes the low 8 bits of {@code v}. */
    void writeByte(long pa, int v);

    /** Writes a little-endian 32-bit value. */
    void writeInt(long pa, int v);

    /** Writes a little-endian 64-bit value. */
    void writeLong(long pa, long v);

    /** Copies {@code len} bytes starting at {@code pa} into {@code dst[off..off+len)}. */
    void read(long pa, byte[] dst, int off, int len);

    /** Copies {@code src[off..off+len)} to memory starting at {@code pa}. */
    void write(long pa, byte[] src, int off, int len);

    /** Sets {@code len} bytes starting at {@code pa} to {@code value}. */
    void fill(long pa, long len, byte value);
}
