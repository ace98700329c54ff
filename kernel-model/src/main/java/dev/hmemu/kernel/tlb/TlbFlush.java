package dev.hmemu.kernel.tlb;

import dev.hmemu.kernel.Kernel;

/** STUB: replaced by the mm/highmem engineer. */
public final class TlbFlush {
    public TlbFlush(Kernel k) {
    }
}
