package dev.hmemu.kernel.report;

/**
 * A call site as captured at a hypercall, before symbolization: the guest EIP (the
 * hypercall instruction, inlined into the caller) and the frame-pointer return addresses
 * above it, innermost first.
 */
public record RawSite(long pc, long[] returns) {
    public static final RawSite NONE = new RawSite(0, new long[0]);
}
