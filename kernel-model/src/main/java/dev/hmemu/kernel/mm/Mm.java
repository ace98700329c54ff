package dev.hmemu.kernel.mm;

import dev.hmemu.kernel.Kernel;

/** STUB: replaced by the mm/highmem engineer. */
public final class Mm {
    public static MmApi boot(Kernel k) {
        throw new UnsupportedOperationException("mm not written yet");
    }
}
