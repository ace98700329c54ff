package dev.hmemu.kernel.base;

/** The model was handed a guest pointer it cannot follow (unmapped, or outside memory). */
public final class GuestAccessException extends RuntimeException {
    private final long address;

    public GuestAccessException(long address, String what) {
        super(String.format("%s at %08x", what, address));
        this.address = address;
    }

    public long address() {
        return address;
    }
}
