package dev.hmemu.emulator.debug;

/** A debugger access to a virtual address that does not translate. */
public final class DebugMemoryException extends RuntimeException {
    private final long address;

    public DebugMemoryException(long address, String why) {
        super(String.format("cannot access %08x: %s", address, why));
        this.address = address;
    }

    public long address() {
        return address;
    }
}
