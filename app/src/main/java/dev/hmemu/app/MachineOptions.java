package dev.hmemu.app;

import dev.hmemu.emulator.CycleCosts;
import dev.hmemu.emulator.MachineConfig;
import dev.hmemu.emulator.RunLimits;
import dev.hmemu.kernel.base.KernelConfig;
import dev.hmemu.mmu.PagingMode;
import dev.hmemu.mmu.TlbConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Machine, kernel and limit options shared by the commands that boot a machine. */
public final class MachineOptions {
    @Option(names = "--cpus", description = "Emulated CPUs, 1..16 (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int cpus;

    @Option(names = "--mem", description = "Guest physical memory, 16M..16G (default: ${DEFAULT-VALUE}).",
            defaultValue = "2G")
    String mem;

    @Option(names = "--paging", description = "pae or legacy (2-level) (default: ${DEFAULT-VALUE}).",
            defaultValue = "pae")
    String paging;

    @Option(names = "--lowmem", description = "Lowmem (direct map) size; default as Linux computes MAXMEM.")
    String lowmem;

    @Option(names = "--debug-kmap-local", description = "CONFIG_DEBUG_KMAP_LOCAL: KM_MAX_IDX 33 with guard slots.")
    boolean debugKmapLocal;

    @Option(names = "--force-map", description = "CONFIG_DEBUG_KMAP_LOCAL_FORCE_MAP: lowmem kmap_local uses slots too.")
    boolean forceMap;

    @Option(names = "--no-preempt", description = "Timer ticks never preempt (PREEMPT_NONE-like).")
    boolean noPreempt;

    @Option(names = "--tick-cycles", description = "Cycles between timer ticks (default: ${DEFAULT-VALUE}, HZ=250 at 1 GHz).",
            defaultValue = "4000000")
    long tickCycles;

    @Option(names = "--quantum", description = "Instructions per scheduling slice (default: ${DEFAULT-VALUE}).",
            defaultValue = "20000")
    long quantum;

    @Option(names = "--tlb-entries", description = "4 KiB TLB entries per CPU (default: ${DEFAULT-VALUE}).",
            defaultValue = "1536")
    int tlbEntries;

    @Option(names = "--tlb-ways", description = "4 KiB TLB associativity (default: ${DEFAULT-VALUE}).",
            defaultValue = "12")
    int tlbWays;

    @Option(names = "--cost", description = "Override a cycle-model figure, KEY=VALUE (repeatable).")
    List<String> costs = new ArrayList<>();

    @Option(names = "--cost-file", description = "Cycle-model overrides from a properties file.")
    Path costFile;

    @Option(names = "--max-instructions", description = "Stop after this many instructions, all CPUs (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000000000")
    long maxInstructions;

    @Option(names = "--max-cycles", description = "Stop when a CPU's clock reaches this (0 = no limit).",
            defaultValue = "0")
    long maxCycles;

    @Option(names = "--timeout", description = "Stop after this many wall-clock seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "60")
    long timeoutSeconds;

    /** Most wall-clock seconds a --timeout may ask for (a week). */
    static final long MAX_TIMEOUT_SECONDS = 7L * 24 * 3600;
    /** Smallest lowmem (direct map) hmemu boots with. */
    static final long MIN_LOWMEM = 32L << 20;

    private static void range(String option, long v, long min, long max) {
        if (v < min || v > max) {
            throw new UsageException(option + " must be " + min + ".." + max + ", got " + v);
        }
    }

    /** Range checks of the numeric options, before any work. */
    void validate() {
        range("--quantum", quantum, 1, 1_000_000_000L);
        range("--tick-cycles", tickCycles, 1_000, 1_000_000_000_000L);
        range("--max-instructions", maxInstructions, 0, Long.MAX_VALUE / 2);
        range("--max-cycles", maxCycles, 0, Long.MAX_VALUE / 2);
        range("--timeout", timeoutSeconds, 0, MAX_TIMEOUT_SECONDS);
        if (lowmem != null) {
            long l = Sizes.parse(lowmem);
            if (l < MIN_LOWMEM) {
                throw new UsageException("--lowmem must be at least " + (MIN_LOWMEM >> 20) + "M, got '" + lowmem + "'");
            }
            if (l % (2L << 20) != 0) {
                throw new UsageException("--lowmem must be a multiple of 2M, got '" + lowmem + "'");
            }
        }
    }

    public MachineConfig machineConfig() {
        validate();
        PagingMode mode = switch (paging.toLowerCase(java.util.Locale.ROOT)) {
            case "pae" -> PagingMode.PAE;
            case "legacy", "2level", "2-level" -> PagingMode.LEGACY;
            default -> throw new UsageException("--paging must be pae or legacy, got '" + paging + "'");
        };
        CycleCosts c = CycleCosts.defaults();
        try {
            if (costFile != null) {
                c = c.withFile(costFile);
            }
        } catch (IOException e) {
            throw new UsageException("cannot read --cost-file " + costFile + ": " + e.getMessage(), e);
        }
        for (String kv : costs) {
            c = c.with(kv);
        }
        TlbConfig tlb;
        try {
            tlb = new TlbConfig(tlbEntries, tlbWays, TlbConfig.defaults().entriesLarge(),
                    TlbConfig.defaults().waysLarge());
        } catch (IllegalArgumentException e) {
            throw new UsageException("bad TLB geometry: " + e.getMessage(), e);
        }
        return new MachineConfig(cpus, Sizes.parse(mem), mode, tlb, 36, quantum, c);
    }

    public KernelConfig kernelConfig() {
        KernelConfig k = KernelConfig.defaults().withDebugKmapLocal(debugKmapLocal).withForceMap(forceMap)
                .withTickCycles(tickCycles).withPreempt(!noPreempt);
        if (lowmem != null) {
            k = k.withLowmemLimit(Sizes.parse(lowmem));
        }
        return k;
    }

    public RunLimits limits() {
        return new RunLimits(maxInstructions, maxCycles, timeoutSeconds * 1000);
    }
}
