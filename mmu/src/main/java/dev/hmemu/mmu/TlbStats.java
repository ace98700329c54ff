package dev.hmemu.mmu;

/** Mutable TLB counters, owned by one {@link Tlb}; read them through {@link #snapshot()}. */
public final class TlbStats {
    private long hits;
    private long misses;
    private long walks;
    private long evictions;
    private long invlpgFlushes;
    private long nonGlobalFlushes;
    private long fullFlushes;
    private long entriesInvalidated;

    /** The current values. */
    public TlbStatsSnapshot snapshot() {
        return new TlbStatsSnapshot(hits, misses, walks, evictions, invlpgFlushes, nonGlobalFlushes, fullFlushes,
                entriesInvalidated);
    }

    /** Page walks so far (cheap read for the fill path). */
    public long walks() {
        return walks;
    }

    /** Sets every counter to zero. */
    public void reset() {
        hits = misses = walks = evictions = invlpgFlushes = nonGlobalFlushes = fullFlushes = entriesInvalidated = 0;
    }

    /** Counts one page walk; called by whoever walks on behalf of this TLB (the {@link Mmu}). */
    public void recordWalk() {
        walks++;
    }

    void recordHit() {
        hits++;
    }

    void recordMiss() {
        misses++;
    }

    void recordEviction() {
        evictions++;
    }

    void recordInvlpg() {
        invlpgFlushes++;
    }

    void recordNonGlobalFlush() {
        nonGlobalFlushes++;
    }

    void recordFullFlush() {
        fullFlushes++;
    }

    void recordInvalidated(int entries) {
        entriesInvalidated += entries;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
