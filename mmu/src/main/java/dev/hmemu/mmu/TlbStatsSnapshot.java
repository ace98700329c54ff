package dev.hmemu.mmu;

/**
 * Counter values of a {@link TlbStats} at one moment.
 *
 * @param hits               lookups that found an entry (the engine's refills: how many
 *                           there are depends on the engine's own TLB, not only on the guest)
 * @param misses             lookups that found none
 * @param walks              page walks done by the MMU (misses, D-bit updates, precise faults)
 * @param evictions          valid entries replaced to make room (oldest first)
 * @param invlpgFlushes      INVLPG operations
 * @param nonGlobalFlushes   flushes of non-global entries (CR3 reloads)
 * @param fullFlushes        flushes of all entries, global included (CR4.PGE toggle, flush-all)
 * @param entriesInvalidated entries dropped by INVLPG, flushes and fault invalidation (not evictions)
 */
public record TlbStatsSnapshot(long hits, long misses, long walks, long evictions, long invlpgFlushes,
                               long nonGlobalFlushes, long fullFlushes, long entriesInvalidated) {

    /** Counter-wise difference {@code this - earlier}. */
    public TlbStatsSnapshot minus(TlbStatsSnapshot earlier) {
        return new TlbStatsSnapshot(hits - earlier.hits, misses - earlier.misses, walks - earlier.walks,
                evictions - earlier.evictions, invlpgFlushes - earlier.invlpgFlushes,
                nonGlobalFlushes - earlier.nonGlobalFlushes, fullFlushes - earlier.fullFlushes,
                entriesInvalidated - earlier.entriesInvalidated);
    }
}
