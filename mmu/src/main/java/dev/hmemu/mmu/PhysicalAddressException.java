package dev.hmemu.mmu;

/** An access to physical memory fell (partly) outside the installed memory. */
public final class PhysicalAddressException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long address;
    private final long length;

    /**
     * @param address first byte of the rejected access
     * @param length  number of bytes in the access
     * @param size    size of the memory, for the message
     */
    public PhysicalAddressException(long address, long length, long size) {
        super("physical access 0x" + Long.toHexString(address) + " (+0x" + Long.toHexString(length)
                + ") outside memory of size 0x" + Long.toHexString(size));
        this.address = address;
        this.length = length;
    }

    /** First byte of the rejected access. */
    public long address() {
        return address;
    }

    /** Number of bytes in the rejected access. */
    public long length() {
        return length;
    }

    /** Throws unless {@code [pa, pa+len)} lies inside {@code [0, size)}. */
    static void check(long pa, long len, long size) {
        if (pa < 0 || len < 0 || pa > size - len) {
            throw new PhysicalAddressException(pa, len, size);
        }
    }
}
