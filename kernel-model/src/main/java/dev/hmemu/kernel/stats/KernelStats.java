package dev.hmemu.kernel.stats;

import dev.hmemu.kernel.hcall.Hypercall;

/** The model's counters: per CPU, plus per-hypercall call counts and cycles. */
public final class KernelStats {
    private final int cpus;
    private CountListener listener = (c, cpu) -> { };
    private final long[][] counters;
    private final long[] calls = new long[Hypercall.values().length];
    private final long[] callCycles = new long[Hypercall.values().length];

    public KernelStats(int cpus) {
        this.cpus = cpus;
        this.counters = new long[Counter.values().length][cpus];
    }

    public int cpus() {
        return cpus;
    }

    public void count(Counter c, int cpu) {
        add(c, cpu, 1);
    }

    public void add(Counter c, int cpu, long n) {
        counters[c.ordinal()][cpu] += n;
        listener.counted(c, cpu);
    }

    /** Told of every count as it happens (a debugger's break-on events); one at a time. */
    @FunctionalInterface
    public interface CountListener {
        void counted(Counter c, int cpu);
    }

    /** Replaces the count listener (the default does nothing). */
    public void setCountListener(CountListener l) {
        this.listener = l == null ? (c, cpu) -> { } : l;
    }

    /** For maximum counters: raises the CPU's value to {@code v} if larger. */
    public void max(Counter c, int cpu, long v) {
        long[] a = counters[c.ordinal()];
        if (v > a[cpu]) {
            a[cpu] = v;
        }
    }

    public long get(Counter c, int cpu) {
        return counters[c.ordinal()][cpu];
    }

    /** Sum over CPUs (maximum for maximum counters). */
    public long total(Counter c) {
        return c.combine(counters[c.ordinal()]);
    }

    public void recordCall(Hypercall h, long cycles) {
        calls[h.ordinal()]++;
        callCycles[h.ordinal()] += cycles;
    }

    public long calls(Hypercall h) {
        return calls[h.ordinal()];
    }

    public long callCycles(Hypercall h) {
        return callCycles[h.ordinal()];
    }

    /** A copy of every counter now. */
    public long[][] snapshotCounters() {
        long[][] s = new long[counters.length][];
        for (int i = 0; i < counters.length; i++) {
            s[i] = counters[i].clone();
        }
        return s;
    }

    public long[] snapshotCalls() {
        return calls.clone();
    }

    public long[] snapshotCallCycles() {
        return callCycles.clone();
    }
}
