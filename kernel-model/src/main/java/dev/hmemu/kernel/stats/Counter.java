package dev.hmemu.kernel.stats;

/** Per-CPU event counters the model keeps; names as Linux's /proc/vmstat where one exists. */
public enum Counter {
    NR_TLB_REMOTE_FLUSH("nr_tlb_remote_flush"),
    NR_TLB_REMOTE_FLUSH_RECEIVED("nr_tlb_remote_flush_received"),
    NR_TLB_LOCAL_FLUSH_ALL("nr_tlb_local_flush_all"),
    NR_TLB_LOCAL_FLUSH_ONE("nr_tlb_local_flush_one"),
    /** flush_all_zero_pkmaps() calls that flushed (a wrap that found count-1 slots). */
    PKMAP_FLUSHES("pkmap_flushes"),
    /** Wraps of the pkmap cursor. */
    PKMAP_WRAPS("pkmap_wraps"),
    /** kmap() calls that had to sleep on pkmap_map_wait. */
    KMAP_WAITS("kmap_waits"),
    /** kmap()/kunmap() calls that found kmap_lock held (on another CPU, at their clock). */
    KMAP_LOCK_CONTENDED("kmap_lock_contended"),
    /** Cycles spent spinning on kmap_lock. */
    KMAP_LOCK_SPIN_CYCLES("kmap_lock_spin_cycles"),
    KMAP_CALLS("kmap_calls"),
    KUNMAP_CALLS("kunmap_calls"),
    KMAP_LOCAL_CALLS("kmap_local_calls"),
    KUNMAP_LOCAL_CALLS("kunmap_local_calls"),
    KMAP_ATOMIC_CALLS("kmap_atomic_calls"),
    KUNMAP_ATOMIC_CALLS("kunmap_atomic_calls"),
    /** Deepest kmap_local stack seen (a maximum, not a sum). */
    KMAP_LOCAL_MAX_DEPTH("kmap_local_max_depth", true),
    CONTEXT_SWITCHES("context_switches"),
    PREEMPTIONS("preemptions"),
    TIMER_TICKS("timer_ticks"),
    PAGE_FAULTS("page_faults"),
    DEMAND_PAGED("demand_paged"),
    UACCESS_FIXUPS("uaccess_fixups");

    private final String linuxName;
    private final boolean maximum;

    Counter(String linuxName) {
        this(linuxName, false);
    }

    Counter(String linuxName, boolean maximum) {
        this.linuxName = linuxName;
        this.maximum = maximum;
    }

    public String linuxName() {
        return linuxName;
    }

    /** Combines per-CPU values: their sum, or their maximum for a maximum counter. */
    public long combine(long[] perCpu) {
        long t = 0;
        for (long v : perCpu) {
            t = maximum ? Math.max(t, v) : t + v;
        }
        return t;
    }

    /** True when the counter keeps a maximum rather than a sum. */
    public boolean maximum() {
        return maximum;
    }
}
