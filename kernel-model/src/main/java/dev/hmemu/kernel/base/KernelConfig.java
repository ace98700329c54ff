package dev.hmemu.kernel.base;

/**
 * Kernel build and boot options, in one place (like a .config plus the command line).
 *
 * @param debugKmapLocal CONFIG_DEBUG_KMAP_LOCAL: KM_MAX_IDX 33, guard slots (KM_INCR 2)
 * @param forceMap CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP: lowmem kmap_local goes through a slot too
 *     (selects debugKmapLocal, as in Kconfig)
 * @param lowmemLimit bytes of lowmem (the direct map); 0 = as Linux computes MAXMEM
 * @param tickCycles cycles between timer ticks on each CPU (HZ at the modelled clock)
 * @param hz HZ (jiffies per second)
 * @param preempt CONFIG_PREEMPT: timer ticks preempt tasks whose preempt_count is 0
 * @param fixKmapBegin FIX_KMAP_BEGIN in enum fixed_addresses (68 with APIC + 64 IO-APICs)
 * @param fixaddrTop FIXADDR_TOP
 * @param tlbSinglePageFlushCeiling tlb_single_page_flush_ceiling (33)
 */
public record KernelConfig(boolean debugKmapLocal, boolean forceMap, long lowmemLimit, long tickCycles, int hz,
                           boolean preempt, int fixKmapBegin, long fixaddrTop, int tlbSinglePageFlushCeiling) {

    public KernelConfig {
        if (forceMap) {
            debugKmapLocal = true; // DEBUG_KMAP_LOCAL_FORCE_MAP selects DEBUG_KMAP_LOCAL
        }
        if (tickCycles < 1000) {
            throw new IllegalArgumentException("tick must be at least 1000 cycles");
        }
        if (lowmemLimit < 0 || lowmemLimit % (2L << 20) != 0) {
            throw new IllegalArgumentException("lowmem limit must be a multiple of 2 MiB");
        }
    }

    public static KernelConfig defaults() {
        return new KernelConfig(false, false, 0, 4_000_000, 250, true, 68, 0xfffff000L, 33);
    }

    /** KM_MAX_IDX (include/asm-generic/kmap_size.h). */
    public int kmMaxIdx() {
        return debugKmapLocal ? 33 : 16;
    }

    /** KM_INCR (mm/highmem.c). */
    public int kmIncr() {
        return debugKmapLocal ? 2 : 1;
    }

    public KernelConfig withDebugKmapLocal(boolean v) {
        return new KernelConfig(v, forceMap, lowmemLimit, tickCycles, hz, preempt, fixKmapBegin, fixaddrTop,
                tlbSinglePageFlushCeiling);
    }

    public KernelConfig withForceMap(boolean v) {
        return new KernelConfig(debugKmapLocal, v, lowmemLimit, tickCycles, hz, preempt, fixKmapBegin, fixaddrTop,
                tlbSinglePageFlushCeiling);
    }

    public KernelConfig withLowmemLimit(long bytes) {
        return new KernelConfig(debugKmapLocal, forceMap, bytes, tickCycles, hz, preempt, fixKmapBegin, fixaddrTop,
                tlbSinglePageFlushCeiling);
    }

    public KernelConfig withTickCycles(long cycles) {
        return new KernelConfig(debugKmapLocal, forceMap, lowmemLimit, cycles, hz, preempt, fixKmapBegin, fixaddrTop,
                tlbSinglePageFlushCeiling);
    }

    public KernelConfig withPreempt(boolean v) {
        return new KernelConfig(debugKmapLocal, forceMap, lowmemLimit, tickCycles, hz, v, fixKmapBegin, fixaddrTop,
                tlbSinglePageFlushCeiling);
    }
}
