package dev.hmemu.kernel.stats;

import dev.hmemu.mmu.TlbStatsSnapshot;

/**
 * Every counter at one moment: the model's per-CPU counters, per-hypercall calls and
 * cycles, and the machine's per-CPU instructions, cycles, TLB statistics and IPIs.
 */
public record Snapshot(long[][] counters, long[] calls, long[] callCycles, long[] instructions, long[] cycles,
                       long[] idleCycles, TlbStatsSnapshot[] tlb, long[] ipisSent, long[] ipisReceived,
                       long maxClock) {

    /** Counter-wise {@code this - earlier} (maximum counters keep this snapshot's value). */
    public Snapshot minus(Snapshot e) {
        long[][] c = new long[counters.length][];
        for (int i = 0; i < counters.length; i++) {
            c[i] = Counter.values()[i].maximum() ? counters[i].clone() : sub(counters[i], e.counters[i]);
        }
        TlbStatsSnapshot[] t = new TlbStatsSnapshot[tlb.length];
        for (int i = 0; i < tlb.length; i++) {
            t[i] = tlb[i].minus(e.tlb[i]);
        }
        return new Snapshot(c, sub(calls, e.calls), sub(callCycles, e.callCycles), sub(instructions, e.instructions),
                sub(cycles, e.cycles), sub(idleCycles, e.idleCycles), t, sub(ipisSent, e.ipisSent),
                sub(ipisReceived, e.ipisReceived), maxClock - e.maxClock);
    }

    private static long[] sub(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] - b[i];
        }
        return r;
    }

    /** Cycles spent working (clock minus idle time), summed over CPUs. */
    public long busyCycles() {
        return sum(cycles) - sum(idleCycles);
    }

    /**
     * Machine time: the latest CPU clock (for a difference, how far the latest clock
     * moved, i.e. the phase's elapsed cycles).
     */
    public long elapsedCycles() {
        return maxClock;
    }

    public long counter(Counter c, int cpu) {
        return counters[c.ordinal()][cpu];
    }

    public long total(Counter c) {
        return c.combine(counters[c.ordinal()]);
    }

    public int cpus() {
        return cycles.length;
    }

    public static long sum(long[] a) {
        long t = 0;
        for (long v : a) {
            t += v;
        }
        return t;
    }
}
