package dev.hmemu.kernel.mm;

/** Page frames {@code [start, end)}, e.g. memory reserved at boot. */
record PfnRange(long start, long end) {
    PfnRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad pfn range [" + start + ", " + end + ")");
        }
    }

    boolean contains(long pfn) {
        return pfn >= start && pfn < end;
    }
}
